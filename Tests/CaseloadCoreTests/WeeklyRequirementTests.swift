import CaseloadCore
import Foundation
import Testing

@Suite struct WeeklyRequirementTests {
    let d = TestDocument.date
    let program = TestDocument.program
    var firstWeek: DateRange { Hours.week(containing: d("2026-11-02"), firstWeekday: .mon) }
    var secondWeek: DateRange { Hours.week(containing: d("2026-11-09"), firstWeekday: .mon) }

    @Test func aWholeWeekInOnePhaseRequiresThatPhasesFigures() {
        let req = Hours.weeklyRequirement(for: TestDocument.ana, week: firstWeek, program: program)
        #expect(req == WeeklyRequirement(minutes: 540, sessions: 3, phase: program.phase("p1"),
                                         basis: RequirementBasis(days: firstWeek, spans: [.init(phase: "Phase I", first: d("2026-11-02"), last: d("2026-11-08"))])))
        #expect(req.basisText == "Phase I")
    }

    @Test func aPhaseChangeMidWeekProratesByDay() {
        var ana = TestDocument.ana
        ana.careHistory.append(CareEntry(date: d("2026-11-12"), levelOfCare: .intensiveOutpatient, phase: "p2"))
        let req = Hours.weeklyRequirement(for: ana, week: secondWeek, program: program)
        // Mon–Wed in Phase I, Thu–Sun in Phase II: (540·3 + 360·4) / 7 = 437.1; (3·3 + 2·4) / 7 = 2.4.
        #expect(req.minutes == 437)
        #expect(req.sessions == 2)
        #expect(req.phase?.id == "p2")
        #expect(req.basisText == "Phase I Mon–Wed, Phase II Thu–Sun")
    }

    @Test func anAdmissionOnFridayRequiresThreeSevenths() {
        var late = TestDocument.ana
        late.admissionDate = d("2026-11-06")
        late.careHistory = [CareEntry(date: d("2026-11-06"), levelOfCare: .intensiveOutpatient, phase: "p1")]
        let req = Hours.weeklyRequirement(for: late, week: firstWeek, program: program)
        #expect(req.minutes == 231)  // 540 · 3/7 = 231.4
        #expect(req.sessions == 1)   // 3 · 3/7 = 1.3
        #expect(req.basisText == "Phase I Fri–Sun, 3 of 7 days in care")
        let before = Hours.weeklyRequirement(for: late, week: Hours.week(containing: d("2026-10-28"), firstWeekday: .mon), program: program)
        #expect(before.minutes == 0 && before.sessions == 0 && before.phase == nil)
        #expect(before.basisText == "not in care")
    }

    @Test func daysFromTheDischargeDateOnCountNothing() {
        var ana = TestDocument.ana
        ana.status = .discharged(date: d("2026-11-05"), reason: .completed)
        let req = Hours.weeklyRequirement(for: ana, week: firstWeek, program: program)
        #expect(req.minutes == 231 && req.sessions == 1 && req.phase == program.phase("p1"))   // Mon–Wed: 540 · 3/7 = 231.4
        #expect(req.basisText == "Phase I Mon–Wed, 3 of 7 days in care")
        #expect(Hours.weeklyRequirement(for: ana, week: secondWeek, program: program).minutes == 0)
    }

    @Test func fractionsRoundToTheNearestWhole() {
        // A seventh-based total is never exactly half way, so only nearest matters: 4/7 rounds up, 3/7 down.
        var tiny = program
        tiny.phases = [Phase(id: "p1", name: "Tiny", levelOfCare: .outpatient, requiredSessionsPerWeek: 1, requiredMinutesPerWeek: 1)]
        var p = TestDocument.ana
        p.careHistory = [CareEntry(date: d("2026-11-05"), levelOfCare: .outpatient, phase: "p1")]
        let four = Hours.weeklyRequirement(for: p, week: firstWeek, program: tiny)
        #expect(four.minutes == 1 && four.sessions == 1 && four.phase == tiny.phases.first)
        p.careHistory = [CareEntry(date: d("2026-11-06"), levelOfCare: .outpatient, phase: "p1")]
        let three = Hours.weeklyRequirement(for: p, week: firstWeek, program: tiny)
        #expect(three.minutes == 0 && three.sessions == 0 && three.phase == tiny.phases.first)
    }
}

