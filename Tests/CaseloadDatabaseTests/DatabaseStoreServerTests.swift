import CaseloadCore
@testable import CaseloadDatabase
import CaseloadDemo
import CaseloadStore
import Foundation
import PostgresTestSupport
import Testing

/// The database home against a real PostgreSQL server (issue 20): these need the private server `.ci/run` starts (or
/// one `PostgresTestServer` starts itself).
struct DatabaseStoreServerTests {
    static let now = Date(timeIntervalSince1970: 1_795_900_000)
    static let fast = EncryptedDocument.KDFParameters(n: 1 << 10, r: 8, p: 1)

    /// A new database on `server`, with Caseload's tables.
    static func freshDatabase(_ server: PostgresTestServer) throws -> DatabaseAddress {
        let address = try DatabaseAddress(parsing: try server.newDatabase(), defaultUser: "caseload")
        let c = try DatabaseConnection.connect(address, password: server.password)
        defer { c.close() }
        _ = try DatabaseSchema.initialise(c, formatVersion: DocumentCodec.currentVersion)
        return address
    }

    static func load(_ document: CaseloadDocument, into address: DatabaseAddress, _ server: PostgresTestServer, keys: DocumentKeys? = nil,
                     trail: (bytes: [UInt8], seal: AuditSeal)? = nil) throws {
        let c = try DatabaseConnection.connect(address, password: server.password)
        defer { c.close() }
        _ = try DatabaseTransfer.importDocument(document, audit: trail?.seal, trail: trail?.bytes ?? [], keys: keys, into: c, replacing: false, account: "tester")
    }

    static func open(_ address: DatabaseAddress, _ server: PostgresTestServer, account: String = "tester", keys: DocumentKeys? = nil,
                     offline: String? = nil) throws -> DatabaseStore.Opened {
        try DatabaseStore.open(address, password: server.password, account: account, offlineFolder: offline) { _ in
            guard let keys else { throw StoreError.needsPassphrase(path: address.display) }
            return keys
        }
    }

    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "caseload-db-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    static func demo(seed: UInt64 = 1) -> CaseloadDocument { DemoProgram.generate(seed: seed, size: .small, now: now) }

    static func trail(_ count: Int, encrypted: Bool = false) throws -> (bytes: [UInt8], seal: AuditSeal) {
        let records = (1...count).map {
            AuditRecord(at: now.addingTimeInterval(Double($0 * 60)), who: "dreyes", identity: .account,
                        event: AuditEvent(AuditAction.documentOpen))
        }
        return try AuditTrail.write(records, seal: .fresh(), encrypted: encrypted)
    }

    /// Whether `dump` shows `text`, as it is or as the hex pg_dump writes a bytea in.
    static func holds(_ dump: Data, _ text: String) -> Bool {
        let bytes = Data(text.utf8)
        let hex = Data(bytes.map { String(format: "%02x", $0) }.joined().utf8)
        return dump.range(of: bytes) != nil || dump.range(of: hex) != nil
    }

