import CaseloadCore
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The audit trail beside an open document (`PATH.audit`, issue 17): events are kept in memory as they happen and
/// appended a batch at a time — with each save of the document, and on their own within seconds when nothing is saved —
/// under an exclusive lock on the trail file, so several instances (a reader beside the writer) extend one chain.
///
/// A batch is written in one `write` and synced before the document that records the trail's new length is saved; a
/// crash can leave at most a torn last line, which the next append writes over, its first entry recording it
/// (`audit.torn-tail`), never silently. A trail found shorter than the document recorded gets an `audit.gap` entry.
public final class AuditLog: @unchecked Sendable {
    /// The trail file: the document's resolved path plus `.audit`.
    public let path: String
    /// Who every entry names, and how they were identified.
    public let who: String
    public let identity: AuditIdentity
    private let encrypted: Bool
    private let state = NSLock()
    private var seal: AuditSeal
    private var pending: [(at: Date, event: AuditEvent)] = []
    private var oldestPending: Date?
    private var told: [String] = []
    /// False while the document's file does not hold this trail's keys yet (a document from before trails, opened
    /// for writing, before its first save): nothing is written until then, or no entry could ever be verified.
    private var keysRecorded: Bool

    /// The trail's path for a document.
    public static func trailPath(for documentPath: String) -> String { documentPath + ".audit" }

    public init(documentPath: String, seal: AuditSeal, encrypted: Bool, who: String, identity: AuditIdentity, keysRecorded: Bool = true) {
        self.keysRecorded = keysRecorded
        self.path = Self.trailPath(for: documentPath)
        self.seal = seal; self.encrypted = encrypted; self.who = who; self.identity = identity
    }

    /// Keeps `event` to be written at the next flush.
    public func record(_ event: AuditEvent, at: Date = Date()) {
        state.withLock {
            if pending.isEmpty { oldestPending = Date() }
            pending.append((at, event))
        }
    }

    /// Keeps several events, in order.
    public func record(_ events: [AuditEvent], at: Date = Date()) {
        for event in events { record(event, at: at) }
    }

    /// How many events wait to be written.
    public var pendingCount: Int { state.withLock { pending.count } }

    /// Whether events have waited at least `seconds` (by the wall clock of this process).
    public func hasPending(olderThan seconds: TimeInterval) -> Bool {
        state.withLock { oldestPending.map { Date().timeIntervalSince($0) >= seconds } ?? false }
    }

    /// The trail's keys, and its length and last HMAC as of the last flush: what the next save records.
    public var currentSeal: AuditSeal { state.withLock { seal } }

    /// What the user should be told about the trail (a torn tail cut off, a gap found), once each; emptied by reading.
    public func takeNotices() -> [String] {
        state.withLock { defer { told = [] }; return told }
    }

    /// Another instance's seal, read from the document's file (issue 18): its keys (a rotation it made) and length are
    /// taken in, so entries from now on chain under the key the file records.
    public func adopt(_ recorded: AuditSeal) {
        state.withLock { seal = seal.merged(with: recorded) }
    }

    /// The document's file now holds this trail's keys: waiting entries may be written.
    public func markKeysRecorded() {
        state.withLock { keysRecorded = true }
    }

    /// After a person's key slot was removed: entries after the trail's real last one (another instance may have
    /// appended since this one last did) are chained under a new key.
    public func rotateKey() throws(StoreError) {
        state.lock()
        defer { state.unlock() }
        // Closing the descriptor releases the lock.
        let fd = try openLockedTrail()
        defer { close(fd) }
        let tail = try readTail(fd)
        seal = seal.rotated(after: max(tail.sequence, seal.count))
    }

