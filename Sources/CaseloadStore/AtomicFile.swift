import CaseloadCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe whole-file replace and careful reads: a reader sees the old bytes or the new, never a mix.
public enum AtomicFile {
    /// Mode of every private document and backup: the notes are clinical records, readable by their owner only. A
    /// shared document's files are 0660 instead (`SharedTrust`).
    public static let fileMode: mode_t = 0o600

    /// Replaces the file at `path` with `data`, leaving the old bytes untouched if anything fails.
    ///
    /// Temp file in the same folder (so `rename` is atomic), `fsync` before the rename (so the new
    /// name never points at unwritten blocks), `fsync` of the folder after it (so the rename itself
    /// survives a power cut).
    ///
    /// `modes`: how the new file is made; by default as the file it replaces says (`SharedTrust.modes(forDocument:)`:
    /// 0660 with its group when that file is a shared document's, else 0600).
    public static func write(_ data: Data, to path: String, modes: SharedModes? = nil) throws(StoreError) {
        try write(to: path, modes: modes) { sink in
            data.withUnsafeBytes { sink.write($0) }
        }
    }

    /// Replaces the file at `path` with the bytes `produce` hands to the sink, in pieces (a save streams a large
    /// document's kept bytes and new pieces without assembling the whole file first); crash-safe as `write(_:to:)`.
    public static func write(to path: String, modes: SharedModes? = nil, _ produce: (inout FileSink) -> Void) throws(StoreError) {
        let target = resolvingSymlink(path)
        let (dir, base) = split(target)
        try checkCanReplace(target, folder: dir, reportAs: path)
        // A shared document stays shared: its replacement gets its group and 0660 (every member saves it).
        let modes = modes ?? SharedTrust.modes(forDocument: target)

        let (fd, temp) = try createTemp(folder: dir, base: base, reportAs: path)
        var failure: StoreError?
        // fchmod because open's mode is filtered through the umask; the group first, so the file never has the wrong one.
        if let code = SharedTrust.apply(modes, kind: .file, to: fd) {
            if let group = modes.group, code == EPERM {
                let name = UserDatabase.group(group).map { "group \($0.name)" } ?? "gid \(group)"
                failure = .writeFailed(path: path, reason: "the file is shared with \(name), which this account is not in (or was added to after logging in: log in again)")
            } else {
                failure = writeError(code, path: path, operation: "write")
            }
        }
        if failure == nil {
            var sink = FileSink(fd: fd)
            produce(&sink)
            if let code = sink.failure { failure = writeError(code, path: path, operation: "write") }
            if let reason = sink.abandoned { failure = .writeFailed(path: path, reason: reason) }
        }
        if failure == nil, let code = syncRetrying(fd) {
            failure = writeError(code, path: path, operation: "write")
        }
        // close can report a deferred write error (NFS); EINTR on Linux still closes the descriptor.
        if close(fd) != 0, failure == nil, errno != EINTR {
            failure = writeError(errno, path: path, operation: "write")
        }
        // The replaced file's pages are freed when its last descriptor closes; held open across the rename and closed
        // on another thread, a large chart's save does not wait for the kernel to drop its old bytes (~70 ms for 200 MB).
        let replaced = failure == nil ? open(target, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) : -1
        defer {
            if replaced >= 0 {
                let fd = replaced
                DispatchQueue.global(qos: .utility).async { _ = close(fd) }
            }
        }
        if failure == nil, rename(temp, target) != 0 {
            failure = writeError(errno, path: path, operation: "write")
        }
        if let failure {
            unlink(temp)
            throw failure
        }
        try syncFolder(dir, reportAs: path)
    }

    /// The whole file at `path`, with errors that say what is wrong.
    public static func read(_ path: String) throws(StoreError) -> Data {
        try readWithStatus(path).data
    }

    /// Temp files left in the document's folder by a save that was interrupted (crash, power cut).
    ///
    /// Only regular files with one name that `SharedTrust` trusts count (the user's own; in a shared document also a
    /// group member's 0660 file of its group): in a shared folder anyone can create a file with a temp name, and moving
    /// (or hard-linking) theirs into the quarantine would adopt their file as ours.
    public static func leftoverTempFiles(for path: String) -> [String] {
        let document = resolvingSymlink(path)
        let (dir, base) = split(document)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        let sharing = SharedTrust.modes(forDocument: document)
        return names.filter { isTempName($0, base: base) }.sorted().map { join(dir, $0) }.filter { candidate in
            var info = stat()
            guard lstat(candidate, &info) == 0 else { return false }
            return isRegular(info) && SharedTrust.problem(FileFacts(info), kind: .file, sharing: sharing) == nil
        }
    }

