import CaseloadCore
import Foundation

// Moving the cursor: down a list (Patients, the Session pane's members) and across the Week's grid, and going to a date.

func moveInList(_ state: inout AppState, _ action: Action) {
    let count: Int
    let page = max(1, state.height - 6)
    switch state.focus {
    case .patients: count = state.patientList.count
    case .session: count = state.selectedMembers.count + 1
    case .week: return
    }
    guard count > 0 else { return }
    var index = state.focus == .patients ? state.patientIndex : state.memberIndex
    switch action {
    case .moveDown: index += 1
    case .moveUp: index -= 1
    case .top: index = 0
    case .bottom: index = count - 1
    case .pageDown: index += page
    case .pageUp: index -= page
    case .halfPageDown: index += page / 2
    case .halfPageUp: index -= page / 2
    default: break
    }
    index = min(max(0, index), count - 1)
    if state.focus == .patients { state.patientIndex = index } else { state.memberIndex = index }
}

/// The week's sessions in the agenda's order: by day, then start and title.
func agendaItems(_ state: AppState) -> [(day: Int, item: ScheduledSession)] {
    (0..<7).flatMap { day in state.week.sessions(on: state.weekStart.adding(days: day)).map { (day, $0) } }
}

/// In the agenda, j/k go to the next or previous session (across days) instead of half an hour.
private func moveInAgenda(_ state: inout AppState, down: Bool) {
    let items = agendaItems(state)
    guard !items.isEmpty else { return }
    let next: Int
    if let current = state.selectedSession, let index = items.firstIndex(where: { $0.item.session.id == current.session.id }) {
        next = down ? min(items.count - 1, index + 1) : max(0, index - 1)
    } else {
        let here = (state.cursorDay, state.cursorMinutes)
        next = down ? items.firstIndex { ($0.day, $0.item.session.start.minutes) > here } ?? items.count - 1
            : items.lastIndex { ($0.day, $0.item.session.start.minutes) < here } ?? 0
    }
    let (day, item) = items[next]
    state.cursorDay = day
    state.cursorMinutes = item.session.start.minutes
    state.weekLane = state.sessionsAtCursor.firstIndex(of: item) ?? 0
    state.memberIndex = 1
}

func moveInWeek(_ state: inout AppState, _ action: Action) {
    if state.weekView == .agenda, action == .timeDown || action == .timeUp {
        moveInAgenda(&state, down: action == .timeDown)
        return
    }
    let first = state.gridStartMinutes
    let last = max(first, state.gridEndMinutes - 30)
    var weekChanged = false
    switch action {
    case .dayLeft:
        if state.cursorDay > 0 { state.cursorDay -= 1 } else { state.weekStart = state.weekStart.adding(days: -7); state.cursorDay = 6; weekChanged = true }
    case .dayRight:
        if state.cursorDay < 6 { state.cursorDay += 1 } else { state.weekStart = state.weekStart.adding(days: 7); state.cursorDay = 0; weekChanged = true }
    case .timeUp: state.cursorMinutes = max(first, state.cursorMinutes - 30)
    case .timeDown: state.cursorMinutes = min(last, state.cursorMinutes + 30)
    case .previousWeek: state.weekStart = state.weekStart.adding(days: -7); weekChanged = true
    case .nextWeek: state.weekStart = state.weekStart.adding(days: 7); weekChanged = true
    case .today:
        let today = state.today
        let start = today.startOfWeek(firstWeekday: state.firstWeekday)
        weekChanged = start != state.weekStart
        state.weekStart = start
        state.cursorDay = start.days(until: today)
    case .weekStart: state.cursorDay = 0
    case .weekEnd: state.cursorDay = 6
    default: break
    }
    if weekChanged {
        state.refreshWeek()
        clampCursorToGrid(&state)
    }
    state.memberIndex = 1
    state.weekLane = 0
}

/// Keeps the Week cursor inside the grid's hours (which follow the shown week's sessions).
func clampCursorToGrid(_ state: inout AppState) {
    state.cursorMinutes = min(max(state.cursorMinutes, state.gridStartMinutes), max(state.gridStartMinutes, state.gridEndMinutes - 30))
}

/// Jumps the week to the one holding `date` and puts the cursor on it.
func goTo(_ state: inout AppState, _ date: LocalDate) {
    let start = date.startOfWeek(firstWeekday: state.firstWeekday)
    state.weekStart = start
    state.cursorDay = start.days(until: date)
    state.refreshWeek()
    clampCursorToGrid(&state)
    state.memberIndex = 1
}
