// TEMPORARY until the issue 19 foundation lands on main: removed at the merge.
extension CaseloadDocument {
    public func makeSignature(by: StaffID, at: Timestamp) -> Signature { Signature(by: by, at: at) }
}
/// Temporary stand-in.
public struct ClinicalSettings: Equatable, Sendable {
    public var evaluationReviewDays = 90
    public var levelOfCareRule = LevelOfCareRule.standard
}
extension Program {
    public var clinical: ClinicalSettings { ClinicalSettings() }
}
