import CaseloadCore
import CaseloadStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Issue 12, findings 3 and 9 through the commands: a link to the document does not get around its lock, and the
/// `backups`/`restore` commands refuse folders and files that another account could have planted.
@Suite(.serialized) struct SharedFolderCLITests {
    let scratch = Scratch()
    /// The demo patient with a valid consent to the officer (seed 1).
    static let mrn = "RV-10015"

    func demo(_ name: String) throws -> String {
        let path = scratch.file(name)
        let result = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        return path
    }

    /// The document with its program renamed: a valid document that differs from the one on disk.
    func forgery(of path: String) throws -> Data {
        var doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        doc.program.name = "Forged"
        return try DocumentCodec.encode(doc)
    }

    @Test func aLetterThroughAnAliasWhileTheRealFileIsOpenIsMergedIntoIt() throws {
        let real = try demo("real.json")
        let alias = scratch.file("alias.json")
        #expect(symlink(real, alias) == 0)
        let (store, opened) = try DocumentStore.open(real)   // stands in for a running Caseload on real.json
        defer { store.close() }
        let disclosed = try #require(opened.patient(mrn: Self.mrn)).disclosures.count
        let result = try CaseloadBinary.run(["report", "attendance", "--file", alias, "--patient", Self.mrn,
                                             "--from", "-4w", "--to", "today", "--letter", "--as", "dreyes"])
        #expect(result.status == 0, "\(result.stderr)")
        // The running instance picks the letter's disclosure up, and its own next save keeps it.
        let change = try #require(try store.pickUpChanges())
        #expect(change.document.patient(mrn: Self.mrn)?.disclosures.count == disclosed + 1)
        var mine = opened
        mine.program.name = "Renamed meanwhile"
        try store.save(mine)
        let onDisk = try DocumentCodec.decode(try AtomicFile.read(real), path: real).document
        #expect(onDisk.patient(mrn: Self.mrn)?.disclosures.count == disclosed + 1)
        #expect(onDisk.program.name == "Renamed meanwhile")
    }

    @Test func aLockFileOfAnotherAccountMakesTheDocumentReadOnlyForItsOwner() throws {
        guard geteuid() == 0 else { return }   // two accounts: the owner runs as nobody through setpriv
        let folder = scratch.file("nobody")
        #expect(mkdir(folder, 0o700) == 0)
        let path = try demo("nobody/doc.json")
        let lockPath = path + ".lock"
        // root's own lock file, 0600, planted before the owner's run: nobody can neither open nor replace it.
        #expect(FileManager.default.createFile(atPath: lockPath, contents: Data("planted".utf8)))
        chmod(lockPath, 0o600)
        for owned in [folder, path] { chown(owned, 65534, 65534) }
        let before = FileManager.default.contents(atPath: path)
        let result = try CaseloadBinary.run(["report", "attendance", "--file", path, "--patient", Self.mrn, "--from", "-4w", "--to", "today",
                                             "--letter", "--as", "dreyes"],
                                            wrapper: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"])
        // The document was opened (read-only, with the reason) rather than the run stopping at the lock file.
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("no letter: the disclosure could not be recorded (the lock file \(lockPath) cannot be opened (permission denied"),
                "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: path) == before)
        #expect(FileManager.default.contents(atPath: lockPath) == Data("planted".utf8))
    }

    @Test func backupsAndRestoreRefuseAnOpenBackupsFolder() throws {
        let path = try demo("doc.json")
        let planted = path + ".backups"
        #expect(mkdir(planted, 0o777) == 0)
        chmod(planted, 0o777)
        let forged = planted + "/doc-20271231T235959Z.json"
        #expect(FileManager.default.createFile(atPath: forged, contents: try forgery(of: path)))
        let before = FileManager.default.contents(atPath: path)

        let listed = try CaseloadBinary.run(["backups", path])
        #expect(listed.status != 0)
        #expect(listed.stderr.contains(planted) && listed.stderr.contains("mode is 777"), "\(listed.stderr)")
        let restored = try CaseloadBinary.run(["restore", path, "20271231"])
        #expect(restored.status != 0)
        #expect(restored.stderr.contains("not safe to use"), "\(restored.stderr)")
        #expect(FileManager.default.contents(atPath: path) == before)
        #expect(fileMode(planted) == 0o777, "the folder is not chmodded behind the user's back")
    }

    @Test func restoreRefusesABackupOfAnotherAccount() throws {
        guard geteuid() == 0 else { return }   // staging another owner needs chown
        let path = try demo("doc.json")
        let backups = Backups(documentPath: path)
        _ = try backups.makeBackup(of: try AtomicFile.read(path), now: Date(timeIntervalSince1970: 1_796_000_000))
        let forgedName = "doc-20271231T235959Z.json"
        let forged = backups.folder + "/" + forgedName
        #expect(FileManager.default.createFile(atPath: forged, contents: try forgery(of: path)))
        chown(forged, 65534, 65534)
        let before = FileManager.default.contents(atPath: path)

        let listed = try CaseloadBinary.run(["backups", path])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(!listed.stdout.contains(forgedName))
        #expect(listed.stderr.contains(forgedName + ": it belongs to another account (uid 65534)"), "\(listed.stderr)")
        let restored = try CaseloadBinary.run(["restore", path, forgedName])
        #expect(restored.status != 0)
        #expect(restored.stderr.contains("uid 65534"), "\(restored.stderr)")
        #expect(FileManager.default.contents(atPath: path) == before)
    }
}
