import CaseloadCore
import Foundation
import Testing

@Suite struct SessionEditsTests {
    let d = TestDocument.date
    let t = TestDocument.time
    let signedAt = TestDocument.at("2026-11-03T03:00:00Z")

    /// TestDocument plus a third, discharged patient and a second staff member.
    func document() -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.patients.append(Patient(id: "pat_jose", mrn: "T-003", legalName: "José Ortega", primaryClinician: "st_dana", admissionDate: d("2026-11-02")))
        doc.patients.append(Patient(id: "pat_gone", mrn: "T-004", legalName: "Sam Hale", primaryClinician: "st_dana",
                                    status: .discharged(date: d("2026-11-20"), reason: .completed)))
        doc.staff.append(Staff(id: "st_lee", name: "Lee Park", credentials: "CADC", role: .facilitator, login: "LPark"))
        return doc
    }

    /// The occurrence of IOP-A on `date` as the schedule shows it.
    func item(_ date: String, in doc: CaseloadDocument) throws -> ScheduledSession {
        try #require(ScheduleIndex(doc).occurrence(of: "ser_a", on: d(date)))
    }


    /// Applies a signature or an addendum through an `EditHistory`: the model keeps signed notes, so undoing it is refused and leaves the document as signed.
    func signedOff(_ edit: DocumentEdit, to doc: CaseloadDocument, sourceLocation: SourceLocation = #_sourceLocation) throws -> CaseloadDocument {
        var working = doc
        var history = EditHistory()
        try history.perform(edit, label: "sign", on: &working)
        let after = working
        #expect(after != doc, "the edit changed nothing", sourceLocation: sourceLocation)
        #expect(throws: EditError.self, sourceLocation: sourceLocation) { try history.undo(on: &working) }
        #expect(working == after, "a refused undo changed the document", sourceLocation: sourceLocation)
        #expect(Validator.check(after).isEmpty, sourceLocation: sourceLocation)
        return after
    }

    func message(_ body: () throws -> DocumentEdit) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    func dap(_ patient: PatientID, _ data: String) -> MemberNote {
        MemberNote(patient: patient, format: .dap, sections: [
            NoteSection(heading: "Data", text: data), NoteSection(heading: "Assessment", text: "Engaged."), NoteSection(heading: "Plan", text: "Continue."),
        ])
    }

    // MARK: Roll

    @Test func markingAnUnstoredOccurrenceStoresItHeldUnderItsStoredID() throws {
        let doc = document()
        let occurrence = try item("2026-11-02", in: doc)
        #expect(!occurrence.isStored)
        let after = try applied(SessionEdits.mark("pat_ana", .present, on: occurrence, in: doc), to: doc)
        let stored = try #require(after.session("ses_ser_a_2026-11-02"))
        #expect(stored.status == .held)
        #expect(stored.attendance(for: "pat_ana") == .present)
        #expect(stored.series == "ser_a" && stored.occurrenceDate == d("2026-11-02"))
        #expect(after.sessions.count == 1)
    }

    @Test func markingAgainReplacesTheMarkAndClearingTheLastMakesItScheduled() throws {
        var doc = document()
        doc = try applied(SessionEdits.mark("pat_ana", .present, on: item("2026-11-02", in: doc), in: doc), to: doc)
        doc = try applied(SessionEdits.mark("pat_minjun", .absent, on: item("2026-11-02", in: doc), in: doc), to: doc)
        doc = try applied(SessionEdits.mark("pat_ana", .late(minutesLate: 10), on: item("2026-11-02", in: doc), in: doc), to: doc)
        #expect(doc.session("ses_ser_a_2026-11-02")?.attendance.map(\.patient) == ["pat_ana", "pat_minjun"])
        #expect(doc.session("ses_ser_a_2026-11-02")?.attendance(for: "pat_ana") == .late(minutesLate: 10))
        doc = try applied(SessionEdits.mark("pat_ana", nil, on: item("2026-11-02", in: doc), in: doc), to: doc)
        #expect(doc.session("ses_ser_a_2026-11-02")?.status == .held)
        doc = try applied(SessionEdits.mark("pat_minjun", nil, on: item("2026-11-02", in: doc), in: doc), to: doc)
        let s = try #require(doc.session("ses_ser_a_2026-11-02"))
        #expect(s.attendance.isEmpty)
        #expect(s.status == .scheduled)
    }

    @Test func statusGivesMinutesAttended() throws {
        var doc = document()
        let marks: [(PatientID, AttendanceStatus, Int)] = [
            ("pat_ana", .late(minutesLate: 10), 170),
            ("pat_minjun", .leftEarly(minutesAttended: 120), 120),
        ]
        for (patient, status, _) in marks {
            doc = try applied(SessionEdits.mark(patient, status, on: item("2026-11-02", in: doc), in: doc), to: doc)
        }
        var s = try #require(doc.session("ses_ser_a_2026-11-02"))
        for (patient, _, minutes) in marks { #expect(s.minutesAttended(by: patient) == minutes) }
        for (status, minutes) in [(AttendanceStatus.present, 180), (.excused(reason: "court"), 0), (.absent, 0)] {
            s.mark("pat_ana", status)
            #expect(s.minutesAttended(by: "pat_ana") == minutes)
        }
    }

    @Test func markingRefusesOutOfRangeMinutesAnEmptyReasonAndStrangers() throws {
        let doc = document()
        let occurrence = try item("2026-11-02", in: doc)
        func refused(_ patient: PatientID, _ status: AttendanceStatus?) -> String? {
            message { try SessionEdits.mark(patient, status, on: occurrence, in: doc) }
        }
        #expect(refused("pat_ana", .late(minutesLate: 0))?.contains("between 1 and the session's 180 minutes") == true)
        #expect(refused("pat_ana", .late(minutesLate: 181)) != nil)
        #expect(refused("pat_ana", .late(minutesLate: 180)) == nil)
        #expect(refused("pat_ana", .late(minutesLate: 1)) == nil)
        #expect(refused("pat_ana", .leftEarly(minutesAttended: -1)) != nil)
        #expect(refused("pat_ana", .leftEarly(minutesAttended: 180))?.contains("between 0 and 179") == true)
        #expect(refused("pat_ana", .leftEarly(minutesAttended: 179)) == nil)
        #expect(refused("pat_ana", .leftEarly(minutesAttended: 0)) == nil)
        #expect(refused("pat_ana", .excused(reason: "  "))?.contains("needs a reason") == true)
        #expect(refused("pat_jose", .present)?.contains("not on IOP-A on Mon 2026-11-02") == true)
        #expect(refused("pat_ana", nil)?.contains("no mark to clear") == true)
    }

    @Test func anExcusedReasonIsTrimmedAndTheSameMarkTwiceIsRefused() throws {
        var doc = document()
        doc = try applied(SessionEdits.mark("pat_ana", .excused(reason: " court date "), on: item("2026-11-02", in: doc), in: doc), to: doc)
        #expect(doc.session("ses_ser_a_2026-11-02")?.attendance(for: "pat_ana") == .excused(reason: "court date"))
        let occurrence = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.mark("pat_ana", .excused(reason: "court date"), on: occurrence, in: doc) }?.contains("already marked excused") == true)
    }

    @Test func aMarkedMemberIsNotRemovedUntilTheMarkIsClearedAndThenCannotBeMarked() throws {
        var doc = document()
        doc = try applied(SessionEdits.mark("pat_ana", .present, on: item("2026-11-02", in: doc), in: doc), to: doc)
        let marked = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.removeFromOccurrence("pat_ana", from: marked, in: doc) }?.contains("marked present on IOP-A on Mon 2026-11-02; clear the mark first") == true)
        doc = try applied(SessionEdits.mark("pat_ana", nil, on: item("2026-11-02", in: doc), in: doc), to: doc)
        doc = try applied(SessionEdits.removeFromOccurrence("pat_ana", from: item("2026-11-02", in: doc), in: doc), to: doc)
        let removed = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.mark("pat_ana", .absent, on: removed, in: doc) }?.contains("not on IOP-A on Mon 2026-11-02; add them as a drop-in first") == true)
        #expect(message { try SessionEdits.mark("pat_jose", .present, on: removed, in: doc) }?.contains("not on IOP-A") == true)
        #expect(Validator.marksOnNonMembers(doc).isEmpty)
    }

    @Test func aMarkFoundOnARemovedPatientCanOnlyBeCleared() throws {
        var doc = document()
        var s = Session(id: "ses_old", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        s.mark("pat_ana", .present)
        s.removed = ["pat_ana"]
        doc.sessions = [s]   // as an older file may hold it
        let occurrence = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.mark("pat_ana", .absent, on: occurrence, in: doc) }?.contains("counts nowhere") == true)
        try doc.apply(SessionEdits.mark("pat_ana", nil, on: occurrence, in: doc))
        #expect(doc.session("ses_old")?.attendance(for: "pat_ana") == nil)
        #expect(Validator.marksOnNonMembers(doc).isEmpty)
    }

    @Test func rollIsRefusedOnACancelledOrCalledOffSession() throws {
        let doc = document()
        let cancelled = try applied(SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-11-02"), reason: "holiday", in: doc), to: doc)
        let item1 = try item("2026-11-02", in: cancelled)
        #expect(message { try SessionEdits.mark("pat_ana", .present, on: item1, in: cancelled) }?.contains("cancelled: restore it first") == true)
        #expect(message { try SessionEdits.markAllUnmarkedPresent(on: item1, in: cancelled) }?.contains("cancelled: restore it first") == true)
        let calledOff = try applied(SessionEdits.markDidNotTakePlace(item("2026-11-04", in: doc), reason: "power cut", in: doc), to: doc)
        let item2 = try item("2026-11-04", in: calledOff)
        #expect(message { try SessionEdits.mark("pat_ana", .present, on: item2, in: calledOff) }?.contains("did not take place: restore it first") == true)
    }

    @Test func allUnmarkedPresentMarksOnlyTheUnmarkedInOneEdit() throws {
        var doc = document()
        doc = try applied(SessionEdits.addDropIn("pat_jose", to: item("2026-11-02", in: doc), in: doc), to: doc)
        doc = try applied(SessionEdits.mark("pat_minjun", .absent, on: item("2026-11-02", in: doc), in: doc), to: doc)
        let edit = try SessionEdits.markAllUnmarkedPresent(on: item("2026-11-02", in: doc), in: doc)
        guard case .putSession = edit else { Issue.record("expected one putSession, got \(edit)"); return }
        doc = try applied(edit, to: doc)
        let s = try #require(doc.session("ses_ser_a_2026-11-02"))
        #expect(s.attendance(for: "pat_ana") == .present)
        #expect(s.attendance(for: "pat_jose") == .present)
        #expect(s.attendance(for: "pat_minjun") == .absent)
        let occurrence = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.markAllUnmarkedPresent(on: occurrence, in: doc) }?.contains("already marked") == true)
    }

    // MARK: Drop-ins and removal

    @Test func aDropInIsOnThatOccurrenceOnly() throws {
        let doc = document()
        let after = try applied(SessionEdits.addDropIn("pat_jose", to: item("2026-11-02", in: doc), in: doc), to: doc)
        let index = ScheduleIndex(after)
        let s = try #require(index.occurrence(of: "ser_a", on: d("2026-11-02")))
        #expect(s.isStored)
        #expect(s.session.added == ["pat_jose"])
        #expect(s.session.members(series: TestDocument.iopA) == ["pat_ana", "pat_minjun", "pat_jose"])
        let nextWeek = try #require(index.occurrence(of: "ser_a", on: d("2026-11-09")))
        #expect(!nextWeek.session.members(series: TestDocument.iopA).contains("pat_jose"))
        #expect(after.series("ser_a") == TestDocument.iopA)
    }

    @Test func aDropInIsRefusedForAMemberOrADischargedPatient() throws {
        let doc = document()
        let occurrence = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.addDropIn("pat_ana", to: occurrence, in: doc) }?.contains("already on IOP-A") == true)
        #expect(message { try SessionEdits.addDropIn("pat_gone", to: occurrence, in: doc) }?.contains("discharged on 2026-11-20") == true)
        #expect(message { try SessionEdits.addDropIn("pat_nobody", to: occurrence, in: doc) }?.contains("no patient") == true)
    }

    @Test func addingBackARemovedMemberTakesThemOutOfRemoved() throws {
        var doc = document()
        doc = try applied(SessionEdits.removeFromOccurrence("pat_minjun", from: item("2026-11-02", in: doc), in: doc), to: doc)
        #expect(doc.session("ses_ser_a_2026-11-02")?.removed == ["pat_minjun"])
        doc = try applied(SessionEdits.addDropIn("pat_minjun", to: item("2026-11-02", in: doc), in: doc), to: doc)
        let s = try #require(doc.session("ses_ser_a_2026-11-02"))
        #expect(s.removed.isEmpty && s.added.isEmpty)
        #expect(s.members(series: TestDocument.iopA) == ["pat_ana", "pat_minjun"])
    }

    @Test func removingKeepsNotesAndIsRefusedWhileAMarkStands() throws {
        var doc = document()
        doc = try applied(SessionEdits.addDropIn("pat_jose", to: item("2026-11-02", in: doc), in: doc), to: doc)
        doc = try applied(SessionEdits.mark("pat_jose", .present, on: item("2026-11-02", in: doc), in: doc), to: doc)
        doc = try applied(SessionEdits.writeMemberNote(dap("pat_minjun", "Quiet."), on: item("2026-11-02", in: doc), in: doc), to: doc)
        #expect(SessionEdits.hasRecord("pat_jose", on: try item("2026-11-02", in: doc)))
        #expect(SessionEdits.hasRecord("pat_minjun", on: try item("2026-11-02", in: doc)))
        #expect(!SessionEdits.hasRecord("pat_ana", on: try item("2026-11-02", in: doc)))
        let marked = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.removeFromOccurrence("pat_jose", from: marked, in: doc) }?.contains("clear the mark first") == true)
        doc = try applied(SessionEdits.removeFromOccurrence("pat_minjun", from: item("2026-11-02", in: doc), in: doc), to: doc)
        let s = try #require(doc.session("ses_ser_a_2026-11-02"))
        #expect(s.added == ["pat_jose"])
        #expect(s.removed == ["pat_minjun"])
        #expect(s.members(series: TestDocument.iopA) == ["pat_ana", "pat_jose"])
        #expect(s.attendance(for: "pat_jose") == .present)
        #expect(s.memberNote(for: "pat_minjun")?.sections.first?.text == "Quiet.")
        #expect(SessionEdits.removedWithRecord(on: try item("2026-11-02", in: doc), in: doc) == ["pat_minjun"])
        let occurrence = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.removeFromOccurrence("pat_minjun", from: occurrence, in: doc) }?.contains("not on IOP-A") == true)
    }

    // MARK: Roster changes on the series

    @Test func rosterChangesLeavePastOccurrencesUntouched() throws {
        var doc = document()
        doc = try applied(SessionEdits.mark("pat_minjun", .present, on: item("2026-11-02", in: doc), in: doc), to: doc)
        doc = try applied(SessionEdits.writeMemberNote(dap("pat_minjun", "Shared a goal."), on: item("2026-11-02", in: doc), in: doc), to: doc)
        let past = try #require(doc.session("ses_ser_a_2026-11-02"))
        // Min-jun leaves from 2026-11-16; José joins the same day.
        var series = try #require(doc.series("ser_a"))
        series.roster[1].left = d("2026-11-16")
        series.roster.append(RosterEntry(patient: "pat_jose", joined: d("2026-11-16")))
        doc = try applied(.putSeries(series), to: doc)
        #expect(doc.session("ses_ser_a_2026-11-02") == past)
        #expect(past.members(series: series) == ["pat_ana", "pat_minjun"])
        let index = ScheduleIndex(doc)
        #expect(index.occurrence(of: "ser_a", on: d("2026-11-02"))?.session.members(series: series) == ["pat_ana", "pat_minjun"])
        #expect(index.occurrence(of: "ser_a", on: d("2026-11-16"))?.session.members(series: series) == ["pat_ana", "pat_jose"])
        #expect(index.occurrence(of: "ser_a", on: d("2026-11-12"))?.session.members(series: series) == ["pat_ana", "pat_minjun"])
    }

    // MARK: Notes and signing

    @Test func notesAreWrittenSignedAndThenOnlyTakeAddenda() throws {
        var doc = document()
        doc = try applied(SessionEdits.writeGroupNote(GroupNote(topic: "Triggers", modality: .cbt, narrative: "Mapped high-risk situations."), on: item("2026-11-02", in: doc), in: doc), to: doc)
        doc = try applied(SessionEdits.writeMemberNote(dap("pat_ana", "Engaged."), on: item("2026-11-02", in: doc), in: doc), to: doc)
        doc = try signedOff(SessionEdits.signGroupNote(on: item("2026-11-02", in: doc), by: "st_dana", at: signedAt, in: doc), to: doc)
        doc = try signedOff(SessionEdits.signMemberNote(for: "pat_ana", on: item("2026-11-02", in: doc), by: "st_lee", at: signedAt, in: doc), to: doc)
        let signed = try #require(doc.session("ses_ser_a_2026-11-02"))
        #expect(signed.groupNote?.signature == Signature(by: "st_dana", at: signedAt))
        #expect(signed.memberNote(for: "pat_ana")?.signature == Signature(by: "st_lee", at: signedAt))

        let occurrence = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.writeGroupNote(GroupNote(topic: "x", narrative: "y"), on: occurrence, in: doc) }?.contains("cannot be changed; add an addendum instead") == true)
        #expect(message { try SessionEdits.writeMemberNote(dap("pat_ana", "Rewritten."), on: occurrence, in: doc) }?.contains("cannot be changed; add an addendum instead") == true)
        #expect(message { try SessionEdits.signGroupNote(on: occurrence, by: "st_dana", at: signedAt, in: doc) } != nil)
        #expect(message { try SessionEdits.signMemberNote(for: "pat_ana", on: occurrence, by: "st_dana", at: signedAt, in: doc) } != nil)

        // The document itself refuses a put that changes the signed text.
        let forged = try forgedCopy(of: signed)
        var copy = doc
        #expect(throws: EditError.self) { try copy.apply(.putSession(forged)) }
        #expect(copy == doc)

        let addendum = Addendum(by: "st_dana", at: TestDocument.at("2026-11-04T15:00:00Z"), text: "Late entry: called re transport.")
        doc = try signedOff(SessionEdits.addGroupAddendum(on: item("2026-11-02", in: doc), addendum, in: doc), to: doc)
        doc = try signedOff(SessionEdits.addMemberAddendum(for: "pat_ana", on: item("2026-11-02", in: doc), addendum, in: doc), to: doc)
        let final = try #require(doc.session("ses_ser_a_2026-11-02"))
        #expect(final.groupNote?.addenda == [addendum])
        #expect(final.memberNote(for: "pat_ana")?.addenda == [addendum])
        #expect(final.groupNote?.narrative == "Mapped high-risk situations.")
    }

    /// A session with the same ID whose signed group note says something else, signed too (built by hand, as a forged file would be).
    func forgedCopy(of signed: Session) throws -> Session {
        var forged = Session(id: signed.id, occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        try forged.setGroupNote(GroupNote(topic: "Triggers", modality: .cbt, narrative: "Other words."))
        try forged.signGroupNote(Signature(by: "st_dana", at: signedAt))
        return forged
    }

    @Test func signingNeedsANoteAStaffMemberAndContent() throws {
        let doc = document()
        let occurrence = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.signGroupNote(on: occurrence, by: "st_dana", at: signedAt, in: doc) }?.contains("there is no group note") == true)
        let written = try applied(SessionEdits.writeMemberNote(MemberNote(patient: "pat_ana", format: .birp), on: occurrence, in: doc), to: doc)
        let again = try item("2026-11-02", in: written)
        #expect(message { try SessionEdits.signMemberNote(for: "pat_ana", on: again, by: "st_dana", at: signedAt, in: written) }?.contains("empty; write it before signing") == true)
        #expect(message { try SessionEdits.signMemberNote(for: "pat_ana", on: again, by: "st_nobody", at: signedAt, in: written) }?.contains("no staff member") == true)
        #expect(message { try SessionEdits.addMemberAddendum(for: "pat_ana", on: again, Addendum(by: "st_dana", at: signedAt, text: "x"), in: written) }?.contains("not signed yet") == true)
        #expect(message { try SessionEdits.writeMemberNote(dap("pat_jose", "x"), on: again, in: written) }?.contains("not on IOP-A") == true)
    }

    // MARK: Did not take place

    @Test func didNotTakePlaceNeedsAReasonAndUncancelRestoresIt() throws {
        var doc = document()
        doc = try applied(SessionEdits.mark("pat_ana", .present, on: item("2026-11-02", in: doc), in: doc), to: doc)
        let occurrence = try item("2026-11-02", in: doc)
        #expect(message { try SessionEdits.markDidNotTakePlace(occurrence, reason: " ", in: doc) }?.contains("give a reason") == true)
        let calledOff = try applied(SessionEdits.markDidNotTakePlace(occurrence, reason: " facilitator ill ", in: doc), to: doc)
        let s = try #require(calledOff.session("ses_ser_a_2026-11-02"))
        #expect(s.status == .didNotTakePlace(reason: "facilitator ill"))
        #expect(s.attendance(for: "pat_ana") == .present)
        #expect(s.minutesAttended(by: "pat_ana") == 0)
        let restored = try applied(SeriesEdits.uncancel(s.id, in: calledOff), to: calledOff)
        #expect(restored == doc)

        // An unstored occurrence called off, then restored: scheduled again.
        let fresh = document()
        let off = try applied(SessionEdits.markDidNotTakePlace(item("2026-11-04", in: fresh), reason: "snow", in: fresh), to: fresh)
        let back = try applied(SeriesEdits.uncancelOccurrence(of: "ser_a", on: d("2026-11-04"), in: off), to: off)
        #expect(back.session("ses_ser_a_2026-11-04")?.status == .scheduled)
    }

    @Test func aCancelledSessionIsNotCalledOff() throws {
        let doc = document()
        let cancelled = try applied(SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-11-02"), reason: "holiday", in: doc), to: doc)
        let occurrence = try item("2026-11-02", in: cancelled)
        #expect(message { try SessionEdits.markDidNotTakePlace(occurrence, reason: "x", in: cancelled) }?.contains("cancelled: restore it first") == true)
    }

    // MARK: Signer and note age

    @Test func theSignerIsFoundByLoginIgnoringCase() {
        let doc = document()
        #expect(Signer.staff(forLogin: "DANA", in: doc)?.id == "st_dana")
        #expect(Signer.staff(forLogin: "lpark", in: doc)?.id == "st_lee")
        #expect(Signer.staff(forLogin: "root", in: doc) == nil)
        #expect(Signer.staff(forLogin: nil, in: doc) == nil)
        #expect(Signer.staff(forLogin: "", in: doc) == nil)
    }

    @Test func aNoteIsOverdueSeventyTwoHoursAfterTheSessionEnds() throws {
        let zone = try #require(TimeZone(identifier: "America/Chicago"))
        var s = Session(id: "ses_1", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        // Ends Mon 2026-11-02 21:00 CST = 2026-11-03T03:00Z; 72 h later is 2026-11-06T03:00Z.
        func now(_ text: String) throws -> Date { try #require(ClockSetting.parse(text, zone: zone)) }
        #expect(!NoteAge.isOverdue(s, now: try now("2026-11-10T00:00Z"), zone: zone))
        try s.setMemberNote(MemberNote(patient: "pat_ana", format: .dap))
        #expect(!NoteAge.isOverdue(s, now: try now("2026-11-06T03:00Z"), zone: zone))
        #expect(NoteAge.isOverdue(s, now: try now("2026-11-06T03:01Z"), zone: zone))
        #expect(!NoteAge.isOverdue(s, now: try now("2026-11-03T03:00Z"), zone: zone, hours: 24))
        #expect(NoteAge.isOverdue(s, now: try now("2026-11-04T03:01Z"), zone: zone, hours: 24))

        var signed = Session(id: "ses_2", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        try signed.setGroupNote(GroupNote(topic: "Triggers", narrative: "Mapped."))
        #expect(NoteAge.isOverdue(signed, now: try now("2026-11-06T03:01Z"), zone: zone))
        try signed.signGroupNote(Signature(by: "st_dana", at: signedAt))
        #expect(!NoteAge.isOverdue(signed, now: try now("2026-11-06T03:01Z"), zone: zone))
    }

    /// Autosave's draft: the note being typed is written in when it still applies, and dropped (the document kept) when
    /// it no longer does, such as after the note was signed from elsewhere.
    @Test func aDraftIsWrittenInWhenItAppliesAndDroppedWhenItDoesNot() throws {
        let doc = document()
        let draft = try SessionEdits.writeMemberNote(dap("pat_minjun", "Typed so far"), on: item("2026-11-02", in: doc), in: doc)
        let resolved = DocumentDraft(doc, draft: draft).resolved
        #expect(resolved.sessions.count == doc.sessions.count + 1)
        #expect(resolved.sessions.last?.memberNotes.first?.sections.first?.text == "Typed so far")
        #expect(DocumentDraft(doc).resolved == doc)
        // The same draft against a document where that session's note is signed: refused, so the document is kept as is.
        let written = try applied(SessionEdits.writeMemberNote(dap("pat_minjun", "Final"), on: item("2026-11-02", in: doc), in: doc), to: doc)
        let stale = try SessionEdits.writeMemberNote(dap("pat_minjun", "Typed so far"), on: item("2026-11-02", in: written), in: written)
        #expect(DocumentDraft(written, draft: stale).resolved != written)
        let signed = try signedOff(SessionEdits.signMemberNote(for: "pat_minjun", on: item("2026-11-02", in: written), by: "st_dana", at: signedAt, in: written), to: written)
        #expect(DocumentDraft(signed, draft: stale).resolved == signed)
    }
}
