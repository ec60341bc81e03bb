import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// The command line as a user meets it: exit codes, messages, files on disk.
@Suite(.serialized) struct CLITests {
    let scratch = Scratch()

    @Test func demoWritesAValidDocumentThatCheckAccepts() throws {
        let path = scratch.file("demo.json")
        let demo = try CaseloadBinary.run(["demo", "--out", path, "--seed", "3"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(fileMode(path) == 0o600)
        let check = try CaseloadBinary.run(["check", path])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("ok: Riverside"))
        #expect(check.stdout.contains("active"))
    }

    @Test func demoIsDeterministicForASeedAndClock() throws {
        let a = scratch.file("a.json"), b = scratch.file("b.json"), c = scratch.file("c.json")
        _ = try CaseloadBinary.run(["demo", "--out", a, "--seed", "5"])
        _ = try CaseloadBinary.run(["demo", "--out", b, "--seed", "5"])
        _ = try CaseloadBinary.run(["demo", "--out", c, "--seed", "6"])
        let da = FileManager.default.contents(atPath: a)
        #expect(da != nil)
        #expect(da == FileManager.default.contents(atPath: b))
        #expect(da != FileManager.default.contents(atPath: c))
    }

    @Test func demoRefusesToOverwriteWithoutForce() throws {
        let path = scratch.file("mine.json")
        _ = FileManager.default.createFile(atPath: path, contents: Data("my notes".utf8))
        let result = try CaseloadBinary.run(["demo", "--out", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--force"))
        #expect(FileManager.default.contents(atPath: path) == Data("my notes".utf8))
    }

    @Test func checkFailsWithTheFileAndPlace() throws {
        let path = scratch.file("broken.json")
        _ = FileManager.default.createFile(atPath: path, contents: Data("{\n  \"format\": \"caseload\",\n  \"schemaVersion\": 1,\n  oops\n}".utf8))
        let result = try CaseloadBinary.run(["check", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(path):4:3"))
    }

    @Test func checkOnAMissingFileSaysSo() throws {
        let result = try CaseloadBinary.run(["check", scratch.file("nope.json")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no such file"))
    }

    @Test func backupsListAndRestore() throws {
        let path = scratch.file("doc.json")
        _ = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"])
        let original = FileManager.default.contents(atPath: path)
        _ = try CaseloadBinary.run(["demo", "--out", path, "--seed", "2", "--force"])   // backs up seed 1
        let list = try CaseloadBinary.run(["backups", path])
        #expect(list.status == 0)
        let name = try #require(list.stdout.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first.map(String.init).flatMap { $0.hasSuffix(".json") ? $0 : nil }
        }.first)
        let current = try DocumentStore.read(path).audit   // seed 2's audit trail keys
        let restore = try CaseloadBinary.run(["restore", path, name])
        #expect(restore.status == 0, "\(restore.stderr)")
        // The backup's records come back; the trail keys and length stay the current document's, so its trail goes on
        // (issue 17): the file differs from the backup only there.
        let restored = try DocumentStore.read(path)
        let backup = try DocumentCodec.decode(try #require(original), path: path)
        #expect(restored.document == backup.document)
        #expect(current != nil && restored.audit == current)
        #expect(backup.audit != current)
        #expect(DocumentCodec.encode(restored.document, audit: backup.audit) == original)
        #expect(fileMode(path) == 0o600)
        let unknown = try CaseloadBinary.run(["restore", path, "19990101"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no backup matches"))
    }

    @Test func aFileWithoutReadPermissionIsReportedAsSuch() throws {
        let path = scratch.file("secret.json")
        _ = try CaseloadBinary.run(["demo", "--out", path])
        let result: CaseloadBinary.Result
        if getuid() == 0 {
            // Root reads anything: run the check as an unprivileged user instead (the binary and folders must be reachable).
            chmod(scratch.path, 0o755)
            result = try CaseloadBinary.run(["check", path], wrapper: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
        } else {
            chmod(path, 0)
            result = try CaseloadBinary.run(["check", path])
        }
        #expect(result.status != 0)
        #expect(result.stderr.contains("permission denied"), "\(result.stderr)")
    }
}
