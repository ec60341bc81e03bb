import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Issue 19: the comprehensive evaluation from the record — V opens the form, a rating is one key and the rule's
/// suggestion follows it, saving asks to sign, a signed one shows in the section, V starts a review or reads a version,
/// and P turns the ratings into plan problems.
@Suite struct EvaluationUITests {
    /// The small demo at `width`×`height`, signed in as its first staff member, with the first active patient's record open.
    /// The demo signs an intake for every admitted patient: this patient's are taken out so the form starts blank.
    static func recordOpen(width: Int = 120, height: Int = 40) throws -> (AppState, PatientID) {
        var doc = UIFixtures.demo
        let patient = try #require(doc.patients.first { $0.status == .active && $0.treatmentPlan == nil } ?? doc.patients.first { $0.status == .active })
        if let i = doc.patients.firstIndex(where: { $0.id == patient.id }) { doc.patients[i].evaluations = [] }
        var state = AppState(document: doc, fileName: "demo.json", now: UIFixtures.now, width: width, height: height, login: doc.staff.first?.login)
        state.focus = .patients
        showInList(&state, patient.id)
        state.press(.enter)
        return (state, patient.id)
    }

    /// Moves the form's focus to the field `id` with Tab.
    static func tab(to id: String, _ state: inout AppState) {
        for _ in 0..<60 where state.forms.last?.form.focusedField?.id != id { state.press(.tab) }
    }

    /// Fills the open evaluation form: a presenting problem, ratings typed as digits, a reason, the decision.
    static func fill(_ state: inout AppState, ratings: String) {
        tab(to: "presenting", &state)
        state.type("Referred after a relapse.")
        for (i, digit) in ratings.enumerated() {
            tab(to: "rating\(i)", &state)
            state.type(String(digit))
        }
        tab(to: "reason2", &state)
        state.type("Low mood most days.")
        tab(to: "decided", &state)
        state.type("I")
        tab(to: "decisionReason", &state)
        state.type("Works days; evening IOP fits.")
    }

    @Test func vOpensTheIntakeFormAndEachDigitIsARatingTheRuleFollows() throws {
        var (state, _) = try Self.recordOpen()
        state.press(.char("V"))
        let form = try #require(state.forms.last?.form)
        #expect(form.title.hasPrefix("Intake evaluation · "))
        #expect(form.title.hasSuffix("rule: OP (1)"))
        Self.tab(to: "rating2", &state)
        state.type("3")
        #expect(state.forms.last?.form.text("rating2") == "3 serious")
        // D3 at 3: the standard rule's second step, PHP.
        #expect(state.forms.last?.form.title.hasSuffix("rule: PHP (2.5)") == true)
        state.type("4")
        #expect(state.forms.last?.form.title.hasSuffix("rule: higher than the program offers (refer)") == true)
        state.type("1")
        #expect(state.forms.last?.form.title.hasSuffix("rule: OP (1)") == true)
    }

    @Test func savingACompleteEvaluationAsksToSignAndSigningRecordsBoth() throws {
        var (state, patient) = try Self.recordOpen()
        let signer = try #require(state.document.staff.first)
        state.press(.char("V"))
        Self.fill(&state, ratings: "012221")
        state.press(.ctrl("s"))
        #expect(state.forms.isEmpty)
        guard case .choice(let dialog, .confirmEvaluationSign(patient, _))? = state.modal else { Issue.record("no question: \(String(describing: state.message))"); return }
        // Ratings 0,1,2,2,2,1: three dimensions at 2 → IOP; the decision typed was IOP.
        #expect(dialog.lines.joined().contains("as \(signer.signatureName)? The rule suggests IOP (2.1); you decided IOP (2.1)."))
        #expect(state.document.patient(patient)?.evaluations.first?.isSigned == false, "nothing is signed while it asks")
        state.press(.char("y"))
        let e = try #require(state.document.patient(patient)?.evaluations.first)
        #expect(e.signature?.by == signer.id)
        #expect(e.suggested == .level(.intensiveOutpatient) && e.decided == .level(.intensiveOutpatient))
        #expect(e.ratings == [0, 1, 2, 2, 2, 1])
        let lines = (state.record?.lines ?? []).map { $0.text.replacingOccurrences(of: "\u{00A0}", with: " ") }
        #expect(lines.contains { $0.contains("Ratings") && $0.contains("D1 0  D2 1  D3 2  D4 2  D5 2  D6 1") })
        #expect(lines.contains { $0.contains("rule: IOP (2.1) · decided: IOP (2.1)") })
    }

