import CaseloadCore
import Foundation

// What the UI asks the audit trail to record (issue 17), as `Effect.audit`: every edit (App/Edit.swift), a report or
// letter written (Overlays/ReportWriting.swift), and — seen here, by comparing the state before and after each message —
// a record opened, a session's notes opened, the screen locked, unlocked, or a wrong passphrase given. Ids only: never
// a name, a note's text or any other value from the record.

/// What of the state opening and locking are judged by: taken before a message, compared after it.
struct AuditWatch {
    let record: PatientID?
    let notes: [NoteKey]
    let locked: Bool
    let wrongTries: Int

    /// A note open for reading or writing: the session (as the trail names it) and whose note (nil: the group note).
    struct NoteKey: Equatable {
        let session: [String]
        let patient: PatientID?
    }

    init(_ state: AppState) {
        record = state.record?.patient
        var notes: [NoteKey] = []
        if let view = state.noteView { notes.append(NoteKey(session: sessionAuditIDs(view.item), patient: view.patient)) }
        for frame in state.forms {
            switch frame.purpose {
            case .groupNote(let item): notes.append(NoteKey(session: sessionAuditIDs(item), patient: nil))
            case .memberNote(let item, let patient): notes.append(NoteKey(session: sessionAuditIDs(item), patient: patient))
            default: break
            }
        }
        self.notes = notes
        locked = state.lock != nil
        wrongTries = state.lock?.wrongTries ?? 0
    }

    /// What was opened, locked or unlocked between this and `state`: once per opening, never per redraw or tab switch.
    func events(after state: AppState) -> [AuditEvent] {
        let now = AuditWatch(state)
        var events: [AuditEvent] = []
        if now.locked && !locked { events.append(AuditEvent(AuditAction.lock)) }
        if now.locked && now.wrongTries > wrongTries {
            events.append(AuditEvent(AuditAction.unlockFailed))
        }
        if !now.locked && locked { events.append(AuditEvent(AuditAction.unlock)) }
        if let patient = now.record, patient != record { events.append(AuditEvent(AuditAction.recordOpen, [AuditEvent.patient(patient)])) }
        for note in now.notes where !notes.contains(note) { events.append(notesOpenEvent(session: note.session, patient: note.patient)) }
        return events
    }
}

/// A session's note opened to read or write: the session, and for a member's note the patient.
func notesOpenEvent(session: [String], patient: PatientID?) -> AuditEvent {
    var ids = session
    if let patient {
        ids += [AuditEvent.patient(patient), "note:\(patient.rawValue)"]
    } else {
        ids.append("note:group")
    }
    return AuditEvent(AuditAction.notesOpen, ids)
}

/// How the trail names a session: its id once stored; a series occurrence not stored yet has no id of its own, so it
/// is named by its series and date.
func sessionAuditIDs(_ item: ScheduledSession) -> [String] {
    let s = item.session
    if !item.isStored, let series = s.series {
        return ["series:\(series.rawValue)", "date:\((s.occurrenceDate ?? s.date).iso)"]
    }
    return [AuditEvent.session(s.id)]
}

/// `events` as an effect for the trail, and as entries in the access log at once, so the Record's Access section shows
/// what this run did before the trail is read again.
func audited(_ state: inout AppState, _ events: [AuditEvent]) -> [Effect] {
    guard !events.isEmpty else { return [] }
    recordAccess(&state, events)
    return [.audit(events)]
}

/// `events` as entries in the access log (those about patients).
func recordAccess(_ state: inout AppState, _ events: [AuditEvent]) {
    let about = events.filter { !$0.patients.isEmpty }
    if !about.isEmpty {
        let entries = about.map {
            AuditEntry(sequence: 0, at: state.recordNow, who: state.login ?? "", identity: state.operatorIdentity ?? .unmapped, action: $0.action, ids: $0.ids)
        }
        state.appendAccess(entries)
        if let open = state.record?.patient, about.contains(where: { $0.patients.contains(open) }) { state.refreshRecord() }
    }
}

