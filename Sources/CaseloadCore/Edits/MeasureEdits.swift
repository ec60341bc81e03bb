import Foundation

/// Outcome measures entered and followed up, each as one undoable `DocumentEdit` (a `putPatient`).
public enum MeasureEdits {
    /// Adds a signed measure of `instrument` to `patient`: the scores are checked against the instrument, the
    /// signature is the document's (`makeSignature`, so a signer who needs co-signature is marked so) by `by` at `at`,
    /// and the instrument's safety item number is kept with it. Refused for an unknown patient or staff member, an ID
    /// already used, scores that do not fit the instrument, or a date outside the years the file accepts.
    public static func add(_ patient: PatientID, id: ItemID, instrument: Instrument, date: LocalDate, scores: [Int],
                           by: StaffID, at: Timestamp, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try PatientEdits.existing(patient, in: doc)
        let field = "patients[\(patient)].measures"
        guard doc.staffMember(by) != nil else { throw PatientEdits.refusal("\(field).by", "no staff member has the ID \"\(by)\"") }
        if let problem = instrument.problem(with: scores) { throw PatientEdits.refusal("\(field).scores", problem) }
        if p.measures.contains(where: { $0.id == id }) { throw PatientEdits.refusal(field, "a measure with the ID \"\(id)\" is already recorded") }
        let measure = Measure(id: id, instrument: instrument.id, date: date, scores: scores, by: by, safetyItem: instrument.safetyItem,
                              signature: signature(by: by, at: at, in: doc))
        p.measures.append(measure)
        return .putPatient(p)
    }

    /// Records a clinician's follow-up of `measure`'s safety item: who was contacted or assessed, when, and what was
    /// done, by `by` at `at`. Refused when a part is blank, the measure is not there, its safety item was not answered
    /// above zero, or a follow-up is already recorded.
    public static func recordFollowUp(_ patient: PatientID, measure: ItemID, who: String, when: String, action: String,
                                      by: StaffID, at: Timestamp, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var p = try PatientEdits.existing(patient, in: doc)
        let field = "patients[\(patient)].measures[\(measure)].followUp"
        guard let i = p.measures.firstIndex(where: { $0.id == measure }) else {
            throw PatientEdits.refusal(field, "no measure has the ID \"\(measure)\"")
        }
        guard (p.measures[i].safetyScore ?? 0) > 0 else {
            throw PatientEdits.refusal(field, "this measure's safety item was not answered above zero: there is nothing to follow up")
        }
        if let earlier = p.measures[i].followUp {
            throw PatientEdits.refusal(field, "a follow-up was already recorded (\(earlier.at)); add to the notes instead")
        }
        guard doc.staffMember(by) != nil else { throw PatientEdits.refusal("\(field).by", "no staff member has the ID \"\(by)\"") }
        let parts = [who, when, action].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if parts[0].isEmpty { throw PatientEdits.refusal("\(field).who", "say who was contacted or assessed") }
        if parts[1].isEmpty { throw PatientEdits.refusal("\(field).when", "say when") }
        if parts[2].isEmpty { throw PatientEdits.refusal("\(field).action", "say what was done") }
        p.measures[i].followUp = SafetyFollowUp(who: parts[0], when: parts[1], action: parts[2], by: by, at: at)
        return .putPatient(p)
    }

    /// The signature a measure gets: the document's, so co-signature rules apply to measures as to notes.
    static func signature(by: StaffID, at: Timestamp, in doc: CaseloadDocument) -> Signature {
        doc.makeSignature(by: by, at: at)
    }

    /// A new measure ID for `patient`: `msr_N` plus this instance's tag (`NewIDs`), unused in the patient's measures.
    public static func newID(for patient: Patient) -> ItemID {
        let tag = NewIDs.tag
        let taken = Set(patient.measures.map(\.id.rawValue))
        var n = patient.measures.count + 1
        while taken.contains("msr_\(n)\(tag)") { n += 1 }
        return ItemID("msr_\(n)\(tag)")
    }
}

extension Validator {
    /// A patient's measures: unique IDs, dates in the years the file accepts, scores 0–9 (one key each), a recorded
    /// follow-up with its three parts written.
    static func checkMeasures(_ measures: [Measure], path: String) -> [ValidationIssue] {
        var issues = duplicates(measures.map(\.id.rawValue), path: "\(path).measures", what: "ID")
        for (i, m) in measures.enumerated() {
            let f = "\(path).measures[\(i)]"
            if !yearRange.contains(m.date.year) {
                issues.append(ValidationIssue(field: "\(f).date", message: "\(m.date) is outside \(yearRange.lowerBound)–\(yearRange.upperBound)"))
            }
            if isBlank(m.instrument) { issues.append(ValidationIssue(field: "\(f).instrument", message: "a measure names its instrument")) }
            if m.scores.isEmpty || m.scores.contains(where: { !(0...9).contains($0) }) {
                issues.append(ValidationIssue(field: "\(f).scores", message: "a measure has at least one score, each 0–9"))
            }
            if let item = m.safetyItem, !(1...max(1, m.scores.count)).contains(item) {
                issues.append(ValidationIssue(field: "\(f).safetyItem", message: "item \(item) is not one of the \(m.scores.count) scored"))
            }
            if let f2 = m.followUp, isBlank(f2.who) || isBlank(f2.when) || isBlank(f2.action) {
                issues.append(ValidationIssue(field: "\(f).followUp", message: "a follow-up says who, when and what was done"))
            }
        }
        return issues
    }
}
