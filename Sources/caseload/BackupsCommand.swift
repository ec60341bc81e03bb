import ArgumentParser
import CaseloadCore
import CaseloadStore
import Foundation

/// `caseload backups`: lists the verified copies kept beside a document.
struct BackupsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backups",
        abstract: "List a document's backups, newest first."
    )

    @Argument(help: "The document.")
    var path: String

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    func run() throws {
        // The backups of the file itself, whichever link the path goes through (the store keeps them there too).
        let backups = Backups(documentPath: DocumentStore.resolvedPath(path))
        let list: [Backup]
        let refused: [String]
        do {
            (list, refused) = try backups.inventory()
        } catch {
            throw fail(error.description)
        }
        for problem in refused {
            FileHandle.standardError.write(Data("caseload: passed over in \(backups.folder), never restored: \(problem)\n".utf8))
        }
        guard !list.isEmpty else {
            print(TerminalText.safe("no backups of \(path) yet (they are made in \(backups.folder) before the first save of each session and then every 10 minutes)"))
            return
        }
        let formatter = ISO8601DateFormatter()
        print(TerminalText.safe("\(list.count) backup\(list.count == 1 ? "" : "s") in \(backups.folder):"))
        for backup in list {
            let form = ((try? EncryptedFile.header(atPath: backup.path)) ?? nil) == nil ? "plain" : "encrypted"
            print(TerminalText.safe("  \(backup.name)  \(formatter.string(from: backup.date))  \(ByteCountFormatter.string(fromByteCount: backup.size, countStyle: .file))  \(form)"))
        }
        print(TerminalText.safe("restore one with: caseload restore \(path) NAME"))
    }
}

/// `caseload restore`: brings a backup back, safely.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup over the document (the current file is backed up first).",
        discussion: "BACKUP is a name from `caseload backups`, a path, or a date prefix such as 20261130T1805."
    )

    @Argument(help: "The document.")
    var path: String

    @Argument(help: "The backup to restore.")
    var backup: String

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    func run() throws {
        // The backup is checked with the person's slot in the document as it is now (an old backup's own header is
        // tried with the same key pair, so a passphrase changed since still works).
        let unlocked = try Unlocking.keysAndPassphrase(for: path, options: passphrase)
        var backupKeys: DocumentKeys? = nil
        // A backup made before this person's slot was made again has another key pair: the passphrase opens it.
        if let unlocked, let found = Backups(documentPath: DocumentStore.resolvedPath(path)).find(backup),
           let header = (try? EncryptedFile.header(atPath: found.path)) ?? nil, (try? unlocked.keys.documentKey(for: header)) == nil {
            backupKeys = try? DocumentKeys.unlock(header: header, login: unlocked.keys.login, passphrase: unlocked.passphrase)
        }
        do {
            let restored = try DocumentStore.restore(path, from: backup, now: Clock.record(), keys: unlocked?.keys, backupKeys: backupKeys)
            // The restored document kept the trail's keys and length: the trail goes on, and says what was restored.
            if let now = try? DocumentStore.read(path, keys: unlocked?.keys) {
                CLIAudit.record([AuditEvent(AuditAction.restore, ["backup:\(restored.name)"])], path: path, seal: now.audit, document: now.document, keys: unlocked?.keys)
            }
            print(TerminalText.safe("restored \(restored.name) to \(path); the file it replaced is in \(Backups(documentPath: DocumentStore.resolvedPath(path)).folder)"))
        } catch {
            throw fail(error.description)
        }
    }
}
