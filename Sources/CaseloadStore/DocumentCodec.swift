import CaseloadCore
import Foundation

/// A document as read from disk, with the version it was written in.
public struct DecodedDocument: Sendable {
    public var document: CaseloadDocument
    /// The `schemaVersion` found in the file (before any migration).
    public var fileVersion: Int
    /// Migrated forward from an older version on load.
    public var wasMigrated: Bool { fileVersion < DocumentCodec.currentVersion }
    /// Written by a newer Caseload: readable, never to be written.
    public var isNewer: Bool { fileVersion > DocumentCodec.currentVersion }
}

/// The document file's JSON: stable bytes out (sorted keys, pretty-printed, one date format), precise errors in.
public enum DocumentCodec {
    public static let formatName = "caseload"
    public static let currentVersion = 1

    /// Encodes the latest schema: `encode(decode(encode(d)))` is byte-identical to `encode(d)`.
    public static func encode(_ document: CaseloadDocument) throws(StoreError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(DocumentFile(document: document))
            data.append(0x0A)
            return data
        } catch {
            return try fail(StoreError.io(path: "(document)", operation: "encode", reason: String(describing: error)))
        }
    }

    private static func fail<T>(_ error: StoreError) throws(StoreError) -> T { throw error }

    /// Decodes a file's bytes. `path` is only used in messages. Older versions are migrated; a newer one is decoded as far as this version understands it and flagged `isNewer`.
    public static func decode(_ data: Data, path: String) throws(StoreError) -> DecodedDocument {
        guard !data.isEmpty else { throw .empty(path: path) }
        guard data.count <= Limits.fileBytes else {
            throw .notADocument(path: path, detail: "it is \(data.count) bytes, more than the \(Limits.fileBytes / 1_048_576) MiB a document may be (see Limits in FORMAT.md)")
        }
        // Before Foundation: refuses duplicate keys and absurd nesting, which it would let through, with their position.
        let textNeedsCheck = try checkSyntax([UInt8](data), path: path)
        let version: Int
        do {
            let file = try decodeFile(data, acceptVersion: { $0 == currentVersion })
            return try checked(DecodedDocument(document: file.document, fileVersion: currentVersion), path: path, text: textNeedsCheck)
        } catch let signal as VersionSignal {
            switch signal {
            case .notCaseload(let found):
                throw .notADocument(path: path, detail: found.map { "its format is \"\($0.prefix(30))\", not \"\(formatName)\"" } ?? "the \"format\": \"\(formatName)\" field is missing")
            case .bad(let detail):
                throw .badVersion(path: path, detail: detail)
            case .version(let found):
                version = found
            }
        } catch let error as DecodingError {
            // Only a refused file pays for the byte-level checks that locate the problem.
            throw describe(error, path: path, bytes: [UInt8](data))
        } catch let error as StoreError {
            throw error
        } catch {
            throw .io(path: path, operation: "read", reason: String(describing: error))
        }

        if version > currentVersion {
            // Newer: read what we understand, read-only; if even that fails, say it is newer rather than "broken".
            do {
                let file = try decodeFile(data, acceptVersion: { _ in true })
                return try checked(DecodedDocument(document: file.document, fileVersion: version), path: path)
            } catch {
                throw .newerVersion(path: path, found: version, supported: currentVersion)
            }
        }
        let migrated = try Migrations.migrate(data, from: version, path: path)
        do {
            let file = try decodeFile(migrated, acceptVersion: { $0 == currentVersion })
            return try checked(DecodedDocument(document: file.document, fileVersion: version), path: path)
        } catch let error as DecodingError {
            throw describe(error, path: path + " (migrated from version \(version))", bytes: [UInt8](migrated))
        } catch {
            throw .io(path: path, operation: "migrate from version \(version)", reason: String(describing: error))
        }
    }

    /// Refuses text that is not JSON, repeats a key in an object or nests too deeply, naming the line and column.
    /// Returns whether some text in it may break the text rules, so validation must walk the texts.
    static func checkSyntax(_ bytes: [UInt8], path: String) throws(StoreError) -> Bool {
        let scan = JSONSyntax.scan(bytes)
        guard let failure = scan.failure else { return scan.textNeedsCheck }
        // Invalid UTF-8 is the likelier cause of a syntax error inside a string: say that first.
        if let bad = UTF8Check.firstInvalidOffset(bytes) {
            let (line, column) = JSONSyntax.position(of: bad, in: bytes)
            throw .invalidUTF8(path: path, line: line, column: column)
        }
        throw .malformedJSON(path: path, line: failure.line, column: failure.column, detail: failure.message)
    }

    private static func decodeFile(_ data: Data, acceptVersion: @escaping @Sendable (Int) -> Bool) throws -> DocumentFile {
        let decoder = JSONDecoder()
        decoder.userInfo[DocumentFile.acceptVersionKey] = VersionGate(accept: acceptVersion)
        return try decoder.decode(DocumentFile.self, from: data)
    }

    private static func checked(_ decoded: DecodedDocument, path: String, text: Bool = true) throws(StoreError) -> DecodedDocument {
        let issues = Validator.check(decoded.document, text: text)
        guard issues.isEmpty else { throw .invalidDocument(path: path, issues: issues.map(\.description)) }
        return decoded
    }

    /// Turns Foundation's decoding error into one that names the file and the place.
    static func describe(_ error: DecodingError, path: String, bytes: [UInt8]) -> StoreError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // Foundation refuses invalid UTF-8 as "not valid JSON"; say which it is, and where.
            if let bad = UTF8Check.firstInvalidOffset(bytes) {
                let (line, column) = JSONSyntax.position(of: bad, in: bytes)
                return .invalidUTF8(path: path, line: line, column: column)
            }
            if let failure = JSONSyntax.firstError(in: bytes) {
                return .malformedJSON(path: path, line: failure.line, column: failure.column, detail: failure.message)
            }
            return .malformedJSON(path: path, line: 1, column: 1, detail: context.debugDescription)
        case .dataCorrupted(let context):
            return .invalidField(path: path, field: fieldPath(context.codingPath), detail: context.debugDescription)
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                return .notADocument(path: path, detail: "the top level must be a JSON object { … }, \(found(in: context.debugDescription))")
            }
            return .invalidField(path: path, field: fieldPath(context.codingPath), detail: "expected \(friendlyName(type)), \(found(in: context.debugDescription))")
        case .valueNotFound(let type, let context):
            return .invalidField(path: path, field: fieldPath(context.codingPath), detail: "expected \(friendlyName(type)), found null")
        case .keyNotFound(let key, let context):
            return .invalidField(path: path, field: fieldPath(context.codingPath + [key]), detail: "this field is required but missing")
        @unknown default:
            return .malformedJSON(path: path, line: 1, column: 1, detail: String(describing: error))
        }
    }

    /// `patients[3].status.state` from a coding path.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "(top level)" : text
    }

    private static func friendlyName(_ type: Any.Type) -> String {
        if type == String.self { return "text in double quotes" }
        if type == Int.self || type == Int64.self { return "a whole number" }
        if type == Bool.self { return "true or false" }
        if type == Double.self { return "a number" }
        let name = String(describing: type)
        if name.hasPrefix("Array") { return "a list [ … ]" }
        return "an object { … }"
    }

    /// "found a string" from Foundation's "Expected to decode X but found a string instead."
    private static func found(in description: String) -> String {
        guard let range = description.range(of: "but found ") else { return "found something else" }
        let rest = description[range.upperBound...]
        let what = rest.range(of: " instead").map { rest[..<$0.lowerBound] } ?? rest
        return "found " + what.replacingOccurrences(of: "an array", with: "a list").replacingOccurrences(of: "a dictionary", with: "an object")
    }
}

