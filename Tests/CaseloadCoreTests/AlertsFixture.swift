import CaseloadCore
import Foundation

/// Fifteen weeks (Mon 2026-09-07 to Sun 2026-12-20) of an evening IOP for three synthetic patients, written as roll calls.
///
/// - IOP-A: Mon/Wed/Thu 18:00–21:00; IOP-B: Tue/Thu 18:00–21:00 from Thu 2026-10-15 (Phase II).
/// - Cancelled: IOP-A Mon 2026-09-07 (Labor Day); IOP-A and IOP-B Thu 2026-11-26 (Thanksgiving).
/// - The week of Mon 2026-10-26 ends on Sun 2026-11-01, the day America/Chicago falls back from CDT to CST.
/// - Ana: Phase I throughout. Minjun: on probation; Phase I, then Phase II from Thu 2026-10-15 (leaves IOP-A, joins IOP-B).
///   Sam: admitted Wed 2026-09-23 into Phase I.
///
/// Each week's code lists the patient's sessions that week in schedule order: P present, L 30 min late, H left after
/// 120 min, E excused, A absent (no-show), x cancelled (no mark), - not marked yet.
enum AlertsFixture {
    struct FixtureError: Error, CustomStringConvertible { var description: String }

    static let d = TestDocument.date
    static let firstWeek = d("2026-09-07")
    static let today = d("2026-12-16")
    static let zone = TimeZone(identifier: "America/Chicago") ?? .gmt
    /// Wed 2026-12-16 12:00 in Chicago.
    static var now: Date { Recurrence.instant(today, TestDocument.time("12:00"), in: zone) }

    static let program: Program = {
        var p = TestDocument.program
        p.attendancePolicy = AttendancePolicy(unexcusedAbsencesAllowed: 3, windowWeeks: 12, consecutiveAbsencesAlert: 3)
        return p
    }()

    static let ana = Patient(
        id: "pat_ana", mrn: "F-001", legalName: "Ana Prueba", admissionDate: d("2026-09-01"),
        careHistory: [CareEntry(date: d("2026-09-01"), levelOfCare: .intensiveOutpatient, phase: "p1")],
        consents: [Consent(id: "con_ana", recipient: "County Adult Probation", purpose: "coordination", information: "attendance",
                           signed: d("2026-09-01"), expires: d("2026-11-16"))],
        treatmentPlan: TreatmentPlan(created: d("2026-09-01"), reviewDate: d("2026-12-15"), problems: [])
    )
    static let minjun = Patient(
        id: "pat_minjun", mrn: "F-002", legalName: "Minjun Test", admissionDate: d("2026-09-01"),
        careHistory: [CareEntry(date: d("2026-09-01"), levelOfCare: .intensiveOutpatient, phase: "p1"),
                      CareEntry(date: d("2026-10-15"), levelOfCare: .intensiveOutpatient, phase: "p2")],
        consents: [Consent(id: "con_minjun", recipient: "Employer", purpose: "return to work", information: "attendance",
                           signed: d("2026-09-01"), expires: d("2026-11-15"))],
        legal: LegalSupervision(kind: .probation, officer: "Officer R. Castillo", contact: "555-0100", reportingFrequency: "weekly"),
        treatmentPlan: TreatmentPlan(created: d("2026-09-01"), reviewDate: d("2027-01-15"), problems: [])
    )
    static let sam = Patient(
        id: "pat_sam", mrn: "F-003", legalName: "Sam Sample", admissionDate: d("2026-09-23"),
        careHistory: [CareEntry(date: d("2026-09-23"), levelOfCare: .intensiveOutpatient, phase: "p1")],
        consents: [Consent(id: "con_sam", recipient: "Family: sister", purpose: "family sessions", information: "attendance",
                           signed: d("2026-09-23"), expires: d("2026-12-30"))],
        treatmentPlan: TreatmentPlan(created: d("2026-09-23"), reviewDate: d("2026-12-23"), problems: [])
    )

    static let iopA = Series(
        id: "ser_a", title: "IOP-A", kind: .group, modality: .process, facilitator: "st_dana", room: "r2",
        weekdays: [.mon, .wed, .thu], start: TestDocument.time("18:00"), durationMinutes: 180, startDate: d("2026-09-01"),
        roster: [RosterEntry(patient: "pat_ana", joined: d("2026-09-01")),
                 RosterEntry(patient: "pat_minjun", joined: d("2026-09-01"), left: d("2026-10-15")),
                 RosterEntry(patient: "pat_sam", joined: d("2026-09-23"))]
    )
    static let iopB = Series(
        id: "ser_b", title: "IOP-B", kind: .group, modality: .relapsePrevention, facilitator: "st_dana", room: "r1",
        weekdays: [.tue, .thu], start: TestDocument.time("18:00"), durationMinutes: 180, startDate: d("2026-10-15"),
        roster: [RosterEntry(patient: "pat_minjun", joined: d("2026-10-15"))]
    )

