import Foundation

/// Everything that can go wrong between a document and the disk, each with a message that names the file and the place.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// A new document would replace an existing file.
    case alreadyExists(path: String)
    /// The path names a folder, not a file.
    case isDirectory(path: String)
    /// The operating system refused access (`operation` is "read", "write", "create", …).
    case permissionDenied(path: String, operation: String)
    /// The folder the file should live in does not exist.
    case parentMissing(path: String)
    /// The file holds zero bytes.
    case empty(path: String)
    /// The bytes are not UTF-8; line and column (1-based) of the first bad byte.
    case invalidUTF8(path: String, line: Int, column: Int)
    /// The text is not JSON (or is cut short); line and column (1-based) where parsing stopped.
    case malformedJSON(path: String, line: Int, column: Int, detail: String)
    /// JSON, but not a Caseload document (not an object, or the wrong `format`).
    case notADocument(path: String, detail: String)
    /// A field has the wrong type, a missing value or an unknown value; `field` is a path like `patients[3].status`.
    case invalidField(path: String, field: String, detail: String)
    /// The document decoded but breaks a rule (duplicate IDs, unique MRN, …); each issue names its field.
    case invalidDocument(path: String, issues: [String])
    /// The file was written by a newer Caseload; it may be read but is never written.
    case newerVersion(path: String, found: Int, supported: Int)
    /// The `schemaVersion` is missing or not a whole number ≥ 0.
    case badVersion(path: String, detail: String)
    /// Writing failed (disk full, file too large, I/O error); the original is untouched.
    case writeFailed(path: String, reason: String)
    /// Another Caseload holds the document's lock.
    case locked(path: String, holder: String)
    /// The file changed on disk since it was loaded or last saved; autosave has stopped.
    case changedOnDisk(path: String)
    /// The document is open read-only (newer version, locked, or asked for).
    case readOnly(path: String, reason: String)
    /// A backup could not be made, read or verified.
    case backupFailed(path: String, reason: String)
    /// Any other system call failed.
    case io(path: String, operation: String, reason: String)
    /// The file is an encrypted document and no passphrase was given to open it.
    case needsPassphrase(path: String)
    /// The encrypted document could not be opened or written (wrong passphrase, damaged, …).
    case encryption(path: String, EncryptedDocumentError)
    /// A shared document is not safe to open: its mode drifted wider, or a file is not trusted (`SharedTrust`).
    case unsafeSharing(path: String, reason: String)
    /// A database home could not do it (issue 20): `message` says what and where; `offline` when the server or the
    /// network is down, so the edits wait and are sent when it is back.
    case database(message: String, offline: Bool)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "\(path): no such file"
        case .alreadyExists(let path):
            return "\(path): a file already exists there; choose another path, or replace it on purpose (the old file is backed up first)"
        case .isDirectory(let path):
            return "\(path): is a folder, not a Caseload document"
        case .permissionDenied(let path, let operation):
            return "\(path): permission denied (\(operation)); check the file's owner and mode"
        case .parentMissing(let path):
            return "\(path): the folder \((path as NSString).deletingLastPathComponent) does not exist"
        case .empty(let path):
            return "\(path): the file is empty (0 bytes); it is not a Caseload document"
        case .invalidUTF8(let path, let line, let column):
            return "\(path):\(line):\(column): the file is not valid UTF-8 text"
        case .malformedJSON(let path, let line, let column, let detail):
            return "\(path):\(line):\(column): not valid JSON: \(detail)"
        case .notADocument(let path, let detail):
            return "\(path): not a Caseload document: \(detail)"
        case .invalidField(let path, let field, let detail):
            return "\(path): at \(field): \(detail)"
        case .invalidDocument(let path, let issues):
            let shown = issues.prefix(10).map { "  - \($0)" }.joined(separator: "\n")
            let more = issues.count > 10 ? "\n  … and \(issues.count - 10) more" : ""
            return "\(path): the document breaks \(issues.count == 1 ? "a rule" : "\(issues.count) rules"):\n\(shown)\(more)"
        case .newerVersion(let path, let found, let supported):
            return "\(path): written by a newer Caseload (schema version \(found); this one knows up to \(supported)); opened read-only and never written — update Caseload to edit it"
        case .badVersion(let path, let detail):
            return "\(path): at schemaVersion: \(detail)"
        case .writeFailed(let path, let reason):
            return "\(path): could not save: \(reason); the file on disk is unchanged"
        case .locked(let path, let holder):
            return "\(path): open in another Caseload (\(holder)); opened read-only"
        case .changedOnDisk(let path):
            return "\(path): moved or deleted since it was loaded; autosave has stopped so nothing is overwritten — :saveas PATH keeps your version"
        case .readOnly(let path, let reason):
            return "\(path): read-only: \(reason)"
        case .backupFailed(let path, let reason):
            return "\(path): backup failed: \(reason)"
        case .io(let path, let operation, let reason):
            return "\(path): \(operation) failed: \(reason)"
        case .needsPassphrase(let path):
            return "\(path): is an encrypted document; it opens with a passphrase (typed at the prompt, or --passphrase-file / --passphrase-fd)"
        case .encryption(let path, let error):
            return "\(path): \(error)"
        case .unsafeSharing(let path, let reason):
            return "\(path): not opened: \(reason)"
        case .database(let message, _):
            return message
        }
    }
}
