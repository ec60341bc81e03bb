import CaseloadCore
import CaseloadStore
import Foundation
import NIOCore
import PostgresNIO

/// Moving a document into a database and back (`caseload db import` and `db export`, issue 20).
public enum DatabaseTransfer {
    /// What an import wrote.
    public struct Imported: Sendable {
        public var rows: Int
        public var trailEntries: Int
    }

    /// Writes `document` and its trail (the trail file's bytes, checked under `audit`) into the database at `c`, sealed
    /// under `keys` when the document is encrypted, in one transaction. Refuses a database that already holds a program
    /// or trail entries unless `replacing`; then those are removed in the same transaction.
    public static func importDocument(
        _ document: CaseloadDocument, audit: AuditSeal?, trail: [UInt8], keys: DocumentKeys?, into c: DatabaseConnection,
        replacing: Bool, account: String
    ) throws(DatabaseError) -> Imported {
        let address = c.address
        // The trail must verify before it moves: the database's chain continues from its last entry.
        var seal = audit
        var entries = 0
        if let audit, !trail.isEmpty {
            do {
                let checked = try AuditTrail.verify(trail, seal: audit, encrypted: keys != nil)
                entries = checked.entries.count
                seal = AuditSeal(count: entries, last: checked.lastMAC, keys: audit.keys)
            } catch {
                throw DatabaseError.query(address: address.display, detail: "the document's audit trail does not verify (\(error)); run `caseload audit FILE verify` and bring the trail right before importing")
            }
        }
        return try c.transaction { c throws(DatabaseError) in
            try DatabaseSchema.check(c)
            let meta = try Meta.lock(c, address: address)
            if try !DatabaseSchema.isEmpty(c) {
                guard replacing else {
                    throw DatabaseError.schema(address: address.display, detail: "already holds a program; nothing was imported (give --force to replace it, after exporting it with `caseload db export`)")
                }
                _ = try c.query("DELETE FROM caseload_entities")
                _ = try c.query("DELETE FROM caseload_audit")
            }
            let revision = meta.revision + 1
            let rows = EntityRows.rows(of: document)
            for chunk in rows.chunked(2_000) {
                let kinds = chunk.map { $0.key.kind.rawValue }, ids = chunk.map { $0.key.id }, positions = chunk.map { $0.position }
                let bodies = chunk.map { row in
                    ByteBuffer(bytes: keys.map { RowSeal.seal(row.body, key: $0.documentKey, kind: row.key.kind.rawValue, id: row.key.id) } ?? row.body)
                }
                _ = try c.query("""
                    INSERT INTO caseload_entities (kind, id, position, version, revision, updated_at, updated_by, body)
                    SELECT u.kind, u.id, u.position, 1, \(revision), now(), \(account), u.body
                    FROM unnest(\(kinds)::text[], \(ids)::text[], \(positions)::int4[], \(bodies)::bytea[]) AS u(kind, id, position, body)
                    """)
            }
            var lines = trail.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
            if lines.last?.isEmpty == true { lines.removeLast() }
            for chunk in lines.chunked(5_000) {
                // A slice keeps its indices in the whole: entry n is line n.
                let numbers = chunk.indices.map { Int64($0 + 1) }
                let bytes = chunk.map { ByteBuffer(bytes: $0) }
                _ = try c.query("INSERT INTO caseload_audit (seq, line) SELECT * FROM unnest(\(numbers)::int8[], \(bytes)::bytea[])")
            }
            let header = keys.map { ByteBuffer(bytes: EncryptedDocument.headerBytes($0.header)) }
            let sealBytes = seal.map { ByteBuffer(bytes: Meta.sealBytes($0, keys: keys)) }
            _ = try c.query("""
                UPDATE caseload_meta SET revision = \(revision), format_version = \(Int32(DocumentCodec.currentVersion)), encryption = \(header),
                    audit_seal = \(sealBytes), updated_at = now(), updated_by = \(account)
                """)
            _ = try c.query("SELECT pg_notify(\(DatabaseSchema.channel), \(String(revision)))")
            return Imported(rows: rows.count, trailEntries: lines.count)
        }
    }

    /// Writes the database's document to `path` (sealed under its keys when encrypted) and its trail to `path.audit`:
    /// the document byte-identical in canonical form to what was imported, the trail to the trail file.
    public static func export(_ store: DatabaseStore, document: CaseloadDocument, to path: String) throws(StoreError) -> (trailEntries: Int, bytes: Int) {
        let (trail, seal) = try store.trailBytes()
        try DocumentStore.writeCopy(document, to: path, keys: store.keys, audit: seal)
        if !trail.isEmpty { try AuditTrail.writeFile(trail, documentPath: path) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return (trail.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }, size)
    }
}
