import CaseloadCore
import Foundation

extension DocumentStore {
    /// Brings back a backup: checks it is a readable document, backs up the current file, then replaces it atomically. Refused while another Caseload holds the document.
    @discardableResult
    /// An encrypted backup needs `keys`; a plain backup is refused over an encrypted document (it would put the
    /// records back on disk in the clear).
    ///
    /// Over an encrypted document, the backup's contents are sealed again under the document's current header and key:
    /// restoring a copy from before a person was removed (or a passphrase changed) must not bring back their slot (or
    /// the old passphrase). `backupKeys` opens a backup whose slot for this person was made again since (the
    /// passphrase unlocks its own header); `keys` opens the current file. The restored document keeps the current
    /// one's audit trail keys and length (`restoredBytes`), so the trail goes on verifying.
    public static func restore(_ path: String, from backupNameOrPath: String, now: Date = Date(), keys: DocumentKeys? = nil,
                               backupKeys: DocumentKeys? = nil) throws(StoreError) -> Backup {
        let real = resolvedPath(path)
        let backups = Backups(documentPath: real)
        // An unsafe folder is refused with its reason; `find` alone would only say nothing matched.
        let refused = try backups.inventory().refused
        guard let backup = backups.find(backupNameOrPath) else {
            let passedOver = refused.isEmpty ? "" : "; passed over as untrusted: \(refused.joined(separator: "; "))"
            throw .backupFailed(path: path, reason: "no backup matches \"\(backupNameOrPath)\" (see `caseload backups \(path)`)\(passedOver)")
        }
        let lock = try FileLock.acquire(for: real, now: now, waiting: 2)
        defer { lock.release() }
        let data = try backups.read(backup)
        guard !data.isEmpty else { throw .empty(path: backup.path) }
        let fileBytes = SourceBytes(copying: data)
        let backupPlaintext = try plaintext(of: fileBytes, keys: backupKeys ?? keys, path: backup.path)
        let decoded = try DocumentCodec.decode(backupPlaintext, path: backup.path)
        if decoded.isNewer {
            throw .newerVersion(path: backup.path, found: decoded.fileVersion, supported: DocumentCodec.currentVersion)
        }
        var restored = data
        do throws(StoreError) {
            let current = try AtomicFile.read(real)
            let currentEncrypted = current.withUnsafeBytes { EncryptedFile.isEncrypted($0) }
            if currentEncrypted, !data.withUnsafeBytes({ EncryptedFile.isEncrypted($0) }) {
                throw .backupFailed(path: path, reason: "\(backup.name) is not encrypted and the document is: restoring it would put the records on disk in the clear; decrypt it to a file of its own with care, or pick an encrypted backup")
            }
            restored = try restoredBytes(data, plaintext: backupPlaintext, decoded: decoded, backupPath: backup.path,
                                         current: current, currentEncrypted: currentEncrypted, keys: keys, backupKeys: backupKeys, path: path)
            _ = try backups.makeBackup(of: current, now: now)
        } catch {
            if case .notFound = error {} else { throw error }
        }
        try AtomicFile.write(restored, to: real)
        return backup
    }
}
