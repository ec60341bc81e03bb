import CaseloadCore
import Foundation

/// Where a form's parts go inside its rectangle.
struct FormGeometry {
    /// Inside the box.
    var inner: Rect
    /// Rows for fields (the inner height less the footer).
    var contentHeight: Int
    var labelWidth: Int
    /// Value column, relative to `inner.x`.
    var valueX: Int
    var valueWidth: Int
    /// Per field: first content row and rows taken (its value, then an error or hint line).
    var blocks: [(start: Int, height: Int, valueRows: Int)]
    var total: Int
}

extension Form {
    // The footers say the focused field's keys, from the tables (Keymaps.form and the field kinds').
    public static let footer = Keymap.footer([Keymaps.form.short(.submit), Keymaps.form.short(.cancel), Keymaps.form.short(.nextField)])
    public static let multilineFooter = Keymap.footer([Keymaps.form.short(.submit, keys: [.ctrl("s")]), Keymaps.form.short(.cancel),
                                                       Keymaps.form.short(.nextField), Keymaps.textArea.short(.newline)])
    public static let listFooter = Keymap.footer([Keymaps.listField.short(.listAdd), Keymaps.listField.short(.listEdit),
                                                  Keymaps.listField.short(.listRemove, keys: [.char("x")]),
                                                  Keymaps.form.short(.submit, keys: [.ctrl("s")]), Keymaps.form.short(.cancel)])

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Tue 1 Dec 2026".
    public static func dateText(_ date: LocalDate) -> String {
        "\(date.weekday.shortName) \(date.day) \(months[date.month - 1]) \(date.year)"
    }

    private func labelText(_ field: FormField) -> String { field.label + (field.required ? " *" : "") }

    /// The line under a field: its error, else (while focused) what typing into a choice did not match, else its hint.
    /// A hint is labelled as one, so that an example ("e.g. 18:00, 6pm") never reads as a value even without colour.
    private func noteLine(_ index: Int) -> (String, Role)? {
        let field = fields[index]
        if let error = errors[field.id] { return ("⚠ " + error, .errorMessage) }
        if index == focus, let notice = choiceNotice { return ("⚠ " + notice, .statusWarning) }
        if index == focus, let hint = field.hint, !hint.isEmpty { return (Form.hintPrefix + hint, .dim) }
        return nil
    }

    /// Put before a field's hint under it: "hint: e.g. 18:00, 6pm".
    public static let hintPrefix = "hint: "

    func geometry(_ rect: Rect) -> FormGeometry {
        let inner = rect.inset(1)
        let contentHeight = inner.height >= 2 ? inner.height - 1 : inner.height
        let widest = fields.map { TextWidth.of(labelText($0)) }.max() ?? 0
        let labelWidth = max(0, min(widest, (inner.width - 2) / 3))
        let valueX = labelWidth > 0 ? 1 + labelWidth + 1 : 1
        let valueWidth = max(0, inner.width - valueX - 1)
        var blocks: [(start: Int, height: Int, valueRows: Int)] = []
        var row = 0
        for (index, field) in fields.enumerated() {
            let valueRows: Int
            switch field.kind {
            case .multiline: valueRows = min(field.rows, max(1, contentHeight - 1))
            case .list(let items, _): valueRows = max(1, min(items.count, field.rows))
            default: valueRows = 1
            }
            let height = valueRows + (noteLine(index) == nil ? 0 : 1)
            blocks.append((row, height, valueRows))
            row += height
        }
        return FormGeometry(inner: inner, contentHeight: contentHeight, labelWidth: labelWidth, valueX: valueX,
                            valueWidth: valueWidth, blocks: blocks, total: row)
    }

    /// The first content row shown: `scroll` moved just enough to show the focused field (its top when it is taller than the area).
    func visibleStart(_ g: FormGeometry) -> Int {
        var start = min(max(0, scroll), max(0, g.total - g.contentHeight))
        if g.blocks.indices.contains(focus) {
            let block = g.blocks[focus]
            if block.start + block.height > start + g.contentHeight { start = block.start + block.height - g.contentHeight }
            if block.start < start { start = block.start }
        }
        return max(0, start)
    }

    /// Rows a form needs at `width` to show every field without scrolling (box and footer included).
    public func preferredHeight(width: Int) -> Int {
        geometry(Rect(x: 0, y: 0, width: width, height: 1000)).total + 3
    }

