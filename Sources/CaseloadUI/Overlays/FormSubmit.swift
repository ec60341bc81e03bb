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
        state.message = StatusMessage("Fix the marked fields first (Esc to discard)", isError: true)
        return []
    }
    switch frame.purpose {
    case .newSession, .editSession:
        return submitSessionForm(&state)
    case .groupNote, .memberNote, .addendum:
        return submitNoteForm(&state)
    case .report(let patient):
        return submitReportForm(&state, patient)
    case .item, .newPatient, .editPatient, .discharge:
        return submitPatientForm(&state, frame)
    }
}

/// Marks the fields `errors` names on the top form, puts the cursor on the first, and says to fix them.
func showFieldErrors(_ state: inout AppState, _ errors: FieldErrors) {
    guard var frame = state.forms.last else { return }
    for (id, message) in errors.byField { frame.form.errors[id] = message }
    if let first = frame.form.fields.first(where: { errors.byField[$0.id] != nil }) { frame.form.focus(on: first.id) }
    state.forms[state.forms.count - 1] = frame
    state.message = StatusMessage("Fix the marked fields first (Esc to discard)", isError: true)
}
