import CaseloadCore
import CaseloadUI
import Testing

@Suite struct FormTests {
    /// Monday 30 November 2026.
    static let today = LocalDate(year: 2026, month: 11, day: 30)!

    static func sample() -> Form {
        Form(title: "New patient", fields: [
            .text("name", "Name", required: true, hint: "as on the intake form"),
            .date("admitted", "Admitted", "today", required: true),
            .choice("phase", "Phase", options: ["Phase I", "Phase II", "Step-down"]),
            .toggle("probation", "On probation"),
            .multiline("notes", "Notes", rows: 3),
            .list("contacts", "Contacts"),
        ])
    }

    func type(_ text: String, into form: inout Form) {
        for c in text { _ = form.handle(.char(c), today: Self.today) }
    }

    func press(_ key: Key, _ form: inout Form) -> FormOutcome { form.handle(key, today: Self.today) }

    @Test func typingEditsTheFocusedField() {
        var form = Self.sample()
        type("김민준 Zoë", into: &form)
        #expect(form.text("name") == "김민준 Zoë")
        _ = press(.ctrl("w"), &form)
        #expect(form.text("name") == "김민준 ")
        #expect(form.text("admitted") == "today")
    }

    @Test func validationOnLeavingAField() {
        var form = Self.sample()
        #expect(press(.tab, &form) == .leftField(id: "name"))
        #expect(form.focus == 1)
        #expect(form.errors["name"] == "required")
        #expect(!form.canSubmit)
        var canvas = Canvas(width: 80, height: 24)
        form.draw(into: &canvas, rect: form.overlayRect(in: canvas.bounds), today: Self.today)
        #expect(canvas.text.contains("⚠ required"))
        let warning = canvas.lines.firstIndex { $0.contains("⚠ required") } ?? 0
        let x = canvas.lines[warning].distance(from: canvas.lines[warning].startIndex, to: canvas.lines[warning].firstIndex(of: "⚠")!)
        #expect(canvas[x, warning].role == .errorMessage)

        #expect(press(.backTab, &form) == .leftField(id: "admitted"))
        type("Dana", into: &form)
        #expect(form.errors["name"] == "required", "the error stays until the field is left")
        #expect(press(.down, &form) == .leftField(id: "name"))
        #expect(form.errors["name"] == nil)
        #expect(form.canSubmit)
        canvas = Canvas(width: 80, height: 24)
        form.draw(into: &canvas, rect: form.overlayRect(in: canvas.bounds), today: Self.today)
        #expect(!canvas.text.contains("⚠"))
    }

    @Test func theCallerAddsItsOwnErrors() {
        var form = Self.sample()
        type("x", into: &form)
        if case .leftField(let id) = press(.tab, &form), id == "name", form.text(id).count < 2 {
            form.errors[id] = "at least two letters"
        }
        #expect(form.errors["name"] == "at least two letters")
        #expect(!form.canSubmit)
    }

    @Test(arguments: [
        ("+2w", LocalDate(year: 2026, month: 12, day: 14)),
        ("fri", LocalDate(year: 2026, month: 12, day: 4)),
        ("2026-12-01", LocalDate(year: 2026, month: 12, day: 1)),
        ("today", LocalDate(year: 2026, month: 11, day: 30)),
    ])
    func dateFieldsResolve(input: String, expected: LocalDate?) {
        var form = Self.sample()
        form.focus(on: "admitted")
        _ = press(.ctrl("u"), &form)
        type(input, into: &form)
        #expect(form.date("admitted", today: Self.today) == expected)
        _ = press(.tab, &form)
        #expect(form.errors["admitted"] == nil)
    }

    @Test func aDateFieldShowsTheResolvedDateAndRejectsNonsense() {
        var form = Self.sample()
        form.setText("admitted", "2026-12-01")
        var canvas = Canvas(width: 80, height: 24)
        form.draw(into: &canvas, rect: form.overlayRect(in: canvas.bounds), today: Self.today)
        #expect(canvas.text.contains("→ Tue 1 Dec 2026"))
        form.focus(on: "admitted")
        type("x", into: &form)
        #expect(form.date("admitted", today: Self.today) == nil)
        #expect(press(.tab, &form) == .leftField(id: "admitted"))
        #expect(form.errors["admitted"] == Form.dateError)
        #expect(Form.dateError == "not a date: try 2026-12-01, today, tomorrow, mon, +3d, +2w")
        form.setText("admitted", "")
        form.validate("admitted", today: Self.today)
        #expect(form.errors["admitted"] == "required")
        var optional = Form(title: "t", fields: [.date("d", "Due")])
        let valid = optional.validateAll(today: Self.today)
        #expect(valid, "an empty date is allowed when not required")
    }

