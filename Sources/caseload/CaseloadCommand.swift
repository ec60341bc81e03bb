import ArgumentParser
import CaseloadCore
import CaseloadDemo
import CaseloadStore
import Foundation

/// The `caseload` command: the terminal UI and its command-line tools.
@main
struct CaseloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseload",
        abstract: "Run an intensive outpatient program from the terminal: caseload, weekly calendar, roll and notes.",
        discussion: """
            Everything lives in one JSON document, saved safely as you work.
            Set CASELOAD_NOW=2026-11-30T18:05 to fix the clock (tests, demos).
            """,
        subcommands: [OpenCommand.self, DemoCommand.self, CheckCommand.self, ReportCommand.self, ExportCommand.self, BackupsCommand.self, RestoreCommand.self, AutosaveDrillCommand.self],
        defaultSubcommand: OpenCommand.self
    )
}

/// `caseload [open]`: the terminal UI on a document.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a document in the terminal UI (the default when no subcommand is given).",
        discussion: """
            The default file is $XDG_DATA_HOME/caseload/caseload.json (created on the first save).
            Config: $XDG_CONFIG_HOME/caseload/config.toml (file, theme, week_start, day_start, day_end, login).
            """
    )

    @Option(name: .long, help: "The document to open.")
    var file: String?

    @Option(name: .long, help: "Theme: default, light, high-contrast, solarized-dark, mono, or one of yours.")
    var theme: String?

    @Flag(name: .long, help: "Open a freshly generated demo program in a scratch file.")
    var demo = false

    @Flag(name: .long, help: "Open without writing anything.")
    var readOnly = false

    func run() throws {
        let code = MainActor.assumeIsolated {
            AppRunner.run(file: file, theme: theme, demo: demo, readOnly: readOnly)
        }
        if code != 0 { throw ExitCode(code) }
    }
}

/// Prints a message to standard error and exits non-zero. Messages quote file content (names, keys, a lock's holder):
/// control characters in it are shown, never sent to the terminal.
func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandle.standardError.write(Data("caseload: \(TerminalText.safe(message))\n".utf8))
    return ExitCode(code)
}

/// The clock: `CASELOAD_NOW` when set (wall-clock time in the program's zone, or with Z / an offset), else the system's.
enum Clock {
    static let demoZone = TimeZone(identifier: "America/Chicago") ?? TimeZone(secondsFromGMT: -6 * 3600) ?? .current

    static func now(zone: TimeZone = demoZone) -> Date {
        if let text = ProcessInfo.processInfo.environment["CASELOAD_NOW"], !text.isEmpty {
            if let date = ClockSetting.parse(text, zone: zone) { return date }
            FileHandle.standardError.write(Data("caseload: ignoring CASELOAD_NOW=\(text): expected a time like 2026-11-30T18:05\n".utf8))
        }
        return Date()
    }
}
