import Foundation

/// A measure's scores over time, one row of the course timeline (PHQ-9 totals, say); built by whoever holds the measures.
public struct ScoreSeries: Equatable, Sendable {
    /// One dated score.
    public struct Point: Equatable, Sendable {
        public var date: LocalDate
        public var score: Int
        public init(date: LocalDate, score: Int) { self.date = date; self.score = score }
    }

    /// The row's label ("PHQ-9").
    public var name: String
    /// The highest score the measure gives, for scaling the sparkline.
    public var maximum: Int
    public var points: [Point]

    public init(name: String, maximum: Int, points: [Point]) {
        self.name = name; self.maximum = maximum; self.points = points
    }

    public init(name: String, maximum: Int, points: [(date: LocalDate, score: Int)]) {
        self.init(name: name, maximum: maximum, points: points.map { Point(date: $0.date, score: $0.score) })
    }
}

/// How a week's attended time stands against its requirement.
public enum CourseAttendance: Equatable, Sendable {
    /// Not in care on any day of the week.
    case notInCare
    /// In care, but the phase asks for nothing.
    case noRequirement
    /// Attended minutes reach the requirement.
    case met
    /// A past week, wholly inside the period, that fell short.
    case short
    /// The current week (or a later one): not met yet, but not over.
    case inProgress
    /// Cut by the period's edge: shown, never judged, met or not (as the report's hours per week).
    case partial
}

/// The drug screens of one week, summed up: the worst outcome wins.
public enum CourseScreens: Equatable, Sendable {
    /// No screen dated in the week.
    case none
    /// Every screen negative (a positive for a prescribed medication counts as negative).
    case negative
    /// At least one substance positive: the positive substances, in the order first seen.
    case positive([String])
    /// Nothing positive, but a result was inconclusive.
    case inconclusive
}

/// One week of the course of treatment.
public struct CourseWeek: Equatable, Sendable {
    /// The days looked at: the program week, or its part inside the period.
    public var days: DateRange
    /// The whole program week.
    public var programWeek: DateRange
    public var attendedMinutes: Int
    /// Required minutes prorated by day (`Hours.weeklyRequirement`); nil when not in care any day of the week.
    public var requiredMinutes: Int?
    public var attendance: CourseAttendance
    public var screens: CourseScreens
    /// How many screens were dated in the week.
    public var screenCount: Int
    /// The phase in force on the week's last day in care; nil when not in care.
    public var phase: String?
    /// The phase differs from the previous week's (always true for the first week with a phase).
    public var phaseChanged: Bool
    /// Per score series (in the timeline's order): the last score dated in the week, nil when none.
    public var scores: [Int?]
    /// The week holds today.
    public var isCurrent: Bool
}

/// A patient's course of treatment week by week: attendance against the requirement, drug screens, the phase and
/// any score series, from admission to the current week. Missed screens are not shown: the file has no way to record one.
public struct CourseTimeline: Equatable, Sendable {
    public var weeks: [CourseWeek]
    /// The series' names and maxima, in row order (each week's `scores` follows it).
    public var series: [(name: String, maximum: Int)] { seriesInfo.map { ($0.name, $0.maximum) } }
    var seriesInfo: [SeriesInfo]

    struct SeriesInfo: Equatable, Sendable {
        var name: String
        var maximum: Int
    }

    /// The index of the current week, when the timeline reaches it.
    public var currentIndex: Int? { weeks.firstIndex(where: \.isCurrent) }

    /// The first day of the course: the admission date, else the first care entry, else the first drug screen; nil when
    /// the record has none of them.
    public static func start(of patient: Patient) -> LocalDate? {
        [patient.admissionDate, patient.careHistory.map(\.date).min()].compactMap { $0 }.min()
            ?? patient.drugScreens.map(\.date).min()
    }

    /// The course from the program week of admission (or the first care entry) to the week holding `today`; for a patient
    /// discharged earlier, to the week of discharge. Empty when the record has no start or it lies after today.
    public static func course(for patient: Patient, in doc: CaseloadDocument, today: LocalDate, scores: [ScoreSeries] = []) -> CourseTimeline {
        let firstWeekday = doc.program.firstWeekday
        guard let start = start(of: patient) else { return CourseTimeline(weeks: [], seriesInfo: scores.map { .init(name: $0.name, maximum: $0.maximum) }) }
        var end = Hours.week(containing: today, firstWeekday: firstWeekday).last
        if case .discharged(let date, _) = patient.status {
            end = min(end, Hours.week(containing: date, firstWeekday: firstWeekday).last)
        }
        let first = Hours.week(containing: start, firstWeekday: firstWeekday).first
        guard first <= end else { return CourseTimeline(weeks: [], seriesInfo: scores.map { .init(name: $0.name, maximum: $0.maximum) }) }
        return build(for: patient, in: doc, period: DateRange(first, end), today: today, scores: scores)
    }

