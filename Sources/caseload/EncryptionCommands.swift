import ArgumentParser
import CaseloadCore
import CaseloadStore
import Foundation

/// Where a new passphrase comes from: its own private file, the next line of `--passphrase-fd`, or the terminal (twice).
struct NewPassphraseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Read the new passphrase from this file's first line (yours, mode 600).",
        discussion: "Without it, the new passphrase is the next line of --passphrase-fd, or is asked for twice at the terminal."))
    var newPassphraseFile: String?

    func source(after options: PassphraseOptions) -> PassphraseSource {
        if let newPassphraseFile { return .file(newPassphraseFile) }
        if let fd = options.passphraseFd { return .descriptor(fd) }
        return .terminal
    }
}

/// The scrypt cost new key slots get: the standard one, or in a debug build (what `swift test` runs) a cheaper one set by
/// `CASELOAD_TEST_SCRYPT_N`, so tests that make many slots stay quick. A release build always uses the standard cost.
enum SlotCost {
    static var kdf: EncryptedDocument.KDFParameters {
        #if DEBUG
        if let text = ProcessInfo.processInfo.environment["CASELOAD_TEST_SCRYPT_N"], let n = Int(text) {
            return EncryptedDocument.KDFParameters(n: n, r: 8, p: 1)
        }
        #endif
        return .standard
    }
}

/// `caseload encrypt`: turns a plain document into an encrypted one.
struct EncryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a plain document in place, with a key slot for you (asks for your new passphrase twice).",
        discussion: """
            The document, its backups and any quarantined leftovers are replaced by encrypted copies, and each plain \
            original is overwritten with zeros before it is let go. On a journaling or copy-on-write file system \
            (ext4 with data=journal, btrfs, ZFS, APFS) or an SSD, old blocks can survive that: see docs/SECURITY.md. \
            Add colleagues afterwards with `caseload keys PATH add LOGIN`.
            """
    )

    @Argument(help: "The plain document.")
    var path: String

    @OptionGroup(title: "Your passphrase (the first key slot is --slot, default your login)")
    var passphrase: PassphraseOptions

    func run() throws {
        do {
            if try EncryptedFile.header(atPath: path) != nil {
                throw fail("\(path) is already encrypted; manage its key slots with `caseload keys \(path) list|add|remove|passwd`")
            }
        } catch let error as StoreError {
            throw fail(error.description)
        }
        let login = passphrase.login
        guard !login.isEmpty else { throw fail("no login to name the key slot after: pass --slot LOGIN or set login in config.toml") }
        let opened: (store: DocumentStore, document: CaseloadDocument)
        do { opened = try DocumentStore.open(path, now: Clock.record()) } catch { throw fail(error.description) }
        let store = opened.store
        defer { store.close() }
        if case .readOnly(let reason) = store.access { throw fail("\(path) cannot be encrypted now: \(reason)") }
        if !opened.document.staff.contains(where: { $0.login == login }) {
            Passphrases.tell("note: no staff member in \(path) has the login \(login); the slot is made anyway")
        }
        let secret: String
        do { secret = try Passphrases.readNew(passphrase.source(), prompt: "New passphrase for \(login): ") } catch { throw fail(error.description) }
        let keys: DocumentKeys
        do { keys = try DocumentKeys.create(login: login, passphrase: secret, kdf: SlotCost.kdf) } catch { throw fail("\(path): \(error)") }
        // Held across the replacement: the plain inode is overwritten once the encrypted file has taken its name.
        let plain = PlainCopies.hold(store.resolvedPath)
        do {
            try store.encrypt(opened.document, keys: keys, now: Clock.record())
        } catch {
            if plain >= 0 { close(plain) }
            throw fail(error.description)
        }
        let overwritten = PlainCopies.overwrite(plain)
        // The store sealed the trail too; opened only now, so the entry is written sealed like the rest.
        if let warning = store.lastAuditWarning { Passphrases.tell("warning: \(warning)") }
        CLIAudit.record([AuditEvent(AuditAction.encrypt, ["slot:\(login)"])], store: store, document: opened.document)
        let (sealed, problems) = PlainCopies.sealBackups(of: store.resolvedPath, keys: keys)
        for problem in problems { Passphrases.tell("warning: \(problem)") }
        Unlocking.rememberKeys(keys, path: path)
        print(TerminalText.safe("encrypted \(path) with a key slot for \(login); \(sealed) backup\(sealed == 1 ? "" : "s") and leftovers re-encrypted"))
        if !overwritten { Passphrases.tell("warning: the plain file's old bytes could not be overwritten") }
        print(TerminalText.safe("The plain bytes were overwritten with zeros; on journaling or copy-on-write file systems and SSDs old blocks may survive (docs/SECURITY.md). Add colleagues with: caseload keys \(path) add LOGIN"))
    }
}

