import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Another instance that has the document open, as its presence record says.
public struct PresenceRecord: Sendable, Equatable {
    /// The login the instance works as (a staff member's login, or its account's name).
    public var login: String
    public var pid: Int
    public var host: String
    /// When the instance opened the document, to the second.
    public var started: Date
    /// The record file's modification time: the instance's last heartbeat.
    public var lastBeat: Date
    /// The record's file name in the presence folder.
    public var fileName: String

    /// The login safe to print on a terminal: control characters escaped (`\u{1B}`), cut at 64 characters, because any
    /// account that can write in the folder chose it.
    public var shownLogin: String { LockHolder.shown(login) }
}

/// Who has a document open: one small record file per instance in `<document>.presence/`, its modification time the
/// heartbeat.
///
/// A record holds the login, pid, host and start time, never patient data. An instance beats every second; a record not
/// beaten for `staleAfter` seconds, or whose process is gone on this host, is no longer counted, so a crashed or killed
/// instance disappears within seconds. Files are never followed through symbolic links, read past 4 KiB, or trusted:
/// a malformed record is ignored. Only this account's records are ever deleted.
///
/// The folder's trust is the store's one rule for a document's files (`SharedTrust`): this account's own folder, 0700
/// (2770 with the document's group when the document is shared), or, for a shared document, another member's folder
/// with the group's mode. A new folder and each record get the document's modes (records 0600, or 0660 with the group).
public final class Presence: @unchecked Sendable {
    /// A record not beaten for this long is no longer counted.
    public static let staleAfter: TimeInterval = 5
    /// This account's records left this long (a crash) are deleted by the next of its instances that looks.
    public static let removeOwnAfter: TimeInterval = 60
    /// Records read at most per look: a folder flooded with files costs no more than this.
    static let maxFiles = 200
    /// A record is a few dozen bytes; anything longer is not one.
    static let maxRecordBytes = 4096

    /// The document path the folder belongs to (symbolic links resolved), and the folder.
    public let documentPath: String
    public let folder: String
    /// This instance's record, as the file is named in the folder (empty once it has left).
    public var recordName: String { mutex.withLock { name } }
    public let login: String
    // Guards everything below: beats, looks and leaving may come from different threads.
    private let mutex = NSLock()
    private var folderFD: Int32
    private var recordFD: Int32
    private var name: String
    private let sharing: SharedModes
    private let host: String
    private let started: Date

    private init(documentPath: String, folder: String, folderFD: Int32, login: String, sharing: SharedModes, host: String, started: Date) {
        self.documentPath = documentPath
        self.folder = folder
        self.folderFD = folderFD
        self.login = login
        self.sharing = sharing
        self.host = host
        self.started = started
        name = ""
        recordFD = -1
    }

    deinit { leave() }

    /// The presence folder of a document: `<resolved document path>.presence`.
    public static func folderPath(for documentPath: String) -> String {
        resolved(documentPath) + ".presence"
    }

    /// Makes (or uses) the document's presence folder and writes this instance's record.
    public static func join(documentPath: String, login: String, now: Date = Date()) throws(StoreError) -> Presence {
        let document = resolved(documentPath)
        let folder = document + ".presence"
        // A shared document's group may read the records; a private one's, only this account.
        let sharing = SharedTrust.modes(forDocument: document)
        let fd = try openFolder(folder, sharing: sharing)
        let presence = Presence(documentPath: document, folder: folder, folderFD: fd, login: login,
                                sharing: sharing, host: currentHost(),
                                started: Date(timeIntervalSince1970: floor(now.timeIntervalSince1970)))
        try presence.lockedWriteRecord(now: now)
        return presence
    }

    /// Marks this instance alive now (the record's modification time); writes the record again if it was removed
    /// (the process was stopped for a minute, and another instance of this account cleared it away).
    public func beat(now: Date = Date()) {
        mutex.lock()
        defer { mutex.unlock() }
        guard folderFD >= 0 else { return }
        var info = stat()
        if recordFD < 0 || fstat(recordFD, &info) != 0 || info.st_nlink == 0 {
            try? lockedWriteRecord(now: now)
            return
        }
        var times = [Self.fileTime(now), Self.fileTime(now)]
        _ = futimens(recordFD, &times)
    }

