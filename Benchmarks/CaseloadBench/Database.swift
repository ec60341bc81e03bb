import CaseloadCore
import CaseloadDatabase
import CaseloadStore
import Foundation

// MARK: Issue 20: the document in PostgreSQL (figures, not targets)

/// A private PostgreSQL server for the run, started with the tests' script (`scripts/pg-test-server`) on a free
/// loopback port in a temporary folder; nil (and the figures skipped, saying why) when PostgreSQL is not installed.
struct BenchPostgres {
    let folder: String
    let url: String
    let password: String
    let script: String

    static func start() throws -> BenchPostgres {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/pg-test-server").path
        let folder = NSTemporaryDirectory() + "caseload-bench-pg-\(getpid())"
        let port = 55_000 + Int(getpid() % 5_000)
        try run(script, ["start", folder, String(port), "--no-ssl"])
        let url = try String(contentsOfFile: folder + "/url", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let password = try String(contentsOfFile: folder + "/password", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return BenchPostgres(folder: folder, url: url, password: password, script: script)
    }

    func stop() {
        try? Self.run(script, ["stop", folder])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A new empty database with Caseload's tables.
    func database(_ name: String) throws -> DatabaseAddress {
        let admin = try DatabaseAddress(parsing: url, defaultUser: "caseload")
        let c = try DatabaseConnection.connect(admin, password: password)
        try c.execute("DROP DATABASE IF EXISTS \(name)")
        try c.execute("CREATE DATABASE \(name)")
        c.close()
        var address = admin
        address.database = name
        let d = try DatabaseConnection.connect(address, password: password)
        defer { d.close() }
        _ = try DatabaseSchema.initialise(d, formatVersion: DocumentCodec.currentVersion)
        return address
    }

    static func run(_ script: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(script) \(arguments.first ?? "") failed (\(process.terminationStatus))") }
    }
}

/// On the measured demo imported into a private server on loopback: opening it from the database (connect, read every
/// row, assemble and decode) next to opening the same document from a file, and one save after an edit (a phone) in each,
/// all in the same run; plus the import itself once.
@MainActor func databaseFigures() throws {
    let server: BenchPostgres
    do { server = try BenchPostgres.start() } catch {
        print("")
        print("issue 20, PostgreSQL: no figures (\(error); install postgresql)")
        return
    }
    defer { server.stop() }
    let document = measured.document
    let address = try server.database("caseload_bench")
    let c = try DatabaseConnection.connect(address, password: server.password)
    let importing = try seconds {
        _ = try DatabaseTransfer.importDocument(document, audit: nil, trail: [], keys: nil, into: c, replacing: true, account: "bench")
    }
    c.close()
    let path = (folder as NSString).appendingPathComponent("\(size.rawValue)-db-reference.json")
    try DocumentStore.create(path, with: document, replacing: true, now: now).close()
    var dbOpens: [Double] = [], fileOpens: [Double] = [], dbSaves: [Double] = [], fileSaves: [Double] = [], pickUps: [Double] = []
    // A second instance, listening: how long after the first's save returns it holds the change (NOTIFY, the rows
    // read, the document assembled), polling as the app does.
    let other = try DatabaseStore.open(address, password: server.password, account: "bench-2", offlineFolder: nil) { _ in throw BenchError("not encrypted") }
    defer { other.store.close() }
    for run in 0..<runs {
        var opened: DatabaseStore.Opened?
        dbOpens.append(try seconds {
            opened = try DatabaseStore.open(address, password: server.password, account: "bench", offlineFolder: nil) { _ in throw BenchError("not encrypted") }
        })
        guard let store = opened?.store, var edited = opened?.document else { throw BenchError("the database held no program") }
        var file: (store: DocumentStore, document: CaseloadDocument)?
        fileOpens.append(try seconds { file = try DocumentStore.open(path, now: now.addingTimeInterval(Double(run) * 3_600)) })
        let index = run % max(1, edited.patients.count)
        edited.patients[index].phone = "555-02\(String(format: "%02d", run % 100))"
        dbSaves.append(try seconds { _ = try store.save(edited, base: nil, now: now) })
        let saved = DispatchTime.now().uptimeNanoseconds
        var change: DiskChange?
        while change == nil, DispatchTime.now().uptimeNanoseconds - saved < 30_000_000_000 {
            change = try other.store.pickUpChanges(now: now)
            if change == nil { usleep(2_000) }
        }
        guard change?.document.patients[index].phone == edited.patients[index].phone else { throw BenchError("the other instance did not pick the save up") }
        pickUps.append(Double(DispatchTime.now().uptimeNanoseconds - saved) / 1e9)
        if let file {
            // The file store's first save after opening re-encodes every entity (its bytes read are not trusted canonical):
            // one save first, as the app's first autosave, then the measured one.
            try file.store.save(file.document, now: now)
            fileSaves.append(try seconds { try file.store.save(edited, now: now) })
            file.store.close()
        }
        store.close()
    }
    print("")
    print("issue 20, PostgreSQL on loopback, the \(size.rawValue) demo (\(document.sessions.count) sessions, \(document.patients.count) patients; "
          + "median of \(runs)): open from the database \(msText(median(dbOpens))) — from a file, same run: \(msText(median(fileOpens))); "
          + "save after one edit \(msText(median(dbSaves))) — to a file, same run: \(msText(median(fileSaves))); "
          + "that save held by a second instance \(msText(median(pickUps))) after it returned; import once \(msText(importing))")
}
