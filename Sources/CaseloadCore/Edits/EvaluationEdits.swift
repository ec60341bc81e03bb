import Foundation

/// Edits to a patient's comprehensive evaluations (issue 19), each one undoable `DocumentEdit`: saving a draft, signing
/// it, and starting a treatment plan from the ratings. A signed evaluation never changes (`DocumentEdit` refuses it).
public enum EvaluationEdits {
    /// Days from a plan's creation to its first review when the plan is started from an evaluation.
    public static let planReviewDays = 30

    /// Saves `evaluation` (new, or replacing the unsigned one with its ID) in `patient`'s record. Refused for a signed
    /// evaluation: a review makes a new one (`review`).
    public static func save(_ evaluation: Evaluation, for patient: PatientID, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try PatientEdits.existing(patient, in: doc)
        let field = "patients[\(patient)].evaluations[\(evaluation.id)]"
        if let i = p.evaluations.firstIndex(where: { $0.id == evaluation.id }) {
            if let signed = p.evaluations[i].signature {
                throw .note(.signedNoteIsLocked(note: "evaluation of \(p.evaluations[i].date)", signedBy: signed.by, at: signed.at))
            }
            p.evaluations[i] = evaluation
        } else {
            guard evaluation.signature == nil else { throw PatientEdits.refusal(field, "a new evaluation is saved unsigned, then signed") }
            p.evaluations.append(evaluation)
        }
        return .putPatient(p)
    }

    /// What still stops `evaluation` from being signed, in plain words; empty when it may be signed.
    public static func missingForSigning(_ evaluation: Evaluation) -> [String] {
        var missing: [String] = []
        if evaluation.presentingProblem.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { missing.append("the presenting problem") }
        let unrated = evaluation.ratings.enumerated().filter { $0.element == nil }.map { "D\($0.offset + 1)" }
        if !unrated.isEmpty { missing.append("a rating for " + unrated.joined(separator: ", ")) }
        if evaluation.decided == nil { missing.append("the level of care you decide") }
        if evaluation.decisionReason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { missing.append("the reason for that level") }
        return missing
    }

    /// Signs `patient`'s unsigned evaluation `id` as `staff` at `at`: the program's rule's suggestion is recorded beside the
    /// clinician's decision, and the signature (with co-signature where the signer needs it) locks it. Refused when
    /// something is missing (`missingForSigning`), when it is already signed, or for an unknown staff member.
    public static func sign(_ id: ItemID, for patient: PatientID, by staff: StaffID, at: Timestamp, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try PatientEdits.existing(patient, in: doc)
        let field = "patients[\(patient)].evaluations[\(id)]"
        guard let i = p.evaluations.firstIndex(where: { $0.id == id }) else { throw .notFound("evaluation \(id)") }
        if let signed = p.evaluations[i].signature {
            throw .note(.signedNoteIsLocked(note: "evaluation of \(p.evaluations[i].date)", signedBy: signed.by, at: signed.at))
        }
        guard doc.staffMember(staff) != nil else { throw PatientEdits.refusal("\(field).signature", "no staff member has the ID \"\(staff)\"; only staff can sign") }
        let missing = missingForSigning(p.evaluations[i])
        guard missing.isEmpty else {
            throw PatientEdits.refusal(field, "write " + missing.joined(separator: ", ") + " before signing")
        }
        p.evaluations[i].suggested = doc.program.clinical.levelOfCareRule.suggest(p.evaluations[i].ratings)
        p.evaluations[i].author = staff
        p.evaluations[i].signature = doc.makeSignature(by: staff, at: at)
        return .putPatient(p)
    }

    /// Co-signs `patient`'s signed evaluation `id` as `staff` at `at`: only the signer's supervisor may, only a signature
    /// that needs co-signature and has none yet, and not before it was signed. The co-signed evaluation is final.
    public static func coSign(_ id: ItemID, for patient: PatientID, by staff: StaffID, at: Timestamp, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try PatientEdits.existing(patient, in: doc)
        let field = "patients[\(patient)].evaluations[\(id)].signature.coSignature"
        guard let i = p.evaluations.firstIndex(where: { $0.id == id }) else { throw .notFound("evaluation \(id)") }
        guard var signature = p.evaluations[i].signature else { throw PatientEdits.refusal(field, "the evaluation is not signed yet; it is signed before it is co-signed") }
        guard signature.needsCoSignature, signature.coSignature == nil else {
            throw PatientEdits.refusal(field, signature.coSignature == nil ? "this evaluation needs no co-signature" : "this evaluation is already co-signed")
        }
        guard doc.staffMember(signature.by)?.supervisor == staff else {
            throw PatientEdits.refusal(field, "only the signer's supervisor co-signs their evaluations")
        }
        guard at >= signature.at else { throw PatientEdits.refusal(field, "a co-signature comes after the signature (\(signature.at))") }
        signature.coSignature = CoSignature(by: staff, at: at)
        p.evaluations[i].signature = signature
        return .putPatient(p)
    }

