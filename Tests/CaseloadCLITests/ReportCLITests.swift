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

    /// Words separated by single spaces: a text letter wraps its prose at 78 columns, so the notice is compared by its words.
    static func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

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
        #expect(Self.words(result.stdout).contains(Self.notice))
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 110 }, "a text letter prints at 80 columns (tables aside)")
        let log = try disclosures(path)
        #expect(log.count == 1)
        #expect(log.first?.from == LocalDate(iso: "2026-11-02") && log.first?.to == LocalDate(iso: "2026-11-30"))
        #expect(log.first?.by == StaffID("stf_01"))
        #expect(fileMode(path) == 0o600)
        // A second letter, to a file as HTML, adds a second entry.
        let out = scratch.file("letter.html")
        let again = try attendance(path, ["--letter", "--as", "dreyes", "--format", "html", "--out", out])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(Self.words(String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self)).contains(Self.notice))
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

    @Test func aLetterWhileTheAppHasTheFileOpenIsSavedBesideIt() throws {
        let path = try demo()
        let (store, opened) = try DocumentStore.open(path)   // stands in for a running Caseload (issue 18: both write)
        defer { store.close() }
        let result = try attendance(path, ["--letter", "--as", "dreyes"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("logged as a disclosure"))
        // The running instance takes the letter's disclosure in at its next look, and keeps it through its own saves.
        let change = try #require(try store.pickUpChanges())
        let disclosures = { (doc: CaseloadDocument) in doc.patients.reduce(0) { $0 + $1.disclosures.count } }
        #expect(disclosures(change.document) == disclosures(opened) + 1)
        var mine = opened
        mine.program.name = "Renamed meanwhile"
        try store.save(mine, base: opened)
        let onDisk = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(disclosures(onDisk) == disclosures(opened) + 1 && onDisk.program.name == "Renamed meanwhile")
    }

    // MARK: CSV formula injection, the letter's trace, where reports go

    /// Rewrites the document's patients through the codec.
    func editDocument(_ path: String, _ change: (inout CaseloadDocument) throws -> Void) throws {
        var doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        try change(&doc)
        try AtomicFile.write(try DocumentCodec.encode(doc), to: path)
    }

    /// Runs `python3 -c script args…` and returns its standard output.
    func python(_ script: String, _ args: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(String(decoding: errors, as: UTF8.self))")
        return String(decoding: data, as: UTF8.self)
    }

    @Test func formulaLikeTitlesReadBackByPythonsCSVModuleStartWithAQuote() throws {
        let path = try demo()
        let titles = ["=HYPERLINK(\"http://x\",\"y\")", "+1,2", "@SUM(A1)", "-2+3"]
        try editDocument(path) { doc in
            let id = try #require(doc.patient(mrn: Self.mrn)).id
            for (n, title) in titles.enumerated() {
                var s = Session(id: SessionID("ses_formula_\(n)"), date: try #require(LocalDate(iso: "2026-11-1\(n)")),
                                start: LocalTime(clamping: 7 * 60), durationMinutes: 30, title: title, kind: .individual, added: [id])
                s.mark(id, .present)
                doc.sessions.append(s)
            }
        }
        let out = scratch.file("report.csv")
        let result = try attendance(path, ["--format", "csv", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let script = "import csv,sys,json; rows=list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8'))); print(json.dumps([[len(r), r[3]] for r in rows]))"
        let json = try python(script, [out])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]])
        #expect(rows.allSatisfy { ($0.first as? Int) == 9 })
        let sessions = rows.compactMap { $0.last as? String }
        for title in titles {
            #expect(sessions.contains("'" + title), "\(title) in \(sessions)")
            #expect(!sessions.contains(title))
        }
        #expect(sessions.allSatisfy { !"=+-@\t\r".contains($0.first ?? " ") })
    }

    @Test func aLetterSaysOnStandardErrorWhereItWasLogged() throws {
        let path = try demo()
        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let recipient = try #require(doc.patient(mrn: Self.mrn)?.consents.first?.recipient)
        let first = try attendance(path, ["--letter", "--as", "dreyes"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr == "logged as a disclosure to \(recipient) on 2026-11-30 (dis_1) in \(path)\n")
        #expect(!first.stdout.contains("logged as a disclosure"))
        let second = try attendance(path, ["--letter", "--as", "dreyes", "--format", "md", "--out", scratch.file("letter.md")])
        #expect(second.stderr == "logged as a disclosure to \(recipient) on 2026-11-30 (dis_2) in \(path)\n")
        #expect(try disclosures(path).map(\.id.rawValue) == ["dis_1", "dis_2"])
    }

    /// Three patients named so that a name finds one, a part finds one, and a part matches all three.
    func namedPatients(_ path: String) throws -> [Patient] {
        var named: [Patient] = []
        try editDocument(path) { doc in
            #expect(!doc.patients.contains { PatientSearch.fold($0.legalName + " " + ($0.preferredName ?? "")).contains("ysolde") })
            for (n, name) in ["Ysolde Ferréira-Kwan", "Ysolde Kwan", "Ysolde Kwan Oduya"].enumerated() {
                doc.patients[n].legalName = name
                doc.patients[n].preferredName = n == 2 ? "Solly" : nil
                named.append(doc.patients[n])
            }
        }
        return named
    }

    func reportFor(_ path: String, _ key: String) throws -> CaseloadBinary.Result {
        try CaseloadBinary.run(["report", "attendance", "--file", path, "--patient", key, "--from", "mon", "--to", "today"])
    }

    @Test func patientTakesAnMRNInAnyCaseAnIDOrAName() throws {
        let path = try demo()
        let named = try namedPatients(path)
        let (ferreira, kwan, oduya) = (named[0], named[1], named[2])
        func found(_ key: String) throws -> String? {
            let result = try reportFor(path, key)
            #expect(result.status == 0, "\(key): \(result.stderr)")
            return named.first { result.stdout.contains("(MRN \($0.mrn))") }?.legalName
        }
        let lower = try reportFor(path, Self.mrn.lowercased())
        #expect(lower.status == 0 && lower.stdout.contains("(MRN \(Self.mrn))"), "\(lower.stderr)")
        #expect(try found(kwan.id.rawValue) == kwan.legalName)
        #expect(try found("ysolde ferreira-kwan") == ferreira.legalName)   // whole name, without case or accents
        #expect(try found("FERREIRA") == ferreira.legalName)               // a part only one name has
        #expect(try found("ysolde kwan") == kwan.legalName)                // a whole name wins over the names it is part of
        #expect(try found("solly") == oduya.legalName)                     // the preferred name
        #expect(try found("kwan oduya") == oduya.legalName)
    }

    @Test func aNameSeveralPatientsShareListsThemByMRN() throws {
        let path = try demo()
        let named = try namedPatients(path)
        let result = try reportFor(path, "ysolde")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("3 patients match \"ysolde\"; give the MRN"))
        for p in named {
            #expect(result.stderr.contains("\n  \(p.mrn)  \(p.legalName)"), "\(p.mrn) in \(result.stderr)")
        }
        #expect(result.stderr.contains("(Solly)"))
        let none = try reportFor(path, "Nobody Atall")
        #expect(none.status == 1 && none.stderr.contains("no patient has the MRN, ID or name \"Nobody Atall\""))
    }

    @Test func outNamingAFolderOrNothingIsRefusedAndChangesNothing() throws {
        let path = try demo()
        let before = FileManager.default.contents(atPath: path)
        let folder = scratch.file("reports")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for extra in [[], ["--letter", "--as", "dreyes"]] {
            let toFolder = try attendance(path, ["--out", folder] + extra)
            #expect(toFolder.status == 1)
            #expect(toFolder.stderr == "caseload: --out \"\(folder)\" is a folder; give a file name\n")
            #expect(toFolder.stdout.isEmpty)
            let empty = try attendance(path, ["--out", ""] + extra)
            #expect(empty.status == 1)
            #expect(empty.stderr == "caseload: --out needs a file name\n")
            #expect(empty.stdout.isEmpty)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        #expect(FileManager.default.contents(atPath: path) == before)   // no disclosure logged
    }
}
