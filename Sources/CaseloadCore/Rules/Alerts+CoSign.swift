import Foundation

extension Alerts {
    /// coSignatureOverdue (issue 19): a note, or an addendum, that has waited for its co-signature more than the
    /// program's `clinical.coSignatureAlertDays` days (7 by default) since it was signed: one warning each, naming the
    /// patient for a member's note (the list shows the name, never the message), the session and who is to co-sign it.
    /// Every stored session is read, not only the recent ones: a note waits until it is co-signed, however old.
    /// `unsignedNote` is about notes with no signature at all; a note awaiting co-signature is only counted here.
    static func coSignatureAlerts(_ doc: CaseloadDocument, now: Date) -> [Alert] {
        let days = max(0, doc.program.clinical.coSignatureAlertDays)
        return CoSigning.waiting(in: doc).compactMap { item in
            let waited = item.daysWaiting(now: now)
            guard now.timeIntervalSince(item.signedAt.date) > TimeInterval(days) * 86_400 else { return nil }
            let what = item.target.addendum != nil ? "addendum" : item.target.patient == nil ? "group note" : "member note"
            let who = item.coSigner.flatMap { doc.staffMember($0)?.name }.map { "co-signature by \($0)" }
                ?? "co-signature (no supervisor named: :staff)"
            return Alert(kind: .coSignatureOverdue, patient: item.target.patient, session: item.target.session, date: item.date,
                         message: "\(what) for \(item.title) on \(dayText(item.date)) has waited \(count(waited, "day")) for \(who)",
                         severity: .warning)
        }
    }
}
