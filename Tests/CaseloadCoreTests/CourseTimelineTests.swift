import CaseloadCore
import Foundation
import Testing

/// The course of treatment week by week (issue 19): attendance against the prorated requirement, screens, phase, scores.
@Suite struct CourseTimelineTests {
    let d = TestDocument.date

    func occurrence(_ date: String, _ marks: [(PatientID, AttendanceStatus)], status: SessionStatus? = nil, removed: [PatientID] = []) -> Session {
        var s = Session(id: SessionID("ses_\(date)"), occurrenceOf: TestDocument.iopA, on: d(date))
        for (p, m) in marks { s.mark(p, m) }
        if let status { s.status = status }
        s.removed = removed
        return s
    }

    func screen(_ id: String, _ date: String, _ results: [(String, ScreenOutcome)]) -> DrugScreen {
        DrugScreen(id: ItemID(id), date: d(date), panel: "12-panel urine cup", results: results.map { ScreenResult(substance: $0.0, result: $0.1) }, observed: true)
    }

    /// Ana: admitted Mon 2026-11-02 in Phase I (540 min a week), Phase II (360) from Thu 2026-11-19. IOP-A is Mon/Wed/Thu,
    /// 180 minutes. Today is Wed 2026-12-02, so the course is the five weeks from 11/02 to 11/30.
    static let today = TestDocument.date("2026-12-02")

    func document() -> CaseloadDocument {
        var doc = TestDocument.document()
        var ana = TestDocument.ana
        ana.careHistory.append(CareEntry(date: d("2026-11-19"), levelOfCare: .intensiveOutpatient, phase: "p2"))
        ana.drugScreens = [
            screen("scr_1", "2026-11-04", [("Cocaine", .negative), ("THC", .negative)]),
            screen("scr_2", "2026-11-10", [("Cocaine", .positive), ("THC", .negative)]),
            screen("scr_3", "2026-11-12", [("THC", .positive), ("Cocaine", .positive)]),
            screen("scr_4", "2026-11-20", [("Oxycodone", .prescribed), ("Cocaine", .negative)]),
            screen("scr_5", "2026-11-24", [("Cocaine", .inconclusive)]),
        ]
        doc.patients[0] = ana
        doc.sessions = [
            // Week of 11/02: all three attended, 540 of 540.
            occurrence("2026-11-02", [("pat_ana", .present)]),
            occurrence("2026-11-04", [("pat_ana", .present)]),
            occurrence("2026-11-05", [("pat_ana", .present)]),
            // Week of 11/09: missed (two absences, the Thursday unmarked); Min-jun's mark is not Ana's.
            occurrence("2026-11-09", [("pat_ana", .absent), ("pat_minjun", .present)]),
            occurrence("2026-11-11", [("pat_ana", .absent)]),
            // Week of 11/16: 540 against 540 × 3/7 + 360 × 4/7 = 437.14 → 437: met.
            occurrence("2026-11-16", [("pat_ana", .present)]),
            occurrence("2026-11-18", [("pat_ana", .present)]),
            occurrence("2026-11-19", [("pat_ana", .present)]),
            // Week of 11/23: 180 + 120 = 300 of 360: short. A cancelled session's mark and a removed member's mark count nothing.
            occurrence("2026-11-23", [("pat_ana", .present)]),
            occurrence("2026-11-25", [("pat_ana", .leftEarly(minutesAttended: 120))]),
            occurrence("2026-11-26", [("pat_ana", .present)], status: .cancelled(reason: "holiday")),
            // Week of 11/30 (this week): 180 so far of 360.
            occurrence("2026-11-30", [("pat_ana", .present)]),
            occurrence("2026-12-02", [("pat_ana", .present)], removed: ["pat_ana"]),
        ]
        return doc
    }

    let phq9 = ScoreSeries(name: "PHQ-9", maximum: 27, points: [
        (date: TestDocument.date("2026-11-02"), score: 18),
        (date: TestDocument.date("2026-11-18"), score: 9),   // later in its week than the next: it wins
        (date: TestDocument.date("2026-11-16"), score: 12),
        (date: TestDocument.date("2026-12-01"), score: 5),
    ])