    /// Roll calls, one code per week from Mon 2026-09-07.
    static let rolls: [(PatientID, [String])] = [
        ("pat_ana", ["xPP", "PPP", "PLP", "PPP", "PPP", "PHP", "PPP", "PPP", "PPP", "PPP", "PPP", "PPx", "PPP", "PHP", "L--"]),
        ("pat_minjun", ["xPP", "PPP", "PAP", "PPP", "PPP", "PPP", "PP", "PP", "PE", "PP", "PP", "Px", "AA", "AA", "A-"]),
        ("pat_sam", ["", "", "PP", "PPP", "PPP", "PPP", "PPP", "PEP", "PPP", "PPP", "PPP", "PPx", "PPP", "PPP", "P--"]),
    ]

    static func week(_ i: Int) -> DateRange {
        let start = firstWeek.adding(days: 7 * i)
        return DateRange(start, start.adding(days: 6))
    }

    static func document() throws -> CaseloadDocument {
        var cancelled: [Session] = []
        for (series, date) in [(iopA, "2026-09-07"), (iopA, "2026-11-26"), (iopB, "2026-11-26")] {
            var s = Session(id: SessionID("\(series.id)@\(date)"), occurrenceOf: series, on: d(date))
            s.status = .cancelled(reason: "holiday")
            cancelled.append(s)
        }
        var doc = CaseloadDocument(program: program, staff: [TestDocument.dana], patients: [ana, minjun, sam], series: [iopA, iopB], sessions: cancelled)
        let index = ScheduleIndex(doc)
        var stored = Dictionary(uniqueKeysWithValues: doc.sessions.map { ($0.id, $0) })
        var order = doc.sessions.map(\.id)
        for (patient, codes) in rolls {
            for (i, code) in codes.enumerated() {
                let mine = index.sessions(in: week(i)).filter {
                    $0.session.members(series: $0.session.series.flatMap { index.series($0) }).contains(patient)
                }
                guard mine.count == code.count else {
                    throw FixtureError(description: "\(patient) week \(week(i).first): \(mine.count) sessions, code \(code)")
                }
                for (item, c) in zip(mine, code) {
                    let status: AttendanceStatus
                    switch c {
                    case "P": status = .present
                    case "L": status = .late(minutesLate: 30)
                    case "H": status = .leftEarly(minutesAttended: 120)
                    case "E": status = .excused(reason: "called ahead: sick")
                    case "A": status = .absent
                    case "x":
                        guard !item.session.status.countsForAttendance else { throw FixtureError(description: "\(item.session.id) is not cancelled") }
                        continue
                    default: continue
                    }
                    var s = stored[item.session.id] ?? item.session
                    s.mark(patient, status)
                    if stored[s.id] == nil { order.append(s.id) }
                    stored[s.id] = s
                }
            }
        }
        // Notes: Ana's on Mon 12-07 unsigned (overdue), on Mon 11-02 unsigned (overdue, older than the 30-day scan),
        // on Mon 12-14 unsigned (not 72 h yet); Sam's on Mon 12-07 signed.
        let draft = { (p: PatientID) in MemberNote(patient: p, format: .dap, sections: [NoteSection(heading: "Data", text: "Attended.")]) }
        for date in ["2026-12-07", "2026-11-02", "2026-12-14"] {
            let id = SessionID("ser_a@\(date)")
            guard var s = stored[id] else { throw FixtureError(description: "no stored \(id)") }
            try s.setMemberNote(draft("pat_ana"))
            stored[id] = s
        }
        guard var dec7 = stored["ser_a@2026-12-07"] else { throw FixtureError(description: "no stored 12-07") }
        try dec7.setMemberNote(draft("pat_sam"))
        try dec7.signMemberNote(for: "pat_sam", Signature(by: "st_dana", at: TestDocument.at("2026-12-08T04:00:00Z")))
        stored["ser_a@2026-12-07"] = dec7
        doc.sessions = order.compactMap { stored[$0] }
        return doc
    }
}
