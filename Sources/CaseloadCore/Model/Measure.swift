import Foundation

/// One scored outcome measure (a PHQ-9, GAD-7, BAM or a program's own instrument) as entered from the patient's form:
/// the item scores only, never the questionnaire's wording; totals and bands are computed from its `Instrument`.
public struct Measure: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    /// The instrument's id ("phq9"); a measure of an instrument no longer known still shows its raw scores.
    public var instrument: String
    /// The day the patient filled it in.
    public var date: LocalDate
    /// Item scores, item 1 first.
    public var scores: [Int]
    /// Who entered it.
    public var by: StaffID?
    /// The instrument's safety item number when it was entered, kept so a follow-up is still asked for when the
    /// instrument's file is later removed.
    public var safetyItem: Int?
    public var signature: Signature?
    /// What a clinician did about a safety item above zero; the safety alert clears once it is recorded.
    public var followUp: SafetyFollowUp?

    public init(id: ItemID, instrument: String, date: LocalDate, scores: [Int], by: StaffID? = nil, safetyItem: Int? = nil,
                signature: Signature? = nil, followUp: SafetyFollowUp? = nil) {
        self.id = id; self.instrument = instrument; self.date = date; self.scores = scores; self.by = by
        self.safetyItem = safetyItem; self.signature = signature; self.followUp = followUp
    }

    /// The safety item's score, when there is one.
    public var safetyScore: Int? {
        guard let safetyItem, safetyItem >= 1, safetyItem <= scores.count else { return nil }
        return scores[safetyItem - 1]
    }

    /// The safety item was answered above zero and no follow-up is recorded yet.
    public var needsSafetyFollowUp: Bool { (safetyScore ?? 0) > 0 && followUp == nil }
}

/// A clinician's follow-up of a safety item answered above zero: who was contacted or assessed, when, and what was done.
public struct SafetyFollowUp: Codable, Equatable, Sendable {
    /// Who was contacted or assessed ("patient, in person").
    public var who: String
    /// When, in the clinician's words ("today 15:10").
    public var when: String
    /// What was done ("safety plan reviewed; crisis line given").
    public var action: String
    /// The clinician who recorded it, and when it was recorded.
    public var by: StaffID
    public var at: Timestamp

    public init(who: String, when: String, action: String, by: StaffID, at: Timestamp) {
        self.who = who; self.when = when; self.action = action; self.by = by; self.at = at
    }
}
