import CaseloadCore
import Foundation

// The one way the document changes from the UI: an edit through the undo history, then the derived data brought up to
// date from what the edit touched. Undo and redo go the same way.

func undoOrRedo(_ state: inout AppState, undo: Bool) -> [Effect] {
    if let reason = state.readOnlyReason {
        state.message = StatusMessage("Read-only: \(reason)", isError: true)
        return []
    }
    do {
        let applied = undo ? state.history.undoStack.last?.undo : state.history.redoStack.last?.redo
        let before = applied.map { auditSlice(of: state.document, for: $0) }
        let label = undo ? try state.history.undo(on: &state.document) : try state.history.redo(on: &state.document)
        guard let label else {
            state.message = StatusMessage(undo ? "Nothing to undo" : "Nothing to redo")
            return []
        }
        state.documentDidChange(after: applied)
        state.message = StatusMessage(undo ? "Undid: \(label)" : "Redid: \(label)")
        conflictsFollowUndo(&state, undo: undo)
        guard let applied, let before else { return [.documentChanged] }
        return [.documentChanged, .auditChange(auditChange(of: applied, before: before, after: auditSlice(of: state.document, for: applied), in: state.document))]
    } catch {
        state.message = StatusMessage("Cannot \(undo ? "undo" : "redo"): \(error)", isError: true)
        return []
    }
}

/// Applies an edit through the history, so it can be undone; refuses when read-only.
func edit(_ state: inout AppState, _ edit: DocumentEdit, label: String) -> [Effect] {
    if let reason = state.readOnlyReason {
        state.message = StatusMessage("Read-only: \(reason)", isError: true)
        return []
    }
    var edit = edit
    var found: [MergeConflict] = []
    if let origin = state.editOrigin, origin != state.document {
        // A form's edit, made against the document as it was when the form opened: others' saves taken in since stay.
        edit = edit.rebased(from: origin, in: state.document, conflicts: &found)
    }
    do {
        let before = auditSlice(of: state.document, for: edit)
        try state.history.perform(edit, label: label, on: &state.document)
        // Shown by the title bar's count (the caller's own message follows this edit).
        if !found.isEmpty { state.conflicts = TakeIn.adding(found, to: state.conflicts) }
        state.documentDidChange(after: edit)
        state.editsSinceSave += 1
        // The trail names the fields that changed, never their values (AuditEvent.changes), worked out off this thread.
        return [.documentChanged, .auditChange(auditChange(of: edit, before: before, after: auditSlice(of: state.document, for: edit), in: state.document))]
    } catch {
        state.message = StatusMessage("Not changed: \(error)", isError: true)
        return []
    }
}