    /// Moves leftover temp files into the backups' `quarantine/` folder and returns their new paths.
    ///
    /// They are never deleted: an interrupted save may hold the only copy of the latest notes.
    /// Call it only while holding the document's lock, or another instance's save in progress would be moved.
    public static func quarantineLeftovers(for path: String) throws(StoreError) -> [String] {
        let leftovers = leftoverTempFiles(for: path)
        guard !leftovers.isEmpty else { return [] }
        let backups = Backups(documentPath: path)
        let modes = SharedTrust.modes(forDocument: resolvingSymlink(path))
        try Backups.ensureFolder(backups.folder, modes: modes)
        try Backups.ensureFolder(backups.quarantineFolder, modes: modes)

        var moved: [String] = []
        for source in leftovers {
            // Drop the leading dot so the user can see the file in the quarantine folder.
            let name = String(split(source).base.dropFirst())
            moved.append(try moveWithoutReplacing(source, into: backups.quarantineFolder, name: name))
        }
        _ = syncFolderQuietly(backups.quarantineFolder)
        _ = syncFolderQuietly(split(resolvingSymlink(path)).dir)
        return moved
    }

    // MARK: - Internals shared with the other store files

    /// Folder and last component; a bare name lives in ".".
    static func split(_ path: String) -> (dir: String, base: String) {
        let ns = path as NSString
        let dir = ns.deletingLastPathComponent
        return (dir.isEmpty ? "." : dir, ns.lastPathComponent)
    }

