import CaseloadCore
import CaseloadDatabase
import CaseloadDemo
import CaseloadStore
import Crypto
import Foundation
import Testing

/// Issue 20: an encrypted program's rows are sealed with the document key, bound to their kind and id, so the server
/// and its backups hold nothing readable and a row copied onto another does not open.
@Suite struct RowSealTests {
    static let doc = EntityRowsTests.small
    /// A fresh document key for each test.
    let key = SymmetricKey(size: .bits256)

    /// Whether `needle` occurs in `haystack`.
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        return (0...(haystack.count - needle.count)).contains { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    /// The third patient's row: its plain body, name and id.
    static func patientRow() throws -> (body: [UInt8], name: String, id: String) {
        let patient = doc.patients[2]
        let row = try #require(EntityRows.rows(of: doc).first { $0.key == EntityKey(kind: .patient, id: patient.id.rawValue) })
        return (row.body, patient.legalName, patient.id.rawValue)
    }

    @Test func aSealedPatientRowHoldsNoNameAndOpensBackEqual() throws {
        let (body, name, id) = try Self.patientRow()
        #expect(Self.contains(body, Array(name.utf8)))
        let sealed = RowSeal.seal(body, key: key, kind: "patient", id: id)
        #expect(!Self.contains(sealed, Array(name.utf8)))
        #expect(!Self.contains(sealed, Array("legalName".utf8)))
        // "CLR1", a 12-byte nonce, the ciphertext (as long as the plaintext) and a 16-byte tag.
        #expect(Array(sealed.prefix(4)) == [0x43, 0x4C, 0x52, 0x31])
        #expect(sealed.count == 4 + 12 + body.count + 16)
        #expect(RowSeal.isSealed(sealed))
        #expect(!RowSeal.isSealed(body))
        #expect(try RowSeal.open(sealed, key: key, kind: "patient", id: id) == body)
    }

    @Test func sealingTheSameBodyTwiceGivesDifferentBytes() throws {
        let (body, _, id) = try Self.patientRow()
        let a = RowSeal.seal(body, key: key, kind: "patient", id: id)
        let b = RowSeal.seal(body, key: key, kind: "patient", id: id)
        // A fresh nonce each time: equal rows do not show as equal in a backup.
        #expect(a != b)
        #expect(a[4..<16] != b[4..<16])
    }

    @Test func theWrongKeyDoesNotOpenAndTheMessageNamesTheRowNotItsContent() throws {
        let (body, name, id) = try Self.patientRow()
        let sealed = RowSeal.seal(body, key: key, kind: "patient", id: id)
        do {
            _ = try RowSeal.open(sealed, key: SymmetricKey(size: .bits256), kind: "patient", id: id)
            Issue.record("opened with another key")
        } catch {
            guard case .sealed(let message) = error else { Issue.record("not a sealing error: \(error)"); return }
            #expect(message.contains("the stored patient \(id) does not open"))
            #expect(!message.contains(name))
            #expect(error.description == message)
        }
    }

    @Test func aFlippedByteAnywhereDoesNotOpen() throws {
        let (body, _, id) = try Self.patientRow()
        let sealed = RowSeal.seal(body, key: key, kind: "patient", id: id)
        // In the nonce, the first and a middle byte of the ciphertext, and the last byte of the tag.
        for offset in [5, 16, 16 + body.count / 2, sealed.count - 1] {
            var changed = sealed
            changed[offset] ^= 0x01
            #expect(throws: DatabaseError.self) { try RowSeal.open(changed, key: key, kind: "patient", id: id) }
        }
    }

    @Test func aRowMovedToAnotherIdOrKindDoesNotOpen() throws {
        let (body, _, id) = try Self.patientRow()
        let sealed = RowSeal.seal(body, key: key, kind: "patient", id: id)
        let other = Self.doc.patients[3].id.rawValue
        #expect(throws: DatabaseError.self) { try RowSeal.open(sealed, key: key, kind: "patient", id: other) }
        #expect(throws: DatabaseError.self) { try RowSeal.open(sealed, key: key, kind: "staff", id: id) }
        // The audit seal's binding: kind "meta", id "audit_seal".
        let seal = DocumentCodec.encode(auditSeal: EntityRowsTests.seal)
        let sealedSeal = RowSeal.seal(seal, key: key, kind: "meta", id: "audit_seal")
        #expect(try RowSeal.open(sealedSeal, key: key, kind: "meta", id: "audit_seal") == seal)
        #expect(throws: DatabaseError.self) { try RowSeal.open(sealedSeal, key: key, kind: "patient", id: "audit_seal") }
    }

    @Test func thePlainOrCutShortBodyIsNotSealed() throws {
        let (body, _, id) = try Self.patientRow()
        let expected = DatabaseError.sealed("the stored patient \(id) is not sealed, though the program is encrypted; restore the database from a backup, or import the document again")
        #expect(throws: expected) { try RowSeal.open(body, key: key, kind: "patient", id: id) }
        let sealed = RowSeal.seal(body, key: key, kind: "patient", id: id)
        #expect(throws: expected) { try RowSeal.open(Array(sealed.prefix(4 + 12 + 15)), key: key, kind: "patient", id: id) }
        #expect(throws: DatabaseError.self) { try RowSeal.open(Array(sealed.dropLast()), key: key, kind: "patient", id: id) }
    }

    @Test func anEmptyBodySealsAndOpens() throws {
        let sealed = RowSeal.seal([], key: key, kind: "session", id: "s-1")
        #expect(sealed.count == 4 + 12 + 16)
        #expect(try RowSeal.open(sealed, key: key, kind: "session", id: "s-1") == [])
    }
}
