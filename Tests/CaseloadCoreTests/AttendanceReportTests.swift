import CaseloadCore
import Foundation
import GoldenFiles
import Testing

/// A small RFC 4180 reader for checking what the report writes: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF.
enum CSVReader {
    enum Failure: Error { case badQuote(Int), missingCRLF, unterminated }

    static func parse(_ text: String) throws -> [[String]] {
        let chars = Array(text.unicodeScalars)
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var i = 0
        var quoted = false
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 2; continue }
                    quoted = false
                    i += 1
                    guard i == chars.count || chars[i] == "," || chars[i] == "\r" else { throw Failure.badQuote(i) }
                    continue
                }
                field.unicodeScalars.append(c); i += 1
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty else { throw Failure.badQuote(i) }
                quoted = true; i += 1
            case ",":
                record.append(field); field = ""; i += 1
            case "\r":
                guard i + 1 < chars.count, chars[i + 1] == "\n" else { throw Failure.missingCRLF }
                record.append(field); field = ""
                records.append(record); record = []
                i += 2
            case "\n":
                throw Failure.missingCRLF
            default:
                field.unicodeScalars.append(c); i += 1
            }
        }
        if quoted { throw Failure.unterminated }
        guard record.isEmpty && field.isEmpty else { throw Failure.missingCRLF }
        return records
    }
}

@Suite struct AttendanceReportTests {
    let d = TestDocument.date
    let t = TestDocument.time
    static let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/reports")

    func occurrence(_ date: String, marks: [(PatientID, AttendanceStatus)] = [], status: SessionStatus? = nil, removed: [PatientID] = []) -> Session {
        var s = Session(id: SessionID("ses_\(date)"), occurrenceOf: TestDocument.iopA, on: d(date))
        for (p, m) in marks { s.mark(p, m) }
        if let status { s.status = status }
        s.removed = removed
        return s
    }

