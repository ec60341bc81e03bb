import CaseloadCore
import CaseloadDatabase
import CaseloadStore
import Foundation

/// The document behind the UI, in its home (a file, or a database: issue 20): a file is created on the first save when it
/// did not exist yet; reopened on reload, moved on save-as.
///
/// Shared by the autosaver's queue and the effect runner's jobs. `lock` guards the store and is held through a whole save
/// (backup, write, fsync: seconds on a long chart), so the UI thread never takes it; the path has a lock of its own, held
/// only to read or set it, so showing or checking the path never waits for a save.
final class OpenDocument: @unchecked Sendable {
    private let lock = NSLock()
    private var store: (any DocumentHome)?
    private let pathLock = NSLock()
    private var currentPath: String
    /// The key material of an encrypted document (nil for a plain one): a reload opens the file with it, and
    /// `:saveas` writes the new file encrypted under it.
    let keys: DocumentKeys?
    /// DEBUG builds only: seconds each save holds the lock, so a test can watch the UI answer keys during a long save.
    private let heldSaveSeconds: TimeInterval
    /// Who is at the keyboard: every audit entry names them.
    let person: Operator
    /// The audit trail of the current store (its own lock; never the store's), and entries made before there was one
    /// (a new document is created by its first save).
    private let auditLock = NSLock()
    private var auditLog: (any AuditSink)?
    private var auditWaiting: [(at: Date, event: AuditEvent)] = []

    init(path: String, store: (any DocumentHome)?, person: Operator = Operator(login: "", identity: .unmapped), environment: [String: String] = [:]) {
        self.currentPath = path
        self.store = store
        self.person = person
        self.keys = store?.keys
        homeIsDatabase = store is DatabaseStore
        auditLog = store?.openTrail(as: person)
        #if DEBUG
        heldSaveSeconds = environment["CASELOAD_TEST_HOLD_SAVE_SECONDS"].flatMap(TimeInterval.init) ?? 0
        #else
        heldSaveSeconds = 0
        #endif
    }

    var path: String { pathLock.withLock { currentPath } }

    /// Whether the document lives in a database (issue 20): no presence folder, a faster look for others' saves.
    /// Read under the path's lock, never the store's: the UI thread asks, and a save holds the store for seconds.
    var isDatabase: Bool { pathLock.withLock { homeIsDatabase } }
    private var homeIsDatabase = false

    /// What the UI should take in from the file (issue 18), in the order the store saw it: posted with `lock` held.
    enum News: Sendable {
        /// A save wrote `outcome.written` for the snapshot `saved`, which grew from `base` (nil: the store's own).
        case saved(saved: CaseloadDocument, base: CaseloadDocument?, outcome: SaveOutcome)
        /// Another instance saved the file.
        case othersSaved(DiskChange)
    }
    private let newsLock = NSLock()
    private var news: [News] = []

    /// The news posted since the last call, oldest first.
    func takeNews() -> [News] { newsLock.withLock { defer { news = [] }; return news } }

    private func post(_ item: News) { newsLock.withLock { news.append(item) } }

    /// Saves through the store (merging with what another instance saved since `draft.base`), creating the file (and a
    /// private folder) the first time.
    func save(_ draft: DocumentDraft, now: Date) throws {
        lock.lock()
        defer { lock.unlock() }
        if heldSaveSeconds > 0 { Thread.sleep(forTimeInterval: heldSaveSeconds) }
        let document = draft.resolved
        if let store {
            let outcome = try store.save(document, base: draft.base, now: now)
            post(.saved(saved: document, base: draft.base, outcome: outcome))
            return
        }
        let path = self.path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let created = try DocumentStore.create(path, with: document, now: now)
        store = created
        attachAudit(created)
        post(.saved(saved: document, base: nil, outcome: SaveOutcome(written: document, merged: false, conflicts: [], version: 0)))
    }

    // MARK: Audit trail

    /// Keeps events for the trail; they are written with the next save, or by `flushAudit` within seconds.
    func record(_ events: [AuditEvent], at: Date) {
        guard !events.isEmpty else { return }
        auditLock.withLock {
            if let log = auditLog { log.record(events, at: at) } else { auditWaiting += events.map { (at, $0) } }
        }
    }

    /// Whether entries have waited at least `seconds` for a save to write them.
    func auditDue(after seconds: TimeInterval) -> Bool {
        auditLock.withLock { auditLog?.hasPending(olderThan: seconds) ?? false }
    }

    /// Writes the waiting entries now (a job, never the UI thread); what the user should be told about the trail.
    func flushAudit() -> [String] {
        // A document from before trails writes nothing until its first save records the keys (the log waits for it).
        guard let log = auditLock.withLock({ auditLog }) else { return [] }
        var told: [String] = []
        do { try log.flush() } catch {
            // A database that cannot be reached: the title bar already says offline, and the entries wait for it.
            if case .database(_, offline: true) = error { return log.takeNotices() }
            told.append("The audit trail could not be written (\(error)); its entries wait and are written with a later save")
        }
        return log.takeNotices() + told
    }

