import Foundation
import Testing
@testable import CaseloadStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("FileLock")
struct FileLockTests {
    private let someTime = Date(timeIntervalSince1970: 1_796_061_900) // 2026-11-30 18:05:00 UTC

    @Test func acquiringRecordsUserHostPidAndTimeAsOneJSONLine() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")

        let lock = try FileLock.acquire(for: path, now: someTime)
        defer { lock.release() }

        let holder = try #require(FileLock.holder(of: path))
        #expect(holder.pid == Int(getpid()))
        #expect(holder.since == someTime)
        #expect(!holder.user.isEmpty && !holder.host.isEmpty)
        #expect(fileMode(lock.lockPath) == 0o600)
        let text = String(decoding: contents(lock.lockPath) ?? Data(), as: UTF8.self)
        #expect(text.hasSuffix("}\n") && text.filter { $0 == "\n" }.count == 1)
        #expect(text.contains("\"since\":\"2026-11-30T18:05:00Z\""))
    }

    @Test func aSecondAcquireIsLockedAndNamesTheHolder() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let lock = try FileLock.acquire(for: path, now: someTime)
        defer { lock.release() }

        // flock belongs to the open file description, so a second open in this process conflicts too.
        do {
            let second = try FileLock.acquire(for: path)
            second.release()
            Issue.record("the second acquire should have failed")
        } catch {
            guard case .locked(let lockedPath, let holder) = error else {
                Issue.record("expected .locked, got \(error)")
                return
            }
            #expect(lockedPath == path)
            #expect(holder.contains("pid \(getpid())"))
            #expect(holder.hasSuffix("since 2026-11-30 18:05 UTC"))
        }
    }

    @Test func releaseLetsTheNextAcquireSucceed() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let first = try FileLock.acquire(for: path)
        first.release()
        #expect(!first.isHeld)
        #expect(FileLock.holder(of: path) == nil) // the record is cleared with the lock
        first.release() // twice is harmless

        let second = try FileLock.acquire(for: path)
        #expect(second.isHeld)
        second.release()
        #expect(FileManager.default.fileExists(atPath: FileLock.lockPath(for: path)))
    }

    @Test func droppingTheLastReferenceReleases() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        do {
            _ = try FileLock.acquire(for: path)
        }
        let again = try FileLock.acquire(for: path)
        again.release()
    }

    @Test func aRecordLeftByADeadProcessDoesNotBlock() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let stale = #"{"user":"alice","host":"old-host","pid":999999,"since":"2026-01-01T00:00:00Z"}"# + "\n"
        try Data(stale.utf8).write(to: URL(fileURLWithPath: FileLock.lockPath(for: path)))

        let lock = try FileLock.acquire(for: path)
        defer { lock.release() }
        #expect(FileLock.holder(of: path)?.pid == Int(getpid()))
    }

    @Test func holderTextReadsNaturally() {
        let holder = LockHolder(user: "alice", host: "host", pid: 4242, since: someTime.addingTimeInterval(0.75))
        #expect(holder.description == "alice@host, pid 4242, since 2026-11-30 18:05 UTC")
        #expect(holder.since == someTime)
    }

    @Test func holderRecordRoundTripsThroughJSON() throws {
        let holder = LockHolder(user: "josé", host: "clinic-1", pid: 12, since: someTime)
        let decoded = try JSONDecoder().decode(LockHolder.self, from: JSONEncoder().encode(holder))
        #expect(decoded == holder)
    }

    @Test func lockingInAMissingFolderIsParentMissing() throws {
        let folder = ScratchFolder()
        let path = folder.file("gone/doc.json")
        #expect(throws: StoreError.parentMissing(path: path)) { try FileLock.acquire(for: path) }
    }

    @Test func aSymlinkedLockFileIsRefused() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let victim = folder.file("victim.txt")
        try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
        symlink(victim, FileLock.lockPath(for: path))

        #expect(throws: StoreError.self) { try FileLock.acquire(for: path) }
        #expect(contents(victim) == Data("precious".utf8))
    }
}
