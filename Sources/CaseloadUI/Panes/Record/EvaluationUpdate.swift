import CaseloadCore
import Foundation

// The record's evaluation keys (issue 19): V writes, continues, reviews, signs or reads an evaluation; P starts the
// treatment plan from the latest signed one. Their forms are in EvaluationForms.swift, the section in RecordDraw+Evaluation.swift.

/// `V` and `P` in the record.
func performEvaluationAction(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard let record = state.record, let patient = state.document.patient(record.patient) else {
        state.message = StatusMessage("Open a patient's record first (Enter in Patients)")
        return []
    }
    switch action {
    case .evaluation: return chooseEvaluation(&state, patient)
    case .planFromEvaluation: return startPlanFromEvaluation(&state, patient)
    default: return []
    }
}

/// With no evaluation yet, the intake form opens at once; otherwise a question offers what can be done: continue (or sign)
/// the draft, start a review from the last signed one, or read any version (latest first, up to nine).
private func chooseEvaluation(_ state: inout AppState, _ patient: Patient) -> [Effect] {
    let all = patient.evaluationsByDate
    if all.isEmpty {
        guard refuseIfReadOnly(&state) else { return [] }
        let e = Evaluation(id: EvaluationEdits.newID(for: patient), date: state.today, kind: .intake, author: state.signer?.id)
        openForm(&state, EvaluationForms.evaluationFrame(e, patient: patient, doc: state.document))
        return []
    }
    var options: [ChoiceOption] = []
    var lines: [String] = []
    if let draft = patient.evaluationDraft {
        options.append(ChoiceOption("c", "continue the \(draft.kind.label) draft of \(draft.date.iso)"))
        let missing = EvaluationEdits.missingForSigning(draft)
        if missing.isEmpty {
            options.append(ChoiceOption("s", "sign the draft"))
        } else {
            lines.append("To sign the draft, write " + missing.joined(separator: ", ") + ".")
        }
    } else if let signed = patient.latestSignedEvaluation {
        options.append(ChoiceOption("r", "start a review from the evaluation of \(signed.date.iso)"))
    }
    if let waiting = coSignable(patient, by: state.signer, in: state.document) {
        options.append(ChoiceOption("k", "co-sign the evaluation of \(waiting.date.iso) (awaiting your co-signature)"))
    }
    for (i, e) in all.reversed().prefix(9).enumerated() {
        let state = e.isSigned ? "signed" : "draft"
        options.append(ChoiceOption(Character(String(i + 1)), "read the \(e.kind.label) of \(e.date.iso) (\(state))"))
    }
    let dialog = ChoiceDialog(title: "Evaluation · \(patient.displayName)", lines: lines, options: options)
    openModal(&state, .choice(dialog, .evaluation(patient.id)))
    return []
}

/// The answer to `V`'s question, a signature's confirmation, or whether to add the proposed problems to the plan there is.
func answerEvaluationChoice(_ state: inout AppState, _ purpose: ChoicePurpose, _ answer: Character) -> [Effect] {
    switch purpose {
    case .evaluation(let id):
        guard let patient = state.document.patient(id) else { return [] }
        let all = patient.evaluationsByDate
        switch answer {
        case "c":
            guard refuseIfReadOnly(&state), let draft = patient.evaluationDraft else { return [] }
            openForm(&state, EvaluationForms.evaluationFrame(draft, patient: patient, doc: state.document))
        case "s":
            guard let draft = patient.evaluationDraft else { return [] }
            return askToSignEvaluation(&state, patient, draft)
        case "k":
            guard let signer = state.signer, let waiting = coSignable(patient, by: signer, in: state.document) else { return [] }
            let dialog = ChoiceDialog(title: "Co-sign", lines: [
                "Co-sign \(patient.displayName)'s \(waiting.kind.label) evaluation of \(waiting.date.iso), signed by \(state.staffText(waiting.signature?.by ?? "")), as \(signer.signatureName)? It is final afterwards.",
            ], options: [ChoiceOption("y", "co-sign as \(signer.name)"), ChoiceOption("n", "not yet")])
            openModal(&state, .choice(dialog, .confirmEvaluationCoSign(patient.id, waiting.id)))
        case "r":
            guard refuseIfReadOnly(&state),
                  let review = EvaluationEdits.review(of: patient, id: EvaluationEdits.newID(for: patient), date: state.today, author: state.signer?.id) else { return [] }
            openForm(&state, EvaluationForms.evaluationFrame(review, patient: patient, doc: state.document))
            state.message = StatusMessage("A review starts from the last signed evaluation: change what has changed, then save and sign")
        default:
            guard let n = Int(String(answer)), n >= 1, let e = Array(all.reversed().prefix(9))[safe: n - 1], var record = state.record else { return [] }
            record.reading = e.id
            record.scroll = 0
            state.record = record
            state.refreshRecord()
            state.message = StatusMessage("Reading the \(e.kind.label) of \(e.date.iso); Esc goes back to the record")
        }
        return []
    case .confirmEvaluationSign(let id, let item):
        guard answer == "y" else {
            state.message = StatusMessage("Not signed; V signs it when it is ready")
            return []
        }
        return signEvaluation(&state, id, item)
    case .confirmEvaluationCoSign(let id, let item):
        guard answer == "y" else {
            state.message = StatusMessage("Not co-signed; V co-signs it when you have read it")
            return []
        }
        return coSignEvaluation(&state, id, item)
    case .planIntoExisting(let id):
        guard answer == "a", let patient = state.document.patient(id), let e = patient.latestSignedEvaluation else {
            state.message = StatusMessage("Nothing added to the plan")
            return []
        }
        openForm(&state, EvaluationForms.planFrame(EvaluationEdits.planProposals(from: e), from: e, patient: patient))
        return []
    default:
        return []
    }
}

