import CaseloadCore
import Foundation

/// A disclosure that writing a letter records in the patient's log (42 CFR Part 2 accounting), before the letter is written.
public struct PendingDisclosure: Equatable, Sendable {
    public var patient: PatientID
    public var recipient: String
    public var consent: ItemID
    public var from: LocalDate
    public var to: LocalDate
    public var by: StaffID
    public init(patient: PatientID, recipient: String, consent: ItemID, from: LocalDate, to: LocalDate, by: StaffID) {
        self.patient = patient; self.recipient = recipient; self.consent = consent; self.from = from; self.to = to; self.by = by
    }
}

/// A report or letter on its way to a file. The app looks at the place first (`Effect.prepareWrite`), answers with
/// `Msg.writeTargetExists` or `Msg.writeTargetReady`, and only then does `update` log the disclosure and ask for the write.
public struct WriteRequest: Equatable, Sendable {
    /// Where: as typed (`~`, a folder, a file) until the app resolves it to a full file path.
    public var path: String
    /// The file name used when `path` is empty or names a folder.
    public var defaultName: String
    public var contents: String
    /// The user agreed to replace the file that is there.
    public var replace: Bool
    /// For a letter: logged as a disclosure before the file is written.
    public var disclosure: PendingDisclosure?
    /// The resolved path as the user reads it (the home folder as `~`); empty until resolved.
    public var shown = ""
    /// What the audit trail records once it is written: what, for whom, which period, which consent, which format.
    public var audit: AuditEvent?
    public init(path: String, defaultName: String, contents: String, replace: Bool = false, disclosure: PendingDisclosure? = nil,
                audit: AuditEvent? = nil) {
        self.path = path; self.defaultName = defaultName; self.contents = contents; self.replace = replace; self.disclosure = disclosure
        self.audit = audit
    }
}

/// Where a typed place puts the file, before looking at the disk: empty is the home folder, `~` and `~/…` are under `home`
/// (the `HOME` the app was started with, not the password database's), a relative path is taken from `cwd`.
/// The app appends `defaultName` when the result is an existing folder, or when the text ends in `/`.
public func reportPath(typed: String, home: String, cwd: String) -> (path: String, isFolder: Bool) {
    let text = typed.trimmingCharacters(in: .whitespaces)
    var path: String
    if text.isEmpty || text == "~" {
        path = home
    } else if text.hasPrefix("~/") {
        path = (home as NSString).appendingPathComponent(String(text.dropFirst(2)))
    } else if text.hasPrefix("/") {
        path = text
    } else {
        path = (cwd as NSString).appendingPathComponent(text)
    }
    let isFolder = text.isEmpty || text == "~" || text.hasSuffix("/")
    while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
    return (path, isFolder)
}

/// The place is known and free (or the user agreed to replace it): log the letter's disclosure, then ask for the write.
func writeTargetReady(_ state: inout AppState, _ request: WriteRequest) -> [Effect] {
    guard let pending = request.disclosure else { return [.writeFile(request)] }
    if let reason = state.readOnlyReason {
        state.message = StatusMessage("No letter written: read-only (\(reason)), so its disclosure cannot be logged", isError: true)
        return []
    }
    let change: DocumentEdit
    do {
        change = try PatientEdits.recordDisclosure(pending.patient, recipient: pending.recipient, on: state.recordToday, from: pending.from, to: pending.to,
                                                   consent: pending.consent, what: "attendance letter, \(pending.from.iso) to \(pending.to.iso)",
                                                   by: pending.by, in: state.document)
    } catch {
        state.message = StatusMessage("No letter written: \(error)", isError: true)
        return []
    }
    let effects = edit(&state, change, label: "log the letter to \(pending.recipient)")
    guard effects.contains(.documentChanged) else { return [] }
    // A disclosure is never taken back: an undo of an earlier edit to this patient would restore them without it.
    state.history = EditHistory()
    let id = state.document.patient(pending.patient)?.disclosures.last?.id.rawValue ?? ""
    state.message = StatusMessage("Logged as a disclosure to \(pending.recipient) (\(id)); writing the letter…")
    // Logged and saved first: a letter that fails to be written is still in the log, never the reverse.
    return effects + [.saveNow, .writeFile(request)]
}

/// The file is there: ask before replacing it.
func writeTargetExists(_ state: inout AppState, _ request: WriteRequest) {
    state.overlay = .confirm(question: "\(request.path) already exists. Replace it? (y/n)", onYes: .replaceFile(request))
}

/// The file is written: a report says so on the status line; a letter says so in a box that names the disclosure and where
/// it is in the record, since that is what an auditor or a court will ask about, and it must be readable at 80 columns.
func reportWritten(_ state: inout AppState, _ request: WriteRequest) {
    let place = request.shown.isEmpty ? request.path : request.shown
    // Reports and letters are plain text by nature: from an encrypted document, say so.
    let encrypted: Bool
    if case .passphrase = state.lockMode { encrypted = true } else { encrypted = false }
    let readable = encrypted ? "plain text, not encrypted like the document; readable only by you" : "readable only by you"
    guard let pending = request.disclosure else {
        state.message = StatusMessage("Wrote \(place) (\(readable))")
        return
    }
    let patient = state.document.patient(pending.patient)
    let logged = patient?.disclosures.last { $0.recipient == pending.recipient && $0.from == pending.from && $0.to == pending.to }
    let name = patient?.displayName ?? "the patient"
    let dialog = ChoiceDialog(title: "Letter written", lines: [
        "Wrote \(place) (\(readable)).",
        "Logged as a disclosure to \(pending.recipient) on \(logged?.date.iso ?? state.recordToday.iso)\(logged.map { " (\($0.id))" } ?? ""), in \(name)'s record under Disclosures.",
    ], options: [ChoiceOption("r", "open the record"), ChoiceOption("o", "ok")])
    openModal(&state, .choice(dialog, .letterWritten(pending.patient)))
    state.message = StatusMessage("Letter written to \(place); logged as a disclosure to \(pending.recipient)")
}

/// `r` in the "Letter written" box: the patient's record, at its disclosure log.
func openRecordAtDisclosures(_ state: inout AppState, _ patient: PatientID) {
    guard state.document.patient(patient) != nil else { return }
    state.focus = .patients
    showInList(&state, patient)
    state.record = RecordState(patient: patient)
    state.refreshRecord()
    if var record = state.record, let line = record.lines.firstIndex(where: { $0.section == RecordSection.disclosures }) {
        record.scroll = line
        state.record = record
    }
}
