import CaseloadCore
import CaseloadStore
import Foundation
import PostgresTestSupport
import Testing

/// Issue 20 in a real terminal, against the private PostgreSQL server: two instances (two processes, two staff, each
/// with its own config folder as on two workstations) on one program in a database see each other's roll and notes;
/// an instance whose server goes away keeps its edits, says so, and sends them when it can.
@Suite(.serialized) struct DatabaseEndToEndServerTests {
    let scratch = Scratch()

    /// A database holding the demo (made at the tests' fixed clock, so tonight's roll is not taken yet).
    func program(on server: PostgresTestServer) throws -> String {
        let url = try server.newDatabase()
        let env = ["PGPASSFILE": server.pgpassFile]
        let demo = try scratch.demo()
        for arguments in [["db", "init", url], ["db", "import", demo, url]] {
            let result = try CaseloadBinary.run(arguments, environment: env)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        return url
    }

    /// The app on the database at `url`, as `user`, with a config folder of that user's own.
    func appCommand(_ url: String, user: String, server: PostgresTestServer, keepShell: Bool = false) -> String {
        let env = "env CASELOAD_NOW=2026-11-30T18:05 USER=\(user) CASELOAD_TEST_ACCOUNT=\(user) XDG_CONFIG_HOME=\(shellQuote(scratch.file("config-\(user)"))) "
            + "XDG_STATE_HOME=\(shellQuote(scratch.file("state-\(user)"))) PGPASSFILE=\(shellQuote(server.pgpassFile)) LANG=C.UTF-8"
        let app = "\(env) \(shellQuote(CaseloadBinary.path)) --db \(shellQuote(url))"
        return keepShell ? app + "; echo \"EXIT=$?\"; sleep 30" : "exec " + app
    }

    /// What the database holds now, read back as a document by `caseload db export`.
    func inDatabase(_ url: String, server: PostgresTestServer) throws -> CaseloadDocument {
        let out = scratch.file("export-\(UUID().uuidString.prefix(6)).json")
        let result = try CaseloadBinary.run(["db", "export", url, "--out", out], environment: ["PGPASSFILE": server.pgpassFile])
        #expect(result.status == 0, "\(result.stderr)")
        return try DocumentCodec.decode(try AtomicFile.read(out), path: out).document
    }

    @Test func rollOnOneInstanceAndANoteOnTheOtherBothSeeBothAndTheDatabaseHasAll() throws {
        let server = try PostgresTestServer.shared()
        let url = try program(on: server)
        let facilitator = try TmuxSession(command: appCommand(url, user: "mbell", server: server), width: 120, height: 40)
        let director = try TmuxSession(command: appCommand(url, user: "dreyes", server: server), width: 80, height: 24)
        #expect(facilitator.waitFor { $0.contains("Patients 30 active") }.ok)
        #expect(director.waitFor { $0.contains("Opened from postgresql://") }.ok)

        // The facilitator marks the first member of tonight's group present (the demo has them absent).
        for key in ["2", "t", "j", "Enter"] { try facilitator.send(key) }
        #expect(facilitator.waitFor { $0.contains("Session · ") && $0.contains("IOP-A Evening") }.ok)
        for _ in 0..<12 { try facilitator.send("k") }
        try facilitator.send("j")
        try facilitator.send("p")
        let marked = facilitator.waitFor { $0.split(separator: "\n").last?.hasSuffix(": present") == true }
        #expect(marked.ok, "\(marked.screen)")
        let member = String(marked.screen.split(separator: "\n").last?.dropLast(": present".count) ?? "").trimmingCharacters(in: .whitespaces)
        let markedAt = Date()
        let seen = director.waitFor(timeout: 10) { $0.contains("Changes saved by another person were merged in") }
        #expect(seen.ok, "\(seen.screen)")
        print("roll: shown on the other screen \(String(format: "%.2f", Date().timeIntervalSince(markedAt))) s after the key (autosave waits a second)")

        // The director writes José Ortiz's note of today's 16:00 individual session.
        for key in ["2", "t", "k", "k", "k", "k", "Enter"] { try director.send(key) }
        let individual = director.waitFor { $0.contains("Session · Individual") }
        #expect(individual.ok, "\(individual.screen)")
        try director.send("Enter")
        #expect(director.waitFor { $0.contains(" note · ") }.ok)
        try director.type(" Reviewed the coping plan together.")
        try director.send("C-s")
        #expect(director.waitFor { $0.contains("Saved the note for") }.ok)
        let noteSeen = facilitator.waitFor(timeout: 10) { $0.contains("Changes saved by another person were merged in") }
        #expect(noteSeen.ok, "\(noteSeen.screen)")

        for tmux in [facilitator, director] {
            try tmux.send("Escape")
            try tmux.send("q")
        }
        for tmux in [facilitator, director] { #expect(tmux.waitUntilDead()) }
        let doc = try inDatabase(url, server: server)
        let tonight = try #require(doc.sessions.first { $0.date.iso == "2026-11-30" && $0.title.contains("IOP-A Evening") })
        let markedPatient = try #require(doc.patients.first { $0.displayName == member || $0.legalName == member }, "\(member)")
        #expect(tonight.attendance(for: markedPatient.id) == .present)
        #expect(doc.sessions.flatMap(\.memberNotes).contains { $0.sections.contains { $0.text.contains("Reviewed the coping plan together.") } })
        let verified = try CaseloadBinary.run(["audit", url, "verify"], environment: ["PGPASSFILE": server.pgpassFile])
        #expect(verified.status == 0, "both instances' entries chain: \(verified.stderr)")
    }

    @Test func theSamePhoneEditedOnBothIsAConflictShownAndTheChosenValueKept() throws {
        let server = try PostgresTestServer.shared()
        let url = try program(on: server)
        let facilitator = try TmuxSession(command: appCommand(url, user: "mbell", server: server), width: 80, height: 24)
        let director = try TmuxSession(command: appCommand(url, user: "dreyes", server: server), width: 80, height: 24)
        for tmux in [facilitator, director] { #expect(tmux.waitFor { $0.contains("Caseload") && $0.contains("saved") }.ok) }
        let patient = try #require(try inDatabase(url, server: server).patients.sorted { $0.legalName < $1.legalName }.first)
        func phone() -> String? { (try? inDatabase(url, server: server))?.patient(patient.id)?.phone }
        // Both open the first patient's form and go to Phone.
        for tmux in [facilitator, director] {
            for key in ["1", "g", "e"] { try tmux.send(key) }
            #expect(tmux.waitFor { $0.contains("Edit · ") }.ok)
            for _ in 0..<5 { try tmux.send("Tab") }
            try tmux.send("C-u")
        }
        try director.type("555-0100")
        try director.send("C-s")
        #expect(director.waitFor { $0.contains("Saved ") }.ok)
        #expect(facilitator.waitFor(timeout: 10) { _ in phone() == "555-0100" }.ok)
        // The facilitator's instance takes it in while the form is open; saving the form is then a conflict.
        #expect(facilitator.waitFor(timeout: 10) { $0.contains("merged in") }.ok)
        try facilitator.type("555-0199")
        try facilitator.send("C-s")
        let counted = facilitator.waitFor { $0.contains("1 conflict") }
        #expect(counted.ok, "the title bar counts it:\n\(counted.screen)")
        try facilitator.send("C")
        let listed = facilitator.waitFor { $0.contains("555-0100") && $0.contains("555-0199") }
        #expect(listed.ok, "both values are shown:\n\(listed.screen)")
        try facilitator.send("m")
        #expect(facilitator.waitFor { $0.contains("Kept yours") }.ok)
        #expect(facilitator.waitFor(timeout: 10) { _ in phone() == "555-0199" }.ok)
        #expect(director.waitFor(timeout: 10) { $0.contains("Changes saved by another person were merged in") }.ok)
        for tmux in [facilitator, director] { try tmux.send("q") }
        for tmux in [facilitator, director] { #expect(tmux.waitUntilDead()) }
        #expect(phone() == "555-0199")
    }

    @Test func aServerThatGoesAwayKeepsTheEditsSaysOfflineAndTheyAreSentAtTheNextStart() throws {
        let server = try PostgresTestServer.startPrivate(ssl: false)
        defer { try? server.stop() }
        let url = try program(on: server)
        let first = try #require(try inDatabase(url, server: server).patients.sorted { $0.legalName < $1.legalName }.first)
        let tmux = try TmuxSession(command: appCommand(url, user: "dreyes", server: server, keepShell: true), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("saved") }.ok)

        try server.kill()
        // The first patient's phone, edited while the server is gone.
        for key in ["1", "g", "e"] { try tmux.send(key) }
        #expect(tmux.waitFor { $0.contains("Edit · ") }.ok)
        for _ in 0..<5 { try tmux.send("Tab") }
        try tmux.send("C-u")
        try tmux.type("555-0166")
        try tmux.send("C-s")
        let offline = tmux.waitFor(timeout: 20) { $0.split(separator: "\n").first?.contains("offline — 1 change waiting") == true }
        #expect(offline.ok, "\(offline.screen)")

        try tmux.send("q")
        let asked = tmux.waitFor(timeout: 20) { $0.contains("kept on this") }
        #expect(asked.ok, "\(asked.screen)")
        #expect(!asked.screen.contains("lose"))
        try tmux.send("y")
        let quit = tmux.waitFor { $0.contains("EXIT=0") }
        #expect(quit.ok, "\(quit.screen)")

        // Back: the next start sends what was kept.
        try server.start()
        let again = try TmuxSession(command: appCommand(url, user: "dreyes", server: server), width: 80, height: 24)
        #expect(again.waitFor { $0.contains("being sent") }.ok)
        let sent = again.waitFor(timeout: 15) { _ in (try? inDatabase(url, server: server))?.patient(first.id)?.phone == "555-0166" }
        #expect(sent.ok, "\(sent.screen)")
        try again.send("q")
        #expect(again.waitUntilDead())
        let offlineFolder = scratch.file("config-dreyes/caseload/offline")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: offlineFolder)) ?? []).isEmpty, "the kept copy is gone once sent")
        // The edit made offline is in the trail too, and the chain verifies.
        let shown = try CaseloadBinary.run(["audit", url, "show", "--patient", first.mrn], environment: ["PGPASSFILE": server.pgpassFile])
        #expect(shown.stdout.contains("field:phone"), "\(shown.stdout)")
        let verified = try CaseloadBinary.run(["audit", url, "verify"], environment: ["PGPASSFILE": server.pgpassFile])
        #expect(verified.status == 0, "\(verified.stderr)")
    }
}
