import CaseloadCore
import CaseloadUI
import Testing

@Suite struct TextWidthTests {
    @Test(arguments: [
        ("abc", 3), ("José", 4), ("Núñez", 5), ("Nguyễn Thị Mai", 14), ("김민준", 6), ("陈静", 4),
        ("Zoë", 3), ("e\u{0301}", 1), ("👍", 2), ("👍🏽", 2), ("👩‍⚕️", 2), ("🇺🇸", 2), ("❤️", 2), ("Дмитрий", 7), ("فاطمة", 5), ("", 0),
    ])
    func cellWidths(text: String, expected: Int) {
        #expect(TextWidth.of(text) == expected)
    }

    @Test func fittingNeverSplitsAWideCharacter() {
        #expect(TextWidth.fit("김민준", width: 5) == "김민…")
        #expect(TextWidth.fit("김민준", width: 4) == "김…")
        #expect(TextWidth.fit("김민준", width: 4, ellipsis: false) == "김민")
        #expect(TextWidth.fit("김민준", width: 3, ellipsis: false) == "김")
        #expect(TextWidth.fit("abc", width: 3) == "abc")
        #expect(TextWidth.fit("abcd", width: 3) == "ab…")
        #expect(TextWidth.fit("abc", width: 0) == "")
    }

    @Test func paddingUsesCellsNotCharacters() {
        #expect(TextWidth.pad("김", width: 4) == "김  ")
        #expect(TextWidth.pad("José", width: 6, alignRight: true) == "  José")
    }
}

@Suite struct CanvasTests {
    @Test func wideCharactersTakeTwoCellsAndReadBackAsText() {
        var canvas = Canvas(width: 10, height: 1)
        let used = canvas.put("김민준 ok", x: 0, y: 0)
        #expect(used == 9)
        #expect(canvas[1, 0].isContinuation)
        #expect(canvas.lines == ["김민준 ok"])
    }

    @Test func clippingAtTheEdgeEllipsizesWithoutSplitting() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.put("김민준", x: 0, y: 0)
        #expect(canvas.lines == ["김민…"])
        var narrow = Canvas(width: 6, height: 1)
        narrow.put("Nguyễn Thị Mai", x: 1, y: 0, maxWidth: 4)
        #expect(narrow.lines == [" Ngu…"])
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("김민", x: 0, y: 0)
        canvas.put("x", x: 1, y: 0)
        #expect(canvas.lines == [" x민"])
    }

    @Test func combiningMarksStayOnTheirBase() {
        var canvas = Canvas(width: 6, height: 1)
        canvas.put("Jose\u{0301}!", x: 0, y: 0)
        #expect(canvas.lines == ["José!"])
        #expect(canvas[5, 0].text == " ")
    }

    @Test func boxesAndTitles() {
        var canvas = Canvas(width: 12, height: 3)
        canvas.box(canvas.bounds, title: "Week")
        #expect(canvas.lines == ["┌ Week ────┐", "│          │", "└──────────┘"])
    }

    @Test func drawingOutsideTheCanvasIsHarmless() {
        var canvas = Canvas(width: 3, height: 2)
        canvas.put("hello", x: -2, y: 0)
        canvas.put("x", x: 5, y: 5)
        canvas.fill(Rect(x: -5, y: -5, width: 100, height: 100), role: .dim)
        canvas.box(Rect(x: 1, y: 1, width: 1, height: 1))
        var empty = Canvas(width: 0, height: 0)
        empty.put("a", x: 0, y: 0)
        #expect(empty.lines.isEmpty)
        #expect(canvas.lines.count == 2)
    }
}