    /// The other instances alive now: records beaten within `staleAfter` whose process still runs (on this host).
    /// This account's records that are dead (their process gone, or not beaten for `removeOwnAfter`) are deleted.
    public func others(now: Date = Date()) -> [PresenceRecord] {
        mutex.lock()
        defer { mutex.unlock() }
        guard folderFD >= 0 else { return [] }
        var found: [PresenceRecord] = []
        for entry in lockedNames() where entry != name {
            var info = stat()
            // Never followed: a symbolic link, a folder or a fifo planted here is not a record.
            guard fstatat(folderFD, entry, &info, AT_SYMLINK_NOFOLLOW) == 0, AtomicFile.isRegular(info) else { continue }
            let age = now.timeIntervalSince(Self.modified(info))
            let ours = info.st_uid == geteuid()
            if ours, age > Self.removeOwnAfter {
                _ = unlinkat(folderFD, entry, 0)
                continue
            }
            let fresh = age <= Self.staleAfter && age >= -Self.staleAfter
            // A stale record is read only when it is ours, to clear it away as soon as its process is gone.
            guard fresh || ours, let record = readRecord(entry, info) else { continue }
            if record.host == host, Self.processIsGone(record.pid) {
                if ours { _ = unlinkat(folderFD, entry, 0) }
                continue
            }
            if fresh { found.append(record) }
        }
        return found.sorted { ($0.login, $0.started, $0.fileName) < ($1.login, $1.started, $1.fileName) }
    }

    /// Removes this instance's record; safe to call more than once. Afterwards it neither beats nor looks.
    public func leave() {
        mutex.lock()
        defer { mutex.unlock() }
        guard folderFD >= 0 else { return }
        if recordFD >= 0 {
            // Only our own file: the name is checked against the descriptor we wrote, so a record put in its place by
            // someone else is left alone.
            var mine = stat(), there = stat()
            if fstat(recordFD, &mine) == 0, fstatat(folderFD, name, &there, AT_SYMLINK_NOFOLLOW) == 0,
               mine.st_ino == there.st_ino, mine.st_dev == there.st_dev {
                _ = unlinkat(folderFD, name, 0)
            }
            close(recordFD)
            recordFD = -1
        }
        name = ""
        close(folderFD)
        folderFD = -1
    }

    // MARK: - The folder

    /// The document path with symbolic links resolved, so that two instances opening it by different names meet; a file
    /// not there yet is resolved through its folder.
    static func resolved(_ path: String) -> String {
        if let real = realPath(path) { return real }
        let name = (path as NSString).lastPathComponent
        let parent = (path as NSString).deletingLastPathComponent
        if let real = realPath(parent.isEmpty ? "." : parent) { return AtomicFile.join(real, name) }
        return path
    }

