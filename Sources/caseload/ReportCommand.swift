import ArgumentParser
import CaseloadCore
import CaseloadStore
import Foundation

extension ReportFormat: ExpressibleByArgument {
    public init?(argument: String) {
        if argument.lowercased() == "markdown" { self = .markdown; return }
        self.init(rawValue: argument.lowercased())
    }
}

/// `caseload report`: attendance reports, compliance letters and the weekly census.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Attendance reports and compliance letters for one patient, or the week's census.",
        subcommands: [AttendanceReportCommand.self, WeekReportCommand.self]
    )
}

/// Exit status when a compliance letter is refused for want of a valid consent.
let letterRefusedStatus: Int32 = 3

/// What report commands share: reading the document and knowing today's date in the program's zone.
enum ReportSupport {
    /// The document at `path`, the keys that opened it when it is encrypted (a passphrase is asked for once), and its
    /// audit trail's seal (what the command appends to once it has disclosed something).
    static func load(_ path: String, passphrase: PassphraseOptions) throws -> (document: CaseloadDocument, keys: DocumentKeys?, audit: AuditSeal?) {
        let keys = try Unlocking.keys(for: path, options: passphrase)
        do {
            let decoded = try DocumentStore.read(path, keys: keys)
            return (decoded.document, keys, decoded.audit)
        } catch {
            throw fail(error.description)
        }
    }

    /// The view's today: what `today` and `-4w` count from (fixed by `CASELOAD_NOW`).
    static func today(_ program: Program) -> LocalDate {
        let zone = TimeZone(identifier: program.timeZone) ?? Clock.demoZone
        return Recurrence.local(Clock.now(zone: zone), in: zone).date
    }

    /// The real today, on which a letter's consent is judged and its disclosure dated (never `CASELOAD_NOW`).
    static func recordToday(_ program: Program) -> LocalDate {
        let zone = TimeZone(identifier: program.timeZone) ?? Clock.demoZone
        return Recurrence.local(Clock.record(zone: zone), in: zone).date
    }

    /// `text` with the fixed-clock notice in its header while `CASELOAD_NOW` is set; CSV, which has no header for it,
    /// gets the notice on standard error instead.
    static func marked(_ text: String, format: ReportFormat, program: Program) -> String {
        let zone = TimeZone(identifier: program.timeZone) ?? Clock.demoZone
        guard let notice = Clock.fixedNotice(zone: zone) else { return text }
        if format == .csv { FileHandle.standardError.write(Data("caseload: \(notice)\n".utf8)) }
        return ClockNotice.apply(notice, to: text, format: format)
    }

    static func date(_ text: String, option: String, today: LocalDate) throws -> LocalDate {
        guard let date = DateInput.parse(text, today: today) else {
            throw fail("\(option): \"\(text.prefix(40))\" is not a date (try 2026-12-01, today, mon, -4w)")
        }
        return date
    }

    /// Refuses an `--out` that cannot name the file to write: empty, an existing folder, a file there without `--force`, a
    /// link another account owns, or the document, its lock, a backup or a trail. Checked before anything is done, so a
    /// letter is not logged as disclosed when it could not be written where asked.
    static func checkOut(_ out: String?, force: Bool, document: String) throws {
        guard let out else { return }
        guard !out.isEmpty else { throw fail("--out needs a file name") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder), isFolder.boolValue {
            throw fail("--out \"\(out.prefix(200))\" is a folder; give a file name")
        }
        let existing: OutputFile.Existing
        do {
            existing = try OutputFile.check(out, protecting: [document])
        } catch {
            throw fail(error.description)
        }
        if existing != .nothing && !force {
            throw fail("\(out): a file is already there; use --force to replace it, or choose another file name")
        }
    }

    /// Writes `text` to `out` (mode 0600, a link there never followed, replaced only with `--force`) or to standard output.
    /// With `fromEncrypted`, a file written is said to be unprotected: reports and letters are plain by nature.
    static func emit(_ text: String, to out: String?, force: Bool = false, document: String? = nil, fromEncrypted: Bool = false) throws {
        guard let out else {
            // Document text reaches the terminal: control characters are shown, not obeyed (validation refuses them anyway).
            FileHandle.standardOutput.write(Data(TerminalText.safe(text).utf8))
            return
        }
        do {
            try OutputFile.write(Data(text.utf8), to: out, replace: force, protecting: document.map { [$0] } ?? [])
        } catch {
            if case .exists = error {
                throw fail("\(out): a file is already there; use --force to replace it, or choose another file name")
            }
            throw fail(error.description)
        }
        if fromEncrypted {
            Passphrases.tell("note: \(out) is plain text, not encrypted like the document it comes from; keep it where only those who may read the records can, and delete it when done")
        }
    }
}

