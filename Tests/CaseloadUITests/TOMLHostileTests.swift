import CaseloadUI
import Foundation
import Testing

/// Issue 12, finding 10: a crafted config or theme is refused with a message, never a crash or a silent drop.
@Suite struct TOMLHostileTests {
    static func error(_ text: String) -> TOMLError? {
        do { _ = try TOML.parse(text); return nil } catch { return error }
    }

    @Test func aTableHeaderFiftyThousandDeepIsRefusedNotACrash() {
        // Before: quadratic time, then a stack overflow (exit 139) building or freeing the nested tables.
        let header = "[" + Array(repeating: "a", count: 50_000).joined(separator: ".") + "]\nx = 1\n"
        #expect(Self.error(header) == TOMLError(line: 1, column: 1, message: "tables are nested more than 64 deep"))
        let dotted = "[t]\n" + Array(repeating: "a", count: 50_000).joined(separator: ".") + " = 1\n"
        #expect(Self.error(dotted) == TOMLError(line: 2, column: 1, message: "tables are nested more than 64 deep"))
    }

    @Test func sixtyFourLevelsAreReadAndSixtyFiveAreNot() throws {
        let keys = (1...64).map { "k\($0)" }
        let table = try TOML.parse("[" + keys.joined(separator: ".") + "]\nx = 1\n")
        #expect(table[path: keys + ["x"]] == .integer(1))
        // A header of 63 tables, and a dotted key that adds 2 more (y, z) before its value: 65 levels.
        #expect(try TOML.parse("[" + keys.dropLast().joined(separator: ".") + "]\ny.v = 1\n")[path: keys.dropLast() + ["y", "v"]] == .integer(1))
        #expect(Self.error("[" + keys.dropLast().joined(separator: ".") + "]\ny.z.v = 1\n")
                == TOMLError(line: 2, column: 1, message: "tables are nested more than 64 deep"))
    }

    @Test func aFileOverOneMebibyteIsRefused() {
        let big = "# " + String(repeating: "x", count: TOML.maxBytes) + "\n"
        #expect(Self.error(big) == TOMLError(line: 1, column: 1, message: "the file is \(TOML.maxBytes + 3) bytes; the most read is 1048576 (1 MiB)"))
    }

    @Test func aConfigThatIsNotUTF8GivesAWarningWithItsPosition() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-toml-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/config.toml"
        // Line 2: `theme = "` then a lone 0xFF at column 10.
        try Data(Array("week_start = \"mon\"\ntheme = \"".utf8) + [0xFF] + Array("\"\n".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(TOML.readFile(path) == TOML.FileRead(text: nil, warning: "\(path):2:10: not valid UTF-8 text; its settings are ignored"))
        #expect(TOML.readFile(folder + "/missing.toml") == TOML.FileRead(text: nil, warning: nil))
        try Data("theme = \"dark\"\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(TOML.readFile(path) == TOML.FileRead(text: "theme = \"dark\"\n", warning: nil))
        try Data(repeating: 0x23, count: TOML.maxBytes + 1).write(to: URL(fileURLWithPath: path))
        #expect(TOML.readFile(path).warning == "\(path): larger than 1048576 bytes (1 MiB); its settings are ignored")
    }
}
