import CaseloadCore
import Foundation

// The `:` command line: typing it and running its commands.

func handleCommandLineKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var text = state.commandLine else { return [] }
    switch key {
    case .escape:
        state.commandLine = nil
        return []
    case .enter:
        state.commandLine = nil
        return runCommand(&state, text)
    case .backspace:
        if text.isEmpty { state.commandLine = nil; return [] }
        text.removeLast()
    case .ctrl("u"):
        text = ""
    case .ctrl("w"):
        while text.last == " " { text.removeLast() }
        while let last = text.last, last != " " { text.removeLast() }
    case .char(let c):
        text.append(c)
    default:
        break
    }
    state.commandLine = text
    return []
}

/// Quitting: the final save can take seconds on a long chart, so the title bar says "saving" and the message says why
/// until it is done (the app draws this before it waits for the save).
func quitting(_ state: inout AppState) -> [Effect] {
    if state.readOnlyReason == nil { state.saveStatus = .saving }
    state.message = StatusMessage("Saving before quitting…")
    return [.quit]
}

/// Runs a `:` command.
func runCommand(_ state: inout AppState, _ line: String) -> [Effect] {
    let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
    guard let name = parts.first else { return [] }
    let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
    switch name {
    case "w", "write":
        return perform(&state, .saveNow)
    case "q", "quit":
        return quitting(&state)
    case "wq", "x":
        return [.saveNow] + quitting(&state)
    case "q!", "quit!":
        state.overlay = .confirm(question: "Quit without saving the changes not yet on disk? (y/n)", onYes: .quitWithoutSaving)
        return []
    case "theme":
        guard !argument.isEmpty else {
            state.message = StatusMessage("Usage: :theme NAME (\(state.themeNames.joined(separator: ", ")))", isError: true)
            return []
        }
        return [.setTheme(argument)]
    case "goto", "g":
        guard let date = DateInput.parse(argument, today: state.today) else {
            state.message = StatusMessage("Not a date: \"\(argument)\" (try 2026-12-01, today, fri, +2w)", isError: true)
            return []
        }
        goTo(&state, date)
        state.focus = .week
        return []
    case "help", "h":
        state.overlay = .help(scroll: 0)
        return []
    case "reload":
        return [.reload]
    case "saveas":
        guard !argument.isEmpty else {
            state.message = StatusMessage("Usage: :saveas PATH", isError: true)
            return []
        }
        return [.saveAs(argument)]
    default:
        state.message = StatusMessage("Unknown command: :\(name) (:help lists the commands)", isError: true)
        return []
    }
}
