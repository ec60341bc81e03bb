import CaseloadCore
import Foundation

func drawHintBar(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    canvas.fill(rect, role: .hintText)
    if let command = state.commandLine {
        let used = canvas.put(":" + command + "▏", x: 0, y: rect.y, role: .commandLine)
        // What Tab found when several names fit.
        if let message = state.message { canvas.put("   " + message.text, x: used, y: rect.y, role: .hintText, maxWidth: max(0, rect.width - used)) }
        return
    }
    if let message = state.message {
        canvas.put(" " + message.text, x: 0, y: rect.y, role: message.isError ? .errorMessage : .message)
        return
    }
    var x = 1
    // Help, a yes/no question, the alerts and the report preview take the keys, so the bar shows theirs (they sit over any form).
    let overlayKeys: Keymap?
    switch state.overlay {
    case .help?: overlayKeys = Keymaps.help
    case .confirm?: overlayKeys = Keymaps.confirm
    case nil: overlayKeys = state.modal == nil && state.measureEntry != nil ? Keymaps.measureEntry
        : state.modal == nil && state.noteView != nil ? Keymaps.noteView
        : state.modal == nil && state.noteView == nil && state.coSignQueue != nil ? Keymaps.coSignQueue
        : state.alertsView != nil ? Keymaps.alerts : state.conflictsView != nil ? Keymaps.conflicts
        : state.reportPreview != nil ? Keymaps.reportPreview : nil
    }
    if overlayKeys == nil, !state.forms.isEmpty {
        // The form's own footer lists its keys.
        let path = state.forms.map(\.form.title).joined(separator: " › ")
        let used = canvas.put(" " + path, x: 0, y: rect.y, role: .hintKey, bold: true, maxWidth: rect.width * 2 / 3)
        let hints = [Keymaps.choiceField.hintLine, Keymaps.listField.hintLine].joined(separator: " · ")
        canvas.put("  " + hints, x: used, y: rect.y, role: .hintText, maxWidth: max(0, rect.width - used))
        return
    }
    let bindings = coSignHintFilter(state, conflictsHintFirst(state, overlayKeys?.bindings ?? (state.record != nil ? Keymaps.record.bindings : Keymaps.pane(state.focus).bindings + Keymaps.global.bindings)))
    let hints = bindings.compactMap { binding in
        binding.hint.map { (binding.hintLabel, $0) }
    }
    // "? help" always shows: the other hints take the room left before it.
    let helpWidth = TextWidth.of("? help  ")
    var full = false
    for (i, (key, text)) in hints.enumerated() {
        let needed = TextWidth.of(key) + 1 + TextWidth.of(text) + 2
        let isHelp = key == "?"
        let rest = hints[(i + 1)...].contains { $0.0 == "?" } ? helpWidth : 0
        if !isHelp && (full || x + needed + rest > rect.width) {
            full = true
            continue
        }
        if x + needed > rect.width { break }
        x += canvas.put(key, x: x, y: rect.y, role: .hintKey, bold: true)
        x += canvas.put(" " + text + "  ", x: x, y: rect.y, role: .hintText)
    }
    if state.isReadOnly {
        let text = "read-only "
        let w = TextWidth.of(text)
        if x + w < rect.width { canvas.put(text, x: rect.width - w, y: rect.y, role: .statusWarning, bold: true) }
    }
}

/// The help overlay's lines, generated from the key tables and the command table.
/// Every help line; with `width`, a description too long for it goes on under itself rather than being cut, so every word
/// can be read at 80×24.
public func helpLines(width: Int? = nil) -> [(text: String, isHeading: Bool)] {
    var lines: [(String, Bool)] = []
    func line(_ keys: String, _ help: String) {
        let indent = 16
        guard let width, width - indent >= 20 else {
            lines.append(("  " + TextWidth.pad(keys, width: 14) + help, false))
            return
        }
        for (i, part) in wrapWords(help, width: width - indent).enumerated() {
            lines.append(((i == 0 ? "  " + TextWidth.pad(keys, width: 14) : String(repeating: " ", count: indent)) + part, false))
        }
    }
    for map in Keymaps.all {
        lines.append((map.name, true))
        for binding in map.bindings { line(Keymap.label(binding.keys), binding.help) }
        for note in map.notes { line(note.keys, note.help) }
        lines.append(("", false))
    }
    lines.append(("Commands", true))
    for command in Commands.all {
        let aliases = command.aliases.map { ":" + $0 }.joined(separator: ", ")
        line(command.usage, command.help + (aliases.isEmpty ? "" : " (also \(aliases))"))
    }
    return lines
}

/// The width help's text is laid out in on a screen `screenWidth` wide (the box, its border and a margin taken off).
func helpTextWidth(_ screenWidth: Int) -> Int { min(screenWidth - 2, 76) - 3 }

/// `text` broken at spaces into lines of at most `width` cells (a word longer than the width is cut where it must be).
func wrapWords(_ text: String, width: Int) -> [String] {
    var lines: [String] = [], current = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
        let candidate = current.isEmpty ? word : current + " " + word
        if TextWidth.of(candidate) <= width {
            current = candidate
            continue
        }
        if !current.isEmpty { lines.append(current) }
        current = word
        while TextWidth.of(current) > width {
            let head = TextWidth.fit(current, width: width, ellipsis: false)
            guard !head.isEmpty else { break }
            lines.append(head)
            current = String(current.dropFirst(head.count))
        }
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
}

func drawHelp(_ canvas: inout Canvas, scroll: Int) {
    let width = min(canvas.width - 2, 76), height = canvas.height - 2
    guard width > 10, height > 3 else { return }
    let rect = Rect(x: (canvas.width - width) / 2, y: 1, width: width, height: height)
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: "Help · j/k scroll · Esc closes", role: .overlayBorder, titleRole: .overlayTitle)
    let lines = helpLines(width: helpTextWidth(canvas.width))
    let inner = rect.inset(1)
    let top = max(0, min(scroll, lines.count - inner.height))
    for row in 0..<inner.height {
        let i = top + row
        guard i < lines.count else { break }
        canvas.put(lines[i].text, x: inner.x + 1, y: inner.y + row, role: lines[i].isHeading ? .overlayTitle : .overlay, bold: lines[i].isHeading, maxWidth: inner.width - 1)
    }
}

/// What the hint bar says when Ctrl-C is pressed (raw mode delivers it as a key; it neither quits nor cancels): the way out
/// that works where the keys are, since `q` would only be typed into a text field or a question.
public func interruptHint(_ state: AppState) -> String {
    if state.modal != nil { return "Ctrl-C does not cancel: Esc closes the question" }
    if !state.forms.isEmpty { return "Ctrl-C does nothing here: Ctrl-S saves the form, Esc leaves it" }
    if state.noteView != nil || state.coSignQueue != nil || state.record != nil || state.alertsView != nil || state.conflictsView != nil || state.reportPreview != nil {
        return "Ctrl-C does not quit: Esc closes this, then q quits (your work is saved as you go)"
    }
    if state.isTypingPatientQuery { return "Ctrl-C does not quit: Esc clears the filter, then q quits" }
    return "Ctrl-C does not quit: press q (your work is saved as you go)"
}
