import Foundation
import Testing

/// A save that holds the store for seconds (a long chart on a slow disk, made here with the DEBUG-only
/// `CASELOAD_TEST_HOLD_SAVE_SECONDS`) never freezes the screen: keys are answered while it runs, and quitting waits for it
/// with "saving…" shown.
extension TerminalEndToEndTests {
    /// How long each save holds the store's lock in these tests.
    static let hold: TimeInterval = 30
    /// A key's answer must be on screen this soon, and while "saving…" still shows: a UI that waited for the save could
    /// not answer before the hold ends. Generous, because the whole suite shares two cores with this test; six answers
    /// at this bound still come well inside the hold.
    static let promptly: TimeInterval = 4

    /// The app on `path` with saves held, `HOME` in the scratch folder (reports go there), and its exit status recorded.
    func heldSaveCommand(_ path: String, home: String) -> (command: String, statusFile: String) {
        let statusFile = scratch.file("status-held")
        let env = "env CASELOAD_TEST_HOLD_SAVE_SECONDS=\(Int(Self.hold)) HOME=\(shellQuote(home))"
        return ("\(env) \(appCommand(path)); echo $? > \(shellQuote(statusFile))", statusFile)
    }

    /// Sends `keys`, then waits for `answer`; it must come within `promptly`, while the save is still held (the title bar
    /// still says "saving…", and the hold that began at `holdStart` has not run out).
    func expectAnsweredDuringHold(_ tmux: TmuxSession, _ what: String, holdStart: Date, keys: () throws -> Void, answer: (String) -> Bool) rethrows {
        let sent = Date()
        try keys()
        let shown = tmux.waitFor(timeout: Self.promptly) { answer($0) && $0.contains("saving…") }
        let took = Date().timeIntervalSince(sent)
        #expect(shown.ok, "\(what): answered within \(Self.promptly) s while the save is held (took \(took) s):\n\(shown.screen)")
        #expect(Date().timeIntervalSince(holdStart) < Self.hold, "\(what): answered before the held save ended")
    }

    @Test func keysAreAnsweredPromptlyWhileASaveHoldsTheStoreForSeconds() throws {
        let (path, _) = try demoDocument()
        let home = scratch.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let before = try presentMarks(path)
        let (command, statusFile) = heldSaveCommand(path, home: home)
        let tmux = try TmuxSession(command: command, width: 100, height: 30)
        try markFirstMember(tmux)
        // The autosave starts a second or two after the mark, then holds the store.
        let saving = tmux.waitFor(timeout: 5) { $0.contains("saving…") }
        try #require(saving.ok, "the autosave starts:\n\(saving.screen)")
        let holdStart = Date()

        try expectAnsweredDuringHold(tmux, "help opens", holdStart: holdStart, keys: { try tmux.send("?") }) { $0.contains("Everywhere") }
        try expectAnsweredDuringHold(tmux, "help closes", holdStart: holdStart, keys: { try tmux.send("Escape") }) { !$0.contains("Everywhere") }
        try expectAnsweredDuringHold(tmux, "the report form opens", holdStart: holdStart, keys: { try tmux.send("1", "r") }) { $0.contains("Attendance report ·") }
        try expectAnsweredDuringHold(tmux, "the report is previewed", holdStart: holdStart, keys: {
            try tmux.send("Tab", "Tab", "Tab", "Tab", "Tab")   // Write to
            try tmux.type("~/held.txt")
            try tmux.send("C-s")
        }) { $0.contains("Report ·") }
        try expectAnsweredDuringHold(tmux, "the report is written", holdStart: holdStart, keys: { try tmux.send("w") }) { $0.contains("Wrote ~/held.txt") }
        try expectAnsweredDuringHold(tmux, ":reload starts", holdStart: holdStart, keys: {
            try tmux.send(":")
            try tmux.type("reload")
            try tmux.send("Enter")
        }) { $0.contains("Reloading") }
        try expectAnsweredDuringHold(tmux, "a second :reload is refused", holdStart: holdStart, keys: {
            try tmux.send(":")
            try tmux.type("reload")
            try tmux.send("Enter")
        }) { $0.contains("Still busy with :reload") }

        let report = String(decoding: FileManager.default.contents(atPath: (home as NSString).appendingPathComponent("held.txt")) ?? Data(), as: UTF8.self)
        #expect(report.contains("attendance report"), "the report file is there before the save ends")
        // The reload waits for the held save, then reads the file it wrote: the mark is kept.
        let reloaded = tmux.waitFor(timeout: Self.hold + 10) { $0.contains("Reloaded") }
        #expect(reloaded.ok, "the reload finishes after the held save:\n\(reloaded.screen)")
        #expect(Date().timeIntervalSince(holdStart) > Self.hold - 2, "the reload waited for the save")
        #expect(try presentMarks(path) == before + 1, "the held save wrote the mark")
        try tmux.send("q")
        #expect(exitStatus(statusFile) == 0)
    }

    @Test func quittingDuringAHeldSaveShowsSavingWaitsForItAndKeepsTheChange() throws {
        let (path, _) = try demoDocument()
        let home = scratch.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let before = try presentMarks(path)
        let (command, statusFile) = heldSaveCommand(path, home: home)
        let tmux = try TmuxSession(command: command, width: 100, height: 30)
        try markFirstMember(tmux)
        let saving = tmux.waitFor(timeout: 5) { $0.contains("saving…") }
        try #require(saving.ok, "the autosave starts:\n\(saving.screen)")
        let holdStart = Date()

        try expectAnsweredDuringHold(tmux, "q says it is saving", holdStart: holdStart, keys: { try tmux.send("q") }) { $0.contains("Saving before quitting") }
        // Keys pressed while the final save runs change nothing: an edit now could not be saved.
        try tmux.send("?")
        usleep(1_000_000)
        let waiting = tmux.screen
        #expect(!waiting.contains("Everywhere"), "help does not open while quitting:\n\(waiting)")
        #expect(waiting.contains("saving…") && !tmux.paneIsDead, "still saving, still running")
        #expect(exitStatus(statusFile, waitingUpTo: Self.hold + 10) == 0, "q quits once the save is done")
        #expect(Date().timeIntervalSince(holdStart) > Self.hold - 2, "quitting waited for the save")
        #expect(try presentMarks(path) == before + 1, "the change is on disk")
    }

    /// The recorded exit status, waiting longer than `exitStatus` does.
    func exitStatus(_ statusFile: String, waitingUpTo seconds: TimeInterval) -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: statusFile, encoding: .utf8), let status = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            usleep(100_000)
        }
        return nil
    }
}
