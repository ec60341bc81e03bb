import CaseloadCore
import Foundation
import Testing

@Suite struct AttendanceSummaryTests {
    let d = TestDocument.date

    func occurrence(_ date: String, marks: [(PatientID, AttendanceStatus)] = [], status: SessionStatus? = nil, removed: [PatientID] = []) -> Session {
        var s = Session(id: SessionID("ses_\(date)"), occurrenceOf: TestDocument.iopA, on: d(date))
        for (p, m) in marks { s.mark(p, m) }
        if let status { s.status = status }
        s.removed = removed
        return s
    }

    /// Three weeks of IOP-A (Mon/Wed/Thu, 180 min) for Ana, with every kind of mark, a cancellation, a removal and one-offs.
    func document() -> CaseloadDocument {
        var doc = TestDocument.document()
        var ana = TestDocument.ana
        ana.careHistory.append(CareEntry(date: d("2026-11-18"), levelOfCare: .intensiveOutpatient, phase: "p2"))
        doc.patients[0] = ana
        // A one-off individual session Ana is a member of, with no mark yet.
        let individual = Session(id: "ses_ind", date: d("2026-11-13"), start: TestDocument.time("10:00"), durationMinutes: 60,
                                 title: "Individual", kind: .individual, added: ["pat_ana"])
        // A one-off family session Ana is not listed on but was marked at.
        var family = Session(id: "ses_fam", date: d("2026-11-21"), start: TestDocument.time("10:00"), durationMinutes: 90,
                             title: "Family", kind: .family)
        family.mark("pat_ana", .present)
        doc.sessions = [
            // Week of Nov 2: present, late 30, and a cancelled session whose mark must not count.
            occurrence("2026-11-02", marks: [("pat_ana", .present)]),
            occurrence("2026-11-04", marks: [("pat_ana", .late(minutesLate: 30))]),
            occurrence("2026-11-05", marks: [("pat_ana", .present)], status: .cancelled(reason: "storm")),
            // Week of Nov 9: excused, absent, left early after 120, plus the unmarked individual session.
            occurrence("2026-11-09", marks: [("pat_ana", .excused(reason: "court date")), ("pat_minjun", .present)]),
            occurrence("2026-11-11", marks: [("pat_ana", .absent)]),
            occurrence("2026-11-12", marks: [("pat_ana", .leftEarly(minutesAttended: 120))]),
            individual,
            // Week of Nov 16: Mon is computed only; Wed takes Ana off; Thu did not take place; Sat is the family session.
            occurrence("2026-11-18", removed: ["pat_ana"]),
            occurrence("2026-11-19", marks: [("pat_ana", .present)], status: .didNotTakePlace(reason: "facilitator ill")),
            family,
            // After the range: must not count.
            occurrence("2026-11-23", marks: [("pat_ana", .present)]),
        ]
        return doc
    }

    @Test func threeWeeksOldestFirstWithHandCountedNumbers() {
        let doc = document()
        let week = Hours.week(containing: d("2026-11-18"), firstWeekday: .mon)
        let weeks = AttendanceSummary.weeks(for: doc.patients[0], endingWith: week, count: 3, in: doc)
        #expect(weeks.map(\.week) == [
            DateRange(d("2026-11-02"), d("2026-11-08")),
            DateRange(d("2026-11-09"), d("2026-11-15")),
            DateRange(d("2026-11-16"), d("2026-11-22")),
        ])
        // 180 + (180 − 30); the cancelled Thursday counts nothing.
        #expect(weeks[0] == WeekAttendance(week: weeks[0].week, scheduled: 2, attended: 2, excused: 0, unexcused: 0, attendedMinutes: 330, requiredMinutes: 540))
        // Three group sessions and the unmarked individual one; only the early leaver's 120 minutes.
        #expect(weeks[1] == WeekAttendance(week: weeks[1].week, scheduled: 4, attended: 1, excused: 1, unexcused: 1, attendedMinutes: 120, requiredMinutes: 540))
        #expect(weeks[1].unmarked == 1)
        // Monday (unmarked) only: the family session's mark is on a non-member and does not count (removal wins, FORMAT.md).
        // Prorated: Phase I Mon–Tue (2 × 540) and Phase II Wed–Sun (5 × 360): 2880 / 7 = 411.4 → 411.
        #expect(weeks[2] == WeekAttendance(week: weeks[2].week, scheduled: 1, attended: 0, excused: 0, unexcused: 0, attendedMinutes: 0, requiredMinutes: 411))
        // The same from the schedule index the UI keeps.
        #expect(AttendanceSummary.weeks(for: doc.patients[0], endingWith: week, count: 3, in: doc, schedule: ScheduleIndex(doc)) == weeks)
    }

    @Test func anotherPatientIsCountedFromTheSameSessions() {
        let doc = document()
        let week = Hours.week(containing: d("2026-11-09"), firstWeekday: .mon)
        let weeks = AttendanceSummary.weeks(for: TestDocument.minjun, endingWith: week, count: 2, in: doc)
        // Minjun is on the roster but only marked once (present on Nov 9); the individual and family sessions are not his.
        #expect(weeks.map(\.scheduled) == [2, 3])
        #expect(weeks.map(\.attended) == [0, 1])
        #expect(weeks.map(\.attendedMinutes) == [0, 180])
        #expect(weeks.map(\.unmarked) == [2, 2])
    }

    @Test func weeksFollowTheGivenWeekStart() {
        let doc = document()
        // Sunday-to-Saturday weeks: Nov 8–14 and Nov 15–21.
        let week = DateRange(d("2026-11-15"), d("2026-11-21"))
        let weeks = AttendanceSummary.weeks(for: doc.patients[0], endingWith: week, count: 2, in: doc)
        #expect(weeks.map(\.week.first) == [d("2026-11-08"), d("2026-11-15")])
        // Nov 9 excused, 11 absent, 12 left early, 13 individual; then Nov 16 unmarked (the family session's mark on a
        // non-member on the 21st does not count).
        #expect(weeks.map(\.scheduled) == [4, 1])
        #expect(weeks.map(\.attendedMinutes) == [120, 0])
    }

    @Test func noWeeksAndNoPhase() {
        let doc = document()
        let week = Hours.week(containing: d("2026-11-18"), firstWeekday: .mon)
        #expect(AttendanceSummary.weeks(for: doc.patients[0], endingWith: week, count: 0, in: doc).isEmpty)
        // Before admission there is no phase, so no requirement; the series had not started either.
        let early = Hours.week(containing: d("2026-10-19"), firstWeekday: .mon)
        let weeks = AttendanceSummary.weeks(for: doc.patients[0], endingWith: early, count: 1, in: doc)
        #expect(weeks == [WeekAttendance(week: early)])
    }
}
