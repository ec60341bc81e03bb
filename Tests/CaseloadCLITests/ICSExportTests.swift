import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// `caseload export ics` on a demo program, checked by an independent parser (Python's icalendar, run by
/// Fixtures/ics_occurrences.py) against Caseload's own schedule for the same range.
@Suite(.serialized) struct ICSExportTests {
    let scratch = Scratch()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ics_occurrences.py").path

    /// Runs the checker; records a failure (not a skip) when python3 or icalendar is missing.
    func parsedOccurrences(_ ics: String, _ range: DateRange) throws -> [String]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, ics, range.first.iso, range.last.iso]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do {
            try process.run()
        } catch {
            Issue.record("cannot run python3 (\(error)): run .ci/run, which installs what the tests need")
            return nil
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = String(decoding: errData, as: UTF8.self)
        if process.terminationStatus == 127 || process.terminationStatus == 3 {
            Issue.record("python3 or its icalendar package is missing: run .ci/run, which installs them. \(stderr)")
            return nil
        }
        guard process.terminationStatus == 0 else {
            Issue.record("the iCalendar checker rejected the file (status \(process.terminationStatus)): \(stderr)")
            return nil
        }
        return String(decoding: outData, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// What Caseload itself schedules in `range`: sessions that take place, as `YYYY-MM-DDTHH:MM,title`, sorted.
    func caseloadOccurrences(_ document: String, _ range: DateRange, staff: StaffID? = nil) throws -> [String] {
        let doc = try DocumentCodec.decode(try AtomicFile.read(document), path: document).document
        return ScheduleIndex(doc).sessions(in: range)
            .map(\.session)
            .filter { session in session.status.countsForAttendance && (staff.map { session.facilitator == $0 } ?? true) }
            // Individual and family sessions go out by kind, never by a title that may name the patient (issue 12).
            .map { "\($0.date.iso)T\($0.start),\($0.kind == .group ? $0.title : $0.kind == .individual ? "Individual session" : "Family session")" }
            .sorted()
    }

    /// Equal lists, or a failure naming only the lines that differ.
    func expectSame(_ parsed: [String]?, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let parsed else { return }
        let missing = expected.filter { !parsed.contains($0) }, extra = parsed.filter { !expected.contains($0) }
        #expect(missing.isEmpty && extra.isEmpty && parsed == expected,
                "missing from the .ics: \(missing.prefix(10)); only in the .ics: \(extra.prefix(10))", sourceLocation: sourceLocation)
    }

    func demo() throws -> String {
        let path = scratch.file("demo.json")
        let result = try CaseloadBinary.run(["demo", "--out", path, "--seed", "2"])
        try #require(result.status == 0, "\(result.stderr)")
        return path
    }

    func date(_ text: String) throws -> LocalDate { try #require(LocalDate(iso: text)) }

    @Test func rangeExportMatchesCaseloadsOwnSchedule() throws {
        let doc = try demo()
        let ics = scratch.file("range.ics")
        // CASELOAD_NOW is 2026-11-30: four weeks back (history with held and cancelled sessions), five weeks on.
        let result = try CaseloadBinary.run(["export", "ics", "--file", doc, "--from", "-4w", "--to", "+5w", "--out", ics])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let range = DateRange(try date("2026-11-02"), try date("2027-01-04"))
        let expected = try caseloadOccurrences(doc, range)
        #expect(expected.count > 50)
        let parsed = try parsedOccurrences(ics, range)
        expectSame(parsed, expected)
        // A wider window finds nothing outside the exported range.
        let wider = DateRange(try date("2026-09-01"), try date("2027-03-01"))
        expectSame(try parsedOccurrences(ics, wider), expected)
    }

    @Test func wholeExportMatchesAcrossDaylightSavingAndCancellations() throws {
        let doc = try demo()
        let ics = scratch.file("all.ics")
        let result = try CaseloadBinary.run(["export", "ics", "--file", doc, "--out", ics])
        try #require(result.status == 0, "\(result.stderr)")
        // From the demo's history, across fall back (2026-11-01) and spring forward (2027-03-14).
        let range = DateRange(try date("2026-08-01"), try date("2027-04-30"))
        let expected = try caseloadOccurrences(doc, range)
        #expect(expected.count > 100)
        let parsed = try parsedOccurrences(ics, range)
        expectSame(parsed, expected)
        let raw = try String(contentsOfFile: ics, encoding: .utf8)
        #expect(raw.contains("EXDATE;TZID=America/Chicago:"), "the demo's cancellations are EXDATEs")
    }

    @Test func staffExportHoldsOnlyTheirSessionsAndNoPatientData() throws {
        let doc = try demo()
        let document = try DocumentCodec.decode(try AtomicFile.read(doc), path: doc).document
        let member = try #require(document.staff.first { s in document.series.contains { $0.facilitator == s.id } })
        let result = try CaseloadBinary.run(["export", "ics", "--file", doc, "--staff", member.login, "--from", "2026-11-30", "--to", "2026-12-20"])
        try #require(result.status == 0, "\(result.stderr)")
        let ics = scratch.file("staff.ics")
        try Data(result.stdout.utf8).write(to: URL(fileURLWithPath: ics))
        let range = DateRange(try date("2026-11-30"), try date("2026-12-20"))
        let expected = try caseloadOccurrences(doc, range, staff: member.id)
        #expect(!expected.isEmpty)
        #expect(expected.count < (try caseloadOccurrences(doc, range)).count)
        expectSame(try parsedOccurrences(ics, range), expected)

        let all = try CaseloadBinary.run(["export", "ics", "--file", doc])
        let unfolded = all.stdout.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded.contains("BEGIN:VEVENT"))
        for patient in document.patients {
            for value in [patient.legalName, patient.mrn] + (patient.preferredName.map { [$0] } ?? []) where value.count > 2 {
                #expect(!unfolded.contains(value), "patient data in the export: \(value)")
            }
        }
    }

    @Test func badInputFailsWithAMessage() throws {
        let doc = try demo()
        let unknown = try CaseloadBinary.run(["export", "ics", "--file", doc, "--staff", "nobody"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("nobody"))
        let badDate = try CaseloadBinary.run(["export", "ics", "--file", doc, "--from", "someday"])
        #expect(badDate.status != 0)
        #expect(badDate.stderr.contains("someday"))
        let backwards = try CaseloadBinary.run(["export", "ics", "--file", doc, "--from", "2026-12-10", "--to", "2026-12-01"])
        #expect(backwards.status != 0)
        #expect(backwards.stderr.contains("before"))
        let missing = try CaseloadBinary.run(["export", "ics", "--file", scratch.file("nope.json")])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no such file"))
        let out = scratch.file("x.ics")
        let folder = try CaseloadBinary.run(["export", "ics", "--file", doc, "--out", scratch.file("no/such/folder/x.ics")])
        #expect(folder.status != 0)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
