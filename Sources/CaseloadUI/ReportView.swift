import CaseloadCore
import Foundation

/// An attendance report shown before it is written to a file (`r` on a patient).
public struct ReportPreview: Equatable, Sendable {
    public var title: String
    public var contents: String
    public var path: String
    public var scroll = 0
    /// The file name used when `path` names a folder.
    public var defaultName = ""
    /// For a letter: the disclosure logged when it is written.
    public var disclosure: PendingDisclosure?
    public var lines: [String] { contents.components(separatedBy: "\n").map { $0.replacingOccurrences(of: "\r", with: "") } }
}

/// What the report form makes.
public enum ReportKind: Int, CaseIterable, Equatable, Sendable {
    /// The attendance report: every session, status and minutes, with totals and hours per week.
    case report
    /// A compliance letter to the patient's officer (or another recipient named by a consent), logged as a disclosure.
    case letter

    var label: String { self == .report ? "attendance report" : "letter (logged as a disclosure)" }
}

/// The report form's last answers, offered again the next time it opens (this run of the app).
public struct ReportChoices: Equatable, Sendable {
    public var kind: ReportKind
    public var from: LocalDate
    public var to: LocalDate
    public var format: ReportFormat
    /// The folder or file typed last; empty for the home folder.
    public var place: String
    public init(kind: ReportKind, from: LocalDate, to: LocalDate, format: ReportFormat, place: String) {
        self.kind = kind; self.from = from; self.to = to; self.format = format; self.place = place
    }
}

extension SessionForms {
    /// The report form: report or letter, period, format, the letter's recipient and where to write it; the last answers are offered again.
    static func reportFrame(_ patient: Patient, last: ReportChoices?) -> FormFrame {
        let officer = patient.legal?.officer ?? ""
        let fields: [FormField] = [
            .choice("kind", "Make", options: ReportKind.allCases.map(\.label), index: last?.kind.rawValue ?? 0),
            .date("from", "From", last?.from.iso ?? "-4w", required: true),
            .date("to", "To", last?.to.iso ?? "today", required: true),
            .choice("format", "Format", options: ReportFormat.allCases.map(\.rawValue), index: last.flatMap { ReportFormat.allCases.firstIndex(of: $0.format) } ?? 0),
            .text("recipient", "Letter to", officer, hint: "letters only: a consent valid today must name them"),
            .text("file", "Write to", last?.place ?? "", hint: "a file or a folder; empty: your home folder (mode 0600)"),
        ]
        return FormFrame(form: Form(title: "Attendance report · \(patient.displayName)", fields: fields), purpose: .report(patient.id), draft: .none)
    }
}

/// The file name a report or letter gets in a folder: `caseload-MRN-FROM-TO.txt` (`-letter-` for a letter); characters a file name should not hold become `_`.
public func reportFileName(mrn: String, kind: ReportKind, from: LocalDate, to: LocalDate, format: ReportFormat) -> String {
    let safeMRN = String(mrn.unicodeScalars.map { scalar -> Character in
        let c = Character(scalar)
        return scalar.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") ? c : "_"
    })
    let ext = format == .text ? "txt" : format.rawValue
    return "caseload-\(safeMRN.isEmpty ? "patient" : safeMRN)-\(kind == .letter ? "letter-" : "")\(from.iso)-\(to.iso).\(ext)"
}

/// Builds the report (or the letter, after checking its consent and signer) from the form and shows the preview.
func submitReportForm(_ state: inout AppState, _ patientID: PatientID) -> [Effect] {
    guard var frame = state.forms.last, let patient = state.document.patient(patientID) else { return [] }
    let today = state.today
    func refuse(_ field: String, _ error: String) -> [Effect] {
        frame.form.errors[field] = error
        frame.form.focus(on: field)
        state.forms[state.forms.count - 1] = frame
        state.message = StatusMessage(error, isError: true)
        return []
    }
    guard let from = frame.form.date("from", today: today) else { return refuse("from", "not a date (try 2026-11-01, mon, -4w)") }
    guard let to = frame.form.date("to", today: today) else { return refuse("to", "not a date (try 2026-11-30, today)") }
    guard from <= to else { return refuse("to", "the period ends before it starts") }
    let kind = ReportKind(rawValue: frame.form.choiceIndex("kind")) ?? .report
    let format = ReportFormat.allCases[safe: frame.form.choiceIndex("format")] ?? .text
    let place = frame.form.text("file").trimmingCharacters(in: .whitespaces)
    let report = AttendanceReport.build(for: patient, from: from, to: to, doc: state.document, schedule: state.schedule)
    let name = reportFileName(mrn: patient.mrn, kind: kind, from: from, to: to, format: format)
    var preview = ReportPreview(title: "\(patient.displayName) · \(from.iso) – \(to.iso) · \(format.rawValue)", contents: "",
                                path: place.isEmpty ? "~/\(name)" : place, defaultName: name)
    switch kind {
    case .report:
        preview.contents = report.rendered(as: format)
    case .letter:
        guard format != .csv else { return refuse("format", "a letter is text, md or html, not csv") }
        if let reason = state.readOnlyReason { return refuse("kind", "read-only (\(reason)): a letter must be logged as a disclosure") }
        let typed = frame.form.text("recipient").trimmingCharacters(in: .whitespaces)
        let consent: Consent
        switch ComplianceLetter.consent(for: patient, recipient: typed.isEmpty ? nil : typed, on: today) {
        case .success(let found): consent = found
        case .failure(let refusal): return refuse("recipient", "no letter: \(refusal)")
        }
        guard let signer = state.signer else { return askWhoIAm(&state, then: .report(patientID)) }
        preview.title = "Letter to \(consent.recipient) · " + preview.title
        preview.contents = ComplianceLetter.render(report: report, patient: patient, program: state.document.program, signer: signer,
                                                   recipient: consent.recipient, consent: consent, date: today, format: format)
        preview.disclosure = PendingDisclosure(patient: patientID, recipient: consent.recipient, consent: consent.id, from: from, to: to, by: signer.id)
    }
    state.lastReport = ReportChoices(kind: kind, from: from, to: to, format: format, place: place)
    state.forms.removeLast()
    state.reportPreview = preview
    let logged = kind == .letter ? " and logs it as a disclosure" : ""
    state.message = StatusMessage("w writes it to \(preview.path)\(logged) · j/k scroll · Esc closes")
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
        return [.prepareWrite(WriteRequest(path: preview.path, defaultName: preview.defaultName, contents: preview.contents, disclosure: preview.disclosure))]
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
