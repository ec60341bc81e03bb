import Foundation

extension AuditAction {
    /// A measure was signed (entered): names the patient and the measure, never a score.
    public static let measureSign = "measure.sign"
    /// A safety follow-up was recorded on a measure: names the patient and the measure, never what was written.
    public static let measureFollowUp = "measure.followUp"
}

extension AuditEvent {
    /// The events of a patient's field path about measures, when it is about them: the whole list appearing (a first
    /// measure) signs each new one; otherwise as `measureEvent`.
    static func measureEvents(_ path: String, patient: PatientID, before: CaseloadDocument, after: CaseloadDocument) -> [AuditEvent]? {
        let name = AuditEvent.patient(patient)
        if path == "measures" {
            let old = Set(before.patient(patient)?.measures.map(\.id) ?? [])
            let added = (after.patient(patient)?.measures ?? []).filter { !old.contains($0.id) }
            return added.map { AuditEvent(AuditAction.measureSign, [name, "measure:\($0.id.rawValue)"]) }
        }
        return measureEvent(path).map { [AuditEvent($0.action, [name, "measure:\($0.measure)"])] }
    }

    /// The event of a patient's field path about a measure, when it is one: a measure added (signed at entry) or its
    /// signature changed is `measure.sign`; a follow-up recorded is `measure.followUp`. Ids: the measure's.
    static func measureEvent(_ path: String) -> (action: String, measure: String)? {
        guard path.hasPrefix("measures["), let close = path.firstIndex(of: "]") else { return nil }
        let id = String(path[path.index(path.startIndex, offsetBy: 9)..<close])
        let rest = path[path.index(after: close)...]
        if rest.isEmpty || rest.hasPrefix(".signature") { return (AuditAction.measureSign, id) }
        if rest.hasPrefix(".followUp") { return (AuditAction.measureFollowUp, id) }
        return nil
    }
}
