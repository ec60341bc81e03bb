import Foundation

/// The program's census for one week: every active patient with attended against required time and where they stand.
public struct WeekCensus: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public var name: String
        public var mrn: String
        /// How the week's requirement was reached, worded by `RequirementBasis.text`: the phase name for a whole week at one
        /// phase, otherwise each phase with its days ("Phase I Mon–Wed, Phase II Thu–Sun", "Phase I Thu–Sun, 4 of 7 days in care").
        public var phase: String
        public var progress: WeekProgress

        public init(name: String, mrn: String, phase: String, progress: WeekProgress) {
            self.name = name; self.mrn = mrn; self.phase = phase; self.progress = progress
        }
    }

    public var programName: String
    public var week: DateRange
    public var rows: [Row]

    public init(programName: String, week: DateRange, rows: [Row]) {
        self.programName = programName; self.week = week; self.rows = rows
    }

    /// The program week containing `date`; active patients by name, then MRN.
    public static func build(containing date: LocalDate, doc: CaseloadDocument, schedule: ScheduleIndex) -> WeekCensus {
        let week = Hours.week(containing: date, firstWeekday: doc.program.firstWeekday)
        let sessions = schedule.sessions(in: week)
        let seriesByID = Dictionary(schedule.series.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = doc.patients.filter { $0.status == .active }.map { patient -> Row in
            let requirement = Hours.weeklyRequirement(for: patient, week: week, program: doc.program)
            let progress = Hours.progress(for: patient.id, requirement: requirement, sessions: sessions, series: seriesByID)
            return Row(name: patient.legalName, mrn: patient.mrn, phase: requirement.basisText, progress: progress)
        }.sorted { ($0.name, $0.mrn) < ($1.name, $1.mrn) }
        return WeekCensus(programName: doc.program.name, week: week, rows: rows)
    }

    /// The state as the report writes it.
    public static func stateText(_ state: WeekProgressState) -> String {
        switch state {
        case .noRequirement: "no requirement"
        case .met: "met"
        case .onTrack: "on track"
        case .behind: "behind"
        case .cannotMeet: "cannot meet"
        }
    }

    static let csvHeader = ["name", "mrn", "phase", "minutes_attended", "minutes_required", "sessions_attended", "sessions_required", "minutes_still_possible", "state"]

    func cells(_ row: Row) -> [String] {
        let p = row.progress
        return [row.name, row.mrn, row.phase, String(p.attendedMinutes), String(p.requirement.minutes), String(p.attendedSessions),
                String(p.requirement.sessions), String(p.possibleMinutes), Self.stateText(p.state)]
    }

    /// The census in `format` (HTML gives Markdown's content as a small document).
    public func rendered(as format: ReportFormat) -> String {
        switch format {
        case .csv:
            return CSV.line(Self.csvHeader) + rows.map { CSV.line(cells($0)) }.joined()
        case .text:
            var out = "\(programName) — week of \(week.first.iso) to \(week.last.iso)\n"
            out += "Census: \(rows.count) active patient\(rows.count == 1 ? "" : "s")\n\n"
            let body = rows.map { row -> [String] in
                let p = row.progress
                return [TextTable.oneLine(row.name), row.mrn, row.phase, AttendanceReport.hours(p.attendedMinutes),
                        AttendanceReport.hours(p.requirement.minutes), "\(p.attendedSessions)/\(p.requirement.sessions)", Self.stateText(p.state)]
            }
            out += TextTable.render(header: ["name", "MRN", "phase", "attended", "required", "sessions", "state"], rows: body, rightAligned: [3, 4, 5])
            out += "\n" + TextTable.wrap(RequirementBasis.ruleText) + "\n"
            return out
        case .markdown, .html:
            let body = rows.map { row -> [String] in
                let p = row.progress
                return [row.name, row.mrn, row.phase, AttendanceReport.hours(p.attendedMinutes), AttendanceReport.hours(p.requirement.minutes),
                        "\(p.attendedSessions)/\(p.requirement.sessions)", Self.stateText(p.state)]
            }
            let header = ["Name", "MRN", "Phase", "Attended", "Required", "Sessions", "State"]
            let title = "\(programName) — week of \(week.first.iso) to \(week.last.iso)"
            let census = "Census: \(rows.count) active patient\(rows.count == 1 ? "" : "s")"
            if format == .html {
                return HTMLText.document(title: title, body: "<h1>\(HTMLText.escape(title))</h1>\n<p>\(census)</p>\n" + HTMLText.table(header: header, rows: body)
                                         + "<p>\(HTMLText.escape(RequirementBasis.ruleText))</p>\n")
            }
            return "# \(MarkdownText.escape(title))\n\n\(census)\n\n" + MarkdownText.table(header: header, rows: body)
                + "\n" + MarkdownText.escape(RequirementBasis.ruleText) + "\n"
        }
    }
}
