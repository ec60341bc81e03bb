import CaseloadCore
import Foundation

/// A single line of editable text: grapheme clusters and a cursor between them.
///
/// Keys (`handle`): printable characters insert; ←/→ move by grapheme; Home/Ctrl-A start; End/Ctrl-E end;
/// Backspace deletes before the cursor; Del/Ctrl-D at it; Ctrl-K kills to the end; Ctrl-U to the start;
/// Ctrl-W deletes the word before the cursor. A terminal paste arrives as many `.char` keys; `insert(_:)` takes a whole string.
///
/// Drawing scrolls horizontally in terminal cells so the cursor stays visible. `draw` is pure; it starts from
/// `scroll` and moves it only as far as needed, so calling `layout(width:)` after each key makes scrolling sticky
/// (without it the cursor is kept at the right edge once the text is longer than the field).
public struct TextLine: Equatable, Sendable {
    public private(set) var characters: [Character]
    /// Cursor position: 0 … characters.count (before the character with that index).
    public private(set) var cursor: Int
    /// Index of the first character shown; `draw` corrects it when it would hide the cursor.
    public var scroll: Int = 0

    /// A line holding `text`, with the cursor at its end.
    public init(_ text: String = "") {
        characters = TextLine.clean(text)
        cursor = characters.count
    }

    /// The whole text; setting it puts the cursor at the end.
    public var text: String {
        get { String(characters) }
        set {
            characters = TextLine.clean(newValue)
            cursor = characters.count
            scroll = 0
        }
    }

    public var isEmpty: Bool { characters.isEmpty }

    /// Moves the cursor, clamped to the text.
    public mutating func setCursor(_ index: Int) { cursor = min(max(0, index), characters.count) }

    /// Applies a key (`Keymaps.textLine`, or a printable character typed); returns false when the key is not an editing key
    /// (↑, ↓, Enter, Tab, Esc…) so the owner can use it.
    @discardableResult
    public mutating func handle(_ key: Key) -> Bool {
        if let action = Keymaps.textLine.action(for: key) { return perform(action) }
        guard case .char(let c) = key, !c.isControlCharacter else { return false }
        cursor = TextEditing.insert(c, into: &characters, at: cursor)
        return true
    }

    /// Carries out an editing action of `Keymaps.textLine`; false for any other action.
    @discardableResult
    public mutating func perform(_ action: Action) -> Bool {
        switch action {
        case .cursorLeft: cursor = max(0, cursor - 1)
        case .cursorRight: cursor = min(characters.count, cursor + 1)
        case .lineStart: cursor = 0
        case .lineEnd: cursor = characters.count
        case .deleteBackward:
            if cursor > 0 { characters.remove(at: cursor - 1); cursor -= 1 }
        case .deleteForward:
            if cursor < characters.count { characters.remove(at: cursor) }
        case .killToEnd: characters.removeSubrange(cursor...)
        case .killToStart:
            characters.removeSubrange(..<cursor)
            cursor = 0
        case .deleteWord:
            let start = TextEditing.wordStart(characters, before: cursor)
            characters.removeSubrange(start..<cursor)
            cursor = start
        default:
            return false
        }
        return true
    }

    /// Inserts a string at the cursor (a paste): line breaks and tabs become spaces, other control characters are dropped.
    public mutating func insert(_ string: String) {
        var added = TextLine.clean(string)
        guard !added.isEmpty else { return }
        let first = added.removeFirst()
        cursor = TextEditing.insert(first, into: &characters, at: cursor)
        characters.insert(contentsOf: added, at: cursor)
        cursor += added.count
    }

    private static func clean(_ text: String) -> [Character] {
        var result: [Character] = []
        result.reserveCapacity(text.utf8.count)
        for c in text {
            if c.isLineBreak || c == "\t" { result.append(" ") } else if !c.isControlCharacter { result.append(c) }
        }
        return result
    }

    /// Cells the cursor takes: the character under it, or one cell past the end.
    private var cursorCells: Int { cursor < characters.count ? max(1, TextWidth.of(characters[cursor])) : 1 }

    /// The first character shown in a field `width` cells wide: `scroll` moved just enough to show the cursor,
    /// and pulled back when there would be empty cells at the right.
    public func visibleStart(width: Int) -> Int {
        guard width > 0 else { return cursor }
        var start = min(max(0, scroll), cursor)
        var used = TextEditing.cells(characters, start..<cursor)
        while start < cursor, used + cursorCells > width {
            used -= TextWidth.of(characters[start])
            start += 1
        }
        // Cells from the cursor to the end (plus the cell after the end), counted only up to the width.
        var tail = 1
        var i = cursor
        while i < characters.count, used + tail <= width {
            tail += TextWidth.of(characters[i])
            i += 1
        }
        while start > 0, used + tail + TextWidth.of(characters[start - 1]) <= width {
            start -= 1
            used += TextWidth.of(characters[start])
        }
        return start
    }

    /// Makes the scrolling for a field `width` cells wide stick (call after a key, before drawing).
    public mutating func layout(width: Int) { scroll = visibleStart(width: width) }

    /// The cursor's column within a field `width` cells wide.
    public func cursorColumn(width: Int) -> Int {
        guard width > 0 else { return 0 }
        return min(width - 1, TextEditing.cells(characters, visibleStart(width: width)..<cursor))
    }

    /// Draws the visible part of the text in `width` cells at (x, y), filling the rest with `role`.
    /// When focused the cursor's cell is drawn in the `selection` role. Returns the cursor's screen column (nil when `width` is 0).
    @discardableResult
    public func draw(into canvas: inout Canvas, x: Int, y: Int, width: Int, focused: Bool, role: Role = .text) -> Int? {
        guard width > 0 else { return nil }
        canvas.fill(Rect(x: x, y: y, width: width, height: 1), role: role)
        let start = visibleStart(width: width)
        var shown = ""
        var used = 0
        var cursorColumn = 0
        var i = start
        while i < characters.count {
            let w = TextWidth.of(characters[i])
            if used + w > width { break }
            if i == cursor { cursorColumn = used }
            shown.append(characters[i])
            used += w
            i += 1
        }
        if cursor >= i { cursorColumn = min(used, width - 1) }
        canvas.put(shown, x: x, y: y, role: role, maxWidth: width, ellipsis: false)
        if focused { canvas.highlight(x: x + cursorColumn, y: y, role: .selection) }
        return x + cursorColumn
    }
}
