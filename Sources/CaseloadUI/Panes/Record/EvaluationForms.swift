import CaseloadCore
import Foundation

// The comprehensive evaluation's forms (issue 19): the evaluation itself (one scrolling form, a rating is one key), a
// substance of its history of use, and the plan's proposed problems to keep, edit or drop.

/// Building the evaluation forms from the model and reading them back.
enum EvaluationForms {
    /// A rating's choices: typing its digit picks it.
    static let ratingOptions = ["not rated"] + Dimension.ratings.map { "\($0) \(Dimension.ratingWords[$0])" }
    /// The decision's choices: none yet, then every level (and a referral) from the least intensive.
    static let decidedOptions = ["not decided"] + CareSuggestion.all.map(\.label)

    /// The evaluation form for `e` (a new intake, a draft to continue, or a review started from the last signed one).
    static func evaluationFrame(_ e: Evaluation, patient: Patient, doc: CaseloadDocument) -> FormFrame {
        var fields: [FormField] = [
            .date("date", "Date", e.date.iso, required: true),
            .multiline("presenting", EvaluationText.presenting, e.presentingProblem, rows: 3,
                       hint: "why now, in the person's words and yours · Ctrl-X edits in $EDITOR"),
            .list("substances", EvaluationText.substances, items: e.substances.map(EvaluationText.summary), rows: 3,
                  hint: "one line per substance: a adds, Enter edits, x removes"),
            .multiline("prior", EvaluationText.prior, e.priorTreatment, rows: 2, hint: "earlier treatment: where, when, how it went"),
            .multiline("medical", EvaluationText.medical, e.medical, rows: 2, hint: "conditions, medicines, pain, pregnancy"),
            .multiline("psychiatric", EvaluationText.psychiatric, e.psychiatric, rows: 2, hint: "symptoms now, safety, past hospital stays"),
            .multiline("legal", EvaluationText.legal, e.legal, rows: 2, hint: "charges, probation or court, what they require"),
            .multiline("family", EvaluationText.family, e.familySocial, rows: 2, hint: "who they live with, who helps, who uses"),
            .multiline("employment", EvaluationText.employment, e.employmentSchool, rows: 2, hint: "work or school now, money, what use has cost"),
        ]
        for i in 0..<Dimension.count {
            let rating = e.ratings[i]
            fields.append(.choice("rating\(i)", Dimension.shortNames[i], options: ratingOptions, index: rating.map { $0 + 1 } ?? 0,
                                  hint: "type 0–4 · " + Dimension.prompts[i]))
            let reason = e.dimensions.indices.contains(i) ? e.dimensions[i].reason : ""
            fields.append(.multiline("reason\(i)", "  why", reason, rows: 2, hint: "the reason for the rating, in a line or two"))
        }
        fields.append(.choice("decided", "Level decided", options: decidedOptions,
                              index: e.decided.flatMap { d in CareSuggestion.all.firstIndex(of: d) }.map { $0 + 1 } ?? 0))
        fields.append(.multiline("decisionReason", "  why this level", e.decisionReason, rows: 2,
                                 hint: "your reason, above all where it differs from the rule"))
        var frame = FormFrame(form: Form(title: "", fields: fields), purpose: .evaluation(patient.id), draft: .evaluation(e))
        adapt(&frame, doc: doc, patient: patient)
        frame.form.markClean()
        return frame
    }

    /// The ratings typed so far (nil where "not rated").
    static func ratings(_ form: Form) -> [Int?] {
        (0..<Dimension.count).map { i in
            let index = form.choiceIndex("rating\(i)")
            return index > 0 ? index - 1 : nil
        }
    }

    /// Keeps the evaluation form's title and the decision's hint saying what the program's rule suggests from the ratings
    /// typed so far, and which step of the rule gave it; nothing for any other form.
    static func adapt(_ frame: inout FormFrame, doc: CaseloadDocument, patient: Patient? = nil) {
        guard case .evaluation(let id) = frame.purpose, case .evaluation(let e) = frame.draft else { return }
        let rule = doc.program.clinical.levelOfCareRule
        let ratings = ratings(frame.form)
        let suggested = rule.suggest(ratings)
        let because = rule.deciding(ratings).map { rule.steps[$0].conditionText } ?? "no step holds"
        let name = (patient ?? doc.patient(id))?.displayName ?? ""
        let kind = e.kind == .intake ? "Intake evaluation" : "Review evaluation"
        frame.form.title = "\(kind) · \(name) · rule: \(suggested.label)"
        if let i = frame.form.index(of: "decided") {
            frame.form.fields[i].hint = "the rule suggests \(suggested.label) (\(because)); you decide"
        }
    }

