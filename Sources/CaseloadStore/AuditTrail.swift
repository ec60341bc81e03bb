import CaseloadCore
import Crypto
import Foundation

/// How the person behind an audit entry was identified (issue 17).
public enum AuditIdentity: String, Equatable, Sendable, CaseIterable {
    /// The person whose key slot unlocked an encrypted document: authenticated.
    case slot
    /// An operating-system account mapped to a staff login (from the user database, not `$USER`).
    case account
    /// An operating-system account that maps to no staff member: may read, may not sign.
    case unmapped
}

/// One event in the audit trail: who, when, what, and the ids it touched — never a name, a note's text or any other
/// value from the record.
public struct AuditEntry: Equatable, Sendable {
    /// 1, 2, 3, … in the order written.
    public var sequence: Int
    /// Whole seconds, UTC.
    public var at: Date
    /// A staff login, or for `.unmapped` the account name.
    public var who: String
    public var identity: AuditIdentity
    /// What happened, as a dotted name: `document.open`, `record.open`, `note.sign`, `slot.remove`, ….
    public var action: String
    /// The ids of what it touched (patients, sessions, notes, consents, key-slot logins), and field paths for edits.
    public var ids: [String]

    public init(sequence: Int, at: Date, who: String, identity: AuditIdentity, action: String, ids: [String] = []) {
        self.sequence = sequence; self.at = at; self.who = who; self.identity = identity; self.action = action; self.ids = ids
    }
}

/// What checking a trail found.
public enum AuditProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// Line `line` is not a well-formed entry (a field missing, a bad number or time).
    case malformed(line: Int, detail: String)
    /// Line `line` does not carry the sequence number it should: an entry before it was removed, or entries swapped.
    case outOfSequence(line: Int, expected: Int, found: Int)
    /// Line `line`'s HMAC does not match its text and the chain before it: the entry was changed (or one before it).
    case changed(line: Int)
    /// The last line has no line end: a write was cut off (a crash mid-append).
    case torn(line: Int)
    /// Fewer entries than the document recorded at its last save (or a different last HMAC): entries were cut off the end.
    case truncated(found: Int, expected: Int)

    public var description: String {
        switch self {
        case .malformed(let line, let detail): return "entry \(line) is malformed: \(detail)"
        case .outOfSequence(let line, let expected, let found):
            return "entry \(line) is number \(found) where \(expected) belongs: entries were removed or reordered"
        case .changed(let line): return "entry \(line) was changed after it was written (its HMAC does not match)"
        case .torn(let line): return "entry \(line) was cut off while being written (no line end)"
        case .truncated(let found, let expected):
            return "the trail ends after \(found) entries, but the document recorded \(expected) at its last save: entries were cut off the end"
        }
    }
}

/// The audit trail's on-disk form (issue 17, not yet used by the app): one entry per line, each chained to the one
/// before by an HMAC-SHA-256, so that changing, removing, reordering or cutting off entries is detected.
///
/// A line is seven tab-separated fields: sequence, time (`YYYY-MM-DDTHH:MM:SSZ`), who, identity, action, ids
/// (comma-separated), and the HMAC (hex) of the line's first six fields (as written, tabs included) under the trail key,
/// keyed further by the previous entry's HMAC (32 zero bytes before the first). In `who`, `action` and each id the
/// characters `%`, tab, line feed, carriage return and `,` are written as `%25`, `%09`, `%0A`, `%0D`, `%2C`.
public enum AuditTrail {
    /// The HMAC before the first entry.
    public static let origin = [UInt8](repeating: 0, count: 32)

    /// The line for `entry` (with its line end) and its HMAC, chained to `previous`.
    public static func line(_ entry: AuditEntry, previous: [UInt8], key: SymmetricKey) -> (bytes: [UInt8], mac: [UInt8]) {
        let content = [String(entry.sequence), stamp(entry.at), escape(entry.who), entry.identity.rawValue, escape(entry.action),
                       entry.ids.map(escape).joined(separator: ",")].joined(separator: "\t")
        let mac = self.mac(Array(content.utf8), previous: previous, key: key)
        return (Array((content + "\t" + hexString(mac) + "\n").utf8), mac)
    }

