import Foundation

/// The output formats of reports.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text
    case csv
    case markdown = "md"
    case html
}

/// One patient's attendance over a period, session by session, with totals and hours per week: what probation officers and courts ask for.
public struct AttendanceReport: Equatable, Sendable {
    /// One session occurrence the patient was expected at or has a mark on.
    public struct Row: Equatable, Sendable {
        public var date: LocalDate
        public var start: LocalTime
        public var end: LocalTime
        public var session: String
        public var kind: SessionKind
        /// The attendance status ("present", "late 15 min", "excused", "absent (unexcused)"), or "cancelled", "did not take place", "not marked".
        public var status: String
        /// The session's length; 0 when it was cancelled or did not take place.
        public var minutesScheduled: Int
        public var minutesAttended: Int
        /// The excuse, or why the session was cancelled or did not take place; empty otherwise.
        public var reason: String

        public init(date: LocalDate, start: LocalTime, end: LocalTime, session: String, kind: SessionKind, status: String, minutesScheduled: Int, minutesAttended: Int, reason: String) {
            self.date = date; self.start = start; self.end = end; self.session = session; self.kind = kind
            self.status = status; self.minutesScheduled = minutesScheduled; self.minutesAttended = minutesAttended; self.reason = reason
        }
    }

    /// Counts and minutes over the period. Cancelled sessions count nowhere but `cancelled`, called-off ones nowhere but `didNotTakePlace`.
    public struct Totals: Equatable, Sendable {
        public var scheduled = 0, scheduledMinutes = 0
        public var attended = 0, attendedMinutes = 0
        public var excused = 0, excusedMinutes = 0
        public var unexcused = 0, unexcusedMinutes = 0
        /// Sessions that count but have no mark yet.
        public var unmarked = 0
        /// Cancelled by the program beforehand.
        public var cancelled = 0
        /// Due, but did not take place and was not cancelled beforehand (facilitator ill, building closed).
        public var didNotTakePlace = 0
        public init() {}
    }

    /// Attended against required minutes in one program week, clipped to the period; the requirement is prorated by day
    /// over the days inside the period (see `RequirementBasis.ruleText`).
    public struct Week: Equatable, Sendable {
        public var first: LocalDate
        public var last: LocalDate
        public var attendedMinutes: Int
        public var requiredMinutes: Int
        /// The whole program week this one is part of.
        public var programWeek: DateRange
        /// The days and phases the requirement was computed from.
        public var basis: RequirementBasis
        public init(first: LocalDate, last: LocalDate, attendedMinutes: Int, requiredMinutes: Int, programWeek: DateRange, basis: RequirementBasis) {
            self.first = first; self.last = last; self.attendedMinutes = attendedMinutes; self.requiredMinutes = requiredMinutes
            self.programWeek = programWeek; self.basis = basis
        }

        /// Cut by the report's period at its first or last edge: shown, but never judged met or missed.
        public var isPartial: Bool { first > programWeek.first || last < programWeek.last }

        /// Judged: wholly inside the period with something required.
        public var isJudged: Bool { !isPartial && requiredMinutes > 0 }

        /// The week's note as every renderer writes it: "partial: period starts Wed" when cut, then the requirement's basis.
        public var note: String {
            var parts: [String] = []
            if first > programWeek.first && last < programWeek.last {
                parts.append("partial: period starts \(first.weekday.shortName), ends \(last.weekday.shortName)")
            } else if first > programWeek.first {
                parts.append("partial: period starts \(first.weekday.shortName)")
            } else if last < programWeek.last {
                parts.append("partial: period ends \(last.weekday.shortName)")
            }
            parts.append(basis.text)
            return parts.joined(separator: "; ")
        }
    }

    public var programName: String
    public var patientName: String
    public var mrn: String
    public var period: DateRange
    public var rows: [Row]
    public var totals: Totals
    public var weeks: [Week]
    /// The course of treatment week by week over the period (the Markdown and HTML reports' last section); nil leaves it out.
    public var course: CourseTimeline?

