import CaseloadCore
import Foundation

// Merge conflicts (issue 18): after a merge the document holds the other person's value and `AppState.conflicts` this
// instance's. The title bar counts them, `C` or `:conflicts` lists them with both values, and a key resolves the
// highlighted one through `edit` (undoable, audited, autosaved) with `MergeResolution`'s edit.

/// The merge conflicts overlay: which conflict is highlighted.
public struct ConflictsView: Equatable, Sendable {
    /// Index into `AppState.conflicts` of the highlighted conflict.
    public var selected = 0
    public init() {}
}

/// A conflict resolved by an edit, kept so undo can list it again.
struct ResolvedConflict: Equatable, Sendable {
    var conflict: MergeConflict
    /// The edit that resolved it, as the undo history holds it.
    var edit: DocumentEdit
    /// How many are kept: enough for any run of undos a person makes, not a copy of every patient ever resolved.
    static let limit = 50
}

/// After an undo or redo: undoing a resolution lists its conflict again (the value it put back is no longer in the
/// document, so the conflict is again the only place it is kept); redoing it resolves it again.
func conflictsFollowUndo(_ state: inout AppState, undo: Bool) {
    let entry = undo ? state.history.redoStack.last : state.history.undoStack.last
    guard let entry, let resolved = state.resolvedConflicts.last(where: { $0.edit == entry.redo }) else { return }
    if undo {
        guard !state.conflicts.contains(resolved.conflict) else { return }
        state.conflicts.append(resolved.conflict)
        state.message = StatusMessage((state.message?.text ?? "Undid") + "; the conflict is listed again (C)")
    } else if let i = state.conflicts.firstIndex(of: resolved.conflict) {
        state.conflicts.remove(at: i)
        if let view = state.conflictsView {
            if state.conflicts.isEmpty { state.conflictsView = nil } else { state.conflictsView?.selected = min(view.selected, state.conflicts.count - 1) }
        }
    }
}

/// Opens the list, or says there is nothing in it.
func openConflicts(_ state: inout AppState) {
    guard !state.conflicts.isEmpty else {
        state.message = StatusMessage("No conflicts: nothing another person saved differs from yours")
        return
    }
    state.conflictsView = ConflictsView()
}

/// The title bar's count ("⚠ 2 conflicts · "), in the error colour; "" when there are none.
func conflictsBadge(_ state: AppState) -> String {
    switch state.conflicts.count {
    case 0: ""
    case 1: "⚠ 1 conflict · "
    case let n: "⚠ \(n) conflicts · "
    }
}

/// The hint bar's bindings with `C conflicts` first while there are conflicts, and left out while there are none; in
/// the list, only the choices the highlighted conflict offers.
func conflictsHintFirst(_ state: AppState, _ bindings: [KeyBinding]) -> [KeyBinding] {
    if let view = state.conflictsView, state.overlay == nil, state.modal == nil, let conflict = state.conflicts[safe: view.selected] {
        let offered = MergeResolution.choices(for: conflict, in: state.document)
        return bindings.filter { binding in conflictChoice(binding.action).map(offered.contains) ?? true }
    }
    guard let i = bindings.firstIndex(where: { $0.action == .conflicts }) else { return bindings }
    var out = bindings
    let binding = out.remove(at: i)
    if !state.conflicts.isEmpty { out.insert(binding, at: 0) }
    return out
}

/// The choice a key of the list makes; nil for its other keys.
private func conflictChoice(_ action: Action) -> ConflictChoice? {
    switch action {
    case .keepTheirs: .theirs
    case .keepMine: .mine
    case .keepBoth: .both
    case .addAsAddendum: .addendum
    default: nil
    }
}

/// The question quitting asks while conflicts are unresolved; nil when there are none.
func quitWithConflictsQuestion(_ state: AppState) -> String? {
    let n = state.conflicts.count
    guard n > 0 else { return nil }
    return "\(n == 1 ? "1 conflict is" : "\(n) conflicts are") not resolved: the file keeps the other person's "
        + "\(n == 1 ? "value" : "values"), and yours will be lost. Quit anyway? (y/n; n, then C lists them)"
}

// MARK: Words

