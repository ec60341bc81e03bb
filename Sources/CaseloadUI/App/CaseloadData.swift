import CaseloadCore
import Foundation

/// What the Patients pane shows about each patient: this week's hours against the requirement, the next session, flags and search keys.
/// Computed once per document change (or when the day changes), never per keystroke.
public struct CaseloadData: Sendable {
    /// The program's today when this was computed.
    public let today: LocalDate
    /// The current week (the one holding today).
    public let week: DateRange
    public let keys: [PatientID: PatientSearch.Key]
    public let progress: [PatientID: WeekProgress]
    /// The next session (not cancelled, not yet started) within two weeks.
    public let nextSession: [PatientID: Session]
    public let flags: [PatientID: PatientFlags]
    /// The patients in name order, for the list and the Session pane's members.
    public let nameOrder: PatientNameOrder

    /// How far ahead the next session is looked for.
    static let lookAheadDays = 14

    /// `previous`, the figures before an edit, lends what the edit left current: search keys and the name order.
    public init(document doc: CaseloadDocument, schedule: ScheduleIndex, now: Date, today: LocalDate, firstWeekday: Weekday, previous: CaseloadData? = nil) {
        self.today = today
        let week = Hours.week(containing: today, firstWeekday: firstWeekday)
        self.week = week
        keys = Dictionary(doc.patients.map { patient in
            if let kept = previous?.keys[patient.id], kept.isCurrent(for: patient) { return (patient.id, kept) }
            return (patient.id, PatientSearch.Key(patient))
        }, uniquingKeysWith: { a, _ in a })
        nameOrder = previous?.nameOrder.updated(for: doc.patients) ?? PatientNameOrder(doc.patients)
        let seriesByID = Dictionary(doc.series.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // One pass over the schedule for the week and the look-ahead together.
        let last = max(week.last, today.adding(days: Self.lookAheadDays - 1))
        let scheduled = schedule.sessions(in: DateRange(min(week.first, today), last))
        let thisWeek = scheduled.filter { week.contains($0.session.date) }
        let zone = TimeZone(identifier: doc.program.timeZone) ?? .current
        let nowLocal = Recurrence.local(now, in: zone)

        var progress: [PatientID: WeekProgress] = [:]
        // The week's sessions by member, each session's members worked out once: a patient's progress looks at the
        // sessions they are a member of (a mark on anyone else counts nowhere).
        var weekSessionsByPatient: [PatientID: [ScheduledSession]] = [:]
        for item in thisWeek {
            let series = item.session.series.flatMap { seriesByID[$0] }
            for id in item.session.members(series: series) { weekSessionsByPatient[id, default: []].append(item) }
        }
        for patient in doc.patients {
            let requirement = Hours.weeklyRequirement(for: patient, week: week, program: doc.program)
            progress[patient.id] = Hours.progress(forMember: patient.id, requirement: requirement,
                                                  memberSessions: weekSessionsByPatient[patient.id] ?? [])
        }
        self.progress = progress

        var next: [PatientID: Session] = [:]
        for item in scheduled where item.session.status.countsForAttendance {
            let s = item.session
            guard s.date > nowLocal.date || (s.date == nowLocal.date && s.start.minutes >= nowLocal.time.minutes) else { continue }
            let series = s.series.flatMap { seriesByID[$0] }
            for id in s.members(series: series) where next[id] == nil { next[id] = s }
        }
        nextSession = next
        flags = PatientFlagIndex.build(doc, schedule: schedule, now: now, today: today)
    }

    /// Minutes still missing from this week's requirement (0 when met or none), for the hours-behind sort.
    public func minutesBehind(_ id: PatientID) -> Int {
        guard let p = progress[id] else { return 0 }
        return max(0, p.requirement.minutes - p.attendedMinutes)
    }
}
