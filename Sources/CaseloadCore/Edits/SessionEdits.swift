import Foundation

/// Edits a facilitator makes in the session pane (roll, drop-ins, notes, signing), each built as one undoable `DocumentEdit`.
///
/// Each edit takes the session as the schedule shows it (`ScheduledSession`) and returns a `.putSession` of the changed session.
/// A series occurrence that is not stored yet is stored by the edit, under `SeriesEdits.storedID(for:on:in:)`.
/// Attendance marks and notes are never deleted by a roster change: they are the record. A mark is only ever made on a member
/// of the occurrence, and a member with a mark is not taken off it, so no edit here leaves a mark on a non-member (which would count nowhere).
public enum SessionEdits {
    // MARK: Roll

    /// Marks `patient`'s attendance, or clears the mark when `status` is nil. A scheduled session becomes held when marked;
    /// clearing its last mark makes a held session scheduled again. Only a member of the occurrence (roster on its date, drop-ins,
    /// not removed) can be marked; a mark found on a non-member (from an older file) can only be cleared.
    public static func mark(_ patient: PatientID, _ status: AttendanceStatus?, on item: ScheduledSession, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let (old, series) = resolve(item, in: doc)
        try requireTakingPlace(old)
        let field = "sessions[\(old.id)].attendance"
        let current = old.attendance(for: patient)
        let isMember = old.members(series: series).contains(patient)
        var s = old
        guard let status else {
            guard current != nil else { throw refusal(field, "this patient has no mark to clear on \(name(of: old))") }
            s.clearMark(patient)
            if s.attendance.isEmpty && s.status == .held { s.status = .scheduled }
            return .putSession(s)
        }
        guard isMember else {
            let why = current == nil ? "" : " (their mark here counts nowhere; clear it, or add them back)"
            throw refusal(field, "this patient is not on \(name(of: old))\(why); add them as a drop-in first")
        }
        let checked = try checkedStatus(status, duration: old.durationMinutes, field: field)
        if current == checked {
            throw refusal(field, "this patient is already marked \(label(checked)) on \(name(of: old))")
        }
        s.mark(patient, checked)
        return .putSession(s)
    }

    /// Marks every member who has no mark yet present, in one edit.
    public static func markAllUnmarkedPresent(on item: ScheduledSession, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let (old, series) = resolve(item, in: doc)
        try requireTakingPlace(old)
        let unmarked = old.members(series: series).filter { old.attendance(for: $0) == nil }
        guard !unmarked.isEmpty else {
            throw refusal("sessions[\(old.id)].attendance", "everyone on \(name(of: old)) is already marked")
        }
        var s = old
        for patient in unmarked { s.mark(patient, .present) }
        return .putSession(s)
    }

    // MARK: Roster of one occurrence

    /// Adds `patient` to this occurrence only (a drop-in): series members taken off it come back, anyone else is added.
    public static func addDropIn(_ patient: PatientID, to item: ScheduledSession, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let (old, series) = resolve(item, in: doc)
        let field = "sessions[\(old.id)].added"
        guard let person = doc.patient(patient) else { throw refusal(field, "no patient has the ID \"\(patient)\"") }
        if case .discharged(let date, _) = person.status {
            throw refusal(field, "this patient was discharged on \(date); readmit them before adding them to a session")
        }
        if old.members(series: series).contains(patient) {
            throw refusal(field, "this patient is already on \(name(of: old))")
        }
        var s = old
        s.removed.removeAll { $0 == patient }
        if !s.members(series: series).contains(patient) { s.added.append(patient) }
        return .putSession(s)
    }

    /// Takes `patient` off this occurrence only: a series member is listed as removed, a drop-in is taken out of the additions.
    /// Refused while the patient has an attendance mark here: a removed patient's mark would count nowhere, and deleting it
    /// silently would lose the record, so the mark is cleared first, on purpose. Notes stay: a patient with a note is still
    /// shown on the session, as removed.
    public static func removeFromOccurrence(_ patient: PatientID, from item: ScheduledSession, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let (old, series) = resolve(item, in: doc)
        guard old.members(series: series).contains(patient) else {
            throw refusal("sessions[\(old.id)].removed", "this patient is not on \(name(of: old))")
        }
        if let mark = old.attendance(for: patient) {
            throw refusal("sessions[\(old.id)].removed", "this patient is marked \(label(mark)) on \(name(of: old)); clear the mark first if they were not there to be marked")
        }
        var s = old
        s.added.removeAll { $0 == patient }
        if let series, series.members(on: old.occurrenceDate ?? old.date).contains(patient), !s.removed.contains(patient) {
            s.removed.append(patient)
        }
        return .putSession(s)
    }

