import Foundation

/// One change to the document. Every edit goes through `CaseloadDocument.apply`, which checks it and returns its inverse, so undo and redo are edits too.
public enum DocumentEdit: Equatable, Sendable {
    case setProgram(Program)
    case putStaff(Staff)
    case removeStaff(StaffID)
    /// Adds the patient, or replaces the one with the same ID.
    case putPatient(Patient)
    case removePatient(PatientID)
    case putSeries(Series)
    case removeSeries(SeriesID)
    case putSession(Session)
    case removeSession(SessionID)
    /// Adds a series at a position in the list (clamped); the inverse of a removal, so undo restores the document exactly.
    case insertSeries(Series, at: Int)
    /// Adds a session at a position in the list (clamped); the inverse of a removal, so undo restores the document exactly.
    case insertSession(Session, at: Int)
    /// Several edits applied together: all or none.
    case batch([DocumentEdit])
}

/// Why an edit was refused; the document is unchanged.
public enum EditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A rule of the model forbids it; the message names the field.
    case invalid([ValidationIssue])
    /// A signed note would change.
    case note(NoteError)
    /// The edit names something that is not there.
    case notFound(String)
    /// Something still refers to what would be removed.
    case inUse(String)

    public var description: String {
        switch self {
        case .invalid(let issues): issues.map(\.description).joined(separator: "; ")
        case .note(let error): error.description
        case .notFound(let what): "\(what) does not exist"
        case .inUse(let what): what
        }
    }
}

