import CaseloadCore
import CaseloadStore
import CaseloadUI
import Foundation
import Testing
@testable import caseload

/// The runner's presence (issue 18): joined on the first pass, the others sent as `.presence` only when they change, and
/// left on quit.
extension EffectRunnerTests {
    @Test func theOthersAreSentWhenTheyChangeAndOnlyThenAndLeavingRemovesTheRecord() throws {
        let path = scratch.file("shared.json")
        let document = AppRunner.emptyProgram()
        let store = try DocumentStore.create(path, with: document)
        let open = OpenDocument(path: path, store: store, person: Operator(login: "dreyes", identity: .account))
        let environment = ["XDG_CONFIG_HOME": scratch.file("config"), "HOME": scratch.path]
        let (theme, _) = AppRunner.loadTheme("default", noColor: false, environment: environment)
        let runner = EffectRunner(open: open, environment: environment, theme: theme, clock: { Date() },
                                  loadTheme: { name in AppRunner.loadTheme(name, noColor: false, environment: environment) },
                                  screen: .init(forceRedraw: {}, editExternally: { _ in .unchanged }))
        let shown = state(document)
        let folder = path + ".presence"
        func records() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }

        // Alone: its own record is written, and nothing is sent (the list is empty, as the state's already is).
        let alone = collect(runner, shown, timeout: 1.5) { _ in false }
        #expect(!alone.contains { if case .presence = $0 { true } else { false } }, "\(alone)")
        #expect(records().count == 1 && records().first?.hasPrefix("dreyes.") == true, "\(records())")

        var other: Presence? = try Presence.join(documentPath: path, login: "mbell")
        let joined = collect(runner, shown, timeout: 3) { $0 == .presence(["mbell"]) }
        #expect(joined.contains(.presence(["mbell"])), "\(joined)")
        // Beaten and still there: nothing new is sent over the next looks.
        other?.beat()
        let later = collect(runner, shown, timeout: 2.5) { _ in false }
        #expect(!later.contains { if case .presence = $0 { true } else { false } }, "\(later)")

        other?.leave()
        other = nil
        let gone = collect(runner, shown, timeout: 3) { $0 == .presence([]) }
        #expect(gone.contains(.presence([])), "\(gone)")

        runner.leavePresence()
        #expect(records().isEmpty, "\(records())")
    }

    @Test func aPresenceFolderThatCannotBeUsedIsSaidOnceAndTheAppCarriesOn() throws {
        let path = scratch.file("planted.json")
        let document = AppRunner.emptyProgram()
        let store = try DocumentStore.create(path, with: document)
        // A link planted where the folder goes: refused, never written through.
        let elsewhere = scratch.file("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        #expect(symlink(elsewhere, path + ".presence") == 0)
        let open = OpenDocument(path: path, store: store, person: Operator(login: "dreyes", identity: .account))
        let environment = ["XDG_CONFIG_HOME": scratch.file("config"), "HOME": scratch.path]
        let (theme, _) = AppRunner.loadTheme("default", noColor: false, environment: environment)
        let runner = EffectRunner(open: open, environment: environment, theme: theme, clock: { Date() },
                                  loadTheme: { name in AppRunner.loadTheme(name, noColor: false, environment: environment) },
                                  screen: .init(forceRedraw: {}, editExternally: { _ in .unchanged }))
        let seen = collect(runner, state(document), timeout: 3.5) { _ in false }
        let told = seen.filter { if case .notify(let message) = $0 { message.text.contains("Cannot show who else has the document open") } else { false } }
        #expect(told.count == 1, "said once over three looks: \(seen)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: elsewhere)) ?? ["?"]).isEmpty)
    }
}
