import Foundation

/// What a patient must attend in one week, prorated by the days they spent in each phase.
public struct WeeklyRequirement: Equatable, Sendable {
    /// Required attended minutes, rounded to the nearest minute.
    public var minutes: Int
    /// Required attended sessions, rounded to the nearest session.
    public var sessions: Int
    /// The phase in force on the last in-care day of the week (for display); nil when not in care that week.
    public var phase: Phase?

    public init(minutes: Int, sessions: Int, phase: Phase?) {
        self.minutes = minutes; self.sessions = sessions; self.phase = phase
    }

    /// Nothing required (not in care, or a phase without requirements).
    public var isEmpty: Bool { minutes == 0 && sessions == 0 }
}

/// Where a patient stands against the week's requirement, for the hours meter.
public enum WeekProgressState: Equatable, Sendable {
    /// Nothing is required this week.
    case noRequirement
    /// Attended minutes and sessions both reach the requirement.
    case met
    /// Not met yet, nothing missed, and the open sessions can still meet it.
    case onTrack
    /// Time was missed this week, but the open sessions can still meet the requirement.
    case behind
    /// Even attending every open session would fall short.
    case cannotMeet
}

/// A patient's attended, still-possible and missed time in one week, against the requirement.
public struct WeekProgress: Equatable, Sendable {
    public var attendedMinutes: Int
    /// Sessions attended at all (present, late or left early).
    public var attendedSessions: Int
    /// Minutes of sessions the patient is expected at that have no mark yet.
    public var possibleMinutes: Int
    public var possibleSessions: Int
    /// Minutes of marked sessions not attended (absences, lateness, leaving early).
    public var lostMinutes: Int
    public var requirement: WeeklyRequirement
    public var state: WeekProgressState

    public init(attendedMinutes: Int, attendedSessions: Int, possibleMinutes: Int, possibleSessions: Int, lostMinutes: Int, requirement: WeeklyRequirement, state: WeekProgressState) {
        self.attendedMinutes = attendedMinutes; self.attendedSessions = attendedSessions
        self.possibleMinutes = possibleMinutes; self.possibleSessions = possibleSessions
        self.lostMinutes = lostMinutes; self.requirement = requirement; self.state = state
    }
}

extension Hours {
    /// The requirement for `patient` in `week`, prorated by day: each day in care contributes a seventh of the weekly minutes and sessions of the phase in force that day. Days before the first care entry, and from a discharge date on, contribute nothing. Totals are rounded to the nearest whole minute and session, halves up.
    public static func weeklyRequirement(for patient: Patient, week: DateRange, program: Program) -> WeeklyRequirement {
        var minuteSevenths = 0, sessionSevenths = 0
        var lastPhase: Phase?
        for date in week.dates where isInCare(patient, on: date) {
            guard let entry = patient.care(on: date), let phase = program.phase(entry.phase) else { continue }
            minuteSevenths += phase.requiredMinutesPerWeek
            sessionSevenths += phase.requiredSessionsPerWeek
            lastPhase = phase
        }
        return WeeklyRequirement(minutes: roundedSevenths(minuteSevenths), sessions: roundedSevenths(sessionSevenths), phase: lastPhase)
    }

    /// Progress of `patient` over `sessions` (one week's scheduled sessions, from `Schedule.sessions(in:of:)`) against `requirement`. Cancelled and called-off sessions are skipped; a marked session adds what was attended and what was lost; an unmarked one the patient is expected at is still possible, even if it is past (its roll may still be taken).
    public static func progress(for patient: PatientID, requirement: WeeklyRequirement, sessions: [ScheduledSession], series: [SeriesID: Series]) -> WeekProgress {
        var attendedMinutes = 0, attendedSessions = 0, possibleMinutes = 0, possibleSessions = 0, lostMinutes = 0
        for item in sessions where item.session.status.countsForAttendance {
            let session = item.session
            if let mark = session.attendance(for: patient) {
                let minutes = mark.minutesAttended(duration: session.durationMinutes)
                attendedMinutes += minutes
                if mark.attended { attendedSessions += 1 }
                lostMinutes += max(0, session.durationMinutes - minutes)
            } else if session.members(series: session.series.flatMap { series[$0] }).contains(patient) {
                possibleMinutes += max(0, session.durationMinutes)
                possibleSessions += 1
            }
        }
        let state = progressState(requirement: requirement, attendedMinutes: attendedMinutes, attendedSessions: attendedSessions,
                                  possibleMinutes: possibleMinutes, possibleSessions: possibleSessions, lostMinutes: lostMinutes)
        return WeekProgress(attendedMinutes: attendedMinutes, attendedSessions: attendedSessions, possibleMinutes: possibleMinutes,
                            possibleSessions: possibleSessions, lostMinutes: lostMinutes, requirement: requirement, state: state)
    }

    static func progressState(requirement: WeeklyRequirement, attendedMinutes: Int, attendedSessions: Int, possibleMinutes: Int, possibleSessions: Int, lostMinutes: Int) -> WeekProgressState {
        if requirement.isEmpty { return .noRequirement }
        if attendedMinutes >= requirement.minutes && attendedSessions >= requirement.sessions { return .met }
        if attendedMinutes + possibleMinutes < requirement.minutes || attendedSessions + possibleSessions < requirement.sessions { return .cannotMeet }
        return lostMinutes > 0 ? .behind : .onTrack
    }

    /// In care on `date`: not before admission (the first care entry) and not on or after a discharge date.
    static func isInCare(_ patient: Patient, on date: LocalDate) -> Bool {
        if case .discharged(let discharged, _) = patient.status, date >= discharged { return false }
        return patient.care(on: date) != nil
    }

    /// `sevenths / 7` rounded to the nearest integer, halves up; requirements are never negative.
    static func roundedSevenths(_ sevenths: Int) -> Int {
        (2 * max(0, sevenths) + 7) / 14
    }
}
