import ArgumentParser
import CaseloadCore
import CaseloadStore
import Foundation

/// What `caseload audit PATH ACTION` does.
enum AuditCommandAction: String, ExpressibleByArgument, CaseIterable {
    case verify, show
}

/// The two forms `audit show` writes.
enum AuditShowFormat: String, ExpressibleByArgument, CaseIterable {
    case text, csv
}

/// `caseload audit PATH verify | show`: checks the document's audit trail, or lists who did what.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify a document's audit trail (PATH.audit), or show who did what and when.",
        usage: "caseload audit PATH verify | show [--patient MRN|NAME|ID] [--staff LOGIN] [--from DATE] [--to DATE] [--format text|csv]",
        discussion: """
            verify: exit 0 with the number of entries when the chain is intact and at least as long as the document \
            recorded at its last save; exit 1 naming the first entry (and its line in PATH.audit) that was changed, \
            removed, reordered or cut off, or an entry recording such a gap. \
            show: the entries that verify, oldest first, times in the program's time zone (csv: UTC); listing stops \
            at the first problem, which is said on standard error (exit 1). Dates accept 2026-12-01, today, mon, -4w.
            """
    )

    @Argument(help: "The document.")
    var path: String

    @Argument(help: "verify or show.")
    var action: AuditCommandAction

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    @Option(name: .long, help: "show: only entries about this patient (MRN, ID, or a name only one patient's name contains).")
    var patient: String?

    @Option(name: .long, help: "show: only entries made by this staff login (or staff ID, or account name).")
    var staff: String?

    @Option(name: .long, parsing: .unconditional, help: "show: from this day on (in the program's time zone).")
    var from: String?

    @Option(name: .long, parsing: .unconditional, help: "show: up to and including this day (in the program's time zone).")
    var to: String?

    @Option(name: .long, help: "show: text or csv.")
    var format: AuditShowFormat = .text

    func validate() throws {
        if action == .verify && (patient != nil || staff != nil || from != nil || to != nil || format != .text) {
            throw ValidationError("verify takes no --patient, --staff, --from, --to or --format (they are for show)")
        }
    }

    func run() throws {
        if DatabaseLogin.isAddress(path) { return try runOnDatabase() }
        let keys = try Unlocking.keys(for: path, options: passphrase)
        let decoded: DecodedDocument
        do { decoded = try DocumentStore.read(path, keys: keys) } catch { throw fail(error.description) }
        let trail = path + ".audit"
        guard let seal = decoded.audit else {
            throw fail("\(path) has no audit trail keys yet: the trail starts at the first save by this Caseload (open it, or make any change)")
        }
        let read: (entries: [AuditEntry], problem: AuditProblem?)
        do {
            read = try AuditLog.read(documentPath: DocumentStore.resolvedPath(path), seal: seal, encrypted: keys != nil)
        } catch {
            throw fail(error.description)
        }
        switch action {
        case .verify: try verify(read, seal: seal, trail: trail, zone: TimeZone(identifier: decoded.document.program.timeZone) ?? Clock.demoZone)
        case .show: try show(read, document: decoded.document, trail: trail)
        }
    }

    /// The same check and listing for a database home (issue 20): its trail table holds the trail file's lines.
    private func runOnDatabase() throws {
        let address = try DatabaseLogin.address(path)
        let opened = try DatabaseLogin.open(address, readOnly: true, passphrase: passphrase, offlineFolder: nil)
        defer { opened.store.close() }
        guard let document = opened.document else { throw fail("\(address.display) holds no program yet") }
        let trail: (bytes: [UInt8], seal: AuditSeal?)
        do { trail = try opened.store.trailBytes() } catch { throw fail(error.description) }
        guard let seal = trail.seal else { throw fail("\(address.display) has no audit trail yet: it starts with the first entry recorded there") }
        let read = AuditTrail.readLeniently(trail.bytes, seal: seal, encrypted: opened.store.isEncrypted)
        let name = "\(address.display) (caseload_audit)"
        switch action {
        case .verify: try verify(read, seal: seal, trail: name, zone: TimeZone(identifier: document.program.timeZone) ?? Clock.demoZone)
        case .show: try show(read, document: document, trail: name)
        }
    }

    // MARK: verify

    private func verify(_ read: (entries: [AuditEntry], problem: AuditProblem?), seal: AuditSeal, trail: String, zone: TimeZone) throws {
        if let problem = read.problem { throw fail(AuditReport.failure(problem, trail: trail)) }
        // The trail's own records of trouble: a gap fails, a torn tail that was cut off is said.
        if let gap = read.entries.first(where: { $0.action == AuditAction.gap }) {
            throw fail("\(trail): entry \(gap.sequence) (line \(gap.sequence) of \(trail)) records a gap: \(AuditReport.gapDetail(gap)); entries before it were removed or replaced")
        }
        for torn in read.entries where torn.action == AuditAction.tornTail {
            Passphrases.tell("note: \(trail): entry \(torn.sequence) records that a crash cut off the entry after entry \(torn.sequence - 1) while it was written; it was removed (\(torn.ids.joined(separator: " ")))")
        }
        var line = "\(trail): \(AuditReport.grouped(read.entries.count)) entr\(read.entries.count == 1 ? "y" : "ies"), chain intact"
        if let last = read.entries.last { line += ", through \(AuditReport.localTime(last.at, zone: zone))" }
        line += " (the document recorded \(AuditReport.grouped(seal.count)) at its last save)"
        print(TerminalText.safe(line))
    }

    // MARK: show

    private func show(_ read: (entries: [AuditEntry], problem: AuditProblem?), document: CaseloadDocument, trail: String) throws {
        // The program's time zone, as the app shows times (the Record's Access section) and reports count days.
        let zone = TimeZone(identifier: document.program.timeZone) ?? Clock.demoZone
        let today = Recurrence.local(Clock.now(zone: zone), in: zone).date
        let first = try from.map { try ReportSupport.date($0, option: "--from", today: today) }
        let last = try to.map { try ReportSupport.date($0, option: "--to", today: today) }
        if let first, let last, first > last { throw fail("--from \(first) is after --to \(last)") }
        var patientID: PatientID? = nil
        var header: String? = nil
        if let patient {
            switch PatientLookup.find(patient, in: document.patients) {
            case .found(let found):
                patientID = found.id
                // The MRN only: the trail never names a patient, and neither does what is printed from it.
                header = "entries about patient \(found.mrn) (patient:\(found.id.rawValue))"
            case .none: throw fail("no patient has the MRN, ID or name \"\(patient.prefix(40))\"")
            case .several(let candidates): throw fail(PatientLookup.ambiguity(patient, candidates))
            }
        }
        var logins: Set<String> = []
        if let staff {
            logins.insert(staff)
            if let member = document.staffMember(StaffID(staff)), !member.login.isEmpty { logins.insert(member.login) }
        }
        let wanted = read.entries.filter { entry in
            if let patientID, !entry.ids.contains(AuditEvent.patient(patientID)) { return false }
            if staff != nil, !logins.contains(entry.who) { return false }
            let day = Recurrence.local(entry.at, in: zone).date
            if let first, day < first { return false }
            if let last, day > last { return false }
            return true
        }
        switch format {
        case .text:
            var out = ""
            if let header { out += "\(trail): \(header)\n" }
            out += AuditReport.text(wanted, zone: zone)
            if wanted.isEmpty { out += "no entries match\n" }
            try ReportSupport.emit(out, to: nil)
        case .csv:
            try ReportSupport.emit(AuditReport.csv(wanted), to: nil)
        }
        if let problem = read.problem {
            throw fail("the trail stops being trustworthy here: " + AuditReport.failure(problem, trail: trail))
        }
    }
}

