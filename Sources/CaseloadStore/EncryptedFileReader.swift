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

extension EncryptedFile {
    /// Chunks read and opened together: a window of 16 MiB of ciphertext, opened on every core.
    static let windowChunks = 16

    /// Reads the encrypted document at `path` and opens it with `keys`, a window of chunks at a time, so that only the
    /// plaintext and one window are ever in memory (never the whole ciphertext beside the whole plaintext). Returns the
    /// plaintext, the `stat` of the descriptor read, and the SHA-256 (hex) of the file's bytes, worked out on another
    /// thread as they are read. With `adopt`, the keys follow the file's header and document key.
    static func readDecrypting(_ path: String, keys: DocumentKeys, adopt: Bool) throws(StoreError) -> (plain: SourceBytes, status: stat, sha256: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw AtomicFile.readOpenError(errno, path: path) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw StoreError.io(path: path, operation: "read", reason: AtomicFile.describe(errno)) }
        if AtomicFile.isFolder(info) { throw StoreError.isDirectory(path: path) }
        if !AtomicFile.isRegular(info) { throw StoreError.io(path: path, operation: "read", reason: "not a regular file") }
        let size = Int(info.st_size)
        let digest = StreamDigest()

        /// Reads exactly `count` bytes to `target` (fewer only at the end of the file), hashing them as they come.
        func fill(_ target: UnsafeMutableRawPointer, _ count: Int) throws(StoreError) -> Int {
            var filled = 0
            while filled < count {
                // A megabyte at a time: the hash copies each piece, and at most a few wait for it.
                let got = read(fd, target + filled, min(count - filled, 1 << 20))
                if got < 0 {
                    if errno == EINTR { continue }
                    throw StoreError.io(path: path, operation: "read", reason: AtomicFile.describe(errno))
                }
                if got == 0 { break }
                digest.feed(UnsafeRawBufferPointer(start: target + filled, count: got))
                filled += got
            }
            return filled
        }

