import CaseloadCore
import Foundation

// The supervisor's co-signature queue (issue 19): `Q` or `:cosign` lists the notes and addenda waiting for the
// co-signature of the person at the keyboard, oldest session first; Enter opens one to read (NoteReading), where `S`
// co-signs it after asking, naming the co-signer and the local time. The Session pane's `S` on a note awaiting your
// co-signature asks the same question. Rules: Core/Rules/CoSigning.swift.

/// The queue overlay: what waits for the current user's co-signature, and which line is highlighted.
public struct CoSignQueueView: Equatable, Sendable {
    /// The co-signer whose queue it is.
    public var staff: StaffID
    public var items: [CoSignItem]
    /// Whether the co-signer supervises anyone (an empty queue says which it is).
    public var supervises: Bool
    public var selected = 0
}

extension AppState {
    /// Builds the queue again from the document (after a co-signature, or another instance's save taken in).
    mutating func refreshCoSignQueue() {
        guard var view = coSignQueue else { return }
        view.items = CoSigning.queue(for: view.staff, in: document)
        view.supervises = CoSigning.supervisesAnyone(view.staff, in: document)
        view.selected = min(max(0, view.selected), max(0, view.items.count - 1))
        coSignQueue = view
    }
}

/// Opens the queue for the person at the keyboard; someone who is no staff member has no queue.
func openCoSignQueue(_ state: inout AppState) {
    guard let me = state.signer else {
        state.message = StatusMessage("No co-signature queue: \(state.cannotSignText)", isError: true)
        return
    }
    state.record = nil
    state.coSignQueue = CoSignQueueView(staff: me.id, items: [], supervises: false)
    state.refreshCoSignQueue()
}

/// What a queued item is, in words: "Ana Diaz's note", "Group note", with "addendum 2 to" before it for an addendum.
func coSignWhat(_ target: CoSignTarget, in document: CaseloadDocument) -> String {
    let note = target.patient.map { "\(document.patient($0)?.displayName ?? "a former patient")'s note" } ?? "Group note"
    guard let addendum = target.addendum else { return note }
    return "Addendum \(addendum + 1) to " + (target.patient == nil ? "group note" : note)
}

