import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a document's lock, as recorded in its `.lock` file.
public struct LockHolder: Codable, Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var pid: Int
    /// When the lock was taken, to the second.
    public var since: Date

    public init(user: String, host: String, pid: Int, since: Date) {
        self.user = user
        self.host = host
        self.pid = pid
        // Whole seconds, so a record survives its ISO-8601 round trip unchanged.
        self.since = Date(timeIntervalSince1970: floor(since.timeIntervalSince1970))
    }

    /// This process, now.
    public static func current(now: Date) -> LockHolder {
        LockHolder(user: currentUser(), host: currentHost(), pid: Int(getpid()), since: now)
    }

    /// "alice@host, pid 4242, since 2026-11-30 18:05 UTC"; control characters in the recorded names are shown
    /// escaped (`\u{1B}`) and each name is cut at 64 characters, because the record is written by whoever holds the lock.
    public var description: String {
        let iso = Self.isoText(since) // 2026-11-30T18:05:00Z
        let day = iso.prefix(10)
        let minute = iso.dropFirst(11).prefix(5)
        return "\(Self.shown(user))@\(Self.shown(host)), pid \(pid), since \(day) \(minute) UTC"
    }

    /// `text` safe to print on a terminal: C0, DEL and C1 controls (and line or paragraph separators) become `\u{…}`.
    static func shown(_ text: String) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 64 { result += "…"; break }
            count += 1
            let value = scalar.value
            if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029 {
                result += "\\u{" + String(value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private enum CodingKeys: String, CodingKey {
        case user, host, pid, since
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decode(String.self, forKey: .since)
        guard let since = try? Date.ISO8601FormatStyle().parse(text) else {
            throw DecodingError.dataCorruptedError(forKey: .since, in: container, debugDescription: "not an ISO-8601 UTC time: \(text)")
        }
        self.init(
            user: try container.decode(String.self, forKey: .user),
            host: try container.decode(String.self, forKey: .host),
            pid: try container.decode(Int.self, forKey: .pid),
            since: since
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(host, forKey: .host)
        try container.encode(pid, forKey: .pid)
        try container.encode(Self.isoText(since), forKey: .since)
    }

    private static func isoText(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }

    private static func currentUser() -> String {
        let name = ProcessInfo.processInfo.userName
        if !name.isEmpty { return name }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(geteuid())"
    }

    private static func currentHost() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown host" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "unknown host" : name
    }
}

/// One save at a time per document: an advisory `flock` on `<document>.lock`, held for as long as this object lives
/// (a save takes it while it merges and writes; issue 18).
///
/// The lock is the kernel's `flock`, not the file's existence: when a process dies, even by SIGKILL,
/// the kernel releases it, so a crash never leaves the document locked. The lock file is never renamed
/// or deleted, because deleting it would let two processes lock two different files of the same name.
public final class FileLock: @unchecked Sendable {
    public let documentPath: String
    public let lockPath: String
    // Guards `fd`; the only mutable state, which makes the class safe to share.
    private let mutex = NSLock()
    private var fd: Int32

    private init(documentPath: String, lockPath: String, fd: Int32) {
        self.documentPath = documentPath
        self.lockPath = lockPath
        self.fd = fd
    }

    deinit {
        release()
    }

    /// The lock file's path for a document.
    public static func lockPath(for documentPath: String) -> String {
        documentPath + ".lock"
    }

    /// Takes the document's lock, waiting up to `waiting` seconds for another instance's save to let it go, or throws
    /// `.locked` naming who has it.
    public static func acquire(for documentPath: String, now: Date = Date(), waiting: TimeInterval) throws(StoreError) -> FileLock {
        let deadline = Date().addingTimeInterval(waiting)
        var pause: TimeInterval = 0.005
        while true {
            do {
                return try acquire(for: documentPath, now: now)
            } catch {
                guard case .locked = error, Date() < deadline else { throw error }
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.1)
            }
        }
    }

    /// Takes the document's lock without waiting, or throws `.locked` naming who has it.
    public static func acquire(for documentPath: String, now: Date = Date()) throws(StoreError) -> FileLock {
        let lockPath = lockPath(for: documentPath)
        // O_NOFOLLOW: the file is truncated and written, so a planted symlink must not redirect that.
        // O_CLOEXEC: an $EDITOR we launch must not inherit (and outlive us holding) the lock.
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, AtomicFile.fileMode)
        if fd < 0 {
            throw openError(errno, documentPath: documentPath, lockPath: lockPath)
        }
        var info = stat()
        if fstat(fd, &info) != 0 || !AtomicFile.isRegular(info) {
            close(fd)
            throw StoreError.io(path: lockPath, operation: "lock", reason: "the lock file is not a regular file")
        }
        // Checked on the open descriptor, before anything is changed: the lock file is truncated and rewritten, so
        // another account's file, or a hard link to some other file, must not be touched (root passes every
        // permission check, hence the explicit owner comparison).
        let modes = SharedTrust.modes(forDocument: documentPath)
        if let problem = untrustedLockProblem(info, sharing: modes) {
            close(fd)
            throw StoreError.readOnly(path: documentPath, reason: "the lock file \(lockPath) is not trusted: \(problem), so Caseload cannot lock the document safely; move that file aside to edit it")
        }
        // Umask-proof mode, the shared document's group and 0660 when it is shared. Only the owner can change them; another
        // member's lock file was trusted because it already has them.
        if info.st_uid == geteuid() { _ = SharedTrust.apply(modes, kind: .file, to: fd) }

        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK {
                let holder = readHolder(fd, settle: true)
                close(fd)
                throw StoreError.locked(
                    path: documentPath,
                    holder: holder?.description ?? "another process; it left no details"
                )
            }
            close(fd)
            throw StoreError.io(path: lockPath, operation: "lock", reason: AtomicFile.describe(code))
        }
        // The record is for people reading the error above; the lock holds without it (e.g. disk full).
        writeRecord(fd, LockHolder.current(now: now))
        return FileLock(documentPath: documentPath, lockPath: lockPath, fd: fd)
    }

    /// The last holder recorded in the document's lock file, if any (it may have exited since).
    public static func holder(of documentPath: String) -> LockHolder? {
        let fd = open(lockPath(for: documentPath), O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readHolder(fd, settle: false)
    }

    /// Whether this object still holds the lock.
    public var isHeld: Bool {
        mutex.lock()
        defer { mutex.unlock() }
        return fd >= 0
    }

    /// Lets another process take the document; safe to call more than once.
    public func release() {
        mutex.lock()
        defer { mutex.unlock() }
        guard fd >= 0 else { return }
        // Clear the record while still holding the lock, so it can never erase a successor's record.
        _ = ftruncate(fd, 0)
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    // MARK: - Private

    /// Why a lock file (or the trail, which is opened the same way) must not be used, or nil when `SharedTrust` trusts
    /// it: the user's own file with one name, or in a shared document (`sharing`) a group member's.
    static func untrustedLockProblem(_ info: stat, sharing: SharedModes) -> String? {
        SharedTrust.problem(FileFacts(info), kind: .file, sharing: sharing)
    }

    private static func openError(_ code: Int32, documentPath: String, lockPath: String) -> StoreError {
        switch code {
        case ENOENT: return .parentMissing(path: documentPath)
        case EACCES, EPERM:
            return .readOnly(path: documentPath, reason: "the lock file \(lockPath) cannot be opened (permission denied; it or its folder belongs to another account?), so Caseload cannot lock the document")
        case EROFS: return .readOnly(path: documentPath, reason: "the folder is on a read-only file system")
        case ELOOP: return .io(path: lockPath, operation: "lock", reason: "the lock file is a symbolic link")
        case EISDIR: return .io(path: lockPath, operation: "lock", reason: "the lock file is a folder")
        default: return .io(path: lockPath, operation: "lock", reason: AtomicFile.describe(code))
        }
    }

    private static func writeRecord(_ fd: Int32, _ holder: LockHolder) {
        guard var line = try? JSONEncoder().encode(holder) else { return }
        line.append(UInt8(ascii: "\n"))
        guard ftruncate(fd, 0) == 0 else { return }
        line.withUnsafeBytes { raw in
            guard var next = raw.baseAddress else { return }
            var offset: off_t = 0
            var left = raw.count
            while left > 0 {
                let written = pwrite(fd, next, left, offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                next += written
                offset += off_t(written)
                left -= written
            }
        }
        // Not synced: the record is for people reading a "locked" message, and every save takes the lock (issue 18).
    }

    /// Parses the record; with `settle`, looks once more after a moment in case the holder is mid-write.
    private static func readHolder(_ fd: Int32, settle: Bool) -> LockHolder? {
        if let holder = parseRecord(fd) { return holder }
        guard settle else { return nil }
        usleep(50_000)
        return parseRecord(fd)
    }

    private static func parseRecord(_ fd: Int32) -> LockHolder? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let line = buffer[0..<count].prefix { $0 != UInt8(ascii: "\n") }
        return try? JSONDecoder().decode(LockHolder.self, from: Data(line))
    }
}
