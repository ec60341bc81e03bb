@testable import CaseloadUI
import CaseloadCore
import CaseloadDemo
import Foundation
import Testing

/// Text drawn from the bytes of ASCII runs, and hours written without the formatter, equal the long way.
@Suite struct DrawingFastPathTests {
    /// `put` as it was: the fitted text walked character by character.
    static func referencePut(_ canvas: inout Canvas, _ text: String, x: Int, y: Int, maxWidth: Int?, ellipsis: Bool) {
        guard y >= 0, y < canvas.height, x < canvas.width else { return }
        let limit = min(maxWidth ?? (canvas.width - x), canvas.width - x)
        guard limit > 0 else { return }
        var cx = x
        for character in TextWidth.fit(text, width: limit, ellipsis: ellipsis) {
            let w = TextWidth.of(character)
            if w == 0 { continue }
            let shown = character.unicodeScalars.contains { $0.properties.generalCategory == .control } ? "?" : String(character)
            if cx >= 0 {
                canvas.set(cx, y, Cell(text: shown, role: .header, bold: true))
                if w == 2 { canvas.set(cx + 1, y, Cell(text: "", role: .header, bold: true, isContinuation: true)) }
            }
            cx += w
        }
    }

    @Test func drawnTextEqualsTextDrawnCharacterByCharacter() {
        let pieces = ["a", "Z", " ", "\r\n", "\t", "\u{7F}", "\u{1B}", "e\u{301}", "\u{301}", "é", "–", "…", "漢", "😀", "🇫🇷", "👩‍👩‍👧",
                      "\u{600}1", "\u{85}", "✓", "Nguyễn"]
        var random = SeededGenerator(seed: 5)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        for _ in 0..<2000 {
            let text = (0..<pick(14)).map { _ in pick(3) == 0 ? pieces[pick(pieces.count)] : String(UnicodeScalar(UInt8(0x20 + pick(0x5F)))) }.joined()
            let x = pick(24) - 4, width = pick(3) == 0 ? nil : pick(16)
            let ellipsis = pick(2) == 0
            // Drawn over text already there, so a wide character cut in half is seen to blank its other half the same way.
            var fast = Canvas(width: 20, height: 1)
            fast.put("漢字漢字漢字漢字漢字", x: 0, y: 0)
            var reference = fast
            let used = fast.put(text, x: x, y: 0, role: .header, bold: true, maxWidth: width, ellipsis: ellipsis)
            Self.referencePut(&reference, text, x: x, y: 0, maxWidth: width, ellipsis: ellipsis)
            #expect(fast == reference, "\(text.unicodeScalars.map { String($0.value, radix: 16) }) at \(x) in \(String(describing: width))")
            #expect(used >= 0)
        }
    }

    @Test func hoursAreWrittenAsTheFormatterWritesThem() {
        #expect(hoursText(270) == "4.5")
        #expect(hoursText(45) == "0.8")   // 0.75 exactly: a half, to even
        #expect(hoursText(15) == "0.2")   // 0.25 exactly: a half, to even
        #expect(hoursText(540) == "9")
        for minutes in -700...30_000 {
            let expected = minutes % 60 == 0 ? "\(minutes / 60)" : String(format: "%.1f", Double(minutes) / 60)
            #expect(hoursText(minutes) == expected, "\(minutes) minutes")
        }
    }
}