    public init(programName: String, patientName: String, mrn: String, period: DateRange, rows: [Row], totals: Totals, weeks: [Week]) {
        self.programName = programName; self.patientName = patientName; self.mrn = mrn; self.period = period
        self.rows = rows; self.totals = totals; self.weeks = weeks
    }

    /// The report for `patient` from `from` to `to` (both included): every occurrence in the range the patient is a member of
    /// (roster on its occurrence date, plus drop-ins, minus removals), in schedule order. A mark on a non-member is neither listed
    /// nor counted (`caseload check` reports it). Cancelled ones are listed with 0 minutes.
    /// `today` marks the current week in the course of treatment (and leaves it unjudged); `scores` are the measures'
    /// series it shows, a column each.
    public static func build(for patient: Patient, from: LocalDate, to: LocalDate, doc: CaseloadDocument, schedule: ScheduleIndex,
                             today: LocalDate? = nil, scores: [ScoreSeries] = []) -> AttendanceReport {
        let period = DateRange(from, to)
        let zone = TimeZone(identifier: doc.program.timeZone) ?? .gmt
        var rows: [Row] = []
        var totals = Totals()
        var attendedByDate: [LocalDate: Int] = [:]
        for item in schedule.sessions(in: period) {
            let session = item.session
            guard session.members(series: session.series.flatMap { schedule.series($0) }).contains(patient.id) else { continue }
            let mark = session.attendance(for: patient.id)
            let duration = max(0, session.durationMinutes)
            let (start, end) = wallClock(session.date, session.start, minutes: duration, in: zone)
            var row = Row(date: session.date, start: start, end: end, session: session.title, kind: session.kind,
                          status: "not marked", minutesScheduled: duration, minutesAttended: 0, reason: "")
            switch session.status {
            case .cancelled(let reason):
                row.status = "cancelled"; row.minutesScheduled = 0; row.reason = reason
                totals.cancelled += 1
            case .didNotTakePlace(let reason):
                row.status = "did not take place"; row.minutesScheduled = 0; row.reason = reason
                totals.didNotTakePlace += 1
            case .scheduled, .held:
                totals.scheduled += 1
                totals.scheduledMinutes += duration
                if let mark {
                    row.status = statusText(mark)
                    row.minutesAttended = mark.minutesAttended(duration: duration)
                    switch mark {
                    case .present, .late, .leftEarly:
                        totals.attended += 1
                        totals.attendedMinutes += row.minutesAttended
                    case .excused(let reason):
                        row.reason = reason
                        totals.excused += 1
                        totals.excusedMinutes += duration
                    case .absent:
                        totals.unexcused += 1
                        totals.unexcusedMinutes += duration
                    }
                    attendedByDate[session.date, default: 0] += row.minutesAttended
                } else {
                    totals.unmarked += 1
                }
            }
            rows.append(row)
        }
        var weeks: [Week] = []
        var start = from
        while start <= to {
            let programWeek = Hours.week(containing: start, firstWeekday: doc.program.firstWeekday)
            let last = min(programWeek.last, to)
            let range = DateRange(start, last)
            let attended = range.dates.reduce(0) { $0 + (attendedByDate[$1] ?? 0) }
            // Only the days inside the period are required: a week cut by the period asks for its share, not a full week.
            let required = Hours.weeklyRequirement(for: patient, week: range, program: doc.program)
            weeks.append(Week(first: start, last: last, attendedMinutes: attended, requiredMinutes: required.minutes, programWeek: programWeek,
                              basis: required.basis ?? RequirementBasis(days: range, spans: [])))
            start = last.adding(days: 1)
        }
        var report = AttendanceReport(programName: doc.program.name, patientName: patient.legalName, mrn: patient.mrn,
                                      period: period, rows: rows, totals: totals, weeks: weeks)
        // Without a today, no week is current: a report of past weeks judges them all.
        report.course = CourseTimeline.build(for: patient, in: doc, period: period, today: today, scores: scores)
        return report
    }