    @Test func fiveWeeksFromAdmissionToTheCurrentWeekWithHandCountedFigures() throws {
        let doc = document()
        let course = CourseTimeline.course(for: doc.patients[0], in: doc, today: Self.today, scores: [phq9])
        #expect(course.weeks.map(\.days.first) == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"].map(d))
        #expect(course.weeks.map(\.days.last) == ["2026-11-08", "2026-11-15", "2026-11-22", "2026-11-29", "2026-12-06"].map(d))
        #expect(course.weeks.map(\.attendedMinutes) == [540, 0, 540, 300, 180])
        #expect(course.weeks.map(\.requiredMinutes) == [540, 540, 437, 360, 360])
        #expect(course.weeks.map(\.attendance) == [.met, .short, .met, .short, .inProgress])
        #expect(course.weeks.map(\.phase) == ["Phase I", "Phase I", "Phase II", "Phase II", "Phase II"])
        #expect(course.weeks.map(\.phaseChanged) == [true, false, true, false, false])
        #expect(course.weeks.map(\.screens) == [.negative, .positive(["Cocaine", "THC"]), .negative, .inconclusive, .none])
        #expect(course.weeks.map(\.screenCount) == [1, 2, 1, 1, 0])
        #expect(course.weeks.map(\.scores) == [[18], [nil], [9], [nil], [5]])
        #expect(course.series.map(\.name) == ["PHQ-9"] && course.series.map(\.maximum) == [27])
    }

    @Test func onlyTheWeekHoldingTodayIsMarkedCurrent() {
        let doc = document()
        let course = CourseTimeline.course(for: doc.patients[0], in: doc, today: Self.today)
        #expect(course.weeks.map(\.isCurrent) == [false, false, false, false, true])
        #expect(course.currentIndex == 4)
        // A week later the course has six weeks; the 11/30 one is over and short (180 of 360), the new one current.
        let later = CourseTimeline.course(for: doc.patients[0], in: doc, today: d("2026-12-09"))
        #expect(later.weeks.count == 6 && later.currentIndex == 5)
        #expect(later.weeks[4].attendance == .short)
    }

    @Test func aDischargedPatientsCourseEndsWithTheDischargeWeek() {
        var doc = document()
        doc.patients[0].status = .discharged(date: d("2026-11-18"), reason: .completed)
        let course = CourseTimeline.course(for: doc.patients[0], in: doc, today: Self.today)
        #expect(course.weeks.map(\.days.first) == ["2026-11-02", "2026-11-09", "2026-11-16"].map(d))
        // In care Mon and Tue only: 540 × 2/7 = 154.3 → 154.
        #expect(course.weeks[2].requiredMinutes == 154)
        #expect(course.currentIndex == nil)
    }

    @Test func aRecordWithoutAdmissionOrCareHasNoCourse() {
        var doc = document()
        doc.patients[0].admissionDate = nil
        doc.patients[0].careHistory = []
        doc.patients[0].drugScreens = []
        #expect(CourseTimeline.course(for: doc.patients[0], in: doc, today: Self.today).weeks.isEmpty)
    }

