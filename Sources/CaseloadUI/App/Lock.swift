import CaseloadCore
import Foundation

// Locking the screen: on Ctrl-\, `:lock`, or after `lock_after` without a key or click. The state underneath (panes,
// cursor, forms, a note being typed, questions) is left exactly as it was; the lock screen is drawn instead of it
// (App/LockScreen.swift) and takes every key until it is unlocked.

/// What unlocking takes, set by the runner at start-up from the kind of document opened.
public enum LockMode: Equatable, Sendable {
    /// An encrypted document: unlocking needs the passphrase of the person signed in (`login` names their key slot).
    case passphrase(login: String)
    /// A plain document: there is no passphrase to check, so the screen is only hidden, and Enter shows it again.
    case hideOnly
}

/// Text typed into the lock screen's passphrase field. It prints as a mask, never as itself, so that it cannot end up in
/// a status message, a log line or a test's failure output by interpolation; only `revealed` gives the text.
public struct SecretText: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// Longer than any passphrase: a paste of a whole note into the field stops here.
    static let maxLength = 1024
    public private(set) var revealed: String

    public init(_ text: String = "") { revealed = String(text.prefix(Self.maxLength)) }

    public var isEmpty: Bool { revealed.isEmpty }
    public var description: String { "(hidden)" }
    public var debugDescription: String { "SecretText(hidden)" }

    mutating func append(_ c: Character) {
        if revealed.count < Self.maxLength { revealed.append(c) }
    }

    mutating func removeLast() {
        if !revealed.isEmpty { revealed.removeLast() }
    }
}

/// The lock screen while it is up.
public struct LockState: Equatable, Sendable {
    /// What locked the screen.
    public enum Reason: Equatable, Sendable {
        case key, command, idle
    }

    /// When it locked, on the view clock (shown in the program's zone, as the title bar's time).
    public var since: Date
    public var reason: Reason
    /// The passphrase being typed.
    public var typed = SecretText()
    /// A passphrase was sent to be checked and the answer has not come: keys wait.
    public var checking = false
    /// Wrong passphrases given since it locked (shown, and said again once unlocked).
    public var wrongTries = 0
    /// The last answer was "wrong" and nothing has been typed since.
    public var lastAnswerWrong = false

    public init(since: Date, reason: Reason) { self.since = since; self.reason = reason }
}

extension AppState {
    /// Whether the lock screen is up.
    public var isLocked: Bool { lock != nil }
}

/// Puts up the lock screen over whatever is open, and asks for the document to be saved now (the person is leaving).
func lockScreen(_ state: inout AppState, _ reason: LockState.Reason) -> [Effect] {
    guard state.lock == nil else { return [] }
    state.lock = LockState(since: state.viewNow, reason: reason)
    return state.isReadOnly ? [] : [.saveNow]
}

/// Every key while locked: typed into the passphrase field (printable keys), Backspace, Ctrl-U and Esc to clear it,
/// Enter to send it. Nothing else reaches the state underneath; Ctrl-C and Ctrl-Z are not bound here, so they do nothing.
/// While a check runs (a third of a second of scrypt) keys still type, so a quick retry is not lost; Enter waits.
func handleLockedKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var lock = state.lock else { return [] }
    let action = Keymaps.locked.action(for: key)
    guard case .passphrase = state.lockMode else {
        // Hidden, not locked: only Enter does anything, and there is nothing to type.
        if action == .submit { state.lock = nil }
        return []
    }
    switch action {
    case .submit?:
        // One check at a time; what is typed meanwhile (the next try, after a wrong one) stays in the field.
        guard !lock.checking, !lock.typed.isEmpty else { return [] }
        let typed = lock.typed
        lock.typed = SecretText()
        lock.checking = true
        lock.lastAnswerWrong = false
        state.lock = lock
        return [.checkPassphrase(typed)]
    case .deleteBackward?:
        lock.typed.removeLast()
    case .killToStart?, .cancel?:
        lock.typed = SecretText()
    default:
        guard case .char(let c) = key else { return [] }
        lock.typed.append(c)
    }
    lock.lastAnswerWrong = false
    state.lock = lock
    return []
}

/// The runner's answer to `Effect.checkPassphrase`: right unlocks, back where the user was; wrong keeps the lock and counts.
func passphraseChecked(_ state: inout AppState, correct: Bool) {
    guard var lock = state.lock, lock.checking else { return }
    lock.checking = false
    if correct {
        state.lock = nil
        if lock.wrongTries > 0 {
            // Someone may have tried while the user was away: they should know.
            let tries = lock.wrongTries == 1 ? "1 wrong passphrase was" : "\(lock.wrongTries) wrong passphrases were"
            state.message = StatusMessage("Unlocked; \(tries) typed while the screen was locked", isError: true)
        }
        return
    }
    lock.wrongTries += 1
    lock.lastAnswerWrong = true
    state.lock = lock
}
