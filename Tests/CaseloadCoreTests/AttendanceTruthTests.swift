import CaseloadCore
import Foundation
import Testing

/// Issue 11, points 1–5: wall-clock times across daylight saving, one proration rule for required hours, weeks cut by the
/// period, cancelled apart from did-not-take-place, and marks counting only for members. Every expectation is worked by hand.
@Suite struct AttendanceTruthTests {
    let d = TestDocument.date
    let t = TestDocument.time

    // MARK: 1. Daylight saving

    /// (zone, date, start, minutes, shown start, shown end), each worked out by hand in the comment.
    static let dstCases: [(String, String, String, Int, String, String)] = [
        // Chicago, fall back 2026-11-01 02:00 CDT → 01:00 CST.
        // 00:30 CDT = 05:30Z; +3 h = 08:30Z = 02:30 CST.
        ("America/Chicago", "2026-11-01", "00:30", 180, "00:30", "02:30"),
        // 01:30 is twice; the first is CDT = 06:30Z; +1 h = 07:30Z = 01:30 CST.
        ("America/Chicago", "2026-11-01", "01:30", 60, "01:30", "01:30"),
        // Chicago, spring forward 2026-03-08 02:00 CST → 03:00 CDT.
        // 01:00 CST = 07:00Z; +3 h = 10:00Z = 05:00 CDT.
        ("America/Chicago", "2026-03-08", "01:00", 180, "01:00", "05:00"),
        // 02:30 does not exist: it happens an hour later, 03:30 CDT = 08:30Z; +1 h = 09:30Z = 04:30 CDT.
        ("America/Chicago", "2026-03-08", "02:30", 60, "03:30", "04:30"),
        // London, spring forward 2026-03-29 01:00 GMT → 02:00 BST.
        // 00:30 GMT = 00:30Z; +1 h = 01:30Z = 02:30 BST.
        ("Europe/London", "2026-03-29", "00:30", 60, "00:30", "02:30"),
        // 01:30 does not exist: 02:30 BST = 01:30Z; +1 h = 02:30Z = 03:30 BST.
        ("Europe/London", "2026-03-29", "01:30", 60, "02:30", "03:30"),
        // London, fall back 2026-10-25 02:00 BST → 01:00 GMT.
        // 00:30 BST = 23:30Z the day before; +2 h = 01:30Z = 01:30 GMT.
        ("Europe/London", "2026-10-25", "00:30", 120, "00:30", "01:30"),
        // 01:30 is twice; the first is BST = 00:30Z; +1 h = 01:30Z = 01:30 GMT.
        ("Europe/London", "2026-10-25", "01:30", 60, "01:30", "01:30"),
        // 01:00 BST = 00:00Z; +3 h = 03:00Z = 03:00 GMT.
        ("Europe/London", "2026-10-25", "01:00", 180, "01:00", "03:00"),
    ]

    @Test(arguments: dstCases)
    func reportTimesAreTheRealWallClockTimes(_ c: (String, String, String, Int, String, String)) throws {
        let (zone, date, start, minutes, shownStart, shownEnd) = c
        var doc = TestDocument.document()
        doc.program.timeZone = zone
        var ana = TestDocument.ana
        ana.careHistory = [CareEntry(date: d("2026-01-05"), levelOfCare: .intensiveOutpatient, phase: "p1")]
        doc.patients = [ana]
        doc.series = []
        var s = Session(id: "ses_dst", date: d(date), start: t(start), durationMinutes: minutes, title: "Late group", kind: .group, added: ["pat_ana"])
        s.mark("pat_ana", .present)
        doc.sessions = [s]
        let report = AttendanceReport.build(for: ana, from: d(date), to: d(date), doc: doc, schedule: ScheduleIndex(doc))
        let row = try #require(report.rows.first)
        #expect(row.start == t(shownStart))
        #expect(row.end == t(shownEnd))
        #expect(row.minutesScheduled == minutes && row.minutesAttended == minutes, "minutes stay the stored duration")
        #expect(report.text.contains("\(shownStart)–\(shownEnd)"))
    }

    // MARK: 2. One rule for required hours

    /// Ana in Phase I (540 min, 3 sessions) from 2026-11-02, stepping down to Phase II (360 min, 2 sessions) on Thursday 2026-11-12.
    var steppedDown: Patient {
        var ana = TestDocument.ana
        ana.careHistory.append(CareEntry(date: d("2026-11-12"), levelOfCare: .intensiveOutpatient, phase: "p2"))
        return ana
    }

