import CaseloadCore
import Foundation

/// Multi-line text (notes, narratives): logical lines of grapheme clusters, a cursor (line, column),
/// soft-wrapped for display to `wrapWidth` cells.
///
/// Wrapping breaks after a space when it can and hard-breaks a word longer than the width; a wide character is
/// never split. A space that does not fit at the end of a row hangs there (it is not drawn).
///
/// Keys (`handle`): printable characters insert; Enter splits the line; ←/→ move by grapheme and across line ends;
/// ↑/↓ move by display (wrapped) row keeping the goal column in cells; PgUp/PgDn move `pageHeight` rows;
/// **Home/End go to the start/end of the display row; Ctrl-A/Ctrl-E to the start/end of the logical line**;
/// Backspace deletes before the cursor (joining lines at a line start); Del/Ctrl-D deletes at the cursor (joining at a line end);
/// Ctrl-K kills to the end of the line, or joins the next line when at the end; Ctrl-U kills to the start of the line;
/// Ctrl-W deletes the word before the cursor (or joins the previous line at a line start).
/// `handle` returns false for keys it does not use, and for ↑ on the first row / ↓ on the last row, so a form can move focus.
///
/// `wrapWidth` and `pageHeight` are what the keys assume; `layout(width:height:)` sets them (and the sticky scroll) from the
/// rectangle the area will be drawn in. `draw` itself wraps to the rectangle it is given and is pure.
public struct TextArea: Equatable, Sendable {
    public private(set) var lines: [[Character]]
    public private(set) var line: Int
    public private(set) var column: Int
    /// The column in cells that ↑/↓ aim for, kept across a run of vertical moves.
    public private(set) var goalColumn: Int?
    /// Width in cells that ↑/↓/Home/End wrap to.
    public var wrapWidth: Int
    /// Rows PgUp/PgDn move.
    public var pageHeight: Int
    /// First display row shown; `draw` corrects it when it would hide the cursor.
    public var scroll: Int = 0

    /// An area holding `text` with the cursor at its end.
    public init(_ text: String = "", wrapWidth: Int = 60, pageHeight: Int = 10) {
        self.wrapWidth = wrapWidth
        self.pageHeight = pageHeight
        lines = [[]]
        line = 0
        column = 0
        insert(text)
    }

    /// The whole text, lines joined by "\n"; setting it puts the cursor at the end.
    public var text: String {
        get { lines.map { String($0) }.joined(separator: "\n") }
        set {
            lines = [[]]
            line = 0
            column = 0
            scroll = 0
            goalColumn = nil
            insert(newValue)
        }
    }

