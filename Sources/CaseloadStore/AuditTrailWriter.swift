import CaseloadCore
import Crypto
import Foundation

/// One event to be written into a trail in one go: when, who, and what (the demo generator and tests make these).
public struct AuditRecord: Equatable, Sendable {
    public var at: Date
    public var who: String
    public var identity: AuditIdentity
    public var event: AuditEvent

    public init(at: Date, who: String, identity: AuditIdentity, event: AuditEvent) {
        self.at = at; self.who = who; self.identity = identity; self.event = event
    }
}

extension AuditTrail {
    /// The lines for `records`, numbered on from `seal.count` and chained after `seal.last` under the seal's keys (each
    /// line sealed when `encrypted`), and the seal that records them: a whole trail (from a fresh seal) or a batch to
    /// append. The same bytes `AuditLog.flush` would write for the same entries.
    public static func write(_ records: [AuditRecord], seal: AuditSeal, encrypted: Bool) throws(StoreError) -> (bytes: [UInt8], seal: AuditSeal) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * (encrypted ? 190 : 120))
        var previous = seal.last
        var sequence = seal.count
        // The keys, and the sealed lines' keys, made once per trail key rather than per line.
        var keys: [Int: (key: SymmetricKey, lineKey: SymmetricKey)] = [:]
        for record in records {
            sequence += 1
            let entry = AuditEntry(sequence: sequence, at: record.at, who: record.who, identity: record.identity,
                                   action: record.event.action, ids: record.event.ids)
            let from = seal.keys.last { $0.from <= sequence }?.from ?? 1
            let made = keys[from] ?? {
                let key = seal.key(for: sequence)
                return (key, encrypted ? lineKey(key) : key)
            }()
            keys[from] = made
            let (line, mac) = AuditTrail.line(entry, previous: previous, key: made.key)
            if encrypted {
                guard let sealed = sealLine(Array(line.dropLast()), sequence: sequence, lineKey: made.lineKey) else {
                    throw .io(path: "the audit trail", operation: "encrypt an audit entry", reason: "AES-GCM failed")
                }
                bytes += sealed
            } else {
                bytes += line
            }
            previous = mac
        }
        var out = seal
        out.count = sequence
        out.last = previous
        return (bytes, out)
    }

    /// Writes a whole trail beside the document at `documentPath` (`PATH.audit`, replacing one there), atomically and
    /// synced: done before the document that records its seal is saved, so the document never names entries the disk
    /// does not hold.
    public static func writeFile(_ bytes: [UInt8], documentPath: String) throws(StoreError) {
        try AtomicFile.write(Data(bytes), to: AuditLog.trailPath(for: DocumentStore.resolvedPath(documentPath)))
    }
}

extension AuditSeal {
    /// A seal whose key is derived from `seed`, for synthetic demos only: `caseload demo` promises the same bytes for
    /// the same seed and clock, which a random trail key would break. A real document's key is random (`fresh()`).
    public static func demo(seed: UInt64) -> AuditSeal {
        let key = Array(SHA256.hash(data: Array("caseload demo audit trail key \(seed)".utf8)))
        return AuditSeal(count: 0, last: AuditTrail.origin, keys: [Key(from: 1, key: key)])
    }
}
