import CaseloadCore
import Foundation
import Testing

/// Issue 19's outcome measures: each instrument's scoring and bands against hand-computed cases, the schedule's due
/// dates, the safety alert raised and cleared, the Patients flag, the audit events and the merge of two people's measures.
@Suite struct MeasureTests {
    typealias T = TestDocument

    /// The total and the band of the one-scale instruments.
    func total(_ instrument: Instrument, _ scores: [Int]) -> (Int, String?) {
        let s = instrument.score(scores)[0]
        return (s.score, s.band?.label)
    }

    @Test func phq9TotalsFallInTheirBandsAtEveryBoundary() {
        let phq = Instrument.phq9
        // Each case: nine scores written out, their sum worked by hand, the band it must fall in.
        #expect(total(phq, [0, 0, 0, 0, 0, 0, 0, 0, 0]) == (0, "minimal"))
        #expect(total(phq, [1, 1, 1, 1, 0, 0, 0, 0, 0]) == (4, "minimal"))
        #expect(total(phq, [1, 1, 1, 1, 1, 0, 0, 0, 0]) == (5, "mild"))
        #expect(total(phq, [1, 1, 1, 1, 1, 1, 1, 1, 1]) == (9, "mild"))
        #expect(total(phq, [2, 1, 1, 1, 1, 1, 1, 1, 1]) == (10, "moderate"))
        #expect(total(phq, [2, 2, 2, 2, 2, 1, 1, 1, 1]) == (14, "moderate"))
        #expect(total(phq, [2, 2, 2, 2, 2, 2, 1, 1, 1]) == (15, "moderately severe"))
        #expect(total(phq, [3, 3, 3, 2, 2, 2, 2, 1, 1]) == (19, "moderately severe"))
        #expect(total(phq, [3, 3, 3, 3, 2, 2, 2, 1, 1]) == (20, "severe"))
        #expect(total(phq, [3, 3, 3, 3, 3, 3, 3, 3, 3]) == (27, "severe"))
        #expect(phq.items.count == 9 && phq.items.allSatisfy { $0.range == 0...3 })
        #expect(phq.safetyItem == 9)
    }

    @Test func gad7TotalsFallInTheirBandsAtEveryBoundary() {
        let gad = Instrument.gad7
        #expect(total(gad, [1, 1, 1, 1, 0, 0, 0]) == (4, "minimal"))
        #expect(total(gad, [1, 1, 1, 1, 1, 0, 0]) == (5, "mild"))
        #expect(total(gad, [2, 2, 1, 1, 1, 1, 1]) == (9, "mild"))
        #expect(total(gad, [2, 2, 2, 1, 1, 1, 1]) == (10, "moderate"))
        #expect(total(gad, [2, 2, 2, 2, 2, 2, 2]) == (14, "moderate"))
        #expect(total(gad, [3, 2, 2, 2, 2, 2, 2]) == (15, "severe"))
        #expect(total(gad, [3, 3, 3, 3, 3, 3, 3]) == (21, "severe"))
        #expect(gad.safetyItem == nil)
    }

    @Test func bamScoresItsThreeSubscalesFromTheirOwnItemsAndLeavesItems7And17Out() {
        // Items 1…17.
        let scores = [2, 1, 3, 1, 0, 2, 4, 3, 4, 2, 1, 0, 3, 2, 4, 3, 1]
        let s = Instrument.bam.score(scores)
        #expect(s.map(\.scale.name) == ["Use", "Risk", "Protective"])
        // Use = items 4, 5, 6: 1 + 0 + 2.
        #expect(s[0].score == 3 && s[0].band?.label == "use reported")
        // Risk = items 1, 2, 3, 8, 11, 15: 2 + 1 + 3 + 3 + 1 + 4.
        #expect(s[1].score == 14 && s[1].band?.label == "elevated")
        // Protective = items 9, 10, 12, 13, 14, 16: 4 + 2 + 0 + 3 + 2 + 3.
        #expect(s[2].score == 14 && s[2].band?.label == "adequate")
        // Items 7 and 17 change no subscale.
        var other = scores
        other[6] = 0; other[16] = 4
        #expect(Instrument.bam.score(other).map(\.score) == [3, 14, 14])
        #expect(Instrument.bam.items.count == 17 && Instrument.bam.items.allSatisfy { $0.range == 0...4 })
    }

