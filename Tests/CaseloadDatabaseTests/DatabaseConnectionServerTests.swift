import CaseloadDatabase
import Foundation
import PostgresNIO
import PostgresTestSupport
import Testing

/// Connects to a fresh database on the test server with the password from its pgpass file, as a user would.
func connectToFreshDatabase(_ server: PostgresTestServer, sslmode: String? = nil) throws -> DatabaseConnection {
    var url = try server.newDatabase()
    if let sslmode { url += "?sslmode=\(sslmode)" }
    let address = try DatabaseAddress(parsing: url, defaultUser: "nobody")
    let password = PgPass.password(for: address, file: server.pgpassFile)
    #expect(password.warning == nil)
    return try DatabaseConnection.connect(address, password: password.password)
}

@Suite(.serialized) struct DatabaseConnectionServerTests {
    @Test func connectsWithThePasswordFromPgpassAndQueries() throws {
        let server = try PostgresTestServer.shared()
        let connection = try connectToFreshDatabase(server)
        defer { connection.close() }
        let rows = try connection.query("SELECT current_user, 6 * 7")
        let (user, answer) = try #require(rows.first).decode((String, Int).self)
        #expect(user == "caseload")
        #expect(answer == 42)
        #expect(!connection.isClosed)
        connection.close()
        #expect(connection.isClosed)
    }

    @Test func aWrongPasswordIsRefusedNotUnreachable() throws {
        let server = try PostgresTestServer.shared()
        let address = try DatabaseAddress(parsing: server.url, defaultUser: "nobody")
        do {
            _ = try DatabaseConnection.connect(address, password: "not-the-password")
            Issue.record("a wrong password was accepted")
        } catch {
            guard case .refused = error else {
                Issue.record("expected .refused, got \(error)")
                return
            }
            #expect(error.description.contains("28P01"))
            #expect(!error.isConnectionLost)
        }
    }

    @Test func aMissingDatabaseIsRefused() throws {
        let server = try PostgresTestServer.shared()
        let address = try DatabaseAddress(
            parsing: "postgresql://caseload@127.0.0.1:\(server.port)/no_such_database_here", defaultUser: "x")
        let password = PgPass.password(for: address, file: server.pgpassFile).password
        #expect(throws: DatabaseError.self) { try DatabaseConnection.connect(address, password: password) }
        do {
            _ = try DatabaseConnection.connect(address, password: password)
        } catch {
            #expect(error.description.contains("3D000"))
            if case .refused = error {} else { Issue.record("expected .refused, got \(error)") }
        }
    }

    @Test func sslmodeRequireGivesAnEncryptedConnection() throws {
        let server = try PostgresTestServer.shared()
        let connection = try connectToFreshDatabase(server, sslmode: "require")
        defer { connection.close() }
        #expect(connection.usesTLS)
        let rows = try connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        #expect(try #require(rows.first).decode(Bool.self) == true)
    }

    @Test func verifyFullRefusesACertificateNoTrustedRootSigned() throws {
        // The test server's certificate is self-signed: verify-full must not accept it, and says why.
        let server = try PostgresTestServer.shared()
        do {
            let connection = try connectToFreshDatabase(server, sslmode: "verify-full")
            connection.close()
            Issue.record("verify-full accepted a self-signed certificate")
        } catch {
            guard let failure = error as? DatabaseError, case .refused = failure else {
                Issue.record("expected .refused, got \(error)")
                return
            }
            #expect(failure.description.contains("TLS"))
        }
    }

    @Test func sslmodeDisableIsPlainAndPreferUsesTLSWhenOffered() throws {
        let server = try PostgresTestServer.shared()
        let plain = try connectToFreshDatabase(server, sslmode: "disable")
        defer { plain.close() }
        #expect(!plain.usesTLS)
        let rows = try plain.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
        #expect(try #require(rows.first).decode(Bool.self) == false)

        let preferred = try connectToFreshDatabase(server)
        defer { preferred.close() }
        #expect(preferred.usesTLS)
    }

    @Test func requireAgainstAServerWithoutTLSSendsNothingAndSaysSo() throws {
        let server = try PostgresTestServer.startPrivate(ssl: false)
        defer { try? server.stop() }
        let address = try DatabaseAddress(parsing: server.url + "?sslmode=require", defaultUser: "x")
        let password = PgPass.password(for: address, file: server.pgpassFile).password
        do {
            _ = try DatabaseConnection.connect(address, password: password)
            Issue.record("connected without TLS although sslmode=require")
        } catch {
            #expect(error == .tlsRequired(address: address.display))
        }
        // prefer falls back to plain text there.
        let preferAddress = try DatabaseAddress(parsing: server.url, defaultUser: "x")
        let connection = try DatabaseConnection.connect(preferAddress, password: password)
        defer { connection.close() }
        #expect(!connection.usesTLS)
    }

