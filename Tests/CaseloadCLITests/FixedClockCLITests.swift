import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Finding 5 of issue 12, staged as reported: `CASELOAD_NOW` set to the day before a consent was revoked made the letter
/// anyway and logged it with the fake date. The view clock may still be fixed; the consent, the letter's date and the
/// disclosure follow the record clock.
///
/// The test seam: a debug build (what `swift test` runs) fixes the record clock with `CASELOAD_TEST_RECORD_NOW`, else
/// with `CASELOAD_NOW`, so the other CLI tests, which set only `CASELOAD_NOW`, keep one fixed day. A release build has
/// no seam: its record clock is the system's, whatever the environment says. Here the two are set apart, as a user's
/// fixed `CASELOAD_NOW` and the real day are apart.
@Suite(.serialized) struct FixedClockCLITests {
    let scratch = Scratch()
    /// The demo patient on probation with a consent to the officer (seed 1), as in ReportCLITests.
    static let mrn = ReportCLITests.mrn

    func demo() throws -> String {
        let path = scratch.file("demo.json")
        let result = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    func revokeConsent(_ path: String, on day: String) throws {
        var doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let i = try #require(doc.patients.firstIndex { $0.mrn == Self.mrn })
        doc.patients[i].consents[0].irrevocableUntil = nil
        doc.patients[i].consents[0].revoked = LocalDate(iso: day)
        try AtomicFile.write(try DocumentCodec.encode(doc), to: path)
    }

    /// `report attendance` with the view clock on 30 November (the CLI tests' CASELOAD_NOW) and the record clock on `record`.
    func letter(_ path: String, record: String, format: String = "text") throws -> CaseloadBinary.Result {
        try CaseloadBinary.run(["report", "attendance", "--file", path, "--patient", Self.mrn, "--from", "-4w", "--to", "today",
                                "--letter", "--as", "dreyes", "--format", format],
                               environment: ["CASELOAD_TEST_RECORD_NOW": record])
    }

    @Test func aFixedClockBeforeARevocationMakesNoLetterAndTheDocumentIsUntouched() throws {
        let path = try demo()
        try revokeConsent(path, on: "2026-12-01")
        let before = FileManager.default.contents(atPath: path)
        let result = try letter(path, record: "2026-12-02T09:00")
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("revoked the consent naming this recipient on 2026-12-01"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func aLetterIsDatedAndLoggedOnTheRecordDayAndSaysTheClockIsFixed() throws {
        let path = try demo()
        let result = try letter(path, record: "2026-12-02T09:00")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Note: clock fixed at 2026-11-30 18:05 (CASELOAD_NOW)"), "\(result.stdout.prefix(200))")
        #expect(result.stdout.contains("Date: 2026-12-02\n"))
        #expect(result.stderr.contains("logged as a disclosure to ") && result.stderr.contains(" on 2026-12-02 (dis_1)"), "\(result.stderr)")
        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(doc.patient(mrn: Self.mrn)?.disclosures.map(\.date) == [try #require(LocalDate(iso: "2026-12-02"))])
        // The period still counts from the fixed view day: -4w to today is 2 to 30 November.
        #expect(doc.patient(mrn: Self.mrn)?.disclosures.first?.to == LocalDate(iso: "2026-11-30"))
    }

    @Test func reportsSayTheClockIsFixedInTheirHeaderAndCSVSaysItOnStandardError() throws {
        let path = try demo()
        let week = try CaseloadBinary.run(["report", "week", "--file", path])
        #expect(week.status == 0, "\(week.stderr)")
        #expect(week.stdout.hasPrefix("Note: clock fixed at 2026-11-30 18:05 (CASELOAD_NOW)"))
        let html = try CaseloadBinary.run(["report", "attendance", "--file", path, "--patient", Self.mrn, "--from", "-4w", "--to", "today", "--format", "html"])
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(html.stdout.contains("<body>\n<p class=\"clock\"><strong>Note: clock fixed at 2026-11-30 18:05"))
        let csv = try CaseloadBinary.run(["report", "week", "--file", path, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("name,mrn,phase,"))
        #expect(csv.stderr.contains("clock fixed at 2026-11-30 18:05"))
        // Without CASELOAD_NOW nothing is said.
        let real = try CaseloadBinary.run(["report", "week", "--file", path], environment: ["CASELOAD_NOW": ""])
        #expect(real.status == 0, "\(real.stderr)")
        #expect(!real.stdout.contains("clock fixed") && !real.stderr.contains("clock fixed"))
    }
}
