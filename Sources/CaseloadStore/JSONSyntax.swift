import CaseloadCore
import Foundation

/// A strict JSON syntax check that says where the text goes wrong. Foundation's decoder reports no position, so this runs
/// first, on every read: it also refuses what Foundation lets through but other tools read differently (a duplicate key,
/// where Foundation keeps the first and Python and jq the last) and nesting deeper than any document has.
enum JSONSyntax {
    /// How deeply objects and arrays may nest; a document needs about 10.
    static let maxDepth = 64

    /// A syntax error: 1-based line and column (in characters) and what was expected.
    struct Failure: Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    /// The first syntax error in `bytes`, or nil when the text is valid JSON.
    static func firstError(in bytes: [UInt8]) -> Failure? { scan(bytes).failure }

    /// The first syntax error, and whether any string value may break the text rules (`TextRules`): one that holds a
    /// control character, or a newline, tab or more than a one-line text's bytes outside a multi-line field. When none
    /// may, validation skips walking every text of the decoded document, which would cost a large file much of its load time.
    static func scan(_ bytes: [UInt8]) -> (failure: Failure?, textNeedsCheck: Bool) {
        var scanner = Scanner(bytes: bytes)
        if let (offset, message) = scanner.run() {
            let (line, column) = position(of: offset, in: bytes)
            return (Failure(line: line, column: column, message: message), true)
        }
        return (nil, scanner.textNeedsCheck)
    }

    /// `TextRules.multiLineKeys` as bytes, to compare with a key in the file without decoding it.
    static let multiLineKeys: Set<[UInt8]> = Set(TextRules.multiLineKeys.map { Array($0.utf8) })

    /// Line and column (1-based, counting characters, not bytes) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var i = 0

        enum Container { case object, array }

        /// The keys of every open object, innermost last; `frames` says where each open container's keys begin.
        /// A small object is searched directly (cheaper than hashing, and no allocation per object); one with more than
        /// `smallObject` keys gets a set, so a crafted object with a million keys stays linear.
        var keys: [ArraySlice<UInt8>] = []
        var frames: [Int] = []
        var sets: [Int: Set<ArraySlice<UInt8>>] = [:]
        static let smallObject = 32
        /// The last key read: the field of the string value that follows it.
        var lastKey: ArraySlice<UInt8> = []
        /// What the last string held, for the text rules (see `scan`).
        var stringHasControl = false, stringHasBreak = false
        var textNeedsCheck = false

        /// After a string value: whether the text rules must look at the decoded document.
        mutating func noteStringValue(start: Int, inObject: Bool) {
            let length = i - start - 2
            if stringHasControl { textNeedsCheck = true; return }
            guard stringHasBreak || length > TextRules.maxOneLineBytes else { return }
            let multiLine = inObject && JSONSyntax.multiLineKeys.contains(Array(lastKey))
            if !multiLine || length > TextRules.maxMultiLineBytes { textNeedsCheck = true }
        }

        mutating func skipSpace() {
            while i < bytes.count {
                let b = bytes[i]
                guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                i += 1
            }
        }

        func describeHere() -> String {
            guard i < bytes.count else { return "the file ends too early" }
            let b = bytes[i]
            if b >= 0x21 && b < 0x7F { return "unexpected '\(Character(UnicodeScalar(b)))'" }
            return "unexpected byte 0x\(String(b, radix: 16))"
        }

