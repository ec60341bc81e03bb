import CaseloadCore
import CaseloadStore
import Crypto
import Foundation
import NIOCore
import PostgresNIO

/// The document in a PostgreSQL database (issue 20): the same model, merge rules, encryption and audit trail as the
/// file, behind the same `DocumentHome`.
///
/// Each top-level entity is a row holding its canonical JSON (sealed with the document key when the document is
/// encrypted). A save is one transaction under an advisory lock: when others saved since this instance last read, the
/// rows they changed are read and merged three ways exactly as the shared file does (`DocumentMerge`), and only the rows
/// whose value changed are written, each only where its version is the one read. Others' saves are announced with
/// NOTIFY and picked up between saves. A dropped connection keeps every edit: the save fails as "offline", the waiting
/// document is kept on this computer (`OfflineCopy`), and the autosaver sends it when the server is back.
public final class DatabaseStore: DocumentHome, @unchecked Sendable {
    public let address: DatabaseAddress
    public var location: String { address.display }
    public let access: DocumentStore.Access
    public let keys: DocumentKeys?
    public var isEncrypted: Bool { keys != nil }
    /// What the user should be told after opening (edits from an earlier session found waiting, …).
    public let notices: [String]
    /// Where edits wait while the server cannot be reached (nil: not kept, a read-only store).
    public let offline: OfflineCopy?
    let password: String?
    /// The account every row and trail line saved by this instance names as its writer.
    let account: String

    let state = NSLock()
    var connection: DatabaseConnection?
    var listener: DatabaseConnection?
    private var lastListenAttempt: Date?
    let heard = HeardRevision()
    /// The database's revision that `known` and `rows` hold.
    var revision: Int64
    /// Each live row as this instance last read or wrote it: position, plain body and version.
    var rows: [EntityKey: StoredRow]
    /// The document `rows` make (nil while the database holds no program).
    var known: CaseloadDocument?
    var ownBase: CaseloadDocument?
    var lastSave: (base: CaseloadDocument?, snapshot: CaseloadDocument, written: CaseloadDocument)?
    var pickedUpSinceSave: [CaseloadDocument] = []
    var diskVersion = 0
    var trail: DatabaseTrail?
    /// Audit entries an earlier session kept because it quit offline: written first by this one's trail.
    var keptEntries: [DatabaseTrail.Pending] = []
    var auditWarning: String?
    var closed = false
    var wentOffline = false

    /// One live row as last read or written.
    struct StoredRow: Equatable {
        var position: Int
        var body: [UInt8]
        var version: Int64
    }

    /// The advisory lock every save takes: one save at a time per database, as the file lock does for a file.
    static let saveLock: Int64 = 0x4341_5345_4C4F_4144 // "CASELOAD"

    init(address: DatabaseAddress, password: String?, account: String, access: DocumentStore.Access, keys: DocumentKeys?, notices: [String],
         offline: OfflineCopy?, revision: Int64, rows: [EntityKey: StoredRow], document: CaseloadDocument?) {
        self.address = address; self.password = password; self.account = account; self.access = access; self.keys = keys
        self.notices = notices; self.offline = offline; self.revision = revision; self.rows = rows; self.known = document
        self.ownBase = document
    }

    /// What `open` found: the store, and the document (nil for a database set up by `db init` that holds no program yet:
    /// the caller starts a new one, written by the first save).
    public struct Opened: Sendable {
        public var store: DatabaseStore
        public var document: CaseloadDocument?
        /// Edits an earlier session could not send (the server was down when it quit): start from these, grown from
        /// `waitingBase`, and the first save merges them with what others saved since.
        public var waiting: CaseloadDocument?
        public var waitingBase: CaseloadDocument?
    }

