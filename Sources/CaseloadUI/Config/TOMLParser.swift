import CaseloadCore
import Foundation

// MARK: - Parser

final class TableNode {
    enum Origin { case implicit, header, dotted }
    var origin: Origin
    var order: [String] = []
    var children: [String: Entry] = [:]

    enum Entry {
        case value(TOMLValue)
        case table(TableNode)
    }

    init(origin: Origin) { self.origin = origin }

    func set(_ key: String, _ entry: Entry) {
        if children.updateValue(entry, forKey: key) == nil { order.append(key) }
    }

    func build() -> TOMLTable {
        var table = TOMLTable()
        for key in order {
            switch children[key] {
            case .value(let v): table[key] = v
            case .table(let node): table[key] = .table(node.build())
            case nil: break
            }
        }
        return table
    }
}

struct TOMLParser {
    private let s: [Unicode.Scalar]
    private var i = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String) {
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        s = scalars
    }

    static func isBareKeyScalar(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-": true
        default: false
        }
    }

    // MARK: Positions and errors

    private var column: Int { i - lineStart + 1 }
    private var current: Unicode.Scalar? { i < s.count ? s[i] : nil }
    private func peek(_ offset: Int) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

    private func error(_ message: String) -> TOMLError { TOMLError(line: line, column: column, message: message) }
    private func error(_ message: String, line: Int, column: Int) -> TOMLError { TOMLError(line: line, column: column, message: message) }

    private static func show(_ c: Unicode.Scalar?) -> String {
        guard let c else { return "the end of the file" }
        switch c {
        case "\n", "\r": return "the end of the line"
        case "\t": return "a tab"
        default:
            if c.value < 0x20 || c.value == 0x7F || (0x80..<0xA0).contains(c.value) {
                let hex = String(c.value, radix: 16, uppercase: true)
                return "control character U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
            return "'\(c)'"
        }
    }

    // MARK: Whitespace, comments, line ends

    private mutating func skipSpaces() {
        while let c = current, c == " " || c == "\t" { i += 1 }
    }

    /// At a line end (or EOF): consumes it. Returns false when not at one.
    private mutating func consumeNewline() -> Bool {
        if current == "\n" {
            i += 1; line += 1; lineStart = i
            return true
        }
        if current == "\r", peek(1) == "\n" {
            i += 2; line += 1; lineStart = i
            return true
        }
        return false
    }

    private mutating func skipComment() throws(TOMLError) {
        guard current == "#" else { return }
        while let c = current, c != "\n" {
            if c == "\r", peek(1) == "\n" { break }
            if (c.value < 0x20 && c != "\t") || c == "\u{7F}" {
                throw error("\(TOMLParser.show(c)) is not allowed in a comment")
            }
            i += 1
        }
    }

    /// After a value or header: only spaces and a comment may follow on the line.
    private mutating func expectLineEnd(after what: String) throws(TOMLError) {
        skipSpaces()
        try skipComment()
        if current == nil { return }
        if consumeNewline() { return }
        throw error("expected the end of the line after \(what), found \(TOMLParser.show(current))")
    }

    /// Spaces, newlines and comments inside an array.
    private mutating func skipArrayTrivia() throws(TOMLError) {
        while true {
            skipSpaces()
            try skipComment()
            if !consumeNewline() { return }
        }
    }

    // MARK: Document

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        let root = TableNode(origin: .header)
        var currentTable = root
        var currentPath: [String] = []
        while true {
            skipSpaces()
            try skipComment()
            guard let c = current else { break }
            if consumeNewline() { continue }
            if c == "[" {
                (currentTable, currentPath) = try parseHeader(root: root)
            } else if c == "=" {
                throw error("expected a key before =")
            } else {
                try parseKeyValue(into: currentTable, tablePath: currentPath)
            }
        }
        return root.build()
    }

    private mutating func parseHeader(root: TableNode) throws(TOMLError) -> (TableNode, [String]) {
        let headerLine = line, headerColumn = column
        i += 1 // [
        if current == "[" { throw error("arrays of tables ([[…]]) are not supported") }
        skipSpaces()
        let path = try parseKey()
        if path.count > TOML.maxKeyDepth {
            throw error("tables are nested more than \(TOML.maxKeyDepth) deep", line: headerLine, column: headerColumn)
        }
        skipSpaces()
        guard current == "]" else { throw error("expected ] to close the table header, found \(TOMLParser.show(current))") }
        i += 1
        try expectLineEnd(after: "the table header")

        var node = root
        for (depth, key) in path.enumerated() {
            // Only for messages: built when needed, so a long header costs linear time.
            var sofar: [String] { Array(path[...depth]) }
            let isLast = depth == path.count - 1
            switch node.children[key] {
            case .value:
                throw error("\(TOML.keyPath(sofar)) is already a value, not a table", line: headerLine, column: headerColumn)
            case .table(let child):
                if isLast {
                    switch child.origin {
                    case .header:
                        throw error("table [\(TOML.keyPath(sofar))] is defined twice", line: headerLine, column: headerColumn)
                    case .dotted:
                        throw error("table [\(TOML.keyPath(sofar))] was already defined with dotted keys", line: headerLine, column: headerColumn)
                    case .implicit:
                        child.origin = .header
                    }
                }
                node = child
            case nil:
                let child = TableNode(origin: isLast ? .header : .implicit)
                node.set(key, .table(child))
                node = child
            }
        }
        return (node, path)
    }

    private mutating func parseKeyValue(into table: TableNode, tablePath: [String]) throws(TOMLError) {
        let keyLine = line, keyColumn = column
        let path = try parseKey()
        // The last key names the value; the ones before it are tables.
        if tablePath.count + path.count - 1 > TOML.maxKeyDepth {
            throw error("tables are nested more than \(TOML.maxKeyDepth) deep", line: keyLine, column: keyColumn)
        }
        skipSpaces()
        guard current == "=" else {
            if current == nil || current == "\n" || current == "\r" || current == "#" {
                throw error("expected = after the key \(TOML.keyPath(path))")
            }
            throw error("expected = after the key \(TOML.keyPath(path)), found \(TOMLParser.show(current))")
        }
        i += 1
        skipSpaces()
        let value = try parseValue(depth: 0)
        try expectLineEnd(after: "the value")

        var node = table
        for (depth, key) in path.dropLast().enumerated() {
            var full: [String] { tablePath + path[...depth] }
            switch node.children[key] {
            case .value:
                throw error("\(TOML.keyPath(full)) is already a value, not a table", line: keyLine, column: keyColumn)
            case .table(let child):
                guard child.origin == .dotted else {
                    throw error("cannot add keys to table \(TOML.keyPath(full)) here: it is defined elsewhere", line: keyLine, column: keyColumn)
                }
                node = child
            case nil:
                let child = TableNode(origin: .dotted)
                node.set(key, .table(child))
                node = child
            }
        }
        // `path` is never empty: parseKey returns at least one key.
        let last = path[path.count - 1]
        if node.children[last] != nil {
            throw error("duplicate key \(TOML.keyPath(tablePath + path))", line: keyLine, column: keyColumn)
        }
        node.set(last, .value(value))
    }

    // MARK: Keys

    /// A dotted key: one or more simple keys joined by `.`, with optional spaces around the dots.
    private mutating func parseKey() throws(TOMLError) -> [String] {
        var parts = [try parseSimpleKey()]
        while true {
            let save = (i, line, lineStart)
            skipSpaces()
            if current == "." {
                i += 1
                skipSpaces()
                parts.append(try parseSimpleKey())
            } else {
                (i, line, lineStart) = save
                return parts
            }
        }
    }

    private mutating func parseSimpleKey() throws(TOMLError) -> String {
        guard let c = current else { throw error("expected a key, found the end of the file") }
        if c == "\"" {
            if peek(1) == "\"", peek(2) == "\"" { throw error("a key cannot be a multi-line string") }
            return try parseBasicString()
        }
        if c == "'" {
            if peek(1) == "'", peek(2) == "'" { throw error("a key cannot be a multi-line string") }
            return try parseLiteralString()
        }
        var key = ""
        while let c = current, TOMLParser.isBareKeyScalar(c) {
            key.unicodeScalars.append(c)
            i += 1
        }
        if key.isEmpty {
            throw error("expected a key (letters, digits, _ and -, or a quoted string), found \(TOMLParser.show(current))")
        }
        return key
    }

    // MARK: Values

    private mutating func parseValue(depth: Int) throws(TOMLError) -> TOMLValue {
        guard let c = current else { throw error("expected a value, found the end of the file") }
        switch c {
        case "\"":
            if peek(1) == "\"", peek(2) == "\"" { throw error("multi-line strings (\"\"\") are not supported") }
            return .string(try parseBasicString())
        case "'":
            if peek(1) == "'", peek(2) == "'" { throw error("multi-line strings (''') are not supported") }
            return .string(try parseLiteralString())
        case "[":
            return try parseArray(depth: depth + 1)
        case "{":
            throw error("inline tables ({…}) are not supported; use a [table] header")
        case "\n", "\r", "#":
            throw error("expected a value after =")
        default:
            return try parseBareValue()
        }
    }

    private mutating func parseArray(depth: Int) throws(TOMLError) -> TOMLValue {
        if depth > TOML.maxArrayDepth { throw error("arrays are nested more than \(TOML.maxArrayDepth) deep") }
        let openLine = line, openColumn = column
        i += 1 // [
        var items: [TOMLValue] = []
        while true {
            try skipArrayTrivia()
            guard let c = current else {
                throw error("unterminated array (opened at line \(openLine), column \(openColumn))")
            }
            if c == "]" { i += 1; return .array(items) }
            if c == "," { throw error("expected a value in the array, found ','") }
            items.append(try parseValue(depth: depth))
            try skipArrayTrivia()
            if current == "," { i += 1; continue }
            if current == "]" { i += 1; return .array(items) }
            if current == nil { throw error("unterminated array (opened at line \(openLine), column \(openColumn))") }
            throw error("expected , or ] in the array, found \(TOMLParser.show(current))")
        }
    }

    private static func isDisallowedInString(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t") || c.value == 0x7F
    }

    private mutating func parseBasicString() throws(TOMLError) -> String {
        let openLine = line, openColumn = column
        i += 1 // "
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current else {
                throw error("unterminated string (opened at line \(openLine), column \(openColumn))")
            }
            if c == "\"" { i += 1; return String(out) }
            if c == "\n" || c == "\r" {
                throw error("unterminated string (opened at line \(openLine), column \(openColumn)); strings end on the line they start")
            }
            if TOMLParser.isDisallowedInString(c) { throw error("\(TOMLParser.show(c)) in a string; write it as an escape") }
            if c != "\\" { out.append(c); i += 1; continue }
            let escapeColumn = column
            i += 1
            guard let e = current else {
                throw error("unterminated string (opened at line \(openLine), column \(openColumn))")
            }
            i += 1
            switch e {
            case "\"": out.append("\"")
            case "\\": out.append("\\")
            case "b": out.append("\u{08}")
            case "t": out.append("\t")
            case "n": out.append("\n")
            case "f": out.append("\u{0C}")
            case "r": out.append("\r")
            case "e": out.append("\u{1B}")
            case "u", "U":
                let count = e == "u" ? 4 : 8
                var value: UInt32 = 0
                for _ in 0..<count {
                    guard let h = current, let digit = TOMLParser.hexDigit(h) else {
                        throw error("\\\(e) needs \(count) hex digits", line: line, column: escapeColumn)
                    }
                    value = value &* 16 &+ digit
                    i += 1
                }
                guard let scalar = Unicode.Scalar(value) else {
                    throw error("\\\(e)\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value", line: line, column: escapeColumn)
                }
                out.append(scalar)
            default:
                let shown = e.value < 0x20 || e.value == 0x7F ? TOMLParser.show(e) : "\\\(e)"
                throw error("unknown escape \(shown) in a string (use \\\" \\\\ \\n \\t or \\uXXXX)", line: line, column: escapeColumn)
            }
        }
    }

    private static func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 0x30
        case "a"..."f": c.value - 0x61 + 10
        case "A"..."F": c.value - 0x41 + 10
        default: nil
        }
    }

    private mutating func parseLiteralString() throws(TOMLError) -> String {
        let openLine = line, openColumn = column
        i += 1 // '
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current else {
                throw error("unterminated string (opened at line \(openLine), column \(openColumn))")
            }
            if c == "'" { i += 1; return String(out) }
            if c == "\n" || c == "\r" {
                throw error("unterminated string (opened at line \(openLine), column \(openColumn)); strings end on the line they start")
            }
            if TOMLParser.isDisallowedInString(c) { throw error("\(TOMLParser.show(c)) in a string") }
            out.append(c)
            i += 1
        }
    }

    /// Booleans and numbers: read up to a delimiter, then decide what it is.
    private mutating func parseBareValue() throws(TOMLError) -> TOMLValue {
        let startColumn = column
        var token = ""
        while let c = current, !(c == " " || c == "\t" || c == "\n" || c == "\r" || c == "," || c == "]" || c == "#") {
            token.unicodeScalars.append(c)
            i += 1
            if token.unicodeScalars.count > 200 { break }
        }
        func fail(_ message: String) -> TOMLError { error(message, line: line, column: startColumn) }
        let shown = token.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(token.unicodeScalars.prefix(40))) + "…" : token
        if token == "true" { return .boolean(true) }
        if token == "false" { return .boolean(false) }
        if let value = TOMLParser.number(token) { return value }
        if TOMLParser.looksLikeOverflow(token) { throw fail("\(shown) is too large for an integer") }
        if token.contains(":") || TOMLParser.looksLikeDate(token) {
            throw fail("\(shown) is not a value here: dates and times are not supported; write it as a string, e.g. \"\(shown)\"")
        }
        if token.isEmpty { throw fail("expected a value, found \(TOMLParser.show(current))") }
        throw fail("\(shown) is not a value (strings need quotes: \"\(shown)\")")
    }

    private static func looksLikeDate(_ t: String) -> Bool {
        let u = Array(t.utf8)
        return u.count >= 10 && u[4] == UInt8(ascii: "-") && u[7] == UInt8(ascii: "-")
            && u[0..<4].allSatisfy { (0x30...0x39).contains($0) }
    }

    private static func looksLikeOverflow(_ t: String) -> Bool {
        var body = Substring(t)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let digits = body.filter { $0 != "_" }
        return digits.count > 18 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// An integer or float per TOML's rules, or nil.
    static func number(_ token: String) -> TOMLValue? {
        var body = Substring(token)
        var sign = ""
        if let f = body.first, f == "+" || f == "-" {
            sign = String(f)
            body = body.dropFirst()
        }
        switch body {
        case "inf": return .float(sign == "-" ? -.infinity : .infinity)
        case "nan": return .float(.nan)
        default: break
        }
        guard !body.isEmpty else { return nil }

        // Prefixed integers: no sign allowed.
        if body.count > 2, body.hasPrefix("0x") || body.hasPrefix("0o") || body.hasPrefix("0b") {
            guard sign.isEmpty else { return nil }
            let radix = body.hasPrefix("0x") ? 16 : body.hasPrefix("0o") ? 8 : 2
            guard let digits = underscoredDigits(body.dropFirst(2), radix: radix),
                  let value = Int(digits, radix: radix) else { return nil }
            return .integer(value)
        }

        // Decimal: int part, optional fraction, optional exponent.
        var intPart = body, fraction: Substring?, exponent: Substring?
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            intPart = body[..<e]
            exponent = body[body.index(after: e)...]
        }
        if let dot = intPart.firstIndex(of: ".") {
            fraction = intPart[intPart.index(after: dot)...]
            intPart = intPart[..<dot]
        }
        guard let intDigits = underscoredDigits(intPart, radix: 10) else { return nil }
        if intDigits.count > 1, intDigits.first == "0" { return nil } // no leading zeros
        var literal = sign + intDigits
        if fraction == nil, exponent == nil {
            guard let value = Int(literal) else { return nil }
            return .integer(value)
        }
        if let fraction {
            guard let digits = underscoredDigits(fraction, radix: 10) else { return nil }
            literal += "." + digits
        }
        if var exponent {
            var expSign = ""
            if let f = exponent.first, f == "+" || f == "-" { expSign = String(f); exponent = exponent.dropFirst() }
            guard let digits = underscoredDigits(exponent, radix: 10) else { return nil }
            literal += "e" + expSign + digits
        }
        guard let value = Double(literal), value.isFinite else { return nil }
        return .float(value)
    }

    /// Digits of a radix with single underscores only between digits; returns them without underscores.
    private static func underscoredDigits(_ text: Substring, radix: Int) -> String? {
        guard let first = text.first, let last = text.last, first != "_", last != "_" else { return nil }
        var out = ""
        var previousUnderscore = false
        for c in text {
            if c == "_" {
                if previousUnderscore { return nil }
                previousUnderscore = true
                continue
            }
            guard c.isASCII, let d = c.hexDigitValue, d < radix else { return nil }
            previousUnderscore = false
            out.append(c)
        }
        return out
    }
}
