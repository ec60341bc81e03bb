import CaseloadCore
import Foundation

// Submitting the top form (Enter on its last field, or Ctrl-S): the form's own checks, then the owner of its purpose builds
// the edit — sessions (Panes/Week), notes (Panes/Session), the report (Overlays/ReportView), patients (Panes/Patients).

/// Submits the top form: runs every field's checks, then hands the form to the code that owns its purpose.
func submitForm(_ state: inout AppState) -> [Effect] {
    guard var frame = state.forms.last else { return [] }
    let today = state.today
    let top = state.forms.count - 1
    // The form has run its own checks on every field; ours follow, so an error found on leaving a field is not lost.
    for field in frame.form.fields where frame.form.errors[field.id] == nil {
        if let message = PatientForms.checkField(field.id, frame: frame, doc: state.document, today: today) { frame.form.errors[field.id] = message }
    }
    state.forms[top] = frame
    guard frame.form.canSubmit else {
        refuseMarkedFields(&state)
        return []
    }
    // The edit the form makes is rebased onto what others saved since it opened (`edit`).
    state.editOrigin = frame.openedWith
    defer { state.editOrigin = nil }
    switch frame.purpose {
    case .newSession, .editSession:
        return submitSessionForm(&state)
    case .groupNote, .memberNote, .addendum:
        return submitNoteForm(&state)
    case .report(let patient):
        return submitReportForm(&state, patient)
    case .staff(let id):
        return submitStaffForm(&state, frame, id)
    case .item, .newPatient, .editPatient, .discharge, .phaseStep:
        return submitPatientForm(&state, frame)
    case .evaluation(let patient):
        return submitEvaluationForm(&state, frame, patient)
    case .planFromEvaluation(let patient):
        return submitPlanFromEvaluation(&state, frame, patient)
    case .safetyFollowUp:
        return submitSafetyFollowUp(&state, frame)
    }
}

/// Marks the fields `errors` names on the top form, puts the cursor on the first, and says to fix them.
func showFieldErrors(_ state: inout AppState, _ errors: FieldErrors) {
    guard var frame = state.forms.last else { return }
    for (id, message) in errors.byField { frame.form.errors[id] = message }
    state.forms[state.forms.count - 1] = frame
    refuseMarkedFields(&state)
}

/// Refuses to save the top form while fields are marked: the cursor goes to the first one and the message names it
/// ("Not saved: Topic is required"), so nothing is saved with a made-up value in place of what was asked for.
func refuseMarkedFields(_ state: inout AppState) {
    guard var frame = state.forms.last,
          let first = frame.form.fields.first(where: { frame.form.errors[$0.id] != nil }),
          let error = frame.form.errors[first.id] else { return }
    frame.form.focus(on: first.id)
    frame.form.layout(in: formRect(state, frame))
    state.forms[state.forms.count - 1] = frame
    let label = first.label.trimmingCharacters(in: .whitespaces)
    let problem = error == Form.requiredError ? "\(label) is required" : "\(label): \(error)"
    let others = frame.form.errors.count - 1
    let more = others > 0 ? " (and \(others) more marked)" : ""
    state.message = StatusMessage("Not saved: \(problem)\(more); the cursor is on it", isError: true)
}
