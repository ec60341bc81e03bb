// Debug builds only: it rewrites any document it is given, so it is no part of what users run (see CaseloadCommand.testDrivers).
#if DEBUG
import ArgumentParser
import CaseloadCore
import CaseloadDemo
import CaseloadStore
import Foundation

/// A hidden command for the crash tests: keeps editing a document through the real store and autosaver until it is killed.
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

    func run() throws {
        let store: DocumentStore
        var step: Int
        do {
            if FileManager.default.fileExists(atPath: file) {
                let opened = try DocumentStore.open(file)
                guard opened.store.access == .readWrite else { throw fail("cannot write \(file): \(opened.store.notices.joined(separator: "; "))") }
                store = opened.store
                step = opened.document.patients.count
            } else {
                store = try DocumentStore.create(file, with: DrillDocument.state(0))
                step = 0
            }
        } catch let error as StoreError {
            throw fail(error.description)
        }
        let logFD = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard logFD >= 0 else { throw fail("cannot open the log \(log)") }
        let delay = Double(delayMs) / 1000
        let saver = Autosaver<Int>(debounce: delay, maxDelay: delay * 5) { n in
            try store.save(DrillDocument.state(n))
            let line = "\(n)\n"
            _ = line.withCString { write(logFD, $0, strlen($0)) }
        }
        while steps == 0 || step < steps {
            step += 1
            saver.changed(step)
            usleep(UInt32.random(in: 200...1500))
        }
        let final = saver.flush()
        if case .failed(let reason, _) = final { throw fail(reason) }
    }
}
#endif
