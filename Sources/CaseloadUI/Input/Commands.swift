import Foundation

/// What a `:` command does; `runCommand` (App/CommandLine.swift) carries it out.
public enum CommandKind: Equatable, Sendable {
    case write, quit, writeQuit, quitWithoutSaving, theme, goTo, help, reload, saveAs, lock, conflicts, coSign, staff
}

/// What a command's argument is, for Tab completion.
public enum CommandArgument: Equatable, Sendable {
    /// A theme found at start-up (`AppState.themeNames`).
    case themeName
    case date
    case path
}

/// One `:` command: its names, its argument, its help. The table parses the line, writes help and usage, and completes.
public struct Command: Sendable {
    public var kind: CommandKind
    /// The name help shows first, then other spellings (`:write` for `:w`).
    public var name: String
    public var aliases: [String]
    /// The argument as help writes it ("NAME"), nil for none.
    public var argumentName: String?
    public var argument: CommandArgument?
    public var help: String

    public init(_ kind: CommandKind, _ name: String, aliases: [String] = [], argument: (name: String, kind: CommandArgument)? = nil, _ help: String) {
        self.kind = kind; self.name = name; self.aliases = aliases
        self.argumentName = argument?.name; self.argument = argument?.kind; self.help = help
    }

    public var names: [String] { [name] + aliases }

    /// ":theme NAME", as help and usage messages write it.
    public var usage: String { ":" + name + (argumentName.map { " " + $0 } ?? "") }
}

/// The command line's commands, in the order help lists them.
public enum Commands {
    public static let all: [Command] = [
        Command(.write, "w", aliases: ["write"], "save now"),
        Command(.quit, "q", aliases: ["quit"], "quit after the final save"),
        Command(.writeQuit, "wq", aliases: ["x"], "save and quit"),
        Command(.quitWithoutSaving, "q!", aliases: ["quit!"], "quit without saving (asks)"),
        Command(.theme, "theme", argument: ("NAME", .themeName), "switch theme"),
        Command(.goTo, "goto", aliases: ["g"], argument: ("DATE", .date), "show the week of DATE (2026-12-01, today, fri, +2w)"),
        Command(.reload, "reload", "load the file again from disk"),
        Command(.saveAs, "saveas", argument: ("PATH", .path), "save under another name"),
        Command(.lock, "lock", "lock the screen now (as Ctrl-\\)"),
        Command(.conflicts, "conflicts", "list what another person saved differently from you: keep theirs, yours or both (as C)"),
        Command(.coSign, "cosign", "notes waiting for your co-signature, oldest first (as Q)"),
        Command(.staff, "staff", "a staff member's supervisor and whether their notes need co-signature (directors)"),
        Command(.help, "help", aliases: ["h"], "this screen"),
    ]

    /// The commands the `:` key's help line names: all of them.
    static var summarized: [Command] { all }

    /// The command a typed name names (any of its spellings).
    public static func named(_ name: String) -> Command? { all.first { $0.names.contains(name) } }

    /// A typed line split into the command's name and its argument (trimmed; "" for none).
    public static func split(_ line: String) -> (name: String, argument: String)? {
        let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1).map(String.init)
        guard let name = parts.first else { return nil }
        return (name, parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
    }
}

/// What Tab made of the command line: the new text, and the candidates when more than one fit.
public struct Completion: Equatable, Sendable {
    public var text: String
    public var candidates: [String]
    public init(text: String, candidates: [String]) { self.text = text; self.candidates = candidates }
}

extension Commands {
    /// Completes a command name (before the first space) or, after `:theme `, a theme name from `themeNames`.
    /// A single fit is written out in full (a command that takes an argument gets its space); several fits are
    /// extended to what they share and returned as candidates; no fit leaves the text as it was.
    public static func complete(_ text: String, themeNames: [String]) -> Completion {
        guard let space = text.firstIndex(of: " ") else {
            let fits = unique(all.flatMap(\.names).filter { $0.hasPrefix(text) })
            if fits.count == 1, let only = fits.first {
                let takesArgument = named(only)?.argument != nil
                return Completion(text: only + (takesArgument ? " " : ""), candidates: [])
            }
            return Completion(text: commonPrefix(fits) ?? text, candidates: fits)
        }
        let name = String(text[..<space])
        let typed = text[text.index(after: space)...].trimmingCharacters(in: .whitespaces)
        guard named(name)?.argument == .themeName else { return Completion(text: text, candidates: []) }
        let fits = unique(themeNames.filter { $0.hasPrefix(typed) })
        if fits.count == 1, let only = fits.first { return Completion(text: name + " " + only, candidates: []) }
        return Completion(text: name + " " + (commonPrefix(fits) ?? typed), candidates: fits)
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// What every name starts with (nil for none).
    private static func commonPrefix(_ names: [String]) -> String? {
        guard var prefix = names.first else { return nil }
        for name in names.dropFirst() {
            while !name.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
