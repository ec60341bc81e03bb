import CaseloadCore
import CaseloadUI
import Testing

@Suite struct PickerTests {
    static let items: [PickerItem] = [
        PickerItem(id: "p1", label: "José Ortiz", detail: "MRN RV-10012 · Phase II"),
        PickerItem(id: "p2", label: "Nguyễn Thị Mai", detail: "MRN RV-10013 · Phase I"),
        PickerItem(id: "p3", label: "김민준", detail: "MRN RV-10014 · Step-down"),
        PickerItem(id: "p4", label: "Dana Whitfield", detail: "MRN RV-10015 · Phase I"),
        PickerItem(id: "p5", label: "Zoë Adeyemi", detail: "MRN RV-10016 · Phase II"),
        PickerItem(id: "p6", label: "Joseph Nakamura", detail: "MRN RV-10017 · Phase III"),
    ]

    static func picker(multiple: Bool, selected: Set<String> = []) -> Picker {
        Picker(title: "Roster", items: items, multiple: multiple, selected: selected)
    }

    func type(_ text: String, into picker: inout Picker) {
        for c in text { #expect(picker.handle(.char(c)) == .none) }
    }

    func ids(_ picker: Picker) -> [String] { picker.filtered.map(\.id) }

    // MARK: Filtering

    @Test func accentsAndCaseAreIgnored() {
        var picker = Self.picker(multiple: false)
        type("jose", into: &picker)
        #expect(ids(picker) == ["p1", "p6"])
        picker.setFilter("")
        type("NGUYEN", into: &picker)
        #expect(ids(picker) == ["p2"])
        picker.setFilter("zoe")
        #expect(ids(picker) == ["p5"])
        picker.setFilter("Nguyễn")
        #expect(ids(picker) == ["p2"], "an accented query folds the same way")
    }

    @Test func everyWordMustMatch() {
        var picker = Self.picker(multiple: false)
        type("jose ortiz", into: &picker)
        #expect(ids(picker) == ["p1"])
        picker.setFilter("phase ii")
        #expect(ids(picker) == ["p1", "p5", "p6"], "the detail is searched too")
        picker.setFilter("jose  nakamura ")
        #expect(ids(picker) == ["p6"])
    }

    @Test func hangul() {
        var picker = Self.picker(multiple: false)
        type("민준", into: &picker)
        #expect(ids(picker) == ["p3"])
        #expect(picker.highlighted?.label == "김민준")
        type("x", into: &picker)
        #expect(ids(picker).isEmpty)
        #expect(picker.highlighted == nil)
    }

    @Test func filterEditingKeys() {
        var picker = Self.picker(multiple: false)
        type("dana whit", into: &picker)
        #expect(ids(picker) == ["p4"])
        _ = picker.handle(.ctrl("w"))
        #expect(picker.filterText == "dana ")
        _ = picker.handle(.backspace)
        _ = picker.handle(.backspace)
        #expect(picker.filterText == "dan")
        _ = picker.handle(.ctrl("u"))
        #expect(picker.filterText == "")
        #expect(picker.filtered == Self.items)
    }

    @Test func theCallerMayPassItsOwnSearchText() {
        let item = PickerItem(id: "x", label: "Sam", detail: "", searchText: "Sam Émile Brown 555")
        #expect(item.searchText == "sam emile brown 555")
        var picker = Picker(title: "Drop-in", items: [item], multiple: false)
        picker.setFilter("EMILE")
        #expect(picker.filtered.count == 1)
        picker.setFilter("Sam Smith")
        #expect(picker.filtered.isEmpty)
    }

    // MARK: Highlight

    @Test func movingTheHighlight() {
        var picker = Self.picker(multiple: false)
        #expect(picker.highlighted?.id == "p1")
        _ = picker.handle(.down)
        _ = picker.handle(.ctrl("n"))
        #expect(picker.highlighted?.id == "p3")
        _ = picker.handle(.up)
        #expect(picker.highlighted?.id == "p2")
        _ = picker.handle(.ctrl("p"))
        _ = picker.handle(.up)
        #expect(picker.highlighted?.id == "p1", "stops at the first item")
        picker.pageHeight = 4
        _ = picker.handle(.pageDown)
        #expect(picker.highlighted?.id == "p5")
        _ = picker.handle(.pageDown)
        #expect(picker.highlighted?.id == "p6", "stops at the last item")
        _ = picker.handle(.down)
        #expect(picker.highlighted?.id == "p6")
        _ = picker.handle(.pageUp)
        #expect(picker.highlighted?.id == "p2")
    }

    @Test func highlightStaysInRangeWhenTheFilterShrinksTheList() {
        var picker = Self.picker(multiple: false)
        for _ in 0..<4 { _ = picker.handle(.down) }
        #expect(picker.highlighted?.id == "p5")
        type("jose", into: &picker)
        #expect(ids(picker) == ["p1", "p6"])
        #expect(picker.highlight == 0, "the highlighted item went: back to the first match")
        #expect(picker.highlighted?.id == "p1")
        _ = picker.handle(.down)
        _ = picker.handle(.down)
        #expect(picker.highlight == 1)
    }

    @Test func highlightStaysOnItsItemWhileItMatches() {
        var picker = Self.picker(multiple: false)
        for _ in 0..<5 { _ = picker.handle(.down) }
        #expect(picker.highlighted?.id == "p6")
        picker.setFilter("phase i ")
        // p6 (Phase III) still matches: the highlight stays on it.
        #expect(picker.highlighted?.id == "p6")
        picker.setFilter("rv-1001")
        #expect(picker.highlighted?.id == "p6")
        _ = picker.handle(.ctrl("u"))
        type("step", into: &picker)
        #expect(ids(picker) == ["p3"])
        #expect(picker.highlight == 0)
        #expect(picker.highlighted?.id == "p3")
    }

    @Test func highlightFollowsItsItemWhenTheListGrows() {
        var picker = Self.picker(multiple: false)
        type("jose", into: &picker)
        _ = picker.handle(.down)
        #expect(picker.highlighted?.id == "p6")
        _ = picker.handle(.ctrl("u"))
        #expect(picker.highlighted?.id == "p6")
        #expect(picker.highlight == 5)
    }

    // MARK: Picking

    @Test func singlePick() {
        var picker = Self.picker(multiple: false)
        type("mai", into: &picker)
        #expect(picker.handle(.enter) == .done)
        #expect(picker.selected == ["p2"])
        #expect(picker.chosen.map(\.label) == ["Nguyễn Thị Mai"])
    }

    @Test func singleModeSpaceTypesIntoTheFilter() {
        var picker = Self.picker(multiple: false)
        type("jose nak", into: &picker)
        #expect(picker.filterText == "jose nak")
        #expect(picker.selected.isEmpty)
        #expect(ids(picker) == ["p6"])
    }

    @Test func enterWithNoMatchDoesNothingInSingleMode() {
        var picker = Self.picker(multiple: false, selected: ["p4"])
        #expect(picker.highlighted?.id == "p4", "opens on the item already chosen")
        type("qqq", into: &picker)
        #expect(picker.handle(.enter) == .none)
        #expect(picker.selected == ["p4"])
    }

    @Test func escapeCancels() {
        var picker = Self.picker(multiple: true, selected: ["p1"])
        _ = picker.handle(.char(" "))
        #expect(picker.handle(.escape) == .cancel)
        var single = Self.picker(multiple: false)
        type("jo", into: &single)
        #expect(single.handle(.escape) == .cancel)
        #expect(single.selected.isEmpty)
    }

    @Test func multipleSelectionSurvivesFilterChanges() {
        var picker = Self.picker(multiple: true, selected: ["p4"])
        type("jose", into: &picker)
        #expect(picker.handle(.char(" ")) == .none)
        #expect(picker.filterText == "jose", "Space chooses; it does not type")
        _ = picker.handle(.down)
        _ = picker.handle(.char(" "))
        #expect(picker.selected == ["p1", "p4", "p6"])
        _ = picker.handle(.ctrl("u"))
        type("민준", into: &picker)
        _ = picker.handle(.char(" "))
        #expect(picker.selected == ["p1", "p3", "p4", "p6"])
        picker.setFilter("nakamura")
        _ = picker.handle(.char(" "))
        #expect(picker.selected == ["p1", "p3", "p4"], "Space again unchooses")
        #expect(picker.handle(.enter) == .done)
        #expect(picker.chosen.map(\.id) == ["p1", "p3", "p4"])
    }

    @Test func spaceWithNoMatchChoosesNothing() {
        var picker = Self.picker(multiple: true)
        type("zzz", into: &picker)
        _ = picker.handle(.char(" "))
        #expect(picker.selected.isEmpty)
        #expect(picker.handle(.enter) == .done)
    }

    @Test func setItemsKeepsTheFilterAndTheHighlightedItem() {
        var picker = Self.picker(multiple: true)
        type("phase", into: &picker)
        _ = picker.handle(.down)
        #expect(picker.highlighted?.id == "p2")
        picker.setItems(Array(Self.items.dropFirst()))
        #expect(picker.highlighted?.id == "p2")
        #expect(ids(picker) == ["p2", "p4", "p5", "p6"])
    }

    // MARK: Drawing

    func render(_ picker: Picker, width: Int = 60, height: Int = 12) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        picker.draw(into: &canvas, rect: picker.overlayRect(in: canvas.bounds))
        return canvas
    }