    @Test func aThursdayStepDownWeekIsProratedAndSaysSo() {
        let week = Hours.week(containing: d("2026-11-12"), firstWeekday: .mon)   // Mon 11-09 … Sun 11-15
        let req = Hours.weeklyRequirement(for: steppedDown, week: week, program: TestDocument.program)
        // (3 × 540 + 4 × 360) / 7 = 3060 / 7 = 437.14 → 437; (3 × 3 + 4 × 2) / 7 = 17 / 7 = 2.43 → 2.
        #expect(req.minutes == 437)
        #expect(req.sessions == 2)
        #expect(req.basisText == "Phase I Mon–Wed, Phase II Thu–Sun")
    }

    @Test func theCensusNamesBothPhasesOfAStepDownWeek() {
        var doc = TestDocument.document()
        doc.patients = [steppedDown, TestDocument.minjun]
        let census = WeekCensus.build(containing: d("2026-11-12"), doc: doc, schedule: ScheduleIndex(doc))
        #expect(census.rows[0].phase == "Phase I Mon–Wed, Phase II Thu–Sun")
        #expect(census.rows[0].progress.requirement.minutes == 437)
        #expect(census.rows[1].phase == "Phase I")
        let text = census.rendered(as: .text)
        #expect(text.contains("Phase I Mon–Wed, Phase II Thu–Sun"))
        // The rule, wrapped to print at 80 columns: the same words.
        #expect(text.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains(RequirementBasis.ruleText))
        #expect(census.rendered(as: .csv).contains(",T-001,\"Phase I Mon–Wed, Phase II Thu–Sun\",0,437,0,2,"))
        #expect(census.rendered(as: .markdown).contains("| Phase I Mon–Wed, Phase II Thu–Sun |"))
    }

    @Test func aSundayStartWeekProratesOverItsOwnDays() {
        var program = TestDocument.program
        program.firstWeekday = .sun
        let week = Hours.week(containing: d("2026-11-12"), firstWeekday: .sun)   // Sun 11-08 … Sat 11-14
        #expect(week == DateRange(d("2026-11-08"), d("2026-11-14")))
        let req = Hours.weeklyRequirement(for: steppedDown, week: week, program: program)
        // (4 × 540 + 3 × 360) / 7 = 3240 / 7 = 462.86 → 463; (4 × 3 + 3 × 2) / 7 = 18 / 7 = 2.57 → 3.
        #expect(req.minutes == 463)
        #expect(req.sessions == 3)
        #expect(req.basisText == "Phase I Sun–Wed, Phase II Thu–Sat")
    }

    @Test func anAdmissionWeekCountsOnlyTheDaysInCare() {
        var late = TestDocument.ana
        late.admissionDate = d("2026-11-05")
        late.careHistory = [CareEntry(date: d("2026-11-05"), levelOfCare: .intensiveOutpatient, phase: "p1")]   // a Thursday
        let req = Hours.weeklyRequirement(for: late, week: DateRange(d("2026-11-02"), d("2026-11-08")), program: TestDocument.program)
        // 540 × 4/7 = 308.57 → 309; 3 × 4/7 = 1.71 → 2.
        #expect(req.minutes == 309 && req.sessions == 2)
        #expect(req.basisText == "Phase I Thu–Sun, 4 of 7 days in care")
    }

    @Test func aDischargeWeekCountsOnlyTheDaysBeforeDischarge() {
        var gone = TestDocument.ana
        gone.status = .discharged(date: d("2026-11-11"), reason: .completed)   // a Wednesday: in care Mon and Tue
        let req = Hours.weeklyRequirement(for: gone, week: DateRange(d("2026-11-09"), d("2026-11-15")), program: TestDocument.program)
        // 540 × 2/7 = 154.29 → 154; 3 × 2/7 = 0.86 → 1.
        #expect(req.minutes == 154 && req.sessions == 1)
        #expect(req.basisText == "Phase I Mon–Tue, 2 of 7 days in care")
        let none = Hours.weeklyRequirement(for: gone, week: DateRange(d("2026-11-16"), d("2026-11-22")), program: TestDocument.program)
        #expect(none.minutes == 0 && none.basisText == "not in care")
    }