/// Who or what a conflict is about, as people know it: a patient's name, a session's title and date, a series' title, a
/// staff member's name.
func conflictSubject(_ entity: MergeConflict.Entity, in document: CaseloadDocument) -> String {
    switch entity {
    case .program: return "The program"
    case .staff(let id): return document.staffMember(id).map { "\($0.name) (staff)" } ?? "A staff member no longer listed"
    case .patient(let id): return document.patient(id)?.displayName ?? "A patient no longer listed"
    case .series(let id): return document.series(id).map { "\($0.title) (weekly group)" } ?? "A weekly group no longer listed"
    case .session(let id):
        guard let s = document.session(id) else { return "A session no longer listed" }
        return "\(s.title), \(s.date.weekday.shortName) \(s.date.iso)"
    }
}

/// Where in it, in words: "consents › con_2 › revoked", "attendance › Ana Diaz"; a patient's id is shown as their name.
func conflictPlace(_ path: String, in document: CaseloadDocument) -> String {
    guard !path.isEmpty else { return "the whole record" }
    guard let parts = MergeResolution.pathParts(path) else { return path }
    return parts.map { part in
        guard part.isElement else { return words(part.name) }
        if let patient = document.patient(PatientID(part.name)) { return patient.displayName }
        if let index = Int(part.name) { return "no. \(index + 1)" }
        return part.name
    }.joined(separator: " › ")
}

/// A value as the list shows it: an object (a mark: `{"patient":…,"status":"late","minutesLate":15}`) as its case and its
/// fields in words ("late, minutes late 15"), anything else as the conflict's text.
func conflictValueText(_ json: String?, _ text: String) -> String {
    guard let data = json?.data(using: .utf8),
          let object = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? [String: Any] else { return text }
    let cases: Set<String> = ["status", "state"]
    // The case first, then the rest by name; the key that says whose it is (`patient`, `id`) is already in the heading.
    let keys = object.keys.filter { $0 != "id" && $0 != "patient" }.sorted { a, b in
        cases.contains(a) != cases.contains(b) ? cases.contains(a) : a < b
    }
    let parts = keys.compactMap { key -> String? in
        guard let value = object[key] else { return nil }
        let shown: String
        if let string = value as? String {
            shown = string
        } else if let piece = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]),
                  let string = String(data: piece, encoding: .utf8) {
            shown = string
        } else {
            return nil
        }
        return cases.contains(key) ? words(shown) : "\(words(key)) \(shown)"
    }
    return parts.isEmpty ? text : parts.joined(separator: ", ")
}

/// "primaryClinician" → "primary clinician".
private func words(_ key: String) -> String {
    var out = ""
    for c in key {
        if c.isUppercase, !out.isEmpty { out.append(" ") }
        out.append(contentsOf: c.lowercased())
    }
    return out
}

private extension ConflictChoice {
    var key: String {
        switch self {
        case .theirs: "t"
        case .mine: "m"
        case .both: "b"
        case .addendum: "a"
        }
    }
}

/// The choices a conflict offers, as its last line says them.
func conflictChoicesText(_ conflict: MergeConflict, in document: CaseloadDocument) -> String {
    let choices = MergeResolution.choices(for: conflict, in: document)
    return choices.map { choice in
        let word: String
        switch (choice, conflict.kind) {
        case (.theirs, .proposedAddendum) where choices.contains(.addendum): word = "discard"
        case (.theirs, _) where choices == [.theirs]: word = "ok"
        default: word = choice.word
        }
        return "\(choice.key) \(word)"
    }.joined(separator: " · ")
}

/// What happened, when the values alone do not say it.
private func conflictExplanation(_ conflict: MergeConflict, in document: CaseloadDocument) -> String? {
    switch conflict.kind {
    case .field: return nil
    case .removedChanged:
        return "Removed on one side and changed on the other: the changed one was kept, for everyone."
    case .proposedAddendum:
        return MergeResolution.proposesMyAddendum(conflict, in: document)
            ? "You edited this note while another person signed it: the signed note stays; your edit can be added as an addendum."
            : "You signed this note while another person edited it: the signed note stays; they are offered their edit as an addendum."
    case .entity:
        return "Could not be merged field by field: the saved version is in the document."
    }
}

// MARK: Lines and layout

