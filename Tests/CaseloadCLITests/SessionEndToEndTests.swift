import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Tonight's group in a real terminal: roll, group note, a member note, signatures; and a note typed just before a SIGKILL.
@Suite(.serialized) struct SessionEndToEndTests {
    let scratch = Scratch()
    static let now = "2026-11-30T18:05"

    /// The app as Marcus Bell (login mbell), the demo's evening facilitator.
    func appCommand(_ path: String) -> String { scratch.appCommand(path, user: "mbell") }

    func demo() throws -> String {
        let path = scratch.file("program.json")
        let made = try CaseloadBinary.run(["demo", "--out", path])
        #expect(made.status == 0, "\(made.stderr)")
        return path
    }

    func tonight(_ doc: CaseloadDocument) -> Session? {
        doc.sessions.first { $0.date.iso == "2026-11-30" && $0.start.description == "18:00" && $0.kind == .group }
    }

    @Test func rollNotesAndSignaturesSurviveARestart() throws {
        let path = try demo()
        let tmux = try TmuxSession(command: appCommand(path), width: 120, height: 40)
        #expect(tmux.waitFor { $0.contains("Patients 30 active") }.ok)
        try tmux.send("2")
        try tmux.send("Enter")                    // tonight's group, cursor on the first member
        #expect(tmux.waitFor { $0.contains("Group note:") && $0.contains("attendance") }.ok)
        try tmux.send("P")                        // everyone present
        #expect(tmux.waitFor { $0.contains("Everyone unmarked is present") }.ok)

        try tmux.send("G")
        #expect(tmux.waitFor { $0.contains("Group note ·") && $0.contains("Narrative") }.ok)
        try tmux.type("Relapse prevention: high-risk situations")
        try tmux.send("Tab")
        try tmux.send("Tab")
        try tmux.type("Members mapped their high-risk situations and practised refusal skills in pairs.")
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Saved the group note") }.ok)

        try tmux.send("Enter")                    // the first member's note
        #expect(tmux.waitFor { $0.contains("note ·") && $0.contains("for reference") }.ok)
        try tmux.type("Engaged throughout; named two triggers.")
        try tmux.send("Tab")
        try tmux.type("Making progress on objective 1.")
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Saved the note for") }.ok)
        try tmux.send("S")                        // asks first, by name and credential
        #expect(tmux.waitFor { $0.contains("as Marcus Bell, CADC?") && $0.contains("cannot be") }.ok)
        try tmux.send("y")
        #expect(tmux.waitFor { $0.contains("note signed by Marcus Bell") }.ok)
        try tmux.send("k")                        // the group-note row
        try tmux.send("S")
        #expect(tmux.waitFor { $0.contains("Sign the group note as Marcus Bell, CADC?") }.ok)
        try tmux.send("y")
        let signed = tmux.waitFor { $0.contains("Group note signed by Marcus Bell") }
        #expect(signed.ok, "the group part is signed:\n\(signed.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let session = try #require(tonight(doc))
        let series = session.series.flatMap { id in doc.series.first { $0.id == id } }
        let members = session.members(series: series)
        #expect(members.count >= 5)
        #expect(session.status == .held)
        for id in members {
            #expect(session.attendance(for: id) == .present)
            #expect(session.minutesAttended(by: id) == session.durationMinutes)
        }
        let marcus = try #require(doc.staff.first { $0.login == "mbell" })
        let at = try #require(ClockSetting.parse(Self.now, zone: TimeZone(identifier: "America/Chicago") ?? .current)).timeIntervalSince1970
        let group = try #require(session.groupNote)
        #expect(group.topic == "Relapse prevention: high-risk situations")
        #expect(group.narrative == "Members mapped their high-risk situations and practised refusal skills in pairs.")
        #expect(group.signature == Signature(by: marcus.id, at: Timestamp(seconds: Int64(at))))
        let signedNotes = session.memberNotes.filter { $0.isSigned }
        #expect(signedNotes.count == 1)
        let note = try #require(signedNotes.first)
        #expect(note.sections[0].text == "Engaged throughout; named two triggers.")
        #expect(note.sections[1].text == "Making progress on objective 1.")
        #expect(note.signature == Signature(by: marcus.id, at: Timestamp(seconds: Int64(at))))

        // Reopen: the roll, the notes and the signatures are shown.
        let again = try TmuxSession(command: appCommand(path), width: 120, height: 40)
        #expect(again.waitFor { $0.contains("Patients 30 active") }.ok)
        try again.send("2")
        try again.send("Enter")
        let shown = again.waitFor { $0.contains("Relapse prevention") && $0.contains("signed") && $0.contains("present") && $0.contains("held") }
        #expect(shown.ok, "everything is there after reopening:\n\(shown.screen)")
        try again.send("q")
        #expect(again.waitUntilDead())
    }

    @Test func aNoteTypedTwoSecondsBeforeASIGKILLIsInTheFile() throws {
        let path = try demo()
        let tmux = try TmuxSession(command: appCommand(path), width: 120, height: 40)
        #expect(tmux.waitFor { $0.contains("Patients 30 active") }.ok)
        try tmux.send("2")
        try tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("Group note:") }.ok)
        try tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("for reference") }.ok)
        let text = "Draft typed right before the power cut 🔌 — 정전 직전"
        try tmux.type(text)
        #expect(tmux.waitFor { $0.contains("power cut") }.ok)
        sleep(2)
        let pid = try #require(tmux.panePID)
        kill(pid, SIGKILL)
        #expect(tmux.waitUntilDead())
        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let session = try #require(tonight(doc))
        #expect(session.memberNotes.contains { $0.sections.first?.text == text }, "the draft was autosaved while the form was still open")
    }
}