    public var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }

    /// Moves the cursor, clamped to the text.
    public mutating func setCursor(line newLine: Int, column newColumn: Int) {
        line = min(max(0, newLine), lines.count - 1)
        column = min(max(0, newColumn), lines[line].count)
        goalColumn = nil
    }

    // MARK: Wrapping

    /// The display rows of one logical line wrapped to `width` cells, as ranges of character indices.
    /// Always at least one row; a line that exactly fills its last row gets an empty row after it for the cursor.
    public static func wrap(_ characters: [Character], width: Int) -> [Range<Int>] {
        let width = max(1, width)
        var rows: [Range<Int>] = []
        var start = 0
        var used = 0
        var lastBreak: Int? = nil
        var i = 0
        while i < characters.count {
            let w = TextWidth.of(characters[i])
            if used + w > width, i > start {
                if characters[i].isWhitespace {
                    rows.append(start..<(i + 1))
                    start = i + 1
                    i += 1
                } else if let breakAt = lastBreak, breakAt > start {
                    rows.append(start..<breakAt)
                    start = breakAt
                    i = breakAt
                } else {
                    rows.append(start..<i)
                    start = i
                }
                used = 0
                lastBreak = nil
                continue
            }
            used += w
            if characters[i].isWhitespace { lastBreak = i + 1 }
            i += 1
        }
        rows.append(start..<characters.count)
        if used >= width, start < characters.count { rows.append(characters.count..<characters.count) }
        return rows
    }

    /// Which display row of `rows` holds a cursor at `column`, and its cell offset in that row.
    private func locate(_ column: Int, in rows: [Range<Int>], of characters: [Character]) -> (row: Int, x: Int) {
        var row = 0
        for (index, range) in rows.enumerated() where range.lowerBound <= column { row = index }
        return (row, TextEditing.cells(characters, rows[row].lowerBound..<column))
    }

    /// The index in `range` nearest to `goal` cells from its start without passing it; on a row that is not the
    /// line's last, the cursor stays before the row's last character so it stays on that row.
    private static func index(in range: Range<Int>, of characters: [Character], goal: Int, isLastRow: Bool) -> Int {
        let limit = isLastRow ? range.upperBound : max(range.lowerBound, range.upperBound - 1)
        var i = range.lowerBound
        var used = 0
        while i < limit {
            let w = TextWidth.of(characters[i])
            if used + w > goal { break }
            used += w
            i += 1
        }
        return i
    }

    // MARK: Keys

    /// Applies a key (`Keymaps.textArea`, or a printable character typed); false for keys it does not use.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        if let action = Keymaps.textArea.action(for: key) { return perform(action) }
        goalColumn = nil
        guard case .char(let c) = key else { return false }
        if c.isLineBreak { newline(); return true }
        guard !c.isControlCharacter else { return false }
        column = TextEditing.insert(c, into: &lines[line], at: column)
        return true
    }

    /// Carries out an editing action of `Keymaps.textArea`; false for any other action, and for a row move past the first
    /// or last row.
    @discardableResult
    public mutating func perform(_ action: Action) -> Bool {
        let vertical: Bool
        switch action {
        case .moveUp, .moveDown, .pageUp, .pageDown: vertical = true
        default: vertical = false
        }
        if !vertical { goalColumn = nil }
        switch action {
        case .newline: newline()
        case .cursorLeft:
            if column > 0 { column -= 1 } else if line > 0 { line -= 1; column = lines[line].count }
        case .cursorRight:
            if column < lines[line].count { column += 1 } else if line + 1 < lines.count { line += 1; column = 0 }
        case .moveUp: return moveVertically(-1)
        case .moveDown: return moveVertically(1)
        case .pageUp, .pageDown:
            let direction = action == .pageUp ? -1 : 1
            for _ in 0..<max(1, pageHeight - 1) {
                if moveVertically(direction) { continue }
                // Past the first or last row: go to the very start or end.
                line = direction < 0 ? 0 : lines.count - 1
                column = direction < 0 ? 0 : lines[line].count
                break
            }
        case .rowStart, .rowEnd:
            let rows = TextArea.wrap(lines[line], width: wrapWidth)
            let row = locate(column, in: rows, of: lines[line]).row
            if action == .rowStart {
                column = rows[row].lowerBound
            } else {
                column = row == rows.count - 1 ? rows[row].upperBound : max(rows[row].lowerBound, rows[row].upperBound - 1)
            }
        case .lineStart: column = 0
        case .lineEnd: column = lines[line].count
        case .deleteBackward:
            if column > 0 {
                lines[line].remove(at: column - 1)
                column -= 1
            } else {
                joinWithPrevious()
            }
        case .deleteForward:
            if column < lines[line].count { lines[line].remove(at: column) } else { joinWithNext() }
        case .killToEnd:
            if column < lines[line].count { lines[line].removeSubrange(column...) } else { joinWithNext() }
        case .killToStart:
            lines[line].removeSubrange(..<column)
            column = 0
        case .deleteWord:
            if column == 0 {
                joinWithPrevious()
            } else {
                let start = TextEditing.wordStart(lines[line], before: column)
                lines[line].removeSubrange(start..<column)
                column = start
            }
        default:
            return false
        }
        return true
    }

    private mutating func newline() {
        let rest = Array(lines[line][column...])
        lines[line].removeSubrange(column...)
        lines.insert(rest, at: line + 1)
        line += 1
        column = 0
    }

    private mutating func joinWithPrevious() {
        guard line > 0 else { return }
        let current = lines.remove(at: line)
        line -= 1
        column = lines[line].count
        lines[line].append(contentsOf: current)
    }

    private mutating func joinWithNext() {
        guard line + 1 < lines.count else { return }
        let next = lines.remove(at: line + 1)
        lines[line].append(contentsOf: next)
    }

    /// One display row up (-1) or down (+1); false at the first/last row.
    private mutating func moveVertically(_ direction: Int) -> Bool {
        var rows = TextArea.wrap(lines[line], width: wrapWidth)
        let (row, x) = locate(column, in: rows, of: lines[line])
        let goal = goalColumn ?? x
        var targetRow = row + direction
        if targetRow < 0 {
            guard line > 0 else { return false }
            line -= 1
            rows = TextArea.wrap(lines[line], width: wrapWidth)
            targetRow = rows.count - 1
        } else if targetRow >= rows.count {
            guard line + 1 < lines.count else { return false }
            line += 1
            rows = TextArea.wrap(lines[line], width: wrapWidth)
            targetRow = 0
        }
        column = TextArea.index(in: rows[targetRow], of: lines[line], goal: goal, isLastRow: targetRow == rows.count - 1)
        goalColumn = goal
        return true
    }

    /// Inserts a string at the cursor (a paste): line breaks ("\n", "\r\n", "\r") start new lines, a tab becomes
    /// four spaces, other control characters are dropped.
    public mutating func insert(_ string: String) {
        goalColumn = nil
        var pieces: [[Character]] = [[]]
        for c in string {
            if c.isLineBreak {
                pieces.append([])
            } else if c == "\t" {
                pieces[pieces.count - 1].append(contentsOf: [" ", " ", " ", " "])
            } else if !c.isControlCharacter {
                pieces[pieces.count - 1].append(c)
            }
        }
        let tail = Array(lines[line][column...])
        lines[line].removeSubrange(column...)
        var first = pieces[0]
        if !first.isEmpty {
            let c = first.removeFirst()
            column = TextEditing.insert(c, into: &lines[line], at: column)
        }
        lines[line].append(contentsOf: first)
        column += first.count
        if pieces.count > 1 {
            lines.insert(contentsOf: pieces[1...], at: line + 1)
            line += pieces.count - 1
            column = lines[line].count
        }
        lines[line].append(contentsOf: tail)
    }

    // MARK: Display

    /// All display rows at `width` (line index and character range), and which of them holds the cursor with its cell offset.
    public func displayRows(width: Int) -> (rows: [(line: Int, range: Range<Int>)], cursorRow: Int, cursorX: Int) {
        var rows: [(line: Int, range: Range<Int>)] = []
        var cursorRow = 0
        var cursorX = 0
        for (index, characters) in lines.enumerated() {
            let wrapped = TextArea.wrap(characters, width: width)
            if index == line {
                let (row, x) = locate(column, in: wrapped, of: characters)
                cursorRow = rows.count + row
                cursorX = x
            }
            for range in wrapped { rows.append((index, range)) }
        }
        return (rows, cursorRow, cursorX)
    }

    /// The first display row shown in a `height`-row area wrapped at `width`: `scroll` moved just enough to show the cursor.
    public func visibleStart(width: Int, height: Int) -> Int {
        let (rows, cursorRow, _) = displayRows(width: width)
        return TextArea.visibleStart(scroll: scroll, rows: rows.count, cursorRow: cursorRow, height: height)
    }

    private static func visibleStart(scroll: Int, rows: Int, cursorRow: Int, height: Int) -> Int {
        guard height > 0 else { return cursorRow }
        var start = min(max(0, scroll), max(0, rows - height))
        if cursorRow < start { start = cursorRow }
        if cursorRow >= start + height { start = cursorRow - height + 1 }
        return max(0, start)
    }

    /// Sets `wrapWidth`, `pageHeight` and a sticky `scroll` for an area `width`×`height` (call after a key, before drawing).
    public mutating func layout(width: Int, height: Int) {
        wrapWidth = max(1, width)
        pageHeight = max(1, height)
        scroll = visibleStart(width: wrapWidth, height: height)
    }

    /// Draws the wrapped text in `rect` (filled with `role`), scrolled to show the cursor; when focused the cursor's
    /// cell is drawn in the `selection` role. Returns where the terminal cursor belongs (nil for an empty rect).
    @discardableResult
    public func draw(into canvas: inout Canvas, rect: Rect, focused: Bool, role: Role = .text) -> CursorPosition? {
        guard !rect.isEmpty else { return nil }
        canvas.fill(rect, role: role)
        let (rows, cursorRow, cursorX) = displayRows(width: rect.width)
        let start = TextArea.visibleStart(scroll: scroll, rows: rows.count, cursorRow: cursorRow, height: rect.height)
        for offset in 0..<rect.height where start + offset < rows.count {
            let row = rows[start + offset]
            let shown = String(lines[row.line][row.range])
            canvas.put(shown, x: rect.x, y: rect.y + offset, role: role, maxWidth: rect.width, ellipsis: false)
        }
        let position = CursorPosition(x: rect.x + min(cursorX, rect.width - 1), y: rect.y + cursorRow - start)
        if focused { canvas.highlight(x: position.x, y: position.y, role: .selection) }
        return position
    }
}
