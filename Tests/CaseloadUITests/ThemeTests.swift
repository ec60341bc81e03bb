@testable import CaseloadUI
import Foundation
import Testing

@Suite struct ThemeTests {
    /// The repository's `themes/` folder, found from this file's path.
    private static let themesFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // CaseloadUITests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // repository
        .appendingPathComponent("themes")

    private func themeError(_ text: String, source: String = "mytheme.toml") -> ThemeError? {
        do {
            _ = try ThemeLoader.parse(text, source: source)
            return nil
        } catch {
            return error
        }
    }

    private func colour(_ written: String) throws -> ColorValue {
        try ThemeLoader.parse("[roles.text]\nfg = \(written)", source: "t.toml").style(for: .text).foreground
    }

    // MARK: Built-in themes

    /// The names of the theme files in the repository's `themes/` folder (file names without `.toml`).
    private func themeFileNames() throws -> Set<String> {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesFolder.path).filter { $0.hasSuffix(".toml") }
        return Set(files.map { String($0.dropLast(5)) })
    }

    @Test func everyThemeFileInTheRepositoryIsEmbeddedByteForByte() throws {
        let names = try themeFileNames()
        #expect(!names.isEmpty, "no theme files found in \(Self.themesFolder.path)")
        #expect(Set(EmbeddedThemes.texts.keys) == names, "the EmbedThemes plugin missed or invented a theme file")
        // Checks the plugin's string literals: any escaping mistake changes the text.
        for name in names {
            let text = try String(contentsOf: Self.themesFolder.appendingPathComponent(name + ".toml"), encoding: .utf8)
            #expect(EmbeddedThemes.texts[name] == text, "themes/\(name).toml is not embedded as it is")
        }
    }

    @Test func everyBuiltInThemeParsesAndStylesEveryRole() throws {
        for (name, text) in EmbeddedThemes.texts {
            let theme = try ThemeLoader.parse(text, source: "\(name).toml")
            #expect(theme.name == name)
            let missing = Role.allCases.filter { theme.styles[$0] == nil }
            #expect(missing.isEmpty, "\(name).toml has no style for \(missing)")
        }
    }

    @Test func builtInNamesAreTheThemeFilesDefaultFirstThenByName() throws {
        let names = try themeFileNames()
        #expect(ThemeLoader.builtInNames.first == "default")
        #expect(Array(ThemeLoader.builtInNames.dropFirst()) == names.subtracting(["default"]).sorted())
        for name in ThemeLoader.builtInNames { #expect(ThemeLoader.builtIn(named: name) != nil, "\(name)") }
    }

    @Test func monoThemeFileIsTheMonochromeTheme() {
        #expect(ThemeLoader.builtIn(named: "mono") == ThemeLoader.monochrome)
    }

    @Test func monochromeUsesTheTerminalsOwnColoursOnly() {
        for role in Role.allCases {
            let style = ThemeLoader.monochrome.style(for: role)
            #expect(style.foreground == .terminalDefault && style.background == .terminalDefault, "\(role)")
        }
        #expect(ThemeLoader.monochrome.style(for: .selection).reverse)
        #expect(ThemeLoader.monochrome.style(for: .borderFocused).reverse)
        #expect(ThemeLoader.monochrome.style(for: .titleBar).reverse)
        #expect(ThemeLoader.monochrome.style(for: .paneTitle).bold)
        #expect(ThemeLoader.monochrome.style(for: .dim).dim)
    }

    @Test func sessionKindsLookDifferentInEveryBuiltInTheme() throws {
        for name in ThemeLoader.builtInNames {
            let theme = try #require(ThemeLoader.builtIn(named: name))
            let kinds: [Role] = [.groupBlock, .individualBlock, .familyBlock, .cancelledBlock]
            #expect(Set(kinds.map { "\(theme.style(for: $0))" }).count == kinds.count, "\(name)")
        }
    }

    @Test func selectionAndFocusStandOutFromTextInEveryBuiltInTheme() throws {
        for name in ThemeLoader.builtInNames {
            let theme = try #require(ThemeLoader.builtIn(named: name))
            let text = theme.style(for: .text)
            let selection = theme.style(for: .selection)
            #expect(selection.reverse || selection.background != text.background, "\(name)")
            #expect(theme.style(for: .borderFocused) != theme.style(for: .border), "\(name)")
            #expect(theme.style(for: .selection) != theme.style(for: .selectionUnfocused), "\(name)")
        }
    }

    @Test func errorsAreRedAndBehindIsAmberInEveryColourTheme() throws {
        for name in ThemeLoader.builtInNames where name != "mono" {
            let theme = try #require(ThemeLoader.builtIn(named: name))
            for role in [Role.statusError, .meterMissed] {
                guard case .rgb(let r, let g, let b) = theme.style(for: role).foreground else {
                    Issue.record("\(name) \(role) is not #rrggbb"); continue
                }
                #expect(r > 180 && Int(r) > Int(g) * 2 && Int(r) > Int(b) * 2, "\(name) \(role) is not red")
            }
            guard case .rgb(let r, let g, let b) = theme.style(for: .meterBehind).foreground else {
                Issue.record("\(name) meterBehind is not #rrggbb"); continue
            }
            #expect(r > g && g > b && Int(g) * 2 > Int(r), "\(name) meterBehind is not amber")
        }
    }

    // MARK: Parsing

    @Test func parsesARoleWithColoursAndAttributes() throws {
        let theme = try ThemeLoader.parse("""
        name = "solarized-dark"
        [roles.titleBar]
        fg = "#fdf6e3"
        bg = "#073642"
        bold = true
        dim = false
        underline = true
        reverse = true
        """, source: "solarized-dark.toml")
        #expect(theme.name == "solarized-dark")
        #expect(theme.styles[.titleBar] == RoleStyle(foreground: .rgb(0xFD, 0xF6, 0xE3), background: .rgb(0x07, 0x36, 0x42),
                                                     bold: true, dim: false, underline: true, reverse: true))
    }

    @Test func themeWithoutANameIsNamedAfterItsFile() throws {
        #expect(try ThemeLoader.parse("", source: "/home/dana/.config/caseload/themes/night.toml").name == "night")
    }

    @Test func rolesLeftOutAreDrawnLikeText() throws {
        let theme = try ThemeLoader.parse("[roles.text]\nfg = \"red\"", source: "t.toml")
        #expect(theme.style(for: .header) == RoleStyle(foreground: .indexed(1)))
    }

    @Test func hexColoursAreTruecolourInEitherCase() throws {
        #expect(try colour("\"#1a2B3c\"") == .rgb(0x1A, 0x2B, 0x3C))
    }

    @Test func integerColoursArePaletteIndexes() throws {
        #expect(try colour("0") == .indexed(0))
        #expect(try colour("255") == .indexed(255))
    }

    @Test func colourNamesAreTheFirstSixteenIndexes() throws {
        #expect(try colour("\"black\"") == .indexed(0))
        #expect(try colour("\"white\"") == .indexed(7))
        #expect(try colour("\"bright-black\"") == .indexed(8))
        #expect(try colour("\"bright-magenta\"") == .indexed(13))
        #expect(try colour("\"Bright-White\"") == .indexed(15))
    }

    @Test func defaultMeansTheTerminalsOwnColour() throws {
        #expect(try colour("\"default\"") == .terminalDefault)
    }

    @Test func badColourNamesTheFileAndKey() {
        let error = themeError("[roles.titleBar]\nfg = \"#ggg\"")
        #expect(error?.description == ##"mytheme.toml: roles.titleBar.fg: "#ggg" is not a colour (use #rrggbb, 0–255, a colour name or default)"##)
    }

    @Test func notColoursAreRejected() {
        for written in ["256", "-1", "\"#12345\"", "\"#1234567\"", "\"purple\"", "\"bright-\"", "true", "1.5", "[1]", "\"\""] {
            #expect(themeError("[roles.text]\nbg = \(written)")?.key == "roles.text.bg", "\(written)")
        }
    }

    @Test func unknownRoleNamesTheFileAndKey() {
        let error = themeError("[roles.sidebar]\nfg = \"red\"")
        #expect(error?.source == "mytheme.toml")
        #expect(error?.key == "roles.sidebar")
        #expect(error?.message.hasPrefix("unknown role (known: text, dim, titleBar") == true)
    }

    @Test func misspeltRoleSuggestsTheRightOne() {
        #expect(themeError("[roles.title_bar]\nbold = true")?.message == "unknown role; did you mean titleBar?")
    }

    @Test func unknownKeyInARoleIsAnError() {
        let error = themeError("[roles.text]\nforeground = \"red\"")
        #expect(error?.description == "mytheme.toml: roles.text.foreground: unknown key (known: fg, bg, bold, dim, underline, reverse)")
    }

    @Test func unknownTopLevelKeyIsAnError() {
        #expect(themeError("colour = \"red\"")?.key == "colour")
    }

    @Test func attributeMustBeABoolean() {
        let error = themeError("[roles.text]\nbold = \"yes\"")
        #expect(error?.description == #"mytheme.toml: roles.text.bold: "yes" is not true or false"#)
    }

    @Test func roleMustBeATable() {
        #expect(themeError("roles.text = 1")?.key == "roles.text")
        #expect(themeError("roles = 1")?.key == "roles")
    }

    @Test func syntaxErrorNamesTheFileAndLine() {
        let error = themeError("name = \"x\"\n[roles.text\n")
        #expect(error?.line == 2)
        #expect(error?.description.hasPrefix("mytheme.toml: line 2, column 12: expected ]") == true)
    }

    @Test func duplicateRoleIsAnError() {
        #expect(themeError("[roles.text]\nbold = true\n[roles.text]\ndim = true")?.line == 3)
    }

    // MARK: Choosing a theme

    @Test func resolvesABuiltInThemeByName() {
        let (theme, warnings) = ThemeLoader.resolve(name: "light", userThemes: [:], noColor: false)
        #expect(theme == ThemeLoader.builtIn(named: "light"))
        #expect(warnings.isEmpty)
    }

    @Test func userThemeOverridesTheBuiltInOfTheSameName() {
        let user = "[roles.text]\nfg = \"#010203\""
        let (theme, warnings) = ThemeLoader.resolve(name: "light", userThemes: ["light.toml": user], noColor: false)
        #expect(theme.name == "light")
        #expect(theme.style(for: .text).foreground == .rgb(1, 2, 3))
        #expect(warnings.isEmpty)
    }

    @Test func userThemeWithANewNameIsFound() {
        let user = "name = \"Night shift\"\n[roles.text]\nbold = true"
        let (theme, warnings) = ThemeLoader.resolve(name: "night", userThemes: ["night.toml": user, "other.toml": ""], noColor: false)
        #expect(theme.name == "night")
        #expect(theme.style(for: .text).bold)
        #expect(warnings.isEmpty)
    }

    @Test func brokenUserThemeWarnsAndFallsBackToDefault() {
        let user = "[roles.titleBar]\nfg = \"#ggg\""
        let (theme, warnings) = ThemeLoader.resolve(name: "mine", userThemes: ["mine.toml": user], noColor: false)
        #expect(theme == ThemeLoader.builtIn(named: "default"))
        #expect(warnings == [##"mine.toml: roles.titleBar.fg: "#ggg" is not a colour (use #rrggbb, 0–255, a colour name or default); using the default theme"##])
    }

    @Test func brokenUserOverrideOfABuiltInFallsBackToDefault() {
        let (theme, warnings) = ThemeLoader.resolve(name: "light", userThemes: ["light.toml": "[roles.text"], noColor: false)
        #expect(theme == ThemeLoader.builtIn(named: "default"))
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("light.toml: line 1") == true)
    }

    @Test func unknownThemeNameWarnsAndFallsBackToDefault() {
        let (theme, warnings) = ThemeLoader.resolve(name: "neon", userThemes: ["mine.toml": ""], noColor: false)
        #expect(theme == ThemeLoader.builtIn(named: "default"))
        #expect(warnings == [#"no theme named "neon" (themes: default, high-contrast, light, mono, solarized-dark, mine); using the default theme"#])
    }

    @Test func noColorGivesMonochromeWhateverTheName() {
        let (theme, warnings) = ThemeLoader.resolve(name: "mine", userThemes: ["mine.toml": "[roles.text]\nfg = \"red\""], noColor: true)
        #expect(theme == ThemeLoader.monochrome)
        #expect(warnings.isEmpty)
    }

    @Test func errorDescriptionsNameFileThenPlace() {
        #expect(ThemeError(source: "a.toml", key: "roles.text.fg", message: "bad").description == "a.toml: roles.text.fg: bad")
        #expect(ThemeError(source: "a.toml", line: 4, column: 2, message: "bad").description == "a.toml: line 4, column 2: bad")
    }
}