    /// Column of the first occurrence of `text` in a canvas row, in cells.
    func column(of text: String, in canvas: Canvas, row: Int) -> Int? {
        for x in 0..<canvas.width {
            var found = ""
            var cx = x
            while cx < canvas.width, found.count < text.count {
                if !canvas[cx, row].isContinuation { found += canvas[cx, row].text }
                cx += 1
            }
            if found == text, !canvas[x, row].isContinuation { return x }
        }
        return nil
    }

    @Test func rowsReadBackFromTheCanvas() {
        let picker = Self.picker(multiple: true, selected: ["p2"])
        #expect(picker.highlighted?.id == "p2", "opens on the first chosen item")
        let canvas = render(picker, width: 70, height: 14)
        let lines = canvas.lines
        #expect(lines.contains { $0.contains("Roster") && $0.contains("1 chosen") })
        #expect(lines.contains { $0.contains("/ filter…") })
        let joseRow = lines.firstIndex { $0.contains("[ ] José Ortiz") }
        let maiRow = lines.firstIndex { $0.contains("[x] Nguyễn Thị Mai") }
        let kimRow = lines.firstIndex { $0.contains("[ ] 김민준") }
        #expect(joseRow != nil && maiRow != nil && kimRow != nil)
        guard let joseRow, let maiRow, let kimRow else { return }
        #expect(maiRow == joseRow + 1 && kimRow == maiRow + 1)
        // Details line up in one column whatever the script of the name.
        let details = [joseRow, maiRow, kimRow].map { column(of: "MRN", in: canvas, row: $0) }
        #expect(details[0] != nil)
        #expect(details.allSatisfy { $0 == details[0] })
        // The highlighted row is in `selection`, the others' details are dim.
        let nameX = column(of: "Nguyễn", in: canvas, row: maiRow) ?? 0
        #expect(canvas[nameX, maiRow].role == .selection)
        #expect(canvas[details[1] ?? 0, maiRow].role == .selection)
        #expect(canvas[details[0] ?? 0, joseRow].role == .dim)
        #expect(canvas[nameX, joseRow].role == .overlay)
        #expect(lines.contains { $0.contains("│ ↑/↓ move · Space choose · Enter done · Esc cancel") }, "60 cells: the short footer")
        var wide = Canvas(width: 100, height: 14)
        picker.draw(into: &wide, rect: picker.overlayRect(in: wide.bounds, maxWidth: 80))
        #expect(wide.lines.contains { $0.contains("│ type to filter · ↑/↓ move · Space choose · Enter done · Esc cancel") })
    }

