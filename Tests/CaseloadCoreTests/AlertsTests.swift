import CaseloadCore
import Foundation
import Testing

/// The fifteen-week fixture, with every figure worked out by hand from the roll calls in `AlertsFixture`.
@Suite struct AlertsFixtureTests {
    let d = TestDocument.date

    /// (week start, attended minutes, required minutes) per patient. Sessions are 180 min; L = 150, H = 120.
    /// Minjun's week of 10-12: Mon–Wed Phase I, Thu–Sun Phase II: (540·3 + 360·4)/7 = 437.1 → 437.
    /// Sam's week of 09-21: admitted Wed, 5 days of Phase I: 540·5/7 = 385.7 → 386.
    /// The week of 10-26 (fall-back on Sun 11-01) counts 180 min a session like any other.
    static let expectedWeeks: [PatientID: [(String, Int, Int)]] = [
        "pat_ana": [
            ("2026-09-07", 360, 540), ("2026-09-14", 540, 540), ("2026-09-21", 510, 540), ("2026-09-28", 540, 540),
            ("2026-10-05", 540, 540), ("2026-10-12", 480, 540), ("2026-10-19", 540, 540), ("2026-10-26", 540, 540),
            ("2026-11-02", 540, 540), ("2026-11-09", 540, 540), ("2026-11-16", 540, 540), ("2026-11-23", 360, 540),
            ("2026-11-30", 540, 540), ("2026-12-07", 480, 540), ("2026-12-14", 150, 540),
        ],
        "pat_minjun": [
            ("2026-09-07", 360, 540), ("2026-09-14", 540, 540), ("2026-09-21", 360, 540), ("2026-09-28", 540, 540),
            ("2026-10-05", 540, 540), ("2026-10-12", 540, 437), ("2026-10-19", 360, 360), ("2026-10-26", 360, 360),
            ("2026-11-02", 180, 360), ("2026-11-09", 360, 360), ("2026-11-16", 360, 360), ("2026-11-23", 180, 360),
            ("2026-11-30", 0, 360), ("2026-12-07", 0, 360), ("2026-12-14", 0, 360),
        ],
        "pat_sam": [
            ("2026-09-07", 0, 0), ("2026-09-14", 0, 0), ("2026-09-21", 360, 386), ("2026-09-28", 540, 540),
            ("2026-10-05", 540, 540), ("2026-10-12", 540, 540), ("2026-10-19", 540, 540), ("2026-10-26", 360, 540),
            ("2026-11-02", 540, 540), ("2026-11-09", 540, 540), ("2026-11-16", 540, 540), ("2026-11-23", 360, 540),
            ("2026-11-30", 540, 540), ("2026-12-07", 540, 540), ("2026-12-14", 180, 540),
        ],
    ]
    /// Fifteen-week totals: Ana 120 h, Minjun 78 h, Sam 102 h.
    static let expectedTotals: [PatientID: Int] = ["pat_ana": 7200, "pat_minjun": 4680, "pat_sam": 6120]

    @Test func weeklyHoursMatchTheHandTable() throws {
        let doc = try AlertsFixture.document()
        let index = ScheduleIndex(doc)
        let series = Dictionary(uniqueKeysWithValues: doc.series.map { ($0.id, $0) })
        for patient in doc.patients {
            let rows = try #require(Self.expectedWeeks[patient.id])
            #expect(rows.count == 15)
            for (i, (start, minutes, required)) in rows.enumerated() {
                let week = AlertsFixture.week(i)
                #expect(week.first == d(start))
                let req = Hours.weeklyRequirement(for: patient, week: week, program: doc.program)
                let progress = Hours.progress(for: patient.id, requirement: req, sessions: index.sessions(in: week), series: series)
                #expect(progress.attendedMinutes == minutes, "\(patient.id) week of \(start)")
                #expect(req.minutes == required, "\(patient.id) week of \(start)")
            }
            #expect(rows.reduce(0) { $0 + $1.1 } == Self.expectedTotals[patient.id])
            let all = DateRange(AlertsFixture.firstWeek, AlertsFixture.week(14).last)
            #expect(Hours.minutesAttended(by: patient.id, in: all, of: doc) == Self.expectedTotals[patient.id])
        }
    }

