import Crypto
import CaseloadCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One backup copy of a document.
public struct Backup: Equatable, Sendable {
    public var path: String
    public var name: String
    /// The time in its name (UTC, whole seconds).
    public var date: Date
    /// 1 for the first backup in a second, 2 for its `-2` sibling, and so on.
    public var sequence: Int
    public var size: Int64

    public init(path: String, name: String, date: Date, sequence: Int, size: Int64) {
        self.path = path
        self.name = name
        self.date = date
        self.sequence = sequence
        self.size = size
    }
}

/// Rotating, verified copies of a document in `<dir>/<basename>.backups/`.
public struct Backups: Sendable {
    /// This many newest backups are always kept.
    public static let keepNewest = 20
    /// For this many days back, the newest backup of each UTC day is kept too.
    public static let keepDailyDays = 30

    public let documentPath: String
    /// `<dir>/<basename>.backups`, mode 0700 (2770 with the document's group when it is shared).
    public let folder: String
    /// Where interrupted saves' temp files are moved; pruning never looks inside.
    public var quarantineFolder: String { AtomicFile.join(folder, "quarantine") }
    /// The document's name without `.json`: backup names start with it.
    let stem: String

    public init(documentPath: String) {
        self.documentPath = documentPath
        let (dir, base) = AtomicFile.split(documentPath)
        folder = AtomicFile.join(dir, base + ".backups")
        stem = base.hasSuffix(".json") ? String(base.dropLast(5)) : base
    }

    /// Writes `data` as a new backup, reads it back to verify it, and only then prunes old ones.
    public func makeBackup(of data: Data, now: Date) throws(StoreError) -> Backup {
        let (path, name, sequence) = try newBackupPath(now: now)
        do {
            try AtomicFile.write(data, to: path, modes: SharedTrust.modes(forDocument: documentPath))
        } catch {
            throw StoreError.backupFailed(path: documentPath, reason: "cannot write \(path): \(Self.explain(error))")
        }
        let copy: Data
        do {
            copy = try AtomicFile.read(path)
        } catch {
            throw StoreError.backupFailed(path: documentPath, reason: "cannot read back \(path): \(Self.explain(error))")
        }
        guard copy == data else {
            // A copy that does not match is worse than none: it would be restored with confidence.
            unlink(path)
            throw StoreError.backupFailed(path: documentPath, reason: "the copy read back from \(path) differs from what was written")
        }
        // The verified backup is what matters; pruning that fails now is retried after the next backup.
        _ = try? prune(now: now)
        return Backup(path: path, name: name, date: UTCStamp.wholeSeconds(now), sequence: sequence, size: Int64(data.count))
    }

    /// Copies the file at `source` as a new backup a piece at a time (a large chart is never held whole for it), reads
    /// the copy back and compares its SHA-256 with the original's, and only then prunes old ones.
    public func makeBackup(copying source: String, now: Date) throws(StoreError) -> Backup {
        let (path, name, sequence) = try newBackupPath(now: now)
        var original = SHA256()
        var size = 0
        var readFailure: StoreError?
        do {
            try AtomicFile.write(to: path, modes: SharedTrust.modes(forDocument: documentPath)) { sink in
                do throws(StoreError) {
                    size = try AtomicFile.readPieces(source) { piece in
                        sink.write(piece)
                        original.update(bufferPointer: piece)
                    }
                } catch {
                    readFailure = error
                }
            }
        } catch {
            throw StoreError.backupFailed(path: documentPath, reason: "cannot write \(path): \(Self.explain(error))")
        }
        if let readFailure {
            // The copy may be short: it must not stand as a backup.
            unlink(path)
            throw readFailure
        }
        var copy = SHA256()
        do {
            _ = try AtomicFile.readPieces(path) { copy.update(bufferPointer: $0) }
        } catch {
            throw StoreError.backupFailed(path: documentPath, reason: "cannot read back \(path): \(Self.explain(error))")
        }
        guard copy.finalize() == original.finalize() else {
            // A copy that does not match is worse than none: it would be restored with confidence.
            unlink(path)
            throw StoreError.backupFailed(path: documentPath, reason: "the copy read back from \(path) differs from what was written")
        }
        _ = try? prune(now: now)
        return Backup(path: path, name: name, date: UTCStamp.wholeSeconds(now), sequence: sequence, size: Int64(size))
    }

