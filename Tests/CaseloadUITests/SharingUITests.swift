import CaseloadCore
import CaseloadDemo
import CaseloadUI
import Foundation
import Testing

/// Issue 18: what another instance saved is merged into the document in memory without disturbing the person at the
/// keyboard: the cursor stays, an open note form keeps what is being typed, undo takes back only their own edits.
@Suite struct SharingUITests {
    /// The document with one patient's phone changed, as another instance would save it.
    static func othersPhone(_ doc: CaseloadDocument, _ index: Int, _ phone: String) -> CaseloadDocument {
        var doc = doc
        doc.patients[index].phone = phone
        return doc
    }

    @Test func anotherInstancesSaveIsMergedInAndTheCursorAndFormStay() throws {
        var (state, members) = SessionPaneTests.opened()
        state.press(.char("G"))
        state.type("Coping with cravings")
        let cursor = (state.focus, state.memberIndex, state.cursorDay, state.cursorMinutes, state.weekStart)
        let form = try #require(state.forms.last)
        let disk = Self.othersPhone(state.document, 4, "555-0404")
        let effects = update(&state, .othersSaved(disk))
        #expect(state.document.patients[4].phone == "555-0404")
        #expect(state.sharedBase == disk)
        #expect(state.forms.last?.form == form.form, "the note being typed is untouched")
        #expect(state.focus == cursor.0 && state.memberIndex == cursor.1 && state.cursorDay == cursor.2 && state.cursorMinutes == cursor.3 && state.weekStart == cursor.4)
        #expect(state.message?.text.contains("merged in") == true)
        #expect(effects.isEmpty, "nothing of this instance's waits, so nothing to save")
        #expect(state.documentForSaving.sessions.contains { $0.groupNote?.topic == "Coping with cravings" })
        _ = members
    }

    @Test func anUnsavedEditAgainstTheirChangeToTheSameFieldIsAConflictTheirsShownMineKept() throws {
        var state = UIFixtures.state()
        let base = state.document
        // This instance's unsaved edit (as if made through a form).
        var mine = state.document.patients[2]
        mine.phone = "555-2222"
        var doc = state.document
        try doc.apply(.putPatient(mine))
        // Stand-in for the edit having gone through `update`: the document in memory has it, the base does not.
        _ = update(&state, .documentSaved(saved: base, savedBase: nil, written: base, conflicts: []))
        #expect(state.sharedBase == base)
        var withMine = state
        withMine.document = doc
        let disk = Self.othersPhone(base, 2, "555-1111")
        let effects = update(&withMine, .othersSaved(disk))
        #expect(withMine.document.patients[2].phone == "555-1111", "the file's value is shown")
        #expect(withMine.conflicts.map(\.mine) == ["555-2222"], "mine is kept as a conflict")
        #expect(withMine.conflicts.map(\.path) == ["phone"])
        #expect(effects.isEmpty || effects.contains { if case .documentChanged = $0 { true } else { false } })
    }

    @Test func aSaveThatMergedBringsTheirChangesAndItsConflicts() throws {
        var state = UIFixtures.state()
        let saved = state.document
        let written = Self.othersPhone(saved, 1, "555-0101")
        let conflict = MergeConflict(entity: .patient(saved.patients[3].id), path: "email", kind: .field, theirs: "a@example.test", mine: "b@example.test")
        _ = update(&state, .documentSaved(saved: saved, savedBase: nil, written: written, conflicts: [conflict]))
        #expect(state.document == written)
        #expect(state.conflicts == [conflict])
        #expect(state.message?.text.contains("1 conflict") == true)
    }

    @Test func undoAfterAMergeTakesBackOnlyMyEdit() throws {
        var (state, members) = SessionPaneTests.opened()
        // My mark: the first member present.
        state.press(.char("p"))
        let session = try #require(state.document.sessions.first { $0.series == "ser_ten" })
        #expect(session.attendance(for: members[0]) == .present)
        // Another instance marked the second member late, and it was merged in.
        var disk = state.document
        let i = try #require(disk.sessions.firstIndex { $0.id == session.id })
        disk.sessions[i].attendance.append(AttendanceMark(patient: members[1], status: .late(minutesLate: 10)))
        _ = update(&state, .othersSaved(disk))
        state.press(.char("u"))
        let after = try #require(state.document.sessions.first { $0.id == session.id })
        #expect(after.attendance(for: members[0]) == nil, "my mark is undone")
        #expect(after.attendance(for: members[1]) == .late(minutesLate: 10), "theirs stays")
    }
}
