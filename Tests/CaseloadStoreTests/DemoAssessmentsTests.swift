import CaseloadCore
import CaseloadDemo
import Foundation
import Testing

/// Issue 19: what the demo promises of its evaluations and measures — a newcomer's first screen shows the features
/// without drowning in "missing" alerts.
@Suite struct DemoAssessmentsTests {
    static let now = ClockSetting.parse("2026-11-30T18:05", zone: TimeZone(identifier: "America/Chicago") ?? .current) ?? Date()

    @Test func everyAdmittedPatientHasASignedEvaluationAndExactlyOneSafetyItemIsOpen() {
        let doc = DemoProgram.generate(seed: 1, size: .small, now: Self.now)
        let admitted = doc.patients.filter { $0.admissionDate != nil }
        #expect(!admitted.isEmpty)
        for p in admitted {
            #expect(p.evaluations.contains { $0.isSigned }, "\(p.id) has a signed evaluation")
            #expect(!p.measures.isEmpty, "\(p.id) has measures")
        }
        let open = doc.patients.flatMap(\.measures).filter(\.needsSafetyFollowUp)
        #expect(open.count == 1, "one open safety item shows the critical alert")
        let raised = doc.patients.flatMap(\.measures).filter { ($0.safetyScore ?? 0) > 0 }
        #expect(raised.count == 2, "one open, one followed up; item 9 is 0 for everyone else")
        #expect(Validator.check(doc).isEmpty, "\(Validator.check(doc).prefix(3))")
    }
}