/// What the envelope check found, thrown out of decoding so the version is known after one parse.
enum VersionSignal: Error {
    case notCaseload(found: String?)
    case bad(String)
    case version(Int)
}

/// Which versions the current decode accepts (passed through the decoder's user info).
struct VersionGate: Sendable {
    let accept: @Sendable (Int) -> Bool
}

/// The file's top level in the current schema.
struct DocumentFile: Codable {
    static let acceptVersionKey = CodingUserInfoKey(rawValue: "caseload.acceptVersion")!

    var document: CaseloadDocument

    init(document: CaseloadDocument) { self.document = document }

    enum CodingKeys: String, CodingKey { case format, schemaVersion, program, staff, patients, series, sessions }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let format = try? c.decode(String.self, forKey: .format)
        guard format == DocumentCodec.formatName else { throw VersionSignal.notCaseload(found: format) }
        guard c.contains(.schemaVersion) else { throw VersionSignal.bad("the schemaVersion field is missing") }
        guard let version = try? c.decode(Int.self, forKey: .schemaVersion), version >= 0 else {
            throw VersionSignal.bad("schemaVersion must be a whole number 0 or more")
        }
        let gate = decoder.userInfo[DocumentFile.acceptVersionKey] as? VersionGate
        guard gate?.accept(version) ?? (version == DocumentCodec.currentVersion) else { throw VersionSignal.version(version) }
        document = CaseloadDocument(
            program: try c.decode(Program.self, forKey: .program),
            staff: try c.decode([Staff].self, forKey: .staff),
            patients: try c.decode([Patient].self, forKey: .patients),
            series: try c.decode([Series].self, forKey: .series),
            sessions: try c.decode([Session].self, forKey: .sessions)
        )
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(DocumentCodec.formatName, forKey: .format)
        try c.encode(DocumentCodec.currentVersion, forKey: .schemaVersion)
        try c.encode(document.program, forKey: .program)
        try c.encode(document.staff, forKey: .staff)
        try c.encode(document.patients, forKey: .patients)
        try c.encode(document.series, forKey: .series)
        try c.encode(document.sessions, forKey: .sessions)
    }
}
