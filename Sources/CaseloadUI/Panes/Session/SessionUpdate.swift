import CaseloadCore
import Foundation

// The Session pane: roll call in one key per person, drop-ins and removals, the group note written once, member notes,
// signing and addenda. Row 0 of the pane is the group note; the members follow.

/// What a row of the Session pane holds.
public enum SessionRow: Equatable, Sendable {
    case group
    case member(Patient)
}

extension AppState {
    /// The Session pane's rows: the group note, then the members (and anyone with a record who has since left).
    public var sessionRows: [SessionRow] { [.group] + selectedMembers.map { .member($0) } }

    /// The member under the Session cursor (nil on the group-note row).
    public var selectedMember: Patient? {
        let members = selectedMembers
        return memberIndex >= 1 && memberIndex <= members.count ? members[memberIndex - 1] : nil
    }

    /// The staff member signing: the person at the keyboard matched by login. Nil when their account maps to no staff
    /// member (`.unmapped`): they may read but not sign (issue 17).
    public var signer: Staff? {
        if operatorIdentity == .unmapped { return nil }
        return Signer.staff(forLogin: login, in: document)
    }

    /// Why the person at the keyboard cannot sign, as the status line says it.
    public var cannotSignText: String {
        let who = login.map { "your account \"\($0)\" is not a staff member's login" } ?? "no login was found for you"
        return "Cannot sign: \(who), and only staff sign. Ask the director to add your login to Staff."
    }

    /// The document as it would be with the open note form's text written in: what autosave keeps, so a draft survives a
    /// crash within a second or two of typing even before the form is saved.
    public var documentForSaving: CaseloadDocument { draftForSaving.resolved }

    /// The document and the open note form's text as an edit, for autosave to write in on its own thread.
    public var draftForSaving: DocumentDraft {
        DocumentDraft(document, draft: forms.last.flatMap { noteDraftEdit($0) }, base: sharedBase)
    }

    /// The edit that writes a note form's current text, or nil for other forms.
    func noteDraftEdit(_ frame: FormFrame) -> DocumentEdit? {
        switch frame.purpose {
        case .groupNote(let item):
            return try? SessionEdits.writeGroupNote(NoteForms.groupNote(from: frame.form, author: signer?.id, at: Timestamp(recordNow)), on: currentItem(item), in: document)
        case .memberNote(let item, let patient):
            let note = NoteForms.memberNote(from: frame.form, patient: patient, format: document.program.defaultNoteFormat, author: signer?.id, at: Timestamp(recordNow))
            return try? SessionEdits.writeMemberNote(note, on: currentItem(item), in: document)
        default:
            return nil
        }
    }

    /// The freshest version of a session the pane was showing: stored since, or still computed.
    func currentItem(_ item: ScheduledSession) -> ScheduledSession {
        if let series = item.session.series, let date = item.session.occurrenceDate, let now = schedule.occurrence(of: series, on: date) { return now }
        if let stored = schedule.stored(item.session.id) { return ScheduledSession(session: stored, isStored: true) }
        return item
    }
}

