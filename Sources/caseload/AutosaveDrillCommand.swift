// Debug builds only: it rewrites any document it is given, so it is no part of what users run (see CaseloadCommand.testDrivers).
#if DEBUG
import ArgumentParser
import CaseloadCore
import CaseloadDemo
import CaseloadStore
import Foundation

/// A hidden command for the crash tests: keeps editing a document through the real store and autosaver until it is
/// killed, recording an audit entry for each edit.
struct AutosaveDrillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autosave-drill",
        abstract: "Edit a drill document forever through the autosaver (for crash tests).",
        shouldDisplay: false
    )

    @Option(name: .long, help: "The drill document (created when missing).")
    var file: String

    @Option(name: .long, help: "Append each completed save's step number to this file.")
    var log: String

    @Option(name: .long, help: "Autosave delay in milliseconds.")
    var delayMs: Int = 2

    @Option(name: .long, help: "Stop after this many steps (0: never).")
    var steps: Int = 0

    @Option(name: .long, help: "Encrypt the drill document: its passphrase is this file's first line.")
    var passphraseFile: String?

    @Option(name: .long, help: "The key slot's login when encrypting.")
    var login: String = "drill"

    @Flag(name: .long, help: "Derive keys with scrypt N = 2^10 instead of 2^17, so a drill restarted hundreds of times spends its time saving.")
    var fastKdf = false

    /// The cheap scrypt cost of `--fast-kdf` (the format's limits accept it; only tests use it).
    static let fastKDF = EncryptedDocument.KDFParameters(n: 1 << 10, r: 8, p: 1)

    func run() throws {
        let store: DocumentStore
        var step: Int
        let passphrase = try passphraseFile.map(readPassphrase)
        do {
            if FileManager.default.fileExists(atPath: file) {
                var keys: DocumentKeys?
                if let header = try EncryptedFile.header(atPath: file) {
                    guard let passphrase else { throw fail(StoreError.needsPassphrase(path: file).description) }
                    keys = try DocumentKeys.unlock(header: header, login: login, passphrase: passphrase)
                }
                let opened = try DocumentStore.open(file, keys: keys)
                guard opened.store.access == .readWrite else { throw fail("cannot write \(file): \(opened.store.notices.joined(separator: "; "))") }
                store = opened.store
                step = opened.document.patients.count
            } else {
                let keys = try passphrase.map { try DocumentKeys.create(login: login, passphrase: $0, kdf: fastKdf ? Self.fastKDF : .standard) }
                store = try DocumentStore.create(file, with: DrillDocument.state(0), keys: keys)
                step = 0
            }
        } catch let error as StoreError {
            throw fail(error.description)
        } catch let error as EncryptedDocumentError {
            throw fail("\(file): \(error)")
        }
        let logFD = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard logFD >= 0 else { throw fail("cannot open the log \(log)") }
        // Each step is an edit the trail records (issue 17): it waits in the log and is appended by the save that
        // writes the step, so a kill leaves entries pending, half-appended, or appended but not yet recorded.
        let audit = store.openAuditLog(as: Operator(login: login, identity: passphrase == nil ? .account : .slot))
        let delay = Double(delayMs) / 1000
        let saver = Autosaver<Int>(debounce: delay, maxDelay: delay * 5) { n in
            try store.save(DrillDocument.state(n))
            let line = "\(n)\n"
            _ = line.withCString { write(logFD, $0, strlen($0)) }
        }
        while steps == 0 || step < steps {
            step += 1
            let patient = "patient:" + String(format: "pat_%06d", step - 1)
            audit?.record([AuditEvent(AuditAction.recordOpen, [patient]), AuditEvent(AuditAction.create, [patient])])
            saver.changed(step)
            usleep(UInt32.random(in: 200...1500))
        }
        let final = saver.flush()
        if case .failed(let reason, _) = final { throw fail(reason) }
    }

    /// The first line of the passphrase file (the app's own reader, with its checks, is for users; this one only
    /// serves the crash tests).
    func readPassphrase(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("cannot read the passphrase file \(path)") }
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let passphrase = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !passphrase.isEmpty else { throw fail("the passphrase file \(path) has an empty first line") }
        return passphrase
    }
}
#endif
