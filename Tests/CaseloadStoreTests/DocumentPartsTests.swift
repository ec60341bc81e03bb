import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// Issue 20: a home that keeps each top-level entity apart (the database) assembles the very file the writer writes,
/// keeps the audit seal's JSON apart, and keeps an encrypted document's header without a body.
@Suite struct DocumentPartsTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// Each entity's own bytes, as a database row holds them.
    static func parts(of d: CaseloadDocument) -> DocumentParts {
        DocumentParts(
            program: DocumentCodec.encode(.program(d.program)),
            staff: d.staff.map { DocumentCodec.encode(.staff($0)) },
            patients: d.patients.map { DocumentCodec.encode(.patient($0)) },
            series: d.series.map { DocumentCodec.encode(.series($0)) },
            sessions: d.sessions.map { DocumentCodec.encode(.session($0)) })
    }

    /// A seal with recognisable bytes: keys of 0x11… and 0x22…, last entry's HMAC of 0xab….
    static let seal = AuditSeal(count: 7, last: [UInt8](repeating: 0xAB, count: 32), keys: [
        AuditSeal.Key(from: 1, key: [UInt8](repeating: 0x11, count: 32)),
        AuditSeal.Key(from: 5, key: [UInt8](repeating: 0x22, count: 32)),
    ])

    @Test func assemblingEachEntitysBytesGivesTheWrittenFileByteForByte() throws {
        let doc = DemoProgram.generate(seed: 1, size: .small, now: Self.now)
        #expect(doc.sessions.count > 50 && doc.patients.count > 10)
        let parts = Self.parts(of: doc)
        #expect(DocumentCodec.assemble(parts, audit: nil) == DocumentCodec.encode(doc, audit: nil))
        #expect(DocumentCodec.assemble(parts, audit: Self.seal) == DocumentCodec.encode(doc, audit: Self.seal))
    }

    @Test func anEmptyDocumentAssemblesAsWritten() throws {
        let doc = CaseloadDocument(program: DemoProgram.generate(seed: 1, size: .small, now: Self.now).program)
        let text = String(decoding: DocumentCodec.assemble(Self.parts(of: doc), audit: nil), as: UTF8.self)
        // Empty lists are written as `[`, a blank line and `]`, like the writer's.
        #expect(text.hasPrefix("{\n  \"format\" : \"caseload\",\n  \"patients\" : [\n\n  ],\n  \"program\" : {\n"))
        #expect(text.hasSuffix("  \"schemaVersion\" : 2,\n  \"series\" : [\n\n  ],\n  \"sessions\" : [\n\n  ],\n  \"staff\" : [\n\n  ]\n}\n"))
        #expect(Data(text.utf8) == DocumentCodec.encode(doc, audit: nil))
    }

    @Test func decodingThePartsGivesTheDocumentAndItsSeal() throws {
        let doc = DemoProgram.generate(seed: 2, size: .small, now: Self.now)
        let decoded = try DocumentCodec.decode(Self.parts(of: doc), audit: Self.seal, path: "db")
        #expect(decoded.document == doc)
        #expect(decoded.audit == Self.seal)
        #expect(decoded.fileVersion == 2)
    }

    @Test func aPartHoldingTwoEntitiesIsRefusedAndNamed() throws {
        let doc = DemoProgram.generate(seed: 1, size: .small, now: Self.now)
        var parts = Self.parts(of: doc)
        // The second patient's bytes smuggled into the first patient's part: the file reads, but with one patient more.
        let second = parts.patients.remove(at: 1)
        parts.patients[0] += Array(",\n    ".utf8) + second
        #expect(throws: StoreError.notADocument(path: "db", detail: "a stored entity is not one JSON object of its kind (patients: \(doc.patients.count - 1) stored, \(doc.patients.count) read)")) {
            try DocumentCodec.decode(parts, audit: nil, path: "db")
        }
    }

    @Test func aPartThatIsNotJSONIsRefusedWithItsPlace() throws {
        let doc = DemoProgram.generate(seed: 1, size: .small, now: Self.now)
        var parts = Self.parts(of: doc)
        parts.staff[0] = Array("{ oops".utf8)
        #expect {
            try DocumentCodec.decode(parts, audit: nil, path: "db")
        } throws: { error in
            guard case .malformedJSON(path: "db", _, _, _) = error as? StoreError else { return false }
            return true
        }
    }

    @Test func theAuditSealsJSONIsTheMemberOnItsOwnAndReadsBack() throws {
        let hex11 = String(repeating: "11", count: 32), hex22 = String(repeating: "22", count: 32), hexAB = String(repeating: "ab", count: 32)
        let expected = """
        {
          "count" : 7,
          "keys" : [
            {
              "from" : 1,
              "key" : "\(hex11)"
            },
            {
              "from" : 5,
              "key" : "\(hex22)"
            }
          ],
          "last" : "\(hexAB)"
        }
        """
        let bytes = DocumentCodec.encode(auditSeal: Self.seal)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(try DocumentCodec.decodeAuditSeal(bytes) == Self.seal)
        // White space around it, as a database tool might leave, reads too.
        #expect(try DocumentCodec.decodeAuditSeal(Array(" \n".utf8) + bytes + Array("\n".utf8)) == Self.seal)
    }

    @Test func aBrokenAuditSealIsRefusedWithWhere() throws {
        #expect(throws: StoreError.empty(path: "the audit seal")) { try DocumentCodec.decodeAuditSeal([]) }
        let short = "{\"count\": 1, \"keys\": [{\"from\": 1, \"key\": \"\(String(repeating: "11", count: 32))\"}], \"last\": \"abcd\"}"
        #expect {
            try DocumentCodec.decodeAuditSeal(Array(short.utf8), path: "meta")
        } throws: { error in
            guard case .invalidField(path: "meta", _, let detail) = error as? StoreError else { return false }
            return detail == "expected 64 hexadecimal digits"
        }
        let trailing = String(decoding: DocumentCodec.encode(auditSeal: Self.seal), as: UTF8.self) + " 1"
        #expect {
            try DocumentCodec.decodeAuditSeal(Array(trailing.utf8), path: "meta")
        } throws: { error in
            guard case .malformedJSON(path: "meta", _, _, _) = error as? StoreError else { return false }
            return true
        }
        // Keys that do not start at entry 1.
        let late = AuditSeal(count: 1, last: Self.seal.last, keys: [AuditSeal.Key(from: 2, key: Self.seal.keys[0].key)])
        #expect(throws: (any Error).self) { try DocumentCodec.decodeAuditSeal(DocumentCodec.encode(auditSeal: late)) }
    }

    @Test func headerBytesReadBackAsTheHeader() throws {
        let fast = EncryptedDocument.KDFParameters(n: 1 << 10, r: 8, p: 1)
        let keys = try DocumentKeys.create(login: "dana", passphrase: "correct horse battery", kdf: fast)
        let header = keys.header
        let bytes = EncryptedDocument.headerBytes(header)
        // magic 8, version 2, KDF id 1, N r p 12, slot count 2; one slot: login length 2 + "dana" 4, salt length 1 +
        // salt 32, public key 32, wrapped private key 60, ephemeral key 32, wrapped document key 60.
        #expect(bytes.count == 8 + 2 + 1 + 12 + 2 + (2 + 4 + 1 + 32 + 32 + 60 + 32 + 60))
        #expect(Array(bytes.prefix(10)) == Array("CLDCRYPT".utf8) + [0, 1])
        #expect(try EncryptedDocument.parseHeaderOnly(bytes) == header)
        // The header alone is not a whole encrypted document (no body follows).
        #expect(throws: EncryptedDocumentError.truncated(part: "sealed document")) { try EncryptedDocument.parseHeader(bytes) }
    }
}
