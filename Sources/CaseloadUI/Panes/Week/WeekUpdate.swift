import CaseloadCore
import Foundation

// Scheduling in the Week pane: new and edited sessions, moving, cancelling, going to a date, and the dialogs they ask with.

/// An edit waiting for the user to accept its conflicts.
public struct PendingChange: Equatable, Sendable {
    public var edit: DocumentEdit
    public var label: String
    public var message: String
    /// Close the top form once applied.
    public var closesForm: Bool
    /// Stop moving a block once applied.
    public var endsMove: Bool
}

/// A block being moved with the arrow keys: where it would go.
/// How the Week pane shows the week: seven day columns, the cursor's day alone (its blocks with room for their text), or
/// the week's sessions as a list, one line each, which reads at any width.
public enum WeekView: String, CaseIterable, Equatable, Sendable {
    case week, day, agenda

    var announcement: String {
        switch self {
        case .week: "Week view · v: one day"
        case .day: "Day view: h/l change day · v: the agenda"
        case .agenda: "Agenda: j/k go from session to session · v: the week"
        }
    }
}

public struct MoveState: Equatable, Sendable {
    public var item: ScheduledSession
    public var date: LocalDate
    public var start: LocalTime
}

// MARK: Week actions

func performWeekAction(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .goToDate:
        openModal(&state, .prompt(TextPrompt("Go to date:", title: "Go to", text: ""), .goToDate))
        return []
    case .create:
        guard refuseIfReadOnly(&state) else { return [] }
        let start = LocalTime(clamping: state.cursorMinutes)
        openForm(&state, SessionForms.newFrame(date: state.cursorDate, start: start, facilitator: state.signer?.id, doc: state.document, today: state.today))
        return []
    case .edit:
        guard refuseIfReadOnly(&state), let item = sessionUnderCursor(&state) else { return [] }
        if item.session.series != nil {
            let dialog = ChoiceDialog(title: "Edit \(item.session.title)", lines: ["\(dayText(item.session.date)) \(item.session.start) is part of a weekly series."],
                                      options: [ChoiceOption("o", "this occurrence"), ChoiceOption("f", "this and following"), ChoiceOption("a", "the whole series")])
            openModal(&state, .choice(dialog, .editScope(item)))
        } else {
            openForm(&state, SessionForms.editFrame(item, scope: .occurrence, doc: state.document, today: state.today))
        }
        return []
    case .move:
        guard refuseIfReadOnly(&state), let item = sessionUnderCursor(&state) else { return [] }
        state.moving = MoveState(item: item, date: item.session.date, start: item.session.start)
        state.message = StatusMessage("Moving \(item.session.title): " + Keymaps.move.hintLine)
        return []
    case .cancelSession:
        guard refuseIfReadOnly(&state), let item = sessionUnderCursor(&state) else { return [] }
        let s = item.session
        if !s.status.countsForAttendance {
            let dialog = ChoiceDialog(title: "Restore \(s.title)", lines: ["\(dayText(s.date)) \(s.start) is \(s.status.kind == "cancelled" ? "cancelled" : "marked as not held"). Restore it as scheduled?"],
                                      options: [ChoiceOption("y", "restore"), ChoiceOption("n", "leave it")])
            openModal(&state, .choice(dialog, .restore(item)))
        } else if s.series != nil {
            let dialog = ChoiceDialog(title: "Cancel \(s.title)", lines: ["\(dayText(s.date)) \(s.start) is part of a weekly series."],
                                      options: [ChoiceOption("o", "cancel this occurrence (stays visible, roster kept)"), ChoiceOption("e", "end the series from this date")])
            openModal(&state, .choice(dialog, .cancelScope(item)))
        } else {
            askCancelReason(&state, item)
        }
        return []
    default:
        return []
    }
}