extension CaseloadDocument {
    /// Applies `edit` if the model allows it and returns the edit that undoes it; on error nothing changes.
    @discardableResult
    public mutating func apply(_ edit: DocumentEdit) throws(EditError) -> DocumentEdit {
        switch edit {
        case .setProgram(let program):
            let issues = Validator.check(program, path: "program")
            guard issues.isEmpty else { throw .invalid(issues) }
            let old = self.program
            self.program = program
            return .setProgram(old)

        case .putStaff(let member):
            var issues = Validator.check(member, path: "staff[\(member.id)]")
            // Co-signature (issue 19): the supervisor is another staff member.
            if let supervisor = member.supervisor {
                if supervisor == member.id {
                    issues.append(ValidationIssue(field: "staff[\(member.id)].supervisor", message: "nobody supervises themselves: choose another staff member, or none"))
                } else if staffMember(supervisor) == nil {
                    issues.append(ValidationIssue(field: "staff[\(member.id)].supervisor", message: "no staff member has the ID \"\(supervisor)\""))
                }
            }
            guard issues.isEmpty else { throw .invalid(issues) }
            if staff.contains(where: { $0.id != member.id && !member.login.isEmpty && $0.login == member.login }) {
                throw .invalid([ValidationIssue(field: "staff[\(member.id)].login", message: "the login \"\(member.login)\" is already used by another staff member")])
            }
            if let i = staff.firstIndex(where: { $0.id == member.id }) {
                let old = staff[i]
                staff[i] = member
                return .putStaff(old)
            }
            staff.append(member)
            return .removeStaff(member.id)

        case .removeStaff(let id):
            guard let i = staff.firstIndex(where: { $0.id == id }) else { throw .notFound("staff member \(id)") }
            if let use = references(to: id) { throw .inUse("staff member \(id) is still named \(use); reassign it first") }
            let old = staff.remove(at: i)
            return .putStaff(old)

        case .putPatient(let patient):
            var issues = Validator.check(patient, path: "patients[\(patient.id)]", program: program, replacing: self.patient(patient.id))
            // Indices, not elements: `contains(where:)` would hand the predicate a copy of every patient.
            if patients.indices.contains(where: { patients[$0].id != patient.id && patients[$0].mrn == patient.mrn }) {
                issues.append(ValidationIssue(field: "patients[\(patient.id)].mrn", message: "this MRN is already used by another patient"))
            }
            if let clinician = patient.primaryClinician, staffMember(clinician) == nil {
                issues.append(ValidationIssue(field: "patients[\(patient.id)].primaryClinician", message: "no staff member has the ID \"\(clinician)\""))
            }
            guard issues.isEmpty else { throw .invalid(issues) }
            if let i = patientIndex(patient.id) {
                let old = patients[i]
                patients[i] = patient
                return .putPatient(old)
            }
            patients.append(patient)
            return .removePatient(patient.id)

        case .removePatient(let id):
            guard let i = patientIndex(id) else { throw .notFound("patient \(id)") }
            if series.contains(where: { $0.roster.contains { $0.patient == id } })
                || sessions.contains(where: { $0.added.contains(id) || $0.removed.contains(id) || $0.hasRecord(for: id) }) {
                throw .inUse("this patient has sessions on record; discharge them instead of deleting")
            }
            let old = patients.remove(at: i)
            return .putPatient(old)

        case .putSeries(let item):
            let issues = Validator.check(item, path: "series[\(item.id)]", in: self)
                + Validator.checkRosterKeepsMarks(item, path: "series[\(item.id)]", in: self)
            guard issues.isEmpty else { throw .invalid(issues) }
            if let i = seriesIndex(item.id) {
                let old = series[i]
                series[i] = item
                return .putSeries(old)
            }
            series.append(item)
            return .removeSeries(item.id)

        case .removeSeries(let id):
            guard let i = seriesIndex(id) else { throw .notFound("series \(id)") }
            if sessions.contains(where: { $0.series == id }) {
                throw .inUse("series \(id) has recorded sessions; end it from a date instead of deleting it")
            }
            let old = series.remove(at: i)
            return .insertSeries(old, at: i)

        case .putSession(let session):
            var issues = Validator.check(session, path: "sessions[\(session.id)]", in: self)
            if let seriesID = session.series, let date = session.occurrenceDate,
               let other = storedOccurrence(of: seriesID, on: date), other.id != session.id {
                issues.append(ValidationIssue(field: "sessions[\(session.id)].occurrenceDate", message: "the occurrence of series \(seriesID) on \(date) is already stored as \(other.id)"))
            }
            guard issues.isEmpty else { throw .invalid(issues) }
            if let i = sessionIndex(session.id) {
                let old = sessions[i]
                do { try session.preservesSignedNotes(of: old) } catch { throw .note(error) }
                replaceSession(at: i, with: session)
                return .putSession(old)
            }
            appendSession(session)
            return .removeSession(session.id)

        case .removeSession(let id):
            guard let i = sessionIndex(id) else { throw .notFound("session \(id)") }
            let old = sessions[i]
            // A reported absence names its session: removing the session would leave the report pointing at nothing.
            if patients.contains(where: { $0.reportedAbsences.contains { $0.session == id } }) {
                throw .inUse("session \(id) has an absence reported to a supervising officer on record; it is kept")
            }
            if old.hasSignedNote {
                let sig = old.groupNote?.signature ?? old.memberNotes.compactMap(\.signature).first
                throw .note(.signedNoteIsLocked(note: "session's signed note", signedBy: sig?.by ?? "", at: sig?.at ?? Timestamp(seconds: 0)))
            }
            sessions.remove(at: i)
            return .insertSession(old, at: i)

        case .insertSeries(let item, let position):
            guard seriesIndex(item.id) == nil else { throw .inUse("series \(item.id) already exists") }
            let issues = Validator.check(item, path: "series[\(item.id)]", in: self)
            guard issues.isEmpty else { throw .invalid(issues) }
            series.insert(item, at: min(max(0, position), series.count))
            return .removeSeries(item.id)

        case .insertSession(let session, let position):
            guard sessionIndex(session.id) == nil else { throw .inUse("session \(session.id) already exists") }
            var issues = Validator.check(session, path: "sessions[\(session.id)]", in: self)
            if let seriesID = session.series, let date = session.occurrenceDate, let other = storedOccurrence(of: seriesID, on: date) {
                issues.append(ValidationIssue(field: "sessions[\(session.id)].occurrenceDate", message: "the occurrence of series \(seriesID) on \(date) is already stored as \(other.id)"))
            }
            guard issues.isEmpty else { throw .invalid(issues) }
            sessions.insert(session, at: min(max(0, position), sessions.count))
            return .removeSession(session.id)

        case .batch(let edits):
            var inverses: [DocumentEdit] = []
            // A copy to fall back on: exact (order included) where undoing step by step would append removed items at
            // the end. It costs a copy of each array the batch changes, once per batch; single edits (a mark, a phase step) pay nothing.
            let saved = self
            for edit in edits {
                do {
                    inverses.append(try apply(edit))
                } catch {
                    self = saved
                    throw error
                }
            }
            return .batch(inverses.reversed())
        }
    }

    /// Where a staff member is still referred to, or nil.
    private func references(to id: StaffID) -> String? {
        if patients.contains(where: { $0.primaryClinician == id }) { return "as a patient's primary clinician" }
        if series.contains(where: { $0.facilitator == id }) { return "as a series facilitator" }
        if sessions.contains(where: { s in
            s.facilitator == id || s.groupNote?.signature?.by == id || s.memberNotes.contains { $0.signature?.by == id || $0.author == id }
                || s.groupNote?.signature?.coSignature?.by == id || s.memberNotes.contains { $0.signature?.coSignature?.by == id }
        }) { return "on recorded sessions" }
        if staff.contains(where: { $0.supervisor == id && $0.id != id }) { return "as another staff member's supervisor" }
        return nil
    }
}

