@testable import CaseloadCore
import CaseloadDemo
import Foundation
import Testing

/// Resolving merge conflicts: each conflict comes from a real merge of small hand-made documents; the document the file
/// got (theirs) is then resolved each way and must hold exactly the chosen value.
@Suite struct MergeResolutionTests {
    typealias Case = DocumentMergeCaseTests
    static let signed = LocalDate(year: 2026, month: 10, day: 1) ?? LocalDate(dayNumber: 0)
    static let theirDay = LocalDate(year: 2026, month: 11, day: 20) ?? LocalDate(dayNumber: 0)
    static let myDay = LocalDate(year: 2026, month: 11, day: 25) ?? LocalDate(dayNumber: 0)
    static let expires = LocalDate(year: 2027, month: 10, day: 1) ?? LocalDate(dayNumber: 0)

    /// The document after a merge, as this instance's app holds it: the file's (theirs) value, and the conflicts.
    static func merged(base: CaseloadDocument, theirs: CaseloadDocument, mine: CaseloadDocument) -> (CaseloadDocument, [MergeConflict]) {
        let result = DocumentMerge.merge(base: base, theirs: theirs, mine: mine)
        return (result.merged, result.conflicts)
    }

    static func resolved(_ doc: CaseloadDocument, _ conflict: MergeConflict, _ choice: ConflictChoice, signer: StaffID? = nil,
                         now: Timestamp = Timestamp(seconds: 1_900_000_000)) throws -> CaseloadDocument {
        var doc = doc
        if let edit = try MergeResolution.edit(resolving: conflict, with: choice, in: doc, signer: signer, now: now) { try doc.apply(edit) }
        return doc
    }

    // MARK: A field

    static func phoneConflict() -> (CaseloadDocument, MergeConflict?) {
        let theirs = Case.editPatient(Case.base, "pat_1") { $0.phone = "555-1111" }
        let mine = Case.editPatient(Case.base, "pat_1") { $0.phone = "555-2222" }
        let (doc, conflicts) = merged(base: Case.base, theirs: theirs, mine: mine)
        return (doc, conflicts.first)
    }

    @Test("a phone changed both ways: theirs leaves the document as the file has it, mine puts 555-2222 back, both joins them on one line")
    func phone() throws {
        let (doc, found) = Self.phoneConflict()
        let conflict = try #require(found)
        #expect(MergeResolution.choices(for: conflict, in: doc) == [.theirs, .mine, .both])
        #expect(try MergeResolution.edit(resolving: conflict, with: .theirs, in: doc) == nil)
        #expect(try Self.resolved(doc, conflict, .theirs).patient("pat_1")?.phone == "555-1111")
        let mine = try Self.resolved(doc, conflict, .mine)
        #expect(mine.patient("pat_1")?.phone == "555-2222")
        // Nothing else of the patient moved.
        var expected = try #require(doc.patient("pat_1"))
        expected.phone = "555-2222"
        #expect(mine.patient("pat_1") == expected)
        #expect(mine.patients.count == 3)
        // A phone is one line: no newline, which its text rule refuses.
        #expect(try Self.resolved(doc, conflict, .both).patient("pat_1")?.phone == "555-1111 / 555-2222")
    }

