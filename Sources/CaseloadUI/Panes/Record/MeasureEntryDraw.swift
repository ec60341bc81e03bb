import CaseloadCore
import Foundation

// Drawing the measure form: the instrument list, or the items with their scores (two columns when they do not fit
// one), the running score and band, the date, a line for a refusal or the signing question, and the keys.

/// Where the measure form is drawn: centred over the body, at most 76 wide, as tall as it needs.
func measureEntryRect(_ state: AppState, _ entry: MeasureEntry) -> Rect {
    let body = Rect(x: 0, y: 1, width: state.width, height: max(0, state.height - 2))
    let width = min(body.width, 76)
    let rows: Int
    switch entry.step {
    case .choose: rows = entry.instruments.count + 3
    case .scores, .date, .confirm:
        rows = measureItemLayout(count: entry.instrument?.items.count ?? 0, innerHeight: body.height - 2).perColumn + measureFixedRows
    }
    let height = min(body.height, rows + 2)
    return Rect(x: body.x + (body.width - width) / 2, y: body.y + max(0, (body.height - height) / 2), width: width, height: height)
}

/// Rows under the items: the score, the date, two for a refusal or the question, the keys.
let measureFixedRows = 5

/// How the items are laid out in `innerHeight` rows: as many columns (at most 3) as they need, and rows per column.
func measureItemLayout(count: Int, innerHeight: Int) -> (columns: Int, perColumn: Int) {
    let itemRows = max(1, innerHeight - measureFixedRows)
    let columns = max(1, min(3, (count + itemRows - 1) / itemRows))
    return (columns, (count + columns - 1) / columns)
}

