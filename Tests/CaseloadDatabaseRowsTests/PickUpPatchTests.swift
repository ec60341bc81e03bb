import CaseloadCore
@testable import CaseloadDatabase
import CaseloadDemo
import CaseloadStore
import Foundation
import Testing

/// A pick-up reads only the rows another instance changed and puts them into the document in memory (issue 20): the
/// result must be exactly the document every row assembles into.
struct PickUpPatchTests {
    static let now = Date(timeIntervalSince1970: 1_795_900_000)

    /// The stored rows of `old`, then those `new` changed: what the database holds after `new` was saved.
    static func rows(from old: CaseloadDocument, to new: CaseloadDocument) -> (rows: [EntityKey: DatabaseStore.StoredRow], touched: Set<EntityKey>) {
        var rows: [EntityKey: DatabaseStore.StoredRow] = [:]
        for row in EntityRows.rows(of: old) { rows[row.key] = .init(position: row.position, body: row.body, version: 1) }
        var touched: Set<EntityKey> = []
        let diff = EntityRows.diff(from: old, to: new)
        for row in diff.upserts {
            rows[row.key] = .init(position: row.position, body: row.body, version: 2)
            touched.insert(row.key)
        }
        for key in diff.deletions {
            rows[key] = nil
            touched.insert(key)
        }
        return (rows, touched)
    }

    @Test func patchingTheTouchedRowsGivesTheDocumentEveryRowAssemblesInto() throws {
        let address = try DatabaseAddress(parsing: "postgresql://iop@db.example.org/iop", defaultUser: "iop")
        let old = DemoProgram.generate(seed: 4, size: .small, now: Self.now)
        var new = old
        new.program.name += " (north)"
        new.sessions.remove(at: 10)
        new.patients[3].phone = "555-0111"
        var added = new.patients[0]
        added.id = PatientID("pat_added")
        added.mrn = "MRN-90001"
        added.legalName = "Quill Farrow"
        new.patients.append(added)
        let (rows, touched) = Self.rows(from: old, to: new)
        #expect(touched.count > 3, "the sessions after the removed one moved too")
        let patched = try #require(DatabaseStore.patch(old, touched: touched, rows: rows, address: address))
        #expect(patched == new)
        #expect(patched == (try DatabaseStore.assemble(rows, address: address)))
    }

    @Test func aPatchThatWouldBreakTheDocumentIsRefusedSoEveryRowIsReadInstead() throws {
        let address = try DatabaseAddress(parsing: "postgresql://iop@db.example.org/iop", defaultUser: "iop")
        let old = DemoProgram.generate(seed: 4, size: .small, now: Self.now)
        var new = old
        // Another row claims the first patient's MRN: the whole check refuses it.
        new.patients[1].mrn = new.patients[0].mrn
        let (rows, touched) = Self.rows(from: old, to: new)
        #expect(DatabaseStore.patch(old, touched: touched, rows: rows, address: address) == nil)
        // Without a document in memory, or with nothing touched, there is nothing to patch.
        #expect(DatabaseStore.patch(nil, touched: touched, rows: rows, address: address) == nil)
        #expect(DatabaseStore.patch(old, touched: [], rows: rows, address: address) == nil)
    }
}
