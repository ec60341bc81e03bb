import CaseloadCore
import Foundation

/// One answer of a `ChoiceDialog`: the letter that gives it and what it means.
public struct ChoiceOption: Equatable, Sendable {
    public var key: Character
    public var label: String
    public init(_ key: Character, _ label: String) { self.key = key; self.label = label }
}

/// A question with lettered answers, e.g. "Edit which?" with (o) this occurrence · (f) this and following · (a) the whole series.
/// Pick letters that are not neighbours on the keyboard. A pure value: `answer(for:)` maps a key to an option, Esc is
/// `isCancel`, anything else is ignored.
///
/// The message lines are wrapped to the width drawn at; when they do not all fit, the lines that fit are shown and the rest are
/// counted: "… and 3 more". The options always get their rows first.
public struct ChoiceDialog: Equatable, Sendable {
    public var title: String
    /// Message lines (one per conflict, say), each wrapped on its own.
    public var lines: [String]
    public var options: [ChoiceOption]

    public init(title: String, lines: [String] = [], options: [ChoiceOption]) {
        self.title = title; self.lines = lines; self.options = options
    }

    public init(title: String, lines: [String] = [], options: [(key: Character, label: String)]) {
        self.init(title: title, lines: lines, options: options.map { ChoiceOption($0.key, $0.label) })
    }

    /// The key of the option a key press gives (as written in `options`), matching letters case-insensitively; nil for any
    /// other key, Esc included (see `isCancel`).
    public func answer(for key: Key) -> Character? {
        guard case .char(let c) = key else { return nil }
        let wanted = c.lowercased()
        return options.first { $0.key.lowercased() == wanted }?.key
    }

    /// Esc (`Keymaps.choiceDialog`): the caller closes the dialog without an answer.
    public static func isCancel(_ key: Key) -> Bool { Keymaps.choiceDialog.action(for: key) == .cancel }
    public func isCancel(_ key: Key) -> Bool { ChoiceDialog.isCancel(key) }

    // MARK: Drawing

    public static let cancelHint = Keymaps.choiceDialog.short(.cancel)
    static let separator = " · "

    /// "(o) this occurrence".
    static func optionText(_ option: ChoiceOption) -> String { "(\(option.key)) \(option.label)" }

    /// The options and the Esc hint laid out in rows of `width` cells: indices into `options` (nil for the hint), with their column.
    func optionRows(width: Int) -> [[(index: Int?, x: Int)]] {
        let width = max(1, width)
        var rows: [[(index: Int?, x: Int)]] = [[]]
        var used = 0
        let pieces: [(Int?, Int)] = options.indices.map { ($0, TextWidth.of(ChoiceDialog.optionText(options[$0]))) }
            + [(nil, TextWidth.of(ChoiceDialog.cancelHint))]
        for (index, pieceWidth) in pieces {
            let sep = rows[rows.count - 1].isEmpty ? 0 : TextWidth.of(ChoiceDialog.separator)
            if !rows[rows.count - 1].isEmpty, used + sep + pieceWidth > width {
                rows.append([])
                used = 0
                rows[rows.count - 1].append((index, 0))
                used = pieceWidth
            } else {
                rows[rows.count - 1].append((index, used + sep))
                used += sep + pieceWidth
            }
        }
        return rows
    }

    /// The message as display rows at `width`, cut to `maxRows` with "… and N more" (N counts message lines not shown).
    /// `cut` is true when the last row is that "… and N more" (or "…") marker.
    func messageRows(width: Int, maxRows: Int) -> (rows: [String], cut: Bool) {
        guard maxRows > 0 else { return ([], false) }
        let wrapped = lines.map { MessageWrap.rows($0, width: width) }
        let total = wrapped.reduce(0) { $0 + $1.count }
        if total <= maxRows { return (wrapped.flatMap { $0 }, false) }
        var shown: [String] = []
        var count = 0
        for rows in wrapped {
            if shown.count + rows.count > maxRows - 1 { break }
            shown += rows
            count += 1
        }
        if count == 0 {
            // Even the first line does not fit whole: show what fits of it.
            shown = Array(wrapped[0].prefix(maxRows - 1))
            count = 1
        }
        let rest = lines.count - count
        shown.append(rest > 0 ? "… and \(rest) more" : "…")
        return (shown, true)
    }

