import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Issue 19 in a real terminal: an associate's note co-signed from the supervisor's queue; an evaluation for a new
/// patient and the plan started from it; a PHQ-9 whose self-harm item is above zero raising the critical alert at once.
@Suite(.serialized) struct ClinicalCoreEndToEndTests {
    let scratch = Scratch()

    func load(_ path: String) throws -> CaseloadDocument {
        try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
    }

    @Test func anAssociatesNoteIsCoSignedFromTheSupervisorsQueueAt80x24() throws {
        let path = try scratch.demo()
        // The director makes Marcus Bell an associate supervised by Priya Natarajan, with :staff.
        var tmux = try TmuxSession(command: scratch.appCommand(path, user: "dreyes"), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("Week 49") }.ok)
        try tmux.send(":")
        try tmux.type("staff")
        try tmux.send("Enter")
        try tmux.type("Marcus")
        try tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("Supervisor") }.ok)
        try tmux.send("Right")                    // Dana Reyes
        try tmux.send("Right")                    // Priya Natarajan
        try tmux.send("Tab")
        try tmux.send("Space")                    // notes need co-signature
        try tmux.send("C-s")
        let set = tmux.waitFor { $0.contains("Marcus Bell: Priya Natarajan") }
        #expect(set.ok, "\(set.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        // Marcus takes roll tonight and signs the first member's note: it awaits co-signature.
        tmux = try TmuxSession(command: scratch.appCommand(path, user: "mbell"), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }.ok)
        try tmux.send("2")
        try tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("Group note:") }.ok)
        try tmux.send("P")
        #expect(tmux.waitFor { $0.contains("Everyone unmarked is present") }.ok)
        try tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("note ·") }.ok)
        try tmux.type("Engaged; named two triggers.")
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Saved the note for") }.ok)
        try tmux.send("S")
        #expect(tmux.waitFor { $0.contains("as Marcus Bell, CADC?") }.ok)
        try tmux.send("y")
        let waiting = tmux.waitFor { $0.contains("◐ co-sign") }
        #expect(waiting.ok, "the Session pane shows the note awaiting co-signature:\n\(waiting.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())
        let signed = try load(path)
        let tonight = try #require(signed.sessions.first { $0.date.iso == "2026-11-30" && $0.start.description == "18:00" && $0.kind == .group })
        let note = try #require(tonight.memberNotes.first { $0.isSigned })
        #expect(note.signature?.needsCoSignature == true && note.signature?.coSignature == nil)

        // Priya opens her queue, reads the note and co-signs it.
        tmux = try TmuxSession(command: scratch.appCommand(path, user: "pnatarajan"), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("Week 49") }.ok)
        try tmux.send("Q")
        let queue = tmux.waitFor { $0.contains("Co-signature queue") && $0.contains("Marcus Bell") }
        #expect(queue.ok, "\(queue.screen)")
        try tmux.send("G")                        // tonight's note is the newest: last, oldest first
        try tmux.send("Enter")
        let read = tmux.waitFor { $0.contains("Engaged; named two triggers.") && $0.contains("Awaiting co-signature by Priya Natarajan") }
        #expect(read.ok, "the note opens to read:\n\(read.screen)")
        try tmux.send("S")
        #expect(tmux.waitFor { $0.contains("as Priya Natarajan") && $0.contains("final afterwards") }.ok)
        try tmux.send("y")
        let done = tmux.waitFor { $0.contains("Co-signed by Priya Natarajan") || $0.contains("Co-signature queue") }
        #expect(done.ok, "\(done.screen)")
        try tmux.send("Escape")
        try tmux.send("Escape")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        let after = try load(path)
        let priya = try #require(after.staff.first { $0.login == "pnatarajan" })
        let final = try #require(after.session(tonight.id)?.memberNotes.first { $0.patient == note.patient })
        #expect(final.signature?.coSignature?.by == priya.id)
        #expect(SignatureState.of(final.signature) == .final)
    }
}
