import Foundation

/// What a patient must attend in one week, prorated by the days they spent in each phase.
public struct WeeklyRequirement: Equatable, Sendable {
    /// Required attended minutes, rounded to the nearest minute.
    public var minutes: Int
    /// Required attended sessions, rounded to the nearest session.
    public var sessions: Int
    /// The phase in force on the last in-care day of the week (for display); nil when not in care that week.
    public var phase: Phase?
    /// How the requirement was reached (the days counted and each one's phase); nil for a requirement made by hand.
    public var basis: RequirementBasis?

    public init(minutes: Int, sessions: Int, phase: Phase?, basis: RequirementBasis? = nil) {
        self.minutes = minutes; self.sessions = sessions; self.phase = phase; self.basis = basis
    }

    /// Nothing required (not in care, or a phase without requirements).
    public var isEmpty: Bool { minutes == 0 && sessions == 0 }

    /// How the requirement was reached, in words (`RequirementBasis.text`); "" without a basis.
    public var basisText: String { basis?.text ?? "" }
}

/// The days a week's requirement was computed from and the phase in force on each, so every report words it the same way.
public struct RequirementBasis: Equatable, Sendable {
    /// Consecutive days in care at one phase.
    public struct Span: Equatable, Sendable {
        /// The phase's name.
        public var phase: String
        public var first: LocalDate
        public var last: LocalDate
        public init(phase: String, first: LocalDate, last: LocalDate) { self.phase = phase; self.first = first; self.last = last }
        public var dayCount: Int { first.days(until: last) + 1 }
    }

    /// The days looked at: the program week, or its part inside a report's period.
    public var days: DateRange
    /// The days in care among them, grouped by phase, in date order.
    public var spans: [Span]

    public init(days: DateRange, spans: [Span]) { self.days = days; self.spans = spans }

    /// The one rule, as every report, letter and census states it (FORMAT.md and the README say the same).
    public static let ruleText = "Required hours are prorated by day: each day in care counts 1/7 of the weekly minutes and sessions "
        + "of the phase in force that day; days before admission or from discharge count nothing."

    /// Days in care that counted toward the requirement.
    public var daysInCare: Int { spans.reduce(0) { $0 + $1.dayCount } }

    /// True unless the requirement is one phase's full weekly figure (seven days in care at one phase).
    public var isProrated: Bool { !(spans.count == 1 && daysInCare == 7) }

    /// The basis in words, used by every renderer: "Phase I" for a whole week at one phase; otherwise each phase with its days
    /// ("Phase I Mon–Wed, Phase II Thu–Sun") and, when fewer than seven days counted, how many ("Phase I Thu–Sun, 4 of 7 days in care").
    /// "not in care" when no day counted.
    public var text: String {
        guard !spans.isEmpty else { return "not in care" }
        if !isProrated { return spans[0].phase }
        var out = spans.map { span in
            let days = span.first == span.last ? span.first.weekday.shortName : "\(span.first.weekday.shortName)–\(span.last.weekday.shortName)"
            return "\(span.phase) \(days)"
        }.joined(separator: ", ")
        if daysInCare < 7 {
            // "in care" only when some looked-at day was not in care; a week cut by a report's period says so on its own.
            out += ", \(daysInCare) of 7 days" + (daysInCare < days.dayCount ? " in care" : "")
        }
        return out
    }
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
        var spans: [RequirementBasis.Span] = []
        for date in week.dates where isInCare(patient, on: date) {
            guard let entry = patient.care(on: date), let phase = program.phase(entry.phase) else { continue }
            minuteSevenths += phase.requiredMinutesPerWeek
            sessionSevenths += phase.requiredSessionsPerWeek
            if let last = spans.last, last.phase == phase.name, last.last.adding(days: 1) == date {
                spans[spans.count - 1].last = date
            } else {
                spans.append(.init(phase: phase.name, first: date, last: date))
            }
            lastPhase = phase
        }
        return WeeklyRequirement(minutes: roundedSevenths(minuteSevenths), sessions: roundedSevenths(sessionSevenths), phase: lastPhase,
                                 basis: RequirementBasis(days: week, spans: spans))
    }

    /// Progress of `patient` over `sessions` (one week's scheduled sessions, from `Schedule.sessions(in:of:)`) against `requirement`. Cancelled and called-off sessions are skipped; only sessions the patient is a member of count: a marked one adds what was attended and what was lost; an unmarked one is still possible, even if it is past (its roll may still be taken).
    public static func progress(for patient: PatientID, requirement: WeeklyRequirement, sessions: [ScheduledSession], series: [SeriesID: Series]) -> WeekProgress {
        // A mark counts only for a member of the occurrence (removal wins), like everywhere else.
        let memberSessions = sessions.filter { $0.session.members(series: $0.session.series.flatMap { series[$0] }).contains(patient) }
        return progress(forMember: patient, requirement: requirement, memberSessions: memberSessions)
    }

    /// The same, given only the sessions `patient` is a member of (the Patients pane works out each session's members
    /// once for everyone, rather than once per patient).
    public static func progress(forMember patient: PatientID, requirement: WeeklyRequirement, memberSessions sessions: [ScheduledSession]) -> WeekProgress {
        var attendedMinutes = 0, attendedSessions = 0, possibleMinutes = 0, possibleSessions = 0, lostMinutes = 0
        for item in sessions where item.session.status.countsForAttendance {
            let session = item.session
            if let mark = session.attendance(for: patient) {
                let minutes = mark.minutesAttended(duration: session.durationMinutes)
                attendedMinutes += minutes
                if mark.attended { attendedSessions += 1 }
                lostMinutes += max(0, session.durationMinutes - minutes)
            } else {
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
