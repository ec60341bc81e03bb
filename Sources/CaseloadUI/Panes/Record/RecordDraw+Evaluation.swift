import CaseloadCore
import Foundation

// The record's "Comprehensive evaluation" section (issue 19) and an evaluation read in full (V, then a version).

/// The section: the latest evaluation in brief (kind, date, signed or draft, the six ratings in a row, the rule's
/// suggestion beside the decision and its reason, when the review is due), the draft being written, and the older versions.
func writeEvaluation(_ w: inout RecordWriter, _ p: Patient, _ doc: CaseloadDocument, today: LocalDate) {
    w.heading(RecordSection.evaluation)
    let all = p.evaluationsByDate
    guard let shown = p.latestSignedEvaluation ?? all.last else {
        w.paragraph([seg("No evaluation yet. V starts the intake evaluation.", .dim)], indent: 2, hang: 2)
        return
    }
    w.field(shown.kind == .intake ? "Intake" : "Review", [seg(shown.date.iso)] + signedText(shown, doc))
    w.field("Ratings", ratingsRow(shown))
    w.field("Level of care", levelText(shown, doc))
    if !shown.decisionReason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        w.field("Why", [seg(shown.decisionReason)])
    }
    if shown.isSigned {
        let due = shown.date.adding(days: max(0, doc.program.clinical.evaluationReviewDays))
        var review = [seg(due.iso)]
        let left = today.days(until: due)
        if left < 0 {
            review.append(seg("  " + nb("⚑ review overdue"), .flag, bold: true))
        } else if left <= Alerts.evaluationReviewNoticeDays {
            review.append(seg("  " + nb("review due" + (left == 0 ? " today" : " in \(left) day\(left == 1 ? "" : "s")")), .statusWarning, bold: true))
        }
        w.field("Review due", review)
    }
    if let draft = p.evaluationDraft, draft.id != shown.id {
        w.field("Draft", [seg("\(draft.kind.label) of \(draft.date.iso), not signed"), seg(" · V continues it", .dim)])
    }
    let older = all.filter { $0.id != shown.id && $0.id != p.evaluationDraft?.id }
    if !older.isEmpty {
        let list = older.reversed().map { "\($0.date.iso) \($0.kind.label)" }.joined(separator: ", ")
        w.field("Earlier", [seg(list), seg(" · V reads them", .dim)])
    }
}

/// " · signed by Dana Reyes, LCSW" or " · draft, not signed".
private func signedText(_ e: Evaluation, _ doc: CaseloadDocument) -> [RecordSegment] {
    guard let signature = e.signature else { return [seg(" · "), seg(nb("draft, not signed"), .statusWarning)] }
    let who = doc.staffMember(signature.by)?.signatureName ?? "a former staff member"
    if let co = signature.coSignature {
        return [seg(" · signed by \(who), co-signed by \(doc.staffMember(co.by)?.signatureName ?? "a former staff member")", .statusOK)]
    }
    if signature.state == .awaitingCoSignature {
        return [seg(" · signed by \(who)"), seg(", " + nb("awaiting co-signature"), .statusWarning)]
    }
    return [seg(" · signed by \(who)", .statusOK)]
}

/// "D1 0  D2 1  D3 3  D4 2  D5 2  D6 1", a dash for a dimension not rated; 3 and 4 stand out.
func ratingsRow(_ e: Evaluation) -> [RecordSegment] {
    var out: [RecordSegment] = []
    for (i, rating) in e.ratings.enumerated() {
        if i > 0 { out.append(seg("  ")) }
        let role: Role = (rating ?? 0) >= 3 ? .statusWarning : .text
        out.append(seg(nb("D\(i + 1) \(rating.map(String.init) ?? "–")"), role, bold: (rating ?? 0) >= 3))
    }
    return out
}

/// "rule: PHP (2.5) · decided: IOP (2.1)"; before signing the rule's suggestion is worked out from the ratings so far.
private func levelText(_ e: Evaluation, _ doc: CaseloadDocument) -> [RecordSegment] {
    let suggested = e.suggested ?? doc.program.clinical.levelOfCareRule.suggest(e.ratings)
    var out = [seg("rule: ", .dim), seg(nb(suggested.label))]
    out.append(seg(" · decided: ", .dim))
    if let decided = e.decided {
        out.append(seg(nb(decided.label), bold: true))
    } else {
        out.append(seg(nb("not yet"), .dim))
    }
    return out
}

