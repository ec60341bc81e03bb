import Foundation

/// A program's clinical timing rules: when evaluations are reviewed, how long a note may wait for co-signature,
/// how often outcome measures are given. Each field may be missing in the file (its default then).
public struct ClinicalSettings: Codable, Equatable, Sendable {
    /// Days after the latest signed evaluation that a level-of-care review is due.
    public var evaluationReviewDays: Int
    /// Days a signed note may wait for its co-signature before an alert says so.
    public var coSignatureAlertDays: Int
    /// Days between outcome measures, counted from admission and then from the last one given.
    public var measureEveryDays: Int

    public static let defaultEvaluationReviewDays = 90
    public static let defaultCoSignatureAlertDays = 7
    public static let defaultMeasureEveryDays = 30

    public init(evaluationReviewDays: Int = ClinicalSettings.defaultEvaluationReviewDays,
                coSignatureAlertDays: Int = ClinicalSettings.defaultCoSignatureAlertDays,
                measureEveryDays: Int = ClinicalSettings.defaultMeasureEveryDays) {
        self.evaluationReviewDays = evaluationReviewDays; self.coSignatureAlertDays = coSignatureAlertDays
        self.measureEveryDays = measureEveryDays
    }

    private enum CodingKeys: String, CodingKey { case evaluationReviewDays, coSignatureAlertDays, measureEveryDays }

    /// Any field may be missing: its default then.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        evaluationReviewDays = try c.decodeIfPresent(Int.self, forKey: .evaluationReviewDays) ?? Self.defaultEvaluationReviewDays
        coSignatureAlertDays = try c.decodeIfPresent(Int.self, forKey: .coSignatureAlertDays) ?? Self.defaultCoSignatureAlertDays
        measureEveryDays = try c.decodeIfPresent(Int.self, forKey: .measureEveryDays) ?? Self.defaultMeasureEveryDays
    }
}

/// Where a signature stands: waiting for the supervisor's co-signature, or final.
public enum SignatureState: String, Equatable, Sendable {
    case awaitingCoSignature, final

    /// Where a note (or evaluation, or measure) with this optional signature stands.
    public static func of(_ signature: Signature?) -> NoteSignState {
        guard let signature else { return .unsigned }
        return signature.state == .final ? .final : .awaitingCoSignature
    }
}

/// Where a signable record stands: `✎` unsigned, `◐` awaiting co-signature, `✓` final.
public enum NoteSignState: String, Equatable, Sendable {
    case unsigned, awaitingCoSignature, final

    /// Only a final record counts as complete in reports and letters.
    public var isComplete: Bool { self == .final }
}

extension CaseloadDocument {
    /// The signature `staff` gives at `at`: it needs co-signature when the signer's `needsCoSignature` is set now.
    /// Every signing (notes, evaluations, measures) goes through here so co-signature applies to all of them.
    public func makeSignature(by staff: StaffID, at: Timestamp) -> Signature {
        Signature(by: staff, at: at, needsCoSignature: staffMember(staff)?.needsCoSignature ?? false)
    }
}