    @Test func bamCutOffsSitWhereThePublishedSummariesPutThem() {
        // Only the items a subscale needs are set; the rest 0.
        func bam(_ set: [Int: Int]) -> [Int] { (1...17).map { set[$0] ?? 0 } }
        let none = Instrument.bam.score(bam([:]))
        #expect(none[0].band?.label == "none")
        #expect(Instrument.bam.score(bam([4: 1]))[0].band?.label == "use reported")
        // Risk 11 (4+4+3) is below the cut-off, 12 (4+4+4) at it.
        #expect(Instrument.bam.score(bam([1: 4, 2: 4, 3: 3]))[1].score == 11)
        #expect(Instrument.bam.score(bam([1: 4, 2: 4, 3: 3]))[1].band?.label == "below cut-off")
        #expect(Instrument.bam.score(bam([1: 4, 2: 4, 3: 4]))[1].band?.label == "elevated")
        // Protective 12 (4+4+4) is low, 13 adequate.
        #expect(Instrument.bam.score(bam([9: 4, 10: 4, 12: 4]))[2].band?.label == "low")
        #expect(Instrument.bam.score(bam([9: 4, 10: 4, 12: 4, 13: 1]))[2].band?.label == "adequate")
    }

    @Test func aPartlyEnteredFormScoresWhatIsThereAndSaysItIsIncomplete() {
        let s = Instrument.phq9.score([1, 2, 3])
        #expect(s[0].score == 6 && s[0].band?.label == "mild" && !s[0].complete)
        #expect(Instrument.phq9.score(Array(repeating: 0, count: 9))[0].complete)
        #expect(Instrument.phq9.problem(with: [1, 2, 3]) != nil)
        #expect(Instrument.phq9.problem(with: [0, 0, 0, 0, 0, 0, 0, 0, 4])?.contains("item 9") == true)
        #expect(Instrument.phq9.problem(with: [0, 0, 0, 0, 0, 0, 0, 0, 3]) == nil)
    }

    // MARK: Edits, alerts, flags

    static let today = T.date("2026-11-20")
    static let now = T.at("2026-11-20T18:00:00Z")

    func docWithPHQ9(item9: Int, date: String = "2026-11-20") throws -> CaseloadDocument {
        var doc = T.document()
        let scores = [1, 1, 1, 1, 1, 1, 1, 1, item9]
        try doc.apply(MeasureEdits.add("pat_ana", id: "msr_1", instrument: .phq9, date: T.date(date), scores: scores, by: "st_dana", at: Self.now, in: doc))
        return doc
    }

    @Test func aSavedMeasureKeepsScoresTheSafetyItemAndASignatureButNoTotal() throws {
        let doc = try docWithPHQ9(item9: 0)
        let m = try #require(doc.patient("pat_ana")?.measures.first)
        #expect(m.instrument == "phq9" && m.scores == [1, 1, 1, 1, 1, 1, 1, 1, 0] && m.safetyItem == 9)
        #expect(m.signature?.by == "st_dana" && m.signature?.at == Self.now)
        #expect(!m.needsSafetyFollowUp)
    }