        /// Returns the offset and message of the first error. Iterative, so deep nesting cannot exhaust the stack.
        mutating func run() -> (Int, String)? {
            var stack: [Container] = []
            var expectingValue = true
            while true {
                skipSpace()
                if expectingValue {
                    guard i < bytes.count else { return (i, "the file ends too early: a value is missing") }
                    switch bytes[i] {
                    case 0x7B, 0x5B: // { [
                        let isObject = bytes[i] == 0x7B
                        i += 1
                        skipSpace()
                        if i < bytes.count, bytes[i] == (isObject ? 0x7D : 0x5D) {
                            i += 1
                            expectingValue = false
                        } else {
                            if stack.count >= JSONSyntax.maxDepth {
                                return (i - 1, "objects and lists nest more than \(JSONSyntax.maxDepth) deep; no Caseload document does")
                            }
                            stack.append(isObject ? .object : .array)
                            frames.append(keys.count)
                            if isObject, let err = key() { return err }
                        }
                    case 0x22:
                        let start = i
                        if let err = string() { return err }
                        if !textNeedsCheck { noteStringValue(start: start, inObject: stack.last == .object) }
                        expectingValue = false
                    case 0x74: if let err = literal("true") { return err }; expectingValue = false
                    case 0x66: if let err = literal("false") { return err }; expectingValue = false
                    case 0x6E: if let err = literal("null") { return err }; expectingValue = false
                    case 0x2D, 0x30...0x39: if let err = number() { return err }; expectingValue = false
                    default: return (i, "\(describeHere()): expected a value")
                    }
                    continue
                }
                guard let top = stack.last else { break }
                guard i < bytes.count else { return (i, "the file ends too early: a \(top == .object ? "'}'" : "']'") is missing") }
                let b = bytes[i]
                if b == 0x2C { // ,
                    i += 1
                    skipSpace()
                    if top == .object, let err = key() { return err }
                    expectingValue = true
                } else if (b == 0x7D && top == .object) || (b == 0x5D && top == .array) {
                    i += 1
                    stack.removeLast()
                    let base = frames.removeLast()
                    keys.removeSubrange(base...)
                    if !sets.isEmpty { sets[frames.count] = nil }
                } else {
                    return (i, "\(describeHere()): expected ',' or '\(top == .object ? "}" : "]")'")
                }
            }
            skipSpace()
            if i < bytes.count { return (i, "\(describeHere()) after the end of the document") }
            return nil
        }

        /// Reads `"key" :` inside an object.
        mutating func key() -> (Int, String)? {
            guard i < bytes.count, bytes[i] == 0x22 else { return (i, "\(describeHere()): expected a field name in double quotes") }
            let start = i
            if let err = string() { return err }
            let raw = bytes[(start + 1)..<(i - 1)]
            lastKey = raw
            // Escapes are decoded first, so "\u0061" and "a" are the same key, as every JSON reader sees them.
            let name = raw.contains(0x5C) ? ArraySlice(Array(JSONSyntax.unescaped(raw).utf8)) : raw
            if !insertKey(name) {
                let shown = TerminalText.safe(String(decoding: name.prefix(80), as: UTF8.self), multiLine: false)
                return (start, "the key \"\(shown)\" appears twice in one object; tools disagree on which value counts (Caseload, Python, jq), so keep one")
            }
            skipSpace()
            guard i < bytes.count, bytes[i] == 0x3A else { return (i, "\(describeHere()): expected ':' after the field name") }
            i += 1
            return nil
        }

        /// Adds a key to the innermost object; false when it is already there.
        mutating func insertKey(_ name: ArraySlice<UInt8>) -> Bool {
            let depth = frames.count - 1
            let base = frames[depth]
            let count = keys.count - base
            if count < Scanner.smallObject {
                for k in keys[base...] where k == name { return false }
                keys.append(name)
                if count + 1 == Scanner.smallObject { sets[depth] = Set(keys[base...]) }
                return true
            }
            guard sets[depth, default: []].insert(name).inserted else { return false }
            keys.append(name)
            return true
        }

        mutating func literal(_ word: String) -> (Int, String)? {
            for b in word.utf8 {
                guard i < bytes.count, bytes[i] == b else { return (i, "\(describeHere()): expected '\(word)'") }
                i += 1
            }
            return nil
        }

        mutating func number() -> (Int, String)? {
            if bytes[i] == 0x2D { i += 1 }
            func digits() -> Int { let s = i; while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }; return i - s }
            guard digits() > 0 else { return (i, "\(describeHere()): a number needs digits") }
            if i < bytes.count, bytes[i] == 0x2E { i += 1; guard digits() > 0 else { return (i, "\(describeHere()): digits must follow the decimal point") } }
            if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
                i += 1
                if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
                guard digits() > 0 else { return (i, "\(describeHere()): the exponent needs digits") }
            }
            return nil
        }

        mutating func string() -> (Int, String)? {
            let open = i
            stringHasControl = false; stringHasBreak = false
            i += 1
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x22 { i += 1; return nil }
                // DEL and C1 (0xC2 0x80–0x9F) may stand raw in JSON; C0 only as escapes, seen below.
                if b == 0x7F || (b == 0xC2 && i + 1 < bytes.count && (0x80...0x9F).contains(bytes[i + 1])) { stringHasControl = true }
                if b == 0x5C {
                    i += 1
                    guard i < bytes.count else { break }
                    let e = bytes[i]
                    if e == 0x75 {
                        var value: UInt32 = 0
                        for _ in 0..<4 {
                            i += 1
                            guard i < bytes.count, let digit = Character(UnicodeScalar(bytes[i])).hexDigitValue else {
                                return (i, "a \\u escape needs four hex digits")
                            }
                            value = value * 16 + UInt32(digit)
                        }
                        if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) { stringHasControl = true }
                    } else if e == 0x6E || e == 0x74 {
                        stringHasBreak = true
                    } else if e == 0x62 || e == 0x66 || e == 0x72 {
                        stringHasControl = true
                    } else if ![0x22, 0x5C, 0x2F].contains(e) {
                        return (i, "unknown escape '\\\(Character(UnicodeScalar(e)))' in a string")
                    }
                } else if b < 0x20 {
                    return (i, b == 0x0A ? "a string runs past the end of the line (missing '\"')" : "a control character inside a string")
                }
                i += 1
            }
            return (open, "a string is not closed (missing '\"')")
        }
    }
}

extension JSONSyntax {
    /// The text of a JSON string's contents (between the quotes, already checked by the scanner), escapes decoded.
    static func unescaped(_ raw: ArraySlice<UInt8>) -> String {
        let quoted = [0x22] + Array(raw) + [0x22]
        return (try? JSONDecoder().decode(String.self, from: Data(quoted))) ?? String(decoding: raw, as: UTF8.self)
    }
}

/// Finds where bytes stop being UTF-8.
enum UTF8Check {
    /// Offset of the first byte that is not part of valid UTF-8, or nil.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let need: Int
            var minScalar: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: need = 1; scalar = UInt32(b & 0x1F); minScalar = 0x80
            case 0xE0...0xEF: need = 2; scalar = UInt32(b & 0x0F); minScalar = 0x800
            case 0xF0...0xF4: need = 3; scalar = UInt32(b & 0x07); minScalar = 0x10000
            default: return i
            }
            guard i + need < n else { return i }
            for k in 1...need {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minScalar || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += need + 1
        }
        return nil
    }
}
