import CaseloadCore
import Crypto
import Foundation

/// The sealed body of an encrypted document: 1 MiB chunks of AES-256-GCM under a payload key made fresh for each save
/// (docs/FORMAT.md, "Encrypted documents").
extension EncryptedDocument {
    /// Plaintext bytes per sealed chunk of the body (the last chunk may be shorter).
    public static let chunkSize = 1 << 20
    /// The random bytes at the start of every body, new at every save.
    static let saveNonceBytes = 32
    static let tagBytes = 16
    static let payloadInfo = Array("caseload payload v1".utf8)

    /// The key one save's chunks are sealed under: HKDF-SHA256 of the document key, salted with the save's nonce, with
    /// the header's SHA-256 in its info. Any change to a header byte gives another key, so every chunk fails to open.
    static func payloadKey(documentKey: SymmetricKey, saveNonce: [UInt8], header: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: documentKey, salt: saveNonce, info: payloadInfo + Array(SHA256.hash(data: header)), outputByteCount: 32)
    }

    /// Chunk `index`'s nonce: 3 zero bytes, the index as 8 big-endian bytes, then 1 for the last chunk and 0 otherwise
    /// (as in age's STREAM), so chunks cannot be reordered, dropped or cut off at a chunk boundary unnoticed.
    static func chunkNonce(_ index: UInt64, last: Bool) throws(EncryptedDocumentError) -> AES.GCM.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for byte in 0..<8 { bytes[3 + byte] = UInt8(truncatingIfNeeded: index >> UInt64(56 - 8 * byte)) }
        bytes[11] = last ? 1 : 0
        do { return try AES.GCM.Nonce(data: bytes) } catch { throw .cryptoFailure(detail: "nonce: \(error)") }
    }

    /// Writes a sealed file piece by piece: the header and save nonce (`start`), the plaintext in pieces of any size
    /// (`write`), then the last chunk (`finish`). Holds one chunk of plaintext at a time, so a save streams whatever
    /// the document's size. After a failure nothing more is written and `failure` says why.
    public final class BodySealer {
        private let head: [UInt8]
        private let saveNonce: [UInt8]
        private let key: SymmetricKey
        private let buffer = UnsafeMutableRawPointer.allocate(byteCount: EncryptedDocument.chunkSize, alignment: 16)
        private var filled = 0
        private var index: UInt64 = 0
        /// Why sealing stopped, if it did.
        public private(set) var failure: EncryptedDocumentError?

        public init(header: Header, documentKey: SymmetricKey) {
            head = header.encoded()
            saveNonce = EncryptedDocument.randomBytes(EncryptedDocument.saveNonceBytes)
            key = EncryptedDocument.payloadKey(documentKey: documentKey, saveNonce: saveNonce, header: head)
        }

        deinit { buffer.deallocate() }

        /// Hands out the header and the save nonce.
        public func start(_ out: (UnsafeRawBufferPointer) -> Void) {
            head.withUnsafeBytes(out)
            saveNonce.withUnsafeBytes(out)
        }

        /// Takes plaintext; hands out each chunk sealed once it is full and more follows.
        public func write(_ bytes: UnsafeRawBufferPointer, _ out: (UnsafeRawBufferPointer) -> Void) {
            guard var next = bytes.baseAddress else { return }
            var left = bytes.count
            while left > 0 {
                if filled == EncryptedDocument.chunkSize { sealChunk(last: false, out) }
                let count = min(EncryptedDocument.chunkSize - filled, left)
                (buffer + filled).copyMemory(from: next, byteCount: count)
                filled += count
                next += count
                left -= count
            }
        }

        /// Seals and hands out the last chunk (possibly empty).
        public func finish(_ out: (UnsafeRawBufferPointer) -> Void) {
            sealChunk(last: true, out)
        }

        private func sealChunk(last: Bool, _ out: (UnsafeRawBufferPointer) -> Void) {
            defer { filled = 0; index += 1 }
            guard failure == nil else { return }
            do {
                let nonce = try EncryptedDocument.chunkNonce(index, last: last)
                let box = try AES.GCM.seal(UnsafeRawBufferPointer(start: buffer, count: filled), using: key, nonce: nonce)
                box.ciphertext.withUnsafeBytes(out)
                box.tag.withUnsafeBytes(out)
            } catch let error as EncryptedDocumentError {
                failure = error
            } catch {
                failure = .cryptoFailure(detail: "\(error)")
            }
        }
    }

    /// The plaintext of the body that starts at `bodyStart` in `file` (whose bytes before it are the header), opened
    /// chunk by chunk (on both cores) into one buffer. A chunk that fails is `.damaged`; a file that ends at a chunk
    /// boundary before the chunk flagged last is `.truncated`.
    public static func openBody(
        _ file: UnsafeRawBufferPointer, bodyStart: Int, documentKey: SymmetricKey
    ) throws(EncryptedDocumentError) -> SourceBytes {
        guard let base = file.baseAddress, file.count - bodyStart >= saveNonceBytes + tagBytes else {
            throw .truncated(part: "sealed document")
        }
        let head = Array(UnsafeRawBufferPointer(start: base, count: bodyStart))
        let saveNonce = Array(UnsafeRawBufferPointer(start: base + bodyStart, count: saveNonceBytes))
        let key = payloadKey(documentKey: documentKey, saveNonce: saveNonce, header: head)
        let chunksStart = bodyStart + saveNonceBytes
        let sealedLength = file.count - chunksStart
        let fullChunk = chunkSize + tagBytes
        let chunkCount = max(1, (sealedLength + fullChunk - 1) / fullChunk)
        let lastLength = sealedLength - (chunkCount - 1) * fullChunk
        guard lastLength >= tagBytes else { throw .truncated(part: "sealed document") }
        let plainLength = sealedLength - chunkCount * tagBytes
        guard let plain = malloc(max(plainLength, 1)) else { throw .cryptoFailure(detail: "out of memory for \(plainLength) bytes") }
        let result = SourceBytes(adoptingMalloced: plain, count: plainLength)
        let failures = ChunkFailures()
        let source = UnsafeRawPointer(base) + chunksStart
        let target = UncheckedPointer(plain)
        let sourcePointer = UncheckedPointer(UnsafeMutableRawPointer(mutating: source))
        let sharedKey = SharedKey(key)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { index in
            let isLast = index == chunkCount - 1
            if !EncryptedFile.openChunk(sourcePointer.pointer + index * fullChunk, length: isLast ? lastLength : fullChunk, index: index,
                                        last: isLast, key: sharedKey.key, into: target.pointer + index * chunkSize) {
                failures.note(index)
            }
        }
        if let first = failures.first {
            // The final chunk opens as a middle one: the file was cut at a chunk boundary.
            if first == chunkCount - 1,
               EncryptedFile.openChunk(source + first * fullChunk, length: lastLength, index: first, last: false, key: key,
                                       into: plain + first * chunkSize) {
                throw .truncated(part: "sealed document (its last chunk is missing)")
            }
            throw .damaged
        }
        return result
    }
}

/// A raw pointer handed to the chunk workers, each of which touches only its own chunk's bytes.
struct UncheckedPointer: @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
}

/// A key read (never changed) by the chunk workers.
struct SharedKey: @unchecked Sendable {
    let key: SymmetricKey
    init(_ key: SymmetricKey) { self.key = key }
}

/// The chunks that failed to open, collected from the workers.
final class ChunkFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var indexes: [Int] = []
    func note(_ index: Int) { lock.withLock { indexes.append(index) } }
    var first: Int? { lock.withLock { indexes.min() } }
}
