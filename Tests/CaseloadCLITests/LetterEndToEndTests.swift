import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// A drug-court letter made from the TUI at 80×24, as a program director would: the letter lands in `$HOME` (mode 0600),
/// the box says it was logged as a disclosure, the Record shows the entry, and the absence it reports leaves the alerts.
@Suite(.serialized) struct LetterEndToEndTests {
    let scratch = Scratch()

    /// The app on `path` with `HOME` in the scratch folder and Dana Reyes (dreyes) at the keyboard.
    func appCommand(_ path: String, home: String) -> String {
        "exec env CASELOAD_NOW=2026-11-30T18:05 USER=dreyes CASELOAD_TEST_ACCOUNT=dreyes HOME=\(shellQuote(home)) XDG_CONFIG_HOME=\(shellQuote(scratch.file("config"))) LANG=C.UTF-8 "
            + "\(shellQuote(CaseloadBinary.path)) --file \(shellQuote(path))"
    }

    @Test func aNovemberLetterForTheDrugCourtIsWrittenLoggedShownInTheRecordAndClearsTheAbsenceAlert() throws {
        let path = scratch.file("program.json")
        let home = scratch.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let made = try CaseloadBinary.run(["demo", "--out", path])
        #expect(made.status == 0, "\(made.stderr)")
        // The demo's 吴军 (RV-10123) is in drug court, with a consent naming N. Pruitt, and an unexcused absence on Tue 24 Nov.
        let tmux = try TmuxSession(command: appCommand(path, home: home), width: 80, height: 24)
        // The Week has the keyboard at start, and the whole width at 80 columns: the Patients pane shows on `1`.
        let start = tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }
        #expect(start.ok)
        let alertsBefore = try #require(Self.alertCount(start.screen))
        let opened = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(Self.supervisedAbsences(opened, mrn: "RV-10123") == ["2026-11-24"], "the absence is alerted first")