func drawCoSignQueue(_ canvas: inout Canvas, _ state: AppState, _ view: CoSignQueueView) {
    let rect = recordRect(state)
    guard rect.width > 10, rect.height > 3 else { return }
    canvas.fill(rect, role: .overlay)
    let count = view.items.count
    canvas.box(rect, title: "Co-signature queue · \(count) waiting · oldest first", role: .overlayBorder, titleRole: .overlayTitle)
    let inner = rect.inset(1)
    guard inner.width > 2, inner.height > 0 else { return }
    guard count > 0 else {
        // Short lines: every word reads at 80 columns.
        let lines = view.supervises
            ? ["Nothing waits for your co-signature."]
            : ["You supervise nobody: no staff member names you as their supervisor.",
               "A director sets who supervises whom with :staff."]
        for (i, line) in (lines + ["Esc closes."]).enumerated() where i < inner.height {
            canvas.put(line, x: inner.x + 1, y: inner.y + i, role: i == lines.count ? .dim : .overlay, maxWidth: inner.width - 1)
        }
        return
    }
    // Columns: the session's day and start, the note and its session, who signed it, and the days it has waited.
    let whenWidth = 17, waitedWidth = 8
    let byWidth = max(8, min(24, (inner.width - whenWidth - waitedWidth - 2) / 3))
    let whatWidth = max(8, inner.width - 2 - whenWidth - byWidth - waitedWidth)
    let header = TextWidth.pad("session", width: whenWidth) + TextWidth.pad("note", width: whatWidth) + TextWidth.pad("signed by", width: byWidth)
        + TextWidth.pad("waiting", width: waitedWidth, alignRight: true)
    canvas.put(header, x: inner.x + 1, y: inner.y, role: .overlayTitle, bold: true, maxWidth: inner.width - 1)
    let rows = max(1, inner.height - 1)
    let top = max(0, min(view.selected - rows + 1, count - rows))
    for row in 0..<rows {
        let i = top + row
        guard i < count else { break }
        let item = view.items[i]
        let y = inner.y + 1 + row
        let selected = i == view.selected
        if selected { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
        let role: Role = selected ? .selection : .overlay
        let waited = item.daysWaiting(now: state.viewNow)
        let over = waited > state.document.program.clinical.coSignatureAlertDays
        var x = inner.x + 1
        canvas.put("\(dayText(item.date)) \(item.start)", x: x, y: y, role: role, maxWidth: whenWidth - 1)
        x += whenWidth
        canvas.put(coSignWhat(item.target, in: state.document) + " · " + item.title, x: x, y: y, role: role, maxWidth: whatWidth - 1)
        x += whatWidth
        canvas.put(state.document.staffMember(item.author)?.name ?? "a former staff member", x: x, y: y, role: role, maxWidth: byWidth - 1)
        x += byWidth
        canvas.put(TextWidth.pad(waited == 1 ? "1 day" : "\(waited) days", width: waitedWidth, alignRight: true), x: x, y: y,
                   role: selected ? role : over ? .statusError : role)
    }
    let position = " \(min(view.selected, count - 1) + 1) of \(count) "
    canvas.put(position, x: max(rect.x + 1, rect.maxX - 1 - TextWidth.of(position)), y: rect.maxY - 1, role: .overlayTitle)
}

/// The queue's keys (`Keymaps.coSignQueue`).
func handleCoSignQueueKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var view = state.coSignQueue else { return [] }
    guard let action = Keymaps.coSignQueue.action(for: key) else {
        state.message = StatusMessage("\(key) does nothing here; Enter reads the note, ? shows every key")
        return []
    }
    state.message = nil
    let count = view.items.count
    let page = max(1, recordRect(state).height - 3)
    switch action {
    case .moveDown: view.selected += 1
    case .moveUp: view.selected -= 1
    case .top: view.selected = 0
    case .bottom: view.selected = count - 1
    case .pageDown: view.selected += page
    case .pageUp: view.selected -= page
    case .openNote:
        guard let item = view.items[safe: view.selected] else { return [] }
        return openQueuedNote(&state, item)
    case .help:
        state.overlay = .help(scroll: 0)
    case .cancel:
        state.coSignQueue = nil
        return []
    default: break
    }
    view.selected = min(max(0, view.selected), max(0, count - 1))
    state.coSignQueue = view
    return []
}

/// Opens a queued note to read, over the queue; `S` there co-signs it.
private func openQueuedNote(_ state: inout AppState, _ item: CoSignItem) -> [Effect] {
    guard let session = state.document.session(item.target.session) else {
        state.message = StatusMessage("That session is no longer on record", isError: true)
        state.refreshCoSignQueue()
        return []
    }
    let scheduled = ScheduledSession(session: session, isStored: true)
    let whose = item.target.patient.flatMap { state.document.patient($0)?.displayName }.map { "\($0)'s note" } ?? "Group note"
    var view = NoteViewState(item: scheduled, patient: item.target.patient, title: "\(whose) · \(session.title) · \(dayText(session.date)) · read-only · S co-signs")
    view.coSignTarget = item.target
    state.noteView = view
    state.refreshNoteView()
    // Reading a note from the queue is opening the session's notes, as in the Session pane.
    return audited(&state, [notesOpenEvent(session: sessionAuditIDs(scheduled), patient: item.target.patient)])
}

// MARK: Co-signing

/// What in the open note waits for `staff`'s co-signature: the target the queue opened it for, or else the note's own
/// signature, or else its first addendum waiting.
func coSignTarget(in session: Session, patient: PatientID?, preferring wanted: CoSignTarget?, for staff: StaffID, in document: CaseloadDocument) -> CoSignTarget? {
    let mine = CoSigning.waiting(on: session, in: document).filter { $0.coSigner == staff && $0.target.patient == patient }.map(\.target)
    if let wanted, mine.contains(wanted) { return wanted }
    return mine.first { $0.addendum == nil } ?? mine.first
}