/// A signature cannot be taken back, so it is asked for by name first, as for notes.
private func askToSignEvaluation(_ state: inout AppState, _ patient: Patient, _ e: Evaluation) -> [Effect] {
    guard let signer = state.signer else {
        state.message = StatusMessage(state.cannotSignText, isError: true)
        return []
    }
    let suggested = state.document.program.clinical.levelOfCareRule.suggest(e.ratings)
    let decided = e.decided?.label ?? "not decided"
    let dialog = ChoiceDialog(title: "Sign", lines: [
        "Sign \(patient.displayName)'s \(e.kind.label) evaluation of \(e.date.iso) as \(signer.signatureName)? The rule suggests \(suggested.label); you decided \(decided). It cannot be changed afterwards; a review makes a new one.",
    ], options: [ChoiceOption("y", "sign as \(signer.name)"), ChoiceOption("n", "not yet")])
    openModal(&state, .choice(dialog, .confirmEvaluationSign(patient.id, e.id)))
    return []
}

private func signEvaluation(_ state: inout AppState, _ id: PatientID, _ item: ItemID) -> [Effect] {
    guard refuseIfReadOnly(&state) else { return [] }
    guard let signer = state.signer else {
        state.message = StatusMessage(state.cannotSignText, isError: true)
        return []
    }
    let at = Timestamp(state.recordNow)
    let change: DocumentEdit
    do {
        change = try EvaluationEdits.sign(item, for: id, by: signer.id, at: at, in: state.document)
    } catch {
        state.message = StatusMessage("Not signed: \(error)", isError: true)
        return []
    }
    let name = state.document.patient(id)?.displayName ?? "the patient"
    let effects = edit(&state, change, label: "sign \(name)'s evaluation")
    guard !effects.isEmpty else { return [] }
    state.message = StatusMessage("\(name)'s evaluation signed by \(signer.signatureName) on \(state.localText(at)); P starts the treatment plan from it")
    return effects
}

/// The patient's signed evaluation that waits for `signer`'s co-signature (they supervise its signer), if any.
private func coSignable(_ patient: Patient, by signer: Staff?, in doc: CaseloadDocument) -> Evaluation? {
    guard let signer else { return nil }
    return patient.evaluationsByDate.last { e in
        guard let s = e.signature, s.state == .awaitingCoSignature else { return false }
        return doc.staffMember(s.by)?.supervisor == signer.id
    }
}

