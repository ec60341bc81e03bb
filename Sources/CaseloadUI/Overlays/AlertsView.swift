import CaseloadCore
import Foundation

/// The alerts overlay (`!`): alerts grouped by kind, each wrapped to the width, Enter jumps to the patient or session.
public struct AlertsView: Equatable, Sendable {
    /// Index into `AppState.alerts` of the highlighted alert.
    public var selected = 0
    public init() {}
}

extension Alert.Kind {
    /// The group heading in the overlay.
    var heading: String {
        switch self {
        case .safetyFollowUp: "SAFETY: a safety item answered above zero, follow up today"
        case .hoursBehind: "Below the weekly hours"
        case .shortDays: "Short days (under 3 hours)"
        case .absencePolicy: "Unexcused absences over the policy"
        case .consecutiveAbsences: "Absences in a row"
        case .supervisedAbsence: "Probation / drug court: absence to report"
        case .unsignedNote: "Notes unsigned after 72 hours"
        case .coSignatureOverdue: "Notes waiting for co-signature"
        case .planReview: "Treatment plan review"
        case .measureDue: "Outcome measures due"
        case .consentExpiring: "Consents expiring or expired"
        case .noRecentAttendance: "No attended session in 14 days"
        case .evaluationReview: "Evaluation review"
        case .evaluationMissing: "No signed evaluation 7 days after admission"
        }
    }
}

/// One line of the overlay: a group heading, a blank between groups, or one line of an alert (its first, or a
/// continuation indented under its text).
struct AlertLine: Equatable {
    var text: String
    var isHeading = false
    /// Index into `AppState.alerts` of the alert this line belongs to; nil for headings and blanks.
    var alertIndex: Int?
    var critical = false
}

/// The overlay's lines for text `width` cells wide: a heading per kind, then its alerts, each wrapped onto as many
/// lines as it needs so no part of the message is cut.
func alertLines(_ alerts: [Alert], in document: CaseloadDocument, width: Int) -> [AlertLine] {
    var lines: [AlertLine] = []
    var lastKind: Alert.Kind?
    // "  • " before the first line; continuation lines start under the text.
    let indent = 4
    for (i, alert) in alerts.enumerated() {
        if alert.kind != lastKind {
            if lastKind != nil { lines.append(AlertLine(text: "")) }
            lines.append(AlertLine(text: alert.kind.heading, isHeading: true))
            lastKind = alert.kind
        }
        let who = alert.patient.flatMap { document.patient($0)?.displayName }
        let body = Array((who.map { "\($0): " } ?? "") + alert.message)
        let critical = alert.severity == .critical
        for (row, range) in TextArea.wrap(body, width: max(1, width - indent)).enumerated() {
            var text = String(body[range])
            while text.last?.isWhitespace == true { text.removeLast() }
            let lead = row > 0 ? String(repeating: " ", count: indent) : critical ? "  ‼ " : "  • "
            lines.append(AlertLine(text: lead + text, alertIndex: i, critical: critical))
        }
    }
    return lines
}

/// The overlay's frame and its lines for a terminal size: one place, so the keys page by what is drawn.
struct AlertsLayout {
    var frame: Rect
    var lines: [AlertLine]
    var rows: Int { max(0, frame.height - 2) }

    init(_ state: AppState, width: Int, height: Int) {
        let boxWidth = min(width - 2, 96)
        frame = Rect(x: (width - boxWidth) / 2, y: 1, width: boxWidth, height: height - 2)
        // One cell of margin on the left inside the border.
        lines = alertLines(state.alerts, in: state.document, width: frame.width - 3)
    }

    init(frame: Rect, lines: [AlertLine]) {
        self.frame = frame
        self.lines = lines
    }

    /// The lines of an alert, first to last (empty when there is no such alert).
    func span(of alert: Int) -> Range<Int> {
        guard let first = lines.firstIndex(where: { $0.alertIndex == alert }) else { return 0..<0 }
        let end = lines[first...].firstIndex { $0.alertIndex != alert } ?? lines.count
        return first..<end
    }

    /// The first line shown: the selected alert whole and near the middle; its first line at the top when it is
    /// taller than the view.
    func top(selected: Int) -> Int {
        let span = span(of: selected)
        guard rows > 0, lines.count > rows else { return 0 }
        if span.count >= rows { return span.lowerBound }
        return max(0, min(span.lowerBound - (rows - span.count) / 2, lines.count - rows))
    }

    /// The alert about `delta` lines away from `selected` (at least the next or previous one), for paging.
    func alert(from selected: Int, movingLines delta: Int, count: Int) -> Int {
        guard count > 0 else { return 0 }
        let target = span(of: selected).lowerBound + delta
        let firsts = (0..<count).map { span(of: $0).lowerBound }
        if delta > 0 {
            let reached = firsts.lastIndex { $0 <= target } ?? selected
            return min(count - 1, max(selected + 1, reached))
        }
        let reached = firsts.firstIndex { $0 >= target } ?? selected
        return max(0, min(selected - 1, reached))
    }
}

