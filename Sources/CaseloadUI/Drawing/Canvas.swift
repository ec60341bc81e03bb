import CaseloadCore
import Foundation

/// What a cell is for; themes give each role its colours and attributes, so code never names a colour.
public enum Role: String, CaseIterable, Sendable, Codable {
    case text, dim, titleBar, titleBarDim, border, borderFocused, paneTitle, paneTitleFocused
    case selection, selectionUnfocused, header, hintKey, hintText, statusOK, statusWarning, statusError
    case groupBlock, individualBlock, familyBlock, cancelledBlock, highlightBlock, today, nowLine
    case meterOK, meterBehind, meterMissed, flag, overlay, overlayBorder, overlayTitle, commandLine, message, errorMessage
}

/// One terminal cell: a grapheme (or "" for the right half of a wide one), with its role.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var role: Role
    public var bold: Bool
    /// True for the second cell of a two-cell character: nothing is drawn there.
    public var isContinuation: Bool

    public init(text: String = " ", role: Role = .text, bold: Bool = false, isContinuation: Bool = false) {
        self.text = text; self.role = role; self.bold = bold; self.isContinuation = isContinuation
    }
    public static let blank = Cell()
}

/// A rectangle in cells.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
    /// The rectangle shrunk by `n` cells on every side.
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
}

/// Each ASCII character as a cell's text, made once.
private let asciiCellTexts: [String] = (0..<128).map { String(Character(Unicode.Scalar(UInt8($0)))) }

/// A grid of styled cells that views draw into; the backend puts it on the screen, tests read it as text.
public struct Canvas: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Sets one cell; outside the canvas it does nothing. Overwriting half of a wide character blanks the other half.
    mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = y * width + x
        if cells[i].isContinuation, x > 0 { cells[i - 1] = Cell(text: " ", role: cells[i - 1].role) }
        if x + 1 < width, cells[i + 1].isContinuation { cells[i + 1] = Cell(text: " ", role: cells[i + 1].role) }
        cells[i] = cell
    }

    /// Draws `text` at (x, y) within `maxWidth` cells (default: to the right edge), cut with "…" when it does not fit; never splits a wide character. Returns the cells used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role = .text, bold: Bool = false, maxWidth: Int? = nil, ellipsis: Bool = true) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(maxWidth ?? (width - x), width - x)
        guard limit > 0 else { return 0 }
        let fitted = TextWidth.fit(text, width: limit, ellipsis: ellipsis)
        var cx = x
        // ASCII characters are drawn from their bytes (see `TextWidth.forEachCharacter`): most of the screen is ASCII,
        // and walking grapheme clusters is most of a frame's cost.
        TextWidth.forEachCharacter(in: fitted) { range, w, ascii in
            // A lone combining mark or control: attach nothing visible, keep the grid aligned.
            guard w > 0 else { return true }
            let shown: String
            if let ascii {
                shown = asciiCellTexts[Int(ascii)]
            } else {
                let character = fitted[range.lowerBound]
                shown = character.unicodeScalars.contains { $0.properties.generalCategory == .control } ? "?" : String(character)
            }
            if cx >= 0 {
                set(cx, y, Cell(text: shown, role: role, bold: bold))
                if w == 2 { set(cx + 1, y, Cell(text: "", role: role, bold: bold, isContinuation: true)) }
            }
            cx += w
            return true
        }
        return cx - x
    }

    /// Fills a rectangle with spaces of a role.
    public mutating func fill(_ rect: Rect, role: Role) {
        // stride, not a range: an off-canvas rectangle gives an empty loop, never a trap.
        for y in stride(from: max(0, rect.y), to: min(height, rect.maxY), by: 1) {
            for x in stride(from: max(0, rect.x), to: min(width, rect.maxX), by: 1) { set(x, y, Cell(text: " ", role: role)) }
        }
    }

    /// Draws a box with an optional title in its top border.
    public mutating func box(_ rect: Rect, title: String? = nil, role: Role = .border, titleRole: Role = .paneTitle) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let (l, r, t, b) = (rect.x, rect.maxX - 1, rect.y, rect.maxY - 1)
        for x in (l + 1)..<r { set(x, t, Cell(text: "─", role: role)); set(x, b, Cell(text: "─", role: role)) }
        for y in (t + 1)..<b { set(l, y, Cell(text: "│", role: role)); set(r, y, Cell(text: "│", role: role)) }
        set(l, t, Cell(text: "┌", role: role)); set(r, t, Cell(text: "┐", role: role))
        set(l, b, Cell(text: "└", role: role)); set(r, b, Cell(text: "┘", role: role))
        if let title, rect.width > 4 {
            put(" \(title) ", x: l + 1, y: t, role: titleRole, bold: true, maxWidth: rect.width - 2)
        }
    }

    /// Copies another canvas onto this one at (x, y).
    public mutating func draw(_ other: Canvas, at x: Int, _ y: Int) {
        for oy in 0..<other.height {
            for ox in 0..<other.width { set(x + ox, y + oy, other[ox, oy]) }
        }
    }

    /// The screen as text, one string per row, trailing spaces trimmed: what snapshot tests compare.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    public var text: String { lines.joined(separator: "\n") }
}