    /// On Wed 2026-12-16 at noon. Last completed week: 12-07 to 12-13. Policy window (12 weeks): 09-24 to 12-16, so Minjun's
    /// no-show of Wed 09-23 falls outside; last 14 days: 12-03 to 12-16, so his no-show of Tue 12-01 is not reported.
    @Test func theAlertListOnWednesdayDecember16() throws {
        let doc = try AlertsFixture.document()
        let alerts = Alerts.compute(doc, schedule: ScheduleIndex(doc), now: AlertsFixture.now, today: AlertsFixture.today)
        let officer = "needs reporting to Officer R. Castillo (probation)"
        let expected: [Alert] = [
            // Minjun: Tue 12-15 absent, Thu 12-17 left: 0 + 180 < 360. Ana: Mon late 30 → 150; Wed, Thu left: 150 + 360 < 540.
            Alert(kind: .hoursBehind, patient: "pat_minjun", date: d("2026-12-17"), message: "needs 6 h more by Thu; 1 session left — cannot be met", severity: .critical),
            Alert(kind: .hoursBehind, patient: "pat_ana", date: d("2026-12-17"), message: "needs 6.5 h more by Thu; 2 sessions left — cannot be met", severity: .critical),
            // Ana left Wed 12-09 after 120 min: 3 h days are Mon and Thu only.
            Alert(kind: .shortDays, patient: "pat_ana", date: d("2026-12-07"), message: "3 h or more on 2 days of the 3 needed in the week of Mon 2026-12-07", severity: .warning),
            Alert(kind: .shortDays, patient: "pat_ana", date: d("2026-12-07"), message: "under 3 h on Wed 2026-12-09 (2 h) in the week of Mon 2026-12-07", severity: .warning),
            // 12-01, 12-03, 12-08, 12-10, 12-15.
            Alert(kind: .absencePolicy, patient: "pat_minjun", date: d("2026-12-15"), message: "5 unexcused absences in 12 weeks (policy allows 3)", severity: .critical),
            Alert(kind: .consecutiveAbsences, patient: "pat_minjun", session: "ser_b@2026-12-15", date: d("2026-12-15"), message: "5 unexcused absences in a row, the last on Tue 2026-12-15", severity: .critical),
            Alert(kind: .supervisedAbsence, patient: "pat_minjun", session: "ser_b@2026-12-03", date: d("2026-12-03"), message: "unexcused absence on Thu 2026-12-03 \(officer)", severity: .critical),
            Alert(kind: .supervisedAbsence, patient: "pat_minjun", session: "ser_b@2026-12-10", date: d("2026-12-10"), message: "unexcused absence on Thu 2026-12-10 \(officer)", severity: .critical),
            Alert(kind: .supervisedAbsence, patient: "pat_minjun", session: "ser_b@2026-12-08", date: d("2026-12-08"), message: "unexcused absence on Tue 2026-12-08 \(officer)", severity: .critical),
            Alert(kind: .supervisedAbsence, patient: "pat_minjun", session: "ser_b@2026-12-15", date: d("2026-12-15"), message: "unexcused absence on Tue 2026-12-15 \(officer)", severity: .critical),
            Alert(kind: .unsignedNote, patient: "pat_ana", session: "ser_a@2026-12-07", date: d("2026-12-07"), message: "1 member note unsigned for IOP-A on Mon 2026-12-07, over 72 h after it ended", severity: .warning),
            Alert(kind: .planReview, patient: "pat_ana", date: d("2026-12-15"), message: "treatment plan review overdue since Tue 2026-12-15", severity: .critical),
            Alert(kind: .planReview, patient: "pat_sam", date: d("2026-12-23"), message: "treatment plan review due Wed 2026-12-23", severity: .warning),
            // Issue 19: no measure yet, so each was due at admission (Ana and Min-jun 09-01, Sam 09-23): over 7 days ago, overdue.
            Alert(kind: .measureDue, patient: "pat_ana", date: d("2026-09-01"), message: "measures overdue: PHQ-9 (due Tue 2026-09-01), GAD-7 (due Tue 2026-09-01), BAM (due Tue 2026-09-01)", severity: .warning),
            Alert(kind: .measureDue, patient: "pat_minjun", date: d("2026-09-01"), message: "measures overdue: PHQ-9 (due Tue 2026-09-01), GAD-7 (due Tue 2026-09-01), BAM (due Tue 2026-09-01)", severity: .warning),
            Alert(kind: .measureDue, patient: "pat_sam", date: d("2026-09-23"), message: "measures overdue: PHQ-9 (due Wed 2026-09-23), GAD-7 (due Wed 2026-09-23), BAM (due Wed 2026-09-23)", severity: .warning),
            Alert(kind: .consentExpiring, patient: "pat_ana", date: d("2026-11-16"), message: "consent to disclose to County Adult Probation expired on Mon 2026-11-16 (30 days ago)", severity: .critical),
            Alert(kind: .consentExpiring, patient: "pat_sam", date: d("2026-12-30"), message: "consent to disclose to Family: sister expires on Wed 2026-12-30 (in 14 days)", severity: .warning),
            Alert(kind: .noRecentAttendance, patient: "pat_minjun", date: d("2026-11-24"), message: "no session attended in the last 14 days (last on Tue 2026-11-24)", severity: .critical),
            // Issue 19: no one has a signed evaluation. Ana and Minjun were admitted 09-01 (106 days ago), Sam 09-23 (84).
            Alert(kind: .evaluationMissing, patient: "pat_ana", date: d("2026-09-08"), message: "no signed evaluation 106 days after admission", severity: .warning),
            Alert(kind: .evaluationMissing, patient: "pat_minjun", date: d("2026-09-08"), message: "no signed evaluation 106 days after admission", severity: .warning),
            Alert(kind: .evaluationMissing, patient: "pat_sam", date: d("2026-09-30"), message: "no signed evaluation 84 days after admission", severity: .warning),
        ]
        #expect(alerts.count == expected.count)
        for (got, want) in zip(alerts, expected) { #expect(got == want) }
    }

    @Test func olderUnsignedNotesAreLeftToThePatientFlags() throws {
        let doc = try AlertsFixture.document()
        // Ana's notes of 11-02 and 12-07 are overdue; 12-14 ended 39 h ago. Only 12-07 is within the 30-day scan.
        #expect(PatientFlagIndex.build(doc, now: AlertsFixture.now, today: AlertsFixture.today)["pat_ana"]?.unsignedNotes == 2)
        let alerts = Alerts.compute(doc, schedule: ScheduleIndex(doc), now: AlertsFixture.now, today: AlertsFixture.today)
        #expect(alerts.filter { $0.kind == .unsignedNote }.map(\.session) == ["ser_a@2026-12-07"])
    }
}

/// One rule at a time on the small test document (IOP-A Mon/Wed/Thu 18:00–21:00 from Mon 2026-11-02; Phase I 9 h, 3 sessions).
@Suite struct AlertRuleTests {
    let d = TestDocument.date
    let zone = TimeZone(identifier: "America/Chicago") ?? .gmt

