import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The alerts overlay: `!` opens it, grouped by kind; Enter goes to the patient or the session.
@Suite struct AlertsViewTests {
    @Test func bangOpensGroupedAlertsAndEnterJumps() throws {
        var state = UIFixtures.state()
        #expect(!state.alerts.isEmpty, "the demo has alerts")
        #expect(render(state).lines[0].contains("⚠ \(state.alerts.count)"))
        state.press(.char("!"))
        let text = render(state).text
        #expect(text.contains("Alerts · \(state.alerts.count)"))
        let headings = alertLines(state.alerts, in: state.document, width: 75).filter(\.isHeading).map(\.text)
        #expect(headings == Alert.Kind.allCases.filter { kind in state.alerts.contains { $0.kind == kind } }.map(\.heading), "one group per kind, in order")
        #expect(text.contains(headings[0]))

        // The first alert about a patient without a session opens their record.
        let target = try #require(state.alerts.firstIndex { $0.patient != nil && $0.session == nil })
        for _ in 0..<target { state.press(.char("j")) }
        state.press(.enter)
        #expect(state.alertsView == nil)
        #expect(state.record?.patient == state.alerts[target].patient)
        #expect(state.focus == .patients)
        state.press(.escape)

        // An alert about a session puts the Week and Session panes on it.
        if let sessionAlert = state.alerts.firstIndex(where: { $0.session != nil }),
           let id = state.alerts[sessionAlert].session, let session = state.schedule.stored(id) {
            state.press(.char("!"))
            for _ in 0..<sessionAlert { state.press(.char("j")) }
            state.press(.enter)
            #expect(state.focus == .session)
            #expect(state.selectedSession?.session.id == id)
            #expect(state.cursorDate == session.date)
        }
        state.press(.char("!"), .escape)
        #expect(state.alertsView == nil)
    }

    @Test func alertsFollowEdits() throws {
        var state = UIFixtures.state()
        let before = state.alerts.count
        // Discharging a patient removes their alerts about hours, attendance, plan and consents.
        let kinds: Set<Alert.Kind> = [.hoursBehind, .shortDays, .absencePolicy, .consecutiveAbsences, .noRecentAttendance, .planReview, .consentExpiring]
        let alerted = try #require(state.alerts.first { kinds.contains($0.kind) && $0.patient != nil }?.patient)
        state.focus = .patients
        showInList(&state, alerted)
        state.press(.char("D"), .ctrl("s"))
        #expect(state.alertsAreStale, "brought up to date on the next tick, not on every edit")
        _ = update(&state, .tick(UIFixtures.now))
        #expect(!state.alertsAreStale)
        #expect(state.document.patient(alerted).map { if case .discharged = $0.status { true } else { false } } == true)
        #expect(!state.alerts.contains { $0.patient == alerted && kinds.contains($0.kind) })
        #expect(state.alerts.count < before)
        state.press(.char("u"), .char("!"))
        #expect(state.alerts.count == before, "opening the alerts brings them up to date")
    }

