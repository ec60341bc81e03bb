import Foundation

/// Why a compliance letter may not be written: 42 CFR Part 2 allows the disclosure only under a consent valid today that names the recipient.
public enum LetterRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The patient has no consent at all.
    case noConsent
    /// No recipient was given and the patient has no probation, parole or court officer on record.
    case noRecipient
    /// The consent naming the recipient ended on this day.
    case expired(LocalDate)
    /// The consent naming the recipient was revoked on this day.
    case revoked(LocalDate)
    /// Consents exist, but none names the recipient; these are the recipients they name.
    case otherRecipient([String])
    /// The consent naming the recipient is dated after today.
    case notYetSigned

    public var description: String {
        switch self {
        case .noConsent:
            "this patient has no consent to disclose on file; 42 CFR Part 2 forbids the letter without one"
        case .noRecipient:
            "no recipient given and the patient has no officer on record; name one with --recipient"
        case .expired(let date):
            "the consent naming this recipient expired on \(date); a new signed consent is needed"
        case .revoked(let date):
            "the patient revoked the consent naming this recipient on \(date)"
        case .otherRecipient(let names):
            "no consent names this recipient; consents on file name: " + names.joined(separator: "; ")
        case .notYetSigned:
            "the consent naming this recipient is dated after today and is not in force yet"
        }
    }
}

