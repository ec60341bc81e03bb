import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a report or export was not written where asked; each message says what the user can do.
public enum OutputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file is there and replacing it was not asked for.
    case exists(path: String)
    /// A symbolic link another account owns is at the path: it is neither followed nor replaced.
    case foreignSymlink(path: String, owner: UInt32)
    /// A file another account owns is at the path.
    case foreignFile(path: String, owner: UInt32)
    /// The path is a Caseload document, its lock, a backup or a trail; `what` says which.
    case protected(path: String, what: String)
    /// Something other than a regular file or a link is there (a folder, a FIFO, a device); `kind` says which.
    case notRegular(path: String, kind: String)
    /// The write itself failed (no folder, no permission, disk full); nothing at the path was changed.
    case store(StoreError)

    /// The refusal without the path, for a status line that names the place elsewhere.
    public var reason: String {
        switch self {
        case .exists:
            return "a file is already there; replace it on purpose (--force on the command line) or choose another file name"
        case .foreignSymlink(_, let owner):
            return "a symbolic link owned by another account (uid \(owner)) is there; it is not followed or replaced — choose another file name"
        case .foreignFile(_, let owner):
            return "a file owned by another account (uid \(owner)) is there; it is not replaced — choose another file name"
        case .protected(_, let what):
            return "that is \(what); a report or export never replaces it — choose another file name"
        case .notRegular(_, let kind):
            return "\(kind) is there, not a file; choose another file name"
        case .store(let error):
            return error.description
        }
    }

    public var description: String {
        switch self {
        case .exists(let path), .foreignSymlink(let path, _), .foreignFile(let path, _), .protected(let path, _), .notRegular(let path, _):
            return "\(path): \(reason)"
        case .store(let error):
            return error.description
        }
    }
}

/// Reports, letters and calendar exports on their way to a file the user named: created new, or replaced only when asked,
/// and never through a link someone else planted (as the file or in the folder part), nor over a Caseload document, its
/// lock, a backup or a trail.
///
/// Unlike `AtomicFile.write` (which saves a document where its link points), the last component of the path is never
/// followed: a new file is created with `O_EXCL|O_NOFOLLOW`, and a replacement is renamed over the name itself, so a link
/// at the path is replaced, not its target.
public enum OutputFile {
    /// What is at an output path before writing.
    public enum Existing: Equatable, Sendable {
        /// Nothing: the file will be created.
        case nothing
        /// A regular file of the user's own, which may be replaced when asked.
        case file
        /// A symbolic link of the user's own, which is itself replaced (its target is left alone) when asked.
        case ownSymlink
    }

    /// Names beside a document that belong to it: `<document><suffix>`, never replaced when `<document>` exists.
    static let companionSuffixes: [(suffix: String, what: String)] = [
        (".lock", "a Caseload document's lock"),
        (".audit", "a Caseload document's audit trail"),
        (".trail", "a Caseload document's audit trail"),
    ]

    /// How far into a file the Caseload marker is looked for: the encoder writes `format` near the top.
    static let sniffLength = 64 * 1024

    /// Looks at `path` without changing anything: what is there, or why it may not be written.
    /// `documents` are the open (or named) documents, compared by device and inode however the path is spelt.
    public static func check(_ path: String, protecting documents: [String] = []) throws(OutputError) -> Existing {
        let (dir, base) = try splitChecked(path)
        let dirFD = try openFolder(dir, reportAs: path)
        defer { close(dirFD) }
        try checkNames(dirFD: dirFD, dir: dir, base: base, path: path, documents: documents)
        return try inspect(dirFD: dirFD, base: base, path: path, documents: documents)
    }

    /// Writes `data` to `path` with mode 0600. A new file is created without following links; an existing one is replaced
    /// only when `replace` is true, through a temp file in the same folder renamed over the name (fsynced like a document
    /// save). Refuses, changing nothing, whatever `check` refuses.
    public static func write(_ data: Data, to path: String, replace: Bool, protecting documents: [String] = []) throws(OutputError) {
        let (dir, base) = try splitChecked(path)
        let dirFD = try openFolder(dir, reportAs: path)
        defer { close(dirFD) }
        try checkNames(dirFD: dirFD, dir: dir, base: base, path: path, documents: documents)

        // First try to make a new file: O_EXCL fails on anything already there, a dangling link included.
        let fd = openat(dirFD, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, AtomicFile.fileMode)
        if fd >= 0 {
            if let failure = fill(fd, data, path: path) {
                unlinkat(dirFD, base, 0)
                throw failure
            }
            try syncFolder(dirFD, path: path)
            return
        }
        let code = errno
        guard code == EEXIST else { throw OutputError.store(AtomicFile.writeError(code, path: path, operation: "write")) }

        _ = try inspect(dirFD: dirFD, base: base, path: path, documents: documents)
        guard replace else { throw OutputError.exists(path: path) }

        let (tempFD, temp) = try createTemp(dirFD: dirFD, base: base, path: path)
        if let failure = fill(tempFD, data, path: path) {
            unlinkat(dirFD, temp, 0)
            throw failure
        }
        // rename replaces the directory entry itself: a link at `base` is replaced, never written through.
        if renameat(dirFD, temp, dirFD, base) != 0 {
            let code = errno
            unlinkat(dirFD, temp, 0)
            throw OutputError.store(AtomicFile.writeError(code, path: path, operation: "write"))
        }
        try syncFolder(dirFD, path: path)
    }