    /// `dir/name` without doubling the slash after "/".
    static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }

    /// The file's bytes together with the `stat` of the very descriptor they were read from.
    static func readWithStatus(_ path: String) throws(StoreError) -> (data: Data, status: stat) {
        let (source, info) = try readSourceWithStatus(path)
        return (source.data, info)
    }

    /// The file's bytes as a buffer to keep (a document's texts and entities stay slices of it), with its `stat`.
    static func readSourceWithStatus(_ path: String) throws(StoreError) -> (source: SourceBytes, status: stat) {
        // O_NONBLOCK so that a FIFO at the path cannot hang the app; it is rejected below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            throw readOpenError(errno, path: path)
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 {
            throw StoreError.io(path: path, operation: "read", reason: describe(errno))
        }
        if isFolder(info) {
            throw StoreError.isDirectory(path: path)
        }
        if !isRegular(info) {
            throw StoreError.io(path: path, operation: "read", reason: "not a regular file")
        }
        // Read straight into one buffer of the file's size, handed to Data without a copy (it grows should the file
        // grow meanwhile): on a chart of hundreds of megabytes a copy per chunk, or at the end, is felt.
        var capacity = max(Int(info.st_size), 0) + 1
        guard var buffer = malloc(capacity) else { throw StoreError.io(path: path, operation: "read", reason: "out of memory") }
        var filled = 0
        while true {
            if filled == capacity {
                capacity *= 2
                guard let grown = realloc(buffer, capacity) else {
                    free(buffer)
                    throw StoreError.io(path: path, operation: "read", reason: "out of memory")
                }
                buffer = grown
            }
            let count = sysRead(fd, buffer + filled, capacity - filled)
            if count < 0 {
                if errno == EINTR { continue }
                let reason = describe(errno)
                free(buffer)
                throw StoreError.io(path: path, operation: "read", reason: reason)
            }
            if count == 0 { break }
            filled += count
        }
        return (SourceBytes(adoptingMalloced: buffer, count: filled), info)
    }

    /// At most the first `count` bytes of the file at `path` (fewer when it is shorter).
    static func readPrefix(_ path: String, count: Int) throws(StoreError) -> Data {
        var out = Data()
        _ = try readPieces(path, upTo: count) { out.append(contentsOf: $0) }
        return out
    }

    /// Reads the file at `path` a piece at a time (a megabyte), handing each to `body`; returns the byte count. For
    /// copying or hashing a large file without holding it whole. With `limit`, reading stops after that many bytes.
    static func readPieces(_ path: String, upTo limit: Int = .max, _ body: (UnsafeRawBufferPointer) -> Void) throws(StoreError) -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw readOpenError(errno, path: path) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw StoreError.io(path: path, operation: "read", reason: describe(errno)) }
        if isFolder(info) { throw StoreError.isDirectory(path: path) }
        if !isRegular(info) { throw StoreError.io(path: path, operation: "read", reason: "not a regular file") }
        let size = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while total < limit {
            let count = sysRead(fd, buffer, min(size, limit - total))
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(path: path, operation: "read", reason: describe(errno))
            }
            if count == 0 { return total }
            body(UnsafeRawBufferPointer(start: buffer, count: count))
            total += count
        }
        return total
    }

    /// `stat` of `path`, or nil when nothing is there.
    static func status(_ path: String, operation: String) throws(StoreError) -> stat? {
        var info = stat()
        if stat(path, &info) == 0 { return info }
        let code = errno
        if code == ENOENT { return nil }
        throw readOpenError(code, path: path, operation: operation)
    }

    static func isFolder(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFDIR }
    static func isRegular(_ info: stat) -> Bool { (info.st_mode & S_IFMT) == S_IFREG }

    /// The C library's text for an errno.
    static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// A write-side errno as the case the user can act on.
    static func writeError(_ code: Int32, path: String, operation: String) -> StoreError {
        switch code {
        case ENOSPC: return .writeFailed(path: path, reason: "the disk is full")
        case EDQUOT: return .writeFailed(path: path, reason: "the disk quota is used up")
        case EFBIG: return .writeFailed(path: path, reason: "the file is too large for this system's limit")
        case EIO: return .writeFailed(path: path, reason: "the disk reported an input/output error")
        case EROFS: return .writeFailed(path: path, reason: "the file system is read-only")
        case EACCES, EPERM: return .permissionDenied(path: path, operation: operation)
        case EISDIR: return .isDirectory(path: path)
        case ENOENT: return .parentMissing(path: path)
        default: return .io(path: path, operation: operation, reason: describe(code))
        }
    }

    /// Moves `source` into `folder` as `name` (or `name-2`, `name-3` …), never over an existing file.
    static func moveWithoutReplacing(_ source: String, into folder: String, name: String) throws(StoreError) -> String {
        for attempt in 1...1000 {
            let destination = join(folder, attempt == 1 ? name : "\(name)-\(attempt)")
            // link fails with EEXIST instead of replacing, which a plain rename would do silently.
            if link(source, destination) == 0 {
                unlink(source)
                return destination
            }
            let code = errno
            if code == EEXIST { continue }
            // Some file systems have no hard links: check, then rename (we hold the lock, so no one races us).
            var info = stat()
            if lstat(destination, &info) == 0 { continue }
            if rename(source, destination) == 0 { return destination }
            throw StoreError.io(path: source, operation: "move to \(folder)", reason: describe(errno))
        }
        throw StoreError.io(path: source, operation: "move to \(folder)", reason: "too many files with that name")
    }

    /// fsync of a folder; EINVAL means the file system has nothing to sync there.
    static func syncFolderQuietly(_ dir: String) -> Int32? {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        // Without read access to the folder it cannot be synced; the rename has happened regardless.
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if let code = syncRetrying(fd), code != EINVAL, code != EROFS { return code }
        return nil
    }

    // MARK: - Private steps

    /// Errors that should stop a write before any temp file exists.
    private static func checkCanReplace(_ target: String, folder: String, reportAs path: String) throws(StoreError) {
        var info = stat()
        if stat(target, &info) == 0 {
            if isFolder(info) { throw StoreError.isDirectory(path: path) }
            return
        }
        let code = errno
        if code == ENOENT {
            var folderInfo = stat()
            if stat(folder, &folderInfo) != 0 {
                throw readOpenError(errno, path: path, operation: "write")
            }
            if !isFolder(folderInfo) {
                throw StoreError.io(path: path, operation: "write", reason: "\(folder) is a file, not a folder")
            }
            return
        }
        throw readOpenError(code, path: path, operation: "write")
    }

    private static func createTemp(folder: String, base: String, reportAs path: String) throws(StoreError) -> (Int32, String) {
        var code: Int32 = EEXIST
        // A name clash means another temp file with the same random part: just draw again.
        for _ in 0..<16 {
            let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
            let temp = join(folder, ".\(base).tmp-\(getpid())-\(suffix)")
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, fileMode)
            if fd >= 0 { return (fd, temp) }
            code = errno
            if code != EEXIST { break }
        }
        throw writeError(code, path: path, operation: "write")
    }

    /// Writes every byte, resuming after partial writes and signals; returns the errno on failure.
    static func writeAll(_ fd: Int32, _ data: Data) -> Int32? {
        data.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Writes every byte, resuming after partial writes and signals; returns the errno on failure.
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Int32? {
        guard var next = raw.baseAddress else { return nil }
        var left = raw.count
        while left > 0 {
            let written = sysWrite(fd, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            // write(2) returning 0 for a non-empty buffer would loop forever: treat it as an I/O error.
            if written == 0 { return EIO }
            next += written
            left -= written
        }
        return nil
    }

    private static func syncRetrying(_ fd: Int32) -> Int32? {
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            return errno
        }
        return nil
    }

    private static func syncFolder(_ dir: String, reportAs path: String) throws(StoreError) {
        if let code = syncFolderQuietly(dir) {
            // The new bytes are in place but the rename may not survive a power cut: say so, the caller retries.
            throw StoreError.io(path: path, operation: "sync the folder after saving", reason: describe(code))
        }
    }

    /// Errors from opening or stat-ing a path, named for what the user can fix.
    static func readOpenError(_ code: Int32, path: String, operation: String = "read") -> StoreError {
        switch code {
        case ENOENT:
            var info = stat()
            let folder = split(path).dir
            if stat(folder, &info) != 0 { return .parentMissing(path: path) }
            return .notFound(path: path)
        case EACCES, EPERM:
            return .permissionDenied(path: path, operation: operation)
        case EISDIR:
            return .isDirectory(path: path)
        case ENOTDIR:
            if let file = fileInPlaceOfFolder(path) {
                return .io(path: path, operation: operation, reason: "\(file) is a file, not a folder")
            }
            return .io(path: path, operation: operation, reason: "a part of the path is a file, not a folder")
        case ELOOP:
            return .io(path: path, operation: operation, reason: "too many symbolic links in the path")
        default:
            return .io(path: path, operation: operation, reason: describe(code))
        }
    }

    /// The nearest existing ancestor of `path` when it is a file rather than a folder.
    private static func fileInPlaceOfFolder(_ path: String) -> String? {
        var current = split(path).dir
        while current != "/" && current != "." {
            var info = stat()
            if stat(current, &info) == 0 {
                return isFolder(info) ? nil : current
            }
            current = split(current).dir
        }
        return nil
    }

    /// A document reached through a symlink is saved where the link points, so the link survives.
    private static func resolvingSymlink(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK,
              let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    /// `.<base>.tmp-<pid>-<hex>`, the shape `createTemp` gives its files.
    private static func isTempName(_ name: String, base: String) -> Bool {
        let prefix = ".\(base).tmp-"
        guard name.hasPrefix(prefix) else { return false }
        let parts = name.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return parts[0].allSatisfy(\.isASCIIDigit) && parts[1].allSatisfy { $0.isASCII && $0.isHexDigit }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

// Top-level wrappers: inside `AtomicFile`, `read` and `write` name its own methods.
private func sysWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

private func sysRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Where `AtomicFile.write(to:_:)` takes a file's bytes, piece by piece, into its temp file. After the first failure
/// (a full disk, say) later pieces are dropped and the failure is reported once the producer returns.
public struct FileSink {
    let fd: Int32
    /// The errno of the first failed write.
    public private(set) var failure: Int32? = nil
    /// Bytes written so far.
    public private(set) var written = 0
    /// Called with every piece written, in order (a digest of the file worked out as it goes).
    var observer: ((UnsafeRawBufferPointer) -> Void)? = nil

    /// Why the producer gave up (e.g. encryption failed): the temp file is removed and the original kept.
    public private(set) var abandoned: String? = nil

    init(fd: Int32) { self.fd = fd }

    /// Gives up this write: nothing more is written and the file is not replaced.
    public mutating func abandon(_ reason: String) {
        if abandoned == nil { abandoned = reason }
    }

    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, abandoned == nil, !bytes.isEmpty else { return }
        if let code = AtomicFile.writeAll(fd, bytes) {
            failure = code
            return
        }
        written += bytes.count
        observer?(bytes)
    }
}
