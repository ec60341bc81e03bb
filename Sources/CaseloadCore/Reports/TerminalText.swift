import Foundation

/// Shows text from a file on a terminal without letting it drive the terminal: control characters become visible marks.
public enum TerminalText {
    /// Whether `scalar` is a control character a terminal may act on: C0 (below U+0020), DEL, or C1 (U+0080–U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
    }

    /// A control character as it is shown: `^[` for ESC, `^G` for BEL, `^?` for DEL, `\u{9B}` for a C1 character.
    public static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0..<0x20: return "^" + String(Character(Unicode.Scalar(UInt8(scalar.value + 0x40))))
        case 0x7F: return "^?"
        default: return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        }
    }

    /// `text` with every control character shown visibly. With `multiLine` (the default) newlines, tabs and the CR of a
    /// CRLF pair (CSV and iCalendar line ends) are kept as they are; without it, they are shown too.
    public static func safe(_ text: String, multiLine: Bool = true) -> String {
        // Fast path: most text has nothing to replace.
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            if !isControl(scalar) { out.append(scalar); continue }
            if multiLine {
                if scalar == "\n" || scalar == "\t" { out.append(scalar); continue }
                if scalar == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" { out.append(scalar); continue }
            }
            out.append(contentsOf: visible(scalar).unicodeScalars)
        }
        return String(out)
    }
}
