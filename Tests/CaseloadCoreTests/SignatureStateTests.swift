import Foundation
import Testing
@testable import CaseloadCore

/// Issue 19's foundation: a signature needs co-signature when its signer's flag was set at signing, and is final once co-signed.
@Suite struct SignatureStateTests {
    static func doc() -> CaseloadDocument {
        let program = Program(name: "P", timeZone: "America/Chicago", dayStart: LocalTime(clamping: 480), dayEnd: LocalTime(clamping: 1260),
                              phases: [], rooms: [])
        return CaseloadDocument(program: program, staff: [
            Staff(id: "stf_sup", name: "Sam Supervisor", credentials: "LCSW", role: .supervisor, login: "sam"),
            Staff(id: "stf_assoc", name: "Ari Associate", credentials: "ACADC", role: .clinician, login: "ari",
                  supervisor: "stf_sup", needsCoSignature: true),
        ])
    }

    @Test func anAssociatesSignatureAwaitsCoSignatureAndALicensedOneIsFinal() {
        let d = Self.doc(), at = Timestamp(seconds: 1_790_000_000)
        let associate = d.makeSignature(by: "stf_assoc", at: at)
        #expect(associate.needsCoSignature && associate.state == .awaitingCoSignature)
        #expect(SignatureState.of(associate) == .awaitingCoSignature && !SignatureState.of(associate).isComplete)
        let licensed = d.makeSignature(by: "stf_sup", at: at)
        #expect(!licensed.needsCoSignature && licensed.state == .final && SignatureState.of(licensed).isComplete)
        #expect(SignatureState.of(nil) == .unsigned)
        var cosigned = associate
        cosigned.coSignature = CoSignature(by: "stf_sup", at: Timestamp(seconds: at.seconds + 60))
        #expect(cosigned.state == .final && SignatureState.of(cosigned) == .final)
    }

    @Test func theFlagAtSigningCountsNotTheFlagNow() {
        var d = Self.doc(), at = Timestamp(seconds: 1_790_000_000)
        let before = d.makeSignature(by: "stf_assoc", at: at)
        d.staff[1].needsCoSignature = false   // licensed since
        at = Timestamp(seconds: at.seconds + 86_400)
        #expect(before.state == .awaitingCoSignature, "signed while an associate: still waits")
        #expect(d.makeSignature(by: "stf_assoc", at: at).state == .final)
    }

    @Test func validationNamesAMissingSupervisorASelfSupervisorAndABadCoSignature() {
        var d = Self.doc()
        d.staff[1].supervisor = "stf_gone"
        #expect(Validator.check(d).contains { $0.field == "staff[1].supervisor" && $0.message.contains("stf_gone") })
        d.staff[1].supervisor = "stf_assoc"
        #expect(Validator.check(d).contains { $0.field == "staff[1].supervisor" && $0.message.contains("themselves") })
        d.staff[1].supervisor = "stf_sup"
        d.program.clinical.measureEveryDays = 0
        #expect(Validator.check(d).contains { $0.field == "program.clinical.measureEveryDays" })
    }
}
