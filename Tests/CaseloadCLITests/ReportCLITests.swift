import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// `caseload report` as a user runs it, on a demo document at the fixed clock (2026-11-30).
@Suite(.serialized) struct ReportCLITests {
    let scratch = Scratch()
    /// A demo patient on probation with one consent, to the officer, valid until 2027-10-15 (seed 1).
    static let mrn = "RV-10015"
    static let notice = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."

    func demo() throws -> String {
        let path = scratch.file("demo.json")
        let result = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    /// Rewrites the demo patient's consents through the codec.
    func editConsents(_ path: String, _ change: (inout [Consent]) -> Void) throws {
        var doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let i = try #require(doc.patients.firstIndex { $0.mrn == Self.mrn })
        change(&doc.patients[i].consents)
        try AtomicFile.write(try DocumentCodec.encode(doc), to: path)
    }

    func disclosures(_ path: String) throws -> [Disclosure] {
        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        return try #require(doc.patient(mrn: Self.mrn)).disclosures
    }

    func attendance(_ path: String, _ extra: [String]) throws -> CaseloadBinary.Result {
        try CaseloadBinary.run(["report", "attendance", "--file", path, "--patient", Self.mrn, "--from", "-4w", "--to", "today"] + extra)
    }

    @Test func eachFormatOnStandardOutput() throws {
        let path = try demo()
        let text = try attendance(path, [])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("Period: 2026-11-02 to 2026-11-30"))
        #expect(text.stdout.contains("Hours per week"))
        let csv = try attendance(path, ["--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("date,start,end,session,kind,status,minutes_scheduled,minutes_attended,reason\r\n2026-11-"))
        let md = try attendance(path, ["--format", "md"])
        #expect(md.stdout.contains("| Date | Time | Session |"))
        let html = try attendance(path, ["--format", "html"])
        #expect(html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.contains("</html>"))
        let bad = try attendance(path, ["--format", "pdf"])
        #expect(bad.status != 0)
    }

    @Test func outWritesAPrivateFile() throws {
        let path = try demo()
        let out = scratch.file("report.csv")
        let result = try attendance(path, ["--format", "csv", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(fileMode(out) == 0o600)
        #expect(String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self).hasPrefix("date,start,"))
    }

    @Test func badDatesAndPatientsAreRefused() throws {
        let path = try demo()
        let noPatient = try CaseloadBinary.run(["report", "attendance", "--file", path, "--patient", "nobody", "--from", "mon", "--to", "today"])
        #expect(noPatient.status == 1)
        #expect(noPatient.stderr.contains("no patient"))
        let badDate = try CaseloadBinary.run(["report", "attendance", "--file", path, "--patient", Self.mrn, "--from", "soon", "--to", "today"])
        #expect(badDate.status == 1)
        #expect(badDate.stderr.contains("not a date"))
    }

    @Test func weekReportListsTheCensus() throws {
        let path = try demo()
        let text = try CaseloadBinary.run(["report", "week", "--file", path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("week of 2026-11-30 to 2026-12-06"))
        #expect(text.stdout.contains("Census: 30 active patients"))
        let csv = try CaseloadBinary.run(["report", "week", "--file", path, "--date", "2026-11-20", "--format", "csv"])
        #expect(csv.stdout.hasPrefix("name,mrn,phase,minutes_attended,minutes_required,"))
        #expect(csv.stdout.components(separatedBy: "\r\n").count == 32)   // header, 30 rows, and the empty tail
        let md = try CaseloadBinary.run(["report", "week", "--file", path, "--format", "md"])
        #expect(md.stdout.contains("| Name | MRN | Phase |"))
    }

    /// The letter is refused with status 3, a reason on stderr, and the document byte-identical.
    func expectRefused(_ path: String, _ reason: String, extra: [String] = []) throws {
        let before = FileManager.default.contents(atPath: path)
        let result = try attendance(path, ["--letter", "--as", "dreyes"] + extra)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains(reason), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func theLetterIsRefusedWithoutAConsent() throws {
        let path = try demo()
        try editConsents(path) { $0 = [] }
        try expectRefused(path, "no consent")
    }

    @Test func theLetterIsRefusedWithAnExpiredConsent() throws {
        let path = try demo()
        try editConsents(path) { $0[0].expires = LocalDate(iso: "2026-11-15") }
        try expectRefused(path, "expired on 2026-11-15")
    }

    @Test func theLetterIsRefusedWithARevokedConsent() throws {
        let path = try demo()
        try editConsents(path) { $0[0].irrevocableUntil = nil; $0[0].revoked = LocalDate(iso: "2026-11-20") }
        try expectRefused(path, "revoked")
    }

    @Test func theLetterIsRefusedWhenTheConsentNamesSomeoneElse() throws {
        let path = try demo()
        try editConsents(path) { $0[0].recipient = "Dr. L. Brennan (primary care)" }
        try expectRefused(path, "Dr. L. Brennan")
        let path2 = scratch.file("second.json")
        _ = try CaseloadBinary.run(["demo", "--out", path2, "--seed", "1"])
        try expectRefused(path2, "no consent names", extra: ["--recipient", "Superior Court"])
    }

    @Test func aLetterWithAValidConsentCarriesTheNoticeAndIsLogged() throws {
        let path = try demo()
        #expect(try disclosures(path).isEmpty)
        let result = try attendance(path, ["--letter", "--as", "dreyes"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Officer R. Castillo"))
        #expect(result.stdout.contains("Dana Reyes, LCSW, LCADC"))
        #expect(result.stdout.contains(Self.notice))
        let log = try disclosures(path)
        #expect(log.count == 1)
        #expect(log.first?.from == LocalDate(iso: "2026-11-02") && log.first?.to == LocalDate(iso: "2026-11-30"))
        #expect(log.first?.by == StaffID("stf_01"))
        #expect(fileMode(path) == 0o600)
        // A second letter, to a file as HTML, adds a second entry.
        let out = scratch.file("letter.html")
        let again = try attendance(path, ["--letter", "--as", "dreyes", "--format", "html", "--out", out])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self).contains(Self.notice))
        #expect(try disclosures(path).count == 2)
    }

    @Test func aLetterNeedsAKnownSigner() throws {
        let path = try demo()
        let before = FileManager.default.contents(atPath: path)
        let result = try attendance(path, ["--letter", "--as", "nobody"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--as"))
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func aLetterIsRefusedWhileTheAppHoldsTheFile() throws {
        let path = try demo()
        let (store, _) = try DocumentStore.open(path)   // stands in for a running Caseload: it holds the lock
        defer { store.close() }
        let before = FileManager.default.contents(atPath: path)
        let result = try attendance(path, ["--letter", "--as", "dreyes"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("no letter"))
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.contents(atPath: path) == before)
    }
}
