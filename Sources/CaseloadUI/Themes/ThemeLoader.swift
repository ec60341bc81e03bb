import Foundation

/// What was wrong with a theme file: the file, the key (or the line, for a syntax error) and why.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file, as the caller named it (`mytheme.toml`).
    public var source: String
    /// The dotted key at fault (`roles.titleBar.fg`), or nil for a syntax error.
    public var key: String?
    /// Where a syntax error is, or nil for a bad key or value.
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(source: String, key: String? = nil, line: Int? = nil, column: Int? = nil, message: String) {
        self.source = source; self.key = key; self.line = line; self.column = column; self.message = message
    }

    /// `mytheme.toml: roles.titleBar.fg: "#ggg" is not a colour (…)` or `mytheme.toml: line 3, column 5: …`.
    public var description: String {
        var out = source + ": "
        if let line {
            out += "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": "
        }
        if let key { out += key + ": " }
        return out + message
    }
}

/// Reads theme files (TOML) into `Theme`s; knows the built-in themes and the monochrome one for `NO_COLOR`.
///
/// A theme file:
///
///     name = "solarized-dark"
///     [roles.titleBar]
///     fg = "#fdf6e3"
///     bg = "#073642"
///     bold = true
///
/// Role keys are `fg`, `bg`, `bold`, `dim`, `underline`, `reverse`. Colours are `"#rrggbb"`, an integer
/// 0–255, a colour name (`black red green yellow blue magenta cyan white`, and `bright-…` for 8–15) or
/// `"default"` (the terminal's own). Roles a file leaves out are drawn like `text`.
public enum ThemeLoader {
    /// The theme used when nothing else is asked for, or a theme cannot be read.
    public static let defaultName = "default"

    /// The built-in theme names (the files in `themes/`, compiled in by the EmbedThemes plugin), in the order to
    /// offer them: the default theme first, then the others by name.
    public static let builtInNames: [String] = {
        let others = EmbeddedThemes.texts.keys.filter { $0 != defaultName }.sorted()
        return (EmbeddedThemes.texts[defaultName] == nil ? [] : [defaultName]) + others
    }()

    /// The keys a `[roles.NAME]` table may hold.
    public static let roleKeys: [String] = ["fg", "bg", "bold", "dim", "underline", "reverse"]

    static let colourHelp = "use #rrggbb, 0–255, a colour name or default"

    /// The named colours and their palette indexes.
    public static let colourNames: [String: Int] = {
        let base = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        var names: [String: Int] = [:]
        for (i, name) in base.enumerated() {
            names[name] = i
            names["bright-" + name] = i + 8
        }
        return names
    }()

    // MARK: Parsing

