import CaseloadCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The plain bytes a document leaves behind when it is encrypted: the replaced file and its plain backups and
/// quarantined leftovers. Each is replaced by its encrypted form and then overwritten with zeros through a descriptor
/// held across the replacement. See docs/SECURITY.md for what this can and cannot guarantee (journaling and
/// copy-on-write file systems, SSDs).
public enum PlainCopies {
    /// A descriptor on the file at `path` as it is now, to overwrite once its name points at something else; -1 when
    /// it cannot be opened.
    public static func hold(_ path: String) -> Int32 {
        open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
    }

    /// Overwrites the whole file behind `fd` with zeros, syncs it, empties it and closes it. False when a step failed.
    @discardableResult
    public static func overwrite(_ fd: Int32) -> Bool {
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        let size = Int(info.st_size)
        let piece = 1 << 20
        let zeros = [UInt8](repeating: 0, count: piece)
        var offset = 0
        while offset < size {
            let count = min(piece, size - offset)
            let written = zeros.withUnsafeBytes { pwrite(fd, $0.baseAddress, count, off_t(offset)) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        guard fsync(fd) == 0 else { return false }
        return ftruncate(fd, 0) == 0 && fsync(fd) == 0
    }

    /// Seals every plain backup and quarantined leftover of the document at `documentPath` under `keys`, in place,
    /// and overwrites each plain original. Returns how many were sealed and a problem line for each that was not.
    public static func sealBackups(of documentPath: String, keys: DocumentKeys) -> (sealed: Int, problems: [String]) {
        let backups = Backups(documentPath: DocumentStore.resolvedPath(documentPath))
        var paths: [String] = []
        do {
            paths += try backups.inventory().backups.map(\.path)
        } catch {
            return (0, ["the backups folder was not touched: \(error.description)"])
        }
        let quarantine = backups.quarantineFolder
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: quarantine)) ?? []).sorted() {
            paths.append(AtomicFile.join(quarantine, name))
        }
        var sealed = 0
        var problems: [String] = []
        for path in paths {
            do {
                let (bytes, info) = try AtomicFile.readSourceWithStatus(path)
                guard AtomicFile.isRegular(info), info.st_nlink == 1 else {
                    problems.append("\(path): not a plain file of its own; left as it is")
                    continue
                }
                if EncryptedFile.isEncrypted(bytes.buffer(0, min(bytes.count, EncryptedDocument.magic.count))) { continue }
                let held = hold(path)
                let sink = SealedBytes()
                let sealer = EncryptedDocument.BodySealer(header: keys.header, documentKey: keys.documentKey)
                sealer.start(sink.append)
                sealer.write(bytes.buffer(0, bytes.count), sink.append)
                sealer.finish(sink.append)
                if let failure = sealer.failure {
                    close(held)
                    problems.append("\(path): \(failure)")
                    continue
                }
                try AtomicFile.write(sink.data, to: path)
                if !overwrite(held) { problems.append("\(path): sealed, but its plain bytes could not be overwritten") }
                sealed += 1
            } catch {
                problems.append(error.description)
            }
        }
        return (sealed, problems)
    }
}

/// Collects a small sealed file in memory (backups are sealed one at a time).
private final class SealedBytes {
    var data = Data()
    func append(_ piece: UnsafeRawBufferPointer) { data.append(contentsOf: piece) }
}
