import CaseloadCore
import Foundation
import Testing

@Suite struct HoursTests {
    let d = TestDocument.date

    @Test(arguments: [
        (AttendanceStatus.present, 180),
        (.late(minutesLate: 15), 165),
        (.late(minutesLate: 500), 0),
        (.leftEarly(minutesAttended: 120), 120),
        (.leftEarly(minutesAttended: 900), 180),
        (.excused(reason: "court date"), 0),
        (.absent, 0),
    ])
    func minutesAttendedFollowTheStatus(status: AttendanceStatus, expected: Int) {
        #expect(status.minutesAttended(duration: 180) == expected)
    }

    func heldSession(on date: String, marks: [(PatientID, AttendanceStatus)], status: SessionStatus? = nil) -> Session {
        var s = Session(id: SessionID("ses_\(date)"), occurrenceOf: TestDocument.iopA, on: d(date))
        for (p, m) in marks { s.mark(p, m) }
        if let status { s.status = status }
        return s
    }

    @Test func weeklyHoursAddUpAttendedMinutesAndSkipCancelledSessions() {
        var doc = TestDocument.document()
        doc.sessions = [
            heldSession(on: "2026-11-02", marks: [("pat_ana", .present), ("pat_minjun", .absent)]),
            heldSession(on: "2026-11-04", marks: [("pat_ana", .late(minutesLate: 30)), ("pat_minjun", .present)]),
            heldSession(on: "2026-11-05", marks: [("pat_ana", .present)], status: .cancelled(reason: "storm")),
            heldSession(on: "2026-11-09", marks: [("pat_ana", .present)]),
        ]
        let week = Hours.week(containing: d("2026-11-04"), firstWeekday: .mon)
        let ana = Hours.weekHours(for: TestDocument.ana, week: week, of: doc)
        #expect(ana.attendedMinutes == 330)
        #expect(ana.attendedSessions == 2)
        #expect(ana.requiredMinutes == 540)
        #expect(Hours.minutesAttended(by: "pat_minjun", in: week, of: doc) == 180)
    }

    @Test func markingRollTurnsAScheduledSessionIntoHeld() {
        var s = Session(id: "s", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        #expect(s.status == .scheduled)
        s.mark("pat_ana", .present)
        #expect(s.status == .held)
    }

    @Test func aPhaseChangeSetsTheRequirementFromItsDate() {
        var ana = TestDocument.ana
        ana.careHistory.append(CareEntry(date: d("2026-11-12"), levelOfCare: .intensiveOutpatient, phase: "p2"))
        let program = TestDocument.program
        #expect(Hours.requirement(for: ana, week: Hours.week(containing: d("2026-11-04"), firstWeekday: .mon), program: program)?.id == "p1")
        #expect(Hours.requirement(for: ana, week: Hours.week(containing: d("2026-11-12"), firstWeekday: .mon), program: program)?.id == "p2")
        #expect(ana.care(on: d("2026-11-11"))?.phase == "p1")
    }
}
