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
        let headings = alertLines(state).filter(\.isHeading).map(\.text)
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
}
