import CaseloadCore
import CaseloadUI
import Testing

/// A terminal paste arrives as one `.char` key per character.
@Suite struct WidgetPasteTests {
    static let today = LocalDate(year: 2026, month: 11, day: 30)!

    @Test(arguments: ["name", "notes"])
    func aTwoThousandCharacterPasteKeyByKeyIntoAForm(field: String) {
        var form = Form(title: "Note", fields: [.text("name", "Name"), .multiline("notes", "Notes", rows: 6)])
        form.focus(on: field)
        let text = String(repeating: "Client 김민준 said 👍 ", count: 111)
        #expect(text.count == 1998)
        let rect = Rect(x: 0, y: 0, width: 80, height: 24)
        for c in text {
            _ = form.handle(.char(c), today: Self.today)
            form.layout(in: rect)
        }
        #expect(form.text(field) == text)
        // Its speed is a benchmark figure (CaseloadBench "paste"), not a timed test.
        var canvas = Canvas(width: 80, height: 24)
        let cursor = form.draw(into: &canvas, rect: rect, today: Self.today)
        #expect(cursor != nil)
        #expect(canvas.text.contains("said 👍"))
    }
}
