import CaseloadCore
import Foundation
import Testing

@Suite struct SignedNoteTests {
    let d = TestDocument.date
    let signature = Signature(by: "st_dana", at: TestDocument.at("2026-11-03T02:00:00Z"))

    func signedSession() throws -> Session {
        var s = Session(id: "ses_1", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        s.mark("pat_ana", .present)
        try s.setGroupNote(GroupNote(topic: "Triggers", modality: .cbt, narrative: "Mapped high-risk situations."))
        try s.setMemberNote(MemberNote(patient: "pat_ana", format: .dap, sections: [
            NoteSection(heading: "Data", text: "Engaged, shared a recent craving."),
            NoteSection(heading: "Assessment", text: "Insight improving."),
            NoteSection(heading: "Plan", text: "Continue Phase I."),
        ]))
        try s.signMemberNote(for: "pat_ana", signature)
        try s.signGroupNote(signature)
        return s
    }

    @Test func aSignedMemberNoteRefusesEdits() throws {
        var s = try signedSession()
        var edited = try #require(s.memberNote(for: "pat_ana"))
        edited.sections[0].text = "Rewritten."
        #expect(throws: NoteError.self) { try s.setMemberNote(edited) }
        #expect(s.memberNote(for: "pat_ana")?.sections[0].text == "Engaged, shared a recent craving.")
    }

    @Test func aSignedNoteCannotBeSignedAgainOrRemoved() throws {
        var s = try signedSession()
        #expect(throws: NoteError.self) { try s.signMemberNote(for: "pat_ana", signature) }
        #expect(throws: NoteError.self) { try s.removeMemberNote(for: "pat_ana") }
        #expect(throws: NoteError.self) { try s.setGroupNote(GroupNote(topic: "x", narrative: "y")) }
    }

    @Test func anAddendumIsTheOnlyChangeASignedNoteTakes() throws {
        var s = try signedSession()
        let addendum = Addendum(by: "st_dana", at: TestDocument.at("2026-11-04T15:00:00Z"), text: "Late entry: patient called re transport.")
        try s.addMemberAddendum(for: "pat_ana", addendum)
        #expect(s.memberNote(for: "pat_ana")?.addenda == [addendum])
        #expect(throws: NoteError.emptyAddendum) { try s.addGroupAddendum(Addendum(by: "st_dana", at: addendum.at, text: "  ")) }
    }

    @Test func anUnsignedNoteTakesNoAddendumAndAnEmptyNoteCannotBeSigned() throws {
        var s = Session(id: "s", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        try s.setMemberNote(MemberNote(patient: "pat_minjun", format: .birp))
        #expect(throws: NoteError.nothingToSign(note: "member note")) { try s.signMemberNote(for: "pat_minjun", signature) }
        #expect(throws: NoteError.notSigned(note: "member note")) {
            try s.addMemberAddendum(for: "pat_minjun", Addendum(by: "st_dana", at: signature.at, text: "x"))
        }
        #expect(s.memberNote(for: "pat_minjun")?.sections.map(\.heading) == ["Behavior", "Intervention", "Response", "Plan"])
    }

    @Test func theDocumentRefusesAnEditThatChangesASignedNote() throws {
        var doc = TestDocument.document()
        let s = try signedSession()
        try doc.apply(.putSession(s))
        // A copy decoded from elsewhere, or built by hand, with the signed text changed.
        var tampered = Session(id: s.id, occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        try tampered.setMemberNote(MemberNote(patient: "pat_ana", format: .dap, sections: [NoteSection(heading: "Data", text: "Other words.")]))
        try tampered.signMemberNote(for: "pat_ana", signature)
        #expect(throws: EditError.self) { try doc.apply(.putSession(tampered)) }
        #expect(throws: EditError.self) { try doc.apply(.removeSession(s.id)) }
        #expect(doc.session(s.id) == s)
    }

    @Test func theDocumentAcceptsAnAddendumButRefusesToUndoIt() throws {
        var doc = TestDocument.document()
        var history = EditHistory()
        var s = try signedSession()
        try history.perform(.putSession(s), label: "sign", on: &doc)
        try s.addGroupAddendum(Addendum(by: "st_dana", at: TestDocument.at("2026-11-05T15:00:00Z"), text: "Correction: room 2."))
        try history.perform(.putSession(s), label: "addendum", on: &doc)
        #expect(doc.session("ses_1")?.groupNote?.addenda.count == 1)
        #expect(throws: EditError.self) { try history.undo(on: &doc) }
        #expect(doc.session("ses_1")?.groupNote?.addenda.count == 1)
    }

    @Test func roundTripThroughJSONKeepsSignatureAndAddenda() throws {
        var s = try signedSession()
        try s.addMemberAddendum(for: "pat_ana", Addendum(by: "st_dana", at: TestDocument.at("2026-11-04T15:00:00Z"), text: "More."))
        let data = try JSONEncoder().encode(s)
        let back = try JSONDecoder().decode(Session.self, from: data)
        #expect(back == s)
        #expect(back.memberNote(for: "pat_ana")?.isSigned == true)
    }
}