    /// Whether anything is recorded for `patient` on this session (attendance or a note): the UI asks before taking them off.
    public static func hasRecord(_ patient: PatientID, on item: ScheduledSession) -> Bool {
        item.session.hasRecord(for: patient)
    }

    /// Patients with attendance or a note on this session who are no longer among its members: still shown, as removed.
    public static func removedWithRecord(on item: ScheduledSession, in doc: CaseloadDocument) -> [PatientID] {
        let (s, series) = resolve(item, in: doc)
        let members = Set(s.members(series: series))
        var result: [PatientID] = []
        var seen = Set<PatientID>()
        for id in s.attendance.map(\.patient) + s.memberNotes.map(\.patient) where !members.contains(id) && seen.insert(id).inserted {
            result.append(id)
        }
        return result
    }

    // MARK: Notes

    /// Writes (or rewrites) the group note; refused once it is signed.
    public static func writeGroupNote(_ note: GroupNote, on item: ScheduledSession, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var (s, _) = resolve(item, in: doc)
        do { try s.setGroupNote(note) } catch { throw .note(error) }
        return .putSession(s)
    }

    /// Writes (or rewrites) a member's note; refused once it is signed, and for a patient who is neither on the session nor has a record on it.
    public static func writeMemberNote(_ note: MemberNote, on item: ScheduledSession, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let (old, series) = resolve(item, in: doc)
        var s = old
        guard s.hasRecord(for: note.patient) || s.members(series: series).contains(note.patient) else {
            throw refusal("sessions[\(s.id)].memberNotes", "this patient is not on \(name(of: s)); add them as a drop-in first")
        }
        do { try s.setMemberNote(note) } catch { throw .note(error) }
        return .putSession(s)
    }

    /// Signs the group note as `staff` at `at`; after this only addenda are accepted.
    public static func signGroupNote(on item: ScheduledSession, by staff: StaffID, at: Timestamp, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var (s, _) = resolve(item, in: doc)
        try requireStaff(staff, field: "sessions[\(s.id)].groupNote.signature", in: doc)
        do { try s.signGroupNote(doc.makeSignature(by: staff, at: at)) } catch { throw .note(error) }
        return .putSession(s)
    }

    /// Signs `patient`'s note as `staff` at `at`; after this only addenda are accepted.
    public static func signMemberNote(for patient: PatientID, on item: ScheduledSession, by staff: StaffID, at: Timestamp, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var (s, _) = resolve(item, in: doc)
        try requireStaff(staff, field: "sessions[\(s.id)].memberNotes.signature", in: doc)
        do { try s.signMemberNote(for: patient, doc.makeSignature(by: staff, at: at)) } catch { throw .note(error) }
        return .putSession(s)
    }

    /// Adds an addendum to the signed group note.
    public static func addGroupAddendum(on item: ScheduledSession, _ addendum: Addendum, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var (s, _) = resolve(item, in: doc)
        try requireStaff(addendum.by, field: "sessions[\(s.id)].groupNote.addenda", in: doc)
        do { try s.addGroupAddendum(addendum) } catch { throw .note(error) }
        return .putSession(s)
    }

    /// Adds an addendum to `patient`'s signed note.
    public static func addMemberAddendum(for patient: PatientID, on item: ScheduledSession, _ addendum: Addendum, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var (s, _) = resolve(item, in: doc)
        try requireStaff(addendum.by, field: "sessions[\(s.id)].memberNotes.addenda", in: doc)
        do { try s.addMemberAddendum(for: patient, addendum) } catch { throw .note(error) }
        return .putSession(s)
    }

    // MARK: Status

