import CaseloadCore
import Foundation

/// An attendance report shown before it is written to a file (`r` on a patient).
public struct ReportPreview: Equatable, Sendable {
    public var title: String
    /// What `w` writes, unchanged; the preview shows it line by line.
    public var contents: String { didSet { index() } }
    public var path: String
    /// The first line shown.
    public var scroll = 0
    /// The file name used when `path` names a folder.
    public var defaultName = ""
    /// For a letter: the disclosure logged when it is written.
    public var disclosure: PendingDisclosure?
    /// What the audit trail records once it is written (ids only).
    public var audit: AuditEvent?
    /// The first column shown, in terminal cells.
    public var column = 0
    /// The report's lines. Split on every kind of line break: in Swift "\r\n" is one Character, so splitting a CSV on
    /// "\n" alone would leave all its rows on one line.
    public private(set) var lines: [String] = []
    /// Each line's width in terminal cells, trailing spaces left out: what the ‹ › markers go by.
    public private(set) var lineWidths: [Int] = []
    /// The widest line in terminal cells: how far sideways scrolling goes.
    public private(set) var widestLine = 0

    public init(title: String, contents: String, path: String, defaultName: String = "", disclosure: PendingDisclosure? = nil) {
        self.title = title
        self.contents = contents
        self.path = path
        self.defaultName = defaultName
        self.disclosure = disclosure
        index()
    }

    private mutating func index() {
        var split = contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        // A final line break ends the last line; it does not start an empty one.
        if split.count > 1, split.last?.isEmpty == true { split.removeLast() }
        lines = split
        lineWidths = lines.map { line in
            var end = line.endIndex
            while end > line.startIndex, line[line.index(before: end)] == " " { end = line.index(before: end) }
            return TextWidth.of(line[..<end])
        }
        widestLine = lineWidths.max() ?? 0
    }

    /// The furthest `scroll` and `column` that still fill a viewport of `rows` lines and `columns` cells.
    func limits(_ viewport: ReportViewport) -> (scroll: Int, column: Int) {
        (max(0, lines.count - viewport.rows), max(0, widestLine - viewport.columns))
    }

    /// `scroll` and `column` kept inside `limits`, for a viewport that may have shrunk since the last key.
    func clamped(to viewport: ReportViewport) -> ReportPreview {
        var copy = self
        let limit = limits(viewport)
        copy.scroll = min(max(0, scroll), limit.scroll)
        copy.column = min(max(0, column), limit.column)
        return copy
    }

    /// The part of `line` from cell `start`, `width` cells wide; a two-cell character cut by either edge shows as a space.
    static func slice(_ line: String, from start: Int, width: Int) -> String {
        var out = ""
        var x = 0
        let end = start + width
        for character in line {
            guard x < end else { break }
            let w = TextWidth.of(character)
            defer { x += w }
            if w == 0 {
                if x >= start { out.append(character) }
                continue
            }
            if x + w <= start { continue }
            if x < start || x + w > end {
                out += String(repeating: " ", count: min(x + w, end) - max(x, start))
                continue
            }
            out.append(character)
        }
        return out
    }
}

/// Where the preview's text goes: the terminal's whole width between the title bar and the hint bar, inside a frame,
/// with a column on each side for the ‹ › markers of lines that go on past the edge.
struct ReportViewport: Equatable {
    var frame: Rect
    var rows: Int { max(0, frame.height - 2) }
    var columns: Int { max(0, frame.width - 4) }
    var textX: Int { frame.x + 2 }
    var textY: Int { frame.y + 1 }

    init(width: Int, height: Int) {
        frame = Rect(x: 0, y: 1, width: width, height: height - 2)
    }

