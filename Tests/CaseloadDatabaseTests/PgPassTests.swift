import CaseloadDatabase
import Foundation
import Testing

@Suite struct PgPassTests {
    private let address = DatabaseAddress(host: "db.example.org", port: 5432, user: "clinic", database: "caseload")

    private func password(_ file: String, for address: DatabaseAddress? = nil) -> String? {
        PgPass.password(for: address ?? self.address, in: Array(file.utf8))
    }

    @Test func anExactLineMatches() {
        #expect(password("db.example.org:5432:caseload:clinic:s3cret\n") == "s3cret")
    }

    @Test func eachOfTheFirstFourFieldsMustMatch() {
        #expect(password("other.org:5432:caseload:clinic:a\n") == nil)
        #expect(password("db.example.org:5433:caseload:clinic:a\n") == nil)
        #expect(password("db.example.org:5432:other:clinic:a\n") == nil)
        #expect(password("db.example.org:5432:caseload:nurse:a\n") == nil)
        #expect(password("db.example.org:5432:caseloadx:clinic:a\n") == nil, "a longer field is no match")
        #expect(password("db.example.org:5432:caseloa:clinic:a\n") == nil, "a shorter field is no match")
    }

    @Test func starsMatchAnything() {
        #expect(password("*:*:*:*:any\n") == "any")
        #expect(password("db.example.org:*:*:clinic:mine\n") == "mine")
        #expect(password("*:5432:*:nurse:theirs\n") == nil)
    }

    @Test func theFirstMatchingLineWins() {
        let file = "*:*:other:*:no\ndb.example.org:*:*:*:first\n*:*:*:*:second\n"
        #expect(password(file) == "first")
    }

    @Test func commentsAndBlankLinesAreSkippedAndCRLFIsAccepted() {
        let file = "# *:*:*:*:commented\n\n   \r\ndb.example.org:5432:caseload:clinic:crlf\r\n"
        #expect(password(file) == "crlf")
    }

    @Test func escapedColonsAndBackslashesInFieldsAndPassword() {
        let odd = DatabaseAddress(host: "db", port: 5432, user: "a:b", database: "x\\y")
        #expect(password(#"db:5432:x\\y:a\:b:pa\:ss\\word"# + "\n", for: odd) == #"pa:ss\word"#)
        // An escaped backslash is one backslash: two in the address are no match for it.
        let two = DatabaseAddress(host: "db", port: 5432, user: "a:b", database: "x\\\\y")
        #expect(password(#"db:5432:x\\y:a\:b:pw"# + "\n", for: two) == nil)
    }

    @Test func thePasswordEndsAtAnUnescapedColon() {
        #expect(password("*:*:*:*:part:ignored\n") == "part")
    }

    @Test func aLastLineWithoutNewlineCounts() {
        #expect(password("*:*:*:*:tail") == "tail")
    }

    @Test func aFileOthersMayReadIsIgnoredWithAWarning() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pgpass").path
        try Data("*:*:*:*:s3cret\n".utf8).write(to: URL(fileURLWithPath: file))

        #expect(chmod(file, 0o644) == 0)
        let open = PgPass.password(for: address, file: file)
        #expect(open.password == nil)
        #expect(open.warning?.contains("chmod 600") == true)

        #expect(chmod(file, 0o640) == 0)
        #expect(PgPass.password(for: address, file: file).password == nil, "group-readable is ignored too")

        #expect(chmod(file, 0o600) == 0)
        let closed = PgPass.password(for: address, file: file)
        #expect(closed.password == "s3cret")
        #expect(closed.warning == nil)
    }

    @Test func aMissingFileIsNoPasswordAndNoWarning() {
        let result = PgPass.password(for: address, file: "/nonexistent/\(UUID().uuidString)/.pgpass")
        #expect(result.password == nil)
        #expect(result.warning == nil)
    }

    @Test func theFileIsPGPASSFILEElseTheHomeOne() {
        #expect(PgPass.defaultFile(environment: ["PGPASSFILE": "/etc/x/pass", "HOME": "/home/a"]) == "/etc/x/pass")
        #expect(PgPass.defaultFile(environment: ["HOME": "/home/a"]) == "/home/a/.pgpass")
        #expect(PgPass.defaultFile(environment: ["PGPASSFILE": "", "HOME": "/home/b"]) == "/home/b/.pgpass")
    }
}