/// Asks why a session is cancelled (or did not take place); first, when something is recorded on it, what that will do to
/// the recorded minutes. A session with signed notes is not refused: a wrong day is corrected by cancelling too, and the
/// question says that its minutes stop counting while the notes stay, so nothing drops to zero without being said.
func askCancelReason(_ state: inout AppState, _ item: ScheduledSession, didNotTakePlace: Bool = false, confirmed: Bool = false) {
    let s = item.session
    if !confirmed, let lines = cancelConsequences(s, didNotTakePlace: didNotTakePlace) {
        let verb = didNotTakePlace ? "Mark \(s.title) on \(dayText(s.date)) as not held?" : "Cancel \(s.title) on \(dayText(s.date))?"
        let dialog = ChoiceDialog(title: didNotTakePlace ? "Did not take place" : "Cancel a session with a record",
                                  lines: [verb + " " + lines],
                                  options: [ChoiceOption("c", didNotTakePlace ? "mark it not held (asks why)" : "cancel it (asks why)"), ChoiceOption("k", "keep it")])
        openModal(&state, .choice(dialog, .cancelRecorded(item, didNotTakePlace: didNotTakePlace)))
        return
    }
    if didNotTakePlace {
        openModal(&state, .prompt(TextPrompt("Why did \(s.title) not take place?", title: "Did not take place"), .didNotTakePlace(item)))
    } else {
        let title = s.series == nil ? "Cancel session" : "Cancel occurrence"
        openModal(&state, .prompt(TextPrompt("Reason for cancelling \(s.title) on \(dayText(s.date)):", title: title), .cancelReason(item)))
    }
}

/// What cancelling does to a session's record ("7 attendance marks (3 h each) will no longer count toward hours; 2 signed
/// notes stay in the record."), or nil when nothing is recorded on it.
func cancelConsequences(_ s: Session, didNotTakePlace: Bool) -> String? {
    let signed = (s.groupNote?.isSigned == true ? 1 : 0) + s.memberNotes.filter(\.isSigned).count
    let drafts = (s.groupNote.map { !$0.isSigned } ?? false ? 1 : 0) + s.memberNotes.filter { !$0.isSigned }.count
    guard s.status == .held || !s.attendance.isEmpty || signed + drafts > 0 else { return nil }
    var parts: [String] = []
    let minutes = s.attendance.map { s.minutesAttended(by: $0.patient) }.filter { $0 > 0 }
    if !minutes.isEmpty {
        let marks = minutes.count == 1 ? "1 attendance mark" : "\(minutes.count) attendance marks"
        let hours = Set(minutes).count == 1 ? "\(hoursText(minutes[0])) h\(minutes.count == 1 ? "" : " each")"
                                            : "\(hoursText(minutes.reduce(0, +))) h in all"
        parts.append("\(marks) (\(hours)) will no longer count toward hours")
    } else if !s.attendance.isEmpty {
        parts.append("its \(s.attendance.count == 1 ? "absence mark" : "\(s.attendance.count) absence marks") will no longer count")
    }
    if signed > 0 { parts.append("\(signed == 1 ? "1 signed note stays" : "\(signed) signed notes stay") in the record") }
    if drafts > 0 { parts.append("\(drafts == 1 ? "1 draft note stays" : "\(drafts) draft notes stay")") }
    return (parts.isEmpty ? "It was held." : parts.joined(separator: "; ") + ".") + " (u undoes it; x restores it later)"
}

/// The session under the Week cursor, or a message saying there is none.
private func sessionUnderCursor(_ state: inout AppState) -> ScheduledSession? {
    if let item = state.selectedSession { return item }
    state.message = StatusMessage("No session at \(state.cursorDate.weekday.shortName) \(LocalTime(clamping: state.cursorMinutes)); move the cursor onto one, or n to schedule one")
    return nil
}

/// "Mon 7 Dec".
func dayText(_ date: LocalDate) -> String {
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return "\(date.weekday.shortName) \(date.day) \(months[date.month - 1])"
}

// MARK: The Week's answers to modal questions (routed here by Overlays/ModalAnswers.swift)

/// Answers a typed question the Week asked: a date to go to, a reason for cancelling.
func answerWeekPrompt(_ state: inout AppState, _ prompt: TextPrompt, _ purpose: PromptPurpose, _ text: String) -> [Effect] {
    var prompt = prompt
    switch purpose {
    case .goToDate:
        guard let date = DateInput.parse(text, today: state.today) else {
            prompt.error = "not a date: try 2026-12-01, today, tomorrow, mon, +3d, +2w"
            state.modal = .prompt(prompt, purpose)
            return []
        }
        state.modal = nil
        goTo(&state, date)
        state.message = StatusMessage("Week of \(dayText(date))")
        return []
    case .late, .leftEarly, .excused, .didNotTakePlace, .absenceReported:
        return []   // not the Week's: routed by answerPrompt
    case .cancelReason(let item):
        guard !text.isEmpty else {
            prompt.error = "a reason is required (it goes in the record)"
            state.modal = .prompt(prompt, purpose)
            return []
        }
        state.modal = nil
        let s = item.session
        return sessionEdit(&state, label: "cancel \(s.title) on \(dayText(s.date))", done: "Cancelled \(s.title) on \(dayText(s.date)): \(text). The roster and anything recorded are kept; u undoes", refused: "Not cancelled") { doc throws(EditError) in
            if let series = s.series, let date = s.occurrenceDate, !item.isStored {
                return try SeriesEdits.cancelOccurrence(of: series, on: date, reason: text, in: doc)
            }
            return try SeriesEdits.cancelSession(s.id, reason: text, in: doc)
        }
    }
}


