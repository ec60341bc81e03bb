import CaseloadCore
import Foundation

// Keys for what sits over the panes, topmost first; each overlay's keys come from its table in Input/Keymap.swift.

/// Gives a key to the topmost overlay: help or a yes/no question, the modal question, a note open for reading, alerts, conflicts, the report preview, the form
/// stack. Nil when no overlay is open, so the key goes on to the panes.
func handleOverlayKey(_ state: inout AppState, _ key: Key) -> [Effect]? {
    switch state.overlay {
    case .help(let scroll)?: return handleHelpKey(&state, scroll, key)
    case .confirm(_, let onYes)?: return handleConfirmKey(&state, onYes, key)
    case nil: break
    }
    if state.modal != nil { return handleModalKey(&state, key) }
    if state.measureEntry != nil { return handleMeasureEntryKey(&state, key) }
    if state.noteView != nil { return handleNoteViewKey(&state, key) }
    if state.coSignQueue != nil { return handleCoSignQueueKey(&state, key) }
    if state.alertsView != nil { return handleAlertsKey(&state, key) }
    if state.conflictsView != nil { return handleConflictsKey(&state, key) }
    if state.reportPreview != nil { return handleReportKey(&state, key) }
    if !state.forms.isEmpty { return handleFormKey(&state, key) }
    return nil
}

/// Help scrolls with `Keymaps.help`, no further than its last page (so ↑ answers at once after going past the end); any key
/// it does not bind closes it, like Esc.
private func handleHelpKey(_ state: inout AppState, _ scroll: Int, _ key: Key) -> [Effect] {
    let page = max(1, state.height - 6)
    // drawHelp shows height - 4 lines (the box inside a one-row margin).
    let last = max(0, helpLines(width: helpTextWidth(state.width)).count - max(1, state.height - 4))
    let scrolled: Int
    switch Keymaps.help.action(for: key) {
    case .moveDown?: scrolled = scroll + 1
    case .moveUp?: scrolled = scroll - 1
    case .pageDown?: scrolled = scroll + page
    case .pageUp?: scrolled = scroll - page
    case .top?: scrolled = 0
    case .bottom?: scrolled = last
    default:
        state.overlay = nil
        return []
    }
    state.overlay = .help(scroll: min(max(0, scrolled), last))
    return []
}

/// A yes/no question (`Keymaps.confirm`): yes runs `onYes`, no cancels; other keys wait for an answer.
private func handleConfirmKey(_ state: inout AppState, _ onYes: ConfirmAction, _ key: Key) -> [Effect] {
    switch Keymaps.confirm.action(for: key) {
    case .yes?:
        state.overlay = nil
        switch onYes {
        case .quitWithoutSaving: return [.quitWithoutSaving]
        case .discardForm:
            if let title = state.forms.popLast()?.form.title { state.message = StatusMessage("Discarded: \(title)") }
            // A note's autosaved draft goes too.
            return [.draftChanged]
        case .quitLosingConflicts:
            return quitting(&state, confirmed: true)
        case .replaceFile(var request):
            request.replace = true
            return [.prepareWrite(request)]
        }
    case .no?:
        state.overlay = nil
        state.message = StatusMessage("Cancelled")
    default:
        break
    }
    return []
}