    func at(_ date: String, _ time: String) -> Date { Recurrence.instant(d(date), TestDocument.time(time), in: zone) }

    /// The stored IOP-A occurrence on `date` with `marks`.
    func occurrence(_ date: String, _ marks: [(PatientID, AttendanceStatus)]) -> Session {
        var s = Session(id: SessionID("ser_a@\(date)"), occurrenceOf: TestDocument.iopA, on: d(date))
        for (p, m) in marks { s.mark(p, m) }
        return s
    }

    func oneOff(_ id: String, _ date: String, _ start: String, minutes: Int, _ patients: [PatientID]) -> Session {
        Session(id: SessionID(id), date: d(date), start: TestDocument.time(start), durationMinutes: minutes, title: "Individual", kind: .individual, added: patients)
    }

    func alerts(_ doc: CaseloadDocument, today: String, now: Date? = nil, kind: Alert.Kind? = nil, patient: PatientID? = "pat_ana") -> [Alert] {
        let all = Alerts.compute(doc, schedule: ScheduleIndex(doc), now: now ?? at(today, "12:00"), today: d(today))
        return all.filter { (kind == nil || $0.kind == kind) && (patient == nil || $0.patient == patient) }
    }

    func doc(_ sessions: [Session], patients: [Patient]? = nil) -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.sessions = sessions
        if let patients { doc.patients = patients }
        return doc
    }

