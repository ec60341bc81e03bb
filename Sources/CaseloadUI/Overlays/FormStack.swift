import CaseloadCore
import Foundation

// The stack of open forms over the panes: keys, placement and opening (a submitted form is routed by submitForm in FormSubmit.swift).

func handleFormKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var frame = state.forms.last else { return [] }
    let today = state.today
    let isNote: Bool = {
        switch frame.purpose {
        case .groupNote, .memberNote, .addendum: return true
        default: return false
        }
    }()
    // Ctrl-X: the focused notes field in $VISUAL / $EDITOR.
    if Keymaps.form.action(for: key) == .editExternally, let field = frame.form.focusedField, case .multiline = field.kind {
        return [.editExternally(text: frame.form.text(field.id), target: .formField(field.id))]
    }
    let before = isNote ? frame.form.fields.map(\.value) : []
    let formBefore = frame.form
    let outcome = frame.form.handle(key, today: today)
    // A new session's form follows its kind and repeat choices (SessionForms.adapt).
    if let patient = SessionForms.adapt(&frame, before: formBefore, selectedPatient: state.selectedPatient, doc: state.document) {
        state.message = StatusMessage("On the roster: \(patient.displayName), selected in Patients (a adds others)")
    }
    // An evaluation's suggested level follows the ratings as they are typed.
    EvaluationForms.adapt(&frame, doc: state.document)
    // A note being typed is autosaved as a draft (documentForSaving) even before the form is saved.
    let draft: [Effect] = isNote && frame.form.fields.map(\.value) != before ? [.draftChanged] : []
    if isNote, case .submit = outcome {
        state.forms[state.forms.count - 1] = frame
        // A required field left empty (a group note's topic) is refused, not saved as a stand-in; the draft is still autosaved.
        guard frame.form.canSubmit else {
            refuseMarkedFields(&state)
            return draft
        }
        return submitNoteForm(&state)
    }
    switch outcome {
    case .none:
        break
    case .leftField(let id):
        let message: String?
        switch frame.purpose {
        case .newSession, .editSession: message = SessionForms.checkField(id, form: frame.form, today: today)
        default: message = PatientForms.checkField(id, frame: frame, doc: state.document, today: today)
        }
        if frame.form.errors[id] == nil, let message { frame.form.errors[id] = message }
    case .submit:
        state.forms[state.forms.count - 1] = frame
        if isRoster(frame) {
            guard frame.form.canSubmit else {
                refuseMarkedFields(&state)
                return []
            }
            return submitSessionForm(&state)
        }
        return submitForm(&state)
    case .cancel:
        if frame.form.isDirty {
            state.overlay = .confirm(question: "Discard what you typed in “\(frame.form.title)”? (y/n)", onYes: .discardForm)
        } else {
            state.forms.removeLast()
        }
        return []
    case .listAdd where isRoster(frame), .listEdit where isRoster(frame):
        state.forms[state.forms.count - 1] = frame
        openRosterPicker(&state)
        return []
    case .listRemove(_, let index) where isRoster(frame):
        state.forms[state.forms.count - 1] = frame
        removeFromRoster(&state, at: index)
        return []
    case .listAdd(let id):
        state.forms[state.forms.count - 1] = frame
        if let item = PatientForms.itemFrame(field: id, index: nil, parent: frame.draft, doc: state.document, today: today) { openForm(&state, item) }
        return []
    case .listEdit(let id, let index):
        state.forms[state.forms.count - 1] = frame
        if let item = PatientForms.itemFrame(field: id, index: index, parent: frame.draft, doc: state.document, today: today) { openForm(&state, item) }
        return []
    case .listRemove(let id, let index):
        var items = PatientForms.items(of: frame.draft, field: id)
        if items.indices.contains(index) {
            items.remove(at: index)
            let lines = PatientForms.setItems(&frame.draft, field: id, items: items, doc: state.document, today: today)
            frame.form.setListItems(id, lines, selected: max(0, min(index, lines.count - 1)))
            state.message = StatusMessage("Removed from the list; Esc discards the whole form, save keeps it")
        }
    }
    frame.form.layout(in: formRect(state, frame))
    state.forms[state.forms.count - 1] = frame
    return draft
}

private func isRoster(_ frame: FormFrame) -> Bool {
    if case .roster = frame.draft { return true }
    return false
}

/// Where a form is drawn: centred over the panes, as tall as it needs up to the screen.
func formRect(_ state: AppState, _ frame: FormFrame) -> Rect {
    var body = Rect(x: 0, y: 1, width: state.width, height: max(0, state.height - 2))
    // A member's note leaves the lower part of the screen to the group narrative, shown for reference.
    if case .memberNote = frame.purpose, body.height >= 18 { body.height = body.height * 3 / 5 }
    // The whole width on narrow screens (a box inside the panes' borders would look like a double frame).
    return frame.form.overlayRect(in: body, maxWidth: state.width < 90 ? state.width : 78)
}

/// Where the group narrative is shown under a member's note form, if there is room.
func referenceRect(_ state: AppState, below form: Rect) -> Rect? {
    let bottom = state.height - 1
    guard form.maxY + 3 <= bottom else { return nil }
    return Rect(x: form.x, y: form.maxY, width: form.width, height: bottom - form.maxY)
}

/// Opens a form on top of the others, laid out for the screen.
func openForm(_ state: inout AppState, _ frame: FormFrame) {
    var frame = frame
    frame.form.layout(in: formRect(state, frame))
    if frame.openedWith == nil { frame.openedWith = state.document }
    state.forms.append(frame)
}
