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

/// One open document on disk: it knows what it loaded, and saves safely (backup when due, atomic replace), merging
/// three ways with what another instance saved meanwhile (issue 18). The lock is held only while a save merges and
/// writes, so every instance on one document is writable.
public final class DocumentStore: @unchecked Sendable {
    /// Whether this store may write the file.
    public enum Access: Equatable, Sendable {
        case readWrite
        case readOnly(reason: String)
    }

    /// The path as the user gave it, for messages.
    public let path: String
    /// The file itself, links resolved (`resolvedPath(_:)`): what is locked, read, saved and backed up.
    public let resolvedPath: String
    public let access: Access
    /// The version found in the file when it was opened.
    public let fileVersion: Int
    /// Things the user should be told after opening (quarantined leftovers, a migration, why it is read-only).
    public let notices: [String]

    let state = NSLock()
    /// How long a save waits for another instance's save to finish before it fails (and the autosaver retries).
    static let saveLockWait: TimeInterval = 15
    var fingerprint: FileFingerprint?
    /// The document the file at `fingerprint` holds (last read, picked up or written); nil when not known (bytes saved
    /// by `save(encoded:)`).
    var known: CaseloadDocument?
    /// The document this store last opened or wrote: the base of a merge when the caller gives none (a pick-up does not
    /// move it, since the caller's document did not grow from what was picked up unless the caller says so).
    var ownBase: CaseloadDocument?
    /// The base the last save was given, the snapshot, and what it wrote; and the versions picked up since (see
    /// `save(_:base:now:)`).
    var lastSave: (base: CaseloadDocument?, snapshot: CaseloadDocument, written: CaseloadDocument)?
    var pickedUpSinceSave: [CaseloadDocument] = []
    /// Counts the versions of the file this store has read or written: the UI drops news older than what it has.
    var diskVersion = 0
    private var lastBackup: Date?
    var stoppedByExternalChange = false
    private var backupWarning: String?
    var closed = false
    /// The bytes last written (or read) and the values they encode; nil for a migrated file, whose bytes are not the
    /// document's. Bytes as read are not trusted to be canonical until the first save has compared them.
    var written: EntityCache?
    var reencodedBySave = 0
    var freshBytesBySave = 0
    /// The key material when the document is encrypted: every save seals the file under it.
    var encryptionKeys: DocumentKeys?
    /// The audit trail's keys and recorded length (issue 17): nil only for a document no writer has saved since the
    /// trail existed (opened read-only, or by an older Caseload).
    var auditSeal: AuditSeal?
    /// The trail the app writes entries to; each save appends its waiting entries first and records the new length.
    var auditLog: AuditLog?
    private var auditWarning: String?
    /// A writer started the trail of a document that had no keys (a version 1 file): until a save records them, no
    /// entry may be written under them, or the trail could never be verified.
    var auditSealUnsaved = false

    private init(path: String, resolvedPath: String, access: Access, fileVersion: Int, notices: [String], fingerprint: FileFingerprint?, lastBackup: Date?) {
        self.path = path; self.resolvedPath = resolvedPath; self.access = access; self.fileVersion = fileVersion; self.notices = notices
        self.fingerprint = fingerprint; self.lastBackup = lastBackup
    }

    /// Where `path` really is: symbolic links anywhere in it resolved, so that every spelling of one file (an alias
    /// link, `./doc.json`, a linked folder) shares one lock, one backups folder and one set of temp files. For a file
    /// that does not exist yet, its folder is resolved; when even that fails, `path` as given.
    public static func resolvedPath(_ path: String) -> String {
        if let real = realPath(path) { return real }
        let (dir, base) = AtomicFile.split(path)
        if let folder = realPath(dir) { return AtomicFile.join(folder, base) }
        return path
    }