/// An evaluation in full, as lines `width` cells wide: every section's heading and text, the substances, the six
/// dimensions with their reasons, the levels, and who signed it when (in the program's time zone).
func evaluationLines(_ e: Evaluation, doc: CaseloadDocument, width: Int) -> [RecordLine] {
    var w = RecordWriter(width: max(1, width))
    func text(_ heading: String, _ body: String) {
        w.heading(heading)
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            w.paragraph([seg("(nothing written)", .dim)], indent: 2, hang: 0)
            return
        }
        for line in trimmed.components(separatedBy: "\n") {
            if line.isEmpty { w.blank() } else { w.paragraph([seg(line)], indent: 2, hang: 0) }
        }
    }
    w.heading("\(e.kind == .intake ? "Intake evaluation" : "Review evaluation") of \(e.date.iso)")
    if let signature = e.signature {
        let zone = TimeZone(identifier: doc.program.timeZone) ?? .gmt
        let local = Recurrence.local(signature.at.date, in: zone)
        let who = doc.staffMember(signature.by)?.signatureName ?? "a former staff member"
        w.paragraph([seg("Signed by \(who) on \(local.date.iso) \(local.time)", .statusOK)], indent: 2, hang: 2)
        if let co = signature.coSignature {
            let coLocal = Recurrence.local(co.at.date, in: zone)
            let coWho = doc.staffMember(co.by)?.signatureName ?? "a former staff member"
            w.paragraph([seg("Co-signed by \(coWho) on \(coLocal.date.iso) \(coLocal.time)", .statusOK)], indent: 2, hang: 2)
        } else if signature.state == .awaitingCoSignature {
            w.paragraph([seg("Awaiting co-signature", .statusWarning)], indent: 2, hang: 2)
        }
    } else {
        w.paragraph([seg("Draft, not signed", .statusWarning)], indent: 2, hang: 2)
    }
    text(EvaluationText.presenting, e.presentingProblem)
    w.heading(EvaluationText.substances)
    if e.substances.isEmpty { w.paragraph([seg("(none recorded)", .dim)], indent: 2, hang: 0) }
    for use in e.substances { w.paragraph([seg(EvaluationText.summary(use))], indent: 2, hang: 2) }
    text(EvaluationText.prior, e.priorTreatment)
    text(EvaluationText.medical, e.medical)
    text(EvaluationText.psychiatric, e.psychiatric)
    text(EvaluationText.legal, e.legal)
    text(EvaluationText.family, e.familySocial)
    text(EvaluationText.employment, e.employmentSchool)
    w.heading("Risk by dimension")
    for i in 0..<Dimension.count {
        let rating = e.ratings[i]
        let words = rating.map { "\($0) \(Dimension.ratingWords[min(max(0, $0), 4)])" } ?? "not rated"
        w.paragraph([seg(Dimension.title(i) + ": ", bold: true), seg(words, (rating ?? 0) >= 3 ? .statusWarning : .text)], indent: 2, hang: 2)
        let reason = e.dimensions.indices.contains(i) ? e.dimensions[i].reason.trimmingCharacters(in: .whitespacesAndNewlines) : ""
        if !reason.isEmpty { w.paragraph([seg(reason)], indent: 4, hang: 0) }
    }
    w.heading("Level of care")
    w.field("Rule suggested", [seg(e.suggested.map(\.label) ?? doc.program.clinical.levelOfCareRule.suggest(e.ratings).label + " (so far)")])
    w.field("Decided", [seg(e.decided?.label ?? "not yet")])
    w.field("Why", [seg(e.decisionReason.isEmpty ? "(nothing written)" : e.decisionReason)])
    return w.lines
}

/// Headings of the evaluation's sections, in our own words: the form and the reading view share them.
enum EvaluationText {
    static let presenting = "Presenting problem"
    static let substances = "History of use"
    static let prior = "Prior treatment"
    static let medical = "Medical"
    static let psychiatric = "Psychiatric"
    static let legal = "Legal"
    static let family = "Family and social"
    static let employment = "Employment or school"

    /// "alcohol · oral · daily · last 2026-10-30 · first at 15".
    static func summary(_ use: SubstanceUse) -> String {
        var parts = [use.substance]
        if !use.route.isEmpty { parts.append(use.route) }
        if !use.frequency.isEmpty { parts.append(use.frequency) }
        if let last = use.lastUse { parts.append("last \(last.iso)") }
        if let age = use.ageOfFirstUse { parts.append("first at \(age)") }
        return parts.joined(separator: " · ")
    }
}
