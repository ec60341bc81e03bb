import CaseloadCore
import Foundation
import Testing

/// Co-signature (issue 19): who may co-sign, what is final, addenda after co-signature, the flag's moment, the alert,
/// the audit event and the file fields.
@Suite struct CoSignatureTests {
    static let d = TestDocument.date
    static let at = TestDocument.at

    // Dana supervises Alex (an associate whose notes need co-signature); Robin is the director; Lee another clinician.
    static let dana = Staff(id: "st_dana", name: "Dana Reyes", credentials: "LCSW", role: .supervisor, login: "dana")
    static let alex = Staff(id: "st_alex", name: "Alex Kim", credentials: "LCADC-A", role: .clinician, login: "alex",
                            supervisor: "st_dana", needsCoSignature: true)
    static let robin = Staff(id: "st_robin", name: "Robin Ames", credentials: "LCSW", role: .director, login: "robin")
    static let lee = Staff(id: "st_lee", name: "Lee Park", credentials: "LPC", role: .clinician, login: "lee")

    static func document(alexNeedsCoSignature: Bool = true) -> CaseloadDocument {
        var alex = Self.alex
        alex.needsCoSignature = alexNeedsCoSignature
        return CaseloadDocument(program: TestDocument.program, staff: [dana, alex, robin, lee],
                                patients: [TestDocument.ana, TestDocument.minjun], series: [TestDocument.iopA])
    }

    /// Mon 2 Nov 2026, IOP-A 18:00–21:00 (Chicago): Ana's member note and the group note, written by Alex.
    static func item(_ doc: CaseloadDocument, on date: String = "2026-11-02") throws -> ScheduledSession {
        let schedule = ScheduleIndex(doc)
        return try #require(schedule.occurrence(of: "ser_a", on: d(date)))
    }

    static func written(_ doc: inout CaseloadDocument, on date: String = "2026-11-02") throws -> ScheduledSession {
        let note = MemberNote(patient: "pat_ana", format: .dap, sections: [
            NoteSection(heading: "Data", text: "Engaged."), NoteSection(heading: "Assessment", text: "Stable."), NoteSection(heading: "Plan", text: "Continue."),
        ], author: "st_alex")
        try doc.apply(SessionEdits.writeMemberNote(note, on: try item(doc, on: date), in: doc))
        try doc.apply(SessionEdits.writeGroupNote(GroupNote(topic: "Triggers", narrative: "Mapped situations.", author: "st_alex"), on: try item(doc, on: date), in: doc))
        return try item(doc, on: date)
    }

    /// Alex signs Ana's note at 02:00Z on 3 Nov (20:00 on 2 Nov in Chicago).
    static func signedByAlex(_ doc: inout CaseloadDocument) throws -> SessionID {
        let item = try written(&doc)
        try doc.apply(SessionEdits.signMemberNote(for: "pat_ana", on: item, by: "st_alex", at: at("2026-11-03T02:00:00Z"), in: doc))
        return try #require(doc.sessions.first?.id)
    }

    static func note(_ doc: CaseloadDocument, _ id: SessionID) -> MemberNote? { doc.session(id)?.memberNote(for: "pat_ana") }

    @Test func aNoteSignedByAnAssociateAwaitsTheSupervisorsCoSignatureAndQueuesForThemAlone() throws {
        var doc = Self.document()
        let id = try Self.signedByAlex(&doc)
        let note = try #require(Self.note(doc, id))
        #expect(note.signature?.needsCoSignature == true)
        #expect(note.signState == .awaitingCoSignature)
        #expect(!note.signState.isComplete)
        let queue = CoSigning.queue(for: "st_dana", in: doc)
        #expect(queue.map(\.target) == [CoSignTarget(session: id, patient: "pat_ana")])
        #expect(queue.first?.author == "st_alex")
        #expect(CoSigning.queue(for: "st_lee", in: doc).isEmpty)
        #expect(CoSigning.queue(for: "st_robin", in: doc).isEmpty)
        #expect(CoSigning.supervisesAnyone("st_dana", in: doc))
        #expect(!CoSigning.supervisesAnyone("st_lee", in: doc))
    }

