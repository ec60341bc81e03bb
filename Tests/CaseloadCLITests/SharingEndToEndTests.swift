import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Issue 18 in a real terminal: two instances (two accounts' worth: the facilitator and the director; one OS account,
/// as the test machine allows) on one demo document, both writable. Each sees the other's saved changes within
/// seconds; quitting both leaves everything in the file; the same phone edited on both is a conflict shown and resolved.
@Suite(.serialized) struct SharingEndToEndTests {
    let scratch = Scratch()

    func document() throws -> String {
        let path = scratch.file("program.json")
        let made = try CaseloadBinary.run(["demo", "--out", path])
        #expect(made.status == 0, "\(made.stderr)")
        return path
    }

    func onDisk(_ path: String) throws -> CaseloadDocument {
        try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
    }

    /// How long after `since` the file was next replaced by a save (nil if not within 10 s).
    func nextSave(of path: String, after before: Date?) -> Date? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified != before { return Date() }
            usleep(20_000)
        }
        return nil
    }

    func phone(_ path: String, _ id: PatientID) -> String? {
        (try? onDisk(path))?.patient(id)?.phone
    }

    func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    @Test func rollOnOneAdmissionAndANoteOnTheOtherBothSeeBothAndTheFileHasAll() throws {
        let path = try document()
        let facilitator = try TmuxSession(command: scratch.appCommand(path, user: "mbell"), width: 120, height: 40)
        let director = try TmuxSession(command: scratch.appCommand(path, user: "dreyes"), width: 120, height: 40)
        for tmux in [facilitator, director] { #expect(tmux.waitFor { $0.contains("Patients 30 active") }.ok) }
        #expect(!director.screen.contains("read-only"), "the second instance is writable")

        // The facilitator marks the first member of tonight's group present (the demo has them absent).
        for key in ["2", "t", "j", "Enter"] { try facilitator.send(key) }
        #expect(facilitator.waitFor { $0.contains("Session · ") && $0.contains("IOP-A Evening") }.ok)
        for _ in 0..<12 { try facilitator.send("k") }
        try facilitator.send("j")
        var before = modified(path)
        try facilitator.send("p")
        let marked = facilitator.waitFor { $0.split(separator: "\n").last?.hasSuffix(": present") == true }
        #expect(marked.ok, "\(marked.screen)")
        let member = String(marked.screen.split(separator: "\n").last?.dropLast(": present".count) ?? "").trimmingCharacters(in: .whitespaces)
        // The director's screen takes it in: a status line says so, and the member's hours grow.
        let saved1 = nextSave(of: path, after: before)
        let seen1 = director.waitFor(timeout: 10) { $0.contains("Changes saved by another person were merged in") }
        #expect(seen1.ok, "\(seen1.screen)")
        if let saved1 { print("roll: shown on the other screen \(String(format: "%.2f", Date().timeIntervalSince(saved1))) s after the file was saved") }

        // The director admits a patient, then writes José Ortiz's note of Tuesday's individual session.
        before = modified(path)
        for key in ["1", "n"] { try director.send(key) }
        #expect(director.waitFor { $0.contains("New patient") }.ok)
        try director.type("Nadia Okafor")
        try director.send("C-s")
        #expect(director.waitFor { $0.contains("Admitted Nadia Okafor") }.ok)
        let saved2 = nextSave(of: path, after: before)
        let seen2 = facilitator.waitFor(timeout: 10) { $0.contains("Nadia Okafor") && $0.contains("Patients 31 active") }
        #expect(seen2.ok, "\(seen2.screen)")
        if let saved2 { print("admission: shown on the other screen \(String(format: "%.2f", Date().timeIntervalSince(saved2))) s after the file was saved") }
        // Today's 16:00 individual session (the demo has its note unwritten).
        for key in ["2", "t", "k", "k", "k", "k", "Enter"] { try director.send(key) }
        let individual = director.waitFor { $0.contains("Session · Individual") }
        #expect(individual.ok, "\(individual.screen)")
        try director.send("Enter")
        let form = director.waitFor { $0.contains(" note · ") }
        #expect(form.ok, "\(form.screen)")
        try director.type(" Reviewed the coping plan together.")
        try director.send("C-s")
        #expect(director.waitFor { $0.contains("Saved the note for") }.ok)

        // Both quit; the file has all three.
        for tmux in [facilitator, director] {
            try tmux.send("Escape")
            try tmux.send("q")
        }
        for tmux in [facilitator, director] { #expect(tmux.waitUntilDead()) }
        let doc = try onDisk(path)
        let tonight = try #require(doc.sessions.first { $0.date.iso == "2026-11-30" && $0.title.contains("IOP-A Evening") })
        let markedPatient = try #require(doc.patients.first { $0.displayName == member || $0.legalName == member }, "\(member)")
        #expect(tonight.attendance(for: markedPatient.id) == .present)
        #expect(doc.patients.contains { $0.legalName == "Nadia Okafor" })
        let note = doc.sessions.flatMap(\.memberNotes).first { $0.sections.contains { $0.text.contains("Reviewed the coping plan together.") } }
        #expect(note != nil)
        let verified = try CaseloadBinary.run(["audit", path, "verify"])
        #expect(verified.status == 0, "both instances' entries chain: \(verified.stderr)")
    }

    @Test func theSamePhoneEditedOnBothIsAConflictShownAndTheChosenValueKept() throws {
        let path = try document()
        let facilitator = try TmuxSession(command: scratch.appCommand(path, user: "mbell"), width: 80, height: 24)
        let director = try TmuxSession(command: scratch.appCommand(path, user: "dreyes"), width: 80, height: 24)
        for tmux in [facilitator, director] { #expect(tmux.waitFor { $0.contains("Caseload") && $0.contains("saved") }.ok) }
        // Both open the first patient's form and go to Phone.
        for tmux in [facilitator, director] {
            for key in ["1", "g", "e"] { try tmux.send(key) }
            #expect(tmux.waitFor { $0.contains("Edit · ") }.ok)
            for _ in 0..<5 { try tmux.send("Tab") }
            try tmux.send("C-u")
        }
        let patient = try #require(try onDisk(path).patients.sorted { $0.legalName < $1.legalName }.first)
        try director.type("555-0100")
        try director.send("C-s")
        #expect(director.waitFor { $0.contains("Saved ") }.ok)
        // The facilitator's instance takes the director's save in while the form is still open…
        let theirsSaved = facilitator.waitFor(timeout: 10) { _ in phone(path, patient.id) == "555-0100" }
        #expect(theirsSaved.ok)
        usleep(2_500_000)
        // …and saving the form is then a conflict, not a silent overwrite either way.
        try facilitator.type("555-0199")
        try facilitator.send("C-s")
        let counted = facilitator.waitFor { $0.contains("1 conflict") }
        #expect(counted.ok, "the title bar counts it:\n\(counted.screen)")
        try facilitator.send("C")
        let listed = facilitator.waitFor { $0.contains("555-0100") && $0.contains("555-0199") }
        #expect(listed.ok, "both values are shown:\n\(listed.screen)")
        try facilitator.send("m")
        #expect(facilitator.waitFor { $0.contains("Kept yours") }.ok)
        let mineSaved = facilitator.waitFor(timeout: 10) { _ in phone(path, patient.id) == "555-0199" }
        #expect(mineSaved.ok)
        let shown = director.waitFor(timeout: 10) { $0.contains("Changes saved by another person were merged in") }
        #expect(shown.ok, "\(shown.screen)")
        for tmux in [facilitator, director] { try tmux.send("q") }
        for tmux in [facilitator, director] { #expect(tmux.waitUntilDead()) }
        #expect(try onDisk(path).patient(patient.id)?.phone == "555-0199")
    }
}
