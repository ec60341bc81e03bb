import CaseloadCore
import Foundation

/// One thing a `Picker` offers.
public struct PickerItem: Equatable, Sendable {
    /// What the caller gets back in `Picker.selected` (a patient id, say).
    public var id: String
    /// The name shown.
    public var label: String
    /// Shown dimmed after the label, e.g. "MRN RV-10012 · Phase II".
    public var detail: String
    /// What the filter matches, folded with `PatientSearch.fold` (accents and case removed).
    public var searchText: String

    /// An item; `searchText` defaults to the label and detail, and is folded here either way (folding twice is harmless).
    public init(id: String, label: String, detail: String = "", searchText: String? = nil) {
        self.id = id
        self.label = label
        self.detail = detail
        self.searchText = PatientSearch.fold(searchText ?? (label + " " + detail))
    }
}

/// What a key did to a picker.
public enum PickerOutcome: Equatable, Sendable {
    case none
    /// Enter: in single mode `selected` now holds the highlighted item; in multiple mode `selected` is the chosen set.
    case done
    /// Esc.
    case cancel
}

/// A filterable list to pick one item (`multiple == false`) or several. A pure value: `handle` changes it, `draw` renders it
/// as a boxed overlay.
///
/// Keys: printable characters type into the filter (folded: accents and case are ignored; every word must occur in an item's
/// `searchText`); Backspace, Ctrl-U, Ctrl-W, ←/→, Home/End edit it as in a `TextLine`. ↓/↑ and Ctrl-N/Ctrl-P move the highlight,
/// PgDn/PgUp by a page. In multiple mode Space chooses or unchooses the highlighted item (so the filter cannot hold a space
/// there) and Enter finishes with the chosen set, which survives filter changes; in single mode Enter picks the highlighted
/// item (and does nothing when nothing matches). Esc cancels.
public struct Picker: Equatable, Sendable {
    public var title: String
    public private(set) var items: [PickerItem]
    public let multiple: Bool
    /// Ids of the chosen items (in single mode: the item picked with Enter, or the one passed in).
    public var selected: Set<String>
    public private(set) var filter: TextLine
    /// The items matching the filter, in the order given; recomputed only when the filter or the items change.
    public private(set) var filtered: [PickerItem]
    /// Index of the highlighted item in `filtered`, always in range (0 when it is empty). A filter change keeps the highlighted
    /// item when it still matches, and otherwise goes back to the first match.
    public private(set) var highlight: Int
    /// First row of `filtered` shown; `draw` corrects it when it would hide the highlight, `layout(in:)` makes that stick.
    public var scroll: Int = 0
    /// Rows PgUp/PgDn move: the list rows shown at the last `layout(in:)`.
    public var pageHeight: Int = 10
    /// Widest label and detail, in cells, over all items: the columns do not jump while filtering.
    private var labelColumn: Int
    private var detailColumn: Int

    public init(title: String, items: [PickerItem], multiple: Bool, selected: Set<String> = []) {
        self.title = title
        self.items = items
        self.multiple = multiple
        self.selected = selected
        filter = TextLine()
        filtered = items
        highlight = items.firstIndex { selected.contains($0.id) } ?? 0
        labelColumn = items.map { TextWidth.of($0.label) }.max() ?? 0
        detailColumn = items.map { TextWidth.of($0.detail) }.max() ?? 0
    }

    // MARK: State

    public var filterText: String { filter.text }

    public var highlighted: PickerItem? { filtered.indices.contains(highlight) ? filtered[highlight] : nil }

    /// The chosen items in the order the items were given.
    public var chosen: [PickerItem] { items.filter { selected.contains($0.id) } }

    /// True when `item` matches every word of `query` (folded here).
    public static func matches(_ item: PickerItem, query: String) -> Bool {
        let words = PatientSearch.fold(query).split(whereSeparator: \.isWhitespace)
        return words.allSatisfy { item.searchText.contains($0) }
    }

    /// Replaces the items (keeping the filter, the chosen ids and, when it is still there, the highlighted item).
    public mutating func setItems(_ newItems: [PickerItem]) {
        items = newItems
        labelColumn = items.map { TextWidth.of($0.label) }.max() ?? 0
        detailColumn = items.map { TextWidth.of($0.detail) }.max() ?? 0
        refilter()
    }

    /// Replaces the filter text.
    public mutating func setFilter(_ text: String) {
        filter.text = text
        refilter()
    }

    /// Inserts a string into the filter at its cursor (a paste).
    public mutating func insert(_ string: String) {
        filter.insert(string)
        refilter()
    }