    /// Parses a theme file. `source` names the file in errors (`mytheme.toml`); the theme's name is the
    /// file's `name` key, or else `source` without its folder and `.toml`.
    public static func parse(_ text: String, source: String) throws(ThemeError) -> Theme {
        let table: TOMLTable
        do {
            table = try TOML.parse(text)
        } catch {
            throw ThemeError(source: source, line: error.line, column: error.column, message: error.message)
        }
        var name = stem(of: source)
        var styles: [Role: RoleStyle] = [:]
        for key in table.keys {
            guard let value = table[key] else { continue }
            switch key {
            case "name":
                guard let s = value.stringValue, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw ThemeError(source: source, key: "name", message: "\(shown(value)) is not a theme name (use a string, e.g. name = \"my-theme\")")
                }
                name = s
            case "roles":
                guard let roles = value.tableValue else {
                    throw ThemeError(source: source, key: "roles", message: "expected a table of roles ([roles.text], [roles.titleBar], …), found \(value.kindDescription)")
                }
                for roleName in roles.keys {
                    let path = "roles." + TOML.key(roleName)
                    guard let role = Role(rawValue: roleName) else {
                        throw ThemeError(source: source, key: path, message: unknown("role", roleName, among: Role.allCases.map(\.rawValue)))
                    }
                    guard let roleTable = roles[roleName]?.tableValue else {
                        throw ThemeError(source: source, key: path, message: "expected a table with fg, bg, bold, dim, underline, reverse; found \(roles[roleName]?.kindDescription ?? "nothing")")
                    }
                    styles[role] = try roleStyle(roleTable, path: path, source: source)
                }
            default:
                throw ThemeError(source: source, key: TOML.key(key), message: unknown("key", key, among: ["name", "roles"]))
            }
        }
        return Theme(name: name, styles: styles)
    }

    private static func roleStyle(_ table: TOMLTable, path: String, source: String) throws(ThemeError) -> RoleStyle {
        var style = RoleStyle()
        for key in table.keys {
            guard let value = table[key] else { continue }
            let keyPath = path + "." + TOML.key(key)
            switch key {
            case "fg", "bg":
                guard let colour = colour(value) else {
                    throw ThemeError(source: source, key: keyPath, message: "\(shown(value)) is not a colour (\(colourHelp))")
                }
                if key == "fg" { style.foreground = colour } else { style.background = colour }
            case "bold", "dim", "underline", "reverse":
                guard let flag = value.boolValue else {
                    throw ThemeError(source: source, key: keyPath, message: "\(shown(value)) is not true or false")
                }
                switch key {
                case "bold": style.bold = flag
                case "dim": style.dim = flag
                case "underline": style.underline = flag
                default: style.reverse = flag
                }
            default:
                throw ThemeError(source: source, key: keyPath, message: unknown("key", key, among: roleKeys))
            }
        }
        return style
    }

    /// A colour as a theme writes it, or nil: `"#rrggbb"`, 0–255, a colour name, or `"default"`.
    public static func colour(_ value: TOMLValue) -> ColorValue? {
        switch value {
        case .integer(let n):
            return (0...255).contains(n) ? .indexed(n) : nil
        case .string(let text):
            return colour(text)
        default:
            return nil
        }
    }

    /// A colour from its text: `#rrggbb`, a decimal 0–255, a colour name, or `default` (case does not matter).
    public static func colour(_ text: String) -> ColorValue? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "default" { return .terminalDefault }
        if let index = colourNames[t] { return .indexed(index) }
        if t.hasPrefix("#") {
            let hex = Array(t.utf8.dropFirst())
            guard hex.count == 6 else { return nil }
            var bytes: [UInt8] = []
            for pair in stride(from: 0, to: 6, by: 2) {
                guard let hi = hexValue(hex[pair]), let lo = hexValue(hex[pair + 1]) else { return nil }
                bytes.append(hi * 16 + lo)
            }
            return .rgb(bytes[0], bytes[1], bytes[2])
        }
        if !t.isEmpty, t.count <= 3, t.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(t), (0...255).contains(n) {
            return .indexed(n)
        }
        return nil
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// A value as written, cut short for messages.
    private static func shown(_ value: TOMLValue) -> String {
        let text = value.description
        return text.count > 40 ? String(text.prefix(39)) + "…" : text
    }

    /// "unknown role; did you mean titleBar?" when a name differs only in case or `_`/`-`, else the list of known names.
    static func unknown(_ what: String, _ name: String, among known: [String]) -> String {
        func fold(_ s: String) -> String { s.lowercased().filter { $0 != "_" && $0 != "-" } }
        if let match = known.first(where: { fold($0) == fold(name) }) { return "unknown \(what); did you mean \(match)?" }
        return "unknown \(what) (known: \(known.joined(separator: ", ")))"
    }

    /// `~/x/mytheme.toml` → `mytheme`.
    static func stem(of fileName: String) -> String {
        let last = fileName.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? fileName
        return last.hasSuffix(".toml") ? String(last.dropLast(5)) : last
    }

    // MARK: Built-in themes

    private static let parsedBuiltIns: [String: Theme] = {
        var themes: [String: Theme] = [:]
        for (name, text) in EmbeddedThemes.texts {
            if let theme = try? parse(text, source: name + ".toml") { themes[name] = theme }
        }
        return themes
    }()

    /// A built-in theme by name, or nil.
    public static func builtIn(named name: String) -> Theme? { parsedBuiltIns[name] }

    /// The built-in default theme (dark).
    public static var defaultTheme: Theme { parsedBuiltIns[defaultName] ?? monochrome }

    /// Attributes only, the terminal's own colours: for `NO_COLOR` and colourless terminals (the `mono` theme).
    public static let monochrome: Theme = {
        let plain = RoleStyle()
        let bold = RoleStyle(bold: true)
        let dim = RoleStyle(dim: true)
        let underline = RoleStyle(underline: true)
        let reverse = RoleStyle(reverse: true)
        let styles: [Role: RoleStyle] = [
            .text: plain,
            .dim: dim,
            .titleBar: RoleStyle(bold: true, reverse: true),
            .titleBarDim: reverse,
            .border: plain,
            .borderFocused: RoleStyle(bold: true, reverse: true),
            .paneTitle: bold,
            .paneTitleFocused: RoleStyle(bold: true, reverse: true),
            .selection: RoleStyle(bold: true, reverse: true),
            .selectionUnfocused: underline,
            .header: RoleStyle(bold: true, underline: true),
            .hintKey: bold,
            .hintText: dim,
            .statusOK: plain,
            .statusWarning: bold,
            .statusError: RoleStyle(bold: true, reverse: true),
            .groupBlock: bold,
            .individualBlock: underline,
            .familyBlock: RoleStyle(bold: true, underline: true),
            .cancelledBlock: dim,
            .highlightBlock: reverse,
            .today: RoleStyle(bold: true, underline: true),
            .nowLine: bold,
            .meterOK: plain,
            .meterBehind: bold,
            .meterMissed: RoleStyle(bold: true, reverse: true),
            .flag: bold,
            .overlay: plain,
            .overlayBorder: bold,
            .overlayTitle: RoleStyle(bold: true, underline: true),
            .commandLine: plain,
            .message: plain,
            .errorMessage: RoleStyle(bold: true, reverse: true),
        ]
        return Theme(name: "mono", styles: styles)
    }()

    // MARK: Choosing a theme

    /// The theme to draw with, and warnings to show the user.
    ///
    /// - `userThemes`: file name (`mytheme.toml`, as found in `$XDG_CONFIG_HOME/caseload/themes/`) → its
    ///   text, read by the caller. A user file named like a built-in overrides it.
    /// - A user theme that cannot be read gives a warning naming the file and key, and the default theme.
    /// - An unknown name gives a warning and the default theme.
    /// - `noColor` (`NO_COLOR` set) gives the monochrome theme whatever the name.
    ///
    /// The returned theme is named `name` (the name it was asked for), whatever its file's `name` key says.
    public static func resolve(name: String, userThemes: [String: String], noColor: Bool) -> (Theme, warnings: [String]) {
        if noColor { return (monochrome, []) }
        let wanted = name.trimmingCharacters(in: .whitespaces)
        let userFile = userThemes.keys.sorted().first { stem(of: $0) == wanted }
        if let userFile, let text = userThemes[userFile] {
            do {
                var theme = try parse(text, source: userFile)
                theme.name = wanted
                return (theme, [])
            } catch {
                return (defaultTheme, ["\(error.description); using the \(defaultName) theme"])
            }
        }
        if let theme = builtIn(named: wanted) { return (theme, []) }
        let available = builtInNames + userThemes.keys.map { stem(of: $0) }.filter { !builtInNames.contains($0) }.sorted()
        let shownName = wanted.count > 40 ? String(wanted.prefix(39)) + "…" : wanted
        return (defaultTheme, ["no theme named \"\(shownName)\" (themes: \(available.joined(separator: ", "))); using the \(defaultName) theme"])
    }
}