    /// Connects, checks the schema and reads every row. An encrypted database asks `unlock` for the keys from its
    /// header (the passphrase prompt is the caller's).
    public static func open(
        _ address: DatabaseAddress, password: String?, account: String, readOnly: Bool = false, offlineFolder: String?,
        unlock: (EncryptedDocument.Header) throws -> DocumentKeys
    ) throws(StoreError) -> Opened {
        let c: DatabaseConnection
        do { c = try DatabaseConnection.connect(address, password: password) } catch { throw storeError(error, address: address) }
        do {
            try DatabaseSchema.check(c)
            let meta = try Meta.read(c, address: address)
            var keys: DocumentKeys? = nil
            if let headerBytes = meta.encryption {
                let header: EncryptedDocument.Header
                do { header = try EncryptedDocument.parseHeaderOnly(headerBytes) } catch {
                    throw DatabaseError.query(address: address.display, detail: "its key slots cannot be read (\(error))")
                }
                let unlocked = try unlock(header)
                do { unlocked.adopt(header: header, documentKey: try unlocked.documentKey(for: header)) } catch {
                    throw StoreError.encryption(path: address.display, error)
                }
                keys = unlocked
            }
            let loaded = try loadAll(c, address: address, keys: keys)
            var notices: [String] = []
            var access = DocumentStore.Access.readWrite
            if readOnly { access = .readOnly(reason: "opened read-only as asked") }
            if meta.formatVersion > DocumentCodec.currentVersion {
                let reason = "a newer Caseload (format \(meta.formatVersion)) wrote this database; this one reads it but never writes it"
                access = .readOnly(reason: reason)
                notices.append(reason)
            }
            let offline = readOnly ? nil : offlineFolder.map { OfflineCopy(folder: $0, address: address) }
            var waiting: (mine: CaseloadDocument, base: CaseloadDocument)? = nil
            if let offline, offline.exists {
                do {
                    waiting = try offline.read(keys: keys)
                    notices.append("Edits from an earlier session that could not reach the server were found; they are being sent")
                } catch {
                    notices.append("Edits kept from an earlier session could not be read (\(error)); they stay in \(offline.folder)")
                }
            }
            let store = DatabaseStore(address: address, password: password, account: account, access: access, keys: keys, notices: notices,
                                      offline: offline, revision: loaded.revision, rows: loaded.rows,
                                      document: loaded.document)
            store.connection = c
            if let offline { store.keptEntries = offline.takeTrail() }
            if let waiting { store.ownBase = waiting.base }
            store.startListening()
            return Opened(store: store, document: loaded.document, waiting: waiting?.mine, waitingBase: waiting?.base)
        } catch let error as DatabaseError {
            c.close()
            throw storeError(error, address: address)
        } catch let error as StoreError {
            c.close()
            throw error
        } catch {
            c.close()
            throw .database(message: "\(error)", offline: false)
        }
    }

    // MARK: DocumentHome

    public var isStoppedByExternalChange: Bool { false }

    public var lastAuditWarning: String? { state.withLock { defer { auditWarning = nil }; return auditWarning } }

    public func openTrail(as person: Operator) -> (any AuditSink)? {
        state.withLock {
            let sink = DatabaseTrail(store: self, who: person.login, identity: person.identity)
            sink.putBack(keptEntries)
            keptEntries = []
            trail = sink
            return sink
        }
    }

    public func close() {
        state.withLock {
            closed = true
            // Entries that could not reach the database (offline) are kept for the next start, as the edits are.
            if let offline, let left = trail?.takePending(), !left.isEmpty { try? offline.writeTrail(left) }
            connection?.close(); connection = nil
            listener?.close(); listener = nil
        }
    }

    public func reopened(now: Date) throws(StoreError) -> (home: any DocumentHome, document: CaseloadDocument) {
        let keys = self.keys
        close()
        let opened = try Self.open(address, password: password, account: account, offlineFolder: offline?.folder) { header in
            guard let keys else { throw StoreError.needsPassphrase(path: self.address.display) }
            keys.adopt(header: header, documentKey: try keys.documentKey(for: header))
            return keys
        }
        guard let document = opened.waiting ?? opened.document ?? known else {
            throw .database(message: "\(location) holds no program yet", offline: false)
        }
        return (opened.store, document)
    }

