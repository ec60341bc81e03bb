import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// A program's own instrument in a TOML file: a good file becomes an instrument; each kind of mistake is named with the
/// file and its line, and the file is left as it is.
@Suite struct InstrumentFileTests {
    static let good = """
    # A made-up three-item drinking screen.
    id = "drink3"
    name = "DRINK-3"
    about = "alcohol use"
    range = "0-4"
    safety_item = 3

    [items]
    1 = "how often"
    2 = "how many"
    3 = "blackouts"

    [ranges]
    3 = "0-2"

    [bands]
    "0-3" = "low"
    "4-6" = "some"
    "7-10" = "high"
    """

    @Test func aGoodFileBecomesAnInstrumentScoredLikeTheBuiltIns() throws {
        let instrument = try InstrumentFile.parse(Self.good, file: "drink3.toml").get()
        #expect(instrument.id == "drink3" && instrument.name == "DRINK-3" && instrument.about == "alcohol use")
        #expect(instrument.items.map(\.label) == ["how often", "how many", "blackouts"])
        #expect(instrument.items.map(\.range) == [0...4, 0...4, 0...2])
        #expect(instrument.safetyItem == 3)
        // 4 + 4 + 2 = 10, the top band; 1 + 2 + 0 = 3, the first.
        #expect(instrument.score([4, 4, 2])[0].score == 10 && instrument.score([4, 4, 2])[0].band?.label == "high")
        #expect(instrument.score([1, 2, 0])[0].band?.label == "low")
        #expect(instrument.score([2, 2, 0])[0].band?.label == "some")
        #expect(instrument.score([4, 4, 2])[0].band?.concern == .high && instrument.score([0, 0, 0])[0].band?.concern == SeverityBand.Concern.none)
    }

    func problem(_ text: String) -> InstrumentFile.Problem? {
        if case .failure(let p) = InstrumentFile.parse(text, file: "bad.toml") { return p }
        return nil
    }

    @Test func aSyntaxErrorNamesTheFileLineAndColumn() throws {
        let p = try #require(problem(Self.good.replacingOccurrences(of: "name = \"DRINK-3\"", with: "name = DRINK-3")))
        #expect(p.file == "bad.toml" && p.line == 3)
        #expect(p.description.hasPrefix("bad.toml:3: column"))
        #expect(p.description.contains("not loaded") && p.description.contains("keep their scores"))
    }

    @Test func eachMistakeIsNamedWithTheLineItIsOn() throws {
        // An item out of order, on line 10.
        var p = try #require(problem(Self.good.replacingOccurrences(of: "2 = \"how many\"", with: "4 = \"how many\"")))
        #expect(p.line == 10 && p.message.contains("expected 2"))
        // A band that leaves a gap (4 is missing), on line 18.
        p = try #require(problem(Self.good.replacingOccurrences(of: "\"4-6\" = \"some\"", with: "\"5-6\" = \"some\"")))
        #expect(p.line == 18 && p.message.contains("start at 4"))
        // Bands that stop short of the highest total, 10.
        p = try #require(problem(Self.good.replacingOccurrences(of: "\"7-10\" = \"high\"", with: "\"7-9\" = \"high\"")))
        #expect(p.line == 19 && p.message.contains("10"))
        // A score range past one key.
        p = try #require(problem(Self.good.replacingOccurrences(of: "range = \"0-4\"", with: "range = \"0-12\"")))
        #expect(p.line == 5 && p.message.contains("0–9"))
        // A safety item that is no item.
        p = try #require(problem(Self.good.replacingOccurrences(of: "safety_item = 3", with: "safety_item = 4")))
        #expect(p.line == 6)
        // A built-in's id.
        p = try #require(problem(Self.good.replacingOccurrences(of: "id = \"drink3\"", with: "id = \"phq9\"")))
        #expect(p.line == 2 && p.message.contains("PHQ-9"))
        // A misspelt key.
        p = try #require(problem(Self.good.replacingOccurrences(of: "safety_item", with: "safety")))
        #expect(p.line == 6 && p.message.contains("unknown key"))
        // No items at all.
        p = try #require(problem("id = \"x\"\nname = \"X\"\n"))
        #expect(p.message.contains("[items]"))
    }

    @Test func theFolderGivesBuiltInsThenGoodFilesAndAWarningPerBadOneLeavingItAlone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("instruments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let bad = Self.good.replacingOccurrences(of: "id = \"drink3\"", with: "id = \"other\"").replacingOccurrences(of: "[bands]", with: "[bandz]")
        try Self.good.write(to: folder.appendingPathComponent("a.toml"), atomically: true, encoding: .utf8)
        try bad.write(to: folder.appendingPathComponent("b.toml"), atomically: true, encoding: .utf8)
        try "not an instrument".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let (instruments, warnings) = InstrumentFiles.load(folder: folder.path)
        #expect(instruments.map(\.id) == ["phq9", "gad7", "bam", "drink3"])
        #expect(warnings.count == 1 && warnings[0].contains("b.toml:16:") && warnings[0].contains("unknown key"))
        #expect(try String(contentsOf: folder.appendingPathComponent("b.toml"), encoding: .utf8) == bad)
        // A missing folder is no problem.
        #expect(InstrumentFiles.load(folder: folder.path + "/none").warnings.isEmpty)
    }
}