    /// The trail read back and checked, for the Record's Access section; nil when there is no home (nothing saved yet)
    /// or no trail keys.
    func readTrail() throws(StoreError) -> (entries: [AuditEntry], problem: AuditProblem?)? {
        lock.lock()
        defer { lock.unlock() }
        guard let store else { return nil }
        return try store.readTrail()
    }

    /// What the last save could not write to the trail, once.
    func auditWarning() -> String? {
        lock.withLock { store?.lastAuditWarning }
    }

    /// With `lock` held: the new store's trail takes over; the old one's waiting entries are written first.
    private func attachAudit(_ newStore: any DocumentHome) {
        let old = auditLock.withLock { auditLog }
        if let old { _ = try? old.flush() }
        auditLock.withLock {
            auditLog = newStore.openTrail(as: person)
            if let log = auditLog {
                for item in auditWaiting { log.record([item.event], at: item.at) }
                auditWaiting = []
            }
        }
    }

    /// Reads the file again, releasing the lock first so the reopened store can take it. On failure the old store stays
    /// closed, so later saves fail with a reason rather than write over a file that could not be read.
    func reopen(now: Date) throws(StoreError) -> (document: CaseloadDocument, readOnlyReason: String?) {
        lock.lock()
        defer { lock.unlock() }
        let reopened: (home: any DocumentHome, document: CaseloadDocument)
        if let current = store {
            reopened = try current.reopened(now: now)
        } else {
            let opened = try DocumentStore.open(path, now: now, keys: keys)
            reopened = (opened.store, opened.document)
        }
        newsLock.withLock { news = [] }
        store = reopened.home
        pathLock.withLock { homeIsDatabase = reopened.home is DatabaseStore }
        attachAudit(reopened.home)
        if case .readOnly(let reason) = reopened.home.access { return (reopened.document, reason) }
        return (reopened.document, nil)
    }

    /// Saves go to `newStore` (already written at `newPath`, holding `document`) from now on; the old store is closed.
    func replace(store newStore: any DocumentHome, path newPath: String, holding document: CaseloadDocument) {
        lock.lock()
        defer { lock.unlock() }
        store?.close()
        store = newStore
        // What the old file's store posted no longer applies; the new file's version is the base from now on.
        newsLock.withLock { news = [] }
        post(.saved(saved: document, base: nil, outcome: SaveOutcome(written: document, merged: false, conflicts: [], version: 0)))
        attachAudit(newStore)
        pathLock.withLock { currentPath = newPath; homeIsDatabase = newStore is DatabaseStore }
    }

    /// Looks whether another instance saved the file, and posts what it holds if so. True when the file is gone (or a
    /// newer Caseload wrote it): saving has stopped. Never waits: while a save, reload or save-as holds the store it
    /// answers "not now", and the next poll asks again.
    func pickUp() -> Bool {
        guard lock.try() else { return false }
        defer { lock.unlock() }
        do {
            if let change = try store?.pickUpChanges(now: Date()) { post(.othersSaved(change)) }
            return false
        } catch {
            // Unreadable for a moment (a disk error): looked at again at the next poll.
            return store?.isStoppedByExternalChange ?? false
        }
    }

    func close() {
        _ = flushAudit()
        lock.lock()
        defer { lock.unlock() }
        store?.close()
    }
}

/// The newest autosave state, handed from the autosaver's queue to the UI loop.
final class SaveStateBox: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: AutosaveState?
    func put(_ state: AutosaveState) { lock.withLock { latest = state } }
    func take() -> AutosaveState? { lock.withLock { defer { latest = nil }; return latest } }
}

/// The autosaver of the open document and the box its states arrive in, replaced together on reload and save-as: a
/// stopped autosaver never starts again, and the old one's last states must not reach the title bar.
struct Saving: Sendable {
    let saver: Autosaver<DocumentDraft>
    let states: SaveStateBox

    init(_ open: OpenDocument, clock: @escaping @Sendable () -> Date) {
        let states = SaveStateBox()
        self.states = states
        // Saved a second after the last change, and never more than two seconds after the first: continuous typing in a
        // note loses at most that much if the machine dies.
        // The note being typed is written into the document here, on the saver's thread.
        // A database that cannot be reached is tried again at least every five seconds, so edits go soon after it is back.
        saver = Autosaver<DocumentDraft>(debounce: 1, maxDelay: 2, retryMax: open.isDatabase ? 5 : 30, clock: clock, onStateChange: { states.put($0) }) { draft in
            try open.save(draft, now: clock())
        }
    }

    /// Stops this autosaver and waits for a save it has under way, so nothing it does can reach the store after this.
    func retire(reason: String) {
        saver.stop(reason: reason)
        saver.flush()
    }
}
