import Foundation
import Testing
@testable import CaseloadStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fileMode(_ path: String) -> mode_t {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0 }
    return info.st_mode & 0o7777
}

func contents(_ path: String) -> Data? {
    FileManager.default.contents(atPath: path)
}

/// The tests that change the process-wide umask or file-size limit must not overlap.
@Suite("AtomicFile", .serialized)
struct AtomicFileTests {
    @Test func readingAPrefixStopsAtItsLengthInsteadOfReadingTheWholeFile() throws {
        let folder = ScratchFolder()
        let path = folder.file("big.bin")
        // Three megabytes: a reader that went on would hand out all of them.
        let bytes = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        var handed = 0
        let total = try AtomicFile.readPieces(path, upTo: (1 << 20) + 5) { handed += $0.count }
        #expect(total == (1 << 20) + 5 && handed == total)
        #expect(try AtomicFile.readPrefix(path, count: 8) == Data(bytes.prefix(8)))
        #expect(try AtomicFile.readPrefix(path, count: 10 << 20) == Data(bytes), "a prefix longer than the file is the file")
    }

    @Test func writeCreatesMode0600WhateverTheUmaskAndKeepsItAcrossWrites() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let saved = umask(0o022)
        defer { umask(saved) }

        for round in 1...3 {
            let bytes = Data("{\"round\":\(round)}".utf8)
            try AtomicFile.write(bytes, to: path)
            #expect(fileMode(path) == 0o600)
            #expect(contents(path) == bytes)
        }
        #expect(AtomicFile.leftoverTempFiles(for: path).isEmpty)
    }

    @Test func anExisting0644FileBecomes0600() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
        #expect(fileMode(path) == 0o644)

        try AtomicFile.write(Data("new".utf8), to: path)
        #expect(fileMode(path) == 0o600)
        #expect(contents(path) == Data("new".utf8))
    }

    @Test func emptyDataWritesAnEmptyFile() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        try AtomicFile.write(Data("old".utf8), to: path)
        try AtomicFile.write(Data(), to: path)
        #expect(contents(path) == Data())
    }

    @Test func writeIntoAMissingFolderIsParentMissing() throws {
        let folder = ScratchFolder()
        let path = folder.file("no-such-folder/doc.json")
        #expect(throws: StoreError.parentMissing(path: path)) {
            try AtomicFile.write(Data("x".utf8), to: path)
        }
    }

    @Test func writeOntoAFolderFailsAndLeavesTheFolderAlone() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        try Data("inside".utf8).write(to: URL(fileURLWithPath: path + "/keep.txt"))

        #expect(throws: StoreError.isDirectory(path: path)) {
            try AtomicFile.write(Data("x".utf8), to: path)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["keep.txt"])
        #expect(contents(path + "/keep.txt") == Data("inside".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["doc.json"])
    }

    #if os(Linux)
    /// A process that ignores SIGXFSZ gets EFBIG past `ulimit -f`; the original must survive intact.
    @Test func exceedingTheFileSizeLimitIsACleanWriteFailureAndKeepsTheOriginal() throws {
        FileSizeLimit.lock.lock()
        defer { FileSizeLimit.lock.unlock() }
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let original = Data("{\"patients\":[]}".utf8)
        try AtomicFile.write(original, to: path)

        let oldHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        let savedLimit = limit
        limit.rlim_cur = min(limit.rlim_cur, 16 << 20) // far above what other tests (or a log) write meanwhile
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        defer {
            var restore = savedLimit
            setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &restore)
            signal(SIGXFSZ, oldHandler)
        }

        let tooBig = Data(repeating: UInt8(ascii: "a"), count: Int(limit.rlim_cur) + 4096)
        #expect(throws: StoreError.writeFailed(path: path, reason: "the file is too large for this system's limit")) {
            try AtomicFile.write(tooBig, to: path)
        }
        #expect(contents(path) == original)
        #expect(AtomicFile.leftoverTempFiles(for: path).isEmpty)
    }
    #endif

    @Test func readingAMissingFileIsNotFound() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        #expect(throws: StoreError.notFound(path: path)) { try AtomicFile.read(path) }
    }

    @Test func readingAFileInAMissingFolderIsParentMissing() throws {
        let folder = ScratchFolder()
        let path = folder.file("gone/doc.json")
        #expect(throws: StoreError.parentMissing(path: path)) { try AtomicFile.read(path) }
    }

    @Test func readingAFolderIsIsDirectory() throws {
        let folder = ScratchFolder()
        #expect(throws: StoreError.isDirectory(path: folder.path)) { try AtomicFile.read(folder.path) }
    }

    @Test func readingThroughAFileUsedAsAFolderNamesThatFile() throws {
        let folder = ScratchFolder()
        let notAFolder = folder.file("notes.txt")
        try Data("x".utf8).write(to: URL(fileURLWithPath: notAFolder))
        let path = notAFolder + "/doc.json"

        #expect(throws: StoreError.io(path: path, operation: "read", reason: "\(notAFolder) is a file, not a folder")) {
            try AtomicFile.read(path)
        }
    }

    // Permission denial on read is checked as an unprivileged user in CaseloadCLITests (root reads anything).

    @Test func readReturnsTheBytesWritten() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let bytes = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
        try AtomicFile.write(bytes, to: path)
        #expect(try AtomicFile.read(path) == bytes)
    }

    @Test func leftoverTempFilesAreFoundAndQuarantinedNotDeleted() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        try AtomicFile.write(Data("current".utf8), to: path)
        let first = folder.file(".doc.json.tmp-4242-1a2b3c4d")
        let second = folder.file(".doc.json.tmp-17-ff")
        let otherDocument = folder.file(".other.json.tmp-4242-1a2b")
        let notTemp = folder.file(".doc.json.tmp-notes")
        try Data("interrupted save 1".utf8).write(to: URL(fileURLWithPath: first))
        try Data("interrupted save 2".utf8).write(to: URL(fileURLWithPath: second))
        try Data("other".utf8).write(to: URL(fileURLWithPath: otherDocument))
        try Data("mine".utf8).write(to: URL(fileURLWithPath: notTemp))

        #expect(AtomicFile.leftoverTempFiles(for: path) == [second, first])

        let moved = try AtomicFile.quarantineLeftovers(for: path)
        let quarantine = Backups(documentPath: path).quarantineFolder
        #expect(moved == [quarantine + "/doc.json.tmp-17-ff", quarantine + "/doc.json.tmp-4242-1a2b3c4d"])
        #expect(contents(moved[0]) == Data("interrupted save 2".utf8))
        #expect(contents(moved[1]) == Data("interrupted save 1".utf8))
        #expect(!FileManager.default.fileExists(atPath: first))
        #expect(!FileManager.default.fileExists(atPath: second))
        #expect(contents(otherDocument) == Data("other".utf8))
        #expect(contents(notTemp) == Data("mine".utf8))
        #expect(contents(path) == Data("current".utf8))
        #expect(AtomicFile.leftoverTempFiles(for: path).isEmpty)
    }

    @Test func quarantineNeverOverwritesAnEarlierQuarantinedFile() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let leftover = folder.file(".doc.json.tmp-1-aa")
        try Data("first".utf8).write(to: URL(fileURLWithPath: leftover))
        let firstMove = try AtomicFile.quarantineLeftovers(for: path)
        try Data("second".utf8).write(to: URL(fileURLWithPath: leftover))
        let secondMove = try AtomicFile.quarantineLeftovers(for: path)

        #expect(firstMove.count == 1 && secondMove.count == 1 && firstMove != secondMove)
        #expect(contents(firstMove[0]) == Data("first".utf8))
        #expect(contents(secondMove[0]) == Data("second".utf8))
    }

    @Test func nothingToQuarantineCreatesNoFolders() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        #expect(try AtomicFile.quarantineLeftovers(for: path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}