        try tmux.send("1", "/")
        try tmux.type("RV-10123")
        try tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("Record · 吴军") }.ok)
        try tmux.send("r")
        #expect(tmux.waitFor { $0.contains("Attendance report · 吴军") && $0.contains("Letter to N. Pruitt") }.ok)
        try tmux.send("Right", "Tab", "C-u")              // Make: letter; From
        try tmux.type("2026-11-01")
        try tmux.send("Tab", "C-u")                       // To
        try tmux.type("2026-11-30")
        try tmux.send("C-s")
        let preview = tmux.waitFor { $0.contains("Report · Letter to N. Pruitt") }
        #expect(preview.ok, "the letter is previewed:\n\(preview.screen)")
        #expect(preview.screen.contains("Period: 2026-11-01 to 2026-11-30"))
        try tmux.send("w")
        let written = tmux.waitFor { $0.contains("Letter written") && $0.contains("under Disclosures") }
        #expect(written.ok, "the box confirms it:\n\(written.screen)")
        #expect(written.screen.contains("Logged as a disclosure to N. Pruitt"))
        #expect(written.screen.contains("~/caseload-RV-10123-letter-2026-11-01-2026-11-30.txt"))

        // The letter is in $HOME, readable only by the user.
        let letter = (home as NSString).appendingPathComponent("caseload-RV-10123-letter-2026-11-01-2026-11-30.txt")
        let attributes = try FileManager.default.attributesOfItem(atPath: letter)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let text = String(decoding: FileManager.default.contents(atPath: letter) ?? Data(), as: UTF8.self)
        #expect(text.contains("To: N. Pruitt, Drug Court Coordinator"))
        #expect(text.contains("2026-11-24  19:30–21:00  absent (unexcused)"))

        // r opens the record at its disclosure log.
        try tmux.send("r")
        let record = tmux.waitFor { $0.contains("Record · 吴军") && $0.contains("Disclosures") && $0.contains("attendance letter, 2026-11-01 to 2026-11-30") }
        #expect(record.ok, "the Record shows the entry:\n\(record.screen)")
        try tmux.send("Escape")

        // The absence it reports has left the alerts: one fewer in the title bar.
        let after = tmux.waitFor { Self.alertCount($0) == alertsBefore - 1 }
        #expect(after.ok, "one alert fewer than \(alertsBefore):\n\(after.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead(), "q quits")

        // The saved file holds the disclosure.
        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let wu = try #require(doc.patient(mrn: "RV-10123"))
        let entry = try #require(wu.disclosures.last)
        #expect(entry.recipient.hasPrefix("N. Pruitt") && entry.date.iso == "2026-11-30")
        #expect(entry.from.iso == "2026-11-01" && entry.to.iso == "2026-11-30")
        #expect(entry.by == StaffID("stf_01"))
        #expect(Self.supervisedAbsences(doc, mrn: "RV-10123").isEmpty, "the letter covers the absence")
    }

    /// The count after ⚠ in the title bar.
    static func alertCount(_ screen: String) -> Int? {
        guard let first = screen.split(separator: "\n").first, let mark = first.range(of: "⚠ ") else { return nil }
        return Int(first[mark.upperBound...].prefix { $0.isNumber })
    }

    /// The days of the patient's supervised-absence alerts on the fixed clock's day.
    static func supervisedAbsences(_ doc: CaseloadDocument, mrn: String) -> [String] {
        let zone = TimeZone(identifier: doc.program.timeZone) ?? .gmt
        let today = LocalDate(iso: "2026-11-30") ?? LocalDate(dayNumber: 0)
        let now = Recurrence.instant(today, LocalTime(clamping: 18 * 60 + 5), in: zone)
        let id = doc.patient(mrn: mrn)?.id
        return Alerts.compute(doc, schedule: ScheduleIndex(doc), now: now, today: today)
            .filter { $0.kind == .supervisedAbsence && $0.patient == id }.compactMap { $0.date?.iso }
    }

    @Test func anExistingReportIsReplacedOnlyAfterYes() throws {
        let path = scratch.file("program.json")
        let home = scratch.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        _ = try CaseloadBinary.run(["demo", "--out", path])
        let target = (home as NSString).appendingPathComponent("mine.txt")
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: target))
        let tmux = try TmuxSession(command: appCommand(path, home: home), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }.ok)
        try tmux.send("1", "r")
        #expect(tmux.waitFor { $0.contains("Attendance report ·") }.ok)
        try tmux.send("Tab", "Tab", "Tab", "Tab", "Tab")   // Write to
        try tmux.type("~/mine.txt")
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Report ·") }.ok)
        try tmux.send("w")
        let asked = tmux.waitFor { $0.contains("already exists. Replace it? (y/n)") }
        #expect(asked.ok, "it asks:\n\(asked.screen)")
        try tmux.send("n")
        #expect(tmux.waitFor { $0.contains("Cancelled") }.ok)
        #expect(String(decoding: FileManager.default.contents(atPath: target) ?? Data(), as: UTF8.self) == "keep me\n")
        // The form offers the same place again; this time yes.
        try tmux.send("r")
        #expect(tmux.waitFor { $0.contains("~/mine.txt") }.ok)
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Report ·") }.ok)
        try tmux.send("w")
        #expect(tmux.waitFor { $0.contains("Replace it?") }.ok)
        try tmux.send("y")
        #expect(tmux.waitFor { $0.contains("Wrote ~/mine.txt") }.ok)
        #expect(String(decoding: FileManager.default.contents(atPath: target) ?? Data(), as: UTF8.self).contains("attendance report"))
        try tmux.send("q")
        #expect(tmux.waitUntilDead())
    }

    @Test func aTypedFolderGetsTheFileNameAndTheDocumentItselfIsNeverWrittenOver() throws {
        let path = scratch.file("program.json")
        let home = scratch.file("home")
        let folder = scratch.file("letters")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        _ = try CaseloadBinary.run(["demo", "--out", path])
        let before = try AtomicFile.read(path)
        let tmux = try TmuxSession(command: appCommand(path, home: home), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }.ok)

        // The document's own path is refused, and the file keeps its bytes.
        try tmux.send("1", "r")
        #expect(tmux.waitFor { $0.contains("Attendance report ·") }.ok)
        try tmux.send("Tab", "Tab", "Tab", "Tab", "Tab")
        try tmux.type(path)
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Report ·") }.ok)
        try tmux.send("w")
        let refused = tmux.waitFor { $0.contains("Not written: that is the open document") }
        #expect(refused.ok, "the document is not a report's place:\n\(refused.screen)")
        #expect(try AtomicFile.read(path) == before)

        // A folder gets the file name.
        try tmux.send("r")
        #expect(tmux.waitFor { $0.contains("Attendance report ·") }.ok)
        try tmux.send("Tab", "Tab", "Tab", "Tab", "Tab", "C-u")
        try tmux.type(folder)
        try tmux.send("C-s")
        #expect(tmux.waitFor { $0.contains("Report ·") }.ok)
        try tmux.send("w")
        #expect(tmux.waitFor { $0.contains("Wrote") }.ok)
        let written = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(written.count == 1 && written[0].hasPrefix("caseload-RV-") && written[0].hasSuffix("-2026-11-02-2026-11-30.txt"), "\(written)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())
    }
}
