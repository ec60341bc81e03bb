import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Scheduling in the Week pane, driven by keys through `update`: new groups, conflicts, cancelling, editing, moving, going to a date.
@Suite struct WeekSchedulingTests {
    /// The demo's program, staff and patients with an empty calendar, so the sessions are only those the test makes.
    static func emptyCalendar() -> CaseloadDocument {
        var doc = UIFixtures.demo
        doc.series = []
        doc.sessions = []
        return doc
    }

    static func state(_ doc: CaseloadDocument = emptyCalendar(), width: Int = 120, height: Int = 40) -> AppState {
        var state = UIFixtures.state(width: width, height: height, document: doc)
        state.focus = .week
        return state
    }

    static func date(_ text: String) -> LocalDate { LocalDate(iso: text) ?? LocalDate(dayNumber: 0) }

    /// Tabs to a field of the top form.
    static func focus(_ state: inout AppState, _ id: String) {
        for _ in 0..<40 where state.forms.last?.form.focusedField?.id != id { state.press(.tab) }
    }

    /// Schedules "IOP-C Evening": Mon/Wed/Thu 18:00–21:00 for 6 weeks from the cursor's Monday, with three patients, led by
    /// the `facilitator`th staff member (a session needs someone to lead it).
    static func scheduleGroup(_ state: inout AppState, title: String = "IOP-C Evening", patients: Int = 3, facilitator: Int = 1) -> [PatientID] {
        state.press(.char("n"))
        state.type(title)
        focus(&state, "facilitator")
        for _ in 0..<facilitator { state.press(.right) }
        focus(&state, "room")
        state.press(.right)                      // the first room
        focus(&state, "days")
        state.press(.ctrl("u"))
        state.type("mon wed thu")
        focus(&state, "weeks")
        state.type("6")
        focus(&state, "roster")
        state.press(.char("a"))                  // the patient picker
        var chosen: [PatientID] = []
        if case .picker(let picker, _)? = state.modal {
            for item in picker.filtered.prefix(patients) { chosen.append(PatientID(item.id)) }
        }
        for _ in 0..<patients { state.press(.char(" "), .down) }
        state.press(.enter)
        state.press(.ctrl("s"))
        return chosen
    }

    @Test func aWeeklyGroupForSixWeeksWithThreePatients() throws {
        var state = Self.state()
        #expect(state.cursorDate == Self.date("2026-11-30"))
        #expect(state.cursorMinutes == 18 * 60)
        let chosen = Self.scheduleGroup(&state)
        #expect(state.forms.isEmpty, "saved: \(state.message?.text ?? "")")
        let series = try #require(state.document.series.first { $0.title == "IOP-C Evening" })
        #expect(series.weekdays == [.mon, .wed, .thu])
        #expect(series.start == LocalTime(hour: 18, minute: 0))
        #expect(series.durationMinutes == 180)
        #expect(series.startDate == Self.date("2026-11-30"))
        #expect(series.endDate == Self.date("2027-01-10"))
        #expect(Set(series.roster.map(\.patient)) == Set(chosen))
        #expect(chosen.count == 3)
        // On the three days, this week and the next.
        #expect(state.week.sessions.filter { $0.session.title == "IOP-C Evening" }.map(\.session.date.weekday) == [.mon, .wed, .thu])
        state.press(.char("]"))
        #expect(state.week.sessions.filter { $0.session.title == "IOP-C Evening" }.count == 3)
        // Six weeks: 18 occurrences, none after the end date.
        let all = state.schedule.sessions(in: DateRange(Self.date("2026-11-30"), Self.date("2027-03-01"))).filter { $0.session.series == series.id }
        #expect(all.count == 18)
        // One undo removes it.
        state.press(.char("u"))
        #expect(state.document.series.isEmpty)
    }

    @Test func conflictsAreListedAndCanBeKeptOrTakenBack() throws {
        var state = Self.state()
        _ = Self.scheduleGroup(&state)
        // A second group in the same room at the same time.
        _ = Self.scheduleGroup(&state, title: "IOP-D Evening", patients: 1, facilitator: 2)
        guard case .choice(let dialog, .conflicts)? = state.modal else {
            Issue.record("no conflict dialog: \(state.message?.text ?? "")")
            return
        }
        let room = state.document.program.rooms[0].name
        #expect(dialog.lines.contains { $0.contains("\(room) is used by IOP-C Evening 18:00–21:00") }, "\(dialog.lines)")
        #expect(dialog.lines.contains { $0.contains("is in IOP-C Evening") }, "a rostered patient is busy: \(dialog.lines)")
        state.press(.char("b"))
        #expect(state.modal == nil)
        #expect(state.forms.count == 1, "back in the form")
        #expect(state.document.series.count == 1)
        state.press(.ctrl("s"))
        state.press(.char("k"))
        #expect(state.forms.isEmpty)
        #expect(state.document.series.count == 2)
    }