    private static func realPath(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// Opens an existing document. Read-write unless asked otherwise, the version is newer, the file has several names or
    /// its lock file cannot be trusted; read-only with a notice saying why. The lock is taken only for a moment here
    /// (to put away an earlier crash's leftovers, to back up before a migration), never for the session. Throws when the file cannot be read as a document; the file is never touched then.
    ///
    /// An encrypted document needs `keys` (`DocumentKeys.unlock` with the person's passphrase); without them it throws
    /// `.needsPassphrase`. Its plaintext exists only in memory, and every save of the store is sealed under the keys.
    public static func open(_ path: String, readOnly: Bool = false, now: Date = Date(), keys: DocumentKeys? = nil) throws(StoreError) -> (store: DocumentStore, document: CaseloadDocument) {
        // Resolved once, here: the lock, the quarantine, backups and saves all follow this file, not the typed name.
        let real = resolvedPath(path)
        // A shared document whose mode drifted wider, or whose file is not trusted, is refused before anything is read.
        try SharedTrust.refuseUnsafeSharing(ofDocument: real, shown: path)
        // Read and decode first: a broken file is reported before any lock or quarantine side effect. Read by the typed
        // name so errors name it; should the link move in between, the fingerprint (taken at `real`) stops the first save.
        let status: stat, digest: () -> String, source: SourceBytes, encrypted: Bool
        if let keys, try isEncryptedFile(path) {
            // Read and opened a window of chunks at a time: the whole ciphertext is never in memory beside the plaintext.
            let opened = try EncryptedFile.readDecrypting(path, keys: keys, adopt: true)
            (source, status, encrypted) = (opened.plain, opened.status, true)
            digest = { opened.sha256 }
        } else {
            let (read, info) = try AtomicFile.readSourceWithStatus(path)
            status = info
            // Its fingerprint's hash is worked out on another core meanwhile (an early return just leaves it to finish).
            let hashing = DigestInBackground(read.data)
            digest = { hashing.wait() }
            // Without keys, an encrypted file stops here (`.needsPassphrase`).
            source = try plaintext(of: read, keys: keys, path: path, adopt: true)
            encrypted = false
        }
        // The bytes are kept: long note texts stay slices of them, and the first save copies what did not change.
        let decoded = try DocumentCodec.decode(source, path: path)
        var notices: [String] = []
        var access = Access.readWrite
        var lock: FileLock? = nil
        var lastBackup: Date? = nil

        if readOnly {
            access = .readOnly(reason: "opened read-only as asked")
        } else if status.st_nlink > 1 {
            // Another name for the same file would take another lock, and a save (a rename) would leave that name
            // holding the old notes: two names can never be kept consistent, so neither is written.
            let reason = "the file has \(status.st_nlink) names (hard links), which a save would split into different files; copy it to a file of its own to edit it"
            access = .readOnly(reason: reason)
            notices.append("opened read-only: \(reason)")
        } else if decoded.isNewer {
            let reason = StoreError.newerVersion(path: path, found: decoded.fileVersion, supported: DocumentCodec.currentVersion).description
            access = .readOnly(reason: reason)
            notices.append(reason)
        } else {
            do {
                // Another instance's save holds it for a moment at most: wait a little, then open without tidying up.
                lock = try FileLock.acquire(for: real, now: now, waiting: 2)
            } catch {
                switch error {
                case .locked:
                    // Still writable: the lock is only ever held by a save. Leftovers wait for the next opening.
                    break
                case .readOnly(_, let reason):
                    // A lock file that cannot be trusted (another account's, a hard link, no permission): reading is still safe.
                    access = .readOnly(reason: reason)
                    notices.append("opened read-only: \(reason)")
                default:
                    throw error
                }
            }
        }

        if lock != nil {
            // Only the lock holder may move temp files: another instance's save in progress would look the same.
            do {
                let moved = try AtomicFile.quarantineLeftovers(for: real)
                if !moved.isEmpty {
                    notices.append("found \(moved.count) unfinished save\(moved.count == 1 ? "" : "s") from an earlier crash; the document itself is intact, and the leftovers were moved to \(Backups(documentPath: real).quarantineFolder)")
                }
            } catch {
                // The document is fine; only the leftovers could not be put away (e.g. an unsafe backups folder).
                notices.append("unfinished saves from an earlier crash were left in place: \(error.description)")
            }
        }
        if access == .readWrite {
            if decoded.wasMigrated {
                do {
                    // As the file is on disk: an encrypted original stays encrypted in its backup.
                    let backups = Backups(documentPath: real)
                    let backup = encrypted ? try backups.makeBackup(copying: real, now: now) : try backups.makeBackup(of: source.data, now: now)
                    lastBackup = now
                    notices.append("updated from schema version \(decoded.fileVersion) to \(DocumentCodec.currentVersion); the original is kept at \(backup.path)")
                } catch {
                    // Without a copy of the original, do not risk rewriting it in the new shape.
                    access = .readOnly(reason: "needs updating from schema version \(decoded.fileVersion), but the original could not be backed up first: \(error)")
                    notices.append("opened read-only: the original could not be backed up before updating it (\(error))")
                }
            }
        }

        lock?.release()
        let writable = access == .readWrite
        let fingerprint = try FileFingerprint.of(digest: digest(), atPath: real)
        let store = DocumentStore(path: path, resolvedPath: real, access: access, fileVersion: decoded.fileVersion, notices: notices,
                                  fingerprint: fingerprint, lastBackup: lastBackup)
        if writable { store.written = EntityCache(decoded) }
        store.known = decoded.document
        store.ownBase = decoded.document
        if encrypted { store.encryptionKeys = keys }
        // A writer starts the trail of a document that has none yet; its first save records the keys.
        store.auditSeal = decoded.audit ?? (writable ? AuditSeal.fresh() : nil)
        store.auditSealUnsaved = decoded.audit == nil && writable
        return (store, decoded.document)
    }

    /// The document bytes of a file: the file itself when plain; opened with `keys` when encrypted. With `adopt` (the
    /// store's own file) the keys then follow its header and document key; reading anything else (a backup) leaves
    /// them as they are, or the next save would take that file's header.
    static func plaintext(of file: SourceBytes, keys: DocumentKeys?, path: String, adopt: Bool = false) throws(StoreError) -> SourceBytes {
        guard EncryptedFile.isEncrypted(file.buffer(0, min(file.count, EncryptedDocument.magic.count))) else { return file }
        guard let keys else { throw .needsPassphrase(path: path) }
        do {
            let (header, bodyStart) = try EncryptedDocument.parseHeaderPrefix(Array(file.buffer(0, min(file.count, 256 * 1024))))
            let documentKey = try keys.documentKey(for: header)
            let plain = try EncryptedDocument.openBody(file.buffer(0, file.count), bodyStart: bodyStart, documentKey: documentKey)
            if adopt { keys.adopt(header: header, documentKey: documentKey) }
            return plain
        } catch {
            throw .encryption(path: path, error)
        }
    }

    /// Reads and decodes the document at `path` without locking or writing anything (for commands that only read):
    /// an encrypted one needs `keys`.
    public static func read(_ path: String, keys: DocumentKeys? = nil) throws(StoreError) -> DecodedDocument {
        if let keys, try isEncryptedFile(path) {
            return try DocumentCodec.decode(try EncryptedFile.readDecrypting(path, keys: keys, adopt: false).plain, path: path)
        }
        let (fileBytes, _) = try AtomicFile.readSourceWithStatus(path)
        return try DocumentCodec.decode(try plaintext(of: fileBytes, keys: keys, path: path), path: path)
    }

    /// `plain` sealed under the header and document key of the encrypted file `current` (opened with `keys`).
    static func resealed(_ plain: SourceBytes, like current: Data, keys: DocumentKeys, path: String) throws(StoreError) -> Data {
        do throws(EncryptedDocumentError) {
            let (header, _) = try EncryptedDocument.parseHeaderPrefix(Array(current.prefix(256 * 1024)))
            let documentKey = try keys.documentKey(for: header)
            var sealed = Data()
            sealed.reserveCapacity(plain.count + plain.count / EncryptedDocument.chunkSize * 16 + 64 * 1024)
            let sealer = EncryptedDocument.BodySealer(header: header, documentKey: documentKey)
            sealer.start { sealed.append(contentsOf: $0) }
            sealer.write(plain.buffer(0, plain.count)) { sealed.append(contentsOf: $0) }
            sealer.finish { sealed.append(contentsOf: $0) }
            if let failure = sealer.failure { throw failure }
            return sealed
        } catch {
            throw .encryption(path: path, error)
        }
    }

    /// Whether the file at `path` starts with the encrypted-document magic (reads only its first bytes).
    static func isEncryptedFile(_ path: String) throws(StoreError) -> Bool {
        try AtomicFile.readPrefix(path, count: EncryptedDocument.magic.count).withUnsafeBytes { EncryptedFile.isEncrypted($0) }
    }

    /// Whether the file is an encrypted document (its saves are sealed).
    public var isEncrypted: Bool { state.withLock { encryptionKeys != nil } }

    /// The keys the store seals under; nil for a plain document.
    public var keys: DocumentKeys? { state.withLock { encryptionKeys } }

    /// Creates a new document at `path` (refusing to replace one unless `replacing` is set) and returns it open for writing.
    /// With `keys`, the file is written encrypted under them.
    public static func create(_ path: String, with document: CaseloadDocument, replacing: Bool = false, now: Date = Date(), keys: DocumentKeys? = nil,
                              audit: AuditSeal = .fresh()) throws(StoreError) -> DocumentStore {
        let real = resolvedPath(path)
        let lock = try FileLock.acquire(for: real, now: now, waiting: saveLockWait)
        defer { lock.release() }
        var existing: Data? = nil
        do {
            existing = try AtomicFile.read(real)
        } catch {
            if case .notFound = error {} else { throw error }
        }
        if let existing {
            guard replacing else { throw .alreadyExists(path: path) }
            // Whatever was there is kept as a backup before it is replaced.
            _ = try Backups(documentPath: real).makeBackup(of: existing, now: now)
        }
        let digest = StreamDigest()
        var outcome: IncrementalWriter.Outcome?
        try AtomicFile.write(to: real) { sink in
            writeFile(into: &sink, digest: digest, keys: keys) { emit in
                outcome = IncrementalWriter.write(document, audit: audit, reusing: nil, emit: emit)
            }
        }
        let fingerprint = try FileFingerprint.of(digest: digest.finish(), atPath: real)
        let store = DocumentStore(path: path, resolvedPath: real, access: .readWrite, fileVersion: DocumentCodec.currentVersion, notices: [],
                                  fingerprint: fingerprint, lastBackup: existing == nil ? nil : now)
        store.known = document
        store.ownBase = document
        // Written here in canonical form: the next save re-encodes only what changes.
        store.written = outcome?.cache
        store.encryptionKeys = keys
        store.auditSeal = audit
        store.reencodedBySave = outcome?.reencoded ?? 0
        store.freshBytesBySave = outcome?.freshBytes ?? 0
        return store
    }

    /// Whether saves are refused because the file was moved or deleted behind the store's back, or a newer Caseload
    /// wrote it.
    public var isStoppedByExternalChange: Bool { state.withLock { stoppedByExternalChange } }

    /// The last backup problem, if the latest backup attempt failed (saving went on regardless).
    public var lastBackupWarning: String? { state.withLock { backupWarning } }

    /// How many top-level entities (the program, each staff member, patient, series and session) the last save of a
    /// document encoded afresh; the others' bytes were copied from the file it last wrote. For tests and the benchmark.
    public var lastSaveReencoded: Int { state.withLock { reencodedBySave } }

    /// How many bytes of the last save's own encodings the store keeps for the next one: only entities whose bytes
    /// were not already kept (as read, or as an earlier save wrote them). For tests and the benchmark.
    public var lastSaveKeptBytes: Int { state.withLock { freshBytesBySave } }

    /// Turns a plain document into an encrypted one: saves it sealed under `keys`, without first backing up the plain
    /// file (the caller deals with the plain bytes left behind: the replaced file, its backups). From now on every
    /// save is sealed. On failure the file and the store stay plain.
    public func encrypt(_ document: CaseloadDocument, keys: DocumentKeys, now: Date = Date()) throws(StoreError) {
        state.lock()
        defer { state.unlock() }
        guard encryptionKeys == nil else { throw .encryption(path: path, .malformedHeader(detail: "the document is already encrypted")) }
        encryptionKeys = keys
        let audit = auditToRecord()
        var outcome: IncrementalWriter.Outcome?
        do {
            try write(now: now, backup: false) { emit in
                outcome = IncrementalWriter.write(document, audit: audit, reusing: written, emit: emit)
            }
        } catch {
            encryptionKeys = nil
            throw error
        }
        written = outcome?.cache
        // The trail follows: sealed line by line under the keys the document now keeps sealed. The document is
        // encrypted whatever happens here; a failure is the trail's warning (`lastAuditWarning`), not the encryption's.
        // (An `AuditLog` opened before this still writes plain lines: open the trail again after encrypting.)
        if let audit {
            do { try AuditTrailFiles.sealTrail(of: resolvedPath, seal: audit) } catch { auditWarning = "the audit trail was left unencrypted: \(error.description)" }
        }
    }

    /// Changes the key slots of an encrypted document: `change` gets the current header and document key and returns
    /// the new ones, and `document` is saved under them at once. With `backupAfter`, the new file is backed up straight
    /// away (after a person is removed: the first backup under the new key). On failure the file and keys are as before.
    public func changeKeys(
        _ document: CaseloadDocument, now: Date = Date(), backupAfter: Bool = false,
        _ change: (EncryptedDocument.Header, SymmetricKey) throws(EncryptedDocumentError) -> (EncryptedDocument.Header, SymmetricKey)
    ) throws(StoreError) {
        state.lock()
        defer { state.unlock() }
        guard let keys = encryptionKeys else { throw .encryption(path: path, .notEncrypted) }
        let (oldHeader, oldKey) = (keys.header, keys.documentKey)
        let newHeader: EncryptedDocument.Header, newKey: SymmetricKey
        do throws(EncryptedDocumentError) { (newHeader, newKey) = try change(oldHeader, oldKey) } catch { throw .encryption(path: path, error) }
        keys.adopt(header: newHeader, documentKey: newKey)
        var audit = auditToRecord()
        if backupAfter, let current = audit {
            // A person was removed: entries from now on are chained under a key they never saw, from the trail's real
            // end (readers may have appended since the last save).
            let log = auditLog ?? AuditLog(documentPath: resolvedPath, seal: current, encrypted: true, who: "", identity: .unmapped)
            do {
                try log.rotateKey()
                audit = log.currentSeal
            } catch {
                audit = current.rotated(after: current.count)
            }
            auditSeal = audit
        }
        var outcome: IncrementalWriter.Outcome?
        do {
            try write(now: now) { emit in
                outcome = IncrementalWriter.write(document, audit: audit, reusing: written, emit: emit)
            }
        } catch {
            keys.adopt(header: oldHeader, documentKey: oldKey)
            throw error
        }
        written = outcome?.cache
        if backupAfter {
            // The change is saved whatever happens here: a failed backup is a warning (`lastBackupWarning`), not a
            // failure of the change.
            do {
                _ = try Backups(documentPath: resolvedPath).makeBackup(copying: resolvedPath, now: now)
                lastBackup = now
                backupWarning = nil
            } catch {
                backupWarning = error.description
            }
        }
    }

    /// Adds a key slot for `login` (their passphrase wraps it) and saves.
    public func addKeySlot(_ document: CaseloadDocument, login: String, passphrase: String, now: Date = Date()) throws(StoreError) {
        try changeKeys(document, now: now) { header, key throws(EncryptedDocumentError) in
            (try EncryptedDocument.addSlot(to: header, documentKey: key, login: login, passphrase: passphrase), key)
        }
    }

    /// Removes `login`'s key slot and re-keys: a new document key wrapped to every remaining slot, the document saved
    /// under it and backed up at once, so no copy made from now on opens with the removed person's passphrase.
    public func removeKeySlot(_ document: CaseloadDocument, login: String, now: Date = Date()) throws(StoreError) {
        try changeKeys(document, now: now, backupAfter: true) { header, _ throws(EncryptedDocumentError) in
            try EncryptedDocument.removingSlot(from: header, login: login)
        }
    }

    /// Changes the passphrase of the person who opened the document (their old one is needed) and saves.
    public func changePassphrase(_ document: CaseloadDocument, old: String, new: String, now: Date = Date()) throws(StoreError) {
        guard let login = keys?.login else { throw .encryption(path: path, .notEncrypted) }
        try changeKeys(document, now: now) { header, key throws(EncryptedDocumentError) in
            (try EncryptedDocument.changingPassphrase(in: header, login: login, old: old, new: new), key)
        }
    }

    // MARK: Audit trail

    /// The trail's keys and length as the document records them (nil before a writer started the trail).
    public var audit: AuditSeal? { state.withLock { auditLog?.currentSeal ?? auditSeal } }

    /// Whether the trail's keys are not in the file yet (a document from before trails, opened for writing): save the
    /// document before any entry is written. Entries wait meanwhile.
    public var auditSealNeedsSaving: Bool { state.withLock { auditSealUnsaved } }

    /// The last problem writing the trail (a full disk): the entries wait and are written with a later save.
    public var lastAuditWarning: String? { state.withLock { auditWarning } }

    /// The trail entries of this document are written through: `who` and `identity` name the person in each. Nil when
    /// the document has no trail keys yet (opened read-only before any writer saved it since trails began).
    public func openAuditLog(as person: Operator) -> AuditLog? {
        state.withLock {
            guard let seal = auditSeal else { return nil }
            let log = AuditLog(documentPath: resolvedPath, seal: seal, encrypted: encryptionKeys != nil, who: person.login, identity: person.identity,
                               keysRecorded: !auditSealUnsaved)
            auditLog = log
            return log
        }
    }

    /// With `state` held: the waiting entries appended (a failure is a warning: the save goes on, they wait), and the
    /// seal the document records.
    func auditToRecord() -> AuditSeal? {
        // Keys not on disk yet: the log writes nothing (this save records them; the entries wait for the next one).
        guard let log = auditLog else { return auditSeal }
        do {
            auditSeal = try log.flush()
            auditWarning = nil
        } catch {
            auditWarning = error.description
            auditSeal = log.currentSeal
        }
        return auditSeal
    }

    /// Saves already-encoded bytes (never merged: the caller vouches for them).
    public func save(encoded data: Data, now: Date = Date()) throws(StoreError) {
        state.lock()
        defer { state.unlock() }
        let fileLock = try FileLock.acquire(for: resolvedPath, now: now, waiting: Self.saveLockWait)
        defer { fileLock.release() }
        try write(now: now, recordsAuditKeys: false) { emit in data.withUnsafeBytes { emit($0, nil) } }
        // Which values these bytes encode is not known: the next save of a document encodes it whole.
        written = nil
        known = nil
        ownBase = nil
    }

    func refuseIfNotWritable() throws(StoreError) {
        if case .readOnly(let reason) = access { throw .readOnly(path: path, reason: reason) }
        if closed { throw .readOnly(path: path, reason: "the document has been closed") }
        if stoppedByExternalChange { throw .changedOnDisk(path: path) }
    }

    /// The save sequence, with `state` and the file lock held: checks, external-change check (a save that merges has
    /// read the file first, so it is unchanged here), backup when due, atomic replace of the file with the bytes
    /// `produce` hands out in pieces.
    /// `recordsAuditKeys`: the bytes carry the trail's seal (every save of a document does; `save(encoded:)` cannot say).
    func write(now: Date, backup: Bool = true, recordsAuditKeys: Bool = true, _ produce: (IncrementalWriter.Emit) -> Void) throws(StoreError) {
        try refuseIfNotWritable()
        if let fingerprint {
            switch try fingerprint.compare(atPath: resolvedPath) {
            case .same: break
            case .touched(let updated): self.fingerprint = updated
            case .changed, .missing:
                stoppedByExternalChange = true
                throw .changedOnDisk(path: path)
            }
        }
        // The digest the next external-change check compares with, hashed on another core meanwhile.
        let digest = StreamDigest()
        if backup, BackupSchedule.isDue(lastBackup: lastBackup, now: now) {
            do {
                _ = try Backups(documentPath: resolvedPath).makeBackup(copying: resolvedPath, now: now)
                lastBackup = now
                backupWarning = nil
            } catch {
                // A missed backup must not stop the save itself; it is retried at the next save.
                backupWarning = error.description
            }
        }
        do {
            let keys = encryptionKeys
            try AtomicFile.write(to: resolvedPath) { sink in
                Self.writeFile(into: &sink, digest: digest, keys: keys, produce)
            }
        } catch {
            // A failure after the rename (syncing the folder) leaves our bytes in place: remember them, or the
            // next save would mistake our own file for someone else's change.
            if let now = try? FileFingerprint.current(atPath: resolvedPath), now.sha256 == digest.finish() {
                fingerprint = now
            }
            throw error
        }
        fingerprint = try FileFingerprint.of(digest: digest.finish(), atPath: resolvedPath)
        diskVersion += 1
        if recordsAuditKeys, auditSealUnsaved {
            auditSealUnsaved = false
            auditLog?.markKeysRecorded()
        }
    }

    /// Hands the document's bytes from `produce` to the file and its digest: as they come for a plain document, sealed
    /// chunk by chunk under `keys` for an encrypted one (only ciphertext ever reaches the temp file).
    static func writeFile(into sink: inout FileSink, digest: StreamDigest, keys: DocumentKeys?, _ produce: (IncrementalWriter.Emit) -> Void) {
        guard let keys else {
            produce { piece, owner in
                sink.write(piece)
                digest.feed(piece, owner: owner)
            }
            return
        }
        let sealer = EncryptedDocument.BodySealer(header: keys.header, documentKey: keys.documentKey)
        func out(_ piece: UnsafeRawBufferPointer) {
            sink.write(piece)
            digest.feed(piece)
        }
        sealer.start(out)
        produce { piece, _ in sealer.write(piece, out) }
        sealer.finish(out)
        if let failure = sealer.failure { sink.abandon(failure.description) }
    }

    /// The store refuses to save afterwards.
    public func close() {
        state.withLock { closed = true }
    }
}
