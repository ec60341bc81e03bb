import Foundation

/// A clash between a planned session and another one at an overlapping time: the same facilitator, the same room, or a patient expected at both.
public struct Conflict: Equatable, Sendable {
    public enum Kind: Hashable, Sendable {
        case facilitator(StaffID)
        case room(RoomID)
        case patient(PatientID)
    }
    public var kind: Kind
    /// The session it clashes with (an unstored occurrence has the ID `seriesID@date`).
    public var other: Session
    /// The date of the other session.
    public var date: LocalDate

    public init(kind: Kind, other: Session, date: LocalDate) {
        self.kind = kind; self.other = other; self.date = date
    }

    /// In plain words: "Room 2 is used by IOP-B 18:00–21:00 on Mon 7 Dec".
    public func message(in doc: CaseloadDocument) -> String {
        let when = "\(other.title) \(Conflicts.timeSpan(other.start, other.durationMinutes)) on \(Conflicts.shortDate(date))"
        switch kind {
        case .facilitator(let id):
            return "\(doc.staffMember(id)?.name ?? id.rawValue) is facilitating \(when)"
        case .room(let id):
            return "\(doc.program.room(id)?.name ?? id.rawValue) is used by \(when)"
        case .patient(let id):
            return "\(doc.patient(id)?.displayName ?? id.rawValue) is in \(when)"
        }
    }
}

/// Finds clashes of facilitator, room and patients between a planned session (or series) and the schedule.
///
/// Times overlap when `start < otherEnd && otherStart < end`, so back-to-back sessions do not clash; sessions that run past midnight are compared with the next day's. Cancelled sessions and those that did not take place never clash. Each other session is reported once per kind (per facilitator, room, or patient) and date.
public enum Conflicts {
    /// Clashes of a session on `date` from `start` for `durationMinutes`. Sessions whose IDs are in `ignoring` (stored IDs or `seriesID@date`) are skipped, such as the session being edited.
    public static func find(date: LocalDate, start: LocalTime, durationMinutes: Int, facilitator: StaffID?, room: RoomID?, patients: [PatientID],
                            in index: ScheduleIndex, doc: CaseloadDocument, ignoring: Set<SessionID>) -> [Conflict] {
        find(date: date, start: start, durationMinutes: durationMinutes, facilitator: facilitator, room: room, patients: patients,
             in: index, ignoring: ignoring, ignoringSeries: nil)
    }

    /// Clashes of every occurrence of `series` from `from` (or its start) for at most `limitDays` days, each with the members on the roster that day. `ignoringSeries` skips every occurrence of that series (when editing a whole series, pass its ID); dates on which that series has a stored occurrence are not checked, since the stored one keeps its own details.
    public static func find(forSeries series: Series, from: LocalDate, limitDays: Int = 366, in index: ScheduleIndex, doc: CaseloadDocument, ignoringSeries: SeriesID?) -> [Conflict] {
        guard limitDays > 0 else { return [] }
        let range = DateRange(from, from.adding(days: limitDays - 1))
        var result: [Conflict] = []
        var seen = Set<Key>()
        for date in Recurrence.dates(of: series, in: range) {
            if ignoringSeries == series.id, index.occurrence(of: series.id, on: date)?.isStored == true { continue }
            let found = find(date: date, start: series.start, durationMinutes: series.durationMinutes, facilitator: series.facilitator,
                             room: series.room, patients: series.members(on: date), in: index, ignoring: [], ignoringSeries: ignoringSeries)
            // A session just past midnight can touch two occurrences; report it once.
            for conflict in found where seen.insert(Key(kind: conflict.kind, other: conflict.other.id, date: conflict.date)).inserted {
                result.append(conflict)
            }
        }
        return result
    }

    static func find(date: LocalDate, start: LocalTime, durationMinutes: Int, facilitator: StaffID?, room: RoomID?, patients: [PatientID],
                     in index: ScheduleIndex, ignoring: Set<SessionID>, ignoringSeries: SeriesID?) -> [Conflict] {
        guard durationMinutes > 0 else { return [] }
        let begin = date.dayNumber * 1440 + start.minutes
        let end = begin + durationMinutes
        // Sessions last at most a day, so one from the day before may still be running.
        let lastDay = LocalDate(dayNumber: (end - 1) / 1440)
        var wanted: [PatientID] = []
        var seenPatients = Set<PatientID>()
        for patient in patients where seenPatients.insert(patient).inserted { wanted.append(patient) }

        var result: [Conflict] = []
        for item in index.sessions(in: DateRange(date.adding(days: -1), max(date, lastDay))) {
            let other = item.session
            guard other.status.countsForAttendance, !ignoring.contains(other.id) else { continue }
            if let skip = ignoringSeries, other.series == skip { continue }
            let otherBegin = other.date.dayNumber * 1440 + other.start.minutes
            let otherEnd = otherBegin + other.durationMinutes
            guard begin < otherEnd && otherBegin < end else { continue }
            if let facilitator, other.facilitator == facilitator {
                result.append(Conflict(kind: .facilitator(facilitator), other: other, date: other.date))
            }
            if let room, other.room == room {
                result.append(Conflict(kind: .room(room), other: other, date: other.date))
            }
            if !wanted.isEmpty {
                let members = Set(other.members(series: other.series.flatMap { index.series($0) }))
                for patient in wanted where members.contains(patient) {
                    result.append(Conflict(kind: .patient(patient), other: other, date: other.date))
                }
            }
        }
        return result
    }

    private struct Key: Hashable {
        var kind: Conflict.Kind
        var other: SessionID
        var date: LocalDate
    }

    /// "18:00–21:00" (the end wraps past midnight).
    static func timeSpan(_ start: LocalTime, _ minutes: Int) -> String {
        let end = LocalTime(clamping: ((start.minutes + minutes) % 1440 + 1440) % 1440)
        return "\(start)–\(end)"
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Mon 7 Dec".
    static func shortDate(_ date: LocalDate) -> String {
        "\(date.weekday.shortName) \(date.day) \(months[date.month - 1])"
    }
}
