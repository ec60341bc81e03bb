import CaseloadCore
import Foundation
import Testing

/// Issue 19: evaluations are a list by `id`, so two people adding one each at once both keep theirs, and a signature on
/// one side merges with a new evaluation on the other.
@Suite struct EvaluationMergeTests {
    typealias T = TestDocument

    static func adding(_ evaluation: Evaluation, to doc: CaseloadDocument) throws -> CaseloadDocument {
        var doc = doc
        try doc.apply(EvaluationEdits.save(evaluation, for: "pat_ana", in: doc))
        return doc
    }

    @Test func twoPeopleAddingAnEvaluationEachKeepBoth() throws {
        let base = T.document()
        // Each instance tags its new IDs (NewIDs), so the two drafts have different IDs.
        let theirs = try Self.adding(EvaluationTests.complete("evl_1-aaaa"), to: base)
        let mine = try Self.adding(EvaluationTests.complete("evl_1-bbbb", date: "2026-11-04"), to: base)
        let result = DocumentMerge.merge(base: base, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        #expect(result.merged.patient("pat_ana")?.evaluations.map(\.id) == ["evl_1-aaaa", "evl_1-bbbb"])
        #expect(result.mine.patient("pat_ana")?.evaluations.map(\.id) == ["evl_1-aaaa", "evl_1-bbbb"])
    }

    @Test func aSignatureOnOneSideAndAReviewDraftOnTheOtherMerge() throws {
        let base = try Self.adding(EvaluationTests.complete("evl_1"), to: T.document())
        var theirs = base
        try theirs.apply(EvaluationEdits.sign("evl_1", for: "pat_ana", by: "st_dana", at: T.at("2026-11-03T20:00:00Z"), in: theirs))
        var draft = EvaluationTests.complete("evl_2-bbbb", date: "2026-11-05")
        draft.kind = .review
        let mine = try Self.adding(draft, to: base)
        let result = DocumentMerge.merge(base: base, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        let merged = try #require(result.merged.patient("pat_ana"))
        #expect(merged.evaluations.map(\.id) == ["evl_1", "evl_2-bbbb"])
        #expect(merged.evaluations[0].isSigned && !merged.evaluations[1].isSigned)
    }
}
