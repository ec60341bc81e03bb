import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The record's "Course of treatment" section (issue 19): the weeks that fit, ending at the current week, `[` and `]`.
@Suite struct CourseTimelineUITests {
    static func d(_ text: String) -> LocalDate {
        guard let date = LocalDate(iso: text) else { preconditionFailure("bad test date \(text)") }
        return date
    }
    static func t(_ text: String) -> LocalTime {
        guard let time = LocalTime(text: text) else { preconditionFailure("bad test time \(text)") }
        return time
    }

    /// Eighteen weeks of one patient, 2026-08-03 (week 0) to the current week of 2026-11-30 (week 17; the screens' clock is
    /// Mon 2026-11-30 18:05). Phase I (9 h a week) until 09/13, Phase II (6 h) from 09/14 (week 6). IOP-A is Mon/Wed/Thu
    /// 18:00, 3 h. Week 3 missed (all absent); Phase II weeks attend Mon and Wed (6 h), weeks 12 and 15 Mon only (3 h:
    /// short); week 17 Mon so far. Screens on the Wednesday of even weeks, negative; week 13's Cocaine positive; week 16
    /// Methamphetamine and THC positive (on a Tuesday).
    static func document() -> CaseloadDocument {
        let program = Program(
            name: "Course IOP", timeZone: "America/Chicago", firstWeekday: .mon, dayStart: t("08:00"), dayEnd: t("21:30"),
            phases: [
                Phase(id: "p1", name: "Phase I", levelOfCare: .intensiveOutpatient, requiredSessionsPerWeek: 3, requiredMinutesPerWeek: 540),
                Phase(id: "p2", name: "Phase II", levelOfCare: .intensiveOutpatient, requiredSessionsPerWeek: 2, requiredMinutesPerWeek: 360),
            ],
            rooms: [Room(id: "r1", name: "Room 1")])
        let start = d("2026-08-03")
        var patient = Patient(id: "pat_robin", mrn: "C-001", legalName: "Robin Okafor", admissionDate: start,
                              careHistory: [CareEntry(date: start, levelOfCare: .intensiveOutpatient, phase: "p1"),
                                            CareEntry(date: d("2026-09-14"), levelOfCare: .intensiveOutpatient, phase: "p2")])
        let series = Series(id: "ser_a", title: "IOP-A", kind: .group, room: "r1", weekdays: [.mon, .wed, .thu], start: t("18:00"),
                            durationMinutes: 180, startDate: start, roster: [RosterEntry(patient: "pat_robin", joined: start)])
        var sessions: [Session] = []
        for week in 0...17 {
            let monday = start.adding(days: 7 * week)
            let attended: [Int]
            switch week {
            case 3: attended = []
            case 0..<6: attended = [0, 2, 3]
            case 12, 15, 17: attended = [0]
            default: attended = [0, 2]
            }
            for offset in week == 17 ? [0] : [0, 2, 3] {
                var session = Session(id: SessionID("ses_\(week)_\(offset)"), occurrenceOf: series, on: monday.adding(days: offset))
                session.mark("pat_robin", attended.contains(offset) ? .present : .absent)
                sessions.append(session)
            }
            if week % 2 == 0 && week != 16 {
                patient.drugScreens.append(DrugScreen(id: ItemID("scr_\(week)"), date: monday.adding(days: 2), panel: "12-panel urine cup",
                                                      results: [ScreenResult(substance: "Cocaine", result: .negative),
                                                                ScreenResult(substance: "THC", result: .negative)], observed: true))
            }
        }
        patient.drugScreens.append(DrugScreen(id: "scr_13", date: d("2026-11-04"), panel: "12-panel urine cup",
                                              results: [ScreenResult(substance: "Cocaine", result: .positive)], observed: true))
        patient.drugScreens.append(DrugScreen(id: "scr_16", date: d("2026-11-24"), panel: "12-panel urine cup",
                                              results: [ScreenResult(substance: "Methamphetamine", result: .positive),
                                                        ScreenResult(substance: "THC", result: .positive)], observed: true))
        return CaseloadDocument(program: program, patients: [patient], series: [series], sessions: sessions)
    }

    static func opened(width: Int, height: Int) -> AppState {
        var state = UIFixtures.state(width: width, height: height, document: document())
        state.focus = .patients
        state.press(.enter, .char("G"))
        return state
    }

    /// The record line that starts with `label` in the course's grid.
    static func row(_ state: AppState, _ label: String) -> String {
        let lines = state.record?.lines ?? []
        guard let heading = lines.firstIndex(where: { $0.section == RecordSection.course }) else { return "" }
        return lines[heading...].first { $0.text.hasPrefix("  " + label) }?.text ?? ""
    }

