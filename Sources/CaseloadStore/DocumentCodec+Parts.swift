import CaseloadCore
import Foundation

/// A document's top-level entities as their canonical bytes (`DocumentCodec.encode(_ entity:)`), in document order:
/// what a home that keeps each entity on its own (the database, issue 20) holds, and assembles into a whole file.
public struct DocumentParts: Sendable {
    public var program: [UInt8]
    public var staff: [[UInt8]]
    public var patients: [[UInt8]]
    public var series: [[UInt8]]
    public var sessions: [[UInt8]]

    public init(program: [UInt8], staff: [[UInt8]] = [], patients: [[UInt8]] = [], series: [[UInt8]] = [], sessions: [[UInt8]] = []) {
        self.program = program; self.staff = staff; self.patients = patients; self.series = series; self.sessions = sessions
    }

    /// Every entity's bytes, in the order the file holds them.
    var byteCount: Int {
        program.count + [staff, patients, series, sessions].reduce(0) { sum, list in list.reduce(sum) { $0 + $1.count } }
    }
}

extension DocumentCodec {
    /// The whole file from its entities' bytes: byte-identical to `encode(document, audit:)` when each part is that
    /// entity's `encode(_ entity:)`, since the writer makes the same calls around bytes it would have written itself
    /// (an entity's bytes do not depend on its neighbours; see `IncrementalWriter`).
    public static func assemble(_ parts: DocumentParts, audit: AuditSeal?) -> Data {
        var ranges = EntityRanges(program: 0..<0, staff: [], patients: [], series: [], sessions: [])
        return assemble(parts, audit: audit, ranges: &ranges)
    }

    /// Assembles the parts and reads the result back, checking that each part stood as exactly one entity: a part that
    /// is not one JSON object (a stored row written by hand, say) is refused rather than read as some other shape.
    /// `path` names where the parts came from in messages.
    public static func decode(_ parts: DocumentParts, audit: AuditSeal?, path: String) throws(StoreError) -> DecodedDocument {
        var expected = EntityRanges(program: 0..<0, staff: [], patients: [], series: [], sessions: [])
        let data = assemble(parts, audit: audit, ranges: &expected)
        let decoded = try decode(SourceBytes(copying: data), path: path)
        guard decoded.ranges == expected else {
            throw .notADocument(path: path, detail: "a stored entity is not one JSON object of its kind (\(firstMismatch(decoded.ranges, expected)))")
        }
        return decoded
    }

    private static func assemble(_ parts: DocumentParts, audit: AuditSeal?, ranges: inout EntityRanges) -> Data {
        var w = JSONWriter(capacity: 4096 + parts.byteCount + 16 * (parts.staff.count + parts.patients.count + parts.series.count + parts.sessions.count), level: 0)
        // Each list as `DocumentWriter.encode` writes it, the element's bytes copied where it would encode them.
        func list(_ items: [[UInt8]], _ w: inout JSONWriter) -> [Range<Int>] {
            var spans: [Range<Int>] = []
            spans.reserveCapacity(items.count)
            w.array(items) { w, bytes in
                let start = w.count
                w.raw(bytes)
                spans.append(start..<w.count)
            }
            return spans
        }
        w.beginObject()
        if let audit { w.key("audit"); w.auditSeal(audit) }
        w.key("format"); w.string(formatName)
        w.key("patients"); ranges.patients = list(parts.patients, &w)
        w.key("program")
        let programStart = w.count
        w.raw(parts.program)
        ranges.program = programStart..<w.count
        w.key("schemaVersion"); w.int(currentVersion)
        w.key("series"); ranges.series = list(parts.series, &w)
        w.key("sessions"); ranges.sessions = list(parts.sessions, &w)
        w.key("staff"); ranges.staff = list(parts.staff, &w)
        w.endObject()
        w.byte(0x0A)
        return w.data()
    }

    /// Names the first entity whose bytes did not read as one entity, for the message.
    private static func firstMismatch(_ found: EntityRanges?, _ expected: EntityRanges) -> String {
        guard let found else { return "the document's entities could not be placed" }
        if found.program != expected.program { return "the program" }
        for (name, f, e) in [("staff", found.staff, expected.staff), ("patients", found.patients, expected.patients),
                             ("series", found.series, expected.series), ("sessions", found.sessions, expected.sessions)] {
            guard f.count == e.count else { return "\(name): \(e.count) stored, \(f.count) read" }
            if let k = f.indices.first(where: { f[$0] != e[$0] }) { return "\(name)[\(k)]" }
        }
        return "the document's entities could not be placed"
    }

    /// The audit seal's JSON on its own (as the `audit` member of a file, but at the top level): what a home that keeps
    /// the seal apart from the entities stores.
    public static func encode(auditSeal: AuditSeal) -> [UInt8] {
        var w = JSONWriter(capacity: 512, level: 0)
        w.auditSeal(auditSeal)
        return w.bytes()
    }

    /// Reads `encode(auditSeal:)`'s bytes back, with the same checks as a file's `audit` member. `path` names where
    /// the bytes came from in messages.
    public static func decodeAuditSeal(_ bytes: [UInt8], path: String = "the audit seal") throws(StoreError) -> AuditSeal {
        guard !bytes.isEmpty else { throw .empty(path: path) }
        let result: Result<AuditSeal, StoreError> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .failure(.empty(path: path)) }
            var r = JSONReader(base, count: buffer.count)
            do throws(ReadFailure) {
                r.skipSpace()
                let seal = try r.auditSeal()
                try r.end()
                return .success(seal)
            } catch {
                if let bad = UTF8Check.firstInvalidOffset(base, count: buffer.count) {
                    let (line, column) = JSONSyntax.position(of: bad, in: base, count: buffer.count)
                    return .failure(.invalidUTF8(path: path, line: line, column: column))
                }
                return .failure(describe(error, path: path, base: base, count: buffer.count))
            }
        }
        return try result.get()
    }
}

extension EncryptedDocument {
    /// The header's bytes exactly as an encrypted file starts (magic, version, KDF parameters, key slots), without a
    /// body: what a home that seals each entity apart keeps; `parseHeaderOnly` reads them back.
    public static func headerBytes(_ header: Header) -> [UInt8] {
        header.encoded()
    }
}

extension DocumentCodec {
    /// The entities of `parts`, each read as the file reader reads it (every field checked), without the checks across
    /// the document (a session's patients need not be among them): for patching a document already read with the few
    /// entities another instance changed (the database home's pick-up, issue 20). The caller checks the patched
    /// document whole; `textNeedsCheck` says whether these entities' texts need the text rules checked too (the reader
    /// saw every text in their bytes follow them when false, as it does for a file).
    public static func decodeEntities(_ parts: DocumentParts, path: String) throws(StoreError) -> (document: CaseloadDocument, textNeedsCheck: Bool) {
        var expected = EntityRanges(program: 0..<0, staff: [], patients: [], series: [], sessions: [])
        let data = assemble(parts, audit: nil, ranges: &expected)
        let source = SourceBytes(copying: data)
        let outcome: ReadOutcome
        do { outcome = try DocumentReader.read(source.base, count: source.count, source: source) } catch {
            throw describe(error, path: path, base: source.base, count: source.count)
        }
        guard let document = outcome.document, outcome.ranges == expected else {
            throw .notADocument(path: path, detail: "a stored entity is not one JSON object of its kind")
        }
        return (document, outcome.textNeedsCheck)
    }
}