    /// The timeline over `period`, one entry per program week it touches, the first and last cut to the period (as the
    /// attendance report's hours per week). One pass over the stored sessions: minutes come only from attendance marks,
    /// and a mark counts only for a member of the occurrence on a session that counts for attendance (as every report).
    /// Without `today`, no week is current and every week is over (a report of past weeks).
    public static func build(for patient: Patient, in doc: CaseloadDocument, period: DateRange, today: LocalDate?, scores: [ScoreSeries] = []) -> CourseTimeline {
        let firstWeekday = doc.program.firstWeekday
        let seriesInfo = scores.map { SeriesInfo(name: $0.name, maximum: $0.maximum) }
        guard period.first <= period.last else { return CourseTimeline(weeks: [], seriesInfo: seriesInfo) }
        let origin = Hours.week(containing: period.first, firstWeekday: firstWeekday).first
        func index(_ date: LocalDate) -> Int? {
            guard period.contains(date) else { return nil }
            return origin.days(until: date) / 7
        }
        var weeks: [CourseWeek] = []
        var start = period.first
        // The phase in force the day before the period, so its first week says "changed" only for a real change.
        let dayBefore = period.first.adding(days: -1)
        var previousPhase: String? = Hours.isInCare(patient, on: dayBefore)
            ? patient.care(on: dayBefore).flatMap { doc.program.phase($0.phase)?.name } : nil
        while start <= period.last {
            let programWeek = Hours.week(containing: start, firstWeekday: firstWeekday)
            let days = DateRange(start, min(programWeek.last, period.last))
            let requirement = Hours.weeklyRequirement(for: patient, week: days, program: doc.program)
            let inCare = !(requirement.basis?.spans.isEmpty ?? true)
            let phase = requirement.phase?.name
            weeks.append(CourseWeek(days: days, programWeek: programWeek, attendedMinutes: 0, requiredMinutes: inCare ? requirement.minutes : nil,
                                    attendance: .notInCare, screens: .none, screenCount: 0, phase: phase,
                                    phaseChanged: phase != nil && phase != previousPhase,
                                    scores: Array(repeating: nil, count: scores.count), isCurrent: today.map(programWeek.contains) ?? false))
            if phase != nil { previousPhase = phase }
            start = days.last.adding(days: 1)
        }

        // Attendance: one pass over the stored sessions (computed occurrences carry no marks).
        var seriesByID: [SeriesID: Series] = [:]
        for series in doc.series where seriesByID[series.id] == nil { seriesByID[series.id] = series }
        for session in doc.sessions {
            guard let i = index(session.date), session.status.countsForAttendance,
                  let mark = session.attendance(for: patient.id), mark.attended,
                  session.members(series: session.series.flatMap { seriesByID[$0] }).contains(patient.id) else { continue }
            weeks[i].attendedMinutes += mark.minutesAttended(duration: session.durationMinutes)
        }
        for i in weeks.indices {
            weeks[i].attendance = judge(weeks[i], today: today)
        }

        for screen in patient.drugScreens.sorted(by: { $0.date < $1.date }) {
            guard let i = index(screen.date) else { continue }
            weeks[i].screenCount += 1
            weeks[i].screens = combine(weeks[i].screens, screen)
        }

        for (s, series) in scores.enumerated() {
            // The last score dated in each week: points in date order, later ones overwrite.
            for point in series.points.sorted(by: { $0.date < $1.date }) {
                guard let i = index(point.date) else { continue }
                weeks[i].scores[s] = point.score
            }
        }
        return CourseTimeline(weeks: weeks, seriesInfo: seriesInfo)
    }

    static func judge(_ week: CourseWeek, today: LocalDate?) -> CourseAttendance {
        guard let required = week.requiredMinutes else { return .notInCare }
        if required == 0 { return .noRequirement }
        // A week cut by the period is never judged, met or not (as the report's hours per week).
        if week.days != week.programWeek { return .partial }
        if week.attendedMinutes >= required { return .met }
        if let today, week.programWeek.last >= today { return .inProgress }
        return .short
    }

    static func combine(_ sofar: CourseScreens, _ screen: DrugScreen) -> CourseScreens {
        var positives: [String] = []
        if case .positive(let seen) = sofar { positives = seen }
        var inconclusive = sofar == .inconclusive
        for result in screen.results {
            switch result.result {
            case .positive:
                if !positives.contains(result.substance) { positives.append(result.substance) }
            case .inconclusive: inconclusive = true
            case .negative, .prescribed: break
            }
        }
        if !positives.isEmpty { return .positive(positives) }
        return inconclusive ? .inconclusive : .negative
    }

    /// The sparkline glyph for `score` out of `maximum`: ▁ for 0 up to █ for the maximum, `score × 7 / maximum` steps
    /// up, rounded to the nearest (halves up); scores outside 0…maximum are held to it.
    public static func spark(_ score: Int, maximum: Int) -> Character {
        let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        guard maximum > 0 else { return bars[0] }
        let clamped = min(max(0, score), maximum)
        return bars[(clamped * 14 + maximum) / (2 * maximum)]
    }
}