/// The entities `edit` touches, as they are in `doc`, in a document of their own: what `AuditEvent.changes` compares.
/// Comparing slices rather than whole documents keeps an edit's cost independent of the history's length: keeping the
/// whole document from before an edit would make the edit copy every session, and finding one by scanning them all
/// costs as much.
func auditSlice(of doc: CaseloadDocument, for edit: DocumentEdit) -> CaseloadDocument {
    var staff: [StaffID] = [], patients: [PatientID] = [], series: [SeriesID] = [], sessions: [SessionID] = []
    func collect(_ edit: DocumentEdit) {
        switch edit {
        case .setProgram: break
        case .putStaff(let s): staff.append(s.id)
        case .removeStaff(let id): staff.append(id)
        case .putPatient(let p): patients.append(p.id)
        case .removePatient(let id): patients.append(id)
        case .putSeries(let s), .insertSeries(let s, _): series.append(s.id)
        case .removeSeries(let id): series.append(id)
        case .putSession(let s), .insertSession(let s, _): sessions.append(s.id)
        case .removeSession(let id): sessions.append(id)
        case .batch(let edits): edits.forEach(collect)
        }
    }
    collect(edit)
    return CaseloadDocument(program: doc.program, staff: staff.compactMap { doc.staffMember($0) }, patients: patients.compactMap { doc.patient($0) },
                            series: series.compactMap { doc.series($0) }, sessions: sessions.compactMap { doc.session($0) })
}

/// The audit events of `edit`, given the document's slices before and after it (`auditSlice`). A series occurrence
/// stored by the edit (its first roll mark, note or cancellation) was there before, computed from its series: it is
/// compared with that, so the trail says what was recorded on it and for whom — not only that a session was created.
/// The same holds the other way for an undo that drops it from storage.
func auditChange(of edit: DocumentEdit, before: CaseloadDocument, after: CaseloadDocument, in doc: CaseloadDocument) -> AuditChange {
    var before = before, after = after
    func computed(_ stored: Session) -> Session? {
        guard let id = stored.series, let date = stored.occurrenceDate, let series = doc.series(id) else { return nil }
        return Session(id: stored.id, occurrenceOf: series, on: date)
    }
    for s in after.sessions where before.session(s.id) == nil { computed(s).map { before.sessions.append($0) } }
    for s in before.sessions where after.session(s.id) == nil { computed(s).map { after.sessions.append($0) } }
    return AuditChange(edit: edit, before: before, after: after)
}

/// Keeping the access log small: the Access section shows the last `perPatient` entries about one patient.
public enum AccessLog {
    public static let perPatient = 20

    /// The entries about patients, oldest first, keeping only those among the last `perPatient` of some patient they name.
    public static func trimmed(_ entries: [AuditEntry]) -> [AuditEntry] {
        var counts: [PatientID: Int] = [:]
        var kept: [AuditEntry] = []
        for entry in entries.reversed() {
            let patients = AuditEvent(entry.action, entry.ids).patients
            guard patients.contains(where: { counts[$0, default: 0] < perPatient }) else { continue }
            for p in patients { counts[p, default: 0] += 1 }
            kept.append(entry)
        }
        return kept.reversed()
    }

    /// The last `perPatient` entries naming `patient`, newest first.
    public static func entries(about patient: PatientID, in log: [AuditEntry]) -> [AuditEntry] {
        let wanted = AuditEvent.patient(patient)
        var found: [AuditEntry] = []
        for entry in log.reversed() where entry.ids.contains(wanted) {
            found.append(entry)
            if found.count == perPatient { break }
        }
        return found
    }
}

extension AppState {
    /// Appends to the access log, trimming it when it has doubled since it was last trimmed (so appending stays cheap).
    mutating func appendAccess(_ entries: [AuditEntry]) {
        accessLog += entries
        if accessLog.count > 2 * accessLogTrimmedCount + 200 {
            accessLog = AccessLog.trimmed(accessLog)
            accessLogTrimmedCount = accessLog.count
        }
    }
}