    /// Moves the highlight to an index of `filtered`, clamped.
    public mutating func setHighlight(_ index: Int) {
        highlight = min(max(0, index), max(0, filtered.count - 1))
    }

    /// Chooses or unchooses the highlighted item (multiple mode; single mode only ever holds one).
    public mutating func toggleHighlighted() {
        guard let item = highlighted else { return }
        if selected.contains(item.id) {
            selected.remove(item.id)
        } else if multiple {
            selected.insert(item.id)
        } else {
            selected = [item.id]
        }
    }

    /// Recomputes `filtered`, keeping the highlighted item when it still matches, else highlighting the first match.
    private mutating func refilter() {
        let previous = highlighted?.id
        let words = PatientSearch.fold(filter.text).split(whereSeparator: \.isWhitespace)
        filtered = words.isEmpty ? items : items.filter { item in words.allSatisfy { item.searchText.contains($0) } }
        if let previous, let index = filtered.firstIndex(where: { $0.id == previous }) {
            highlight = index
        } else {
            highlight = 0
        }
    }

    // MARK: Keys

    /// A key: `Keymaps.picker`, else it edits the filter (as `Keymaps.textLine`).
    public mutating func handle(_ key: Key) -> PickerOutcome {
        switch Keymaps.picker.action(for: key) {
        case .cancel?: return .cancel
        case .submit?:
            if multiple { return .done }
            guard let item = highlighted else { return .none }
            selected = [item.id]
            return .done
        case .moveDown?: setHighlight(highlight + 1)
        case .moveUp?: setHighlight(highlight - 1)
        case .pageDown?: setHighlight(highlight + max(1, pageHeight))
        case .pageUp?: setHighlight(highlight - max(1, pageHeight))
        case .toggleChoice? where multiple: toggleHighlighted()
        default:
            // Space in a single-choice picker is typed into the filter.
            let before = filter.characters
            filter.handle(key)
            if filter.characters != before { refilter() }
        }
        return .none
    }
}

// MARK: - Drawing

extension Picker {
    public static let multipleFooter = "type to filter · ↑/↓ move · Space choose · Enter done · Esc cancel"
    public static let singleFooter = "type to filter · ↑/↓ move · Enter pick · Esc cancel"
    public static let placeholder = "filter…"
    public static let noMatch = "No match"
    public static let empty = "Nothing to choose from"

    /// Rows of a picker drawn in `rect`: inside the box, the filter row, the list rows and the footer row (nil when too small).
    private func parts(_ rect: Rect) -> (inner: Rect, listY: Int, listRows: Int, footerY: Int?) {
        let inner = rect.inset(1)
        guard inner.height > 0 else { return (inner, inner.y, 0, nil) }
        let hasFooter = inner.height >= 3
        let listRows = max(0, inner.height - 1 - (hasFooter ? 1 : 0))
        return (inner, inner.y + 1, listRows, hasFooter ? inner.maxY - 1 : nil)
    }

    /// The first row of `filtered` shown in `rows` rows: `scroll` moved just enough to show the highlight.
    func visibleStart(rows: Int) -> Int {
        guard rows > 0 else { return highlight }
        var start = min(max(0, scroll), max(0, filtered.count - rows))
        if highlight >= start + rows { start = highlight - rows + 1 }
        if highlight < start { start = highlight }
        return max(0, start)
    }

    /// Makes scrolling sticky and PgUp/PgDn move by the rows shown. Call after each key (and on resize) with the rectangle `draw` will get.
    public mutating func layout(in rect: Rect) {
        let p = parts(rect)
        scroll = visibleStart(rows: p.listRows)
        pageHeight = max(1, p.listRows)
        filter.layout(width: max(0, p.inner.width - 4))
    }

    /// Rows a picker needs to show every item at once (box, filter and footer included).
    public var preferredHeight: Int { 2 + 1 + max(1, items.count) + 1 }