    @Test func onlyTheAuthorsSupervisorCoSignsNotTheDirectorNotAnotherClinicianNotTheAuthor() throws {
        var doc = Self.document()
        let id = try Self.signedByAlex(&doc)
        let target = CoSignTarget(session: id, patient: "pat_ana")
        let when = Self.at("2026-11-04T15:00:00Z")
        for who: StaffID in ["st_robin", "st_lee", "st_alex"] {
            #expect(throws: EditError.self, "\(who) may not co-sign") { try CoSigning.coSign(target, by: who, at: when, in: doc) }
        }
        do {
            _ = try CoSigning.coSign(target, by: "st_alex", at: when, in: doc)
        } catch {
            #expect(error.description.contains("nobody co-signs their own note"))
        }
        try doc.apply(CoSigning.coSign(target, by: "st_dana", at: when, in: doc))
        let note = try #require(Self.note(doc, id))
        #expect(note.signature?.coSignature == CoSignature(by: "st_dana", at: when))
        #expect(note.signState == .final)
        #expect(CoSigning.queue(for: "st_dana", in: doc).isEmpty)
    }

    @Test func aCoSignedNoteIsFinalNoSecondCoSignatureNoUndoNoRemovalByHand() throws {
        var doc = Self.document()
        var history = EditHistory()
        let id = try Self.signedByAlex(&doc)
        let target = CoSignTarget(session: id, patient: "pat_ana")
        try history.perform(CoSigning.coSign(target, by: "st_dana", at: Self.at("2026-11-04T15:00:00Z"), in: doc), label: "co-sign", on: &doc)
        let coSigned = try #require(doc.session(id))
        #expect(throws: EditError.self) { try CoSigning.coSign(target, by: "st_dana", at: Self.at("2026-11-05T15:00:00Z"), in: doc) }
        #expect(throws: EditError.self, "undo does not take a co-signature back") { try history.undo(on: &doc) }
        #expect(doc.session(id) == coSigned)
        #expect(throws: EditError.self) { try doc.apply(.removeSession(id)) }
        #expect(doc.session(id)?.memberNote(for: "pat_ana")?.signState == .final)
    }

