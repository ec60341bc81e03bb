import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Cancelling (or marking not held) a session with attendance or notes asks first and says what happens to the minutes.
@Suite struct CancelRecordedSessionTests {
    static func stored(_ state: AppState) -> Session? { state.document.sessions.first { $0.series == "ser_ten" } }

    /// The ten-member group of SessionPaneTests (180 minutes), all present, the first member's note signed.
    static func heldAndSigned() -> AppState {
        var (state, _) = SessionPaneTests.opened()
        state.press(.char("P"))
        state.memberIndex = 1
        state.press(.enter)
        state.type("Engaged.")
        state.press(.ctrl("s"))
        state.press(.char("S"), .char("y"))
        state.press(.char("2"))
        return state
    }

    @Test func cancellingAHeldOccurrenceSaysWhatHappensToItsMinutesAndKeepLeavesIt() throws {
        var state = Self.heldAndSigned()
        #expect(state.focus == .week)
        state.press(.char("x"), .char("o"))
        guard case .choice(let dialog, .cancelRecorded(_, didNotTakePlace: false))? = state.modal else {
            Issue.record("no question about the record: \(String(describing: state.modal))"); return
        }
        let text = dialog.lines.joined()
        #expect(text.hasPrefix("Cancel IOP-T Evening on Mon 30 Nov?"), "got: \(text)")
        #expect(text.contains("10 attendance marks (3 h each) will no longer count toward hours"))
        #expect(text.contains("1 signed note stays in the record"))
        #expect(render(state).text.contains("will no longer count"), "on the screen")
        state.press(.char("k"))
        #expect(state.modal == nil)
        #expect(Self.stored(state)?.status == .held)
    }

    @Test func goingOnAsksTheReasonAndOnlyThenTheMinutesStopCounting() throws {
        var state = Self.heldAndSigned()
        let member = try #require(state.selectedMembers.first?.id)
        #expect(Self.stored(state)?.minutesAttended(by: member) == 180)
        state.press(.char("x"), .char("o"), .char("c"))
        guard case .prompt(_, .cancelReason)? = state.modal else { Issue.record("no reason asked"); return }
        #expect(Self.stored(state)?.status == .held, "nothing changes before the reason")
        state.type("Recorded on the wrong day")
        state.press(.enter)
        let session = try #require(Self.stored(state))
        #expect(session.status == .cancelled(reason: "Recorded on the wrong day"))
        #expect(session.minutesAttended(by: member) == 0)
        #expect(session.memberNote(for: member)?.isSigned == true, "the signed note stays")
    }

    @Test func aLateMarkMakesTheTotalHoursShown() throws {
        var (state, _) = SessionPaneTests.opened()
        state.press(.char("l"))
        state.type("30")
        state.press(.enter, .char("p"), .char("a"))
        // 150 + 180 minutes count; the absence counts nothing.
        let s = try #require(Self.stored(state))
        let text = try #require(cancelConsequences(s, didNotTakePlace: false))
        #expect(text.hasPrefix("2 attendance marks (5.5 h in all) will no longer count toward hours."), "got: \(text)")
        #expect(!text.contains("signed"))
    }

    @Test func anUntouchedOccurrenceIsAskedOnlyForTheReason() throws {
        var (state, _) = SessionPaneTests.opened()
        state.press(.char("2"), .char("x"), .char("o"))
        guard case .prompt(_, .cancelReason)? = state.modal else { Issue.record("straight to the reason"); return }
    }

    @Test func didNotTakePlaceFromTheSessionPaneAsksToo() throws {
        var (state, _) = SessionPaneTests.opened()
        state.press(.char("P"), .char("X"))
        guard case .choice(let dialog, .cancelRecorded(_, didNotTakePlace: true))? = state.modal else { Issue.record("no question"); return }
        #expect(dialog.lines.joined().contains("Mark IOP-T Evening on Mon 30 Nov as not held?"))
        #expect(dialog.lines.joined().contains("10 attendance marks (3 h each)"))
        state.press(.char("c"))
        guard case .prompt(_, .didNotTakePlace)? = state.modal else { Issue.record("then why"); return }
    }
}