    /// Saves `document` in one transaction, merging with what others saved since `base` (see the type's comment).
    public func save(_ document: CaseloadDocument, base: CaseloadDocument?, now: Date) throws(StoreError) -> SaveOutcome {
        state.lock()
        defer { state.unlock() }
        if closed { throw .readOnly(path: location, reason: "the database connection was closed") }
        if case .readOnly(let reason) = access { throw .readOnly(path: location, reason: reason) }
        let mergeBase = TakeIn.saveBase(given: base, own: ownBase, lastSave: lastSave, pickedUp: pickedUpSinceSave)
        let events = trail?.takePending() ?? []
        do {
            let c = try connected()
            let result = try c.transaction { c throws(DatabaseError) in
                try self.saveTransaction(c, document: document, mergeBase: mergeBase, events: events)
            }
            revision = result.revision
            rows = result.rows
            known = result.written
            ownBase = result.written
            lastSave = (base ?? ownBase, document, result.written)
            pickedUpSinceSave = []
            diskVersion += 1
            if wentOffline { wentOffline = false }
            offline?.remove()
            return SaveOutcome(written: result.written, merged: result.merged, conflicts: result.conflicts, version: diskVersion, mergedFrom: mergeBase)
        } catch {
            trail?.putBack(events)
            if error.isConnectionLost {
                dropConnection()
                wentOffline = true
                // Kept on this computer too, so that quitting (or a crash) before the server is back loses nothing.
                var kept = ""
                if let offline {
                    // The audit entries waiting are kept too: a crash before the server is back loses none of them.
                    if let waiting = trail?.peekPending(), !waiting.isEmpty { try? offline.writeTrail(waiting) }
                    do { try offline.write(document, base: mergeBase ?? known ?? document, keys: keys); kept = "; kept on this computer until then" } catch {
                        kept = "; they could not be kept on this computer (\(error)), so do not quit"
                    }
                }
                throw .database(message: "offline: the database at \(location) cannot be reached (\(error)); your changes wait and are sent when it is back\(kept)", offline: true)
            }
            throw Self.storeError(error, address: address)
        }
    }

    /// What a save's transaction wrote.
    struct Written {
        var written: CaseloadDocument
        var merged: Bool
        var conflicts: [MergeConflict]
        var revision: Int64
        var rows: [EntityKey: StoredRow]
    }

    private func saveTransaction(_ c: DatabaseConnection, document: CaseloadDocument, mergeBase: CaseloadDocument?,
                                 events: [DatabaseTrail.Pending]) throws(DatabaseError) -> Written {
        _ = try c.query("SELECT pg_advisory_xact_lock(\(Self.saveLock))")
        let meta = try Meta.lock(c, address: address)
        if meta.formatVersion > DocumentCodec.currentVersion {
            throw DatabaseError.schema(address: location, detail: "was written by a newer Caseload (format \(meta.formatVersion)); this one no longer writes it")
        }
        var current = rows
        var onDatabase = known
        if meta.revision != revision {
            var touched: Set<EntityKey> = []
            current = try Self.applyChanges(c, since: revision, to: rows, address: address, keys: keys, touched: &touched)
            onDatabase = Self.patch(known, touched: touched, rows: current, address: address)
            if onDatabase == nil { onDatabase = try Self.assemble(current, address: address) }
        }
        let (toWrite, conflicts, merged) = TakeIn.forSave(mine: document, base: mergeBase, current: onDatabase)
        let newRevision = meta.revision + 1
        let stored = current
        let diff = EntityRows.diff(from: onDatabase, to: toWrite) { stored[$0]?.body }
        try writeRows(c, diff: diff, current: &current, revision: newRevision)
        let seal = try appendTrail(c, events: events, seal: try meta.auditSeal(keys: keys, address: address))
        try Meta.update(c, revision: newRevision, seal: seal, account: account, keys: keys)
        _ = try c.query("SELECT pg_notify(\(DatabaseSchema.channel), \(String(newRevision)))")
        return Written(written: toWrite, merged: merged, conflicts: conflicts, revision: newRevision, rows: current)
    }

