import CaseloadCore
import Foundation

// The record's "Course of treatment" section: the course timeline (`CourseTimeline`) as a grid of text cells, one
// column a week, ending at the current week; `[` and `]` move the window to older and newer weeks.

/// The score series the record's timeline shows for `patient`: their outcome measures, a row per instrument (or subscale).
func courseScores(for patient: Patient, in doc: CaseloadDocument, instruments: [Instrument] = Instrument.builtIns) -> [ScoreSeries] {
    ScoreSeries.measures(of: patient, instruments: instruments)
}

/// The row labels' column (indent included), and each week's column (its text and one space).
private let courseLabelWidth = 12
private let courseColumnWidth = 8

/// How many weeks fit in a record `width` cells wide (at least one).
public func courseVisibleWeeks(width: Int) -> Int {
    max(1, (width - courseLabelWidth) / courseColumnWidth)
}

/// The weeks shown for `count` weeks, a window of `width`, scrolled `offset` weeks back from the newest: the range of
/// week indexes and the offset held to what there is (0 shows the newest weeks; at most `count − visible`).
public func courseWindow(count: Int, width: Int, offset: Int) -> (weeks: Range<Int>, offset: Int) {
    let visible = courseVisibleWeeks(width: width)
    let clamped = min(max(0, offset), max(0, count - visible))
    let end = max(0, count - clamped)
    return (max(0, end - visible)..<end, clamped)
}


/// The week's first day as the column heads it: `11/02`.
func courseWeekLabel(_ date: LocalDate) -> String {
    (date.month < 10 ? "0" : "") + "\(date.month)/" + (date.day < 10 ? "0" : "") + "\(date.day)"
}

/// A phase's name made short for one column: "Phase II" → "II"; other names cut to the column.
func coursePhaseLabel(_ name: String) -> String {
    let trimmed = name.hasPrefix("Phase ") ? String(name.dropFirst(6)) : name
    return TextWidth.fit(trimmed.isEmpty ? name : trimmed, width: courseColumnWidth - 1)
}

/// The attendance cell: "7.5/9▲"; just the attended hours and the mark when that is too wide.
func courseAttendanceCell(_ week: CourseWeek) -> RecordSegment {
    guard let required = week.requiredMinutes else { return seg("·", .dim) }
    let mark: String, role: Role
    switch week.attendance {
    case .met: mark = "✓"; role = .meterOK
    case .short: mark = "▲"; role = .meterBehind
    case .inProgress: mark = "…"; role = .text
    case .notInCare: mark = ""; role = .dim
    case .noRequirement, .partial: mark = ""; role = .text
    }
    let full = "\(hoursText(week.attendedMinutes))/\(hoursText(required))\(mark)"
    let text = TextWidth.of(full) <= courseColumnWidth - 1 ? full : "\(hoursText(week.attendedMinutes))\(mark)"
    return seg(text, role, bold: week.attendance == .short)
}

/// The usual short codes of screening panels, so a positive fits a column; other names are cut to four letters.
private let substanceCodes: [String: String] = [
    "alcohol": "ALC", "amphetamine": "AMP", "amphetamines": "AMP", "barbiturates": "BAR", "benzodiazepines": "BZO",
    "buprenorphine": "BUP", "cannabis": "THC", "cocaine": "COC", "fentanyl": "FEN", "marijuana": "THC", "mdma": "MDMA",
    "methadone": "MTD", "methamphetamine": "MET", "opiates": "OPI", "oxycodone": "OXY", "pcp": "PCP", "thc": "THC",
]

/// A substance's short code: "Cocaine" → "COC".
func courseSubstanceCode(_ substance: String) -> String {
    let name = substance.trimmingCharacters(in: .whitespaces)
    return substanceCodes[name.lowercased()] ?? TextWidth.fit(name, width: 4, ellipsis: false)
}

/// The screens cell: – none, ✓ negative, ✗ and the first positive substance's code (+ when more), ? inconclusive.
func courseScreensCell(_ week: CourseWeek) -> RecordSegment {
    switch week.screens {
    case .none: return seg("–", .dim)
    case .negative: return seg("✓", .statusOK)
    case .inconclusive: return seg("?", .statusWarning)
    case .positive(let substances):
        let more = substances.count > 1 ? "+" : ""
        return seg("✗" + courseSubstanceCode(substances.first ?? "") + more, .statusError, bold: true)
    }
}

