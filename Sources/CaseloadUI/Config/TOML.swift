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
