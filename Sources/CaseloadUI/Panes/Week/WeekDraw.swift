import CaseloadCore
import Foundation

func drawWeek(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    if state.weekView == .agenda {
        drawAgenda(&canvas, state, rect)
        return
    }
    let grid = WeekGrid(state: state, rect: rect)
    let weekTitle = "Week \(state.weekStart.isoWeek.week) · \(weekRangeText(state.weekStart))"
    if grid.showsOneDay {
        let date = state.cursorDate
        // Shown for want of width: say so, so the other days are not taken for empty.
        let title = state.weekView == .day ? "Day · \(date.weekday.shortName) \(monthDay(date)) \(date.year) · week \(state.weekStart.isoWeek.week)"
            : "Day · \(date.weekday.shortName) \(monthDay(date)) · week too narrow"
        paneBox(&canvas, state, .week, rect, title: title)
    } else {
        paneBox(&canvas, state, .week, rect, title: weekTitle)
    }
    guard grid.inner.width > WeekGrid.labelWidth, grid.inner.height > 1 else { return }
    let today = state.today
    // Day headers, all in one form: the longest that fits every column.
    let dates = grid.days.map { state.weekStart.adding(days: $0) }
    let headers = grid.showsOneDay ? dates.map { "\($0.weekday.shortName) \(monthDay($0))" } : dayHeaders(dates, width: grid.dayWidth - 1)
    for (k, date) in dates.enumerated() {
        canvas.put(headers[k], x: grid.x(ofDay: grid.days.lowerBound + k), y: grid.inner.y, role: date == today ? .today : .header, bold: date == today, maxWidth: grid.dayWidth - 1)
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
    var above = 0, below = 0
    let visibleStart = (grid.firstSlot + grid.topSlot) * 30
    let visibleEnd = (grid.firstSlot + grid.topSlot + grid.visibleRows) * 30
    for day in grid.days {
        let items = state.week.sessions(on: state.weekStart.adding(days: day))
        for item in items {
            let s = item.session
            if s.start.minutes + s.durationMinutes <= visibleStart { above += 1 }
            if s.start.minutes >= visibleEnd { below += 1 }
        }
        drawDayBlocks(&canvas, state, grid, day: day, items: items, selected: selected, focused: focused)
    }
    if let move = state.moving { drawMovingBlock(&canvas, state, grid, move) }
    drawOverflow(&canvas, grid, rect: rect, above: above, below: below)
    if grid.hasDetailLine { drawSelectedDetail(&canvas, state, grid) }
}

/// Day headers in one form for the whole week: "Mon 30", else "Mo 30", else "Mo30", else the day's number.
func dayHeaders(_ dates: [LocalDate], width: Int) -> [String] {
    let forms: [(LocalDate) -> String] = [
        { "\($0.weekday.shortName) \($0.day)" },
        { "\($0.weekday.shortName.prefix(2)) \($0.day)" },
        { "\($0.weekday.shortName.prefix(2))\($0.day)" },
    ]
    for form in forms {
        let labels = dates.map(form)
        if labels.allSatisfy({ TextWidth.of($0) <= width }) { return labels }
    }
    return dates.map { "\($0.day)" }
}

/// Sessions above and below the visible hours, counted on the pane's lower border and marked beside the first and
/// last visible time labels, so a clinician knows the day goes on.
private func drawOverflow(_ canvas: inout Canvas, _ grid: WeekGrid, rect: Rect, above: Int, below: Int) {
    guard grid.visibleRows > 0 else { return }
    if above > 0 { canvas.put("▲", x: grid.inner.x + WeekGrid.labelWidth - 1, y: grid.y(ofSlot: grid.topSlot), role: .flag, bold: true) }
    if below > 0 { canvas.put("▼", x: grid.inner.x + WeekGrid.labelWidth - 1, y: grid.y(ofSlot: grid.topSlot + grid.visibleRows - 1), role: .flag, bold: true) }
    var parts: [String] = []
    if above > 0 { parts.append("▲ \(above) earlier") }
    if below > 0 { parts.append("▼ \(below) later") }
    guard !parts.isEmpty else { return }
    let text = " " + parts.joined(separator: " · ") + " "
    let width = TextWidth.of(text)
    guard width + 4 <= rect.width else { return }
    canvas.put(text, x: rect.x + rect.width - 2 - width, y: rect.y + rect.height - 1, role: .flag)
}

/// The selected block in full on the pane's last line: title, date, time, room, facilitator, roll and notes.
private func drawSelectedDetail(_ canvas: inout Canvas, _ state: AppState, _ grid: WeekGrid) {
    let y = grid.inner.y + grid.inner.height - 1
    let text: String
    if let move = state.moving {
        let end = LocalTime(clamping: move.start.minutes + move.item.session.durationMinutes)
        text = "Moving \(move.item.session.title) to \(move.date.weekday.shortName) \(monthDay(move.date)) \(move.start)–\(end) · Enter puts it there · Esc keeps it"
    } else if let item = state.selectedSession {
        text = sessionDetail(item, state)
    } else {
        let date = state.cursorDate
        text = "\(date.weekday.shortName) \(monthDay(date)) \(LocalTime(clamping: state.cursorMinutes)) · nothing scheduled"
    }
    canvas.put(text, x: grid.inner.x, y: y, role: state.selectedSession == nil ? .dim : .text, maxWidth: grid.inner.width)
}

private let detailMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/// "Dec 2".
func monthDay(_ date: LocalDate) -> String { "\(detailMonths[max(0, min(11, date.month - 1))]) \(date.day)" }

/// One line saying everything about a session a clinician looks for in the week.
func sessionDetail(_ item: ScheduledSession, _ state: AppState) -> String {
    let s = item.session
    let end = LocalTime(clamping: s.start.minutes + s.durationMinutes)
    var parts = [s.title, "\(s.date.weekday.shortName) \(monthDay(s.date)) \(s.start)–\(end)"]
    if let room = s.room.flatMap({ state.document.program.room($0)?.name }) { parts.append(room) }
    if let name = s.facilitator.flatMap({ state.document.staffMember($0)?.name }) { parts.append(name) }
    switch s.status {
    case .cancelled(let reason): parts.append("cancelled" + (reason.isEmpty ? "" : ": \(reason)"))
    case .didNotTakePlace(let reason): parts.append("did not take place" + (reason.isEmpty ? "" : ": \(reason)"))
    case .scheduled, .held:
        let members = s.members(series: s.series.flatMap { state.document.series($0) })
        let marked = members.filter { s.attendance(for: $0) != nil }.count
        if marked == 0 && s.date > state.today {
            parts.append(members.isEmpty ? "scheduled" : "\(members.count) member\(members.count == 1 ? "" : "s")")
        } else if !members.isEmpty {
            parts.append(marked == 0 ? "roll not taken" : marked == members.count ? "roll taken (\(marked))" : "roll \(marked) of \(members.count)")
        }
        let notes = (s.groupNote == nil ? 0 : 1) + s.memberNotes.count
        let unsigned = (s.groupNote.map { $0.isSigned ? 0 : 1 } ?? 0) + s.memberNotes.filter { !$0.isSigned }.count
        if notes > 0 { parts.append(unsigned == 0 ? "notes signed" : "\(unsigned) note\(unsigned == 1 ? "" : "s") unsigned") }
    }
    return parts.joined(separator: " · ")
}

/// Where one session of a day is drawn within the day's column.
struct BlockPlacement: Equatable {
    var item: ScheduledSession
    /// Cells from the column's left edge, and width; nil when its lane does not fit (counted in `hiddenInCluster`).
    var offset: Int?
    var width: Int
    /// Sessions of its cluster (sessions linked by overlapping times) that have no room, shown as "+N".
    var hiddenInCluster: Int
}

/// Places a day's sessions in its column: sessions that overlap in time share the column in lanes (each in the first
/// lane free at its start); a session that overlaps nothing has the whole column. Lanes narrower than 4 cells are not
/// drawn; their sessions are counted in a "+N" kept clear of the others' text.
func dayPlacements(_ items: [ScheduledSession], columnWidth: Int) -> [BlockPlacement] {
    let sorted = items.sorted {
        ($0.session.start.minutes, -$0.session.durationMinutes, $0.session.title, $0.session.id.rawValue)
            < ($1.session.start.minutes, -$1.session.durationMinutes, $1.session.title, $1.session.id.rawValue)
    }
    var result: [BlockPlacement] = []
    var k = 0
    while k < sorted.count {
        // One cluster: sessions chained by overlaps.
        var clusterEnd = sorted[k].session.start.minutes + sorted[k].session.durationMinutes
        var j = k + 1
        while j < sorted.count, sorted[j].session.start.minutes < clusterEnd {
            clusterEnd = max(clusterEnd, sorted[j].session.start.minutes + sorted[j].session.durationMinutes)
            j += 1
        }
        var laneEnds: [Int] = []
        var lanes: [Int] = []
        for item in sorted[k..<j] {
            let start = item.session.start.minutes, end = start + item.session.durationMinutes
            if let free = laneEnds.firstIndex(where: { $0 <= start }) {
                laneEnds[free] = end
                lanes.append(free)
            } else {
                laneEnds.append(end)
                lanes.append(laneEnds.count - 1)
            }
        }
        let count = max(1, laneEnds.count)
        var shown = min(count, max(1, columnWidth / 4))
        var hidden = count - shown
        var room = columnWidth
        if hidden > 0 {
            // The "+N" has its own cells at the right, so it never covers a title.
            room = columnWidth - TextWidth.of("+\(hidden)")
            shown = min(shown, max(1, room / 4))
            hidden = count - shown
            room = columnWidth - TextWidth.of("+\(hidden)")
        }
        let laneWidth = max(1, room / shown)
        for (item, lane) in zip(sorted[k..<j], lanes) {
            if lane >= shown {
                result.append(BlockPlacement(item: item, offset: nil, width: 0, hiddenInCluster: hidden))
            } else {
                let width = lane == shown - 1 ? room - lane * laneWidth : laneWidth - 1
                result.append(BlockPlacement(item: item, offset: lane * laneWidth, width: max(1, width), hiddenInCluster: hidden))
            }
        }
        k = j
    }
    return result
}

/// A block's lines for `rows` rows of `width` cells: the title wrapped, then the room, then the times, cut to fit —
/// the title's first line always, the times before the room when rows are short.
func blockLines(title: String, room: String?, start: LocalTime, durationMinutes: Int, width: Int, rows: Int) -> [String] {
    guard rows > 0, width > 0 else { return [] }
    let end = LocalTime(clamping: start.minutes + durationMinutes)
    let full = "\(start)–\(end)", compact = "\(compactTime(start))–\(compactTime(end))"
    let oneLine = TextWidth.of(full) <= width ? full : TextWidth.of(compact) <= width ? compact : nil
    let times = oneLine.map { [$0] } ?? (width >= 6 ? ["\(start)–", "\(end)"] : ["\(start)", "\(end)"])
    // Words are not split across lines in a block this narrow ("Eveni" / "ng" reads as two words): a word too long
    // for the width is cut with an ellipsis.
    let titleLines = wrapWords(title.split(separator: " ").map { TextWidth.fit(String($0), width: width) }.joined(separator: " "), width: width)
    let roomLines = room.map { [$0] } ?? []
    if titleLines.count + roomLines.count + times.count <= rows { return titleLines + roomLines + times }
    if rows == 1 { return [titleLines.count > 1 ? TextWidth.fit(title, width: width) : titleLines[0]] }
    // Rows are short: keep the times (on one line if two do not fit), then the room, then as much title as fits.
    let timeLines = times.count <= rows - 1 ? times : [TextWidth.fit(compact, width: width)]
    let roomKept = rows - 1 - timeLines.count >= 1 ? roomLines : []
    let titleRows = max(1, rows - timeLines.count - roomKept.count)
    var shownTitle = Array(titleLines.prefix(titleRows))
    if titleLines.count > titleRows, let last = shownTitle.indices.last {
        shownTitle[last] = TextWidth.fit(titleLines[last...].joined(separator: " "), width: width)
    }
    return Array((shownTitle + roomKept + timeLines).prefix(rows))
}

/// "18" on the hour, else "18:30": a block's times when "18:00–21:00" does not fit.
func compactTime(_ time: LocalTime) -> String {
    time.minutes % 60 == 0 ? "\(time.minutes / 60)" : time.description
}

/// Blocks for one day (see `dayPlacements`).
private func drawDayBlocks(_ canvas: inout Canvas, _ state: AppState, _ grid: WeekGrid, day: Int, items: [ScheduledSession], selected: SessionID?, focused: Bool) {
    // With the Patients pane (or a record) in front, the selected patient's sessions stand out.
    let highlighted = state.focus == .patients || state.record != nil ? (state.record?.patient ?? state.selectedPatient?.id) : nil
    let columnWidth = grid.dayWidth - 1
    guard columnWidth > 0 else { return }
    let firstRow = grid.topSlot, endRow = grid.topSlot + grid.visibleRows
    for placement in dayPlacements(items, columnWidth: columnWidth) {
        let s = placement.item.session
        let startSlot = s.start.minutes / 30 - grid.firstSlot
        let endSlot = max(startSlot + 1, (s.start.minutes + s.durationMinutes + 29) / 30 - grid.firstSlot)
        guard startSlot < endRow, endSlot > firstRow else { continue }
        guard let offset = placement.offset else {
            // No lane for it: "+N" at the column's right edge, on the row where it starts (or the first visible one).
            let mark = "+\(placement.hiddenInCluster)"
            canvas.put(mark, x: grid.x(ofDay: day) + columnWidth - TextWidth.of(mark), y: grid.y(ofSlot: max(startSlot, firstRow)),
                       role: .flag, bold: true, maxWidth: columnWidth)
            continue
        }
        let x = grid.x(ofDay: day) + offset, width = placement.width
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
        // State at a glance at the first line's right edge (notes waiting for a signature, or roll taken); the
        // cancelled and highlighted signs lead the title. Neither is drawn over the title: the title gives way.
        let mark = s.status.countsForAttendance && width >= 4 ? (s.hasUnsignedNote ? "✎" : s.status == .held ? "✓" : "") : ""
        var prefix = ""
        if !s.status.countsForAttendance { prefix = "✕ " }
        if marked { prefix = "● " + prefix }
        let top = max(startSlot, firstRow), bottom = min(endSlot, endRow)
        // A block scrolled partly out of view starts its text again on its first visible row.
        let lines = blockLines(title: prefix + s.title, room: s.room.flatMap { state.document.program.room($0)?.name },
                               start: s.start, durationMinutes: s.durationMinutes, width: width, rows: bottom - top)
        for slot in top..<bottom {
            let y = grid.y(ofSlot: slot)
            canvas.fill(Rect(x: x, y: y, width: width, height: 1), role: role)
            let index = slot - top
            guard index < lines.count else { continue }
            let reserve = index == 0 && !mark.isEmpty ? 1 : 0
            canvas.put(index == 0 && reserve > 0 ? TextWidth.fit(lines[0], width: width - 1) : lines[index], x: x, y: y, role: role,
                       bold: index < lines.count - (lines.count > 1 ? 1 : 0) && index == 0, maxWidth: width - reserve)
            if reserve > 0 { canvas.put(mark, x: x + width - 1, y: y, role: role, bold: true) }
        }
    }
}

/// The block being moved, drawn where it would go, over the whole day column.
private func drawMovingBlock(_ canvas: inout Canvas, _ state: AppState, _ grid: WeekGrid, _ move: MoveState) {
    let day = state.weekStart.days(until: move.date)
    guard grid.days.contains(day), grid.dayWidth > 1 else { return }
    let s = move.item.session
    let startSlot = move.start.minutes / 30 - grid.firstSlot
    let endSlot = max(startSlot + 1, (move.start.minutes + s.durationMinutes + 29) / 30 - grid.firstSlot)
    let top = max(startSlot, grid.topSlot), bottom = min(endSlot, grid.topSlot + grid.visibleRows)
    guard top < bottom else { return }
    let width = grid.dayWidth - 1
    let lines = blockLines(title: "→ " + s.title, room: nil, start: move.start, durationMinutes: s.durationMinutes, width: width, rows: bottom - top)
    for slot in top..<bottom {
        let y = grid.y(ofSlot: slot)
        canvas.fill(Rect(x: grid.x(ofDay: day), y: y, width: width, height: 1), role: .selection)
        if slot - top < lines.count {
            canvas.put(lines[slot - top], x: grid.x(ofDay: day), y: y, role: .selection, bold: slot == top, maxWidth: width)
        }
    }
}

/// The agenda: the week's sessions as a list, a line each under its day, the one at the cursor selected.
private func drawAgenda(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    paneBox(&canvas, state, .week, rect, title: "Agenda · week \(state.weekStart.isoWeek.week) · \(weekRangeText(state.weekStart))")
    let inner = rect.inset(1)
    guard inner.width > 4, inner.height > 0 else { return }
    let selected = state.selectedSession?.session.id
    let focused = state.focus == .week
    var lines: [(text: String, role: Role, bold: Bool, isSelected: Bool)] = []
    for day in 0..<7 {
        let date = state.weekStart.adding(days: day)
        let items = state.week.sessions(on: date)
        let header = "\(date.weekday.shortName) \(monthDay(date))" + (items.isEmpty ? " · nothing scheduled" : "")
        lines.append((header, date == state.today ? .today : items.isEmpty ? .dim : .header, !items.isEmpty, false))
        for item in items {
            let s = item.session
            let end = LocalTime(clamping: s.start.minutes + s.durationMinutes)
            var parts = [sessionDetail(item, state)]
            // The date is in the day's heading; the line starts with the times so they line up.
            parts[0] = parts[0].replacingOccurrences(of: " · \(s.date.weekday.shortName) \(monthDay(s.date)) \(s.start)–\(end)", with: "")
            let sign = !s.status.countsForAttendance ? "✕ " : s.hasUnsignedNote ? "✎ " : s.status == .held ? "✓ " : "  "
            lines.append(("  \(s.start)–\(end) \(sign)\(parts[0])", .text, false, s.id == selected))
        }
    }
    // Keep the selected line (or the cursor's day) in view, a third of the way down.
    let anchor = lines.firstIndex { $0.isSelected }
        ?? lines.firstIndex { $0.text.hasPrefix("\(state.cursorDate.weekday.shortName) \(monthDay(state.cursorDate))") } ?? 0
    let top = max(0, min(anchor - inner.height / 3, lines.count - inner.height))
    for (row, line) in lines.dropFirst(top).prefix(inner.height).enumerated() {
        let y = inner.y + row
        if line.isSelected {
            canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: focused ? .selection : .selectionUnfocused)
        }
        canvas.put(line.text, x: inner.x, y: y, role: line.isSelected ? (focused ? .selection : .selectionUnfocused) : line.role, bold: line.bold, maxWidth: inner.width)
    }
}