/// How `caseload audit` words and lays out what it found.
enum AuditReport {
    /// `PATH.audit: entry 57 was changed … (line 57 of PATH.audit)`.
    static func failure(_ problem: AuditProblem, trail: String) -> String {
        var text = "\(trail): \(problem.description)"
        if let line = line(of: problem) { text += " (line \(line) of \(trail))" }
        return text
    }

    /// The line a problem names (entries are numbered by their line).
    static func line(of problem: AuditProblem) -> Int? {
        switch problem {
        case .malformed(let line, _), .outOfSequence(let line, _, _), .changed(let line), .torn(let line): return line
        case .truncated: return nil
        }
    }

    /// What an `audit.gap` entry's ids say, in words.
    static func gapDetail(_ entry: AuditEntry) -> String {
        let value = { (key: String) in entry.ids.first { $0.hasPrefix(key + ":") }.map { String($0.dropFirst(key.count + 1)) } ?? "?" }
        return "the trail held \(value("found")) entries where the document recorded \(value("expected"))"
    }

    /// 1234 as `1,234`.
    static func grouped(_ number: Int) -> String {
        var digits = String(number.magnitude)
        var out = ""
        while digits.count > 3 {
            out = "," + digits.suffix(3) + out
            digits.removeLast(3)
        }
        return (number < 0 ? "-" : "") + digits + out
    }

    /// `2026-11-30 12:05` in `zone` (the program's).
    static func localTime(_ date: Date, zone: TimeZone = .current) -> String {
        let local = Recurrence.local(date, in: zone)
        return "\(local.date.iso) \(local.time)"
    }

    /// How the person was identified, as the text listing says it.
    static func identityLabel(_ identity: AuditIdentity) -> String {
        switch identity {
        case .slot: return "(passphrase)"
        case .account: return "(account)"
        case .unmapped: return "(unmapped account)"
        }
    }

    /// Columns: local time, who and how identified, action, ids (space-separated).
    static func text(_ entries: [AuditEntry], zone: TimeZone = .current) -> String {
        let rows = entries.map { entry in
            [localTime(entry.at, zone: zone), "\(entry.who) \(identityLabel(entry.identity))", entry.action, entry.ids.joined(separator: " ")]
        }
        var widths = [0, 0, 0]
        for row in rows { for i in 0..<3 { widths[i] = max(widths[i], row[i].count) } }
        return rows.map { row in
            (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "  " + row[3]
        }.map { $0.trimmingCharacters(in: .whitespaces) + "\n" }.joined()
    }

    /// RFC 4180 CSV: `sequence,time_utc,who,identity,action,ids`, ids joined by spaces.
    static func csv(_ entries: [AuditEntry]) -> String {
        var out = CSV.line(["sequence", "time_utc", "who", "identity", "action", "ids"])
        for entry in entries {
            out += CSV.line([String(entry.sequence), Timestamp(entry.at).iso, entry.who, entry.identity.rawValue, entry.action, entry.ids.joined(separator: " ")])
        }
        return out
    }
}