/// The overlay's lines for text `width` cells wide: per conflict its subject and place, what happened, both values (each
/// line of a value wrapped, never cut), and its choices. `alertIndex` is the conflict's index, so the alerts' paging
/// (`AlertsLayout`) serves here too.
func conflictLines(_ conflicts: [MergeConflict], in document: CaseloadDocument, width: Int) -> [AlertLine] {
    var lines: [AlertLine] = []
    let indent = 4
    func add(_ text: String, _ i: Int, lead: String, heading: Bool = false) {
        var first = true
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            for part in wrapWords(paragraph, width: max(1, width - indent)) {
                lines.append(AlertLine(text: (first ? lead : String(repeating: " ", count: indent)) + part, isHeading: heading, alertIndex: i))
                first = false
            }
        }
    }
    for (i, conflict) in conflicts.enumerated() {
        if i > 0 { lines.append(AlertLine(text: "")) }
        // Where the values sit: a mark whose case differs is the whole mark, not its status alone.
        let place = conflictPlace(conflict.valuePath, in: document)
        add("\(conflictSubject(conflict.entity, in: document)) · \(place)", i, lead: "  • ", heading: true)
        if let why = conflictExplanation(conflict, in: document) { add(why, i, lead: String(repeating: " ", count: indent)) }
        let mineIsEdit = MergeResolution.proposesMyAddendum(conflict, in: document)
        let (theirLabel, myLabel) = conflict.kind == .proposedAddendum
            ? (mineIsEdit ? ("signed", "your edit") : ("their edit", "signed by you"))
            : ("saved by another person", "yours")
        add("\(theirLabel): \(conflictValueText(conflict.theirsJSON, conflict.theirs))", i, lead: String(repeating: " ", count: indent))
        add("\(myLabel): \(conflictValueText(conflict.mineJSON, conflict.mine))", i, lead: String(repeating: " ", count: indent))
        add(conflictChoicesText(conflict, in: document), i, lead: String(repeating: " ", count: indent))
    }
    return lines
}

/// The overlay's frame and lines for a terminal size, paged like the alerts.
func conflictsLayout(_ state: AppState, width: Int, height: Int) -> AlertsLayout {
    let boxWidth = min(width - 2, 96)
    let frame = Rect(x: (width - boxWidth) / 2, y: 1, width: boxWidth, height: height - 2)
    // One cell of margin on each side inside the border.
    return AlertsLayout(frame: frame, lines: conflictLines(state.conflicts, in: state.document, width: frame.width - 4))
}

func drawConflicts(_ canvas: inout Canvas, _ state: AppState, _ view: ConflictsView) {
    let layout = conflictsLayout(state, width: canvas.width, height: canvas.height)
    let rect = layout.frame
    guard rect.width > 10, rect.height > 3 else { return }
    canvas.fill(rect, role: .overlay)
    let count = state.conflicts.count
    canvas.box(rect, title: "Conflicts · \(count) · t theirs · m mine · Esc closes", role: .overlayBorder, titleRole: .overlayTitle)
    let inner = rect.inset(1)
    guard count > 0 else {
        canvas.put("No conflicts left.", x: inner.x + 1, y: inner.y, role: .overlay, maxWidth: inner.width - 1)
        return
    }
    let selected = layout.span(of: view.selected)
    let top = layout.top(selected: view.selected)
    for row in 0..<inner.height {
        let i = top + row
        guard i < layout.lines.count else { break }
        let line = layout.lines[i]
        let y = inner.y + row
        // Every line of the highlighted conflict is highlighted, so it reads as one item.
        let isSelected = selected.contains(i)
        if isSelected { canvas.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
        let role: Role = isSelected ? .selection : line.isHeading ? .overlayTitle : .overlay
        canvas.put(line.text, x: inner.x + 1, y: y, role: role, bold: line.isHeading, maxWidth: inner.width - 1)
    }
    let position = " conflict \(min(view.selected, count - 1) + 1) of \(count) "
    canvas.put(position, x: max(rect.x + 1, rect.maxX - 1 - TextWidth.of(position)), y: rect.maxY - 1, role: .overlayTitle)
}

// MARK: Keys

/// The overlay's keys (`Keymaps.conflicts`).
func handleConflictsKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var view = state.conflictsView else { return [] }
    guard let action = Keymaps.conflicts.action(for: key) else {
        state.message = StatusMessage("\(key) does nothing here; ? shows every key")
        return []
    }
    state.message = nil
    let count = state.conflicts.count
    let layout = conflictsLayout(state, width: state.width, height: state.height)
    let page = max(1, layout.rows)
    switch action {
    case .moveDown: view.selected += 1
    case .moveUp: view.selected -= 1
    case .top: view.selected = 0
    case .bottom: view.selected = count - 1
    case .halfPageDown: view.selected = layout.alert(from: view.selected, movingLines: max(1, page / 2), count: count)
    case .halfPageUp: view.selected = layout.alert(from: view.selected, movingLines: -max(1, page / 2), count: count)
    case .pageDown: view.selected = layout.alert(from: view.selected, movingLines: page, count: count)
    case .pageUp: view.selected = layout.alert(from: view.selected, movingLines: -page, count: count)
    case .keepTheirs, .keepMine, .keepBoth, .addAsAddendum:
        return conflictChoice(action).map { resolveConflict(&state, $0) } ?? []
    case .goToAlert:
        state.conflictsView = nil
        if let conflict = state.conflicts[safe: view.selected] { goToConflict(&state, conflict) }
        return []
    case .help:
        state.overlay = .help(scroll: 0)
    case .cancel:
        state.conflictsView = nil
        return []
    default: break
    }
    view.selected = min(max(0, view.selected), max(0, count - 1))
    state.conflictsView = view
    return []
}