/// Undo and redo over document edits: each entry keeps the edit and its inverse.
public struct EditHistory: Sendable {
    /// A labelled, applied change.
    public struct Entry: Equatable, Sendable {
        public var label: String
        public var redo: DocumentEdit
        public var undo: DocumentEdit
    }
    public private(set) var undoStack: [Entry] = []
    public private(set) var redoStack: [Entry] = []
    public let limit: Int

    public init(limit: Int = 500) { self.limit = limit }

    /// Applies `edit` to `document` and records it; a new edit clears the redo stack.
    public mutating func perform(_ edit: DocumentEdit, label: String, on document: inout CaseloadDocument) throws(EditError) {
        let inverse = try document.apply(edit)
        undoStack.append(Entry(label: label, redo: edit, undo: inverse))
        if undoStack.count > limit { undoStack.removeFirst(undoStack.count - limit) }
        redoStack.removeAll()
    }

    /// How many fields the last undo or redo left as another instance saved them (they changed them too, since).
    public private(set) var lastKeptOthers = 0

    /// Undoes the last edit and returns its label; nil when there is nothing to undo. An edit the model refuses to undo (a signature) is dropped and the error thrown.
    ///
    /// Only this person's own edit is taken back: what others changed in the same entities since (merged in from another
    /// instance) stays (`DocumentEdit.rebased`).
    @discardableResult
    public mutating func undo(on document: inout CaseloadDocument) throws(EditError) -> String? {
        guard let entry = undoStack.popLast() else { return nil }
        var kept = 0
        try document.apply(entry.undo.rebased(reverting: entry.redo, in: document, kept: &kept))
        lastKeptOthers = kept
        // Kept as performed: each later redo or undo is rebased from the values the edit itself made and took away.
        redoStack.append(entry)
        return entry.label
    }

    @discardableResult
    public mutating func redo(on document: inout CaseloadDocument) throws(EditError) -> String? {
        guard let entry = redoStack.popLast() else { return nil }
        var kept = 0
        try document.apply(entry.redo.rebased(reverting: entry.undo, in: document, kept: &kept))
        lastKeptOthers = kept
        undoStack.append(entry)
        return entry.label
    }

    public var canUndo: Bool { !undoStack.isEmpty }
    public var canRedo: Bool { !redoStack.isEmpty }
}

/// The document as autosave keeps it: the document and the note being typed, written in by whoever saves (on the
/// saver's thread), so a key typed into a note never copies a five-year chart on the screen's thread.
public struct DocumentDraft: Equatable, Sendable {
    public var document: CaseloadDocument
    /// The edit that writes the open note form's text, or nil.
    public var draft: DocumentEdit?
    /// The version of the file `document` grew from (issue 18): a save merges from it with what the file holds now.
    /// Nil: the version the store last read or wrote.
    public var base: CaseloadDocument?

    public init(_ document: CaseloadDocument, draft: DocumentEdit? = nil, base: CaseloadDocument? = nil) {
        self.document = document; self.draft = draft; self.base = base
    }

    /// The document with the draft written in (the document alone when the draft no longer applies).
    public var resolved: CaseloadDocument {
        guard let draft else { return document }
        var copy = document
        do { try copy.apply(draft) } catch { return document }
        return copy
    }
}

extension DocumentEdit {
    /// The IDs of the patients this edit puts or removes (within a batch, every edit's).
    public var patientIDs: Set<PatientID> {
        var ids: Set<PatientID> = []
        collectPatients(&ids)
        return ids
    }

    /// Whether the edit changes only sessions and patients: not the program, staff or series, whose changes can reach every
    /// patient's figures (a phase's hours, a roster).
    public var changesOnlySessionsAndPatients: Bool {
        switch self {
        case .putSession, .removeSession, .insertSession, .putPatient, .removePatient: true
        case .setProgram, .putStaff, .removeStaff, .putSeries, .removeSeries, .insertSeries: false
        case .batch(let edits): edits.allSatisfy(\.changesOnlySessionsAndPatients)
        }
    }

    private func collectPatients(_ ids: inout Set<PatientID>) {
        switch self {
        case .putPatient(let patient): ids.insert(patient.id)
        case .removePatient(let id): ids.insert(id)
        case .batch(let edits): for edit in edits { edit.collectPatients(&ids) }
        case .setProgram, .putStaff, .removeStaff, .putSeries, .removeSeries, .insertSeries, .putSession, .removeSession, .insertSession: break
        }
    }
}