    /// Writes the waiting events to the trail and syncs it. On failure nothing is appended (a partial write is cut
    /// back), the events stay waiting, and the error says why; the seal is unchanged.
    @discardableResult
    public func flush() throws(StoreError) -> AuditSeal {
        state.lock()
        defer { state.unlock() }
        guard !pending.isEmpty, keysRecorded else { return seal }
        // Closing the descriptor releases the lock.
        let fd = try openLockedTrail()
        defer { close(fd) }
        let tail = try readTail(fd)
        var batch = pending
        // Where the batch goes: after the last whole line. A torn line a crash left is written over by the batch, whose
        // first entry says so, in one write: cutting it off first would lose it silently to a kill in between.
        var writeAt = tail.size
        var fragment: [UInt8] = []
        if let torn = tail.torn {
            fragment = [UInt8](repeating: 0, count: torn.bytes)
            let got = fragment.withUnsafeMutableBytes { pread(fd, $0.baseAddress, torn.bytes, off_t(torn.at)) }
            guard got == torn.bytes else { throw .io(path: path, operation: "read the torn last entry", reason: got < 0 ? AtomicFile.describe(errno) : "short read") }
            writeAt = torn.at
            batch.insert((Date(), AuditEvent(AuditAction.tornTail, ["line:\(tail.sequence + 1)", "bytes:\(torn.bytes)"])), at: 0)
            told.append("The audit trail's last entry was cut off by a crash (\(torn.bytes) bytes at entry \(tail.sequence + 1)); it was removed and the trail records that.")
        }
        if tail.sequence < seal.count || (tail.sequence == seal.count && seal.count > 0 && tail.mac != seal.last) {
            batch.insert((Date(), AuditEvent(AuditAction.gap, ["expected:\(seal.count)", "found:\(tail.sequence)"])), at: 0)
            told.append("The audit trail \(path) holds \(tail.sequence) entries where the document recorded \(seal.count) at its last save: entries were removed or replaced. Run `caseload audit verify`; the trail now records the gap.")
        }
        var bytes: [UInt8] = []
        var previous = tail.mac
        var sequence = tail.sequence
        for item in batch {
            sequence += 1
            let entry = AuditEntry(sequence: sequence, at: item.at, who: who, identity: identity, action: item.event.action, ids: item.event.ids)
            let (line, mac) = AuditTrail.line(entry, previous: previous, key: seal.key(for: sequence))
            if encrypted {
                guard let sealed = AuditTrail.sealLine(Array(line.dropLast()), sequence: sequence, key: seal.key(for: sequence)) else {
                    throw .io(path: path, operation: "encrypt an audit entry", reason: "AES-GCM failed")
                }
                bytes += sealed
            } else {
                bytes += line
            }
            previous = mac
        }
        // Puts the file back as it was: no half-written entry may stay (the next append would chain after it), and a
        // torn line written over stays to be recorded next time.
        func undo() {
            _ = ftruncate(fd, off_t(writeAt))
            if !fragment.isEmpty, writeAll(fd, fragment, at: writeAt) == nil { _ = fsync(fd) }
        }
        if let failure = writeAll(fd, bytes, at: writeAt) {
            undo()
            throw .io(path: path, operation: "append to the audit trail", reason: failure)
        }
        // A batch shorter than the torn line it replaced: the rest of that line goes.
        if writeAt + bytes.count < tail.size { _ = ftruncate(fd, off_t(writeAt + bytes.count)) }
        guard fsync(fd) == 0 else {
            let reason = AtomicFile.describe(errno)
            undo()
            throw .io(path: path, operation: "sync the audit trail", reason: reason)
        }
        seal.count = sequence
        seal.last = previous
        pending.removeAll()
        oldestPending = nil
        return seal
    }

