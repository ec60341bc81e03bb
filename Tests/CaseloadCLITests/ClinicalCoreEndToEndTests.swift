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

    /// Presses Tab `n` times.
    func tab(_ tmux: TmuxSession, _ n: Int) throws { for _ in 0..<n { try tmux.send("Tab") } }

    @Test func aClinicianEvaluatesANewPatientAndStartsThePlanFromItAt120x40() throws {
        let path = try scratch.demo()
        let tmux = try TmuxSession(command: scratch.appCommand(path, user: "dreyes"), width: 120, height: 40)
        #expect(tmux.waitFor { $0.contains("Patients 30 active") }.ok)
        try tmux.send("1")
        try tmux.send("n")
        #expect(tmux.waitFor { $0.contains("New patient") && $0.contains("Legal name") }.ok)
        try tmux.type("Quillon Adebayo-Marsh")
        try tab(tmux, 14)                         // past names, contact, referral, status, dates: the phase
        try tmux.send("Right")
        try tmux.send("C-s")
        let admitted = tmux.waitFor { $0.contains("Admitted Quillon") }
        #expect(admitted.ok, "\(admitted.screen)")
        try tmux.send("/")
        try tmux.type("quillon")
        #expect(tmux.waitFor { $0.contains("1 shown") }.ok)
        try tmux.send("Enter")
        let record = tmux.waitFor { $0.contains("Record · Quillon") }
        #expect(record.ok, "\(record.screen)")

        try tmux.send("V")
        #expect(tmux.waitFor { $0.contains("Intake evaluation · Quillon") }.ok)
        try tmux.send("Tab")                      // the presenting problem
        try tmux.type("Referred by her doctor after a relapse at work.")
        try tab(tmux, 8)                          // substances, prior treatment … employment: D1
        for rating in ["1", "2", "2", "3", "2", "1"] {
            try tmux.type(rating)
            try tab(tmux, 2)                      // its reason, then the next rating (after D6: the decision)
        }
        let suggested = tmux.waitFor { $0.contains("rule: IOP (2.1)") }
        #expect(suggested.ok, "the rule's suggestion follows the ratings:\n\(suggested.screen)")
        try tmux.type("I")                        // decided: IOP
        try tmux.send("Tab")
        try tmux.type("Evening IOP fits her work hours.")
        try tmux.send("C-s")
        let ask = tmux.waitFor { $0.contains("The rule suggests IOP (2.1); you decided") && $0.contains("Sign Quillon") }
        #expect(ask.ok, "signing asks and shows both levels:\n\(ask.screen)")
        try tmux.send("y")
        #expect(tmux.waitFor { $0.contains("saved 0 s ago") && !$0.contains("(y) sign") }.ok)

        try tmux.send("P")                        // D2, D3, D4 and D5 are rated 2 or more
        let proposals = tmux.waitFor { $0.contains("Plan problems from the evaluation") && $0.contains("D5") }
        #expect(proposals.ok, "\(proposals.screen)")
        try tmux.send("C-s")                      // keep all four as proposed
        let planned = tmux.waitFor { $0.contains("Treatment plan started with 4 problems") }
        #expect(planned.ok, "the plan starts with the four problems:\n\(planned.screen)")
        // Tab goes section by section; the evaluation's section shows the ratings and both levels.
        let ratings = "D1 1  D2 2  D3 2  D4 3  D5 2  D6 1"
        var section = tmux.waitFor { $0.contains("Record · Quillon") }
        for _ in 0..<14 where !section.screen.contains(ratings) {
            try tmux.send("Tab")
            section = tmux.waitFor(timeout: 1) { $0.contains(ratings) }
        }
        #expect(section.ok && section.screen.contains("rule: IOP (2.1) · decided: IOP (2.1)"), "\(section.screen)")
        try tmux.send("Escape")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        let doc = try load(path)
        let quillon = try #require(doc.patients.first { $0.legalName == "Quillon Adebayo-Marsh" })
        let evaluation = try #require(quillon.evaluations.first)
        #expect(evaluation.ratings == [1, 2, 2, 3, 2, 1])
        #expect(evaluation.suggested == .level(.intensiveOutpatient) && evaluation.decided == .level(.intensiveOutpatient))
        #expect(evaluation.signature?.by == doc.staff.first { $0.login == "dreyes" }?.id)
        #expect(quillon.treatmentPlan?.problems.count == 4)
    }

    @Test func aPHQ9WithTheSelfHarmItemAtOneRaisesTheCriticalAlertAtOnceAt80x24() throws {
        let path = try scratch.demo()
        let tmux = try TmuxSession(command: scratch.appCommand(path, user: "dreyes"), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("Week 49") }.ok)
        try tmux.send("1")
        try tmux.send("Enter")                    // the first patient's record
        #expect(tmux.waitFor { $0.contains("Record · ") }.ok)
        try tmux.send("M")
        try tmux.type("1")                        // PHQ-9
        try tmux.type("10100000")                 // items 1–8
        let running = tmux.waitFor { $0.contains("Total 2") }
        #expect(running.ok, "the total follows the typing:\n\(running.screen)")
        try tmux.type("1")                        // item 9, the self-harm item
        #expect(tmux.waitFor { $0.contains("safety item 9 = 1") }.ok)
        try tmux.send("Enter")                    // dated today
        #expect(tmux.waitFor { $0.contains("Sign this PHQ-9 as") }.ok)
        try tmux.send("y")
        let safety = tmux.waitFor { $0.contains("SAFETY: PHQ-9 item 9") }
        #expect(safety.ok, "the status line says so at once:\n\(safety.screen)")
        try tmux.send("Escape")
        try tmux.send("!")
        let alerts = tmux.waitFor { $0.contains("Alerts ·") && $0.contains("SAFETY") }
        #expect(alerts.ok, "\(alerts.screen)")
        // The safety alert is the first thing in the list.
        let lines = alerts.screen.split(separator: "\n").map(String.init)
        let first = lines.firstIndex { $0.contains("SAFETY") } ?? Int.max
        let heading = lines.firstIndex { $0.contains("Alerts ·") } ?? 0
        #expect(first == heading + 1, "\(alerts.screen)")
        try tmux.send("Escape")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())
        let doc = try load(path)
        let entered = doc.patients.flatMap(\.measures).filter { $0.scores == [1, 0, 1, 0, 0, 0, 0, 0, 1] && $0.date.iso == "2026-11-30" }
        #expect(entered.count == 1 && entered.first?.instrument == "phq9" && entered.first?.followUp == nil)
        #expect(entered.first?.signature?.by == doc.staff.first { $0.login == "dreyes" }?.id)
    }
}
