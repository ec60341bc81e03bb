import CaseloadCore
import Foundation

/// Draws the whole screen for a state. Pure: the same state and size give the same canvas.
public func render(_ state: AppState) -> Canvas {
    var canvas = Canvas(width: state.width, height: state.height)
    // First, at any size: the lock screen is drawn instead of everything else, so nothing of the chart shows through it.
    if let lock = state.lock {
        drawLockScreen(&canvas, state, lock)
        return canvas
    }
    let layout = Layout(width: state.width, height: state.height, focus: state.focus)
    guard layout.mode != .tooSmall else {
        drawTooSmall(&canvas)
        return canvas
    }
    drawTitleBar(&canvas, state, layout.titleBar)
    if let rect = layout.patients { drawPatients(&canvas, state, rect) }
    if let rect = layout.week { drawWeek(&canvas, state, rect) }
    if let rect = layout.session { drawSession(&canvas, state, rect) }
    drawHintBar(&canvas, state, layout.hintBar)
    if let record = state.record, let patient = state.document.patient(record.patient) {
        let title = record.reading.flatMap { id in patient.evaluations.first { $0.id == id } }.map { "Evaluation · \(patient.displayName) · \($0.date.iso)" }
        drawRecord(&canvas, rect: recordRect(state), title: title ?? "Record · \(patient.displayName) · \(patient.mrn)", lines: record.lines, scroll: record.scroll)
    }
    for frame in state.forms {
        let rect = formRect(state, frame)
        frame.form.draw(into: &canvas, rect: rect, today: state.today)
        if case .memberNote(let item, _) = frame.purpose, let box = referenceRect(state, below: rect) {
            drawGroupReference(&canvas, state.currentItem(item).session.groupNote, box)
        }
    }
    if let preview = state.reportPreview { drawReportPreview(&canvas, preview) }
    if let view = state.coSignQueue { drawCoSignQueue(&canvas, state, view) }
    if let view = state.noteView { drawRecord(&canvas, rect: recordRect(state), title: view.title, lines: view.lines, scroll: view.scroll) }
    if let view = state.alertsView { drawAlerts(&canvas, state, view) }
    if let view = state.conflictsView { drawConflicts(&canvas, state, view) }
    if let entry = state.measureEntry { drawMeasureEntry(&canvas, state, entry) }
    // Drawn in the reverse of the order keys go to (`handleKey`): what takes the keys is on top.
    if let modal = state.modal {
        let rect = modalRect(state, modal)
        switch modal {
        case .choice(let dialog, _): dialog.draw(into: &canvas, rect: rect)
        case .prompt(let prompt, _): prompt.draw(into: &canvas, rect: rect)
        case .picker(let picker, _): picker.draw(into: &canvas, rect: rect)
        }
    }
    switch state.overlay {
    case .help(let scroll)?: drawHelp(&canvas, scroll: scroll)
    case .confirm(let question, _)?: drawConfirm(&canvas, question)
    case nil: break
    }
    return canvas
}

private func drawTooSmall(_ canvas: inout Canvas) {
    let lines = ["Terminal too small", "enlarge to \(Layout.minWidth)×\(Layout.minHeight)", "(all panes: \(Layout.fullWidth)×\(Layout.fullHeight))"]
    let top = max(0, (canvas.height - lines.count) / 2)
    for (i, line) in lines.enumerated() {
        let x = max(0, (canvas.width - TextWidth.of(line)) / 2)
        canvas.put(line, x: x, y: top + i, role: .text)
    }
}

private let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/// "Nov 30 – Dec 6 2026".
func weekRangeText(_ start: LocalDate) -> String {
    let end = start.adding(days: 6)
    let left = "\(monthNames[start.month - 1]) \(start.day)" + (start.year != end.year ? " \(start.year)" : "")
    let right = (end.month == start.month ? "" : "\(monthNames[end.month - 1]) ") + "\(end.day) \(end.year)"
    return "\(left) – \(right)"
}

