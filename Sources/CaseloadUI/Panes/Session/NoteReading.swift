import CaseloadCore
import Foundation

// Reading a note in full from the Session pane (v, or Enter on a signed note): the text, who signed it and when in the
// program's local time, and every addendum — read-only, over the panes like the Record.

/// The note open for reading: which one, its lines for the current width, and the scroll.
public struct NoteViewState: Equatable, Sendable {
    public var item: ScheduledSession
    /// The member whose note it is; nil for the group note.
    public var patient: PatientID?
    public var title: String
    public var lines: [RecordLine] = []
    public var scroll = 0
    /// What `S` co-signs when the note was opened from the co-signature queue (the addendum it listed, say).
    public var coSignTarget: CoSignTarget?
}

extension AppState {
    /// Rebuilds the open note's lines for the screen width (after a resize or a document change such as an addendum).
    mutating func refreshNoteView() {
        guard var view = noteView else { return }
        let item = currentItem(view.item)
        view.lines = noteLines(item.session, patient: view.patient, width: max(1, recordRect(self).width - 4))
        view.scroll = min(view.scroll, max(0, view.lines.count - 1))
        noteView = view
    }

    /// The note's text as lines `width` cells wide: headings, paragraphs, then the signature and addenda.
    func noteLines(_ s: Session, patient: PatientID?, width: Int) -> [RecordLine] {
        var lines: [RecordLine] = []
        func paragraph(_ segments: [RecordSegment], indent: Int = 2) {
            for line in wrapRecordSegments(segments, width: width, indent: indent, hang: 0) { lines.append(RecordLine(segments: line)) }
        }
        func text(_ body: String) {
            let paragraphs = body.components(separatedBy: "\n")
            if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                paragraph([RecordSegment("(nothing written)", role: .dim)])
                return
            }
            for p in paragraphs { p.isEmpty ? lines.append(RecordLine(segments: [])) : paragraph([RecordSegment(p)]) }
        }
        func heading(_ name: String) {
            if !lines.isEmpty { lines.append(RecordLine(segments: [])) }
            paragraph([RecordSegment(name, role: .header, bold: true)], indent: 0)
        }
        let signature: Signature?, addenda: [Addendum], author: StaffID?, updated: Timestamp?
        if let patient {
            guard let note = s.memberNote(for: patient) else { return [RecordLine(segments: [RecordSegment("No note written.", role: .dim)])] }
            for section in note.sections {
                heading(section.heading)
                text(section.text)
            }
            (signature, addenda, author, updated) = (note.signature, note.addenda, note.author, note.updated)
        } else {
            guard let note = s.groupNote else { return [RecordLine(segments: [RecordSegment("No group note written.", role: .dim)])] }
            heading("Topic")
            text(note.topic)
            if let modality = note.modality {
                heading("Modality")
                text(modality.label)
            }
            heading("Narrative")
            text(note.narrative)
            (signature, addenda, author, updated) = (note.signature, note.addenda, note.author, note.updated)
        }
        heading("Signature")
        if let signature {
            paragraph([RecordSegment("Signed by "), RecordSegment(staffText(signature.by), bold: true), RecordSegment(" on \(localText(signature.at))")])
            if let co = coSignatureSegments(signature.coSignature, needed: signature.needsCoSignature, author: signature.by) { paragraph(co) }
        } else {
            var draft = [RecordSegment("Draft, not signed", role: .statusWarning, bold: true)]
            if let author { draft.append(RecordSegment(" · written by \(staffText(author))", role: .dim)) }
            if let updated { draft.append(RecordSegment(" · last changed \(localText(updated))", role: .dim)) }
            paragraph(draft)
        }
        for (i, addendum) in addenda.enumerated() {
            heading("Addendum \(i + 1)")
            paragraph([RecordSegment(staffText(addendum.by), bold: true), RecordSegment(" on \(localText(addendum.at))", role: .dim)])
            if let co = coSignatureSegments(addendum.coSignature, needed: addendum.needsCoSignature, author: addendum.by) { paragraph(co) }
            text(addendum.text)
        }
        return lines
    }

    /// "Co-signed by … on …", or "◐ Awaiting co-signature by …"; nil when none is needed.
    func coSignatureSegments(_ co: CoSignature?, needed: Bool, author: StaffID) -> [RecordSegment]? {
        if let co { return [RecordSegment("Co-signed by "), RecordSegment(staffText(co.by), bold: true), RecordSegment(" on \(localText(co.at))")] }
        guard needed else { return nil }
        let who = CoSigning.coSigner(for: author, in: document).map(staffText) ?? "a supervisor (none named yet: :staff)"
        return [RecordSegment("◐ Awaiting co-signature by \(who)", role: .statusWarning, bold: true)]
    }
}

/// Opens the note of the Session row under the cursor for reading.
func openNoteView(_ state: inout AppState, _ item: ScheduledSession) -> [Effect] {
    let s = item.session
    let patient = state.selectedMember
    if let patient {
        guard s.memberNote(for: patient.id) != nil else {
            state.message = StatusMessage("\(patient.displayName) has no note here yet: Enter writes it")
            return []
        }
    } else if s.groupNote == nil {
        state.message = StatusMessage("No group note yet: G writes it")
        return []
    }
    let whose = patient.map { "\($0.displayName)'s note" } ?? "Group note"
    state.noteView = NoteViewState(item: item, patient: patient?.id, title: "\(whose) · \(s.title) · \(dayText(s.date)) · read-only")
    state.refreshNoteView()
    return []
}

/// Keys while a note is open for reading (`Keymaps.noteView`).
func handleNoteViewKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var view = state.noteView else { return [] }
    let page = max(1, recordVisibleRows(for: recordRect(state)))
    let last = max(0, view.lines.count - page)
    switch Keymaps.noteView.action(for: key) {
    case .moveDown?: view.scroll += 1
    case .moveUp?: view.scroll -= 1
    case .pageDown?: view.scroll += page
    case .pageUp?: view.scroll -= page
    case .top?: view.scroll = 0
    case .bottom?: view.scroll = last
    case .cancel?:
        state.noteView = nil
        return []
    case .help?:
        state.overlay = .help(scroll: 0)
        return []
    case .sign?:
        return askToCoSign(&state, session: state.currentItem(view.item).session, patient: view.patient, preferring: view.coSignTarget)
    default:
        state.message = StatusMessage("The note is read-only here: Esc closes it, then A adds an addendum to a signed note")
        return []
    }
    view.scroll = min(max(0, view.scroll), last)
    state.noteView = view
    return []
}