    /// Records that the session was due but did not take place (facilitator ill, building closed). Marks and notes are kept;
    /// `SeriesEdits.uncancel` takes it back.
    public static func markDidNotTakePlace(_ item: ScheduledSession, reason: String, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let (old, _) = resolve(item, in: doc)
        let field = "sessions[\(old.id)].status"
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw refusal("\(field).reason", "give a reason why the session did not take place") }
        switch old.status {
        case .cancelled: throw refusal(field, "\(name(of: old)) is cancelled: restore it first")
        case .didNotTakePlace(let current) where current == trimmed:
            throw refusal(field, "\(name(of: old)) is already marked as not taking place")
        default: break
        }
        var s = old
        s.status = .didNotTakePlace(reason: trimmed)
        return .putSession(s)
    }

    // MARK: Helpers

    /// The session to change, as the document holds it now, and its series. An unstored occurrence gets the ID it will be stored under.
    static func resolve(_ item: ScheduledSession, in doc: CaseloadDocument) -> (Session, Series?) {
        var s = item.session
        if let stored = doc.session(s.id) {
            s = stored
        } else if let seriesID = s.series, let date = s.occurrenceDate {
            if let stored = doc.storedOccurrence(of: seriesID, on: date) {
                s = stored
            } else {
                s.id = SeriesEdits.storedID(for: seriesID, on: date, in: doc)
            }
        }
        return (s, s.series.flatMap { doc.series($0) })
    }

    /// Refuses roll on a session that was cancelled or did not take place.
    static func requireTakingPlace(_ s: Session) throws(EditError) {
        switch s.status {
        case .cancelled: throw refusal("sessions[\(s.id)].status", "\(name(of: s)) is cancelled: restore it first")
        case .didNotTakePlace: throw refusal("sessions[\(s.id)].status", "\(name(of: s)) did not take place: restore it first")
        case .scheduled, .held: break
        }
    }

    /// The status as it will be stored (a trimmed reason), or a refusal when its minutes or reason do not fit the session.
    static func checkedStatus(_ status: AttendanceStatus, duration: Int, field: String) throws(EditError) -> AttendanceStatus {
        switch status {
        case .late(let minutes):
            guard duration >= 1, (1...duration).contains(minutes) else {
                throw refusal("\(field).minutesLate", "minutes late must be between 1 and the session's \(duration) minutes")
            }
        case .leftEarly(let minutes):
            guard duration >= 1, (0...(duration - 1)).contains(minutes) else {
                throw refusal("\(field).minutesAttended", "minutes attended before leaving must be between 0 and \(max(0, duration - 1)) (the session lasts \(duration) minutes)")
            }
        case .excused(let reason):
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw refusal("\(field).reason", "an excused absence needs a reason") }
            return .excused(reason: trimmed)
        case .present, .absent: break
        }
        return status
    }

    static func requireStaff(_ id: StaffID, field: String, in doc: CaseloadDocument) throws(EditError) {
        guard doc.staffMember(id) != nil else { throw refusal(field, "no staff member has the ID \"\(id)\"") }
    }

    /// "IOP-A on Mon 2026-11-02".
    static func name(of s: Session) -> String {
        "\(s.title) on \(s.date.weekday.shortName) \(s.date)"
    }

    static func label(_ status: AttendanceStatus) -> String {
        switch status {
        case .present: "present"
        case .late(let m): "late (\(m) min)"
        case .leftEarly(let m): "left early (\(m) min attended)"
        case .excused: "excused"
        case .absent: "absent"
        }
    }

    static func refusal(_ field: String, _ message: String) -> EditError {
        .invalid([ValidationIssue(field: field, message: message)])
    }
}

/// Who is at the keyboard: the staff member whose login matches.
public enum Signer {
    /// The staff member whose `login` matches `login`, ignoring case and surrounding spaces; nil for no login or no match.
    public static func staff(forLogin login: String?, in doc: CaseloadDocument) -> Staff? {
        guard let wanted = login?.trimmingCharacters(in: .whitespacesAndNewlines), !wanted.isEmpty else { return nil }
        return doc.staff.first { member in
            let own = member.login.trimmingCharacters(in: .whitespacesAndNewlines)
            return !own.isEmpty && own.caseInsensitiveCompare(wanted) == .orderedSame
        }
    }
}

/// When a session's notes are late.
public enum NoteAge {
    /// True when `session` has an unsigned note (group or member) and ended more than `hours` hours before `now` (wall-clock times in `zone`).
    public static func isOverdue(_ session: Session, now: Date, zone: TimeZone, hours: Int = 72) -> Bool {
        guard session.hasUnsignedNote else { return false }
        let end = Recurrence.instant(session.date, session.start, in: zone).addingTimeInterval(TimeInterval(session.durationMinutes) * 60)
        return now.timeIntervalSince(end) > TimeInterval(hours) * 3600
    }
}
