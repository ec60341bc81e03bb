import ArgumentParser
import CaseloadCore
import CaseloadStore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `caseload share`: lets the staff accounts in one Unix group work on a document (docs/SHARING.md).
struct ShareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Share a document with a Unix group of staff accounts: files 0660, folders 2770, nothing readable by others.",
        discussion: """
            The document, its lock, audit trail, backups (and quarantine) and presence folder get the group. Refused when \
            the group has a member who is not staff of the document (a staff member's login), when you are not in the \
            group, or when the document's folder is writable by everyone. See docs/SHARING.md for setting up a shared host.
            """
    )

    @Argument(help: "The document.")
    var path: String

    @Option(name: .long, help: "The group of the staff accounts.")
    var group: String

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    func run() throws {
        let real = DocumentStore.resolvedPath(path)
        // Read first: the staff list decides whether the group may have the document (an encrypted one needs a passphrase).
        let decoded = try Unlocking.read(path, options: passphrase)
        let staff = Set(decoded.document.staff.map(\.login).filter { !$0.isEmpty })
        let found: UserDatabase.Group
        do {
            found = try DocumentSharing.checkGroup(group, staffLogins: staff)
        } catch {
            throw fail("\(path): not shared: \(error.description)")
        }
        // Held while the modes change, so no save replaces the document with a private file meanwhile.
        let lock = try Self.lock(real, shown: path)
        defer { lock.release() }
        let changes: [DocumentSharing.Change]
        do {
            changes = try DocumentSharing.share(documentPath: real, group: found)
        } catch {
            throw fail("\(path): not shared: \(error.description)")
        }
        let members = UserDatabase.members(of: found)
        print(TerminalText.safe("shared \(path) with group \(found.name) (gid \(found.id)); its members, all staff of the document: \(members.joined(separator: ", "))"))
        for change in changes {
            let kind = change.mode == SharedTrust.sharedFolderMode ? "d" : "-"
            print(TerminalText.safe("  \(change.path)  \(SharedTrust.octal(change.mode)) \(kind)\(SharedTrust.symbolic(change.mode))  group \(found.name)\(change.created ? "  (made)" : "")"))
        }
        for note in Self.folderNotes(real, group: found) { print(TerminalText.safe("note: \(note)")) }
        print(TerminalText.safe("each member opens it from their own account with: caseload --file \(real)"))
    }

    /// The document's lock, waiting a few seconds for a save in progress; refused when another instance keeps it.
    static func lock(_ real: String, shown: String) throws -> FileLock {
        var attempt = 0
        while true {
            do {
                return try FileLock.acquire(for: real, now: Clock.record())
            } catch {
                // A save holds the lock for a moment: wait for it up to three seconds.
                if case .locked = error, attempt < 30 {
                    attempt += 1
                    usleep(100_000)
                    continue
                }
                if case .locked(_, let holder) = error {
                    throw fail("\(shown): not shared: it is open in another Caseload (\(holder)); close it and run the command again")
                }
                throw fail("\(shown): not shared: \(error.description)")
            }
        }
    }

    /// What the document's folder still needs for every member to save (a save replaces the file in its folder).
    static func folderNotes(_ real: String, group: UserDatabase.Group) -> [String] {
        let folder = (real as NSString).deletingLastPathComponent
        var info = stat()
        guard stat(folder.isEmpty ? "." : folder, &info) == 0 else { return [] }
        var notes: [String] = []
        if info.st_gid != group.id || info.st_mode & 0o070 != 0o070 {
            notes.append("the folder \(folder) does not let group \(group.name) make files in it, so only its owner can save; "
                         + "as its owner: `chgrp \(group.name) \(folder) && chmod 2770 \(folder)`")
        }
        if info.st_mode & mode_t(S_ISVTX) != 0 {
            notes.append("the folder \(folder) has the sticky bit: a member cannot replace a document another member saved last; use a group folder without it")
        }
        return notes
    }
}
