import Foundation

/// Whether an unexcused absence of a supervised patient has been reported to their officer, and how.
public enum AbsenceReporting: Equatable, Sendable {
    case notReported
    /// A compliance letter to the officer, made on or after the absence, covers its date.
    case reportedByLetter(Disclosure)
    /// Staff recorded that they reported it another way (`PatientEdits.markAbsenceReported`).
    case reportedByHand(ReportedAbsence)

    /// True unless `.notReported`.
    public var isReported: Bool { self != .notReported }
}

extension Alerts {
    /// Whether `patient`'s unexcused absence at `session` on `date` has been reported: by a letter in the disclosure log
    /// (recipient containing the patient's officer, ignoring case and accents as `ComplianceLetter.consent` does; `from…to`
    /// covering `date`; made on or after `date`), else by hand (an entry of `reportedAbsences` for that session and date).
    /// The letter wins when there are both, the earliest such letter first, since it is the record sent to the officer.
    public static func reportingState(of patient: Patient, session: SessionID, date: LocalDate) -> AbsenceReporting {
        let officer = (patient.legal?.officer ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !officer.isEmpty, let letter = patient.disclosures.first(where: { disclosure in
            disclosure.from <= date && date <= disclosure.to && disclosure.date >= date
                && disclosure.recipient.range(of: officer, options: [.caseInsensitive, .diacriticInsensitive]) != nil
        }) {
            return .reportedByLetter(letter)
        }
        if let entry = patient.reportedAbsences.first(where: { $0.session == session && $0.date == date }) {
            return .reportedByHand(entry)
        }
        return .notReported
    }
}

extension Validator {
    /// The rules of each patient's `reportedAbsences` (`patients[3].reportedAbsences[0].session`): each names a stored
    /// session, has a non-blank note and dates in 1900–2200, and was reported on or after the absence. Kept apart from the
    /// per-patient rules because the session reference needs the whole document.
    static func checkReportedAbsences(in doc: CaseloadDocument) -> [ValidationIssue] {
        guard doc.patients.contains(where: { !$0.reportedAbsences.isEmpty }) else { return [] }
        let stored = Set(doc.sessions.map(\.id))
        var issues: [ValidationIssue] = []
        for (n, p) in doc.patients.enumerated() {
            for (i, entry) in p.reportedAbsences.enumerated() {
                let f = "patients[\(n)].reportedAbsences[\(i)]"
                if !stored.contains(entry.session) {
                    issues.append(.init(field: "\(f).session", message: "no stored session has the ID \"\(entry.session)\""))
                }
                if entry.note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    issues.append(.init(field: "\(f).note", message: "say how and to whom the absence was reported"))
                }
                for (name, day) in [("date", entry.date), ("reportedOn", entry.reportedOn)] where !yearRange.contains(day.year) {
                    issues.append(.init(field: "\(f).\(name)", message: "\(day) is outside \(yearRange.lowerBound)–\(yearRange.upperBound)"))
                }
                if entry.reportedOn < entry.date {
                    issues.append(.init(field: "\(f).reportedOn", message: "must be on or after the absence on \(entry.date)"))
                }
            }
        }
        return issues
    }
}