    @Test func theResolvedDateFitsBesideANarrowDateField() {
        let form = Self.sample()
        var canvas = Canvas(width: 44, height: 14)
        form.draw(into: &canvas, rect: canvas.bounds, today: Self.today)
        #expect(canvas.lines.contains { $0.contains("Admitted *   today     → Mon 30 Nov 2026") }, "\(canvas.text)")
        var narrow = Canvas(width: 40, height: 14)
        form.draw(into: &narrow, rect: narrow.bounds, today: Self.today)
        #expect(narrow.lines.contains { $0.contains("Admitted *   today") && !$0.contains("→") }, "no room: the text gets the width\n\(narrow.text)")
    }

    @Test func choicesCycleBothWaysAndJumpByLetter() {
        var form = Self.sample()
        form.focus(on: "phase")
        _ = press(.left, &form)
        #expect(form.choiceIndex("phase") == 2, "← from the first option wraps to the last")
        _ = press(.right, &form)
        #expect(form.choiceIndex("phase") == 0, "→ from the last wraps to the first")
        _ = press(.char(" "), &form)
        #expect(form.text("phase") == "Phase II")
        _ = press(.char("s"), &form)
        #expect(form.choiceIndex("phase") == 2)
        _ = press(.char("p"), &form)
        #expect(form.choiceIndex("phase") == 0)
        _ = press(.char("P"), &form)
        #expect(form.choiceIndex("phase") == 1, "the same letter again goes to the next option with it")
        _ = press(.char("z"), &form)
        #expect(form.choiceIndex("phase") == 1)
    }

    @Test func toggleFlipsWithSpace() {
        var form = Self.sample()
        form.focus(on: "probation")
        _ = press(.char(" "), &form)
        #expect(form.bool("probation"))
        _ = press(.char(" "), &form)
        #expect(!form.bool("probation"))
    }

    @Test func enterSubmitsFromOneLineFieldsAndIsANewLineInMultiline() {
        var form = Self.sample()
        type("Dana", into: &form)
        #expect(press(.enter, &form) == .submit)
        #expect(form.canSubmit)
        form.focus(on: "notes")
        type("first", into: &form)
        #expect(press(.enter, &form) == .none)
        type("second", into: &form)
        #expect(form.text("notes") == "first\nsecond")
        #expect(press(.up, &form) == .none, "↑ moves inside the text")
        #expect(press(.up, &form) == .leftField(id: "notes"), "and leaves it from the first row")
        #expect(form.focusedField?.id == "probation")
        form.focus(on: "notes")
        #expect(press(.tab, &form) == .leftField(id: "notes"))
        #expect(press(.ctrl("s"), &form) == .submit)
        #expect(press(.escape, &form) == .cancel)
    }

    @Test func submitRunsEveryBuiltInCheck() {
        var form = Self.sample()
        form.focus(on: "phase")
        #expect(press(.enter, &form) == .submit)
        #expect(form.errors == ["name": "required"])
        #expect(!form.canSubmit)
    }

    @Test func dirtyDetectionComparesValues() {
        var form = Self.sample()
        #expect(!form.isDirty)
        type("Dana", into: &form)
        #expect(form.isDirty)
        for _ in 0..<4 { _ = press(.backspace, &form) }
        #expect(!form.isDirty, "edited and edited back")
        form.focus(on: "phase")
        _ = press(.right, &form)
        #expect(form.isDirty)
        _ = press(.left, &form)
        #expect(!form.isDirty)
        form.appendListItem("contacts", "Mother")
        #expect(form.isDirty)
        form.markClean()
        #expect(!form.isDirty)
    }

    @Test func listKeysAreReportedForTheCaller() {
        var form = Self.sample()
        form.focus(on: "contacts")
        #expect(press(.enter, &form) == .listAdd(id: "contacts"), "Enter on an empty list adds")
        #expect(press(.char("x"), &form) == .none)
        form.appendListItem("contacts", "Mother · 555-0101")
        form.appendListItem("contacts", "Sponsor · 555-0102")
        #expect(form.listSelection("contacts") == 1)
        #expect(press(.char("a"), &form) == .listAdd(id: "contacts"))
        #expect(press(.char("e"), &form) == .listEdit(id: "contacts", index: 1))
        #expect(press(.up, &form) == .none)
        #expect(form.listSelection("contacts") == 0)
        #expect(press(.enter, &form) == .listEdit(id: "contacts", index: 0))
        #expect(press(.delete, &form) == .listRemove(id: "contacts", index: 0))
        form.removeListItem("contacts", at: 0)
        #expect(form.listItems("contacts") == ["Sponsor · 555-0102"])
        form.replaceListItem("contacts", at: 0, with: "Sponsor · 555-0199")
        #expect(form.listItems("contacts") == ["Sponsor · 555-0199"])
        #expect(press(.down, &form) == .none, "↓ past the last item of the last field stays")
        #expect(press(.up, &form) == .leftField(id: "contacts"))
        #expect(form.focusedField?.id == "notes")
    }

