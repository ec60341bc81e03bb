import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Issue 15's questions and forms at 80×24, as whole screens.
@Suite struct NotesAndFormsSnapshotTests {
    /// The ten-member group at 80×24, everyone present, the first member's note written.
    static func group80x24() -> AppState {
        var (state, _) = SessionPaneTests.opened()
        _ = update(&state, .resize(width: 80, height: 24))
        state.press(.char("P"))
        state.memberIndex = 1
        state.press(.enter)
        state.type("Engaged; named two triggers.")
        state.press(.ctrl("s"))
        return state
    }

    @Test func signingConfirmation() throws {
        var state = Self.group80x24()
        state.press(.char("S"))
        try SnapshotTests().check(state, "sign-confirmation-80x24")
    }

    @Test func aSignedNoteReadInFull() throws {
        var state = Self.group80x24()
        state.press(.char("S"), .char("y"), .char("A"))
        state.type("Called back the next day.")
        state.press(.ctrl("s"), .char("v"))
        try SnapshotTests().check(state, "note-read-80x24")
    }

    @Test func cancellingAHeldSessionAsksFirst() throws {
        var state = Self.group80x24()
        state.press(.char("S"), .char("y"), .char("2"), .char("x"), .char("o"))
        try SnapshotTests().check(state, "cancel-recorded-80x24")
    }

    @Test func aGroupNoteRefusedWithoutItsTopic() throws {
        var state = Self.group80x24()
        state.memberIndex = 0
        state.press(.char("G"), .tab, .tab)
        state.type("Members practised refusal skills.")
        state.press(.ctrl("s"))
        try SnapshotTests().check(state, "group-note-no-topic-80x24")
    }

    @Test func aPhaseStepAsksWhenAndWhy() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.focus = .patients
        state.press(.char(">"))
        try SnapshotTests().check(state, "phase-step-80x24")
    }

    @Test func anIndividualSessionForTheSelectedPatient() throws {
        var state = WeekSchedulingTests.state(width: 80, height: 24)
        state.focus = .patients
        state.press(.char("2"), .char("n"))
        state.type("Individual session")
        state.press(.tab)
        state.type("i")
        try SnapshotTests().check(state, "new-individual-session-80x24")
    }
}