    /// Two weeks of IOP-A (Mon/Wed/Thu 18:00, 180 min) for Ana with every kind of mark, a cancellation, a removal, and one-offs whose titles and reasons need quoting and escaping.
    func document() -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.program.name = "Test IOP <East> & \"West\""
        var individual = Session(id: "ses_ind", date: d("2026-11-06"), start: t("10:00"), durationMinutes: 60,
                                 title: "Check-in, \"brief\"", kind: .individual, added: ["pat_ana"])
        individual.mark("pat_ana", .excused(reason: "court date,\nmoved by the judge"))
        var family = Session(id: "ses_fam", date: d("2026-11-14"), start: t("23:30"), durationMinutes: 60,
                             title: "Family <night> & O'Brien's", kind: .family, added: ["pat_ana"])
        family.mark("pat_ana", .present)
        let other = Session(id: "ses_other", date: d("2026-11-10"), start: t("09:00"), durationMinutes: 50,
                            title: "Someone else's", kind: .individual, added: ["pat_minjun"])
        doc.sessions = [
            occurrence("2026-11-02", marks: [("pat_ana", .present)]),
            occurrence("2026-11-04", marks: [("pat_ana", .late(minutesLate: 30))]),
            occurrence("2026-11-05", marks: [("pat_ana", .present)], status: .cancelled(reason: "snow, roads closed")),
            individual,
            occurrence("2026-11-09", marks: [("pat_ana", .absent)]),
            other,
            occurrence("2026-11-11", removed: ["pat_ana"]),
            occurrence("2026-11-12", marks: [("pat_ana", .leftEarly(minutesAttended: 120))], status: .didNotTakePlace(reason: "facilitator ill")),
            family,
            occurrence("2026-11-16", marks: [("pat_ana", .present)]),   // after the period
        ]
        return doc
    }

    func report() -> AttendanceReport {
        let doc = document()
        return AttendanceReport.build(for: doc.patients[0], from: d("2026-11-02"), to: d("2026-11-15"), doc: doc, schedule: ScheduleIndex(doc))
    }

    @Test func rowsCoverEveryOccurrenceOfThePatientInTheRange() {
        let rows = report().rows
        #expect(rows.map(\.date) == ["2026-11-02", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-09", "2026-11-12", "2026-11-14"].map(d))
        #expect(rows.map(\.status) == ["present", "late 30 min", "cancelled", "excused", "absent (unexcused)", "did not take place", "present"])
        #expect(rows.map(\.minutesScheduled) == [180, 180, 0, 60, 180, 0, 60])
        #expect(rows.map(\.minutesAttended) == [180, 150, 0, 0, 0, 0, 60])
        #expect(rows[2].reason == "snow, roads closed")
        #expect(rows[3].reason == "court date,\nmoved by the judge")
        #expect(rows[0].start == t("18:00") && rows[0].end == t("21:00"))
        #expect(rows[6].end == t("00:30"))   // past midnight
        #expect(rows[3].kind == .individual && rows[3].session == "Check-in, \"brief\"")
    }

    @Test func unmarkedSessionsOfTheRosterAreListed() {
        var doc = document()
        doc.sessions.removeAll { $0.id == "ses_2026-11-09" }   // Nov 9 becomes a computed occurrence with no mark
        let r = AttendanceReport.build(for: doc.patients[0], from: d("2026-11-09"), to: d("2026-11-09"), doc: doc, schedule: ScheduleIndex(doc))
        #expect(r.rows.map(\.status) == ["not marked"])
        #expect(r.totals.unmarked == 1 && r.totals.scheduled == 1)
    }

    @Test func totalsCountWhatCountsAndWeeksCompareWithTheRequirement() {
        let r = report()
        var expected = AttendanceReport.Totals()
        expected.scheduled = 5; expected.scheduledMinutes = 180 + 180 + 60 + 180 + 60
        expected.attended = 3; expected.attendedMinutes = 180 + 150 + 60
        expected.excused = 1; expected.excusedMinutes = 60
        expected.unexcused = 1; expected.unexcusedMinutes = 180
        expected.cancelled = 1          // Nov 5, cancelled beforehand
        expected.didNotTakePlace = 1    // Nov 12, called off
        #expect(r.totals == expected)
        let first = DateRange(d("2026-11-02"), d("2026-11-08")), second = DateRange(d("2026-11-09"), d("2026-11-15"))
        #expect(r.weeks == [
            AttendanceReport.Week(first: first.first, last: first.last, attendedMinutes: 330, requiredMinutes: 540, programWeek: first,
                                  basis: RequirementBasis(days: first, spans: [.init(phase: "Phase I", first: first.first, last: first.last)])),
            AttendanceReport.Week(first: second.first, last: second.last, attendedMinutes: 60, requiredMinutes: 540, programWeek: second,
                                  basis: RequirementBasis(days: second, spans: [.init(phase: "Phase I", first: second.first, last: second.last)])),
        ])
        #expect(r.fullWeeksMet.met == 0 && r.fullWeeksMet.of == 2)
    }

    @Test func aPartialWeekHasAProratedRequirement() {
        let doc = document()
        let r = AttendanceReport.build(for: doc.patients[0], from: d("2026-11-04"), to: d("2026-11-10"), doc: doc, schedule: ScheduleIndex(doc))
        #expect(r.weeks.map(\.first) == [d("2026-11-04"), d("2026-11-09")])
        // Five days of 540/7 is 385.7, two days 154.3.
        #expect(r.weeks.map(\.requiredMinutes) == [386, 154])
        #expect(r.weeks.map(\.isPartial) == [true, true])
        #expect(r.weeks.map(\.note) == ["partial: period starts Wed; Phase I Wed–Sun, 5 of 7 days", "partial: period ends Tue; Phase I Mon–Tue, 2 of 7 days"])
        #expect(r.fullWeeksMet.of == 0)
    }

    @Test func csvReadsBackAsTheRows() throws {
        let r = report()
        let csv = r.csv
        #expect(csv.hasPrefix("date,start,end,session,kind,status,minutes_scheduled,minutes_attended,reason\r\n"))
        let records = try CSVReader.parse(csv)
        #expect(records.first == ["date", "start", "end", "session", "kind", "status", "minutes_scheduled", "minutes_attended", "reason"])
        let expected = r.rows.map { [$0.date.iso, $0.start.description, $0.end.description, $0.session, $0.kind.rawValue, $0.status,
                                     String($0.minutesScheduled), String($0.minutesAttended), $0.reason] }
        #expect(Array(records.dropFirst()) == expected)
    }

    @Test func csvQuotesOnlyWhatNeedsIt() {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a,b") == "\"a,b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        #expect(CSV.field("crlf\r\nhere") == "\"crlf\r\nhere\"")
        #expect(CSV.line(["a", "b c"]) == "a,b c\r\n")
    }

    @Test func htmlEscapesEverythingFromTheDocument() {
        let html = report().html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("Test IOP &lt;East&gt; &amp; &quot;West&quot;"))
        #expect(html.contains("Family &lt;night&gt; &amp; O&#39;Brien&#39;s"))
        #expect(!html.contains("<East>") && !html.contains("O'Brien"))
    }

    @Test func markdownKeepsTablesOnOneLinePerRow() {
        let md = report().markdown
        #expect(md.contains("court date, moved by the judge"))
        #expect(md.contains("Family \\<night\\> & O'Brien's"))
    }

    @Test(arguments: ReportFormat.allCases)
    func eachFormatMatchesItsGoldenFile(_ format: ReportFormat) throws {
        let actual = report().rendered(as: format)
        let problem = try GoldenFile.mismatch(actual, file: Self.goldenFolder.appendingPathComponent("attendance.\(format.rawValue)"))
        #expect(problem == nil, "\(format) report: \(problem ?? "")")
    }

    @Test func weekCensusListsActivePatientsWithTheirHours() {
        var doc = document()
        var gone = TestDocument.minjun
        gone.id = "pat_gone"; gone.mrn = "T-003"; gone.legalName = "Gone"
        gone.status = .discharged(date: d("2026-11-03"), reason: .completed)
        doc.patients.append(gone)
        let census = WeekCensus.build(containing: d("2026-11-04"), doc: doc, schedule: ScheduleIndex(doc))
        #expect(census.week == DateRange(d("2026-11-02"), d("2026-11-08")))
        #expect(census.rows.map(\.mrn) == ["T-001", "T-002"])
        #expect(census.rows[0].progress.attendedMinutes == 330)
        #expect(census.rows[0].progress.requirement.minutes == 540)
        let csv = census.rendered(as: .csv)
        #expect(csv.hasPrefix("name,mrn,phase,minutes_attended,minutes_required,"))
        #expect(csv.contains("\r\nAna María Núñez,T-001,Phase I,330,540,2,3,"))
        #expect(census.rendered(as: .text).contains("Census: 2 active patients"))
    }

    @Test func textTablesLineUpByTerminalCellsWithNamesInAnyScript() throws {
        let census = WeekCensus.build(containing: d("2026-11-04"), doc: document(), schedule: ScheduleIndex(document())).rendered(as: .text)
        let lines = census.split(separator: "\n").map(String.init)
        let ana = try #require(lines.first { $0.hasPrefix("Ana María Núñez") })
        let minjun = try #require(lines.first { $0.hasPrefix("김민준") })
        // "Ana María Núñez" is 15 cells and "김민준" 6 (three wide characters): both MRNs start at cell 17 (15 + two spaces).
        func cellsBefore(_ text: String, _ line: String) -> Int? {
            line.range(of: text).map { TextWidth.of(line[..<$0.lowerBound]) }
        }
        #expect(cellsBefore("T-001", ana) == 17)
        #expect(cellsBefore("T-002", minjun) == 17)
    }
}

/// The golden-file helper reports what differs, line by line, so a failing golden test says what changed.
@Suite struct GoldenFileTests {
    @Test func theLineDiffNumbersTheLinesThatDiffer() {
        let diff = GoldenFile.lineDiff(expected: "a\nb\nc", actual: "a\nB\nc\nd")
        #expect(diff == "   2 - b\n   2 + B\n   4 + d")
    }

    @Test func equalTextIsNoMismatchAndADifferenceNamesTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("golden-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("one\ntwo\n".utf8).write(to: url)
        guard !GoldenFile.updating else { return }  // an update run rewrites instead of comparing
        #expect(try GoldenFile.mismatch("one\ntwo\n", file: url) == nil)
        let problem = try #require(try GoldenFile.mismatch("one\n2\n", file: url))
        #expect(problem.hasPrefix("\(url.lastPathComponent) differs (GOLDEN_UPDATE=1 rewrites it):"))
        #expect(problem.contains("   2 - two\n   2 + 2"))
    }
}
