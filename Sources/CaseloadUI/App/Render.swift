import CaseloadCore
import Foundation

/// Draws the whole screen for a state. Pure: the same state and size give the same canvas.
public func render(_ state: AppState) -> Canvas {
    var canvas = Canvas(width: state.width, height: state.height)
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
        drawRecord(&canvas, rect: recordRect(state), title: "Record · \(patient.displayName) · \(patient.mrn)", lines: record.lines, scroll: record.scroll)
    }
    for frame in state.forms {
        let rect = formRect(state, frame)
        frame.form.draw(into: &canvas, rect: rect, today: state.today)
        if case .memberNote(let item, _) = frame.purpose, let box = referenceRect(state, below: rect) {
            drawGroupReference(&canvas, state.currentItem(item).session.groupNote, box)
        }
    }
    if let preview = state.reportPreview { drawReportPreview(&canvas, preview) }
    if let view = state.alertsView { drawAlerts(&canvas, state, view) }
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
    }
}

private func drawTitleBar(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    canvas.fill(rect, role: .titleBar)
    let left = " Caseload · \(state.document.program.name)"
    let week = "Week \(state.weekStart.isoWeek.week) · \(weekRangeText(state.weekStart))"
    var (save, saveRole) = saveText(state.saveStatus, now: state.recordNow)
    // The alert count sits beside the save state: both are what a user checks at a glance.
    let critical = state.alerts.filter { $0.severity == .critical }.count
    if !state.alerts.isEmpty {
        save = "⚠ \(state.alerts.count) · " + save
        if critical > 0, saveRole == .statusOK { saveRole = .statusWarning }
    }
    let right = "\(state.fileName) · "
    // A fixed view clock (CASELOAD_NOW) is said beside the save state, never cut: a screen on a fake date must look it.
    let clock = state.clockFixedAt.map { ClockNotice.marker(fixedAt: $0, zone: state.zone) + " · " } ?? ""
    let clockWidth = TextWidth.of(clock)
    let saveWidth = clockWidth + TextWidth.of(save) + 1
    var used = canvas.put(left, x: 0, y: rect.y, role: .titleBar, bold: true, maxWidth: max(0, rect.width - saveWidth - 1))
    let rightWidth = TextWidth.of(right) + saveWidth
    let weekWidth = TextWidth.of(week)
    let centre = (rect.width - weekWidth) / 2
    if centre > used + 1 && centre + weekWidth + 2 <= rect.width - rightWidth {
        canvas.put(week, x: centre, y: rect.y, role: .titleBar)
        used = centre + weekWidth
    }
    let saveX = rect.width - saveWidth
    if !clock.isEmpty { canvas.put(clock, x: saveX, y: rect.y, role: .statusWarning, bold: true) }
    canvas.put(save, x: saveX + clockWidth, y: rect.y, role: saveRole, bold: true)
    let rightX = saveX - TextWidth.of(right)
    if rightX > used + 1 {
        canvas.put(right, x: rightX, y: rect.y, role: .titleBarDim)
    }
}

private func paneBox(_ canvas: inout Canvas, _ state: AppState, _ pane: PaneID, _ rect: Rect, title: String) {
    let focused = state.focus == pane
    canvas.box(rect, title: title, role: focused ? .borderFocused : .border, titleRole: focused ? .paneTitleFocused : .paneTitle)
}

/// "4.5" for 270 minutes.
func hoursText(_ minutes: Int) -> String {
    minutes % 60 == 0 ? "\(minutes / 60)" : String(format: "%.1f", Double(minutes) / 60)
}

/// Where the Patients list's rows go inside the pane (under the header, above the filter line when it shows).
func patientRowsArea(_ state: AppState, _ rect: Rect) -> Rect {
    let inner = rect.inset(1)
    let filterLine = state.isTypingPatientQuery || !state.patientQuery.isEmpty ? 1 : 0
    return Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: max(0, inner.height - 1 - filterLine))
}

