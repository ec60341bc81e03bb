import ArgumentParser
import CaseloadCore
import CaseloadStore
import Foundation

/// `caseload check`: validates a document without changing it.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that a file is a valid Caseload document (exit 0 and a summary, or the error and a non-zero exit).",
        discussion: """
            Besides what reading requires, it reports inconsistencies the app still opens, such as an attendance mark on a patient who \
            is not a member of the session (it counts nowhere); those exit 1 too. A file written by a newer Caseload exits 4: this \
            Caseload can only show it read-only.
            """
    )

    /// Exit status for a file of a newer schema version: readable, not "ok" for this Caseload.
    static let newerVersionStatus: Int32 = 4

    @Argument(help: "The document to check.")
    var path: String

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    func run() throws {
        let decoded = try Unlocking.read(path, options: passphrase)
        // Readable, but reports would not count these marks: name each (session and patient ID only) and fail.
        let marks = Validator.marksOnNonMembers(decoded.document)
        guard marks.isEmpty else {
            for mark in marks { FileHandle.standardError.write(Data("caseload: \(TerminalText.safe("\(path): inconsistent: \(mark)"))\n".utf8)) }
            let count = marks.count == 1 ? "1 attendance mark" : "\(marks.count) attendance marks"
            throw fail("\(path): \(count) on patients who are not members of the session; the file opens, but fix these in the Session pane")
        }
        if decoded.isNewer {
            throw fail("\(path): schema version \(decoded.fileVersion) is newer than this Caseload's \(DocumentCodec.currentVersion); "
                       + "it opens read-only here and is never written: update Caseload to work on it", code: Self.newerVersionStatus)
        }
        var line = "ok: " + decoded.document.summary
        if let header = try? EncryptedFile.header(atPath: path) {
            line += " (encrypted; key slots: \(header.logins.joined(separator: ", ")))"
        }
        if decoded.wasMigrated { line += " (schema version \(decoded.fileVersion); updated to \(DocumentCodec.currentVersion) when next opened for writing)" }
        print(TerminalText.safe(line))
    }
}
