import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// The audit trail as a compliance officer meets it (issue 17): a facilitator's evening in a real terminal — two records
/// viewed, roll taken, a note signed — then `caseload audit show --patient` lists exactly what was done to that chart,
/// `audit verify` passes, and a line changed with `sed` fails verification naming that line.
@Suite(.serialized) struct AuditEndToEndTests {
    let scratch = Scratch()

    /// One CSV row of `audit show --format csv`: sequence, action and ids (the time and who are checked apart).
    struct Row: Equatable {
        var sequence: Int
        var who: String
        var identity: String
        var action: String
        var ids: [String]
    }

    func rows(_ csv: String) -> [Row] {
        csv.split(separator: "\r\n").dropFirst().compactMap { line in
            // No field of these rows needs quoting: ids never hold a comma (it is %-escaped in the trail).
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let sequence = Int(fields[0]) else { return nil }
            return Row(sequence: sequence, who: fields[2], identity: fields[3], action: fields[4],
                       ids: fields[5].split(separator: " ").map(String.init))
        }
    }

    func show(_ path: String, patient: String) throws -> [Row] {
        let result = try CaseloadBinary.run(["audit", path, "show", "--patient", patient, "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        return rows(result.stdout)
    }

    func trailLines(_ path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path + ".audit") else { return [] }
        return String(decoding: try AtomicFile.read(path + ".audit"), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The patient whose record the screen shows, by the MRN in its title.
    func viewed(_ tmux: TmuxSession, in document: CaseloadDocument) throws -> Patient {
        let shown = tmux.waitFor { $0.contains("Record · ") }
        #expect(shown.ok, "\(shown.screen)")
        let title = try #require(shown.screen.split(separator: "\n").first { $0.contains("Record · ") })
        let patient = document.patients.first { title.contains("· \($0.mrn) ") }
        return try #require(patient, "\(title)")
    }

    @Test func aFacilitatorsEveningIsInTheTrailAndASedEditIsCaught() throws {
        let path = scratch.file("program.json")
        let made = try CaseloadBinary.run(["demo", "--out", path])
        #expect(made.status == 0, "\(made.stderr)")
        // Whatever the demo's own trail holds, this evening's entries come after it.
        let before = try trailLines(path).count
        let demo = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document

        // Marcus Bell (mbell), the evening facilitator, at 120×40.
        let tmux = try TmuxSession(command: scratch.appCommand(path, user: "mbell"), width: 120, height: 40)
        #expect(tmux.waitFor { $0.contains("Patients 30 active") }.ok)
        try tmux.send("1")
        try tmux.send("Enter")                     // the first patient's record
        let first = try viewed(tmux, in: demo)
        try tmux.send("Escape")
        #expect(tmux.waitFor { !$0.contains("Record · ") }.ok)
        try tmux.send("j")
        try tmux.send("Enter")                     // the second patient's record
        let second = try viewed(tmux, in: demo)
        #expect(first.id != second.id)
        try tmux.send("Escape")
        #expect(tmux.waitFor { !$0.contains("Record · ") }.ok)
        try tmux.send("2")
        try tmux.send("Enter")                     // tonight's group
        #expect(tmux.waitFor { $0.contains("Group note:") && $0.contains("attendance") }.ok)
        try tmux.send("P")                         // roll: everyone present
        #expect(tmux.waitFor { $0.contains("Everyone unmarked is present") }.ok)
        try tmux.send("Enter")                     // the first member's note
        #expect(tmux.waitFor { $0.contains("note ·") && $0.contains("for reference") }.ok)
        try tmux.type("Engaged throughout; named two triggers.")
        try tmux.send("Tab")
        try tmux.type("Making progress on objective 1.")
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Saved the note for") }.ok)
        try tmux.send("S")
        #expect(tmux.waitFor { $0.contains("as Marcus Bell, CADC?") }.ok)
        try tmux.send("y")
        let signed = tmux.waitFor { $0.contains("note signed by Marcus Bell") }
        #expect(signed.ok, "\(signed.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        // Which member's note was signed, and who was at tonight's group: from the saved file.
        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let tonight = try #require(doc.sessions.first { $0.date.iso == "2026-11-30" && $0.start.description == "18:00" && $0.kind == .group })
        let signedNote = try #require(tonight.memberNotes.first { $0.isSigned })
        let member = signedNote.patient
        let session = AuditEvent.session(tonight.id)
        let marked = Set(tonight.attendance.map(\.patient))
        #expect(marked.contains(member))

        // The member whose note was signed: exactly what was done to their chart this evening, in order.
        let memberPatient = try #require(doc.patient(member))
        let memberRows = try show(path, patient: memberPatient.mrn).filter { $0.sequence > before }
        #expect(memberRows.allSatisfy { $0.who == "mbell" && $0.identity == "account" }, "\(memberRows)")
        var expected: [String] = []
        if member == first.id || member == second.id { expected.append(AuditAction.recordOpen) }
        expected += [AuditAction.edit, AuditAction.notesOpen, AuditAction.edit, AuditAction.sign]
        #expect(memberRows.map(\.action) == expected, "\(memberRows)")
        let roll = try #require(memberRows.first { $0.action == AuditAction.edit })
        #expect(roll.ids.first == session)
        #expect(roll.ids.contains("field:attendance[\(member.rawValue)]"))
        let sign = try #require(memberRows.last)
        #expect(sign.ids == [session, AuditEvent.patient(member), "note:\(member.rawValue)"])

        // Each record viewed: its opening is there; a patient not at tonight's group has nothing else.
        for viewed in [first, second] {
            let viewedRows = try show(path, patient: viewed.mrn).filter { $0.sequence > before }
            #expect(viewedRows.first?.action == AuditAction.recordOpen, "\(viewed.mrn): \(viewedRows)")
            #expect(viewedRows.filter { $0.action == AuditAction.recordOpen }.count == 1)
            if !marked.contains(viewed.id) {
                #expect(viewedRows.map(\.action) == [AuditAction.recordOpen], "\(viewed.mrn): \(viewedRows)")
            }
        }

        // No name, phone or note sentence of anyone in the trail.
        let trail = String(decoding: try AtomicFile.read(path + ".audit"), as: UTF8.self)
        for patient in doc.patients {
            #expect(!trail.contains(patient.legalName), "\(patient.id)")
            if let phone = patient.phone { #expect(!trail.contains(phone)) }
        }
        #expect(!trail.contains("named two triggers"))
        #expect(!trail.contains("Marcus Bell"))

        // The chain verifies; then one line changed with sed fails, naming that line.
        let verified = try CaseloadBinary.run(["audit", path, "verify"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("chain intact"))
        let lines = try trailLines(path)
        let target = try #require(lines.indices.first { $0 >= before && lines[$0].contains("\t\(AuditAction.sign)\t") }) + 1
        let sed = Process()
        sed.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sed.arguments = ["sed", "-i", "\(target)s/\(AuditAction.sign)/note.sigx/", path + ".audit"]
        try sed.run()
        sed.waitUntilExit()
        #expect(sed.terminationStatus == 0)
        let broken = try CaseloadBinary.run(["audit", path, "verify"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("entry \(target) was changed"), "\(broken.stderr)")
        #expect(broken.stderr.contains("line \(target) of"), "\(broken.stderr)")
    }
}
