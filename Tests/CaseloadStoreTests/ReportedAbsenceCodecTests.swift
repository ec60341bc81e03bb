import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// Absences reported by hand in the file: absent when empty (older files load and keep their bytes), round-tripped exactly when present.
@Suite struct ReportedAbsenceCodecTests {
    static let now = ClockSetting.parse("2026-11-30T18:05", zone: TimeZone(identifier: "America/Chicago") ?? .current) ?? Date()

    @Test func aFileWithoutTheFieldLoadsAsNoneAndKeepsItsBytes() throws {
        let doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        let bytes = try DocumentCodec.encode(doc)
        #expect(!String(decoding: bytes, as: UTF8.self).contains("reportedAbsences"))
        let decoded = try DocumentCodec.decode(bytes, path: "mem.json").document
        #expect(decoded.patients.allSatisfy { $0.reportedAbsences.isEmpty })
        #expect(try DocumentCodec.encode(decoded) == bytes)
    }

    /// The demo document with one of its unexcused absences marked reported by hand.
    func withOneReported() throws -> CaseloadDocument {
        var doc = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        let session = try #require(doc.sessions.first { $0.attendance.contains { $0.status == .absent } })
        let mark = try #require(session.attendance.first { $0.status == .absent })
        let i = try #require(doc.patients.firstIndex { $0.id == mark.patient })
        doc.patients[i].reportedAbsences = [
            ReportedAbsence(session: session.id, date: session.date, reportedOn: session.date.adding(days: 1), by: doc.staff.first?.id,
                            note: "phoned the officer, \"left a voicemail\""),
        ]
        return doc
    }

    @Test func anEntryRoundTripsByteForByte() throws {
        let doc = try withOneReported()
        let first = try DocumentCodec.encode(doc)
        #expect(String(decoding: first, as: UTF8.self).contains("\"reportedAbsences\" : ["))
        let decoded = try DocumentCodec.decode(first, path: "mem.json")
        #expect(decoded.document == doc)
        #expect(try DocumentCodec.encode(decoded.document) == first)
    }

    @Test func anEntryNamingNoStoredSessionIsRefusedWithItsPlace() throws {
        var doc = try withOneReported()
        let i = try #require(doc.patients.firstIndex { !$0.reportedAbsences.isEmpty })
        doc.patients[i].reportedAbsences[0].session = "ses_not_stored"
        let data = try DocumentCodec.encode(doc)
        #expect {
            try DocumentCodec.decode(data, path: "mem.json")
        } throws: { error in
            String(describing: error).contains("patients[\(i)].reportedAbsences[0].session")
        }
    }
}