/// "saved 3 s ago", "saving…", "unsaved", "read-only", "save failed".
func saveText(_ status: SaveStatus, now: Date) -> (String, Role) {
    switch status {
    case .saved(let at):
        let seconds = max(0, Int(now.timeIntervalSince(at)))
        let ago = seconds < 60 ? "\(seconds) s" : seconds < 3600 ? "\(seconds / 60) min" : "\(seconds / 3600) h"
        return ("saved \(ago) ago", .statusOK)
    case .unsaved: return ("unsaved", .statusWarning)
    case .saving: return ("saving…", .statusWarning)
    case .readOnly: return ("read-only", .statusWarning)
    case .error(let reason): return ("save failed: \(reason)", .statusError)
    case .stopped: return ("autosave stopped", .statusError)
    case .offline: return ("offline — changes waiting", .statusError)
    }
}

private func drawTitleBar(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    canvas.fill(rect, role: .titleBar)
    let left = " Caseload · \(state.document.program.name)"
    let week = "Week \(state.weekStart.isoWeek.week) · \(weekRangeText(state.weekStart))"
    var (save, saveRole) = saveText(state.saveStatus, now: state.recordNow)
    if case .offline = state.saveStatus {
        let n = state.editsSinceSave
        save = "offline — \(n) change\(n == 1 ? "" : "s") waiting"
    }
    // The alert count sits beside the save state: both are what a user checks at a glance.
    let critical = state.alerts.contains { $0.severity == .critical }
    if !state.alerts.isEmpty {
        save = "⚠ \(state.alerts.count) · " + save
        if critical, saveRole == .statusOK { saveRole = .statusWarning }
    }
    let right = "\(state.fileName) · "
    // A fixed view clock (CASELOAD_NOW) is said beside the save state, never cut: a screen on a fake date must look it.
    let clock = state.clockFixedAt.map { ClockNotice.marker(fixedAt: $0, zone: state.zone) + " · " } ?? ""
    let clockWidth = TextWidth.of(clock)
    let badge = conflictsBadge(state), badgeWidth = TextWidth.of(badge)
    let saveWidth = badgeWidth + clockWidth + TextWidth.of(save) + 1
    var used = canvas.put(left, x: 0, y: rect.y, role: .titleBar, bold: true, maxWidth: max(0, rect.width - saveWidth - 1))
    let rightWidth = TextWidth.of(right) + saveWidth
    let saveX = rect.width - saveWidth
    // Who else has the document open sits just before the file name, in the room the program's name leaves; it is cut
    // first (names, then a count, then nothing), and the week (also in the Week pane's title) gives way to it.
    let presenceEdge = saveX - TextWidth.of(right) > used + 1 ? saveX - TextWidth.of(right) : saveX
    let presence = presenceTitleText(state.othersPresent, room: presenceEdge - used - 2)
    let presenceX = presenceEdge - TextWidth.of(presence ?? "")
    if let presence { canvas.put(presence, x: presenceX, y: rect.y, role: .titleBar) }
    let weekWidth = TextWidth.of(week)
    let centre = (rect.width - weekWidth) / 2
    if centre > used + 1 && centre + weekWidth + 2 <= (presence == nil ? rect.width - rightWidth : presenceX) {
        canvas.put(week, x: centre, y: rect.y, role: .titleBar)
        used = centre + weekWidth
    }
    // Unresolved merge conflicts (issue 18) first: this person's values wait in them until resolved.
    if !badge.isEmpty { canvas.put(badge, x: saveX, y: rect.y, role: .statusError, bold: true) }
    if !clock.isEmpty { canvas.put(clock, x: saveX + badgeWidth, y: rect.y, role: .statusWarning, bold: true) }
    canvas.put(save, x: saveX + badgeWidth + clockWidth, y: rect.y, role: saveRole, bold: true)
    let rightX = saveX - TextWidth.of(right)
    if rightX > used + 1 {
        canvas.put(right, x: rightX, y: rect.y, role: .titleBarDim)
    }
}

func paneBox(_ canvas: inout Canvas, _ state: AppState, _ pane: PaneID, _ rect: Rect, title: String) {
    let focused = state.focus == pane
    canvas.box(rect, title: title, role: focused ? .borderFocused : .border, titleRole: focused ? .paneTitleFocused : .paneTitle)
}
