import ArgumentParser
import CaseloadCore
import CaseloadStore
import Foundation

/// `caseload export`: the document in other formats.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the schedule for other programs.",
        subcommands: [ExportICSCommand.self]
    )
}

/// `caseload export ics`: the schedule as an iCalendar file, without any patient data.
struct ExportICSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ics",
        abstract: "Write the sessions as an iCalendar (.ics) file for calendar apps: titles, times and rooms only, no patients.",
        discussion: """
            Series become recurring events; moved occurrences are overrides (RECURRENCE-ID), cancelled ones are left out (EXDATE).
            Dates accept 2026-12-01, today, tomorrow, mon, +3d, -2w (relative to CASELOAD_NOW when set).
            """
    )

    @Option(name: .long, help: "The document to export.")
    var file: String

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    @Option(name: .long, help: "Only the sessions this staff member facilitates (login or staff ID).")
    var staff: String?

    @Option(name: .long, parsing: .unconditional, help: "First day to include.")
    var from: String?

    @Option(name: .long, parsing: .unconditional, help: "Last day to include.")
    var to: String?

    @Option(name: .long, help: "Write to this file (mode 0600) instead of standard output.")
    var out: String?

    @Flag(name: .long, help: "Replace the --out file if one is there (never a Caseload document, its lock or backups).")
    var force = false

    func validate() throws {
        if force && out == nil { throw ValidationError("--force is only for --out") }
    }

    func run() throws {
        // Before the export is built: a refused place is said at once.
        try ReportSupport.checkOut(out, force: force, document: file)
        let (document, keys, audit) = try ReportSupport.load(file, passphrase: passphrase)
        let zone = TimeZone(identifier: document.program.timeZone) ?? .gmt
        let now = Clock.now(zone: zone)
        let today = Recurrence.local(now, in: zone).date

        func date(_ text: String?, _ flag: String) throws -> LocalDate? {
            guard let text else { return nil }
            guard let date = DateInput.parse(text, today: today) else {
                throw fail("--\(flag) \(text): not a date (use 2026-12-01, today, tomorrow, mon, +3d or -2w)")
            }
            return date
        }
        let first = try date(from, "from")
        let last = try date(to, "to")
        if let first, let last, last < first {
            throw fail("--to \(last) is before --from \(first)")
        }

        var staffID: StaffID? = nil
        if let staff {
            guard let member = document.staff.first(where: { $0.login == staff }) ?? document.staffMember(StaffID(staff)) else {
                let known = document.staff.map(\.login).sorted().joined(separator: ", ")
                throw fail("no staff member with login or ID \"\(staff)\" in \(file)" + (known.isEmpty ? "" : " (logins: \(known))"))
            }
            staffID = member.id
        }

        let text = ICalendarExport.export(document, staff: staffID, from: first, to: last, now: now)
        try ReportSupport.emit(text, to: out, force: force, document: file, fromEncrypted: keys != nil)
        let ids = ["report:ics", CLIAudit.period(first, last), "format:ics"] + (staffID.map { ["staff:\($0.rawValue)"] } ?? [])
        CLIAudit.record([AuditEvent(AuditAction.export, ids)], path: file, seal: audit, document: document, keys: keys)
    }
}