/// The score cell: the score and its sparkline bar ("14▅"); empty without a score that week.
func courseScoreCell(_ score: Int?, maximum: Int) -> RecordSegment {
    guard let score else { return seg("") }
    return seg("\(score)\(CourseTimeline.spark(score, maximum: maximum))")
}

/// The section's lines at `width`: heading, the grid of the weeks in the window, and the legend.
func recordCourseLines(_ course: CourseTimeline, today: LocalDate, width: Int, offset: Int) -> [RecordLine] {
    let name = RecordSection.course
    var lines = [RecordLine(segments: [])]
    for (i, segments) in wrapRecordSegments([seg(name, .header, bold: true)], width: width, indent: 0, hang: 2).enumerated() {
        lines.append(RecordLine(segments: segments, section: i == 0 ? name : nil))
    }
    func paragraph(_ segments: [RecordSegment]) {
        for line in wrapRecordSegments(segments, width: width, indent: 2, hang: 2) { lines.append(RecordLine(segments: line)) }
    }
    guard !course.weeks.isEmpty else {
        paragraph([seg("No course yet: no admission date or care entry recorded.", .dim)])
        return lines
    }
    let window = courseWindow(count: course.weeks.count, width: width, offset: offset)
    let shown = Array(course.weeks[window.weeks])

    func row(_ label: String, _ cells: [RecordSegment]) {
        var segments = [seg("  " + TextWidth.pad(label, width: courseLabelWidth - 3) + " ", .dim)]
        for (i, cell) in cells.enumerated() {
            let last = i == cells.count - 1
            segments.append(RecordSegment(last ? cell.text : TextWidth.pad(cell.text, width: courseColumnWidth), role: cell.role, bold: cell.bold))
        }
        // Trailing spaces are not drawn: the line ends at its last cell's text.
        while let end = segments.last, end.text.isEmpty || end.text.hasSuffix(" ") {
            segments[segments.count - 1].text = String(end.text.reversed().drop { $0 == " " }.reversed())
            if segments[segments.count - 1].text.isEmpty { segments.removeLast() }
        }
        lines.append(RecordLine(segments: segments))
    }

    row("Week of", shown.map { week in
        week.isCurrent ? seg("▸" + courseWeekLabel(week.programWeek.first), .today, bold: true) : seg(courseWeekLabel(week.programWeek.first), .header)
    })
    row("Attended", shown.map(courseAttendanceCell))
    row("Screens", shown.map(courseScreensCell))
    // A phase is written where it changes, and at the window's left edge so the first column says what is in force.
    row("Phase", shown.enumerated().map { i, week in
        guard let phase = week.phase, week.phaseChanged || i == 0 else { return seg("") }
        return seg(coursePhaseLabel(phase), bold: week.phaseChanged)
    })
    for (s, series) in course.series.enumerated() {
        row(series.name, shown.map { courseScoreCell($0.scores[s], maximum: series.maximum) })
    }

    let first = shown.first.map { courseWeekLabel($0.programWeek.first) } ?? ""
    let last = shown.last.map { courseWeekLabel($0.programWeek.first) } ?? ""
    paragraph([seg("Attended h/required: ", .dim), seg("✓", .meterOK), seg(" met ", .dim), seg("▲", .meterBehind),
               seg(" short … week not over · not in care. Screens: ", .dim), seg("✓", .statusOK), seg(" negative ", .dim),
               seg("✗", .statusError), seg(" positive (code; + more: see Drug screens) ? inconclusive – none; missed screens are not recorded. ", .dim),
               seg("▸", .today, bold: true), seg(" this week.", .dim)])
    var position = [seg("Weeks \(first)–\(last), \(window.weeks.count) of \(course.weeks.count) since \(course.weeks[0].programWeek.first.iso)", .dim)]
    if window.weeks.lowerBound > 0 { position.append(seg(" · [ older", .dim)) }
    if window.offset > 0 { position.append(seg(" · ] newer", .dim)) }
    paragraph(position)
    return lines
}
