import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The new-session form follows what is chosen: an individual session is a one-off of a typical length with the patient
/// selected in the Patients pane, fields that do not apply are not in the way, and someone must lead it.
@Suite struct NewSessionFormTests {
    /// The empty calendar, a patient selected in the Patients pane, the Week focused at Monday 18:00.
    static func state(login: Bool = false) throws -> (AppState, Patient) {
        var state = WeekSchedulingTests.state()
        if login { state.login = state.document.staff[1].login }
        let patient = try #require(state.document.patients.first { $0.status == .active })
        state.focus = .patients
        showInList(&state, patient.id)
        state.press(.char("2"))
        return (state, patient)
    }

    @Test func choosingIndividualMakesAOneOffOfAnHourWithTheSelectedPatient() throws {
        var (state, patient) = try Self.state()
        state.press(.char("n"))
        state.type("Individual session")
        state.press(.tab)
        #expect(state.forms.last?.form.focusedField?.id == "kind")
        #expect(state.forms.last?.form.index(of: "days") != nil, "a new group repeats weekly by default")
        state.type("i")
        let form = try #require(state.forms.last?.form)
        #expect(form.text("kind") == "individual")
        #expect(form.text("repeat") == "does not repeat")
        #expect(form.text("duration") == TimeInput.durationText(60))
        #expect(form.listItems("roster") == ["\(patient.displayName) · \(patient.mrn)"])
        #expect(state.message?.text.contains(patient.displayName) == true, "says who was put on the roster")
        for id in ["days", "until", "weeks"] { #expect(form.index(of: id) == nil, "\(id) does not apply to a one-off") }
        #expect(form.fields.first { $0.id == "date" }?.label == "Date")
        // Tab goes from Repeats straight to the roster.
        WeekSchedulingTests.focus(&state, "repeat")
        state.press(.tab)
        #expect(state.forms.last?.form.focusedField?.id == "roster")
        // Saving without a facilitator is refused, naming the field.
        state.press(.ctrl("s"))
        #expect(state.forms.last?.form.focusedField?.id == "facilitator")
        #expect(state.message?.text.contains("Facilitator") == true, "\(state.message?.text ?? "")")
        #expect(state.document.sessions.isEmpty)
        state.type("m")                              // Marcus Bell, by the start of his name
        #expect(state.forms.last?.form.text("facilitator").hasPrefix("Marcus Bell") == true)
        state.press(.ctrl("s"))
        #expect(state.forms.isEmpty, "\(state.message?.text ?? "")")
        let session = try #require(state.document.sessions.first)
        #expect(session.series == nil)
        #expect(session.kind == .individual)
        #expect(session.durationMinutes == 60)
        #expect(session.added == [patient.id])
        #expect(session.facilitator == state.document.staff[1].id)
        #expect(state.document.series.isEmpty)
    }

    @Test func backToGroupRepeatsWeeklyOnTheDatesWeekdayForThreeHours() throws {
        var (state, _) = try Self.state()
        state.press(.char("n"), .tab)
        state.type("i")
        state.type("g")
        let form = try #require(state.forms.last?.form)
        #expect(form.text("kind") == "group")
        #expect(form.text("repeat") == "weekly")
        #expect(form.text("duration") == TimeInput.durationText(180))
        #expect(form.text("days") == TimeInput.weekdaysText([.mon]), "the cursor's Monday")
        #expect(form.fields.first { $0.id == "date" }?.label == "Date (first)")
    }

    @Test func theSignedInStaffMemberLeadsANewSessionByDefault() throws {
        var (state, _) = try Self.state(login: true)
        state.press(.char("n"))
        let form = try #require(state.forms.last?.form)
        #expect(form.choiceIndex("facilitator") == 2, "staff[1], after \"none\"")
    }
}
