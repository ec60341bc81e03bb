import CaseloadCore
import CaseloadUI
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
}
