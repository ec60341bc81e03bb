import CaseloadCore
import Foundation
import Testing
@testable import CaseloadUI

/// Issue 15, "a week you can read at 80×24": lanes only where sessions overlap, block text that wraps and never hides
/// under a marker, labels repeated when a block is scrolled, overflow shown, a line for the selected block, day headers
/// in one form, and the room given to the pane that has the keyboard.
@Suite struct WeekReadingTests {
    static let tue = LocalDate(iso: "2026-12-01") ?? LocalDate(dayNumber: 0)

    static func item(_ id: String, _ start: Int, _ minutes: Int, _ title: String = "Session") -> ScheduledSession {
        ScheduledSession(session: Session(id: SessionID(id), date: tue, start: LocalTime(clamping: start), durationMinutes: minutes,
                                          title: title, kind: .individual), isStored: true)
    }

    /// Texts of the screen's rows.
    static func rows(_ state: AppState) -> [String] { render(state).text.components(separatedBy: "\n") }

    // MARK: Placement

    @Test func aSessionThatOverlapsNothingHasTheWholeColumnOnADayWithOverlapsElsewhere() {
        let alone = Self.item("ses_alone", 13 * 60, 60)
        let group = Self.item("ses_group", 18 * 60, 180)
        let family = Self.item("ses_family", 18 * 60 + 30, 90)
        let placements = dayPlacements([group, family, alone], columnWidth: 20)
        let byID = Dictionary(uniqueKeysWithValues: placements.map { ($0.item.session.id.rawValue, $0) })
        #expect(byID["ses_alone"]?.offset == 0)
        #expect(byID["ses_alone"]?.width == 20)
        // The two evening sessions share the column: side by side, not overlapping, inside it.
        let a = byID["ses_group"], b = byID["ses_family"]
        #expect(a?.offset == 0 && b?.offset == 10)
        #expect((a?.width ?? 99) <= 9 && (b?.width ?? 0) == 10)
    }

    @Test func lanesThatDoNotFitAreCountedInAPlusNKeptClearOfTheOthers() {
        // Five sessions at once in 11 cells: two lanes of at least 4 cells, and "+3" in cells of its own.
        let items = (0..<5).map { Self.item("ses_\($0)", 13 * 60 + $0 * 5, 50) }
        let placements = dayPlacements(items, columnWidth: 11)
        let shown = placements.filter { $0.offset != nil }
        #expect(shown.count == 2)
        #expect(placements.filter { $0.offset == nil }.count == 3)
        #expect(placements.allSatisfy { $0.hiddenInCluster == 3 })
        let rightmost = shown.map { ($0.offset ?? 0) + $0.width }.max() ?? 99
        #expect(rightmost <= 11 - "+3".count, "a lane runs into the +N's cells (ends at \(rightmost))")
    }

    // MARK: A block's text

