import Foundation

extension Alerts {
    /// Days after admission by which an active patient should have a signed comprehensive evaluation.
    public static let evaluationDueDays = 7
    /// Days before a review's due date from which it is announced.
    public static let evaluationReviewNoticeDays = 7

    /// The comprehensive-evaluation alerts of one patient not discharged (issue 19):
    /// - evaluationReview: the latest signed evaluation's date plus `program.clinical.evaluationReviewDays` is the review's
    ///   due date; due today or within the next 7 days is a warning, past it (before today) critical ("overdue since").
    /// - evaluationMissing: an active patient admitted (admission date, or the first care entry) 7 or more days ago with no
    ///   signed evaluation: a warning, until one is signed. An unsigned draft does not count.
    static func evaluationAlerts(_ patient: Patient, today: LocalDate, program: Program) -> [Alert] {
        if let latest = patient.latestSignedEvaluation {
            let due = latest.date.adding(days: max(0, program.clinical.evaluationReviewDays))
            if due < today {
                return [Alert(kind: .evaluationReview, patient: patient.id, date: due,
                              message: "evaluation review overdue since \(dayText(due))", severity: .critical)]
            }
            if today.days(until: due) <= evaluationReviewNoticeDays {
                let when = due == today ? "today" : dayText(due)
                return [Alert(kind: .evaluationReview, patient: patient.id, date: due,
                              message: "evaluation review due \(when)", severity: .warning)]
            }
            return []
        }
        guard patient.status == .active, let admitted = patient.admissionDate ?? patient.careHistory.first?.date else { return [] }
        let days = admitted.days(until: today)
        guard days >= evaluationDueDays else { return [] }
        return [Alert(kind: .evaluationMissing, patient: patient.id, date: admitted.adding(days: evaluationDueDays),
                      message: "no signed evaluation \(count(days, "day")) after admission", severity: .warning)]
    }
}
