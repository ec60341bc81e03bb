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

    func run() throws {
        let now = Clock.now()
        let document = DemoProgram.generate(seed: seed, size: size, now: now)
        do {
            let store = try DocumentStore.create(out, with: document, replacing: force, now: Clock.record())
            store.close()
        } catch {
            if case .alreadyExists = error {
                throw fail("\(out) already exists; use --force to replace it (the old file is backed up first)")
            }
            throw fail(error.description)
        }
        print("wrote \(out): \(document.summary)")
    }
}
