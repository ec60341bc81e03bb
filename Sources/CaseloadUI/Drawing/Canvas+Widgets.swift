// Canvas operations the widgets need: recolouring a cell, copying rows from a canvas drawn off-screen.

extension Canvas {
    /// Gives the character at (x, y) another role, keeping its text; a wide character is recoloured whole.
    mutating func highlight(x: Int, y: Int, role: Role) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        var x = x
        if self[x, y].isContinuation, x > 0 { x -= 1 }
        var cell = self[x, y]
        cell.role = role
        let wide = x + 1 < width && self[x + 1, y].isContinuation
        set(x, y, cell)
        if wide { set(x + 1, y, Cell(text: "", role: role, bold: cell.bold, isContinuation: true)) }
    }

    /// Copies the rows `from..<from + count` of `other` to (x, y) on this canvas.
    mutating func copyRows(of other: Canvas, from: Int, count: Int, toX x: Int, y: Int) {
        for row in stride(from: 0, to: count, by: 1) where from + row >= 0 && from + row < other.height {
            for column in 0..<other.width { set(x + column, y + row, other[column, from + row]) }
        }
    }
}