    @Test func anIncompleteEvaluationIsSavedAsADraftAndSaysWhatIsMissing() throws {
        var (state, patient) = try Self.recordOpen()
        state.press(.char("V"))
        Self.tab(to: "presenting", &state)
        state.type("Came in after an overdose scare.")
        state.press(.ctrl("s"))
        #expect(state.modal == nil)
        #expect(state.document.patient(patient)?.evaluationDraft != nil)
        #expect(state.message?.text.contains("Saved as a draft. Before signing, write a rating for D1, D2, D3, D4, D5, D6") == true)
        // V again: continue the draft.
        state.press(.char("V"))
        guard case .choice(let dialog, .evaluation)? = state.modal else { Issue.record("no question"); return }
        #expect(dialog.options.map(\.key).first == "c")
        state.press(.char("c"))
        #expect(state.forms.last?.form.text("presenting") == "Came in after an overdose scare.")
    }

    /// A record with a signed evaluation (ratings 0,2,1,3,2,1) of the first active patient without a plan.
    static func signed(width: Int = 120, height: Int = 40) throws -> (AppState, PatientID) {
        var (state, patient) = try recordOpen(width: width, height: height)
        state.press(.char("V"))
        fill(&state, ratings: "021321")
        state.press(.ctrl("s"), .char("y"))
        return (state, patient)
    }

    @Test func aReviewStartsFromTheLastSignedOneAndTheOldOneCanBeRead() throws {
        var (state, patient) = try Self.signed()
        state.press(.char("V"))
        guard case .choice(let dialog, .evaluation)? = state.modal else { Issue.record("no question"); return }
        #expect(dialog.options.map(\.key) == ["r", "1"])
        state.press(.char("r"))
        let form = try #require(state.forms.last?.form)
        #expect(form.title.hasPrefix("Review evaluation"))
        #expect(form.text("presenting") == "Referred after a relapse.")
        #expect(form.text("rating3") == "3 serious")
        Self.tab(to: "rating3", &state)
        state.type("1")
        state.press(.ctrl("s"), .char("y"))
        let all = try #require(state.document.patient(patient)?.evaluations)
        #expect(all.count == 2 && all.allSatisfy(\.isSigned))
        #expect(all[0].ratings[3] == 3 && all[1].ratings[3] == 1)
        // Read the older one (the second listed, latest first).
        state.press(.char("V"), .char("2"))
        #expect(state.record?.reading == all[0].id)
        #expect(render(state).text.contains("Evaluation · "))
        state.press(.escape)
        #expect(state.record != nil && state.record?.reading == nil, "Esc goes back to the record")
    }

    @Test func pProposesAProblemPerDimensionRatedTwoOrMore() throws {
        var (state, patient) = try Self.signed()
        let hadPlan = state.document.patient(patient)?.treatmentPlan != nil
        state.press(.char("P"))
        if hadPlan { state.press(.char("a")) }
        let form = try #require(state.forms.last?.form)
        // Ratings 0,2,1,3,2,1: D2, D4 and D5 propose problems.
        #expect(form.fields.filter { $0.id.hasPrefix("keep") }.map(\.label) == ["D2 Physical health (2)", "D4 Readiness (3)", "D5 Relapse risk (2)"])
        #expect(form.text("statement1") == "Readiness to change: serious risk (3)")
        Self.tab(to: "keep0", &state)
        state.type("d")
        Self.tab(to: "statement2", &state)
        state.press(.ctrl("u"))
        state.type("Cravings at night")
        state.press(.ctrl("s"))
        let problems = try #require(state.document.patient(patient)?.treatmentPlan?.problems.map(\.statement))
        #expect(problems.suffix(2) == ["Readiness to change: serious risk (3)", "Cravings at night"])
    }
}

/// Issue 19: the evaluation form and the record's section as screens, at 80×24 and 120×40.
@Suite struct EvaluationSnapshotTests {
    @Test(arguments: [(80, 24), (120, 40)])
    func theFormWithRatingsTyped(size: (Int, Int)) throws {
        var (state, _) = try EvaluationUITests.recordOpen(width: size.0, height: size.1)
        state.press(.char("V"))
        EvaluationUITests.fill(&state, ratings: "021321")
        EvaluationUITests.tab(to: "rating3", &state)
        try SnapshotTests().check(state, "evaluation-form-\(size.0)x\(size.1)")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func theRecordSectionOfASignedEvaluation(size: (Int, Int)) throws {
        var (state, _) = try EvaluationUITests.signed(width: size.0, height: size.1)
        let lines = try #require(state.record?.lines)
        let start = try #require(lines.firstIndex { $0.section == RecordSection.evaluation })
        state.record?.scroll = start
        try SnapshotTests().check(state, "evaluation-record-\(size.0)x\(size.1)")
    }
}
