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
    /// Whoever is a member of a session this week: the only patients whose hours an edit of sessions can change.
    let weekMembers: Set<PatientID>

    /// How far ahead the next session is looked for.
    static let lookAheadDays = 14

    /// `previous`, the figures before an edit, lends what the edit left current: search keys and the name order. With
    /// `changedPatients` (the edit changed sessions and only these patients, and `previous` was computed from the document
    /// just before it), every other patient's key, requirement and consent flags are taken from `previous` without a look,
    /// when the day and week are the same: a roll mark or a phase step re-derives nothing for the patients it leaves alone.
    public init(document doc: CaseloadDocument, schedule: ScheduleIndex, now: Date, today: LocalDate, firstWeekday: Weekday,
                previous: CaseloadData? = nil, changedPatients: Set<PatientID>? = nil) {
        self.today = today
        let week = Hours.week(containing: today, firstWeekday: firstWeekday)
        self.week = week
        // What may be taken from `previous` as it is, for a patient the edit did not change.
        let kept = changedPatients != nil && previous?.today == today && previous?.week == week ? previous : nil
        let changed = changedPatients ?? []
        let patients = doc.patients
        if let kept, changed.isEmpty {
            keys = kept.keys
            nameOrder = kept.nameOrder
        } else {
            var keys: [PatientID: PatientSearch.Key] = [:]
            keys.reserveCapacity(patients.count)
            // Indices, not elements: a pass handing each patient to a closure copies every one.
            for i in patients.indices where keys[patients[i].id] == nil {
                let id = patients[i].id
                if let key = kept?.keys[id], !changed.contains(id) {
                    keys[id] = key
                } else if let key = previous?.keys[id], key.isCurrent(for: patients[i]) {
                    keys[id] = key
                } else {
                    keys[id] = PatientSearch.Key(patients[i])
                }
            }
            self.keys = keys
            if let kept {
                nameOrder = kept.nameOrder.updated(for: patients, changed: changed)
            } else {
                nameOrder = previous?.nameOrder.updated(for: patients) ?? PatientNameOrder(patients)
            }
        }
        let seriesByID = Dictionary(doc.series.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // One pass over the schedule for the week and the look-ahead together.
        let last = max(week.last, today.adding(days: Self.lookAheadDays - 1))
        let range = DateRange(min(week.first, today), last)
        let scheduled = schedule.sessions(in: range)
        let zone = TimeZone(identifier: doc.program.timeZone) ?? .current
        let nowLocal = Recurrence.local(now, in: zone)

        // Each series' roster cut once to the entries that overlap the range: a roster keeps every member a group has
        // had in years, and an occurrence in the range has no other members (joined by its day, not yet left).
        var rangeSeries: [SeriesID: Series] = [:]
        for item in doc.series where rangeSeries[item.id] == nil {
            var cut = item
            cut.roster = item.roster.filter { $0.joined <= range.last && ($0.left.map { $0 > range.first } ?? true) }
            rangeSeries[item.id] = cut
        }
        // Each session's members, worked out once for the hours and the next sessions.
        let members = scheduled.map { item -> [PatientID] in
            let day = item.session.occurrenceDate ?? item.session.date
            let series = item.session.series.flatMap { range.contains(day) ? rangeSeries[$0] : seriesByID[$0] }
            return item.session.members(series: series)
        }

        // The week's sessions by member: a patient's progress looks at the sessions they are a member of (a mark on
        // anyone else counts nowhere).
        var weekSessionsByPatient: [PatientID: [ScheduledSession]] = [:]
        for (k, item) in scheduled.enumerated() where week.contains(item.session.date) {
            for id in members[k] { weekSessionsByPatient[id, default: []].append(item) }
        }
        weekMembers = Set(weekSessionsByPatient.keys)
        var progress: [PatientID: WeekProgress]
        if let kept {
            // Only a patient with member sessions this week (now or before the edit) or changed by the edit can have
            // other figures: everyone else's are the empty week's against the same requirement, as before.
            progress = kept.progress
            for id in weekMembers.union(kept.weekMembers).union(changed) {
                let requirement: WeeklyRequirement
                if changed.contains(id) {
                    guard let i = doc.patientIndex(id) else {
                        progress[id] = nil
                        continue
                    }
                    requirement = Hours.weeklyRequirement(for: patients[i], week: week, program: doc.program)
                } else {
                    // A member with no patient record has no figures.
                    guard let same = kept.progress[id]?.requirement else { continue }
                    requirement = same
                }
                progress[id] = Hours.progress(forMember: id, requirement: requirement, memberSessions: weekSessionsByPatient[id] ?? [])
            }
        } else {
            progress = [:]
            progress.reserveCapacity(patients.count)
            for i in patients.indices {
                let id = patients[i].id
                let requirement = Hours.weeklyRequirement(for: patients[i], week: week, program: doc.program)
                progress[id] = Hours.progress(forMember: id, requirement: requirement, memberSessions: weekSessionsByPatient[id] ?? [])
            }
        }
        self.progress = progress

        var next: [PatientID: Session] = [:]
        for (k, item) in scheduled.enumerated() where item.session.status.countsForAttendance {
            let s = item.session
            guard s.date > nowLocal.date || (s.date == nowLocal.date && s.start.minutes >= nowLocal.time.minutes) else { continue }
            for id in members[k] where next[id] == nil { next[id] = s }
        }
        nextSession = next
        if let kept {
            flags = PatientFlagIndex.build(doc, schedule: schedule, now: now, today: today, keeping: kept.flags, changed: changed)
        } else {
            flags = PatientFlagIndex.build(doc, schedule: schedule, now: now, today: today)
        }
    }

    /// Minutes still missing from this week's requirement (0 when met or none), for the hours-behind sort.
    public func minutesBehind(_ id: PatientID) -> Int {
        guard let p = progress[id] else { return 0 }
        return max(0, p.requirement.minutes - p.attendedMinutes)
    }
}
