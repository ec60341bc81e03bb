import CaseloadCore
@testable import CaseloadUI
import Testing

/// A database home that cannot be reached (issue 20): the title bar counts the edits waiting, and quitting says they
/// are kept on this computer rather than lost.
struct OfflineTests {
    static let offlineReason = "offline: the database at postgresql://caseload@db:5432/iop cannot be reached (connection refused); your changes wait and are sent when it is back; kept on this computer until then"

    /// Edits the phone of the selected patient `n` times through `edit`, as the forms do.
    static func makeEdits(_ state: inout AppState, _ n: Int) {
        for i in 0..<n {
            guard let patient = state.document.patients.first else { return }
            var changed = patient
            changed.phone = "555-01\(i)"
            _ = edit(&state, .putPatient(changed), label: "Edit phone")
        }
    }

    @Test func theTitleBarCountsTheChangesWaitingAt80Columns() {
        var state = UIFixtures.state(width: 80, height: 24)
        _ = update(&state, .saveStatus(.saved(at: UIFixtures.now)))
        Self.makeEdits(&state, 3)
        #expect(state.editsSinceSave == 3)
        _ = update(&state, .saveStatus(.offline(Self.offlineReason)))
        let title = render(state).lines[0]
        #expect(title.contains("offline — 3 changes waiting"))
        // One more edit while offline is counted too; a save that reaches the server clears the count.
        Self.makeEdits(&state, 1)
        #expect(render(state).lines[0].contains("offline — 4 changes waiting"))
        _ = update(&state, .saveStatus(.saved(at: UIFixtures.now)))
        #expect(state.editsSinceSave == 0)
        #expect(!render(state).lines[0].contains("offline"))
    }

    @Test func quittingWhileOfflineSaysTheChangesAreKeptAndQuitsOnYes() {
        var state = UIFixtures.state(width: 80, height: 24)
        Self.makeEdits(&state, 2)
        _ = update(&state, .saveStatus(.offline(Self.offlineReason)))
        // Quitting shows "saving…" until the final save answers.
        #expect(state.press(.char("q")) == [.quit])
        _ = update(&state, .quitFailed(reason: Self.offlineReason))
        guard case .confirm(let question, let onYes)? = state.overlay else {
            Issue.record("no question: \(String(describing: state.overlay))")
            return
        }
        #expect(question.contains("2 changes are kept on this computer"))
        #expect(!question.contains("lose"))
        #expect(onYes == .quitWithoutSaving)
        #expect(state.press(.char("y")) == [.quitWithoutSaving])
    }

    @Test func aFailedFinalSaveThatKeptNothingStillWarnsOfLoss() {
        var state = UIFixtures.state(width: 80, height: 24)
        Self.makeEdits(&state, 1)
        _ = update(&state, .saveStatus(.error("disk full")))
        _ = update(&state, .quitFailed(reason: "disk full"))
        guard case .confirm(let question, _)? = state.overlay else {
            Issue.record("no question")
            return
        }
        #expect(question.contains("lose the unsaved changes"))
    }
}
