import ArgumentParser
import CaseloadCore
import CaseloadStore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How a command is given the passphrase of an encrypted document: a private file, an open descriptor (as gpg's
/// `--passphrase-fd`), or else typed at the terminal with no echo. Never an environment variable or an argument: those
/// are visible to other processes (`/proc/PID/environ`, `ps`).
struct PassphraseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Read the passphrase of an encrypted document from this file's first line.",
        discussion: "The file must be yours and not readable by group or others (chmod 600), or the command refuses it."))
    var passphraseFile: String?

    @Option(name: .long, help: ArgumentHelp(
        "Read passphrases from this open file descriptor, one per line, in the order the command asks for them.",
        valueName: "n"))
    var passphraseFd: Int32?

    @Option(name: .long, help: "Whose key slot opens an encrypted document (default: login in config.toml, else your account name).")
    var slot: String?

    func validate() throws {
        if passphraseFile != nil && passphraseFd != nil {
            throw ValidationError("give --passphrase-file or --passphrase-fd, not both")
        }
    }

    /// The login whose slot is used.
    var login: String {
        if let slot, !slot.isEmpty { return slot }
        let environment = ProcessInfo.processInfo.environment
        return AppRunner.readConfig(environment).0.login ?? Operator.accountName(environment: environment)
    }

    /// Where the next passphrase comes from.
    func source() -> PassphraseSource {
        if let passphraseFile { return .file(passphraseFile) }
        if let passphraseFd { return .descriptor(passphraseFd) }
        return .terminal
    }
}

/// One place passphrases are read from.
enum PassphraseSource: Equatable {
    case file(String)
    case descriptor(Int32)
    case terminal

    /// Whether a wrong passphrase may be asked for again (only a person at a terminal can try again).
    var canRetry: Bool { self == .terminal }
}

/// Why a passphrase could not be had.
struct PassphraseProblem: Error, CustomStringConvertible {
    var description: String
}

/// Reading passphrases: from a private file, a descriptor or the terminal.
enum Passphrases {
    /// The longest passphrase read, in bytes.
    static let maxBytes = 4096

    /// Reads one passphrase. `prompt` is shown at the terminal.
    static func read(_ source: PassphraseSource, prompt: String) throws(PassphraseProblem) -> String {
        switch source {
        case .file(let path): return try fromFile(path)
        case .descriptor(let fd): return try fromDescriptor(fd)
        case .terminal: return try fromTerminal(prompt: prompt)
        }
    }

    /// Asks twice at the terminal until both agree (or reads once from a file or descriptor): for a new passphrase.
    static func readNew(_ source: PassphraseSource, prompt: String) throws(PassphraseProblem) -> String {
        guard source == .terminal else {
            let value = try read(source, prompt: prompt)
            guard !value.isEmpty else { throw PassphraseProblem(description: "the new passphrase is empty") }
            return value
        }
        for _ in 1...3 {
            let first = try fromTerminal(prompt: prompt)
            guard !first.isEmpty else {
                tell("an empty passphrase protects nothing; choose several words")
                continue
            }
            let second = try fromTerminal(prompt: "Again, to be sure: ")
            if first == second { return first }
            tell("the two passphrases differ; try again")
        }
        throw PassphraseProblem(description: "no passphrase was set (three attempts); nothing was changed")
    }

    /// The first line of a file that only its owner can read.
    static func fromFile(_ path: String) throws(PassphraseProblem) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            throw PassphraseProblem(description: "cannot read the passphrase file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw PassphraseProblem(description: "the passphrase file \(path) is not a regular file")
        }
        guard info.st_uid == geteuid() else {
            throw PassphraseProblem(description: "the passphrase file \(path) belongs to another account; refused")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw PassphraseProblem(description: String(format: "the passphrase file %@ can be read by others (mode %03o); refused — run chmod 600 %@", path, Int(info.st_mode & 0o777), path))
        }
        return try firstLine(fd, name: "the passphrase file \(path)")
    }

    /// The next line from an open descriptor.
    static func fromDescriptor(_ fd: Int32) throws(PassphraseProblem) -> String {
        guard fd >= 0, fcntl(fd, F_GETFD) != -1 else {
            throw PassphraseProblem(description: "--passphrase-fd \(fd) is not an open file descriptor")
        }
        return try firstLine(fd, name: "file descriptor \(fd)")
    }

    /// Bytes up to the first newline (read one at a time, so the next passphrase on the same descriptor is left
    /// unread), without a trailing carriage return.
    private static func firstLine(_ fd: Int32, name: String) throws(PassphraseProblem) -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while bytes.count <= maxBytes {
            let count = Glibc.read(fd, &byte, 1)
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN { usleep(10_000); continue }
                throw PassphraseProblem(description: "cannot read \(name): \(String(cString: strerror(errno)))")
            }
            if count == 0 || byte == UInt8(ascii: "\n") { break }
            bytes.append(byte)
        }
        guard bytes.count <= maxBytes else { throw PassphraseProblem(description: "\(name): the passphrase is longer than \(maxBytes) bytes") }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw PassphraseProblem(description: "\(name): the passphrase is not UTF-8 text")
        }
        guard !text.isEmpty else { throw PassphraseProblem(description: "\(name): the passphrase is empty") }
        return text
    }

    /// Asks at the controlling terminal (`/dev/tty`, so it works with standard input redirected), echo off; the
    /// terminal's settings are restored whatever happens.
    static func fromTerminal(prompt: String) throws(PassphraseProblem) -> String {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else {
            throw PassphraseProblem(description: "no terminal to ask for the passphrase on; use --passphrase-file PATH or --passphrase-fd N")
        }
        defer { close(fd) }
        var saved = termios()
        guard tcgetattr(fd, &saved) == 0 else {
            throw PassphraseProblem(description: "cannot set up the terminal to read a passphrase: \(String(cString: strerror(errno)))")
        }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO | ECHONL)
        quiet.c_lflag |= tcflag_t(ICANON | ISIG)
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        _ = tcsetattr(fd, TCSAFLUSH, &quiet)
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &saved)
            _ = write(fd, "\n", 1)
        }
        return try firstLine(fd, name: "the terminal", allowEmpty: true)
    }

    private static func firstLine(_ fd: Int32, name: String, allowEmpty: Bool) throws(PassphraseProblem) -> String {
        do {
            return try firstLine(fd, name: name)
        } catch {
            if allowEmpty, error.description.hasSuffix("the passphrase is empty") { return "" }
            throw error
        }
    }

    /// Asks a yes/no question at the terminal (echo on); anything but y or yes is no, and so is no terminal.
    static func confirm(_ question: String) -> Bool {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        _ = question.withCString { write(fd, $0, strlen($0)) }
        let answer = (try? firstLine(fd, name: "the terminal", allowEmpty: true)) ?? ""
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// A line on standard error.
    static func tell(_ message: String) {
        FileHandle.standardError.write(Data("caseload: \(TerminalText.safe(message))\n".utf8))
    }
}

