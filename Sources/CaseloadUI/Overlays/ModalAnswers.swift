import CaseloadCore
import Foundation

// What each modal question is for, and where its answer goes: the pane or overlay that asked answers it
// (answerWeekPrompt/answerWeekChoice in Panes/Week, answerSession… in Panes/Session, the alerts and report overlays here).

/// What a lettered question decides.
public enum ChoicePurpose: Equatable, Sendable {
    /// (o) this occurrence · (f) this and following · (a) the whole series.
    case editScope(ScheduledSession)
    /// (o) cancel this occurrence · (e) end the series from this date.
    case cancelScope(ScheduledSession)
    /// (y) end the series from the date.
    case endSeries(ScheduledSession)
    /// (c) go on to cancel (or mark not held) a session with a record, after being told what happens to its minutes · (k) keep.
    case cancelRecorded(ScheduledSession, didNotTakePlace: Bool)
    /// (y) restore a cancelled session.
    case restore(ScheduledSession)
    /// (b) go back · (k) keep anyway.
    case conflicts(PendingChange)
    /// (y) remove a member with a record from this occurrence.
    case removeMember(ScheduledSession, PatientID)
    /// (b) back · (s) sign a group note that names members.
    case privacySign(ScheduledSession)
    /// (y) sign the group note (nil) or a member's note as the signer named · (n) not yet.
    case confirmSign(ScheduledSession, PatientID?)
    /// (y) co-sign the note or addendum as the person at the keyboard · (n) not yet.
    case confirmCoSign(CoSignTarget)
    /// (r) open the record · (o) ok: a letter was written and logged as a disclosure.
    case letterWritten(PatientID)
    /// (b) back to the form · (k) keep a session title that names a patient.
    case titleNamesPatient
    /// (o) ok: something the user must read whole before working (the document's key slots changed since last time).
    case notice
}

/// What a typed answer is for.
public enum PromptPurpose: Equatable, Sendable {
    case goToDate
    case cancelReason(ScheduledSession)
    case late(ScheduledSession, PatientID)
    case leftEarly(ScheduledSession, PatientID)
    case excused(ScheduledSession, PatientID)
    case didNotTakePlace(ScheduledSession)
    /// How a supervised patient's unexcused absence was reported to the officer (alerts overlay, `r`).
    case absenceReported(PatientID, SessionID, LocalDate)
}

/// What a picked list is for.
public enum PickerPurpose: Equatable, Sendable {
    /// Patients for the roster list of the top form.
    case roster
    /// A drop-in patient for one occurrence.
    case dropIn(ScheduledSession)
    /// The staff member whose supervisor and co-signature flag `:staff` changes.
    case staffMember
}

/// Routes a typed answer to the code that asked the question.
func answerPrompt(_ state: inout AppState, _ prompt: TextPrompt, _ purpose: PromptPurpose, _ text: String) -> [Effect] {
    switch purpose {
    case .goToDate, .cancelReason:
        return answerWeekPrompt(&state, prompt, purpose, text)
    case .late, .leftEarly, .excused, .didNotTakePlace:
        return answerSessionPrompt(&state, prompt, purpose, text)
    case .absenceReported(let patient, let session, let date):
        return answerAbsenceReported(&state, prompt, purpose, patient: patient, session: session, date: date, note: text)
    }
}

/// Routes a lettered answer to the code that asked the question.
func answerChoice(_ state: inout AppState, _ purpose: ChoicePurpose, _ answer: Character) -> [Effect] {
    switch purpose {
    case .editScope, .cancelScope, .cancelRecorded, .endSeries, .restore, .conflicts, .titleNamesPatient:
        return answerWeekChoice(&state, purpose, answer)
    case .removeMember, .privacySign, .confirmSign:
        return answerSessionChoice(&state, purpose, answer)
    case .confirmCoSign(let target):
        return answerCoSignChoice(&state, target, answer)
    case .letterWritten(let patient):
        if answer == "r" { openRecordAtDisclosures(&state, patient) }
        return []
    case .notice:
        return []
    }
}

/// Routes the patients picked in a list: the roster of the top form, or a Session pane choice (a drop-in, who signs).
func answerPicker(_ state: inout AppState, _ picker: Picker, _ purpose: PickerPurpose) -> [Effect] {
    if case .roster = purpose {
        setRoster(&state, picker.chosen.map { PatientID($0.id) })
        return []
    }
    if case .staffMember = purpose { return answerStaffPicker(&state, picker) }
    return answerSessionPicker(&state, picker, purpose)
}