/// Resolves the highlighted conflict as chosen: the edit (if any) goes through `edit`, then the conflict leaves the list.
func resolveConflict(_ state: inout AppState, _ choice: ConflictChoice) -> [Effect] {
    guard var view = state.conflictsView, let conflict = state.conflicts[safe: view.selected] else { return [] }
    let offered = MergeResolution.choices(for: conflict, in: state.document)
    guard offered.contains(choice) else {
        state.message = StatusMessage("Not offered for this conflict; it offers: \(conflictChoicesText(conflict, in: state.document))", isError: true)
        return []
    }
    if choice != .theirs, let reason = state.readOnlyReason {
        state.message = StatusMessage("Read-only: \(reason)", isError: true)
        return []
    }
    if choice == .addendum, state.signer == nil {
        state.message = StatusMessage(state.cannotSignText, isError: true)
        return []
    }
    let subject = conflictSubject(conflict.entity, in: state.document)
    let place = conflictPlace(conflict.valuePath, in: state.document)
    let change: DocumentEdit?
    do {
        change = try MergeResolution.edit(resolving: conflict, with: choice, in: state.document, signer: state.signer?.id, now: Timestamp(state.recordNow))
    } catch {
        state.message = StatusMessage("Not resolved: \(error)", isError: true)
        return []
    }
    var effects: [Effect] = []
    if let change {
        let label: String
        switch choice {
        case .addendum: label = "addendum from a conflict on \(subject)"
        case .both: label = "keep both values of \(place) of \(subject)"
        default: label = "keep your \(place) of \(subject)"
        }
        effects = edit(&state, change, label: label)
        // `edit` said why it refused; the conflict stays.
        guard effects.contains(.documentChanged) else { return effects }
        state.resolvedConflicts.append(ResolvedConflict(conflict: conflict, edit: change))
        if state.resolvedConflicts.count > ResolvedConflict.limit { state.resolvedConflicts.removeFirst() }
    }
    state.conflicts.remove(at: view.selected)
    let done: String
    switch choice {
    case .theirs: done = "Kept the saved value of \(place) of \(subject)"
    case .mine: done = "Kept yours: \(place) of \(subject) (u undoes)"
    case .both: done = "Kept both: \(place) of \(subject) (u undoes)"
    case .addendum: done = "Addendum added to the signed note of \(subject), signed by \(state.signer?.signatureName ?? "you") (u undoes)"
    }
    let left = state.conflicts.count
    if left == 0 {
        state.conflictsView = nil
        state.message = StatusMessage(done + "; no conflicts left")
    } else {
        view.selected = min(view.selected, left - 1)
        state.conflictsView = view
        state.message = StatusMessage(done + "; \(left) left")
    }
    return effects
}

/// Enter: the patient's record, or the session in the Week and Session panes; the conflict stays listed.
private func goToConflict(_ state: inout AppState, _ conflict: MergeConflict) {
    switch conflict.entity {
    case .patient(let id) where state.document.patient(id) != nil:
        state.focus = .patients
        showInList(&state, id)
        state.record = RecordState(patient: id)
        state.refreshRecord()
    case .session(let id) where state.schedule.stored(id) != nil:
        guard let session = state.schedule.stored(id) else { return }
        state.record = nil
        goTo(&state, session.date)
        state.cursorMinutes = session.start.minutes / 30 * 30
        clampCursorToGrid(&state)
        if let lane = state.sessionsAtCursor.firstIndex(where: { $0.session.id == id }) { state.weekLane = lane }
        state.focus = .session
        state.memberIndex = 1
    default:
        state.message = StatusMessage("\(conflictSubject(conflict.entity, in: state.document)) has no screen of its own; C lists the conflicts again")
    }
}