/// Answers a lettered question the Week asked: which part of a series, conflicts, ending, restoring, a title naming someone.
func answerWeekChoice(_ state: inout AppState, _ purpose: ChoicePurpose, _ answer: Character) -> [Effect] {
    switch purpose {
    case .editScope(let item):
        let scope: EditScope = answer == "o" ? .occurrence : answer == "f" ? .following : .all
        openForm(&state, SessionForms.editFrame(item, scope: scope, doc: state.document, today: state.today))
        return []
    case .cancelScope(let item):
        if answer == "o" {
            askCancelReason(&state, item)
        } else {
            let from = item.session.occurrenceDate ?? item.session.date
            let dialog = ChoiceDialog(title: "End \(item.session.title)", lines: ["No occurrences from \(dayText(from)) on. Past sessions and everything recorded stay."],
                                      options: [ChoiceOption("y", "end the series"), ChoiceOption("n", "keep it")])
            openModal(&state, .choice(dialog, .endSeries(item)))
        }
        return []
    case .endSeries(let item):
        guard answer == "y", let series = item.session.series else { return [] }
        let from = item.session.occurrenceDate ?? item.session.date
        return sessionEdit(&state, label: "end \(item.session.title) from \(dayText(from))", done: "\(item.session.title) ends before \(dayText(from)); u undoes", refused: "Not ended") { doc throws(EditError) in
            try SeriesEdits.endSeries(series, from: from, in: doc)
        }
    case .restore(let item):
        guard answer == "y" else { return [] }
        let s = item.session
        return sessionEdit(&state, label: "restore \(s.title) on \(dayText(s.date))", done: "Restored \(s.title) on \(dayText(s.date)); u undoes", refused: "Not restored") { doc throws(EditError) in
            try SeriesEdits.uncancel(s.id, in: doc)
        }
    case .conflicts(let pending):
        guard answer == "k" else {
            state.message = StatusMessage(pending.endsMove ? "Still moving: Enter places it, Esc puts it back" : "Back to the form: change the time, room or people")
            return []
        }
        return applyPending(&state, pending)
    case .titleNamesPatient:
        guard answer == "k" else {
            if var frame = state.forms.last {
                frame.form.focus(on: "title")
                state.forms[state.forms.count - 1] = frame
            }
            state.message = StatusMessage("Back to the form: a title such as \"Individual session\" or the group's name names no one")
            return []
        }
        return submitSessionForm(&state, titleChecked: true)
    case .cancelRecorded(let item, let didNotTakePlace):
        guard answer == "c" else {
            state.message = StatusMessage("\(item.session.title) on \(dayText(item.session.date)) is kept as it is")
            return []
        }
        askCancelReason(&state, state.currentItem(item), didNotTakePlace: didNotTakePlace, confirmed: true)
        return []
    case .removeMember, .privacySign, .confirmSign, .confirmCoSign, .letterWritten, .notice:
        return []   // not the Week's: routed by answerChoice
    }
}

private func applyPending(_ state: inout AppState, _ pending: PendingChange) -> [Effect] {
    let effects = edit(&state, pending.edit, label: pending.label)
    guard !effects.isEmpty else { return [] }
    if pending.closesForm, !state.forms.isEmpty { state.forms.removeLast() }
    if pending.endsMove { state.moving = nil }
    state.message = StatusMessage(pending.message)
    return effects
}

/// Applies a scheduling edit now, or asks first when it clashes with something already on the calendar.
private func applyChecked(_ state: inout AppState, _ pending: PendingChange, conflicts: [Conflict]) -> [Effect] {
    guard !conflicts.isEmpty else { return applyPending(&state, pending) }
    var lines = conflicts.prefix(8).map { $0.message(in: state.document) }
    if conflicts.count > 8 { lines.append("… and \(conflicts.count - 8) more") }
    let dialog = ChoiceDialog(title: conflicts.count == 1 ? "1 conflict" : "\(conflicts.count) conflicts", lines: lines,
                              options: [ChoiceOption("b", "go back"), ChoiceOption("k", "keep it anyway")])
    openModal(&state, .choice(dialog, .conflicts(pending)))
    return []
}