    @Test func anAddendumByTheAuthorAfterCoSignatureNeedsItsOwnCoSignatureOneBeforeItDoesNot() throws {
        var doc = Self.document()
        let id = try Self.signedByAlex(&doc)
        // While the note waits, Alex's addendum goes with it: Dana reads it when co-signing the note.
        try doc.apply(SessionEdits.addMemberAddendum(for: "pat_ana", on: Self.item(doc), Addendum(by: "st_alex", at: Self.at("2026-11-03T15:00:00Z"), text: "Called back."), in: doc))
        #expect(Self.note(doc, id)?.addenda.first?.needsCoSignature == false)
        try doc.apply(CoSigning.coSign(CoSignTarget(session: id, patient: "pat_ana"), by: "st_dana", at: Self.at("2026-11-04T15:00:00Z"), in: doc))
        #expect(Self.note(doc, id)?.signState == .final)
        // After the co-signature, Alex's next addendum waits for its own.
        try doc.apply(SessionEdits.addMemberAddendum(for: "pat_ana", on: Self.item(doc), Addendum(by: "st_alex", at: Self.at("2026-11-05T15:00:00Z"), text: "Transport arranged."), in: doc))
        let note = try #require(Self.note(doc, id))
        #expect(note.addenda.map(\.needsCoSignature) == [false, true])
        #expect(note.signState == .awaitingCoSignature, "the note is not final while an addendum waits")
        #expect(CoSigning.queue(for: "st_dana", in: doc).map(\.target) == [CoSignTarget(session: id, patient: "pat_ana", addendum: 1)])
        // An addendum by the supervisor needs none.
        try doc.apply(SessionEdits.addMemberAddendum(for: "pat_ana", on: Self.item(doc), Addendum(by: "st_dana", at: Self.at("2026-11-05T16:00:00Z"), text: "Reviewed."), in: doc))
        #expect(Self.note(doc, id)?.addenda.last?.needsCoSignature == false)
        #expect(throws: EditError.self, "the first addendum needs no co-signature") {
            try CoSigning.coSign(CoSignTarget(session: id, patient: "pat_ana", addendum: 0), by: "st_dana", at: Self.at("2026-11-06T15:00:00Z"), in: doc)
        }
        try doc.apply(CoSigning.coSign(CoSignTarget(session: id, patient: "pat_ana", addendum: 1), by: "st_dana", at: Self.at("2026-11-06T15:00:00Z"), in: doc))
        #expect(Self.note(doc, id)?.addenda[1].coSignature == CoSignature(by: "st_dana", at: Self.at("2026-11-06T15:00:00Z")))
        #expect(Self.note(doc, id)?.signState == .final)
    }

    @Test func aNoteSignedBeforeTheFlagWasSetNeedsNoneAndClearingTheFlagReleasesNothing() throws {
        var doc = Self.document(alexNeedsCoSignature: false)
        let id = try Self.signedByAlex(&doc)
        var alex = Self.alex
        try doc.apply(.putStaff(alex))   // the flag set after the signature
        #expect(Self.note(doc, id)?.signState == .final)
        #expect(CoSigning.queue(for: "st_dana", in: doc).isEmpty)
        #expect(throws: EditError.self) { try CoSigning.coSign(CoSignTarget(session: id, patient: "pat_ana"), by: "st_dana", at: Self.at("2026-11-04T15:00:00Z"), in: doc) }
        // Signed with the flag set, then the flag cleared: the group note still waits.
        try doc.apply(SessionEdits.signGroupNote(on: Self.item(doc), by: "st_alex", at: Self.at("2026-11-03T03:00:00Z"), in: doc))
        alex.needsCoSignature = false
        try doc.apply(.putStaff(alex))
        #expect(doc.session(id)?.groupNote?.signState == .awaitingCoSignature)
        #expect(CoSigning.queue(for: "st_dana", in: doc).map(\.target) == [CoSignTarget(session: id)])
    }

    @Test func theQueueIsOldestSessionFirst() throws {
        var doc = Self.document()
        // Signed in the opposite order to the sessions' dates.
        for date in ["2026-11-05", "2026-11-02", "2026-11-04"] {
            let item = try Self.written(&doc, on: date)
            try doc.apply(SessionEdits.signMemberNote(for: "pat_ana", on: item, by: "st_alex", at: Self.at("2026-11-06T02:00:00Z"), in: doc))
        }
        #expect(CoSigning.queue(for: "st_dana", in: doc).map(\.date) == [Self.d("2026-11-02"), Self.d("2026-11-04"), Self.d("2026-11-05")])
    }

    @Test func aSupervisorIsAnotherStaffMemberAndCannotBeDeletedWhileNamed() throws {
        var doc = Self.document()
        var alex = Self.alex
        alex.supervisor = "st_alex"
        #expect(throws: EditError.self) { try doc.apply(.putStaff(alex)) }
        alex.supervisor = "st_nobody"
        #expect(throws: EditError.self) { try doc.apply(.putStaff(alex)) }
        #expect(throws: EditError.self) { try doc.apply(.removeStaff("st_dana")) }
    }

    @Test func theAlertComesAfterMoreThanTheProgramsDaysAndNamesNoPatient() throws {
        var doc = Self.document()
        _ = try Self.signedByAlex(&doc)   // signed 2026-11-03T02:00Z
        func alerts(_ now: String) -> [Alert] {
            Alerts.compute(doc, schedule: ScheduleIndex(doc), now: Self.at(now).date, today: Self.d(String(now.prefix(10)))).filter { $0.kind == .coSignatureOverdue }
        }
        // 7 days exactly is not more than 7.
        #expect(alerts("2026-11-10T02:00:00Z").isEmpty)
        let late = alerts("2026-11-11T02:00:00Z")
        #expect(late.count == 1)
        let alert = try #require(late.first)
        #expect(alert.patient == "pat_ana")
        #expect(alert.message == "member note for IOP-A on Mon 2026-11-02 has waited 8 days for co-signature by Dana Reyes")
        #expect(!alert.message.contains("Ana"))
        // The program's own number of days.
        var program = doc.program
        program.clinical.coSignatureAlertDays = 3
        try doc.apply(.setProgram(program))
        #expect(alerts("2026-11-07T02:00:00Z").count == 1)
        #expect(alerts("2026-11-06T02:00:00Z").isEmpty)
    }

    @Test func coSigningIsAuditedAsNoteCosignWithIdsOnly() throws {
        var doc = Self.document()
        let id = try Self.signedByAlex(&doc)
        let before = doc
        let edit = try CoSigning.coSign(CoSignTarget(session: id, patient: "pat_ana"), by: "st_dana", at: Self.at("2026-11-04T15:00:00Z"), in: doc)
        try doc.apply(edit)
        let events = AuditEvent.changes(by: edit, from: before, to: doc)
        #expect(events == [AuditEvent("note.cosign", ["session:\(id.rawValue)", "patient:pat_ana", "note:pat_ana"])])
    }

    @Test func addendumCoSignatureFieldsRoundTripAndAreLeftOutWhenUnused() throws {
        let plain = Addendum(by: "st_dana", at: Self.at("2026-11-04T15:00:00Z"), text: "x")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let plainJSON = String(decoding: try encoder.encode(plain), as: UTF8.self)
        #expect(plainJSON == #"{"at":"2026-11-04T15:00:00Z","by":"st_dana","text":"x"}"#)
        let waiting = Addendum(by: "st_alex", at: plain.at, text: "y", needsCoSignature: true, coSignature: CoSignature(by: "st_dana", at: Self.at("2026-11-05T15:00:00Z")))
        let json = String(decoding: try encoder.encode(waiting), as: UTF8.self)
        #expect(json == #"{"at":"2026-11-04T15:00:00Z","by":"st_alex","coSignature":{"at":"2026-11-05T15:00:00Z","by":"st_dana"},"needsCoSignature":true,"text":"y"}"#)
        #expect(try JSONDecoder().decode(Addendum.self, from: Data(json.utf8)) == waiting)
        #expect(try JSONDecoder().decode(Addendum.self, from: Data(plainJSON.utf8)) == plain)
    }
}

