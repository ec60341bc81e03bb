import Foundation

/// Terminal cell widths, measured per grapheme cluster: CJK and emoji take two cells, combining marks none.
public enum TextWidth {
    /// Cells taken by one user-perceived character.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x7F { return first.value < 0x20 ? 0 : (scalars.count == 1 ? 1 : clusterWidth(scalars)) }
        return clusterWidth(scalars)
    }

    /// Cells taken by a string.
    public static func of(_ text: some StringProtocol) -> Int {
        if let ascii = asciiWidth(text) { return ascii }
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// Cells taken by a string (a `String`'s characters walked by `forEachCharacter`).
    public static func of(_ text: String) -> Int {
        if let ascii = asciiWidth(text) { return ascii }
        var total = 0
        forEachCharacter(in: text) { _, width, _ in
            total += width
            return true
        }
        return total
    }

    /// Calls `body` with each character of `text` in order: where it is, its width, and its ASCII byte when it is one
    /// ASCII character (nil otherwise); stops when `body` returns false. An ASCII byte followed by another ASCII byte (or
    /// the end) is a character of its own (CR LF aside: two characters of no width here, one of no width for
    /// `Character`), so runs of ASCII are read from the bytes and only the rest walks grapheme clusters, which costs far
    /// more and is most of what the screen draws otherwise.
    @inlinable
    public static func forEachCharacter(in text: String, _ body: (Range<String.Index>, Int, UInt8?) -> Bool) {
        let utf8 = text.utf8
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let byte = utf8[i]
            let after = utf8.index(after: i)
            if byte < 0x80 && (after == utf8.endIndex || utf8[after] < 0x80) {
                guard body(i..<after, byte >= 0x20 && byte < 0x7F ? 1 : 0, byte) else { return }
                i = after
                continue
            }
            let next = text.index(after: i)
            guard body(i..<next, of(text[i]), nil) else { return }
            i = next
        }
    }

    /// The width of an all-ASCII text read from its bytes (every byte a character of one cell, controls and DEL none:
    /// what `of(_ character:)` gives each, CR LF included); nil when the text has a non-ASCII byte. Most of what the
    /// screen draws is ASCII, and walking grapheme clusters costs far more than counting bytes.
    static func asciiWidth(_ text: some StringProtocol) -> Int? {
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var width = 0
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte >= 0x20 && byte < 0x7F { width += 1 }
            }
            return width
        }
        if let fast { return fast }
        var width = 0
        for byte in text.utf8 {
            if byte >= 0x80 { return nil }
            if byte >= 0x20 && byte < 0x7F { width += 1 }
        }
        return width
    }

    private static func clusterWidth(_ scalars: Character.UnicodeScalarView) -> Int {
        var base: Unicode.Scalar? = nil
        var emojiVariant = false
        for scalar in scalars {
            if scalar.value == 0xFE0F { emojiVariant = true; continue }
            if base == nil, !isZeroWidth(scalar) { base = scalar }
        }
        guard let base else { return 0 }
        if base.properties.isEmojiPresentation { return 2 }
        if emojiVariant && base.properties.isEmoji && base.value > 0xFF { return 2 }
        // A regional-indicator pair (a flag) is one emoji.
        if (0x1F1E6...0x1F1FF).contains(base.value) { return 2 }
        return isWide(base) ? 2 : 1
    }

    /// Combining marks, enclosing marks, format characters and joiners take no cell of their own.
    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return true
        default: break
        }
        return scalar.value == 0x200B || (0x1160...0x11FF).contains(scalar.value) // zero-width space; Hangul jamo medials/finals
    }

    /// East Asian Wide and Fullwidth ranges (Unicode 15, the parts terminals agree on).
    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3, 0x25FD...0x25FE,
             0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE,
             0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705,
             0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF,
             0x2B1B...0x2B1C, 0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF,
             0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The longest prefix of `text` that fits in `width` cells, never splitting a wide character; with `ellipsis`, a cut string ends in "…".
    public static func fit(_ text: String, width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if let ascii = asciiWidth(text) {
            if ascii <= width { return text }
            // Every byte is a character: the prefix is counted in bytes (controls take no cell and are kept, as below).
            let budget = ellipsis ? width - 1 : width
            var used = 0
            var end = text.utf8.startIndex
            for byte in text.utf8 {
                let w = byte >= 0x20 && byte < 0x7F ? 1 : 0
                if used + w > budget { break }
                used += w
                end = text.utf8.index(after: end)
            }
            let prefix = String(text[..<end])
            return ellipsis ? prefix + "…" : prefix
        }
        if of(text) <= width { return text }
        let budget = ellipsis ? width - 1 : width
        var used = 0
        var end = text.startIndex
        forEachCharacter(in: text) { range, w, _ in
            if used + w > budget { return false }
            used += w
            end = range.upperBound
            return true
        }
        let result = String(text[..<end])
        return ellipsis ? result + "…" : result
    }

    /// `text` fitted to exactly `width` cells: cut with an ellipsis, or padded with spaces (on the right, or the left when `alignRight`).
    public static func pad(_ text: String, width: Int, alignRight: Bool = false) -> String {
        let fitted = fit(text, width: width)
        let gap = max(0, width - of(fitted))
        return alignRight ? String(repeating: " ", count: gap) + fitted : fitted + String(repeating: " ", count: gap)
    }
}
