import CaseloadCore
import Foundation

// The patient record over the panes: where it is drawn and how keys scroll and act in it.

func recordRect(_ state: AppState) -> Rect {
    // Over the whole body on narrow screens; centred, at most 100 wide, on wide ones.
    let width = min(state.width, 100)
    return Rect(x: max(0, (state.width - width) / 2), y: 1, width: max(0, width), height: max(0, state.height - 2))
}

func handleRecordKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var record = state.record else { return [] }
    let action = Keymaps.record.action(for: key) ?? Keymaps.global.action(for: key)
    guard let action else {
        state.message = StatusMessage("\(key) does nothing in the record; Esc closes it, ? shows every key")
        return []
    }
    state.message = nil
    // Reading an evaluation (V): closing goes back to the record, not out of it.
    if action == .closeRecord, record.reading != nil {
        record.reading = nil
        record.scroll = 0
        state.record = record
        state.refreshRecord()
        return []
    }
    let page = max(1, recordVisibleRows(for: recordRect(state)))
    let maxScroll = max(0, record.lines.count - page)
    switch action {
    case .moveDown: record.scroll += 1
    case .moveUp: record.scroll -= 1
    case .pageDown: record.scroll += page
    case .pageUp: record.scroll -= page
    case .top: record.scroll = 0
    case .bottom: record.scroll = maxScroll
    case .previousWeek, .nextWeek:
        scrollCourse(&state, record, older: action == .previousWeek)
        return []
    case .focusNext, .focusPrevious, .focus:
        // Pane keys close the record and go where they point.
        state.record = nil
        return perform(&state, action)
    default:
        return perform(&state, action)
    }
    record.scroll = min(max(0, record.scroll), maxScroll)
    state.record = record
    return []
}

/// `[` / `]`: moves the course timeline's window a week older or newer (the record rebuilds its lines and holds the offset
/// to the weeks there are), brings the section's grid into view when it is off the screen, and says so when there is no further to go.
private func scrollCourse(_ state: inout AppState, _ record: RecordState, older: Bool) {
    let before = record.courseOffset
    var record = record
    record.courseOffset = max(0, before + (older ? 1 : -1))
    state.record = record
    state.refreshRecord()
    guard var shown = state.record else { return }
    if shown.courseOffset == before {
        state.message = StatusMessage(older ? "The course of treatment already shows its first week" : "The course of treatment already shows its newest week")
    }
    let rows = max(1, recordVisibleRows(for: recordRect(state)))
    if let heading = shown.lines.firstIndex(where: { $0.section == RecordSection.course }),
       heading < shown.scroll || heading + 6 > shown.scroll + rows {
        shown.scroll = min(heading, max(0, shown.lines.count - rows))
        state.record = shown
    }
}
