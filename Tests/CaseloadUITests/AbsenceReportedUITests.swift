import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// `r` in the alerts overlay: a probation patient's unexcused absence is marked reported with a note, and leaves the list.
@Suite struct AbsenceReportedUITests {
    /// The demo with one recent stored session's first member put on probation and marked absent (unexcused).
    static func state() throws -> (AppState, PatientID, SessionID) {
        var doc = UIFixtures.demo
        let today = UIFixtures.state().today
        let schedule = ScheduleIndex(doc)
        let recent = doc.sessions.indices.filter { i in
            let s = doc.sessions[i]
            return s.date < today && s.date >= today.adding(days: -10) && s.status.countsForAttendance
                && !s.members(series: s.series.flatMap { schedule.series($0) }).isEmpty
        }
        let i = try #require(recent.last)
        let s = doc.sessions[i]
        let patient = try #require(s.members(series: s.series.flatMap { schedule.series($0) }).first)
        doc.sessions[i].mark(patient, .absent)
        let p = try #require(doc.patients.firstIndex { $0.id == patient })
        doc.patients[p].legal = LegalSupervision(kind: .probation, officer: "Officer Lane Ito", contact: "555-0142", reportingFrequency: "weekly")
        doc.patients[p].status = .active
        var state = UIFixtures.state(document: doc)
        state.login = doc.staff.first?.login
        return (state, patient, s.id)
    }

    static func selectAbsence(_ state: inout AppState, _ session: SessionID) throws {
        state.press(.char("!"))
        let index = try #require(state.alerts.firstIndex { $0.kind == .supervisedAbsence && $0.session == session })
        state.press(.char("g"))
        for _ in 0..<index { state.press(.char("j")) }
        #expect(state.alertsView?.selected == index)
    }

    @Test func rAsksHowItWasReportedKeepsTheNoteAndTheAlertLeaves() throws {
        var (state, patient, session) = try Self.state()
        try Self.selectAbsence(&state, session)
        state.press(.char("r"))
        guard case .prompt(_, .absenceReported(patient, session, _))? = state.modal else { Issue.record("no prompt: \(String(describing: state.modal))"); return }
        #expect(render(state).text.contains("How was it reported to Officer Lane Ito?"))
        state.press(.enter)
        #expect(state.modal != nil, "a blank note is refused")
        state.type("Phoned Officer Ito, left a voicemail")
        state.press(.enter)
        #expect(state.modal == nil)
        let kept = try #require(state.document.patient(patient)?.reportedAbsences.last)
        #expect(kept.session == session && kept.note == "Phoned Officer Ito, left a voicemail" && kept.reportedOn == state.today)
        #expect(kept.by == state.document.staff.first?.id)
        #expect(!state.alerts.contains { $0.kind == .supervisedAbsence && $0.session == session }, "the alert leaves the list")
        #expect(state.alertsView != nil, "the overlay stays open on the next alert")
        // The Record's Legal section lists it.
        let person = try #require(state.document.patient(patient))
        let lines = recordLines(for: person, in: state.document, today: state.today, width: 76).map { $0.segments.map(\.text).joined() }
        let legal = try #require(lines.firstIndex(of: "Legal"))
        let section = lines[legal...].prefix { $0 != "Diagnoses" }.joined(separator: "\n")
        #expect(section.contains("Absences reported"))
        #expect(section.contains("\(kept.date.iso) · reported \(state.today.iso)"))
        #expect(section.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("Phoned Officer Ito, left a voicemail"))
        state.press(.escape)
        state.press(.char("u"))
        state.press(.char("!"))
        #expect(state.alerts.contains { $0.kind == .supervisedAbsence && $0.session == session }, "undo brings the alert back")
    }

    @Test func rOnAnotherKindOfAlertSaysWhatItIsFor() throws {
        var (state, _, _) = try Self.state()
        state.press(.char("!"))
        let other = try #require(state.alerts.firstIndex { $0.kind != .supervisedAbsence })
        state.press(.char("g"))
        for _ in 0..<other { state.press(.char("j")) }
        state.press(.char("r"))
        #expect(state.modal == nil)
        #expect(state.message?.text.contains("r marks a probation or drug-court absence reported") == true)
    }

    @Test func readOnlyCannotMarkReported() throws {
        var (state, _, session) = try Self.state()
        state.readOnlyReason = "another Caseload has it open"
        try Self.selectAbsence(&state, session)
        state.press(.char("r"))
        #expect(state.modal == nil)
        #expect(state.message?.isError == true)
    }
}