    @Test func theReportAndTheLetterShowTheBasisAndTheRule() throws {
        var doc = TestDocument.document()
        doc.patients = [steppedDown, TestDocument.minjun]
        let report = AttendanceReport.build(for: steppedDown, from: d("2026-11-02"), to: d("2026-11-15"), doc: doc, schedule: ScheduleIndex(doc))
        #expect(report.weeks.map(\.requiredMinutes) == [540, 437])
        #expect(report.weeks.map(\.note) == ["Phase I", "Phase I Mon–Wed, Phase II Thu–Sun"])
        // The CSV report is the session rows only; the weeks are in the other formats.
        for format in [ReportFormat.text, .markdown, .html] {
            let out = report.rendered(as: format)
            #expect(out.contains("Phase I Mon–Wed, Phase II Thu–Sun"), "\(format)")
            #expect(out.contains("Required hours are prorated by day"), "\(format)")
        }
        let consent = Consent(id: "con_1", recipient: "Officer Lane", purpose: "Report attendance", information: "attendance", signed: d("2026-10-01"), expires: d("2027-10-01"))
        for format in ReportFormat.allCases {
            let letter = ComplianceLetter.render(report: report, patient: steppedDown, program: doc.program, signer: TestDocument.dana,
                                                 recipient: "Officer Lane", consent: consent, date: d("2026-11-16"), format: format)
            #expect(letter.contains("Phase I Mon–Wed, Phase II Thu–Sun"), "\(format)")
            #expect(letter.contains("Required hours are prorated by day"), "\(format)")
        }
    }

    // MARK: 3. Weeks cut by the period

    /// November 2026 for Ana, in care since October; IOP-A (Mon/Wed/Thu, 180 min) from 2026-11-02. All three sessions of
    /// the week of Nov 2 attended, two of the week of Nov 9, nothing marked after.
    func november() -> AttendanceReport {
        var doc = TestDocument.document()
        var ana = TestDocument.ana
        ana.admissionDate = d("2026-10-01")
        ana.careHistory = [CareEntry(date: d("2026-10-01"), levelOfCare: .intensiveOutpatient, phase: "p1")]
        doc.patients = [ana, TestDocument.minjun]
        doc.sessions = ["2026-11-02", "2026-11-04", "2026-11-05", "2026-11-09", "2026-11-11"].map { date in
            var s = Session(id: SessionID("ses_\(date)"), occurrenceOf: TestDocument.iopA, on: d(date))
            s.mark("pat_ana", .present)
            return s
        }
        return AttendanceReport.build(for: ana, from: d("2026-11-01"), to: d("2026-11-30"), doc: doc, schedule: ScheduleIndex(doc))
    }

    @Test func aWeekCutByThePeriodIsMarkedPartialAndAsksOnlyForItsDays() {
        let weeks = november().weeks
        // 2026-11-01 is a Sunday: a one-day week; 2026-11-30 a Monday: another.
        #expect(weeks.map(\.first) == ["2026-11-01", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"].map(d))
        #expect(weeks.map(\.isPartial) == [true, false, false, false, false, true])
        // One day of 540 / 7 = 77.14 → 77; full weeks 540.
        #expect(weeks.map(\.requiredMinutes) == [77, 540, 540, 540, 540, 77])
        #expect(weeks.map(\.attendedMinutes) == [0, 540, 360, 0, 0, 0])
        #expect(weeks[0].note == "partial: period starts Sun; Phase I Sun, 1 of 7 days")
        #expect(weeks[5].note == "partial: period ends Mon; Phase I Mon, 1 of 7 days")
        #expect(weeks[1].note == "Phase I")
    }

    @Test func partialWeeksAreNeverJudged() {
        let report = november()
        // Full weeks: Nov 2 (540 of 540, met), Nov 9 (360), Nov 16 (0), Nov 23 (0): 1 of 4. The cut weeks are not among them.
        #expect(report.fullWeeksMet.met == 1 && report.fullWeeksMet.of == 4)
        let text = report.text
        #expect(text.contains("Full weeks meeting the required hours: 1 of 4 (weeks cut by the period are shown but not judged)"))
        let firstWeek = text.split(separator: "\n").first { $0.hasPrefix("2026-11-01 to 2026-11-01") }
        #expect(firstWeek?.contains("partial: period starts Sun") == true)
        #expect(report.markdown.contains("Full weeks meeting the required hours: 1 of 4"))
        #expect(report.html.contains("Full weeks meeting the required hours: 1 of 4"))
    }

