import Foundation

/// Edits to a patient's course through the program (discharge, phase changes), built as one undoable `DocumentEdit` each.
public enum PatientEdits {
    /// Discharges `patient` on `date` in one batch: the status becomes discharged; roster memberships still open on `date` end on it (those that would start later are removed); stored sessions from `date` on drop the patient from their drop-ins unless something is recorded for them there. Earlier sessions, attendance and notes are untouched.
    public static func discharge(_ patient: PatientID, on date: LocalDate, reason: DischargeReason, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try existing(patient, in: doc)
        let field = "patients[\(patient)].status"
        if case .discharged(let when, _) = p.status {
            throw refusal(field, "this patient was already discharged on \(when)")
        }
        if let admitted = p.admissionDate, date < admitted {
            throw refusal("\(field).date", "discharge must be on or after the admission date \(admitted)")
        }
        p.status = .discharged(date: date, reason: reason)
        var edits: [DocumentEdit] = [.putPatient(p)]
        for series in doc.series {
            if let ended = endingMembership(of: patient, in: series, on: date, sessions: doc.sessions) { edits.append(.putSeries(ended)) }
        }
        for session in doc.sessions where session.date >= date && session.added.contains(patient) && !session.hasRecord(for: patient) {
            var changed = session
            changed.added.removeAll { $0 == patient }
            edits.append(.putSession(changed))
        }
        return .batch(edits)
    }

    /// Moves `patient` into `phase` from `date`: a care entry with the phase's level of care, kept in date order; an entry already on `date` is replaced.
    /// `note` says why (it is kept in the care history); blank is none.
    public static func changePhase(_ patient: PatientID, to phase: PhaseID, on date: LocalDate, note: String? = nil, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try existing(patient, in: doc)
        let field = "patients[\(patient)].careHistory"
        guard let target = doc.program.phase(phase) else {
            throw refusal(field, "the program has no phase \"\(phase)\"")
        }
        if case .discharged(let when, _) = p.status, date >= when {
            throw refusal(field, "this patient was discharged on \(when); a phase change must come before that")
        }
        if let admitted = p.admissionDate, date < admitted {
            throw refusal(field, "a phase change must be on or after the admission date \(admitted)")
        }
        if p.care(on: date)?.phase == phase {
            throw refusal(field, "already in \(target.name) on \(date)")
        }
        let why = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let entry = CareEntry(date: date, levelOfCare: target.levelOfCare, phase: target.id, note: why?.isEmpty == false ? why : nil)
        if let i = p.careHistory.firstIndex(where: { $0.date == date }) {
            p.careHistory[i] = entry
        } else {
            let i = p.careHistory.firstIndex { $0.date > date } ?? p.careHistory.endIndex
            p.careHistory.insert(entry, at: i)
        }
        return .putPatient(p)
    }

    /// Moves `patient` `offset` phases along the program's order from the phase in force on `date`: +1 is the next, less intensive phase, -1 the previous one.
    public static func stepPhase(_ patient: PatientID, by offset: Int, on date: LocalDate, note: String? = nil, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let p = try existing(patient, in: doc)
        let field = "patients[\(patient)].careHistory"
        let phases = doc.program.phases
        guard let current = p.care(on: date) else {
            throw refusal(field, "has no phase on \(date) yet; choose a phase first")
        }
        guard let index = phases.firstIndex(where: { $0.id == current.phase }) else {
            throw refusal(field, "the current phase \"\(current.phase)\" is not one of the program's phases; choose a phase instead")
        }
        let target = index + offset
        if target >= phases.count, let last = phases.last {
            throw refusal(field, "already in the last phase (\(last.name))")
        }
        if target < 0, let first = phases.first {
            throw refusal(field, "already in the first phase (\(first.name))")
        }
        return try changePhase(patient, to: phases[target].id, on: date, note: note, in: doc)
    }

    /// Records that `patient`'s unexcused absence at the stored `session` on `date` was reported by hand on `on`, with a
    /// note saying how and to whom. Refused for a blank note, an unknown patient or staff member, a session not stored in
    /// the document, one on another date, one without an unexcused-absence mark of the patient, a report dated before the
    /// absence, or an absence already marked reported.
    public static func markAbsenceReported(_ patient: PatientID, session: SessionID, date: LocalDate, on: LocalDate, by: StaffID?, note: String, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try existing(patient, in: doc)
        let field = "patients[\(patient)].reportedAbsences"
        let words = note.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !words.isEmpty else { throw refusal("\(field).note", "say how and to whom the absence was reported") }
        guard let stored = doc.session(session) else {
            throw refusal("\(field).session", "no session has the ID \"\(session)\"")
        }
        guard stored.date == date else {
            throw refusal("\(field).date", "session \(session) is on \(stored.date), not \(date)")
        }
        guard stored.attendance(for: patient) == .absent else {
            throw refusal("\(field).session", "this patient is not marked absent (unexcused) at \(stored.title) on \(date)")
        }
        guard on >= date else { throw refusal("\(field).reportedOn", "an absence on \(date) cannot be reported before it, on \(on)") }
        if let by, doc.staffMember(by) == nil { throw refusal("\(field).by", "no staff member has the ID \"\(by)\"") }
        if let earlier = p.reportedAbsences.first(where: { $0.session == session && $0.date == date }) {
            throw refusal(field, "this absence was already marked reported on \(earlier.reportedOn)")
        }
        p.reportedAbsences.append(ReportedAbsence(session: session, date: date, reportedOn: on, by: by, note: words))
        return .putPatient(p)
    }

    /// The patient with `id`, or a refusal naming the ID.
    static func existing(_ id: PatientID, in doc: CaseloadDocument) throws(EditError) -> Patient {
        guard let p = doc.patient(id) else { throw refusal("patients[\(id)]", "no patient has the ID \"\(id)\"") }
        return p
    }

    /// `series` with `patient`'s memberships ended on `date`, or nil when none changes. A membership open on `date` gets `left = date`; one starting on or after `date` is removed.
    static func endingMembership(of patient: PatientID, in series: Series, on date: LocalDate, sessions: [Session]) -> Series? {
        let leaving = series.leavingDate(for: patient, from: date, sessions: sessions)
        var changed = series
        var roster: [RosterEntry] = []
        for var entry in series.roster {
            if entry.patient == patient {
                if entry.joined >= leaving { continue }
                if entry.left.map({ $0 > leaving }) ?? true { entry.left = leaving }
            }
            roster.append(entry)
        }
        guard roster != series.roster else { return nil }
        changed.roster = roster
        return changed
    }

    static func refusal(_ field: String, _ message: String) -> EditError {
        .invalid([ValidationIssue(field: field, message: message)])
    }
}
