/// The first visible row of a list of `count` rows shown `rows` at a time, keeping `index` near the middle.
func listTop(index: Int, count: Int, rows: Int) -> Int {
    max(0, min(min(index, count - 1) - rows / 2, count - rows))
}

/// Draws the visible rows of a list, keeping the selected one in view and highlighted; `drawRow` draws one item at its row.
func drawListRows<Item>(_ canvas: inout Canvas, items: [Item], selected: Int, focused: Bool, area: Rect,
                        drawRow: (inout Canvas, Item, Int, Role, Bool) -> Void) {
    guard !items.isEmpty, area.height > 0 else { return }
    let index = min(max(0, selected), items.count - 1)
    let top = listTop(index: index, count: items.count, rows: area.height)
    for row in 0..<area.height {
        let i = top + row
        guard i < items.count else { break }
        let y = area.y + row
        let isSelected = i == index
        let role: Role = isSelected ? (focused ? .selection : .selectionUnfocused) : .text
        if isSelected { canvas.fill(Rect(x: area.x, y: y, width: area.width, height: 1), role: role) }
        drawRow(&canvas, items[i], y, role, isSelected)
    }
}
