import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// The built app in a real terminal (tmux): what a user sees and what lands in the file.
@Suite(.serialized) struct TerminalEndToEndTests {
    let scratch = Scratch()

    /// A demo document, and the command line that opens it at the fixed clock (exec'd, so the pane's pid is the app's).
    func demoDocument() throws -> (path: String, command: String) {
        let path = scratch.file("program.json")
        let made = try CaseloadBinary.run(["demo", "--out", path])
        #expect(made.status == 0, "\(made.stderr)")
        return (path, "exec " + appCommand(path))
    }

    func appCommand(_ path: String) -> String { scratch.appCommand(path, exec: false) }

    /// Runs the app under a shell that records its exit status in a file (tmux 3.3 sometimes never learns a pane's status).
    func recordingStatus(_ path: String) -> (command: String, statusFile: String) {
        let statusFile = scratch.file("status-\(UUID().uuidString.prefix(6))")
        return ("\(appCommand(path)); echo $? > \(shellQuote(statusFile))", statusFile)
    }

    /// The recorded exit status, once the shell has written it.
    func exitStatus(_ statusFile: String) -> Int? {
        for _ in 0..<100 {
            if let text = try? String(contentsOfFile: statusFile, encoding: .utf8), let status = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return status
            }
            usleep(100_000)
        }
        return nil
    }

    @Test func threePanesWithDemoDataTabMovesFocusHelpAndQuit() throws {
        let (path, _) = try demoDocument()
        let (command, statusFile) = recordingStatus(path)
        let tmux = try TmuxSession(command: command, width: 100, height: 30)
        // The Week has the keyboard at start and takes the Patients pane's width: two panes.
        let first = tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }
        #expect(first.ok, "the Week and Session panes are drawn:\n\(first.screen)")
        #expect(first.screen.contains("Riverside Recovery IOP"))
        #expect(first.screen.contains("Mon 30"))

        // Tab moves focus: the hint bar follows the focused pane's keymap; the Patients pane comes back with the keyboard.
        try tmux.send("1")
        let three = tmux.waitFor { $0.contains("Patients 30 active") && $0.contains("move") && !$0.contains("today") }
        #expect(three.ok, "the three panes are drawn:\n\(three.screen)")
        try tmux.send("Tab")
        #expect(tmux.waitFor { $0.contains("today") }.ok, "Week pane focused after Tab")
        try tmux.send("Tab")
        #expect(tmux.waitFor { $0.contains("present") }.ok, "Session pane focused after Tab")

        try tmux.send("?")
        let help = tmux.waitFor { $0.contains("Help") && $0.contains("Everywhere") }
        #expect(help.ok, "help overlay:\n\(help.screen)")
        try tmux.send("Escape")
        #expect(tmux.waitFor { !$0.contains("Everywhere") }.ok)

        try tmux.send("q")
        #expect(exitStatus(statusFile) == 0, "q quits with status 0")
        #expect(!tmux.alternateScreenOn, "the terminal is restored")
        let check = try CaseloadBinary.run(["check", path])
        #expect(check.status == 0, "the file is valid after quitting: \(check.stderr)")
    }

    @Test func resizingToATinyWindowAndBackKeepsItRunning() throws {
        let (path, _) = try demoDocument()
        let (command, statusFile) = recordingStatus(path)
        let tmux = try TmuxSession(command: command, width: 100, height: 30)
        #expect(tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }.ok)
        try tmux.resize(width: 30, height: 10)
        let small = tmux.waitFor { $0.contains("Week") || $0.contains("Day ·") || $0.contains("enlarge") }
        #expect(small.ok, "re-laid out at 30×10:\n\(small.screen)")
        try tmux.resize(width: 10, height: 3)
        #expect(tmux.waitFor { $0.contains("too small") || $0.contains("enlarge") }.ok)
        try tmux.resize(width: 100, height: 30)
        let back = tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }
        #expect(back.ok, "back to the full layout:\n\(back.screen)")
        #expect(!tmux.paneIsDead)
        try tmux.send("q")
        #expect(exitStatus(statusFile) == 0)
    }

    /// Opens tonight's group (the cursor starts at 18:00 on Monday 30 November) and marks the first member present.
    func markFirstMember(_ tmux: TmuxSession) throws {
        #expect(tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }.ok)
        try tmux.send("2")
        try tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("attendance") }.ok)
        try tmux.send("p")
        let marked = tmux.waitFor { $0.contains("present") && $0.contains(": present") }
        #expect(marked.ok, "a member was marked:\n\(marked.screen)")
    }

    func presentMarks(_ path: String) throws -> Int {
        let decoded = try DocumentCodec.decode(try AtomicFile.read(path), path: path)
        let zone = TimeZone(identifier: "America/Chicago") ?? .current
        let today = Recurrence.local(ClockSetting.parse("2026-11-30T18:05", zone: zone) ?? Date(), in: zone).date
        return decoded.document.sessions.filter { $0.date == today }.reduce(0) { $0 + $1.attendance.count }
    }

    @Test func sigtermWhileAChangeIsPendingSavesIt() throws {
        let (path, command) = try demoDocument()
        let before = try presentMarks(path)
        let tmux = try TmuxSession(command: command, width: 100, height: 30)
        try markFirstMember(tmux)
        let pid = try #require(tmux.panePID)
        kill(pid, SIGTERM)   // at once: the 1-second autosave has not run yet
        #expect(tmux.waitUntilDead(), "SIGTERM ends the app")
        #expect(!tmux.alternateScreenOn, "the terminal is restored")
        #expect(try presentMarks(path) == before + 1, "the pending mark was saved before exiting")
    }

    @Test func sigkillLeavesAValidFile() throws {
        let (path, command) = try demoDocument()
        let tmux = try TmuxSession(command: command, width: 100, height: 30)
        try markFirstMember(tmux)
        usleep(300_000)
        let pid = try #require(tmux.panePID)
        kill(pid, SIGKILL)
        #expect(tmux.waitUntilDead())
        let check = try CaseloadBinary.run(["check", path])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test func anUnreadableDocumentNeverOpensTheUI() throws {
        let path = scratch.file("broken.json")
        let bytes = Data("{\"format\": \"caseload\", \"schemaVersion\": 1,".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: bytes)
        let result = try CaseloadBinary.run(["--file", path])
        #expect(result.status != 0)
        #expect(result.stderr.contains(path))
        #expect(FileManager.default.contents(atPath: path) == bytes)
    }

    @Test func aSecondInstanceIsWritableAndEachSeesTheOther() throws {
        let (path, command) = try demoDocument()
        let first = try TmuxSession(command: command, width: 150, height: 30)
        #expect(first.waitFor { $0.contains("Week 49") && $0.contains("Session") }.ok)
        let second = try TmuxSession(command: command, width: 150, height: 30)
        #expect(second.waitFor { $0.contains("Week 49") && $0.contains("Session") }.ok)
        #expect(!second.screen.contains("read-only"), "both instances are writable (issue 18)")
        // The title bar of each names the other (here the same account twice).
        let named = first.waitFor(timeout: 10) { ($0.split(separator: "\n").first ?? "").contains("also open") || ($0.split(separator: "\n").first ?? "").contains("open ·") }
        #expect(named.ok, "\(named.screen)")
        try second.send("1")
        try second.send("e")
        #expect(second.waitFor { $0.contains("Edit · ") }.ok)
        for _ in 0..<5 { try second.send("Tab") }
        try second.send("C-u")
        try second.type("555-0142")
        try second.send("C-s")
        #expect(second.waitFor { $0.contains("Saved ") }.ok)
        #expect(first.waitFor(timeout: 10) { $0.contains("merged in") }.ok, "the first takes the second's save in")
        try second.send("q")
        try first.send("q")
        #expect(first.waitUntilDead() && second.waitUntilDead())
        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(doc.patients.contains { $0.phone == "555-0142" })
    }

    @Test func aMissingFileStartsAnEmptyProgramWithAWelcomeAndWritesNothingUntilAChange() throws {
        let path = scratch.file("new/caseload.json")
        let (command, statusFile) = recordingStatus(path)
        let tmux = try TmuxSession(command: command, width: 100, height: 30)
        let screen = tmux.waitFor { $0.contains("Welcome") }
        #expect(screen.ok, "a one-line welcome:\n\(screen.screen)")
        #expect(screen.screen.contains("New program"))
        try tmux.send("q")
        #expect(exitStatus(statusFile) == 0)
        #expect(!FileManager.default.fileExists(atPath: path), "nothing was changed, so nothing was written")
    }

    @Test func aBrokenConfigIsNamedAndTheAppStillStarts() throws {
        let (_, _) = try demoDocument()
        let config = scratch.file("config/caseload")
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: config + "/config.toml", contents: Data("week_start = \"someday\"\n".utf8))
        let path = scratch.file("program.json")
        let tmux = try TmuxSession(command: "exec " + appCommand(path), width: 120, height: 30)
        let screen = tmux.waitFor { $0.contains("week_start") }
        #expect(screen.ok, "the message names the key:\n\(screen.screen)")
        #expect(screen.screen.contains("Patients 30 active"))
        try tmux.send("q")
        #expect(tmux.waitUntilDead())
    }

    @Test func anExternalChangeIsShownAndSaveAsKeepsTheUsersVersion() throws {
        let (path, command) = try demoDocument()
        let tmux = try TmuxSession(command: command, width: 120, height: 30)
        #expect(tmux.waitFor { $0.contains("Patients 30 active") }.ok)
        // Another program rewrites the document behind the app's back.
        let theirs = Data("{\"format\": \"caseload\", \"schemaVersion\": 1}\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: theirs)
        let shown = tmux.waitFor { $0.contains("autosave stopped") }
        #expect(shown.ok, "the change is shown:\n\(shown.screen)")
        let mine = scratch.file("mine.json")
        try tmux.send(":")
        try tmux.type("saveas \(mine)")
        try tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("Saved as") }.ok)
        let check = try CaseloadBinary.run(["check", mine])
        #expect(check.status == 0, "the user's version is saved under the new name: \(check.stderr)")
        #expect(FileManager.default.contents(atPath: path) == theirs, "the other program's file is left alone")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())
    }
}