    /// The entries of a trail file, checked: the chain from the first line, each sequence number in turn, a whole last
    /// line, and (with `expected`, from the document's last save) at least that many entries with that entry's HMAC.
    /// The first problem found is thrown, naming its line.
    public static func verify(
        _ bytes: [UInt8], key: SymmetricKey, expected: (count: Int, lastMAC: [UInt8])? = nil
    ) throws(AuditProblem) -> (entries: [AuditEntry], lastMAC: [UInt8]) {
        var entries: [AuditEntry] = []
        var previous = origin
        var macs: [[UInt8]] = []
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { throw .torn(line: lineNumber) }
            let line = Array(bytes[start..<end])
            start = end + 1
            guard let tab = line.lastIndex(of: UInt8(ascii: "\t")) else { throw .malformed(line: lineNumber, detail: "no HMAC field") }
            let content = Array(line[..<tab])
            guard let written = hexBytes(Array(line[(tab + 1)...])), written.count == 32 else {
                throw .malformed(line: lineNumber, detail: "the HMAC is not 64 hex digits")
            }
            guard mac(content, previous: previous, key: key) == written else {
                // A removed or reordered entry also breaks the chain: say that when the number shows it.
                if let number = Int(String(decoding: content.prefix { $0 != UInt8(ascii: "\t") }, as: UTF8.self)), number != lineNumber {
                    throw .outOfSequence(line: lineNumber, expected: lineNumber, found: number)
                }
                throw .changed(line: lineNumber)
            }
            let entry = try parse(content, line: lineNumber)
            guard entry.sequence == lineNumber else { throw .outOfSequence(line: lineNumber, expected: lineNumber, found: entry.sequence) }
            entries.append(entry)
            macs.append(written)
            previous = written
        }
        if let expected {
            guard entries.count >= expected.count else { throw .truncated(found: entries.count, expected: expected.count) }
            if expected.count > 0, macs[expected.count - 1] != expected.lastMAC { throw .changed(line: expected.count) }
        }
        return (entries, previous)
    }

    static func mac(_ content: [UInt8], previous: [UInt8], key: SymmetricKey) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: previous)
        hmac.update(data: content)
        return Array(hmac.finalize())
    }

    private static func parse(_ content: [UInt8], line: Int) throws(AuditProblem) -> AuditEntry {
        let fields = String(decoding: content, as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6 else { throw .malformed(line: line, detail: "\(fields.count + 1) fields where 7 belong") }
        guard let sequence = Int(fields[0]), sequence >= 1 else { throw .malformed(line: line, detail: "the sequence is not a number ≥ 1") }
        guard let at = parseStamp(fields[1]) else { throw .malformed(line: line, detail: "the time is not YYYY-MM-DDTHH:MM:SSZ") }
        guard let identity = AuditIdentity(rawValue: fields[3]) else { throw .malformed(line: line, detail: "unknown identity kind") }
        guard let who = unescape(fields[2]), let action = unescape(fields[4]) else {
            throw .malformed(line: line, detail: "a bad %-escape")
        }
        var ids: [String] = []
        if !fields[5].isEmpty {
            for part in fields[5].split(separator: ",", omittingEmptySubsequences: false) {
                guard let id = unescape(String(part)) else { throw .malformed(line: line, detail: "a bad %-escape") }
                ids.append(id)
            }
        }
        return AuditEntry(sequence: sequence, at: at, who: who, identity: identity, action: action, ids: ids)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\t": out += "%09"
            case "\n": out += "%0A"
            case "\r": out += "%0D"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "%" else { out.unicodeScalars.append(scalar); continue }
            guard let high = scalars.next(), let low = scalars.next(),
                  let value = UInt8(String(high) + String(low), radix: 16), [0x25, 0x09, 0x0A, 0x0D, 0x2C].contains(value)
            else { return nil }
            out.unicodeScalars.append(Unicode.Scalar(value))
        }
        return out
    }

    static func stamp(_ date: Date) -> String { Timestamp(date).iso }

    static func parseStamp(_ text: String) -> Date? {
        guard text.count == 20, text.hasSuffix("Z") else { return nil }
        return Timestamp(iso: text)?.date
    }
}
