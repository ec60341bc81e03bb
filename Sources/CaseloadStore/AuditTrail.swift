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
    ///
    /// Works on the bytes in place: a line is checked (its HMAC over the slice as it stands, under an HMAC keyed once
    /// per trail key and copied for each line) before any of its fields is read, and only `who`, the action and the ids
    /// become strings — a five-year trail is a few hundred thousand lines (docs/PERFORMANCE.md, issue 17).
    static func walk(
        _ bytes: [UInt8], keys: (Int) -> SymmetricKey, encrypted: Bool, expected: (count: Int, lastMAC: [UInt8])?,
        _ visit: (AuditEntry) -> Void
    ) throws(AuditProblem) -> [UInt8] {
        let result: Result<[UInt8], AuditProblem> = bytes.withUnsafeBufferPointer { all in
            do throws(AuditProblem) {
                return .success(try walk(all, keys: keys, encrypted: encrypted, expected: expected, visit))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func walk(
        _ all: UnsafeBufferPointer<UInt8>, keys: (Int) -> SymmetricKey, encrypted: Bool, expected: (count: Int, lastMAC: [UInt8])?,
        _ visit: (AuditEntry) -> Void
    ) throws(AuditProblem) -> [UInt8] {
        var previous = origin
        var macAtExpected: [UInt8]? = nil
        var start = 0
        var lineNumber = 0
        var signer = Signer()
        var written = [UInt8](repeating: 0, count: 32)
        while start < all.count {
            lineNumber += 1
            guard let end = nextNewline(all, from: start) else { throw .torn(line: lineNumber) }
            let raw = UnsafeBufferPointer(rebasing: all[start..<end])
            start = end + 1
            let key = keys(lineNumber)
            let entry: AuditEntry
            if encrypted {
                let opened = try openLine(raw, number: lineNumber, key: key)
                let checked: Result<AuditEntry, AuditProblem> = opened.withUnsafeBufferPointer { line in
                    do throws(AuditProblem) {
                        return .success(try check(line, number: lineNumber, previous: previous, key: key, signer: &signer, written: &written))
                    } catch {
                        return .failure(error)
                    }
                }
                entry = try checked.get()
            } else {
                entry = try check(raw, number: lineNumber, previous: previous, key: key, signer: &signer, written: &written)
            }
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

    /// One plain line checked: its HMAC (into `written`) against the chain, then its fields.
    private static func check(
        _ line: UnsafeBufferPointer<UInt8>, number lineNumber: Int, previous: [UInt8], key: SymmetricKey, signer: inout Signer, written: inout [UInt8]
    ) throws(AuditProblem) -> AuditEntry {
        guard line.count >= 65, line[line.count - 65] == UInt8(ascii: "\t") else {
            throw .malformed(line: lineNumber, detail: line.lastIndex(of: UInt8(ascii: "\t")) == nil ? "no HMAC field" : "the HMAC is not 64 hex digits")
        }
        let content = UnsafeBufferPointer(rebasing: line[..<(line.count - 65)])
        guard decodeHex(UnsafeBufferPointer(rebasing: line[(line.count - 64)...]), into: &written) else {
            throw .malformed(line: lineNumber, detail: "the HMAC is not 64 hex digits")
        }
        guard signer.mac(content, previous: previous, key: key) == written else {
            // A removed or reordered entry also breaks the chain: say that when the number shows it.
            if let found = number(content.prefix { $0 != UInt8(ascii: "\t") }), found != lineNumber {
                throw .outOfSequence(line: lineNumber, expected: lineNumber, found: found)
            }
            throw .changed(line: lineNumber)
        }
        let entry = try parse(content, line: lineNumber)
        guard entry.sequence == lineNumber else { throw .outOfSequence(line: lineNumber, expected: lineNumber, found: entry.sequence) }
        return entry
    }

    private static func nextNewline(_ all: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < all.count, let base = all.baseAddress,
              let found = memchr(base + start, Int32(UInt8(ascii: "\n")), all.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// An HMAC-SHA-256 keyed once per trail key: each line's starts as a copy of it, so the key's own hashing (the
    /// inner pad) is not repeated for every line.
    struct Signer {
        private var key: SymmetricKey?
        private var template: HMAC<SHA256>?

        mutating func mac(_ content: UnsafeBufferPointer<UInt8>, previous: [UInt8], key: SymmetricKey) -> [UInt8] {
            if template == nil || self.key != key {
                self.key = key
                template = HMAC<SHA256>(key: key)
            }
            var hmac = template ?? HMAC<SHA256>(key: key)
            hmac.update(data: previous)
            hmac.update(data: UnsafeRawBufferPointer(content))
            return Array(hmac.finalize())
        }
    }

    /// 64 hex digits (either case) into 32 bytes; false for anything else.
    static func decodeHex(_ digits: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        guard digits.count == 64 else { return false }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            case 0x41...0x46: return c - 0x41 + 10
            default: return nil
            }
        }
        for i in 0..<32 {
            guard let high = value(digits[2 * i]), let low = value(digits[2 * i + 1]) else { return false }
            out[i] = high << 4 | low
        }
        return true
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
        let opened: Result<[UInt8], AuditProblem> = line.withUnsafeBufferPointer { buffer in
            do throws(AuditProblem) {
                return .success(try openLine(buffer, number: number, key: keys(number)))
            } catch {
                return .failure(error)
            }
        }
        return try opened.get()
    }

    static func openLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, key: SymmetricKey) throws(AuditProblem) -> [UInt8] {
        guard let tab = line.firstIndex(of: UInt8(ascii: "\t")),
              let sequence = self.number(UnsafeBufferPointer(rebasing: line[..<tab])) else {
            throw .malformed(line: number, detail: "not an encrypted entry (SEQUENCE, tab, base64)")
        }
        guard sequence == number else { throw .outOfSequence(line: number, expected: number, found: sequence) }
        guard let combined = Data(base64Encoded: Data(line[(tab + 1)...])),
              let box = try? AES.GCM.SealedBox(combined: combined),
              let plain = try? AES.GCM.open(box, using: lineKey(key), authenticating: Array("caseload-audit:\(sequence)".utf8))
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

    /// A decimal number of 1 to 18 digits, nothing else.
    static func number<C: Collection>(_ digits: C) -> Int? where C.Element == UInt8 {
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        var value = 0
        for c in digits {
            guard c >= 0x30, c <= 0x39 else { return nil }
            value = value * 10 + Int(c - 0x30)
        }
        return value
    }

    private static func parse(_ content: UnsafeBufferPointer<UInt8>, line: Int) throws(AuditProblem) -> AuditEntry {
        // The six fields' bounds, found by their tabs.
        var bounds: [Range<Int>] = []
        bounds.reserveCapacity(6)
        var from = 0
        for (i, c) in content.enumerated() where c == UInt8(ascii: "\t") {
            bounds.append(from..<i)
            from = i + 1
        }
        bounds.append(from..<content.count)
        guard bounds.count == 6 else { throw .malformed(line: line, detail: "\(bounds.count + 1) fields where 7 belong") }
        func field(_ n: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: content[bounds[n]]) }
        func text(_ n: Int) -> String { String(decoding: field(n), as: UTF8.self) }
        guard let sequence = number(field(0)), sequence >= 1 else { throw .malformed(line: line, detail: "the sequence is not a number ≥ 1") }
        guard let at = parseStamp(field(1)) else { throw .malformed(line: line, detail: "the time is not YYYY-MM-DDTHH:MM:SSZ") }
        guard let identity = parseIdentity(field(3)) else { throw .malformed(line: line, detail: "unknown identity kind") }
        guard let who = unescape(text(2)), let action = unescape(text(4)) else {
            throw .malformed(line: line, detail: "a bad %-escape")
        }
        var ids: [String] = []
        let list = field(5)
        if !list.isEmpty {
            var part = 0
            for i in 0...list.count where i == list.count || list[i] == UInt8(ascii: ",") {
                guard let id = unescape(String(decoding: UnsafeBufferPointer(rebasing: list[part..<i]), as: UTF8.self)) else {
                    throw .malformed(line: line, detail: "a bad %-escape")
                }
                ids.append(id)
                part = i + 1
            }
        }
        return AuditEntry(sequence: sequence, at: at, who: who, identity: identity, action: action, ids: ids)
    }

    private static func parseIdentity(_ bytes: UnsafeBufferPointer<UInt8>) -> AuditIdentity? {
        if bytes.elementsEqual("slot".utf8) { return .slot }
        if bytes.elementsEqual("account".utf8) { return .account }
        if bytes.elementsEqual("unmapped".utf8) { return .unmapped }
        return nil
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, a real date and time of day, read from the bytes.
    static func parseStamp(_ u: UnsafeBufferPointer<UInt8>) -> Date? {
        guard u.count == 20, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54, u[13] == 0x3A, u[16] == 0x3A, u[19] == 0x5A else { return nil }
        func two(_ i: Int) -> Int? { number(UnsafeBufferPointer(rebasing: u[i..<(i + 2)])) }
        guard let year = number(UnsafeBufferPointer(rebasing: u[0..<4])), let month = two(5), let day = two(8),
              let date = LocalDate(year: year, month: month, day: day),
              let hour = two(11), hour < 24, let minute = two(14), minute < 60, let second = two(17), second < 60 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(date.dayNumber * 86_400 + hour * 3600 + minute * 60 + second))
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

}