    @Test func singleModeRowsHaveNoBoxes() {
        var picker = Self.picker(multiple: false)
        type("ortiz", into: &picker)
        let canvas = render(picker)
        let lines = canvas.lines
        #expect(lines.contains { $0.contains("/ ortiz") })
        let row = lines.firstIndex { $0.contains("│ José Ortiz ") && $0.contains("MRN RV-10012 · Phase II") }
        #expect(row != nil)
        if let row, let name = column(of: "José", in: canvas, row: row), let detail = column(of: "MRN", in: canvas, row: row) {
            // The label column is as wide as the longest label ("Joseph Nakamura", 15 cells), then two spaces.
            #expect(detail - name == 17)
        }
        #expect(!lines.contains { $0.contains("[ ]") })
        #expect(!lines.contains { $0.contains("chosen") })
        #expect(lines.contains { $0.contains("Enter pick") })
    }

    @Test func noMatch() {
        var picker = Self.picker(multiple: false)
        type("xyz", into: &picker)
        let canvas = render(picker)
        #expect(canvas.lines.contains { $0.contains("No match") })
        #expect(!canvas.lines.contains { $0.contains("José") })
        let empty = Picker(title: "Drop-in", items: [], multiple: false)
        #expect(!render(empty).lines.contains { $0.contains("No match") })
    }

