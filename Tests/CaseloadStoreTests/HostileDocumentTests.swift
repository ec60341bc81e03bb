import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// Issue 12, findings 10, 13 and 15: what a crafted document file gets from the reader.
@Suite struct HostileDocumentTests {
    static func text(_ doc: CaseloadDocument) throws -> String { String(decoding: try DocumentCodec.encode(doc), as: UTF8.self) }

    @Test func aDuplicateKeyIsRefusedWithItsLineColumnAndKeyNotReadFirstWins() throws {
        let doc = DrillDocument.state(2)
        let name = doc.patients[0].legalName
        // The planted second value is what Python and jq would read; Foundation alone would read the first.
        let original = try Self.text(doc)
        let planted = original.replacingOccurrences(of: "\"legalName\" : \"\(name)\",",
                                                    with: "\"legalName\" : \"\(name)\", \"legalName\" : \"Someone Else\",")
        #expect(planted != original)
        let lines = planted.split(separator: "\n", omittingEmptySubsequences: false)
        // Hand-located: the planted key is on the line holding both, after the first pair and a space.
        let lineIndex = try #require(lines.firstIndex { $0.contains("Someone Else") })
        let column = lines[lineIndex].distance(from: lines[lineIndex].startIndex, to: try #require(lines[lineIndex].range(of: ", \"legalName\" : \"Someone")).lowerBound) + 3
        #expect(throws: StoreError.malformedJSON(path: "dup.json", line: lineIndex + 1, column: column,
                                                 detail: "the key \"legalName\" appears twice in one object; tools disagree on which value counts (Caseload, Python, jq), so keep one")) {
            try DocumentCodec.decode(Data(planted.utf8), path: "dup.json")
        }
    }

    @Test func duplicateKeysAreFoundThroughEscapesAndShownWithoutControlCharacters() {
        // "\u0061" is "a": the same key to every reader.
        let escaped = JSONSyntax.firstError(in: Array(#"{"a": 1, "\u0061": 2}"#.utf8))
        #expect(escaped == .init(line: 1, column: 10, message: "the key \"a\" appears twice in one object; tools disagree on which value counts (Caseload, Python, jq), so keep one"))
        let hostile = JSONSyntax.firstError(in: Array(#"{"x\u001b[2J": 1,"x\u001b[2J": 2}"#.utf8))
        #expect(hostile?.message.hasPrefix("the key \"x^[[2J\" appears twice") == true)
        // Past 32 keys an object's keys go into a set: a duplicate there is found too, and a clean big object passes.
        let many = (0..<100).map { "\"k\($0)\": \($0)" }.joined(separator: ",")
        #expect(JSONSyntax.firstError(in: Array("{\(many)}".utf8)) == nil)
        // The planted key's quote is the 9th character from the end (`"k50": 0}`), so its 1-based column is count - 8.
        let planted = "{\(many),\"k50\": 0}"
        #expect(JSONSyntax.firstError(in: Array(planted.utf8))?.column == planted.count - 8)
        #expect(JSONSyntax.firstError(in: Array(planted.utf8))?.message.hasPrefix("the key \"k50\" appears twice") == true)
        // The same key in two objects is not a duplicate.
        #expect(JSONSyntax.firstError(in: Array(#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#.utf8)) == nil)
    }

    @Test func nestingDeeperThanAnyDocumentIsRefusedWithItsPosition() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        // The 65th bracket opens level 65, at column 65.
        #expect(JSONSyntax.firstError(in: Array(deep.utf8)) == .init(line: 1, column: 65, message: "objects and lists nest more than 64 deep; no Caseload document does"))
        #expect(throws: StoreError.malformedJSON(path: "deep.json", line: 1, column: 65, detail: "objects and lists nest more than 64 deep; no Caseload document does")) {
            try DocumentCodec.decode(Data(deep.utf8), path: "deep.json")
        }
        let sixtyFour = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(JSONSyntax.firstError(in: Array(sixtyFour.utf8)) == nil)
    }

    @Test func aStoredNameWithTerminalEscapesIsRefusedOnReadAndShownSafely() throws {
        var doc = DrillDocument.state(2)
        doc.patients[0].legalName = "Ana \u{1B}]0;pwned\u{07}\u{1B}[2J"
        let data = try DocumentCodec.encode(doc)
        do {
            _ = try DocumentCodec.decode(data, path: "escape.json")
            Issue.record("a name with escape sequences was read")
        } catch {
            guard case .invalidDocument(_, let issues) = error else { Issue.record("\(error)"); return }
            #expect(issues == ["patients[0].legalName: contains the control character ^[ at character 5; a one-line text holds no control characters (terminal escapes are refused)"])
            #expect(!error.description.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
        }
    }

    @Test func theByteScanSendsOnlySuspectTextToTheTextRules() throws {
        let clean = DemoProgram.generate(seed: 3, size: .small, now: Date(timeIntervalSince1970: 1_795_000_000))
        // A clean document needs no walk; newlines in a multi-line field do not change that.
        #expect(JSONSyntax.scan(Array(try DocumentCodec.encode(clean))).textNeedsCheck == false)
        #expect(JSONSyntax.scan(Array(#"{"narrative": "a\nb\tc"}"#.utf8)).textNeedsCheck == false)
        #expect(JSONSyntax.scan(Array(#"{"title": "a\nb"}"#.utf8)).textNeedsCheck == true)
        #expect(JSONSyntax.scan(Array(#"{"narrative": "a\u001bb"}"#.utf8)).textNeedsCheck == true)
        #expect(JSONSyntax.scan(Array("{\"title\": \"a\u{9B}b\"}".utf8)).textNeedsCheck == true)
        #expect(JSONSyntax.scan(Array(#"{"text": ["a\nb"]}"#.utf8)).textNeedsCheck == true)   // a list item is one line
        #expect(JSONSyntax.scan(Array("{\"title\": \"\(String(repeating: "x", count: 4097))\"}".utf8)).textNeedsCheck == true)
    }
}
