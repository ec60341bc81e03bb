import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

@Suite struct ConfigTests {
    private func time(_ text: String) -> LocalTime? { LocalTime(text: text) }

    @Test func readsEveryKey() {
        let (config, warnings) = AppConfig.parse("""
        # Caseload settings
        file = "~/caseload/riverside.json"
        theme = "solarized-dark"
        week_start = "sun"
        day_start = "07:00"
        day_end = "21:30"
        login = "dreyes"
        """, source: "config.toml", home: "/home/dreyes")
        #expect(warnings.isEmpty)
        #expect(config == AppConfig(file: "/home/dreyes/caseload/riverside.json", theme: "solarized-dark", firstWeekday: .sun,
                                    dayStart: time("07:00"), dayEnd: time("21:30"), login: "dreyes"))
    }

    @Test func aDatabaseAddressIsReadAndANonAddressWarnsByKey() {
        let (config, warnings) = AppConfig.parse("db = \"postgresql://iop_staff@dbhost/iop?sslmode=require\"", source: "config.toml")
        #expect(warnings.isEmpty)
        #expect(config.db == "postgresql://iop_staff@dbhost/iop?sslmode=require")
        let (bad, said) = AppConfig.parse("db = \"dbhost/iop\"", source: "config.toml")
        #expect(bad.db == nil)
        #expect(said.count == 1)
        #expect(said.first?.contains("config.toml: db:") == true)
    }

    @Test func emptyFileIsAnEmptyConfigWithoutWarnings() {
        let (config, warnings) = AppConfig.parse("", source: "config.toml")
        #expect(config == AppConfig())
        #expect(warnings.isEmpty)
    }

    @Test func weekStartAcceptsShortAndLongNamesInAnyCase() {
        #expect(AppConfig.parse("week_start = \"mon\"", source: "c").0.firstWeekday == .mon)
        #expect(AppConfig.parse("week_start = \"Saturday\"", source: "c").0.firstWeekday == .sat)
        #expect(AppConfig.parse("week_start = \"WED\"", source: "c").0.firstWeekday == .wed)
    }

    @Test func dayHoursAcceptOneDigitHours() {
        #expect(AppConfig.parse("day_start = \"7:30\"", source: "c").0.dayStart == time("07:30"))
    }

    @Test func badWeekStartWarnsWithFileAndKeyAndStaysUnset() {
        let (config, warnings) = AppConfig.parse("week_start = \"someday\"\ntheme = \"light\"", source: "config.toml")
        #expect(config == AppConfig(theme: "light"))
        #expect(warnings == [#"config.toml: week_start: "someday" is not a day of the week (use "mon" … "sun")"#])
    }

    @Test func badTimeWarnsAndOnlyThatKeyStaysUnset() {
        let (config, warnings) = AppConfig.parse("day_start = \"25:00\"\nday_end = \"20:00\"", source: "config.toml")
        #expect(config.dayStart == nil)
        #expect(config.dayEnd == time("20:00"))
        #expect(warnings == [#"config.toml: day_start: "25:00" is not a time (use "HH:MM", e.g. "07:30")"#])
    }

    @Test func wrongTypeWarnsAndStaysUnset() {
        let (config, warnings) = AppConfig.parse("theme = 3\nfile = true\nday_end = 18", source: "config.toml")
        #expect(config == AppConfig())
        #expect(warnings.count == 3)
        #expect(warnings.first == #"config.toml: theme: 3 is not a theme name (use a string, e.g. theme = "light")"#)
    }

    @Test func emptyStringsAreNotValues() {
        let (config, warnings) = AppConfig.parse("theme = \"\"\nlogin = \"  \"", source: "config.toml")
        #expect(config == AppConfig())
        #expect(warnings.count == 2)
    }

    @Test func loginWithSpacesWarns() {
        let (config, warnings) = AppConfig.parse("login = \"dana reyes\"", source: "config.toml")
        #expect(config.login == nil)
        #expect(warnings == [#"config.toml: login: "dana reyes" is not a login name: a login has no spaces"#])
    }

    @Test func dayEndNotAfterDayStartWarnsAndDropsBoth() {
        let (config, warnings) = AppConfig.parse("day_start = \"18:00\"\nday_end = \"08:00\"\nlogin = \"dreyes\"", source: "config.toml")
        #expect(config == AppConfig(login: "dreyes"))
        #expect(warnings == ["config.toml: day_end: 08:00 is not after day_start 18:00; using the default day hours"])
    }

    @Test func unknownKeyWarnsWithFileAndKey() {
        let (config, warnings) = AppConfig.parse("colour = \"blue\"\ntheme = \"light\"", source: "config.toml")
        #expect(config == AppConfig(theme: "light"))
        #expect(warnings == ["config.toml: colour: unknown key (known: file, db, theme, week_start, day_start, day_end, login, lock_after)"])
    }

    @Test func misspeltKeySuggestsTheRightOne() {
        let (_, warnings) = AppConfig.parse("week-start = \"mon\"", source: "config.toml")
        #expect(warnings == ["config.toml: week-start: unknown key; did you mean week_start?"])
    }

    @Test func unknownTableIsAnUnknownKey() {
        let (config, warnings) = AppConfig.parse("theme = \"light\"\n[ui]\nx = 1", source: "config.toml")
        #expect(config == AppConfig(theme: "light"))
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("config.toml: ui: unknown key") == true)
    }

    @Test func syntaxErrorGivesOneWarningWithTheLineAndAnEmptyConfig() {
        let (config, warnings) = AppConfig.parse("theme = \"light\"\nweek_start = mon\n", source: "config.toml")
        #expect(config == AppConfig())
        #expect(warnings == [#"config.toml: line 2, column 14: mon is not a value (strings need quotes: "mon"); the settings in this file are ignored"#])
    }

    @Test func unquotedTimeIsASyntaxErrorWithAHint() {
        let (config, warnings) = AppConfig.parse("day_start = 07:00", source: "config.toml")
        #expect(config == AppConfig())
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("line 1") == true)
        #expect(warnings.first?.contains("write it as a string") == true)
    }

    @Test func duplicateKeyIsASyntaxError() {
        let (config, warnings) = AppConfig.parse("theme = \"light\"\ntheme = \"mono\"", source: "config.toml")
        #expect(config == AppConfig())
        #expect(warnings.first?.hasPrefix("config.toml: line 2, column 1: duplicate key theme") == true)
    }

    // Finding 7 of issue 12: `file = "~/…"` was kept as typed, so the first save made a literal "./~/caseload/…" in
    // whatever folder Caseload was started from, a new empty program per folder.

    @Test func aTildeFileIsExpandedAgainstHome() {
        let home = "/home/dreyes"
        #expect(AppConfig.parse(#"file = "~/caseload/riverside.json""#, source: "c", home: home).0.file == "/home/dreyes/caseload/riverside.json")
        #expect(AppConfig.parse(#"file = "~""#, source: "c", home: home).0.file == "/home/dreyes")
        #expect(AppConfig.parse(#"file = "~/x.json""#, source: "c", home: "/home/dreyes/").0.file == "/home/dreyes/x.json")
        #expect(AppConfig.parse(#"file = "/srv/clinic/caseload.json""#, source: "c", home: home).0.file == "/srv/clinic/caseload.json")
    }

    @Test func aRelativeFileIsRefusedNamingTheKeyAndTheRestStillApplies() {
        for written in ["caseload.json", "./caseload.json", "data/caseload.json", "../caseload.json"] {
            let (config, warnings) = AppConfig.parse("file = \"\(written)\"\ntheme = \"light\"\nlogin = \"dreyes\"", source: "config.toml", home: "/home/dreyes")
            #expect(config == AppConfig(theme: "light", login: "dreyes"), "\(written)")
            #expect(warnings.count == 1)
            #expect(warnings.first?.hasPrefix("config.toml: file: \"\(written)\" is a relative path") == true, "\(warnings)")
        }
    }

    @Test func anotherUsersTildeOrAHomelessTildeIsRefused() {
        let (other, otherWarnings) = AppConfig.parse(#"file = "~ana/caseload.json""#, source: "config.toml", home: "/home/dreyes")
        #expect(other.file == nil)
        #expect(otherWarnings.first?.hasPrefix(#"config.toml: file: "~ana/caseload.json": only ~/…"#) == true, "\(otherWarnings)")
        let (homeless, homelessWarnings) = AppConfig.parse(#"file = "~/caseload.json""#, source: "config.toml", home: "")
        #expect(homeless.file == nil)
        #expect(homelessWarnings.first?.contains("$HOME is not set") == true, "\(homelessWarnings)")
    }

    /// The attack as reported: the config's `~/caseload/…` must never become a folder named "~" under the launch folder.
    @Test func theConfiguredFileNeverLandsUnderTheLaunchFolder() throws {
        let (config, _) = AppConfig.parse(#"file = "~/caseload/riverside.json""#, source: "config.toml", home: "/home/dreyes")
        let file = try #require(config.file)
        #expect(file.hasPrefix("/"))
        #expect(!file.split(separator: "/").contains("~"))
    }

    // MARK: lock_after

    @Test func lockAfterIsTenMinutesUnlessTheFileSaysAndReadsSecondsMinutesHoursAndOff() {
        #expect(AppConfig.parse("", source: "c").0.lockAfter == 600, "absent: ten minutes")
        let cases: [(String, TimeInterval?)] = [("30s", 30), ("5m", 300), ("1h", 3600), ("90s", 90), ("3s", 3), ("1s", 1),
                                                 ("10m", 600), (" 15M ", 900), ("24h", 86_400), ("off", nil), ("OFF", nil)]
        for (written, seconds) in cases {
            let (config, warnings) = AppConfig.parse("lock_after = \"\(written)\"", source: "config.toml")
            #expect(warnings.isEmpty, "\(written): \(warnings)")
            #expect(config.lockAfter == seconds, "\(written)")
        }
    }

    @Test func aBadLockAfterWarnsWithFileAndKeyAndKeepsTenMinutes() {
        for written in ["\"10\"", "\"0s\"", "\"-5m\"", "\"1.5m\"", "\"2d\"", "\"25h\"", "\"m\"", "\"\"", "\"ten minutes\"", "\"9999999s\"",
                        "\"\u{0661}s\"", "600", "false"] {
            let (config, warnings) = AppConfig.parse("lock_after = \(written)\ntheme = \"light\"", source: "/home/d/.config/caseload/config.toml")
            #expect(config.lockAfter == 600, "\(written) keeps the default")
            #expect(config.theme == "light", "the rest still applies")
            #expect(warnings.count == 1, "\(written): \(warnings)")
            #expect(warnings.first?.hasPrefix("/home/d/.config/caseload/config.toml: lock_after: ") == true, "\(written): \(warnings)")
            #expect(warnings.first?.hasSuffix("the screen locks after 10 minutes") == true)
        }
    }

    @Test func lockAfterIsAKnownKey() {
        #expect(AppConfig.keys.last == "lock_after")
        let (_, warnings) = AppConfig.parse("lock_afer = \"5m\"", source: "config.toml")
        #expect(warnings.first?.contains("lock_after") == true, "a misspelling is pointed at the key: \(warnings)")
    }
}
