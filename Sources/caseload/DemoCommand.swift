import ArgumentParser
import CaseloadCore
import CaseloadDemo
import CaseloadStore
import Foundation

extension DemoSize: ExpressibleByArgument {}

/// `caseload demo`: writes a synthetic, realistic program.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a synthetic demo program (no real patient data) to a new document.",
        discussion: "The same seed and clock (CASELOAD_NOW) give the same document, byte for byte."
    )

    @Option(name: .long, help: "Where to write the document.")
    var out: String

    @Option(name: .long, help: "Seed for the generator.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "small (about 30 active patients, 12 weeks of history), large (5 years, 300 patients, every held session charted: for benchmarks) or medium (the large program's last year).")
    var size: DemoSize = .small

    @Flag(name: .long, help: "Replace an existing file (it is backed up first).")
    var force = false

    @Option(name: .long, help: "Days of plausible use the demo's audit trail holds, up to the clock (0: an empty trail).")
    var trailDays: Int = DemoCommand.trailDays

    @Flag(name: .long, help: "Write it encrypted, with a key slot for each demo staff member; each one's passphrase is their login followed by \"-demo\" (dreyes-demo).")
    var encrypt = false

    func validate() throws {
        guard (0...3_650).contains(trailDays) else { throw ValidationError("--trail-days takes 0 to 3650 (ten years), not \(trailDays)") }
    }

    /// Keys with one slot per demo staff login, each opened by `demoPassphrase(login)`.
    static func demoKeys(_ document: CaseloadDocument) throws(EncryptedDocumentError) -> DocumentKeys {
        let logins = document.staff.map(\.login).filter { !$0.isEmpty }
        guard let first = logins.first else { throw .invalidLogin(detail: "the demo has no staff logins to make key slots for") }
        let made = try DocumentKeys.create(login: first, passphrase: demoPassphrase(first), kdf: SlotCost.kdf)
        var header = made.header
        for login in logins.dropFirst() {
            header = try EncryptedDocument.addSlot(to: header, documentKey: made.documentKey, login: login, passphrase: demoPassphrase(login))
        }
        made.adopt(header: header, documentKey: made.documentKey)
        return made
    }

    /// How many days of use the demo's audit trail holds (up to the clock): a few weeks, so that even the large demo
    /// is written quickly (the benchmark makes its year-long trails itself).
    static let trailDays = 28

    /// The demo's audit trail (`DemoAuditTrail`) up to `now`, written in one go: staff identified by their key slots in
    /// an encrypted demo, by their accounts in a plain one. Its key is derived from the seed, so the plain demo's
    /// document and trail are the same bytes for the same seed and clock.
    static func demoTrail(_ document: CaseloadDocument, now: Date, seed: UInt64, encrypted: Bool, days: Int = trailDays) throws(StoreError) -> (bytes: [UInt8], seal: AuditSeal) {
        guard days > 0 else { return ([], .demo(seed: seed)) }
        let zone = TimeZone(identifier: document.program.timeZone) ?? .gmt
        let today = Recurrence.local(now, in: zone).date
        let events = DemoAuditTrail.events(for: document, from: today.adding(days: 1 - days), to: today,
                                           identity: encrypted ? .slot : .account, seed: seed)
        let records = events.filter { $0.at <= now }.map { AuditRecord(at: $0.at, who: $0.who, identity: $0.identity, event: $0.event) }
        return try AuditTrail.write(records, seal: .demo(seed: seed), encrypted: encrypted)
    }

    /// The documented passphrase of a demo staff member's slot (synthetic data only; never a pattern for real slots).
    static func demoPassphrase(_ login: String) -> String { login + "-demo" }

    func run() throws {
        let now = Clock.now()
        let document = DemoProgram.generate(seed: seed, size: size, now: now)
        var keys: DocumentKeys? = nil
        if encrypt {
            do { keys = try Self.demoKeys(document) } catch { throw fail("\(out): \(error)") }
        }
        // The trail is written (and synced) before the document that records its length and last HMAC.
        if !force, FileManager.default.fileExists(atPath: out) {
            throw fail("\(out) already exists; use --force to replace it (the old file is backed up first)")
        }
        let trail: (bytes: [UInt8], seal: AuditSeal)
        do {
            trail = try Self.demoTrail(document, now: now, seed: seed, encrypted: encrypt, days: trailDays)
            // No entries, no file: the first append makes it.
            if !trail.bytes.isEmpty { try AuditTrail.writeFile(trail.bytes, documentPath: out) }
        } catch {
            throw fail(error.description)
        }
        do {
            let store = try DocumentStore.create(out, with: document, replacing: force, now: Clock.record(), keys: keys, audit: trail.seal)
            store.close()
            if let keys {
                print(TerminalText.safe("encrypted; key slots: \(keys.header.logins.map { "\($0) (passphrase \(Self.demoPassphrase($0)))" }.joined(separator: ", "))"))
            }
        } catch {
            if case .alreadyExists = error {
                throw fail("\(out) already exists; use --force to replace it (the old file is backed up first)")
            }
            throw fail(error.description)
        }
        print("wrote \(out): \(document.summary)")
        if trailDays > 0 {
            print("wrote \(AuditLog.trailPath(for: out)): \(trail.seal.count) audit entries over the last \(trailDays) days")
        }
    }
}