    @Test func aLongAlertWrapsUnderItsTextInsteadOfBeingCut() {
        let alert = Alert(kind: .supervisedAbsence, message: "Absent Mon 23 Nov and Wed 25 Nov without notice; report to the officer within 24 hours", severity: .critical)
        let short = Alert(kind: .supervisedAbsence, message: "Absent Fri 27 Nov", severity: .warning)
        // 40 cells: 4 for "  ‼ " or the indent, 36 for the text, broken between words.
        let lines = alertLines([alert, short], in: UIFixtures.demo, width: 40)
        #expect(lines.map(\.text) == [
            "Probation / drug court: absence to report",
            "  ‼ Absent Mon 23 Nov and Wed 25 Nov",
            "    without notice; report to the",
            "    officer within 24 hours",
            "  • Absent Fri 27 Nov",
        ])
        #expect(lines.map(\.alertIndex) == [nil, 0, 0, 0, 1])
        let layout = AlertsLayout(frame: Rect(x: 0, y: 0, width: 43, height: 12), lines: lines)
        #expect(layout.span(of: 0) == 1..<4)
        #expect(layout.span(of: 1) == 4..<5)
    }

    @Test func everyDemoAlertIsShownWholeAt80Columns() {
        let state = UIFixtures.state(width: 80, height: 24)
        let layout = AlertsLayout(state, width: 80, height: 24)
        for (i, alert) in state.alerts.enumerated() {
            let shown = layout.lines[layout.span(of: i)].map { $0.text.dropFirst(4) }.joined(separator: " ")
            let who = alert.patient.flatMap { state.document.patient($0)?.displayName }.map { "\($0): " } ?? ""
            #expect(shown == who + alert.message)
            for line in layout.lines[layout.span(of: i)] { #expect(TextWidth.of(line.text) <= 80 - 2 - 3) }
        }
    }

    /// 13 lines: heading, a0, a1 (2 lines), a2, blank, heading, a3, a4 (3 lines), a5, a6; 6 rows, so half a page is 3 lines.
    static let pagedLayout: AlertsLayout = {
        func alert(_ i: Int, _ n: Int) -> [AlertLine] { (0..<n).map { AlertLine(text: "a\(i).\($0)", alertIndex: i) } }
        let lines = [AlertLine(text: "H1", isHeading: true)] + alert(0, 1) + alert(1, 2) + alert(2, 1) + [AlertLine(text: "")]
            + [AlertLine(text: "H2", isHeading: true)] + alert(3, 1) + alert(4, 3) + alert(5, 1) + alert(6, 1)
        return AlertsLayout(frame: Rect(x: 0, y: 0, width: 40, height: 8), lines: lines)
    }()

    @Test func pagingMovesByLinesNotAlerts() {
        let layout = Self.pagedLayout
        // First lines: a0 1, a1 2, a2 4, a3 7, a4 8, a5 11, a6 12.
        #expect(layout.alert(from: 0, movingLines: 3, count: 7) == 2, "line 1 + 3 = 4 is where a2 starts")
        #expect(layout.alert(from: 2, movingLines: 3, count: 7) == 3, "from line 4 to 7: a3")
        #expect(layout.alert(from: 3, movingLines: 3, count: 7) == 4, "line 10 is inside a4, the last alert starting by then")
        #expect(layout.alert(from: 6, movingLines: 3, count: 7) == 6, "at the end it stays")
        #expect(layout.alert(from: 4, movingLines: 1, count: 7) == 5, "a page shorter than an alert still moves one")
        #expect(layout.alert(from: 6, movingLines: -3, count: 7) == 5, "line 9 is inside a4, which starts 4 lines up: a5, the first starting at 9 or after")
        #expect(layout.alert(from: 0, movingLines: -3, count: 7) == 0)
    }

    @Test func theViewKeepsTheWholeSelectedAlertInSight() {
        let layout = Self.pagedLayout
        // 13 lines in 6 rows; a4 is lines 8–10: centred, the 3 free rows split 1 above, 2 below → top 7.
        #expect(layout.top(selected: 4) == 7)
        #expect(layout.top(selected: 0) == 0)
        #expect(layout.top(selected: 6) == 13 - 6, "the last page")
    }

    @Test func ctrlDAndCtrlUPageByHalfTheVisibleHeight() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.press(.char("!"))
        let layout = AlertsLayout(state, width: 80, height: 24)
        #expect(layout.rows == 20)
        state.press(.ctrl("d"))
        let after = try #require(state.alertsView?.selected)
        let first = layout.span(of: 0).lowerBound
        // As far as possible without going past 10 lines down, and at least one alert.
        #expect(after >= 1)
        #expect(layout.span(of: after).lowerBound <= first + 10 || after == 1)
        if after + 1 < state.alerts.count { #expect(layout.span(of: after + 1).lowerBound > first + 10) }
        state.press(.ctrl("u"))
        #expect(state.alertsView?.selected == 0)
        state.press(.pageDown)
        #expect(try #require(state.alertsView?.selected) > after)
        state.press(.char("G"), .pageDown)
        #expect(state.alertsView?.selected == state.alerts.count - 1)
    }

    @Test func theWheelMovesTheSelection() {
        var state = UIFixtures.state(width: 80, height: 24)
        state.press(.char("!"))
        _ = update(&state, .mouse(MouseEvent(kind: .wheelDown, x: 10, y: 10)))
        #expect(state.alertsView?.selected == 1)
        _ = update(&state, .mouse(MouseEvent(kind: .press, x: 10, y: 10)))
        #expect(state.alertsView?.selected == 1)
    }

    @Test func theHintBarAndHelpShowTheOverlaysOwnKeys() {
        var state = UIFixtures.state(width: 80, height: 24)
        state.focus = .week
        #expect(render(state).lines[23].contains("day"), "the Week's keys before")
        state.press(.char("!"))
        let bar = render(state).lines[23]
        #expect(bar.contains("j choose"))
        #expect(bar.contains("Ctrl-D half page"))
        #expect(bar.contains("Enter go there"))
        #expect(bar.contains("Esc close"))
        #expect(!bar.contains("day"))
        #expect(helpLines().contains { $0.isHeading && $0.text == "Alerts (!)" })
        #expect(helpLines().contains { $0.text.contains("Ctrl-U") && $0.text.contains("half a page up") })
        // `r` marks a supervised absence reported.
        #expect(Keymaps.alerts.action(for: .char("r")) == .markReported)
        // ? opens help over the alerts; closing it comes back to them.
        state.press(.char("?"))
        #expect(state.overlay == .help(scroll: 0))
        state.press(.escape)
        #expect(state.alertsView != nil)
    }
}