    @Test func scrollsToKeepTheHighlightVisible() {
        let many = (0..<40).map { PickerItem(id: "i\($0)", label: "Patient \($0)", detail: "MRN \($0)") }
        var picker = Picker(title: "Drop-in", items: many, multiple: false)
        let rect = Rect(x: 0, y: 0, width: 40, height: 10)
        for _ in 0..<20 {
            _ = picker.handle(.down)
            picker.layout(in: rect)
        }
        var canvas = Canvas(width: 40, height: 10)
        picker.draw(into: &canvas, rect: rect)
        let row = canvas.lines.firstIndex { $0.contains("Patient 20 ") }
        #expect(row != nil)
        #expect(!canvas.lines.contains { $0.contains("Patient 0 ") })
        if let row, let x = column(of: "Patient 20", in: canvas, row: row) {
            #expect(canvas[x, row].role == .selection)
        }
        // PgDn moves by the rows shown (10 rows less box, filter and footer: 6).
        _ = picker.handle(.pageDown)
        #expect(picker.highlighted?.id == "i26")
        // Scrolling is sticky: moving up one row does not scroll.
        picker.layout(in: rect)
        let scroll = picker.scroll
        _ = picker.handle(.up)
        picker.layout(in: rect)
        #expect(picker.scroll == scroll)
    }

    @Test func narrowFooterIsCut() {
        let picker = Self.picker(multiple: true)
        var canvas = Canvas(width: 30, height: 12)
        picker.draw(into: &canvas, rect: canvas.bounds)
        #expect(canvas.lines.contains { $0.contains("↑/↓ move") && $0.hasSuffix("… │") })
    }

    @Test func overlayRectIsCentredAndBounded() {
        let picker = Self.picker(multiple: true)
        let rect = picker.overlayRect(in: Rect(x: 0, y: 0, width: 100, height: 40))
        #expect(rect == Rect(x: 20, y: 15, width: 60, height: 10))
        #expect(picker.overlayRect(in: Rect(x: 0, y: 0, width: 30, height: 5)) == Rect(x: 0, y: 0, width: 30, height: 5))
    }