    /// A rectangle centred in `screen`: at most `maxWidth` wide, as tall as the items need (and the screen allows).
    public func overlayRect(in screen: Rect, maxWidth: Int = 60) -> Rect {
        let width = min(screen.width, maxWidth)
        let height = min(screen.height, preferredHeight)
        return Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width: width, height: height)
    }

    /// Draws the picker as a boxed overlay filling `rect`; returns where the terminal cursor belongs (in the filter).
    @discardableResult
    public func draw(into canvas: inout Canvas, rect: Rect) -> CursorPosition? {
        guard !rect.isEmpty else { return nil }
        canvas.fill(rect, role: .overlay)
        canvas.box(rect, role: .overlayBorder, titleRole: .overlayTitle)
        drawTitle(into: &canvas, rect: rect)
        let p = parts(rect)
        // One blank column each side inside the box when there is room for it.
        let margin = p.inner.width >= 3 ? 1 : 0
        let x = p.inner.x + margin
        let width = p.inner.width - 2 * margin
        guard width > 0, p.inner.height > 0 else { return nil }

        // The filter line: "/ " then the text, or a dimmed placeholder.
        var cursor: CursorPosition? = nil
        let prompt = width >= 4 ? "/ " : ""
        canvas.put(prompt, x: x, y: p.inner.y, role: .dim)
        let fieldX = x + TextWidth.of(prompt)
        let fieldWidth = width - TextWidth.of(prompt)
        if filter.isEmpty {
            canvas.put(Picker.placeholder, x: fieldX, y: p.inner.y, role: .dim, maxWidth: fieldWidth)
            canvas.highlight(x: fieldX, y: p.inner.y, role: .selection)
            cursor = CursorPosition(x: fieldX, y: p.inner.y)
        } else if let column = filter.draw(into: &canvas, x: fieldX, y: p.inner.y, width: fieldWidth, focused: true, role: .overlay) {
            cursor = CursorPosition(x: column, y: p.inner.y)
        }

        // The list.
        if p.listRows > 0 {
            if filtered.isEmpty {
                canvas.put(filter.isEmpty ? Picker.empty : Picker.noMatch, x: x, y: p.listY, role: .dim, maxWidth: width)
            } else {
                let start = visibleStart(rows: p.listRows)
                for row in 0..<p.listRows where start + row < filtered.count {
                    drawRow(start + row, into: &canvas, x: x, y: p.listY + row, width: width, fullRow: Rect(x: p.inner.x, y: p.listY + row, width: p.inner.width, height: 1))
                }
                if rect.width >= 4 {
                    if start > 0 { canvas.put("↑", x: rect.maxX - 2, y: rect.y, role: .overlayBorder) }
                    if start + p.listRows < filtered.count, rect.height >= 2 {
                        canvas.put("↓", x: rect.maxX - 2, y: rect.maxY - 1, role: .overlayBorder)
                    }
                }
            }
        }

        if let footerY = p.footerY {
            // The full footer, else without "type to filter · " (the placeholder says it), else cut.
            let full = multiple ? Picker.multipleFooter : Picker.singleFooter
            let short = full.replacingOccurrences(of: "type to filter · ", with: "")
            let footer = TextWidth.of(full) <= width ? full : short
            canvas.put(footer, x: x, y: footerY, role: .dim, maxWidth: width)
        }
        return cursor
    }

    /// The title in the top border, with "3 chosen" at its right in multiple mode.
    private func drawTitle(into canvas: inout Canvas, rect: Rect) {
        guard rect.width > 4, rect.height >= 2 else { return }
        var room = rect.width - 2
        if multiple {
            let count = " \(selected.count) chosen "
            let countWidth = TextWidth.of(count)
            if countWidth + 2 <= room {
                canvas.put(count, x: rect.maxX - 1 - countWidth - 1, y: rect.y, role: .overlayTitle)
                room -= countWidth + 2
            }
        }
        if room >= 3, !title.isEmpty {
            canvas.put(" \(title) ", x: rect.x + 1, y: rect.y, role: .overlayTitle, bold: true, maxWidth: room)
        }
    }

    /// One row: "[x] " in multiple mode, the label in its column, two spaces, the detail dimmed; the highlight in `selection`.
    private func drawRow(_ index: Int, into canvas: inout Canvas, x: Int, y: Int, width: Int, fullRow: Rect) {
        let item = filtered[index]
        let isHighlighted = index == highlight
        let role: Role = isHighlighted ? .selection : .overlay
        if isHighlighted { canvas.fill(fullRow, role: .selection) }
        var used = 0
        if multiple {
            used += canvas.put(selected.contains(item.id) ? "[x] " : "[ ] ", x: x, y: y, role: role, bold: selected.contains(item.id), maxWidth: width)
        }
        let rest = width - used
        guard rest > 0 else { return }
        let gap = 2
        let labelWidth = item.detail.isEmpty && detailColumn == 0
            ? rest
            : min(labelColumn, rest, max(rest - gap - detailColumn, rest * 3 / 5))
        canvas.put(TextWidth.pad(item.label, width: labelWidth), x: x + used, y: y, role: role, maxWidth: labelWidth)
        let detailX = used + labelWidth + gap
        if !item.detail.isEmpty, detailX < width {
            canvas.put(item.detail, x: x + detailX, y: y, role: isHighlighted ? .selection : .dim, maxWidth: width - detailX)
        }
    }
}
