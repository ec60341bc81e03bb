import ArgumentParser
import CaseloadCore
import CaseloadDatabase
import CaseloadStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `caseload db init | import | export`: a program's document in a PostgreSQL database (issue 20, docs/DATABASE.md).
struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Keep the document in a PostgreSQL database: set one up, move a document in, bring it back.",
        discussion: """
            URL: postgresql://USER@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require|verify-full]. Never put the \
            password in it: it comes from ~/.pgpass (or the file PGPASSFILE names), else it is asked for at the terminal. \
            See docs/DATABASE.md.
            """,
        subcommands: [DatabaseInit.self, DatabaseImport.self, DatabaseExport.self]
    )
}

/// `caseload db init URL`.
struct DatabaseInit: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create (or bring up to date) Caseload's tables in a database.")

    @Argument(help: "The database's address.")
    var url: String

    func run() throws {
        let address = try DatabaseLogin.address(url)
        let c = try DatabaseLogin.connect(address)
        defer { c.close() }
        do {
            let created = try DatabaseSchema.initialise(c, formatVersion: DocumentCodec.currentVersion)
            print(TerminalText.safe(created
                ? "\(address.display): Caseload's tables are set up (schema \(DatabaseSchema.currentVersion)); import a document with `caseload db import FILE \(address.display)` or open it with `caseload --db \(address.display)`"
                : "\(address.display): already set up (schema \(DatabaseSchema.currentVersion)); nothing changed"))
        } catch {
            throw fail(error.description)
        }
    }
}

/// `caseload db import FILE URL [--force]`.
struct DatabaseImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Move a document (and its audit trail) into a database set up with `db init`.",
        discussion: "An encrypted document stays encrypted: every row is sealed under its key, and its key slots go with it.")

    @Argument(help: "The document file.")
    var file: String

    @Argument(help: "The database's address.")
    var url: String

    @Flag(name: .long, help: "Replace the program the database already holds.")
    var force = false

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    func run() throws {
        let address = try DatabaseLogin.address(url)
        let keys = try Unlocking.keys(for: file, options: passphrase)
        let decoded: DecodedDocument
        do { decoded = try DocumentStore.read(file, keys: keys) } catch { throw fail(error.description) }
        if decoded.isNewer { throw fail("\(file) was written by a newer Caseload; it cannot be imported by this one") }
        var trail: [UInt8] = []
        do { trail = Array(try AtomicFile.read(AuditLog.trailPath(for: DocumentStore.resolvedPath(file)))) } catch {
            if case .notFound = error {} else { throw fail(error.description) }
        }
        let c = try DatabaseLogin.connect(address)
        defer { c.close() }
        do {
            let done = try DatabaseTransfer.importDocument(decoded.document, audit: decoded.audit, trail: trail, keys: keys, into: c,
                                                           replacing: force, account: Operator.accountName())
            print(TerminalText.safe("\(file) → \(address.display): \(done.rows) rows\(keys == nil ? "" : ", sealed"), \(done.trailEntries) audit entries"))
        } catch {
            throw fail(error.description)
        }
    }
}

/// `caseload db export URL --out FILE`.
struct DatabaseExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a database's document (and its audit trail, FILE.audit) to a file.",
        discussion: "The file is the document in canonical form, encrypted under the same keys when the database is.")

    @Argument(help: "The database's address.")
    var url: String

    @Option(name: .long, help: "The file to write.")
    var out: String

    @Flag(name: .long, help: "Replace the file if it exists.")
    var force = false

    @OptionGroup(title: "Encrypted documents")
    var passphrase: PassphraseOptions

    func run() throws {
        let address = try DatabaseLogin.address(url)
        if !force, FileManager.default.fileExists(atPath: out) { throw fail("\(out) exists; give --force to replace it") }
        let opened = try DatabaseLogin.open(address, readOnly: true, passphrase: passphrase, offlineFolder: nil)
        defer { opened.store.close() }
        guard let document = opened.document else { throw fail("\(address.display) holds no program yet; nothing was written") }
        do {
            let done = try DatabaseTransfer.export(opened.store, document: document, to: out)
            print(TerminalText.safe("\(address.display) → \(out): \(done.bytes) bytes, \(done.trailEntries) audit entries in \(AuditLog.trailPath(for: out))"))
        } catch {
            throw fail(error.description)
        }
    }
}

/// Reaching a database from the command line and the app: the address, the password (never from the command line or
/// the environment), the keys of an encrypted one.
enum DatabaseLogin {
    /// Whether a command's document argument is a database address rather than a file.
    static func isAddress(_ text: String) -> Bool { text.hasPrefix("postgresql://") || text.hasPrefix("postgres://") }

    static func address(_ text: String) throws -> DatabaseAddress {
        do { return try DatabaseAddress(parsing: text, defaultUser: Operator.accountName()) } catch { throw fail(error.description) }
    }

    /// The password from the password file, else typed at the terminal (nil when neither: the server may not ask).
    static func password(for address: DatabaseAddress) -> String? {
        let found = PgPass.password(for: address, file: PgPass.defaultFile(environment: ProcessInfo.processInfo.environment))
        if let warning = found.warning { Passphrases.tell("warning: \(warning)") }
        if let password = found.password { return password }
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        let typed = try? Passphrases.fromTerminal(prompt: "Password for \(address.display): ")
        return typed.flatMap { $0.isEmpty ? nil : $0 }
    }

    static func connect(_ address: DatabaseAddress) throws -> DatabaseConnection {
        do { return try DatabaseConnection.connect(address, password: password(for: address)) } catch { throw fail(error.description) }
    }

    /// Opens the database's document; an encrypted one asks for the passphrase of the person's key slot.
    static func open(_ address: DatabaseAddress, readOnly: Bool, passphrase: PassphraseOptions, offlineFolder: String?) throws -> DatabaseStore.Opened {
        // The passphrase prompt says its own failure (and exits with its own status): passed on as it is.
        var unlockFailure: (any Error)?
        do {
            return try DatabaseStore.open(address, password: password(for: address), account: Operator.accountName(), readOnly: readOnly,
                                          offlineFolder: offlineFolder) { header in
                do { return try Unlocking.unlock(header, path: address.display, login: passphrase.login, source: passphrase.source()).keys } catch {
                    unlockFailure = error
                    throw error
                }
            }
        } catch {
            if let unlockFailure { throw unlockFailure }
            throw fail("\(error)")
        }
    }
}