/// Column widths of the Patients list for an inner width: the name keeps at least 8 cells; the others drop, least useful first.
struct PatientColumns {
    var name = 0, phase = 0, hours = 0, meter = 0, next = 0, flags = 0
    init(width: Int) {
        var rest = width - 1
        func take(_ n: Int, keeping: Int = 8) -> Int {
            guard rest - n >= keeping else { return 0 }
            rest -= n
            return n
        }
        hours = take(8)
        flags = take(4)
        phase = take(5, keeping: 12)
        next = take(11, keeping: 14)
        meter = take(5, keeping: 16)
        name = max(1, rest)
    }
}

/// "Mon 18:00", or "today 18:00".
func nextSessionText(_ session: Session, today: LocalDate) -> String {
    let day = session.date == today ? "today" : session.date == today.adding(days: 1) ? "tmrw" : session.date.weekday.shortName
    return "\(day) \(session.start)"
}

private func drawPatients(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    let list = state.patientList
    let inFilter = state.document.patients.reduce(0) { $0 + (state.statusFilter.matches($1.status) ? 1 : 0) }
    var title = "Patients \(inFilter) \(state.statusFilter.label)"
    if !state.patientQuery.isEmpty { title += " · \(list.count) shown" }
    if state.patientSort != .name { title += " · by \(state.patientSort.shortLabel)" }
    paneBox(&canvas, state, .patients, rect, title: title)
    let inner = rect.inset(1)
    guard inner.width > 0, inner.height > 0 else { return }
    let cols = PatientColumns(width: inner.width)
    let right = inner.maxX
    let hoursX = right - cols.flags - cols.hours - cols.meter
    let nextX = hoursX - cols.next
    let phaseX = inner.x + 1 + cols.name
    canvas.put(TextWidth.pad("name", width: cols.name), x: inner.x + 1, y: inner.y, role: .header)
    if cols.phase > 0 { canvas.put("ph", x: phaseX, y: inner.y, role: .header) }
    if cols.next > 0 { canvas.put("next", x: nextX, y: inner.y, role: .header) }
    if cols.hours > 0 { canvas.put(TextWidth.pad("hrs/wk", width: cols.hours - 1, alignRight: true), x: hoursX, y: inner.y, role: .header) }
    if cols.flags > 0 { canvas.put("⚑", x: right - cols.flags + 1, y: inner.y, role: .header) }

    // The filter line, at the bottom.
    if state.isTypingPatientQuery || !state.patientQuery.isEmpty {
        let text = "/" + state.patientQuery + (state.isTypingPatientQuery ? "▏" : "")
        let hint = state.isTypingPatientQuery ? "  Enter open · Tab keep · Esc clear" : "  Esc clears"
        let used = canvas.put(text, x: inner.x + 1, y: inner.maxY - 1, role: state.isTypingPatientQuery ? .commandLine : .dim, maxWidth: inner.width - 1)
        canvas.put(hint, x: inner.x + 1 + used, y: inner.maxY - 1, role: .dim, maxWidth: max(0, inner.width - 1 - used))
    }
    let area = patientRowsArea(state, rect)
    if list.isEmpty {
        let text = state.patientQuery.isEmpty ? "No \(state.statusFilter.label) patients. f shows others, n admits." : "No match for “\(state.patientQuery)”."
        canvas.put(text, x: inner.x + 1, y: area.y, role: .dim, maxWidth: inner.width - 1)
        return
    }
    let data = state.caseload
    let program = state.document.program
    let alerted = Set(state.alerts.filter { $0.severity == .critical }.compactMap(\.patient))
    drawListRows(&canvas, items: list, selected: state.patientIndex, focused: state.focus == .patients, area: area) { canvas, patient, y, role, selected in
        canvas.put(patient.displayName, x: inner.x + 1, y: y, role: role, maxWidth: cols.name - 1)
        let progress = data.progress[patient.id]
        if cols.phase > 0, let phase = patient.care(on: data.today).flatMap({ program.phase($0.phase) }) {
            canvas.put(shortPhase(phase.name), x: phaseX, y: y, role: role, maxWidth: cols.phase - 1)
        }
        if cols.next > 0, let next = data.nextSession[patient.id] {
            canvas.put(nextSessionText(next, today: data.today), x: nextX, y: y, role: selected ? role : .dim, maxWidth: cols.next - 1)
        }
        if cols.hours > 0, let progress {
            let meterRole: Role
            switch progress.state {
            case .noRequirement: meterRole = .dim
            case .met, .onTrack: meterRole = .meterOK
            case .behind: meterRole = .meterBehind
            case .cannotMeet: meterRole = .meterMissed
            }
            let required = progress.requirement.minutes
            let text = required > 0 ? "\(hoursText(progress.attendedMinutes))/\(hoursText(required))" : hoursText(progress.attendedMinutes)
            canvas.put(TextWidth.pad(text, width: cols.hours - 1, alignRight: true), x: hoursX, y: y, role: selected ? role : meterRole)
            if cols.meter > 0, required > 0 {
                let filled = min(4, progress.attendedMinutes * 4 / required)
                let bar = String(repeating: "▰", count: filled) + String(repeating: "▱", count: 4 - filled)
                canvas.put(bar, x: hoursX + cols.hours, y: y, role: selected ? role : meterRole)
            }
        }
        if cols.flags > 0, let flags = data.flags[patient.id] {
            var marks = ""
            if alerted.contains(patient.id) { marks += "!" }
            if flags.supervision != nil { marks += "§" }
            if flags.unsignedNotes > 0 { marks += "✎" }
            if flags.consentsExpiring + flags.consentsExpired > 0 { marks += "✉" }
            canvas.put(marks, x: right - cols.flags + 1, y: y, role: selected ? role : .flag, bold: true, maxWidth: cols.flags - 1)
        }
    }
}

