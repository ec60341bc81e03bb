import CaseloadCore
import Foundation

/// What a save wrote: the snapshot as given, or merged with what another instance saved since (issue 18).
public struct SaveOutcome: Sendable {
    /// The document the file now holds: the base of this instance's next merge.
    public var written: CaseloadDocument
    /// Whether another instance's changes were merged in (`written` then differs from what was given).
    public var merged: Bool
    /// Fields both sides changed differently: the file has their value; each conflict carries this instance's own.
    public var conflicts: [MergeConflict]
    /// Which version of the file this is, counted by this store: news older than what the UI has is dropped.
    public var version: Int
    /// The base the save merged from (nil: none, the snapshot was written as given): the one it was given, or, for a
    /// snapshot taken before this instance's own last save was taken in, that save's snapshot plus what was taken in.
    public var mergedFrom: CaseloadDocument?

    public init(written: CaseloadDocument, merged: Bool, conflicts: [MergeConflict], version: Int, mergedFrom: CaseloadDocument? = nil) {
        self.written = written; self.merged = merged; self.conflicts = conflicts; self.version = version; self.mergedFrom = mergedFrom
    }
}

/// What another instance saved, picked up between this instance's saves.
public struct DiskChange: Sendable {
    public var document: CaseloadDocument
    public var version: Int

    public init(document: CaseloadDocument, version: Int) { self.document = document; self.version = version }
}

extension DocumentStore {
    /// Saves `document`, which grew from `base` (the version of the file it was last merged with; nil: the one this
    /// store last opened or wrote, whatever was picked up since). Under the document's lock: when the file holds something other than `base` (another
    /// instance saved), it is read and merged three ways (`DocumentMerge`) and the merge is written; otherwise
    /// `document` is. Refuses when read-only, closed, or the file is gone; backs up when due; replaces atomically. On
    /// failure the file on disk is unchanged.
    ///
    /// Only the entities whose value differs from what the file holds are encoded; the others' bytes are copied from it.
    @discardableResult
    public func save(_ document: CaseloadDocument, base: CaseloadDocument? = nil, now: Date = Date()) throws(StoreError) -> SaveOutcome {
        state.lock()
        defer { state.unlock() }
        try refuseIfNotWritable()
        let fileLock = try FileLock.acquire(for: resolvedPath, now: now, waiting: Self.saveLockWait)
        defer { fileLock.release() }
        let mergeBase = TakeIn.saveBase(given: base, own: ownBase, lastSave: lastSave, pickedUp: pickedUpSinceSave)
        let onDisk = try readIfChanged()
        let (toWrite, conflicts, merged) = TakeIn.forSave(mine: document, base: mergeBase, current: onDisk)
        let audit = auditToRecord()
        var outcome: IncrementalWriter.Outcome?
        try write(now: now) { emit in
            outcome = IncrementalWriter.write(toWrite, audit: audit, reusing: written, emit: emit)
        }
        // Updated only once the bytes are on disk: after a failed write the cache still describes the file there.
        written = outcome?.cache
        known = toWrite
        ownBase = toWrite
        lastSave = (base ?? ownBase, document, toWrite)
        pickedUpSinceSave = []
        reencodedBySave = outcome?.reencoded ?? 0
        freshBytesBySave = outcome?.freshBytes ?? 0
        return SaveOutcome(written: toWrite, merged: merged, conflicts: conflicts, version: diskVersion, mergedFrom: mergeBase)
    }

    /// What another instance saved since this store last read or wrote the file, or nil when nothing changed (cheap:
    /// the file is hashed only when its size or time moved, and read only when the bytes differ). Throws when the file
    /// is gone or cannot be read; saving stops when it is gone.
    public func pickUpChanges(now: Date = Date()) throws(StoreError) -> DiskChange? {
        state.lock()
        defer { state.unlock() }
        guard !closed, !stoppedByExternalChange, fingerprint != nil else { return nil }
        // A quick look first: no lock is taken when nothing moved.
        if let fingerprint, fingerprint.statMatches(atPath: resolvedPath) { return nil }
        // Read under the lock, so no save by another instance replaces the file between the look and the read.
        let fileLock: FileLock
        do { fileLock = try FileLock.acquire(for: resolvedPath, now: now, waiting: 0.5) } catch {
            if case .locked = error { return nil } // a save under way: the next look sees its result
            throw error
        }
        defer { fileLock.release() }
        let before = diskVersion
        guard let document = try readIfChanged(), diskVersion != before else { return nil }
        pickedUpSinceSave = Array((pickedUpSinceSave + [document]).suffix(8))
        return DiskChange(document: document, version: diskVersion)
    }

    /// With `state` and the file lock held: the document the file holds now. Read, decoded and remembered (with its
    /// bytes, for the next save to copy) when it changed since this store last read or wrote it; `known` otherwise.
    func readIfChanged() throws(StoreError) -> CaseloadDocument? {
        if let fingerprint {
            switch try fingerprint.compare(atPath: resolvedPath) {
            case .same: if let known { return known }
            case .touched(let updated):
                self.fingerprint = updated
                if let known { return known }
            case .changed: break
            case .missing:
                stoppedByExternalChange = true
                throw .changedOnDisk(path: path)
            }
        }
        let decoded: DecodedDocument, digest: String
        do throws(StoreError) {
            if let keys = encryptionKeys {
                // Another instance may have changed the key slots (a person removed): the keys follow the file's header.
                let opened = try EncryptedFile.readDecrypting(resolvedPath, keys: keys, adopt: true)
                decoded = try DocumentCodec.decode(opened.plain, path: path)
                digest = opened.sha256
            } else {
                let (read, _) = try AtomicFile.readSourceWithStatus(resolvedPath)
                decoded = try DocumentCodec.decode(try Self.plaintext(of: read, keys: nil, path: path), path: path)
                digest = FileFingerprint.hexDigest(read.data)
            }
        } catch {
            switch error {
            case .io, .notFound: break // a passing disk problem: tried again at the next look or save
            default:
                // Replaced with something that is not a document this Caseload can read (or no longer opens with
                // these keys): never written over, never merged.
                stoppedByExternalChange = true
            }
            throw error
        }
        if decoded.isNewer {
            // A newer Caseload wrote it: never written over by this one.
            stoppedByExternalChange = true
            throw .newerVersion(path: path, found: decoded.fileVersion, supported: DocumentCodec.currentVersion)
        }
        fingerprint = try FileFingerprint.of(digest: digest, atPath: resolvedPath)
        written = decoded.wasMigrated ? nil : EntityCache(decoded)
        known = decoded.document
        diskVersion += 1
        if let theirs = decoded.audit {
            // Another instance's trail keys (a rotation after a slot removal) and length: kept, never written over.
            let merged = (auditLog?.currentSeal ?? auditSeal).map { $0.merged(with: theirs) } ?? theirs
            auditSeal = merged
            auditLog?.adopt(merged)
            auditSealUnsaved = false
            auditLog?.markKeysRecorded()
        }
        return decoded.document
    }
}

extension AuditSeal {
    /// This seal and `recorded`, the one another instance saved in the file: every key either knows (a rotation one of
    /// them made; where both have a key from one entry, the recorded one, which entries may already be chained under),
    /// and the longer length.
    public func merged(with recorded: AuditSeal) -> AuditSeal {
        let other = recorded
        var keys = other.keys
        for key in self.keys where !keys.contains(where: { $0.from == key.from }) { keys.append(key) }
        keys.sort { $0.from < $1.from }
        let longer = other.count > count ? other : self
        return AuditSeal(count: longer.count, last: longer.last, keys: keys)
    }
}
