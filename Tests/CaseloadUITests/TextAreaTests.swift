import CaseloadCore
import CaseloadUI
import Testing

@Suite struct TextAreaTests {
    /// The display rows of each line as strings.
    func rows(_ area: TextArea, width: Int) -> [String] {
        area.displayRows(width: width).rows.map { String(area.lines[$0.line][$0.range]) }
    }

    @Test func wrapsAtSpacesAndNeverSplitsWideCharacters() {
        let area = TextArea("오늘 그룹에서 김민준 님이 발표 👍 good")
        #expect(rows(area, width: 12) == ["오늘 ", "그룹에서 ", "김민준 님이 ", "발표 👍 good", ""], "the last row is exactly full: the cursor after it goes on a row of its own")
        for row in rows(area, width: 12) { #expect(TextWidth.of(row.trimmingCharacters(in: .whitespaces)) <= 12) }
    }

    @Test func hardBreaksAWordLongerThanTheWidth() {
        let area = TextArea("abcdefghijklmnop 김민준김민준김민준")
        #expect(rows(area, width: 12) == ["abcdefghijkl", "mnop ", "김민준김민준", "김민준"])
        let odd = TextArea("김민준김민준김")
        #expect(rows(odd, width: 5) == ["김민", "준김", "민준", "김"], "a wide character that would straddle the edge moves to the next row")
    }

    @Test func aLineThatExactlyFillsItsRowGetsARowForTheCursor() {
        let area = TextArea("abcdefghijkl")
        #expect(rows(area, width: 12) == ["abcdefghijkl", ""])
        #expect(area.displayRows(width: 12).cursorRow == 1)
    }

    @Test func upAndDownMoveByDisplayRowKeepingTheGoalColumn() {
        var area = TextArea("abcdefghij klmnopq\n김민준 Zoë\nxy", wrapWidth: 12)
        // Rows: "abcdefghij " "klmnopq" | "김민준 Zoë" | "xy"
        area.setCursor(line: 0, column: 8)
        #expect(press(&area, .down))
        #expect(area.line == 0 && area.column == 18, "goal 8 is past the row's end: at its end")
        #expect(press(&area, .down))
        #expect(area.line == 1 && area.column == 5, "cell 8 of 김민준 Zoë falls after Z")
        #expect(press(&area, .down))
        #expect(area.line == 2 && area.column == 2)
        #expect(press(&area, .down) == false, "past the last row the key is not used")
        #expect(press(&area, .up))
        #expect(area.line == 1 && area.column == 5)
        #expect(press(&area, .up))
        #expect(area.line == 0 && area.column == 18)
        #expect(press(&area, .up))
        #expect(area.line == 0 && area.column == 8, "back at the goal column")
        #expect(press(&area, .up) == false)
        area.setCursor(line: 1, column: 1)
        #expect(press(&area, .up))
        #expect(area.column == 13, "cell 2 on the second row of line 0: 'klmnopq' starts at 11")
    }

    @Test func upDoesNotLandInsideAWideCharacter() {
        var area = TextArea("abc\n김민준", wrapWidth: 12)
        area.setCursor(line: 0, column: 3)
        area.handle(.down)
        #expect(area.column == 1, "cell 3 is the second half of 민: the cursor goes before it")
    }

    @Test func leftAndRightCrossLineEnds() {
        var area = TextArea("ab\ncd")
        area.setCursor(line: 1, column: 0)
        area.handle(.left)
        #expect(area.line == 0 && area.column == 2)
        area.handle(.right)
        #expect(area.line == 1 && area.column == 0)
    }

    @Test func enterSplitsAndBackspaceJoins() {
        var area = TextArea("김민준 Zoë")
        area.setCursor(line: 0, column: 3)
        area.handle(.enter)
        #expect(area.text == "김민준\n Zoë")
        #expect(area.line == 1 && area.column == 0)
        area.handle(.backspace)
        #expect(area.text == "김민준 Zoë")
        #expect(area.line == 0 && area.column == 3)
        area.handle(.ctrl("e"))
        area.handle(.delete)
        #expect(area.text == "김민준 Zoë", "Del at the very end does nothing")
    }

    @Test func killKeys() {
        var area = TextArea("first line\nsecond")
        area.setCursor(line: 0, column: 5)
        area.handle(.ctrl("k"))
        #expect(area.text == "first\nsecond")
        area.handle(.ctrl("k"))
        #expect(area.text == "firstsecond", "Ctrl-K at the end of a line joins the next")
        area.handle(.ctrl("u"))
        #expect(area.text == "second")
        area.handle(.ctrl("e"))
        area.insert("\nmore words")
        area.handle(.ctrl("w"))
        #expect(area.text == "second\nmore ")
        area.handle(.ctrl("w"))
        area.handle(.ctrl("w"))
        #expect(area.text == "second", "Ctrl-W at a line start joins the previous line")
    }

    @Test func homeAndEndWorkOnTheDisplayRowCtrlAAndCtrlEOnTheLine() {
        var area = TextArea("abcdefghij klmnopq", wrapWidth: 12)
        area.setCursor(line: 0, column: 14)
        area.handle(.home)
        #expect(area.column == 11)
        area.handle(.up)
        area.handle(.end)
        #expect(area.column == 10, "before the space the row breaks at")
        area.handle(.ctrl("e"))
        #expect(area.column == 18)
        area.handle(.ctrl("a"))
        #expect(area.column == 0)
    }

    @Test func pasteWithLineBreaks() {
        var area = TextArea("[]")
        area.setCursor(line: 0, column: 1)
        area.insert("one\r\ntwo\nthree\tfour")
        #expect(area.text == "[one\ntwo\nthree    four]")
        #expect(area.line == 2 && area.column == 13)
        area.text = "새 노트\n👍"
        #expect(area.lines.count == 2)
        #expect(area.line == 1 && area.column == 1)
    }

    @Test func pageKeysMoveAPageAndStopAtTheEnds() {
        var area = TextArea((1...30).map { "line \($0)" }.joined(separator: "\n"), wrapWidth: 20, pageHeight: 10)
        area.handle(.ctrl("a"))
        area.handle(.pageUp)
        #expect(area.line == 20)
        area.handle(.pageUp)
        area.handle(.pageUp)
        area.handle(.pageUp)
        #expect(area.line == 0 && area.column == 0)
        area.handle(.pageDown)
        #expect(area.line == 9)
    }

    @Test func drawingScrollsToKeepTheCursorVisible() {
        var area = TextArea("오늘 그룹에서 김민준 님이 발표 👍 ok\nsecond\nthird", wrapWidth: 12)
        var canvas = Canvas(width: 14, height: 5)
        area.layout(width: 12, height: 3)
        var cursor = area.draw(into: &canvas, rect: Rect(x: 1, y: 1, width: 12, height: 3), focused: true)
        #expect(canvas.lines == ["", " 발표 👍 ok", " second", " third", ""])
        #expect(cursor == CursorPosition(x: 6, y: 3))
        #expect(canvas[6, 3].role == .selection)
        for _ in 0..<4 { area.handle(.up) }
        area.layout(width: 12, height: 3)
        canvas = Canvas(width: 14, height: 5)
        cursor = area.draw(into: &canvas, rect: Rect(x: 1, y: 1, width: 12, height: 3), focused: true)
        #expect(canvas.lines == ["", " 그룹에서", " 김민준 님이", " 발표 👍 ok", ""])
        #expect(cursor?.y == 1)
        for _ in 0..<2 { area.handle(.down) }
        area.layout(width: 12, height: 3)
        canvas = Canvas(width: 14, height: 5)
        cursor = area.draw(into: &canvas, rect: Rect(x: 1, y: 1, width: 12, height: 3), focused: true)
        #expect(canvas.lines == ["", " 그룹에서", " 김민준 님이", " 발표 👍 ok", ""], "scrolling sticks while the cursor stays visible")
        #expect(cursor?.y == 3)
    }

    @Test func drawingInTinyRectsDoesNotCrash() {
        let area = TextArea("김민준 👩‍⚕️ note\n\nmore")
        for width in 0...4 {
            for height in 0...3 {
                var canvas = Canvas(width: width, height: height)
                let cursor = area.draw(into: &canvas, rect: Rect(x: 0, y: 0, width: width, height: height), focused: true)
                #expect((width == 0 || height == 0) == (cursor == nil))
            }
        }
    }
}

/// `area.handle(key)` where `#expect` cannot call a mutating method.
private func press(_ area: inout TextArea, _ key: Key) -> Bool { area.handle(key) }
