import CaseloadCore
import CaseloadDatabase
import CaseloadDemo
import CaseloadStore
import Foundation
import Testing

/// Issue 20: the document as one row per top-level entity, assembled back byte for byte, and a save's rows (what
/// changed, what moved, what is gone).
@Suite struct EntityRowsTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let small = DemoProgram.generate(seed: 1, size: .small, now: now)

    static let seal = AuditSeal(count: 3, last: [UInt8](repeating: 0x5A, count: 32), keys: [
        AuditSeal.Key(from: 1, key: [UInt8](repeating: 0x07, count: 32)),
    ])

    /// The rows, keyed, as a database would hold them after applying `diff`.
    static func applied(_ diff: RowDiff, to rows: [EntityRow]) -> [EntityKey: EntityRow] {
        var table = Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0) })
        for key in diff.deletions { table[key] = nil }
        for row in diff.upserts { table[row.key] = row }
        return table
    }

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Rows and assembly

    @Test func everyEntityIsOneRowKeyedByKindAndIdAtItsPosition() throws {
        let doc = Self.small
        let rows = EntityRows.rows(of: doc)
        #expect(rows.count == 1 + doc.staff.count + doc.patients.count + doc.series.count + doc.sessions.count)
        #expect(rows[0].key == EntityKey(kind: .program, id: "program"))
        #expect(rows[0].position == 0)
        #expect(Self.text(rows[0].body).hasPrefix("{\n    \"attendancePolicy\" : {"))
        let patients = rows.filter { $0.key.kind == .patient }
        #expect(patients.map(\.key.id) == doc.patients.map(\.id.rawValue))
        #expect(patients.map(\.position) == Array(0..<doc.patients.count))
        let third = doc.patients[2]
        // An element of a top-level list: its members are indented three levels, its closing brace two.
        #expect(Self.text(patients[2].body).contains("\n      \"id\" : \"\(third.id.rawValue)\""))
        #expect(Self.text(patients[2].body).hasSuffix("\n    }"))
        let sessions = rows.filter { $0.key.kind == .session }
        #expect(sessions.map(\.key.id) == doc.sessions.map(\.id.rawValue))
        #expect(Set(rows.map(\.key)).count == rows.count)
    }

    @Test func rowsInAnyOrderAssembleToTheWrittenFileByteForByte() throws {
        let doc = Self.small
        var generator = SeededGenerator(seed: 20)
        let shuffled = EntityRows.rows(of: doc).shuffled(using: &generator)
        #expect(shuffled.first?.key.kind != .program || shuffled.last?.key.kind != .session)
        for audit in [nil, Self.seal] {
            let decoded = try EntityRows.document(from: shuffled, audit: audit, location: "postgresql://dana@db:5432/clinic")
            #expect(decoded.source?.data == DocumentCodec.encode(doc, audit: audit))
            #expect(decoded.document == doc)
            #expect(decoded.audit == audit)
        }
    }

    @Test func theMediumDemoAssemblesByteForByte() throws {
        let doc = DemoProgram.generate(seed: 1, size: .medium, now: Self.now)
        #expect(doc.sessions.count > 1000)
        let rows = EntityRows.rows(of: doc).reversed()
        let decoded = try EntityRows.document(from: Array(rows), audit: Self.seal, location: "db")
        #expect(decoded.source?.data == DocumentCodec.encode(doc, audit: Self.seal))
    }

    @Test func rowsWithoutAProgramAreRefused() throws {
        let rows = EntityRows.rows(of: Self.small).filter { $0.key.kind != .program }
        #expect(throws: StoreError.notADocument(path: "db", detail: "it holds no program row; set it up with `caseload db import FILE URL`")) {
            try EntityRows.document(from: rows, audit: nil, location: "db")
        }
    }

    @Test func twoProgramRowsAreRefused() throws {
        let rows = EntityRows.rows(of: Self.small)
        #expect(throws: StoreError.invalidDocument(path: "db", issues: ["it holds more than one program row; one database holds one program"])) {
            try EntityRows.document(from: rows + [rows[0]], audit: nil, location: "db")
        }
    }

    @Test func aBodyStoredUnderAnotherIdIsRefused() throws {
        var rows = EntityRows.rows(of: Self.small)
        let first = try #require(rows.firstIndex { $0.key.kind == .patient })
        let owner = rows[first].key.id, other = rows[first + 1].key.id
        // The first two patients' rows with their keys swapped: each body stored under the other's id.
        rows[first].key.id = other
        rows[first + 1].key.id = owner
        #expect(throws: StoreError.invalidDocument(path: "db", issues: ["the patient row \(other) holds the patient \(owner)"])) {
            try EntityRows.document(from: rows, audit: nil, location: "db")
        }
    }

    // MARK: Diff

    @Test func noChangeIsAnEmptyDiffEvenForACopyReadBack() throws {
        let doc = Self.small
        #expect(EntityRows.diff(from: doc, to: doc).isEmpty)
        let readBack = try DocumentCodec.decode(DocumentCodec.encode(doc, audit: nil), path: "copy").document
        #expect(EntityRows.diff(from: doc, to: readBack) == RowDiff())
    }

    @Test func fromNothingEveryEntityIsUpserted() {
        let diff = EntityRows.diff(from: nil, to: Self.small)
        #expect(diff.upserts == EntityRows.rows(of: Self.small))
        #expect(diff.deletions.isEmpty)
    }

    @Test func aChangedPhoneUpsertsThatPatientAloneWithItsNewBytes() throws {
        var doc = Self.small
        doc.patients[3].phone = "555-0142"
        let diff = EntityRows.diff(from: Self.small, to: doc)
        #expect(diff.deletions.isEmpty)
        try #require(diff.upserts.count == 1)
        let row = diff.upserts[0]
        #expect(row.key == EntityKey(kind: .patient, id: doc.patients[3].id.rawValue))
        #expect(row.position == 3)
        #expect(Self.text(row.body).contains("\n      \"phone\" : \"555-0142\",\n"))
        #expect(row.body == EntityRows.rows(of: doc).first { $0.key == row.key }?.body)
    }

    @Test func aDeletedSessionIsOneDeletionAndTheLaterSessionsMoveUpWithTheirSameBodies() throws {
        let old = Self.small
        var doc = old
        let k = 10
        let gone = doc.sessions.remove(at: k)
        let diff = EntityRows.diff(from: old, to: doc)
        #expect(diff.deletions == [EntityKey(kind: .session, id: gone.id.rawValue)])
        let later = old.sessions.count - k - 1
        #expect(diff.upserts.count == later)
        let oldBodies = Dictionary(uniqueKeysWithValues: EntityRows.rows(of: old).map { ($0.key, $0.body) })
        for (n, row) in diff.upserts.enumerated() {
            #expect(row.key == EntityKey(kind: .session, id: old.sessions[k + 1 + n].id.rawValue))
            #expect(row.position == k + n)
            #expect(row.body == oldBodies[row.key])
        }
    }

    @Test func aMovedButUnchangedEntityTakesTheBodyAlreadyStoredInsteadOfBeingEncodedAgain() throws {
        let old = Self.small
        var doc = old
        doc.sessions.remove(at: 10)
        var asked: [EntityKey] = []
        let marker: [UInt8] = Array("stored body".utf8)
        let diff = EntityRows.diff(from: old, to: doc) { key in
            asked.append(key)
            return marker
        }
        #expect(asked.count == old.sessions.count - 11)
        #expect(diff.upserts.count == old.sessions.count - 11)
        #expect(diff.upserts.allSatisfy { $0.body == marker })
        // A changed entity is encoded whatever is stored.
        var edited = doc
        edited.sessions[20].title += " (renamed)"
        let changed = EntityRows.diff(from: old, to: edited) { _ in marker }
        let row = try #require(changed.upserts.first { $0.key.id == edited.sessions[20].id.rawValue })
        #expect(row.body != marker)
    }

    @Test func anAppendedPatientIsOneUpsertAtTheEnd() throws {
        var doc = Self.small
        var added = doc.patients[0]
        added.id = PatientID("pt-added")
        added.mrn = "MRN-90001"
        added.legalName = "Quill Farrow"
        doc.patients.append(added)
        let diff = EntityRows.diff(from: Self.small, to: doc)
        #expect(diff.deletions.isEmpty)
        try #require(diff.upserts.count == 1)
        #expect(diff.upserts[0].key == EntityKey(kind: .patient, id: "pt-added"))
        #expect(diff.upserts[0].position == Self.small.patients.count)
        #expect(Self.text(diff.upserts[0].body).contains("\"legalName\" : \"Quill Farrow\""))
    }

    @Test func aPatientInsertedInTheMiddleMovesEveryLaterOne() throws {
        var doc = Self.small
        var added = doc.patients[0]
        added.id = PatientID("pt-middle")
        added.mrn = "MRN-90002"
        doc.patients.insert(added, at: 2)
        let diff = EntityRows.diff(from: Self.small, to: doc)
        #expect(diff.deletions.isEmpty)
        #expect(diff.upserts.map(\.key.id) == ["pt-middle"] + Self.small.patients[2...].map(\.id.rawValue))
        #expect(diff.upserts.map(\.position) == Array(2..<(Self.small.patients.count + 1)))
    }

    @Test func aProgramChangeIsTheProgramRow() throws {
        var doc = Self.small
        doc.program.name = "Harbor Light IOP"
        let diff = EntityRows.diff(from: Self.small, to: doc)
        #expect(diff.upserts.map(\.key) == [EntityKey(kind: .program, id: "program")])
        #expect(diff.upserts.map(\.position) == [0])
        #expect(Self.text(diff.upserts[0].body).contains("\"name\" : \"Harbor Light IOP\""))
    }

    @Test func applyingTheDiffToTheOldRowsGivesTheNewRows() throws {
        var old = Self.small
        // A patient nothing refers to, so that removing it leaves a valid document.
        var spare = old.patients[1]
        spare.id = PatientID("pt-spare")
        spare.mrn = "MRN-90004"
        old.patients.insert(spare, at: 4)
        var doc = old
        // Several kinds of change at once: a removal, a swap, an edit and an insertion.
        doc.sessions.remove(at: 3)
        doc.sessions.swapAt(20, 30)
        doc.sessions.remove(at: doc.sessions.count - 1)
        doc.staff[0].credentials = "LCSW, LCADC"
        doc.series.reverse()
        var added = doc.patients[1]
        added.id = PatientID("pt-new")
        added.mrn = "MRN-90003"
        doc.patients.insert(added, at: 0)
        doc.patients.remove(at: 5)
        #expect(doc.patients.map(\.id).contains(PatientID("pt-spare")) == false)
        let diff = EntityRows.diff(from: old, to: doc)
        let table = Self.applied(diff, to: EntityRows.rows(of: old))
        let expected = Dictionary(uniqueKeysWithValues: EntityRows.rows(of: doc).map { ($0.key, $0) })
        #expect(table == expected)
        // The two removed sessions and the removed patient, nothing else.
        #expect(Set(diff.deletions) == [
            EntityKey(kind: .session, id: old.sessions[3].id.rawValue),
            EntityKey(kind: .session, id: old.sessions[old.sessions.count - 1].id.rawValue),
            EntityKey(kind: .patient, id: "pt-spare"),
        ])
        // And the document reads back from them.
        let decoded = try EntityRows.document(from: Array(table.values), audit: nil, location: "db")
        #expect(decoded.document == doc)
    }

    @Test func aSmallEditOfTheMediumDemoUpsertsOneRow() throws {
        let old = DemoProgram.generate(seed: 1, size: .medium, now: Self.now)
        var doc = old
        let k = doc.sessions.count / 2
        doc.sessions[k].room = nil
        doc.sessions[k].durationMinutes += 15
        let diff = EntityRows.diff(from: old, to: doc)
        #expect(diff.upserts.map(\.key) == [EntityKey(kind: .session, id: doc.sessions[k].id.rawValue)])
        #expect(diff.deletions.isEmpty)
    }
}
