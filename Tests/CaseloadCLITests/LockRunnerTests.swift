import CaseloadCore
import CaseloadStore
import CaseloadUI
import Foundation
import Testing
@testable import caseload

/// The runner's side of the lock screen: the passphrase is checked by the injected verifier as a job off the UI thread
/// and answered as a message, and while locked the loop hands Ctrl-Z and Ctrl-C to the lock screen instead of
/// suspending to the shell or hinting.
@MainActor @Suite(.serialized) struct LockRunnerTests {
    let scratch = Scratch()

    func runner(verify: EffectRunner.PassphraseVerifier?) throws -> (EffectRunner, AppState) {
        let path = scratch.file("document.json")
        let document = AppRunner.emptyProgram()
        let store = try DocumentStore.create(path, with: document)
        let open = OpenDocument(path: path, store: store, environment: [:])
        let environment = ["XDG_CONFIG_HOME": scratch.file("config"), "HOME": scratch.path]
        let (theme, _) = AppRunner.loadTheme("default", noColor: false, environment: environment)
        let runner = EffectRunner(open: open, environment: environment, theme: theme, clock: { Date() },
                                  loadTheme: { name in AppRunner.loadTheme(name, noColor: false, environment: environment) },
                                  screen: .init(forceRedraw: {}, editExternally: { _ in .unchanged }), verifyPassphrase: verify)
        let state = AppState(document: document, fileName: "document.json", now: Date(), width: 100, height: 30,
                             login: "dreyes", lockMode: .passphrase(login: "dreyes"))
        return (runner, state)
    }

    /// The runner's messages until a passphrase answer comes, or `timeout` passes.
    func answer(_ runner: EffectRunner, _ state: AppState, timeout: TimeInterval) -> Bool? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            for msg in runner.collect(state) {
                if case .passphraseChecked(let correct) = msg { return correct }
            }
            usleep(10_000)
        }
        return nil
    }

    @Test func theVerifierRunsOffTheUIThreadAndItsAnswerComesAsAMessage() throws {
        let seen = Seen()
        // As slow as scrypt at N = 2^17: the UI thread must not wait for it.
        let (runner, state) = try runner(verify: { typed in
            seen.add(typed)
            Thread.sleep(forTimeInterval: 0.3)
            return typed == "correct horse"
        })
        let asked = Date()
        #expect(runner.run(.checkPassphrase(SecretText("correct horse")), state) == [])
        #expect(Date().timeIntervalSince(asked) < 0.2, "answered later, not on the UI thread")
        #expect(answer(runner, state, timeout: 5) == true)
        #expect(runner.run(.checkPassphrase(SecretText("wrong")), state) == [])
        #expect(answer(runner, state, timeout: 5) == false)
        #expect(seen.all == ["correct horse", "wrong"], "the verifier got the text as typed")
    }

    @Test func withoutAVerifierThePassphraseIsNeverRightSoTheLockStays() throws {
        let (runner, state) = try runner(verify: nil)
        #expect(runner.run(.checkPassphrase(SecretText("anything")), state) == [.passphraseChecked(correct: false)])
    }

    @Test func whileLockedCtrlZAndCtrlCGoToTheLockScreenNotToTheShell() {
        var state = AppState(document: AppRunner.emptyProgram(), fileName: "d.json", now: Date(), width: 80, height: 24,
                             lockMode: .passphrase(login: "dreyes"))
        #expect(AppRunner.route(.key(.ctrl("z")), state, quitting: false) == .suspend, "unlocked: Ctrl-Z suspends as before")
        if case .send(.notify) = AppRunner.route(.key(.ctrl("c")), state, quitting: false) {} else {
            Issue.record("unlocked: Ctrl-C shows the hint as before")
        }
        _ = update(&state, .key(.ctrl("\\")))
        #expect(state.isLocked)
        #expect(AppRunner.route(.key(.ctrl("z")), state, quitting: false) == .send(.key(.ctrl("z"))))
        #expect(AppRunner.route(.key(.ctrl("c")), state, quitting: false) == .send(.key(.ctrl("c"))))
        #expect(AppRunner.route(.key(.char("q")), state, quitting: false) == .send(.key(.char("q"))))
        let click = MouseEvent(kind: .press, x: 1, y: 1)
        #expect(AppRunner.route(.mouse(click), state, quitting: false) == .send(.mouse(click)), "update ignores it")
        // And those keys, sent on, leave it locked and quit nothing.
        for key in [Key.ctrl("z"), .ctrl("c"), .char("q")] { #expect(update(&state, .key(key)) == []) }
        #expect(state.isLocked)
    }
}

/// What the verifier was given, from the job's thread.
private final class Seen: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String] = []
    func add(_ text: String) { lock.withLock { texts.append(text) } }
    var all: [String] { lock.withLock { texts } }
}
