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

    /// Minutes `patient` attended in `range`: cancelled and called-off sessions count nothing.
    public static func minutesAttended(by patient: PatientID, in range: DateRange, of doc: CaseloadDocument) -> Int {
        doc.sessions.reduce(0) { total, session in
            range.contains(session.date) ? total + session.minutesAttended(by: patient) : total
        }
    }

    /// The phase requirement in force for `patient` during `week`: the phase on the week's last day, so a phase change mid-week sets that week's requirement from the change on.
    public static func requirement(for patient: Patient, week: DateRange, program: Program) -> Phase? {
        guard let entry = patient.care(on: week.last) else { return nil }
        return program.phase(entry.phase)
    }

    /// Attended time and the requirement for one patient and week.
    public static func weekHours(for patient: Patient, week: DateRange, of doc: CaseloadDocument) -> WeekHours {
        var minutes = 0, sessions = 0
        for session in doc.sessions where week.contains(session.date) && session.status.countsForAttendance {
            guard let status = session.attendance(for: patient.id), status.attended else { continue }
            minutes += status.minutesAttended(duration: session.durationMinutes)
            sessions += 1
        }
        let phase = requirement(for: patient, week: week, program: doc.program)
        return WeekHours(week: week, attendedMinutes: minutes, attendedSessions: sessions,
                         requiredMinutes: phase?.requiredMinutesPerWeek, requiredSessions: phase?.requiredSessionsPerWeek)
    }
}