/// `caseload decrypt`: writes a plain copy of an encrypted document.
struct DecryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Write a plain (unencrypted) copy of an encrypted document to a new file.",
        discussion: "The copy is not protected: anyone who can read the file can read the records. It never replaces an existing file."
    )

    @Argument(help: "The encrypted document.")
    var path: String

    @Option(name: .long, help: "The new plain file (must not exist).")
    var out: String

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    func run() throws {
        if FileManager.default.fileExists(atPath: out) || (try? FileManager.default.destinationOfSymbolicLink(atPath: out)) != nil {
            throw fail("\(out): a file is already there; decrypt never replaces a file — choose a new name")
        }
        let trail = AuditLog.trailPath(for: DocumentStore.resolvedPath(out))
        if FileManager.default.fileExists(atPath: trail) || (try? FileManager.default.destinationOfSymbolicLink(atPath: trail)) != nil {
            throw fail("\(trail): a file is already there (the copy's audit trail goes there); move it aside or choose a new name")
        }
        guard let keys = try Unlocking.keys(for: path, options: passphrase) else {
            throw fail("\(path) is not encrypted; there is nothing to decrypt")
        }
        do {
            let decoded = try DocumentStore.read(path, keys: keys)
            // The copy keeps the trail's keys and length, and gets the trail opened beside it, so it verifies on its own.
            // Whoever reads the copy can read those keys (as with any plain document: docs/SECURITY.md).
            let store = try DocumentStore.create(out, with: decoded.document, now: Clock.record(), audit: decoded.audit ?? .fresh())
            store.close()
            if let seal = decoded.audit { try AuditTrailFiles.copyOpened(from: path, to: out, seal: seal) }
            CLIAudit.record([AuditEvent(AuditAction.decrypt, ["slot:\(keys.login)"])], path: path, seal: decoded.audit, document: decoded.document, keys: keys)
        } catch {
            if case .alreadyExists = error { throw fail("\(out): a file is already there; decrypt never replaces a file — choose a new name") }
            throw fail(error.description)
        }
        Passphrases.tell("warning: \(out) is NOT encrypted: anyone who can read it can read every record in it. Keep it only as long as you must, and delete it securely.")
        print(TerminalText.safe("wrote \(out) (plain)"))
    }
}

/// What `caseload keys PATH ACTION` does.
enum KeysAction: String, ExpressibleByArgument, CaseIterable {
    case list, add, remove, passwd
}

/// `caseload keys PATH list | add LOGIN | remove LOGIN | passwd`: the key slots of an encrypted document.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List, add or remove the key slots of an encrypted document, or change your passphrase.",
        usage: "caseload keys PATH list | add LOGIN | remove LOGIN | passwd [options]",
        discussion: """
            list: the slots (needs no passphrase). add LOGIN: a slot for a colleague (your passphrase, then theirs \
            twice). remove LOGIN: their slot goes and the document key changes (your passphrase, not theirs). \
            passwd: your own passphrase (the old one, then the new one twice). \
            One slot per person, each opened by that person's own passphrase. Removing a person changes the document \
            key and re-encrypts the document, so copies made from then on do not open with their passphrase; backups \
            made before still do, until they are pruned or deleted.
            """
    )

    @Argument(help: "The encrypted document.")
    var path: String

    @Argument(help: "list, add, remove or passwd.")
    var action: KeysAction

    @Argument(help: "The login to add or remove.")
    var login: String?

    @OptionGroup(title: "Your passphrase")
    var passphrase: PassphraseOptions

    @OptionGroup(title: "A new passphrase (add, passwd)")
    var newPassphrase: NewPassphraseOptions

    func validate() throws {
        switch action {
        case .add, .remove:
            if login == nil { throw ValidationError("\(action.rawValue) needs the login: caseload keys PATH \(action.rawValue) LOGIN") }
        case .list, .passwd:
            if login != nil { throw ValidationError("\(action.rawValue) takes no login") }
        }
    }

    func run() throws {
        switch action {
        case .list: try KeysList(path: path).run()
        case .add: try KeysAdd(path: path, login: login ?? "", passphrase: passphrase, newPassphrase: newPassphrase).run()
        case .remove: try KeysRemove(path: path, login: login ?? "", passphrase: passphrase).run()
        case .passwd: try KeysPasswd(path: path, passphrase: passphrase, newPassphrase: newPassphrase).run()
        }
    }
}

/// `keys PATH list`.
struct KeysList {
    var path: String

    func run() throws {
        let header: EncryptedDocument.Header?
        do { header = try EncryptedFile.header(atPath: path) } catch { throw fail(error.description) }
        guard let header else { throw fail("\(path) is not encrypted (run `caseload encrypt \(path)`)") }
        print(TerminalText.safe("\(path): encrypted, \(header.slots.count) key slot\(header.slots.count == 1 ? "" : "s") (scrypt N=\(header.kdf.n), r=\(header.kdf.r), p=\(header.kdf.p)):"))
        for login in header.logins { print(TerminalText.safe("  \(login)")) }
    }
}

/// Opens an encrypted document for a key change: the store (locked), the document and the opener's keys.
private func openForKeys(_ path: String, _ options: PassphraseOptions) throws -> (store: DocumentStore, document: CaseloadDocument) {
    guard let keys = try Unlocking.keys(for: path, options: options) else {
        throw fail("\(path) is not encrypted (run `caseload encrypt \(path)` first)")
    }
    let opened: (store: DocumentStore, document: CaseloadDocument)
    do { opened = try DocumentStore.open(path, now: Clock.record(), keys: keys) } catch { throw fail(error.description) }
    if case .readOnly(let reason) = opened.store.access {
        opened.store.close()
        throw fail("\(path): key slots cannot be changed now: \(reason)")
    }
    return opened
}