    @Test func scoresThatDoNotFitTheInstrumentAreRefused() {
        let doc = T.document()
        #expect(throws: EditError.self) {
            try MeasureEdits.add("pat_ana", id: "msr_1", instrument: .phq9, date: Self.today, scores: [1, 1], by: "st_dana", at: Self.now, in: doc)
        }
        #expect(throws: EditError.self) {
            try MeasureEdits.add("pat_ana", id: "msr_1", instrument: .gad7, date: Self.today, scores: [4, 0, 0, 0, 0, 0, 0], by: "st_dana", at: Self.now, in: doc)
        }
        #expect(throws: EditError.self) {
            try MeasureEdits.add("pat_ana", id: "msr_1", instrument: .gad7, date: Self.today, scores: [0, 0, 0, 0, 0, 0, 0], by: "st_nobody", at: Self.now, in: doc)
        }
    }

    @Test func aSafetyItemAboveZeroRaisesACriticalAlertAtTheTopUntilAFollowUpIsRecorded() throws {
        var doc = try docWithPHQ9(item9: 1)
        let alerts = Alerts.compute(doc, schedule: ScheduleIndex(doc), now: Self.now.date, today: Self.today)
        let first = try #require(alerts.first)
        #expect(first.kind == .safetyFollowUp && first.severity == .critical && first.patient == "pat_ana")
        #expect(first.message.contains("PHQ-9 item 9") && first.message.contains("scored 1"))
        #expect(Alert.Kind.allCases.first == .safetyFollowUp)

        // A blank part is refused; the alert stays.
        #expect(throws: EditError.self) {
            try MeasureEdits.recordFollowUp("pat_ana", measure: "msr_1", who: "patient", when: " ", action: "plan", by: "st_dana", at: Self.now, in: doc)
        }
        try doc.apply(MeasureEdits.recordFollowUp("pat_ana", measure: "msr_1", who: "patient, in person", when: "today 15:10",
                                                  action: "safety plan reviewed", by: "st_dana", at: Self.now, in: doc))
        let after = Alerts.compute(doc, schedule: ScheduleIndex(doc), now: Self.now.date, today: Self.today)
        #expect(!after.contains { $0.kind == .safetyFollowUp })
        #expect(doc.patient("pat_ana")?.measures.first?.followUp?.who == "patient, in person")
        // A second follow-up is refused.
        #expect(throws: EditError.self) {
            try MeasureEdits.recordFollowUp("pat_ana", measure: "msr_1", who: "a", when: "b", action: "c", by: "st_dana", at: Self.now, in: doc)
        }
    }

    @Test func aSafetyItemAtZeroRaisesNothingAndTakesNoFollowUp() throws {
        let doc = try docWithPHQ9(item9: 0)
        let alerts = Alerts.compute(doc, schedule: ScheduleIndex(doc), now: Self.now.date, today: Self.today)
        #expect(!alerts.contains { $0.kind == .safetyFollowUp })
        #expect(throws: EditError.self) {
            try MeasureEdits.recordFollowUp("pat_ana", measure: "msr_1", who: "a", when: "b", action: "c", by: "st_dana", at: Self.now, in: doc)
        }
    }

    @Test func thePatientsFlagCountsSafetyItemsAwaitingFollowUp() throws {
        var doc = try docWithPHQ9(item9: 2)
        var flags = PatientFlagIndex.build(doc, now: Self.now.date, today: Self.today)
        #expect(flags["pat_ana"]?.safetyFollowUps == 1)
        #expect(flags["pat_minjun"]?.safetyFollowUps == 0)
        try doc.apply(MeasureEdits.recordFollowUp("pat_ana", measure: "msr_1", who: "patient", when: "now", action: "assessed",
                                                  by: "st_dana", at: Self.now, in: doc))
        flags = PatientFlagIndex.build(doc, now: Self.now.date, today: Self.today)
        #expect(flags["pat_ana"]?.safetyFollowUps == 0)
    }

    @Test func measuresAreDueAtAdmissionThenEveryThirtyDaysAfterTheLatest() throws {
        var patient = T.ana
        // Admitted 2026-11-02, nothing yet: due that day.
        #expect(MeasureSchedule.dueDate(for: patient, instrument: "phq9", everyDays: 30) == T.date("2026-11-02"))
        patient.measures = [
            Measure(id: "m1", instrument: "phq9", date: T.date("2026-11-05"), scores: Array(repeating: 0, count: 9)),
            Measure(id: "m2", instrument: "phq9", date: T.date("2026-11-03"), scores: Array(repeating: 0, count: 9)),
        ]
        // The latest, 2026-11-05, plus 30 days.
        #expect(MeasureSchedule.dueDate(for: patient, instrument: "phq9", everyDays: 30) == T.date("2026-12-05"))
        #expect(MeasureSchedule.dueDate(for: patient, instrument: "gad7", everyDays: 30) == T.date("2026-11-02"))
        #expect(MeasureSchedule.dueDate(for: patient, instrument: "phq9", everyDays: 14) == T.date("2026-11-19"))
    }

    @Test func aDueMeasureIsAWarningThatSaysDueThenOverdueAfterSevenDays() throws {
        var doc = T.document()
        // Ana has all three up to date on 2026-11-02; Min-jun none (admitted 2026-11-02 too).
        for (n, instrument) in Instrument.builtIns.enumerated() {
            try doc.apply(MeasureEdits.add("pat_ana", id: ItemID("m\(n)"), instrument: instrument, date: T.date("2026-11-02"),
                                           scores: Array(repeating: 0, count: instrument.items.count), by: "st_dana", at: Self.now, in: doc))
        }
        func dueAlerts(_ day: String) -> [Alert] {
            Alerts.compute(doc, schedule: ScheduleIndex(doc), now: Self.now.date, today: T.date(day)).filter { $0.kind == .measureDue }
        }
        // 2026-11-09 is 7 days after the due date: still "due".
        let week = dueAlerts("2026-11-09")
        #expect(week.count == 1 && week[0].patient == "pat_minjun" && week[0].severity == .warning)
        #expect(week[0].message == "measures due: PHQ-9 (since Mon 2026-11-02), GAD-7 (since Mon 2026-11-02), BAM (since Mon 2026-11-02)")
        // 2026-11-10 is 8 days: overdue, still a warning.
        let late = dueAlerts("2026-11-10")
        #expect(late.count == 1 && late[0].severity == .warning)
        #expect(late[0].message.hasPrefix("measures overdue: PHQ-9 (due Mon 2026-11-02)"))
        // Ana's are due again 30 days after 2026-11-02: 2026-12-02.
        #expect(dueAlerts("2026-12-01").allSatisfy { $0.patient != "pat_ana" })
        #expect(dueAlerts("2026-12-02").contains { $0.patient == "pat_ana" && $0.message.contains("PHQ-9 (today)") })
    }

    @Test func signingAndFollowingUpAreAuditedByIdsWithoutScoresOrText() throws {
        let before = T.document()
        var doc = before
        let add = try MeasureEdits.add("pat_ana", id: "msr_1", instrument: .phq9, date: Self.today, scores: [1, 1, 1, 1, 1, 1, 1, 1, 2],
                                       by: "st_dana", at: Self.now, in: doc)
        try doc.apply(add)
        let signed = AuditEvent.changes(by: add, from: before, to: doc)
        #expect(signed == [AuditEvent(AuditAction.measureSign, ["patient:pat_ana", "measure:msr_1"])])
        let afterSign = doc
        let follow = try MeasureEdits.recordFollowUp("pat_ana", measure: "msr_1", who: "Ana by phone", when: "now", action: "crisis line given",
                                                     by: "st_dana", at: Self.now, in: doc)
        try doc.apply(follow)
        let followed = AuditEvent.changes(by: follow, from: afterSign, to: doc)
        #expect(followed == [AuditEvent(AuditAction.measureFollowUp, ["patient:pat_ana", "measure:msr_1"])])
        #expect(!followed.flatMap(\.ids).joined().contains("phone"))
    }

    @Test func twoPeopleAddingMeasuresAtOnceKeepBoth() throws {
        let base = T.document()
        var mine = base, theirs = base
        try mine.apply(MeasureEdits.add("pat_ana", id: "msr_1-aaaa", instrument: .phq9, date: Self.today, scores: Array(repeating: 1, count: 9),
                                        by: "st_dana", at: Self.now, in: mine))
        try theirs.apply(MeasureEdits.add("pat_ana", id: "msr_1-bbbb", instrument: .gad7, date: Self.today, scores: Array(repeating: 2, count: 7),
                                          by: "st_dana", at: Self.now, in: theirs))
        let result = DocumentMerge.merge(base: base, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        let ids = Set(result.merged.patient("pat_ana")?.measures.map(\.id.rawValue) ?? [])
        #expect(ids == ["msr_1-aaaa", "msr_1-bbbb"])
    }

    @Test func aFollowUpOnOneSideAndAMeasureOnTheOtherMergeWithoutConflict() throws {
        var base = try docWithPHQ9(item9: 1)
        base.patients[0].measures[0].id = "msr_1"
        var mine = base, theirs = base
        try mine.apply(MeasureEdits.recordFollowUp("pat_ana", measure: "msr_1", who: "patient", when: "now", action: "assessed",
                                                   by: "st_dana", at: Self.now, in: mine))
        try theirs.apply(MeasureEdits.add("pat_ana", id: "msr_2-bbbb", instrument: .gad7, date: Self.today, scores: Array(repeating: 0, count: 7),
                                          by: "st_dana", at: Self.now, in: theirs))
        let result = DocumentMerge.merge(base: base, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        let measures = result.merged.patient("pat_ana")?.measures ?? []
        #expect(measures.count == 2 && measures.first { $0.id == "msr_1" }?.followUp != nil)
    }
}