/// The first visible row of a list of `count` rows shown `rows` at a time, keeping `index` near the middle.
func listTop(index: Int, count: Int, rows: Int) -> Int {
    max(0, min(min(index, count - 1) - rows / 2, count - rows))
}

/// Draws the visible rows of a list, keeping the selected one in view and highlighted; `drawRow` draws one item at its row.
func drawListRows<Item>(_ canvas: inout Canvas, items: [Item], selected: Int, focused: Bool, area: Rect,
                        drawRow: (inout Canvas, Item, Int, Role, Bool) -> Void) {
    guard !items.isEmpty, area.height > 0 else { return }
    let index = min(max(0, selected), items.count - 1)
    let top = listTop(index: index, count: items.count, rows: area.height)
    for row in 0..<area.height {
        let i = top + row
        guard i < items.count else { break }
        let y = area.y + row
        let isSelected = i == index
        let role: Role = isSelected ? (focused ? .selection : .selectionUnfocused) : .text
        if isSelected { canvas.fill(Rect(x: area.x, y: y, width: area.width, height: 1), role: role) }
        drawRow(&canvas, items[i], y, role, isSelected)
    }
}

/// "Phase II" → "II", "Aftercare" → "Aft".
func shortPhase(_ name: String) -> String {
    let parts = name.split(separator: " ")
    if parts.count > 1, let last = parts.last, last.count <= 4 { return String(last) }
    return String(name.prefix(3))
}