/// `caseload report attendance`: one patient's sessions over a period, or a compliance letter under a consent.
struct AttendanceReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attendance",
        abstract: "One patient's attendance over a period; with --letter, a compliance letter under a valid 42 CFR Part 2 consent.",
        discussion: """
            Dates accept 2026-12-01, today, yesterday, mon, +3d, -4w (relative to today; CASELOAD_NOW fixes it, and
            the report then says so in its header, but a letter's consent and date always follow the real day).
            --patient takes an MRN (any case), an ID, or a name (legal or preferred, any case or accents): the whole
            name or a part only one patient's name contains; when several match, they are listed by MRN.
            --letter needs a consent valid today that names the recipient (--recipient, else the patient's officer);
            without one it refuses with exit status 3 and changes nothing. A letter made is recorded in the
            patient's disclosure log, so the document must not be open in Caseload at the time; standard error
            then says so (logged as a disclosure to …).
            """
    )

    @Option(name: .long, help: "The document.")
    var file: String

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    @Option(name: .long, help: "The patient's MRN, ID or name (whole, or a part only one patient's name contains).")
    var patient: String

    @Option(name: .long, parsing: .unconditional, help: "First day of the period.")
    var from: String

    @Option(name: .long, parsing: .unconditional, help: "Last day of the period.")
    var to: String

    @Option(name: .long, help: "text, csv, md or html.")
    var format: ReportFormat = .text

    @Option(name: .long, help: "Write to this file (mode 0600) instead of standard output.")
    var out: String?

    @Flag(name: .long, help: "Replace the --out file if one is there (never a Caseload document, its lock or backups).")
    var force = false

    @Flag(name: .long, help: "Write a compliance letter for the patient's officer or --recipient, and record the disclosure.")
    var letter = false

    @Option(name: .long, help: "Who the letter is for: text the consent's recipient must contain (default: the patient's officer).")
    var recipient: String?

    @Option(name: .customLong("as"), help: "Only checks who signs: the letter is signed by the person running Caseload (their account, or the key slot that opened an encrypted document), and --as must name them.")
    var login: String?

    func validate() throws {
        if !letter && recipient != nil { throw ValidationError("--recipient is only for --letter") }
        if !letter && login != nil { throw ValidationError("--as is only for --letter") }
        if letter && format == .csv { throw ValidationError("a letter is text, md or html, not csv") }
        if force && out == nil { throw ValidationError("--force is only for --out") }
    }

    func run() throws {
        try ReportSupport.checkOut(out, force: force, document: file)
        let (doc, keys, audit) = try ReportSupport.load(file, passphrase: passphrase)
        let today = ReportSupport.today(doc.program)
        let first = try ReportSupport.date(from, option: "--from", today: today)
        let last = try ReportSupport.date(to, option: "--to", today: today)
        guard first <= last else { throw fail("--from \(first) is after --to \(last)") }
        let person: Patient
        switch PatientLookup.find(patient, in: doc.patients) {
        case .found(let found): person = found
        case .none: throw fail("no patient has the MRN, ID or name \"\(patient.prefix(40))\"")
        case .several(let candidates): throw fail(PatientLookup.ambiguity(patient, candidates))
        }

        guard letter else {
            let report = AttendanceReport.build(for: person, from: first, to: last, doc: doc, schedule: ScheduleIndex(doc), today: today,
                                                scores: ScoreSeries.measures(of: person, instruments: Instrument.builtIns))
            try ReportSupport.emit(ReportSupport.marked(report.rendered(as: format), format: format, program: doc.program), to: out, force: force, document: file, fromEncrypted: keys != nil)
            CLIAudit.record([AuditEvent(AuditAction.report, ["report:attendance", AuditEvent.patient(person.id), CLIAudit.period(first, last), "format:\(format.rawValue)"])],
                            path: file, seal: audit, document: doc, keys: keys)
            return
        }
        // The consent is judged, and the letter and its disclosure dated, on the real day, whatever CASELOAD_NOW says.
        let recordDay = ReportSupport.recordToday(doc.program)
        if case .failure(let refusal) = ComplianceLetter.consent(for: person, recipient: recipient, on: recordDay) {
            throw fail("no letter: \(refusal)", code: letterRefusedStatus)
        }
        let signer = try Self.signer(doc, keys: keys, claimed: login)
        try makeLetter(patientID: person.id, signer: signer.id, first: first, last: last, today: recordDay, keys: keys)
    }

    /// The staff member who signs: the person running Caseload (never a name typed on the command line); `claimed`
    /// (`--as`) must be them, so a script written for someone else stops instead of changing the signer.
    static func signer(_ doc: CaseloadDocument, keys: DocumentKeys?, claimed: String?) throws -> Staff {
        let person = CLIAudit.person(doc, keys: keys)
        let who = person.login.prefix(40)
        if let claimed, claimed != person.login {
            let what = keys == nil ? "your account, \(who)," : "the key slot you opened the document with, \(who),"
            throw fail("--as \(claimed.prefix(40)): letters are signed by the person running Caseload, and \(what) is not \(claimed.prefix(40)); leave out --as, or have \(claimed.prefix(40)) make the letter")
        }
        guard person.canSign, let signer = doc.staff.first(where: { !$0.login.isEmpty && $0.login == person.login }) else {
            let what = keys == nil ? "your account \(who)" : "the key slot \(who) you opened the document with"
            throw fail("\(what) is not a staff member's login; letters are signed by the person running Caseload")
        }
        return signer
    }

    /// Opens the document for writing (refusing when another Caseload holds it), checks the consent again on what was loaded, records the disclosure and saves, then writes the letter.
    private func makeLetter(patientID: PatientID, signer: StaffID, first: LocalDate, last: LocalDate, today: LocalDate, keys: DocumentKeys?) throws {
        let opened: (store: DocumentStore, document: CaseloadDocument)
        do {
            opened = try DocumentStore.open(file, keys: keys)
        } catch {
            throw fail(error.description)
        }
        let store = opened.store
        defer { store.close() }
        if case .readOnly(let reason) = store.access {
            throw fail("no letter: the disclosure could not be recorded (\(reason)); close Caseload on this file and try again")
        }
        var doc = opened.document
        guard let person = doc.patient(patientID) else { throw fail("the patient is no longer in \(file)") }
        let consent: Consent
        switch ComplianceLetter.consent(for: person, recipient: recipient, on: today) {
        case .success(let found): consent = found
        case .failure(let refusal): throw fail("no letter: \(refusal)", code: letterRefusedStatus)
        }
        let report = AttendanceReport.build(for: person, from: first, to: last, doc: doc, schedule: ScheduleIndex(doc))
        let text = ComplianceLetter.render(report: report, patient: person, program: doc.program, signer: doc.staffMember(signer),
                                           recipient: consent.recipient, consent: consent, date: today, format: format)
        let marked = ReportSupport.marked(text, format: format, program: doc.program)
        let logged: Disclosure
        do {
            let edit = try PatientEdits.recordDisclosure(person.id, recipient: consent.recipient, on: today, from: first, to: last, consent: consent.id,
                                                         what: "attendance letter, \(first) to \(last)", by: signer, in: doc)
            try doc.apply(edit)
            guard let entry = doc.patient(person.id)?.disclosures.last else { throw EditError.notFound("the new disclosure") }
            logged = entry
        } catch {
            throw fail("no letter: the disclosure could not be recorded: \(error)")
        }
        do {
            try store.save(doc)
        } catch {
            throw fail("no letter: the disclosure could not be recorded: \(error.description)")
        }
        // In the trail as soon as the disclosure is recorded, like the disclosure log itself.
        CLIAudit.record([AuditEvent(AuditAction.letter, ["report:letter", AuditEvent.patient(person.id), CLIAudit.period(first, last),
                                                         "consent:\(consent.id.rawValue)", "format:\(format.rawValue)"])],
                        store: store, document: doc)
        // Recorded first: a letter that fails to be written is still in the log, never the reverse.
        try ReportSupport.emit(marked, to: out, force: force, document: file, fromEncrypted: keys != nil)
        // On standard error, so a letter on standard output stays clean; names nothing the user did not ask for.
        FileHandle.standardError.write(Data("logged as a disclosure to \(TerminalText.safe(logged.recipient, multiLine: false)) on \(logged.date) (\(logged.id)) in \(file)\n".utf8))
    }
}

