import CaseloadCore
import Foundation

// The `:` command line: typing it and running its commands.

/// The command line's keys (`Keymaps.commandLine`); other printable keys type the command.
func handleCommandLineKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var text = state.commandLine else { return [] }
    // The candidates Tab showed go with the next key.
    state.message = nil
    switch Keymaps.commandLine.action(for: key) {
    case .cancel?:
        state.commandLine = nil
        return []
    case .submit?:
        state.commandLine = nil
        return runCommand(&state, text)
    case .complete?:
        let completion = Commands.complete(text, themeNames: state.themeNames)
        text = completion.text
        if !completion.candidates.isEmpty { state.message = StatusMessage(completion.candidates.joined(separator: "  ")) }
    case .deleteBackward?:
        if text.isEmpty { state.commandLine = nil; return [] }
        text.removeLast()
    case .killToStart?:
        text = ""
    case .deleteWord?:
        while text.last == " " { text.removeLast() }
        while let last = text.last, last != " " { text.removeLast() }
    default:
        guard case .char(let c) = key else { break }
        text.append(c)
    }
    state.commandLine = text
    return []
}

/// Quitting: the final save can take seconds on a long chart, so the title bar says "saving" and the message says why
/// until it is done (the app draws this before it waits for the save).
/// With merge conflicts unresolved it asks first (unless `confirmed`): the file has the other person's values, and this
/// instance's own, kept only in the conflicts, would be lost.
func quitting(_ state: inout AppState, confirmed: Bool = false) -> [Effect] {
    if !confirmed, let question = quitWithConflictsQuestion(state) {
        state.overlay = .confirm(question: question, onYes: .quitLosingConflicts)
        return []
    }
    if state.readOnlyReason == nil { state.saveStatus = .saving }
    state.message = StatusMessage("Saving before quitting…")
    return [.quit]
}

/// Runs a `:` command (as named in `Commands.all`).
func runCommand(_ state: inout AppState, _ line: String) -> [Effect] {
    guard let (name, argument) = Commands.split(line) else { return [] }
    guard let command = Commands.named(name) else {
        state.message = StatusMessage("Unknown command: :\(name) (:help lists the commands)", isError: true)
        return []
    }
    switch command.kind {
    case .write:
        return perform(&state, .saveNow)
    case .quit:
        return quitting(&state)
    case .writeQuit:
        return [.saveNow] + quitting(&state)
    case .quitWithoutSaving:
        state.overlay = .confirm(question: "Quit without saving the changes not yet on disk? (y/n)", onYes: .quitWithoutSaving)
        return []
    case .theme:
        guard !argument.isEmpty else {
            state.message = StatusMessage("Usage: \(command.usage) (\(state.themeNames.joined(separator: ", ")))", isError: true)
            return []
        }
        return [.setTheme(argument)]
    case .goTo:
        guard let date = DateInput.parse(argument, today: state.today) else {
            state.message = StatusMessage("Not a date: \"\(argument)\" (try 2026-12-01, today, fri, +2w)", isError: true)
            return []
        }
        goTo(&state, date)
        state.focus = .week
        return []
    case .help:
        state.overlay = .help(scroll: 0)
        return []
    case .reload:
        return [.reload]
    case .lock:
        return lockScreen(&state, .command)
    case .conflicts:
        openConflicts(&state)
        return []
    case .coSign:
        openCoSignQueue(&state)
        return []
    case .staff:
        openStaffPicker(&state)
        return []
    case .saveAs:
        guard !argument.isEmpty else {
            state.message = StatusMessage("Usage: \(command.usage)", isError: true)
            return []
        }
        return [.saveAs(argument)]
    }
}
