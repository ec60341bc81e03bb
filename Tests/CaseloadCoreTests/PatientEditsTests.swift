import CaseloadCore
import Foundation
import Testing

@Suite struct PatientEditsTests {
    let d = TestDocument.date
    let t = TestDocument.time

    /// The refusal's text, or nil when the edit was built.
    func refusal(_ build: () throws(EditError) -> DocumentEdit) -> String? {
        do {
            _ = try build()
            return nil
        } catch {
            guard case .invalid = error else { return "unexpected kind of error: \(error)" }
            return error.description
        }
    }

    func oneOff(_ id: SessionID, on date: String, added: [PatientID]) -> Session {
        Session(id: id, date: d(date), start: t("10:00"), durationMinutes: 60, title: "Check-in", kind: .individual, added: added)
    }

    /// Ana on IOP-A from admission, and on a family series twice: an ended stay and one starting after the discharge date.
    func dischargeDocument() throws -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.series.append(Series(
            id: "ser_fam", title: "Family", kind: .family, weekdays: [.tue], start: t("17:00"), durationMinutes: 60,
            startDate: d("2026-11-02"),
            roster: [RosterEntry(patient: "pat_ana", joined: d("2026-11-02"), left: d("2026-11-05")),
                     RosterEntry(patient: "pat_ana", joined: d("2026-11-20"))]))
        var past = Session(id: "ses_past", occurrenceOf: TestDocument.iopA, on: d("2026-11-04"))
        past.mark("pat_ana", .present)
        try past.setMemberNote(MemberNote(patient: "pat_ana", format: .dap))
        var marked = oneOff("ses_marked", on: "2026-11-12", added: ["pat_ana"])
        marked.mark("pat_ana", .absent)
        doc.sessions = [past, oneOff("ses_before", on: "2026-11-11", added: ["pat_ana"]), marked,
                        oneOff("ses_after", on: "2026-11-13", added: ["pat_ana", "pat_minjun"])]
        #expect(Validator.check(doc).isEmpty)
        return doc
    }

    @Test func dischargeEndsMembershipsAndFutureDropInsInOneUndoableStep() throws {
        var doc = try dischargeDocument()
        let original = doc
        let edit = try PatientEdits.discharge("pat_ana", on: d("2026-11-12"), reason: .completed, in: doc)
        guard case .batch = edit else { Issue.record("expected one batch edit"); return }
        var history = EditHistory()
        try history.perform(edit, label: "discharge", on: &doc)

        #expect(doc.patient("pat_ana")?.status == .discharged(date: d("2026-11-12"), reason: .completed))
        #expect(doc.series("ser_a")?.roster.first { $0.patient == "pat_ana" }?.left == d("2026-11-12"))
        #expect(doc.series("ser_a")?.roster.first { $0.patient == "pat_minjun" }?.left == nil)
        #expect(doc.series("ser_fam")?.roster == [RosterEntry(patient: "pat_ana", joined: d("2026-11-02"), left: d("2026-11-05"))])
        #expect(doc.session("ses_after")?.added == ["pat_minjun"])
        #expect(doc.session("ses_marked")?.added == ["pat_ana"])
        #expect(doc.session("ses_before") == original.session("ses_before"))
        #expect(doc.session("ses_past") == original.session("ses_past"))
        let expected = Schedule.sessions(for: "pat_ana", in: DateRange(d("2026-11-12"), d("2026-12-31")), of: doc).map(\.session.id)
        #expect(expected == ["ses_marked"])

        try history.undo(on: &doc)
        #expect(doc == original)
    }

    @Test func dischargeIsRefusedBeforeAdmissionTwiceOrForAnUnknownPatient() throws {
        var doc = TestDocument.document()
        let early = refusal { () throws(EditError) in try PatientEdits.discharge("pat_ana", on: d("2026-11-01"), reason: .completed, in: doc) }
        #expect(early?.contains("patients[pat_ana].status.date") == true)
        #expect(early?.contains("admission date 2026-11-02") == true)
        try doc.apply(PatientEdits.discharge("pat_ana", on: d("2026-11-20"), reason: .againstAdvice, in: doc))
        let twice = refusal { () throws(EditError) in try PatientEdits.discharge("pat_ana", on: d("2026-11-25"), reason: .completed, in: doc) }
        #expect(twice?.contains("already discharged on 2026-11-20") == true)
        let unknown = refusal { () throws(EditError) in try PatientEdits.discharge("pat_nobody", on: d("2026-11-25"), reason: .completed, in: doc) }
        #expect(unknown?.contains("no patient has the ID") == true)
    }

    @Test func aPhaseChangeAddsADatedEntryAndUndoes() throws {
        var doc = TestDocument.document()
        let original = doc
        var history = EditHistory()
        try history.perform(PatientEdits.changePhase("pat_ana", to: "p2", on: d("2026-11-30"), in: doc), label: "phase", on: &doc)
        try history.perform(PatientEdits.changePhase("pat_ana", to: "p2", on: d("2026-11-20"), in: doc), label: "phase", on: &doc)
        #expect(doc.patient("pat_ana")?.careHistory.map(\.date) == [d("2026-11-02"), d("2026-11-20"), d("2026-11-30")])
        #expect(doc.patient("pat_ana")?.careHistory[1] == CareEntry(date: d("2026-11-20"), levelOfCare: .intensiveOutpatient, phase: "p2"))
        #expect(doc.patient("pat_ana")?.care(on: d("2026-11-19"))?.phase == "p1")
        try history.undo(on: &doc)
        try history.undo(on: &doc)
        #expect(doc == original)
    }

    @Test func aPhaseChangeOnTheSameDateReplacesTheEntry() throws {
        var doc = TestDocument.document()
        try doc.apply(PatientEdits.changePhase("pat_ana", to: "p2", on: d("2026-11-02"), in: doc))
        #expect(doc.patient("pat_ana")?.careHistory.map(\.phase) == ["p2"])
        let same = refusal { () throws(EditError) in try PatientEdits.changePhase("pat_ana", to: "p2", on: d("2026-11-10"), in: doc) }
        #expect(same?.contains("already in Phase II") == true)
        let unknown = refusal { () throws(EditError) in try PatientEdits.changePhase("pat_ana", to: "p9", on: d("2026-11-10"), in: doc) }
        #expect(unknown?.contains("no phase \"p9\"") == true)
    }

    @Test func steppingMovesAlongTheProgramsPhasesAndStopsAtEitherEnd() throws {
        var doc = TestDocument.document()
        let first = refusal { () throws(EditError) in try PatientEdits.stepPhase("pat_ana", by: -1, on: d("2026-11-16"), in: doc) }
        #expect(first?.contains("already in the first phase (Phase I)") == true)
        var history = EditHistory()
        try history.perform(PatientEdits.stepPhase("pat_ana", by: 1, on: d("2026-11-16"), in: doc), label: "step down", on: &doc)
        #expect(doc.patient("pat_ana")?.care(on: d("2026-11-16"))?.phase == "p2")
        #expect(doc.patient("pat_ana")?.care(on: d("2026-11-15"))?.phase == "p1")
        let last = refusal { () throws(EditError) in try PatientEdits.stepPhase("pat_ana", by: 1, on: d("2026-11-20"), in: doc) }
        #expect(last?.contains("already in the last phase (Phase II)") == true)
        try history.undo(on: &doc)
        #expect(doc == TestDocument.document())
    }

    @Test func steppingNeedsAPhaseToStepFrom() throws {
        var doc = TestDocument.document()
        try doc.apply(.putPatient(Patient(id: "pat_new", mrn: "T-003", legalName: "New Referral", status: .referred)))
        let none = refusal { () throws(EditError) in try PatientEdits.stepPhase("pat_new", by: 1, on: d("2026-11-16"), in: doc) }
        #expect(none?.contains("no phase") == true)
        let beforeAdmission = refusal { () throws(EditError) in try PatientEdits.stepPhase("pat_ana", by: 1, on: d("2026-11-01"), in: doc) }
        #expect(beforeAdmission?.contains("no phase") == true)
    }
}

@Suite struct PhaseStepReasonTests {
    let d = TestDocument.date

    @Test func aStepKeepsItsReasonInTheCareHistoryAndABlankOneIsNone() throws {
        var doc = TestDocument.document()
        try doc.apply(PatientEdits.stepPhase("pat_ana", by: 1, on: d("2026-11-16"), note: "  Met phase goals \n", in: doc))
        let entry = try #require(doc.patient("pat_ana")?.care(on: d("2026-11-16")))
        #expect(entry.date == d("2026-11-16"))
        #expect(entry.phase == "p2")
        #expect(entry.note == "Met phase goals", "trimmed")
        try doc.apply(PatientEdits.stepPhase("pat_ana", by: -1, on: d("2026-11-20"), note: "  ", in: doc))
        #expect(doc.patient("pat_ana")?.care(on: d("2026-11-20"))?.phase == "p1")
        #expect(doc.patient("pat_ana")?.care(on: d("2026-11-20"))?.note == nil, "blank is none")
    }
}