/// Opening encrypted documents from the command line.
enum Unlocking {
    /// Exit status when an encrypted document could not be unlocked (wrong passphrase, no slot, no passphrase).
    static let lockedOutStatus: Int32 = 5

    /// The keys for the encrypted document at `path` (nil when it is a plain one): up to three tries at the terminal,
    /// one from a file or descriptor. Exits with `lockedOutStatus` and a clear message when none opens it; the file is
    /// never touched.
    ///
    /// A change of the document's keys since this account last opened it here (`SlotPins`) is said on standard error.
    static func keys(for path: String, options: PassphraseOptions, warnOfKeyChanges: Bool = true) throws -> DocumentKeys? {
        guard let keys = try keysAndPassphrase(for: path, options: options)?.keys else { return nil }
        if warnOfKeyChanges, let changes = keyChanges(keys, path: path) {
            Passphrases.tell("warning: " + changes.describe(path: path))
        }
        return keys
    }

    /// How the document's slots and key changed since this account last opened it on this machine; nil on a first
    /// open or when nothing changed.
    static func keyChanges(_ keys: DocumentKeys, path: String) -> SlotChanges? {
        guard let before = SlotPins(environment: ProcessInfo.processInfo.environment).pin(for: path) else { return nil }
        let changes = before.changes(to: keys.pin)
        return changes.isEmpty ? nil : changes
    }

    /// Remembers the document's slots and key as this account sees them now (after the app opened it, or after this
    /// account changed them), so the next open compares with them. A failure only loses the comparison.
    static func rememberKeys(_ keys: DocumentKeys, path: String) {
        do {
            try SlotPins(environment: ProcessInfo.processInfo.environment).record(keys.pin, for: path)
        } catch {
            Passphrases.tell("note: could not remember this document's key slots for the next open (\(error.description))")
        }
    }

    /// As `keys(for:options:)`, with the passphrase that opened them (to open an older file whose slot was made again).
    static func keysAndPassphrase(for path: String, options: PassphraseOptions) throws -> (keys: DocumentKeys, passphrase: String)? {
        let header: EncryptedDocument.Header?
        do { header = try EncryptedFile.header(atPath: path) } catch { throw fail(error.description) }
        guard let header else { return nil }
        return try unlock(header, path: path, login: options.login, source: options.source())
    }

    static func unlock(_ header: EncryptedDocument.Header, path: String, login: String, source: PassphraseSource) throws -> (keys: DocumentKeys, passphrase: String) {
        guard !login.isEmpty, header.logins.contains(login) else {
            let who = login.isEmpty ? "no login is set ($USER is empty)" : "has no key slot for \(login)"
            throw fail("\(path) is encrypted and \(who); the slots are: \(header.logins.joined(separator: ", ")). Use --slot LOGIN, or set login in config.toml", code: lockedOutStatus)
        }
        let name = (path as NSString).lastPathComponent
        let tries = source.canRetry ? 3 : 1
        for attempt in 1...tries {
            let passphrase: String
            do { passphrase = try Passphrases.read(source, prompt: "Passphrase for \(login) (\(name)): ") } catch {
                throw fail(error.description, code: lockedOutStatus)
            }
            do {
                return (try DocumentKeys.unlock(header: header, login: login, passphrase: passphrase), passphrase)
            } catch {
                if case .wrongPassphrase = error, attempt < tries {
                    Passphrases.tell("wrong passphrase for \(login); \(tries - attempt) more tr\(tries - attempt == 1 ? "y" : "ies") (check the keyboard layout and Caps Lock)")
                    continue
                }
                if case .wrongPassphrase = error {
                    let what = tries == 1 ? "the passphrase given" : "\(tries) wrong passphrases"
                    throw fail("\(path): \(what) did not open \(login)'s key slot; nothing was read or changed", code: lockedOutStatus)
                }
                throw fail("\(path): \(error)", code: lockedOutStatus)
            }
        }
        throw fail("\(path): not unlocked", code: lockedOutStatus)
    }

    /// The document at `path` for a command that only reads it, decrypted with a passphrase when it is encrypted.
    static func read(_ path: String, options: PassphraseOptions) throws -> DecodedDocument {
        let keys = try keys(for: path, options: options)
        do {
            return try DocumentStore.read(path, keys: keys)
        } catch {
            throw fail(error.description)
        }
    }
}
