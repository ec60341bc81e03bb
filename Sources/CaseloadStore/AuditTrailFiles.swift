import CaseloadCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The audit trail following its document when the document changes form (issue 17): sealed line by line when the
/// document is encrypted, opened into a plain copy beside a decrypted copy. Entries keep their text and HMACs, so the
/// chain verifies the same either way; a line that does not read (changed by hand, torn by a crash) is carried over as
/// it is, so the problem stays where `caseload audit verify` finds it.
public enum AuditTrailFiles {
    /// Rewrites the plain trail of the document at `documentPath` with each line sealed (`AuditTrail.sealLine`) under
    /// `seal`'s keys, atomically, and overwrites the plain file's bytes with zeros once the sealed one has its name (as
    /// `PlainCopies` does for the document; the same limits apply: docs/SECURITY.md). Nothing to do without a trail.
    ///
    /// Called with the document's lock held, so no writer appends meanwhile. A read-only instance that appends between
    /// the read and the rename would lose that entry to the overwrite: encrypting is done with Caseload closed.
    public static func sealTrail(of documentPath: String, seal: AuditSeal) throws(StoreError) {
        let path = AuditLog.trailPath(for: DocumentStore.resolvedPath(documentPath))
        guard let bytes = try readIfPresent(path) else { return }
        var sealed: [UInt8] = []
        sealed.reserveCapacity(bytes.count * 2)
        var number = 0
        for (line, whole) in lines(of: bytes) {
            number += 1
            if isSealed(line, number: number, seal: seal) {
                // Already sealed (an earlier encrypt that stopped half way): kept as it is.
                sealed += line + (whole ? [UInt8(ascii: "\n")] : [])
                continue
            }
            guard var out = AuditTrail.sealLine(line, sequence: number, key: seal.key(for: number)) else {
                throw .io(path: path, operation: "encrypt the audit trail", reason: "AES-GCM failed")
            }
            // A torn last line stays torn (no line end), sealed: the next append reports it as before.
            if !whole { out.removeLast() }
            sealed += out
        }
        let plain = PlainCopies.hold(path)
        do {
            try AtomicFile.write(Data(sealed), to: path)
        } catch {
            if plain >= 0 { close(plain) }
            throw error
        }
        PlainCopies.overwrite(plain)
    }

    /// Writes beside the new document `newDocumentPath` a plain copy of the encrypted trail of `documentPath`, each
    /// line opened under `seal`'s keys, so the copy verifies on its own against the seal its document records. A line
    /// that does not open is copied sealed, and so fails there as it fails here. Nothing to do without a trail.
    public static func copyOpened(from documentPath: String, to newDocumentPath: String, seal: AuditSeal) throws(StoreError) {
        let path = AuditLog.trailPath(for: DocumentStore.resolvedPath(documentPath))
        guard let bytes = try readIfPresent(path) else { return }
        var plain: [UInt8] = []
        plain.reserveCapacity(bytes.count)
        var number = 0
        for (line, whole) in lines(of: bytes) {
            number += 1
            do throws(AuditProblem) {
                plain += try AuditTrail.openLine(line, number: number, keys: seal.key(for:))
            } catch {
                plain += line
            }
            if whole { plain.append(UInt8(ascii: "\n")) }
        }
        let target = AuditLog.trailPath(for: DocumentStore.resolvedPath(newDocumentPath))
        var info = stat()
        // The new document's trail is new too: never written over something already there (or through a link).
        guard lstat(target, &info) != 0 else {
            throw .io(path: target, operation: "write the audit trail of the copy", reason: "a file is already there; move it aside or choose another name")
        }
        try AtomicFile.write(Data(plain), to: target)
    }

    /// The file's bytes, or nil when there is none. A link is refused, as `AuditLog` refuses it: Caseload does not
    /// follow links for its own files.
    static func readIfPresent(_ path: String) throws(StoreError) -> [UInt8]? {
        var info = stat()
        if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
            throw .io(path: path, operation: "read the audit trail", reason: "it is a symbolic link; Caseload does not follow links for its own files")
        }
        do {
            return Array(try AtomicFile.read(path))
        } catch {
            if case .notFound = error { return nil }
            throw error
        }
    }

    /// Each line without its line end, and whether it had one (only the last may not).
    static func lines(of bytes: [UInt8]) -> [(line: [UInt8], whole: Bool)] {
        var out: [([UInt8], Bool)] = []
        var start = 0
        while start < bytes.count {
            if let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                out.append((Array(bytes[start..<end]), true))
                start = end + 1
            } else {
                out.append((Array(bytes[start...]), false))
                start = bytes.count
            }
        }
        return out
    }

    /// Whether `line` is already an encrypted entry that opens under `seal` (a torn plain line can look like one).
    static func isSealed(_ line: [UInt8], number: Int, seal: AuditSeal) -> Bool {
        do throws(AuditProblem) {
            _ = try AuditTrail.openLine(line, number: number, keys: seal.key(for:))
            return true
        } catch {
            return false
        }
    }
}

extension DocumentStore {
    /// The bytes a restore writes for the backup `data` (its plaintext and decoding given) over the file `current`.
    ///
    /// The trail goes on past a restore: the restored document keeps the current one's trail keys and length (a backup
    /// from before has none, or an older count, or keys from before a person was removed, and would orphan the trail or
    /// fail its later entries). Over an encrypted document the result is sealed under its current header and key.
    static func restoredBytes(
        _ data: Data, plaintext: SourceBytes, decoded: DecodedDocument, backupPath: String,
        current: Data, currentEncrypted: Bool, keys: DocumentKeys?, backupKeys: DocumentKeys?, path: String
    ) throws(StoreError) -> Data {
        var plain = plaintext
        var reencoded = false
        if let seal = try currentSeal(current, encrypted: currentEncrypted, keys: keys, path: path), decoded.audit != seal {
            plain = SourceBytes(copying: DocumentCodec.encode(decoded.document, audit: seal))
            reencoded = true
        }
        if currentEncrypted {
            guard let keys else { throw .needsPassphrase(path: path) }
            return try resealed(plain, like: current, keys: keys, path: path)
        }
        guard reencoded else { return data }
        // An encrypted backup stays encrypted (under its own header) even over a plain document.
        if data.withUnsafeBytes({ EncryptedFile.isEncrypted($0) }) {
            guard let opener = backupKeys ?? keys else { throw .needsPassphrase(path: backupPath) }
            return try resealed(plain, like: data, keys: opener, path: backupPath)
        }
        return plain.data
    }

    /// The audit seal the file `current` records (nil when it has none, or when it is encrypted and `keys` are
    /// missing: `restore` refuses that case itself). A restore carries it over to the restored document.
    static func currentSeal(_ current: Data, encrypted: Bool, keys: DocumentKeys?, path: String) throws(StoreError) -> AuditSeal? {
        if encrypted && keys == nil { return nil }
        let plain = try plaintext(of: SourceBytes(copying: current), keys: keys, path: path)
        return try DocumentCodec.decode(plain, path: path).audit
    }
}
