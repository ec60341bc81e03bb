import CaseloadCore
import Foundation
import GoldenFiles
import Testing

/// CSV cells a spreadsheet would run as a formula are written with a leading single quote (OWASP "CSV Injection").
@Suite struct CSVInjectionTests {
    let d = TestDocument.date
    let t = TestDocument.time

    @Test(arguments: ["=", "+", "-", "@", "\t"])
    func aCellBeginningWithATriggerGetsALeadingQuote(_ trigger: String) {
        #expect(CSV.field(trigger + "1") == "'" + trigger + "1")
        #expect(CSV.field(trigger) == "'" + trigger)
    }

    @Test func aCellBeginningWithACarriageReturnIsNeutralisedAndQuoted() {
        // The quote goes first, then RFC 4180 quoting because the cell holds a line break.
        #expect(CSV.field("\rcmd") == "\"'\rcmd\"")
        // "\r\n" is a single Swift character, but it still begins with a carriage return.
        #expect(CSV.field("\r\ncmd") == "\"'\r\ncmd\"")
    }

    @Test func formulaLikeTitlesAreNeutralisedThenQuotedAsNeeded() {
        #expect(CSV.field("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(CSV.field("+1,2") == "\"'+1,2\"")
        #expect(CSV.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSV.field("-2+3") == "'-2+3")
    }

    @Test func otherCellsAreUnchanged() {
        // A trigger anywhere but first, a leading space, numbers, dates and times: as they were.
        for cell in ["a=b", "IOP-A", " =1", "180", "0", "2026-11-02", "18:00", "", "'quoted", "late 30 min"] {
            #expect(CSV.field(cell) == cell, "\(cell)")
        }
    }

    /// One-off sessions for Ana whose titles and excuse look like formulas.
    func document() -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.series = []
        func oneOff(_ id: SessionID, _ date: String, _ title: String, _ mark: AttendanceStatus) -> Session {
            var s = Session(id: id, date: d(date), start: t("10:00"), durationMinutes: 60, title: title, kind: .individual, added: ["pat_ana"])
            s.mark("pat_ana", mark)
            return s
        }
        doc.sessions = [
            oneOff("ses_1", "2026-11-02", "=HYPERLINK(\"http://x\",\"y\")", .present),
            oneOff("ses_2", "2026-11-03", "+1,2", .late(minutesLate: 15)),
            oneOff("ses_3", "2026-11-04", "@SUM(A1)", .excused(reason: "-2+3")),
            oneOff("ses_4", "2026-11-05", "\tTab first", .excused(reason: "\rCR first")),
        ]
        return doc
    }

    func report() -> AttendanceReport {
        let doc = document()
        return AttendanceReport.build(for: doc.patients[0], from: d("2026-11-02"), to: d("2026-11-08"), doc: doc, schedule: ScheduleIndex(doc))
    }

    @Test func theReportReadsBackWithEveryFormulaCellStartingWithAQuote() throws {
        let records = try CSVReader.parse(report().csv)
        #expect(records.count == 5)
        let body = Array(records.dropFirst())
        #expect(body.map { $0[3] } == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1,2", "'@SUM(A1)", "'\tTab first"])
        #expect(body.map { $0[8] } == ["", "", "'-2+3", "'\rCR first"])
        // Numbers and the other cells are untouched: 60 min each; late 15 min gives 45.
        #expect(body.map { $0[6] } == ["60", "60", "60", "60"])
        #expect(body.map { $0[7] } == ["60", "45", "0", "0"])
        #expect(body[0][0] == "2026-11-02" && body[0][1] == "10:00" && body[0][2] == "11:00")
    }

    @Test func theWeekCensusNeutralisesANameToo() throws {
        var doc = TestDocument.document()
        doc.patients[1].legalName = "=cmd|' /C calc'!A0"
        let census = WeekCensus.build(containing: d("2026-11-04"), doc: doc, schedule: ScheduleIndex(doc))
        let records = try CSVReader.parse(census.rendered(as: .csv))
        #expect(records.dropFirst().map { $0[0] }.contains("'=cmd|' /C calc'!A0"))
        #expect(records.dropFirst().map { $0[1] }.sorted() == ["T-001", "T-002"])
    }

    @Test func theFormulaReportMatchesItsGoldenFile() throws {
        let actual = report().csv
        let problem = try GoldenFile.mismatch(actual, file: AttendanceReportTests.goldenFolder.appendingPathComponent("attendance-formula.csv"))
        #expect(problem == nil, "\(problem ?? "")")
    }
}