    /// A free name for a backup made `now`, in a folder made safe first.
    private func newBackupPath(now: Date) throws(StoreError) -> (path: String, name: String, sequence: Int) {
        do {
            try Self.ensureFolder(folder, documentPath: documentPath)
        } catch {
            if case .backupFailed = error { throw error }
            throw StoreError.backupFailed(path: documentPath, reason: "cannot create \(folder): \(Self.explain(error))")
        }
        let stamp = UTCStamp.compact(now)
        var sequence = 1
        var name = backupName(stamp, sequence)
        while fileExists(AtomicFile.join(folder, name)) {
            sequence += 1
            name = backupName(stamp, sequence)
        }
        return (AtomicFile.join(folder, name), name, sequence)
    }

    /// Deletes backups outside the retention rule and returns them: keeps the newest `keepNewest`,
    /// plus the newest of each UTC day in the last `keepDailyDays` days.
    @discardableResult
    public func prune(now: Date) throws(StoreError) -> [Backup] {
        let all = try inventory().backups
        var keep = Set(all.prefix(Self.keepNewest).map(\.path))
        let cutoff = now.addingTimeInterval(-Double(Self.keepDailyDays) * 86_400)
        var daysSeen = Set<Int64>()
        // `all` is newest first, so the first backup met on a day is that day's newest.
        for backup in all where backup.date >= cutoff {
            if daysSeen.insert(UTCStamp.day(backup.date)).inserted {
                keep.insert(backup.path)
            }
        }
        var deleted: [Backup] = []
        var failure: StoreError?
        for backup in all where !keep.contains(backup.path) {
            if unlink(backup.path) == 0 || errno == ENOENT {
                deleted.append(backup)
            } else if failure == nil {
                failure = .backupFailed(path: backup.path, reason: "cannot delete an old backup: \(AtomicFile.describe(errno))")
            }
        }
        if let failure { throw failure }
        return deleted
    }

    /// The document's backups, newest first; nothing when the folder is missing or not safe to trust (see `inventory`).
    public func list() -> [Backup] {
        (try? inventory())?.backups ?? []
    }

    /// The document's backups, newest first, and the backup-named files that were passed over with the reason for each.
    ///
    /// Throws when the folder is not safe (a link, another account's, or open to others): anyone who can write
    /// there could delete the real backups and plant a forged one for `restore` to bring back.
    public func inventory() throws(StoreError) -> (backups: [Backup], refused: [String]) {
        guard try Self.checkFolder(folder, documentPath: documentPath) else { return ([], []) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return ([], []) }
        let sharing = SharedTrust.modes(forDocument: documentPath)
        var backups: [Backup] = []
        var refused: [String] = []
        for name in names {
            guard let parsed = parseName(name) else { continue }
            let path = AtomicFile.join(folder, name)
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if let problem = Self.untrustedFileProblem(info, sharing: sharing) {
                refused.append("\(name): \(problem)")
                continue
            }
            backups.append(Backup(path: path, name: name, date: parsed.date, sequence: parsed.sequence, size: Int64(info.st_size)))
        }
        return (backups.sorted { ($0.date, $0.sequence) > ($1.date, $1.sequence) }, refused.sorted())
    }