    @Test func cancellingAnOccurrenceKeepsItVisibleAndUndoes() throws {
        var state = Self.state()
        _ = Self.scheduleGroup(&state)
        let before = state.document
        state.press(.char("l"), .char("l"))   // Wednesday 18:00
        #expect(state.selectedSession?.session.title == "IOP-C Evening")
        state.press(.char("x"))
        state.press(.char("o"))
        guard case .prompt? = state.modal else { Issue.record("no reason prompt"); return }
        state.press(.enter)
        if case .prompt(let prompt, _)? = state.modal { #expect(prompt.error != nil, "a reason is required") }
        state.type("Thanksgiving week: facility closed")
        state.press(.enter)
        let cancelled = try #require(state.document.sessions.first)
        #expect(cancelled.status == .cancelled(reason: "Thanksgiving week: facility closed"))
        #expect(cancelled.occurrenceDate == Self.date("2026-12-02"))
        #expect(state.week.sessions.filter { $0.session.title == "IOP-C Evening" }.count == 3, "still visible")
        #expect(render(state).text.contains("✕ IOP-C"))
        state.press(.char("u"))
        #expect(state.document == before)
    }

    @Test func editingThisAndFollowingSplitsTheSeries() throws {
        var state = Self.state()
        _ = Self.scheduleGroup(&state)
        let original = try #require(state.document.series.first)
        state.press(.char("]"))               // Monday 7 December
        state.press(.char("e"))
        guard case .choice(_, .editScope)? = state.modal else { Issue.record("no scope question"); return }
        state.press(.char("f"))
        #expect(state.forms.last?.form.title.hasPrefix("Edit this and following") == true)
        Self.focus(&state, "start")
        state.press(.ctrl("u"))
        state.type("17:30")
        state.press(.ctrl("s"))
        #expect(state.forms.isEmpty, "\(state.message?.text ?? "")")
        #expect(state.document.series.count == 2)
        let old = try #require(state.document.series.first { $0.id == original.id })
        #expect(old.endDate == Self.date("2026-12-06"))
        let new = try #require(state.document.series.first { $0.id != original.id })
        #expect(new.startDate == Self.date("2026-12-07"))
        #expect(new.start == LocalTime(hour: 17, minute: 30))
        #expect(new.endDate == original.endDate)
        #expect(Set(new.roster.map(\.patient)) == Set(original.roster.map(\.patient)))
        state.press(.char("u"))
        #expect(state.document.series == [original])
    }

    @Test func editingTheWholeSeriesRosterKeepsThePast() throws {
        var state = Self.state()
        state.press(.char("["))               // a series that began last week
        _ = Self.scheduleGroup(&state)
        let series = try #require(state.document.series.first)
        state.press(.char("]"))
        state.press(.char("e"), .char("a"))
        Self.focus(&state, "roster")
        state.press(.char("x"))               // the first member leaves
        state.press(.ctrl("s"))
        let updated = try #require(state.document.series.first)
        let leaver = series.roster[0].patient
        #expect(updated.members(on: Self.date("2026-11-23")).contains(leaver), "still a member in the past")
        #expect(!updated.members(on: Self.date("2026-12-07")).contains(leaver))
        #expect(updated.roster.count == series.roster.count)
    }

    @Test func movingABlockWithTheKeys() throws {
        var state = Self.state()
        _ = Self.scheduleGroup(&state)
        state.press(.char("m"))
        #expect(state.moving != nil)
        state.press(.char("l"), .char("k"))   // Tuesday 17:30
        #expect(render(state).text.contains("→ IOP-C"))
        state.press(.escape)
        #expect(state.moving == nil)
        #expect(state.document.sessions.isEmpty, "Esc puts it back")
        #expect(state.selectedSession?.session.title == "IOP-C Evening", "and the cursor with it")
        state.press(.char("m"), .char("l"), .char("k"), .enter)
        let moved = try #require(state.document.sessions.first)
        #expect(moved.date == Self.date("2026-12-01"))
        #expect(moved.start == LocalTime(hour: 17, minute: 30))
        #expect(moved.occurrenceDate == Self.date("2026-11-30"))
        #expect(state.week.sessions.filter { $0.session.title == "IOP-C Evening" }.map(\.session.date.weekday) == [.tue, .wed, .thu])
        state.press(.char("u"))
        #expect(state.document.sessions.isEmpty)
    }

    @Test func goToADateTypedAsInForms() {
        var state = Self.state()
        state.press(.char("g"))
        state.type("+2w")
        if case .prompt(let prompt, _)? = state.modal { #expect(prompt.preview?.contains("Mon 14 Dec 2026") == true) }
        state.press(.enter)
        #expect(state.weekStart == Self.date("2026-12-14"))
        state.press(.char("g"))
        state.type("not a date")
        state.press(.enter)
        if case .prompt(let prompt, _)? = state.modal { #expect(prompt.error != nil) } else { Issue.record("the prompt stays open") }
        state.press(.escape)
        #expect(state.modal == nil)
        #expect(state.weekStart == Self.date("2026-12-14"))
    }

    @Test func aOneOffSessionDoesNotAskForAScope() throws {
        var state = Self.state()
        state.press(.char("n"))
        state.type("Intake · new referral")
        Self.focus(&state, "facilitator")
        state.press(.right)
        Self.focus(&state, "duration")
        state.press(.ctrl("u"))
        state.type("90m")
        Self.focus(&state, "repeat")
        state.press(.left)                    // does not repeat
        state.press(.ctrl("s"))
        let session = try #require(state.document.sessions.first)
        #expect(session.series == nil)
        #expect(session.durationMinutes == 90)
        state.press(.char("e"))
        #expect(state.modal == nil)
        #expect(state.forms.last?.form.title.hasPrefix("Edit session") == true)
    }

    @Test func endingASeriesFromADateAndRestoringACancelledOccurrence() throws {
        var state = Self.state()
        _ = Self.scheduleGroup(&state)
        let before = state.document
        state.press(.char("]"))               // Monday 7 December
        state.press(.char("x"), .char("e"))
        guard case .choice(_, .endSeries)? = state.modal else { Issue.record("no confirmation"); return }
        state.press(.char("y"))
        #expect(state.document.series.first?.endDate == Self.date("2026-12-06"))
        #expect(state.week.sessions.isEmpty, "nothing from the end date on")
        state.press(.char("u"))
        #expect(state.document == before)

        // Cancel Wednesday, then x on it offers to restore it.
        state.press(.char("["), .char("l"), .char("l"), .char("x"), .char("o"))
        state.type("Snow day")
        state.press(.enter)
        #expect(state.selectedSession?.session.status == .cancelled(reason: "Snow day"))
        state.press(.char("x"))
        guard case .choice(_, .restore)? = state.modal else { Issue.record("no restore question"); return }
        state.press(.char("y"))
        #expect(state.selectedSession?.session.status == .scheduled)
    }

    @Test func spaceAndClicksChooseAmongOverlappingSessions() throws {
        var state = Self.state(SnapshotTests.busyWeek())
        state.cursorDay = 1                   // Tuesday, 19:00: three sessions at once
        state.cursorMinutes = 19 * 60
        let here = state.sessionsAtCursor.map(\.session.title)
        #expect(here.count == 3)
        #expect(state.selectedSession?.session.title == here[0])
        state.press(.char(" "))
        #expect(state.selectedSession?.session.title == here[1])
        state.press(.char(" "), .char(" "))
        #expect(state.selectedSession?.session.title == here[0])
        // A click on the second lane of that column selects the session drawn there.
        let layout = Layout(width: state.width, height: state.height, focus: state.focus)
        let grid = WeekGrid(state: state, rect: try #require(layout.week))
        let y = grid.y(ofSlot: 19 * 60 / 30 - grid.firstSlot)
        let placements = dayPlacements(state.week.sessions(on: state.cursorDate), columnWidth: grid.dayWidth - 1)
        let atCursor = placements.filter { p in p.offset != nil && state.sessionsAtCursor.contains(p.item) }.sorted { ($0.offset ?? 0) < ($1.offset ?? 0) }
        #expect(atCursor.count >= 2)
        let second = try #require(atCursor.dropFirst().first)
        _ = update(&state, .mouse(MouseEvent(kind: .press, x: grid.x(ofDay: 1) + (second.offset ?? 0), y: y)))
        #expect(state.selectedSession == second.item)
    }

    // MARK: Screens

    /// The conflict question and move mode at 80×24, as snapshots.
    @Test func conflictQuestionAndMoveModeAt80x24() throws {
        var state = Self.state(width: 80, height: 24)
        _ = Self.scheduleGroup(&state)
        _ = Self.scheduleGroup(&state, title: "IOP-D Evening", patients: 1, facilitator: 2)
        guard case .choice(_, .conflicts)? = state.modal else { Issue.record("no conflict dialog"); return }
        try SnapshotTests().check(state, "conflicts-80x24")
        state.press(.char("b"), .escape)
        if state.overlay != nil { state.press(.char("y")) }
        state.press(.char("m"), .char("l"), .char("k"))
        #expect(state.moving != nil)
        try SnapshotTests().check(state, "move-80x24")
    }
}
