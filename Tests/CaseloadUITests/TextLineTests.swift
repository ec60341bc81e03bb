import CaseloadCore
import CaseloadUI
import Testing

@Suite struct TextLineTests {
    func type(_ text: String, into line: inout TextLine) {
        for c in text { line.handle(.char(c)) }
    }

    @Test func cursorMovesByGraphemeOverMixedScripts() {
        var line = TextLine()
        type("김민준 Zoë 👩‍⚕️", into: &line)
        #expect(line.text == "김민준 Zoë 👩‍⚕️")
        #expect(line.characters.count == 9)
        #expect(line.cursor == 9)
        line.handle(.left)
        #expect(line.cursor == 8)
        line.handle(.backspace)
        #expect(line.text == "김민준 Zoë👩‍⚕️")
        line.handle(.ctrl("a"))
        #expect(line.cursor == 0)
        line.handle(.right)
        line.handle(.right)
        line.handle(.delete)
        #expect(line.text == "김민 Zoë👩‍⚕️")
        line.handle(.end)
        line.handle(.backspace)
        #expect(line.text == "김민 Zoë", "the whole emoji sequence goes in one Backspace")
        line.handle(.home)
        line.handle(.ctrl("d"))
        #expect(line.text == "민 Zoë")
        line.handle(.ctrl("e"))
        #expect(line.cursor == 5)
    }

    @Test func aCombiningMarkTypedAfterItsLetterJoinsIt() {
        var line = TextLine("Jose")
        line.handle(.char("\u{0301}"))
        #expect(line.characters.count == 4)
        #expect(line.text == "José")
        line.handle(.backspace)
        #expect(line.text == "Jos")
    }

    @Test func controlKeysAreNotText() {
        var line = TextLine("a")
        #expect(line.handle(.enter) == false)
        #expect(line.handle(.up) == false)
        #expect(line.handle(.char("\u{1B}")) == false)
        #expect(line.text == "a")
    }

    @Test func ctrlWDeletesSpacesThenTheWord() {
        var line = TextLine("take roll  now  ")
        line.handle(.ctrl("w"))
        #expect(line.text == "take roll  ")
        line.handle(.ctrl("w"))
        #expect(line.text == "take ")
        line.handle(.ctrl("w"))
        #expect(line.text == "")
        line.handle(.ctrl("w"))
        #expect(line.text == "")
        var middle = TextLine("김민준 Zoë Park")
        middle.setCursor(7)
        middle.handle(.ctrl("w"))
        #expect(middle.text == "김민준  Park")
        #expect(middle.cursor == 4)
    }

    @Test func ctrlKAndCtrlUKillToEitherEnd() {
        var line = TextLine("김민준 Zoë")
        line.setCursor(3)
        line.handle(.ctrl("k"))
        #expect(line.text == "김민준")
        #expect(line.cursor == 3)
        line.setCursor(1)
        line.handle(.ctrl("u"))
        #expect(line.text == "민준")
        #expect(line.cursor == 0)
    }

    @Test func pasteOfTwoThousandCharactersThenHomeAndEnd() {
        let text = String(repeating: "abc 김민준 ", count: 250)
        #expect(text.count == 2000)
        var pasted = TextLine("[]")
        pasted.setCursor(1)
        pasted.insert(text)
        #expect(pasted.characters.count == 2002)
        #expect(pasted.cursor == 2001)
        var typed = TextLine()
        type(text, into: &typed)
        #expect(typed.text == text)
        typed.handle(.home)
        #expect(typed.cursor == 0)
        #expect(typed.cursorColumn(width: 10) == 0)
        typed.handle(.end)
        #expect(typed.cursor == 2000)
        #expect(typed.cursorColumn(width: 10) == 9)
    }

    @Test func pastedLineBreaksBecomeSpaces() {
        var line = TextLine()
        line.insert("one\ntwo\r\nthree\tfour\u{7}")
        #expect(line.text == "one two three four")
    }

    @Test func scrollingKeepsTheCursorVisibleAtWidthTen() {
        var line = TextLine()
        type("김민준 Zoë 👩‍⚕️ and more text here", into: &line)
        var canvas = Canvas(width: 12, height: 1)
        // Walk the cursor from the end to the start and back, drawing at each step as the app would.
        var positions: [Int] = []
        for key in Array(repeating: Key.left, count: 30) + Array(repeating: Key.right, count: 30) {
            line.handle(key)
            line.layout(width: 10)
            canvas = Canvas(width: 12, height: 1)
            guard let column = line.draw(into: &canvas, x: 1, y: 0, width: 10, focused: true) else {
                Issue.record("no cursor drawn")
                return
            }
            positions.append(column)
            #expect(column >= 1 && column <= 10)
            #expect(canvas[column, 0].role == .selection, "the cursor cell is highlighted")
            // The shown text is the run of characters starting at the scroll position, never half a wide one.
            let start = line.visibleStart(width: 10)
            #expect(start <= line.cursor)
            let shown = String(line.characters[start...])
            #expect(canvas.lines[0].trimmingCharacters(in: .whitespaces) == TextWidth.fit(shown, width: 10, ellipsis: false).trimmingCharacters(in: .whitespaces))
            #expect(canvas[0, 0].text == " " && canvas[11, 0].text == " ", "nothing drawn outside the field")
        }
        #expect(line.cursor == line.characters.count)
        #expect(positions.contains(1) && positions.contains(10))
    }

    @Test func aWideCharacterIsNeverSplitAtTheRightEdge() {
        var line = TextLine("abcdefgh김민")
        line.setCursor(0)
        var canvas = Canvas(width: 9, height: 1)
        line.draw(into: &canvas, x: 0, y: 0, width: 9, focused: false)
        #expect(canvas.lines == ["abcdefgh"])
        line.handle(.end)
        canvas = Canvas(width: 9, height: 1)
        let column = line.draw(into: &canvas, x: 0, y: 0, width: 9, focused: true)
        #expect(canvas.lines == ["efgh김민"], "eight cells of text and one for the cursor")
        #expect(column == 8)
    }

    @Test func theCursorOnAWideCharacterHighlightsBothCells() {
        var line = TextLine("김민")
        line.setCursor(1)
        var canvas = Canvas(width: 6, height: 1)
        let column = line.draw(into: &canvas, x: 0, y: 0, width: 6, focused: true)
        #expect(column == 2)
        #expect(canvas[2, 0].role == .selection && canvas[3, 0].role == .selection)
        #expect(canvas[3, 0].isContinuation)
        #expect(canvas[0, 0].role == .text)
        #expect(canvas.lines == ["김민"])
    }

    @Test func tinyWidthsDoNotCrash() {
        let line = TextLine("김민준 👩‍⚕️")
        for width in 0...4 {
            var canvas = Canvas(width: width, height: 1)
            let column = line.draw(into: &canvas, x: 0, y: 0, width: width, focused: true)
            #expect(width == 0 ? column == nil : column != nil)
        }
    }
}
