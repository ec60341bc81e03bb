import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Whole screens as text, compared with checked-in files. Set UPDATE_SNAPSHOTS=1 to rewrite them after a deliberate change.
@Suite struct SnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    func check(_ state: AppState, _ name: String) throws {
        let actual = render(state).text + "\n"
        let url = Self.folder.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "screen \(name) differs; the new one is:\n\(actual)")
    }

    @Test func smallDemoAt80x24() throws {
        try check(UIFixtures.state(width: 80, height: 24), "demo-80x24")
    }

    @Test func smallDemoAt120x40() throws {
        try check(UIFixtures.state(width: 120, height: 40), "demo-120x40")
    }

    @Test func focusedPaneAloneAt60x20() throws {
        var state = UIFixtures.state(width: 60, height: 20)
        state.focus = .patients
        try check(state, "patients-60x20")
    }

    @Test func tooSmallScreen() throws {
        try check(UIFixtures.state(width: 19, height: 5), "too-small-19x5")
    }

    @Test func helpOverlay() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.overlay = .help(scroll: 0)
        try check(state, "help-80x24")
    }

    /// The Patients pane in front, at both sizes: columns shrink at 80 columns.
    @Test(arguments: [(80, 24), (120, 40)])
    func patientList(size: (Int, Int)) throws {
        var state = UIFixtures.state(width: size.0, height: size.1)
        state.focus = .patients
        try check(state, "patients-\(size.0)x\(size.1)")
    }

    /// A filtered list in the single-pane layout, where every column fits.
    @Test func filteredPatientListAlone() throws {
        var state = UIFixtures.state(width: 78, height: 20)
        state.focus = .patients
        state.press(.char("/"))
        state.type("an")
        try check(state, "patients-filtered-78x20")
    }

    /// A full record: the first demo patient with probation, medications, consents and a plan.
    @Test(arguments: [(80, 24), (120, 40)])
    func patientRecord(size: (Int, Int)) throws {
        var state = UIFixtures.state(width: size.0, height: size.1)
        let patient = try #require(state.document.patients.first { $0.legal != nil && !$0.consents.isEmpty && $0.treatmentPlan != nil && !$0.medications.isEmpty })
        state.focus = .patients
        showInList(&state, patient.id)
        state.press(.enter)
        try check(state, "record-\(size.0)x\(size.1)")
        if size.1 == 40 {
            state.press(.tab, .tab, .tab, .tab, .tab)
            try check(state, "record-\(size.0)x\(size.1)-scrolled")
        }
    }

    @Test func newPatientForm() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.focus = .patients
        state.press(.char("n"))
        state.type("Zoë Ångström-Nakamura")
        state.press(.tab)
        try check(state, "new-patient-80x24")
    }
}
