import CaseloadCore
import Crypto
import Foundation

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

/// The audit trail's on-disk form (issue 17): one entry per line, each chained to the one
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
        try verify(bytes, keys: { _ in key }, encrypted: false, expected: expected)
    }

    /// Checks a trail under `seal` (its keys, and its count and last HMAC as expected): an encrypted document's trail
    /// has each line sealed (`encrypted`).
    public static func verify(_ bytes: [UInt8], seal: AuditSeal, encrypted: Bool) throws(AuditProblem) -> (entries: [AuditEntry], lastMAC: [UInt8]) {
        try verify(bytes, keys: seal.key(for:), encrypted: encrypted, expected: (seal.count, seal.last))
    }

    /// The entries read until the first problem, and that problem if there is one (the Record's Access section shows
    /// what reads, `audit show` shows it and says where the trail stops being trustworthy).
    public static func readLeniently(_ bytes: [UInt8], seal: AuditSeal, encrypted: Bool) -> (entries: [AuditEntry], problem: AuditProblem?) {
        var entries: [AuditEntry] = []
        do throws(AuditProblem) {
            _ = try walk(bytes, keys: seal.key(for:), encrypted: encrypted, expected: (seal.count, seal.last)) { entries.append($0) }
            return (entries, nil)
        } catch {
            return (entries, error)
        }
    }

    static func verify(
        _ bytes: [UInt8], keys: (Int) -> SymmetricKey, encrypted: Bool, expected: (count: Int, lastMAC: [UInt8])?
    ) throws(AuditProblem) -> (entries: [AuditEntry], lastMAC: [UInt8]) {
        var entries: [AuditEntry] = []
        let last = try walk(bytes, keys: keys, encrypted: encrypted, expected: expected) { entries.append($0) }
        return (entries, last)
    }

    /// Reads the trail line by line, handing each entry that checks to `visit`; throws the first problem.
    static func walk(
        _ bytes: [UInt8], keys: (Int) -> SymmetricKey, encrypted: Bool, expected: (count: Int, lastMAC: [UInt8])?,
        _ visit: (AuditEntry) -> Void
    ) throws(AuditProblem) -> [UInt8] {
        var previous = origin
        var macAtExpected: [UInt8]? = nil
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            lineNumber += 1
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else { throw .torn(line: lineNumber) }
            var line = Array(bytes[start..<end])
            start = end + 1
            if encrypted { line = try openLine(line, number: lineNumber, keys: keys) }
            guard let tab = line.lastIndex(of: UInt8(ascii: "\t")) else { throw .malformed(line: lineNumber, detail: "no HMAC field") }
            let content = Array(line[..<tab])
            guard let written = hexBytes(Array(line[(tab + 1)...])), written.count == 32 else {
                throw .malformed(line: lineNumber, detail: "the HMAC is not 64 hex digits")
            }
            guard mac(content, previous: previous, key: keys(lineNumber)) == written else {
                // A removed or reordered entry also breaks the chain: say that when the number shows it.
                if let number = Int(String(decoding: content.prefix { $0 != UInt8(ascii: "\t") }, as: UTF8.self)), number != lineNumber {
                    throw .outOfSequence(line: lineNumber, expected: lineNumber, found: number)
                }
                throw .changed(line: lineNumber)
            }
            let entry = try parse(content, line: lineNumber)
            guard entry.sequence == lineNumber else { throw .outOfSequence(line: lineNumber, expected: lineNumber, found: entry.sequence) }
            visit(entry)
            if let expected, lineNumber == expected.count { macAtExpected = written }
            previous = written
        }
        if let expected {
            guard lineNumber >= expected.count else { throw .truncated(found: lineNumber, expected: expected.count) }
            if expected.count > 0, macAtExpected != expected.lastMAC { throw .changed(line: expected.count) }
        }
        return previous
    }

    // MARK: Encrypted lines

    /// An encrypted document's trail line: `SEQUENCE<tab>BASE64` where the base64 is AES-GCM (nonce, ciphertext, tag)
    /// of the plain line (without its line end) under a key derived from the entry's trail key; the sequence number is
    /// bound in as associated data, so a line moved to another place does not open.
    static func sealLine(_ plain: [UInt8], sequence: Int, key: SymmetricKey) -> [UInt8]? {
        guard let box = try? AES.GCM.seal(plain, using: lineKey(key), authenticating: Array("caseload-audit:\(sequence)".utf8)),
              let combined = box.combined else { return nil }
        return Array("\(sequence)\t\(combined.base64EncodedString())\n".utf8)
    }

    static func openLine(_ line: [UInt8], number: Int, keys: (Int) -> SymmetricKey) throws(AuditProblem) -> [UInt8] {
        guard let tab = line.firstIndex(of: UInt8(ascii: "\t")),
              let sequence = Int(String(decoding: line[..<tab], as: UTF8.self)) else {
            throw .malformed(line: number, detail: "not an encrypted entry (SEQUENCE, tab, base64)")
        }
        guard sequence == number else { throw .outOfSequence(line: number, expected: number, found: sequence) }
        guard let combined = Data(base64Encoded: Data(line[(tab + 1)...])),
              let box = try? AES.GCM.SealedBox(combined: combined),
              let plain = try? AES.GCM.open(box, using: lineKey(keys(number)), authenticating: Array("caseload-audit:\(sequence)".utf8))
        else { throw .changed(line: number) }
        return Array(plain)
    }

    static func lineKey(_ key: SymmetricKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Array("caseload audit trail lines v1".utf8), outputByteCount: 32)
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
