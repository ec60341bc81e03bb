import CaseloadCore
import Foundation

/// One step of a field path: a key of an object or an index in a list.
enum FieldStep: Equatable, Sendable {
    case key(String)
    case index(Int)
}

/// Why the reader stopped. Positions are byte offsets, turned into line and column only when a message is made.
enum ReadFailure: Error, Equatable {
    /// Not JSON (or refused JSON: a duplicate key, too deep) at `offset`.
    case syntax(offset: Int, message: String)
    /// Bytes that are not UTF-8 at `offset`.
    case invalidUTF8(offset: Int)
    /// JSON, but not a value the model takes; `steps` innermost first.
    case field(steps: [FieldStep], detail: String)

    /// The same failure one level further out: a field failure gains the step, others stay as they are.
    func under(_ step: FieldStep) -> ReadFailure {
        guard case .field(var steps, let detail) = self else { return self }
        steps.append(step)
        return .field(steps: steps, detail: detail)
    }

    /// `patients[3].status.state` from steps stored innermost first.
    static func fieldPath(_ steps: [FieldStep]) -> String {
        var text = ""
        for step in steps.reversed() {
            switch step {
            case .key(let key): text += (text.isEmpty ? "" : ".") + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "(top level)" : text
    }
}

/// The keys of one object type, in the sorted order Caseload writes them, so the next key is usually the next one here.
struct KeyTable: Sendable {
    let names: [String]
    let bytes: [[UInt8]]

    init(_ names: [String]) {
        self.names = names
        self.bytes = names.map { Array($0.utf8) }
    }

    /// The index of the key at `start` (`count` bytes), trying `hint` first; -1 when it is not one of these keys.
    @inline(__always)
    func match(_ start: UnsafePointer<UInt8>, _ count: Int, hint: Int) -> Int {
        if hint < bytes.count, Self.equal(bytes[hint], start, count) { return hint }
        for k in bytes.indices where k != hint && Self.equal(bytes[k], start, count) { return k }
        return -1
    }

    @inline(__always)
    static func equal(_ key: [UInt8], _ start: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard key.count == count else { return false }
        return key.withUnsafeBufferPointer { k in
            guard let base = k.baseAddress else { return true }
            return memcmp(base, start, count) == 0
        }
    }
}

/// The keys of one model type, as an enum whose cases are declared in sorted order.
protocol JSONKeys: CaseIterable, Hashable, RawRepresentable where RawValue == Int {
    /// The table of these keys (declared once per type, so it is built once).
    static var table: KeyTable { get }
    /// Keys that may be left out of the file.
    static var optionalKeys: [Self] { get }
}

extension JSONKeys {
    /// The table from the case names, in declaration order.
    static func makeTable() -> KeyTable { KeyTable(allCases.map { String(describing: $0) }) }

    /// The failure for the first required key not in `seen`.
    static func missing(_ seen: UInt64) -> ReadFailure {
        for key in allCases where seen & (1 << UInt64(key.rawValue)) == 0 && !optionalKeys.contains(key) {
            return .field(steps: [.key(table.names[key.rawValue])], detail: "this field is required but missing")
        }
        return .field(steps: [], detail: "a required field is missing")
    }
}

/// A strict JSON reader over a file's bytes: the model's decoders read typed values with it, and `skipValue` checks any
/// JSON. It refuses what Foundation would let through but other tools read differently (a duplicate key, where Foundation
/// keeps the first and Python and jq the last) and nesting deeper than any document has.
struct JSONReader {
    /// How deeply objects and arrays may nest; a document needs about 10.
    static let maxDepth = 64

    let p: UnsafePointer<UInt8>
    let n: Int
    var i = 0
    /// Open non-empty containers around the current position.
    var depth = 0
    /// Whether some text read may break the text rules (`TextRules`): one that holds a control character, or a newline,
    /// tab or more than a one-line text's bytes outside a multi-line field. When none may, validation skips walking every
    /// text of the decoded document, which would cost a large file much of its load time.
    var textNeedsCheck = false
    /// Unescaped bytes of the last string that held escapes.
    var scratch: [UInt8] = []
    /// The buffer `p` points into, when it is kept: long note texts then stay slices of it (`storedText`).
    var source: SourceBytes? = nil

    init(_ base: UnsafePointer<UInt8>, count: Int) {
        p = base
        n = count
    }

    // MARK: Bytes

    @inline(__always)
    mutating func skipSpace() {
        while i < n {
            let b = p[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    func describeHere() -> String {
        guard i < n else { return "the file ends too early" }
        let b = p[i]
        if b >= 0x21 && b < 0x7F { return "unexpected '\(Character(UnicodeScalar(b)))'" }
        return "unexpected byte 0x\(String(b, radix: 16))"
    }

    func syntax(_ message: String, at offset: Int? = nil) -> ReadFailure {
        .syntax(offset: offset ?? i, message: message)
    }

    // MARK: Strings

    /// The span of a string's contents. The caller has seen the opening quote at `i`; on return `i` is past the closing one.
    /// Checks escapes and UTF-8, and notes in `textNeedsCheck` whether the text may break the text rules.
    @inline(__always)
    mutating func scanString(multiLine: Bool, isKey: Bool = false) throws(ReadFailure) -> (start: Int, end: Int, escaped: Bool) {
        let open = i
        i += 1
        let start = i
        var escaped = false, control = false, lineBreak = false
        while true {
            // Eight bytes at a time while none is a quote, a backslash, a control character, DEL or non-ASCII.
            while i + 8 <= n {
                let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
                let q = x ^ (ones &* 0x22), s = x ^ (ones &* 0x5C), d = x ^ (ones &* 0x7F)
                let special = ((q &- ones) & ~q) | ((s &- ones) & ~s) | ((d &- ones) & ~d) | ((x &- ones &* 0x20) & ~x) | x
                if special & highs != 0 { break }
                i += 8
            }
            guard i < n else { throw syntax("a string is not closed (missing '\"')", at: open) }
            let b = p[i]
            if b == 0x22 {
                let end = i
                i += 1
                if !isKey && !textNeedsCheck {
                    let length = end - start
                    if control || ((lineBreak || length > TextRules.maxOneLineBytes) && (!multiLine || length > TextRules.maxMultiLineBytes)) {
                        textNeedsCheck = true
                    }
                }
                return (start, end, escaped)
            }
            if b == 0x5C {
                escaped = true
                let slash = i
                i += 1
                guard i < n else { break }
                let e = p[i]
                if e == 0x75 {
                    let value = try hex4()
                    if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) { control = true }
                    if (0xDC00...0xDFFF).contains(value) {
                        throw syntax("a \\u escape holds the second half of a surrogate pair without the first", at: slash)
                    }
                    if (0xD800...0xDBFF).contains(value) {
                        guard i + 2 < n, p[i + 1] == 0x5C, p[i + 2] == 0x75 else {
                            throw syntax("a \\u escape holds the first half of a surrogate pair without the second", at: slash)
                        }
                        i += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw syntax("a \\u escape holds the first half of a surrogate pair without the second", at: slash)
                        }
                    }
                } else if e == 0x6E || e == 0x74 {
                    lineBreak = true
                } else if e == 0x62 || e == 0x66 || e == 0x72 {
                    control = true
                } else if e != 0x22 && e != 0x5C && e != 0x2F {
                    throw syntax("unknown escape '\\\(Character(UnicodeScalar(e)))' in a string")
                }
                i += 1
            } else if b < 0x20 {
                throw syntax(b == 0x0A ? "a string runs past the end of the line (missing '\"')" : "a control character inside a string")
            } else if b == 0x7F {
                control = true
                i += 1
            } else if b >= 0x80 {
                // DEL and C1 (0xC2 0x80–0x9F) may stand raw in JSON; they are control characters to the text rules.
                if b == 0xC2, i + 1 < n, (0x80...0x9F).contains(p[i + 1]) { control = true }
                i += try utf8Sequence()
            } else {
                i += 1
            }
        }
        throw syntax("a string is not closed (missing '\"')", at: open)
    }

    /// Reads the four hex digits after `\u` (at `i`, the `u`), leaving `i` on the last digit.
    @inline(__always)
    mutating func hex4() throws(ReadFailure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            i += 1
            guard i < n else { throw syntax("a \\u escape needs four hex digits") }
            let c = p[i]
            let digit: UInt32
            switch c {
            case 0x30...0x39: digit = UInt32(c - 0x30)
            case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
            default: throw syntax("a \\u escape needs four hex digits")
            }
            value = value * 16 + digit
        }
        return value
    }

    /// The length of the UTF-8 sequence at `i`, or a failure when it is not one.
    @inline(__always)
    func utf8Sequence() throws(ReadFailure) -> Int {
        let b = p[i]
        let need: Int
        var scalar: UInt32
        let minimum: UInt32
        switch b {
        case 0xC2...0xDF: need = 1; scalar = UInt32(b & 0x1F); minimum = 0x80
        case 0xE0...0xEF: need = 2; scalar = UInt32(b & 0x0F); minimum = 0x800
        case 0xF0...0xF4: need = 3; scalar = UInt32(b & 0x07); minimum = 0x10000
        default: throw .invalidUTF8(offset: i)
        }
        guard i + need < n else { throw .invalidUTF8(offset: i) }
        for k in 1...need {
            let c = p[i + k]
            guard c & 0xC0 == 0x80 else { throw .invalidUTF8(offset: i) }
            scalar = scalar << 6 | UInt32(c & 0x3F)
        }
        if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { throw .invalidUTF8(offset: i) }
        return need + 1
    }

    /// The contents of a string whose span is known valid, escapes decoded into `scratch`.
    mutating func unescape(_ start: Int, _ end: Int) {
        scratch.removeAll(keepingCapacity: true)
        var k = start
        while k < end {
            let b = p[k]
            guard b == 0x5C else { scratch.append(b); k += 1; continue }
            let e = p[k + 1]
            k += 2
            switch e {
            case 0x6E: scratch.append(0x0A)
            case 0x74: scratch.append(0x09)
            case 0x72: scratch.append(0x0D)
            case 0x62: scratch.append(0x08)
            case 0x66: scratch.append(0x0C)
            case 0x75:
                var value = Self.hexValue(p + k)
                k += 4
                if (0xD800...0xDBFF).contains(value) {
                    let low = Self.hexValue(p + k + 2)
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                appendUTF8(value)
            default: scratch.append(e)
            }
        }
    }

    static func hexValue(_ q: UnsafePointer<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = q[k]
            value = value * 16 + UInt32(c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10)
        }
        return value
    }

    mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case 0..<0x80: scratch.append(UInt8(v))
        case 0x80..<0x800: scratch.append(UInt8(0xC0 | v >> 6)); scratch.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | v >> 12)); scratch.append(UInt8(0x80 | (v >> 6) & 0x3F)); scratch.append(UInt8(0x80 | v & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | v >> 18)); scratch.append(UInt8(0x80 | (v >> 12) & 0x3F))
            scratch.append(UInt8(0x80 | (v >> 6) & 0x3F)); scratch.append(UInt8(0x80 | v & 0x3F))
        }
    }

    /// A string made from a span read by `scanString`.
    @inline(__always)
    mutating func makeString(_ span: (start: Int, end: Int, escaped: Bool)) -> String {
        if !span.escaped { return String(decoding: UnsafeBufferPointer(start: p + span.start, count: span.end - span.start), as: UTF8.self) }
        unescape(span.start, span.end)
        return String(decoding: scratch, as: UTF8.self)
    }

    // MARK: Skipping any value

    /// Skips one value of any kind, checking it as strictly as the typed reads (and duplicate keys in its objects).
    /// Iterative, so deep nesting cannot exhaust the stack. `multiLine`: the value belongs to a multi-line text field.
    mutating func skipValue(multiLine: Bool = false) throws(ReadFailure) {
        var keys = KeyFrames()
        var stack: [Bool] = []   // true: object
        var expectingValue = true
        var valueMultiLine = multiLine
        while true {
            skipSpace()
            if expectingValue {
                guard i < n else { throw syntax("the file ends too early: a value is missing") }
                switch p[i] {
                case 0x7B, 0x5B: // { [
                    let isObject = p[i] == 0x7B
                    i += 1
                    skipSpace()
                    if i < n, p[i] == (isObject ? 0x7D : 0x5D) {
                        i += 1
                        expectingValue = false
                    } else {
                        if depth >= Self.maxDepth {
                            throw syntax("objects and lists nest more than \(Self.maxDepth) deep; no Caseload document does", at: i - 1)
                        }
                        depth += 1
                        stack.append(isObject)
                        keys.open()
                        if isObject { valueMultiLine = try skipKey(&keys) }
                    }
                case 0x22:
                    // A text in a list is one line; one in an object is multi-line when its key says so.
                    _ = try scanString(multiLine: stack.last.map { $0 && valueMultiLine } ?? multiLine)
                    expectingValue = false
                case 0x74: try literal("true"); expectingValue = false
                case 0x66: try literal("false"); expectingValue = false
                case 0x6E: try literal("null"); expectingValue = false
                case 0x2D, 0x30...0x39: try number(); expectingValue = false
                default: throw syntax("\(describeHere()): expected a value")
                }
                if stack.isEmpty && !expectingValue { return }
                continue
            }
            guard let isObject = stack.last else { return }
            guard i < n else { throw syntax("the file ends too early: a \(isObject ? "'}'" : "']'") is missing") }
            let b = p[i]
            if b == 0x2C { // ,
                i += 1
                skipSpace()
                if isObject { valueMultiLine = try skipKey(&keys) }
                expectingValue = true
            } else if (b == 0x7D && isObject) || (b == 0x5D && !isObject) {
                i += 1
                stack.removeLast()
                keys.close()
                depth -= 1
                if stack.isEmpty { return }
            } else {
                throw syntax("\(describeHere()): expected ',' or '\(isObject ? "}" : "]")'")
            }
        }
    }

    /// Reads `"key" :` inside an object being skipped; returns whether the key names a multi-line text.
    mutating func skipKey(_ keys: inout KeyFrames) throws(ReadFailure) -> Bool {
        guard i < n, p[i] == 0x22 else { throw syntax("\(describeHere()): expected a field name in double quotes") }
        let keyStart = i
        let span = try scanString(multiLine: false, isKey: true)
        // Escapes are decoded first, so "\u0061" and "a" are the same key, as every JSON reader sees them.
        let name: [UInt8]
        if span.escaped { unescape(span.start, span.end); name = scratch } else { name = Array(UnsafeBufferPointer(start: p + span.start, count: span.end - span.start)) }
        if !keys.insert(name) { throw duplicateKey(name, at: keyStart) }
        try colon()
        return JSONReader.multiLineKeys.contains(name)
    }

    /// `TextRules.multiLineKeys` as bytes, to compare with a key in the file without decoding it.
    static let multiLineKeys: Set<[UInt8]> = Set(TextRules.multiLineKeys.map { Array($0.utf8) })

    func duplicateKey(_ name: [UInt8], at offset: Int) -> ReadFailure {
        let shown = TerminalText.safe(String(decoding: name.prefix(80), as: UTF8.self), multiLine: false)
        return syntax("the key \"\(shown)\" appears twice in one object; tools disagree on which value counts (Caseload, Python, jq), so keep one", at: offset)
    }

    @inline(__always)
    mutating func colon() throws(ReadFailure) {
        skipSpace()
        guard i < n, p[i] == 0x3A else { throw syntax("\(describeHere()): expected ':' after the field name") }
        i += 1
    }

    mutating func literal(_ word: StaticString) throws(ReadFailure) {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for b in bytes {
            guard i < n, p[i] == b else { throw syntax("\(describeHere()): expected '\(word)'") }
            i += 1
        }
    }

    /// Skips a number (at `i`); returns whether it has a fraction or an exponent.
    @discardableResult
    mutating func number() throws(ReadFailure) -> Bool {
        if p[i] == 0x2D { i += 1 }
        let first = i
        guard digits() > 0 else { throw syntax("\(describeHere()): a number needs digits") }
        // JSON allows no leading zero (Foundation refuses 07), so neither does Caseload.
        if p[first] == 0x30 && i > first + 1 { throw syntax("a number must not start with 0 (write 7, not 07)", at: first) }
        var fractional = false
        if i < n, p[i] == 0x2E {
            i += 1
            fractional = true
            guard digits() > 0 else { throw syntax("\(describeHere()): digits must follow the decimal point") }
        }
        if i < n, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            fractional = true
            if i < n, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            guard digits() > 0 else { throw syntax("\(describeHere()): the exponent needs digits") }
        }
        return fractional
    }

    @inline(__always)
    mutating func digits() -> Int {
        let s = i
        while i < n, p[i] &- 0x30 < 10 { i += 1 }
        return i - s
    }

    /// After the document's value: only white space may follow.
    mutating func end() throws(ReadFailure) {
        skipSpace()
        if i < n { throw syntax("\(describeHere()) after the end of the document") }
    }

    /// Checks a whole text as JSON.
    mutating func skipDocument() throws(ReadFailure) {
        skipSpace()
        try skipValue()
        try end()
    }
}

/// The keys of every open object while skipping, innermost last, to refuse a duplicate. A small object is searched
/// directly (cheaper than hashing, and no allocation per object); one with more than `smallObject` keys gets a set, so
/// a crafted object with a million keys stays linear.
struct KeyFrames {
    var keys: [[UInt8]] = []
    var frames: [Int] = []
    var sets: [Int: Set<[UInt8]>] = [:]
    static let smallObject = 32

    mutating func open() { frames.append(keys.count) }

    mutating func close() {
        let base = frames.removeLast()
        keys.removeSubrange(base...)
        if !sets.isEmpty { sets[frames.count] = nil }
    }

    /// Adds a key to the innermost object; false when it is already there.
    mutating func insert(_ name: [UInt8]) -> Bool {
        let depth = frames.count - 1
        let base = frames[depth]
        let count = keys.count - base
        if count < Self.smallObject {
            for k in keys[base...] where k == name { return false }
            keys.append(name)
            if count + 1 == Self.smallObject { sets[depth] = Set(keys[base...]) }
            return true
        }
        guard sets[depth, default: []].insert(name).inserted else { return false }
        keys.append(name)
        return true
    }
}