/// Draws the measure form over everything below it.
func drawMeasureEntry(_ canvas: inout Canvas, _ state: AppState, _ entry: MeasureEntry) {
    let rect = measureEntryRect(state, entry)
    guard !rect.isEmpty else { return }
    let name = state.document.patient(entry.patient)?.displayName ?? "patient"
    let title = entry.step == .choose ? "Measure · \(name)" : "Measure · \(name) · \(entry.instrument.map { "\($0.name) (\($0.about))" } ?? "")"
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: title, role: .overlayBorder, titleRole: .overlayTitle)
    let inner = rect.inset(1)
    guard inner.width > 4, inner.height > 0 else { return }
    let left = inner.x + 1, width = inner.width - 2
    var y = inner.y
    let bottom = inner.maxY
    func line(_ text: String, role: Role = .overlay, bold: Bool = false) {
        guard y < bottom else { return }
        canvas.put(text, x: left, y: y, role: role, bold: bold, maxWidth: width)
        y += 1
    }
    // The last rows: the keys, and above them a refusal or the question.
    let footerY = bottom - 1
    switch entry.step {
    case .choose:
        line("Which instrument? (the patient's filled-in form in front of you)", role: .dim)
        for (i, instrument) in entry.instruments.enumerated() {
            let text = "\(i + 1)  \(TextWidth.pad(instrument.name, width: 10)) \(TextWidth.pad(instrument.about, width: 14)) \(instrument.items.count) items"
            line((i == entry.choice ? "▸ " : "  ") + text, role: i == entry.choice ? .selection : .overlay)
        }
        if let error = entry.error { line(error, role: .statusError) }
        canvas.put("1–\(entry.instruments.count) or j/k Enter choose · Esc cancel", x: left, y: footerY, role: .dim, maxWidth: width)
    case .scores, .date, .confirm:
        guard let instrument = entry.instrument else { return }
        // Items in as many columns as the rows left need.
        let itemRows = max(1, inner.height - measureFixedRows)
        let (columns, perColumn) = measureItemLayout(count: instrument.items.count, innerHeight: inner.height)
        let columnWidth = width / columns
        for (i, item) in instrument.items.enumerated() {
            let column = i / perColumn, row = i % perColumn
            guard row < itemRows else { continue }
            let x = left + column * columnWidth
            let current = entry.step == .scores && i == entry.scores.count
            let score = entry.scores[safe: i].map(String.init) ?? (current ? "_" : "·")
            let isSafety = instrument.safetyItem == item.number
            let scoreRole: Role = isSafety && (entry.scores[safe: i] ?? 0) > 0 ? .statusError : .overlay
            let range = "\(item.range.lowerBound)–\(item.range.upperBound)"
            // The score close to its label: a label column of at most 28 cells.
            let labelWidth = min(28, max(4, columnWidth - 3 - 2 - 4 - 2))
            let label = TextWidth.pad(truncated(item.label, labelWidth), width: labelWidth)
            let prefix = (current ? "▸" : " ") + TextWidth.pad("\(item.number)", width: 2, alignRight: true) + " "
            var cx = x
            cx += canvas.put(prefix + label, x: cx, y: inner.y + row, role: current ? .selection : .overlay, maxWidth: max(0, left + width - cx))
            cx += canvas.put(TextWidth.pad(score, width: 2, alignRight: true), x: cx, y: inner.y + row, role: current ? .selection : scoreRole,
                             bold: entry.scores[safe: i] != nil, maxWidth: max(0, left + width - cx))
            if current { canvas.put(" " + range, x: cx, y: inner.y + row, role: .dim, maxWidth: max(0, left + width - cx)) }
        }
        y = inner.y + min(perColumn, itemRows)
        // The running score and band.
        let done = entry.scores.count == instrument.items.count
        let scored = instrument.score(entry.scores).map { s -> String in
            let head = instrument.scales.count == 1 ? "Total \(s.score)" : "\(s.scale.name) \(s.score)"
            return head + (s.band.map { " \($0.label)" } ?? "")
        }.joined(separator: " · ")
        var scoreLine = scored + (done ? "" : "  (so far: \(entry.scores.count) of \(instrument.items.count) items)")
        let worst = instrument.score(entry.scores).compactMap { $0.band?.concern }.max() ?? .none
        if let safety = instrument.safetyScore(entry.scores), safety > 0 {
            scoreLine = "‼ safety item \(instrument.safetyItem ?? 0) = \(safety) · " + scoreLine
        }
        let safetyRaised = (instrument.safetyScore(entry.scores) ?? 0) > 0
        line(scoreLine, role: safetyRaised ? .statusError : worst == .high ? .statusError : worst == .moderate ? .statusWarning : .overlay, bold: true)
        let dateRole: Role = entry.step == .date ? .selection : .overlay
        if y < bottom {
            let used = canvas.put("Date  ", x: left, y: y, role: .dim, maxWidth: width)
            canvas.put(entry.dateText + (entry.step == .date ? "▏" : ""), x: left + used, y: y, role: dateRole, bold: true, maxWidth: width - used)
            y += 1
        }
        let footer: String
        switch entry.step {
        case .scores: footer = "0–9 score · Backspace back an item · Esc cancel"
        case .date: footer = "Enter accept · or type yesterday, -3d, 2026-11-27 · Backspace back"
        default: footer = "y sign and save · n back to the date · Esc cancel"
        }
        if let error = entry.error {
            line(error, role: .statusError)
        } else if entry.step == .confirm, let signer = state.signer {
            // Two lines at most, so a long name and credential are never cut.
            let question = "Sign this \(instrument.name) as \(signer.signatureName)? It cannot be changed afterwards."
            for wrapped in wrapRecordSegments([RecordSegment(question)], width: width, indent: 0, hang: 0).prefix(2) {
                line(wrapped.map(\.text).joined(), role: .overlayTitle, bold: true)
            }
        } else if entry.step == .date {
            line("The day the patient filled it in.", role: .dim)
        }
        canvas.put(footer, x: left, y: footerY, role: .dim, maxWidth: width)
    }
}

/// `text` cut to `width` cells with "…" when longer.
private func truncated(_ text: String, _ width: Int) -> String {
    guard TextWidth.of(text) > width, width > 1 else { return text }
    var out = ""
    for c in text {
        if TextWidth.of(out) + TextWidth.of(c) > width - 1 { break }
        out.append(c)
    }
    return out + "…"
}
