import CaseloadCore
import Foundation

/// A document as read from disk, with the version it was written in.
public struct DecodedDocument: Sendable {
    public var document: CaseloadDocument
    /// The `schemaVersion` found in the file (before any migration).
    public var fileVersion: Int
    /// Where each top-level entity's bytes are in the file read; nil when it was migrated (the document is not those bytes).
    public var ranges: EntityRanges? = nil
    /// The bytes read, which `ranges` and the note texts kept as slices point into; nil when migrated.
    public var source: SourceBytes? = nil
    /// The audit trail's keys and the trail's length at the last save (issue 17); nil before the first save that kept one.
    public var audit: AuditSeal? = nil
    /// Migrated forward from an older version on load.
    public var wasMigrated: Bool { fileVersion < DocumentCodec.currentVersion }
    /// Written by a newer Caseload: readable, never to be written.
    public var isNewer: Bool { fileVersion > DocumentCodec.currentVersion }
}

/// The document file's JSON: stable bytes out (sorted keys, pretty-printed, one date format), precise errors in.
/// Reads the file's bytes straight into the model (`DocumentReader`) and writes the model straight to bytes
/// (`DocumentWriter`); Foundation's Codable is only the tests' reference (`ReferenceCodec`). An older version is brought
/// forward by `Migrations` (through `JSONSerialization`) and the result read as the current one.
public enum DocumentCodec {
    public static let formatName = "caseload"
    /// 2 added the `audit` member (issue 17); a version 1 file reads as it is (it has none), and is backed up before
    /// the first save writes version 2, which an older Caseload opens read-only.
    public static let currentVersion = 2
    /// Versions whose files the current reader reads as they are, without a migration through `JSONSerialization`.
    static let readAsCurrent: ClosedRange<Int> = 1...currentVersion

    /// Encodes the latest schema: `encode(decode(encode(d)))` is byte-identical to `encode(d)`.
    public static func encode(_ document: CaseloadDocument) throws(StoreError) -> Data {
        DocumentWriter.encode(document)
    }

    /// Encodes the document with its audit seal (the demo's trail, tests).
    public static func encode(_ document: CaseloadDocument, audit: AuditSeal?) -> Data {
        DocumentWriter.encode(document, audit: audit)
    }

    /// One top-level entity's bytes exactly as they stand in a whole file written by `encode` (from its `{` to its `}`).
    public static func encode(_ entity: DocumentEntity) -> [UInt8] {
        DocumentWriter.encode(entity)
    }

    /// Decodes a file's bytes. `path` is only used in messages. Older versions are migrated; a newer one is decoded as far as this version understands it and flagged `isNewer`.
    public static func decode(_ data: Data, path: String) throws(StoreError) -> DecodedDocument {
        guard !data.isEmpty else { throw .empty(path: path) }
        guard data.count <= Limits.fileBytes else { throw tooLarge(data.count, path: path) }
        return try decode(SourceBytes(copying: data), path: path)
    }

    /// Decodes bytes that are kept: long note texts stay slices of them, and `ranges` point into them.
    public static func decode(_ source: SourceBytes, path: String) throws(StoreError) -> DecodedDocument {
        guard source.count > 0 else { throw .empty(path: path) }
        guard source.count <= Limits.fileBytes else { throw tooLarge(source.count, path: path) }
        return try decode(source.base, count: source.count, source: source, path: path)
    }

    private static func tooLarge(_ count: Int, path: String) -> StoreError {
        .notADocument(path: path, detail: "it is \(count) bytes, more than the \(Limits.fileBytes / 1_048_576) MiB a document may be (see Limits in FORMAT.md)")
    }

    private static func decode(_ base: UnsafePointer<UInt8>, count: Int, source: SourceBytes, path: String) throws(StoreError) -> DecodedDocument {
        let outcome: ReadOutcome
        do {
            outcome = try DocumentReader.read(base, count: count, source: source)
        } catch {
            return try recover(from: error, base: base, count: count, data: source.data, path: path)
        }
        let version = try checkEnvelope(format: outcome.format, version: outcome.version, path: path)
        if readAsCurrent.contains(version), let document = outcome.document {
            let decoded = DecodedDocument(document: document, fileVersion: version, ranges: outcome.ranges, source: source, audit: outcome.audit)
            return try checked(decoded, path: path, text: outcome.textNeedsCheck)
        }
        if version > currentVersion {
            // Newer: what we understand, read-only; if even that fails, say it is newer rather than "broken".
            guard let document = outcome.document, let decoded = try? checked(DecodedDocument(document: document, fileVersion: version, audit: outcome.audit), path: path) else {
                throw .newerVersion(path: path, found: version, supported: currentVersion)
            }
            return decoded
        }
        return try migrated(source.data, from: version, path: path)
    }