/// `S` on a signed note (in the Session pane or while reading it): asks to co-sign what waits for the user's co-signature,
/// or says why there is nothing to co-sign.
func askToCoSign(_ state: inout AppState, session: Session, patient: PatientID?, preferring wanted: CoSignTarget? = nil) -> [Effect] {
    guard let me = state.signer else { return refuseToSign(&state) }
    guard refuseIfReadOnly(&state) else { return [] }
    guard let target = coSignTarget(in: session, patient: patient, preferring: wanted, for: me.id, in: state.document) else {
        state.message = StatusMessage(nothingToCoSignText(state, session: session, patient: patient, me: me.id), isError: true)
        return []
    }
    let author: StaffID?, signedAt: Timestamp?
    if let patient { (author, signedAt) = authorship(session.memberNote(for: patient), target.addendum) } else { (author, signedAt) = authorship(session.groupNote, target.addendum) }
    let what = coSignWhat(target, in: state.document)
    let signed = author.map { " signed by \(state.staffText($0))" } ?? ""
    let on = signedAt.map { " on \(state.localText($0))" } ?? ""
    let dialog = ChoiceDialog(title: "Co-sign", lines: [
        "Co-sign \(what)\(signed)\(on), as \(me.signatureName), now (\(state.localText(Timestamp(state.recordNow))))? It is final afterwards; later additions are dated addenda (A).",
    ], options: [ChoiceOption("y", "co-sign as \(me.name)"), ChoiceOption("n", "not yet")])
    openModal(&state, .choice(dialog, .confirmCoSign(target)))
    return []
}

private func authorship<Note: SignableNote>(_ note: Note?, _ addendum: Int?) -> (StaffID?, Timestamp?) {
    guard let note, let signature = note.signature else { return (nil, nil) }
    guard let addendum else { return (signature.by, signature.at) }
    guard let a = note.addenda[safe: addendum] else { return (nil, nil) }
    return (a.by, a.at)
}

/// Why `S` on a signed note co-signs nothing, and what to do.
private func nothingToCoSignText(_ state: AppState, session: Session, patient: PatientID?, me: StaffID) -> String {
    let waiting = CoSigning.waiting(on: session, in: state.document).filter { $0.target.patient == patient }
    guard let first = waiting.first else { return "The note is signed and final; A adds an addendum" }
    if first.author == me { return "Your note waits for your supervisor's co-signature: nobody co-signs their own note" }
    let who = first.coSigner.map { state.staffText($0) } ?? "the author's supervisor (none named yet: a director sets it with :staff)"
    return "The note waits for co-signature by \(who); only they co-sign it"
}

/// The hint bar's bindings with the note view's `S co-sign` left out unless the open note has something waiting for the
/// user's co-signature.
func coSignHintFilter(_ state: AppState, _ bindings: [KeyBinding]) -> [KeyBinding] {
    guard let view = state.noteView, state.modal == nil, state.overlay == nil else { return bindings }
    let offered = state.signer.flatMap { me in
        coSignTarget(in: state.currentItem(view.item).session, patient: view.patient, preferring: view.coSignTarget, for: me.id, in: state.document)
    } != nil
    return offered ? bindings : bindings.filter { $0.action != .sign }
}

/// The answer to "Co-sign …?": `y` co-signs, as one undoable edit that undo will not take back (a co-signature is final).
func answerCoSignChoice(_ state: inout AppState, _ target: CoSignTarget, _ answer: Character) -> [Effect] {
    guard answer == "y" else {
        state.message = StatusMessage("Not co-signed; S co-signs when you are ready")
        return []
    }
    guard let me = state.signer else { return refuseToSign(&state) }
    let at = Timestamp(state.recordNow)
    let what = coSignWhat(target, in: state.document)
    let effects = sessionEdit(&state, label: "co-sign \(what)", done: "\(what) co-signed by \(me.signatureName) on \(state.localText(at)); it is final") { doc throws(EditError) in
        try CoSigning.coSign(target, by: me.id, at: at, in: doc)
    }
    guard !effects.isEmpty else { return effects }
    if state.coSignQueue != nil {
        // Back to the queue, which no longer lists it.
        state.noteView = nil
        state.refreshCoSignQueue()
    }
    return effects
}
