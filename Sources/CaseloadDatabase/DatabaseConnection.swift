import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to a PostgreSQL database, with blocking calls.
///
/// Every call waits for the server, so call it only from a background thread (a job or a queue), never from the UI
/// thread and never from an event loop's thread (it would wait on itself). The work runs on
/// `MultiThreadedEventLoopGroup.singleton`; calls are bridged to the caller's thread with a semaphore. Errors never
/// carry the query's text or its bind values: they can hold patient data.
public final class DatabaseConnection: @unchecked Sendable {
    public let address: DatabaseAddress
    /// Whether the connection is encrypted with TLS.
    public let usesTLS: Bool

    private let connection: PostgresConnection
    private let lock = NSLock()
    private var listeners: [PostgresListenContext] = []
    /// Where notifications are delivered, in order, off the event loop.
    private let notifications = DispatchQueue(label: "caseload.database.notifications")

    /// Nothing about queries is ever logged (they hold patient data): a handler that drops everything.
    private static let logger: Logger = {
        var logger = Logger(label: "caseload.database", factory: { _ in SwiftLogNoOpLogHandler() })
        logger.logLevel = .critical
        return logger
    }()

    private static let ids = IDCounter()

    private init(address: DatabaseAddress, connection: PostgresConnection, usesTLS: Bool) {
        self.address = address
        self.connection = connection
        self.usesTLS = usesTLS
    }

    deinit {
        if !connection.isClosed { connection.close().whenComplete { _ in } }
    }