    /// A file whose members did not read: the first of these that applies is what the user is told, in this order —
    /// bytes that are not UTF-8, text that is not JSON, not a Caseload document, a version this reader does not read
    /// as the current one, and only then the field that did not read.
    private static func recover(from failure: ReadFailure, base: UnsafePointer<UInt8>, count: Int, data: Data, path: String) throws(StoreError) -> DecodedDocument {
        if let bad = UTF8Check.firstInvalidOffset(base, count: count) {
            let (line, column) = JSONSyntax.position(of: bad, in: base, count: count)
            throw .invalidUTF8(path: path, line: line, column: column)
        }
        var whole = JSONReader(base, count: count)
        do {
            try whole.skipDocument()
        } catch {
            throw describe(error, path: path, base: base, count: count)
        }
        let envelope = DocumentReader.envelope(base, count: count)
        guard envelope.isObject else {
            throw .notADocument(path: path, detail: "the top level must be a JSON object { … }, \(envelope.found)")
        }
        let version = try checkEnvelope(format: envelope.format, version: envelope.version, path: path)
        if version > currentVersion { throw .newerVersion(path: path, found: version, supported: currentVersion) }
        if version < readAsCurrent.lowerBound { return try migrated(data, from: version, path: path) }
        throw describe(failure, path: path, base: base, count: count)
    }

    /// The version of a Caseload file, or the error for a file that is not one or whose version is not a version.
    private static func checkEnvelope(format: String?, version: Int?, path: String) throws(StoreError) -> Int {
        guard format == formatName else {
            throw .notADocument(path: path, detail: format.map { "its format is \"\(TerminalText.safe(String($0.prefix(30)), multiLine: false))\", not \"\(formatName)\"" } ?? "the \"format\": \"\(formatName)\" field is missing")
        }
        guard let version else { throw .badVersion(path: path, detail: "the schemaVersion field is missing") }
        guard version >= 0 else { throw .badVersion(path: path, detail: "schemaVersion must be a whole number 0 or more") }
        return version
    }

    /// An older version brought forward to the current one (through `JSONSerialization`, see `Migrations`), then read.
    private static func migrated(_ data: Data, from version: Int, path: String) throws(StoreError) -> DecodedDocument {
        let bytes = try Migrations.migrate(data, from: version, path: path)
        let shown = path + " (migrated from version \(version))"
        let result: Result<ReadOutcome, StoreError> = bytes.withUnsafeBytes { raw in
            let b = raw.bindMemory(to: UInt8.self)
            guard let base = b.baseAddress else { return .failure(.empty(path: shown)) }
            do throws(ReadFailure) {
                return .success(try DocumentReader.read(base, count: b.count))
            } catch {
                return .failure(describe(error, path: shown, base: base, count: b.count))
            }
        }
        guard let document = try result.get().document else {
            throw .io(path: path, operation: "migrate from version \(version)", reason: "the migrated document has no format or version")
        }
        return try checked(DecodedDocument(document: document, fileVersion: version), path: path)
    }

    private static func checked(_ decoded: DecodedDocument, path: String, text: Bool = true) throws(StoreError) -> DecodedDocument {
        let issues = Validator.check(decoded.document, text: text)
        guard issues.isEmpty else { throw .invalidDocument(path: path, issues: issues.map(\.description)) }
        return decoded
    }

    /// Names the file and the place of a reader's failure.
    static func describe(_ failure: ReadFailure, path: String, base: UnsafePointer<UInt8>, count: Int) -> StoreError {
        switch failure {
        case .syntax(let offset, let message):
            let (line, column) = JSONSyntax.position(of: offset, in: base, count: count)
            return .malformedJSON(path: path, line: line, column: column, detail: message)
        case .invalidUTF8(let offset):
            let (line, column) = JSONSyntax.position(of: UTF8Check.firstInvalidOffset(base, count: count) ?? offset, in: base, count: count)
            return .invalidUTF8(path: path, line: line, column: column)
        case .field(let steps, let detail):
            return .invalidField(path: path, field: ReadFailure.fieldPath(steps), detail: detail)
        }
    }
}
