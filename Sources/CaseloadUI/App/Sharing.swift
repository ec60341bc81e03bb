import CaseloadCore
import Foundation

// Issue 18: several instances write one document. What another instance saved reaches this one two ways: merged in by
// this instance's own save (`Msg.documentSaved`), or picked up between saves (`Msg.othersSaved`). Either way it is
// merged into the document in memory three ways (`TakeIn`), from the version it grew from; the cursor, open forms and
// a note being typed are left as they are (forms hold their own text; derived data is rebuilt, not reset).

/// Takes in `disk`, what the file holds now. `grewFrom` is the snapshot the save that wrote it was given, and
/// `savedBase` the version that snapshot grew from; both nil for a pick-up, whose base is the version the document last
/// took in (`sharedBase`).
func takeIn(_ state: inout AppState, disk: CaseloadDocument, grewFrom saved: CaseloadDocument?, savedBase: CaseloadDocument?,
            conflicts: [MergeConflict]) -> [Effect] {
    // The note being typed is in every saved snapshot and file but never in `document` (the form holds it): it is left
    // out of the comparison, or each save would look like a change of it. Its form is rebased when it is saved.
    let now = state
    func plain(_ doc: CaseloadDocument) -> CaseloadDocument { withoutDraft(doc, like: now) }
    let base: CaseloadDocument
    if let saved {
        // The document grew from the snapshot, plus what was taken in since the snapshot was handed over (a pick-up,
        // or an earlier save's news).
        base = TakeIn.base(saved: plain(saved), savedBase: savedBase.map(plain), current: state.sharedBase.map(plain))
    } else {
        base = plain(state.sharedBase ?? disk)
    }
    state.sharedBase = disk
    let result = TakeIn.merge(document: state.document, base: base, disk: plain(disk))
    state.conflicts = TakeIn.adding(conflicts + result.conflicts, to: state.conflicts)
    guard result.changed else { return [] }
    state.document = result.document
    state.documentDidChange()
    if state.message == nil || state.message?.isError == false {
        state.message = StatusMessage(state.conflicts.isEmpty ? "Changes saved by another person were merged in"
                                                              : "Changes saved by another person were merged in; \(conflictCount(state.conflicts.count)) to resolve (C lists them)")
    }
    // This instance's edits not saved yet go to the autosaver again, now on the new base. (Only when something was
    // merged in: handing over after every plain save would save once a second while a note form is open.)
    return state.document == plain(disk) ? [] : [.documentChanged]
}

/// `doc` with the note the open form is writing as `state.document` has it (the draft left out).
func withoutDraft(_ doc: CaseloadDocument, like state: AppState) -> CaseloadDocument {
    guard let frame = state.forms.last else { return doc }
    let item: ScheduledSession, patient: PatientID?
    switch frame.purpose {
    case .groupNote(let i): (item, patient) = (i, nil)
    case .memberNote(let i, let p): (item, patient) = (i, p)
    default: return doc
    }
    let id = item.session.id
    guard let index = doc.sessions.firstIndex(where: { $0.id == id }) else { return doc }
    var copy = doc
    copy.sessions[index] = doc.sessions[index].withNote(of: patient, from: state.document.session(id))
    return copy
}

func conflictCount(_ n: Int) -> String { n == 1 ? "1 conflict" : "\(n) conflicts" }