/// Finds the patient `--patient` names: an MRN (any case), an ID, or a name.
enum PatientLookup {
    /// What a `--patient` value names.
    enum Match: Equatable {
        case found(Patient)
        case none
        /// Several patients' names match; sorted by name, then MRN.
        case several([Patient])
    }

    /// How many candidates an ambiguous name lists before saying how many more there are.
    static let listed = 20

    /// In order: the MRN exactly, the MRN in any case (when only one), the ID, a whole legal or preferred name (ignoring
    /// case and accents; when only one), and last a part of a name: every word of `key` in one patient's legal or
    /// preferred name. A whole name wins over parts, so "Ana" finds Ana even beside Anabel.
    static func find(_ key: String, in patients: [Patient]) -> Match {
        let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .none }
        if let exact = patients.first(where: { $0.mrn == trimmed }) { return .found(exact) }
        let mrns = patients.filter { $0.mrn.compare(trimmed, options: .caseInsensitive) == .orderedSame }
        if mrns.count == 1 { return .found(mrns[0]) }
        if let byID = patients.first(where: { $0.id.rawValue == trimmed }) { return .found(byID) }
        let words = PatientSearch.fold(trimmed).split(whereSeparator: \.isWhitespace)
        let whole = words.joined(separator: " ")
        func names(_ p: Patient) -> [String] {
            [p.legalName, p.preferredName ?? ""].map { PatientSearch.fold($0).split(whereSeparator: \.isWhitespace).joined(separator: " ") }.filter { !$0.isEmpty }
        }
        let wholeMatches = patients.filter { names($0).contains(whole) }
        if wholeMatches.count == 1 { return .found(wholeMatches[0]) }
        let partMatches = wholeMatches.count > 1 ? wholeMatches : patients.filter { p in
            names(p).contains { name in words.allSatisfy { name.contains($0) } }
        }
        switch partMatches.count {
        case 0: return mrns.isEmpty ? .none : .several(sorted(mrns))
        case 1: return .found(partMatches[0])
        default: return .several(sorted(partMatches))
        }
    }

    static func sorted(_ patients: [Patient]) -> [Patient] {
        patients.sorted {
            let order = $0.legalName.localizedStandardCompare($1.legalName)
            return order == .orderedSame ? $0.mrn < $1.mrn : order == .orderedAscending
        }
    }

    /// The refusal for a name several patients match: each candidate's MRN and name, one a line, to choose by MRN.
    static func ambiguity(_ key: String, _ candidates: [Patient]) -> String {
        var text = "\(candidates.count) patients match \"\(key.prefix(40))\"; give the MRN of the one you mean:"
        for p in candidates.prefix(listed) {
            let preferred = p.preferredName.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty || $0 == p.legalName ? nil : $0 }
            text += "\n  \(p.mrn)  \(p.legalName)" + (preferred.map { " (\($0))" } ?? "")
        }
        if candidates.count > listed { text += "\n  … and \(candidates.count - listed) more; type more of the name" }
        return text
    }
}

/// `caseload report week`: census and hours per patient for one program week.
struct WeekReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "week",
        abstract: "The week's census: active patients with attended against required hours and where each stands."
    )

    @Option(name: .long, help: "The document.")
    var file: String

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    @Option(name: .long, parsing: .unconditional, help: "A day in the week (default: today).")
    var date: String = "today"

    @Option(name: .long, help: "text, csv, md or html.")
    var format: ReportFormat = .text

    func run() throws {
        let (doc, keys, audit) = try ReportSupport.load(file, passphrase: passphrase)
        let day = try ReportSupport.date(date, option: "--date", today: ReportSupport.today(doc.program))
        let census = WeekCensus.build(containing: day, doc: doc, schedule: ScheduleIndex(doc))
        try ReportSupport.emit(ReportSupport.marked(census.rendered(as: format), format: format, program: doc.program), to: nil)
        CLIAudit.record([AuditEvent(AuditAction.report, ["report:week", CLIAudit.period(census.week.first, census.week.last), "format:\(format.rawValue)"])],
                        path: file, seal: audit, document: doc, keys: keys)
    }
}
