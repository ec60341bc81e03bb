import CaseloadCore
import Foundation

/// Where a widget wants the terminal cursor, in screen cells.
public struct CursorPosition: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public init(x: Int, y: Int) { self.x = x; self.y = y }
}

extension Character {
    /// A control character (newline, tab, escape…): never stored in a text widget as typed.
    var isControlCharacter: Bool {
        unicodeScalars.first.map { $0.properties.generalCategory == .control } ?? true
    }

    /// Newline in any of its spellings ("\n", "\r\n", "\r", and the Unicode line separators).
    var isLineBreak: Bool { isNewline }
}

enum TextEditing {
    /// Where the word before `cursor` starts: spaces are skipped first, then non-spaces (Ctrl-W).
    static func wordStart(_ characters: [Character], before cursor: Int) -> Int {
        var i = min(max(0, cursor), characters.count)
        while i > 0, characters[i - 1].isWhitespace { i -= 1 }
        while i > 0, !characters[i - 1].isWhitespace { i -= 1 }
        return i
    }

    /// Inserts one typed character, joining it to the one before when together they are a single grapheme
    /// (a combining accent typed after its letter). Returns the new cursor.
    static func insert(_ character: Character, into characters: inout [Character], at cursor: Int) -> Int {
        let at = min(max(0, cursor), characters.count)
        if at > 0 {
            let joined = String(characters[at - 1]) + String(character)
            if joined.count == 1, let single = joined.first {
                characters[at - 1] = single
                return at
            }
        }
        characters.insert(character, at: at)
        return at + 1
    }

    /// Cells of `characters[range]`.
    static func cells(_ characters: [Character], _ range: Range<Int>) -> Int {
        var total = 0
        for i in range { total += TextWidth.of(characters[i]) }
        return total
    }
}
