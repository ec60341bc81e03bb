@testable import CaseloadCore
import Foundation
import Testing

/// Issue 19: the comprehensive evaluation — the level-of-care rule, signing, locking and reviews, the plan's proposed
/// problems, the review-due alerts and the audit entry of a signature.
@Suite struct EvaluationTests {
    typealias T = TestDocument

    /// A complete evaluation of Ana, dated `date`, with `ratings` (D1…D6) and a reason per rated dimension.
    static func complete(_ id: ItemID = "evl_1", date: String = "2026-11-03", ratings: [Int?] = [0, 1, 2, 3, 2, 1]) -> Evaluation {
        Evaluation(id: id, date: T.date(date), kind: .intake, author: "st_dana",
                   presentingProblem: "Referred by probation after a second DUI.",
                   substances: [SubstanceUse(substance: "alcohol", route: "oral", frequency: "daily", lastUse: T.date("2026-10-30"), ageOfFirstUse: 15)],
                   priorTreatment: "none", medical: "high blood pressure", psychiatric: "low mood", legal: "probation",
                   familySocial: "lives with a sister", employmentSchool: "warehouse, nights",
                   dimensions: ratings.enumerated().map { DimensionRating(rating: $0.element, reason: "reason \($0.offset + 1)") },
                   decided: .level(.intensiveOutpatient), decisionReason: "rule and history agree")
    }

    /// The test document with `evaluation` saved (unsigned) for Ana.
    static func withDraft(_ evaluation: Evaluation = complete()) throws -> CaseloadDocument {
        var doc = T.document()
        try doc.apply(EvaluationEdits.save(evaluation, for: "pat_ana", in: doc))
        return doc
    }

    // MARK: The level-of-care rule

    @Test(arguments: [
        ([0, 0, 0, 0, 0, 0], CareSuggestion.level(.outpatient)),
        ([1, 1, 1, 1, 1, 1], .level(.outpatient)),            // nothing at 2
        ([2, 0, 0, 0, 0, 0], .level(.outpatient)),            // one dimension at 2 is not two
        ([2, 0, 0, 0, 2, 0], .level(.intensiveOutpatient)),   // two at 2: the boundary
        ([0, 0, 0, 0, 3, 0], .level(.intensiveOutpatient)),   // a 3 outside D1–D3
        ([0, 0, 3, 0, 0, 0], .level(.partialHospitalization)),// D3 at 3
        ([3, 0, 0, 0, 0, 0], .level(.partialHospitalization)),// D1 at 3
        ([2, 2, 2, 3, 3, 3], .level(.intensiveOutpatient)),   // 3s only in D4–D6
        ([0, 0, 0, 4, 0, 0], .higherThanProgram),             // any 4
        ([3, 3, 3, 3, 3, 4], .higherThanProgram),             // the first step that holds wins
    ] as [([Int], CareSuggestion)])
    func theStandardRuleSuggestsByTheFirstStepThatHolds(ratings: [Int], expected: CareSuggestion) {
        #expect(LevelOfCareRule.standard.suggest(ratings.map { Optional($0) }) == expected)
    }

    @Test func anUnratedDimensionCountsAsZero() {
        #expect(LevelOfCareRule.standard.suggest([nil, 2, nil, nil, nil, nil]) == .level(.outpatient))
        #expect(LevelOfCareRule.standard.suggest([nil, 2, nil, nil, 2, nil]) == .level(.intensiveOutpatient))
        #expect(LevelOfCareRule.standard.suggest([nil, nil, nil, nil, nil, nil]) == .level(.outpatient))
    }

    @Test func aProgramsOwnRuleIsFollowed() {
        // A program that sends anyone with D5 at 2 or more to IOP, and everyone else to OP.
        let rule = LevelOfCareRule(steps: [LevelRuleStep(dimensions: [5], atLeast: 2, count: 1, level: .level(.intensiveOutpatient))],
                                   otherwise: .level(.outpatient))
        #expect(rule.suggest([0, 0, 0, 0, 2, 0]) == .level(.intensiveOutpatient))
        #expect(rule.suggest([0, 0, 0, 0, 1, 0]) == .level(.outpatient))
        #expect(rule.suggest([4, 4, 4, 0, 0, 0]) == .level(.outpatient))
        #expect(rule.deciding([0, 0, 0, 0, 2, 0]) == 0)
        #expect(rule.deciding([0, 0, 0, 0, 0, 0]) == nil)
    }

