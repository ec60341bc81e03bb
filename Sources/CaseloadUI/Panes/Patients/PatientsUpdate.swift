import CaseloadCore
import Foundation

// The Patients pane and the patient forms: how keys change the state (the record's keys are in Panes/Record/RecordUpdate.swift, the form stack's in Overlays/FormStack.swift).

/// The patient an action applies to: the open record's, else the one under the list cursor.
private func targetPatient(_ state: AppState) -> Patient? {
    if let record = state.record { return state.document.patient(record.patient) }
    return state.selectedPatient
}

func performPatientAction(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .filter:
        state.focus = .patients
        state.isTypingPatientQuery = true
        return []
    case .cycleStatusFilter:
        state.statusFilter = state.statusFilter.next
        state.patientIndex = 0
        state.refreshPatientList()
        state.message = StatusMessage("Showing \(state.statusFilter.label) patients (f for the next)")
        return []
    case .cycleSort:
        state.patientSort = state.patientSort.next
        state.refreshPatientList()
        state.message = StatusMessage("Sorted by \(state.patientSort.label) (s for the next)")
        return []
    case .openRecord:
        guard let patient = state.selectedPatient else {
            state.message = StatusMessage("No patient selected")
            return []
        }
        state.record = RecordState(patient: patient.id)
        state.refreshRecord()
        return []
    case .closeRecord:
        state.record = nil
        return []
    case .nextSection, .previousSection:
        guard var record = state.record else { return [] }
        let maxScroll = max(0, record.lines.count - recordVisibleRows(for: recordRect(state)))
        record.scroll = min(maxScroll, recordSectionJump(record.lines, from: record.scroll, forward: action == .nextSection))
        state.record = record
        return []
    case .create:
        guard refuseIfReadOnly(&state) else { return [] }
        openForm(&state, PatientForms.patientFrame(nil, doc: state.document, today: state.today))
        return []
    case .edit:
        guard refuseIfReadOnly(&state), let patient = targetPatient(state) else { return [] }
        openForm(&state, PatientForms.patientFrame(patient, doc: state.document, today: state.today))
        return []
    case .discharge:
        guard refuseIfReadOnly(&state), let patient = targetPatient(state) else { return [] }
        if case .discharged(let date, _) = patient.status {
            state.message = StatusMessage("\(patient.displayName) was discharged on \(date.iso)", isError: true)
            return []
        }
        openForm(&state, PatientForms.dischargeFrame(patient))
        return []
    case .report:
        guard let patient = targetPatient(state) else { return [] }
        state.record = nil
        openForm(&state, ReportForms.reportFrame(patient, last: state.lastReport))
        return []
    case .phaseDown, .phaseUp:
        guard refuseIfReadOnly(&state), let patient = targetPatient(state) else {
            if targetPatient(state) == nil { state.message = StatusMessage("No patient selected") }
            return []
        }
        let today = state.today
        let offset = action == .phaseDown ? 1 : -1
        // Checked now, so that a step that cannot be taken is said before any typing.
        do {
            _ = try PatientEdits.stepPhase(patient.id, by: offset, on: today, in: state.document)
        } catch {
            state.message = StatusMessage("\(patient.displayName): \(error)", isError: true)
            return []
        }
        let phases = state.document.program.phases
        let current = patient.care(on: today).flatMap { c in phases.firstIndex { $0.id == c.phase } }
        let from = current.map { phases[$0].name } ?? "no phase"
        let to = current.flatMap { phases[safe: $0 + offset]?.name } ?? "the next phase"
        openForm(&state, PatientForms.phaseStepFrame(patient, by: offset, from: from, to: to))
        return []
    default:
        return []
    }
}

/// True when the document may be changed; otherwise says why not.
func refuseIfReadOnly(_ state: inout AppState) -> Bool {
    if let reason = state.readOnlyReason {
        state.message = StatusMessage("Read-only: \(reason)", isError: true)
        return false
    }
    return true
}

// MARK: Filter typing

/// Typing a filter (`Keymaps.filter`); other printable keys type it.
func handleFilterKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    let action = Keymaps.filter.action(for: key)
    switch action {
    case .cancel?:
        state.isTypingPatientQuery = false
        state.patientQuery = ""
    case .openRecord?, .submit?:
        // Tab keeps the filter for moving in the list; Enter also opens the highlighted patient, as a search should.
        state.isTypingPatientQuery = false
        if action == .openRecord, let patient = state.selectedPatient {
            state.record = RecordState(patient: patient.id)
            state.refreshRecord()
        }
        return []
    case .deleteBackward?:
        if state.patientQuery.isEmpty { state.isTypingPatientQuery = false; return [] }
        state.patientQuery.removeLast()
    case .killToStart?:
        state.patientQuery = ""
    case .deleteWord?:
        while state.patientQuery.last == " " { state.patientQuery.removeLast() }
        while let last = state.patientQuery.last, last != " " { state.patientQuery.removeLast() }
    case .moveDown?, .moveUp?, .pageDown?, .pageUp?:
        return action.map { perform(&state, $0) } ?? []
    default:
        guard case .char(let c) = key else { return [] }
        state.patientQuery.append(c)
    }
    state.patientIndex = 0
    state.refreshPatientList()
    return []
}

