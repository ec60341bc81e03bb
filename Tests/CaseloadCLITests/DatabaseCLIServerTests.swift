import CaseloadStore
import Foundation
import PostgresTestSupport
import Testing

/// `caseload db init | import | export` and `audit URL verify` run as a user would, against the private PostgreSQL
/// server (issue 20). The password comes from the server's password file (PGPASSFILE), never the command line.
struct DatabaseCLIServerTests {
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "caseload-dbcli-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    @Test func theDemoGoesIntoADatabaseAndComesBackByteIdentical() throws {
        let server = try PostgresTestServer.shared()
        let url = try server.newDatabase()
        let env = ["PGPASSFILE": server.pgpassFile]
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let demo = folder + "/demo.json"
        let made = try CaseloadBinary.run(["demo", "--out", demo], environment: env)
        #expect(made.status == 0, "\(made.stderr)")

        let initialised = try CaseloadBinary.run(["db", "init", url], environment: env)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(initialised.stdout.contains("set up"))
        let again = try CaseloadBinary.run(["db", "init", url], environment: env)
        #expect(again.status == 0)
        #expect(again.stdout.contains("already set up"))

        let imported = try CaseloadBinary.run(["db", "import", demo, url], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("rows"))
        let twice = try CaseloadBinary.run(["db", "import", demo, url], environment: env)
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("--force"))

        let out = folder + "/back.json"
        let exported = try CaseloadBinary.run(["db", "export", url, "--out", out], environment: env)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(contentsOf: URL(fileURLWithPath: demo)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + ".audit")) == Data(contentsOf: URL(fileURLWithPath: demo + ".audit")))

        let verified = try CaseloadBinary.run(["audit", url, "verify"], environment: env)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("chain intact"))
        // The exported trail verifies as a file too.
        let fileVerified = try CaseloadBinary.run(["audit", out, "verify"], environment: env)
        #expect(fileVerified.status == 0, "\(fileVerified.stderr)")
    }

    @Test func aPasswordInTheAddressIsRefusedAndNothingIsSent() throws {
        let result = try CaseloadBinary.run(["db", "init", "postgresql://caseload:hunter2@127.0.0.1:1/x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains(".pgpass"))
        #expect(!result.stderr.contains("hunter2"))
    }

    @Test func aDatabaseThatCannotBeReachedIsSaidPlainly() throws {
        // Port 1 on loopback: nothing listens there.
        let result = try CaseloadBinary.run(["db", "init", "postgresql://caseload@127.0.0.1:1/x?connect_timeout=2"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot reach the database"))
    }
}
