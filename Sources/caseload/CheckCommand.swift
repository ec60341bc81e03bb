import ArgumentParser
import CaseloadCore
import CaseloadStore
import Foundation

/// `caseload check`: validates a document without changing it.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that a file is a valid Caseload document (exit 0 and a summary, or the error and a non-zero exit)."
    )

    @Argument(help: "The document to check.")
    var path: String

    func run() throws {
        do {
            let data = try AtomicFile.read(path)
            let decoded = try DocumentCodec.decode(data, path: path)
            var line = "ok: " + decoded.document.summary
            if decoded.wasMigrated { line += " (schema version \(decoded.fileVersion); updated to \(DocumentCodec.currentVersion) when next opened for writing)" }
            if decoded.isNewer { line += " (schema version \(decoded.fileVersion), newer than this Caseload: read-only)" }
            print(line)
        } catch {
            throw fail(error.description)
        }
    }
}
