import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Finding 6 of issue 12: the session form's hint suggested a patient's name in the title ("Individual · Ana"), and
/// titles reach the Week grid, reports and (for groups) the shared calendar export. A title that names a patient is now
/// asked about before it is saved; the user may keep it (a group's name can share a word with a patient's).
@Suite struct SessionTitlePrivacyTests {
    /// The empty calendar of the scheduling tests, with a synthetic patient whose name is nobody else's.
    static func state() -> AppState {
        var doc = WeekSchedulingTests.emptyCalendar()
        doc.patients.append(Patient(id: "pat_odalys", mrn: "T-900", legalName: "Odalys Quintero", admissionDate: LocalDate(iso: "2026-11-02")))
        return WeekSchedulingTests.state(doc)
    }

    @Test func theHintNoLongerSuggestsAName() throws {
        var state = Self.state()
        state.press(.char("n"))
        let field = try #require(state.forms.last?.form.fields.first { $0.id == "title" })
        let hint = try #require(field.hint)
        #expect(!hint.contains("·"), "\(hint)")
        #expect(!hint.contains("Ana"))
    }

    @Test func aTitleNamingAPatientIsAskedAboutAndNothingIsSavedUntilKept() throws {
        var state = Self.state()
        _ = WeekSchedulingTests.scheduleGroup(&state, title: "Individual · Odalys", patients: 1)
        guard case .choice(let dialog, .titleNamesPatient)? = state.modal else {
            Issue.record("expected the privacy question, got \(String(describing: state.modal))")
            return
        }
        #expect(dialog.lines.joined().contains("The title names Odalys Quintero"))
        #expect(state.document.series.isEmpty && !state.forms.isEmpty, "nothing saved, the form still open")
        state.press(.char("b"))
        #expect(state.modal == nil && state.document.series.isEmpty)
        #expect(state.forms.last?.form.focusedField?.id == "title", "back at the title to change it")
        state.press(.ctrl("s"))
        state.press(.char("k"))
        #expect(state.document.series.map(\.title) == ["Individual · Odalys"], "keeping it is the user's call")
        #expect(state.forms.isEmpty)
    }

    @Test func aTitleWithoutANameSavesStraightAway() {
        var state = Self.state()
        _ = WeekSchedulingTests.scheduleGroup(&state, title: "Individual session", patients: 1)
        #expect(state.modal == nil)
        #expect(state.document.series.map(\.title) == ["Individual session"])
    }
}
