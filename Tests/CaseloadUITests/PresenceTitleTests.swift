import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Who else has the document open, in the title bar (issue 18).
@Suite struct PresenceTitleTests {
    private func titleRow(width: Int, height: Int = 24, others: [String], programName: String? = nil) -> String {
        var document = UIFixtures.demo
        if let programName { document.program.name = programName }
        var state = UIFixtures.state(width: width, height: height, document: document)
        _ = update(&state, .presence(others))
        return render(state).lines[0]
    }

    @Test func staffAreNamedShortlyOthersByLoginAndTwoInstancesCountOnce() {
        var state = UIFixtures.state()
        // The small demo's staff: mbell is Marcus Bell, pnatarajan Priya Natarajan; tferreira is no staff member there.
        _ = update(&state, .presence(["tferreira", "pnatarajan", "mbell", "mbell", #"visitor\u{1B}"#]))
        #expect(state.othersPresent == ["M. Bell ×2", "P. Natarajan", "tferreira", #"visitor\u{1B}"#])
        _ = update(&state, .presence([]))
        #expect(state.othersPresent.isEmpty)
    }

    // ⚠ 106: the demo's 46 alerts and, since issue 19, a "no signed evaluation" and a "measures overdue" alert for each of its 30 active patients.
    @Test func at120ColumnsTheNamesTakeThePlaceOfTheWeek() {
        let row = titleRow(width: 120, height: 40, others: ["mbell", "pnatarajan"])
        // 34 cells of program, the names (35 cells) ending where the file name starts (cell 87), then file and save state
        // as before; the week would need cells 45–75.
        let expected = " Caseload · Riverside Recovery IOP" + String(repeating: " ", count: 18)
            + "also open: M. Bell, P. Natarajan · demo.json · ⚠ 49 · saved 0 s ago"
        #expect(row == expected)
    }

    @Test func at80ColumnsACountFitsBetweenTheProgramAndTheFile() {
        let row = titleRow(width: 80, others: ["mbell", "tferreira"])
        let expected = " Caseload · Riverside Recovery IOP   +2 open · demo.json · ⚠ 49 · saved 0 s ago"
        #expect(row == expected)
    }

    @Test func withNoOneElseTheTitleBarIsAsBefore() {
        #expect(titleRow(width: 120, height: 40, others: []).contains("Week 49 · Nov 30 – Dec 6 2026"))
        #expect(titleRow(width: 80, others: []) == " Caseload · Riverside Recovery IOP             demo.json · ⚠ 49 · saved 0 s ago")
    }

    @Test func thePresenceIsCutFirstAtEveryWidth() {
        let names = ["mbell", "tferreira", "pnatarajan", "gokonkwo"]
        for programName in ["Riverside Recovery IOP", "The Very Long Name Of A Regional Intensive Outpatient Program"] {
            for width in 60...140 {
                let alone = titleRow(width: width, height: 30, others: [], programName: programName)
                let shared = titleRow(width: width, height: 30, others: names, programName: programName)
                // The program's name as drawn alone (up to the first gap), and everything from the file name (or the
                // save state) on, are drawn the same with others present; only the gap between them and the week differ.
                let program = alone.range(of: "  ").map { String(alone[..<$0.lowerBound]) } ?? alone
                #expect(shared.hasPrefix(program), "width \(width): \(shared)")
                let tail = alone.range(of: "demo.json").map { String(alone[$0.lowerBound...]) } ?? "saved 0 s ago"
                #expect(shared.hasSuffix(tail), "width \(width): \(shared)")
            }
        }
    }
}