/// Submits a patient form (intake, edit, discharge) or a list item back into its parent form: each becomes an undoable edit.
func submitPatientForm(_ state: inout AppState, _ frame: FormFrame) -> [Effect] {
    let today = state.today
    func fail(_ errors: FieldErrors) { showFieldErrors(&state, errors) }
    switch frame.purpose {
    case .phaseStep(let id, let offset):
        guard let date = frame.form.date("date", today: today) else {
            fail(FieldErrors(["date": Form.dateError]))
            return []
        }
        let reason = frame.form.text("reason").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let patient = state.document.patient(id) else { return [] }
        let change: DocumentEdit
        do {
            change = try PatientEdits.stepPhase(id, by: offset, on: date, note: reason, in: state.document)
        } catch {
            fail(FieldErrors(["date": error.description]))
            return []
        }
        let before = patient.care(on: date).flatMap { state.document.program.phase($0.phase)?.name } ?? "no phase"
        let effects = edit(&state, change, label: "phase change for \(patient.displayName)")
        guard !effects.isEmpty else { return [] }
        state.forms.removeLast()
        if let phase = state.document.patient(id)?.care(on: date).flatMap({ state.document.program.phase($0.phase) }) {
            state.message = StatusMessage("\(patient.displayName): \(before) → \(phase.name) from \(dayText(date)) (\(reason)); \(hoursText(phase.requiredMinutesPerWeek)) h a week from then. u undoes")
        }
        return effects
    case .newSession, .editSession, .groupNote, .memberNote, .addendum, .report, .staff, .evaluation, .planFromEvaluation, .safetyFollowUp:
        return []   // routed by submitForm (Overlays/FormSubmit.swift) to their owners
    case .item(let field, let index):
        switch PatientForms.buildItem(frame, doc: state.document, today: today) {
        case .failure(let errors):
            fail(errors)
        case .success(let item):
            state.forms.removeLast()
            guard var parent = state.forms.last else { return [] }
            var items = PatientForms.items(of: parent.draft, field: field)
            if let index, items.indices.contains(index) { items[index] = item } else { items.append(item) }
            let lines = PatientForms.setItems(&parent.draft, field: field, items: items, doc: state.document, today: today)
            parent.form.setListItems(field, lines, selected: index ?? max(0, lines.count - 1))
            parent.form.layout(in: formRect(state, parent))
            state.forms[state.forms.count - 1] = parent
        }
        return []
    case .newPatient, .editPatient:
        guard case .patient(let base) = frame.draft else { return [] }
        switch PatientForms.buildPatient(frame, base: base, doc: state.document, today: today) {
        case .failure(let errors):
            fail(errors)
            return []
        case .success(let patient):
            let isNew = frame.purpose == .newPatient
            let effects = edit(&state, .putPatient(patient), label: isNew ? "admit \(patient.displayName)" : "edit \(patient.displayName)")
            // A refused edit leaves the form open; the message says why.
            guard !effects.isEmpty else { return [] }
            state.forms.removeLast()
            showInList(&state, patient.id)
            state.message = StatusMessage(isNew ? "Admitted \(patient.displayName) (\(patient.mrn)); u undoes" : "Saved \(patient.displayName)'s record; u undoes")
            return effects
        }
    case .discharge(let id):
        guard let date = frame.form.date("date", today: today) else {
            fail(FieldErrors(["date": Form.dateError]))
            return []
        }
        let reason = PatientForms.reasons[safe: frame.form.choiceIndex("reason")]?.1 ?? .other
        let change: DocumentEdit
        do {
            change = try PatientEdits.discharge(id, on: date, reason: reason, in: state.document)
        } catch {
            fail(FieldErrors(["date": error.description]))
            return []
        }
        let name = state.document.patient(id)?.displayName ?? "patient"
        let effects = edit(&state, change, label: "discharge \(name)")
        guard !effects.isEmpty else { return [] }
        state.forms.removeLast()
        state.message = StatusMessage("Discharged \(name) on \(date.iso) (\(PatientForms.label(reason))); left every group roster from that date. u undoes")
        return effects
    }
}

/// Puts the list cursor on a patient, widening the status filter and clearing the search if they would not be shown.
func showInList(_ state: inout AppState, _ id: PatientID) {
    if !state.patientList.contains(where: { $0.id == id }) {
        state.patientQuery = ""
        if let patient = state.document.patient(id), !state.statusFilter.matches(patient.status) { state.statusFilter = .all }
        state.refreshPatientList()
    }
    if let index = state.patientList.firstIndex(where: { $0.id == id }) { state.patientIndex = index }
}