        // The header: at most about 140 KB, parsed from the file's first bytes.
        let prefixCapacity = min(size, 256 * 1024)
        let prefixBuffer = UnsafeMutableRawPointer.allocate(byteCount: max(prefixCapacity, 1), alignment: 16)
        defer { prefixBuffer.deallocate() }
        let prefixCount = try fill(prefixBuffer, prefixCapacity)
        let prefix = Array(UnsafeRawBufferPointer(start: prefixBuffer, count: prefixCount))
        do {
            let (header, bodyStart) = try EncryptedDocument.parseHeaderPrefix(prefix)
            let documentKey = try keys.documentKey(for: header)
            let chunksStart = bodyStart + EncryptedDocument.saveNonceBytes
            guard size >= chunksStart + EncryptedDocument.tagBytes, prefixCount >= chunksStart else {
                throw EncryptedDocumentError.truncated(part: "sealed document")
            }
            let key = EncryptedDocument.payloadKey(
                documentKey: documentKey, saveNonce: Array(prefix[bodyStart..<chunksStart]), header: Array(prefix[..<bodyStart]))
            let fullChunk = EncryptedDocument.chunkSize + EncryptedDocument.tagBytes
            let sealedLength = size - chunksStart
            let chunkCount = max(1, (sealedLength + fullChunk - 1) / fullChunk)
            let lastLength = sealedLength - (chunkCount - 1) * fullChunk
            guard lastLength >= EncryptedDocument.tagBytes else { throw EncryptedDocumentError.truncated(part: "sealed document") }
            let plainLength = sealedLength - chunkCount * EncryptedDocument.tagBytes
            guard let plain = malloc(max(plainLength, 1)) else {
                throw EncryptedDocumentError.cryptoFailure(detail: "out of memory for \(plainLength) bytes")
            }
            let result = SourceBytes(adoptingMalloced: plain, count: plainLength)
            let window = UnsafeMutableRawPointer.allocate(byteCount: windowChunks * fullChunk, alignment: 16)
            defer { window.deallocate() }
            // What the header's read already brought of the chunks.
            var carried = prefixCount - chunksStart
            prefix.withUnsafeBytes { raw in
                if carried > 0, let base = raw.baseAddress { window.copyMemory(from: base + chunksStart, byteCount: carried) }
            }
            var first = 0
            while first < chunkCount {
                let count = min(windowChunks, chunkCount - first)
                let includesLast = first + count == chunkCount
                let needed = (count - 1) * fullChunk + (includesLast ? lastLength : fullChunk)
                let got = carried + (try fill(window + carried, needed - carried))
                carried = 0
                // The file got shorter since it was measured.
                guard got == needed else { throw EncryptedDocumentError.truncated(part: "sealed document") }
                try openWindow(window, first: first, count: count, chunkCount: chunkCount, lastLength: lastLength, key: key, into: plain)
                first += count
            }
            // The file got longer since it was measured: what was opened is not all of it.
            var extra: UInt8 = 0
            if read(fd, &extra, 1) > 0 { throw EncryptedDocumentError.damaged }
            if adopt { keys.adopt(header: header, documentKey: documentKey) }
            return (result, info, digest.finish())
        } catch let error as StoreError {
            throw error
        } catch let error as EncryptedDocumentError {
            throw .encryption(path: path, error)
        } catch {
            throw .encryption(path: path, .cryptoFailure(detail: "\(error)"))
        }
    }

    /// Opens chunks `first ..< first + count` lying one after another in `window` into their places in `plain`, on
    /// every core. A failed chunk is `.damaged`; a final chunk that opens only as a middle one means the file was cut
    /// at a chunk boundary (`.truncated`).
    private static func openWindow(
        _ window: UnsafeMutableRawPointer, first: Int, count: Int, chunkCount: Int, lastLength: Int, key: SymmetricKey,
        into plain: UnsafeMutableRawPointer
    ) throws(EncryptedDocumentError) {
        let fullChunk = EncryptedDocument.chunkSize + EncryptedDocument.tagBytes
        let failed = ChunkFailures()
        let source = UncheckedPointer(window), target = UncheckedPointer(plain), shared = SharedKey(key)
        DispatchQueue.concurrentPerform(iterations: count) { offset in
            let index = first + offset
            let isLast = index == chunkCount - 1
            let length = isLast ? lastLength : fullChunk
            if !openChunk(source.pointer + offset * fullChunk, length: length, index: index, last: isLast, key: shared.key,
                          into: target.pointer + index * EncryptedDocument.chunkSize) {
                failed.note(index)
            }
        }
        guard let bad = failed.first else { return }
        if bad == chunkCount - 1,
           openChunk(window + (bad - first) * fullChunk, length: lastLength, index: bad, last: false, key: key,
                     into: plain + bad * EncryptedDocument.chunkSize) {
            throw .truncated(part: "sealed document (its last chunk is missing)")
        }
        throw .damaged
    }

    /// Opens one chunk (ciphertext then tag, `length` bytes at `start`) into `target`; false when it fails its check.
    static func openChunk(
        _ start: UnsafeRawPointer, length: Int, index: Int, last: Bool, key: SymmetricKey, into target: UnsafeMutableRawPointer
    ) -> Bool {
        let tag = EncryptedDocument.tagBytes
        guard let nonce = try? EncryptedDocument.chunkNonce(UInt64(index), last: last),
              let box = try? AES.GCM.SealedBox(
                  nonce: nonce, ciphertext: UnsafeRawBufferPointer(start: start, count: length - tag),
                  tag: UnsafeRawBufferPointer(start: start + length - tag, count: tag)),
              let opened = try? AES.GCM.open(box, using: key)
        else { return false }
        opened.withUnsafeBytes { raw in
            if let from = raw.baseAddress { target.copyMemory(from: from, byteCount: raw.count) }
        }
        return true
    }
}
