import CaseloadCore
import Foundation

// Issue 18: several instances write one document. What another instance saved reaches this one two ways: merged in by
// this instance's own save (`Msg.documentSaved`), or picked up between saves (`Msg.othersSaved`). Either way it is
// merged into the document in memory three ways (`TakeIn`), from the version it grew from; the cursor, open forms and
// a note being typed are left as they are (forms hold their own text; derived data is rebuilt, not reset).

/// Takes in `disk`, what the file holds now. `grewFrom` is the snapshot the save that wrote it was given (the base of
/// this merge: the document in memory is that snapshot plus edits made since); nil for a pick-up, whose base is the
/// version the document last took in (`sharedBase`).
func takeIn(_ state: inout AppState, disk: CaseloadDocument, grewFrom saved: CaseloadDocument?, conflicts: [MergeConflict]) -> [Effect] {
    let base = saved ?? state.sharedBase ?? disk
    state.sharedBase = disk
    let result = TakeIn.merge(document: state.document, base: base, disk: disk)
    state.conflicts = TakeIn.adding(conflicts + result.conflicts, to: state.conflicts)
    guard result.changed else { return [] }
    state.document = result.document
    state.documentDidChange()
    if state.message == nil || state.message?.isError == false {
        state.message = StatusMessage(state.conflicts.isEmpty ? "Changes saved by another person were merged in"
                                                              : "Changes saved by another person were merged in; \(conflictCount(state.conflicts.count)) to resolve")
    }
    // This instance's edits not saved yet go to the autosaver again, now on the new base. (Only when something was
    // merged in: handing over after every plain save would save once a second while a note form is open, since the
    // note being typed is in the saved snapshot but never in `document`.)
    return state.document == disk ? [] : [.documentChanged]
}

func conflictCount(_ n: Int) -> String { n == 1 ? "1 conflict" : "\(n) conflicts" }