    private static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Opens the folder (made with the document's modes if missing) after checking it may be used.
    private static func openFolder(_ folder: String, sharing: SharedModes) throws(StoreError) -> Int32 {
        let operation = "show who else has the document open"
        let made = mkdir(folder, 0o700) == 0
        if !made {
            let code = errno
            if code != EEXIST {
                switch code {
                case ENOENT: throw StoreError.parentMissing(path: folder)
                case EACCES, EPERM: throw StoreError.permissionDenied(path: folder, operation: "create the presence folder")
                default: throw StoreError.io(path: folder, operation: operation, reason: AtomicFile.describe(code))
                }
            }
        }
        var seen = stat()
        guard lstat(folder, &seen) == 0 else {
            throw StoreError.io(path: folder, operation: operation, reason: AtomicFile.describe(errno))
        }
        if let problem = folderProblem(seen, made: made, sharing: sharing) {
            throw StoreError.io(path: folder, operation: operation, reason: problem)
        }
        // O_NOFOLLOW and the same inode as looked at: the folder cannot be swapped for a link in between.
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == EACCES { throw StoreError.permissionDenied(path: folder, operation: "open the presence folder") }
            throw StoreError.io(path: folder, operation: operation, reason: AtomicFile.describe(code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_ino == seen.st_ino, info.st_dev == seen.st_dev else {
            close(fd)
            throw StoreError.io(path: folder, operation: operation, reason: "the folder changed while it was opened; try again")
        }
        // A folder made just now gets the document's modes whatever the umask; one already there is used as it is.
        if made, let code = SharedTrust.apply(sharing, kind: .folder, to: fd) {
            close(fd)
            throw StoreError.io(path: folder, operation: operation, reason: "its modes could not be set: \(AtomicFile.describe(code))")
        }
        return fd
    }

    /// Why a presence folder must not be used (nil when it may): a link or not a folder; else, for one this process did
    /// not just make, what the store's trust rule says of it.
    static func folderProblem(_ info: stat, made: Bool, sharing: SharedModes) -> String? {
        let type = info.st_mode & S_IFMT
        if type == S_IFLNK { return "it is a symbolic link; remove it and Caseload makes the folder again" }
        if type != S_IFDIR { return "it is not a folder; move it aside and Caseload makes the folder" }
        if made { return nil }
        return SharedTrust.problem(FileFacts(info), kind: .folder, sharing: sharing)
    }

    // MARK: - Records

    /// The record's JSON: what another instance may learn of this one.
    private struct Body: Codable {
        var login: String
        var pid: Int
        var host: String
        var started: String
    }

    /// Writes this instance's record under a new name (the mutex held).
    private func lockedWriteRecord(now: Date) throws(StoreError) {
        if recordFD >= 0 {
            close(recordFD)
            recordFD = -1
        }
        let body = Body(login: login, pid: Int(getpid()), host: host, started: Date.ISO8601FormatStyle().format(started))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = (try? encoder.encode(body)) ?? Data()
        bytes.append(UInt8(ascii: "\n"))
        var lastError: Int32 = EEXIST
        // A new random name each try: O_EXCL refuses a name already there, including one planted in advance.
        for _ in 0..<8 {
            let fresh = "\(Self.fileSafe(login)).\(getpid()).\(String(format: "%06x", UInt32.random(in: 0..<0x100_0000)))"
            let fd = openat(folderFD, fresh, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 {
                lastError = errno
                if lastError == EEXIST || lastError == EINTR { continue }
                break
            }
            // The group's read, when shared; if that cannot be given, the record stays this account's alone.
            _ = SharedTrust.apply(sharing, kind: .file, to: fd)
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            var times = [Self.fileTime(now), Self.fileTime(now)]
            _ = futimens(fd, &times)
            guard written == bytes.count else {
                let code = errno
                close(fd)
                _ = unlinkat(folderFD, fresh, 0)
                throw StoreError.writeFailed(path: AtomicFile.join(folder, fresh), reason: AtomicFile.describe(code))
            }
            recordFD = fd
            name = fresh
            return
        }
        if lastError == EACCES || lastError == EPERM {
            throw StoreError.permissionDenied(path: folder, operation: "write a presence record")
        }
        throw StoreError.io(path: folder, operation: "write a presence record", reason: AtomicFile.describe(lastError))
    }

    /// The folder's entries, at most `maxFiles` of them, hidden names skipped (the mutex held).
    private func lockedNames() -> [String] {
        let copy = dup(folderFD)
        guard copy >= 0, let dir = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var names: [String] = []
        while names.count < Self.maxFiles, let entry = readdir(dir) {
            let text = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if text.isEmpty || text.hasPrefix(".") { continue }
            names.append(text)
        }
        return names
    }

    /// A record's contents, or nil when it is not one (too long, not the JSON of a record, changed under us).
    private func readRecord(_ entry: String, _ seen: stat) -> PresenceRecord? {
        guard seen.st_size <= Self.maxRecordBytes else { return nil }
        // O_NONBLOCK: a fifo swapped in after the look must not hang the look.
        let fd = openat(folderFD, entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, AtomicFile.isRegular(info), info.st_size <= Self.maxRecordBytes else { return nil }
        var buffer = [UInt8](repeating: 0, count: Self.maxRecordBytes + 1)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0, count <= Self.maxRecordBytes,
              let body = try? JSONDecoder().decode(Body.self, from: Data(buffer[0..<count])),
              !body.login.isEmpty, body.pid > 0,
              let started = try? Date.ISO8601FormatStyle().parse(body.started) else { return nil }
        return PresenceRecord(login: body.login, pid: body.pid, host: body.host, started: started,
                              lastBeat: Self.modified(info), fileName: entry)
    }

    /// Whether no process `pid` runs on this host (`EPERM`: one does, under another account).
    private static func processIsGone(_ pid: Int) -> Bool {
        guard let value = Int32(exactly: pid) else { return true }
        return kill(value, 0) == -1 && errno == ESRCH
    }

    /// A login as part of a file name: letters, digits, `-` and `_` kept, the rest `_` (the record holds the real one).
    static func fileSafe(_ login: String) -> String {
        let kept = login.unicodeScalars.prefix(32).map { scalar -> Character in
            let value = scalar.value
            let plain = (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
                || value == 0x2D || value == 0x5F
            return plain ? Character(scalar) : "_"
        }
        return kept.isEmpty ? "_" : String(kept)
    }

    private static func modified(_ info: stat) -> Date {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Date(timeIntervalSince1970: TimeInterval(time.tv_sec) + TimeInterval(time.tv_nsec) / 1_000_000_000)
    }

    private static func fileTime(_ date: Date) -> timespec {
        let seconds = floor(date.timeIntervalSince1970)
        return timespec(tv_sec: Int(seconds), tv_nsec: Int((date.timeIntervalSince1970 - seconds) * 1_000_000_000))
    }

    private static func currentHost() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown host" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "unknown host" : name
    }
}
