import CaseloadCore
import Foundation
import Testing

/// Undo takes back this person's own edits only (issue 18), once another instance's changes were merged in.
@Suite struct OwnUndoTests {
    typealias C = DocumentMergeCaseTests

    /// A person's own edit through the history: pat_1's phone.
    static func myPhoneEdit() throws -> (CaseloadDocument, EditHistory) {
        var doc = C.base
        var history = EditHistory()
        var patient = try #require(doc.patient("pat_1"))
        patient.phone = "555-7777"
        try history.perform(.putPatient(patient), label: "phone", on: &doc)
        return (doc, history)
    }

    @Test("undo after another's change to another field of the same patient keeps theirs and takes back mine")
    func undoKeepsTheirField() throws {
        var (doc, history) = try Self.myPhoneEdit()
        // Merged in from another instance: the same patient's email.
        doc = C.editPatient(doc, "pat_1") { $0.email = "one@example.test" }
        #expect(try history.undo(on: &doc) == "phone")
        #expect(doc.patient("pat_1")?.phone == "555-0101")
        #expect(doc.patient("pat_1")?.email == "one@example.test")
        #expect(history.lastKeptOthers == 0)
        // Redo puts mine back, and theirs stays.
        #expect(try history.redo(on: &doc) == "phone")
        #expect(doc.patient("pat_1")?.phone == "555-7777")
        #expect(doc.patient("pat_1")?.email == "one@example.test")
        // And undo once more.
        try history.undo(on: &doc)
        #expect(doc.patient("pat_1")?.phone == "555-0101")
        #expect(doc.patient("pat_1")?.email == "one@example.test")
    }

    @Test("undo of a field another person changed since leaves their value, and says so")
    func undoLeavesTheirValueOfTheSameField() throws {
        var (doc, history) = try Self.myPhoneEdit()
        doc = C.editPatient(doc, "pat_1") { $0.phone = "555-8888" }
        try history.undo(on: &doc)
        #expect(doc.patient("pat_1")?.phone == "555-8888")
        #expect(history.lastKeptOthers == 1)
    }

    @Test("with nothing merged in, undo and redo are exact, as before")
    func exactWithoutOthers() throws {
        var (doc, history) = try Self.myPhoneEdit()
        let edited = doc
        try history.undo(on: &doc)
        #expect(doc == C.base)
        try history.redo(on: &doc)
        #expect(doc == edited)
        #expect(history.lastKeptOthers == 0)
    }

    @Test("a batch (roll for two patients) undone after another's mark of a third keeps the third")
    func batchKeepsOthersMark() throws {
        var doc = C.base
        var history = EditHistory()
        var session = doc.sessions[0]
        session.attendance = [AttendanceMark(patient: "pat_1", status: .present), AttendanceMark(patient: "pat_2", status: .present)]
        try history.perform(.batch([.putSession(session)]), label: "roll", on: &doc)
        doc = C.editSession(doc) { $0.attendance.append(AttendanceMark(patient: "pat_3", status: .present)) }
        try history.undo(on: &doc)
        #expect(doc.sessions[0].attendance.map(\.patient) == ["pat_3"])
    }
}

/// How an instance takes in what the file holds.
@Suite struct TakeInTests {
    typealias C = DocumentMergeCaseTests

    @Test("nothing unsaved: the file's version as it is")
    func nothingUnsaved() {
        let disk = C.editPatient(C.base, "pat_2") { $0.phone = "555-2222" }
        let result = TakeIn.merge(document: C.base, base: C.base, disk: disk)
        #expect(result.document == disk && result.changed && result.conflicts.isEmpty)
    }

    @Test("an unsaved edit of another field is kept beside theirs")
    func unsavedKept() {
        let disk = C.editPatient(C.base, "pat_2") { $0.phone = "555-2222" }
        let mine = C.editPatient(C.base, "pat_1") { $0.email = "one@example.test" }
        let result = TakeIn.merge(document: mine, base: C.base, disk: disk)
        #expect(result.document.patient("pat_2")?.phone == "555-2222")
        #expect(result.document.patient("pat_1")?.email == "one@example.test")
        #expect(result.conflicts.isEmpty)
    }

    @Test("an unsaved edit of the field they changed: theirs in memory, mine in the conflict")
    func unsavedConflict() {
        let disk = C.editPatient(C.base, "pat_1") { $0.phone = "555-1111" }
        let mine = C.editPatient(C.base, "pat_1") { $0.phone = "555-2222" }
        let result = TakeIn.merge(document: mine, base: C.base, disk: disk)
        #expect(result.document.patient("pat_1")?.phone == "555-1111")
        #expect(result.conflicts.map(\.mine) == ["555-2222"])
        #expect(result.conflicts.map(\.theirs) == ["555-1111"])
    }

    @Test("a plain save of this very snapshot moves only the base")
    func plainSave() {
        let saved = C.editPatient(C.base, "pat_1") { $0.phone = "555-2222" }
        let more = C.editPatient(saved, "pat_2") { $0.email = "two@example.test" }
        let result = TakeIn.merge(document: more, base: saved, disk: saved)
        #expect(result.document == more && !result.changed)
    }

    @Test("a newer conflict about the same field replaces the older")
    func conflictsReplace() {
        let one = MergeConflict(entity: .patient("pat_1"), path: "phone", kind: .field, theirs: "a", mine: "b")
        let two = MergeConflict(entity: .patient("pat_1"), path: "phone", kind: .field, theirs: "c", mine: "d")
        let other = MergeConflict(entity: .patient("pat_2"), path: "phone", kind: .field, theirs: "e", mine: "f")
        #expect(TakeIn.adding([two], to: [one, other]) == [other, two])
    }
}