    @Test func aBlocksTextWrapsOverItsRowsAndShortBlocksKeepTitleAndTimes() {
        let start = LocalTime(clamping: 18 * 60)
        #expect(blockLines(title: "IOP-A Evening", room: "Room 1", start: start, durationMinutes: 180, width: 9, rows: 6)
                == ["IOP-A", "Evening", "Room 1", "18–21"])
        #expect(blockLines(title: "IOP-A Evening", room: "Room 1", start: start, durationMinutes: 180, width: 12, rows: 6)
                == ["IOP-A", "Evening", "Room 1", "18:00–21:00"])
        #expect(blockLines(title: "IOP-A Evening", room: "Room 1", start: start, durationMinutes: 180, width: 9, rows: 2)
                == ["IOP-A Ev…", "18–21"])
        #expect(blockLines(title: "IOP-A Evening", room: "Room 1", start: start, durationMinutes: 180, width: 9, rows: 1)
                == ["IOP-A Ev…"])
        // Too narrow for "18:30–20" on a line: the start and the end on lines of their own, words not split.
        #expect(blockLines(title: "Relapse prevention", room: nil, start: LocalTime(clamping: 18 * 60 + 30), durationMinutes: 90, width: 5, rows: 4)
                == ["Rela…", "prev…", "18:30", "20:00"])
    }

    @Test func dayHeadersTakeOneFormForTheWholeWeek() {
        let dates = (0..<7).map { LocalDate(iso: "2026-11-30")?.adding(days: $0) ?? Self.tue }
        #expect(dayHeaders(dates, width: 9) == ["Mon 30", "Tue 1", "Wed 2", "Thu 3", "Fri 4", "Sat 5", "Sun 6"])
        #expect(dayHeaders(dates, width: 5) == ["Mo 30", "Tu 1", "We 2", "Th 3", "Fr 4", "Sa 5", "Su 6"])
        #expect(dayHeaders(dates, width: 4) == ["Mo30", "Tu1", "We2", "Th3", "Fr4", "Sa5", "Su6"])
        #expect(dayHeaders(dates, width: 2) == ["30", "1", "2", "3", "4", "5", "6"])
    }

    // MARK: On the screen

    @Test func aBlockScrolledPartlyOutOfViewRepeatsItsLabelAndOverflowIsCounted() throws {
        var state = UIFixtures.state(width: 120, height: 40, document: SnapshotTests.busyWeek())
        state.focus = .week
        state.cursorDay = 1
        state.cursorMinutes = 19 * 60
        let rows = Self.rows(state)
        let layout = Layout(width: 120, height: 40, focus: .week)
        let grid = WeekGrid(state: state, rect: try #require(layout.week))
        #expect(grid.topSlot > 0, "the test needs the day scrolled")
        // The Saturday workshop (09:00–16:00) starts above the first visible row, whose Saturday cells name it.
        let firstRow = rows[grid.y(ofSlot: grid.topSlot)]
        #expect(firstRow.contains("Saturday"), "first visible row: \(firstRow)")
        // The 07:00 check-in is above the visible hours: counted on the border and marked beside the first time label.
        let border = rows[grid.inner.y + grid.inner.height]
        #expect(border.contains("▲ 1 earlier"), "border: \(border)")
        #expect(firstRow.contains("▲"))
    }

    @Test func theSelectedBlockIsDescribedInFullOnTheWeeksLastLine() throws {
        var state = UIFixtures.state(width: 120, height: 40, document: SnapshotTests.busyWeek())
        state.focus = .week
        state.cursorDay = 1
        state.cursorMinutes = 18 * 60
        let item = try #require(state.selectedSession)
        #expect(item.session.title == "IOP-A Evening")
        let room = try #require(item.session.room.flatMap { state.document.program.room($0)?.name })
        let layout = Layout(width: 120, height: 40, focus: .week)
        let grid = WeekGrid(state: state, rect: try #require(layout.week))
        let line = Self.rows(state)[grid.inner.y + grid.inner.height - 1]
        #expect(line.contains("IOP-A Evening · Tue Dec 1 18:00–21:00 · \(room)"), "detail line: \(line)")
        #expect(line.contains("roll not taken") || !line.contains("roll"), "detail line: \(line)")
    }

    @Test func aMarkerTakesItsOwnCellAndTheTitleGivesWay() {
        let start = 18 * 60
        var doc = SnapshotTests.busyWeek()
        var held = Session(id: SessionID("ses_held"), date: Self.tue.adding(days: 1), start: LocalTime(clamping: start), durationMinutes: 30,
                           title: "Held one-to-one", kind: .individual)
        held.status = .held
        held.mark(doc.patients[0].id, .present)
        doc.sessions.append(held)
        var state = UIFixtures.state(width: 80, height: 24, document: doc)
        state.focus = .week
        state.cursorDay = 2
        state.cursorMinutes = start
        let layout = Layout(width: 80, height: 24, focus: .week)
        guard let rect = layout.week else { Issue.record("no week"); return }
        let grid = WeekGrid(state: state, rect: rect)
        let row = Self.rows(state)[grid.y(ofSlot: start / 30 - grid.firstSlot)]
        let cells = Array(row)
        let x = grid.x(ofDay: 2), width = grid.dayWidth - 1
        let block = String(cells[x..<(x + width)])
        #expect(block.hasPrefix("Held"), "block: \(block)")
        #expect(block.hasSuffix("✓"), "block: \(block)")
        #expect(block.contains("…"), "the title is cut with an ellipsis, not overwritten: \(block)")
    }

    // MARK: Room for the pane with the keyboard

    @Test func theWeekTakesThePatientsWidthWhileItHasTheKeyboard() throws {
        #expect(Layout(width: 80, height: 24, focus: .patients).patients?.width == 30)
        #expect(Layout(width: 80, height: 24, focus: .week).patients == nil)
        #expect(Layout(width: 80, height: 24, focus: .week).week?.width == 80)
        #expect(Layout(width: 120, height: 40, focus: .week).patients?.width == 28)
        #expect(Layout(width: 160, height: 48, focus: .week).patients?.width == 48)
        let sessionFocused = try #require(Layout(width: 80, height: 24, focus: .session).session)
        let weekFocused = try #require(Layout(width: 80, height: 24, focus: .week).session)
        #expect(sessionFocused.height > weekFocused.height)
        // Day columns while the Week has the keyboard: wide enough for "18:00–" at 80 and a whole "18:00–21:00" at 120.
        let state = UIFixtures.state(width: 80, height: 24)
        #expect(WeekGrid(state: state, rect: try #require(Layout(width: 80, height: 24, focus: .week).week)).dayWidth >= 10)
        #expect(WeekGrid(state: state, rect: try #require(Layout(width: 120, height: 40, focus: .week).week)).dayWidth >= 12)
    }

    // MARK: Snapshots at four sizes

    /// A week dense with overlapping individual sessions every afternoon, and the evening groups.
    static func denseWeek() -> CaseloadDocument {
        var doc = SnapshotTests.busyWeek()
        let monday = LocalDate(iso: "2026-11-30") ?? Self.tue
        let names = ["Ana", "Dima", "Jess", "Mai", "Pepe"]
        var sessions: [Session] = []
        for day in 0..<5 {
            for hour in 13..<17 {
                for k in 0..<(2 + (day + hour) % 3) {
                    sessions.append(Session(id: SessionID("ses_d\(day)h\(hour)k\(k)"), date: monday.adding(days: day),
                                            start: LocalTime(clamping: hour * 60 + k * 10), durationMinutes: 50,
                                            title: "Individual · \(names[(day + hour + k) % names.count])", kind: .individual,
                                            room: doc.program.rooms[k % doc.program.rooms.count].id))
                }
            }
            sessions.append(Session(id: SessionID("ses_eve\(day)"), date: monday.adding(days: day), start: LocalTime(clamping: 18 * 60),
                                    durationMinutes: 180, title: day % 2 == 0 ? "IOP-A Evening" : "IOP-B Evening", kind: .group,
                                    room: doc.program.rooms[day % 2].id))
        }
        doc.sessions = sessions
        return doc
    }

    @Test(arguments: [(80, 24), (100, 30), (120, 40), (160, 48)])
    func weekAtEverySize(size: (Int, Int)) throws {
        for (name, document) in [("demo", UIFixtures.demo), ("dense", Self.denseWeek())] {
            var state = UIFixtures.state(width: size.0, height: size.1, document: document)
            state.focus = .week
            state.cursorDay = 2
            state.cursorMinutes = 18 * 60 + 30
            try SnapshotTests().check(state, "week-\(name)-\(size.0)x\(size.1)")
            state.cursorMinutes = 14 * 60
            try SnapshotTests().check(state, "week-\(name)-\(size.0)x\(size.1)-afternoon")
        }
    }
}

/// Issue 15, "a compact day or agenda view … a key switches week / day / agenda".
@Suite struct WeekViewsTests {
    static func state(width: Int = 80, height: Int = 24) -> AppState {
        var state = UIFixtures.state(width: width, height: height)
        state.focus = .week
        state.cursorDay = 2
        state.cursorMinutes = 18 * 60 + 30
        return state
    }

    @Test func vCyclesWeekDayAndAgendaAndSaysWhatEachDoes() {
        var state = Self.state()
        #expect(state.weekView == .week)
        state.press(.char("v"))
        #expect(state.weekView == .day)
        #expect(state.message?.text.contains("Day view") == true)
        #expect(render(state).text.contains("Day · Wed Dec 2 2026"))
        state.press(.char("v"))
        #expect(state.weekView == .agenda)
        #expect(render(state).text.contains("Agenda · week 49"))
        state.press(.char("v"))
        #expect(state.weekView == .week)
    }

    @Test func inTheAgendaJAndKGoFromSessionToSessionAcrossDays() throws {
        var state = Self.state()
        state.weekView = .agenda
        let items = agendaItems(state)
        let selected = try #require(state.selectedSession)
        let index = try #require(items.firstIndex { $0.item.session.id == selected.session.id })
        try #require(index + 1 < items.count && index > 0, "the test needs sessions on both sides")
        state.press(.char("j"))
        #expect(state.selectedSession?.session.id == items[index + 1].item.session.id)
        state.press(.char("k"), .char("k"))
        #expect(state.selectedSession?.session.id == items[index - 1].item.session.id)
        // From the last session, j stays there.
        for _ in 0..<items.count { state.press(.char("j")) }
        #expect(state.selectedSession?.session.id == items.last?.item.session.id)
    }

    @Test func aTerminalTooNarrowForSevenColumnsShowsTheCursorsDay() {
        let state = Self.state(width: 40, height: 20)
        let screen = render(state).text
        #expect(screen.contains("Day · Wed Dec 2 · week too narrow"), "\(screen)")
        #expect(screen.contains("IOP"), "the evening group's title is readable:\n\(screen)")
    }

    @Test func dayAndAgendaAt80x24() throws {
        var state = Self.state()
        state.weekView = .day
        try SnapshotTests().check(state, "week-day-view-80x24")
        state.weekView = .agenda
        try SnapshotTests().check(state, "week-agenda-80x24")
        var narrow = Self.state(width: 40, height: 20)
        narrow.weekView = .week
        try SnapshotTests().check(narrow, "week-narrow-40x20")
    }
}
