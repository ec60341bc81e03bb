import Foundation

/// One patient's attendance in one week: sessions due, how each went, and attended time against the phase requirement.
public struct WeekAttendance: Equatable, Sendable {
    public var week: DateRange
    /// Sessions that count for attendance (not cancelled, not called off) where the patient was expected or has a mark.
    public var scheduled: Int
    /// Marked present, late or left early.
    public var attended: Int
    /// Absent with an accepted reason.
    public var excused: Int
    /// Absent without one (no-show).
    public var unexcused: Int
    public var attendedMinutes: Int
    /// The week's requirement, prorated by day like every report (`Hours.weeklyRequirement`); nil when the patient was not in care that week.
    public var requiredMinutes: Int?

    public init(week: DateRange, scheduled: Int = 0, attended: Int = 0, excused: Int = 0, unexcused: Int = 0, attendedMinutes: Int = 0, requiredMinutes: Int? = nil) {
        self.week = week; self.scheduled = scheduled; self.attended = attended; self.excused = excused
        self.unexcused = unexcused; self.attendedMinutes = attendedMinutes; self.requiredMinutes = requiredMinutes
    }

    /// Scheduled sessions with no mark yet (roll not taken, or still to come).
    public var unmarked: Int { max(0, scheduled - attended - excused - unexcused) }
}

/// Week-by-week attendance of one patient: what probation officers and the record ask for.
public enum AttendanceSummary {
    /// `count` consecutive weeks, oldest first, the last of them `week`; each week is seven days long from its first day.
    /// The schedule is expanded once for the whole span. Sessions the patient is a member of (roster, drop-in) are counted, and
    /// a mark counts only on a member (removal wins, as in the reports); cancelled and called-off sessions are not counted.
    /// A session with no mark counts as scheduled only.
    public static func weeks(for patient: Patient, endingWith week: DateRange, count: Int, in doc: CaseloadDocument, schedule: ScheduleIndex? = nil) -> [WeekAttendance] {
        guard count > 0 else { return [] }
        let lastStart = week.first
        let firstStart = lastStart.adding(days: -7 * (count - 1))
        var result = (0..<count).map { i -> WeekAttendance in
            let start = firstStart.adding(days: 7 * i)
            let range = DateRange(start, start.adding(days: 6))
            let requirement = Hours.weeklyRequirement(for: patient, week: range, program: doc.program)
            return WeekAttendance(week: range, requiredMinutes: requirement.phase == nil ? nil : requirement.minutes)
        }
        let whole = DateRange(firstStart, lastStart.adding(days: 6))
        let seriesByID = Dictionary(doc.series.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for item in schedule?.sessions(in: whole) ?? Schedule.sessions(in: whole, of: doc) {
            let session = item.session
            guard session.status.countsForAttendance else { continue }
            let index = firstStart.days(until: session.date) / 7
            guard result.indices.contains(index) else { continue }
            let series = session.series.flatMap { seriesByID[$0] }
            guard session.members(series: series).contains(patient.id) else { continue }
            let mark = session.countedAttendance(for: patient.id, series: series)
            result[index].scheduled += 1
            guard let mark else { continue }
            switch mark {
            case .present, .late, .leftEarly: result[index].attended += 1
            case .excused: result[index].excused += 1
            case .absent: result[index].unexcused += 1
            }
            result[index].attendedMinutes += mark.minutesAttended(duration: session.durationMinutes)
        }
        return result
    }
}