// MARK: Roster picking inside the session form

/// Opens the patient picker for the top form's roster.
func openRosterPicker(_ state: inout AppState) {
    guard let frame = state.forms.last, case .roster(let ids) = frame.draft else { return }
    let today = state.today
    let items = state.document.patients.filter { $0.status == .active || ids.contains($0.id) }
        .sorted { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
        .map { p in
            let phase = p.care(on: today).flatMap { state.document.program.phase($0.phase)?.name } ?? ""
            return PickerItem(id: p.id.rawValue, label: p.displayName, detail: [p.mrn, phase].filter { !$0.isEmpty }.joined(separator: " · "),
                              searchText: [p.legalName, p.preferredName ?? "", p.mrn].joined(separator: " "))
        }
    openModal(&state, .picker(Picker(title: "Roster", items: items, multiple: true, selected: Set(ids.map(\.rawValue))), .roster))
}

func setRoster(_ state: inout AppState, _ ids: [PatientID]) {
    guard var frame = state.forms.last else { return }
    frame.draft = .roster(ids)
    frame.form.setListItems("roster", ids.map { SessionForms.rosterLine($0, doc: state.document) }, selected: 0)
    state.forms[state.forms.count - 1] = frame
}

/// Removes a patient from the top form's roster list.
func removeFromRoster(_ state: inout AppState, at index: Int) {
    guard var frame = state.forms.last, case .roster(var ids) = frame.draft, ids.indices.contains(index) else { return }
    ids.remove(at: index)
    frame.draft = .roster(ids)
    frame.form.setListItems("roster", ids.map { SessionForms.rosterLine($0, doc: state.document) }, selected: max(0, min(index, ids.count - 1)))
    state.forms[state.forms.count - 1] = frame
}

// MARK: Submitting the session form

/// Saves the session form. A title that names a patient is asked about first (`titleChecked` is the user's "keep it"):
/// titles show on the Week grid, in reports and, for groups, in the calendar export, where a name discloses the patient.
func submitSessionForm(_ state: inout AppState, titleChecked: Bool = false) -> [Effect] {
    guard var frame = state.forms.last else { return [] }
    let doc = state.document
    let today = state.today
    let values: SessionForms.Values
    switch SessionForms.values(frame, doc: doc, today: today) {
    case .failure(let errors):
        for (id, message) in errors.byField { frame.form.errors[id] = message }
        state.forms[state.forms.count - 1] = frame
        refuseMarkedFields(&state)
        return []
    case .success(let v):
        values = v
    }
    let v = values
    let originalTitle: String? = { if case .editSession(let item, _) = frame.purpose { return item.session.title }; return nil }()
    if !titleChecked, v.title != originalTitle {
        let named = PrivacyCheck.mentions(in: v.title, of: doc.patients)
        if !named.isEmpty {
            openModal(&state, .choice(SessionForms.titleWarning(named, kind: v.kind), .titleNamesPatient))
            return []
        }
    }
    let index = state.schedule
    let change = SessionChange(title: v.title, kind: v.kind, modality: .some(v.modality), facilitator: .some(v.facilitator), room: .some(v.room),
                               start: v.start, durationMinutes: v.duration)
    do {
        switch frame.purpose {
        case .newSession:
            let date = v.date ?? state.cursorDate
            if v.repeats {
                let id = SeriesID(SessionForms.newID("ser", taken: Set(doc.series.map(\.id.rawValue))))
                let series = Series(id: id, title: v.title, kind: v.kind, modality: v.modality, facilitator: v.facilitator, room: v.room,
                                    weekdays: v.weekdays, start: v.start, durationMinutes: v.duration, startDate: date, endDate: v.endDate,
                                    roster: v.roster.map { RosterEntry(patient: $0, joined: date) })
                let edit = try SeriesEdits.createSeries(series, in: doc)
                let until = v.endDate.map { " until \(dayText($0))" } ?? ""
                let pending = PendingChange(edit: edit, label: "schedule \(v.title)",
                                            message: "Scheduled \(v.title): \(TimeInput.weekdaysText(v.weekdays)) \(v.start), from \(dayText(date))\(until); u undoes",
                                            closesForm: true, endsMove: false)
                return applyChecked(&state, pending, conflicts: Conflicts.find(forSeries: series, from: date, in: index, doc: doc, ignoringSeries: nil))
            }
            let id = SessionID(SessionForms.newID("ses_\(date.iso)", taken: Set(doc.sessions.map(\.id.rawValue))))
            let session = Session(id: id, date: date, start: v.start, durationMinutes: v.duration, title: v.title, kind: v.kind,
                                  modality: v.modality, room: v.room, facilitator: v.facilitator, added: v.roster)
            let pending = PendingChange(edit: .putSession(session), label: "schedule \(v.title)",
                                        message: "Scheduled \(v.title) on \(dayText(date)) \(v.start); u undoes", closesForm: true, endsMove: false)
            let conflicts = Conflicts.find(date: date, start: v.start, durationMinutes: v.duration, facilitator: v.facilitator, room: v.room,
                                           patients: v.roster, in: index, doc: doc, ignoring: [])
            return applyChecked(&state, pending, conflicts: conflicts)

        case .editSession(let item, let scope):
            let original = item.session
            let series = original.series.flatMap { doc.series($0) }
            switch (scope, series) {
            case (.occurrence, _), (_, nil):
                var s = original
                if !item.isStored, let sid = s.series, let od = s.occurrenceDate { s.id = SeriesEdits.storedID(for: sid, on: od, in: doc) }
                s = change.applied(to: s)
                s.date = v.date ?? s.date
                if let series {
                    let base = series.members(on: s.occurrenceDate ?? s.date)
                    let want = Set(v.roster)
                    s.added = v.roster.filter { !base.contains($0) }
                    s.removed = base.filter { !want.contains($0) }
                } else {
                    s.added = v.roster
                    s.removed = []
                }
                let pending = PendingChange(edit: .putSession(s), label: "edit \(s.title) on \(dayText(s.date))",
                                            message: "Saved \(s.title) on \(dayText(s.date)) \(s.start); u undoes", closesForm: true, endsMove: false)
                let conflicts = Conflicts.find(date: s.date, start: s.start, durationMinutes: s.durationMinutes, facilitator: s.facilitator, room: s.room,
                                               patients: v.roster, in: index, doc: doc, ignoring: [original.id, s.id])
                return applyChecked(&state, pending, conflicts: conflicts)
            case (.following, let series?):
                let from = original.occurrenceDate ?? original.date
                // Only the roster or the end changed: memberships are dated already, so no split is needed.
                let fieldsChanged = change.applied(to: series) != series || v.weekdays != series.weekdays
                let newID = SeriesID(SessionForms.newID("ser", taken: Set(doc.series.map(\.id.rawValue))))
                let split: DocumentEdit = fieldsChanged
                    ? try SeriesEdits.splitSeries(series.id, from: from, applying: change, weekdays: v.weekdays, newID: newID, in: doc)
                    : .batch([])
                var after = doc
                try after.apply(split)
                guard var updated = after.series(newID) ?? after.series(series.id) else { return [] }
                updated.endDate = v.endDate
                updated.roster = rosterChanged(updated.roster, to: v.roster, from: max(from, today), series: updated, sessions: after.sessions)
                let pending = PendingChange(edit: .batch([split, .putSeries(updated)]), label: "edit \(series.title) from \(dayText(from))",
                                            message: "Saved \(updated.title) from \(dayText(from)) on; earlier sessions are unchanged. u undoes",
                                            closesForm: true, endsMove: false)
                return applyChecked(&state, pending, conflicts: Conflicts.find(forSeries: updated, from: from, in: index, doc: doc, ignoringSeries: series.id))
            case (.all, let series?):
                let fieldsChanged = change.applied(to: series) != series || v.weekdays != series.weekdays
                let whole: DocumentEdit = fieldsChanged ? try SeriesEdits.editSeries(series.id, applying: change, weekdays: v.weekdays, in: doc) : .batch([])
                var after = doc
                try after.apply(whole)
                guard var updated = after.series(series.id) else { return [] }
                updated.endDate = v.endDate
                updated.roster = rosterChanged(updated.roster, to: v.roster, from: max(updated.startDate, today), series: series, sessions: doc.sessions)
                let pending = PendingChange(edit: .batch([whole, .putSeries(updated)]), label: "edit \(series.title)",
                                            message: "Saved the whole \(updated.title) series; recorded sessions keep their own details. u undoes",
                                            closesForm: true, endsMove: false)
                return applyChecked(&state, pending, conflicts: Conflicts.find(forSeries: updated, from: max(updated.startDate, today), in: index, doc: doc, ignoringSeries: series.id))
            }
        default:
            return []
        }
    } catch {
        state.message = StatusMessage("Not saved: \(error)", isError: true)
        return []
    }
}

/// A series roster changed to exactly `wanted` from `date`: leavers get a leaving date (their past stays, and so does a mark
/// already taken on or after `date`: see `Series.leavingDate`), joiners join on it.
/// Memberships that have not begun by `date` and are no longer wanted are dropped.
func rosterChanged(_ roster: [RosterEntry], to wanted: [PatientID], from date: LocalDate, series: Series? = nil, sessions: [Session] = []) -> [RosterEntry] {
    let want = Set(wanted)
    var result: [RosterEntry] = []
    for var entry in roster {
        let current = entry.isMember(on: date) || entry.joined > date
        if current && !want.contains(entry.patient) {
            if entry.joined >= date { continue }
            entry.left = series.map { $0.leavingDate(for: entry.patient, from: date, sessions: sessions) } ?? date
        }
        result.append(entry)
    }
    let present = Set(result.filter { $0.isMember(on: date) || $0.joined > date }.map(\.patient))
    for id in wanted where !present.contains(id) { result.append(RosterEntry(patient: id, joined: date)) }
    return result
}

// MARK: Moving a block

/// Move mode's keys (`Keymaps.move`): the block follows until Enter places it or Esc puts it back.
func handleMoveKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var move = state.moving else { return [] }
    switch Keymaps.move.action(for: key) {
    case .dayLeft?: move.date = move.date.adding(days: -1)
    case .dayRight?: move.date = move.date.adding(days: 1)
    case .timeUp?: move.start = LocalTime(clamping: max(0, move.start.minutes - 30))
    case .timeDown?:
        move.start = LocalTime(clamping: min(24 * 60 - move.item.session.durationMinutes, move.start.minutes + 30))
    case .cancel?:
        state.moving = nil
        // The cursor goes back with the block.
        let s = move.item.session
        if s.date < state.weekStart || s.date > state.weekStart.adding(days: 6) { goTo(&state, s.date) }
        state.cursorDay = state.weekStart.days(until: s.date)
        state.cursorMinutes = s.start.minutes / 30 * 30
        state.message = StatusMessage("Put back")
        return []
    case .place?:
        return placeMove(&state, move)
    default:
        state.message = StatusMessage("Moving \(move.item.session.title): " + Keymaps.move.hintLine)
        return []
    }
    state.moving = move
    // Follow the block with the cursor (and the week).
    if move.date < state.weekStart || move.date > state.weekStart.adding(days: 6) { goTo(&state, move.date) }
    state.cursorDay = state.weekStart.days(until: move.date)
    state.cursorMinutes = move.start.minutes / 30 * 30
    clampCursorToGrid(&state)
    state.message = StatusMessage("Move \(move.item.session.title) to \(dayText(move.date)) \(move.start)? Enter places it, Esc puts it back")
    return []
}

