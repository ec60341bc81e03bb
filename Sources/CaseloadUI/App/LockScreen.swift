import CaseloadCore
import Foundation

// The lock screen: drawn instead of the whole screen while `state.lock` is set. It is made only of what is not patient
// data — the program's name, who is signed in, the time it locked, the save state — never of the panes, the title bar's
// file or week, a message or anything open over them.

/// One line of the lock screen, and how readily it is left out when the screen is too short for all of them.
struct LockLine: Equatable {
    var text: String
    var role: Role
    var bold = false
    /// 0 is kept longest (the prompt); spacing goes first.
    var priority: Int
    static func spacer() -> LockLine { LockLine(text: "", role: .text, priority: 9) }
}

/// The fixed mask shown once anything is typed. Its length never follows the passphrase's, so a passer-by learns
/// nothing from it; it still shows that keys arrived, and that Esc or Ctrl-U cleared them.
let lockMask = "••••••••"

/// "10 min", "90 s", "1 h": a `lock_after` as the lock screen says it.
func idleLimitText(_ seconds: TimeInterval) -> String {
    let s = Int(seconds)
    if s >= 3600, s % 3600 == 0 { return "\(s / 3600) h" }
    if s >= 60, s % 60 == 0 { return "\(s / 60) min" }
    return "\(s) s"
}

/// The lock screen's lines for a text `width` cells wide (long ones wrapped), top to bottom.
func lockScreenLines(_ state: AppState, _ lock: LockState, width: Int) -> [LockLine] {
    let zone = state.zone
    let since = Recurrence.local(lock.since, in: zone).time
    // A fixed view clock (CASELOAD_NOW) is said here as in the title bar: the time shown is not the real one.
    let fixed = state.clockFixedAt == nil ? "" : " (clock fixed)"
    let hidden = state.lockMode == .hideOnly
    var lines: [LockLine] = []
    func add(_ text: String, _ role: Role, bold: Bool = false, _ priority: Int) {
        for part in wrapWords(text, width: max(1, width)) { lines.append(LockLine(text: part, role: role, bold: bold, priority: priority)) }
    }

    add("Caseload · \(state.document.program.name)", .header, bold: true, 5)
    lines.append(.spacer())
    add((hidden ? "Screen hidden since " : "Locked since ") + "\(since)\(fixed)", .statusWarning, bold: true, 1)
    switch lock.reason {
    case .idle: add("after \(idleLimitText(state.lockAfter ?? 0)) without a key or click", .dim, 6)
    case .key, .command: break
    }
    let login: String?
    if case .passphrase(let who) = state.lockMode { login = who } else { login = state.login }
    if let login, !login.isEmpty {
        let name = Signer.staff(forLogin: login, in: state.document).map { " (\($0.name))" } ?? ""
        add("Signed in: \(login)\(name)", .text, 4)
    } else {
        add("Signed in: nobody named (no login in config.toml, no $USER)", .text, 4)
    }
    lines.append(.spacer())

    switch state.lockMode {
    case .passphrase(let who):
        let field = (lock.typed.isEmpty ? "" : lockMask) + "▏" + (lock.checking ? "  checking…" : "")
        add("Passphrase for \(who): \(field)", .commandLine, bold: true, 0)
        let tries = lock.wrongTries == 1 ? "1 wrong try" : "\(lock.wrongTries) wrong tries"
        if lock.lastAnswerWrong {
            add("Wrong passphrase (\(tries) since it locked)", .errorMessage, bold: true, 2)
        } else if lock.wrongTries > 0 {
            add("\(tries) since it locked", .statusWarning, 2)
        }
        lines.append(.spacer())
        add(Keymaps.locked.hintLine, .hintText, 3)
    case .hideOnly:
        add("This document is not encrypted: the screen is hidden, not locked.", .text, 0)
        add("Enter returns to it.", .hintKey, bold: true, 0)
        lines.append(.spacer())
        add("caseload encrypt PATH protects the file;", .dim, 3)
        add("then the screen locks with your passphrase.", .dim, 3)
    }
    lines.append(.spacer())
    let (save, _) = saveText(state.saveStatus, now: state.recordNow)
    add("Autosave goes on (\(save)); a note being typed stays a draft.", .dim, 7)
    return lines
}

/// Draws the lock screen over the whole canvas: a block of lines in the middle, the least needed left out first when
/// the screen is short (the prompt is the last to go), each cut at the edge when it is narrow.
func drawLockScreen(_ canvas: inout Canvas, _ state: AppState, _ lock: LockState) {
    guard canvas.width > 0, canvas.height > 0 else { return }
    canvas.fill(canvas.bounds, role: .text)
    // A margin on either side where there is room for one; on a narrow screen every cell goes to the text.
    let width = canvas.width >= 40 ? min(canvas.width - 4, 72) : canvas.width >= 12 ? canvas.width - 2 : canvas.width
    var lines = lockScreenLines(state, lock, width: width)
    while lines.count > canvas.height, let worst = lines.map(\.priority).max(),
          let index = lines.lastIndex(where: { $0.priority == worst }) {
        lines.remove(at: index)
    }
    // Leading and trailing spacers left by what was dropped would only push the block off centre.
    while lines.first?.priority == LockLine.spacer().priority { lines.removeFirst() }
    while lines.last?.priority == LockLine.spacer().priority { lines.removeLast() }
    let blockWidth = lines.map { TextWidth.of($0.text) }.max() ?? 0
    let x = max(0, (canvas.width - blockWidth) / 2)
    let top = max(0, (canvas.height - lines.count) / 2)
    for (i, line) in lines.enumerated() {
        canvas.put(line.text, x: x, y: top + i, role: line.role, bold: line.bold)
    }
}