    /// The real start and end of a session on the wall clock of `zone`: a start in the spring-forward gap happens that much later,
    /// one in the fall-back overlap at its first (daylight-time) instant, and the end is `minutes` real minutes after the start.
    public static func wallClock(_ date: LocalDate, _ start: LocalTime, minutes: Int, in zone: TimeZone) -> (start: LocalTime, end: LocalTime) {
        let begins = Recurrence.instant(date, start, in: zone)
        let ends = begins.addingTimeInterval(TimeInterval(minutes) * 60)
        return (Recurrence.local(begins, in: zone).time, Recurrence.local(ends, in: zone).time)
    }

    /// Full weeks (wholly inside the period, with a requirement) whose attended minutes reach the required ones, and how many there are.
    public var fullWeeksMet: (met: Int, of: Int) {
        let judged = weeks.filter(\.isJudged)
        return (judged.filter { $0.attendedMinutes >= $0.requiredMinutes }.count, judged.count)
    }

    /// The judgement line of every summary: "Full weeks meeting the required hours: 1 of 2", saying partial weeks are not judged when there are any.
    public var fullWeeksLine: String {
        let (met, of) = fullWeeksMet
        var line = "Full weeks meeting the required hours: \(met) of \(of)"
        if weeks.contains(where: \.isPartial) { line += " (weeks cut by the period are shown but not judged)" }
        return line
    }

    /// The status as the report writes it.
    public static func statusText(_ status: AttendanceStatus) -> String {
        switch status {
        case .present: "present"
        case .late(let m): "late \(m) min"
        case .leftEarly(let m): "left early (\(m) min attended)"
        case .excused: "excused"
        case .absent: "absent (unexcused)"
        }
    }