    @Test func rendersAsABoxedOverlayAt80x24() {
        var form = Self.sample()
        type("김민준", into: &form)
        form.setText("notes", "Engaged in group.")
        form.appendListItem("contacts", "Mother · 555-0101")
        var canvas = Canvas(width: 80, height: 24)
        let rect = form.overlayRect(in: canvas.bounds)
        form.layout(in: rect)
        let cursor = form.draw(into: &canvas, rect: rect, today: Self.today)
        let lines = canvas.lines
        #expect(rect.width == 72)
        #expect(lines[rect.y].contains("┌ New patient ─"))
        #expect(canvas[rect.x, rect.y].role == .overlayBorder)
        #expect(lines.contains { $0.contains("Name *") && $0.contains("김민준") })
        #expect(lines.contains { $0.contains("Admitted *") && $0.contains("today") && $0.contains("→ Mon 30 Nov 2026") })
        #expect(lines.contains { $0.contains("Phase") && $0.contains("‹ Phase I ›") })
        #expect(lines.contains { $0.contains("On probation") && $0.contains("[ ]") })
        #expect(lines.contains { $0.contains("Notes") && $0.contains("Engaged in group.") })
        #expect(lines.contains { $0.contains("Contacts") && $0.contains("• Mother · 555-0101") })
        #expect(lines.contains { $0.contains("as on the intake form") }, "the focused field's hint")
        #expect(lines[rect.maxY - 2].contains("Enter/Ctrl-S save · Esc cancel · Tab next field"))
        let nameRow = lines.firstIndex { $0.contains("Name *") } ?? 0
        #expect(cursor == CursorPosition(x: cursor?.x ?? -1, y: nameRow))
        if let cursor {
            #expect(canvas[cursor.x, cursor.y].role == .selection)
            #expect(canvas[rect.x + 2, nameRow].role == .selection, "the focused label is highlighted")
        }
    }

    @Test func aShortRectScrollsToTheFocusedField() {
        var form = Self.sample()
        form.focus(on: "contacts")
        var canvas = Canvas(width: 50, height: 8)
        form.layout(in: canvas.bounds)
        form.draw(into: &canvas, rect: canvas.bounds, today: Self.today)
        #expect(canvas.text.contains("+ add (a)"))
        #expect(!canvas.text.contains("Name"))
        #expect(canvas.lines[0].contains("↑"))
        form.focus(on: "name")
        canvas = Canvas(width: 50, height: 8)
        form.draw(into: &canvas, rect: canvas.bounds, today: Self.today)
        #expect(canvas.text.contains("Name *"))
        #expect(canvas.lines[7].contains("↓"))
    }

    @Test func narrowFootersAreCut() {
        let form = Self.sample()
        var canvas = Canvas(width: 30, height: 20)
        form.draw(into: &canvas, rect: canvas.bounds, today: Self.today)
        let footer = canvas.lines[18]
        #expect(footer == "│ Enter/Ctrl-S save · Esc c… │")
    }

    @Test func drawsAtEverySizeWithoutCrashing() {
        var forms = [Self.sample(), Form(title: "Empty", fields: [])]
        var withErrors = Self.sample()
        withErrors.validateAll(today: Self.today)
        withErrors.focus(on: "notes")
        withErrors.setText("notes", "김민준 👩‍⚕️ " + String(repeating: "word ", count: 40))
        forms.append(withErrors)
        var drawn = 0
        for var form in forms {
            for width in 0...30 {
                for height in 0...10 {
                    var canvas = Canvas(width: width, height: height)
                    let rect = canvas.bounds
                    form.layout(in: rect)
                    let cursor = form.draw(into: &canvas, rect: rect, today: Self.today)
                    if let cursor { #expect(rect.contains(x: cursor.x, y: cursor.y)) }
                    drawn += 1
                }
            }
            var canvas = Canvas(width: 20, height: 6)
            form.draw(into: &canvas, rect: Rect(x: 0, y: 0, width: 20, height: 6), today: Self.today)
            var offCanvas = Canvas(width: 10, height: 5)
            form.draw(into: &offCanvas, rect: Rect(x: 5, y: 3, width: 20, height: 6), today: Self.today)
        }
        #expect(drawn == 3 * 31 * 11)
    }
}
