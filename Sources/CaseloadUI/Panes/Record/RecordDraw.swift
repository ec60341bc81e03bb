import CaseloadCore
/// Draws the record as an overlay box over `rect`: the title in the top border, the lines from `scroll`, and the
/// position ("12–40 of 88") in the bottom border. Any rect, from 0×0 up and partly off the canvas, is drawn safely.
public func drawRecord(_ canvas: inout Canvas, rect: Rect, title: String, lines: [RecordLine], scroll: Int) {
    guard !rect.isEmpty else { return }
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: title, role: .overlayBorder, titleRole: .overlayTitle)
    let rows = recordVisibleRows(for: rect)
    let top = max(0, min(scroll, lines.count - rows))
    let inner = rect.inset(1)
    if inner.width > 2 {
        let left = inner.x + 1, right = inner.maxX - 1
        for row in 0..<rows {
            let i = top + row
            guard i < lines.count else { break }
            var x = left
            for segment in lines[i].segments {
                guard x < right else { break }
                let role: Role
                switch segment.role {
                case .text: role = .overlay
                case .header: role = .overlayTitle
                default: role = segment.role
                }
                x += canvas.put(segment.text, x: x, y: inner.y + row, role: role, bold: segment.bold, maxWidth: right - x)
            }
        }
    }
    guard rect.height >= 2, rect.width >= 4 else { return }
    let shown = min(rows, max(0, lines.count - top))
    let first = shown == 0 ? 0 : top + 1, last = shown == 0 ? 0 : top + shown
    let candidates = [" \(first)–\(last) of \(lines.count) ", " \(first)–\(last)/\(lines.count) ", "\(last)/\(lines.count)"]
    // Right-aligned, one line of border before the corner.
    let room = rect.width - 3
    guard let indicator = candidates.first(where: { TextWidth.of($0) <= room }) else { return }
    canvas.put(indicator, x: rect.maxX - 2 - TextWidth.of(indicator), y: rect.maxY - 1, role: .overlayTitle, bold: false, maxWidth: room)
}