    @Test func signingRecordsWhatTheProgramsOwnRuleSuggests() throws {
        var doc = try Self.withDraft(Self.complete(ratings: [0, 1, 3, 2, 2, 1]))
        // This program refers anyone with D3 at 3 or more elsewhere; the standard rule would say PHP.
        doc.program.clinical.levelOfCareRule = LevelOfCareRule(
            steps: [LevelRuleStep(dimensions: [3], atLeast: 3, count: 1, level: .higherThanProgram)], otherwise: .level(.outpatient))
        try doc.apply(EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-03T20:00:00Z"), in: doc))
        #expect(doc.patient("pat_ana")?.evaluations.first?.suggested == .higherThanProgram)
    }

    @Test func aSignerWhoNeedsCoSignatureLeavesTheEvaluationAwaitingIt() throws {
        var doc = try Self.withDraft()
        var associate = Staff(id: "st_ari", name: "Ari Cole", credentials: "CADC-I", role: .clinician, login: "ari")
        associate.supervisor = "st_dana"
        associate.needsCoSignature = true
        try doc.apply(.putStaff(associate))
        try doc.apply(EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_ari", at: T.at("2026-11-03T20:00:00Z"), in: doc))
        let signature = try #require(doc.patient("pat_ana")?.evaluations.first?.signature)
        #expect(SignatureState.of(signature) == .awaitingCoSignature)
        // Only Ari's supervisor co-signs, once, and not before the signature.
        #expect(throws: EditError.self) { try EvaluationEdits.coSign("evl_1", for: "pat_ana", by: "st_ari", at: T.at("2026-11-04T20:00:00Z"), in: doc) }
        #expect(throws: EditError.self) { try EvaluationEdits.coSign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-03T19:00:00Z"), in: doc) }
        let coSign = try EvaluationEdits.coSign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-04T20:00:00Z"), in: doc)
        let before = doc
        try doc.apply(coSign)
        let final = try #require(doc.patient("pat_ana")?.evaluations.first?.signature)
        #expect(SignatureState.of(final) == .final)
        #expect(final.coSignature == CoSignature(by: "st_dana", at: T.at("2026-11-04T20:00:00Z")))
        #expect(AuditEvent.changes(by: coSign, from: before, to: doc).contains(AuditEvent(AuditAction.evaluationCoSign, ["patient:pat_ana", "evaluation:evl_1"])))
        #expect(throws: EditError.self) { try EvaluationEdits.coSign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-05T20:00:00Z"), in: doc) }
        // Taking the co-signature off again is a change to a signed evaluation.
        var p = try #require(doc.patient("pat_ana"))
        p.evaluations[0].signature?.coSignature = nil
        #expect(throws: EditError.self) { try doc.apply(.putPatient(p)) }
    }

    @Test func aStepCountingTwoOfListedDimensions() {
        let step = LevelRuleStep(dimensions: [1, 2, 3], atLeast: 2, count: 2, level: .level(.partialHospitalization))
        #expect(step.holds(for: [2, 0, 2, 4, 4, 4]))
        #expect(!step.holds(for: [2, 1, 1, 4, 4, 4]))
        #expect(step.conditionText == "2 or more of D1, D2, D3 at 2 or more")
        #expect(LevelOfCareRule.standard.steps[1].conditionText == "D1, D2 or D3 at 3 or more")
        #expect(LevelOfCareRule.standard.steps[0].conditionText == "any dimension at 4 or more")
    }

    // MARK: Signing, locking, reviews

    @Test func signingRecordsTheRulesSuggestionBesideTheDecisionAndLocks() throws {
        var doc = try Self.withDraft(Self.complete(ratings: [0, 1, 3, 2, 2, 1]))
        try doc.apply(EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-03T20:00:00Z"), in: doc))
        let e = try #require(doc.patient("pat_ana")?.evaluations.first)
        // Ratings 0,1,3,2,2,1: D3 at 3 → PHP by the standard rule; the clinician decided IOP.
        #expect(e.suggested == .level(.partialHospitalization))
        #expect(e.decided == .level(.intensiveOutpatient))
        #expect(e.signature?.by == "st_dana")
        #expect(e.signature?.at == T.at("2026-11-03T20:00:00Z"))

        var changed = e
        changed.medical = "changed after signing"
        #expect(throws: EditError.self) { try EvaluationEdits.save(changed, for: "pat_ana", in: doc) }
        var p = try #require(doc.patient("pat_ana"))
        p.evaluations[0].medical = "changed behind the edit's back"
        #expect(throws: EditError.self) { try doc.apply(.putPatient(p)) }
        p = try #require(doc.patient("pat_ana"))
        p.evaluations.removeAll()
        #expect(throws: EditError.self) { try doc.apply(.putPatient(p)) }
        #expect(throws: EditError.self) { try doc.apply(EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-04T20:00:00Z"), in: doc)) }
    }

    @Test func signingIsRefusedUntilEverythingNeededIsWritten() throws {
        var draft = Self.complete(ratings: [0, 1, nil, 3, 2, nil])
        draft.decided = nil
        let doc = try Self.withDraft(draft)
        #expect(EvaluationEdits.missingForSigning(draft) == ["a rating for D3, D6", "the level of care you decide"])
        do {
            _ = try EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-03T20:00:00Z"), in: doc)
            Issue.record("signed an incomplete evaluation")
        } catch {
            #expect(error.description.contains("a rating for D3, D6"))
        }
        #expect(throws: EditError.self) { try EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_nobody", at: T.at("2026-11-03T20:00:00Z"), in: doc) }
    }

    @Test func aReviewIsANewEvaluationAndTheOldOneStaysAsSigned() throws {
        var doc = try Self.withDraft()
        try doc.apply(EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-03T20:00:00Z"), in: doc))
        let first = try #require(doc.patient("pat_ana")?.evaluations.first)
        let patient = try #require(doc.patient("pat_ana"))
        #expect(EvaluationEdits.newID(for: patient) == "evl_2")
        var review = try #require(EvaluationEdits.review(of: patient, id: "evl_2", date: T.date("2026-12-01"), author: "st_dana"))
        #expect(review.kind == .review && review.signature == nil && review.suggested == nil)
        #expect(review.presentingProblem == first.presentingProblem && review.dimensions == first.dimensions)
        review.dimensions[3] = DimensionRating(rating: 1, reason: "engaged now")
        try doc.apply(EvaluationEdits.save(review, for: "pat_ana", in: doc))
        try doc.apply(EvaluationEdits.sign("evl_2", for: "pat_ana", by: "st_dana", at: T.at("2026-12-01T20:00:00Z"), in: doc))
        let after = try #require(doc.patient("pat_ana"))
        #expect(after.evaluations.count == 2)
        #expect(after.evaluations[0] == first)
        #expect(after.latestSignedEvaluation?.id == "evl_2")
        // Ratings now 0,1,2,1,2,1: no 3 or 4, two dimensions at 2 → IOP.
        #expect(after.latestSignedEvaluation?.suggested == .level(.intensiveOutpatient))
        #expect(EvaluationEdits.review(of: T.ana, id: "evl_9", date: T.date("2026-12-01"), author: nil) == nil)
    }

    @Test func aDraftMayBeSavedAgainAndSigningItIsUndoneNever() throws {
        var doc = try Self.withDraft()
        var draft = Self.complete()
        draft.medical = "second thoughts"
        try doc.apply(EvaluationEdits.save(draft, for: "pat_ana", in: doc))
        #expect(doc.patient("pat_ana")?.evaluations.map(\.medical) == ["second thoughts"])
        var history = EditHistory()
        try history.perform(EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-03T20:00:00Z"), in: doc), label: "sign", on: &doc)
        #expect(throws: EditError.self) { _ = try history.undo(on: &doc) }
        #expect(doc.patient("pat_ana")?.evaluations.first?.isSigned == true)
    }

    // MARK: Plan from the evaluation

    @Test func eachDimensionRatedTwoOrMoreProposesAProblem() {
        let e = Self.complete(ratings: [0, 2, 1, 3, 4, 2])
        let proposals = EvaluationEdits.planProposals(from: e)
        #expect(proposals.map(\.dimension) == [2, 4, 5, 6])
        #expect(proposals.map(\.statement) == [
            "Physical health: moderate risk (2) — reason 2",
            "Readiness to change: serious risk (3) — reason 4",
            "Risk of relapse or continued use: severe risk (4) — reason 5",
            "Living situation and support: moderate risk (2) — reason 6",
        ])
        #expect(EvaluationEdits.planProposals(from: Self.complete(ratings: [1, 1, 1, 0, 0, 1])).isEmpty)
    }

    @Test func keptProblemsStartAPlanOrJoinTheOneThereIs() throws {
        var doc = T.document()
        try doc.apply(EvaluationEdits.addProblems(["Drinking daily", "  ", "No stable housing"], for: "pat_ana", today: T.date("2026-11-05"), in: doc))
        let plan = try #require(doc.patient("pat_ana")?.treatmentPlan)
        #expect(plan.created == T.date("2026-11-05"))
        #expect(plan.reviewDate == T.date("2026-12-05"))
        #expect(plan.problems.map(\.statement) == ["Drinking daily", "No stable housing"])
        #expect(plan.problems.map(\.id) == ["prb_1", "prb_2"])
        try doc.apply(EvaluationEdits.addProblems(["Low mood"], for: "pat_ana", today: T.date("2026-11-20"), in: doc))
        let grown = try #require(doc.patient("pat_ana")?.treatmentPlan)
        #expect(grown.created == T.date("2026-11-05"))
        #expect(grown.problems.map(\.id) == ["prb_1", "prb_2", "prb_3"])
        #expect(throws: EditError.self) { try EvaluationEdits.addProblems([" "], for: "pat_ana", today: T.date("2026-11-20"), in: doc) }
    }

    // MARK: Alerts

    /// Ana with a signed evaluation dated 2026-09-01 (review due 90 days later: 2026-11-30).
    static func signedOn(_ date: String) -> Patient {
        var p = T.ana
        var e = complete(date: date)
        e.suggested = .level(.partialHospitalization)
        e.signature = Signature(by: "st_dana", at: T.at("2026-09-01T20:00:00Z"))
        p.evaluations = [e]
        return p
    }

    @Test(arguments: [
        ("2026-11-22", nil, nil),                                                  // 8 days before: quiet
        ("2026-11-23", Alert.Severity.warning, "evaluation review due Mon 2026-11-30"), // 7 days before
        ("2026-11-30", .warning, "evaluation review due today"),
        ("2026-12-01", .critical, "evaluation review overdue since Mon 2026-11-30"),
    ] as [(String, Alert.Severity?, String?)])
    func theReviewFallsDueNinetyDaysAfterTheLatestSignedEvaluation(today: String, severity: Alert.Severity?, message: String?) {
        let alerts = Alerts.evaluationAlerts(Self.signedOn("2026-09-01"), today: T.date(today), program: T.program)
        #expect(alerts.first?.severity == severity)
        #expect(alerts.first?.message == message)
        #expect(alerts.allSatisfy { $0.kind == .evaluationReview })
    }

    @Test func anActivePatientWithoutASignedEvaluationIsWarnedAfterSevenDays() {
        // Ana was admitted on 2026-11-02.
        #expect(Alerts.evaluationAlerts(T.ana, today: T.date("2026-11-08"), program: T.program).isEmpty)
        let due = Alerts.evaluationAlerts(T.ana, today: T.date("2026-11-09"), program: T.program)
        #expect(due == [Alert(kind: .evaluationMissing, patient: "pat_ana", date: T.date("2026-11-09"),
                              message: "no signed evaluation 7 days after admission", severity: .warning)])
        var drafted = T.ana
        drafted.evaluations = [Self.complete()]
        #expect(Alerts.evaluationAlerts(drafted, today: T.date("2026-11-09"), program: T.program).map(\.kind) == [.evaluationMissing])
        var onHold = T.ana
        onHold.status = .onHold
        #expect(Alerts.evaluationAlerts(onHold, today: T.date("2026-11-09"), program: T.program).isEmpty)
    }

    // MARK: Audit

    @Test func signingIsAnAuditEventOfItsOwnWithoutPatientData() throws {
        let before = try Self.withDraft()
        let edit = try EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-03T20:00:00Z"), in: before)
        var after = before
        try after.apply(edit)
        let events = AuditEvent.changes(by: edit, from: before, to: after)
        #expect(events.contains(AuditEvent(AuditAction.evaluationSign, ["patient:pat_ana", "evaluation:evl_1"])))
        let written = events.flatMap { [$0.action] + $0.ids }.joined(separator: " ")
        #expect(!written.contains("probation") && !written.contains("Ana") && !written.contains("IOP"))
    }
}
