import Foundation

/// A private PostgreSQL server for tests, run by `scripts/pg-test-server` in a folder of its own on loopback.
///
/// `shared()` is the one every "Server" suite uses: the server `.ci/run` started (`CASELOAD_TEST_PG_DIR`), or one
/// started once per test process and stopped when it exits. Each test takes a fresh database from `newDatabase()`.
public final class PostgresTestServer: @unchecked Sendable {
    /// The server's folder (the script's DIR): url, pgpass, password, the data and the log.
    public let directory: String
    public let port: Int
    /// A password file (mode 0600) with the line for the `caseload` role: set PGPASSFILE to it.
    public let pgpassFile: String
    /// The `caseload` role's password.
    public let password: String
    /// `postgresql://caseload@127.0.0.1:PORT/postgres`.
    public let url: String
    /// Whether this process started it (and so stops it and removes its folder).
    private let owned: Bool

    /// What went wrong starting or using the test server.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var sharedServer: Result<PostgresTestServer, Failure>?
    nonisolated(unsafe) private static var started: [PostgresTestServer] = []
    nonisolated(unsafe) private static var counter = 0

    private init(directory: String, owned: Bool) throws {
        self.directory = directory
        self.owned = owned
        func read(_ name: String) throws -> String {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Failure(description: "the test server's folder \(directory) has no \(name)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let port = Int(try read("port")) else {
            throw Failure(description: "the test server's folder \(directory) has no usable port")
        }
        self.port = port
        self.password = try read("password")
        self.url = try read("url")
        self.pgpassFile = (directory as NSString).appendingPathComponent("pgpass")
    }

    /// The server every test in this process shares; fails with what to install when PostgreSQL is missing.
    public static func shared() throws -> PostgresTestServer {
        try lock.withLock {
            if let sharedServer { return try sharedServer.get() }
            let result: Result<PostgresTestServer, Failure>
            do {
                if let dir = ProcessInfo.processInfo.environment["CASELOAD_TEST_PG_DIR"], !dir.isEmpty {
                    result = .success(try PostgresTestServer(directory: dir, owned: false))
                } else {
                    result = .success(try startLocked(ssl: true))
                }
            } catch let failure as Failure {
                result = .failure(failure)
            } catch {
                result = .failure(Failure(description: "\(error)"))
            }
            sharedServer = result
            return try result.get()
        }
    }

    /// A server of the test's own (to kill and start again), stopped at process exit if the test does not.
    public static func startPrivate(ssl: Bool) throws -> PostgresTestServer {
        try lock.withLock { try startLocked(ssl: ssl) }
    }

    private static func startLocked(ssl: Bool) throws -> PostgresTestServer {
        guard binariesExist() else {
            throw Failure(description: "these tests need PostgreSQL: apt-get install postgresql, or run .ci/run")
        }
        // The postgres account must reach the folder when we run as root, hence 0711 on the parent.
        let parent = NSTemporaryDirectory() + "caseload-pg-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o711])
        let directory = parent + "/server"
        var lastError = ""
        // A free port can be taken between choosing and binding (another test process): try a few.
        for _ in 0..<5 {
            let port = try freePort()
            let result = try runScript(["start", directory, String(port)] + (ssl ? [] : ["--no-ssl"]))
            if result.status == 0 {
                if started.isEmpty { atexit { PostgresTestServer.stopAllStarted() } }
                let server = try PostgresTestServer(directory: directory, owned: true)
                started.append(server)
                return server
            }
            lastError = result.output
            _ = try? runScript(["stop", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
        try? FileManager.default.removeItem(atPath: parent)
        throw Failure(description: "the test PostgreSQL server did not start: \(lastError)")
    }

    /// A new, empty database owned by `caseload`, and its URL (same host, port and user).
    public func newDatabase() throws -> String {
        let name = Self.lock.withLock {
            Self.counter += 1
            return "caseload_test_\(getpid())_\(Self.counter)_\(UUID().uuidString.prefix(6).lowercased())"
        }
        try psql(database: "postgres", sql: "CREATE DATABASE \(name)")
        return "postgresql://caseload@127.0.0.1:\(port)/\(name)"
    }

    /// Runs SQL through psql as `caseload` (the password from `pgpassFile`), failing with psql's message.
    @discardableResult
    public func psql(database: String, sql: String) throws -> String {
        guard let binary = Self.findBinary("psql") else {
            throw Failure(description: "these tests need PostgreSQL: apt-get install postgresql, or run .ci/run")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSFILE"] = pgpassFile
        environment["PGCONNECT_TIMEOUT"] = "10"
        let result = try Self.run(
            binary, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port),
                     "-U", "caseload", "-d", database],
            input: sql, environment: environment)
        guard result.status == 0 else {
            throw Failure(description: "psql failed: \(result.output)")
        }
        return result.output
    }

    /// What a stolen backup would hold: `pg_dump` of `database` in its plain SQL form.
    public func dump(database: String) throws -> Data {
        guard let binary = Self.findBinary("pg_dump") else {
            throw Failure(description: "these tests need PostgreSQL: apt-get install postgresql, or run .ci/run")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSFILE"] = pgpassFile
        let out = NSTemporaryDirectory() + "pg-dump-\(UUID().uuidString).sql"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try Self.run(binary, ["-h", "127.0.0.1", "-p", String(port), "-U", "caseload", "-f", out, database],
                                  input: nil, environment: environment)
        guard result.status == 0 else { throw Failure(description: "pg_dump failed: \(result.output)") }
        return FileManager.default.contents(atPath: out) ?? Data()
    }

    /// An immediate stop, as a crash: connections drop, no checkpoint.
    public func kill() throws { try script("kill") }

    /// Starts the server again after `kill` or `stop`: same data, same port.
    public func start() throws { try script("start-again") }

    /// A clean stop.
    public func stop() throws { try script("stop") }

    private func script(_ command: String) throws {
        let result = try Self.runScript([command, directory])
        guard result.status == 0 else {
            throw Failure(description: "pg-test-server \(command) failed: \(result.output)")
        }
    }

    private static func stopAllStarted() {
        let servers = lock.withLock { started }
        for server in servers where server.owned {
            _ = try? runScript(["stop", server.directory])
            try? FileManager.default.removeItem(atPath: (server.directory as NSString).deletingLastPathComponent)
        }
    }

    // MARK: Processes

    /// scripts/pg-test-server, found from this file's place in the source tree.
    private static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/pg-test-server").path
    }

    private static func runScript(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try run("/bin/bash", [scriptPath] + arguments, input: nil, environment: ProcessInfo.processInfo.environment)
    }

    private static func run(
        _ executable: String, _ arguments: [String], input: String?, environment: [String: String]
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        // Output goes to a file, not a pipe: the server pg_ctl starts could inherit the pipe and keep it open, and
        // reading to its end would then wait for the server to stop.
        let outputPath = NSTemporaryDirectory() + "pg-test-output-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
              let output = FileHandle(forWritingAtPath: outputPath) else {
            throw Failure(description: "could not create \(outputPath) for a command's output")
        }
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        try? output.close()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func binariesExist() -> Bool {
        findBinary("initdb") != nil && findBinary("pg_ctl") != nil && findBinary("psql") != nil
    }

    /// A PostgreSQL program in PATH or in /usr/lib/postgresql/*/bin (Debian keeps initdb there).
    static func findBinary(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var folders = path.split(separator: ":").map(String.init)
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            folders += versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
                .map { "/usr/lib/postgresql/\($0)/bin" }
        }
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A loopback port nobody listens on now: bind to port 0, read what the kernel gave, close.
    private static func freePort() throws -> Int {
        #if canImport(Glibc)
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socketFD = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socketFD >= 0 else { throw Failure(description: "no socket for finding a free port") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw Failure(description: "could not bind a loopback socket to find a free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "could not read the free port's number") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