    @Test func at80ColumnsEightWeeksEndAtTheCurrentWeek() throws {
        let state = Self.opened(width: 80, height: 24)
        #expect(state.record != nil)
        // Record text 76 cells: a 12-cell label column, then (76 − 12) / 8 = 8 weeks, 10/12 to 11/30.
        #expect(Self.row(state, "Week of") == "  Week of   10/12   10/19   10/26   11/02   11/09   11/16   11/23   ▸11/30")
        #expect(Self.row(state, "Attended") == "  Attended  6/6✓    6/6✓    3/6▲    6/6✓    6/6✓    3/6▲    6/6✓    3/6…")
        #expect(Self.row(state, "Screens") == "  Screens   ✓       –       ✓       ✗COC    ✓       –       ✗MET+   –")
        // The window's first week names the phase in force; no change after it.
        #expect(Self.row(state, "Phase") == "  Phase     II")
        try SnapshotTests().check(state, "course-80x24")
    }

    @Test func at120ColumnsTenWeeks() throws {
        let state = Self.opened(width: 120, height: 40)
        // The record is at most 100 wide, its text 96: (96 − 12) / 8 = 10 weeks, 09/28 to 11/30.
        #expect(Self.row(state, "Week of").hasPrefix("  Week of   09/28   10/05   10/12"))
        #expect(Self.row(state, "Week of").hasSuffix("▸11/30"))
        try SnapshotTests().check(state, "course-120x40")
    }

    @Test func bracketsScrollToOlderAndNewerWeeksAndStopAtEitherEnd() throws {
        var state = Self.opened(width: 80, height: 24)
        state.press(.char("["), .char("["), .char("["), .char("["))
        #expect(state.record?.courseOffset == 4)
        // Weeks 6 to 13: Phase II begins in the window's first week, so it is written (bold) there.
        #expect(Self.row(state, "Week of") == "  Week of   09/14   09/21   09/28   10/05   10/12   10/19   10/26   11/02")
        #expect(Self.row(state, "Phase") == "  Phase     II")
        // Eighteen weeks, eight shown: ten back at most, however often [ is pressed.
        for _ in 0..<12 { state.press(.char("[")) }
        #expect(state.record?.courseOffset == 10)
        #expect(Self.row(state, "Week of") == "  Week of   08/03   08/10   08/17   08/24   08/31   09/07   09/14   09/21")
        #expect(Self.row(state, "Attended") == "  Attended  9/9✓    9/9✓    9/9✓    0/9▲    9/9✓    9/9✓    6/6✓    6/6✓")
        #expect(Self.row(state, "Phase") == "  Phase     I" + String(repeating: " ", count: 47) + "II")
        try SnapshotTests().check(state, "course-80x24-oldest")
        #expect(state.message?.text == "The course of treatment already shows its first week")
        for _ in 0..<20 { state.press(.char("]")) }
        #expect(state.record?.courseOffset == 0)
        #expect(Self.row(state, "Week of").hasSuffix("▸11/30"))
        #expect(state.message?.text == "The course of treatment already shows its newest week")
    }

    @Test func aBracketBringsTheCourseIntoViewFromTheTopOfTheRecord() throws {
        var state = UIFixtures.state(width: 80, height: 24, document: Self.document())
        state.focus = .patients
        state.press(.enter)
        #expect(state.record?.scroll == 0)
        state.press(.char("["))
        let record = try #require(state.record)
        let heading = try #require(record.lines.firstIndex { $0.section == RecordSection.course })
        // 22 rows of record at 80×24: the heading and its grid are on the screen.
        #expect(record.scroll <= heading && heading + 6 <= record.scroll + 22)
        #expect(record.courseOffset == 1)
        #expect(render(state).text.contains("Week of   10/05"))
    }

    @Test func theKeysAreInTheRecordsHelp() {
        let help = Keymaps.record.bindings.map(\.help).joined(separator: "\n")
        #expect(help.contains("course of treatment: older weeks"))
        #expect(help.contains("course of treatment: newer weeks"))
    }

    @Test func scoreSeriesAreARowOfNumbersAndBars() {
        let doc = Self.document()
        let phq = ScoreSeries(name: "PHQ-9", maximum: 27, points: [
            (date: Self.d("2026-10-14"), score: 21), (date: Self.d("2026-11-11"), score: 14), (date: Self.d("2026-11-30"), score: 0),
        ])
        let course = CourseTimeline.course(for: doc.patients[0], in: doc, today: Self.d("2026-11-30"), scores: [phq])
        let lines = recordCourseLines(course, today: Self.d("2026-11-30"), width: 76, offset: 0).map(\.text)
        // round(21 × 7 / 27) = 5 → ▆; round(14 × 7 / 27) = 3.6 → 4 → ▅; 0 → ▁.
        #expect(lines.contains("  PHQ-9     21▆" + String(repeating: " ", count: 29) + "14▅" + String(repeating: " ", count: 21) + "0▁"))
    }
}
