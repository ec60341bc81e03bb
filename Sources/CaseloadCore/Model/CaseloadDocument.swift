import Foundation

/// The whole state of a program: what the one JSON file holds.
public struct CaseloadDocument: Equatable, Sendable {
    public var program: Program
    public var staff: [Staff]
    public var patients: [Patient]
    public var series: [Series]
    /// Stored sessions: one-offs, and series occurrences with something recorded.
    public var sessions: [Session]

    public init(program: Program, staff: [Staff] = [], patients: [Patient] = [], series: [Series] = [], sessions: [Session] = []) {
        self.program = program; self.staff = staff; self.patients = patients; self.series = series; self.sessions = sessions
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
        for i in sessions.indices where sessions[i].series == series && sessions[i].occurrenceDate == date { return sessions[i] }
        return nil
    }

    /// Where the session with `id` is in `sessions`.
    public func sessionIndex(_ id: SessionID) -> Int? {
        for i in sessions.indices where sessions[i].id == id { return i }
        return nil
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
