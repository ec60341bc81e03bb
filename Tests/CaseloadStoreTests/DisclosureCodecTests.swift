import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// The disclosure log in the file: absent when empty (files from before it load and keep their bytes), round-tripped exactly when present.
@Suite struct DisclosureCodecTests {
    static let now = ClockSetting.parse("2026-11-30T18:05", zone: TimeZone(identifier: "America/Chicago") ?? .current) ?? Date()

    @Test func anEmptyLogIsNotWrittenAndAMissingOneLoadsAsEmpty() throws {
        let doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        #expect(doc.patients.allSatisfy { $0.disclosures.isEmpty })
        let text = String(decoding: try DocumentCodec.encode(doc), as: UTF8.self)
        #expect(!text.contains("\"disclosures\""))
        #expect(try DocumentCodec.decode(Data(text.utf8), path: "mem.json").document == doc)
    }

    @Test func aLogRoundTripsByteForByte() throws {
        var doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        let i = try #require(doc.patients.firstIndex { !$0.consents.isEmpty })
        let consent = doc.patients[i].consents[0]
        doc.patients[i].disclosures = [
            Disclosure(id: "dis_1", recipient: consent.recipient, date: consent.signed, from: consent.signed, to: consent.signed,
                       consent: consent.id, what: "attendance letter, \"quoted\"", by: doc.staff.first?.id),
            Disclosure(id: "dis_2", recipient: consent.recipient, date: consent.signed, from: consent.signed, to: consent.signed,
                       consent: consent.id, what: "without a signer"),
        ]
        let first = try DocumentCodec.encode(doc)
        #expect(String(decoding: first, as: UTF8.self).contains("\"disclosures\" : ["))
        let decoded = try DocumentCodec.decode(first, path: "mem.json")
        #expect(decoded.document == doc)
        #expect(try DocumentCodec.encode(decoded.document) == first)
    }

    @Test func aDisclosureNamingNoConsentIsRefusedWithItsPlace() throws {
        var doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        let i = try #require(doc.patients.firstIndex { !$0.consents.isEmpty })
        let day = try #require(LocalDate(iso: "2026-11-30"))
        doc.patients[i].disclosures = [Disclosure(id: "dis_1", recipient: "x", date: day, from: day, to: day, consent: "nope", what: "w")]
        let data = try DocumentCodec.encode(doc)
        #expect {
            try DocumentCodec.decode(data, path: "mem.json")
        } throws: { error in
            String(describing: error).contains("disclosures[0].consent")
        }
    }
}
