import CaseloadCore
import Foundation

/// Settings from `$XDG_CONFIG_HOME/caseload/config.toml`; nil means "not set" (use the built-in default
/// or a command-line flag). Flags override the file.
///
///     file = "~/caseload/riverside.json"
///     theme = "solarized-dark"
///     week_start = "sun"      # mon…sun, or monday…sunday
///     day_start = "07:00"     # the first hour the week grid shows
///     day_end = "21:30"
///     login = "dreyes"        # who I am: a staff member's login
///     lock_after = "10m"      # lock the screen after this long without a key or click: "30s", "5m", "1h", or "off"
public struct AppConfig: Equatable, Sendable {
    /// The document to open: a full path, `~` and `~/…` already expanded against the home folder.
    public var file: String?
    /// A PostgreSQL database to open instead of a file (issue 20): `db = "postgresql://user@host/iop"`. Never a
    /// password (refused when opening): that belongs in ~/.pgpass.
    public var db: String?
    public var theme: String?
    public var firstWeekday: Weekday?
    public var dayStart: LocalTime?
    public var dayEnd: LocalTime?
    /// Who I am: the login of a staff member in the document.
    public var login: String?
    /// Seconds without a key or click before the screen locks; nil is `lock_after = "off"`. Unlike the settings above it
    /// is never "not set": no flag overrides it, so an absent or bad value is the default, ten minutes.
    public var lockAfter: TimeInterval?

    /// Ten minutes: what `lock_after` is when the file does not say.
    public static let defaultLockAfter: TimeInterval = 600

    public init(file: String? = nil, theme: String? = nil, firstWeekday: Weekday? = nil,
                dayStart: LocalTime? = nil, dayEnd: LocalTime? = nil, login: String? = nil, lockAfter: TimeInterval? = defaultLockAfter) {
        self.file = file; self.theme = theme; self.firstWeekday = firstWeekday
        self.dayStart = dayStart; self.dayEnd = dayEnd; self.login = login; self.lockAfter = lockAfter
    }

    /// The keys a config file may hold, in the order they are documented.
    public static let keys = ["file", "db", "theme", "week_start", "day_start", "day_end", "login", "lock_after"]

    /// Reads a config file's text; `source` names it in warnings, `home` is the folder `~` stands for (`$HOME`).
    /// Never throws: a bad value or an unknown key gives a warning naming the file and key, and that setting stays
    /// unset; a syntax error gives one warning with the line and an empty config.
    public static func parse(_ text: String, source: String,
                             home: String = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) -> (AppConfig, warnings: [String]) {
        let table: TOMLTable
        do {
            table = try TOML.parse(text)
        } catch {
            return (AppConfig(), ["\(source): \(error.description); the settings in this file are ignored"])
        }
        var config = AppConfig()
        var warnings: [String] = []
        func warn(_ key: String, _ message: String) { warnings.append("\(source): \(key): \(message)") }

        for key in table.keys {
            guard let value = table[key] else { continue }
            switch key {
            case "file":
                guard let s = nonEmptyString(value) else {
                    warn(key, "\(shown(value)) is not a file path (use a string, e.g. file = \"~/caseload.json\")")
                    continue
                }
                switch documentPath(s, home: home) {
                case .success(let path): config.file = path
                case .failure(let problem): warn(key, problem.message)
                }
            case "db":
                if let s = nonEmptyString(value), s.hasPrefix("postgresql://") || s.hasPrefix("postgres://") {
                    config.db = s
                } else {
                    warn(key, "\(shown(value)) is not a database address (use a string, e.g. db = \"postgresql://you@dbhost/iop\")")
                }
            case "theme":
                if let s = nonEmptyString(value) { config.theme = s } else { warn(key, "\(shown(value)) is not a theme name (use a string, e.g. theme = \"light\")") }
            case "week_start":
                if let day = value.stringValue.flatMap(weekday) { config.firstWeekday = day } else { warn(key, "\(shown(value)) is not a day of the week (use \"mon\" … \"sun\")") }
            case "day_start", "day_end":
                guard let s = value.stringValue, let time = LocalTime(text: s.trimmingCharacters(in: .whitespaces)) else {
                    warn(key, "\(shown(value)) is not a time (use \"HH:MM\", e.g. \"07:30\")")
                    continue
                }
                if key == "day_start" { config.dayStart = time } else { config.dayEnd = time }
            case "login":
                guard let s = nonEmptyString(value) else {
                    warn(key, "\(shown(value)) is not a login name (use a string, e.g. login = \"dreyes\")")
                    continue
                }
                guard !s.contains(where: \.isWhitespace) else {
                    warn(key, "\(shown(value)) is not a login name: a login has no spaces")
                    continue
                }
                config.login = s
            case "lock_after":
                guard let s = value.stringValue, let limit = lockAfter(s) else {
                    warn(key, "\(shown(value)) is not a time to lock after (1s to 24h, e.g. \"30s\", \"5m\", \"1h\", or \"off\"); the screen locks after 10 minutes")
                    continue
                }
                config.lockAfter = limit
            default:
                warn(TOML.key(key), ThemeLoader.unknown("key", key, among: keys))
            }
        }
        if let start = config.dayStart, let end = config.dayEnd, end <= start {
            warn("day_end", "\(end) is not after day_start \(start); using the default day hours")
            config.dayStart = nil
            config.dayEnd = nil
        }
        return (config, warnings)
    }

