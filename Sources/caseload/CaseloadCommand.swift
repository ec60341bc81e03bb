import ArgumentParser
import CaseloadCore
import CaseloadDemo
import CaseloadStore
import CaseloadUI
import Foundation

/// The `caseload` command: the terminal UI and its command-line tools.
@main
struct CaseloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseload",
        abstract: "Run an intensive outpatient program from the terminal: caseload, weekly calendar, roll and notes.",
        discussion: """
            Everything lives in one JSON document, saved safely as you work.
            Set CASELOAD_NOW=2026-11-30T18:05 to fix the clock the view shows (demos, screenshots); consents, signatures
            and disclosures still use the real time, and the title bar and reports say the clock is fixed.
            """,
        subcommands: [OpenCommand.self, DemoCommand.self, CheckCommand.self, ReportCommand.self, ExportCommand.self, BackupsCommand.self, RestoreCommand.self, ShareCommand.self, EncryptCommand.self, DecryptCommand.self, KeysCommand.self, AuditCommand.self, DatabaseCommand.self] + testDrivers,
        defaultSubcommand: OpenCommand.self
    )

    /// Commands only the tests use (they run the debug build); a release build has none, so users cannot run them.
    static var testDrivers: [ParsableCommand.Type] {
        #if DEBUG
        [AutosaveDrillCommand.self, ShareDrillCommand.self]
        #else
        []
        #endif
    }
}

/// `caseload [open]`: the terminal UI on a document.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a document in the terminal UI (the default when no subcommand is given).",
        discussion: """
            The default file is $XDG_DATA_HOME/caseload/caseload.json (created on the first save).
            Config: $XDG_CONFIG_HOME/caseload/config.toml (file, db, theme, week_start, day_start, day_end, login, lock_after).
            The screen locks after lock_after without a key or click ("10m" by default; "30s", "1h", "off"), or at once on
            Ctrl-\\ or :lock; on a plain (unencrypted) document it is only hidden, and Enter shows it again.
            """
    )

    @Option(name: .long, help: "The document to open.")
    var file: String?

    @Option(name: .long, help: "A PostgreSQL database to open instead (postgresql://USER@HOST/DB; the password from ~/.pgpass or asked for; see docs/DATABASE.md).")
    var db: String?

    @Option(name: .long, help: "Theme: \(ThemeLoader.builtInNames.joined(separator: ", ")), or one of yours.")
    var theme: String?

    @Flag(name: .long, help: "Open a freshly generated demo program in a scratch file.")
    var demo = false

    @Flag(name: .long, help: "Open without writing anything.")
    var readOnly = false

    @OptionGroup(title: "Encrypted documents (without these, the passphrase is asked for at the terminal before the screen opens)")
    var passphrase: PassphraseOptions

    func run() throws {
        let code = MainActor.assumeIsolated {
            AppRunner.run(file: file, db: db, theme: theme, demo: demo, readOnly: readOnly, passphrase: passphrase)
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

/// The two clocks. The view clock follows `CASELOAD_NOW` when set (wall-clock time in the program's zone, or with Z / an
/// offset), for demos and screenshots; the record clock, which judges consents and dates signatures, disclosures, reported
/// absences, backups and the lock, is always the real time in what users run. Only a debug build (what `swift test`
/// runs) lets a test fix the record clock: `CASELOAD_TEST_RECORD_NOW`, else `CASELOAD_NOW`.
enum Clock {
    static let demoZone = TimeZone(identifier: "America/Chicago") ?? TimeZone(secondsFromGMT: -6 * 3600) ?? .current

    /// The time the view shows and relative dates (`today`, `-4w`) count from.
    static func now(zone: TimeZone = demoZone) -> Date {
        fixedView(zone: zone) ?? Date()
    }

    /// `CASELOAD_NOW` when it is set and readable (a warning on standard error when it is not).
    static func fixedView(zone: TimeZone = demoZone) -> Date? {
        fixed("CASELOAD_NOW", zone: zone)
    }

    /// The time that decides consent validity and stamps signatures, disclosures and audit dates: the real time.
    static func record(zone: TimeZone = demoZone) -> Date {
        #if DEBUG
        // The test seam: never compiled into a release build, so a user's CASELOAD_NOW cannot fake a record.
        if let date = fixed("CASELOAD_TEST_RECORD_NOW", zone: zone) ?? fixed("CASELOAD_NOW", zone: zone, quiet: true) { return date }
        #endif
        return Date()
    }

    /// The header line reports and letters carry while the view clock is fixed; nil when it is not.
    static func fixedNotice(zone: TimeZone) -> String? {
        fixedView(zone: zone).map { ClockNotice.text(fixedAt: $0, zone: zone) }
    }

    private static func fixed(_ name: String, zone: TimeZone, quiet: Bool = false) -> Date? {
        guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else { return nil }
        if let date = ClockSetting.parse(text, zone: zone) { return date }
        if !quiet {
            FileHandle.standardError.write(Data("caseload: ignoring \(name)=\(text.prefix(40)): expected a time like 2026-11-30T18:05\n".utf8))
        }
        return nil
    }
}
