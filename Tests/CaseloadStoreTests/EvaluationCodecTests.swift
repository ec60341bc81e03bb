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
        // The demo signs evaluations for its patients: taken out, it stands for a file from before issue 19.
        var doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        for i in doc.patients.indices { doc.patients[i].evaluations = [] }
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

    /// A program whose rule sends D5 or D6 at 2 or more (both) to IOP, else OP.
    static func withOwnRule() throws -> CaseloadDocument {
        var doc = try withEvaluations()
        doc.program.clinical.levelOfCareRule = LevelOfCareRule(
            steps: [LevelRuleStep(dimensions: [5, 6], atLeast: 2, count: 2, level: .level(.intensiveOutpatient))], otherwise: .level(.outpatient))
        return doc
    }

    @Test func aProgramsOwnRuleIsWrittenAndReadAsFoundationDoes() throws {
        let doc = try Self.withOwnRule()
        try OwnCodecTests().expectSameAsReference(doc, "a program's own rule")
        let text = String(decoding: try DocumentCodec.encode(doc), as: UTF8.self)
        #expect(text.contains("\"levelOfCareRule\" : {"))
        #expect(try DocumentCodec.decode(Data(text.utf8), path: "mem.json").document.program.clinical.levelOfCareRule == doc.program.clinical.levelOfCareRule)
    }

    @Test func theDefaultRuleIsNotWrittenAndAFileWithoutItGetsTheStandardOne() throws {
        let doc = try Self.withEvaluations()
        #expect(!String(decoding: try DocumentCodec.encode(doc), as: UTF8.self).contains("levelOfCareRule"))
        // A clinical object that leaves the rule out (a file from before it existed) reads as the standard rule.
        var other = doc
        other.program.clinical.evaluationReviewDays = 60
        let text = String(decoding: try DocumentCodec.encode(other), as: UTF8.self)
        let start = try #require(text.range(of: "\"levelOfCareRule\" : {"))
        let end = try #require(text.range(of: "\"measureEveryDays\"", range: start.upperBound..<text.endIndex))
        let without = text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "")
        let read = try DocumentCodec.decode(Data(without.utf8), path: "mem.json").document
        #expect(read.program.clinical.levelOfCareRule == .standard)
        #expect(read.program.clinical.evaluationReviewDays == 60)
        #expect(try ReferenceCodec.decode(Data(without.utf8)).program.clinical == read.program.clinical)
    }

    @Test func aRuleStepOutsideTheDimensionsIsRefusedWithItsPlace() throws {
        var doc = try Self.withOwnRule()
        doc.program.clinical.levelOfCareRule.steps[0].dimensions = [5, 7]
        let data = try DocumentCodec.encode(doc)
        #expect {
            try DocumentCodec.decode(data, path: "mem.json")
        } throws: { error in
            String(describing: error).contains("levelOfCareRule.steps[0].dimensions")
        }
    }
}
