import CaseloadStore
import Foundation
import Testing

/// `--out` and `--demo` against another account on the same host: links planted in a shared sticky folder, the document's
/// own name, its lock and backups. Each attack fails with a message and leaves the victim's files byte for byte.
@Suite(.serialized) struct OutputPathCLITests {
    let scratch = Scratch()
    /// The uid of `nobody`: the account that plants the links (root stages its ownership with lchown).
    static let otherUID: uid_t = 65534
    static let mrn = "RV-10015"

    func demo(_ name: String = "victim.json", seed: Int = 1) throws -> String {
        let path = scratch.file(name)
        let result = try CaseloadBinary.run(["demo", "--out", path, "--seed", "\(seed)"])
        try #require(result.status == 0, "\(result.stderr)")
        return path
    }

    /// A world-writable sticky folder like /tmp.
    func shared() throws -> String {
        let path = scratch.file("shared")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try #require(chmod(path, 0o1777) == 0)
        return path
    }

    func attendance(_ path: String, _ extra: [String]) throws -> CaseloadBinary.Result {
        try CaseloadBinary.run(["report", "attendance", "--file", path, "--patient", Self.mrn, "--from", "-4w", "--to", "today"] + extra)
    }

    func linkTarget(_ path: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: path) }

    @Test func anExportThroughAnotherAccountsLinkFailsAndTheDocumentStaysByteIdentical() throws {
        let victim = try demo()
        let before = try #require(FileManager.default.contents(atPath: victim))
        let link = try shared() + "/clinic.ics"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        try #require(lchown(link, Self.otherUID, Self.otherUID) == 0)

        for force in [[], ["--force"]] {
            let export = try CaseloadBinary.run(["export", "ics", "--file", victim, "--out", link] + force)
            #expect(export.status == 1)
            #expect(export.stderr == "caseload: \(link): a symbolic link owned by another account (uid 65534) is there; it is not followed or replaced — choose another file name\n")
            let report = try attendance(victim, ["--out", link] + force)
            #expect(report.status == 1 && report.stderr.contains("owned by another account"), "\(report.stderr)")
        }
        #expect(FileManager.default.contents(atPath: victim) == before)
        #expect(linkTarget(link) == victim)
        #expect(fileMode(victim) == 0o600)
    }

    @Test func outAtTheDocumentItsLockOrABackupIsRefusedEvenWithForce() throws {
        let path = try demo("clinic.json")
        // A second demo over it makes a backup of the first.
        let again = try CaseloadBinary.run(["demo", "--out", path, "--seed", "2", "--force"])
        try #require(again.status == 0, "\(again.stderr)")
        let backupsFolder = path + ".backups"
        let backups = try FileManager.default.contentsOfDirectory(atPath: backupsFolder).filter { $0.hasSuffix(".json") }
        let backup = backupsFolder + "/" + (try #require(backups.first))
        let lock = path + ".lock"
        try #require(FileManager.default.fileExists(atPath: lock))
        let snapshot = [path, lock, backup].map { FileManager.default.contents(atPath: $0) }
        // The document under another spelling, and through a link of the user's own.
        try FileManager.default.createSymbolicLink(atPath: scratch.file("mine.txt"), withDestinationPath: path)
        let cases: [(String, String)] = [
            (path, "that is the open document"),
            (scratch.path + "/./clinic.json", "that is the open document"),
            (scratch.file("mine.txt"), "that is the open document"),
            (lock, "that is a Caseload document's lock"),
            (backup, "that is inside a Caseload backups folder"),
        ]
        for (out, reason) in cases {
            let report = try attendance(path, ["--out", out, "--force"])
            #expect(report.status == 1)
            #expect(report.stderr.hasPrefix("caseload: \(out): \(reason);"), "\(out): \(report.stderr)")
            let export = try CaseloadBinary.run(["export", "ics", "--file", path, "--out", out, "--force"])
            #expect(export.status == 1 && export.stderr.contains(reason), "\(out): \(export.stderr)")
        }
        #expect([path, lock, backup].map { FileManager.default.contents(atPath: $0) } == snapshot)
        #expect(linkTarget(scratch.file("mine.txt")) == path)
    }

    @Test func anExistingFileNeedsForceAndIsThenReplacedWithMode0600() throws {
        let path = try demo()
        let out = scratch.file("report.csv")
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: out))
        try #require(chmod(out, 0o644) == 0)

        let refused = try attendance(path, ["--format", "csv", "--out", out])
        #expect(refused.status == 1)
        #expect(refused.stderr == "caseload: \(out): a file is already there; use --force to replace it, or choose another file name\n")
        #expect(FileManager.default.contents(atPath: out) == Data("old\n".utf8))
        let export = try CaseloadBinary.run(["export", "ics", "--file", path, "--out", out])
        #expect(export.status == 1 && export.stderr.contains("use --force"))

        let forced = try attendance(path, ["--format", "csv", "--out", out, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let text = String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self)
        #expect(text.hasPrefix("date,start,end,session,kind,status,"))
        #expect(fileMode(out) == 0o600)
        let ics = try CaseloadBinary.run(["export", "ics", "--file", path, "--out", out, "--force"])
        #expect(ics.status == 0, "\(ics.stderr)")
        #expect(String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self).hasPrefix("BEGIN:VCALENDAR"))
        #expect(fileMode(out) == 0o600)
        // --force means nothing without --out.
        #expect(try attendance(path, ["--force"]).status != 0)
    }

    @Test func aLetterRefusedForItsPlaceIsNotLoggedAsADisclosure() throws {
        let path = try demo()
        let out = scratch.file("letter.txt")
        try Data("keep\n".utf8).write(to: URL(fileURLWithPath: out))
        let before = FileManager.default.contents(atPath: path)
        let letter = try attendance(path, ["--letter", "--as", "dreyes", "--out", out])
        #expect(letter.status == 1 && letter.stderr.contains("use --force"), "\(letter.stderr)")
        #expect(FileManager.default.contents(atPath: path) == before)
        #expect(FileManager.default.contents(atPath: out) == Data("keep\n".utf8))
    }

    /// The old demo path was `$TMPDIR/caseload-demo-<pid>.json`: the shell plants a link at that name for its own pid, then
    /// `exec`s the app with the same pid, exactly as an attacker who guessed the pid would.
    @Test func theDemoIgnoresALinkPlantedAtTheOldPredictableName() throws {
        // Another seed than the app's demo (1), so a write through the link would change the bytes.
        let victim = try demo(seed: 3)
        let before = try #require(FileManager.default.contents(atPath: victim))
        let tmp = scratch.file("tmp")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let command = "ln -s \(shellQuote(victim)) \(shellQuote(tmp))/caseload-demo-$$.json && exec env TMPDIR=\(shellQuote(tmp)) "
            + "CASELOAD_NOW=2026-11-30T18:05 XDG_CONFIG_HOME=\(shellQuote(scratch.file("config"))) LANG=C.UTF-8 \(shellQuote(CaseloadBinary.path)) --demo"
        let tmux = try TmuxSession(command: "sh -c \(shellQuote(command))", width: 160, height: 30)
        let shown = tmux.waitFor { $0.contains("Demo (synthetic data)") }
        #expect(shown.ok, "\(shown.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        #expect(FileManager.default.contents(atPath: victim) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: tmp)
        let planted = try #require(names.first { $0.hasSuffix(".json") })
        #expect(linkTarget(tmp + "/" + planted) == victim)
        let folders = names.filter { !$0.hasSuffix(".json") }
        #expect(folders.count == 1 && folders[0].hasPrefix("caseload-demo-"), "\(names)")
        let folder = tmp + "/" + (folders.first ?? "")
        #expect(fileMode(folder) == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).contains("demo.json"))
        #expect(!FileManager.default.fileExists(atPath: victim + ".backups"))
        #expect(!FileManager.default.fileExists(atPath: tmp + "/" + planted + ".backups"))
    }

    /// The app's `w` goes through the same writer: a link another account planted in a shared folder is refused on the
    /// status line before any question, and the document it points at keeps its bytes.
    @Test func theAppRefusesToWriteAReportThroughAnotherAccountsLink() throws {
        let path = try demo("program.json")
        let victim = try demo("victim.json", seed: 2)
        let before = try #require(FileManager.default.contents(atPath: victim))
        let link = try shared() + "/clinic.txt"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
        try #require(lchown(link, Self.otherUID, Self.otherUID) == 0)
        let command = "exec env CASELOAD_NOW=2026-11-30T18:05 USER=dreyes CASELOAD_TEST_ACCOUNT=dreyes HOME=\(shellQuote(scratch.path)) XDG_CONFIG_HOME=\(shellQuote(scratch.file("config"))) "
            + "LANG=C.UTF-8 \(shellQuote(CaseloadBinary.path)) --file \(shellQuote(path))"
        let tmux = try TmuxSession(command: command, width: 160, height: 30)
        #expect(tmux.waitFor { $0.contains("Patients 30 active") }.ok)
        try tmux.send("1", "r")
        #expect(tmux.waitFor { $0.contains("Attendance report ·") }.ok)
        try tmux.send("Tab", "Tab", "Tab", "Tab", "Tab", "C-u")   // Write to
        try tmux.type(link)
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Report ·") }.ok)
        try tmux.send("w")
        let refused = tmux.waitFor { $0.contains("Not written: a symbolic link owned by another account") }
        #expect(refused.ok, "\(refused.screen)")
        #expect(!refused.screen.contains("Replace it?"))
        try tmux.send("q")
        #expect(tmux.waitUntilDead())
        #expect(FileManager.default.contents(atPath: victim) == before)
        #expect(linkTarget(link) == victim)
    }
}
