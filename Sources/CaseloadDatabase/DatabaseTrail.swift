import CaseloadCore
import CaseloadStore
import Foundation
import NIOCore
import PostgresNIO

/// The audit trail of a database home: the same chained lines as the trail file (`AuditTrail`), one row each in
/// `caseload_audit`, appended under the program row's lock so that several instances extend one chain. Entries wait in
/// memory and go with the next save, or on their own within seconds (`flush`).
public final class DatabaseTrail: AuditSink, @unchecked Sendable {
    /// One entry waiting to be written.
    struct Pending {
        var at: Date
        var event: AuditEvent
        var who: String
        var identity: AuditIdentity
    }

    private weak var store: DatabaseStore?
    let who: String
    let identity: AuditIdentity
    private let lock = NSLock()
    private var pending: [Pending] = []
    private var oldest: Date?
    private var seal = AuditSeal(count: 0, last: AuditTrail.origin, keys: [])

    init(store: DatabaseStore, who: String, identity: AuditIdentity) {
        self.store = store; self.who = who; self.identity = identity
    }

    public func record(_ events: [AuditEvent], at: Date) {
        lock.withLock {
            if pending.isEmpty { oldest = Date() }
            pending += events.map { Pending(at: at, event: $0, who: who, identity: identity) }
        }
    }

    public func hasPending(olderThan seconds: TimeInterval) -> Bool {
        lock.withLock { oldest.map { Date().timeIntervalSince($0) >= seconds } ?? false }
    }

    @discardableResult
    public func flush() throws(StoreError) -> AuditSeal {
        let events = takePending()
        guard !events.isEmpty, let store else { return lock.withLock { seal } }
        do {
            let written = try store.appendTrailAlone(events)
            lock.withLock { seal = written }
            return written
        } catch {
            putBack(events)
            throw error
        }
    }

    public func takeNotices() -> [String] { [] }

    /// The waiting entries, left waiting: what is kept on this computer while the server cannot be reached.
    func peekPending() -> [Pending] { lock.withLock { pending } }

    /// The waiting entries, handed to a save (which puts them back if it fails).
    func takePending() -> [Pending] {
        lock.withLock {
            defer { pending = []; oldest = nil }
            return pending
        }
    }

    func putBack(_ events: [Pending]) {
        guard !events.isEmpty else { return }
        lock.withLock {
            pending = events + pending
            if oldest == nil { oldest = Date() }
        }
    }
}

extension DatabaseStore {
    /// Appends `events` as trail rows chained after `seal` (a fresh seal for the first entry): the seal afterwards, or
    /// `seal` itself when there was nothing to write. Inside the caller's transaction, with the program row locked.
    func appendTrail(_ c: DatabaseConnection, events: [DatabaseTrail.Pending], seal given: AuditSeal?) throws(DatabaseError) -> AuditSeal? {
        guard !events.isEmpty else { return nil }
        let records = events.map { AuditRecord(at: $0.at, who: $0.who, identity: $0.identity, event: $0.event) }
        // The same lines the trail file would get, numbered and chained on from the seal.
        let written: (bytes: [UInt8], seal: AuditSeal)
        do { written = try AuditTrail.write(records, seal: given ?? AuditSeal.fresh(), encrypted: keys != nil) } catch {
            throw DatabaseError.query(address: location, detail: "audit entries could not be made (\(error))")
        }
        let lines = written.bytes.split(separator: 0x0A).map { ByteBuffer(bytes: $0) }
        let first = Int64(written.seal.count - lines.count + 1)
        let numbers = lines.indices.map { first + Int64($0) }
        _ = try c.query("INSERT INTO caseload_audit (seq, line) SELECT * FROM unnest(\(numbers)::int8[], \(lines)::bytea[])")
        return written.seal
    }

    /// Entries written between saves: their own short transaction.
    func appendTrailAlone(_ events: [DatabaseTrail.Pending]) throws(StoreError) -> AuditSeal {
        state.lock()
        defer { state.unlock() }
        do {
            let c = try connected()
            let written = try c.transaction { c throws(DatabaseError) in
                let meta = try Meta.lock(c, address: address)
                let current = try meta.auditSeal(keys: keys, address: address)
                guard let seal = try appendTrail(c, events: events, seal: current) else { return current ?? .fresh() }
                let bytes = ByteBuffer(bytes: Meta.sealBytes(seal, keys: keys))
                _ = try c.query("UPDATE caseload_meta SET audit_seal = \(bytes)")
                return seal
            }
            // What was kept on this computer while offline is in the table now (those entries were waiting here too).
            offline?.removeTrail()
            return written
        } catch {
            if error.isConnectionLost {
                dropConnection()
                // Kept on this computer as a failed save keeps them (they go back to waiting in memory too).
                if let offline { try? offline.writeTrail(events + (trail?.peekPending() ?? [])) }
            }
            throw Self.storeError(error, address: address)
        }
    }

    /// The whole trail as the trail file would hold it, and its seal: for `readTrail` and `caseload audit`.
    public func trailBytes() throws(StoreError) -> (bytes: [UInt8], seal: AuditSeal?) {
        state.lock()
        defer { state.unlock() }
        do {
            let c = try connected()
            let meta = try Meta.read(c, address: address)
            let seal = try meta.auditSeal(keys: keys, address: address)
            return (try Self.trailLines(c, address: address), seal)
        } catch {
            throw Self.storeError(error, address: address)
        }
    }

    /// Every trail row in order, each with its line end: exactly the trail file's bytes.
    static func trailLines(_ c: DatabaseConnection, address: DatabaseAddress) throws(DatabaseError) -> [UInt8] {
        var bytes: [UInt8] = []
        for row in try c.query("SELECT line FROM caseload_audit ORDER BY seq") {
            guard let line = try? row.decode(ByteBuffer.self) else {
                throw DatabaseError.query(address: address.display, detail: "an audit row could not be read")
            }
            bytes += line.readableBytesView
            bytes.append(0x0A)
        }
        return bytes
    }

    public func readTrail() throws(StoreError) -> (entries: [AuditEntry], problem: AuditProblem?) {
        let (bytes, seal) = try trailBytes()
        guard let seal else { return ([], nil) }
        return AuditTrail.readLeniently(bytes, seal: seal, encrypted: isEncrypted)
    }
}