    /// A new review evaluation dated `date`, with `id`, starting from the latest signed one's content (ratings and reasons
    /// included, to be reconsidered); nil when the patient has no signed evaluation. It is not stored until saved.
    public static func review(of patient: Patient, id: ItemID, date: LocalDate, author: StaffID?) -> Evaluation? {
        guard var next = patient.latestSignedEvaluation else { return nil }
        next.id = id
        next.date = date
        next.kind = .review
        next.author = author
        next.suggested = nil
        next.signature = nil
        return next
    }

    /// A fresh ID for a new evaluation of `patient`: `evl_N` (with this instance's tag), unused in the record.
    public static func newID(for patient: Patient) -> ItemID {
        let taken = Set(patient.evaluations.map(\.id.rawValue))
        let tag = NewIDs.tag
        var n = patient.evaluations.count + 1
        while taken.contains("evl_\(n)\(tag)") { n += 1 }
        return ItemID("evl_\(n)\(tag)")
    }

    // MARK: Plan from an evaluation

    /// The problems a signed evaluation proposes for the treatment plan: one per dimension rated 2 or higher, in
    /// dimension order, its statement made from the dimension's name, rating and the clinician's reason.
    public static func planProposals(from evaluation: Evaluation) -> [PlanProposal] {
        evaluation.ratings.enumerated().compactMap { index, rating in
            guard let rating, rating >= 2 else { return nil }
            let reason = evaluation.dimensions[index].reason.trimmingCharacters(in: .whitespacesAndNewlines)
            let words = Dimension.ratingWords[min(rating, Dimension.ratingWords.count - 1)]
            var statement = "\(Dimension.names[index]): \(words) risk (\(rating))"
            if !reason.isEmpty { statement += " — \(reason)" }
            return PlanProposal(dimension: index + 1, rating: rating, statement: statement)
        }
    }

    /// Adds `statements` as new problems (without goals yet) to `patient`'s treatment plan, creating the plan on `today`
    /// (review in `planReviewDays` days) when there is none. Blank statements are skipped; refused when none is left.
    public static func addProblems(_ statements: [String], for patient: PatientID, today: LocalDate, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try PatientEdits.existing(patient, in: doc)
        let kept = statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard !kept.isEmpty else { throw PatientEdits.refusal("patients[\(patient)].treatmentPlan", "no problem was kept; nothing to add") }
        var plan = p.treatmentPlan ?? TreatmentPlan(created: today, reviewDate: today.adding(days: planReviewDays), problems: [])
        var taken = Set(plan.problems.map(\.id.rawValue))
        let tag = NewIDs.tag
        var n = plan.problems.count
        for statement in kept {
            repeat { n += 1 } while taken.contains("prb_\(n)\(tag)")
            let id = "prb_\(n)\(tag)"
            taken.insert(id)
            plan.problems.append(PlanProblem(id: ItemID(id), statement: statement, goals: []))
        }
        p.treatmentPlan = plan
        return .putPatient(p)
    }

    // MARK: Locking

    /// What `new` changes of `old`'s signed evaluations that a signature forbids: a signed evaluation removed, or its
    /// content or signer changed. A co-signature may be added to a signature; nothing else.
    public static func lockIssues(_ new: Patient, replacing old: Patient, path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for before in old.evaluations {
            guard let signed = before.signature else { continue }
            let field = "\(path).evaluations[\(before.id)]"
            guard let after = new.evaluations.first(where: { $0.id == before.id }) else {
                issues.append(ValidationIssue(field: field, message: "a signed evaluation cannot be removed"))
                continue
            }
            // The one change a signature allows: its co-signature, added once.
            let coSigned = signed.coSignature == nil || after.signature?.coSignature == signed.coSignature
            if after.lockedPart != before.lockedPart || after.signature?.by != signed.by || after.signature?.at != signed.at
                || after.signature?.needsCoSignature != signed.needsCoSignature || !coSigned {
                issues.append(ValidationIssue(field: field, message: "the evaluation of \(before.date) was signed by \(signed.by) at \(signed.at) and cannot be changed; start a review instead"))
            }
        }
        return issues
    }
}

/// A problem the evaluation proposes for the treatment plan, to keep, edit or drop.
public struct PlanProposal: Equatable, Sendable {
    /// The dimension (1–6) it comes from.
    public var dimension: Int
    public var rating: Int
    public var statement: String
    public init(dimension: Int, rating: Int, statement: String) { self.dimension = dimension; self.rating = rating; self.statement = statement }
}
