import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

@Suite struct DocumentCodecTests {
    static let now = ClockSetting.parse("2026-11-30T18:05", zone: TimeZone(identifier: "America/Chicago") ?? .current) ?? Date()

    @Test func encodeDecodeEncodeIsByteIdentical() throws {
        let doc = DemoProgram.generate(seed: 7, size: .small, now: Self.now)
        let first = try DocumentCodec.encode(doc)
        let decoded = try DocumentCodec.decode(first, path: "mem.json")
        #expect(decoded.document == doc)
        let second = try DocumentCodec.encode(decoded.document)
        #expect(first == second)
    }

    @Test func theFileStartsWithFormatAndVersionAndSortsKeys() throws {
        let text = String(decoding: try DocumentCodec.encode(DrillDocument.state(2)), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"format\" : \"caseload\",\n  \"patients\" : ["))
        #expect(text.contains("\"schemaVersion\" : \(DocumentCodec.currentVersion),"))
        #expect(text.contains("\"admissionDate\" : \"2026-01-05\""))
        #expect(text.hasSuffix("}\n"))
        // Keys of every object are sorted: "program" comes after "patients" and before "schemaVersion".
        let p = try #require(text.range(of: "\"patients\""))
        let q = try #require(text.range(of: "\"program\""))
        let r = try #require(text.range(of: "\"schemaVersion\""))
        #expect(p.lowerBound < q.lowerBound && q.lowerBound < r.lowerBound)
    }

    @Test func namesInAnyScriptSurviveTheRoundTrip() throws {
        let doc = DrillDocument.state(8)
        let back = try DocumentCodec.decode(try DocumentCodec.encode(doc), path: "x").document
        #expect(back.patients.map(\.legalName) == doc.patients.map(\.legalName))
        #expect(back.patients.contains { $0.legalName.hasPrefix("김민준") })
    }

    @Test func versionZeroIsMigratedForward() throws {
        let url = try #require(Bundle.module.url(forResource: "v0-riverside", withExtension: "json", subdirectory: "Fixtures"))
        let decoded = try DocumentCodec.decode(try Data(contentsOf: url), path: url.path)
        #expect(decoded.fileVersion == 0)
        #expect(decoded.wasMigrated)
        #expect(decoded.document.patients.map(\.legalName) == ["Nguyễn Thị Mai"])
        #expect(decoded.document.program.phases.map(\.requiredMinutesPerWeek) == [540, 390])
        #expect(decoded.document.program.dayStart.description == "08:00")
        #expect(decoded.document.program.dayEnd.description == "21:00")
    }

    @Test func theSyntaxCheckFindsLineAndColumn() {
        let text = "{\n  \"a\" : [1, 2,\n  \"b\" : 3\n}"
        let failure = JSONSyntax.firstError(in: Array(text.utf8))
        #expect(failure?.line == 3)
        #expect(failure?.column == 7)
        #expect(JSONSyntax.firstError(in: Array("{\"a\": [1, {\"b\": null}], \"c\": \"é\\n\"}".utf8)) == nil)
        #expect(JSONSyntax.firstError(in: Array("[1, 2] x".utf8))?.message.contains("after the end") == true)
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = Data((String(repeating: "[", count: 200_000) + String(repeating: "]", count: 10)).utf8)
        #expect(throws: StoreError.self) { try DocumentCodec.decode(deep, path: "deep.json") }
        #expect(JSONSyntax.firstError(in: [UInt8](deep)) != nil)
    }

    @Test func utf8CheckFindsTheFirstBadByte() {
        #expect(UTF8Check.firstInvalidOffset(Array("Zoë 김민준 😀".utf8)) == nil)
        #expect(UTF8Check.firstInvalidOffset([0x61, 0x62, 0xFF]) == 2)
        #expect(UTF8Check.firstInvalidOffset([0x61, 0xC3]) == 1)             // cut short
        #expect(UTF8Check.firstInvalidOffset([0xC0, 0xAF]) == 0)             // overlong
        #expect(UTF8Check.firstInvalidOffset([0xED, 0xA0, 0x80]) == 0)       // surrogate
    }
}

/// docs/FORMAT.md stays true: its complete example is a valid document, written exactly as Caseload writes it.
@Suite struct FormatDocumentationTests {
    @Test func theExampleInFormatMDDecodesAndReEncodesToTheSameBytes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/FORMAT.md"), encoding: .utf8)
        let section = try #require(text.range(of: "## Complete example"))
        let afterHeading = text[section.upperBound...]
        let open = try #require(afterHeading.range(of: "```json\n"))
        let close = try #require(afterHeading[open.upperBound...].range(of: "\n```"))
        let json = String(afterHeading[open.upperBound..<close.lowerBound]) + "\n"
        let decoded = try DocumentCodec.decode(Data(json.utf8), path: "FORMAT.md example")
        #expect(decoded.document.patients.count == 1)
        #expect(String(decoding: try DocumentCodec.encode(decoded.document), as: UTF8.self) == json)
    }
}