private func drawWeek(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    paneBox(&canvas, state, .week, rect, title: "Week \(state.weekStart.isoWeek.week) · \(weekRangeText(state.weekStart))")
    let grid = WeekGrid(state: state, rect: rect)
    guard grid.inner.width > WeekGrid.labelWidth, grid.inner.height > 1 else { return }
    let today = state.today
    // Day headers.
    for day in 0..<7 {
        let date = state.weekStart.adding(days: day)
        let full = "\(date.weekday.shortName) \(date.day)"
        let label = TextWidth.of(full) <= grid.dayWidth - 1 ? full : "\(date.weekday.shortName.prefix(2))\(date.day)"
        canvas.put(label, x: grid.x(ofDay: day), y: grid.inner.y, role: date == today ? .today : .header, bold: date == today, maxWidth: grid.dayWidth - 1)
    }
    // Time labels; the current half hour is marked when today is in view.
    let zone = TimeZone(identifier: state.document.program.timeZone) ?? .current
    let nowLocal = Recurrence.local(state.viewNow, in: zone)
    for row in 0..<grid.visibleRows {
        let slot = grid.topSlot + row
        guard slot < grid.slotCount else { break }
        let minutes = (grid.firstSlot + slot) * 30
        let isNow = nowLocal.date >= state.weekStart && nowLocal.date <= state.weekStart.adding(days: 6) && nowLocal.time.minutes / 30 * 30 == minutes
        let label = minutes % 60 == 0 || isNow ? LocalTime(clamping: minutes).description : ""
        canvas.put(label, x: grid.inner.x, y: grid.y(ofSlot: slot), role: isNow ? .nowLine : .dim, bold: isNow)
    }
    // Cursor cell first, so a block under it shows the block highlighted instead.
    let cursorSlot = state.cursorMinutes / 30 - grid.firstSlot
    let focused = state.focus == .week
    if cursorSlot >= grid.topSlot, cursorSlot < grid.topSlot + grid.visibleRows {
        canvas.fill(Rect(x: grid.x(ofDay: state.cursorDay), y: grid.y(ofSlot: cursorSlot), width: grid.dayWidth - 1, height: 1),
                    role: focused ? .selection : .selectionUnfocused)
    }
    let selected = state.selectedSession?.session.id
    for day in 0..<7 {
        let items = state.week.sessions(on: state.weekStart.adding(days: day))
        drawDayBlocks(&canvas, state, grid, day: day, items: items, selected: selected, focused: focused)
    }
    if let move = state.moving { drawMovingBlock(&canvas, state, grid, move) }
}

/// Side-by-side lanes for a day's sessions: each session goes in the first lane free at its start.
func dayLanes(_ items: [ScheduledSession]) -> (lanes: [(ScheduledSession, Int)], count: Int) {
    var laneEnds: [Int] = []
    var lanes: [(ScheduledSession, Int)] = []
    for item in items.sorted(by: { $0.session.start < $1.session.start }) {
        let start = item.session.start.minutes
        if let free = laneEnds.firstIndex(where: { $0 <= start }) {
            laneEnds[free] = start + item.session.durationMinutes
            lanes.append((item, free))
        } else {
            laneEnds.append(start + item.session.durationMinutes)
            lanes.append((item, laneEnds.count - 1))
        }
    }
    return (lanes, max(1, laneEnds.count))
}

/// How many lanes fit in a day column (at least 4 cells each) and how wide each is.
func laneGeometry(laneCount: Int, columnWidth: Int) -> (shown: Int, width: Int) {
    let shown = min(laneCount, max(1, columnWidth / 4))
    return (shown, max(1, columnWidth / shown))
}

