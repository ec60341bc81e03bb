import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The key tables are the keys: every binding of every mode's table reaches its action through `update` (or the widget that
/// owns the mode), no table binds a key twice, help lists every table, and Tab completes commands and theme names.
@Suite struct KeyTableTests {
    static let today = LocalDate(iso: "2026-11-30") ?? LocalDate(dayNumber: 0)

    // MARK: The tables themselves

    @Test func noTableBindsAKeyTwice() {
        for map in Keymaps.all {
            var seen: [Key: String] = [:]
            for binding in map.bindings {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(map.name): \(key) is bound to both “\(seen[key] ?? "")” and “\(binding.help)”")
                    seen[key] = binding.help
                }
            }
        }
    }

    @Test func helpHasAHeadingForEveryTableAndALineForEveryCommand() {
        let lines = helpLines()
        let headings = Set(lines.filter(\.isHeading).map(\.text))
        for map in Keymaps.all { #expect(headings.contains(map.name), "help has no heading “\(map.name)”") }
        // A table left out of Keymaps.all would be missed by the walk above: name the modes one by one.
        for name in ["Forms", "Typing a line", "Typing notes", "Picking from a list", "Yes/no questions", "Help (this screen)",
                     "Moving a session (m)", "Command line (:)", "Questions with a typed answer", "Questions with lettered answers"] {
            #expect(headings.contains(name), "help has no heading “\(name)”")
        }
        let text = lines.map(\.text).joined(separator: "\n")
        for usage in [":w", ":q", ":wq", ":q!", ":theme NAME", ":goto DATE", ":reload", ":saveas PATH", ":help"] {
            #expect(text.contains("  " + usage + " "), "help lists \(usage)")
        }
    }

    @Test func helpScrollsToItsLastLineAt80x24() {
        var state = UIFixtures.state(width: 80, height: 24)
        state.press(.char("?"))
        for _ in 0..<helpLines(width: helpTextWidth(80)).count { state.press(.char("j")) }
        let screen = render(state).text
        #expect(state.overlay != nil, "j keeps help open")
        // The last line of help is the last command's.
        #expect(screen.contains(":help"), "scrolled to the end, help shows the last command")
        #expect(screen.contains("Commands"))
        // Past the end it stays on the last page, so one k scrolls back at once; G goes straight there.
        state.press(.char("k"))
        #expect(render(state).text != screen)
        var jumped = UIFixtures.state(width: 80, height: 24)
        jumped.press(.char("?"), .char("G"))
        #expect(render(jumped).text == screen)
    }

    // MARK: Every binding routes through update

    /// A key reached its action: it asked for an effect or changed what is on the screen (text or colours: a selection is a
    /// colour), and was not turned away.
    func routed(_ make: () -> AppState, _ key: Key) -> Bool {
        var state = make()
        let before = render(state)
        let effects = update(&state, .key(key))
        let refused = state.message?.text.contains("does nothing") == true
        return !refused && (!effects.isEmpty || render(state) != before)
    }

    func expectEveryBindingRoutes(_ map: Keymap, in fixtures: [() -> AppState], skipping: Set<Key> = []) {
        for binding in map.bindings {
            for key in binding.keys where !skipping.contains(key) {
                #expect(fixtures.contains { routed($0, key) }, "\(map.name): \(key) (\(binding.help)) did nothing")
            }
        }
    }

    static func week() -> AppState {
        var state = UIFixtures.state(width: 120, height: 40)
        state.focus = .week
        // Next week's Wednesday an hour earlier: today, the week's start and end, the grid's ends are all somewhere else.
        state.press(.char("]"), .char("l"), .char("l"), .char("k"), .char("k"))
        return state
    }

    static func patients() -> AppState {
        var state = UIFixtures.state(width: 120, height: 40)
        state.focus = .patients
        state.press(.char("j"), .char("j"), .char("j"))
        return state
    }

    static func patientsFiltered() -> AppState {
        var state = patients()
        state.press(.char("/"))
        state.type("a")
        state.press(.enter, .escape)  // out of the record Enter opened, the filter kept
        state.press(.char("j"))
        return state
    }

    @Test func paneTablesAndTheGlobalOne() {
        expectEveryBindingRoutes(Keymaps.week, in: [Self.week])
        expectEveryBindingRoutes(Keymaps.patients, in: [Self.patients])
        expectEveryBindingRoutes(Keymaps.session, in: [{ SessionPaneTests.opened().0 }])
        expectEveryBindingRoutes(Keymaps.global, in: [Self.week, Self.patients, Self.patientsFiltered])
    }

    @Test func recordAlertsAndReportPreview() throws {
        expectEveryBindingRoutes(Keymaps.record, in: [{
            var state = Self.patients()
            state.press(.enter, .char("j"), .char("j"), .char("j"))
            return state
        }])
        expectEveryBindingRoutes(Keymaps.alerts, in: [{
            var state = Self.week()
            state.press(.char("!"), .char("j"), .char("j"))
            return state
        }])
        let preview = try SnapshotTests.reportPreview(width: 80, height: 24, csv: false)
        expectEveryBindingRoutes(Keymaps.reportPreview, in: [{
            var state = preview
            state.press(.char("j"), .char("j"), .char("l"), .char("l"))
            return state
        }])
    }

    @Test func helpConfirmAndTheFilter() {
        expectEveryBindingRoutes(Keymaps.help, in: [{
            var state = Self.week()
            state.overlay = .help(scroll: 5)
            return state
        }])
        var help = Self.week()
        help.overlay = .help(scroll: 5)
        for binding in Keymaps.help.bindings where binding.action != .cancel {
            for key in binding.keys {
                var state = help
                state.press(key)
                #expect(state.overlay != nil, "\(key) scrolls help rather than closing it")
            }
        }
        expectEveryBindingRoutes(Keymaps.confirm, in: [{
            var state = Self.week()
            state.overlay = .confirm(question: "Quit without saving? (y/n)", onYes: .quitWithoutSaving)
            return state
        }])
        expectEveryBindingRoutes(Keymaps.filter, in: [{
            var state = Self.patients()
            state.press(.char("/"))
            state.type("a a")
            state.press(.down)
            return state
        }])
    }

    @Test func moveModeAndTheCommandLine() {
        expectEveryBindingRoutes(Keymaps.move, in: [{
            var state = WeekSchedulingTests.state()
            _ = WeekSchedulingTests.scheduleGroup(&state)
            state.press(.char("m"), .char("l"))
            return state
        }])
        expectEveryBindingRoutes(Keymaps.commandLine, in: [{
            var state = Self.week()
            state.press(.char(":"))
            state.type("theme d")
            return state
        }])
    }

    /// Forms through `update`: the form-wide keys on a one-line field; Ctrl-X on the group note's narrative.
    @Test func formKeysThroughUpdate() throws {
        var opened = SessionPaneTests.opened().0
        opened.press(.char("G"))
        let frame = try #require(opened.forms.last)
        let narrative = try #require(frame.form.fields.first { if case .multiline = $0.kind { true } else { false } })
        var note = opened
        note.forms[note.forms.count - 1].form.focus(on: narrative.id)
        #expect(note.press(.ctrl("x")).contains { if case .editExternally = $0 { true } else { false } })
        let oneLine = try #require(frame.form.fields.firstIndex { if case .text = $0.kind { true } else { false } })
        // A one-line field, and the last field (↑ has somewhere to go).
        let focused: [() -> AppState] = [oneLine, frame.form.fields.count - 1].map { index in {
            var state = opened
            state.forms[state.forms.count - 1].form.focus = index
            state.type("x")  // dirty, so Esc asks first
            return state
        } }
        expectEveryBindingRoutes(Keymaps.form, in: focused, skipping: [.ctrl("x")])
    }

    // MARK: Widgets: each field kind's table

    /// A key changed the form or asked its owner for something.
    func acted(_ form: Form, _ key: Key) -> Bool {
        var form = form
        let before = form
        return form.handle(key, today: Self.today) != .none || form != before
    }

    func expectEveryBindingActs(_ map: Keymap, on form: Form, skipping: Set<Key> = []) {
        for binding in map.bindings {
            for key in binding.keys where !skipping.contains(key) {
                #expect(acted(form, key), "\(map.name): \(key) (\(binding.help)) did nothing")
            }
        }
    }

    static func form(focusing field: FormField) -> Form {
        Form(title: "Test", fields: [.text("before", "Before", "one"), field, .text("after", "After", "two")], focus: 1)
    }

    @Test func fieldKindTables() {
        var line = TextLine("hello world")
        line.setCursor(5)
        expectEveryBindingActs(Keymaps.textLine, on: Self.form(focusing: FormField(id: "t", label: "Text", kind: .text(line))))
        expectEveryBindingActs(Keymaps.textLine, on: Self.form(focusing: FormField(id: "d", label: "Date", kind: .date(line))))
        var area = TextArea("first line\nsecond line here\nthird")
        area.setCursor(line: 1, column: 5)
        expectEveryBindingActs(Keymaps.textArea, on: Self.form(focusing: FormField(id: "m", label: "Notes", kind: .multiline(area))))
        expectEveryBindingActs(Keymaps.choiceField, on: Self.form(focusing: .choice("c", "Choice", options: ["a", "b", "c"], index: 1)))
        expectEveryBindingActs(Keymaps.toggleField, on: Self.form(focusing: .toggle("y", "Yes?")))
        expectEveryBindingActs(Keymaps.listField,
                               on: Self.form(focusing: FormField(id: "l", label: "List", kind: .list(items: ["a", "b", "c"], selected: 1))))
        // Ctrl-X is the form stack's (it opens the editor): formKeysThroughUpdate.
        expectEveryBindingActs(Keymaps.form, on: Self.form(focusing: .text("t", "Text", "x")), skipping: [.ctrl("x")])
    }

    @Test func pickerPromptAndChoiceDialogTables() {
        let items = ["Ana", "Ben", "Cleo", "Dev"].map { PickerItem(id: $0, label: $0) }
        for binding in Keymaps.picker.bindings {
            for key in binding.keys {
                var picker = Picker(title: "Who?", items: items, multiple: true)
                picker.setHighlight(1)
                let before = picker
                #expect(picker.handle(key) != .none || picker != before, "picker: \(key) (\(binding.help)) did nothing")
            }
        }
        var prompt = TextPrompt("Why?", text: "because")
        #expect(prompt.handle(.enter) == .submit("because"))
        #expect(prompt.handle(.escape) == .cancel)
        #expect(Keymaps.prompt.bindings.flatMap(\.keys).sorted { $0.description < $1.description } == [.enter, .escape])
        #expect(ChoiceDialog.isCancel(.escape))
        #expect(!ChoiceDialog.isCancel(.char("q")))
    }

    /// A key the field's table and the form's table do not bind still types: text inserts, a letter picks a choice.
    @Test func typingIsWhatNoTableBinds() {
        var form = Self.form(focusing: .text("t", "Text", ""))
        _ = form.handle(.char("a"), today: Self.today)
        #expect(form.text("t") == "a")
        var choice = Self.form(focusing: .choice("c", "Choice", options: ["apple", "banana", "cherry"]))
        _ = choice.handle(.char("c"), today: Self.today)
        #expect(choice.text("c") == "cherry")
    }

    /// The footers and hints widgets show are made from the tables, and read as they did when they were written out by hand.
    @Test func footersAndHintsComeFromTheTables() {
        #expect(Form.footer == "Enter/Ctrl-S save · Esc cancel · Tab next field")
        #expect(Form.multilineFooter == "Ctrl-S save · Esc cancel · Tab next field · Enter new line")
        #expect(Form.listFooter == "a add · Enter/e edit · x remove · Ctrl-S save · Esc cancel")
        #expect(TextPrompt.footer == "Enter OK · Esc cancel")
        #expect(ChoiceDialog.cancelHint == "Esc cancel")
        #expect(Keymaps.move.hintLine == "h/l day · j/k 30 min · Enter place it · Esc put it back")
        var state = UIFixtures.state(width: 120, height: 40)
        state.focus = .patients
        state.press(.char("n"))
        let bar = render(state).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(bar.contains("  ←/→ choices · a/e/x list items"), "a form's hint bar: \(bar)")
        // Help and a yes/no question over the form show their own keys.
        state.press(.escape)
        state.overlay = .help(scroll: 0)
        #expect(render(state).text.split(separator: "\n").last?.hasPrefix(" j scroll  PgDn page  g top  G bottom  Esc close") == true)
        state.overlay = .confirm(question: "Discard? (y/n)", onYes: .discardForm)
        #expect(render(state).text.split(separator: "\n").last?.hasPrefix(" y yes  n no") == true)
    }

    // MARK: Tab completion on the command line

    @Test func tabCompletesAUniqueCommandAndItsSpace() {
        var state = UIFixtures.state()
        state.press(.char(":"))
        state.type("sa")
        state.press(.tab)
        #expect(state.commandLine == "saveas ", "saveas takes a path, so a space follows")
        var reload = UIFixtures.state()
        reload.press(.char(":"))
        reload.type("rel")
        reload.press(.tab)
        #expect(reload.commandLine == "reload")
    }

    @Test func tabOnAnAmbiguousPrefixShowsTheCandidates() {
        var state = UIFixtures.state()
        state.press(.char(":"))
        state.type("q")
        state.press(.tab)
        #expect(state.commandLine == "q", "q, quit, q! and quit! share only q")
        #expect(state.message?.text == "q  quit  q!  quit!")
        #expect(render(state).text.contains("q  quit  q!  quit!"), "the candidates show beside the command line")
        state.type("u")
        #expect(state.message == nil, "the next key clears them")
        #expect(state.commandLine == "qu")
    }

    @Test func tabCompletesThemeNamesFromTheThemesFound() {
        var state = UIFixtures.state()
        _ = update(&state, .themesFound(["default", "clinic-night", "clinic-day", "light"]))
        state.press(.char(":"))
        state.type("theme cl")
        state.press(.tab)
        #expect(state.commandLine == "theme clinic-", "the shared part of clinic-night and clinic-day")
        #expect(state.message?.text == "clinic-night  clinic-day")
        state.type("n")
        state.press(.tab)
        #expect(state.commandLine == "theme clinic-night")
        #expect(state.press(.enter) == [.setTheme("clinic-night")])
        // A name not among the themes found is not offered.
        var other = UIFixtures.state()
        _ = update(&other, .themesFound(["default"]))
        other.press(.char(":"))
        other.type("theme so")
        other.press(.tab)
        #expect(other.commandLine == "theme so")
    }

    @Test func commandsAreParsedFromTheTable() {
        #expect(Commands.named("write")?.kind == .write)
        #expect(Commands.named("x")?.kind == .writeQuit)
        #expect(Commands.named("nope") == nil)
        #expect(Commands.split("  goto   fri ")?.name == "goto")
        #expect(Commands.split("  goto   fri ")?.argument == "fri")
        var state = UIFixtures.state()
        state.press(.char(":"))
        state.type("saveas")
        state.press(.enter)
        #expect(state.message?.text == "Usage: :saveas PATH")
    }

    /// At 80 columns no help line is cut: a long description goes on under itself, indented past the keys.
    @Test func helpWrapsLongDescriptionsInsteadOfCuttingThem() {
        let width = helpTextWidth(80)
        let lines = helpLines(width: width)
        #expect(lines.allSatisfy { TextWidth.of($0.text) <= width }, "every line fits \(width) cells")
        let words = { (text: String) in text.split(whereSeparator: \.isWhitespace).map(String.init) }
        // Every word of the unwrapped help is still there, in order.
        #expect(words(helpLines().map(\.text).joined(separator: " ")) == words(lines.map(\.text).joined(separator: " ")))
        #expect(lines.count > helpLines().count, "some descriptions at 80 columns take two lines")
        let state = UIFixtures.state(width: 80, height: 24)
        var screen = state
        screen.press(.char("?"))
        // The ":" line lists every command on the first page, the last of them on its second line.
        #expect(render(screen).text.contains(":help)"), "the : line is not cut short")
    }
}

