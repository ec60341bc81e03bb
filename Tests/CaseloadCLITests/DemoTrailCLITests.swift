import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// `caseload demo` writes a plausible audit trail beside the document (issue 17), which verifies against the seal the
/// document records.
@Suite struct DemoTrailCLITests {
    let scratch = Scratch()

    func trail(_ path: String) throws -> [UInt8] {
        Array(try #require(FileManager.default.contents(atPath: path + ".audit")))
    }

    @Test func thePlainDemosTrailVerifiesNamesAccountsAndIsTheSameForTheSameSeed() throws {
        let a = scratch.file("a.json"), b = scratch.file("b.json")
        let made = try CaseloadBinary.run(["demo", "--out", a, "--seed", "4"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("audit entries over the last 28 days"), "\(made.stdout)")
        #expect(try CaseloadBinary.run(["demo", "--out", b, "--seed", "4"]).status == 0)
        let document = try #require(FileManager.default.contents(atPath: a))
        let seal = try #require(try DocumentCodec.decode(document, path: a).audit)
        let entries = try AuditTrail.verify(try trail(a), seal: seal, encrypted: false).entries
        // A few weeks of a small program: dozens of sessions' roll, notes and signatures, every working day's logins.
        #expect(entries.count == seal.count && entries.count > 1000, "\(entries.count) entries")
        #expect(entries.allSatisfy { $0.identity == .account })
        let days = Set(entries.map { Int($0.at.timeIntervalSince1970) / 86_400 })
        #expect(days.count >= 18, "entries on \(days.count) days of the last four weeks")
        #expect(try trail(a) == (try trail(b)), "the same seed and clock give the same trail")
        #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b))
    }

    @Test func theEncryptedDemosTrailIsSealedAndVerifiesWithTheSealInside() throws {
        let path = scratch.file("secret.json")
        let made = try CaseloadBinary.run(["demo", "--out", path, "--encrypt"], environment: ["CASELOAD_TEST_SCRYPT_N": "1024"])
        #expect(made.status == 0, "\(made.stderr)")
        let bytes = try trail(path)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("patient:") && !text.contains(AuditAction.recordOpen) && !text.contains("dreyes"))
        let header = try #require(try EncryptedFile.header(atPath: path))
        let keys = try DocumentKeys.unlock(header: header, login: "dreyes", passphrase: "dreyes-demo")
        let (store, _) = try DocumentStore.open(path, readOnly: true, keys: keys)
        let seal = try #require(store.audit)
        let entries = try AuditTrail.verify(bytes, seal: seal, encrypted: true).entries
        #expect(entries.count == seal.count && entries.count > 1000)
        #expect(entries.allSatisfy { $0.identity == .slot })
    }
}