    /// Cells moved by one press of h/l: a few columns, like a short word.
    static let sidewaysStep = 8
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

/// The report form opened with `r` on a patient.
enum ReportForms {
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

/// Why a letter may not be made, short enough for the form's error line at 80 columns, the reason first.
func letterRefusalText(_ refusal: LetterRefusal) -> String {
    switch refusal {
    case .noConsent: "no consent to disclose on file (42 CFR Part 2)"
    case .noRecipient: "no officer on record: type who the letter is for"
    case .expired(let date): "the consent naming them expired on \(date.iso)"
    case .revoked(let date): "the consent naming them was revoked on \(date.iso)"
    case .notYetSigned: "the consent naming them is dated after today"
    case .otherRecipient(let names): "no consent names them; consents name: " + names.joined(separator: "; ")
    }
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
    let report = AttendanceReport.build(for: patient, from: from, to: to, doc: state.document, schedule: state.schedule, today: today,
                                        scores: courseScores(for: patient, in: state.document, instruments: state.instruments))
    let name = reportFileName(mrn: patient.mrn, kind: kind, from: from, to: to, format: format)
    var preview = ReportPreview(title: "\(patient.displayName) · \(from.iso) – \(to.iso) · \(format.rawValue)", contents: "",
                                path: place.isEmpty ? "~/\(name)" : place, defaultName: name)
    let auditIDs = [AuditEvent.patient(patientID), "period:\(from.iso)..\(to.iso)", "format:\(format.rawValue)"]
    switch kind {
    case .report:
        preview.contents = ClockNotice.apply(state.clockNotice, to: report.rendered(as: format), format: format)
        preview.audit = AuditEvent(AuditAction.report, ["report:attendance"] + auditIDs)
    case .letter:
        guard format != .csv else { return refuse("format", "a letter is text, md or html, not csv") }
        if let reason = state.readOnlyReason { return refuse("kind", "read-only (\(reason)): a letter must be logged as a disclosure") }
        let typed = frame.form.text("recipient").trimmingCharacters(in: .whitespaces)
        // Judged, dated and logged on the real day: a fixed view clock (CASELOAD_NOW) never decides a consent.
        let recordDay = state.recordToday
        let consent: Consent
        switch ComplianceLetter.consent(for: patient, recipient: typed.isEmpty ? nil : typed, on: recordDay) {
        case .success(let found): consent = found
        case .failure(let refusal): return refuse("recipient", letterRefusalText(refusal))
        }
        guard let signer = state.signer else { return refuseToSign(&state) }
        preview.title = "Letter to \(consent.recipient) · " + preview.title
        let letter = ComplianceLetter.render(report: report, patient: patient, program: state.document.program, signer: signer,
                                             recipient: consent.recipient, consent: consent, date: recordDay, format: format)
        preview.contents = ClockNotice.apply(state.clockNotice, to: letter, format: format)
        preview.disclosure = PendingDisclosure(patient: patientID, recipient: consent.recipient, consent: consent.id, from: from, to: to, by: signer.id)
        preview.audit = AuditEvent(AuditAction.letter, ["report:letter"] + auditIDs + ["consent:\(consent.id.rawValue)"])
    }
    state.lastReport = ReportChoices(kind: kind, from: from, to: to, format: format, place: place)
    state.forms.removeLast()
    state.reportPreview = preview
    let logged = kind == .letter ? " and logs it as a disclosure" : ""
    state.message = StatusMessage("w writes it to \(preview.path)\(logged) · j/k h/l scroll · Esc closes")
    return []
}

/// The preview's keys (Keymaps.reportPreview): scrolling both ways, `w` writes, Esc closes.
func handleReportKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var preview = state.reportPreview else { return [] }
    guard let action = Keymaps.reportPreview.action(for: key) else {
        state.message = StatusMessage("\(key) does nothing here · w writes it to \(preview.path) · ? shows every key")
        return []
    }
    if action == .writeReport {
        state.reportPreview = nil
        return [.prepareWrite(WriteRequest(path: preview.path, defaultName: preview.defaultName, contents: preview.contents, disclosure: preview.disclosure,
                                          audit: preview.audit))]
    }
    // A key clears the opening message, so the hint bar shows the preview's keys.
    state.message = nil
    let viewport = ReportViewport(width: state.width, height: state.height)
    let page = max(1, viewport.rows)
    let limit = preview.limits(viewport)
    switch action {
    case .moveDown: preview.scroll += 1
    case .moveUp: preview.scroll -= 1
    case .halfPageDown: preview.scroll += max(1, page / 2)
    case .halfPageUp: preview.scroll -= max(1, page / 2)
    case .pageDown: preview.scroll += page
    case .pageUp: preview.scroll -= page
    case .top: preview.scroll = 0
    case .bottom: preview.scroll = limit.scroll
    case .scrollRight: preview.column += ReportViewport.sidewaysStep
    case .scrollLeft: preview.column -= ReportViewport.sidewaysStep
    case .lineStart: preview.column = 0
    case .lineEnd: preview.column = limit.column
    case .help: state.overlay = .help(scroll: 0)
    case .cancel:
        state.reportPreview = nil
        return []
    default: break
    }
    state.reportPreview = preview.clamped(to: viewport)
    return []
}

/// "lines 1–20 of 58 · cols 1–76 of 160": where the view is, so a user at 80×24 knows there is more.
func reportPosition(_ preview: ReportPreview, _ viewport: ReportViewport) -> String {
    let count = preview.lines.count
    var parts = [count <= viewport.rows ? "\(count) lines" : "lines \(preview.scroll + 1)–\(min(count, preview.scroll + viewport.rows)) of \(count)"]
    if preview.widestLine > viewport.columns {
        parts.append("cols \(preview.column + 1)–\(min(preview.widestLine, preview.column + viewport.columns)) of \(preview.widestLine)")
    }
    return parts.joined(separator: " · ")
}

func drawReportPreview(_ canvas: inout Canvas, _ preview: ReportPreview) {
    let viewport = ReportViewport(width: canvas.width, height: canvas.height)
    let rect = viewport.frame
    guard rect.width > 10, rect.height > 3 else { return }
    let preview = preview.clamped(to: viewport)
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: "Report · \(preview.title)", role: .overlayBorder, titleRole: .overlayTitle)
    let lines = preview.lines
    for row in 0..<viewport.rows {
        let i = preview.scroll + row
        guard i < lines.count else { break }
        let y = viewport.textY + row
        let width = preview.lineWidths[i]
        canvas.put(ReportPreview.slice(lines[i], from: preview.column, width: viewport.columns), x: viewport.textX, y: y,
                   role: .overlay, maxWidth: viewport.columns, ellipsis: false)
        if preview.column > 0, width > 0 { canvas.put("‹", x: viewport.textX - 1, y: y, role: .overlayTitle, bold: true) }
        if width > preview.column + viewport.columns { canvas.put("›", x: viewport.textX + viewport.columns, y: y, role: .overlayTitle, bold: true) }
    }
    // The bottom border: where the view is on the right, where `w` writes on the left.
    let position = " \(reportPosition(preview, viewport)) "
    let positionX = max(rect.x + 1, rect.maxX - 1 - TextWidth.of(position))
    canvas.put(position, x: positionX, y: rect.maxY - 1, role: .overlayTitle, maxWidth: rect.maxX - 1 - positionX)
    let room = positionX - (rect.x + 1) - 1
    if room >= 12 {
        canvas.put(" w writes \(preview.path) ", x: rect.x + 1, y: rect.maxY - 1, role: .overlayBorder, maxWidth: room)
    }
}