    /// Connects and logs in, with TLS as `address.sslmode` asks. Blocks; see the type's note.
    public static func connect(_ address: DatabaseAddress, password: String?) throws(DatabaseError) -> DatabaseConnection {
        let shown = address.display
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: password,
            database: address.database, tls: try tls(for: address))
        configuration.options.connectTimeout = .seconds(Int64(address.connectTimeout))
        let future = PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: ids.next(),
            logger: logger)
        // postgres-nio's timeout covers the TCP connect only; a server that accepts and then says nothing is given
        // the same time again for TLS and the login before we stop waiting.
        let outcome = wait(for: future, timeout: .seconds(2 * address.connectTimeout + 1))
        let postgres: PostgresConnection
        switch outcome {
        case .none:
            future.whenSuccess { late in late.close().whenComplete { _ in } }
            throw .unreachable(
                address: shown, detail: "no answer within \(2 * address.connectTimeout + 1) seconds")
        case .some(.failure(let error)):
            throw mapError(error, address: shown)
        case .some(.success(let value)):
            postgres = value
        }
        var usesTLS = address.sslmode != .disable
        if address.sslmode == .prefer {
            // prefer falls back to plain text silently (as libpq does); ask the server which it was.
            do throws(DatabaseError) {
                let rows = try run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", on: postgres, address: shown)
                if let row = rows.first {
                    do { usesTLS = try row.decode(Bool.self) } catch {
                        throw DatabaseError.query(address: shown, detail: "pg_stat_ssl gave an unexpected answer")
                    }
                } else {
                    usesTLS = false
                }
            } catch {
                _ = wait(for: postgres.close(), timeout: .seconds(5))
                throw error
            }
        }
        return DatabaseConnection(address: address, connection: postgres, usesTLS: usesTLS)
    }

    /// How long a query waits for its answer before the connection is given up as lost.
    static let answerWait: TimeInterval = 60

    /// Runs a query and collects all its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) throws(DatabaseError) -> [PostgresRow] {
        try Self.run(query, on: connection, address: address.display)
    }

    private static func run(_ query: PostgresQuery, on connection: PostgresConnection, address: String) throws(DatabaseError) -> [PostgresRow] {
        // A query written to a channel that has just closed is never answered: look before, and while waiting.
        guard !connection.isClosed else { throw .unreachable(address: address, detail: "the connection was closed") }
        let future = connection.query(query, logger: logger)
        // A network that drops packets without closing the connection would leave a save waiting for ever (and the
        // app's quit behind it): after `answerWait` the connection is given up, and the edits wait as for any outage.
        let deadline = Date().addingTimeInterval(answerWait)
        while true {
            switch wait(for: future, timeout: .seconds(1)) {
            case .some(.success(let result)): return result.rows
            case .some(.failure(let error)): throw mapError(error, address: address)
            case .none:
                if connection.isClosed {
                    throw .unreachable(address: address, detail: "the connection was closed")
                }
                if Date() > deadline {
                    connection.close().whenComplete { _ in }
                    throw .unreachable(address: address, detail: "no answer within \(Int(answerWait)) seconds")
                }
            }
        }
    }

    /// Runs a statement without binds (BEGIN, COMMIT, DDL) and drops its rows.
    public func execute(_ sql: String) throws(DatabaseError) {
        try query(PostgresQuery(unsafeSQL: sql))
    }

    /// Runs `body` between BEGIN and COMMIT; ROLLBACK when it throws (or COMMIT fails), and the error is rethrown.
    public func transaction<T>(_ body: (DatabaseConnection) throws(DatabaseError) -> T) throws(DatabaseError) -> T {
        try execute("BEGIN")
        do throws(DatabaseError) {
            let value = try body(self)
            try execute("COMMIT")
            return value
        } catch {
            // A lost connection rolls back by itself; the first error is the one to report.
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Starts listening on `channel` and returns once LISTEN is active; `onNotification` gets each payload, in order, on
    /// a serial queue of this connection's (never the caller's thread, never an event loop), until `close` or until
    /// the connection drops.
    public func listen(channel: String, onNotification: @escaping @Sendable (String) -> Void) throws(DatabaseError) {
        // postgres-nio puts the name in double quotes in the LISTEN statement: keep it a plain identifier.
        guard !channel.isEmpty, channel.utf8.count < 64,
            channel.unicodeScalars.allSatisfy({ ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" })
        else {
            throw .query(address: address.display, detail: "'\(channel)' is not a channel name")
        }
        // postgres-nio's listener closure runs on the event loop, not in a Task: callers block threads (and tests run
        // on Swift's small cooperative pool), so delivery must not wait for that pool. Each payload is handed to a
        // serial queue of this connection's, where `onNotification` may take its time and block.
        let queue = self.notifications
        let context = connection.addListener(channel: channel) { _, notification in
            let payload = notification.payload
            queue.async { onNotification(payload) }
        }
        lock.withLock { listeners.append(context) }
        // addListener sends LISTEN on its own; a statement after it on the same connection completes only once that
        // LISTEN has, so when this returns notifications are on their way.
        try execute("LISTEN \"\(channel)\"")
    }

    /// Whether the connection is closed (by `close`, by the server or by the network).
    public var isClosed: Bool { connection.isClosed }

    /// Closes the connection and stops the listeners. Blocks until it is closed.
    public func close() {
        let contexts = lock.withLock {
            let contexts = listeners
            listeners = []
            return contexts
        }
        for context in contexts { context.stop() }
        guard !connection.isClosed else { return }
        _ = Self.wait(for: connection.close(), timeout: .seconds(5))
    }

    // MARK: TLS

    private static func tls(for address: DatabaseAddress) throws(DatabaseError) -> PostgresConnection.Configuration.TLS {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch address.sslmode {
        case .disable:
            return .disable
        case .prefer, .require:
            // libpq checks no certificate in these modes: the link is encrypted, the server is not proven.
            configuration.certificateVerification = .none
        case .verifyFull:
            configuration.certificateVerification = .fullVerification
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .badAddress("TLS could not be set up on this computer (\(error)); try sslmode=disable on a trusted network")
        }
        return address.sslmode == .prefer ? .prefer(context) : .require(context)
    }

    // MARK: Errors

    /// Turns what postgres-nio or NIO threw into a `DatabaseError`: the SQLSTATE and the server's message, never the
    /// query or its binds.
    static func mapError(_ error: any Error, address: String) -> DatabaseError {
        if let error = error as? DatabaseError { return error }
        if let error = error as? PSQLError {
            switch error.code {
            case .server:
                let state = error.serverInfo?[.sqlState] ?? "?"
                let message = error.serverInfo?[.message] ?? "no message"
                let detail = "\(message) (SQLSTATE \(state))"
                switch state {
                case "28P01", "28000", "3D000":
                    return .refused(address: address, detail: detail)
                case _ where state.hasPrefix("08"), "57P01", "57P02", "57P03":
                    // Connection exceptions and a server shutting down or starting up: try again later.
                    return .unreachable(address: address, detail: detail)
                default:
                    return .query(address: address, detail: detail)
                }
            case .sslUnsupported:
                return .tlsRequired(address: address)
            case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                if let underlying = error.underlying, let tls = tlsFailure(underlying) {
                    return .refused(address: address, detail: tls)
                }
                let cause = error.underlying.map(describe) ?? "the connection was closed"
                return .unreachable(address: address, detail: cause)
            case .authMechanismRequiresPassword:
                return .refused(
                    address: address,
                    detail: "it asks for a password: put it in ~/.pgpass (mode 0600) or type it when asked")
            case .unsupportedAuthMechanism:
                return .refused(address: address, detail: "it asks for a kind of login Caseload does not support")
            case .saslError:
                return .refused(address: address, detail: "the password exchange failed")
            case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
                return .refused(address: address, detail: "TLS could not be started with it")
            default:
                return .query(address: address, detail: "\(error.code)")
            }
        }
        if let tls = tlsFailure(error) { return .refused(address: address, detail: tls) }
        if error is NIOConnectionError || error is IOError || error is ChannelError {
            return .unreachable(address: address, detail: describe(error))
        }
        return .query(address: address, detail: describe(error))
    }

    private static func tlsFailure(_ error: any Error) -> String? {
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return "TLS failed (\(describe(error))); with sslmode=verify-full the server's certificate must be "
                + "signed by a root this computer trusts and name the host"
        }
        return nil
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            // The per-address errors say why (connection refused, timed out…).
            let causes = error.connectionErrors.map { describe($0.error) }
            if let dns = error.dnsAAAAError ?? error.dnsAError, causes.isEmpty {
                return "the host name could not be resolved (\(dns))"
            }
            return causes.isEmpty ? "no address to connect to" : Array(Set(causes)).sorted().joined(separator: "; ")
        }
        // The system's words for it ("connection refused"), not NIO's debugging form.
        if let io = error as? IOError, let words = strerror(io.errnoCode) { return String(cString: words).lowercased() }
        return String(describing: error)
    }

    // MARK: Waiting

    /// Blocks the calling thread until `future` completes (or `timeout` passes: nil).
    private static func wait<T: Sendable>(for future: EventLoopFuture<T>, timeout: DispatchTimeInterval?) -> Result<T, any Error>? {
        let semaphore = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        future.whenComplete { result in
            box.set(result)
            semaphore.signal()
        }
        if let timeout {
            guard semaphore.wait(timeout: .now() + timeout) == .success else { return nil }
        } else {
            semaphore.wait()
        }
        return box.get()
    }
}

/// A value handed from an event loop to the waiting thread.
private final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?
    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }
    func get() -> Result<T, any Error>? { lock.withLock { result } }
}

/// Connection ids for postgres-nio (only used in its logs, which are dropped).
private final class IDCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}