    /// Writes the diff: new rows (and rows deleted earlier) inserted, changed rows updated only at the version read,
    /// deleted rows emptied. A row another writer changed meanwhile fails the whole transaction.
    private func writeRows(_ c: DatabaseConnection, diff: RowDiff, current: inout [EntityKey: StoredRow], revision: Int64) throws(DatabaseError) {
        var newRows: [EntityRow] = []
        var changed: [(EntityRow, Int64)] = []
        for row in diff.upserts {
            if let old = current[row.key] { changed.append((row, old.version)) } else { newRows.append(row) }
        }
        let who = account
        for chunk in newRows.chunked(2_000) {
            let kinds = chunk.map { $0.key.kind.rawValue }, ids = chunk.map { $0.key.id }, positions = chunk.map { $0.position }
            let bodies = chunk.map { ByteBuffer(bytes: seal($0.body, $0.key)) }
            let inserted = try c.query("""
                INSERT INTO caseload_entities (kind, id, position, version, revision, updated_at, updated_by, body)
                SELECT u.kind, u.id, u.position, 1, \(revision), now(), \(who), u.body
                FROM unnest(\(kinds)::text[], \(ids)::text[], \(positions)::int4[], \(bodies)::bytea[]) AS u(kind, id, position, body)
                ON CONFLICT (kind, id) DO UPDATE SET position = EXCLUDED.position, body = EXCLUDED.body,
                    version = caseload_entities.version + 1, revision = EXCLUDED.revision, updated_at = EXCLUDED.updated_at,
                    updated_by = EXCLUDED.updated_by
                WHERE caseload_entities.body IS NULL
                RETURNING kind, id, version
                """)
            guard inserted.count == chunk.count else { throw DatabaseError.query(address: location, detail: Self.raced) }
            var versions: [EntityKey: Int64] = [:]
            for row in inserted {
                guard let (kind, id, version) = try? row.decode((String, String, Int64).self), let k = EntityKind(rawValue: kind) else { continue }
                versions[EntityKey(kind: k, id: id)] = version
            }
            for row in chunk { current[row.key] = StoredRow(position: row.position, body: row.body, version: versions[row.key] ?? 1) }
        }
        for chunk in changed.chunked(2_000) {
            let kinds = chunk.map { $0.0.key.kind.rawValue }, ids = chunk.map { $0.0.key.id }, positions = chunk.map { $0.0.position }
            let versions = chunk.map { $0.1 }
            let bodies = chunk.map { ByteBuffer(bytes: seal($0.0.body, $0.0.key)) }
            let updated = try c.query("""
                UPDATE caseload_entities AS e SET position = u.position, body = u.body, version = e.version + 1,
                    revision = \(revision), updated_at = now(), updated_by = \(who)
                FROM unnest(\(kinds)::text[], \(ids)::text[], \(positions)::int4[], \(versions)::int8[], \(bodies)::bytea[])
                    AS u(kind, id, position, version, body)
                WHERE e.kind = u.kind AND e.id = u.id AND e.version = u.version AND e.body IS NOT NULL
                RETURNING e.kind
                """)
            guard updated.count == chunk.count else { throw DatabaseError.query(address: location, detail: Self.raced) }
            for (row, version) in chunk { current[row.key] = StoredRow(position: row.position, body: row.body, version: version + 1) }
        }
        let gone = diff.deletions.compactMap { key in current[key].map { (key, $0.version) } }
        for chunk in gone.chunked(2_000) {
            let kinds = chunk.map { $0.0.kind.rawValue }, ids = chunk.map { $0.0.id }, versions = chunk.map { $0.1 }
            let deleted = try c.query("""
                UPDATE caseload_entities AS e SET body = NULL, version = e.version + 1, revision = \(revision), updated_at = now(),
                    updated_by = \(who)
                FROM unnest(\(kinds)::text[], \(ids)::text[], \(versions)::int8[]) AS u(kind, id, version)
                WHERE e.kind = u.kind AND e.id = u.id AND e.version = u.version
                RETURNING e.kind
                """)
            guard deleted.count == chunk.count else { throw DatabaseError.query(address: location, detail: Self.raced) }
            for (key, _) in chunk { current[key] = nil }
        }
    }

    static let raced = "a row changed under this save (another program wrote without the save lock); nothing was written, and the save is tried again"

    /// A row's body as stored: sealed under the document key when the document is encrypted.
    func seal(_ body: [UInt8], _ key: EntityKey) -> [UInt8] {
        guard let keys else { return body }
        return RowSeal.seal(body, key: keys.documentKey, kind: key.kind.rawValue, id: key.id)
    }

    // MARK: Picking up others' saves

