import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Signing asks first, by the signer's name and credential; what is shown of a signature is local time and a staff name.
@Suite struct SigningConfirmationTests {
    static func stored(_ state: AppState) -> Session? { state.document.sessions.first { $0.series == "ser_ten" } }

    /// A member note written and saved on the first member, in the group opened at 18:05 Chicago time.
    static func memberNoteWritten() -> (AppState, PatientID) {
        var (state, members) = SessionPaneTests.opened()
        state.memberIndex = 1
        state.press(.enter)
        state.type("Engaged.")
        state.press(.ctrl("s"))
        return (state, members[0])
    }

    @Test func signingAMemberNoteAsksByNameAndCredentialAndNoKeepsItADraft() throws {
        var (state, member) = Self.memberNoteWritten()
        let signer = try #require(state.document.staff.first)
        #expect(!signer.credentials.isEmpty, "the demo's staff have credentials")
        let name = try #require(state.document.patient(member)?.displayName)
        state.press(.char("S"))
        guard case .choice(let dialog, .confirmSign(_, let who))? = state.modal else { Issue.record("no confirmation"); return }
        #expect(who == member)
        #expect(dialog.lines.joined().contains("Sign \(name)'s note as \(signer.name), \(signer.credentials)?"))
        #expect(dialog.lines.joined().contains("cannot be changed afterwards"))
        #expect(Self.stored(state)?.memberNote(for: member)?.isSigned == false, "nothing is signed while it asks")
        state.press(.char("n"))
        #expect(state.modal == nil)
        #expect(Self.stored(state)?.memberNote(for: member)?.isSigned == false)
        state.press(.char("S"), .escape)
        #expect(Self.stored(state)?.memberNote(for: member)?.isSigned == false, "Esc does not sign either")
        state.press(.char("S"), .char("y"))
        #expect(Self.stored(state)?.memberNote(for: member)?.signature?.by == signer.id)
    }

    @Test func signingTheGroupNoteAsksWithTheGroupNoteNamed() throws {
        var (state, _) = SessionPaneTests.opened()
        let signer = try #require(state.document.staff.first)
        state.press(.char("G"))
        state.type("Coping skills")
        state.press(.ctrl("s"))
        state.memberIndex = 0
        state.press(.char("S"))
        guard case .choice(let dialog, .confirmSign(_, nil))? = state.modal else { Issue.record("no confirmation"); return }
        #expect(dialog.lines.joined().hasPrefix("Sign the group note as \(signer.signatureName)? It cannot be changed afterwards"))
        #expect(render(state).text.contains("Sign the group note as"), "the question is on the screen")
        state.press(.char("y"))
        #expect(Self.stored(state)?.groupNote?.isSigned == true)
    }

    @Test func theSignedMessageSaysLocalTimeAndNeverUTC() throws {
        var (state, _) = Self.memberNoteWritten()
        state.press(.char("S"), .char("y"))
        let text = try #require(state.message?.text)
        // UIFixtures.now is 18:05 on Monday 30 November in Chicago (00:05 UTC on 1 December).
        #expect(text.contains("Mon 30 Nov 2026 18:05"), "got: \(text)")
        #expect(!text.contains("T00:05"))
        #expect(!text.contains("Z;"))
    }

    @Test func aRefusalAboutASignedNoteNamesTheSignerAndLocalTime() throws {
        let (state, _) = SessionPaneTests.opened()
        let signer = try #require(state.document.staff.first)
        let at = Timestamp(UIFixtures.now)
        let text = state.errorText(.note(.signedNoteIsLocked(note: "group note", signedBy: signer.id, at: at)))
        #expect(text.contains("signed by \(signer.signatureName) on Mon 30 Nov 2026 18:05"), "got: \(text)")
        #expect(!text.contains(signer.id.rawValue))
        // Someone no longer on staff is not shown by an internal id either.
        let gone = state.errorText(.note(.signedNoteIsLocked(note: "group note", signedBy: StaffID("stf_99"), at: at)))
        #expect(!gone.contains("stf_99"))
        #expect(gone.contains("a former staff member"))
    }
}