func performSessionAction(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard let item = state.selectedSession else {
        state.message = StatusMessage("No session selected: put the Week cursor on one (2, then Enter)")
        return []
    }
    let s = item.session
    switch action {
    case .markPresent: return markSelected(&state, item, .present)
    case .markAbsent: return markSelected(&state, item, .absent)
    case .cycleMark:
        guard let patient = memberForRoll(&state) else { return [] }
        let next: AttendanceStatus?
        switch s.attendance(for: patient.id) {
        case nil: next = .present
        case .present?: next = .absent
        default: next = nil
        }
        return markSelected(&state, item, next, clear: next == nil)
    case .markLate:
        guard let patient = memberForRoll(&state) else { return [] }
        var prompt = TextPrompt("Minutes \(patient.displayName) was late:", title: "Late")
        prompt.preview = "Enter alone: 15 minutes"
        openModal(&state, .prompt(prompt, .late(item, patient.id)))
    case .markLeftEarly:
        guard let patient = memberForRoll(&state) else { return [] }
        openModal(&state, .prompt(TextPrompt("Minutes \(patient.displayName) attended (of \(s.durationMinutes)):", title: "Left early", text: ""), .leftEarly(item, patient.id)))
    case .markExcused:
        guard let patient = memberForRoll(&state) else { return [] }
        var prompt = TextPrompt("Why is \(patient.displayName) excused?", title: "Excused")
        prompt.preview = "Program rule: excused with at least \(state.document.program.attendancePolicy.excusedNoticeHours) h notice"
        openModal(&state, .prompt(prompt, .excused(item, patient.id)))
    case .markAllPresent:
        return sessionEdit(&state, label: "all unmarked present at \(s.title)", done: "Everyone unmarked is present") { doc throws(EditError) in
            try SessionEdits.markAllUnmarkedPresent(on: item, in: doc)
        }
    case .addDropIn:
        let members = Set(s.members(series: s.series.flatMap { state.document.series($0) }))
        let items = state.document.patients.filter { $0.status == .active && !members.contains($0.id) }
            .sorted { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
            .map { PickerItem(id: $0.id.rawValue, label: $0.displayName, detail: $0.mrn, searchText: [$0.legalName, $0.preferredName ?? "", $0.mrn].joined(separator: " ")) }
        openModal(&state, .picker(Picker(title: "Drop-in for this session only", items: items, multiple: false), .dropIn(item)))
    case .removeMember:
        guard let patient = state.selectedMember else {
            state.message = StatusMessage("Put the cursor on a member to remove")
            return []
        }
        if s.attendance(for: patient.id) != nil {
            // A mark counts only for a member: taking them off would leave attendance on someone who was not expected.
            state.message = StatusMessage("\(patient.displayName) is marked on this session: if they were not there to be marked, clear the mark first (Space until unmarked), then remove", isError: true)
            return []
        }
        if SessionEdits.hasRecord(patient.id, on: item) {
            let dialog = ChoiceDialog(title: "Remove \(patient.displayName)", lines: ["\(patient.displayName) has a note on this session. It is kept, and \(patient.displayName) is shown as removed."],
                                      options: [ChoiceOption("y", "remove from this session"), ChoiceOption("n", "keep")])
            openModal(&state, .choice(dialog, .removeMember(item, patient.id)))
            return []
        }
        return removeMember(&state, item, patient)
    case .openNote:
        if state.memberIndex == 0 { return openGroupNote(&state, item) }
        guard let patient = state.selectedMember else { return [] }
        return openMemberNote(&state, item, patient)
    case .groupNote:
        return openGroupNote(&state, item)
    case .viewNote:
        return openNoteView(&state, item)
    case .openMemberRecord:
        guard let patient = state.selectedMember else {
            state.message = StatusMessage("Move down to a member (j) to open their record")
            return []
        }
        // Over the panes; Esc comes back to the Session pane where it was.
        state.record = RecordState(patient: patient.id)
        state.refreshRecord()
        return []
    case .editExternally:
        if state.memberIndex == 0 {
            let narrative = s.groupNote?.narrative ?? ""
            if s.groupNote?.isSigned == true { return refuseSigned(&state, "The group note") }
            // The note goes to the editor: opened for writing, as G would open it.
            return [.editExternally(text: narrative, target: .groupNarrative(item))]
                + audited(&state, [notesOpenEvent(session: sessionAuditIDs(item), patient: nil)])
        }
        guard let patient = state.selectedMember else { return [] }
        if s.memberNote(for: patient.id)?.isSigned == true { return refuseSigned(&state, "\(patient.displayName)'s note") }
        let note = s.memberNote(for: patient.id) ?? MemberNote(patient: patient.id, format: state.document.program.defaultNoteFormat)
        return [.editExternally(text: NoteForms.markdown(note), target: .memberNote(item, patient.id))]
            + audited(&state, [notesOpenEvent(session: sessionAuditIDs(item), patient: patient.id)])
    case .sign:
        // A signed note is co-signed by the author's supervisor (issue 19): S asks that instead.
        let patient = state.selectedMember?.id
        if patient.map({ s.memberNote(for: $0)?.isSigned == true }) ?? (s.groupNote?.isSigned == true) {
            return askToCoSign(&state, session: state.currentItem(item).session, patient: patient)
        }
        return sign(&state, item, checkedPrivacy: false)
    case .addendum:
        let signed = state.memberIndex == 0 ? s.groupNote?.isSigned == true : state.selectedMember.flatMap { s.memberNote(for: $0.id)?.isSigned } == true
        guard signed else {
            state.message = StatusMessage("Addenda are for signed notes; this one can still be edited (Enter)", isError: true)
            return []
        }
        // Asked before the form opens, so nobody types an addendum that cannot be signed.
        guard state.signer != nil else { return refuseToSign(&state) }
        let who = state.selectedMember?.id
        openForm(&state, FormFrame(form: Form(title: "Addendum · \(who.flatMap { state.document.patient($0)?.displayName } ?? "group note")",
                                              fields: [.multiline("text", "Addendum", "", required: true, rows: 8, hint: "dated and signed as you")]),
                                   purpose: .addendum(item, who), draft: .none))
    case .didNotTakePlace:
        guard refuseIfReadOnly(&state) else { return [] }
        askCancelReason(&state, item, didNotTakePlace: true)
    default:
        break
    }
    return []
}

private func refuseSigned(_ state: inout AppState, _ what: String) -> [Effect] {
    state.message = StatusMessage("\(what) is signed and cannot change; A adds an addendum", isError: true)
    return []
}

/// The member under the cursor for a roll mark, or a message.
private func memberForRoll(_ state: inout AppState) -> Patient? {
    if let patient = state.selectedMember { return patient }
    state.message = StatusMessage(state.selectedMembers.isEmpty ? "This session has no members; + adds a drop-in" : "Move down to a member (j) to mark the roll")
    return nil
}

/// Marks the member under the cursor and moves to the next one.
private func markSelected(_ state: inout AppState, _ item: ScheduledSession, _ status: AttendanceStatus?, clear: Bool = false) -> [Effect] {
    guard let patient = memberForRoll(&state) else { return [] }
    return mark(&state, item, patient, status)
}

func mark(_ state: inout AppState, _ item: ScheduledSession, _ patient: Patient, _ status: AttendanceStatus?) -> [Effect] {
    let what = status.map(markText) ?? "unmarked"
    let effects = sessionEdit(&state, label: "\(patient.displayName) \(what) at \(item.session.title)", done: "\(patient.displayName): \(what)") { doc throws(EditError) in
        try SessionEdits.mark(patient.id, status, on: item, in: doc)
    }
    if !effects.isEmpty, state.memberIndex < state.selectedMembers.count { state.memberIndex += 1 }
    return effects
}

/// "present", "late 10 min", "left early (120 min)", "excused: court", "absent".
func markText(_ status: AttendanceStatus) -> String {
    switch status {
    case .present: "present"
    case .late(let m): "late \(m) min"
    case .leftEarly(let m): "left early (\(m) min)"
    case .excused(let reason): "excused: \(reason)"
    case .absent: "absent"
    }
}

private func removeMember(_ state: inout AppState, _ item: ScheduledSession, _ patient: Patient) -> [Effect] {
    sessionEdit(&state, label: "remove \(patient.displayName) from \(item.session.title) on \(dayText(item.session.date))",
                done: "\(patient.displayName) removed from this session only; any note is kept. u undoes") { doc throws(EditError) in
        try SessionEdits.removeFromOccurrence(patient.id, from: item, in: doc)
    }
}

/// Makes an edit from the document and applies it (undoably), saying what happened or why it was refused.
func sessionEdit(_ state: inout AppState, label: String, done: String, refused: String = "Not changed",
                 _ make: (CaseloadDocument) throws(EditError) -> DocumentEdit) -> [Effect] {
    if let reason = state.readOnlyReason {
        state.message = StatusMessage("Read-only: \(reason)", isError: true)
        return []
    }
    do {
        let effects = edit(&state, try make(state.document), label: label)
        if !effects.isEmpty { state.message = StatusMessage(done) }
        return effects
    } catch {
        state.message = StatusMessage("\(refused): \(state.errorText(error))", isError: true)
        return []
    }
}

extension AppState {
    /// An edit's refusal as the user reads it: a signed note names its signer and local time, not an id and UTC.
    func errorText(_ error: EditError) -> String {
        if case .note(.signedNoteIsLocked(let note, let by, let at)) = error {
            return "the \(note) was signed by \(staffText(by)) on \(localText(at)) and cannot be changed; add an addendum instead (A)"
        }
        return error.description
    }
}

// MARK: Notes

private func openGroupNote(_ state: inout AppState, _ item: ScheduledSession) -> [Effect] {
    guard refuseIfReadOnly(&state) else { return [] }
    if let note = item.session.groupNote, note.isSigned {
        // A signed note cannot change, but it can always be read.
        state.memberIndex = 0
        state.message = StatusMessage("The group note is signed: read-only here; A adds an addendum")
        return openNoteView(&state, item)
    }
    openForm(&state, NoteForms.groupNoteFrame(item, doc: state.document))
    return []
}

private func openMemberNote(_ state: inout AppState, _ item: ScheduledSession, _ patient: Patient) -> [Effect] {
    guard refuseIfReadOnly(&state) else { return [] }
    if let note = item.session.memberNote(for: patient.id), note.isSigned {
        state.message = StatusMessage("\(patient.displayName)'s note is signed: read-only here; A adds an addendum")
        return openNoteView(&state, item)
    }
    openForm(&state, NoteForms.memberNoteFrame(item, patient: patient, doc: state.document))
    return []
}

/// Saves a note form (Ctrl-S) as one undoable edit.
func submitNoteForm(_ state: inout AppState) -> [Effect] {
    guard let frame = state.forms.last else { return [] }
    switch frame.purpose {
    case .addendum(let item, let patient):
        let text = frame.form.text("text").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let signer = state.signer else { return refuseToSign(&state) }
        let addendum = Addendum(by: signer.id, at: Timestamp(state.recordNow), text: text)
        let current = state.currentItem(item)
        let effects = sessionEdit(&state, label: "addendum", done: "Addendum added, signed by \(signer.signatureName)") { doc throws(EditError) in
            if let patient { return try SessionEdits.addMemberAddendum(for: patient, on: current, addendum, in: doc) }
            return try SessionEdits.addGroupAddendum(on: current, addendum, in: doc)
        }
        if !effects.isEmpty { state.forms.removeLast() }
        return effects
    default:
        guard let change = state.noteDraftEdit(frame) else {
            state.message = StatusMessage("The note could not be saved: is it signed already?", isError: true)
            return []
        }
        let label: String
        switch frame.purpose {
        case .groupNote(let item): label = "group note of \(item.session.title)"
        case .memberNote(_, let patient): label = "note for \(state.document.patient(patient)?.displayName ?? "member")"
        default: label = "note"
        }
        let effects = edit(&state, change, label: label)   // applies and records for undo
        if !effects.isEmpty {
            state.forms.removeLast()
            state.message = StatusMessage("Saved the \(label) (draft: S signs it)")
        }
        return effects
    }
}

// MARK: Signing

/// Refuses a signature, addendum or letter for someone who is no staff member: nothing changes, the status line says why.
func refuseToSign(_ state: inout AppState) -> [Effect] {
    state.message = StatusMessage(state.cannotSignText, isError: true)
    // The status line is one row, cut at the screen's edge: at 80 columns what to do about it would be lost.
    openModal(&state, .choice(ChoiceDialog(title: "Cannot sign", lines: [state.cannotSignText], options: [ChoiceOption("o", "ok")]), .notice))
    return []
}

func sign(_ state: inout AppState, _ item: ScheduledSession, checkedPrivacy: Bool) -> [Effect] {
    guard let signer = state.signer else { return refuseToSign(&state) }
    let s = item.session
    if state.memberIndex == 0 {
        guard let note = s.groupNote, note.hasContent else {
            state.message = StatusMessage("Write the group note first (G)", isError: true)
            return []
        }
        // The topic is required: a note written in $EDITOR (E) has only a narrative until G gives it one.
        guard !note.topic.trimmingCharacters(in: .whitespaces).isEmpty else {
            state.message = StatusMessage("The group note has no topic yet: G adds it, then S signs", isError: true)
            return []
        }
        if !checkedPrivacy {
            // The group part is copied into every member's chart: naming a member there discloses them to the others.
            let named = PrivacyCheck.mentions(in: note.topic + "\n" + note.narrative, of: state.selectedMembers)
            if !named.isEmpty {
                let names = named.map(\.displayName).joined(separator: ", ")
                let dialog = ChoiceDialog(title: "Privacy check", lines: [
                    "The group narrative names \(names). It is copied into every member's chart (42 CFR Part 2): write about members in their own notes instead.",
                ], options: [ChoiceOption("b", "go back and edit"), ChoiceOption("s", "sign anyway")])
                openModal(&state, .choice(dialog, .privacySign(item)))
                return []
            }
        }
        return askToSign(&state, item, nil, signer: signer)
    }
    guard let patient = state.selectedMember else { return [] }
    guard let note = s.memberNote(for: patient.id), note.hasContent else {
        state.message = StatusMessage("Write \(patient.displayName)'s note first (Enter)", isError: true)
        return []
    }
    return askToSign(&state, item, patient.id, signer: signer)
}

/// A signature cannot be taken back, so it is asked for by name first: "Sign the group note as Marcus Bell, LCSW?".
private func askToSign(_ state: inout AppState, _ item: ScheduledSession, _ patient: PatientID?, signer: Staff) -> [Effect] {
    let what = patient.map { "\(state.document.patient($0)?.displayName ?? "the member")'s note" } ?? "the group note"
    let dialog = ChoiceDialog(title: "Sign", lines: [
        "Sign \(what) as \(signer.signatureName)? It cannot be changed afterwards; later additions are dated addenda (A).",
    ], options: [ChoiceOption("y", "sign as \(signer.name)"), ChoiceOption("n", "not yet")])
    openModal(&state, .choice(dialog, .confirmSign(item, patient)))
    return []
}

/// Signs the note the user confirmed (the group note when `patient` is nil).
private func signConfirmed(_ state: inout AppState, _ item: ScheduledSession, _ patient: PatientID?) -> [Effect] {
    guard let signer = state.signer else { return refuseToSign(&state) }
    let at = Timestamp(state.recordNow)
    let when = state.localText(at)
    guard let patient else {
        return sessionEdit(&state, label: "sign the group note of \(item.session.title)",
                           done: "Group note signed by \(signer.signatureName) on \(when); A adds an addendum") { doc throws(EditError) in
            try SessionEdits.signGroupNote(on: item, by: signer.id, at: at, in: doc)
        }
    }
    let name = state.document.patient(patient)?.displayName ?? "the member"
    return sessionEdit(&state, label: "sign \(name)'s note", done: "\(name)'s note signed by \(signer.signatureName) on \(when); A adds an addendum") { doc throws(EditError) in
        try SessionEdits.signMemberNote(for: patient, on: item, by: signer.id, at: at, in: doc)
    }
}

extension AppState {
    /// "Wed 2 Dec 18:05": an instant as wall-clock time in the program's zone, the way notes, signatures and addenda show it.
    public func localText(_ at: Timestamp) -> String {
        let local = Recurrence.local(at.date, in: zone)
        return "\(dayText(local.date)) \(local.date.year) \(local.time)"
    }

    /// A staff member as people know them ("Marcus Bell, LCSW"); someone no longer on staff is said to be so, never shown by id.
    public func staffText(_ id: StaffID) -> String {
        document.staffMember(id)?.signatureName ?? "a former staff member"
    }
}

// MARK: Answers to the Session pane's prompts and pickers

func answerSessionPrompt(_ state: inout AppState, _ prompt: TextPrompt, _ purpose: PromptPurpose, _ text: String) -> [Effect] {
    var prompt = prompt
    func again(_ error: String) -> [Effect] {
        prompt.error = error
        state.modal = .prompt(prompt, purpose)
        return []
    }
    switch purpose {
    case .late(let item, let id), .leftEarly(let item, let id):
        let isLate: Bool = { if case .late = purpose { return true } else { return false } }()
        guard let minutes = Int(text.isEmpty && isLate ? "15" : text), let patient = state.document.patient(id) else { return again("a number of minutes") }
        let limit = isLate ? item.session.durationMinutes : item.session.durationMinutes - 1
        guard minutes >= (isLate ? 1 : 0), minutes <= limit else { return again("from \(isLate ? 1 : 0) to \(limit) minutes") }
        state.modal = nil
        return mark(&state, state.currentItem(item), patient, isLate ? .late(minutesLate: minutes) : .leftEarly(minutesAttended: minutes))
    case .excused(let item, let id):
        guard !text.isEmpty, let patient = state.document.patient(id) else { return again("a reason is required") }
        state.modal = nil
        return mark(&state, state.currentItem(item), patient, .excused(reason: text))
    case .didNotTakePlace(let item):
        guard !text.isEmpty else { return again("a reason is required (it goes in the record)") }
        state.modal = nil
        return sessionEdit(&state, label: "\(item.session.title) did not take place", done: "\(item.session.title) marked as not held: \(text). x restores it") { doc throws(EditError) in
            try SessionEdits.markDidNotTakePlace(item, reason: text, in: doc)
        }
    default:
        return []
    }
}

func answerSessionPicker(_ state: inout AppState, _ picker: Picker, _ purpose: PickerPurpose) -> [Effect] {
    switch purpose {
    case .dropIn(let item):
        guard let id = picker.selected.first, let patient = state.document.patient(PatientID(id)) else { return [] }
        return sessionEdit(&state, label: "drop-in \(patient.displayName) at \(item.session.title)",
                           done: "\(patient.displayName) joins this session only (drop-in)") { doc throws(EditError) in
            try SessionEdits.addDropIn(patient.id, to: item, in: doc)
        }
    case .roster, .staffMember:
        return []
    }
}

func answerSessionChoice(_ state: inout AppState, _ purpose: ChoicePurpose, _ answer: Character) -> [Effect] {
    switch purpose {
    case .removeMember(let item, let id):
        guard answer == "y", let patient = state.document.patient(id) else { return [] }
        return removeMember(&state, state.currentItem(item), patient)
    case .privacySign(let item):
        guard answer == "s" else {
            // Back to the note, at the narrative where members were named.
            state.memberIndex = 0
            let effects = openGroupNote(&state, state.currentItem(item))
            if var frame = state.forms.last, case .groupNote = frame.purpose {
                frame.form.focus(on: "narrative")
                frame.form.layout(in: formRect(state, frame))
                state.forms[state.forms.count - 1] = frame
                state.message = StatusMessage("Not signed: write about members in their own notes, then S")
            }
            return effects
        }
        return sign(&state, state.currentItem(item), checkedPrivacy: true)
    case .confirmSign(let item, let patient):
        guard answer == "y" else {
            state.message = StatusMessage("Not signed; S signs when the note is ready")
            return []
        }
        return signConfirmed(&state, state.currentItem(item), patient)
    default:
        return []
    }
}

/// The outcome of editing a note in `$VISUAL`/`$EDITOR`.
public enum ExternalEditResult: Equatable, Sendable {
    case changed(String)
    case unchanged
    case failed(String)
}

/// What the external editor was editing.
public enum ExternalEditTarget: Equatable, Sendable {
    case groupNarrative(ScheduledSession)
    case memberNote(ScheduledSession, PatientID)
    /// The focused multi-line field of the top form.
    case formField(String)
}

func externalEditFinished(_ state: inout AppState, _ target: ExternalEditTarget, _ result: ExternalEditResult) -> [Effect] {
    switch result {
    case .unchanged:
        state.message = StatusMessage("The editor left the text unchanged; nothing changed")
        return []
    case .failed(let reason):
        state.message = StatusMessage(reason, isError: true)
        return []
    case .changed(let text):
        switch target {
        case .formField(let id):
            guard var frame = state.forms.last else { return [] }
            frame.form.setText(id, text)
            state.forms[state.forms.count - 1] = frame
            state.message = StatusMessage("Text from the editor is in the form; Ctrl-S saves it")
            return [.draftChanged]
        case .groupNarrative(let item):
            let current = state.currentItem(item)
            var note = current.session.groupNote ?? GroupNote(topic: "", narrative: "")
            note.narrative = text
            note.author = state.signer?.id
            note.updated = Timestamp(state.recordNow)
            return sessionEdit(&state, label: "group note of \(item.session.title)", done: "Group narrative saved from the editor (draft: S signs it)") { doc throws(EditError) in
                try SessionEdits.writeGroupNote(note, on: current, in: doc)
            }
        case .memberNote(let item, let patient):
            let current = state.currentItem(item)
            let format = current.session.memberNote(for: patient)?.format ?? state.document.program.defaultNoteFormat
            let note = NoteForms.memberNote(fromMarkdown: text, patient: patient, format: format, author: state.signer?.id, at: Timestamp(state.recordNow))
            let name = state.document.patient(patient)?.displayName ?? "member"
            return sessionEdit(&state, label: "note for \(name)", done: "\(name)'s note saved from the editor (draft: S signs it)") { doc throws(EditError) in
                try SessionEdits.writeMemberNote(note, on: current, in: doc)
            }
        }
    }
}