    /// What others saved since this instance last read or wrote: cheap when nothing was announced (no query at all
    /// while the listener is up), a query of the revision otherwise, and the changed rows only when it moved.
    public func pickUpChanges(now: Date) throws(StoreError) -> DiskChange? {
        guard state.try() else { return nil }
        defer { state.unlock() }
        guard !closed else { return nil }
        let listening = listener.map { !$0.isClosed } ?? false
        if !listening { startListening(now: now) }
        if listening, heard.latest <= revision { return nil }
        do {
            let c = try connected()
            // The revision is read before the rows: rows a save commits in between are read too and read again next
            // time (harmless), where a revision read after them could pass over rows never read.
            let latest = try Meta.read(c, address: address).revision
            guard latest != revision else { return nil }
            var touched: Set<EntityKey> = []
            let changed = try Self.applyChanges(c, since: revision, to: self.rows, address: address, keys: keys, touched: &touched)
            var patched = Self.patch(known, touched: touched, rows: changed, address: address)
            if patched == nil { patched = try Self.assemble(changed, address: address) }
            guard let document = patched else { return nil }
            self.rows = changed
            revision = latest
            known = document
            diskVersion += 1
            pickedUpSinceSave = Array((pickedUpSinceSave + [document]).suffix(8))
            return DiskChange(document: document, version: diskVersion)
        } catch {
            if error.isConnectionLost { dropConnection() }
            throw Self.storeError(error, address: address)
        }
    }

    /// Whether the last save could not reach the server (the title bar says "offline").
    public var isOffline: Bool { state.withLock { wentOffline } }

    // MARK: Connections

    /// The connection for saves and reads, made again when it dropped.
    func connected() throws(DatabaseError) -> DatabaseConnection {
        if let connection, !connection.isClosed { return connection }
        let made = try DatabaseConnection.connect(address, password: password)
        connection = made
        return made
    }

    func dropConnection() {
        connection?.close()
        connection = nil
    }

    /// Listens for others' saves on a connection of its own; tried again at most every two seconds while it is down.
    func startListening(now: Date = Date()) {
        if let last = lastListenAttempt, now.timeIntervalSince(last) < 2 { return }
        lastListenAttempt = now
        listener?.close()
        listener = nil
        let heard = self.heard
        do {
            let made = try DatabaseConnection.connect(address, password: password)
            try made.listen(channel: DatabaseSchema.channel) { payload in
                if let revision = Int64(payload) { heard.raise(to: revision) }
            }
            listener = made
        } catch {
            // Picked up by polling the revision meanwhile.
        }
    }

    // MARK: Reading rows

    /// Every live row, opened, and the document they make (nil when there is no program row yet).
    static func loadAll(_ c: DatabaseConnection, address: DatabaseAddress, keys: DocumentKeys?) throws(DatabaseError)
        -> (revision: Int64, rows: [EntityKey: StoredRow], document: CaseloadDocument?) {
        let meta = try Meta.read(c, address: address)
        let rows = try applyChanges(c, since: -1, to: [:], address: address, keys: keys)
        return (meta.revision, rows, try assemble(rows, address: address))
    }

    /// `rows` with every row changed after `since` read in (deleted ones removed).
    static func applyChanges(_ c: DatabaseConnection, since: Int64, to rows: [EntityKey: StoredRow], address: DatabaseAddress,
                             keys: DocumentKeys?) throws(DatabaseError) -> [EntityKey: StoredRow] {
        var touched: Set<EntityKey> = []
        return try applyChanges(c, since: since, to: rows, address: address, keys: keys, touched: &touched)
    }

    /// As above, naming in `touched` the rows that changed (deleted ones too).
    static func applyChanges(_ c: DatabaseConnection, since: Int64, to rows: [EntityKey: StoredRow], address: DatabaseAddress,
                             keys: DocumentKeys?, touched: inout Set<EntityKey>) throws(DatabaseError) -> [EntityKey: StoredRow] {
        var result = rows
        let found = try c.query("SELECT kind, id, position, version, body FROM caseload_entities WHERE revision > \(since)")
        for row in found {
            let kind: String, id: String, position: Int32, version: Int64, body: ByteBuffer?
            do { (kind, id, position, version, body) = try row.decode((String, String, Int32, Int64, ByteBuffer?).self) } catch {
                throw DatabaseError.query(address: address.display, detail: "a row could not be read (\(type(of: error)))")
            }
            guard let entityKind = EntityKind(rawValue: kind) else {
                throw DatabaseError.query(address: address.display, detail: "a row of an unknown kind \"\(kind)\" (a newer Caseload?)")
            }
            let key = EntityKey(kind: entityKind, id: id)
            touched.insert(key)
            guard let body else { result[key] = nil; continue }
            var bytes = Array(body.readableBytesView)
            if let keys { bytes = try RowSeal.open(bytes, key: keys.documentKey, kind: kind, id: id) }
            result[key] = StoredRow(position: Int(position), body: bytes, version: version)
        }
        return result
    }

