import CaseloadCore
import Foundation
import Testing
@testable import CaseloadStore

/// Issue 19: an addendum's co-signature fields through Caseload's own reader and writer, byte for byte as Foundation's
/// Codable, and left out of the file when unused so older files keep their bytes.
@Suite struct AddendumCoSignatureCodecTests {
    static func t(_ seconds: Int64) -> Timestamp { Timestamp(seconds: seconds) }

    static func document() -> CaseloadDocument {
        var doc = OwnCodecTests.everything()
        let group = GroupNote(stored: "Coping", modality: nil, narrative: "Skills.", author: "stf_1", updated: nil,
                              signature: Signature(by: "stf_1", at: t(1_000), needsCoSignature: true, coSignature: CoSignature(by: "stf_2", at: t(2_000))),
                              addenda: [
                                  Addendum(by: "stf_1", at: t(1_500), text: "before the co-signature"),
                                  Addendum(by: "stf_1", at: t(3_000), text: "waiting", needsCoSignature: true),
                                  Addendum(by: "stf_1", at: t(3_100), text: "co-signed", needsCoSignature: true, coSignature: CoSignature(by: "stf_2", at: t(4_000))),
                              ])
        let day = LocalDate(year: 2026, month: 11, day: 2) ?? LocalDate(dayNumber: 0)
        doc.sessions.append(Session(stored: "ses_cosign", series: nil, occurrenceDate: nil, date: day, start: LocalTime(clamping: 18 * 60),
                                    durationMinutes: 60, title: "Co-signed", kind: .group, modality: nil, room: nil, facilitator: nil,
                                    status: .held, added: [], removed: [], attendance: [], groupNote: group, memberNotes: []))
        return doc
    }

    @Test func addendumCoSignaturesAreWrittenAndReadAsFoundationDoes() throws {
        let doc = Self.document()
        try OwnCodecTests().expectSameAsReference(doc, "addendum co-signatures")
        let back = try #require(try OwnCodecTests.read(try DocumentCodec.encode(doc)).document)
        let addenda = try #require(back.session("ses_cosign")?.groupNote?.addenda)
        #expect(addenda.map(\.needsCoSignature) == [false, true, true])
        #expect(addenda.map(\.coSignature) == [nil, nil, CoSignature(by: "stf_2", at: Self.t(4_000))])
        #expect(back.session("ses_cosign")?.groupNote?.signState == .awaitingCoSignature, "an addendum still waits")
    }

    @Test func anAddendumWithoutCoSignatureWritesOnlyItsThreeOldFields() throws {
        let encoded = String(decoding: try DocumentCodec.encode(Self.document()), as: UTF8.self)
        // The first addendum, as before issue 19: at, by, text and nothing else.
        let lines = encoded.components(separatedBy: "\n")
        let text = try #require(lines.firstIndex { $0.contains("\"before the co-signature\"") })
        // Keys are sorted: at, by, (coSignature), (needsCoSignature), text — so the two lines before its text are at and by.
        #expect(lines[text - 1].contains("\"by\""))
        #expect(lines[text - 2].contains("\"at\""))
    }
}
