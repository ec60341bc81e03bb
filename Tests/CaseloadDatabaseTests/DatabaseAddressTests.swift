import CaseloadDatabase
import Testing

@Suite struct DatabaseAddressTests {
    private func parse(_ text: String, user: String = "jdoe") throws(DatabaseError) -> DatabaseAddress {
        try DatabaseAddress(parsing: text, defaultUser: user)
    }

    private func refusal(_ text: String) -> String? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func aFullAddressGivesEveryPart() throws {
        let address = try parse("postgresql://clinic@db.example.org:6543/caseload?sslmode=require&connect_timeout=12")
        #expect(address.host == "db.example.org")
        #expect(address.port == 6543)
        #expect(address.user == "clinic")
        #expect(address.database == "caseload")
        #expect(address.sslmode == .require)
        #expect(address.connectTimeout == 12)
    }

    @Test func defaultsAreTheAccountPort5432PreferAndFiveSeconds() throws {
        let address = try parse("postgres://db.example.org/caseload", user: "msmith")
        #expect(address == DatabaseAddress(
            host: "db.example.org", port: 5432, user: "msmith", database: "caseload", sslmode: .prefer,
            connectTimeout: 5))
    }

    @Test func ipv6InBracketsWithAndWithoutPort() throws {
        let withPort = try parse("postgresql://[::1]:5433/caseload")
        #expect(withPort.host == "::1")
        #expect(withPort.port == 5433)
        let without = try parse("postgresql://[fe80::1:2]/caseload")
        #expect(without.host == "fe80::1:2")
        #expect(without.port == 5432)
        #expect(without.display == "postgresql://jdoe@[fe80::1:2]:5432/caseload")
    }

    @Test func percentEscapesAreDecoded() throws {
        let address = try parse("postgresql://ana%40north@db/case%20load?sslmode=verify%2Dfull")
        #expect(address.user == "ana@north")
        #expect(address.database == "case load")
        #expect(address.sslmode == .verifyFull)
    }

    @Test func aPasswordInTheUserPartIsRefusedAndNotRepeated() throws {
        let message = try #require(refusal("postgresql://clinic:hunter2secret@db/caseload"))
        #expect(message.contains("~/.pgpass"))
        #expect(message.contains("type it when asked"))
        #expect(!message.contains("hunter2secret"))
    }

    @Test func aPasswordParameterIsRefusedToo() throws {
        let message = try #require(refusal("postgresql://db/caseload?password=hunter2secret"))
        #expect(message.contains("~/.pgpass"))
        #expect(!message.contains("hunter2secret"))
    }

    @Test func unknownParametersAreRefusedByName() throws {
        let message = try #require(refusal("postgresql://db/caseload?application_name=x"))
        #expect(message.contains("'application_name'"))
        #expect(refusal("postgresql://db/caseload?sslmode=allow")?.contains("sslmode 'allow'") == true)
        #expect(refusal("postgresql://db/caseload?connect_timeout=0") != nil)
        #expect(refusal("postgresql://db/caseload?sslmode=require&sslmode=disable")?.contains("twice") == true)
    }

    @Test func malformedAddressesAreRefused() {
        #expect(refusal("mysql://db/caseload") != nil)
        #expect(refusal("postgresql://db") != nil, "no database")
        #expect(refusal("postgresql:///caseload") != nil, "no host")
        #expect(refusal("postgresql://db:99999/caseload") != nil, "port out of range")
        #expect(refusal("postgresql://db:54x/caseload") != nil, "port not a number")
        #expect(refusal("postgresql://[::1/caseload") != nil, "unclosed bracket")
        #expect(refusal("postgresql://db/case%4") != nil, "short escape")
        #expect(refusal("postgresql://db/case%zzload") != nil, "not hexadecimal")
    }

    @Test func displayShowsUserHostPortAndDatabaseOnly() throws {
        let address = try parse("postgresql://clinic@db.example.org/caseload?sslmode=disable&connect_timeout=3")
        #expect(address.display == "postgresql://clinic@db.example.org:5432/caseload")
    }

    @Test func displayReadsBackToTheSameAddress() throws {
        let address = try parse("postgresql://ana%40north@db:5000/case%2Fload%20x")
        #expect(address.database == "case/load x")
        let again = try parse(address.display)
        #expect(again == address)
    }
}
