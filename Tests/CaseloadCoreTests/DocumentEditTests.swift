import CaseloadCore
import Foundation
import Testing

@Suite struct DocumentEditTests {
    let d = TestDocument.date

    @Test func everyEditYieldsAnInverseThatRestoresTheDocument() throws {
        let original = TestDocument.document()
        var patient = TestDocument.ana
        patient.pronouns = "she/her"
        var session = Session(id: "ses_x", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        session.mark("pat_ana", .present)
        let edits: [DocumentEdit] = [
            .putPatient(patient),
            .putPatient(Patient(id: "pat_new", mrn: "T-003", legalName: "Zoë O'Brien")),
            .putSession(session),
            .putStaff(Staff(id: "st_new", name: "Lee Park", credentials: "CADC", role: .facilitator, login: "lee")),
            .setProgram({ var p = TestDocument.program; p.name = "Renamed"; return p }()),
            .putSeries({ var s = TestDocument.iopA; s.room = "r1"; return s }()),
        ]
        for edit in edits {
            var doc = original
            let inverse = try doc.apply(edit)
            #expect(doc != original)
            try doc.apply(inverse)
            #expect(doc == original)
        }
    }

    @Test func aBatchIsAllOrNothing() {
        var doc = TestDocument.document()
        let before = doc
        let edits: DocumentEdit = .batch([
            .putPatient(Patient(id: "pat_new", mrn: "T-003", legalName: "New Person")),
            .putPatient(Patient(id: "pat_dup", mrn: "T-003", legalName: "Same MRN")),
        ])
        #expect(throws: EditError.self) { try doc.apply(edits) }
        #expect(doc == before)
    }

    @Test func aRefusedEditNamesTheFieldAndChangesNothing() {
        var doc = TestDocument.document()
        var bad = TestDocument.ana
        bad.diagnoses = [Diagnosis(code: "alcohol", description: "?")]
        do {
            try doc.apply(.putPatient(bad))
            Issue.record("the edit should have been refused")
        } catch {
            #expect(error.description.contains("patients[pat_ana].diagnoses[0].code"))
        }
        #expect(doc == TestDocument.document())
    }

    @Test func patientsWithRecordsAreDischargedNotDeleted() throws {
        var doc = TestDocument.document()
        #expect(throws: EditError.self) { try doc.apply(.removePatient("pat_ana")) }
        try doc.apply(.putPatient(Patient(id: "pat_tmp", mrn: "T-009", legalName: "Typo Entry")))
        try doc.apply(.removePatient("pat_tmp"))
        #expect(doc.patient("pat_tmp") == nil)
    }

    @Test func undoAndRedoWalkTheHistory() throws {
        var doc = TestDocument.document()
        var history = EditHistory()
        var ana = TestDocument.ana
        ana.status = .discharged(date: d("2026-11-20"), reason: .completed)
        try history.perform(.putPatient(ana), label: "discharge Ana", on: &doc)
        try history.perform(.putPatient(Patient(id: "pat_z", mrn: "T-010", legalName: "Zoë")), label: "admit", on: &doc)
        #expect(try history.undo(on: &doc) == "admit")
        #expect(doc.patient("pat_z") == nil)
        #expect(try history.undo(on: &doc) == "discharge Ana")
        #expect(doc == TestDocument.document())
        #expect(try history.undo(on: &doc) == nil)
        #expect(try history.redo(on: &doc) == "discharge Ana")
        #expect(doc.patient("pat_ana")?.status == .discharged(date: d("2026-11-20"), reason: .completed))
        try history.perform(.putStaff(Staff(id: "st_2", name: "Kai", credentials: "", role: .facilitator, login: "kai")), label: "staff", on: &doc)
        #expect(!history.canRedo)
    }

    @Test func aSecondStoredCopyOfTheSameOccurrenceIsRefused() throws {
        var doc = TestDocument.document()
        try doc.apply(.putSession(Session(id: "s1", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))))
        #expect(throws: EditError.self) {
            try doc.apply(.putSession(Session(id: "s2", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))))
        }
    }
}
