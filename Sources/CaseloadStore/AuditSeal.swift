import CaseloadCore
import Crypto
import Foundation

/// What a document records about its audit trail (issue 17), in its `audit` member: the keys the trail's entries are
/// chained under, and at its last save how many entries the trail held and the last one's HMAC — so that cutting
/// entries off the end of the trail is detected too.
///
/// The keys live in the document: for an encrypted document they are sealed with everything else under the document
/// key (so only someone who can open the document can write a valid entry); for a plain one anyone who can read the file
/// can (SECURITY.md says what that does and does not protect). A new key starts at a given entry when a person's key
/// slot is removed, so the removed person, who knew the old key, cannot write entries that verify after their removal.
public struct AuditSeal: Equatable, Sendable {
    /// One trail key and the first entry it signs.
    public struct Key: Equatable, Sendable {
        public var from: Int
        public var key: [UInt8]
        public init(from: Int, key: [UInt8]) { self.from = from; self.key = key }
    }

    /// Entries in the trail at the document's last save.
    public var count: Int
    /// That last entry's HMAC (32 zero bytes when there is none).
    public var last: [UInt8]
    /// In order of `from`; the first from entry 1.
    public var keys: [Key]

    public init(count: Int, last: [UInt8], keys: [Key]) {
        self.count = count; self.last = last; self.keys = keys
    }

    /// A seal for a trail not yet written, with a new random key.
    public static func fresh() -> AuditSeal {
        AuditSeal(count: 0, last: AuditTrail.origin, keys: [Key(from: 1, key: randomKey())])
    }

    static func randomKey() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }

    /// The key that signs entry `sequence`.
    public func key(for sequence: Int) -> SymmetricKey {
        let chosen = keys.last { $0.from <= sequence } ?? keys.first
        return SymmetricKey(data: chosen?.key ?? [UInt8](repeating: 0, count: 32))
    }

    /// The seal with a new key from the entry after `count` on.
    public func rotated(after count: Int) -> AuditSeal {
        var copy = self
        copy.keys.removeAll { $0.from > count }
        copy.keys.append(Key(from: count + 1, key: Self.randomKey()))
        return copy
    }

    /// Whether the seal is usable: keys of 32 bytes, the first from entry 1, in order.
    var isWellFormed: Bool {
        guard let first = keys.first, first.from == 1, last.count == 32, count >= 0 else { return false }
        return keys.allSatisfy { $0.key.count == 32 } && zip(keys, keys.dropFirst()).allSatisfy { $0.from < $1.from }
    }
}

extension JSONWriter {
    /// `{ "count" : N, "keys" : [ { "from" : 1, "key" : "hex" } ], "last" : "hex" }`.
    mutating func auditSeal(_ seal: AuditSeal) {
        beginObject()
        key("count"); int(seal.count)
        key("keys"); array(seal.keys) { w, k in
            w.beginObject()
            w.key("from"); w.int(k.from)
            w.key("key"); w.string(hexString(k.key))
            w.endObject()
        }
        key("last"); string(hexString(seal.last))
        endObject()
    }
}

extension JSONReader {
    enum AuditSealKey: Int, JSONKeys {
        case count, keys, last
        static let table = makeTable()
        static let optionalKeys: [AuditSealKey] = []
    }

    enum AuditKeyKey: Int, JSONKeys {
        case from, key
        static let table = makeTable()
        static let optionalKeys: [AuditKeyKey] = []
    }

    mutating func auditSeal() throws(ReadFailure) -> AuditSeal {
        var count: Int?, keys: [AuditSeal.Key]?, last: [UInt8]?
        let seen = try object(AuditSealKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .count: count = try r.int()
            case .last: last = try r.hex32()
            case .keys:
                keys = try r.array { r throws(ReadFailure) in
                    var from: Int?, bytes: [UInt8]?
                    let seen = try r.object(AuditKeyKey.self) { r, key throws(ReadFailure) in
                        switch key {
                        case .from: from = try r.int()
                        case .key: bytes = try r.hex32()
                        }
                    }
                    guard let from, let bytes else { throw AuditKeyKey.missing(seen) }
                    return AuditSeal.Key(from: from, key: bytes)
                }
            }
        }
        guard let count, let keys, let last else { throw AuditSealKey.missing(seen) }
        let seal = AuditSeal(count: count, last: last, keys: keys)
        guard seal.isWellFormed else {
            throw .field(steps: [], detail: "the audit trail's keys must start at entry 1, in order, and the count must not be negative")
        }
        return seal
    }

    mutating func hex32() throws(ReadFailure) -> [UInt8] {
        let text = try string()
        guard let bytes = hexBytes(Array(text.utf8)), bytes.count == 32 else {
            throw .field(steps: [], detail: "expected 64 hexadecimal digits")
        }
        return bytes
    }
}
