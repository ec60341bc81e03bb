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

/// What the document on disk looked like when loaded or last saved, to notice a change made behind the store's back.
public struct FileFingerprint: Equatable, Sendable {
    /// A file modification time with nanoseconds, as `stat` reports it.
    public struct Timestamp: Equatable, Sendable {
        public var seconds: Int64
        public var nanoseconds: Int64

        public init(seconds: Int64, nanoseconds: Int64) {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
        }
    }

    /// How the file on disk compares with a fingerprint.
    public enum Comparison: Equatable, Sendable {
        /// Size and modification time are as recorded.
        case same
        /// The stat changed (a `touch`, a copy back) but the bytes did not; use this fingerprint from now on.
        case touched(FileFingerprint)
        /// Different bytes: another program wrote the file.
        case changed(FileFingerprint)
        /// The file is gone.
        case missing
    }

    public var size: Int64
    public var modified: Timestamp
    /// SHA-256 of the bytes, lowercase hex.
    public var sha256: String

    public init(size: Int64, modified: Timestamp, sha256: String) {
        self.size = size
        self.modified = modified
        self.sha256 = sha256
    }

    /// The fingerprint of `data` just written to `path` (stat now, hash of the bytes in memory).
    public static func of(data: Data, atPath path: String) throws(StoreError) -> FileFingerprint {
        guard let info = try AtomicFile.status(path, operation: "stat") else {
            throw StoreError.notFound(path: path)
        }
        return FileFingerprint(info, sha256: hexDigest(data))
    }

    /// The fingerprint of the file now on disk, or nil when there is none.
    public static func current(atPath path: String) throws(StoreError) -> FileFingerprint? {
        do {
            // Stat and bytes from one descriptor, so they describe the same version of the file.
            let (data, info) = try AtomicFile.readWithStatus(path)
            return FileFingerprint(info, sha256: hexDigest(data))
        } catch .notFound {
            return nil
        }
    }

    /// Cheap check: size and modification time are unchanged.
    public func statMatches(atPath path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return Int64(info.st_size) == size && Self.timestamp(info) == modified
    }

    /// Full check: trusts an unchanged stat, otherwise hashes the file to tell a touch from a rewrite.
    ///
    /// File-system timestamps are coarse (a few milliseconds), so a same-size rewrite within one tick
    /// looks unchanged; the lock makes that a foreign program racing the save itself, which we accept.
    public func compare(atPath path: String) throws(StoreError) -> Comparison {
        if statMatches(atPath: path) { return .same }
        guard let now = try FileFingerprint.current(atPath: path) else { return .missing }
        return now.sha256 == sha256 ? .touched(now) : .changed(now)
    }

    /// True when the file on disk still holds the recorded bytes.
    public func matchesDisk(atPath path: String) throws(StoreError) -> Bool {
        switch try compare(atPath: path) {
        case .same, .touched: return true
        case .changed, .missing: return false
        }
    }

    private init(_ info: stat, sha256: String) {
        self.init(size: Int64(info.st_size), modified: Self.timestamp(info), sha256: sha256)
    }

    private static func timestamp(_ info: stat) -> Timestamp {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        return Timestamp(seconds: Int64(time.tv_sec), nanoseconds: Int64(time.tv_nsec))
    }

    static func hexDigest(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        hexString(Array(digest))
    }
}

/// A file's SHA-256 computed on another thread while the caller goes on (opening hashes the file on one core while it
/// decodes on the other: on a chart of hundreds of megabytes the hash is a fifth of the open).
final class DigestInBackground: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker before `done` is signalled, read only after waiting on it.
    private var digest = ""

    init(_ data: Data) {
        let thread = Thread { [self] in
            digest = FileFingerprint.hexDigest(data)
            done.signal()
        }
        thread.start()
    }

    /// The hex digest, waiting for it if the thread is still at work.
    func wait() -> String {
        done.wait()
        done.signal()   // a second wait returns at once
        return digest
    }
}

/// The SHA-256 of bytes written piece by piece, worked out on another thread as they come: a save streams a large
/// file and its hash would otherwise add a third to the save. Pieces are copied (the writer reuses its buffer); at most
/// a few are waiting at a time, so memory stays small whatever the file's size.
final class StreamDigest: @unchecked Sendable {
    private let queue = DispatchQueue(label: "caseload.stream-digest")
    private let room = DispatchSemaphore(value: 8)
    // Touched only on `queue`.
    private var hasher = SHA256()

    /// Hashes `bytes` on the digest's thread: copied first, unless they lie in `owner` (kept, never changed), which is
    /// then held until they are hashed.
    func feed(_ bytes: UnsafeRawBufferPointer, owner: SourceBytes? = nil) {
        guard !bytes.isEmpty else { return }
        let piece: KeptPiece
        if let owner, let base = bytes.baseAddress {
            piece = KeptPiece(owner: owner, copy: nil, base: base, count: bytes.count)
        } else {
            piece = KeptPiece(owner: nil, copy: Data(bytes), base: nil, count: bytes.count)
        }
        room.wait()
        queue.async { [self] in
            if let copy = piece.copy {
                hasher.update(data: copy)
            } else if let base = piece.base {
                withExtendedLifetime(piece.owner) { hasher.update(bufferPointer: UnsafeRawBufferPointer(start: base, count: piece.count)) }
            }
            room.signal()
        }
    }

    /// A piece waiting to be hashed: a copy, or a place in a kept buffer that `owner` keeps alive.
    private struct KeptPiece: @unchecked Sendable {
        let owner: SourceBytes?
        let copy: Data?
        let base: UnsafeRawPointer?
        let count: Int
    }

    /// The hex digest of everything fed, waiting for the pieces still queued.
    func finish() -> String {
        queue.sync { FileFingerprint.hex(hasher.finalize()) }
    }
}

extension FileFingerprint {
    /// The fingerprint of `path` now, with the hash of its bytes already computed.
    static func of(digest: String, atPath path: String) throws(StoreError) -> FileFingerprint {
        guard let info = try AtomicFile.status(path, operation: "stat") else {
            throw StoreError.notFound(path: path)
        }
        return FileFingerprint(info, sha256: digest)
    }
}

/// Lower-case hex of `bytes`.
func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
    return String(decoding: out, as: UTF8.self)
}

/// The bytes of lower-case hex digits; nil for an odd count or another character.
func hexBytes(_ digits: [UInt8]) -> [UInt8]? {
    guard digits.count % 2 == 0 else { return nil }
    func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
    var out: [UInt8] = []
    out.reserveCapacity(digits.count / 2)
    var index = 0
    while index < digits.count {
        guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
        out.append(high << 4 | low)
        index += 2
    }
    return out
}