    @Test func neverCrashesAtAnySize() {
        var pickers = [Self.picker(multiple: true, selected: ["p1"]), Self.picker(multiple: false)]
        var filtered = Self.picker(multiple: true)
        filtered.setFilter("김")
        pickers.append(filtered)
        var none = Self.picker(multiple: false)
        none.setFilter("nothing")
        pickers.append(none)
        let sizes = (0...40).flatMap { w in (0...12).map { h in (w, h) } } + [(120, 40)]
        for var picker in pickers {
            for (w, h) in sizes {
                var canvas = Canvas(width: w, height: h)
                picker.layout(in: canvas.bounds)
                picker.draw(into: &canvas, rect: canvas.bounds)
                picker.draw(into: &canvas, rect: picker.overlayRect(in: canvas.bounds))
                // Partly off the canvas, too.
                picker.draw(into: &canvas, rect: Rect(x: w / 2, y: h / 2, width: w, height: h))
            }
        }
        var canvas = Canvas(width: 120, height: 40)
        pickers[0].draw(into: &canvas, rect: pickers[0].overlayRect(in: canvas.bounds))
        #expect(canvas.text.contains("José Ortiz"))
    }
}

@Suite struct ChoiceDialogTests {
    static let editWhich = ChoiceDialog(title: "Edit which?", options: [
        (key: "o", label: "this occurrence"), (key: "f", label: "this and following"), (key: "a", label: "the whole series"),
    ])

    static func conflicts(_ count: Int) -> ChoiceDialog {
        ChoiceDialog(title: "Conflicts",
                     lines: (1...count).map { "Room \($0) is used by IOP-B 18:00–21:00 on Tue 1 Dec 2026 (group session)" },
                     options: [ChoiceOption("b", "go back"), ChoiceOption("k", "keep anyway")])
    }

    @Test func keysAreCaseInsensitive() {
        let dialog = Self.editWhich
        #expect(dialog.answer(for: .char("o")) == "o")
        #expect(dialog.answer(for: .char("F")) == "f")
        #expect(dialog.answer(for: .char("A")) == "a")
        let upper = ChoiceDialog(title: "Q", options: [ChoiceOption("K", "keep")])
        #expect(upper.answer(for: .char("k")) == "K", "the option's key as written")
    }

    @Test func unknownKeysAreIgnored() {
        let dialog = Self.editWhich
        for key: Key in [.char("x"), .char("p"), .char(" "), .enter, .tab, .ctrl("o"), .down, .escape] {
            #expect(dialog.answer(for: key) == nil, "\(key)")
        }
        #expect(dialog.isCancel(.escape))
        #expect(ChoiceDialog.isCancel(.escape))
        #expect(!dialog.isCancel(.char("o")))
        #expect(!dialog.isCancel(.enter))
    }

    @Test func drawsTheOptionsOnOneRowWhenTheyFit() {
        let dialog = Self.editWhich
        var canvas = Canvas(width: 100, height: 24)
        let rect = dialog.overlayRect(in: canvas.bounds, maxWidth: 90)
        dialog.draw(into: &canvas, rect: rect)
        #expect(rect.height == 3)
        let lines = canvas.lines
        #expect(lines.contains { $0.contains("Edit which?") })
        let row = lines.firstIndex { $0.contains("(o) this occurrence · (f) this and following · (a) the whole series · Esc cancel") }
        #expect(row != nil)
        if let row, let x = lines[row].firstIndex(of: "(").map({ lines[row].distance(from: lines[row].startIndex, to: $0) }) {
            #expect(canvas[x + 1, row].bold)
            #expect(canvas[x + 1, row].text == "o")
            #expect(canvas[x + 4, row].bold == false)
        }
    }

