import CaseloadCore
import Foundation

/// The document file through Foundation's Codable, as Caseload read and wrote it before its own reader and writer:
/// kept only as the reference the tests and the benchmark compare `DocumentCodec` with, never on the load or save path.
enum ReferenceCodec {
    /// The canonical bytes: sorted keys, pretty-printed, slashes unescaped, a final newline.
    static func encode(_ document: CaseloadDocument) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(DocumentFile(document: document))
        data.append(0x0A)
        return data
    }

    /// The document in a current-version file (no envelope check, no validation).
    static func decode(_ data: Data) throws -> CaseloadDocument {
        try JSONDecoder().decode(DocumentFile.self, from: data).document
    }
}

/// The file's top level in the current schema, for Foundation's coder.
struct DocumentFile: Codable {
    var document: CaseloadDocument

    init(document: CaseloadDocument) { self.document = document }

    enum CodingKeys: String, CodingKey { case format, schemaVersion, program, staff, patients, series, sessions }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
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
