import Foundation

/// The whole state of a program: what the one JSON file holds.
public struct CaseloadDocument: Equatable, Sendable {
    public var program: Program
    public var staff: [Staff]
    public var patients: [Patient]
    public var series: [Series]
    /// Stored sessions: one-offs, and series occurrences with something recorded.
    /// Any change made directly gives the document a fresh slot index, built again on the next lookup.
    public var sessions: [Session] { didSet { slots = SessionSlots() } }
    /// Where each stored session is (see `SessionSlots`); not part of the document's value.
    private var slots = SessionSlots()

    public init(program: Program, staff: [Staff] = [], patients: [Patient] = [], series: [Series] = [], sessions: [Session] = []) {
        self.program = program; self.staff = staff; self.patients = patients; self.series = series; self.sessions = sessions
    }

    public static func == (a: CaseloadDocument, b: CaseloadDocument) -> Bool {
        a.program == b.program && a.staff == b.staff && a.patients == b.patients && a.series == b.series && a.sessions == b.sessions
    }

    /// Replaces the session at `index` keeping the slot index (the edits' way: a roll mark must not cost a rebuild).
    mutating func replaceSession(at index: Int, with session: Session) {
        let kept = slots
        kept.build(from: sessions)   // before the change: complete for every copy that shares it
        sessions[index] = session
        slots = kept
        kept.record(session, at: index)
    }

    /// Appends a session keeping the slot index.
    mutating func appendSession(_ session: Session) {
        let kept = slots
        kept.build(from: sessions)
        sessions.append(session)
        slots = kept
        kept.record(session, at: sessions.count - 1)
    }

    // The lookups read one field of each element in place: `first(where:)` hands the predicate a copy of every element,
    // which on a five-year chart is tens of megabytes of copying per lookup.
    public func patient(_ id: PatientID) -> Patient? { patientIndex(id).map { patients[$0] } }
    public func staffMember(_ id: StaffID) -> Staff? { staff.first { $0.id == id } }
    public func series(_ id: SeriesID) -> Series? { seriesIndex(id).map { series[$0] } }
    public func session(_ id: SessionID) -> Session? { sessionIndex(id).map { sessions[$0] } }
    public func patient(mrn: String) -> Patient? { patients.indices.first { patients[$0].mrn == mrn }.map { patients[$0] } }

    /// The stored occurrence of `series` originally due on `date`, if any.
    public func storedOccurrence(of series: SeriesID, on date: LocalDate) -> Session? {
        switch slots.occurrence(series, date, in: sessions) {
        case .at(let i): return sessions[i]
        case .absent: return nil
        case .unsure:
            for i in sessions.indices where sessions[i].series == series && sessions[i].occurrenceDate == date { return sessions[i] }
            return nil
        }
    }

    /// Where the session with `id` is in `sessions`.
    public func sessionIndex(_ id: SessionID) -> Int? {
        switch slots.session(id, in: sessions) {
        case .at(let i): return i
        case .absent: return nil
        case .unsure:
            for i in sessions.indices where sessions[i].id == id { return i }
            return nil
        }
    }

    /// Where the patient with `id` is in `patients`.
    public func patientIndex(_ id: PatientID) -> Int? {
        for i in patients.indices where patients[i].id == id { return i }
        return nil
    }

    /// Where the series with `id` is in `series`.
    public func seriesIndex(_ id: SeriesID) -> Int? {
        for i in series.indices where series[i].id == id { return i }
        return nil
    }

    /// Counts for a one-line summary.
    public var summary: String {
        let active = patients.filter { $0.status == .active }.count
        let marks = sessions.reduce(0) { $0 + $1.attendance.count }
        let notes = sessions.reduce(0) { $0 + $1.memberNotes.count + ($1.groupNote == nil ? 0 : 1) }
        return "\(program.name): \(patients.count) patients (\(active) active), \(staff.count) staff, \(series.count) series, \(sessions.count) recorded sessions, \(marks) attendance marks, \(notes) notes"
    }
}

/// Where each stored session is, by ID and by occurrence (series and original date), so an edit on a five-year chart finds
/// its session without a pass over all of them.
///
/// Shared between copies of a document until one of them changes its sessions directly (which gives it a fresh index).
/// The edits replace a session in place or append one: they build the index first (from the sessions every sharing copy
/// has) and then record the new position, so the index only ever gains entries. An entry another copy added may not
/// hold for this one, so every hit is checked against the array (`.unsure`, and a linear search, when it does not); a
/// missing entry means absent, true for every copy sharing the index.
final class SessionSlots: @unchecked Sendable {
    enum Answer { case at(Int), absent, unsure }
    private struct Occurrence: Hashable { var series: SeriesID; var date: LocalDate }

    private let lock = NSLock()
    private var built = false
    private var byID: [SessionID: Int] = [:]
    private var byOccurrence: [Occurrence: Int] = [:]

    func session(_ id: SessionID, in sessions: [Session]) -> Answer {
        lock.withLock {
            buildIfNeeded(sessions)
            guard let i = byID[id] else { return .absent }
            return sessions.indices.contains(i) && sessions[i].id == id ? .at(i) : .unsure
        }
    }

    func occurrence(_ series: SeriesID, _ date: LocalDate, in sessions: [Session]) -> Answer {
        lock.withLock {
            buildIfNeeded(sessions)
            guard let i = byOccurrence[Occurrence(series: series, date: date)] else { return .absent }
            return sessions.indices.contains(i) && sessions[i].series == series && sessions[i].occurrenceDate == date ? .at(i) : .unsure
        }
    }

    /// `session` is now at `index` (replaced in place or appended); the index was built before the change.
    func record(_ session: Session, at index: Int) {
        lock.withLock { add(session, at: index) }
    }

    /// Builds the index from `sessions` unless it is built already.
    func build(from sessions: [Session]) {
        lock.withLock { buildIfNeeded(sessions) }
    }

    private func buildIfNeeded(_ sessions: [Session]) {
        guard !built else { return }
        byID.reserveCapacity(sessions.count)
        // The first of two sessions with one ID or occurrence wins, as a pass from the start would find.
        for i in sessions.indices.reversed() { add(sessions[i], at: i) }
        built = true
    }

    private func add(_ session: Session, at index: Int) {
        byID[session.id] = index
        if let series = session.series, let date = session.occurrenceDate { byOccurrence[Occurrence(series: series, date: date)] = index }
    }
}