private func placeMove(_ state: inout AppState, _ move: MoveState) -> [Effect] {
    let s = move.item.session
    if move.date == s.date && move.start == s.start {
        state.moving = nil
        state.message = StatusMessage("Not moved")
        return []
    }
    let doc = state.document
    do {
        let change = if let series = s.series, let od = s.occurrenceDate, !move.item.isStored {
            try SeriesEdits.moveOccurrence(of: series, on: od, to: move.date, start: move.start, in: doc)
        } else {
            try SeriesEdits.moveSession(s.id, to: move.date, start: move.start, in: doc)
        }
        let members = s.members(series: s.series.flatMap { doc.series($0) })
        let pending = PendingChange(edit: change, label: "move \(s.title) to \(dayText(move.date)) \(move.start)",
                                    message: "Moved \(s.title) to \(dayText(move.date)) \(move.start); u undoes", closesForm: false, endsMove: true)
        let storedID = s.series.flatMap { sid in s.occurrenceDate.map { SeriesEdits.storedID(for: sid, on: $0, in: doc) } }
        let conflicts = Conflicts.find(date: move.date, start: move.start, durationMinutes: s.durationMinutes, facilitator: s.facilitator, room: s.room,
                                       patients: members, in: state.schedule, doc: doc, ignoring: Set([s.id] + (storedID.map { [$0] } ?? [])))
        return applyChecked(&state, pending, conflicts: conflicts)
    } catch {
        state.message = StatusMessage("Not moved: \(error)", isError: true)
        return []
    }
}
