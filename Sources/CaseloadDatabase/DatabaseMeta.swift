import CaseloadStore
import Foundation
import NIOCore
import PostgresNIO

/// The database's one `caseload_meta` row: its revision, the document format, the encrypted document's key slots and
/// the audit trail's seal (sealed under the document key when encrypted: it holds the trail's keys).
struct Meta {
    var revision: Int64
    var formatVersion: Int
    var encryption: [UInt8]?
    var sealedAuditSeal: [UInt8]?

    static func read(_ c: DatabaseConnection, address: DatabaseAddress) throws(DatabaseError) -> Meta {
        try fetch(c, address: address, sql: "SELECT revision, format_version, encryption, audit_seal FROM caseload_meta")
    }

    /// The row, locked until the transaction ends: every save and trail append goes through it one at a time.
    static func lock(_ c: DatabaseConnection, address: DatabaseAddress) throws(DatabaseError) -> Meta {
        try fetch(c, address: address, sql: "SELECT revision, format_version, encryption, audit_seal FROM caseload_meta FOR UPDATE")
    }

    private static func fetch(_ c: DatabaseConnection, address: DatabaseAddress, sql: String) throws(DatabaseError) -> Meta {
        let rows = try c.query(PostgresQuery(unsafeSQL: sql))
        guard let row = rows.first else {
            throw DatabaseError.schema(address: address.display, detail: "has no Caseload program row: run `caseload db init \(address.display)` first")
        }
        do {
            let (revision, format, encryption, seal) = try row.decode((Int64, Int32, ByteBuffer?, ByteBuffer?).self)
            return Meta(revision: revision, formatVersion: Int(format), encryption: encryption.map { Array($0.readableBytesView) },
                        sealedAuditSeal: seal.map { Array($0.readableBytesView) })
        } catch {
            throw DatabaseError.query(address: address.display, detail: "its program row could not be read (\(type(of: error)))")
        }
    }

    /// The trail's seal, opened with the document key when the database is encrypted.
    func auditSeal(keys: DocumentKeys?, address: DatabaseAddress) throws(DatabaseError) -> AuditSeal? {
        guard var bytes = sealedAuditSeal else { return nil }
        if let keys { bytes = try RowSeal.open(bytes, key: keys.documentKey, kind: "meta", id: "audit_seal") }
        do { return try DocumentCodec.decodeAuditSeal(bytes) } catch {
            throw DatabaseError.query(address: address.display, detail: "its audit trail seal cannot be read (\(error))")
        }
    }

    static func sealBytes(_ seal: AuditSeal, keys: DocumentKeys?) -> [UInt8] {
        let plain = DocumentCodec.encode(auditSeal: seal)
        guard let keys else { return plain }
        return RowSeal.seal(plain, key: keys.documentKey, kind: "meta", id: "audit_seal")
    }

    /// A save's new revision, and the trail's seal when entries were appended.
    static func update(_ c: DatabaseConnection, revision: Int64, seal: AuditSeal?, account: String, keys: DocumentKeys?) throws(DatabaseError) {
        if let seal {
            let bytes = ByteBuffer(bytes: sealBytes(seal, keys: keys))
            _ = try c.query("UPDATE caseload_meta SET revision = \(revision), audit_seal = \(bytes), updated_at = now(), updated_by = \(account)")
        } else {
            _ = try c.query("UPDATE caseload_meta SET revision = \(revision), updated_at = now(), updated_by = \(account)")
        }
    }
}