    /// A rectangle centred in `screen` for this form: at most `maxWidth` wide, as tall as the fields need.
    public func overlayRect(in screen: Rect, maxWidth: Int = 72) -> Rect {
        let width = min(screen.width, maxWidth)
        let height = min(screen.height, preferredHeight(width: width))
        return Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width: width, height: height)
    }

    /// Makes scrolling sticky and tells multiline fields the width and height they will be drawn at, so ↑/↓ and PgUp/PgDn
    /// move by the rows shown. Call after each key (and on resize) with the rectangle `draw` will get.
    public mutating func layout(in rect: Rect) {
        let g = geometry(rect)
        scroll = visibleStart(g)
        for index in fields.indices {
            switch fields[index].kind {
            case .multiline(var area):
                area.layout(width: max(1, g.valueWidth), height: g.blocks[index].valueRows)
                fields[index].kind = .multiline(area)
            case .text(var line):
                line.layout(width: g.valueWidth)
                fields[index].kind = .text(line)
            case .date(var line):
                line.layout(width: dateInputWidth(line, valueWidth: g.valueWidth))
                fields[index].kind = .date(line)
            default: break
            }
        }
    }

    /// Cells for a date's text: room is left for the resolved date beside it when the field is wide enough.
    private func dateInputWidth(_ line: TextLine, valueWidth: Int) -> Int {
        // "→ Wed 30 Dec 2026" is 17 cells, plus a gap.
        let room = valueWidth - 18
        return room >= 8 ? min(room, max(12, TextWidth.of(line.text) + 1)) : valueWidth
    }

    /// Draws the form as a boxed overlay filling `rect`; returns where the terminal cursor belongs (nil when the focused
    /// field has no text cursor or is not visible).
    @discardableResult
    public func draw(into canvas: inout Canvas, rect: Rect, today: LocalDate) -> CursorPosition? {
        guard !rect.isEmpty else { return nil }
        canvas.fill(rect, role: .overlay)
        canvas.box(rect, title: title, role: .overlayBorder, titleRole: .overlayTitle)
        let g = geometry(rect)
        guard g.inner.width > 0, g.inner.height > 0 else { return nil }

        // Fields are drawn onto a canvas as tall as all of them, then the visible rows are copied.
        var content = Canvas(width: g.inner.width, height: g.total)
        content.fill(content.bounds, role: .overlay)
        var cursor: CursorPosition? = nil
        for index in fields.indices {
            let found = drawField(index, into: &content, y: g.blocks[index].start, geometry: g, today: today)
            if index == focus { cursor = found }
        }
        let start = visibleStart(g)
        canvas.copyRows(of: content, from: start, count: min(g.contentHeight, g.total - start), toX: g.inner.x, y: g.inner.y)
        if start > 0 { canvas.put("↑", x: rect.maxX - 2, y: rect.y, role: .overlayBorder) }
        if start + g.contentHeight < g.total { canvas.put("↓", x: rect.maxX - 2, y: rect.maxY - 1, role: .overlayBorder) }

        if g.inner.height >= 2 {
            let footer: String
            switch focusedField?.kind {
            case .multiline?: footer = Form.multilineFooter
            case .list?: footer = Form.listFooter
            default: footer = Form.footer
            }
            canvas.put(footer, x: g.inner.x + 1, y: g.inner.maxY - 1, role: .dim, maxWidth: g.inner.width - 2)
        }

        guard let cursor, cursor.y >= start, cursor.y < start + g.contentHeight, cursor.x < g.inner.width else { return nil }
        return CursorPosition(x: g.inner.x + cursor.x, y: g.inner.y + cursor.y - start)
    }

    /// Draws one field at content row `y`; returns its text cursor in content coordinates.
    private func drawField(_ index: Int, into canvas: inout Canvas, y: Int, geometry g: FormGeometry, today: LocalDate) -> CursorPosition? {
        let field = fields[index]
        let focused = index == focus
        if g.labelWidth > 0 {
            canvas.put(TextWidth.pad(labelText(field), width: g.labelWidth), x: 1, y: y, role: focused ? .selection : .overlay, bold: focused)
        }
        var cursor: CursorPosition? = nil
        let x = g.valueX
        let width = g.valueWidth
        let valueRows = g.blocks[index].valueRows
        if width > 0 {
            switch field.kind {
            case .text(let line):
                if let column = line.draw(into: &canvas, x: x, y: y, width: width, focused: focused, role: .overlay) {
                    cursor = CursorPosition(x: column, y: y)
                }
            case .date(let line):
                let inputWidth = dateInputWidth(line, valueWidth: width)
                if let column = line.draw(into: &canvas, x: x, y: y, width: inputWidth, focused: focused, role: .overlay) {
                    cursor = CursorPosition(x: column, y: y)
                }
                if inputWidth < width, let date = DateInput.parse(line.text, today: today) {
                    canvas.put("→ " + Form.dateText(date), x: x + inputWidth + 1, y: y, role: .dim, maxWidth: width - inputWidth - 1)
                }
            case .choice(let options, let index):
                let option = options.indices.contains(index) ? options[index] : ""
                canvas.put("‹ \(option) ›", x: x, y: y, role: focused ? .selection : .overlay, maxWidth: width)
            case .toggle(let on):
                canvas.put(on ? "[x]" : "[ ]", x: x, y: y, role: focused ? .selection : .overlay, maxWidth: width)
            case .multiline(let area):
                cursor = area.draw(into: &canvas, rect: Rect(x: x, y: y, width: width, height: valueRows), focused: focused, role: .overlay)
            case .list(let items, let selected):
                if items.isEmpty {
                    canvas.put("+ add (a)", x: x, y: y, role: focused ? .selection : .dim, maxWidth: width)
                } else {
                    let first = min(max(0, selected - valueRows + 1), max(0, items.count - valueRows))
                    for row in 0..<valueRows where first + row < items.count {
                        let item = first + row
                        let role: Role = item == selected ? (focused ? .selection : .selectionUnfocused) : .overlay
                        canvas.put(TextWidth.pad("• " + items[item], width: width), x: x, y: y + row, role: role)
                    }
                }
            }
        }
        if let (note, role) = noteLine(index) {
            let noteX = width >= 8 ? x : 1
            canvas.put(note, x: noteX, y: y + valueRows, role: role, maxWidth: g.inner.width - noteX)
        }
        return cursor
    }
}
