import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Admitting a patient through the keys in a real terminal, and finding her again after a restart.
@Suite(.serialized) struct PatientEndToEndTests {
    let scratch = Scratch()

    func appCommand(_ path: String) -> String { scratch.appCommand(path) }

    /// Types `text` into the focused field, then Tab to the next one.
    func field(_ tmux: TmuxSession, _ text: String) throws {
        if !text.isEmpty { try tmux.type(text) }
        try tmux.send("Tab")
    }

    @Test func admitZoeWithPhaseAndProbationThenFindHerAfterRestart() throws {
        let path = scratch.file("program.json")
        let made = try CaseloadBinary.run(["demo", "--out", path])
        #expect(made.status == 0, "\(made.stderr)")
        let tmux = try TmuxSession(command: appCommand(path), width: 120, height: 40)
        #expect(tmux.waitFor { $0.contains("Patients 30 active") }.ok)

        try tmux.send("1")
        try tmux.send("n")
        let form = tmux.waitFor { $0.contains("New patient") && $0.contains("Legal name") }
        #expect(form.ok, "the intake form opens:\n\(form.screen)")
        try field(tmux, "Zoë Ångström-Nakamura")   // legal name
        try field(tmux, "Zoë")                     // preferred name
        try field(tmux, "she/her")
        try field(tmux, "1991-03-14")              // date of birth
        try field(tmux, "")                        // MRN: the suggested next one
        try field(tmux, "312-555-0188")
        try field(tmux, "zoe@example.org")
        try field(tmux, "Mika Nakamura")           // emergency contact
        try field(tmux, "sister")
        try field(tmux, "312-555-0177")
        try field(tmux, "Cook County Adult Probation")  // referral source
        try field(tmux, "")                        // status: active
        try field(tmux, "")                        // admission: today
        try field(tmux, "+8w")                     // expected discharge
        try tmux.send("Right")                     // phase: the second one
        try field(tmux, "")
        try field(tmux, "")                        // phase from: admission
        try tmux.send("Right")                     // primary clinician: the first staff member
        try field(tmux, "")
        try field(tmux, "Adult evening")           // track
        try tmux.send("Right")                     // supervision: probation
        try field(tmux, "")
        try field(tmux, "Officer R. Castillo")
        try field(tmux, "312-555-0100")
        try field(tmux, "weekly")
        try field(tmux, "72")                      // mandated hours
        try field(tmux, "26-CR-0042")              // case number; now on the diagnoses list
        try tmux.send("a")
        #expect(tmux.waitFor { $0.contains("New diagnosis") }.ok)
        try field(tmux, "F10.20")
        try field(tmux, "Alcohol use disorder, moderate")
        try tmux.send("Space")                     // primary
        try tmux.send("C-s")
        let back = tmux.waitFor { !$0.contains("New diagnosis") && $0.contains("F10.20") }
        #expect(back.ok, "the diagnosis is in the form's list:\n\(back.screen)")
        try tmux.send("C-s")
        let admitted = tmux.waitFor { $0.contains("Admitted Zoë") }
        #expect(admitted.ok, "the form is saved:\n\(admitted.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead(), "q quits")

        // Every typed field is in the file.
        let decoded = try DocumentCodec.decode(try AtomicFile.read(path), path: path)
        let doc = decoded.document
        let zoe = try #require(doc.patients.first { $0.legalName == "Zoë Ångström-Nakamura" })
        #expect(zoe.preferredName == "Zoë")
        #expect(zoe.pronouns == "she/her")
        #expect(zoe.dateOfBirth?.iso == "1991-03-14")
        #expect(!zoe.mrn.isEmpty && doc.patients.filter { $0.mrn == zoe.mrn }.count == 1)
        #expect(zoe.phone == "312-555-0188")
        #expect(zoe.email == "zoe@example.org")
        #expect(zoe.emergencyContact == EmergencyContact(name: "Mika Nakamura", relationship: "sister", phone: "312-555-0177"))
        #expect(zoe.referralSource == "Cook County Adult Probation")
        #expect(zoe.status == .active)
        #expect(zoe.admissionDate?.iso == "2026-11-30")
        #expect(zoe.expectedDischarge?.iso == "2027-01-25")
        #expect(zoe.careHistory.map(\.phase) == [doc.program.phases[1].id])
        #expect(zoe.careHistory.first?.date.iso == "2026-11-30")
        #expect(zoe.primaryClinician == doc.staff.first?.id)
        #expect(zoe.track == "Adult evening")
        #expect(zoe.legal == LegalSupervision(kind: .probation, officer: "Officer R. Castillo", contact: "312-555-0100",
                                              reportingFrequency: "weekly", mandatedMinutes: 72 * 60, caseNumber: "26-CR-0042"))
        #expect(zoe.diagnoses == [Diagnosis(code: "F10.20", description: "Alcohol use disorder, moderate", isPrimary: true)])

        // Reopen and find her with /zoe; Enter on the one match opens her record.
        let again = try TmuxSession(command: appCommand(path), width: 120, height: 40)
        #expect(again.waitFor { $0.contains("Patients 31 active") }.ok)
        try again.send("/")
        try again.type("zoe")
        // The demo has a Zoë O'Brien too: both are found, and ours (shown by her preferred name, "Zoë") is first.
        let found = again.waitFor { $0.contains("2 shown") && $0.contains("│ Zoë  ") && $0.contains("Zoë O'Brien") }
        #expect(found.ok, "/zoe finds her:\n\(found.screen)")
        try again.send("Enter")
        let record = again.waitFor { $0.contains("Record · Zoë · \(zoe.mrn)") && $0.contains("Ångström-Nakamura") && $0.contains("Officer R. Castillo") }
        #expect(record.ok, "her record:\n\(record.screen)")
        try again.send("Escape")
        try again.send("q")
        #expect(again.waitUntilDead())
    }
}