    @Test func wrapsTheMessageAndTheOptions() {
        let dialog = Self.conflicts(2)
        var canvas = Canvas(width: 40, height: 24)
        let rect = dialog.overlayRect(in: canvas.bounds)
        #expect(rect.width == 40)
        dialog.draw(into: &canvas, rect: rect)
        let lines = canvas.lines
        let first = lines.firstIndex { $0.contains("│ Room 1 is used by IOP-B 18:00–21:00  │") }
        #expect(first != nil)
        if let first { #expect(lines[first + 1].contains("│ on Tue 1 Dec 2026 (group session)")) }
        #expect(lines.contains { $0.contains("│ Room 2 is used by IOP-B") })
        #expect(lines.contains { $0.contains("(b) go back · (k) keep anyway") })
        #expect(!lines.contains { $0.contains("more") })
        // Every word of the message is on the screen.
        let shown = lines.joined(separator: " ")
        for word in dialog.lines[1].split(separator: " ") { #expect(shown.contains(word)) }
    }

    @Test func longListsAreCutWithACount() {
        let dialog = Self.conflicts(12)
        var canvas = Canvas(width: 100, height: 12)
        let rect = dialog.overlayRect(in: canvas.bounds)
        #expect(rect.height == 12)
        dialog.draw(into: &canvas, rect: rect)
        let lines = canvas.lines
        // 10 rows inside the box: the options, a blank row, and 8 for the message: 3 conflicts of 2 rows and "… and 9 more".
        #expect(lines.filter { $0.contains("is used by IOP-B") }.count == 3)
        #expect(lines.filter { $0.contains("(group session)") }.count == 3, "a conflict is shown whole or not at all")
        let more = lines.firstIndex { $0.contains("… and 9 more") }
        #expect(more != nil)
        if let more, let x = lines[more].firstIndex(of: "…").map({ lines[more].distance(from: lines[more].startIndex, to: $0) }) {
            #expect(canvas[x, more].role == .dim)
        }
        #expect(lines.contains { $0.contains("(k) keep anyway") })
    }

    @Test func oneLongLineIsCutToo() {
        let dialog = ChoiceDialog(title: "Note", lines: [String(repeating: "word ", count: 200)], options: [ChoiceOption("k", "keep")])
        var canvas = Canvas(width: 30, height: 8)
        dialog.draw(into: &canvas, rect: dialog.overlayRect(in: canvas.bounds))
        let lines = canvas.lines
        #expect(lines.contains { $0.contains("│ …") })
        #expect(lines.contains { $0.contains("(k) keep") })
    }

    @Test func neverCrashesAtAnySize() {
        let dialogs = [Self.editWhich, Self.conflicts(9), ChoiceDialog(title: "", lines: ["", "김민준 👍"], options: [ChoiceOption]()),
                       ChoiceDialog(title: "x", options: [ChoiceOption("z", String(repeating: "long ", count: 30))])]
        let sizes = (0...40).flatMap { w in (0...12).map { h in (w, h) } } + [(120, 40)]
        for dialog in dialogs {
            for (w, h) in sizes {
                var canvas = Canvas(width: w, height: h)
                dialog.draw(into: &canvas, rect: canvas.bounds)
                let rect = dialog.overlayRect(in: canvas.bounds)
                #expect(rect.width <= w && rect.height <= h)
                dialog.draw(into: &canvas, rect: rect)
                dialog.draw(into: &canvas, rect: Rect(x: w / 2, y: h / 2, width: w, height: h))
            }
        }
    }
}

@Suite struct TextPromptTests {
    func type(_ text: String, into prompt: inout TextPrompt) {
        for c in text { #expect(prompt.handle(.char(c)) == .none) }
    }

    @Test func editingAndSubmit() {
        var prompt = TextPrompt("Reason for cancelling:", title: "Cancel session")
        type("Client sick — flu", into: &prompt)
        _ = prompt.handle(.ctrl("w"))
        #expect(prompt.text == "Client sick — ")
        _ = prompt.handle(.backspace)
        type("(called)", into: &prompt)
        #expect(prompt.text == "Client sick —(called)")
        _ = prompt.handle(.home)
        type("» ", into: &prompt)
        #expect(prompt.handle(.enter) == .submit("» Client sick —(called)"))
    }

    @Test func escapeCancels() {
        var prompt = TextPrompt("Go to date:", text: "fri")
        #expect(prompt.text == "fri")
        #expect(prompt.handle(.escape) == .cancel)
        #expect(prompt.handle(.ctrl("u")) == .none)
        #expect(prompt.handle(.enter) == .submit(""))
    }

    @Test func anEditClearsTheError() {
        var prompt = TextPrompt("Go to date:", text: "frday")
        prompt.error = "not a date"
        _ = prompt.handle(.left)
        #expect(prompt.error == "not a date", "moving the cursor is not an edit")
        _ = prompt.handle(.end)
        _ = prompt.handle(.backspace)
        #expect(prompt.error == nil)
    }

    @Test func drawsQuestionAnswerPreviewAndError() {
        var prompt = TextPrompt("Go to date:", title: "Calendar", text: "2026-12-01")
        prompt.preview = "→ Tue 1 Dec 2026"
        var canvas = Canvas(width: 80, height: 24)
        let rect = prompt.overlayRect(in: canvas.bounds)
        #expect(rect.height == 6 && rect.width == 60)
        let cursor = prompt.draw(into: &canvas, rect: rect)
        var lines = canvas.lines
        let question = lines.firstIndex { $0.contains("│ Go to date:") }
        #expect(question != nil)
        guard let question else { return }
        #expect(lines[question - 1].contains("Calendar"))
        #expect(lines[question + 1].contains("│ 2026-12-01"))
        #expect(lines[question + 2].contains("│ → Tue 1 Dec 2026"))
        #expect(lines[question + 3].contains("Enter OK · Esc cancel"))
        #expect(cursor == CursorPosition(x: rect.x + 2 + 10, y: question + 1))
        #expect(canvas[rect.x + 2 + 10, question + 1].role == .selection)

        prompt.error = "not a date"
        canvas = Canvas(width: 80, height: 24)
        prompt.draw(into: &canvas, rect: rect)
        lines = canvas.lines
        #expect(lines[question + 2].contains("│ ⚠ not a date"))
        #expect(!lines[question + 2].contains("Tue"))
        #expect(canvas[rect.x + 2, question + 2].role == .errorMessage)
    }

    @Test func longAnswersScroll() {
        var prompt = TextPrompt("Reason:")
        let rect = Rect(x: 0, y: 0, width: 20, height: 6)
        for c in String(repeating: "김민준 ", count: 10) {
            _ = prompt.handle(.char(c))
            prompt.layout(in: rect)
        }
        var canvas = Canvas(width: 20, height: 6)
        let cursor = prompt.draw(into: &canvas, rect: rect)
        #expect(cursor != nil)
        if let cursor { #expect(cursor.x < 19 && cursor.y == 2) }
        #expect(canvas.lines[2].contains("민준"))
    }

    @Test func neverCrashesAtAnySize() {
        var prompt = TextPrompt("A rather long question about the session?", title: "Title", text: "answer 👍")
        prompt.preview = "→ Tue 1 Dec 2026"
        var failing = prompt
        failing.error = "nope"
        let sizes = (0...40).flatMap { w in (0...12).map { h in (w, h) } } + [(120, 40)]
        for var p in [prompt, failing, TextPrompt("")] {
            for (w, h) in sizes {
                var canvas = Canvas(width: w, height: h)
                p.layout(in: canvas.bounds)
                p.draw(into: &canvas, rect: canvas.bounds)
                p.draw(into: &canvas, rect: p.overlayRect(in: canvas.bounds))
                p.draw(into: &canvas, rect: Rect(x: w / 2, y: h / 2, width: w, height: h))
            }
        }
    }
}