    @Test func aReportWithinOneFullWeekJudgesIt() {
        let doc = TestDocument.document()
        var s = Session(id: "ses_1", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        s.mark("pat_ana", .present)
        var withMark = doc
        withMark.sessions = [s]
        let report = AttendanceReport.build(for: TestDocument.ana, from: d("2026-11-02"), to: d("2026-11-08"), doc: withMark, schedule: ScheduleIndex(withMark))
        #expect(report.fullWeeksMet.met == 0 && report.fullWeeksMet.of == 1)   // 180 of 540
        #expect(report.text.contains("Full weeks meeting the required hours: 0 of 1\n"))
    }

    // MARK: 4. Cancelled apart from did not take place

    @Test func cancelledAndDidNotTakePlaceAreTotalledApart() {
        var doc = TestDocument.document()
        var cancelled = Session(id: "ses_c", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        cancelled.status = .cancelled(reason: "holiday")
        var calledOff = Session(id: "ses_n", occurrenceOf: TestDocument.iopA, on: d("2026-11-04"))
        calledOff.status = .didNotTakePlace(reason: "facilitator ill")
        var calledOff2 = Session(id: "ses_n2", occurrenceOf: TestDocument.iopA, on: d("2026-11-05"))
        calledOff2.status = .didNotTakePlace(reason: "power cut")
        doc.sessions = [cancelled, calledOff, calledOff2]
        let report = AttendanceReport.build(for: TestDocument.ana, from: d("2026-11-02"), to: d("2026-11-08"), doc: doc, schedule: ScheduleIndex(doc))
        #expect(report.totals.cancelled == 1)
        #expect(report.totals.didNotTakePlace == 2)
        #expect(report.totals.scheduled == 0)
        #expect(report.text.contains("Cancelled by the program: 1\n"))
        #expect(report.text.contains("Did not take place:       2\n"))
        #expect(report.markdown.contains("| Cancelled by the program | 1 |  |"))
        #expect(report.markdown.contains("| Did not take place | 2 |  |"))
        #expect(report.html.contains("<td>Did not take place</td><td>2</td>"))
        let consent = Consent(id: "con_1", recipient: "Officer Lane", purpose: "Report attendance", information: "attendance", signed: d("2026-10-01"), expires: d("2027-10-01"))
        let letter = ComplianceLetter.render(report: report, patient: TestDocument.ana, program: doc.program, signer: TestDocument.dana,
                                             recipient: "Officer Lane", consent: consent, date: d("2026-11-16"), format: .text)
        #expect(letter.contains("Cancelled by the program: 1\n") && letter.contains("Did not take place:       2\n"))
    }

    // MARK: 5. Marks count only for members

    /// Week of Nov 2: present Mon (180), left early Wed after 50 min (50), and a mark "present" on Thu although Ana was
    /// removed from that occurrence (180, not counted): 230 min, not 410.
    func documentWithAMarkOnARemovedMember() -> CaseloadDocument {
        var doc = TestDocument.document()
        var mon = Session(id: "ses_mon", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        mon.mark("pat_ana", .present)
        var wed = Session(id: "ses_wed", occurrenceOf: TestDocument.iopA, on: d("2026-11-04"))
        wed.mark("pat_ana", .leftEarly(minutesAttended: 50))
        var thu = Session(id: "ses_thu", occurrenceOf: TestDocument.iopA, on: d("2026-11-05"))
        thu.mark("pat_ana", .present)
        thu.mark("pat_minjun", .present)
        thu.removed = ["pat_ana"]
        doc.sessions = [mon, wed, thu]
        return doc
    }

    @Test func aMarkOnARemovedMemberCountsNowhere() {
        let doc = documentWithAMarkOnARemovedMember()
        let week = DateRange(d("2026-11-02"), d("2026-11-08"))
        let report = AttendanceReport.build(for: TestDocument.ana, from: week.first, to: week.last, doc: doc, schedule: ScheduleIndex(doc))
        #expect(report.weeks.map(\.attendedMinutes) == [230])
        #expect(report.rows.map(\.date) == [d("2026-11-02"), d("2026-11-04")])
        #expect(report.totals.attended == 2 && report.totals.attendedMinutes == 230)
        #expect(Hours.minutesAttended(by: "pat_ana", in: week, of: doc) == 230)
        #expect(Hours.weekHours(for: TestDocument.ana, week: week, of: doc).attendedMinutes == 230)
        let index = ScheduleIndex(doc)
        let progress = Hours.progress(for: "pat_ana", requirement: Hours.weeklyRequirement(for: TestDocument.ana, week: week, program: doc.program),
                                      sessions: index.sessions(in: week), series: ["ser_a": TestDocument.iopA])
        #expect(progress.attendedMinutes == 230 && progress.attendedSessions == 2)
        // Minjun, a member on Thursday, still counts there.
        #expect(Hours.minutesAttended(by: "pat_minjun", in: week, of: doc) == 180)
    }

    @Test func checkFindsTheMarkAndNamesOnlyTheSessionAndPatientID() throws {
        let doc = documentWithAMarkOnARemovedMember()
        #expect(Validator.check(doc).isEmpty, "the file still reads")
        let found = Validator.marksOnNonMembers(doc)
        #expect(found == [MarkOnNonMember(session: "ses_thu", title: "IOP-A", date: d("2026-11-05"), patient: "pat_ana")])
        let text = try #require(found.first).description
        #expect(text.contains("ses_thu") && text.contains("IOP-A") && text.contains("2026-11-05") && text.contains("pat_ana"))
        #expect(!text.contains("Ana") && !text.contains("T-001"), "no patient data beyond the ID")
    }

    @Test func aNeverAddedPatientsMarkOnAOneOffIsFound() {
        var doc = TestDocument.document()
        var oneOff = Session(id: "ses_one", date: d("2026-11-06"), start: t("10:00"), durationMinutes: 60, title: "Check-in", kind: .individual, added: ["pat_minjun"])
        oneOff.mark("pat_ana", .present)
        doc.sessions = [oneOff]
        #expect(Validator.marksOnNonMembers(doc).map(\.patient) == ["pat_ana"])
        #expect(Hours.minutesAttended(by: "pat_ana", in: DateRange(d("2026-11-02"), d("2026-11-08")), of: doc) == 0)
    }

    @Test func storingANewMarkOnANonMemberIsRefusedButAnOldOneCanStillBeEdited() throws {
        var doc = documentWithAMarkOnARemovedMember()
        // A new mark on a non-member, by any edit, is refused.
        var mon = try #require(doc.session("ses_mon"))
        mon.removed = ["pat_ana"]
        #expect(throws: EditError.self) { try doc.apply(.putSession(mon)) }
        // The session that already has one can still be changed (here: Minjun's mark), and the mark cleared.
        var thu = try #require(doc.session("ses_thu"))
        thu.mark("pat_minjun", .late(minutesLate: 10))
        try doc.apply(.putSession(thu))
        let item = ScheduledSession(session: try #require(doc.session("ses_thu")), isStored: true)
        try doc.apply(SessionEdits.mark("pat_ana", nil, on: item, in: doc))
        #expect(Validator.marksOnNonMembers(doc).isEmpty)
    }
}

/// Ending a membership never strands a mark: a roster edit that would is refused, and discharge ends the membership after
/// the last mark taken on or after its date.
@Suite struct MembershipKeepsMarksTests {
    let d = TestDocument.date

    /// IOP-A with Ana marked absent on Wed 11-11.
    func document() -> CaseloadDocument {
        var doc = TestDocument.document()
        var s = Session(id: "ses_wed", occurrenceOf: TestDocument.iopA, on: d("2026-11-11"))
        s.mark("pat_ana", .absent)
        doc.sessions = [s]
        return doc
    }

    @Test func aRosterEditThatWouldLeaveAMarkOnANonMemberIsRefused() throws {
        var doc = document()
        var series = TestDocument.iopA
        series.roster[0].left = d("2026-11-09")  // Ana would no longer be a member on 11-11, where she is marked
        #expect(throws: EditError.self) { try doc.apply(.putSeries(series)) }
        series.roster[0].left = d("2026-11-12")  // the day after her mark: fine
        try doc.apply(.putSeries(series))
        #expect(doc.series("ser_a")?.roster[0].left == d("2026-11-12"))
    }

    @Test func dischargeOnTheDayOfAMarkedAbsenceKeepsTheMarkCounted() throws {
        var doc = document()
        try doc.apply(try PatientEdits.discharge("pat_ana", on: d("2026-11-11"), reason: .administrative, in: doc))
        // The membership ends the day after the marked session, so the absence stays on the record and in reports.
        #expect(doc.series("ser_a")?.roster.first { $0.patient == "pat_ana" }?.left == d("2026-11-12"))
        #expect(Validator.marksOnNonMembers(doc).isEmpty)
        let report = AttendanceReport.build(for: try #require(doc.patient("pat_ana")), from: d("2026-11-09"), to: d("2026-11-15"), doc: doc, schedule: ScheduleIndex(doc))
        #expect(report.totals.unexcused == 1)
    }

    @Test func leavingDateIsTheDateWithoutLaterMarks() {
        let doc = document()
        #expect(TestDocument.iopA.leavingDate(for: "pat_ana", from: d("2026-11-12"), sessions: doc.sessions) == d("2026-11-12"))
        #expect(TestDocument.iopA.leavingDate(for: "pat_ana", from: d("2026-11-10"), sessions: doc.sessions) == d("2026-11-12"))
        #expect(TestDocument.iopA.leavingDate(for: "pat_minjun", from: d("2026-11-10"), sessions: doc.sessions) == d("2026-11-10"))
    }
}
