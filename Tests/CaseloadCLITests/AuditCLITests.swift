import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// `caseload audit PATH verify | show` and the entries the command-line tools write (issue 17), on a demo at the fixed
/// clock. The record clock (what entries are stamped with) is 2026-11-30T18:05 America/Chicago = 2026-12-01T00:05:00Z.
@Suite(.serialized) struct AuditCLITests {
    let scratch = Scratch()
    /// A demo patient with a consent to their probation officer (seed 1), and another demo patient.
    static let mrn = "RV-10015"
    static let env = ["CASELOAD_TEST_SCRYPT_N": "1024", "TZ": "America/Chicago"]

    func run(_ arguments: [String], _ extra: [String: String] = [:]) throws -> CaseloadBinary.Result {
        try CaseloadBinary.run(arguments, environment: Self.env.merging(["XDG_STATE_HOME": scratch.file("state")]) { $1 }.merging(extra) { $1 })
    }

    func demo(encrypt: Bool = false) throws -> String {
        let path = scratch.file("demo.json")
        // An empty trail: these tests count the entries they make (DemoTrailCLITests checks the demo's own trail).
        let made = try run(["demo", "--out", path, "--seed", "1", "--trail-days", "0"] + (encrypt ? ["--encrypt"] : []))
        #expect(made.status == 0, "\(made.stderr)")
        return path
    }

    /// A private passphrase file for a demo staff member (their login and "-demo").
    func passphrase(_ login: String) throws -> String {
        let path = scratch.file("\(login).pass")
        try Data("\(login)-demo\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        return path
    }

    func attendance(_ path: String, mrn: String = Self.mrn, _ extra: [String] = [], env: [String: String] = [:]) throws -> CaseloadBinary.Result {
        try run(["report", "attendance", "--file", path, "--patient", mrn, "--from", "-4w", "--to", "today"] + extra, env)
    }

    func trailLines(_ path: String) -> [String] {
        let text = String(decoding: FileManager.default.contents(atPath: path + ".audit") ?? Data(), as: UTF8.self)
        if text.isEmpty { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast(text.hasSuffix("\n") ? 1 : 0).map { $0 }
    }

    func writeTrail(_ path: String, _ lines: [String], torn: String? = nil) throws {
        let text = lines.map { $0 + "\n" }.joined() + (torn ?? "")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path + ".audit"))
    }

    func patientID(_ path: String, mrn: String = Self.mrn) throws -> String {
        try #require(try DocumentStore.read(path).document.patients.first { $0.mrn == mrn }).id.rawValue
    }

