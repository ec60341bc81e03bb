import CaseloadCore
import Foundation

func drawConfirm(_ canvas: inout Canvas, _ question: String) {
    let width = min(canvas.width - 2, 60)
    guard width > 10 else { return }
    // Wrap the question into lines that fit.
    var lines: [String] = []
    var line = ""
    for word in question.split(separator: " ") {
        if TextWidth.of(line) + TextWidth.of(word) + 1 > width - 4, !line.isEmpty { lines.append(line); line = "" }
        line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    let height = min(canvas.height, lines.count + 2)
    let rect = Rect(x: (canvas.width - width) / 2, y: max(0, (canvas.height - height) / 2), width: width, height: height)
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: "Confirm", role: .overlayBorder, titleRole: .overlayTitle)
    for (i, text) in lines.prefix(max(0, height - 2)).enumerated() {
        canvas.put(text, x: rect.x + 2, y: rect.y + 1 + i, role: .overlay, maxWidth: width - 4)
    }
}