    /// Waits (up to `seconds`) for `store` to pick up a change.
    static func pickUp(_ store: DatabaseStore, within seconds: Double = 5) throws -> DiskChange? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let change = try store.pickUpChanges(now: Date()) { return change }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }

    @Test func aDocumentImportedAndExportedComesBackByteIdenticalWithItsTrail() throws {
        let server = try PostgresTestServer.shared()
        let address = try Self.freshDatabase(server)
        let document = Self.demo()
        let trail = try Self.trail(40)
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let original = folder + "/in.json"
        try AuditTrail.writeFile(trail.bytes, documentPath: original)
        try DocumentStore.create(original, with: document, now: Self.now, audit: trail.seal).close()

        let c = try DatabaseConnection.connect(address, password: server.password)
        defer { c.close() }
        let imported = try DatabaseTransfer.importDocument(document, audit: trail.seal, trail: trail.bytes, keys: nil, into: c, replacing: false, account: "tester")
        #expect(imported.trailEntries == 40)
        #expect(imported.rows == 1 + document.staff.count + document.patients.count + document.series.count + document.sessions.count)
        // A database that holds a program is not written over without asking.
        #expect(throws: DatabaseError.self) {
            try DatabaseTransfer.importDocument(document, audit: trail.seal, trail: trail.bytes, keys: nil, into: c, replacing: false, account: "tester")
        }

        let opened = try Self.open(address, server)
        defer { opened.store.close() }
        #expect(opened.document == document)
        let out = folder + "/out.json"
        _ = try DatabaseTransfer.export(opened.store, document: try #require(opened.document), to: out)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: original)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + ".audit")) == Data(contentsOf: URL(fileURLWithPath: original + ".audit")))
    }

    @Test func twoInstancesSeeEachOthersSavesAndTheirEditsMerge() throws {
        let server = try PostgresTestServer.shared()
        let address = try Self.freshDatabase(server)
        let start = Self.demo()
        try Self.load(start, into: address, server)
        let a = try Self.open(address, server, account: "a"), b = try Self.open(address, server, account: "b")
        defer { a.store.close(); b.store.close() }

        var mine = try #require(a.document)
        mine.patients[0].phone = "555-0100"
        let savedA = try a.store.save(mine, base: nil, now: Date())
        #expect(!savedA.merged)
        // B hears of it (NOTIFY) and picks it up.
        let heard = try #require(try Self.pickUp(b.store))
        #expect(heard.document.patients[0].phone == "555-0100")

        // B's own edit, made from the document it opened with, merges with A's.
        var theirs = try #require(b.document)
        theirs.patients[1].phone = "555-0200"
        let savedB = try b.store.save(theirs, base: b.document, now: Date())
        #expect(savedB.merged)
        #expect(savedB.conflicts.isEmpty)
        #expect(savedB.written.patients[0].phone == "555-0100")
        #expect(savedB.written.patients[1].phone == "555-0200")

        let fresh = try Self.open(address, server)
        defer { fresh.store.close() }
        #expect(fresh.document == savedB.written)
    }

    @Test func theSameFieldChangedByTwoIsAConflictThatKeepsTheFirstSavedAndCanBeResolved() throws {
        let server = try PostgresTestServer.shared()
        let address = try Self.freshDatabase(server)
        let start = Self.demo()
        try Self.load(start, into: address, server)
        let a = try Self.open(address, server, account: "a"), b = try Self.open(address, server, account: "b")
        defer { a.store.close(); b.store.close() }

        var first = start
        first.program.name = "Riverside (A)"
        _ = try a.store.save(first, base: nil, now: Date())
        var second = start
        second.program.name = "Riverside (B)"
        let outcome = try b.store.save(second, base: start, now: Date())
        #expect(outcome.written.program.name == "Riverside (A)")
        #expect(outcome.conflicts.count == 1)
        let conflict = try #require(outcome.conflicts.first)
        #expect(conflict.entity == .program)

        // B takes its own value: an ordinary edit from what was written.
        var resolved = outcome.written
        resolved.program.name = "Riverside (B)"
        let again = try b.store.save(resolved, base: outcome.written, now: Date())
        #expect(again.conflicts.isEmpty)
        let fresh = try Self.open(address, server)
        defer { fresh.store.close() }
        #expect(fresh.document?.program.name == "Riverside (B)")
    }

    @Test func anEncryptedProgramsDatabaseDumpHoldsNoPatientNameOrNoteSentence() throws {
        let server = try PostgresTestServer.shared()
        let document = Self.demo()
        let patient = try #require(document.patients.first { $0.legalName.count > 8 })
        let sentence = try #require(document.sessions.lazy.flatMap(\.memberNotes).flatMap(\.sections).map(\.text).first { $0.count > 30 })
        let keys = try DocumentKeys.create(login: "dreyes", passphrase: "a passphrase for the test", kdf: Self.fast)

        let sealed = try Self.freshDatabase(server)
        try Self.load(document, into: sealed, server, keys: keys, trail: try Self.trail(5, encrypted: true))
        let dump = try server.dump(database: sealed.database)
        #expect(!dump.isEmpty)
        for secret in [patient.legalName, sentence, patient.mrn] {
            #expect(!Self.holds(dump, secret), "the dump shows \(secret.prefix(12))…")
        }

        // The check can fail: a plain program's dump holds both (its bodies as bytea, which pg_dump writes in hex).
        let plain = try Self.freshDatabase(server)
        try Self.load(document, into: plain, server)
        let plainDump = try server.dump(database: plain.database)
        #expect(Self.holds(plainDump, patient.legalName))
        #expect(Self.holds(plainDump, sentence))

        // And the sealed rows open again with the key.
        let opened = try Self.open(sealed, server, keys: keys)
        defer { opened.store.close() }
        #expect(opened.document == document)
        #expect(opened.store.isEncrypted)
    }

    @Test func theAuditChainOfSeveralInstancesVerifies() throws {
        let server = try PostgresTestServer.shared()
        let address = try Self.freshDatabase(server)
        let start = Self.demo()
        try Self.load(start, into: address, server, trail: try Self.trail(12))
        let a = try Self.open(address, server, account: "a"), b = try Self.open(address, server, account: "b")
        defer { a.store.close(); b.store.close() }
        let trailA = try #require(a.store.openTrail(as: Operator(login: "dreyes", identity: .account)))
        let trailB = try #require(b.store.openTrail(as: Operator(login: "mkhan", identity: .account)))
        trailA.record([AuditEvent(AuditAction.documentOpen)], at: Date())
        trailB.record([AuditEvent(AuditAction.documentOpen)], at: Date())
        var edited = start
        edited.patients[2].phone = "555-0300"
        trailA.record([AuditEvent("patient.edit", ["patient:\(edited.patients[2].id.rawValue)", "phone"])], at: Date())
        _ = try a.store.save(edited, base: nil, now: Date())   // writes A's two entries with the save
        try trailB.flush()                                     // B's on their own, chained after A's
        trailA.record([AuditEvent(AuditAction.documentClose)], at: Date())
        try trailA.flush()

        let read = try a.store.readTrail()
        #expect(read.problem == nil)
        #expect(read.entries.count == 12 + 4)
        #expect(read.entries.map(\.who).suffix(4) == ["dreyes", "dreyes", "mkhan", "dreyes"])
        #expect(read.entries.map(\.sequence) == Array(1...16))
    }

    @Test func killingTheServerMidSaveLosesNothingAndTheEditsGoWhenItIsBack() throws {
        let server = try PostgresTestServer.startPrivate(ssl: false)
        defer { try? server.stop() }
        let address = try Self.freshDatabase(server)
        let start = Self.demo()
        try Self.load(start, into: address, server)
        let offline = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: offline) }

        let a = try Self.open(address, server, offline: offline)
        // An audit entry waits in memory when the server goes: it is kept on this computer with the edits.
        let trail = try #require(a.store.openTrail(as: Operator(login: "dreyes", identity: .account)))
        trail.record([AuditEvent("record.open", ["patient:\(start.patients[0].id.rawValue)"])], at: Date())
        // Many rows change in each save, so a kill lands inside one.
        let saving = DispatchGroup()
        let results = ResultBox()
        saving.enter()
        Thread.detachNewThread {
            var n = 0
            // Saves one after another until one fails: the kill lands in one of them.
            while true {
                n += 1
                var next = start
                for i in next.patients.indices { next.patients[i].phone = "555-\(n)-\(i)" }
                do { _ = try a.store.save(next, base: nil, now: Date()); results.saved(next) } catch { results.failed(next, error); break }
            }
            saving.leave()
        }
        Thread.sleep(forTimeInterval: 0.4)
        try server.kill()
        saving.wait()
        let failure = try #require(results.failure)
        guard case .database(_, let isOffline) = failure.error as? StoreError else { Issue.record("not a database error: \(failure.error)"); return }
        #expect(isOffline)
        // Kept on this computer: the document that failed, with its base.
        #expect(OfflineCopy(folder: offline, address: address).exists)
        // An entry recorded while offline, whose write fails, is kept on this computer at once (before any quit: a
        // crash now would lose none).
        trail.record([AuditEvent("record.open", ["patient:\(start.patients[1].id.rawValue)"])], at: Date())
        #expect(throws: StoreError.self) { try trail.flush() }
        #expect(FileManager.default.fileExists(atPath: OfflineCopy(folder: offline, address: address).trailPath))
        a.store.close()

        try server.start()
        // The next start finds the waiting edits, and its first save sends them.
        let b = try Self.open(address, server, offline: offline)
        defer { b.store.close() }
        // What the database holds is one whole save: the last that succeeded, or the one the kill cut off when its commit
        // got through before the connection went (never a mix of two).
        #expect(b.document == (results.lastSaved ?? start) || b.document == failure.document)
        let waiting = try #require(b.waiting)
        #expect(waiting == failure.document)
        let sent = try b.store.save(waiting, base: nil, now: Date())
        #expect(sent.conflicts.isEmpty)
        #expect(!OfflineCopy(folder: offline, address: address).exists)
        // The entries kept go to the trail first, and the kept file with them: each of the two exactly once, whether
        // the first reached the database with a save before the kill or waited.
        #expect(!b.store.keptEntries.isEmpty)
        let bTrail = try #require(b.store.openTrail(as: Operator(login: "dreyes", identity: .account)))
        try bTrail.flush()
        #expect(!FileManager.default.fileExists(atPath: OfflineCopy(folder: offline, address: address).trailPath))
        let read = try b.store.readTrail()
        #expect(read.problem == nil)
        for patient in start.patients.prefix(2) {
            #expect(read.entries.filter { $0.action == "record.open" && $0.ids == ["patient:\(patient.id.rawValue)"] }.count == 1)
        }
        let fresh = try Self.open(address, server)
        defer { fresh.store.close() }
        #expect(fresh.document == failure.document)
    }
}

/// What the saving thread of the kill test saw.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _lastSaved: CaseloadDocument?
    private var _failure: (document: CaseloadDocument, error: any Error)?
    var lastSaved: CaseloadDocument? { lock.withLock { _lastSaved } }
    var failure: (document: CaseloadDocument, error: any Error)? { lock.withLock { _failure } }
    func saved(_ d: CaseloadDocument) { lock.withLock { _lastSaved = d } }
    func failed(_ d: CaseloadDocument, _ e: any Error) { lock.withLock { _failure = (d, e) } }
}