    /// Why a `file` setting names no usable place.
    public struct PathProblem: Error, Equatable, Sendable {
        public var message: String
    }

    /// `written` as a full path: `~` and `~/…` under `home`, `/…` as is. A relative path is refused: it would put the
    /// document in whichever folder Caseload happens to be started from, a new empty program in each.
    public static func documentPath(_ written: String, home: String) -> Result<String, PathProblem> {
        let shownPath = written.count > 60 ? String(written.prefix(59)) + "…" : written
        if written == "~" || written.hasPrefix("~/") {
            guard home.hasPrefix("/") else {
                return .failure(PathProblem(message: "\"\(shownPath)\" starts with ~ but $HOME is not set to a full path; write the file's full path (/…)"))
            }
            let rest = String(written.dropFirst(written == "~" ? 1 : 2))
            return .success(rest.isEmpty ? home : (home as NSString).appendingPathComponent(rest))
        }
        if written.hasPrefix("~") {
            return .failure(PathProblem(message: "\"\(shownPath)\": only ~/… (your own home folder) is understood; write the full path (/…)"))
        }
        guard written.hasPrefix("/") else {
            return .failure(PathProblem(message: "\"\(shownPath)\" is a relative path, which would depend on the folder Caseload is started from; write a full path (/…) or one under your home (~/…)"))
        }
        return .success(written)
    }

    /// The longest `lock_after` taken: a day. Longer is no automatic lock at all, which is what "off" is for.
    static let longestLockAfter: TimeInterval = 24 * 3600

    /// "30s", "5m", "1h", "90s" → seconds (from 1 s to a day); "off" → `.some(nil)`; anything else → nil.
    static func lockAfter(_ text: String) -> TimeInterval?? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "off" { return .some(nil) }
        guard let unit = t.last, let scale: TimeInterval = ["s": 1, "m": 60, "h": 3600][unit] else { return nil }
        let digits = t.dropLast().trimmingCharacters(in: .whitespaces)
        // Digits only, and few of them: no sign, no fraction, nothing that overflows.
        guard (1...6).contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let n = Int(digits) else { return nil }
        let seconds = TimeInterval(n) * scale
        guard seconds >= 1, seconds <= longestLockAfter else { return nil }
        return .some(seconds)
    }

    /// "mon", "Monday", "TUE" → the weekday.
    static func weekday(_ text: String) -> Weekday? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let full = ["monday": Weekday.mon, "tuesday": .tue, "wednesday": .wed, "thursday": .thu, "friday": .fri, "saturday": .sat, "sunday": .sun]
        return Weekday(rawValue: t) ?? full[t]
    }

    private static func nonEmptyString(_ value: TOMLValue) -> String? {
        guard let s = value.stringValue?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { return nil }
        return s
    }

    private static func shown(_ value: TOMLValue) -> String {
        let text = value.description
        return text.count > 40 ? String(text.prefix(39)) + "…" : text
    }
}
