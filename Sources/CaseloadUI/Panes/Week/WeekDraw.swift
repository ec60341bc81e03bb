import CaseloadCore
import Foundation

func drawWeek(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
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
