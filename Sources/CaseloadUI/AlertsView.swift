import CaseloadCore
import Foundation

/// The alerts overlay (`!`): alerts grouped by kind, one line each, Enter jumps to the patient or session.
public struct AlertsView: Equatable, Sendable {
    /// Index into `AppState.alerts` of the highlighted alert.
    public var selected = 0
    public init() {}
}

extension Alert.Kind {
    /// The group heading in the overlay.
    var heading: String {
        switch self {
        case .hoursBehind: "Below the weekly hours"
        case .shortDays: "Short days (under 3 hours)"
        case .absencePolicy: "Unexcused absences over the policy"
        case .consecutiveAbsences: "Absences in a row"
        case .supervisedAbsence: "Probation / drug court: absence to report"
        case .unsignedNote: "Notes unsigned after 72 hours"
        case .planReview: "Treatment plan review"
        case .consentExpiring: "Consents expiring or expired"
        case .noRecentAttendance: "No attended session in 14 days"
        }
    }
}

/// The overlay's lines: a heading per kind, then its alerts; `alertIndex` maps a line back to its alert.
func alertLines(_ state: AppState) -> [(text: String, isHeading: Bool, alertIndex: Int?, critical: Bool)] {
    var lines: [(String, Bool, Int?, Bool)] = []
    var lastKind: Alert.Kind?
    for (i, alert) in state.alerts.enumerated() {
        if alert.kind != lastKind {
            if lastKind != nil { lines.append(("", false, nil, false)) }
            lines.append((alert.kind.heading, true, nil, false))
            lastKind = alert.kind
        }
        let who = alert.patient.flatMap { state.document.patient($0)?.displayName }
        let text = (alert.severity == .critical ? "‼ " : "• ") + (who.map { "\($0): " } ?? "") + alert.message
        lines.append((text, false, i, alert.severity == .critical))
    }
    return lines
}

func handleAlertsKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var view = state.alertsView else { return [] }
    let count = state.alerts.count
    switch key {
    case .char("j"), .down: view.selected = min(max(0, count - 1), view.selected + 1)
    case .char("k"), .up: view.selected = max(0, view.selected - 1)
    case .char("g"), .home: view.selected = 0
    case .char("G"), .end: view.selected = max(0, count - 1)
    case .pageDown: view.selected = min(max(0, count - 1), view.selected + 10)
    case .pageUp: view.selected = max(0, view.selected - 10)
    case .enter:
        state.alertsView = nil
        guard state.alerts.indices.contains(view.selected) else { return [] }
        jump(&state, to: state.alerts[view.selected])
        return []
    case .escape, .char("q"), .char("!"):
        state.alertsView = nil
        return []
    default:
        state.message = StatusMessage("j/k choose · Enter goes to the patient or session · Esc closes")
    }
    state.alertsView = view
    return []
}

/// Goes to what an alert is about: its session in the Week and Session panes, else its patient's record.
private func jump(_ state: inout AppState, to alert: Alert) {
    if let id = alert.session, let session = state.schedule.stored(id) {
        goTo(&state, session.date)
        state.cursorMinutes = session.start.minutes / 30 * 30
        clampCursorToGrid(&state)
        if let lane = state.sessionsAtCursor.firstIndex(where: { $0.session.id == id }) { state.weekLane = lane }
        state.focus = .session
        state.memberIndex = 1
        if let patient = alert.patient, let row = state.selectedMembers.firstIndex(where: { $0.id == patient }) { state.memberIndex = row + 1 }
        state.message = StatusMessage(alert.message)
        return
    }
    if let patient = alert.patient {
        state.focus = .patients
        showInList(&state, patient)
        state.record = RecordState(patient: patient)
        state.refreshRecord()
        state.message = StatusMessage(alert.message)
        return
    }
    if let date = alert.date {
        goTo(&state, date)
        state.focus = .week
    }
}

func drawAlerts(_ canvas: inout Canvas, _ state: AppState, _ view: AlertsView) {
    let width = min(canvas.width - 2, 96), height = canvas.height - 2
    guard width > 10, height > 3 else { return }
    let rect = Rect(x: (canvas.width - width) / 2, y: 1, width: width, height: height)
    canvas.fill(rect, role: .overlay)
    let count = state.alerts.count
    canvas.box(rect, title: "Alerts · \(count) · Enter goes there · Esc closes", role: .overlayBorder, titleRole: .overlayTitle)
    let inner = rect.inset(1)
    let lines = alertLines(state)
    guard !lines.isEmpty else {
        canvas.put("No alerts: everyone is on track.", x: inner.x + 1, y: inner.y, role: .overlay, maxWidth: inner.width - 1)
        return
    }
    let selectedLine = lines.firstIndex { $0.alertIndex == view.selected } ?? 0
    let top = listTop(index: selectedLine, count: lines.count, rows: inner.height)
    for row in 0..<inner.height {
        let i = top + row
        guard i < lines.count else { break }
        let line = lines[i]
        let y = inner.y + row
        let isSelected = i == selectedLine && line.alertIndex != nil
        if isSelected { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
        let role: Role = isSelected ? .selection : line.isHeading ? .overlayTitle : line.critical ? .statusError : .overlay
        canvas.put(line.isHeading ? line.text : "  " + line.text, x: inner.x + 1, y: y, role: role, bold: line.isHeading, maxWidth: inner.width - 1)
    }
}
