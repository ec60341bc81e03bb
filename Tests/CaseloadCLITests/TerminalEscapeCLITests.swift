import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Issue 12, findings 13 and 15 end to end: a hostile file's text reaches the terminal shown, never obeyed.
@Suite(.serialized) struct TerminalEscapeCLITests {
    let scratch = Scratch()

    static func hasRawControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }
    }

    @Test func checkRefusesAStoredNameWithEscapesAndShowsThemSafely() throws {
        let path = scratch.file("escape.json")
        let demo = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"])
        #expect(demo.status == 0, "\(demo.stderr)")
        var doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        // Planted as a hand edit would: a window-title escape, a bell and a screen clear in the first patient's name.
        doc.patients[0].legalName = "Ana \u{1B}]0;pwned\u{07}\u{1B}[2J"
        let planted = try DocumentCodec.encode(doc)
        try AtomicFile.write(planted, to: path)

        let result = try CaseloadBinary.run(["check", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("patients[0].legalName: contains the control character ^[ at character 5"), "\(result.stderr)")
        #expect(!Self.hasRawControls(result.stderr + result.stdout))
        // The same file through a report: refused on read, nothing raw printed; the file is left as it was.
        let report = try CaseloadBinary.run(["report", "week", "--file", path])
        #expect(report.status != 0)
        #expect(!Self.hasRawControls(report.stderr + report.stdout))
        #expect(try AtomicFile.read(path) == planted)
    }

    @Test func fileContentQuotedInAnErrorIsShownSafely() throws {
        let path = scratch.file("format.json")
        try AtomicFile.write(Data(#"{"format": "\u001b]0;pwned\u0007", "schemaVersion": 1}"#.utf8), to: path)
        let result = try CaseloadBinary.run(["check", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("its format is \"^[]0;pwned^G\""), "\(result.stderr)")
        #expect(!Self.hasRawControls(result.stderr))
    }

    @Test func checkRefusesADuplicateKeyWithItsPosition() throws {
        let path = scratch.file("dup.json")
        let demo = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let text = String(decoding: try AtomicFile.read(path), as: UTF8.self)
        // A second "format" right after the first, on its line (after the `audit` member, which sorts first).
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let formatLine = try #require(lines.firstIndex { $0 == "  \"format\" : \"caseload\"," }) + 1
        let planted = text.replacingOccurrences(of: "\n  \"format\" : \"caseload\",\n", with: "\n  \"format\" : \"caseload\", \"format\" : \"caseload\",\n")
        try AtomicFile.write(Data(planted.utf8), to: path)
        let result = try CaseloadBinary.run(["check", path])
        #expect(result.status != 0)
        // Column: two spaces, `"format" : "caseload",` (22 characters) and a space put the second key at column 26.
        #expect(result.stderr.contains("\(path):\(formatLine):26: not valid JSON: the key \"format\" appears twice in one object"), "\(result.stderr)")
    }
}