    /// True when the bytes start like a Caseload document: a JSON object with `"format" : "caseload"` near the top.
    public static func looksLikeDocument(_ bytes: Data) -> Bool {
        let text = Array(bytes.prefix(sniffLength))
        let key = Array("\"format\"".utf8), value = Array("\"caseload\"".utf8)
        guard let first = text.firstIndex(where: { !isSpace($0) }), text[first] == UInt8(ascii: "{") else { return false }
        var index = first
        while index + key.count <= text.count {
            if text[index..<(index + key.count)].elementsEqual(key) {
                var next = index + key.count
                while next < text.count, isSpace(text[next]) { next += 1 }
                if next < text.count, text[next] == UInt8(ascii: ":") {
                    next += 1
                    while next < text.count, isSpace(text[next]) { next += 1 }
                    if next + value.count <= text.count, text[next..<(next + value.count)].elementsEqual(value) { return true }
                }
            }
            index += 1
        }
        return false
    }

    // MARK: - Steps

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func splitChecked(_ path: String) throws(OutputError) -> (dir: String, base: String) {
        guard !path.isEmpty else { throw OutputError.store(.io(path: path, operation: "write", reason: "no file name given")) }
        let (dir, base) = AtomicFile.split(path)
        if path.hasSuffix("/") || base == "." || base == ".." || base == "/" {
            throw OutputError.notRegular(path: path, kind: "a folder")
        }
        return (dir, base)
    }

