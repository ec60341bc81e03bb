import CaseloadCore
import Foundation
import Testing

@Suite struct PatientFlagsTests {
    let d = TestDocument.date
    let t = TestDocument.time
    let today = TestDocument.date("2026-11-30")
    var now: Date {
        Recurrence.instant(today, TestDocument.time("18:00"), in: TimeZone(identifier: "America/Chicago") ?? .gmt)
    }

    func session(_ id: SessionID, on date: String, at start: String, notes: [(PatientID, signed: Bool)]) throws -> Session {
        var s = Session(id: id, date: d(date), start: t(start), durationMinutes: 180, title: "IOP", kind: .group,
                        added: ["pat_ana", "pat_minjun"])
        for (patient, signed) in notes {
            try s.setMemberNote(MemberNote(patient: patient, format: .dap, sections: [NoteSection(heading: "Data", text: "Attended.")]))
            if signed { try s.signMemberNote(for: patient, Signature(by: "st_dana", at: TestDocument.at("2026-11-26T04:00:00Z"))) }
        }
        return s
    }

    func consent(_ id: ItemID, expires: String, revoked: String? = nil) -> Consent {
        Consent(id: id, recipient: "Probation", purpose: "reports", information: "attendance", signed: d("2026-01-05"),
                expires: d(expires), revoked: revoked.map(d))
    }

    @Test func unsignedNotesCountOnlyAfterSeventyTwoHours() throws {
        var doc = TestDocument.document()
        doc.sessions = [
            // Ended 2026-11-25 21:00, five days ago.
            try session("s_old", on: "2026-11-25", at: "18:00", notes: [("pat_ana", false), ("pat_minjun", true)]),
            // Ended exactly 72 hours ago: not yet overdue.
            try session("s_edge", on: "2026-11-27", at: "15:00", notes: [("pat_ana", false)]),
            // Ended 72 hours and one minute ago.
            try session("s_just", on: "2026-11-27", at: "14:59", notes: [("pat_minjun", false)]),
            try session("s_recent", on: "2026-11-29", at: "18:00", notes: [("pat_ana", false), ("pat_minjun", false)]),
        ]
        let flags = PatientFlagIndex.build(doc, now: now, today: today)
        #expect(flags["pat_ana"]?.unsignedNotes == 1)
        #expect(flags["pat_minjun"]?.unsignedNotes == 1)
    }

    @Test func consentsAndSupervisionAreFlagged() {
        var doc = TestDocument.document()
        doc.patients[0].consents = [
            consent("c_soon", expires: "2026-12-10"),
            consent("c_gone", expires: "2026-11-29"),
            consent("c_revoked", expires: "2026-11-01", revoked: "2026-06-01"),
            consent("c_fine", expires: "2027-06-30"),
        ]
        doc.patients[1].legal = LegalSupervision(kind: .drugCourt, officer: "Judge's clerk", contact: "555-0100", reportingFrequency: "weekly")
        let flags = PatientFlagIndex.build(doc, now: now, today: today)
        #expect(flags["pat_ana"] == PatientFlags(supervision: nil, unsignedNotes: 0, consentsExpiring: 1, consentsExpired: 1))
        #expect(flags["pat_minjun"] == PatientFlags(supervision: .drugCourt))
        #expect(flags.count == 2)
    }
}
