@testable import CaseloadCore
import CaseloadDemo
import Foundation
import Testing

/// Widths and cuts read from the bytes of ASCII runs equal those of walking every character.
@Suite struct TextWidthFastPathTests {
    /// Pieces that meet at every kind of boundary: ASCII, controls and CR LF, combining marks after ASCII, wide and emoji
    /// characters, a flag, a joined emoji, a prepended mark that joins the next character, DEL.
    static let pieces = ["a", "Z", " ", "7", "\r\n", "\r", "\n", "\t", "\u{7F}", "\u{1B}", "e\u{301}", "\u{301}", "\u{300}", "é", "–", "·",
                         "…", "漢", "字", "😀", "👍🏽", "🇫🇷", "👩‍👩‍👧", "\u{600}", "\u{600}1", "\u{200B}", "\u{FE0F}", "✓", "✎", "Nguyễn", "José"]

    /// The width walking every character, as before the fast path.
    static func referenceWidth(_ text: String) -> Int { text.reduce(0) { $0 + TextWidth.of($1) } }

    /// The cut walking every character, as before the fast path.
    static func referenceFit(_ text: String, width: Int, ellipsis: Bool) -> String {
        guard width > 0 else { return "" }
        if referenceWidth(text) <= width { return text }
        let budget = ellipsis ? width - 1 : width
        var used = 0
        var result = ""
        for character in text {
            let w = TextWidth.of(character)
            if used + w > budget { break }
            used += w
            result.append(character)
        }
        return ellipsis ? result + "…" : result
    }

    static func texts(count: Int, seed: UInt64) -> [String] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let n = Int(random.next() % 12)
            // Mostly ASCII, as the screen is, with the other pieces mixed in.
            return (0..<n).map { _ in
                random.next() % 3 == 0 ? pieces[Int(random.next() % UInt64(pieces.count))] : String(UnicodeScalar(UInt8(0x20 + random.next() % 0x5F)))
            }.joined()
        }
    }

    @Test func widthsEqualThoseOfEveryCharacter() {
        #expect(TextWidth.of("Group note: (no topic)") == 22)
        #expect(TextWidth.of("a\r\nb\u{7F}") == 2)
        #expect(TextWidth.of("18:00–19:30") == 11)
        #expect(TextWidth.of("e\u{301}x") == 2)
        for text in Self.texts(count: 3000, seed: 1) {
            #expect(TextWidth.of(text) == Self.referenceWidth(text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(TextWidth.of(text[...]) == Self.referenceWidth(text))
        }
    }

    @Test func cutsEqualThoseOfEveryCharacter() {
        #expect(TextWidth.fit("abcdef", width: 4) == "abc…")
        #expect(TextWidth.fit("abcdef", width: 4, ellipsis: false) == "abcd")
        #expect(TextWidth.fit("ab漢字", width: 4) == "ab…")
        for text in Self.texts(count: 1500, seed: 2) {
            for width in 0...14 {
                for ellipsis in [true, false] {
                    #expect(TextWidth.fit(text, width: width, ellipsis: ellipsis) == Self.referenceFit(text, width: width, ellipsis: ellipsis),
                            "\(text.unicodeScalars.map { String($0.value, radix: 16) }) in \(width)")
                }
            }
        }
    }

    @Test func everyCharacterIsVisitedOnceInOrder() {
        for text in Self.texts(count: 1000, seed: 3) {
            var pieces: [String] = []
            var widths = 0
            TextWidth.forEachCharacter(in: text) { range, width, ascii in
                pieces.append(String(text[range]))
                widths += width
                if let ascii { #expect(text.utf8[range.lowerBound] == ascii && text.utf8.index(after: range.lowerBound) == range.upperBound) }
                return true
            }
            #expect(pieces.joined() == text)
            #expect(widths == Self.referenceWidth(text))
        }
    }
}