    /// The folder the output goes in. Links in the folder part are followed only when the user or root owns them (system
    /// links such as `/var/run`): a folder link another account planted is refused like a file link.
    private static func openFolder(_ dir: String, reportAs path: String) throws(OutputError) -> Int32 {
        var prefix = dir.hasPrefix("/") ? "" : "."
        for component in dir.split(separator: "/") where component != "." {
            prefix += "/" + component
            var info = stat()
            if lstat(prefix, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK, info.st_uid != geteuid(), info.st_uid != 0 {
                throw OutputError.foreignSymlink(path: String(prefix.hasPrefix("./") ? prefix.dropFirst(2) : prefix[...]), owner: UInt32(info.st_uid))
            }
        }
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { return fd }
        let code = errno
        switch code {
        case ENOENT: throw OutputError.store(.parentMissing(path: path))
        case ENOTDIR: throw OutputError.store(.io(path: path, operation: "write", reason: "\(dir) is a file, not a folder"))
        default: throw OutputError.store(AtomicFile.writeError(code, path: path, operation: "write"))
        }
    }

    /// Refusals by place: inside a backups folder, a document's companion file, or the open document's folder entries.
    private static func checkNames(dirFD: Int32, dir: String, base: String, path: String, documents: [String]) throws(OutputError) {
        // The folder's real spelling, so `a/../x.json.backups` or a linked folder is recognised too.
        let realDir: String = {
            guard let real = realpath(dir, nil) else { return dir }
            defer { free(real) }
            return String(cString: real)
        }()
        if realDir.split(separator: "/").contains(where: { $0.hasSuffix(".backups") }) {
            throw OutputError.protected(path: path, what: "inside a Caseload backups folder")
        }
        var folder = stat()
        if fstat(dirFD, &folder) == 0 {
            for document in documents {
                var backups = stat()
                if stat(Backups(documentPath: document).folder, &backups) == 0, same(folder, backups) {
                    throw OutputError.protected(path: path, what: "the open document's backups folder")
                }
            }
        }
        for companion in companionSuffixes where base.hasSuffix(companion.suffix) && base.count > companion.suffix.count {
            let stem = String(base.dropLast(companion.suffix.count))
            var info = stat()
            if fstatat(dirFD, stem, &info, 0) == 0 {
                throw OutputError.protected(path: path, what: companion.what)
            }
        }
    }

    /// What is at `base` now, refusing what may never be replaced. Never follows a link another account owns.
    private static func inspect(dirFD: Int32, base: String, path: String, documents: [String]) throws(OutputError) -> Existing {
        var info = stat()
        if fstatat(dirFD, base, &info, AT_SYMLINK_NOFOLLOW) != 0 {
            let code = errno
            if code == ENOENT { return .nothing }
            throw OutputError.store(AtomicFile.writeError(code, path: path, operation: "write"))
        }
        switch info.st_mode & S_IFMT {
        case S_IFLNK:
            // Root may write anywhere, so ownership is compared with the effective uid explicitly.
            guard info.st_uid == geteuid() else { throw OutputError.foreignSymlink(path: path, owner: UInt32(info.st_uid)) }
            // The user's own link is replaced itself; still, one pointing at a document means a slip worth stopping.
            var target = stat()
            if fstatat(dirFD, base, &target, 0) == 0, AtomicFile.isRegular(target) {
                try refuseProtected(dirFD: dirFD, base: base, status: target, followLink: true, path: path, documents: documents)
            }
            return .ownSymlink
        case S_IFREG:
            guard info.st_uid == geteuid() else { throw OutputError.foreignFile(path: path, owner: UInt32(info.st_uid)) }
            try refuseProtected(dirFD: dirFD, base: base, status: info, followLink: false, path: path, documents: documents)
            return .file
        default:
            throw OutputError.notRegular(path: path, kind: kindName(info))
        }
    }

    /// Refuses the file `status` describes when it is an open document or its lock (by device and inode), or a Caseload
    /// document (by its first bytes).
    private static func refuseProtected(dirFD: Int32, base: String, status: stat, followLink: Bool, path: String, documents: [String]) throws(OutputError) {
        for document in documents {
            var doc = stat()
            if stat(document, &doc) == 0, same(status, doc) {
                throw OutputError.protected(path: path, what: "the open document")
            }
            var lock = stat()
            if stat(document + ".lock", &lock) == 0, same(status, lock) {
                throw OutputError.protected(path: path, what: "the open document's lock")
            }
        }
        // O_NONBLOCK: a FIFO swapped in cannot hang us; the descriptor's inode must be the one just looked at.
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLink ? 0 : O_NOFOLLOW)
        let fd = openat(dirFD, base, flags)
        guard fd >= 0 else {
            // Unreadable: it cannot be recognised, so it is not replaced either.
            throw OutputError.store(AtomicFile.writeError(errno, path: path, operation: "read before replacing"))
        }
        defer { close(fd) }
        var opened = stat()
        guard fstat(fd, &opened) == 0, same(opened, status) else {
            throw OutputError.store(.io(path: path, operation: "write", reason: "the file changed while it was looked at; try again"))
        }
        var buffer = [UInt8](repeating: 0, count: sniffLength)
        var count = 0
        while count < buffer.count {
            let got = buffer.withUnsafeMutableBytes { raw in raw.baseAddress.map { read(fd, $0 + count, raw.count - count) } ?? 0 }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            count += got
        }
        if looksLikeDocument(Data(buffer[0..<count])) {
            throw OutputError.protected(path: path, what: "a Caseload document")
        }
    }

    private static func same(_ a: stat, _ b: stat) -> Bool { a.st_dev == b.st_dev && a.st_ino == b.st_ino }

    private static func kindName(_ info: stat) -> String {
        switch info.st_mode & S_IFMT {
        case S_IFIFO: return "a named pipe"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFDIR: return "a folder"
        default: return "something other than a file"
        }
    }

    private static func createTemp(dirFD: Int32, base: String, path: String) throws(OutputError) -> (Int32, String) {
        var code: Int32 = EEXIST
        for _ in 0..<16 {
            let temp = ".\(base).tmp-\(getpid())-\(String(UInt32.random(in: .min ... .max), radix: 16))"
            let fd = openat(dirFD, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, AtomicFile.fileMode)
            if fd >= 0 { return (fd, temp) }
            code = errno
            if code != EEXIST { break }
        }
        throw OutputError.store(AtomicFile.writeError(code, path: path, operation: "write"))
    }

    /// Mode 0600 (open's mode passes through the umask), every byte, fsync, close; the descriptor is closed either way.
    private static func fill(_ fd: Int32, _ data: Data, path: String) -> OutputError? {
        var failure: Int32?
        if fchmod(fd, AtomicFile.fileMode) != 0 { failure = errno }
        if failure == nil {
            failure = AtomicFile.writeAll(fd, data)
        }
        if failure == nil {
            while fsync(fd) != 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
        }
        if close(fd) != 0, failure == nil, errno != EINTR { failure = errno }
        return failure.map { OutputError.store(AtomicFile.writeError($0, path: path, operation: "write")) }
    }

    private static func syncFolder(_ dirFD: Int32, path: String) throws(OutputError) {
        while fsync(dirFD) != 0 {
            if errno == EINTR { continue }
            if errno == EINVAL || errno == EROFS { return }
            throw OutputError.store(.io(path: path, operation: "sync the folder after writing", reason: AtomicFile.describe(errno)))
        }
    }
}