    /// The trail, opened (made when missing) and checked, under an exclusive `flock` that another instance's append
    /// waits for.
    private func openLockedTrail() throws(StoreError) -> Int32 {
        let created = access(path, F_OK) != 0
        // Not O_APPEND: a batch is written at an offset (over a torn line), always under the trail's flock.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, AtomicFile.fileMode)
        guard fd >= 0 else {
            let code = errno
            if code == ELOOP { throw .io(path: path, operation: "open the audit trail", reason: "it is a symbolic link; Caseload does not follow links for its own files") }
            throw .io(path: path, operation: "open the audit trail", reason: AtomicFile.describe(code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0, AtomicFile.isRegular(info) else {
            close(fd)
            throw .io(path: path, operation: "open the audit trail", reason: "it is not a regular file")
        }
        // The trail is `<document>.audit`: it is shared when its document is.
        let modes = SharedTrust.modes(forDocument: String(path.dropLast(".audit".count)))
        if let problem = FileLock.untrustedLockProblem(info, sharing: modes) {
            close(fd)
            throw .io(path: path, operation: "open the audit trail", reason: "\(problem); move it aside only if you know where it came from")
        }
        // Only the owner can change the mode; another member's trail was trusted because it already has the group's.
        if info.st_uid == geteuid() { _ = SharedTrust.apply(modes, kind: .file, to: fd) }
        if created { _ = AtomicFile.syncFolderQuietly(AtomicFile.split(path).dir) }
        while flock(fd, LOCK_EX) != 0 {
            let code = errno
            if code != EINTR {
                close(fd)
                throw .io(path: path, operation: "lock the audit trail", reason: AtomicFile.describe(code))
            }
        }
        return fd
    }

    /// The end of the trail: its size, the last whole entry's number and HMAC, and a torn line after it.
    struct Tail {
        var size: Int
        var sequence: Int
        var mac: [UInt8]
        var torn: (at: Int, bytes: Int)?
    }

    private func readTail(_ fd: Int32) throws(StoreError) -> Tail {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .io(path: path, operation: "read the audit trail", reason: AtomicFile.describe(errno)) }
        let size = Int(info.st_size)
        guard size > 0 else { return Tail(size: 0, sequence: 0, mac: AuditTrail.origin, torn: nil) }
        // Enough to hold the last two lines; grown when a line is longer.
        var window = min(size, 16_384)
        while true {
            var buffer = [UInt8](repeating: 0, count: window)
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(size - window)) }
            guard got == window else { throw .io(path: path, operation: "read the audit trail", reason: got < 0 ? AtomicFile.describe(errno) : "short read") }
            var end = window
            var torn: (at: Int, bytes: Int)? = nil
            if buffer[window - 1] != UInt8(ascii: "\n") {
                guard let lastNewline = buffer.lastIndex(of: UInt8(ascii: "\n")) else {
                    if window < size { window = min(size, window * 4); continue }
                    // One torn line and nothing before it.
                    return Tail(size: size, sequence: 0, mac: AuditTrail.origin, torn: (0, size))
                }
                end = lastNewline + 1
                torn = (size - window + end, window - end)
            }
            // The last whole line: from after the newline before it.
            let lineEnd = end - 1
            let lineStart = buffer[..<lineEnd].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }
            if lineStart == nil, window < size { window = min(size, window * 4); continue }
            let line = Array(buffer[(lineStart ?? 0)..<lineEnd])
            let (sequence, mac) = try lastEntry(line)
            return Tail(size: size, sequence: sequence, mac: mac, torn: torn)
        }
    }

    /// The number and HMAC of a whole line. A line that does not read (changed by hand) stops appending: chaining after
    /// it would hide where the trail was changed.
    private func lastEntry(_ line: [UInt8]) throws(StoreError) -> (Int, [UInt8]) {
        var plain = line
        let unreadable = StoreError.io(path: path, operation: "append to the audit trail",
                                       reason: "its last entry does not read; run `caseload audit verify` to see what changed")
        if encrypted {
            guard let tab = line.firstIndex(of: UInt8(ascii: "\t")), let number = Int(String(decoding: line[..<tab], as: UTF8.self)) else { throw unreadable }
            do throws(AuditProblem) {
                plain = try AuditTrail.openLine(line, number: number, keys: seal.key(for:))
            } catch {
                throw unreadable
            }
        }
        guard let first = plain.firstIndex(of: UInt8(ascii: "\t")), let number = Int(String(decoding: plain[..<first], as: UTF8.self)),
              let tab = plain.lastIndex(of: UInt8(ascii: "\t")), let mac = hexBytes(Array(plain[(tab + 1)...])), mac.count == 32
        else { throw unreadable }
        return (number, mac)
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], at start: Int) -> String? {
        var offset = 0
        while offset < bytes.count {
            let wrote = bytes.withUnsafeBytes { raw in
                pwrite(fd, raw.baseAddress.map { $0 + offset }, bytes.count - offset, off_t(start + offset))
            }
            if wrote < 0 {
                if errno == EINTR { continue }
                return AtomicFile.describe(errno)
            }
            offset += wrote
        }
        return nil
    }
}

extension AuditLog {
    /// Reads and checks the trail of the document at `documentPath` under `seal`: the entries that check, and the first
    /// problem (nil when the whole trail verifies). A missing trail is empty.
    public static func read(documentPath: String, seal: AuditSeal, encrypted: Bool) throws(StoreError) -> (entries: [AuditEntry], problem: AuditProblem?) {
        let path = trailPath(for: documentPath)
        let bytes: [UInt8]
        do {
            bytes = Array(try AtomicFile.read(path))
        } catch {
            if case .notFound = error { return ([], seal.count > 0 ? .truncated(found: 0, expected: seal.count) : nil) }
            throw error
        }
        return AuditTrail.readLeniently(bytes, seal: seal, encrypted: encrypted)
    }
}
