import CaseloadCore
import Foundation

/// Where an open document lives (issue 20): the file (`DocumentStore`) or a PostgreSQL database (`DatabaseStore`).
/// The app, its autosaver and the sharing rules talk to this alone, so both homes save with the same three-way merge,
/// pick up others' changes the same way and keep the same audit trail.
public protocol DocumentHome: AnyObject, Sendable {
    /// Where it is, for messages: the file's path as given, or the database's address without a password.
    var location: String { get }
    var access: DocumentStore.Access { get }
    /// The key material when the document is encrypted (nil: plain).
    var keys: DocumentKeys? { get }
    var isEncrypted: Bool { get }
    /// Saves `document`, grown from `base` (nil: what this home last read or wrote), merging three ways with what
    /// others saved since. On failure nothing is changed where the document lives.
    func save(_ document: CaseloadDocument, base: CaseloadDocument?, now: Date) throws(StoreError) -> SaveOutcome
    /// What others saved since this home last read or wrote, or nil when nothing changed. Never waits long.
    func pickUpChanges(now: Date) throws(StoreError) -> DiskChange?
    /// Whether saving stopped for good (the file moved or was replaced, a newer Caseload wrote it).
    var isStoppedByExternalChange: Bool { get }
    /// The trail entries are written through (nil before the document has trail keys).
    func openTrail(as person: Operator) -> (any AuditSink)?
    /// The trail read back and checked: the entries that check and the first problem (nil when it verifies).
    func readTrail() throws(StoreError) -> (entries: [AuditEntry], problem: AuditProblem?)
    /// What the last save could not write to the trail, once.
    var lastAuditWarning: String? { get }
    /// The same home opened afresh (`:reload`): the document as it is there now, and why it is read-only if it is.
    func reopened(now: Date) throws(StoreError) -> (home: any DocumentHome, document: CaseloadDocument)
    func close()
}

/// Where audit entries go between saves: the trail file (`AuditLog`) or the database's trail table.
public protocol AuditSink: AnyObject, Sendable {
    func record(_ events: [AuditEvent], at: Date)
    /// Whether events have waited at least `seconds` to be written.
    func hasPending(olderThan seconds: TimeInterval) -> Bool
    /// Writes the waiting events now.
    @discardableResult func flush() throws(StoreError) -> AuditSeal
    /// What the user should be told about the trail (a torn tail found, a gap), once.
    func takeNotices() -> [String]
}

extension AuditLog: AuditSink {}

extension DocumentStore: DocumentHome {
    public var location: String { path }

    public func openTrail(as person: Operator) -> (any AuditSink)? { openAuditLog(as: person) }

    public func readTrail() throws(StoreError) -> (entries: [AuditEntry], problem: AuditProblem?) {
        guard let seal = audit else { return ([], nil) }
        return try AuditLog.read(documentPath: resolvedPath, seal: seal, encrypted: isEncrypted)
    }

    public func reopened(now: Date) throws(StoreError) -> (home: any DocumentHome, document: CaseloadDocument) {
        let keys = self.keys
        close()
        let opened = try DocumentStore.open(path, now: now, keys: keys)
        return (opened.store, opened.document)
    }
}
