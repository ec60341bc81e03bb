import CaseloadDatabase
import Foundation
import PostgresNIO
import PostgresTestSupport
import Testing

@Suite struct DatabaseSchemaServerTests {
    private func tables(_ connection: DatabaseConnection) throws -> [String] {
        try connection.query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        ).map { try $0.decode(String.self) }
    }

    @Test func initCreatesTheFourTablesAndTheMetaRow() throws {
        let connection = try connectToFreshDatabase(try PostgresTestServer.shared())
        defer { connection.close() }
        #expect(try tables(connection) == [])
        #expect(try DatabaseSchema.initialise(connection, formatVersion: 7) == true)
        #expect(try tables(connection) == ["caseload_audit", "caseload_entities", "caseload_meta", "caseload_schema"])

        let meta = try connection.query(
            "SELECT schema_version, format_version, revision, encryption IS NULL, audit_seal IS NULL FROM caseload_meta")
        #expect(meta.count == 1)
        let (schema, format, revision, plain, noSeal) = try #require(meta.first).decode((Int, Int, Int64, Bool, Bool).self)
        #expect(schema == 1)
        #expect(format == 7)
        #expect(revision == 0)
        #expect(plain)
        #expect(noSeal)
        let versions = try connection.query("SELECT version FROM caseload_schema").map { try $0.decode(Int.self) }
        #expect(versions == [1])
        try DatabaseSchema.check(connection)
        #expect(try DatabaseSchema.isEmpty(connection))
    }

    @Test func aSecondInitChangesNothing() throws {
        let connection = try connectToFreshDatabase(try PostgresTestServer.shared())
        defer { connection.close() }
        #expect(try DatabaseSchema.initialise(connection, formatVersion: 7) == true)
        try connection.execute("UPDATE caseload_meta SET revision = 5")
        #expect(try DatabaseSchema.initialise(connection, formatVersion: 9) == false)
        let meta = try connection.query("SELECT format_version, revision FROM caseload_meta")
        let (format, revision) = try #require(meta.first).decode((Int, Int64).self)
        #expect(format == 7, "the meta row keeps the format it was created with")
        #expect(revision == 5)
        #expect(try connection.query("SELECT count(*) FROM caseload_schema").first?.decode(Int64.self) == 1)
    }

    @Test func aNewerSchemaIsRefusedByInitAndCheck() throws {
        let connection = try connectToFreshDatabase(try PostgresTestServer.shared())
        defer { connection.close() }
        try DatabaseSchema.initialise(connection, formatVersion: 7)
        try connection.execute("INSERT INTO caseload_schema (version) VALUES (99)")
        let expected = "was set up by a newer Caseload (schema 99); this one knows up to 1"
        do {
            try DatabaseSchema.initialise(connection, formatVersion: 7)
            Issue.record("init accepted a newer schema")
        } catch {
            #expect(error.description.contains(expected))
        }
        do {
            try DatabaseSchema.check(connection)
            Issue.record("check accepted a newer schema")
        } catch {
            #expect(error.description.contains(expected))
        }
        // The refused init rolled back: the newer version is still all there is.
        #expect(try connection.query("SELECT max(version) FROM caseload_schema").first?.decode(Int.self) == 99)
    }

    @Test func checkOnAnEmptyDatabaseSaysToRunDbInit() throws {
        let connection = try connectToFreshDatabase(try PostgresTestServer.shared())
        defer { connection.close() }
        do {
            try DatabaseSchema.check(connection)
            Issue.record("check accepted a database without the schema")
        } catch {
            guard case .schema = error else {
                Issue.record("expected .schema, got \(error)")
                return
            }
            #expect(error.description.contains("has no Caseload schema: run `caseload db init"))
            #expect(error.description.contains(connection.address.display))
        }
    }

    @Test func isEmptyIsFalseOnceAnEntityOrAnAuditLineIsThere() throws {
        let connection = try connectToFreshDatabase(try PostgresTestServer.shared())
        defer { connection.close() }
        try DatabaseSchema.initialise(connection, formatVersion: 7)
        #expect(try DatabaseSchema.isEmpty(connection))
        try connection.execute("INSERT INTO caseload_audit (seq, line) VALUES (0, '\\x00')")
        #expect(try DatabaseSchema.isEmpty(connection) == false)
        try connection.execute("DELETE FROM caseload_audit")
        try connection.execute(
            "INSERT INTO caseload_entities VALUES ('program', 'program', 0, 1, 1, now(), 'someone', '\\x00')")
        #expect(try DatabaseSchema.isEmpty(connection) == false)
    }

    @Test func twoInitsAtOnceCreateTheSchemaOnce() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.newDatabase()
        let address = try DatabaseAddress(parsing: url, defaultUser: "x")
        let password = PgPass.password(for: address, file: server.pgpassFile).password
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do {
                let connection = try DatabaseConnection.connect(address, password: password)
                defer { connection.close() }
                results.add(.success(try DatabaseSchema.initialise(connection, formatVersion: 7)))
            } catch {
                results.add(.failure(error))
            }
        }
        let created = results.all.compactMap { try? $0.get() }
        #expect(created.sorted { !$0 && $1 } == [false, true])
    }
}

private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Result<Bool, any Error>] = []
    func add(_ value: Result<Bool, any Error>) { lock.withLock { values.append(value) } }
    var all: [Result<Bool, any Error>] { lock.withLock { values } }
}