@Suite struct WeekProgressTests {
    let d = TestDocument.date
    let full = WeeklyRequirement(minutes: 540, sessions: 3, phase: TestDocument.program.phase("p1"))
    var week: DateRange { Hours.week(containing: d("2026-11-02"), firstWeekday: .mon) }

    func stored(_ date: String, _ marks: [(PatientID, AttendanceStatus)], status: SessionStatus? = nil) -> Session {
        var s = Session(id: SessionID("ses_\(date)"), occurrenceOf: TestDocument.iopA, on: d(date))
        for (p, m) in marks { s.mark(p, m) }
        if let status { s.status = status }
        return s
    }

    func progress(_ sessions: [Session], requirement: WeeklyRequirement? = nil, patient: PatientID = "pat_ana") -> WeekProgress {
        var doc = TestDocument.document()
        doc.sessions = sessions
        let series = Dictionary(uniqueKeysWithValues: doc.series.map { ($0.id, $0) })
        return Hours.progress(for: patient, requirement: requirement ?? full, sessions: Schedule.sessions(in: week, of: doc), series: series)
    }

    @Test func unmarkedSessionsAreStillPossible() {
        let p = progress([])
        #expect(p.possibleMinutes == 540)
        #expect(p.possibleSessions == 3)
        #expect(p.attendedMinutes == 0)
        #expect(p.state == .onTrack)
    }

    @Test func attendingEverySessionMeetsTheRequirement() {
        let p = progress(["2026-11-02", "2026-11-04", "2026-11-05"].map { stored($0, [("pat_ana", .present)]) })
        #expect(p.attendedMinutes == 540)
        #expect(p.attendedSessions == 3)
        #expect(p.possibleMinutes == 0)
        #expect(p.state == .met)
    }

    @Test func lateArrivalIsLostTimeButTheWeekCanStillBeMet() {
        let p = progress([stored("2026-11-02", [("pat_ana", .late(minutesLate: 30))])],
                         requirement: WeeklyRequirement(minutes: 360, sessions: 2, phase: nil))
        #expect(p.attendedMinutes == 150)
        #expect(p.attendedSessions == 1)
        #expect(p.lostMinutes == 30)
        #expect(p.possibleMinutes == 360)
        #expect(p.state == .behind)
    }

    @Test func anAbsenceThatLeavesTooLittleTimeCannotBeMet() {
        let p = progress([stored("2026-11-02", [("pat_ana", .absent)])])
        #expect(p.lostMinutes == 180)
        #expect(p.possibleMinutes == 360)
        #expect(p.state == .cannotMeet)
    }

    @Test func cancelledSessionsAreNeitherAttendedNorPossible() {
        let p = progress([stored("2026-11-02", [], status: .cancelled(reason: "storm"))])
        #expect(p.possibleMinutes == 360)
        #expect(p.lostMinutes == 0)
        #expect(p.state == .cannotMeet)
    }

    @Test func tooFewSessionsCannotMeetEvenWithEnoughMinutes() {
        // Two long sessions could give the minutes but not three sessions.
        var first = stored("2026-11-02", [("pat_ana", .present)])
        first.durationMinutes = 400
        let p = progress([first, stored("2026-11-04", [], status: .cancelled(reason: "holiday"))])
        #expect(p.attendedMinutes + p.possibleMinutes >= 540)
        #expect(p.attendedSessions + p.possibleSessions == 2)
        #expect(p.state == .cannotMeet)
    }

    @Test func dropInsCountAndRemovedMembersDoNot() {
        var removed = stored("2026-11-04", [])
        removed.removed = ["pat_ana"]
        let dropIn = Session(id: "ses_extra", date: d("2026-11-06"), start: TestDocument.time("10:00"), durationMinutes: 60,
                             title: "Relapse prevention", kind: .group, added: ["pat_ana"])
        let p = progress([removed, dropIn])
        #expect(p.possibleSessions == 3)
        #expect(p.possibleMinutes == 180 + 180 + 60)
        #expect(progress([removed, dropIn], patient: "pat_minjun").possibleSessions == 3)
    }

    @Test func noRequirementIsItsOwnState() {
        let p = progress([stored("2026-11-02", [("pat_ana", .absent)])], requirement: WeeklyRequirement(minutes: 0, sessions: 0, phase: nil))
        #expect(p.state == .noRequirement)
    }
}