/// The overlay's keys (Keymaps.alerts); `r` is kept free for marking a supervised absence reported.
func handleAlertsKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var view = state.alertsView else { return [] }
    guard let action = Keymaps.alerts.action(for: key) else {
        state.message = StatusMessage("\(key) does nothing here; ? shows every key")
        return []
    }
    state.message = nil
    let count = state.alerts.count
    let layout = AlertsLayout(state, width: state.width, height: state.height)
    let page = max(1, layout.rows)
    switch action {
    case .moveDown: view.selected += 1
    case .moveUp: view.selected -= 1
    case .top: view.selected = 0
    case .bottom: view.selected = count - 1
    case .halfPageDown: view.selected = layout.alert(from: view.selected, movingLines: max(1, page / 2), count: count)
    case .halfPageUp: view.selected = layout.alert(from: view.selected, movingLines: -max(1, page / 2), count: count)
    case .pageDown: view.selected = layout.alert(from: view.selected, movingLines: page, count: count)
    case .pageUp: view.selected = layout.alert(from: view.selected, movingLines: -page, count: count)
    case .goToAlert:
        state.alertsView = nil
        guard state.alerts.indices.contains(view.selected) else { return [] }
        jump(&state, to: state.alerts[view.selected])
        return []
    case .markReported:
        state.alertsView = view
        askHowReported(&state, state.alerts[safe: view.selected])
        return []
    case .help:
        state.overlay = .help(scroll: 0)
    case .cancel:
        state.alertsView = nil
        return []
    default: break
    }
    view.selected = min(max(0, view.selected), max(0, count - 1))
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
    let layout = AlertsLayout(state, width: canvas.width, height: canvas.height)
    let rect = layout.frame
    guard rect.width > 10, rect.height > 3 else { return }
    canvas.fill(rect, role: .overlay)
    let count = state.alerts.count
    canvas.box(rect, title: "Alerts · \(count) · Enter goes there · Esc closes", role: .overlayBorder, titleRole: .overlayTitle)
    let inner = rect.inset(1)
    let lines = layout.lines
    guard !lines.isEmpty else {
        canvas.put("No alerts: everyone is on track.", x: inner.x + 1, y: inner.y, role: .overlay, maxWidth: inner.width - 1)
        return
    }
    let selected = layout.span(of: view.selected)
    let top = layout.top(selected: view.selected)
    for row in 0..<inner.height {
        let i = top + row
        guard i < lines.count else { break }
        let line = lines[i]
        let y = inner.y + row
        // Every line of the selected alert is highlighted, so a wrapped alert reads as one item.
        let isSelected = selected.contains(i)
        if isSelected { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
        let role: Role = isSelected ? .selection : line.isHeading ? .overlayTitle : line.critical ? .statusError : .overlay
        canvas.put(line.text, x: inner.x + 1, y: y, role: role, bold: line.isHeading, maxWidth: inner.width - 1)
    }
    // Which alert of how many, in the bottom border: there may be more above or below the view.
    let position = " alert \(min(view.selected, count - 1) + 1) of \(count) "
    canvas.put(position, x: max(rect.x + 1, rect.maxX - 1 - TextWidth.of(position)), y: rect.maxY - 1, role: .overlayTitle)
}

/// `r` on a supervised absence: asks how and to whom it was reported; the answer is kept in the record and the alert leaves.
/// A letter covering the day (made with `r` on the patient) does the same without asking.
private func askHowReported(_ state: inout AppState, _ alert: Alert?) {
    guard let alert, alert.kind == .supervisedAbsence, let patientID = alert.patient, let session = alert.session, let date = alert.date,
          let patient = state.document.patient(patientID) else {
        state.message = StatusMessage("r marks a probation or drug-court absence reported; choose one under \"\(Alert.Kind.supervisedAbsence.heading)\"")
        return
    }
    if let reason = state.readOnlyReason {
        state.message = StatusMessage("Read-only: \(reason)", isError: true)
        return
    }
    let officer = patient.legal?.officer ?? "the officer"
    // The prompt is one line wide: the title names who and which day, the question the officer.
    var prompt = TextPrompt("How was it reported to \(officer)?", title: "\(patient.displayName) · absence \(date.weekday.shortName) \(date.iso)")
    prompt.preview = "phoned, emailed, in person, and when (kept in the record)"
    openModal(&state, .prompt(prompt, .absenceReported(patientID, session, date)))
}

/// Keeps the report of a supervised absence (by hand, with its note) and brings the alerts up to date, so it leaves the list.
func answerAbsenceReported(_ state: inout AppState, _ prompt: TextPrompt, _ purpose: PromptPurpose, patient: PatientID, session: SessionID, date: LocalDate, note: String) -> [Effect] {
    var prompt = prompt
    let text = note.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.isEmpty else {
        prompt.error = "say how and to whom it was reported (it goes in the record)"
        state.modal = .prompt(prompt, purpose)
        return []
    }
    let change: DocumentEdit
    do {
        change = try PatientEdits.markAbsenceReported(patient, session: session, date: date, on: state.recordToday, by: state.signer?.id, note: text, in: state.document)
    } catch {
        prompt.error = "\(error)"
        state.modal = .prompt(prompt, purpose)
        return []
    }
    state.modal = nil
    let name = state.document.patient(patient)?.displayName ?? "the patient"
    let effects = edit(&state, change, label: "mark \(name)'s absence on \(date.iso) reported")
    guard effects.contains(.documentChanged) else { return effects }
    state.refreshAlertsIfStale()
    if var view = state.alertsView {
        view.selected = min(view.selected, max(0, state.alerts.count - 1))
        state.alertsView = view
    }
    state.message = StatusMessage("\(name): absence \(date.iso) marked reported (Record, Legal; u undoes)")
    return effects
}
