import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// Issue 19's measures in the file: absent when a patient has none (older files keep their bytes), and written and read
/// by Caseload's own codec exactly as Foundation's Codable (`ReferenceCodec`) does, every optional part present or not.
@Suite struct MeasureCodecTests {
    static let now = ClockSetting.parse("2026-11-30T18:05", zone: TimeZone(identifier: "America/Chicago") ?? .current) ?? Date()

    static func read(_ data: Data) throws -> CaseloadDocument? {
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let base = bytes.baseAddress else { throw ReadFailure.syntax(offset: 0, message: "empty") }
            return try DocumentReader.read(base, count: bytes.count).document
        }
    }

    @Test func noMeasuresWritesNoKeyAndAFileWithoutThemLoadsAsEmpty() throws {
        // The demo gives its patients measures: taken out, it stands for a file from before issue 19.
        var doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        for i in doc.patients.indices { doc.patients[i].measures = [] }
        #expect(doc.patients.allSatisfy { $0.measures.isEmpty })
        let text = String(decoding: try DocumentCodec.encode(doc), as: UTF8.self)
        #expect(!text.contains("\"measures\""))
        #expect(try DocumentCodec.decode(Data(text.utf8), path: "mem.json").document == doc)
    }

    @Test func measuresAreWrittenAndReadAsFoundationDoes() throws {
        var doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        let staff = try #require(doc.staff.first?.id)
        let day = try #require(LocalDate(iso: "2026-11-20"))
        let at = Timestamp(seconds: 1_795_000_000)
        doc.patients[0].measures = [
            Measure(id: "msr_1", instrument: "phq9", date: day, scores: [0, 1, 2, 3, 0, 1, 2, 3, 1], by: staff, safetyItem: 9,
                    signature: Signature(by: staff, at: at),
                    followUp: SafetyFollowUp(who: "the patient, \"in person\"", when: "today 15:10", action: "safety plan reviewed; é ✓", by: staff, at: at)),
            Measure(id: "msr_2", instrument: "bam", date: day, scores: Array(repeating: 4, count: 17)),
            Measure(id: "msr_3-k3f9", instrument: "auditc", date: day, scores: [1, 2, 0], by: staff, signature: Signature(by: staff, at: at)),
        ]
        let reference = try ReferenceCodec.encode(doc)
        let own = try DocumentCodec.encode(doc)
        #expect(own == reference)
        #expect(String(decoding: own, as: UTF8.self).contains("\"measures\" : ["))
        let ours = try #require(try Self.read(reference))
        #expect(ours == (try ReferenceCodec.decode(reference)))
        #expect(ours == doc)
        #expect(try DocumentCodec.decode(own, path: "mem.json").document == doc)
    }

    @Test func aMeasureMissingItsScoresIsRefusedWithItsPlace() throws {
        var doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        let day = try #require(LocalDate(iso: "2026-11-20"))
        doc.patients[0].measures = [Measure(id: "msr_1", instrument: "phq9", date: day, scores: [1])]
        let text = String(decoding: try DocumentCodec.encode(doc), as: UTF8.self).replacingOccurrences(of: "\"scores\" : [\n", with: "\"scorez\" : [\n")
        #expect(text.contains("scorez"))
        #expect {
            try DocumentCodec.decode(Data(text.utf8), path: "mem.json")
        } throws: { error in
            String(describing: error).contains("measures[0]")
        }
    }
}
