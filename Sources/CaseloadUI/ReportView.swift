import CaseloadCore
import Foundation

/// An attendance report shown before it is written to a file (`r` on a patient).
public struct ReportPreview: Equatable, Sendable {
    public var title: String
    public var contents: String
    public var path: String
    public var scroll = 0
    public var lines: [String] { contents.components(separatedBy: "\n").map { $0.replacingOccurrences(of: "\r", with: "") } }
}

extension SessionForms {
    /// The report form: period, format and where to write it.
    static func reportFrame(_ patient: Patient) -> FormFrame {
        let fields: [FormField] = [
            .date("from", "From", "-4w", required: true),
            .date("to", "To", "today", required: true),
            .choice("format", "Format", options: ReportFormat.allCases.map(\.rawValue)),
            .text("file", "Write to", "", hint: "empty: ~/caseload-\(patient.mrn)-FROM-TO.EXT (mode 0600)"),
        ]
        return FormFrame(form: Form(title: "Attendance report · \(patient.displayName)", fields: fields), purpose: .report(patient.id), draft: .none)
    }
}

/// Builds the report from the form and shows the preview.
func submitReportForm(_ state: inout AppState, _ patientID: PatientID) -> [Effect] {
    guard var frame = state.forms.last, let patient = state.document.patient(patientID) else { return [] }
    let today = state.today
    guard let from = frame.form.date("from", today: today), let to = frame.form.date("to", today: today), from <= to else {
        frame.form.errors["to"] = "the period ends before it starts"
        state.forms[state.forms.count - 1] = frame
        return []
    }
    let format = ReportFormat.allCases[safe: frame.form.choiceIndex("format")] ?? .text
    let report = AttendanceReport.build(for: patient, from: from, to: to, doc: state.document, schedule: state.schedule)
    let typed = frame.form.text("file").trimmingCharacters(in: .whitespaces)
    let path = typed.isEmpty ? "~/caseload-\(patient.mrn)-\(from.iso)-\(to.iso).\(format.rawValue == "text" ? "txt" : format.rawValue)" : typed
    state.forms.removeLast()
    state.reportPreview = ReportPreview(title: "\(patient.displayName) · \(from.iso) – \(to.iso) · \(format.rawValue)", contents: report.rendered(as: format), path: path)
    state.message = StatusMessage("w writes it to \(path) · j/k scroll · Esc closes")
    return []
}

func handleReportKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var preview = state.reportPreview else { return [] }
    let page = max(1, state.height - 5)
    let maxScroll = max(0, preview.lines.count - page)
    switch key {
    case .char("j"), .down: preview.scroll += 1
    case .char("k"), .up: preview.scroll -= 1
    case .pageDown, .char(" "): preview.scroll += page
    case .pageUp: preview.scroll -= page
    case .char("g"), .home: preview.scroll = 0
    case .char("G"), .end: preview.scroll = maxScroll
    case .char("w"):
        state.reportPreview = nil
        return [.writeFile(path: preview.path, contents: preview.contents)]
    case .escape, .char("q"):
        state.reportPreview = nil
        return []
    default:
        state.message = StatusMessage("w writes it to \(preview.path) · j/k scroll · Esc closes")
    }
    preview.scroll = min(max(0, preview.scroll), maxScroll)
    state.reportPreview = preview
    return []
}

func drawReportPreview(_ canvas: inout Canvas, _ preview: ReportPreview) {
    let width = min(canvas.width, 100), height = canvas.height - 2
    guard width > 10, height > 3 else { return }
    let rect = Rect(x: (canvas.width - width) / 2, y: 1, width: width, height: height)
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: "Report · \(preview.title) · w write · Esc close", role: .overlayBorder, titleRole: .overlayTitle)
    let inner = rect.inset(1)
    let lines = preview.lines
    for row in 0..<inner.height {
        let i = preview.scroll + row
        guard i < lines.count else { break }
        canvas.put(lines[i], x: inner.x + 1, y: inner.y + row, role: .overlay, maxWidth: inner.width - 1)
    }
}