    /// The report in `format`.
    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .text: text
        case .csv: csv
        case .markdown: markdown
        case .html: html
        }
    }

    // MARK: Renderers

    static let csvHeader = ["date", "start", "end", "session", "kind", "status", "minutes_scheduled", "minutes_attended", "reason"]

    func cells(_ row: Row) -> [String] {
        [row.date.iso, row.start.description, row.end.description, row.session, row.kind.rawValue, row.status,
         String(row.minutesScheduled), String(row.minutesAttended), row.reason]
    }

    /// RFC 4180: a header line, CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled.
    public var csv: String {
        var out = CSV.line(Self.csvHeader)
        for row in rows { out += CSV.line(cells(row)) }
        return out
    }

    /// Plain text with aligned columns.
    public var text: String {
        var out = "\(programName) — attendance report\n"
        out += "Patient: \(patientName) (MRN \(mrn))\n"
        out += "Period: \(period.first.iso) to \(period.last.iso)\n\n"
        if rows.isEmpty {
            out += "No sessions in this period.\n"
        } else {
            let header = ["date", "time", "session", "kind", "status", "sched", "attended", "reason"]
            let body = rows.map { [$0.date.iso, "\($0.start)–\($0.end)", TextTable.oneLine($0.session), $0.kind.rawValue, $0.status,
                                   String($0.minutesScheduled), String($0.minutesAttended), TextTable.oneLine($0.reason)] }
            out += TextTable.render(header: header, rows: body, rightAligned: [5, 6])
        }
        out += "\n" + summaryText
        return out
    }

    /// The totals and hours per week as plain text (shared with the compliance letter).
    public var summaryText: String {
        var out = "Sessions scheduled: \(totals.scheduled) (\(Self.hours(totals.scheduledMinutes)))\n"
        out += "Attended:           \(totals.attended) (\(Self.hours(totals.attendedMinutes)))\n"
        out += "Excused absences:   \(totals.excused)\n"
        out += "Unexcused absences: \(totals.unexcused)\n"
        if totals.unmarked > 0 { out += "Not marked yet:     \(totals.unmarked)\n" }
        if totals.cancelled > 0 { out += "Cancelled by the program: \(totals.cancelled)\n" }
        if totals.didNotTakePlace > 0 { out += "Did not take place:       \(totals.didNotTakePlace)\n" }
        if !weeks.isEmpty {
            out += "\nHours per week\n"
            out += TextTable.render(header: ["week", "attended", "required", "basis"],
                                    rows: weekRows,
                                    rightAligned: [1, 2])
            out += "\n" + fullWeeksLine + "\n" + TextTable.wrap(RequirementBasis.ruleText) + "\n"
        }
        return out
    }

    /// GitHub-flavoured Markdown.
    public var markdown: String {
        var out = "# \(MarkdownText.escape(programName)) — attendance report\n\n"
        out += "- Patient: \(MarkdownText.escape(patientName)) (MRN \(MarkdownText.escape(mrn)))\n"
        out += "- Period: \(period.first.iso) to \(period.last.iso)\n\n"
        out += "## Sessions\n\n"
        if rows.isEmpty {
            out += "No sessions in this period.\n"
        } else {
            out += MarkdownText.table(header: Self.sessionHeader,
                                      rows: sessionCells)
        }
        out += "\n" + summaryMarkdown
        if let course, !course.weeks.isEmpty {
            out += "\n## \(Self.courseTitle)\n\n" + MarkdownText.table(header: courseHeader, rows: courseRows)
            out += "\n" + MarkdownText.escape(courseNote) + "\n"
        }
        return out
    }

    /// Column headings of the session table in the Markdown and HTML reports.
    static let sessionHeader = ["Date", "Time", "Session", "Kind", "Status", "Scheduled (min)", "Attended (min)", "Reason"]

    /// One row of cells per session, for the Markdown and HTML tables.
    var sessionCells: [[String]] {
        rows.map { [$0.date.iso, "\($0.start)–\($0.end)", $0.session, $0.kind.rawValue, $0.status,
                    String($0.minutesScheduled), String($0.minutesAttended), $0.reason] }
    }

    /// The totals as (label, sessions, hours) rows, for every table-shaped summary.
    var summaryRows: [[String]] {
        var summary = [["Sessions scheduled", String(totals.scheduled), Self.hours(totals.scheduledMinutes)],
                       ["Attended", String(totals.attended), Self.hours(totals.attendedMinutes)],
                       ["Excused absences", String(totals.excused), Self.hours(totals.excusedMinutes)],
                       ["Unexcused absences", String(totals.unexcused), Self.hours(totals.unexcusedMinutes)]]
        if totals.unmarked > 0 { summary.append(["Not marked yet", String(totals.unmarked), ""]) }
        if totals.cancelled > 0 { summary.append(["Cancelled by the program", String(totals.cancelled), ""]) }
        if totals.didNotTakePlace > 0 { summary.append(["Did not take place", String(totals.didNotTakePlace), ""]) }
        return summary
    }

    /// Hours per week as (week, attended, required, basis) rows.
    var weekRows: [[String]] {
        weeks.map { ["\($0.first.iso) to \($0.last.iso)", Self.hours($0.attendedMinutes), Self.hours($0.requiredMinutes), $0.note] }
    }

    /// The totals and hours per week as Markdown.
    public var summaryMarkdown: String {
        var out = "## Summary\n\n"
        out += MarkdownText.table(header: ["", "Sessions", "Hours"], rows: summaryRows)
        if !weeks.isEmpty {
            out += "\n## Hours per week\n\n"
            out += MarkdownText.table(header: ["Week", "Attended", "Required", "Basis"],
                                      rows: weekRows)
            out += "\n" + MarkdownText.escape(fullWeeksLine) + "\n\n" + MarkdownText.escape(RequirementBasis.ruleText) + "\n"
        }
        return out
    }

    /// A complete small HTML document.
    public var html: String {
        let title = "\(programName) — attendance report"
        var body = "<h1>\(HTMLText.escape(title))</h1>\n"
        body += "<p>Patient: \(HTMLText.escape(patientName)) (MRN \(HTMLText.escape(mrn)))<br>\n"
        body += "Period: \(period.first.iso) to \(period.last.iso)</p>\n"
        body += "<h2>Sessions</h2>\n"
        if rows.isEmpty {
            body += "<p>No sessions in this period.</p>\n"
        } else {
            body += HTMLText.table(header: Self.sessionHeader,
                                   rows: sessionCells)
        }
        body += summaryHTML
        if let course, !course.weeks.isEmpty {
            body += "<h2>\(HTMLText.escape(Self.courseTitle))</h2>\n" + HTMLText.table(header: courseHeader, rows: courseRows)
            body += "<p>\(HTMLText.escape(courseNote))</p>\n"
        }
        return HTMLText.document(title: title, body: body)
    }

    /// The totals and hours per week as HTML fragments.
    public var summaryHTML: String {
        var out = "<h2>Summary</h2>\n" + HTMLText.table(header: ["", "Sessions", "Hours"], rows: summaryRows)
        if !weeks.isEmpty {
            out += "<h2>Hours per week</h2>\n"
            out += HTMLText.table(header: ["Week", "Attended", "Required", "Basis"],
                                  rows: weekRows)
            out += "<p>\(HTMLText.escape(fullWeeksLine))</p>\n<p>\(HTMLText.escape(RequirementBasis.ruleText))</p>\n"
        }
        return out
    }

    /// Minutes as hours and minutes: `9 h`, `7 h 30 min`, `45 min`.
    public static func hours(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        if h == 0 { return "\(m) min" }
        return m == 0 ? "\(h) h" : "\(h) h \(m) min"
    }
}