    /// The CSV rows of `audit show` (without the header), split into fields on commas (none of these hold one).
    func shown(_ path: String, _ options: [String] = [], env: [String: String] = [:]) throws -> [[String]] {
        let result = try run(["audit", path, "show", "--format", "csv"] + options, env)
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.first == "sequence,time_utc,who,identity,action,ids")
        return rows.dropFirst().map { $0.components(separatedBy: ",") }
    }

    /// Four disclosures by the CLI: a text report, a week census, a calendar export, a letter (in that order).
    func fourActions(_ path: String) throws {
        #expect(try attendance(path).status == 0)
        #expect(try run(["report", "week", "--file", path]).status == 0)
        #expect(try run(["export", "ics", "--file", path, "--out", scratch.file("cal.ics")]).status == 0)
        let letter = try attendance(path, ["--letter"])
        #expect(letter.status == 0, "\(letter.stderr)")
    }

    // MARK: verify

    @Test func verifyPassesAfterCLIActionsAndCountsThem() throws {
        let path = try demo()
        let before = trailLines(path).count
        try fourActions(path)
        let result = try run(["audit", path, "verify"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(path).audit: \(before + 4) entries, chain intact, through 2026-11-30 18:05"), "\(result.stdout)")
        let rows = try shown(path)
        let id = try patientID(path)
        #expect(rows.suffix(4).map { $0[4] } == ["report", "report", "export", "letter"])
        #expect(rows.suffix(4).allSatisfy { $0[1] == "2026-12-01T00:05:00Z" && $0[2] == "dreyes" && $0[3] == "account" })
        #expect(rows.last?[5].hasPrefix("report:letter patient:\(id) period:2026-11-02..2026-11-30 consent:") == true)
        #expect(rows.last?[5].hasSuffix(" format:text") == true)
        // Reading the trail wrote nothing to it.
        #expect(trailLines(path).count == before + 4)
    }

    @Test func aSedEditOfOneByteInLineKIsNamed() throws {
        let path = try demo()
        try fourActions(path)
        let lines = trailLines(path)
        let k = lines.count - 2
        // One byte of line K, changed with sed as someone covering their tracks would.
        let sed = Process()
        sed.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sed.arguments = ["sed", "-i", "\(k)s/\tdreyes\t/\tdreyez\t/", path + ".audit"]
        try sed.run()
        sed.waitUntilExit()
        #expect(sed.terminationStatus == 0)
        let edited = trailLines(path)
        #expect(edited[k - 1] == lines[k - 1].replacingOccurrences(of: "\tdreyes\t", with: "\tdreyez\t") && edited[k - 1] != lines[k - 1])
        #expect(edited.count == lines.count)
        let result = try run(["audit", path, "verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("entry \(k) was changed after it was written"), "\(result.stderr)")
        #expect(result.stderr.contains("line \(k) of \(path).audit"))
    }

    @Test func aDeletedLineAndTwoSwappedLinesAreNamed() throws {
        let path = try demo()
        try fourActions(path)
        let lines = trailLines(path)
        let n = lines.count
        var deleted = lines
        deleted.remove(at: n - 3)   // entry n-2 gone: line n-2 now holds entry n-1
        try writeTrail(path, deleted)
        let gone = try run(["audit", path, "verify"])
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("entry \(n - 2) is number \(n - 1) where \(n - 2) belongs: entries were removed or reordered"), "\(gone.stderr)")
        #expect(gone.stderr.contains("line \(n - 2) of"))

        var swapped = lines
        swapped.swapAt(n - 2, n - 1)
        try writeTrail(path, swapped)
        let moved = try run(["audit", path, "verify"])
        #expect(moved.status == 1)
        #expect(moved.stderr.contains("entry \(n - 1) is number \(n) where \(n - 1) belongs"), "\(moved.stderr)")
    }

    /// The document records the trail's length at each save (here the store's, as the app saves).
    func savedWithEntries(_ path: String, _ count: Int) throws {
        let (store, document) = try DocumentStore.open(path)
        let log = try #require(store.openAuditLog(as: Operator(login: "mbell", identity: .account)))
        for i in 0..<count { log.record(AuditEvent(AuditAction.recordOpen, ["patient:p\(i)"])) }
        // A document without trail keys: its first save records them, and the entries wait for the next.
        let startsTheTrail = store.auditSealNeedsSaving
        try store.save(document)
        if startsTheTrail { try store.save(document) }
        store.close()
    }

    @Test func cuttingTheLastTenEntriesIsDetected() throws {
        let path = try demo()
        let before = trailLines(path).count
        try savedWithEntries(path, 12)
        #expect(try run(["audit", path, "verify"]).status == 0)
        let lines = trailLines(path)
        #expect(lines.count == before + 12)
        try writeTrail(path, Array(lines.dropLast(10)))
        let result = try run(["audit", path, "verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the trail ends after \(before + 2) entries, but the document recorded \(before + 12) at its last save"), "\(result.stderr)")
        // A missing trail is the same cut, to nothing.
        try FileManager.default.removeItem(atPath: path + ".audit")
        let missing = try run(["audit", path, "verify"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("the trail ends after 0 entries, but the document recorded \(before + 12)"), "\(missing.stderr)")
    }

    @Test func aGapTheTrailRecordedFailsVerifyNamingItsLine() throws {
        let path = try demo()
        let before = trailLines(path).count
        try savedWithEntries(path, 12)
        try writeTrail(path, Array(trailLines(path).dropLast(10)))
        // The next save finds the trail short, records the gap, and records the new length.
        try savedWithEntries(path, 1)
        let result = try run(["audit", path, "verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("entry \(before + 3) (line \(before + 3) of \(path).audit) records a gap: the trail held \(before + 2) entries where the document recorded \(before + 12)"), "\(result.stderr)")
    }

    @Test func aTornLastLineIsReportedThenCutOffAndNoted() throws {
        let path = try demo()
        try fourActions(path)
        let lines = trailLines(path)
        try writeTrail(path, lines, torn: "\(lines.count + 1)\t2026-12-01T00:0")
        let torn = try run(["audit", path, "verify"])
        #expect(torn.status == 1)
        #expect(torn.stderr.contains("entry \(lines.count + 1) was cut off while being written (no line end) (line \(lines.count + 1) of"), "\(torn.stderr)")
        // The next entry written cuts it off and records that; verify then passes with a note.
        #expect(try attendance(path).status == 0)
        let after = try run(["audit", path, "verify"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stdout.contains("\(lines.count + 2) entries, chain intact"))
        #expect(after.stderr.contains("entry \(lines.count + 1) records that a crash cut off"), "\(after.stderr)")
    }

    @Test func aDocumentWithoutTrailKeysIsNotVerified() throws {
        let path = try demo()
        let document = try DocumentStore.read(path).document
        try AtomicFile.write(DocumentCodec.encode(document, audit: nil), to: path)
        let result = try run(["audit", path, "verify"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("has no audit trail keys yet"))
        // Nor does a report start a trail for it.
        #expect(try attendance(path).status == 0)
        #expect(!FileManager.default.fileExists(atPath: path + ".audit"))
    }

    // MARK: show

    @Test func showByPatientListsExactlyThatPatientsEntries() throws {
        let path = try demo()
        let document = try DocumentStore.read(path).document
        let other = try #require(document.patients.first { $0.mrn != Self.mrn && $0.legalName.split(separator: " ").count >= 2 })
        let id = try patientID(path)
        try fourActions(path)
        #expect(try attendance(path, mrn: other.mrn).status == 0)
        let byMRN = try shown(path, ["--patient", Self.mrn])
        #expect(byMRN.map { $0[4] } == ["report", "letter"])
        #expect(byMRN.allSatisfy { $0[5].split(separator: " ").contains("patient:\(id)") })
        let name = try #require(document.patients.first { $0.mrn == Self.mrn }).legalName
        #expect(try shown(path, ["--patient", name.uppercased()]) == byMRN)
        let theOther = try shown(path, ["--patient", other.mrn])
        #expect(theOther.map { $0[4] } == ["report"])
        // The text form: a header with the MRN, never the name.
        let text = try run(["audit", path, "show", "--patient", name])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("\(path).audit: entries about patient \(Self.mrn) (patient:\(id))\n"))
        #expect(!text.stdout.contains(name))
        #expect(text.stdout.split(separator: "\n").count == 3)
        #expect(text.stdout.contains("2026-11-30 18:05  dreyes (account)  letter  report:letter patient:\(id)"))
    }

    @Test func anAmbiguousPatientNameListsTheCandidatesByMRN() throws {
        let path = try demo()
        let document = try DocumentStore.read(path).document
        // A letter most names contain: several patients match.
        let matching = document.patients.filter { $0.legalName.lowercased().contains("a") }
        #expect(matching.count > 1)
        let result = try run(["audit", path, "show", "--patient", "a"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("patients match \"a\"; give the MRN of the one you mean"), "\(result.stderr)")
        #expect(result.stderr.contains(try #require(matching.sorted { $0.legalName.localizedStandardCompare($1.legalName) == .orderedAscending }.first).mrn))
    }

    @Test func showFiltersByStaffAndByDay() throws {
        let path = try demo()
        #expect(try attendance(path, env: ["CASELOAD_TEST_ACCOUNT": "mbell", "CASELOAD_TEST_RECORD_NOW": "2026-11-20T10:00"]).status == 0)
        #expect(try attendance(path).status == 0)
        let mbell = try shown(path, ["--staff", "mbell"])
        #expect(mbell.map { [$0[1], $0[2]] } == [["2026-11-20T16:00:00Z", "mbell"]])
        // A staff ID finds the same person's entries.
        #expect(try shown(path, ["--staff", "stf_02"]) == mbell)
        let late = try shown(path, ["--from", "2026-11-25"])
        #expect(late.map { $0[2] } == ["dreyes"])
        let early = try shown(path, ["--from", "2026-11-20", "--to", "-1w"])
        #expect(early.map { $0[2] } == ["mbell"])
        #expect(try shown(path, ["--to", "2026-11-19"]).isEmpty)
    }

    @Test func csvQuotesAFieldWithACommaAndMarksAnUnmappedAccount() throws {
        let path = try demo()
        let id = try patientID(path)
        #expect(try attendance(path, env: ["CASELOAD_TEST_ACCOUNT": "o\"brien, j"]).status == 0)
        let result = try run(["audit", path, "show", "--format", "csv", "--staff", "o\"brien, j"])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = "sequence,time_utc,who,identity,action,ids\r\n"
            + "\(trailLines(path).count),2026-12-01T00:05:00Z,\"o\"\"brien, j\",unmapped,report,report:attendance patient:\(id) period:2026-11-02..2026-11-30 format:text\r\n"
        #expect(result.stdout == expected)
        let text = try run(["audit", path, "show", "--staff", "o\"brien, j"])
        #expect(text.stdout.contains("o\"brien, j (unmapped account)"))
    }

    @Test func aBrokenTrailShowsWhatVerifiedThenSaysWhere() throws {
        let path = try demo()
        try fourActions(path)
        var lines = trailLines(path)
        let k = lines.count - 1
        lines[k - 1] = lines[k - 1].replacingOccurrences(of: "dreyes", with: "mbell")
        try writeTrail(path, lines)
        let result = try run(["audit", path, "show", "--format", "csv"])
        #expect(result.status == 1)
        #expect(result.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == k)   // header and k-1 entries
        #expect(result.stderr.contains("entry \(k) was changed"))
    }

    // MARK: letters sign as the operator

    @Test func aLetterByAnUnmappedAccountIsRefused() throws {
        let path = try demo()
        let before = FileManager.default.contents(atPath: path)
        let result = try attendance(path, ["--letter"], env: ["CASELOAD_TEST_ACCOUNT": "nobody"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("your account nobody is not a staff member's login; letters are signed by the person running Caseload"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(FileManager.default.contents(atPath: path) == before)
        // Claiming someone else with --as is refused too, saying who is running it.
        let claimed = try attendance(path, ["--letter", "--as", "mbell"])
        #expect(claimed.status == 1)
        #expect(claimed.stderr.contains("--as mbell: letters are signed by the person running Caseload, and your account, dreyes, is not mbell"), "\(claimed.stderr)")
        #expect(FileManager.default.contents(atPath: path) == before)
        // The operator's own login is accepted, and signs.
        let own = try attendance(path, ["--letter", "--as", "mbell"], env: ["CASELOAD_TEST_ACCOUNT": "mbell"])
        #expect(own.status == 0, "\(own.stderr)")
        #expect(own.stdout.contains("Marcus Bell"))
    }

    // MARK: encrypted documents

    @Test func anEncryptedTrailIsSealedAndVerifiesWithThePassphrase() throws {
        let path = try demo(encrypt: true)
        let key = try passphrase("pnatarajan")
        let unlock = ["--slot", "pnatarajan", "--passphrase-file", key]
        #expect(try attendance(path, unlock).status == 0)
        let letter = try attendance(path, ["--letter"] + unlock)
        #expect(letter.status == 0, "\(letter.stderr)")
        #expect(letter.stdout.contains("Priya Natarajan"))
        let bytes = try #require(FileManager.default.contents(atPath: path + ".audit"))
        for needle in ["report", "letter", "patient:", "pnatarajan", "slot"] {
            #expect(bytes.range(of: Data(needle.utf8)) == nil, "the encrypted trail holds \(needle)")
        }
        let verified = try run(["audit", path, "verify"] + unlock)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("2 entries, chain intact"))
        let rows = try shown(path, unlock)
        #expect(rows.map { [$0[2], $0[3], $0[4]] } == [["pnatarajan", "slot", "report"], ["pnatarajan", "slot", "letter"]])
        // Without the passphrase nothing is read.
        #expect(try run(["audit", path, "verify", "--slot", "pnatarajan", "--passphrase-file", "/nonexistent"]).status != 0)
    }

    @Test func encryptSealsTheTrailAndDecryptCopiesItOpened() throws {
        let path = try demo()
        #expect(try attendance(path).status == 0)
        let plainLines = trailLines(path)
        let key = try passphrase("dreyes")
        let encrypted = try run(["encrypt", path, "--slot", "dreyes", "--passphrase-file", key])
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: path + ".audit"))
        #expect(bytes.range(of: Data("patient:".utf8)) == nil)
        let unlock = ["--slot", "dreyes", "--passphrase-file", key]
        let verified = try run(["audit", path, "verify"] + unlock)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("\(plainLines.count + 1) entries, chain intact"))
        #expect(try shown(path, unlock).last.map { [$0[2], $0[3], $0[4], $0[5]] } == ["dreyes", "slot", "document.encrypt", "slot:dreyes"])

        let copy = scratch.file("copy.json")
        // A file already where the copy's trail goes is never replaced.
        #expect(FileManager.default.createFile(atPath: copy + ".audit", contents: Data("mine\n".utf8)))
        let refused = try run(["decrypt", path, "--out", copy] + unlock)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("copy.json.audit: a file is already there"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: copy))
        try FileManager.default.removeItem(atPath: copy + ".audit")
        let decrypted = try run(["decrypt", path, "--out", copy] + unlock)
        #expect(decrypted.status == 0, "\(decrypted.stderr)")
        // The copy's trail is plain, holds the entries as they were (same text and HMACs), and verifies on its own.
        let copied = trailLines(copy)
        #expect(copied.count == plainLines.count + 1)
        #expect(Array(copied.prefix(plainLines.count)) == plainLines)
        let copyVerified = try run(["audit", copy, "verify"])
        #expect(copyVerified.status == 0, "\(copyVerified.stderr)")
        // The original records the decryption, after the copy was taken.
        #expect(try shown(path, unlock).last?[4] == "document.decrypt")
    }

    @Test func aTornLineStaysTornThroughEncryptAndIsCutOffAfter() throws {
        let path = try demo()
        try fourActions(path)
        let lines = trailLines(path)
        try writeTrail(path, lines, torn: "\(lines.count + 1)\t2026-12-01T00:0")
        let key = try passphrase("dreyes")
        let unlock = ["--slot", "dreyes", "--passphrase-file", key]
        let sealedPlainText = "\(lines.count + 1)\t2026-12-01T00:0"
        // The torn line is sealed too (its 17 plain bytes become a longer sealed fragment, still without a line end);
        // the entry recording the encryption then cuts it off and says so, and the chain verifies.
        let encrypted = try run(["encrypt", path] + unlock)
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        #expect(encrypted.stderr.contains("The audit trail's last entry was cut off by a crash"), "\(encrypted.stderr)")
        let bytes = try #require(FileManager.default.contents(atPath: path + ".audit"))
        #expect(bytes.range(of: Data(sealedPlainText.utf8)) == nil)
        let after = try run(["audit", path, "verify"] + unlock)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stderr.contains("entry \(lines.count + 1) records that a crash cut off"))
        let rows = try shown(path, unlock)
        #expect(rows.suffix(2).map { $0[4] } == ["audit.torn-tail", "document.encrypt"])
        // Sealed, the fragment was longer than the 17 bytes written in the clear.
        let cut = try #require(rows.suffix(2).first?[5].split(separator: " ").first { $0.hasPrefix("bytes:") })
        #expect((Int(cut.dropFirst(6)) ?? 0) > 17)
    }

    @Test func restoringABackupWithoutTrailKeysKeepsTheCurrentTrail() throws {
        let path = try demo()
        try AtomicFile.write(DocumentCodec.encode(try DocumentStore.read(path).document, audit: nil), to: path)
        // The first save by a writer starts the trail; the file it replaced, with no trail keys, is backed up first.
        try savedWithEntries(path, 3)
        let backup = try #require(Backups(documentPath: DocumentStore.resolvedPath(path)).list().last)
        #expect(try DocumentCodec.decode(try AtomicFile.read(backup.path), path: backup.path).audit == nil)
        let restored = try run(["restore", path, backup.name])
        #expect(restored.status == 0, "\(restored.stderr)")
        let verified = try run(["audit", path, "verify"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("4 entries, chain intact"))
        #expect(try shown(path).last.map { [$0[4], $0[5]] } == ["backup.restore", "backup:\(backup.name)"])
    }

    @Test func keyChangesAndARestoreKeepTheTrailVerifying() throws {
        let path = try demo(encrypt: true)
        let key = try passphrase("dreyes")
        let unlock = ["--slot", "dreyes", "--passphrase-file", key]
        #expect(try attendance(path, unlock).status == 0)
        // Removing a person moves the trail on to a key they never saw; the removal is the first entry under it.
        let removed = try run(["keys", path, "remove", "mbell"] + unlock)
        #expect(removed.status == 0, "\(removed.stderr)")
        // The backup made before the removal: it still has mbell's slot, and trail keys without the new one.
        let backup = try #require(Backups(documentPath: DocumentStore.resolvedPath(path)).list().first {
            ((try? EncryptedFile.header(atPath: $0.path)) ?? nil)?.logins.contains("mbell") == true
        })
        let restored = try run(["restore", path, backup.name] + unlock)
        #expect(restored.status == 0, "\(restored.stderr)")
        let verified = try run(["audit", path, "verify"] + unlock)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("3 entries, chain intact"))
        #expect(try shown(path, unlock).map { $0[4] } == ["report", "slot.remove", "backup.restore"])
    }
}