    /// The bytes of a listed backup, read without following a link and only if it is still a trusted single-link file.
    public func read(_ backup: Backup) throws(StoreError) -> Data {
        _ = try Self.checkFolder(folder, documentPath: documentPath)
        let fd = open(backup.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd < 0 {
            let code = errno
            let reason = code == ELOOP ? "it is a symbolic link" : AtomicFile.describe(code)
            throw StoreError.backupFailed(path: documentPath, reason: "cannot read \(backup.path): \(reason)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw StoreError.backupFailed(path: documentPath, reason: "cannot read \(backup.path): \(AtomicFile.describe(errno))")
        }
        if let problem = Self.untrustedFileProblem(info, sharing: SharedTrust.modes(forDocument: documentPath)) {
            throw StoreError.backupFailed(path: documentPath, reason: "\(backup.path) is not restored: \(problem)")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { backupRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.backupFailed(path: documentPath, reason: "cannot read \(backup.path): \(AtomicFile.describe(errno))")
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    /// The backup named by a file name, a path, or a time prefix (`20261130T1805`, `2026-11-30T18:05`);
    /// when a prefix fits several, the newest.
    public func find(_ nameOrPath: String) -> Backup? {
        let query = nameOrPath.trimmingCharacters(in: .whitespaces)
        guard !query.isEmpty else { return nil }
        let all = list()
        if query.contains("/") {
            let wanted = URL(fileURLWithPath: query).standardizedFileURL.path
            return all.first { URL(fileURLWithPath: $0.path).standardizedFileURL.path == wanted }
        }
        if let exact = all.first(where: { $0.name == query || $0.name == query + ".json" }) {
            return exact
        }
        let compact = query.filter { $0 != "-" && $0 != ":" }
        if !compact.isEmpty, compact.allSatisfy({ $0.isNumber || $0 == "T" || $0 == "Z" }) {
            return all.first { UTCStamp.compact($0.date).hasPrefix(compact) }
        }
        return all.first { $0.name.hasPrefix(query) }
    }

    // MARK: - Internals

    /// Creates `path` as a 0700 folder (2770 with the group of a shared document: `modes`, by default those of
    /// `documentPath`) unless a folder is already there, then checks it is safe (`checkFolder`).
    static func ensureFolder(_ path: String, documentPath: String? = nil, modes: SharedModes? = nil) throws(StoreError) {
        let modes = modes ?? documentPath.map(SharedTrust.modes(forDocument:)) ?? .private
        if mkdir(path, 0o700) == 0 {
            // mkdir's mode passes through the umask; backups hold the same records as the document. Through a
            // descriptor that does not follow a link, so nothing swapped in meanwhile is changed instead.
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd >= 0 {
                let failed = SharedTrust.apply(modes, kind: .folder, to: fd)
                close(fd)
                if let failed, modes.isShared {
                    throw AtomicFile.writeError(failed, path: path, operation: "give the folder the shared document's group")
                }
            }
        } else {
            let code = errno
            var info = stat()
            if code == EEXIST, lstat(path, &info) == 0 {
                if (info.st_mode & S_IFMT) != S_IFDIR, (info.st_mode & S_IFMT) != S_IFLNK {
                    throw StoreError.io(path: path, operation: "create folder", reason: "a file with that name is in the way")
                }
            } else {
                throw AtomicFile.writeError(code, path: path, operation: "create folder")
            }
        }
        _ = try checkFolder(path, documentPath: documentPath ?? path, modes: modes)
    }

    /// False when nothing is at `path`; true when it is a folder that only this user can use (not a symbolic link,
    /// owned by the effective user, mode exactly 0700) or, for a shared document, a folder `SharedTrust` trusts (2770
    /// with the document's group, owned by the user or another member). Otherwise throws, naming the folder and what is
    /// wrong. `modes`: the document's sharing, by default read from `documentPath`.
    ///
    /// The owner is compared explicitly, because root passes every permission check. A folder of the user's own with
    /// a wider mode is refused too rather than chmodded: someone may already have planted or taken files there.
    static func checkFolder(_ path: String, documentPath: String, modes: SharedModes? = nil) throws(StoreError) -> Bool {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return false }
            var info = stat()
            if code == ELOOP || (code == ENOTDIR && lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK) {
                throw unsafeFolder(path, documentPath, "it is a symbolic link; a backups folder must be a real folder")
            }
            throw StoreError.backupFailed(path: documentPath, reason: "cannot open the backups folder \(path): \(AtomicFile.describe(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw StoreError.backupFailed(path: documentPath, reason: "cannot check the backups folder \(path): \(AtomicFile.describe(errno))")
        }
        let sharing = modes ?? SharedTrust.modes(forDocument: documentPath)
        if let problem = SharedTrust.problem(FileFacts(info), kind: .folder, sharing: sharing) {
            throw unsafeFolder(path, documentPath, problem)
        }
        return true
    }

    private static func unsafeFolder(_ path: String, _ documentPath: String, _ problem: String) -> StoreError {
        .backupFailed(path: documentPath, reason: "the backups folder \(path) is not safe to use: \(problem); nothing was read from or written to it — move it aside to start a new one")
    }

    /// Why a file in the backups folder is not trusted as a backup, or nil when it is a single-link file `SharedTrust`
    /// trusts (the user's own; a group member's in a shared document).
    static func untrustedFileProblem(_ info: stat, sharing: SharedModes) -> String? {
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: return "it is a symbolic link"
        default: return "it is not a regular file"
        }
        return SharedTrust.problem(FileFacts(info), kind: .file, sharing: sharing)
    }

    /// The part of an error worth repeating inside a backup message (the path is already named there).
    private static func explain(_ error: StoreError) -> String {
        switch error {
        case .writeFailed(_, let reason), .io(_, _, let reason): return reason
        case .permissionDenied(_, let operation): return "permission denied (\(operation))"
        default: return error.description
        }
    }

    private func backupName(_ stamp: String, _ sequence: Int) -> String {
        sequence == 1 ? "\(stem)-\(stamp).json" : "\(stem)-\(stamp)-\(sequence).json"
    }

    /// Date and sequence from `<stem>-YYYYMMDDTHHMMSSZ[-N].json`; nil for any other file.
    private func parseName(_ name: String) -> (date: Date, sequence: Int)? {
        let prefix = stem + "-"
        guard name.hasPrefix(prefix), name.hasSuffix(".json") else { return nil }
        let middle = name.dropFirst(prefix.count).dropLast(5)
        let stampLength = 16
        guard middle.count >= stampLength, let date = UTCStamp.parseCompact(middle.prefix(stampLength)) else { return nil }
        let rest = middle.dropFirst(stampLength)
        if rest.isEmpty { return (date, 1) }
        guard rest.first == "-", let sequence = Int(rest.dropFirst()), sequence >= 2 else { return nil }
        return (date, sequence)
    }

    private func fileExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}

/// When the next backup is due: the first save of a session, then every ten minutes of saving.
public struct BackupSchedule: Sendable {
    /// Seconds between backups within a session.
    public static let interval: TimeInterval = 600

    /// True when there is no backup yet this session, or the last one is `interval` old.
    public static func isDue(lastBackup: Date?, now: Date) -> Bool {
        guard let lastBackup else { return true }
        // A clock set back would otherwise postpone backups until it caught up again.
        if now < lastBackup { return true }
        return now.timeIntervalSince(lastBackup) >= interval
    }
}

/// UTC calendar arithmetic for backup names, independent of the machine's time zone and locale.
enum UTCStamp {
    /// `YYYYMMDDTHHMMSSZ`: Core's UTC timestamp without the separators, so names sort by time.
    static func compact(_ date: Date) -> String {
        Timestamp(date).iso.filter { $0 != "-" && $0 != ":" }
    }

    static func parseCompact(_ text: Substring) -> Date? {
        let u = Array(text.utf8)
        guard u.count == 16, u[8] == UInt8(ascii: "T"), u[15] == UInt8(ascii: "Z") else { return nil }
        let s = String(text)
        func part(_ from: Int, _ count: Int) -> Substring { s.dropFirst(from).prefix(count) }
        let iso = "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):\(part(13, 2))Z"
        return Timestamp(iso: iso)?.date
    }

    /// Days since 1970-01-01 of the UTC day holding `date`.
    static func day(_ date: Date) -> Int64 {
        let seconds = Timestamp(date).seconds
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    static func wholeSeconds(_ date: Date) -> Date {
        Timestamp(date).date
    }
}

// Top-level wrapper: inside `Backups`, `read` names its own method.
private func backupRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