/// RFC 4180 CSV writing, with cells a spreadsheet would run as formulas neutralised (OWASP).
public enum CSV {
    /// One record with its CRLF.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// A field, neutralised when a spreadsheet would run it as a formula, then quoted when it holds a comma, a quote or a
    /// line break; quotes inside are doubled.
    public static func field(_ value: String) -> String {
        let safe = neutralised(value)
        guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP, "CSV Injection").
    static let formulaTriggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// `value` with a single quote in front when it begins with a formula trigger, so a spreadsheet shows it as text.
    /// Scalars, not characters: "\r\n" is one character in Swift but begins with a carriage return.
    /// The numbers the reports write are never negative, so no number is changed.
    static func neutralised(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, formulaTriggers.contains(first) else { return value }
        return "'" + value
    }
}

/// Aligned plain-text tables (widths in terminal cells; cells are put on one line).
enum TextTable {
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Prose wrapped between words to lines of at most `width` characters, so a text report or letter prints and reads
    /// at 80 columns; line breaks in `text` are kept, and a word longer than `width` stands alone on its line.
    static func wrap(_ text: String, width: Int = 78) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { paragraph -> String in
            var lines: [String] = []
            var line = ""
            for word in paragraph.split(separator: " ") {
                if line.isEmpty {
                    line = String(word)
                } else if TextWidth.of(line) + 1 + TextWidth.of(word) <= width {
                    line += " " + word
                } else {
                    lines.append(line)
                    line = String(word)
                }
            }
            lines.append(line)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func render(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        // Widths in terminal cells, as the screen measures them: 김민준 and 吴军 take two cells a character, so columns
        // after a name in any script still line up in a terminal or a monospaced printout.
        var widths = header.map { TextWidth.of($0) }
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], TextWidth.of(cell)) } }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[i] - TextWidth.of(cell)))
                parts.append(rightAligned.contains(i) ? pad + cell : cell + pad)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        var out = line(header)
        out += line(widths.map { String(repeating: "-", count: $0) })
        for row in rows { out += line(row) }
        return out
    }
}

/// Markdown text and tables.
enum MarkdownText {
    /// Escapes characters Markdown would read as formatting; line breaks become spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in TextTable.oneLine(text) {
            if "\\`*_[]<>|#".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    static func table(header: [String], rows: [[String]]) -> String {
        var out = "| " + header.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + header.map { _ in " --- |" }.joined() + "\n"
        for row in rows { out += "| " + row.map(escape).joined(separator: " | ") + " |\n" }
        return out
    }
}

/// HTML text and tables.
enum HTMLText {
    /// Escapes `& < > " '`.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func table(header: [String], rows: [[String]]) -> String {
        var out = "<table>\n<thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows { out += "<tr>" + row.map { "<td>\(escape($0))</td>" }.joined() + "</tr>\n" }
        return out + "</tbody>\n</table>\n"
    }

    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(escape(title))</title>
        <style>
        body { font-family: sans-serif; max-width: 52em; margin: 2em auto; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; }
        th, td { border: 1px solid #999; padding: 0.2em 0.5em; text-align: left; }
        .notice { border: 1px solid #000; padding: 0.5em; white-space: pre-wrap; }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }
}
