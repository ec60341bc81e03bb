import Foundation

extension AuditEvent {
    /// A patient field path that signs or co-signs an evaluation (`evaluations[evl_2].signature`,
    /// `evaluations[evl_2].signature.coSignature`): the action and the evaluation's ID; nil for any other path.
    static func evaluationEvent(_ path: String) -> (String, String)? {
        guard path.hasPrefix("evaluations["), let close = path.firstIndex(of: "]") else { return nil }
        let item = String(path[path.index(path.startIndex, offsetBy: 12)..<close])
        let rest = path[path.index(after: close)...]
        if rest.hasPrefix(".signature.coSignature") { return (AuditAction.evaluationCoSign, item) }
        if rest == ".signature" || rest.hasPrefix(".signature.") { return (AuditAction.evaluationSign, item) }
        return nil
    }
}