/// `keys PATH add LOGIN`.
struct KeysAdd {
    var path: String
    var login: String
    var passphrase: PassphraseOptions
    var newPassphrase: NewPassphraseOptions

    func run() throws {
        let (store, document) = try openForKeys(path, passphrase)
        defer { store.close() }
        if !document.staff.contains(where: { $0.login == login }) {
            Passphrases.tell("note: no staff member in \(path) has the login \(login); the slot is made anyway")
        }
        let secret: String
        do { secret = try Passphrases.readNew(newPassphrase.source(after: passphrase), prompt: "New passphrase for \(login): ") } catch { throw fail(error.description) }
        let trail = CLIAudit.open(store, document: document)
        do {
            try store.addKeySlot(document, login: login, passphrase: secret, now: Clock.record())
        } catch {
            throw fail(error.description)
        }
        CLIAudit.write([AuditEvent(AuditAction.slotAdd, ["slot:\(login)"])], to: trail)
        if let keys = store.keys { Unlocking.rememberKeys(keys, path: path) }
        print(TerminalText.safe("added a key slot for \(login) to \(path)"))
    }
}

/// `keys PATH remove LOGIN`.
struct KeysRemove {
    var path: String
    var login: String
    var passphrase: PassphraseOptions

    func run() throws {
        let (store, document) = try openForKeys(path, passphrase)
        defer { store.close() }
        let before = Backups(documentPath: store.resolvedPath).list().count
        // Written with the save that removes the slot, before the trail moves on to a new key: that save reads how long
        // the trail really is (other commands may have appended since the document recorded it), so the new key starts
        // after the last entry written, not after the last one the document knew of.
        if let trail = CLIAudit.open(store, document: document) {
            trail.record(AuditEvent(AuditAction.slotRemove, ["slot:\(login)"]), at: Clock.record())
        }
        do {
            try store.removeKeySlot(document, login: login, now: Clock.record())
        } catch {
            throw fail(error.description)
        }
        if let warning = store.lastAuditWarning { Passphrases.tell("warning: the audit trail did not record this (\(warning))") }
        if let keys = store.keys { Unlocking.rememberKeys(keys, path: path) }
        if let warning = store.lastBackupWarning {
            print(TerminalText.safe("removed \(login)'s key slot from \(path); the document key was changed and the document re-encrypted"))
            Passphrases.tell("warning: the backup under the new key could not be made (\(warning)); the next save of the document tries again")
        } else {
            print(TerminalText.safe("removed \(login)'s key slot from \(path); the document key was changed and the document re-encrypted, and a new backup made under the new key"))
        }
        if before > 0 {
            Passphrases.tell("note: the \(before) backup\(before == 1 ? "" : "s") made before this still open\(before == 1 ? "s" : "") with \(login)'s passphrase; delete them when your retention rules allow (caseload backups \(path))")
        }
    }
}

/// `keys PATH passwd`.
struct KeysPasswd {
    var path: String
    var passphrase: PassphraseOptions
    var newPassphrase: NewPassphraseOptions

    func run() throws {
        let header: EncryptedDocument.Header?
        do { header = try EncryptedFile.header(atPath: path) } catch { throw fail(error.description) }
        guard let header else { throw fail("\(path) is not encrypted (run `caseload encrypt \(path)` first)") }
        let login = passphrase.login
        let old: String
        do { old = try Passphrases.read(passphrase.source(), prompt: "Current passphrase for \(login): ") } catch { throw fail(error.description, code: Unlocking.lockedOutStatus) }
        let keys: DocumentKeys
        do { keys = try DocumentKeys.unlock(header: header, login: login, passphrase: old) } catch {
            throw fail("\(path): \(error)", code: Unlocking.lockedOutStatus)
        }
        let opened: (store: DocumentStore, document: CaseloadDocument)
        do { opened = try DocumentStore.open(path, now: Clock.record(), keys: keys) } catch { throw fail(error.description) }
        let store = opened.store
        defer { store.close() }
        if case .readOnly(let reason) = store.access { throw fail("\(path): the passphrase cannot be changed now: \(reason)") }
        let new: String
        do { new = try Passphrases.readNew(newPassphrase.source(after: passphrase), prompt: "New passphrase for \(login): ") } catch { throw fail(error.description) }
        let trail = CLIAudit.open(store, document: opened.document)
        do {
            try store.changePassphrase(opened.document, old: old, new: new, now: Clock.record())
        } catch {
            throw fail(error.description)
        }
        CLIAudit.write([AuditEvent(AuditAction.slotPassphrase, ["slot:\(login)"])], to: trail)
        if let keys = store.keys { Unlocking.rememberKeys(keys, path: path) }
        print(TerminalText.safe("changed \(login)'s passphrase for \(path)"))
    }
}
