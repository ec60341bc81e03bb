import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// Issue 19: evaluations in the file — absent when there are none (older files load and keep their bytes), and written
/// and read exactly as Foundation's Codable does when present, every optional field in and out.
@Suite struct EvaluationCodecTests {
    static let now = OwnCodecTests.now

    @Test func aFileWithoutEvaluationsLoadsAsNoneAndKeepsItsBytes() throws {
        let doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        let bytes = try DocumentCodec.encode(doc)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("\"evaluations\""))
        let decoded = try DocumentCodec.decode(bytes, path: "mem.json").document
        #expect(decoded.patients.allSatisfy { $0.evaluations.isEmpty })
        #expect(try DocumentCodec.encode(decoded) == bytes)
    }

    /// The demo with two evaluations for its first patient: a signed intake with every optional field, and an unsigned
    /// review with none (no author, no ratings, no decision), texts that need escaping.
    static func withEvaluations() throws -> CaseloadDocument {
        var doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        let staff = try #require(doc.staff.first?.id)
        let date = try #require(LocalDate(iso: "2026-11-02"))
        let signed = Evaluation(
            id: "evl_1", date: date, kind: .intake, author: staff, presentingProblem: "Says \"I need help\"\nsince the DUI.",
            substances: [SubstanceUse(substance: "alcohol", route: "oral", frequency: "daily", lastUse: date.adding(days: -2), ageOfFirstUse: 15),
                         SubstanceUse(substance: "cannabis", route: "smoked", frequency: "weekends")],
            priorTreatment: "detox 2024\ttwice", medical: "BP 150/95", psychiatric: "low mood — no plan", legal: "probation",
            familySocial: "sister ✓", employmentSchool: "nights",
            dimensions: [0, 1, 2, 3, 2, 1].map { (r: Int) in DimensionRating(rating: r, reason: "because \(r)") },
            suggested: .level(.partialHospitalization), decided: .higherThanProgram, decisionReason: "safety",
            signature: Signature(by: staff, at: Timestamp(seconds: 1_793_000_000)))
        let draft = Evaluation(id: "evl_2", date: date.adding(days: 30), kind: .review)
        doc.patients[0].evaluations = [signed, draft]
        return doc
    }

    @Test func evaluationsAreWrittenAndReadAsFoundationDoes() throws {
        let doc = try Self.withEvaluations()
        try OwnCodecTests().expectSameAsReference(doc, "evaluations")
        let bytes = try DocumentCodec.encode(doc)
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"decided\" : \"higherThanProgram\""))
        #expect(try DocumentCodec.decode(bytes, path: "mem.json").document == doc)
    }

    @Test func anUnknownLevelIsRefusedWithItsPlace() throws {
        let doc = try Self.withEvaluations()
        let text = String(decoding: try DocumentCodec.encode(doc), as: UTF8.self)
            .replacingOccurrences(of: "\"higherThanProgram\"", with: "\"level3\"")
        #expect {
            try DocumentCodec.decode(Data(text.utf8), path: "mem.json")
        } throws: { error in
            String(describing: error).contains("evaluations[0].decided")
        }
    }

    @Test func aRatingOutOfRangeIsRefused() throws {
        var doc = try Self.withEvaluations()
        doc.patients[0].evaluations[1].dimensions[2].rating = 7
        let data = try DocumentCodec.encode(doc)
        #expect {
            try DocumentCodec.decode(data, path: "mem.json")
        } throws: { error in
            String(describing: error).contains("evaluations[1].dimensions[2].rating")
        }
    }

    @Test func theRuleIsWrittenAndReadAsFoundationDoes() throws {
        let rule = LevelOfCareRule(steps: [LevelRuleStep(dimensions: [5, 6], atLeast: 2, count: 2, level: .level(.intensiveOutpatient))],
                                   otherwise: .level(.outpatient))
        var w = JSONWriter(capacity: 256, level: 0)
        w.levelOfCareRule(rule)
        let own = w.bytes()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let reference = try encoder.encode(rule)
        #expect(String(decoding: own, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
        #expect(try JSONDecoder().decode(LevelOfCareRule.self, from: Data(own)) == rule)
    }
}