    @Test("a patient removed since the conflict: keeping mine is refused with a message, never a crash; theirs still drops it")
    func entityGone() throws {
        let (doc, found) = Self.phoneConflict()
        let conflict = try #require(found)
        var gone = doc
        gone.patients.removeAll { $0.id == "pat_1" }
        #expect(throws: ResolutionError.entityGone(.patient("pat_1"))) {
            try MergeResolution.edit(resolving: conflict, with: .mine, in: gone)
        }
        #expect(try MergeResolution.edit(resolving: conflict, with: .theirs, in: gone) == nil)
        #expect(ResolutionError.entityGone(.patient("pat_1")).description.contains("no longer in the document"))
    }

    // MARK: A field inside a keyed list

    static var withConsents: CaseloadDocument {
        Case.editPatient(Case.base, "pat_2") {
            $0.consents = [
                Consent(id: "con_1", recipient: "Officer A", purpose: "probation", information: "attendance", signed: signed, expires: expires),
                Consent(id: "con_2", recipient: "Dr. B", purpose: "care", information: "diagnosis", signed: signed, expires: expires),
            ]
        }
    }

    static func revoking(_ id: ItemID, on day: LocalDate?) -> CaseloadDocument {
        Case.editPatient(withConsents, "pat_2") { p in
            if let i = p.consents.firstIndex(where: { $0.id == id }) { p.consents[i].revoked = day }
        }
    }

    @Test("a consent's revocation date changed both ways: the conflict sits at consents[con_2].revoked and mine sets only that consent's")
    func consentInKeyedList() throws {
        let base = Self.withConsents
        let (doc, conflicts) = Self.merged(base: base, theirs: Self.revoking("con_2", on: Self.theirDay), mine: Self.revoking("con_2", on: Self.myDay))
        let conflict = try #require(conflicts.first)
        #expect(conflicts.count == 1)
        #expect(conflict.valuePath == "consents[con_2].revoked")
        // A date is a string in the file, but two dates joined are no date: "both" is not offered.
        #expect(MergeResolution.choices(for: conflict, in: doc) == [.theirs, .mine])
        let mine = try Self.resolved(doc, conflict, .mine)
        let consents = try #require(mine.patient("pat_2")?.consents)
        #expect(consents.map(\.id) == ["con_1", "con_2"])
        #expect(consents[1].revoked == Self.myDay)
        #expect(consents[0].revoked == nil)
        #expect(try Self.resolved(doc, conflict, .theirs).patient("pat_2")?.consents[1].revoked == Self.theirDay)
    }

    @Test("the consent removed since: keeping mine names the missing element")
    func consentGone() throws {
        let (doc, conflicts) = Self.merged(base: Self.withConsents, theirs: Self.revoking("con_2", on: Self.theirDay),
                                           mine: Self.revoking("con_2", on: Self.myDay))
        let conflict = try #require(conflicts.first)
        let gone = Case.editPatient(doc, "pat_2") { $0.consents.removeAll { $0.id == "con_2" } }
        #expect(throws: ResolutionError.pathGone("consents[con_2]")) {
            try MergeResolution.edit(resolving: conflict, with: .mine, in: gone)
        }
    }

    @Test("a revocation removed on one side and changed on the other is only acknowledged: the change stays")
    func removedAgainstChangedField() throws {
        let base = Self.revoking("con_2", on: Self.theirDay)
        let (doc, conflicts) = Self.merged(base: base, theirs: Self.revoking("con_2", on: Self.myDay), mine: Self.revoking("con_2", on: nil))
        let conflict = try #require(conflicts.first)
        #expect(conflict.kind == .removedChanged)
        #expect(MergeResolution.choices(for: conflict, in: doc) == [.theirs])
        #expect(throws: ResolutionError.notOffered("this conflict offers keep theirs")) {
            try MergeResolution.edit(resolving: conflict, with: .mine, in: doc)
        }
        #expect(try Self.resolved(doc, conflict, .theirs).patient("pat_2")?.consents[1].revoked == Self.myDay)
    }

    // MARK: A mark, whose value is the whole object

    @Test("a mark set late on their side and absent on mine: mine replaces the whole mark (no minutes late left over)")
    func attendanceMark() throws {
        let theirs = Case.editSession(Case.base) { $0.mark("pat_3", .late(minutesLate: 15)) }
        let mine = Case.editSession(Case.base) { $0.mark("pat_3", .absent) }
        let (doc, conflicts) = Self.merged(base: Case.base, theirs: theirs, mine: mine)
        let conflict = try #require(conflicts.first)
        #expect(conflict.valuePath == "attendance[pat_3]")
        // Not text: no "both".
        #expect(MergeResolution.choices(for: conflict, in: doc) == [.theirs, .mine])
        #expect(try Self.resolved(doc, conflict, .mine).sessions[0].attendance(for: "pat_3") == .absent)
        #expect(try Self.resolved(doc, conflict, .theirs).sessions[0].attendance(for: "pat_3") == .late(minutesLate: 15))
        #expect(throws: ResolutionError.notOffered("this conflict offers keep theirs, keep mine")) {
            try MergeResolution.edit(resolving: conflict, with: .both, in: doc)
        }
    }

    // MARK: Text

    static func noteText(_ text: String) -> CaseloadDocument {
        Case.editSession(Case.noted) { try? $0.setMemberNote(MemberNote(patient: "pat_1", format: .dap, sections: [NoteSection(heading: "Data", text: text)])) }
    }

    @Test("a note's text written both ways: both keeps theirs, a new line, then mine; mine keeps mine")
    func noteTextBoth() throws {
        let (doc, conflicts) = Self.merged(base: Case.noted, theirs: Self.noteText("Talked about work."), mine: Self.noteText("Talked about family."))
        let conflict = try #require(conflicts.first)
        #expect(conflicts.count == 1)
        #expect(conflict.valuePath == "memberNotes[pat_1].sections[0].text")
        let both = try Self.resolved(doc, conflict, .both)
        #expect(both.sessions[0].memberNote(for: "pat_1")?.sections[0].text == "Talked about work.\nTalked about family.")
        #expect(both.sessions[0].memberNote(for: "pat_1")?.sections[0].heading == "Data")
        let mine = try Self.resolved(doc, conflict, .mine)
        #expect(mine.sessions[0].memberNote(for: "pat_1")?.sections[0].text == "Talked about family.")
    }

    // MARK: Removed entities

    @Test("a patient removed on my side and changed on theirs is only acknowledged; the changed patient stays")
    func removedEntity() throws {
        let removed = { var d = Case.base; d.patients.removeAll { $0.id == "pat_2" }; return d }()
        let changed = Case.editPatient(Case.base, "pat_2") { $0.phone = "555-9999" }
        let (doc, conflicts) = Self.merged(base: Case.base, theirs: changed, mine: removed)
        let conflict = try #require(conflicts.first)
        #expect(conflict.kind == .removedChanged)
        #expect(MergeResolution.choices(for: conflict, in: doc) == [.theirs])
        let after = try Self.resolved(doc, conflict, .theirs)
        #expect(after == doc)
        #expect(after.patient("pat_2")?.phone == "555-9999")
    }

    // MARK: Whole entities

    @Test("an entity that could not be merged: mine puts my whole entity back when its text reads as one, else only theirs is offered")
    func wholeEntity() throws {
        let doc = Case.editPatient(Case.base, "pat_1") { $0.phone = "555-1111" }
        var mine = try #require(Case.base.patient("pat_1"))
        mine.phone = "555-2222"
        mine.email = "one@example.test"
        let text = try #require(MergeTree.json(mine).map(MergeTree.display))
        let readable = MergeConflict(entity: .patient("pat_1"), path: "", kind: .entity, theirs: "{}", mine: text)
        #expect(MergeResolution.choices(for: readable, in: doc) == [.theirs, .mine])
        #expect(try Self.resolved(doc, readable, .mine).patient("pat_1") == mine)
        let unreadable = MergeConflict(entity: .patient("pat_1"), path: "", kind: .entity, theirs: "(unreadable)", mine: "(unreadable)")
        #expect(MergeResolution.choices(for: unreadable, in: doc) == [.theirs])
        #expect(try Self.resolved(doc, unreadable, .theirs) == doc)
    }

    // MARK: Proposed addenda

    static var signedNote: CaseloadDocument {
        (try? Case.editSession(Case.noted) { try $0.signMemberNote(for: "pat_1", Case.signature) }) ?? Case.noted
    }

    @Test("my edit of a note they signed is added as an addendum by the staff member at the keyboard, the note untouched")
    func proposedAddendum() throws {
        let (doc, conflicts) = Self.merged(base: Case.noted, theirs: Self.signedNote, mine: Self.noteText("Draft, more"))
        let conflict = try #require(conflicts.first)
        #expect(conflict.kind == .proposedAddendum)
        #expect(MergeResolution.choices(for: conflict, in: doc) == [.theirs, .addendum])
        let now = Timestamp(seconds: 1_900_000_000)
        let after = try Self.resolved(doc, conflict, .addendum, signer: "stf_1", now: now)
        let note = try #require(after.sessions[0].memberNote(for: "pat_1"))
        #expect(note.addenda == [Addendum(by: "stf_1", at: now, text: "Data: Draft, more")])
        #expect(note.sections[0].text == "Draft")
        #expect(note.signature == Case.signature)
        // Discarding changes nothing.
        #expect(try Self.resolved(doc, conflict, .theirs) == doc)
        // Only staff sign.
        #expect(throws: ResolutionError.notStaff) {
            try MergeResolution.edit(resolving: conflict, with: .addendum, in: doc, signer: nil)
        }
    }

    @Test("an addendum is never dated before the signature it follows, whatever this machine's clock says")
    func addendumAfterSignature() throws {
        let (doc, conflicts) = Self.merged(base: Case.noted, theirs: Self.signedNote, mine: Self.noteText("Draft, more"))
        let conflict = try #require(conflicts.first)
        let after = try Self.resolved(doc, conflict, .addendum, signer: "stf_1", now: Timestamp(seconds: 1_000))
        #expect(after.sessions[0].memberNote(for: "pat_1")?.addenda.first?.at == Case.signature.at)
    }

    @Test("when I signed and they edited, the edit is theirs: only discarding is offered here (their instance offers the addendum)")
    func theirEditIsNotMine() throws {
        let (doc, conflicts) = Self.merged(base: Case.noted, theirs: Self.noteText("Draft, more"), mine: Self.signedNote)
        let conflict = try #require(conflicts.first)
        #expect(MergeResolution.choices(for: conflict, in: doc) == [.theirs])
    }

    // MARK: Paths

    @Test("paths as the merge writes them parse into keys and elements; malformed ones do not")
    func paths() {
        #expect(MergeTree.steps("consents[con_2].revoked") == [.key("consents"), .element("con_2"), .key("revoked")])
        #expect(MergeTree.steps("attendance[pat_3]") == [.key("attendance"), .element("pat_3")])
        #expect(MergeTree.steps("records[2][0].text") == [.key("records"), .element("2"), .element("0"), .key("text")])
        #expect(MergeTree.steps("") == [])
        for bad in ["[1]", "a[", "a[]", "a..b", "a.", ".a", "a[1]x"] { #expect(MergeTree.steps(bad) == nil, "\(bad)") }
    }

    @Test("setting nil removes a key, or an element from a keyed list; an index list is matched by index")
    func settingOnTrees() throws {
        let tree: [String: Any] = ["a": 1, "list": [["id": "x", "v": 1], ["id": "y", "v": 2]], "plain": ["p", "q"]]
        let noKey = try #require(try MergeTree.setting(tree, at: [.key("a")][...], to: nil) as? [String: Any])
        #expect(noKey["a"] == nil)
        let noY = try #require(try MergeTree.setting(tree, at: [.key("list"), .element("y")][...], to: nil) as? [String: Any])
        #expect(MergeTree.same(noY["list"], [["id": "x", "v": 1]]))
        let added = try #require(try MergeTree.setting(tree, at: [.key("list"), .element("z")][...], to: ["id": "z"]) as? [String: Any])
        #expect((added["list"] as? [Any])?.count == 3)
        let plain = try #require(try MergeTree.setting(tree, at: [.key("plain"), .element("1")][...], to: "r") as? [String: Any])
        #expect(MergeTree.same(plain["plain"], ["p", "r"]))
        #expect(throws: MergeTree.Missing(at: "plain[5]")) { try MergeTree.setting(tree, at: [.key("plain"), .element("5")][...], to: "r") }
        #expect(throws: MergeTree.Missing(at: "nothing")) { try MergeTree.setting(tree, at: [.key("nothing"), .key("deeper")][...], to: 1) }
    }
}
