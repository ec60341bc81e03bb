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
