import CaseloadCore
import Foundation

// Mouse clicks and the wheel: which pane, row or block they land on.

func handleMouse(_ state: inout AppState, _ event: MouseEvent) -> [Effect] {
    let layout = Layout(width: state.width, height: state.height, focus: state.focus)
    if state.overlay != nil {
        if event.kind == .press, case .help? = state.overlay { state.overlay = nil }
        return []
    }
    // The alerts and the report preview: the wheel scrolls them, a click does not reach the panes under them.
    if state.alertsView != nil || state.reportPreview != nil {
        guard event.kind == .wheelUp || event.kind == .wheelDown else { return [] }
        let key: Key = event.kind == .wheelDown ? .down : .up
        return state.alertsView != nil ? handleAlertsKey(&state, key) : handleReportKey(&state, key)
    }
    if state.conflictsView != nil {
        guard event.kind == .wheelUp || event.kind == .wheelDown else { return [] }
        return handleConflictsKey(&state, event.kind == .wheelDown ? .down : .up)
    }
    // A form or the record takes the keyboard; the mouse does not reach the panes under it.
    if !state.forms.isEmpty || state.record != nil || state.modal != nil || state.moving != nil { return [] }
    guard let pane = layout.pane(atX: event.x, y: event.y) else { return [] }
    switch event.kind {
    case .wheelUp, .wheelDown:
        state.focus = pane
        let down = event.kind == .wheelDown
        return perform(&state, pane == .week ? (down ? .timeDown : .timeUp) : (down ? .moveDown : .moveUp))
    case .press:
        state.focus = pane
        if let rect = layout.rect(of: pane) {
            switch pane {
            case .patients:
                // The same scrolling as the drawing: rows start under the header.
                let count = state.patientList.count
                let area = patientRowsArea(state, rect)
                let row = event.y - area.y
                let index = listTop(index: state.patientIndex, count: count, rows: area.height) + row
                if row >= 0, row < area.height, index < count { state.patientIndex = index }
            case .session:
                let count = state.selectedMembers.count + 1
                let row = event.y - rect.y - 3
                let index = listTop(index: state.memberIndex, count: count, rows: rect.height - 4) + row
                if row >= 0, index < count { state.memberIndex = index }
            case .week:
                let grid = WeekGrid(state: state, rect: rect)
                if let cell = grid.cell(atX: event.x, y: event.y) {
                    state.cursorDay = cell.day
                    state.cursorMinutes = cell.minutes
                    state.memberIndex = 1
                    state.weekLane = 0
                    // A click on one of several side-by-side blocks selects that one.
                    let placements = dayPlacements(state.week.sessions(on: state.cursorDate), columnWidth: grid.dayWidth - 1)
                    let column = event.x - grid.x(ofDay: cell.day)
                    if let hit = placements.first(where: { p in
                        p.offset.map { column >= $0 && column < $0 + p.width } ?? false && state.sessionsAtCursor.contains(p.item)
                    })?.item, let index = state.sessionsAtCursor.firstIndex(of: hit) {
                        state.weekLane = index
                    }
                }
            }
        }
        return []
    case .release:
        return []
    }
}
