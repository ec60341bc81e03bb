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
        try verify(bytes, keys: TrailKeys(key), encrypted: false, expected: expected)
    }

    /// Checks a trail under `seal` (its keys, and its count and last HMAC as expected): an encrypted document's trail
    /// has each line sealed (`encrypted`).
    public static func verify(_ bytes: [UInt8], seal: AuditSeal, encrypted: Bool) throws(AuditProblem) -> (entries: [AuditEntry], lastMAC: [UInt8]) {
        try verify(bytes, keys: TrailKeys(seal), encrypted: encrypted, expected: (seal.count, seal.last))
    }

    /// The entries read until the first problem, and that problem if there is one (the Record's Access section shows
    /// what reads, `audit show` shows it and says where the trail stops being trustworthy).
    public static func readLeniently(_ bytes: [UInt8], seal: AuditSeal, encrypted: Bool) -> (entries: [AuditEntry], problem: AuditProblem?) {
        let walked = walk(bytes, keys: TrailKeys(seal), encrypted: encrypted, expected: (seal.count, seal.last))
        return (walked.entries, walked.problem)
    }

    static func verify(
        _ bytes: [UInt8], keys: TrailKeys, encrypted: Bool, expected: (count: Int, lastMAC: [UInt8])?
    ) throws(AuditProblem) -> (entries: [AuditEntry], lastMAC: [UInt8]) {
        let walked = walk(bytes, keys: keys, encrypted: encrypted, expected: expected)
        if let problem = walked.problem { throw problem }
        return (walked.entries, walked.last)
    }

    /// The keys a trail is checked under, each with the first entry it signs, in order.
    struct TrailKeys: Sendable {
        /// As bytes: a `SymmetricKey` is not `Sendable`, and each worker makes its own.
        let keys: [(from: Int, key: [UInt8])]
        init(_ key: SymmetricKey) { keys = [(1, key.withUnsafeBytes { Array($0) })] }
        init(_ seal: AuditSeal) {
            let list = seal.keys.map { (from: $0.from, key: $0.key) }
            keys = list.isEmpty ? [(1, [UInt8](repeating: 0, count: 32))] : list
        }
        /// The index of the key that signs entry `sequence` (as `AuditSeal.key(for:)`: the first for anything before it).
        func index(for sequence: Int) -> Int { keys.lastIndex { $0.from <= sequence } ?? 0 }
    }

    /// Reads the whole trail: the entries that check, in order, up to the first problem; the last HMAC; the problem.
    ///
    /// Works on the bytes in place: a line is checked (its HMAC over the slice as it stands, under an HMAC keyed once
    /// per trail key and copied for each line) before any of its fields is read, and only `who`, the action and the ids
    /// become strings. A long trail is cut into pieces at line ends, checked on every core at once: each piece starts
    /// from the HMAC written at the end of the piece before it, which that piece checks — so the pieces together check
    /// exactly the chain one pass would, and the first problem is the one one pass would find (docs/PERFORMANCE.md,
    /// issue 17: a five-year trail is some 460,000 lines).
    static func walk(
        _ bytes: [UInt8], keys: TrailKeys, encrypted: Bool, expected: (count: Int, lastMAC: [UInt8])?, pieceBytes: Int = 1 << 20
    ) -> (entries: [AuditEntry], last: [UInt8], problem: AuditProblem?) {
        let pieces = bytes.withUnsafeBufferPointer { all -> [Piece] in
            guard let base = all.baseAddress else { return [] }
            let bounds = pieceBounds(all, pieceBytes: pieceBytes)
            let results = PieceResults(count: bounds.count)
            let shared = UncheckedPointer(UnsafeMutableRawPointer(mutating: base))
            let total = all.count
            let recordedAt = expected?.count ?? 0
            // Line numbers: each piece's first line follows every line end before it.
            var numbers: [Int] = [1]
            for bound in bounds.dropLast() {
                numbers.append((numbers.last ?? 1) + lineEnds(UnsafeBufferPointer(rebasing: all[bound])))
            }
            let firstLines = numbers
            let work = { @Sendable (index: Int) in
                let whole = UnsafeBufferPointer(start: shared.pointer.assumingMemoryBound(to: UInt8.self), count: total)
                results.store(index, check(whole, bounds[index], firstLine: firstLines[index], recordedAt: recordedAt, keys: keys, encrypted: encrypted))
            }
            if bounds.count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: bounds.count) { work($0) } }
            return results.pieces
        }
        var entries: [AuditEntry] = []
        entries.reserveCapacity(pieces.reduce(0) { $0 + $1.entries.count })
        var last = origin
        var macAtExpected: [UInt8]? = nil
        for piece in pieces {
            entries += piece.entries
            if let expected, macAtExpected == nil, let mac = piece.mac(at: expected.count) { macAtExpected = mac }
            if let problem = piece.problem { return (entries, last, problem) }
            if !piece.entries.isEmpty { last = piece.last }
        }
        if let expected {
            guard entries.count >= expected.count else { return (entries, last, .truncated(found: entries.count, expected: expected.count)) }
            if expected.count > 0, macAtExpected != expected.lastMAC { return (entries, last, .changed(line: expected.count)) }
        }
        return (entries, last, nil)
    }

    /// What checking one piece of the trail found.
    struct Piece: Sendable {
        var entries: [AuditEntry] = []
        var problem: AuditProblem?
        /// The HMAC of the piece's last entry that checks.
        var last: [UInt8] = origin
        /// The HMAC of the entry the document's seal names, when it is in this piece.
        var recorded: (sequence: Int, mac: [UInt8])?
        func mac(at sequence: Int) -> [UInt8]? { recorded?.sequence == sequence ? recorded?.mac : nil }
    }

    /// Each worker's result, in its own slot.
    final class PieceResults: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var pieces: [Piece]
        init(count: Int) { pieces = Array(repeating: Piece(), count: count) }
        func store(_ index: Int, _ piece: Piece) { lock.withLock { pieces[index] = piece } }
    }

    /// Where the trail is cut: `pieceBytes` or more a piece (tests make them small), at most four pieces a core, each
    /// ending at a line end (the last at the end of the bytes).
    static func pieceBounds(_ all: UnsafeBufferPointer<UInt8>, pieceBytes: Int = 1 << 20) -> [Range<Int>] {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let count = max(1, min(cores * 4, all.count / max(pieceBytes, 1)))
        var bounds: [Range<Int>] = []
        var start = 0
        for i in 1...count {
            guard start < all.count else { break }
            var end = all.count
            if i < count, let newline = nextNewline(all, from: max(start, all.count / count * i)) { end = newline + 1 }
            bounds.append(start..<end)
            start = end
        }
        return bounds.isEmpty ? [0..<0] : bounds
    }

    static func lineEnds(_ piece: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0, at = 0
        while let newline = nextNewline(piece, from: at) { count += 1; at = newline + 1 }
        return count
    }

    /// Checks the lines of `range` (numbered from `firstLine`), chained from the HMAC written on the line before it;
    /// keeps the HMAC of entry `recordedAt` (the one the document's seal names) when it is here.
    private static func check(
        _ all: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, firstLine: Int, recordedAt: Int, keys: TrailKeys, encrypted: Bool
    ) -> Piece {
        var piece = Piece()
        var previous = origin
        if range.lowerBound > 0 {
            // The line before: its HMAC as written (a line that does not read is reported by the piece before).
            let end = range.lowerBound - 1
            let start = all[..<end].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            var line = UnsafeBufferPointer(rebasing: all[start..<end])
            var opened: [UInt8] = []
            if encrypted {
                do throws(AuditProblem) {
                    opened = try openLine(line, number: firstLine - 1, lineKey: lineKey(SymmetricKey(data: keys.keys[keys.index(for: firstLine - 1)].key)))
                } catch {
                    return piece
                }
            }
            var written = [UInt8](repeating: 0, count: 32)
            let ok = opened.withUnsafeBufferPointer { plain -> Bool in
                if encrypted { line = plain }
                return line.count >= 64 && decodeHex(UnsafeBufferPointer(rebasing: line[(line.count - 64)...]), into: &written)
            }
            guard ok else { return piece }
            previous = written
        }
        var signer = Signer(keys)
        var written = [UInt8](repeating: 0, count: 32)
        var start = range.lowerBound
        var lineNumber = firstLine - 1
        do throws(AuditProblem) {
            while start < range.upperBound {
                lineNumber += 1
                guard let found = nextNewline(all, from: start), found < range.upperBound else { throw .torn(line: lineNumber) }
                let raw = UnsafeBufferPointer(rebasing: all[start..<found])
                start = found + 1
                let entry: AuditEntry
                if encrypted {
                    let opened = try openLine(raw, number: lineNumber, lineKey: signer.lineKey(for: lineNumber))
                    let checked: Result<AuditEntry, AuditProblem> = opened.withUnsafeBufferPointer { line in
                        do throws(AuditProblem) {
                            return .success(try checkLine(line, number: lineNumber, previous: previous, signer: &signer, written: &written))
                        } catch {
                            return .failure(error)
                        }
                    }
                    entry = try checked.get()
                } else {
                    entry = try checkLine(raw, number: lineNumber, previous: previous, signer: &signer, written: &written)
                }
                piece.entries.append(entry)
                swap(&previous, &written)
                if lineNumber == recordedAt { piece.recorded = (lineNumber, previous) }
            }
        } catch {
            piece.problem = error
        }
        piece.last = previous
        return piece
    }

    /// One plain line checked: its HMAC (into `written`) against the chain, then its fields.
    private static func checkLine(
        _ line: UnsafeBufferPointer<UInt8>, number lineNumber: Int, previous: [UInt8], signer: inout Signer, written: inout [UInt8]
    ) throws(AuditProblem) -> AuditEntry {
        guard line.count >= 65, line[line.count - 65] == UInt8(ascii: "\t") else {
            throw .malformed(line: lineNumber, detail: line.lastIndex(of: UInt8(ascii: "\t")) == nil ? "no HMAC field" : "the HMAC is not 64 hex digits")
        }
        let content = UnsafeBufferPointer(rebasing: line[..<(line.count - 65)])
        guard decodeHex(UnsafeBufferPointer(rebasing: line[(line.count - 64)...]), into: &written) else {
            throw .malformed(line: lineNumber, detail: "the HMAC is not 64 hex digits")
        }
        guard signer.matches(written, content, previous: previous, sequence: lineNumber) else {
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

    /// HMAC-SHA-256 under the trail's keys, each keyed once: a line's HMAC starts as a copy of its key's, so the key's
    /// own hashing (the inner pad) is not repeated for every line.
    struct Signer {
        private let keys: TrailKeys
        private var symmetric: [SymmetricKey?]
        private var templates: [HMAC<SHA256>?]
        private var lineKeys: [SymmetricKey?]

        init(_ keys: TrailKeys) {
            self.keys = keys
            symmetric = Array(repeating: nil, count: keys.keys.count)
            templates = Array(repeating: nil, count: keys.keys.count)
            lineKeys = Array(repeating: nil, count: keys.keys.count)
        }

        /// The key sealed lines of entry `sequence` open under (derived once per trail key).
        mutating func lineKey(for sequence: Int) -> SymmetricKey {
            let index = keys.index(for: sequence)
            if let key = lineKeys[index] { return key }
            let key = AuditTrail.lineKey(self.key(for: sequence))
            lineKeys[index] = key
            return key
        }

        mutating func key(for sequence: Int) -> SymmetricKey {
            let index = keys.index(for: sequence)
            if let key = symmetric[index] { return key }
            let key = SymmetricKey(data: keys.keys[index].key)
            symmetric[index] = key
            return key
        }

        /// Whether `written` is the HMAC of `content` chained to `previous` under entry `sequence`'s key.
        mutating func matches(_ written: [UInt8], _ content: UnsafeBufferPointer<UInt8>, previous: [UInt8], sequence: Int) -> Bool {
            let index = keys.index(for: sequence)
            if templates[index] == nil { templates[index] = HMAC<SHA256>(key: key(for: sequence)) }
            var hmac = templates[index] ?? HMAC<SHA256>(key: key(for: sequence))
            hmac.update(data: previous)
            hmac.update(data: UnsafeRawBufferPointer(content))
            return hmac.finalize().withUnsafeBytes { $0.elementsEqual(written) }
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
        sealLine(plain, sequence: sequence, lineKey: lineKey(key))
    }

    /// As `sealLine(_:sequence:key:)`, under the line key already derived (`lineKey(_:)`): once per trail key, not per line.
    static func sealLine(_ plain: [UInt8], sequence: Int, lineKey: SymmetricKey) -> [UInt8]? {
        guard let box = try? AES.GCM.seal(plain, using: lineKey, authenticating: Array("caseload-audit:\(sequence)".utf8)),
              let combined = box.combined else { return nil }
        return Array("\(sequence)\t\(combined.base64EncodedString())\n".utf8)
    }

    static func openLine(_ line: [UInt8], number: Int, keys: (Int) -> SymmetricKey) throws(AuditProblem) -> [UInt8] {
        let opened: Result<[UInt8], AuditProblem> = line.withUnsafeBufferPointer { buffer in
            do throws(AuditProblem) {
                return .success(try openLine(buffer, number: number, lineKey: lineKey(keys(number))))
            } catch {
                return .failure(error)
            }
        }
        return try opened.get()
    }

    /// A sealed line opened under its line key (`lineKey(_:)` of the entry's trail key).
    static func openLine(_ line: UnsafeBufferPointer<UInt8>, number: Int, lineKey: SymmetricKey) throws(AuditProblem) -> [UInt8] {
        guard let tab = line.firstIndex(of: UInt8(ascii: "\t")),
              let sequence = self.number(UnsafeBufferPointer(rebasing: line[..<tab])) else {
            throw .malformed(line: number, detail: "not an encrypted entry (SEQUENCE, tab, base64)")
        }
        guard sequence == number else { throw .outOfSequence(line: number, expected: number, found: sequence) }
        guard let combined = Data(base64Encoded: Data(line[(tab + 1)...])),
              let box = try? AES.GCM.SealedBox(combined: combined),
              let plain = try? AES.GCM.open(box, using: lineKey, authenticating: Array("caseload-audit:\(sequence)".utf8))
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
