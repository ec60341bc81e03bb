import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// Every kind of bad file gives a typed error naming the file and the place, and the file is left exactly as it was.
@Suite struct BadInputTests {
    let folder = ScratchFolder()

    /// A valid document's text, to break in various ways.
    func validText() throws -> String {
        String(decoding: try DocumentCodec.encode(DrillDocument.state(3)), as: UTF8.self)
    }

    /// Opens `path` through the store, returns the error, and checks the file did not change.
    func openError(_ path: String) -> StoreError? {
        let before = FileSnapshot(path)
        defer { #expect(FileSnapshot(path) == before, "the file must be left exactly as it was") }
        do {
            _ = try DocumentStore.open(path)
            return nil
        } catch {
            #expect(error.description.contains(path), "the message names the file: \(error)")
            return error
        }
    }

    @Test func emptyFile() {
        let path = folder.write("empty.json", Data())
        #expect(openError(path) == .empty(path: path))
    }

    @Test func truncatedJSON() throws {
        let text = try validText()
        let path = folder.write("cut.json", String(text.prefix(text.count / 2)))
        guard case .malformedJSON(_, let line, let column, let detail)? = openError(path) else {
            Issue.record("expected a JSON syntax error"); return
        }
        #expect(line > 1 && column >= 1)
        #expect(detail.contains("ends too early") || detail.contains("not closed"))
    }

    @Test func syntaxErrorPointsAtTheLine() {
        let path = folder.write("syntax.json", "{\n  \"format\": \"caseload\",\n  \"schemaVersion\": 1\n  \"program\": {}\n}")
        guard case .malformedJSON(_, let line, let column, _)? = openError(path) else {
            Issue.record("expected a JSON syntax error"); return
        }
        #expect(line == 4)
        #expect(column == 3)
    }

    @Test func invalidUTF8() throws {
        var bytes = Array(try validText().utf8)
        let at = try #require(bytes.firstIndex(of: UInt8(ascii: "D")))   // inside "Drill IOP" on some line
        bytes[at] = 0xFF
        let path = folder.write("latin1.json", Data(bytes))
        guard case .invalidUTF8(_, let line, _)? = openError(path) else { Issue.record("expected invalid UTF-8"); return }
        #expect(line > 1)
    }

    @Test func notAnObject() {
        let path = folder.write("array.json", "[1, 2, 3]")
        guard case .notADocument(_, let detail)? = openError(path) else { Issue.record("expected not a document"); return }
        #expect(detail.contains("object"))
    }

    @Test func wrongFormat() {
        let path = folder.write("other.json", "{\"format\": \"todo-list\", \"schemaVersion\": 1}")
        guard case .notADocument(_, let detail)? = openError(path) else { Issue.record("expected not a document"); return }
        #expect(detail.contains("todo-list"))
        let missing = folder.write("missing.json", "{\"name\": \"x\"}")
        #expect({ if case .notADocument? = openError(missing) { return true } else { return false } }())
    }

    @Test func wrongTypeNamesTheField() throws {
        let text = try validText().replacingOccurrences(of: "\"mrn\" : \"DR-100001\"", with: "\"mrn\" : 100001")
        let path = folder.write("types.json", text)
        guard case .invalidField(_, let field, let detail)? = openError(path) else { Issue.record("expected a field error"); return }
        #expect(field == "patients[1].mrn")
        #expect(detail.contains("text"))
    }

    @Test func unknownEnumValueNamesTheField() throws {
        let text = try validText().replacingOccurrences(of: "\"levelOfCare\" : \"intensiveOutpatient\",\n          \"phase\"", with: "\"levelOfCare\" : \"inpatient\",\n          \"phase\"")
        let path = folder.write("enum.json", text)
        guard case .invalidField(_, let field, _)? = openError(path) else { Issue.record("expected a field error"); return }
        #expect(field == "patients[0].careHistory[0].levelOfCare")
    }

    @Test func unknownStatusSaysWhatIsExpected() throws {
        let text = try validText().replacingOccurrences(of: "\"state\" : \"active\"", with: "\"state\" : \"asleep\"")
        let path = folder.write("status.json", text)
        guard case .invalidField(_, let field, let detail)? = openError(path) else { Issue.record("expected a field error"); return }
        #expect(field == "patients[0].status.state")
        #expect(detail.contains("asleep") && detail.contains("discharged"))
    }

    @Test func missingFieldIsNamed() throws {
        let text = try validText().replacingOccurrences(of: "\"legalName\" : \"José Núñez 0\",", with: "")
        let path = folder.write("missing-field.json", text)
        guard case .invalidField(_, let field, _)? = openError(path) else { Issue.record("expected a field error"); return }
        #expect(field == "patients[0].legalName")
    }

    @Test func duplicateIDs() throws {
        let text = try validText().replacingOccurrences(of: "\"pat_000002\"", with: "\"pat_000001\"")
        let path = folder.write("dups.json", text)
        guard case .invalidDocument(_, let issues)? = openError(path) else { Issue.record("expected a rule error"); return }
        #expect(issues.contains { $0.hasPrefix("patients[2]") && $0.contains("duplicate ID") })
    }

    @Test func newerVersionThatCannotBeReadIsNamedAsNewer() {
        let path = folder.write("future.json", "{\"format\": \"caseload\", \"schemaVersion\": 99, \"program\": {\"shape\": \"unknown\"}}")
        #expect(openError(path) == .newerVersion(path: path, found: 99, supported: DocumentCodec.currentVersion))
    }

    @Test func newerVersionThatCanBeReadOpensReadOnlyAndIsNeverWritten() throws {
        let newer = DocumentCodec.currentVersion + 1
        let text = try validText().replacingOccurrences(of: "\"schemaVersion\" : \(DocumentCodec.currentVersion)", with: "\"schemaVersion\" : \(newer)")
        let path = folder.write("newer.json", text)
        let before = FileSnapshot(path)
        let (store, document) = try DocumentStore.open(path)
        #expect(store.fileVersion == newer)
        guard case .readOnly(let reason) = store.access else { Issue.record("expected read-only"); return }
        #expect(reason.contains("newer"))
        #expect(throws: StoreError.self) { try store.save(document) }
        #expect(FileSnapshot(path) == before)
    }

    @Test func badVersionField() {
        let path = folder.write("badversion.json", "{\"format\": \"caseload\", \"schemaVersion\": \"one\"}")
        guard case .badVersion? = openError(path) else { Issue.record("expected a version error"); return }
    }

    @Test func aFolderAtThePath() throws {
        let path = folder.file("dir.json")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect(openError(path) == .isDirectory(path: path))
    }

    @Test func aMissingParentFolder() {
        let path = folder.file("nowhere/doc.json")
        #expect(openError(path) == .parentMissing(path: path))
    }

    @Test func aMissingFile() {
        let path = folder.file("absent.json")
        #expect(openError(path) == .notFound(path: path))
    }
}
