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

    public func patient(_ id: PatientID) -> Patient? { patients.first { $0.id == id } }
    public func staffMember(_ id: StaffID) -> Staff? { staff.first { $0.id == id } }
    public func series(_ id: SeriesID) -> Series? { series.first { $0.id == id } }
    public func session(_ id: SessionID) -> Session? { sessions.first { $0.id == id } }
    public func patient(mrn: String) -> Patient? { patients.first { $0.mrn == mrn } }

    /// The stored occurrence of `series` originally due on `date`, if any.
    public func storedOccurrence(of series: SeriesID, on date: LocalDate) -> Session? {
        sessions.first { $0.series == series && $0.occurrenceDate == date }
    }

    /// Counts for a one-line summary.
    public var summary: String {
        let active = patients.filter { $0.status == .active }.count
        let marks = sessions.reduce(0) { $0 + $1.attendance.count }
        let notes = sessions.reduce(0) { $0 + $1.memberNotes.count + ($1.groupNote == nil ? 0 : 1) }
        return "\(program.name): \(patients.count) patients (\(active) active), \(staff.count) staff, \(series.count) series, \(sessions.count) recorded sessions, \(marks) attendance marks, \(notes) notes"
    }
}