    @Test func aPeriodCutsItsEdgeWeeksAndNeverJudgesThem() {
        let doc = document()
        let course = CourseTimeline.build(for: doc.patients[0], in: doc, period: DateRange(d("2026-11-04"), d("2026-11-24")), today: Self.today)
        #expect(course.weeks.map(\.days) == [DateRange(d("2026-11-04"), d("2026-11-08")), DateRange(d("2026-11-09"), d("2026-11-15")),
                                             DateRange(d("2026-11-16"), d("2026-11-22")), DateRange(d("2026-11-23"), d("2026-11-24"))])
        // 540 × 5/7 = 385.7 → 386; 360 × 2/7 = 102.9 → 103, and its 180 attended are shown but not judged met.
        #expect(course.weeks.map(\.requiredMinutes) == [386, 540, 437, 103])
        #expect(course.weeks.map(\.attendedMinutes) == [360, 0, 540, 180])
        #expect(course.weeks.map(\.attendance) == [.partial, .short, .met, .partial])
        // Phase I was in force before the period: its first week is no change.
        #expect(course.weeks.map(\.phaseChanged) == [false, false, true, false])
    }

    @Test func withoutTodayNoWeekIsCurrentAndEveryWeekIsJudged() {
        let doc = document()
        let course = CourseTimeline.build(for: doc.patients[0], in: doc, period: DateRange(d("2026-11-23"), d("2026-12-06")), today: nil)
        #expect(course.currentIndex == nil)
        // 300 of 360, then 180 of 360: both short once no week is still under way.
        #expect(course.weeks.map(\.attendance) == [.short, .short])
    }

    @Test func theSparklineRunsFromTheLowestToTheHighestBar() {
        // round(score × 7 / maximum): 0 → 0, 5 → 1.3 → 1, 9 → 2.3 → 2, 18 → 4.67 → 5, 27 → 7; out of range is held.
        #expect([0, 5, 9, 18, 27, 40, -3].map { CourseTimeline.spark($0, maximum: 27) } == ["▁", "▂", "▃", "▆", "█", "█", "▁"])
        #expect(CourseTimeline.spark(3, maximum: 0) == "▁")
    }

    @Test func theReportHasTheCourseAsATableInMarkdownAndHTML() {
        var doc = document()
        doc.patients[0].drugScreens.append(screen("scr_6", "2026-11-17", [("Spice|K2 <b>", .positive)]))
        let report = AttendanceReport.build(for: doc.patients[0], from: d("2026-11-04"), to: d("2026-11-24"), doc: doc,
                                            schedule: ScheduleIndex(doc), today: Self.today, scores: [phq9])
        let md = report.rendered(as: .markdown)
        #expect(md.contains("## Course of treatment\n\n| Week | Attendance | Drug screens | Phase | PHQ-9 (of 27) |\n| --- | --- | --- | --- | --- |\n"))
        #expect(md.contains("| 2026-11-04 to 2026-11-08 | 6 h of 6 h 26 min: partial week, not judged | negative | Phase I | — |\n"))
        #expect(md.contains("| 2026-11-09 to 2026-11-15 | 0 min of 9 h: short | POSITIVE: Cocaine, THC (2 screens) | Phase I | — |\n"))
        #expect(md.contains("| 2026-11-16 to 2026-11-22 | 9 h of 7 h 17 min: met | POSITIVE: Spice\\|K2 \\<b\\> (2 screens) | Phase II (new) | 9 |\n"))
        #expect(md.contains("| 2026-11-23 to 2026-11-24 | 3 h of 1 h 43 min: partial week, not judged | inconclusive | Phase II | — |\n"))
        #expect(md.contains("Caseload does not record missed screens."))
        #expect(md.contains("Scores: the last score dated in the week"))
        let html = report.rendered(as: .html)
        #expect(html.contains("<h2>Course of treatment</h2>\n<table>\n<thead><tr><th>Week</th><th>Attendance</th><th>Drug screens</th><th>Phase</th><th>PHQ-9 (of 27)</th></tr></thead>"))
        #expect(html.contains("<tr><td>2026-11-16 to 2026-11-22</td><td>9 h of 7 h 17 min: met</td><td>POSITIVE: Spice|K2 &lt;b&gt; (2 screens)</td><td>Phase II (new)</td><td>9</td></tr>"))
        #expect(!html.contains("<b>"))
        // The current week is named when the period reaches it.
        let now = AttendanceReport.build(for: doc.patients[0], from: d("2026-11-30"), to: d("2026-12-06"), doc: doc,
                                         schedule: ScheduleIndex(doc), today: Self.today)
        #expect(now.rendered(as: .markdown).contains("| 2026-11-30 to 2026-12-06 (this week) | 3 h of 6 h: week not over | none | Phase II |\n"))
        #expect(!now.rendered(as: .markdown).contains("Scores:"), "no score column, no sentence about scores")
        // The text and CSV formats stay as they were.
        #expect(!report.rendered(as: .text).contains("Course of treatment"))
        #expect(!report.rendered(as: .csv).contains("Course of treatment"))
    }
}
