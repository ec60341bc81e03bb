import CaseloadCore
import CaseloadStore
import CaseloadUI
import Foundation
import Testing
@testable import caseload

/// The effect runner without a terminal: effects that wait for the disk are answered at once on the caller's thread and
/// finish later as messages, even while a save holds the store (the DEBUG-only `CASELOAD_TEST_HOLD_SAVE_SECONDS`).
@MainActor @Suite(.serialized) struct EffectRunnerTests {
    let scratch = Scratch()

    /// A runner on a new document at `document.json` whose saves hold the store for `hold` seconds, and that document.
    /// `onDisk: false` is a new program not saved yet (no file until the first change).
    func runner(hold: TimeInterval, onDisk: Bool = true) throws -> (EffectRunner, CaseloadDocument, String) {
        let path = scratch.file("document.json")
        let document = AppRunner.emptyProgram()
        let store = onDisk ? try DocumentStore.create(path, with: document) : nil
        let open = OpenDocument(path: path, store: store, environment: ["CASELOAD_TEST_HOLD_SAVE_SECONDS": "\(hold)"])
        let environment = ["XDG_CONFIG_HOME": scratch.file("config"), "HOME": scratch.path]
        let (theme, _) = AppRunner.loadTheme("default", noColor: false, environment: environment)
        let runner = EffectRunner(open: open, environment: environment, theme: theme, clock: { Date() },
                                  loadTheme: { name in AppRunner.loadTheme(name, noColor: false, environment: environment) },
                                  screen: .init(forceRedraw: {}, editExternally: { _ in .unchanged }))
        return (runner, document, path)
    }

    /// The app's state holding `document`, an edit of the program the runner's file holds (`AppRunner.emptyProgram()`):
    /// that file's version is the base its saves merge from (issue 18), as the app's own would be.
    func state(_ document: CaseloadDocument) -> AppState {
        var state = AppState(document: AppRunner.emptyProgram(), fileName: "document.json", now: Date(), width: 100, height: 30)
        _ = update(&state, .documentSaved(saved: AppRunner.emptyProgram(), savedBase: nil, written: AppRunner.emptyProgram(), conflicts: []))
        state.document = document
        return state
    }

