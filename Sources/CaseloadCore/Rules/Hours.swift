import Foundation

/// A patient's attended time in one week against what their phase requires.
public struct WeekHours: Equatable, Sendable {
    public var week: DateRange
    public var attendedMinutes: Int
    /// Sessions attended at all (present, late or left early).
    public var attendedSessions: Int
    public var requiredMinutes: Int?
    public var requiredSessions: Int?
}

/// Hours rules: minutes attended per status, per patient per week.
public enum Hours {
    /// The week (of the program's first weekday) containing `date`.
    public static func week(containing date: LocalDate, firstWeekday: Weekday) -> DateRange {
        let start = date.startOfWeek(firstWeekday: firstWeekday)
        return DateRange(start, start.adding(days: 6))
    }

    /// Minutes `patient` attended in `range`: cancelled and called-off sessions count nothing, and a mark counts only for a member of the occurrence.
    public static func minutesAttended(by patient: PatientID, in range: DateRange, of doc: CaseloadDocument) -> Int {
        doc.sessions.reduce(0) { total, session in
            guard range.contains(session.date) else { return total }
            return total + session.minutesAttended(by: patient, series: session.series.flatMap { doc.series($0) })
        }
    }

    /// The phase in force for `patient` on the week's last day, for display only. The requirement itself is prorated by day:
    /// see `weeklyRequirement(for:week:program:)`.
    public static func requirement(for patient: Patient, week: DateRange, program: Program) -> Phase? {
        guard let entry = patient.care(on: week.last) else { return nil }
        return program.phase(entry.phase)
    }

    /// Attended time (members' marks only) and the prorated requirement for one patient and week; the requirement is nil when the patient was not in care that week.
    public static func weekHours(for patient: Patient, week: DateRange, of doc: CaseloadDocument) -> WeekHours {
        var minutes = 0, sessions = 0
        for session in doc.sessions where week.contains(session.date) && session.status.countsForAttendance {
            let series = session.series.flatMap { doc.series($0) }
            guard let status = session.countedAttendance(for: patient.id, series: series), status.attended else { continue }
            minutes += status.minutesAttended(duration: session.durationMinutes)
            sessions += 1
        }
        let required = weeklyRequirement(for: patient, week: week, program: doc.program)
        let inCare = !(required.basis?.spans.isEmpty ?? true)
        return WeekHours(week: week, attendedMinutes: minutes, attendedSessions: sessions,
                         requiredMinutes: inCare ? required.minutes : nil, requiredSessions: inCare ? required.sessions : nil)
    }
}