/// A letter to a probation officer or court on a patient's attendance, made only under a valid 42 CFR Part 2 consent, carrying the program's redisclosure notice.
public enum ComplianceLetter {
    /// The consent allowing a letter to `recipient` today (case-insensitive: the consent's recipient contains the text), or, when `recipient` is nil, to the patient's probation, parole or court officer.
    /// Among several valid consents the one lasting longest is chosen; when none is valid, the refusal explains the latest-signed consent naming the recipient.
    public static func consent(for patient: Patient, recipient: String?, on today: LocalDate) -> Result<Consent, LetterRefusal> {
        let wanted = (recipient ?? patient.legal?.officer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !wanted.isEmpty else { return .failure(patient.consents.isEmpty ? .noConsent : .noRecipient) }
        guard !patient.consents.isEmpty else { return .failure(.noConsent) }
        let naming = patient.consents.filter { $0.recipient.range(of: wanted, options: [.caseInsensitive, .diacriticInsensitive]) != nil }
        guard !naming.isEmpty else {
            return .failure(.otherRecipient(patient.consents.map(\.recipient)))
        }
        let valid = naming.filter { $0.state(on: today).allowsDisclosure }
        // No expiry date (it ends on an event) counts as lasting longest.
        if let best = valid.max(by: { a, b in
            switch (a.expires, b.expires) {
            case (nil, _): false
            case (_, nil): true
            case let (x?, y?): x < y
            }
        }) {
            return .success(best)
        }
        guard let latest = naming.max(by: { $0.signed < $1.signed }) else { return .failure(.noConsent) }
        switch latest.state(on: today) {
        case .revoked: return .failure(.revoked(latest.revoked ?? today))
        case .expired: return .failure(.expired(latest.expires ?? today))
        case .notYetSigned: return .failure(.notYetSigned)
        case .active, .expiring: return .success(latest)
        }
    }

    /// The letter: program header, addressee, patient (name, MRN, date of birth), period, summary table (sessions scheduled, attended, excused, unexcused, cancelled by the program, did not take place; hours per week against the requirement with each week's basis, weeks cut by the period marked partial and not judged, and the proration rule), the dated sessions (status and minutes, without excuse reasons), the consent it is made under, a signature line for `signer`, and the program's redisclosure notice verbatim. CSV has no letter form: it gives the text letter.
    public static func render(report: AttendanceReport, patient: Patient, program: Program, signer: Staff?, recipient: String, consent: Consent, date: LocalDate, format: ReportFormat) -> String {
        switch format {
        case .text, .csv: text(report, patient, program, signer, recipient, consent, date)
        case .markdown: markdown(report, patient, program, signer, recipient, consent, date)
        case .html: html(report, patient, program, signer, recipient, consent, date)
        }
    }

    static func sessionCells(_ report: AttendanceReport) -> [[String]] {
        report.rows.map { [$0.date.iso, "\($0.start)–\($0.end)", $0.status, String($0.minutesScheduled), String($0.minutesAttended)] }
    }
    static let sessionHeader = ["date", "time", "status", "sched", "attended"]

    static func consentLine(_ consent: Consent) -> String {
        "Disclosed with the patient's written consent signed \(consent.signed.iso) (purpose: \(consent.purpose))."
    }

    static func text(_ report: AttendanceReport, _ patient: Patient, _ program: Program, _ signer: Staff?, _ recipient: String, _ consent: Consent, _ date: LocalDate) -> String {
        var out = "\(program.name)\nCONFIDENTIAL: attendance report\n\n"
        out += "Date: \(date.iso)\nTo: \(recipient)\n\n"
        out += "Re: \(patient.legalName)\nMRN: \(patient.mrn)\n"
        out += "Date of birth: \(patient.dateOfBirth?.iso ?? "not recorded")\n"
        if let number = patient.legal?.caseNumber { out += "Case number: \(number)\n" }
        out += "Period: \(report.period.first.iso) to \(report.period.last.iso)\n\n"
        out += report.summaryText + "\n"
        if !report.rows.isEmpty {
            out += "Sessions\n" + TextTable.render(header: sessionHeader, rows: sessionCells(report), rightAligned: [3, 4]) + "\n"
        }
        out += TextTable.wrap(consentLine(consent)) + "\n\n"
        out += "Signed: ______________________________\n"
        out += "        \(signer?.signatureName ?? "")\n"
        out += "        \(program.name), \(date.iso)\n\n"
        // The notice's words and paragraphs as the program wrote them, wrapped to print at 80 columns.
        out += TextTable.wrap(program.redisclosureNotice) + "\n"
        return out
    }

    static func markdown(_ report: AttendanceReport, _ patient: Patient, _ program: Program, _ signer: Staff?, _ recipient: String, _ consent: Consent, _ date: LocalDate) -> String {
        var out = "# \(MarkdownText.escape(program.name))\n\n**CONFIDENTIAL: attendance report**\n\n"
        out += "- Date: \(date.iso)\n- To: \(MarkdownText.escape(recipient))\n\n"
        out += "- Re: \(MarkdownText.escape(patient.legalName))\n- MRN: \(MarkdownText.escape(patient.mrn))\n"
        out += "- Date of birth: \(patient.dateOfBirth?.iso ?? "not recorded")\n"
        if let number = patient.legal?.caseNumber { out += "- Case number: \(MarkdownText.escape(number))\n" }
        out += "- Period: \(report.period.first.iso) to \(report.period.last.iso)\n\n"
        out += report.summaryMarkdown + "\n"
        if !report.rows.isEmpty {
            out += "## Sessions\n\n" + MarkdownText.table(header: ["Date", "Time", "Status", "Scheduled (min)", "Attended (min)"], rows: sessionCells(report)) + "\n"
        }
        out += MarkdownText.escape(consentLine(consent)) + "\n\n"
        out += "Signed: ______________________________  \n\(MarkdownText.escape(signer?.signatureName ?? ""))  \n\(MarkdownText.escape(program.name)), \(date.iso)\n\n"
        // The notice verbatim: a fenced block keeps its characters and line breaks exactly.
        out += "```\n" + program.redisclosureNotice + "\n```\n"
        return out
    }

    static func html(_ report: AttendanceReport, _ patient: Patient, _ program: Program, _ signer: Staff?, _ recipient: String, _ consent: Consent, _ date: LocalDate) -> String {
        var body = "<h1>\(HTMLText.escape(program.name))</h1>\n<p><strong>CONFIDENTIAL: attendance report</strong></p>\n"
        body += "<p>Date: \(date.iso)<br>\nTo: \(HTMLText.escape(recipient))</p>\n"
        body += "<p>Re: \(HTMLText.escape(patient.legalName))<br>\nMRN: \(HTMLText.escape(patient.mrn))<br>\n"
        body += "Date of birth: \(patient.dateOfBirth?.iso ?? "not recorded")<br>\n"
        if let number = patient.legal?.caseNumber { body += "Case number: \(HTMLText.escape(number))<br>\n" }
        body += "Period: \(report.period.first.iso) to \(report.period.last.iso)</p>\n"
        body += report.summaryHTML
        if !report.rows.isEmpty {
            body += "<h2>Sessions</h2>\n" + HTMLText.table(header: ["Date", "Time", "Status", "Scheduled (min)", "Attended (min)"], rows: sessionCells(report))
        }
        body += "<p>\(HTMLText.escape(consentLine(consent)))</p>\n"
        body += "<p>Signed: ______________________________<br>\n\(HTMLText.escape(signer?.signatureName ?? ""))<br>\n\(HTMLText.escape(program.name)), \(date.iso)</p>\n"
        body += "<p class=\"notice\">\(HTMLText.escape(program.redisclosureNotice))</p>\n"
        return HTMLText.document(title: "\(program.name): attendance report", body: body)
    }
}

extension PatientEdits {
    /// Appends a disclosure to `patient`'s log: made on `date` to `recipient` under `consent`, covering `from`…`to`. The ID is the next free `dis_N`. Refused when the consent is not the patient's or is not valid on `date`.
    public static func recordDisclosure(_ patient: PatientID, recipient: String, on date: LocalDate, from: LocalDate, to: LocalDate, consent: ItemID, what: String, by: StaffID?, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try existing(patient, in: doc)
        let field = "patients[\(patient)].disclosures"
        guard let granted = p.consents.first(where: { $0.id == consent }) else {
            throw refusal(field, "this patient has no consent with the ID \"\(consent)\"")
        }
        guard granted.state(on: date).allowsDisclosure else {
            throw refusal(field, "the consent \"\(consent)\" does not allow a disclosure on \(date)")
        }
        let used = Set(p.disclosures.map(\.id.rawValue))
        var n = p.disclosures.count + 1
        while used.contains("dis_\(n)") { n += 1 }
        p.disclosures.append(Disclosure(id: ItemID("dis_\(n)"), recipient: recipient, date: date, from: from, to: to, consent: consent, what: what, by: by))
        return .putPatient(p)
    }
}