private func coSignEvaluation(_ state: inout AppState, _ id: PatientID, _ item: ItemID) -> [Effect] {
    guard refuseIfReadOnly(&state) else { return [] }
    guard let signer = state.signer else {
        state.message = StatusMessage(state.cannotSignText, isError: true)
        return []
    }
    let at = Timestamp(state.recordNow)
    let change: DocumentEdit
    do {
        change = try EvaluationEdits.coSign(item, for: id, by: signer.id, at: at, in: state.document)
    } catch {
        state.message = StatusMessage("Not co-signed: \(error)", isError: true)
        return []
    }
    let name = state.document.patient(id)?.displayName ?? "the patient"
    let effects = edit(&state, change, label: "co-sign \(name)'s evaluation")
    guard !effects.isEmpty else { return [] }
    state.message = StatusMessage("\(name)'s evaluation co-signed by \(signer.signatureName) on \(state.localText(at)); it is final")
    return effects
}

/// `P`: the latest signed evaluation's proposed problems in a form; when a plan exists, asks first whether to add to it.
private func startPlanFromEvaluation(_ state: inout AppState, _ patient: Patient) -> [Effect] {
    guard refuseIfReadOnly(&state) else { return [] }
    guard let e = patient.latestSignedEvaluation else {
        state.message = StatusMessage("P starts the plan from a signed evaluation, and \(patient.displayName) has none yet: V writes it", isError: true)
        return []
    }
    let proposals = EvaluationEdits.planProposals(from: e)
    guard !proposals.isEmpty else {
        state.message = StatusMessage("The evaluation of \(e.date.iso) rates no dimension 2 or higher, so it proposes no problem; e edits the plan")
        return []
    }
    if let plan = patient.treatmentPlan {
        let dialog = ChoiceDialog(title: "Treatment plan", lines: [
            "\(patient.displayName) has a plan (created \(plan.created.iso), \(plan.problems.count) problem\(plan.problems.count == 1 ? "" : "s")). Add the \(proposals.count) problem\(proposals.count == 1 ? "" : "s") the evaluation of \(e.date.iso) proposes to it?",
        ], options: [ChoiceOption("a", "add them to the plan"), ChoiceOption("n", "not now")])
        openModal(&state, .choice(dialog, .planIntoExisting(patient.id)))
        return []
    }
    openForm(&state, EvaluationForms.planFrame(proposals, from: e, patient: patient))
    return []
}

/// Saves the evaluation form as a draft, then asks to sign it when nothing is missing.
func submitEvaluationForm(_ state: inout AppState, _ frame: FormFrame, _ id: PatientID) -> [Effect] {
    guard case .evaluation(let base) = frame.draft, let patient = state.document.patient(id) else { return [] }
    let e: Evaluation
    switch EvaluationForms.evaluation(from: frame, base: base, today: state.today) {
    case .failure(let errors):
        showFieldErrors(&state, errors)
        return []
    case .success(let value):
        e = value
    }
    let change: DocumentEdit
    do {
        change = try EvaluationEdits.save(e, for: id, in: state.document)
    } catch {
        state.message = StatusMessage("Not saved: \(error)", isError: true)
        return []
    }
    let effects = edit(&state, change, label: "evaluation of \(patient.displayName)")
    guard !effects.isEmpty else { return [] }
    state.forms.removeLast()
    let missing = EvaluationEdits.missingForSigning(e)
    if missing.isEmpty {
        return effects + askToSignEvaluation(&state, patient, e)
    }
    state.message = StatusMessage("Saved as a draft. Before signing, write " + missing.joined(separator: ", ") + "; V continues it")
    return effects
}

/// Adds the kept problems to the plan (creating it when there is none).
func submitPlanFromEvaluation(_ state: inout AppState, _ frame: FormFrame, _ id: PatientID) -> [Effect] {
    let kept = EvaluationForms.keptStatements(frame.form)
    guard let patient = state.document.patient(id) else { return [] }
    let change: DocumentEdit
    do {
        change = try EvaluationEdits.addProblems(kept, for: id, today: state.today, in: state.document)
    } catch {
        state.message = StatusMessage("Nothing added: every problem was dropped or left blank; Esc closes the form", isError: true)
        return []
    }
    let hadPlan = patient.treatmentPlan != nil
    let effects = edit(&state, change, label: "plan problems from \(patient.displayName)'s evaluation")
    guard !effects.isEmpty else { return [] }
    state.forms.removeLast()
    let count = kept.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }.count
    let problems = "\(count) problem\(count == 1 ? "" : "s")"
    state.message = StatusMessage(hadPlan ? "Added \(problems) to the treatment plan; e edits it to add goals"
                                          : "Treatment plan started with \(problems); e edits it to add goals")
    return effects
}
