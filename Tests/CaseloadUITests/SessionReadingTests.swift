import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// From the Session pane: a signed note read in full, the excused reason in the roster, a member's record, and the privacy
/// check's "go back" reopening the note.
@Suite struct SessionReadingTests {
    static func stored(_ state: AppState) -> Session? { state.document.sessions.first { $0.series == "ser_ten" } }

    @Test func aSignedNoteIsReadInFullWithSignerAndLocalTimeAndAddenda() throws {
        var (state, members) = SessionPaneTests.opened()
        let signer = try #require(state.document.staff.first)
        state.memberIndex = 1
        state.press(.enter)
        let long = (1...30).map { "Line \($0) of a long first section." }.joined(separator: "\n")
        state.type(long)
        state.press(.tab)
        state.type("Assessment text at the end.")
        state.press(.ctrl("s"))
        state.press(.char("S"), .char("y"))
        state.press(.char("A"))
        state.type("Called back the next day.")
        state.press(.ctrl("s"))
        #expect(state.memberIndex == 1)
        // Enter on a signed note opens it to read (it used to be refused).
        state.press(.enter)
        let view = try #require(state.noteView)
        #expect(view.patient == members[0])
        #expect(state.forms.isEmpty, "no form: it cannot change")
        let text = view.lines.map { $0.segments.map(\.text).joined() }.joined(separator: "\n")
        #expect(text.contains("Line 1 of a long first section."))
        #expect(text.contains("Line 30 of a long first section."), "in full")
        #expect(text.contains("Assessment text at the end."))
        #expect(text.contains("Signed by \(signer.signatureName) on Mon 30 Nov 2026 18:05"), "local time and staff name")
        #expect(!text.contains(signer.id.rawValue))
        #expect(text.contains("Called back the next day."))
        // The screen shows its top, and scrolls to its end.
        #expect(render(state).text.contains("read-only"))
        state.press(.char("G"))
        let screen = render(state).text
        #expect(screen.contains("Called back the next day."))
        #expect(!screen.contains("Line 1 of a long"), "scrolled")
        #expect(Self.stored(state)?.memberNote(for: members[0])?.addenda.count == 1, "G in the view scrolls, it does not open the group note")
        state.press(.escape)
        #expect(state.noteView == nil)
        // v reads a draft too.
        state.memberIndex = 2
        state.press(.enter)
        state.type("Draft text.")
        state.press(.ctrl("s"), .char("v"))
        let draft = try #require(state.noteView).lines.map { $0.segments.map(\.text).joined() }.joined(separator: "\n")
        #expect(draft.contains("Draft text."))
        #expect(draft.contains("Draft, not signed"))
        #expect(draft.contains("written by \(signer.signatureName)"))
    }

    @Test func theExcusedReasonShowsInTheRoster() throws {
        var (state, _) = SessionPaneTests.opened()
        state.press(.char("e"))
        state.type("court date")
        state.press(.enter)
        let screen = render(state).text
        #expect(screen.contains("excused: court date"), "\(screen)")
    }

    @Test func RopensTheHighlightedMembersRecordAndEscComesBack() throws {
        var (state, members) = SessionPaneTests.opened()
        state.memberIndex = 3
        state.press(.char("R"))
        #expect(state.record?.patient == members[2])
        let name = try #require(state.document.patient(members[2])?.displayName)
        #expect(render(state).text.contains("Record · \(name)"))
        state.press(.escape)
        #expect(state.record == nil)
        #expect(state.focus == .session)
        #expect(state.memberIndex == 3)
        state.memberIndex = 0
        state.press(.char("R"))
        #expect(state.record == nil, "the group row has no record")
    }

    @Test func thePrivacyChecksGoBackReopensTheNoteAtTheNarrative() throws {
        var (state, _) = SessionPaneTests.opened()
        let other = try #require(state.selectedMembers.dropFirst(2).first)
        state.press(.char("G"))
        state.type("Coping skills")
        state.press(.tab, .tab)
        state.type("\(other.displayName) shared about a relapse.")
        state.press(.ctrl("s"))
        state.memberIndex = 0
        state.press(.char("S"), .char("b"))
        let frame = try #require(state.forms.last, "the note is open again")
        guard case .groupNote = frame.purpose else { Issue.record("not the group note"); return }
        #expect(frame.form.focusedField?.id == "narrative")
        #expect(frame.form.text("narrative").contains(other.displayName))
    }

    @Test func theNewKeysAreInTheHintBarAndHelp() {
        let help = helpLines().map(\.text).joined(separator: "\n")
        #expect(help.contains("read the note of the row in full"))
        #expect(help.contains("open the highlighted member's record"))
        #expect(help.contains("Reading a note (v)"))
        #expect(Keymaps.session.hintLine.contains("v read"))
        #expect(Keymaps.session.hintLine.contains("R record"))
    }
}