@Suite("FileFingerprint")
struct FileFingerprintTests {
    private func setModified(_ path: String, seconds: Int) {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }

    @Test func aFreshFingerprintMatchesTheFile() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let bytes = Data("{\"a\":1}".utf8)
        try AtomicFile.write(bytes, to: path)
        let print = try FileFingerprint.of(data: bytes, atPath: path)

        #expect(print.size == Int64(bytes.count))
        #expect(print.sha256.count == 64)
        #expect(print.statMatches(atPath: path))
        #expect(try print.compare(atPath: path) == .same)
        #expect(try FileFingerprint.current(atPath: path) == print)
    }

    @Test func currentIsNilWhenThereIsNoFile() throws {
        let folder = ScratchFolder()
        #expect(try FileFingerprint.current(atPath: folder.file("none.json")) == nil)
    }

    @Test func anExternalRewriteWithTheSameSizeIsAChange() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let bytes = Data("{\"a\":1}".utf8)
        try AtomicFile.write(bytes, to: path)
        setModified(path, seconds: 1_700_000_000)
        let print = try FileFingerprint.of(data: bytes, atPath: path)

        // Another program rewrites in place: same length, new bytes, a later mtime.
        try Data("{\"a\":2}".utf8).write(to: URL(fileURLWithPath: path))
        setModified(path, seconds: 1_700_000_100)

        #expect(!print.statMatches(atPath: path))
        guard case .changed(let now) = try print.compare(atPath: path) else {
            Issue.record("expected .changed")
            return
        }
        #expect(now.size == print.size && now.sha256 != print.sha256)
        #expect(try !print.matchesDisk(atPath: path))
    }

    @Test func aTouchThatKeepsTheBytesIsNotAChange() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let bytes = Data("{\"a\":1}".utf8)
        try AtomicFile.write(bytes, to: path)
        setModified(path, seconds: 1_700_000_000)
        let print = try FileFingerprint.of(data: bytes, atPath: path)

        setModified(path, seconds: 1_700_000_500)

        #expect(!print.statMatches(atPath: path))
        guard case .touched(let now) = try print.compare(atPath: path) else {
            Issue.record("expected .touched")
            return
        }
        #expect(now.sha256 == print.sha256 && now.modified.seconds == 1_700_000_500)
        #expect(try print.matchesDisk(atPath: path))
        #expect(try now.compare(atPath: path) == .same)
    }

    @Test func aDeletedFileIsMissing() throws {
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let bytes = Data("x".utf8)
        try AtomicFile.write(bytes, to: path)
        let print = try FileFingerprint.of(data: bytes, atPath: path)
        unlink(path)
        #expect(try print.compare(atPath: path) == .missing)
    }
}

/// The file-size limit is the process's: tests that lower it take turns, or one's limit fails another's writes.
enum FileSizeLimit {
    static let lock = NSLock()
}