    /// Collects the runner's messages until one matches, or `timeout` passes; returns all collected.
    func collect(_ runner: EffectRunner, _ state: AppState, timeout: TimeInterval, until done: (Msg) -> Bool) -> [Msg] {
        var seen: [Msg] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let messages = runner.collect(state)
            seen += messages
            if messages.contains(where: done) { break }
            usleep(20_000)
        }
        return seen
    }

    func renamed(_ document: CaseloadDocument, _ name: String) -> CaseloadDocument {
        var changed = document
        changed.program.name = name
        return changed
    }

    @Test func aReloadAndAReportAreAnsweredWhileASaveHoldsTheStoreAndASecondReloadIsRefused() throws {
        let (runner, document, path) = try runner(hold: 3)
        let edited = state(renamed(document, "Held program"))
        _ = runner.run(.documentChanged, edited)
        let started = collect(runner, edited, timeout: 5) { $0 == .saveStatus(.saving) }
        try #require(started.contains(.saveStatus(.saving)), "the save starts a second after the change: \(started)")
        let holdStart = Date()

        let report = scratch.file("report.txt")
        #expect(runner.run(.writeFile(WriteRequest(path: report, defaultName: "report.txt", contents: "a report\n")), edited).isEmpty)
        let written = collect(runner, edited, timeout: 1) { if case .reportWritten = $0 { true } else { false } }
        #expect(written.contains { if case .reportWritten = $0 { true } else { false } }, "a report does not wait for the save: \(written)")

        let asked = Date()
        let first = runner.run(.reload, edited)
        #expect(first.count == 1 && first.first.map { "\($0)".contains("Reloading") } == true, "\(first)")
        let second = runner.run(.reload, edited)
        #expect(second.count == 1 && second.first.map { "\($0)".contains("Still busy with :reload") } == true, "\(second)")
        #expect(Date().timeIntervalSince(asked) < 0.5, "both answered at once, not after the save")
        #expect(Date().timeIntervalSince(holdStart) < 3, "still inside the hold")

        let finished = collect(runner, edited, timeout: 10) { if case .reloaded = $0 { true } else { false } }
        let reloaded = finished.compactMap { if case .reloaded(let doc, _, _, _) = $0 { doc } else { nil } }.first
        #expect(reloaded?.program.name == "Held program", "the reload read what the held save wrote")
        #expect(Date().timeIntervalSince(holdStart) > 2, "the reload waited for the save to end")
        _ = path
    }

    @Test func aLetterIsWrittenOnlyOnceTheSaveHoldingItsDisclosureIsOnDisk() throws {
        let (runner, document, path) = try runner(hold: 2)
        let edited = state(renamed(document, "With the disclosure"))
        let letter = scratch.file("letter.txt")
        let day = try #require(LocalDate(iso: "2026-11-30"))
        let disclosure = PendingDisclosure(patient: PatientID("pat_1"), recipient: "N. Pruitt", consent: ItemID("c1"), from: day, to: day, by: StaffID("stf_1"))
        // What `update` asks for after logging a disclosure: hand the document over, save now, write the letter.
        for effect: Effect in [.documentChanged, .saveNow, .writeFile(WriteRequest(path: letter, defaultName: "letter.txt", contents: "Dear court\n", disclosure: disclosure))] {
            #expect(runner.run(effect, edited).isEmpty)
        }
        usleep(1_000_000)
        _ = runner.collect(edited)
        #expect(!FileManager.default.fileExists(atPath: letter), "no letter while its disclosure is being saved")
        let finished = collect(runner, edited, timeout: 8) { if case .reportWritten = $0 { true } else { false } }
        #expect(finished.contains { if case .reportWritten = $0 { true } else { false } }, "\(finished)")
        let saved = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(saved.program.name == "With the disclosure", "the document was saved first")
        #expect(FileManager.default.fileExists(atPath: letter))
    }

    @Test func quitWaitsForTheFinalSaveOffTheCallersThreadThenSetsTheExitCode() throws {
        let (runner, document, path) = try runner(hold: 2)
        let edited = state(renamed(document, "Saved on quit"))
        let asked = Date()
        #expect(runner.run(.documentChanged, edited).isEmpty)
        #expect(runner.run(.quit, edited).isEmpty)
        _ = runner.collect(edited)
        #expect(Date().timeIntervalSince(asked) < 0.5, "quit does not block the caller")
        #expect(runner.isQuitting && runner.exitCode == nil)
        let deadline = Date().addingTimeInterval(8)
        while runner.exitCode == nil, Date() < deadline {
            _ = runner.collect(edited)
            usleep(20_000)
        }
        #expect(runner.exitCode == 0)
        #expect(Date().timeIntervalSince(asked) > 1.5, "the exit waited for the held save")
        let saved = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(saved.program.name == "Saved on quit")
    }
    @Test func aThemeIsLoadedAsAJobAndAnsweredWithItsNameOrTheProblem() throws {
        let (runner, document, _) = try runner(hold: 0)
        let current = state(document)
        #expect(runner.theme.name == "default")
        #expect(runner.run(.setTheme("light"), current).isEmpty, "nothing is known until the job is done")
        let loaded = collect(runner, current, timeout: 5) { $0 == .themeLoaded("light") }
        #expect(loaded.contains(.themeLoaded("light")), "\(loaded)")
        #expect(runner.theme.name == "light", "the screen is drawn with it from now on")

        #expect(runner.run(.setTheme("no-such-theme"), current).isEmpty)
        let refused = collect(runner, current, timeout: 5) { if case .notify(let message) = $0 { message.isError } else { false } }
        #expect(refused.contains { if case .notify(let message) = $0 { message.isError && message.text.contains("no-such-theme") } else { false } }, "\(refused)")
        #expect(runner.theme.name == "light", "a theme that could not be loaded changes nothing")
    }
    @Test func saveAsDuringAHeldSaveLeavesTheOldFileToThatSaveAndTheNewFileGetsTheEditsMadeMeanwhile() throws {
        let (runner, document, path) = try runner(hold: 2)
        let first = state(renamed(document, "Before save-as"))
        _ = runner.run(.documentChanged, first)
        let started = collect(runner, first, timeout: 5) { $0 == .saveStatus(.saving) }
        try #require(started.contains(.saveStatus(.saving)), "\(started)")

        let newPath = scratch.file("mine.json")
        let asked = Date()
        let answer = runner.run(.saveAs(newPath), first)
        #expect(Date().timeIntervalSince(asked) < 0.5 && answer.first.map { "\($0)".contains("Saving as") } == true, "\(answer)")
        #expect(runner.run(.saveAs(newPath), first).first.map { "\($0)".contains("Still busy with :saveas") } == true)
        // An edit while the save-as waits for the held save: it belongs in the new file, never the old one.
        let meanwhile = state(renamed(document, "Typed meanwhile"))
        _ = runner.run(.documentChanged, meanwhile)
        let done = collect(runner, meanwhile, timeout: 8) { if case .savedAs = $0 { true } else { false } }
        #expect(done.contains { if case .savedAs(let saved, _) = $0 { saved == newPath } else { false } }, "\(done)")
        // The new autosaver saves the edit a second later, holding the store two seconds.
        let deadline = Date().addingTimeInterval(10)
        var newName = ""
        while Date() < deadline {
            _ = runner.collect(meanwhile)
            newName = (try? DocumentCodec.decode(try AtomicFile.read(newPath), path: newPath).document.program.name) ?? ""
            if newName == "Typed meanwhile" { break }
            usleep(100_000)
        }
        #expect(newName == "Typed meanwhile")
        let old = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(old.program.name == "Before save-as", "the old file holds what its held save wrote, and nothing later")
    }
    @Test func aFailedReloadOfANewProgramWritesNothing() throws {
        let (runner, document, path) = try runner(hold: 0, onDisk: false)
        let current = state(document)
        _ = runner.run(.reload, current)
        let answered = collect(runner, current, timeout: 5) { if case .notify(let message) = $0 { message.isError } else { false } }
        #expect(answered.contains { if case .notify(let message) = $0 { message.text.hasPrefix("Cannot reload") } else { false } }, "\(answered)")
        // Nothing was changed, so nothing is saved: the new autosaver is not handed the program (it would save a second later).
        usleep(2_500_000)
        _ = runner.collect(current)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
