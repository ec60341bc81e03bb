import Foundation

// The attendance report's "Course of treatment" section (Markdown and HTML): the course timeline as a table, a week a
// row, in words a court reads on paper.

extension AttendanceReport {
    static let courseTitle = "Course of treatment"

    /// What the table's columns mean, printed under it (the scores' sentence only when there are score columns).
    var courseNote: String {
        var note = "One row per program week of the period, cut at its edges. Attendance: hours attended against the week's "
            + "required hours (prorated by day, as above); a week cut by the period, or not over yet, is not judged. Drug screens: every "
            + "screen dated in the week, the positive substances named (a positive for a prescribed medication counts as negative); "
            + "Caseload does not record missed screens. Phase: the phase in force on the week's last day in care."
        if !(course?.series.isEmpty ?? true) { note += " Scores: the last score dated in the week, out of the measure's maximum." }
        return note
    }

    /// The table's column headings: week, attendance, drug screens, phase, then one per score series.
    var courseHeader: [String] {
        ["Week", "Attendance", "Drug screens", "Phase"] + (course?.series.map { "\($0.name) (of \($0.maximum))" } ?? [])
    }

    /// One row of cells per week.
    var courseRows: [[String]] {
        guard let course else { return [] }
        return course.weeks.map { week in
            var cells = ["\(week.days.first.iso) to \(week.days.last.iso)" + (week.isCurrent ? " (this week)" : ""),
                         Self.courseAttendanceText(week), Self.courseScreensText(week), Self.coursePhaseText(week)]
            cells += week.scores.map { $0.map(String.init) ?? "—" }
            return cells
        }
    }

    /// "7 h 30 min of 9 h: short", "9 h of 9 h: met", "not in care"…
    static func courseAttendanceText(_ week: CourseWeek) -> String {
        guard let required = week.requiredMinutes else { return "not in care" }
        let figures = "\(hours(week.attendedMinutes)) of \(hours(required))"
        switch week.attendance {
        case .met: return figures + ": met"
        case .short: return figures + ": short"
        case .inProgress: return figures + ": week not over"
        case .partial: return figures + ": partial week, not judged"
        case .noRequirement: return hours(week.attendedMinutes) + ": nothing required"
        case .notInCare: return "not in care"
        }
    }

    /// "none", "negative", "negative (2 screens)", "POSITIVE: Cocaine, THC", "inconclusive".
    static func courseScreensText(_ week: CourseWeek) -> String {
        let count = week.screenCount > 1 ? " (\(week.screenCount) screens)" : ""
        switch week.screens {
        case .none: return "none"
        case .negative: return "negative" + count
        case .inconclusive: return "inconclusive" + count
        case .positive(let substances): return "POSITIVE: " + substances.joined(separator: ", ") + count
        }
    }

    /// The phase's name, "(new)" the week it begins; "—" when not in care.
    static func coursePhaseText(_ week: CourseWeek) -> String {
        guard let phase = week.phase else { return "—" }
        return week.phaseChanged ? phase + " (new)" : phase
    }
}