    // MARK: hoursBehind

    @Test func hoursBehindIsAWarningWhileTheOpenSessionsCanStillMeetIt() {
        // A Tue one-off adds a fourth session: Mon absent, 4 × 180 expected, 540 required; 0 + 540 still possible.
        let base = doc([occurrence("2026-11-02", [("pat_ana", .absent)]), oneOff("ses_tue", "2026-11-03", "18:00", minutes: 180, ["pat_ana"])])
        #expect(alerts(base, today: "2026-11-03", kind: .hoursBehind) == [
            Alert(kind: .hoursBehind, patient: "pat_ana", date: d("2026-11-05"), message: "needs 9 h more by Thu; 3 sessions left", severity: .warning),
        ])
        // Tuesday 30 min late: 150 + 360 < 540.
        var late = base
        late.sessions[1].mark("pat_ana", .late(minutesLate: 30))
        #expect(alerts(late, today: "2026-11-04", kind: .hoursBehind) == [
            Alert(kind: .hoursBehind, patient: "pat_ana", date: d("2026-11-05"), message: "needs 6.5 h more by Thu; 2 sessions left — cannot be met", severity: .critical),
        ])
    }

    @Test func noHoursAlertWhileOnTrackOrMet() {
        #expect(alerts(doc([]), today: "2026-11-02", kind: .hoursBehind).isEmpty)
        let met = doc(["2026-11-02", "2026-11-04", "2026-11-05"].map { occurrence($0, [("pat_ana", .present)]) })
        #expect(alerts(met, today: "2026-11-06", kind: .hoursBehind).isEmpty)
    }

    @Test func withNoSessionLeftTheDeadlineIsTheWeeksLastDay() {
        let sessions = [occurrence("2026-11-02", [("pat_ana", .present)]), occurrence("2026-11-04", [("pat_ana", .present)]),
                        occurrence("2026-11-05", [("pat_ana", .leftEarly(minutesAttended: 150))])]
        #expect(alerts(doc(sessions), today: "2026-11-06", kind: .hoursBehind) == [
            Alert(kind: .hoursBehind, patient: "pat_ana", date: d("2026-11-08"), message: "needs 30 min more by Sun; no sessions left — cannot be met", severity: .critical),
        ])
    }

    @Test func onlyActivePatientsGetHoursAlerts() {
        var ana = TestDocument.ana
        ana.status = .onHold
        let sessions = [occurrence("2026-11-02", [("pat_ana", .absent)])]
        #expect(alerts(doc(sessions), today: "2026-11-03", kind: .hoursBehind).count == 1)
        #expect(alerts(doc(sessions, patients: [ana]), today: "2026-11-03", kind: .hoursBehind).isEmpty)
    }

    // MARK: shortDays

    @Test func aDayOfExactlyThreeHoursAcrossTwoSessionsQualifies() {
        // Last completed week 11-02..11-08, judged on Tue 11-10. Wed: 120 min of group + 60 min individual = 180.
        let sessions = [occurrence("2026-11-02", [("pat_ana", .present)]), occurrence("2026-11-04", [("pat_ana", .leftEarly(minutesAttended: 120))]),
                        oneOff("ses_ind", "2026-11-04", "14:00", minutes: 60, ["pat_ana"]), occurrence("2026-11-05", [("pat_ana", .present)])]
        var withMark = doc(sessions)
        withMark.sessions[2].mark("pat_ana", .present)
        #expect(alerts(withMark, today: "2026-11-10", kind: .shortDays).isEmpty)
        // One minute less that day: a short day, and only two 3 h days.
        withMark.sessions[2].mark("pat_ana", .leftEarly(minutesAttended: 59))
        #expect(alerts(withMark, today: "2026-11-10", kind: .shortDays).map(\.message) == [
            "3 h or more on 2 days of the 3 needed in the week of Mon 2026-11-02",
            "under 3 h on Wed 2026-11-04 (2 h 59 min) in the week of Mon 2026-11-02",
        ])
    }

    @Test func theDayCountIsOnlyJudgedInWeeksRequiringNineHours() {
        // Admitted Fri 11-06: 3/7 of 540 = 231 required that week, so two days short are not an H0015 day-count alert.
        var ana = TestDocument.ana
        ana.admissionDate = d("2026-11-06")
        ana.careHistory = [CareEntry(date: d("2026-11-06"), levelOfCare: .intensiveOutpatient, phase: "p1")]
        let sessions = [oneOff("ses_sat", "2026-11-07", "09:00", minutes: 120, ["pat_ana"])]
        var document = doc(sessions, patients: [ana])
        document.sessions[0].mark("pat_ana", .present)
        #expect(alerts(document, today: "2026-11-10", kind: .shortDays).map(\.message) == [
            "under 3 h on Sat 2026-11-07 (2 h) in the week of Mon 2026-11-02",
        ])
        // The current week is never judged: the same short day this week gives nothing.
        #expect(alerts(document, today: "2026-11-08", kind: .shortDays).isEmpty)
    }

    // MARK: absencePolicy, consecutiveAbsences, supervisedAbsence

    /// Judged on Wed 2027-01-27: the 12-week window starts Thu 2026-11-05 (today − 83 days).
    func absences(_ dates: [String]) -> CaseloadDocument {
        doc(dates.map { occurrence($0, [("pat_ana", .absent)]) })
    }

    @Test func moreUnexcusedAbsencesThanAllowedInTheWindowIsCritical() {
        let six = ["2026-11-04", "2026-11-05", "2026-11-09", "2026-11-11", "2026-11-12", "2026-11-16", "2026-11-18"]
        // 11-04 is outside the window: six inside, six allowed.
        #expect(alerts(absences(six), today: "2027-01-27", kind: .absencePolicy).isEmpty)
        #expect(alerts(absences(six + ["2026-11-19"]), today: "2027-01-27", kind: .absencePolicy) == [
            Alert(kind: .absencePolicy, patient: "pat_ana", date: d("2026-11-19"), message: "7 unexcused absences in 12 weeks (policy allows 6)", severity: .critical),
        ])
        // Excused absences do not count.
        var excused = absences(six)
        excused.sessions.append(occurrence("2026-11-19", [("pat_ana", .excused(reason: "court date"))]))
        #expect(alerts(excused, today: "2027-01-27", kind: .absencePolicy).isEmpty)
    }

    @Test func threeNoShowsInARowAreCriticalAndContactBreaksTheRun() {
        let run = [occurrence("2026-11-02", [("pat_ana", .absent)]), occurrence("2026-11-04", [("pat_ana", .absent)]), occurrence("2026-11-05", [("pat_ana", .absent)])]
        // Mon 11-09 is not marked yet: skipped, the run stands.
        #expect(alerts(doc(run), today: "2026-11-10", kind: .consecutiveAbsences) == [
            Alert(kind: .consecutiveAbsences, patient: "pat_ana", session: "ser_a@2026-11-05", date: d("2026-11-05"), message: "3 unexcused absences in a row, the last on Thu 2026-11-05", severity: .critical),
        ])
        var excused = run
        excused[1].mark("pat_ana", .excused(reason: "called: sick"))
        #expect(alerts(doc(excused), today: "2026-11-10", kind: .consecutiveAbsences).isEmpty)
        var attended = run
        attended[0].mark("pat_ana", .present)
        #expect(alerts(doc(attended), today: "2026-11-10", kind: .consecutiveAbsences).isEmpty)
    }

    @Test func supervisedNoShowsOfTheLast14DaysNeedReporting() {
        var ana = TestDocument.ana
        ana.legal = LegalSupervision(kind: .drugCourt, officer: "Judge Example", contact: "555-0101", reportingFrequency: "weekly")
        // Today Wed 11-18: the last 14 days are 11-05..11-18; Wed 11-04 is one day too old.
        let sessions = [occurrence("2026-11-04", [("pat_ana", .absent)]), occurrence("2026-11-05", [("pat_ana", .absent)]),
                        occurrence("2026-11-09", [("pat_ana", .excused(reason: "sick"))]), occurrence("2026-11-11", [("pat_ana", .present)])]
        #expect(alerts(doc(sessions, patients: [ana]), today: "2026-11-18", kind: .supervisedAbsence) == [
            Alert(kind: .supervisedAbsence, patient: "pat_ana", session: "ser_a@2026-11-05", date: d("2026-11-05"),
                  message: "unexcused absence on Thu 2026-11-05 needs reporting to Judge Example (drug court)", severity: .critical),
        ])
        #expect(alerts(doc(sessions), today: "2026-11-18", kind: .supervisedAbsence).isEmpty)
    }

    // MARK: unsignedNote

    @Test func seventyTwoHoursAreRealHoursAcrossTheFallBack() throws {
        // Thu 2026-10-29 18:00–21:00 CDT; clocks fall back on Sun 11-01, so 72 h later is Sun 20:00 CST, not 21:00.
        var s = oneOff("ses_thu", "2026-10-29", "18:00", minutes: 180, ["pat_ana"])
        try s.setMemberNote(MemberNote(patient: "pat_ana", format: .dap))
        let document = doc([s])
        #expect(alerts(document, today: "2026-11-01", now: at("2026-11-01", "20:00"), kind: .unsignedNote).isEmpty)
        #expect(alerts(document, today: "2026-11-01", now: at("2026-11-01", "20:01"), kind: .unsignedNote) == [
            Alert(kind: .unsignedNote, patient: "pat_ana", session: "ses_thu", date: d("2026-10-29"),
                  message: "1 member note unsigned for Individual on Thu 2026-10-29, over 72 h after it ended", severity: .warning),
        ])
    }

    @Test func theNoteScanCoversThirtyDaysAndAGroupNoteNamesNoPatient() throws {
        var old = occurrence("2026-11-02", [("pat_ana", .present)])
        try old.setGroupNote(GroupNote(topic: "Triggers", narrative: "Mapped triggers."))
        try old.setMemberNote(MemberNote(patient: "pat_ana", format: .dap))
        // 2026-12-01 is 29 days after 11-02: still scanned; 12-02 is 30 days after: left to PatientFlagIndex.
        #expect(alerts(doc([old]), today: "2026-12-01", kind: .unsignedNote, patient: nil) == [
            Alert(kind: .unsignedNote, session: "ser_a@2026-11-02", date: d("2026-11-02"),
                  message: "group note and 1 member note unsigned for IOP-A on Mon 2026-11-02, over 72 h after it ended", severity: .warning),
        ])
        #expect(alerts(doc([old]), today: "2026-12-02", kind: .unsignedNote, patient: nil).isEmpty)
    }

    // MARK: planReview

    @Test func planReviewIsCriticalWhenPastAndAWarningUpToSevenDaysAhead() {
        func review(_ date: String, status: PatientStatus = .active) -> [Alert] {
            var ana = TestDocument.ana
            ana.status = status
            ana.treatmentPlan = TreatmentPlan(created: d("2026-11-02"), reviewDate: d(date), problems: [])
            return alerts(doc([], patients: [ana]), today: "2026-11-10", kind: .planReview)
        }
        #expect(review("2026-11-09").map(\.severity) == [.critical])
        #expect(review("2026-11-09").map(\.message) == ["treatment plan review overdue since Mon 2026-11-09"])
        #expect(review("2026-11-10").map(\.message) == ["treatment plan review due today"])
        #expect(review("2026-11-17").map(\.message) == ["treatment plan review due Tue 2026-11-17"])
        #expect(review("2026-11-17").map(\.severity) == [.warning])
        #expect(review("2026-11-18").isEmpty)
        #expect(review("2026-11-09", status: .discharged(date: d("2026-11-09"), reason: .completed)).isEmpty)
    }

    // MARK: consentExpiring

    @Test func consentsExpiringWithin14DaysWarnAndThoseExpiredWithin30AreCritical() {
        func consent(expires: String, revoked: String? = nil) -> [Alert] {
            var ana = TestDocument.ana
            ana.consents = [Consent(id: "con_1", recipient: "Probation", purpose: "reporting", information: "attendance",
                                    signed: d("2026-09-01"), expires: d(expires), revoked: revoked.map { d($0) })]
            return alerts(doc([], patients: [ana]), today: "2026-11-10", kind: .consentExpiring)
        }
        #expect(consent(expires: "2026-11-24") == [Alert(kind: .consentExpiring, patient: "pat_ana", date: d("2026-11-24"),
                                                         message: "consent to disclose to Probation expires on Tue 2026-11-24 (in 14 days)", severity: .warning)])
        #expect(consent(expires: "2026-11-25").isEmpty)
        #expect(consent(expires: "2026-11-10").map(\.message) == ["consent to disclose to Probation expires today"])
        #expect(consent(expires: "2026-11-09").map(\.message) == ["consent to disclose to Probation expired on Mon 2026-11-09 (1 day ago)"])
        #expect(consent(expires: "2026-10-11").map(\.severity) == [.critical])
        #expect(consent(expires: "2026-10-10").isEmpty)
        #expect(consent(expires: "2026-11-09", revoked: "2026-10-01").isEmpty)
    }

    // MARK: noRecentAttendance

    @Test func noAttendanceIn14DaysAfterTwoWeeksInCareIsCritical() {
        func check(admitted: String, attended: [String]) -> [Alert] {
            var ana = TestDocument.ana
            ana.admissionDate = d(admitted)
            ana.careHistory = [CareEntry(date: d(admitted), levelOfCare: .intensiveOutpatient, phase: "p1")]
            let sessions = attended.map { occurrence($0, [("pat_ana", .present)]) }
            return alerts(doc(sessions, patients: [ana]), today: "2026-11-19", kind: .noRecentAttendance)
        }
        // Today Thu 11-19: the last 14 days are 11-06..11-19.
        #expect(check(admitted: "2026-11-05", attended: []).isEmpty)  // admitted 14 days ago: not more than 14
        #expect(check(admitted: "2026-11-04", attended: []) == [
            Alert(kind: .noRecentAttendance, patient: "pat_ana", message: "no session attended in the last 14 days", severity: .critical),
        ])
        #expect(check(admitted: "2026-11-02", attended: ["2026-11-09"]).isEmpty)
        #expect(check(admitted: "2026-11-02", attended: ["2026-11-05"]) == [
            Alert(kind: .noRecentAttendance, patient: "pat_ana", date: d("2026-11-05"),
                  message: "no session attended in the last 14 days (last on Thu 2026-11-05)", severity: .critical),
        ])
    }
}