/// Blocks for one day; overlapping sessions share the column in lanes, or show "+N" when the lanes would be too thin.
private func drawDayBlocks(_ canvas: inout Canvas, _ state: AppState, _ grid: WeekGrid, day: Int, items: [ScheduledSession], selected: SessionID?, focused: Bool) {
    // With the Patients pane (or a record) in front, the selected patient's sessions stand out.
    let highlighted = state.focus == .patients || state.record != nil ? (state.record?.patient ?? state.selectedPatient?.id) : nil
    let (lanes, laneCount) = dayLanes(items)
    let columnWidth = grid.dayWidth - 1
    guard columnWidth > 0 else { return }
    let (shownLanes, laneWidth) = laneGeometry(laneCount: laneCount, columnWidth: columnWidth)
    for (item, lane) in lanes {
        let s = item.session
        let startSlot = s.start.minutes / 30 - grid.firstSlot
        let endSlot = (s.start.minutes + s.durationMinutes + 29) / 30 - grid.firstSlot
        if lane >= shownLanes {
            // No room for this lane: say how many are hidden at the top of the last lane.
            // No room for this lane: mark the hidden sessions at the right edge of the column, where they start.
            let hidden = laneCount - shownLanes
            let y = grid.y(ofSlot: max(startSlot, grid.topSlot))
            if startSlot < grid.topSlot + grid.visibleRows && endSlot > grid.topSlot {
                let mark = "+\(hidden)"
                canvas.put(mark, x: grid.x(ofDay: day) + columnWidth - TextWidth.of(mark), y: y, role: .flag, bold: true, maxWidth: columnWidth)
            }
            continue
        }
        let x = grid.x(ofDay: day) + lane * laneWidth
        let width = lane == shownLanes - 1 ? columnWidth - lane * laneWidth : laneWidth - 1
        guard width > 0 else { continue }
        var role: Role
        switch s.kind {
        case .group: role = .groupBlock
        case .individual: role = .individualBlock
        case .family: role = .familyBlock
        }
        if !s.status.countsForAttendance { role = .cancelledBlock }
        let marked = highlighted.map { id in s.members(series: s.series.flatMap { state.document.series($0) }).contains(id) } ?? false
        if marked { role = .highlightBlock }
        if s.id == selected { role = focused ? .selection : .highlightBlock }
        let lines = [s.title, s.room.flatMap { state.document.program.room($0)?.name } ?? "", "\(s.start)–\(LocalTime(clamping: s.start.minutes + s.durationMinutes))"]
        for slot in stride(from: max(startSlot, grid.topSlot), to: min(endSlot, grid.topSlot + grid.visibleRows), by: 1) {
            let y = grid.y(ofSlot: slot)
            canvas.fill(Rect(x: x, y: y, width: width, height: 1), role: role)
            let lineIndex = slot - startSlot
            if lineIndex < lines.count {
                var text = lines[lineIndex]
                // State at a glance, at the right edge of the first line: notes waiting for a signature, or roll taken.
                let mark = lineIndex == 0 && s.status.countsForAttendance && width >= 4 ? (s.hasUnsignedNote ? "✎" : s.status == .held ? "✓" : "") : ""
                if lineIndex == 0 && !s.status.countsForAttendance { text = "✕ " + text }
                if lineIndex == 0 && marked { text = "● " + text }
                canvas.put(text, x: x, y: y, role: role, bold: lineIndex == 0, maxWidth: mark.isEmpty ? width : width - 1)
                if !mark.isEmpty { canvas.put(mark, x: x + width - 1, y: y, role: role, bold: true) }
            }
        }
    }
}

/// The block being moved, drawn where it would go.
private func drawMovingBlock(_ canvas: inout Canvas, _ state: AppState, _ grid: WeekGrid, _ move: MoveState) {
    let day = state.weekStart.days(until: move.date)
    guard (0..<7).contains(day), grid.dayWidth > 1 else { return }
    let startSlot = move.start.minutes / 30 - grid.firstSlot
    let endSlot = (move.start.minutes + move.item.session.durationMinutes + 29) / 30 - grid.firstSlot
    let end = LocalTime(clamping: move.start.minutes + move.item.session.durationMinutes)
    let lines = ["→ " + move.item.session.title, "\(move.start)–\(end)"]
    for slot in stride(from: max(startSlot, grid.topSlot), to: min(endSlot, grid.topSlot + grid.visibleRows), by: 1) {
        let y = grid.y(ofSlot: slot)
        canvas.fill(Rect(x: grid.x(ofDay: day), y: y, width: grid.dayWidth - 1, height: 1), role: .selection)
        if slot - startSlot < lines.count {
            canvas.put(lines[slot - startSlot], x: grid.x(ofDay: day), y: y, role: .selection, bold: true, maxWidth: grid.dayWidth - 1)
        }
    }
}

