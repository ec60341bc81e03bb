import CaseloadCore
import Foundation

/// One TOML value, as far as Caseload's subset goes (no dates, no inline tables, no arrays of tables).
public enum TOMLValue: Equatable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var integerValue: Int? { if case .integer(let i) = self { i } else { nil } }
    /// A float, or an integer read as one.
    public var doubleValue: Double? {
        switch self {
        case .float(let d): d
        case .integer(let i): Double(i)
        default: nil
        }
    }
    public var boolValue: Bool? { if case .boolean(let b) = self { b } else { nil } }
    public var arrayValue: [TOMLValue]? { if case .array(let a) = self { a } else { nil } }
    public var tableValue: TOMLTable? { if case .table(let t) = self { t } else { nil } }

    /// "a string", "an integer", …: for messages.
    public var kindDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .array: "an array"
        case .table: "a table"
        }
    }

    /// The value written as TOML (tables inline), for messages.
    public var description: String {
        switch self {
        case .string(let s): TOML.quoted(s)
        case .integer(let i): String(i)
        case .float(let d):
            if d.isNaN { "nan" } else if d.isInfinite { d < 0 ? "-inf" : "inf" } else { String(d) }
        case .boolean(let b): b ? "true" : "false"
        case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .table(let t): "{" + t.keys.map { "\(TOML.key($0)) = \(t[$0]?.description ?? "")" }.joined(separator: ", ") + "}"
        }
    }
}

/// A TOML table: keys in the order the file gives them, each with its value.
public struct TOMLTable: Equatable, Sendable {
    /// The keys in file order.
    public private(set) var keys: [String] = []
    private var storage: [String: TOMLValue] = [:]

    public init() {}
    public init(_ pairs: [(String, TOMLValue)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> TOMLValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The value at a path of keys through nested tables, e.g. `["roles", "titleBar", "fg"]`.
    public subscript(path path: [String]) -> TOMLValue? {
        guard let first = path.first else { return .table(self) }
        guard let value = storage[first] else { return nil }
        if path.count == 1 { return value }
        return value.tableValue?[path: Array(path.dropFirst())]
    }

    /// Equal when they hold the same keys and values, whatever the order.
    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool { lhs.storage == rhs.storage }
}

/// What was wrong with a TOML text, and where (1-based line and column, columns counted in Unicode scalars).
public struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line; self.column = column; self.message = message
    }

    /// "line 3, column 7: expected = after the key".
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A parser for the TOML subset Caseload's theme and config files use.
///
/// Supported: comments; `key = value` with bare, quoted and dotted keys; `[table]` and `[a.b]` headers;
/// basic strings (escapes `\" \\ \b \t \n \f \r \e \uXXXX \UXXXXXXXX`) and literal strings; integers
/// (with `_`, and `0x`/`0o`/`0b`); floats (with `inf` and `nan`); booleans; arrays of those, which may
/// span lines. Not supported, and reported as errors: multi-line strings, dates and times, inline
/// tables and arrays of tables. Duplicate keys and tables are errors. No input makes it crash.
public enum TOML {
    /// How deeply arrays may nest before the text is refused (keeps the parser's recursion bounded).
    public static let maxArrayDepth = 64
    /// How deeply tables may nest (`[a.b.c]` is 3; `d.e = 1` inside it makes 4): keeps
    /// building and comparing tables, which recurse once per level, far from the stack's end. Caseload's files need 3.
    public static let maxKeyDepth = 64
    /// The largest config or theme file read, in UTF-8 bytes; Caseload's own are a few KiB.
    public static let maxBytes = 1_048_576

    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        guard text.utf8.count <= maxBytes else {
            throw TOMLError(line: 1, column: 1, message: "the file is \(text.utf8.count) bytes; the most read is \(maxBytes) (1 MiB)")
        }
        var parser = TOMLParser(text)
        return try parser.parseDocument()
    }

    /// A key as TOML writes it: bare when it can be, quoted otherwise.
    public static func key(_ key: String) -> String {
        !key.isEmpty && key.unicodeScalars.allSatisfy(TOMLParser.isBareKeyScalar) ? key : quoted(key)
    }

    /// Dotted key path as TOML writes it: `roles.titleBar.fg`.
    public static func keyPath(_ path: [String]) -> String { path.map(key).joined(separator: ".") }

    /// A basic string literal with escapes.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

// MARK: - Parser

private final class TableNode {
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

fileprivate struct TOMLParser {
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

// MARK: - Reading files

extension TOML {
    /// A config or theme file as read: its text when usable, and a warning when it exists but cannot be used.
    public struct FileRead: Equatable, Sendable {
        public var text: String?
        public var warning: String?
        public init(text: String? = nil, warning: String? = nil) { self.text = text; self.warning = warning }
    }

    /// Reads a config or theme file at most `maxBytes` long. A missing file is silent (nil text, no warning); one that
    /// cannot be read, is too large or is not UTF-8 gives a warning naming the file (and the line and column of the first
    /// bad byte), so a setting is never dropped without saying so.
    public static func readFile(_ path: String) -> FileRead {
        guard FileManager.default.fileExists(atPath: path) else { return FileRead() }
        let shown = TerminalText.safe(path, multiLine: false)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return FileRead(warning: "\(shown): cannot be read (check its owner and mode); its settings are ignored")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // One byte more than allowed tells "too large" without reading a huge file whole.
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            return FileRead(warning: "\(shown): cannot be read (\(error.localizedDescription)); its settings are ignored")
        }
        if data.count > maxBytes {
            return FileRead(warning: "\(shown): larger than \(maxBytes) bytes (1 MiB); its settings are ignored")
        }
        if let (line, column) = utf8ErrorPosition(data) {
            return FileRead(warning: "\(shown):\(line):\(column): not valid UTF-8 text; its settings are ignored")
        }
        return FileRead(text: String(decoding: data, as: UTF8.self))
    }

    /// Line and column (1-based, columns in Unicode scalars) of the first byte that is not UTF-8, or nil when all is.
    static func utf8ErrorPosition(_ data: Data) -> (Int, Int)? {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput: return nil
            case .error: return (line, column)
            }
        }
    }
}