    /// Rows needed at `width` (box included) to show everything.
    public func preferredHeight(width: Int) -> Int {
        let textWidth = max(1, width - 4)
        let message = lines.reduce(0) { $0 + MessageWrap.rows($1, width: textWidth).count }
        return 2 + message + (message > 0 ? 1 : 0) + optionRows(width: textWidth).count
    }

    /// A rectangle centred in `screen`: as wide as the longest line or the options on one row need (at most `maxWidth`),
    /// as tall as the wrapped message needs (at most the screen).
    public func overlayRect(in screen: Rect, maxWidth: Int = 60) -> Rect {
        let optionsWidth = options.map { TextWidth.of(ChoiceDialog.optionText($0)) + TextWidth.of(ChoiceDialog.separator) }.reduce(0, +)
            + TextWidth.of(ChoiceDialog.cancelHint)
        let longest = max(lines.map { TextWidth.of($0) }.max() ?? 0, optionsWidth, TextWidth.of(title) + 2)
        let width = min(screen.width, maxWidth, max(longest + 4, 24))
        let height = min(screen.height, preferredHeight(width: width))
        return Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width: width, height: height)
    }

    /// Draws the dialog as a boxed overlay filling `rect`: the message, a blank row, then the options (keys in bold).
    public func draw(into canvas: inout Canvas, rect: Rect) {
        guard !rect.isEmpty else { return }
        canvas.fill(rect, role: .overlay)
        canvas.box(rect, title: title.isEmpty ? nil : title, role: .overlayBorder, titleRole: .overlayTitle)
        let inner = rect.inset(1)
        let margin = inner.width >= 3 ? 1 : 0
        let x = inner.x + margin
        let width = inner.width - 2 * margin
        guard width > 0, inner.height > 0 else { return }

        let optionRows = optionRows(width: width)
        let optionCount = min(optionRows.count, inner.height)
        let messageRoom = inner.height - optionCount
        // A blank row between message and options when there is room for it.
        let message = messageRows(width: width, maxRows: messageRoom > 1 ? messageRoom - 1 : messageRoom)
        for (row, text) in message.rows.enumerated() {
            let isMarker = message.cut && row == message.rows.count - 1
            canvas.put(text, x: x, y: inner.y + row, role: isMarker ? .dim : .overlay, maxWidth: width)
        }
        let optionsY = inner.maxY - optionCount
        for (row, pieces) in optionRows.prefix(optionCount).enumerated() {
            let y = optionsY + row
            for (position, piece) in pieces.enumerated() {
                let px = x + piece.x
                let room = width - piece.x
                guard room > 0 else { continue }
                var sepWidth = 0
                if position > 0 {
                    sepWidth = TextWidth.of(ChoiceDialog.separator)
                    canvas.put(ChoiceDialog.separator, x: px - sepWidth, y: y, role: .dim, maxWidth: sepWidth)
                }
                if let index = piece.index {
                    let option = options[index]
                    let keyText = "(\(option.key))"
                    let used = canvas.put(keyText, x: px, y: y, role: .overlay, bold: true, maxWidth: room)
                    if used < room {
                        canvas.put(" " + option.label, x: px + used, y: y, role: .overlay, maxWidth: room - used)
                    }
                } else {
                    canvas.put(ChoiceDialog.cancelHint, x: px, y: y, role: .dim, maxWidth: room)
                }
            }
        }
    }
}

/// Word-wrapping of message text for dialogs.
enum MessageWrap {
    /// `text` broken into rows of at most `width` cells, at spaces where it can; trailing spaces dropped. Always at least one row.
    static func rows(_ text: String, width: Int) -> [String] {
        let characters = Array(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        let ranges = TextArea.wrap(characters, width: max(1, width))
        var rows = ranges.map { range -> String in
            var row = String(characters[range])
            while row.last?.isWhitespace == true { row.removeLast() }
            return row
        }
        // `wrap` leaves an empty row for a cursor after a full last row: a message has no cursor.
        if rows.count > 1, rows.last?.isEmpty == true { rows.removeLast() }
        return rows
    }
}