private func drawSession(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    guard let item = state.selectedSession else {
        paneBox(&canvas, state, .session, rect, title: "Session")
        let inner = rect.inset(1)
        let when = "\(state.cursorDate.weekday.shortName) \(state.cursorDate.day) \(LocalTime(clamping: state.cursorMinutes))"
        canvas.put("No session at \(when).", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
        canvas.put("Move the Week cursor onto a session to see its roster.", x: inner.x + 1, y: inner.y + 1, role: .dim, maxWidth: inner.width - 1)
        return
    }
    let s = item.session
    let program = state.document.program
    let end = LocalTime(clamping: s.start.minutes + s.durationMinutes)
    var title = "Session · \(s.title) · \(s.date.weekday.shortName) \(s.date.day) \(s.start)–\(end)"
    if let room = s.room.flatMap({ program.room($0)?.name }) { title += " · \(room)" }
    paneBox(&canvas, state, .session, rect, title: title)
    let inner = rect.inset(1)
    guard inner.width > 2, inner.height > 0 else { return }
    var facts = [s.kind.rawValue.capitalized]
    if let modality = s.modality { facts.append(modality.label) }
    if let who = s.facilitator.flatMap({ state.document.staffMember($0)?.name }) { facts.append(who) }
    switch s.status {
    case .scheduled: facts.append(s.date > state.today ? "scheduled" : "roll not taken")
    case .held: facts.append("held")
    case .cancelled(let reason): facts.append("cancelled: \(reason)")
    case .didNotTakePlace(let reason): facts.append("did not take place: \(reason)")
    }
    canvas.put(facts.joined(separator: " · "), x: inner.x + 1, y: inner.y, role: s.status.countsForAttendance ? .text : .statusWarning, maxWidth: inner.width - 1)
    guard inner.height > 2 else { return }
    let rows = state.sessionRows
    let statusWidth = 14, minutesWidth = 5, noteWidth = 10
    let nameWidth = max(1, inner.width - statusWidth - minutesWidth - noteWidth - 2)
    let header = TextWidth.pad("member", width: nameWidth) + TextWidth.pad("attendance", width: statusWidth) + TextWidth.pad("min", width: minutesWidth, alignRight: true) + "  " + "note"
    canvas.put(header, x: inner.x + 1, y: inner.y + 1, role: .header, maxWidth: inner.width - 1)
    let area = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
    let zone = TimeZone(identifier: state.document.program.timeZone) ?? .current
    let overdue = NoteAge.isOverdue(s, now: state.viewNow, zone: zone)
    let removed = Set(s.removed)
    drawListRows(&canvas, items: rows, selected: state.memberIndex, focused: state.focus == .session, area: area) { canvas, row, y, role, selected in
        var x = inner.x + 1
        switch row {
        case .group:
            let note = s.groupNote
            let topic = note.map { $0.topic.isEmpty ? "(no topic)" : $0.topic } ?? "not written · G or Enter writes it"
            canvas.put("Group note: " + topic, x: x, y: y, role: selected ? role : (note == nil ? .dim : .text), bold: true, maxWidth: nameWidth + statusWidth + minutesWidth)
            x = inner.x + 1 + nameWidth + statusWidth + minutesWidth + 2
            canvas.put(noteState(note.map { ($0.isSigned, $0.addenda.isEmpty) }, overdue: overdue), x: x, y: y,
                       role: selected ? role : noteRole(note.map { $0.isSigned }, overdue: overdue), maxWidth: max(0, inner.maxX - x))
            if members(state).isEmpty, y + 1 < area.maxY {
                canvas.put("No members on this session: + adds a drop-in.", x: inner.x + 1, y: y + 1, role: .dim, maxWidth: inner.width - 1)
            }
        case .member(let patient):
            let mark = s.attendance(for: patient.id)
            let status: String
            switch mark {
            case nil: status = "—"
            case .present?: status = "present"
            case .late(let m)?: status = "late \(m)m"
            case .leftEarly?: status = "left early"
            case .excused?: status = "excused"
            case .absent?: status = "absent"
            }
            let minutes = mark == nil ? "" : "\(s.minutesAttended(by: patient.id))"
            let note = s.memberNote(for: patient.id)
            let name = removed.contains(patient.id) || !s.members(series: s.series.flatMap { state.document.series($0) }).contains(patient.id)
                ? patient.displayName + " (removed)" : patient.displayName
            canvas.put(name, x: x, y: y, role: selected ? role : (name.hasSuffix("(removed)") ? .dim : role), maxWidth: nameWidth - 1)
            x += nameWidth
            let statusRole: Role = mark == .absent ? .statusError : { if case .excused? = mark { return .statusWarning } else { return .text } }()
            canvas.put(status, x: x, y: y, role: selected ? role : statusRole, maxWidth: statusWidth - 1)
            x += statusWidth
            canvas.put(TextWidth.pad(minutes, width: minutesWidth, alignRight: true), x: x, y: y, role: role)
            x += minutesWidth + 2
            canvas.put(noteState(note.map { ($0.isSigned, $0.addenda.isEmpty) }, overdue: overdue), x: x, y: y,
                       role: selected ? role : noteRole(note.map { $0.isSigned }, overdue: overdue), maxWidth: max(0, inner.maxX - x))
        }
    }
}

private func members(_ state: AppState) -> [Patient] { state.selectedMembers }

/// The group narrative under a member's note: stored once, shown here so the member note can build on it.
private func drawGroupReference(_ canvas: inout Canvas, _ note: GroupNote?, _ rect: Rect) {
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: "Group note (for reference; stored once)", role: .overlayBorder, titleRole: .overlayTitle)
    let inner = rect.inset(1)
    guard inner.width > 2, inner.height > 0 else { return }
    guard let note, note.hasContent else {
        canvas.put("No group note yet: G writes it.", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
        return
    }
    var lines = [note.topic]
    for paragraph in note.narrative.components(separatedBy: "\n") {
        let characters = Array(paragraph)
        lines += TextArea.wrap(characters, width: inner.width - 2).map { String(characters[$0]) }
    }
    for (i, line) in lines.prefix(inner.height).enumerated() {
        canvas.put(line, x: inner.x + 1, y: inner.y + i, role: i == 0 ? .overlayTitle : .overlay, bold: i == 0, maxWidth: inner.width - 1)
    }
}

/// "none", "draft", "draft ⚠72h", "signed", "addendum".
private func noteState(_ note: (signed: Bool, noAddenda: Bool)?, overdue: Bool) -> String {
    guard let note else { return "none" }
    if note.signed { return note.noAddenda ? "signed" : "addendum" }
    return overdue ? "draft ⚠72h" : "draft"
}

private func noteRole(_ signed: Bool?, overdue: Bool) -> Role {
    switch signed {
    case nil: .dim
    case true?: .statusOK
    case false?: overdue ? .statusError : .statusWarning
    }
}

private func drawHintBar(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    canvas.fill(rect, role: .hintText)
    if let command = state.commandLine {
        canvas.put(":" + command + "▏", x: 0, y: rect.y, role: .commandLine)
        return
    }
    if let message = state.message {
        canvas.put(" " + message.text, x: 0, y: rect.y, role: message.isError ? .errorMessage : .message)
        return
    }
    var x = 1
    // The alerts and the report preview take the keys, so the bar shows theirs (they sit over any form).
    let overlayKeys = state.alertsView != nil ? Keymaps.alerts : state.reportPreview != nil ? Keymaps.reportPreview : nil
    if overlayKeys == nil, !state.forms.isEmpty {
        // The form's own footer lists its keys.
        let path = state.forms.map(\.form.title).joined(separator: " › ")
        let used = canvas.put(" " + path, x: 0, y: rect.y, role: .hintKey, bold: true, maxWidth: rect.width * 2 / 3)
        canvas.put("  ←/→ choices · a/e/x list items", x: used, y: rect.y, role: .hintText, maxWidth: max(0, rect.width - used))
        return
    }
    let bindings = overlayKeys?.bindings ?? (state.record != nil ? Keymaps.record.bindings : Keymaps.pane(state.focus).bindings + Keymaps.global.bindings)
    let hints = bindings.compactMap { binding in
        binding.hint.map { (binding.keys.first?.description ?? "", $0) }
    }
    // "? help" always shows: the other hints take the room left before it.
    let helpWidth = TextWidth.of("? help  ")
    var full = false
    for (i, (key, text)) in hints.enumerated() {
        let needed = TextWidth.of(key) + 1 + TextWidth.of(text) + 2
        let isHelp = key == "?"
        let rest = hints[(i + 1)...].contains { $0.0 == "?" } ? helpWidth : 0
        if !isHelp && (full || x + needed + rest > rect.width) {
            full = true
            continue
        }
        if x + needed > rect.width { break }
        x += canvas.put(key, x: x, y: rect.y, role: .hintKey, bold: true)
        x += canvas.put(" " + text + "  ", x: x, y: rect.y, role: .hintText)
    }
    if state.isReadOnly {
        let text = "read-only "
        let w = TextWidth.of(text)
        if x + w < rect.width { canvas.put(text, x: rect.width - w, y: rect.y, role: .statusWarning, bold: true) }
    }
}

/// The help overlay's lines, generated from the keymap tables.
public func helpLines() -> [(text: String, isHeading: Bool)] {
    var lines: [(String, Bool)] = []
    for map in Keymaps.all {
        lines.append((map.name, true))
        for binding in map.bindings {
            lines.append(("  " + TextWidth.pad(Keymap.label(binding.keys), width: 14) + binding.help, false))
        }
        lines.append(("", false))
    }
    lines.append(("Forms", true))
    for (keys, help) in [("Tab/Shift-Tab", "next / previous field (↓/↑ too, outside notes and lists)"),
                         ("Enter, Ctrl-S", "save the form (Enter is a new line in notes; Ctrl-S saves from anywhere)"),
                         ("Esc", "cancel (asks first when something was typed)"),
                         ("Ctrl-A/E", "start / end of the line"), ("Ctrl-K/U", "delete to the end / start of the line"),
                         ("Ctrl-W", "delete the word before the cursor"), ("←/→, Space", "change a choice; Space flips a yes/no"),
                         ("a, Enter/e, x", "in a list: add, edit, remove an item"),
                         ("dates", "2026-12-01, today, tomorrow, mon, +3d, +2w (the date meant is shown beside)")] {
        lines.append(("  " + TextWidth.pad(keys, width: 14) + help, false))
    }
    lines.append(("", false))
    lines.append(("Commands", true))
    for (command, help) in [(":w", "save now"), (":q", "quit after the final save"), (":wq", "save and quit"), (":q!", "quit without saving (asks)"),
                            (":theme NAME", "switch theme"), (":goto DATE", "show the week of DATE (2026-12-01, today, fri, +2w)"),
                            (":reload", "load the file again from disk"), (":saveas PATH", "save under another name"), (":help", "this screen")] {
        lines.append(("  " + TextWidth.pad(command, width: 14) + help, false))
    }
    return lines
}

private func drawHelp(_ canvas: inout Canvas, scroll: Int) {
    let width = min(canvas.width - 2, 76), height = canvas.height - 2
    guard width > 10, height > 3 else { return }
    let rect = Rect(x: (canvas.width - width) / 2, y: 1, width: width, height: height)
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: "Help · j/k scroll · Esc closes", role: .overlayBorder, titleRole: .overlayTitle)
    let lines = helpLines()
    let inner = rect.inset(1)
    let top = max(0, min(scroll, lines.count - inner.height))
    for row in 0..<inner.height {
        let i = top + row
        guard i < lines.count else { break }
        canvas.put(lines[i].text, x: inner.x + 1, y: inner.y + row, role: lines[i].isHeading ? .overlayTitle : .overlay, bold: lines[i].isHeading, maxWidth: inner.width - 1)
    }
}

private func drawConfirm(_ canvas: inout Canvas, _ question: String) {
    let width = min(canvas.width - 2, 60)
    guard width > 10 else { return }
    // Wrap the question into lines that fit.
    var lines: [String] = []
    var line = ""
    for word in question.split(separator: " ") {
        if TextWidth.of(line) + TextWidth.of(word) + 1 > width - 4, !line.isEmpty { lines.append(line); line = "" }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    let height = min(canvas.height, lines.count + 2)
    let rect = Rect(x: (canvas.width - width) / 2, y: max(0, (canvas.height - height) / 2), width: width, height: height)
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: "Confirm", role: .overlayBorder, titleRole: .overlayTitle)
    for (i, text) in lines.prefix(max(0, height - 2)).enumerated() {
        canvas.put(text, x: rect.x + 2, y: rect.y + 1 + i, role: .overlay, maxWidth: width - 4)
    }
}