    @Test func aClosedPortIsUnreachableAndCountsAsConnectionLost() throws {
        let port = try closedPort()
        let address = try DatabaseAddress(
            parsing: "postgresql://caseload@127.0.0.1:\(port)/caseload?connect_timeout=2", defaultUser: "x")
        do {
            _ = try DatabaseConnection.connect(address, password: "irrelevant")
            Issue.record("connected to a closed port")
        } catch {
            guard case .unreachable = error else {
                Issue.record("expected .unreachable, got \(error)")
                return
            }
            #expect(error.isConnectionLost)
        }
    }

    @Test func aServerErrorCarriesTheSQLStateButNotTheQueryOrItsValues() throws {
        let server = try PostgresTestServer.shared()
        let connection = try connectToFreshDatabase(server)
        defer { connection.close() }
        let secret = "Patient Zelda Quickfox"
        do {
            try connection.query("SELECT no_such_column, \(secret)::text FROM pg_class")
            Issue.record("a wrong query succeeded")
        } catch {
            #expect(error.description.contains("42703"))
            #expect(!error.description.contains(secret))
            #expect(!error.description.contains("SELECT"))
            if case .query = error {} else { Issue.record("expected .query, got \(error)") }
        }
    }

    @Test func aTransactionRollsBackWhenItsBodyThrows() throws {
        let server = try PostgresTestServer.shared()
        let connection = try connectToFreshDatabase(server)
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (n integer)")
        #expect(throws: DatabaseError.self) {
            try connection.transaction { (c: DatabaseConnection) throws(DatabaseError) in
                try c.execute("INSERT INTO t VALUES (1)")
                throw DatabaseError.query(address: "test", detail: "stop")
            }
        }
        try connection.transaction { (c: DatabaseConnection) throws(DatabaseError) in
            try c.execute("INSERT INTO t VALUES (2)")
        }
        let rows = try connection.query("SELECT coalesce(sum(n), 0)::int8 FROM t")
        #expect(try #require(rows.first).decode(Int64.self) == 2)
    }

    @Test func listenDeliversAnotherConnectionsNotifyWithinASecond() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.newDatabase()
        let address = try DatabaseAddress(parsing: url, defaultUser: "x")
        let password = PgPass.password(for: address, file: server.pgpassFile).password
        let listener = try DatabaseConnection.connect(address, password: password)
        defer { listener.close() }
        let sender = try DatabaseConnection.connect(address, password: password)
        defer { sender.close() }

        let received = Received()
        try listener.listen(channel: DatabaseSchema.channel) { payload in received.add(payload) }
        let started = Date()
        try sender.query("SELECT pg_notify(\(DatabaseSchema.channel), '17')")
        while received.all.isEmpty, Date().timeIntervalSince(started) < 1 {
            usleep(10_000)
        }
        #expect(received.all == ["17"])
    }

    @Test func aKilledServerMakesTheConnectionLostAndComesBack() throws {
        let server = try PostgresTestServer.startPrivate(ssl: true)
        defer { try? server.stop() }
        let address = try DatabaseAddress(parsing: server.url, defaultUser: "x")
        let password = PgPass.password(for: address, file: server.pgpassFile).password
        let connection = try DatabaseConnection.connect(address, password: password)
        defer { connection.close() }
        try server.kill()
        do {
            try connection.query("SELECT 1")
            Issue.record("a query went through on a killed server")
        } catch {
            #expect(error.isConnectionLost, "got \(error)")
        }
        #expect(throws: DatabaseError.self) { try DatabaseConnection.connect(address, password: password) }
        try server.start()
        let again = try DatabaseConnection.connect(address, password: password)
        defer { again.close() }
        #expect(try #require(again.query("SELECT 1").first).decode(Int.self) == 1)
    }
}

/// Payloads a listener received, from the listener's thread.
private final class Received: @unchecked Sendable {
    private let lock = NSLock()
    private var payloads: [String] = []
    func add(_ payload: String) { lock.withLock { payloads.append(payload) } }
    var all: [String] { lock.withLock { payloads } }
}

/// A loopback port nothing listens on: bound, read and closed (never listened on).
private func closedPort() throws -> Int {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    let port = Int(UInt16(bigEndian: address.sin_port))
    #expect(port > 0)
    return port
}