/// Issue 19: what counts as complete. Only a final note is; a note awaiting co-signature is not "unsigned" (the author
/// has signed it): the 72-hour unsigned-note alert and the Patients pane's ✎ leave it to the co-signature alert and queue.
@Suite struct NoteCompletenessTests {
    @Test func aNoteAwaitingCoSignatureIsIncompleteButNotUnsigned() throws {
        var doc = CoSignatureTests.document()
        let id = try CoSignatureTests.signedByAlex(&doc)   // Ana's note signed by Alex; the group note left unsigned
        let session = try #require(doc.session(id))
        #expect(session.memberNote(for: "pat_ana")?.signState.isComplete == false)
        #expect(session.hasNoteAwaitingCoSignature)
        // Four days after the session (ended 2026-11-03T03:00Z): over 72 h, under the 7 co-signature days.
        let now = CoSignatureTests.at("2026-11-07T03:00:00Z").date
        let alerts = Alerts.compute(doc, schedule: ScheduleIndex(doc), now: now, today: CoSignatureTests.d("2026-11-06"))
        let unsigned = alerts.filter { $0.kind == .unsignedNote }
        // Hand-counted: only the unsigned group note is late; Ana's signed note is not among the unsigned.
        #expect(unsigned.count == 1)
        #expect(unsigned.first?.message.hasPrefix("group note unsigned") == true)
        #expect(unsigned.first?.patient == nil)
        #expect(alerts.filter { $0.kind == .coSignatureOverdue }.isEmpty)
        let flags = PatientFlagIndex.build(doc, now: now, today: CoSignatureTests.d("2026-11-06"))
        #expect(flags["pat_ana"]?.unsignedNotes == 0)
    }

    @Test func coSignedTheNoteIsComplete() throws {
        var doc = CoSignatureTests.document()
        let id = try CoSignatureTests.signedByAlex(&doc)
        try doc.apply(CoSigning.coSign(CoSignTarget(session: id, patient: "pat_ana"), by: "st_dana", at: CoSignatureTests.at("2026-11-04T15:00:00Z"), in: doc))
        #expect(doc.session(id)?.memberNote(for: "pat_ana")?.signState.isComplete == true)
        #expect(doc.session(id)?.hasNoteAwaitingCoSignature == false)
    }
}

/// Issue 19 and the three-way merge (issue 18): a co-signature given in one instance while another adds an addendum.
@Suite struct CoSignatureMergeTests {
    @Test func aCoSignatureOnOneSideAndAnAddendumOnTheOtherBothArriveWithoutConflict() throws {
        var base = CoSignatureTests.document()
        let id = try CoSignatureTests.signedByAlex(&base)
        var theirs = base
        try theirs.apply(CoSigning.coSign(CoSignTarget(session: id, patient: "pat_ana"), by: "st_dana", at: CoSignatureTests.at("2026-11-04T15:00:00Z"), in: theirs))
        var mine = base
        try mine.apply(SessionEdits.addMemberAddendum(for: "pat_ana", on: CoSignatureTests.item(mine), Addendum(by: "st_alex", at: CoSignatureTests.at("2026-11-04T16:00:00Z"), text: "Called back."), in: mine))
        let result = DocumentMerge.merge(base: base, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        let note = try #require(result.merged.session(id)?.memberNote(for: "pat_ana"))
        #expect(note.signature?.coSignature == CoSignature(by: "st_dana", at: CoSignatureTests.at("2026-11-04T15:00:00Z")))
        #expect(note.addenda.map(\.text) == ["Called back."])
        #expect(note.signState == .final, "added while the note waited: covered by the note's co-signature")
    }
}