    /// `known` with the `touched` rows put in: only those read (`DocumentCodec.decodeEntities`), each placed at its
    /// position (an entity that moved is among the touched: its row's position changed), and the result checked whole
    /// as a file is. A pick-up of another's edit then reads a few rows, not the whole five-year chart again. Nil when it
    /// cannot be done this way (no document yet, many rows, a check failing): the caller assembles every row.
    static func patch(_ known: CaseloadDocument?, touched: Set<EntityKey>, rows: [EntityKey: StoredRow], address: DatabaseAddress) -> CaseloadDocument? {
        guard var document = known, !touched.isEmpty, touched.count <= 500, let program = rows[.program] else { return nil }
        func fresh(_ kind: EntityKind) -> [(key: EntityKey, row: StoredRow)] {
            touched.filter { $0.kind == kind }.compactMap { key in rows[key].map { (key, $0) } }.sorted { $0.row.position < $1.row.position }
        }
        let staff = fresh(.staff), patients = fresh(.patient), series = fresh(.series), sessions = fresh(.session)
        let parts = DocumentParts(program: program.body, staff: staff.map(\.row.body), patients: patients.map(\.row.body),
                                  series: series.map(\.row.body), sessions: sessions.map(\.row.body))
        // Texts the reader could not vouch for (it says so for a few odd characters) take the slow way, checked in full.
        guard let (read, textNeedsCheck) = try? DocumentCodec.decodeEntities(parts, path: address.display), !textNeedsCheck else { return nil }
        func place<T: Identifiable>(_ old: [T], _ new: [T], _ placed: [(key: EntityKey, row: StoredRow)], _ kind: EntityKind) -> [T]? where T.ID: TypedID {
            let gone = Set(touched.filter { $0.kind == kind }.map(\.id))
            guard !gone.isEmpty else { return old }
            var list = old.filter { !gone.contains($0.id.rawValue) }
            for (value, where_) in zip(new, placed) {
                guard value.id.rawValue == where_.key.id, where_.row.position <= list.count else { return nil }
                list.insert(value, at: where_.row.position)
            }
            return list
        }
        document.program = read.program
        guard let s = place(document.staff, read.staff, staff, .staff), let p = place(document.patients, read.patients, patients, .patient),
              let r = place(document.series, read.series, series, .series), let x = place(document.sessions, read.sessions, sessions, .session)
        else { return nil }
        document.staff = s; document.patients = p; document.series = r; document.sessions = x
        // The whole check a file gets when read (its texts seen by the reader): references, uniqueness, each entity.
        return Validator.check(document, text: false).isEmpty ? document : nil
    }

    /// The document the rows make, byte for byte as the file would hold it; nil without a program row.
    static func assemble(_ rows: [EntityKey: StoredRow], address: DatabaseAddress) throws(DatabaseError) -> CaseloadDocument? {
        guard rows[EntityKey(kind: .program, id: "program")] != nil else { return nil }
        let list = rows.map { EntityRow(key: $0.key, position: $0.value.position, body: $0.value.body) }
        do { return try EntityRows.document(from: list, audit: nil, location: address.display).document } catch {
            throw DatabaseError.query(address: address.display, detail: "its rows do not make a document: \(error)")
        }
    }

    // MARK: Errors

    static func storeError(_ error: DatabaseError, address: DatabaseAddress) -> StoreError {
        .database(message: error.description, offline: error.isConnectionLost)
    }
}

/// The newest revision another instance announced (NOTIFY), raised from the listener's thread.
final class HeardRevision: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = -1
    var latest: Int64 { lock.withLock { value } }
    func raise(to revision: Int64) { lock.withLock { value = max(value, revision) } }
}

extension Array {
    /// The array in pieces of at most `size`.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0 ..< Swift.min($0 + size, count)] }
    }
}
