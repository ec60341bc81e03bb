import CaseloadCore
import Foundation

// Issue 18: several instances write one document. What another instance saved reaches this one two ways: merged in by
// this instance's own save (`Msg.documentSaved`), or picked up between saves (`Msg.othersSaved`). Either way it is
// merged into the document in memory three ways, from the version it grew from; the cursor, open forms and a note
// being typed are left as they are (forms hold their own text; derived data is rebuilt, not reset).

/// Takes in `disk`, what the file holds now. `grewFrom` is the snapshot the save that wrote it was given (the base of
/// this merge: the document in memory is that snapshot plus edits made since); nil for a pick-up, whose base is the
/// version the document last took in (`sharedBase`).
func takeIn(_ state: inout AppState, disk: CaseloadDocument, grewFrom saved: CaseloadDocument?, conflicts: [MergeConflict]) -> [Effect] {
    let base = saved ?? state.sharedBase
    state.sharedBase = disk
    addConflicts(&state, conflicts)
    guard let base, state.document != disk else { return [] }
    // A save of this instance's own snapshot, nothing merged: only the base moved. Edits made since are already with
    // the autosaver (on the older base, which merges the same), and a note being typed is never in `document`: handing
    // it over again here would save once a second for as long as a note form is open.
    if let saved, saved == disk { return [] }
    if state.document == base {
        // Nothing of this instance's waits to be saved: the file's version as it is.
        state.document = disk
    } else {
        let result = DocumentMerge.merge(base: base, theirs: disk, mine: state.document)
        state.document = result.merged
        addConflicts(&state, result.conflicts)
    }
    state.documentDidChange()
    if state.message == nil || state.message?.isError == false {
        state.message = StatusMessage(state.conflicts.isEmpty ? "Changes saved by another person were merged in"
                                                              : "Changes saved by another person were merged in; \(conflictCount(state.conflicts.count)) to resolve")
    }
    // Edits of this instance not saved yet: handed to the autosaver again, now on the new base.
    return state.document == disk ? [] : [.documentChanged]
}

/// Newer conflicts replace older ones about the same field.
private func addConflicts(_ state: inout AppState, _ found: [MergeConflict]) {
    for conflict in found {
        state.conflicts.removeAll { $0.entity == conflict.entity && $0.path == conflict.path }
        state.conflicts.append(conflict)
    }
}

func conflictCount(_ n: Int) -> String { n == 1 ? "1 conflict" : "\(n) conflicts" }
