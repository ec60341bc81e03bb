import Foundation

/// Group, individual or family session.
public enum SessionKind: String, Codable, CaseIterable, Sendable {
    case group, individual, family
}

/// A recurring weekly session: the same weekdays, the same local time, with a roster that changes over time.
public struct Series: Codable, Equatable, Sendable, Identifiable {
    public var id: SeriesID
    public var title: String
    public var kind: SessionKind
    public var modality: Modality?
    public var facilitator: StaffID?
    public var room: RoomID?
    public var weekdays: [Weekday]
    /// Wall-clock start in the program's time zone; kept across daylight-saving changes.
    public var start: LocalTime
    public var durationMinutes: Int
    public var startDate: LocalDate
    /// Last day an occurrence may fall on; nil for open-ended.
    public var endDate: LocalDate?
    public var roster: [RosterEntry]

    public init(id: SeriesID, title: String, kind: SessionKind, modality: Modality? = nil, facilitator: StaffID? = nil, room: RoomID? = nil, weekdays: [Weekday], start: LocalTime, durationMinutes: Int, startDate: LocalDate, endDate: LocalDate? = nil, roster: [RosterEntry] = []) {
        self.id = id; self.title = title; self.kind = kind; self.modality = modality; self.facilitator = facilitator
        self.room = room; self.weekdays = weekdays; self.start = start; self.durationMinutes = durationMinutes
        self.startDate = startDate; self.endDate = endDate; self.roster = roster
    }

    /// Patients on the roster on `date` (joined on or before it, not yet left).
    public func members(on date: LocalDate) -> [PatientID] {
        roster.filter { $0.isMember(on: date) }.map(\.patient)
    }
}

/// A patient's membership of a series: from `joined` up to, not including, `left`.
public struct RosterEntry: Codable, Equatable, Sendable {
    public var patient: PatientID
    public var joined: LocalDate
    /// First day the patient is no longer a member.
    public var left: LocalDate?
    public init(patient: PatientID, joined: LocalDate, left: LocalDate? = nil) {
        self.patient = patient; self.joined = joined; self.left = left
    }
    public func isMember(on date: LocalDate) -> Bool {
        joined <= date && (left.map { date < $0 } ?? true)
    }
}

extension Series {
    /// The first day a leaving member stops being one, when they leave from `date`: `date`, or the day after their last
    /// attendance mark on a stored occurrence of this series on or after `date` (roll taken tonight, then they leave today),
    /// so that no mark is left on someone who is no longer a member (a mark counts only for a member).
    public func leavingDate(for patient: PatientID, from date: LocalDate, sessions: [Session]) -> LocalDate {
        let marked = sessions.filter { $0.series == id && $0.attendance(for: patient) != nil }
            .map { $0.occurrenceDate ?? $0.date }.filter { $0 >= date }
        return marked.max().map { max(date, $0.adding(days: 1)) } ?? date
    }
}
