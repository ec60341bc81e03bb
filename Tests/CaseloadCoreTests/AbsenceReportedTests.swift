import CaseloadCore
import Foundation
import Testing

/// A supervised patient's unexcused absence stays on the alert list until it is reported: by a letter to the officer
/// that covers it (a disclosure in the log), or marked by hand with a note.
///
/// Fixture: IOP-A (Mon/Wed/Thu 18:00, 180 min). Ana is on probation with "Officer Renée Castillo"; she is marked absent
/// (unexcused) on Mon 11-09 and Wed 11-11 and present on Thu 11-12; Minjun is present on 11-09. Today is Mon 11-16, so the
/// last 14 days are 11-03 to 11-16 and both absences are recent.
@Suite struct AbsenceReportedTests {
    let d = TestDocument.date
    let today = TestDocument.date("2026-11-16")

    func document(disclosures: [Disclosure] = []) -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.patients[0].legal = LegalSupervision(kind: .probation, officer: "Officer Renée Castillo", contact: "555-0100", reportingFrequency: "weekly")
        doc.patients[0].consents = [Consent(id: "con_1", recipient: "Officer Renée Castillo, County Adult Probation", purpose: "supervision",
                                            information: "attendance", signed: d("2026-11-02"), expires: d("2027-11-01"))]
        doc.patients[0].disclosures = disclosures
        func occurrence(_ date: String, _ marks: [(PatientID, AttendanceStatus)]) -> Session {
            var s = Session(id: SessionID("ses_\(date)"), occurrenceOf: TestDocument.iopA, on: d(date))
            for (p, m) in marks { s.mark(p, m) }
            return s
        }
        doc.sessions = [
            occurrence("2026-11-09", [("pat_ana", .absent), ("pat_minjun", .present)]),
            occurrence("2026-11-11", [("pat_ana", .absent)]),
            occurrence("2026-11-12", [("pat_ana", .present)]),
        ]
        return doc
    }

    /// A letter as `caseload report attendance --letter` logs it.
    func letter(recipient: String = "OFFICER RENEE CASTILLO, County Adult Probation", on date: String = "2026-11-16",
                from: String = "2026-11-02", to: String = "2026-11-15") -> Disclosure {
        Disclosure(id: "dis_1", recipient: recipient, date: d(date), from: d(from), to: d(to), consent: "con_1", what: "attendance letter", by: "st_dana")
    }

    /// The dates of the supervised-absence alerts on `today`.
    func supervisedAbsences(_ doc: CaseloadDocument) -> [LocalDate] {
        let zone = TimeZone(identifier: doc.program.timeZone) ?? .gmt
        let now = Recurrence.instant(today, TestDocument.time("12:00"), in: zone)
        return Alerts.compute(doc, schedule: ScheduleIndex(doc), now: now, today: today)
            .filter { $0.kind == .supervisedAbsence }.compactMap(\.date).sorted()
    }

    // MARK: By letter

    @Test func eachRecentAbsenceIsAnAlertUntilReported() {
        let doc = document()
        #expect(supervisedAbsences(doc) == [d("2026-11-09"), d("2026-11-11")])
        #expect(Alerts.reportingState(of: doc.patients[0], session: "ses_2026-11-09", date: d("2026-11-09")) == .notReported)
    }

    @Test func aLetterToTheOfficerCoveringTheAbsencesRemovesThem() {
        // The recipient differs from the officer in case and accents ("RENEE" for "Renée"), and adds the department.
        let sent = letter()
        let doc = document(disclosures: [sent])
        #expect(supervisedAbsences(doc).isEmpty)
        #expect(Alerts.reportingState(of: doc.patients[0], session: "ses_2026-11-11", date: d("2026-11-11")) == .reportedByLetter(sent))
    }

    @Test func aLetterToSomeoneElseLeavesThem() {
        let doc = document(disclosures: [letter(recipient: "Dr. L. Brennan (primary care)")])
        #expect(supervisedAbsences(doc) == [d("2026-11-09"), d("2026-11-11")])
    }

    @Test func aLetterCoveringOtherDaysLeavesTheDaysItDoesNotCover() {
        // 11-02 to 11-10 covers the absence on 11-09 but not the one on 11-11; 11-12 to 11-15 covers neither.
        #expect(supervisedAbsences(document(disclosures: [letter(recipient: "Officer Renée Castillo", from: "2026-11-02", to: "2026-11-10")])) == [d("2026-11-11")])
        #expect(supervisedAbsences(document(disclosures: [letter(from: "2026-11-12", to: "2026-11-15")])) == [d("2026-11-09"), d("2026-11-11")])
    }

    @Test func aLetterMadeBeforeAnAbsenceDoesNotReportIt() {
        // Dated Tue 11-10 and covering to 11-15: it can tell the officer about 11-09, not about 11-11, which had not happened.
        #expect(supervisedAbsences(document(disclosures: [letter(on: "2026-11-10")])) == [d("2026-11-11")])
        // Made on the day of the absence, it reports it.
        #expect(supervisedAbsences(document(disclosures: [letter(on: "2026-11-11")])).isEmpty)
    }

    @Test func withoutAnOfficerNoLetterCounts() {
        var patient = document(disclosures: [letter()]).patients[0]
        patient.legal?.officer = " "
        #expect(Alerts.reportingState(of: patient, session: "ses_2026-11-09", date: d("2026-11-09")) == .notReported)
    }

    // MARK: By hand

    @Test func markingByHandRemovesThatAbsenceOnlyAndUndoes() throws {
        var doc = document()
        let edit = try PatientEdits.markAbsenceReported("pat_ana", session: "ses_2026-11-09", date: d("2026-11-09"), on: d("2026-11-10"),
                                                        by: "st_dana", note: "  phoned the officer, left a voicemail\n", in: doc)
        let undo = try doc.apply(edit)
        let expected = ReportedAbsence(session: "ses_2026-11-09", date: d("2026-11-09"), reportedOn: d("2026-11-10"), by: "st_dana",
                                       note: "phoned the officer, left a voicemail")
        #expect(doc.patients[0].reportedAbsences == [expected])
        #expect(Alerts.reportingState(of: doc.patients[0], session: "ses_2026-11-09", date: d("2026-11-09")) == .reportedByHand(expected))
        #expect(supervisedAbsences(doc) == [d("2026-11-11")])
        #expect(Validator.check(doc).isEmpty)
        try doc.apply(undo)
        #expect(doc.patients[0].reportedAbsences.isEmpty)
        #expect(supervisedAbsences(doc) == [d("2026-11-09"), d("2026-11-11")])
    }

    /// The field and message of the refusal, or nil when the edit was allowed.
    func refusal(_ patient: PatientID = "pat_ana", session: SessionID = "ses_2026-11-09", date: String = "2026-11-09",
                 on: String = "2026-11-10", by: StaffID? = "st_dana", note: String = "phoned", in doc: CaseloadDocument? = nil) -> ValidationIssue? {
        do {
            _ = try PatientEdits.markAbsenceReported(patient, session: session, date: d(date), on: d(on), by: by, note: note, in: doc ?? document())
            return nil
        } catch {
            guard case .invalid(let issues) = error else { return nil }
            return issues.first
        }
    }

    @Test func markingByHandIsRefusedWhenItCannotBeTrue() throws {
        #expect(refusal() == nil)
        #expect(refusal(note: " \n\t")?.field == "patients[pat_ana].reportedAbsences.note")
        #expect(refusal("pat_nobody")?.message == "no patient has the ID \"pat_nobody\"")
        #expect(refusal(session: "ses_nope")?.message == "no session has the ID \"ses_nope\"")
        // Present on 11-12; Minjun present on 11-09: neither is an unexcused absence.
        #expect(refusal(session: "ses_2026-11-12", date: "2026-11-12")?.message == "this patient is not marked absent (unexcused) at IOP-A on 2026-11-12")
        #expect(refusal("pat_minjun")?.field == "patients[pat_minjun].reportedAbsences.session")
        #expect(refusal(date: "2026-11-11")?.message == "session ses_2026-11-09 is on 2026-11-09, not 2026-11-11")
        #expect(refusal(on: "2026-11-08")?.field == "patients[pat_ana].reportedAbsences.reportedOn")
        #expect(refusal(by: "st_nobody")?.field == "patients[pat_ana].reportedAbsences.by")
        #expect(refusal(by: nil) == nil)
        var doc = document()
        try doc.apply(try PatientEdits.markAbsenceReported("pat_ana", session: "ses_2026-11-09", date: d("2026-11-09"), on: d("2026-11-10"), by: nil, note: "email", in: doc))
        #expect(refusal(in: doc)?.message == "this absence was already marked reported on 2026-11-10")
    }

    // MARK: Validation

    @Test func validationNamesABadEntryByItsPlace() {
        var doc = document()
        doc.patients[0].reportedAbsences = [
            ReportedAbsence(session: "ses_2026-11-09", date: d("2026-11-09"), reportedOn: d("2026-11-09"), note: "fine"),
            ReportedAbsence(session: "ses_gone", date: d("2026-11-11"), reportedOn: d("2026-11-10"), note: " "),
        ]
        let fields = Set(Validator.check(doc).map(\.field))
        #expect(fields == ["patients[0].reportedAbsences[1].session", "patients[0].reportedAbsences[1].note", "patients[0].reportedAbsences[1].reportedOn"])
    }

    // MARK: Keeping what a report names

    @Test func aSessionNamedByAReportedAbsenceIsNeverRemoved() throws {
        var doc = document()
        try doc.apply(try PatientEdits.markAbsenceReported("pat_ana", session: "ses_2026-11-11", date: d("2026-11-11"), on: d("2026-11-12"), by: nil, note: "phoned the officer", in: doc))
        // Later the mark is cleared (entered on the wrong person), so the session has no records of its own.
        if let i = doc.sessions.firstIndex(where: { $0.id == "ses_2026-11-11" }) { doc.sessions[i].clearMark("pat_ana") }
        #expect(throws: EditError.self) { try doc.apply(.removeSession("ses_2026-11-11")) }
        // Ending the series before that day keeps the session, so the document stays valid.
        try doc.apply(try SeriesEdits.endSeries(TestDocument.iopA.id, from: d("2026-11-10"), in: doc))
        #expect(doc.sessions.contains { $0.id == "ses_2026-11-11" })
        #expect(Validator.check(doc).filter { $0.field.contains("reportedAbsences") }.isEmpty)
    }
}
