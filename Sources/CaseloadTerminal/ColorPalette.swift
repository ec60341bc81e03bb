import CaseloadUI

/// How many colours the terminal can show: none (or `NO_COLOR`), 8, 16, or the xterm 256.
public enum ColorCapability: Equatable, Sendable {
    case none, eight, sixteen, c256

    /// The capability for a terminal reporting `colorCount` colours (curses `COLORS`); `noColor` forces `.none`.
    public init(colorCount: Int, noColor: Bool = false) {
        if noColor || colorCount < 8 {
            self = .none
        } else if colorCount >= 256 {
            self = .c256
        } else if colorCount >= 16 {
            self = .sixteen
        } else {
            self = .eight
        }
    }
}

/// Pure mapping from theme colours to curses colour numbers; testable without a terminal.
public enum ColorPalette {
    /// The curses colour number for `value`, or nil when the terminal shows no colours (attributes only).
    /// `.terminalDefault` is -1 (meaningful after `use_default_colors`).
    public static func cursesColor(_ value: ColorValue, capability: ColorCapability) -> Int? {
        switch (value, capability) {
        case (_, .none):
            return nil
        case (.terminalDefault, _):
            return -1
        case (.indexed(let n), .c256):
            return min(255, max(0, n))
        case (.indexed(let n), .sixteen):
            let n = min(255, max(0, n))
            if n < 16 { return n }
            let (r, g, b) = rgb(ofIndex: n)
            return nearestBasic(r, g, b, count: 16)
        case (.indexed(let n), .eight):
            let n = min(255, max(0, n))
            if n < 8 { return n }
            if n < 16 { return n - 8 }
            let (r, g, b) = rgb(ofIndex: n)
            return nearestBasic(r, g, b, count: 8)
        case (.rgb(let r, let g, let b), .c256):
            return nearest256(r, g, b)
        case (.rgb(let r, let g, let b), .sixteen):
            return nearestBasic(r, g, b, count: 16)
        case (.rgb(let r, let g, let b), .eight):
            return nearestBasic(r, g, b, count: 8)
        }
    }

    /// The style to use when the terminal has no colours: a role whose background differs from the
    /// text background (a selection bar, a title bar) is shown in reverse video so it stays visible.
    public static func attributesOnly(_ style: RoleStyle, textBackground: ColorValue) -> RoleStyle {
        var result = style
        result.foreground = .terminalDefault
        result.background = .terminalDefault
        if style.background != textBackground && style.background != .terminalDefault {
            result.reverse = true
        }
        return result
    }

    /// The 6×6×6 cube levels of the xterm 256-colour palette.
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// xterm's default RGB for the 16 basic colours.
    static let basic: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// The nearest xterm-256 entry (cube 16–231 or grey ramp 232–255; never 0–15, whose RGB varies by terminal).
    public static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int {
        let (ri, gi, bi) = (nearestLevel(Int(r)), nearestLevel(Int(g)), nearestLevel(Int(b)))
        let cube = 16 + 36 * ri + 6 * gi + bi
        let cubeDistance = distance((Int(r), Int(g), Int(b)), (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi]))
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = min(23, max(0, (average - 8 + 5) / 10))
        let greyValue = 8 + 10 * greyStep
        let greyDistance = distance((Int(r), Int(g), Int(b)), (greyValue, greyValue, greyValue))
        return greyDistance < cubeDistance ? 232 + greyStep : cube
    }

    /// The nearest of the first `count` (8 or 16) basic colours by RGB distance.
    public static func nearestBasic(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> Int {
        let target = (Int(r), Int(g), Int(b))
        var best = 0
        var bestDistance = Int.max
        for index in 0..<min(max(count, 1), basic.count) {
            let d = distance(target, basic[index])
            if d < bestDistance { best = index; bestDistance = d }
        }
        return best
    }

    /// The RGB of an xterm-256 palette entry.
    public static func rgb(ofIndex index: Int) -> (UInt8, UInt8, UInt8) {
        let n = min(255, max(0, index))
        let value: (Int, Int, Int)
        if n < 16 {
            value = basic[n]
        } else if n < 232 {
            let c = n - 16
            value = (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
        } else {
            let grey = 8 + 10 * (n - 232)
            value = (grey, grey, grey)
        }
        return (UInt8(value.0), UInt8(value.1), UInt8(value.2))
    }

    private static func nearestLevel(_ v: Int) -> Int {
        var best = 0
        for (i, level) in cubeLevels.enumerated() where abs(level - v) < abs(cubeLevels[best] - v) { best = i }
        return best
    }

    private static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }
}