    /// The evaluation the form describes: `base` (its ID, kind, author and substances) with the typed values.
    static func evaluation(from frame: FormFrame, base: Evaluation, today: LocalDate) -> Result<Evaluation, FieldErrors> {
        let f = frame.form
        guard let date = f.date("date", today: today) else { return .failure(FieldErrors(["date": Form.dateError])) }
        if date > today { return .failure(FieldErrors(["date": "an evaluation cannot be dated in the future"])) }
        var e = base
        e.date = date
        e.presentingProblem = f.text("presenting")
        e.priorTreatment = f.text("prior")
        e.medical = f.text("medical")
        e.psychiatric = f.text("psychiatric")
        e.legal = f.text("legal")
        e.familySocial = f.text("family")
        e.employmentSchool = f.text("employment")
        let ratings = ratings(f)
        e.dimensions = (0..<Dimension.count).map { DimensionRating(rating: ratings[$0], reason: f.text("reason\($0)")) }
        let decided = f.choiceIndex("decided")
        e.decided = decided > 0 ? CareSuggestion.all[safe: decided - 1] : nil
        e.decisionReason = f.text("decisionReason")
        return .success(e)
    }

    // MARK: A substance

    /// The form for one substance of the history of use.
    static func substanceFrame(_ use: SubstanceUse?, index: Int?) -> FormFrame {
        let fields: [FormField] = [
            .text("substance", "Substance", use?.substance ?? "", required: true, hint: "alcohol, fentanyl, methamphetamine…"),
            .text("route", "Route", use?.route ?? "", hint: "oral, smoked, snorted, injected"),
            .text("frequency", "How often", use?.frequency ?? "", hint: "daily, weekends, 3 times a week"),
            .date("lastUse", "Last use", use?.lastUse?.iso ?? ""),
            .text("ageOfFirstUse", "Age at first use", use?.ageOfFirstUse.map(String.init) ?? "", hint: "a whole number; blank when not known"),
        ]
        return FormFrame(form: Form(title: use == nil ? "New substance" : "Substance", fields: fields),
                         purpose: .item(field: "substances", index: index), draft: .substance(use ?? SubstanceUse(substance: "")))
    }

    /// Reads the substance form back.
    static func buildSubstance(_ frame: FormFrame, today: LocalDate) -> Result<FormDraft, FieldErrors> {
        let f = frame.form
        let text = { (id: String) in f.text(id).trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors: [String: String] = [:]
        if text("substance").isEmpty { errors["substance"] = Form.requiredError }
        let age = text("ageOfFirstUse")
        var ageValue: Int?
        if !age.isEmpty {
            if let n = Int(age), (0...120).contains(n) { ageValue = n } else { errors["ageOfFirstUse"] = "an age is a whole number from 0 to 120" }
        }
        let last = f.date("lastUse", today: today)
        if !text("lastUse").isEmpty, last == nil { errors["lastUse"] = Form.dateError }
        if let last, last > today { errors["lastUse"] = "the last use cannot be in the future" }
        guard errors.isEmpty else { return .failure(FieldErrors(errors)) }
        return .success(.substance(SubstanceUse(substance: text("substance"), route: text("route"), frequency: text("frequency"),
                                                lastUse: last, ageOfFirstUse: ageValue)))
    }

    // MARK: The plan's proposed problems

    static let keepOptions = ["keep", "drop"]

    /// One proposed problem per dimension rated 2 or more: keep or drop it, and edit its statement.
    static func planFrame(_ proposals: [PlanProposal], from e: Evaluation, patient: Patient) -> FormFrame {
        var fields: [FormField] = []
        for (i, proposal) in proposals.enumerated() {
            fields.append(.choice("keep\(i)", "\(Dimension.shortNames[proposal.dimension - 1]) (\(proposal.rating))", options: keepOptions,
                                  hint: "k keeps, d drops this problem"))
            fields.append(.multiline("statement\(i)", "  problem", proposal.statement, rows: 3, hint: "edit the statement as the plan should say it"))
        }
        let title = "Plan problems from the evaluation of \(e.date.iso) · \(patient.displayName)"
        return FormFrame(form: Form(title: title, fields: fields), purpose: .planFromEvaluation(patient.id), draft: .none)
    }

    /// The statements kept, in order.
    static func keptStatements(_ form: Form) -> [String] {
        var kept: [String] = []
        var i = 0
        while form.index(of: "keep\(i)") != nil {
            if form.choiceIndex("keep\(i)") == 0 { kept.append(form.text("statement\(i)")) }
            i += 1
        }
        return kept
    }
}
