import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Issue 12, findings 3, 8, 9, 11 and 16: files planted beside the document by another account (or links made to fool
/// Caseload) are refused, and the victim's document and backups stay as they were.
///
/// Another account is staged by `chown` to uid 65534 (nobody), which needs root; as any other user those tests only
/// check what the same account can stage.
@Suite(.serialized) struct SharedFolderAttackTests {
    let folder = ScratchFolder()
    let now = Date(timeIntervalSince1970: 1_796_000_000)
    static let otherUID: uid_t = 65534
    static var isRoot: Bool { geteuid() == 0 }

    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1
    }

    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// A saved document (state 1) with no backups yet.
    func document(_ name: String = "doc.json") throws -> String {
        let path = folder.file(name)
        try DocumentStore.create(path, with: DrillDocument.state(1), now: now).close()
        return path
    }

    func backupFailedReason(_ body: () throws -> Void) -> String? {
        do { try body() } catch let error as StoreError {
            if case .backupFailed(_, let reason) = error { return reason }
            return "other error: \(error)"
        } catch { return "other error: \(error)" }
        return nil
    }

    // MARK: - 3. The backups folder

    @Test func aWorldWritableBackupsFolderIsRefusedAndNotChmodded() throws {
        let path = try document()
        let planted = path + ".backups"
        mkdir(planted, 0o777)
        chmod(planted, 0o777)
        let (store, _) = try DocumentStore.open(path, now: now)
        defer { store.close() }
        try store.save(DrillDocument.state(2), now: now)
        // The save went through (the document is the user's), but nothing went into the open folder, and it says why.
        #expect(try DocumentCodec.decode(try AtomicFile.read(path), path: path).document == DrillDocument.state(2))
        #expect(try FileManager.default.contentsOfDirectory(atPath: planted).isEmpty)
        let warning = try #require(store.lastBackupWarning)
        #expect(warning.contains(planted) && warning.contains("mode is 777"))
        #expect(mode(planted) == 0o777, "someone else's folder is not chmodded")
        #expect(throws: StoreError.self) { try Backups(documentPath: path).inventory() }
        #expect(Backups(documentPath: path).list().isEmpty)
    }

    @Test func aBackupsFolderOfAnotherAccountIsRefused() throws {
        guard Self.isRoot else { return }
        let path = try document()
        let planted = path + ".backups"
        mkdir(planted, 0o700)
        chmod(planted, 0o700)
        chown(planted, Self.otherUID, Self.otherUID)
        let reason = backupFailedReason { _ = try Backups(documentPath: path).makeBackup(of: Data("notes".utf8), now: now) }
        #expect(reason?.contains("belongs to another account (uid 65534)") == true, "\(reason ?? "no error")")
        #expect(try FileManager.default.contentsOfDirectory(atPath: planted).isEmpty)
    }

    @Test func aSymlinkedBackupsFolderIsRefusedAndItsTargetUntouched() throws {
        let path = try document()
        let elsewhere = folder.file("attacker")
        mkdir(elsewhere, 0o700)
        chmod(elsewhere, 0o700)
        symlink(elsewhere, path + ".backups")
        let reason = backupFailedReason { _ = try Backups(documentPath: path).makeBackup(of: Data("notes".utf8), now: now) }
        #expect(reason?.contains("symbolic link") == true, "\(reason ?? "no error")")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
    }

    @Test func aPlantedBackupOfAnotherAccountIsNeitherListedNorRestored() throws {
        guard Self.isRoot else { return }
        let path = try document()
        let backups = Backups(documentPath: path)
        let genuine = try backups.makeBackup(of: try AtomicFile.read(path), now: now)
        // The forged backup looks newer and is a valid document, but belongs to uid 65534.
        let forgedName = "doc-20271231T235959Z.json"
        let forged = folder.write("doc.json.backups/" + forgedName, try DocumentCodec.encode(DrillDocument.state(9)))
        chown(forged, Self.otherUID, Self.otherUID)
        let before = contents(path)

        let listed = try backups.inventory()
        #expect(listed.backups == [genuine])
        #expect(listed.refused == [forgedName + ": it belongs to another account (uid 65534)"])
        let reason = backupFailedReason { try DocumentStore.restore(path, from: forgedName, now: now) }
        #expect(reason?.contains("no backup matches") == true && reason?.contains("uid 65534") == true, "\(reason ?? "restored")")
        #expect(contents(path) == before)
    }

    @Test func aLinkedOrHardLinkedBackupIsNotRestored() throws {
        let path = try document()
        let backups = Backups(documentPath: path)
        _ = try backups.makeBackup(of: try AtomicFile.read(path), now: now)
        let outside = folder.write("outside.json", try DocumentCodec.encode(DrillDocument.state(7)))
        symlink(outside, folder.file("doc.json.backups/doc-20271231T235958Z.json"))
        link(outside, folder.file("doc.json.backups/doc-20271231T235959Z.json"))
        let before = contents(path)
        #expect(backups.list().count == 1)
        for name in ["doc-20271231T235958Z.json", "doc-20271231T235959Z.json"] {
            #expect(throws: StoreError.self) { try DocumentStore.restore(path, from: name, now: now) }
        }
        #expect(contents(path) == before)
    }

    // MARK: - 8. The lock file

    @Test func aLockFileOfAnotherAccountOpensReadOnlyAndIsLeftAlone() throws {
        guard Self.isRoot else { return }
        let path = try document()
        let lockPath = FileLock.lockPath(for: path)
        _ = folder.write("doc.json.lock", "someone else's")
        chmod(lockPath, 0o644)
        chown(lockPath, Self.otherUID, Self.otherUID)
        let (store, doc) = try DocumentStore.open(path, now: now)
        #expect(doc == DrillDocument.state(1))
        guard case .readOnly(let reason) = store.access else { Issue.record("expected read-only"); return }
        #expect(reason.contains("belongs to another account (uid 65534"))
        #expect(contents(lockPath) == Data("someone else's".utf8))
        #expect(mode(lockPath) == 0o644)
    }

    @Test func aLockFileThatIsAHardLinkIsNeitherChmoddedNorTruncated() throws {
        let path = try document()
        let target = folder.write("precious.txt", "keep me")
        chmod(target, 0o644)
        unlink(FileLock.lockPath(for: path))
        #expect(link(target, FileLock.lockPath(for: path)) == 0)
        let (store, _) = try DocumentStore.open(path, now: now)
        guard case .readOnly(let reason) = store.access else { Issue.record("expected read-only"); return }
        #expect(reason.contains("hard links"))
        #expect(contents(target) == Data("keep me".utf8))
        #expect(mode(target) == 0o644)
        #expect(throws: StoreError.self) { try store.save(DrillDocument.state(2), now: now) }
    }

    @Test func aForgedHolderRecordIsShownWithoutItsEscapes() throws {
        let path = try document()
        let lockPath = FileLock.lockPath(for: path)
        let record = #"{"user":"\u001b]0;owned\u0007\u001b[2J","host":"h\u009bx","pid":7,"since":"2026-11-30T18:05:00Z"}"#
        _ = folder.write("doc.json.lock", record + "\n")
        chmod(lockPath, 0o600)
        // A second open file description holds the flock, as another process would.
        let holder = open(lockPath, O_RDONLY)
        #expect(flock(holder, LOCK_EX) == 0)
        defer { close(holder) }
        // Opening is not refused (the lock is only ever a save's); a save that cannot take it names the holder.
        var reason = ""
        do { _ = try FileLock.acquire(for: path, now: now) } catch { reason = error.description }
        #expect(!reason.isEmpty)
        #expect(!reason.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(reason.contains(#"\u{1B}]0;owned\u{7}\u{1B}[2J@h\u{9B}x, pid 7"#), "\(reason)")
    }

    // MARK: - 9. A link to the document shares its lock

    @Test func anAliasLinkSharesTheRealFilesLockAndMerges() throws {
        let path = try document("real.json")
        let alias = folder.file("alias.json")
        symlink(path, alias)
        let (holder, _) = try DocumentStore.open(path, now: now)
        defer { holder.close() }
        let (second, opened) = try DocumentStore.open(alias, now: now)
        #expect(second.access == .readWrite)
        #expect(second.resolvedPath == holder.resolvedPath)
        // A save through the alias and one through the real name: one file, one lock, both changes in it.
        var renamed = opened
        renamed.program.name = "Renamed through the alias"
        try second.save(renamed, now: now)
        var mine = opened
        mine.program.timeZone = "America/Denver"
        let outcome = try holder.save(mine, now: now)
        #expect(outcome.merged && outcome.conflicts.isEmpty)
        let onDisk = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(onDisk.program.name == "Renamed through the alias" && onDisk.program.timeZone == "America/Denver")
        #expect(!FileManager.default.fileExists(atPath: alias + ".lock"))
    }

    @Test func aHardLinkedDocumentOpensReadOnlyUnderEitherName() throws {
        let path = try document("real.json")
        let other = folder.file("other.json")
        #expect(link(path, other) == 0)
        let before = contents(path)
        for name in [path, other] {
            let (store, _) = try DocumentStore.open(name, now: now)
            defer { store.close() }
            guard case .readOnly(let reason) = store.access else { Issue.record("\(name) opened read-write"); continue }
            #expect(reason.contains("2 names (hard links)"))
            #expect(throws: StoreError.self) { try store.save(DrillDocument.state(5), now: now) }
        }
        #expect(contents(path) == before && contents(other) == before)
    }

    @Test func aLinkedFolderSharesTheLockToo() throws {
        let path = try document("real.json")
        let linkedFolder = folder.file("via")
        symlink(folder.path, linkedFolder)
        let (holder, _) = try DocumentStore.open(path, now: now)
        defer { holder.close() }
        let (second, _) = try DocumentStore.open(linkedFolder + "/real.json", now: now)
        // Both writable (issue 18), and through one lock file: the real one's.
        #expect(second.resolvedPath == holder.resolvedPath)
        #expect(FileLock.lockPath(for: second.resolvedPath) == FileLock.lockPath(for: path))
        #expect(!FileManager.default.fileExists(atPath: linkedFolder + "/real.json.lock") || DocumentStore.resolvedPath(linkedFolder + "/real.json.lock") == path + ".lock")
    }

    // MARK: - 11. Quarantine takes only the user's own leftovers

    @Test func anotherAccountsTempFileIsNotQuarantined() throws {
        guard Self.isRoot else { return }
        let path = try document()
        let planted = folder.write(".doc.json.tmp-999-abc", "planted")
        chmod(planted, 0o666)
        chown(planted, Self.otherUID, Self.otherUID)
        let (store, _) = try DocumentStore.open(path, now: now)
        store.close()
        #expect(contents(planted) == Data("planted".utf8))
        #expect(!store.notices.contains { $0.contains("unfinished save") })
        #expect(!FileManager.default.fileExists(atPath: Backups(documentPath: path).quarantineFolder))
    }

    @Test func aHardLinkedOrSymlinkedTempFileIsNotQuarantined() throws {
        let path = try document()
        let victim = folder.write("victim.txt", "other data")
        link(victim, folder.file(".doc.json.tmp-999-abc"))
        symlink(victim, folder.file(".doc.json.tmp-998-abc"))
        let (store, _) = try DocumentStore.open(path, now: now)
        store.close()
        #expect(!store.notices.contains { $0.contains("unfinished save") })
        #expect(FileManager.default.fileExists(atPath: folder.file(".doc.json.tmp-999-abc")))
        #expect(contents(victim) == Data("other data".utf8))
    }

    @Test func theUsersOwnLeftoverIsStillQuarantined() throws {
        let path = try document()
        _ = folder.write(".doc.json.tmp-999-abc", "half a save")
        let (store, _) = try DocumentStore.open(path, now: now)
        store.close()
        #expect(store.notices.contains { $0.contains("unfinished save") })
        #expect(contents(Backups(documentPath: path).quarantineFolder + "/doc.json.tmp-999-abc") == Data("half a save".utf8))
    }

    // MARK: - 16. No core dumps

    @Test func coreDumpsAreOffAfterDisabling() throws {
        #expect(CoreDumps.disable().isEmpty)
        let limit = try #require(CoreDumps.limit())
        #expect(limit.soft == 0 && limit.hard == 0)
        #if os(Linux)
        #expect(CoreDumps.isDumpable() == false)
        #endif
    }
}
