import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Issue 15 at 80×24 in a real terminal: a note signed through the confirmation that names the signer, and a patient stepped
/// down a phase with a date and a reason that reach the saved file.
@Suite(.serialized) struct NotesAndPhaseEndToEndTests {
    let scratch = Scratch()

    func demo() throws -> String { try scratch.demo() }

    @Test func signThroughTheConfirmationAndStepDownWithAReasonAt80x24() throws {
        let path = try demo()
        let tmux = try TmuxSession(command: scratch.appCommand(path, user: "mbell"), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }.ok)
        try tmux.send("2")
        try tmux.send("Enter")                    // tonight's group, cursor on the first member
        #expect(tmux.waitFor { $0.contains("Group note:") }.ok)
        try tmux.send("p")
        try tmux.send("k")
        try tmux.send("k")                        // the group-note row
        try tmux.send("G")
        #expect(tmux.waitFor { $0.contains("hint: e.g.") }.ok, "the topic's hint is labelled as one")
        try tmux.send("C-s")                      // no topic yet
        #expect(tmux.waitFor { $0.contains("Topic is required") }.ok)
        try tmux.type("Coping with cravings")
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Saved the group note") }.ok)
        try tmux.send("S")
        let asked = tmux.waitFor { $0.contains("Sign the group note as Marcus Bell, CADC?") && $0.contains("cannot be") }
        #expect(asked.ok, "the confirmation names the signer:\n\(asked.screen)")
        try tmux.send("y")
        let signed = tmux.waitFor { $0.contains("Group note signed by Marcus Bell, CADC on Mon 30 Nov 2026 18:05") }
        #expect(signed.ok, "local time, not UTC:\n\(signed.screen)")
        #expect(!signed.screen.contains("T00:05"))

        // Step the first patient in the list down a phase, from tomorrow, with a reason.
        try tmux.send("1")
        try tmux.send(">")
        #expect(tmux.waitFor { $0.contains("Step down ·") && $0.contains("Reason") }.ok)
        try tmux.send("C-u")
        try tmux.type("tomorrow")
        try tmux.send("Tab")
        try tmux.type("Met phase goals")
        try tmux.send("C-s")
        let stepped = tmux.waitFor { $0.contains("from Tue 1 Dec (Met phase goals)") }
        #expect(stepped.ok, "the step is confirmed:\n\(stepped.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let group = try #require(doc.sessions.first { $0.date.iso == "2026-11-30" && $0.start.description == "18:00" && $0.kind == .group })
        #expect(group.groupNote?.topic == "Coping with cravings")
        #expect(group.groupNote?.signature?.by == doc.staff.first { $0.login == "mbell" }?.id)
        let entry = try #require(doc.patients.compactMap { $0.careHistory.first { $0.note == "Met phase goals" } }.first)
        #expect(entry.date.iso == "2026-12-01")
    }
}
