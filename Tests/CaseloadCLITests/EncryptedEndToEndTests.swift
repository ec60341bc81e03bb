import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Issue 16 in a real terminal: an encrypted demo opened with the passphrase typed at the prompt.
@Suite(.serialized) struct EncryptedEndToEndTests {
    let scratch = Scratch()

    /// An encrypted demo (cheap scrypt cost: the tests' seam); dreyes's passphrase is "dreyes-demo".
    func encryptedDemo() throws -> String {
        let path = scratch.file("program.json")
        let made = try CaseloadBinary.run(["demo", "--out", path, "--encrypt"], environment: ["CASELOAD_TEST_SCRYPT_N": "1024"])
        #expect(made.status == 0, "\(made.stderr)")
        return path
    }

    /// The app under a shell that prints its exit status and stays, so the screen can be read afterwards.
    func appCommandShowingExit(_ path: String) -> String {
        scratch.appCommand(path, user: "dreyes", exec: false) + "; echo \"EXIT=$?\"; sleep 30"
    }

    @Test func threeWrongPassphrasesAtThePromptExitFiveWithoutTouchingTheFile() throws {
        let path = try encryptedDemo()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let filesBefore = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        let tmux = try TmuxSession(command: appCommandShowingExit(path), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("Passphrase for dreyes (program.json):") }.ok)
        for attempt in 1...3 {
            try tmux.type("guess number \(attempt)")
            try tmux.send("Enter")
            if attempt < 3 {
                let left = 3 - attempt
                #expect(tmux.waitFor { $0.contains("wrong passphrase for dreyes; \(left) more tr") }.ok)
            }
        }
        let end = tmux.waitFor { $0.contains("EXIT=") }
        #expect(end.ok, "\(end.screen)")
        // The message wraps at 80 columns: read it as one line.
        let unwrapped = end.screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(unwrapped.contains("3 wrong passphrases did not open dreyes's key slot; nothing was read or changed"), "\(end.screen)")
        #expect(end.screen.contains("EXIT=5"))
        // What was typed never showed.
        #expect(!end.screen.contains("guess number"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        // No backup, no temp file, no quarantine: nothing was started.
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        #expect(left == filesBefore, "\(left)")
    }

    /// The document as saved, opened with dreyes's demo passphrase.
    func saved(_ path: String) throws -> CaseloadDocument {
        let header = try #require(try EncryptedFile.header(atPath: path))
        let keys = try DocumentKeys.unlock(header: header, login: "dreyes", passphrase: "dreyes-demo")
        return try DocumentStore.read(path, keys: keys).document
    }

    /// Words of patients' names that no staff member's name shares (the lock screen names the signed-in person).
    static func patientNameWords(_ document: CaseloadDocument) -> Set<String> {
        let staffWords = Set(document.staff.flatMap { $0.name.split(separator: " ").map(String.init) })
        var words: Set<String> = []
        for patient in document.patients {
            for name in [patient.legalName, patient.preferredName ?? ""] {
                for word in name.split(separator: " ") where word.count >= 3 && !staffWords.contains(String(word)) {
                    words.insert(String(word))
                }
            }
        }
        return words
    }

    /// Starts the app on an encrypted demo at `width`×`height` and types the passphrase at the prompt.
    func openUnlocked(_ command: String, width: Int = 80, height: Int = 24) throws -> TmuxSession {
        let tmux = try TmuxSession(command: command, width: width, height: height)
        #expect(tmux.waitFor { $0.contains("Passphrase for dreyes (program.json):") }.ok)
        try tmux.type("dreyes-demo")
        try tmux.send("Enter")
        let start = tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }
        #expect(start.ok, "\(start.screen)")
        return tmux
    }

    @Test func anIdleEncryptedDemoLocksWithNoPatientOnScreenThenUnlocksTakesTheRollAndReopens() throws {
        let path = try encryptedDemo()
        let opened = try saved(path)
        let names = Self.patientNameWords(opened)
        #expect(names.count > 20)
        let config = scratch.file("config/caseload")
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try Data("lock_after = \"3s\"\n".utf8).write(to: URL(fileURLWithPath: config + "/config.toml"))

        let tmux = try openUnlocked(scratch.appCommand(path, user: "dreyes"))
        #expect(tmux.screen.contains("IOP-A Evening · Mon Nov 30 18:00–21:00"))
        // Three seconds without a key: the lock screen, and not one patient's name on it.
        let locked = tmux.waitFor(timeout: 20) { $0.contains("Locked since 18:05") }
        #expect(locked.ok, "\(locked.screen)")
        #expect(locked.screen.contains("Signed in: dreyes (Dana Reyes)"))
        #expect(locked.screen.contains("Passphrase for dreyes:"))
        let shown = names.filter { locked.screen.contains($0) }
        #expect(shown.isEmpty, "patient names on the lock screen: \(shown.sorted())")
        #expect(!locked.screen.contains("IOP-A"), "no session either")

        // A wrong passphrase is counted, echoed as nothing but the mask, and keeps it locked.
        try tmux.type("not the one")
        try tmux.send("Enter")
        let wrong = tmux.waitFor { $0.contains("Wrong passphrase (1 wrong try since it locked)") }
        #expect(wrong.ok, "\(wrong.screen)")
        #expect(!wrong.screen.contains("not the one"))
        try tmux.type("dreyes-demo")
        try tmux.send("Enter")
        let back = tmux.waitFor { $0.contains("Week 49") && $0.contains("Unlocked; 1 wrong passphrase") }
        #expect(back.ok, "\(back.screen)")
        #expect(back.screen.contains("IOP-A Evening · Mon Nov 30 18:00–21:00"), "back where it was")

        // Tonight's roll, then quit.
        try tmux.send("Enter", "P")
        #expect(tmux.waitFor { $0.contains("Marcus Bell · held") }.ok)
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.prefix(8) == Data("CLDCRYPT".utf8))
        let monday = try #require(LocalDate(iso: "2026-11-30"))
        let group = try #require(try saved(path).sessions.first { $0.date == monday && $0.title == "IOP-A Evening" })
        #expect(!group.attendance.isEmpty && group.attendance.allSatisfy { $0.status == .present })

        // Reopened with the passphrase: the roll is there.
        let again = try openUnlocked(scratch.appCommand(path, user: "dreyes"), width: 120, height: 40)
        try again.send("Enter")
        let held = again.waitFor { $0.contains("Marcus Bell · held") && $0.contains("present") }
        #expect(held.ok, "\(held.screen)")
        try again.send("q")
        #expect(again.waitUntilDead())
    }

    @Test func editsAnEditorRoundTripAndACrashLeaveNoPlaintextOnDisk() throws {
        let path = try encryptedDemo()
        let names = try saved(path).patients.map(\.legalName).filter { $0.count >= 8 }
        let temp = scratch.file("tmp")
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        // The editor appends a marker sentence; the script itself never holds the marker whole.
        let editor = scratch.file("editor.sh")
        let log = scratch.file("editor-paths.log")
        try Data("#!/bin/sh\necho \"$1\" >> \(shellQuote(log))\nprintf 'Zebra-%s said the coping plan works.\\n' Quokka >> \"$1\"\n".utf8)
            .write(to: URL(fileURLWithPath: editor))
        chmod(editor, 0o700)
        let command = "exec env CASELOAD_NOW=2026-11-30T18:05 USER=dreyes CASELOAD_TEST_ACCOUNT=dreyes XDG_CONFIG_HOME=\(shellQuote(scratch.file("config"))) "
            + "TMPDIR=\(shellQuote(temp)) VISUAL=\(shellQuote(editor)) LANG=C.UTF-8 \(shellQuote(CaseloadBinary.path)) --file \(shellQuote(path))"
        let marker = "Zebra-Quokka said the coping plan works."

        let tmux = try openUnlocked(command)
        try tmux.send("Enter", "P")
        #expect(tmux.waitFor { $0.contains("Marcus Bell · held") }.ok)
        try tmux.send("j", "E")
        let edited = tmux.waitFor { $0.contains("note saved from the editor") }
        #expect(edited.ok, "\(edited.screen)")
        // The hand-off went through an in-memory folder, removed afterwards.
        let handedTo = try String(contentsOfFile: log, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(handedTo.hasPrefix("/dev/shm/") || handedTo.hasPrefix(ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"] ?? "/dev/shm/"), "\(handedTo)")
        #expect(!FileManager.default.fileExists(atPath: handedTo))
        #expect(!FileManager.default.fileExists(atPath: (handedTo as NSString).deletingLastPathComponent))

        // Autosave writes the note within two seconds; then the app is killed outright.
        let deadline = Date().addingTimeInterval(15)
        var written = false
        while Date() < deadline, !written {
            written = ((try? saved(path))?.sessions.contains { $0.memberNotes.contains { $0.sections.contains { $0.text.contains(marker) } } }) ?? false
            if !written { usleep(200_000) }
        }
        #expect(written, "the note reached the file")
        let pid = try #require(tmux.panePID)
        kill(pid, SIGKILL)
        #expect(tmux.waitUntilDead())

        // Reopened after the crash: the note is there; one more edit and a clean quit.
        let again = try openUnlocked(command)
        try again.send("Enter")
        #expect(again.waitFor { $0.contains("Marcus Bell · held") }.ok)
        try again.send("j", "a")
        try again.send("q")
        #expect(again.waitUntilDead())

        // Backups were made, and are sealed.
        let backups = try FileManager.default.contentsOfDirectory(atPath: path + ".backups").filter { $0.hasSuffix(".json") }
        #expect(!backups.isEmpty)
        for name in backups {
            let data = try Data(contentsOf: URL(fileURLWithPath: path + ".backups/" + name))
            #expect(data.prefix(8) == Data("CLDCRYPT".utf8), "\(name)")
        }
        // Nothing under the document's folder (its backups, quarantine, temp folder) nor in /dev/shm holds a patient's
        // name or the note's sentence.
        var folders = [scratch.path]
        folders += ((try? FileManager.default.contentsOfDirectory(atPath: "/dev/shm")) ?? []).filter { $0.hasPrefix("caseload-") }.map { "/dev/shm/" + $0 }
        for folder in folders {
            let found = EncryptionCLITests.filesContaining([marker] + names, under: folder)
            #expect(found.isEmpty, "\(folder): \(found)")
        }
        let note = try saved(path).sessions.flatMap(\.memberNotes).first { $0.sections.contains { $0.text.contains(marker) } }
        #expect(note != nil, "the note survived the crash")
    }

    @Test func aDocumentKeyChangedSinceTheLastOpenIsAskedAboutBeforeTheScreenOpens() throws {
        let path = try encryptedDemo()
        // The first open here remembers the document's slots and key.
        let first = try openUnlocked(scratch.appCommand(path, user: "dreyes"))
        try first.send("q")
        #expect(first.waitUntilDead())

        // Elsewhere, someone removes mbell and gives her a slot again: a new document key, nobody missing.
        let pass = scratch.file("pass")
        try Data("dreyes-demo\n".utf8).write(to: URL(fileURLWithPath: pass))
        chmod(pass, 0o600)
        let newPass = scratch.file("new-pass")
        try Data("mbell-new\n".utf8).write(to: URL(fileURLWithPath: newPass))
        chmod(newPass, 0o600)
        let elsewhere = ["USER": "dreyes", "XDG_STATE_HOME": scratch.file("elsewhere"), "CASELOAD_TEST_SCRYPT_N": "1024"]
        #expect(try CaseloadBinary.run(["keys", path, "remove", "mbell", "--passphrase-file", pass], environment: elsewhere).status == 0)
        #expect(try CaseloadBinary.run(["keys", path, "add", "mbell", "--passphrase-file", pass, "--new-passphrase-file", newPass], environment: elsewhere).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        // Asked before anything is shown; no opens nothing.
        let refused = try TmuxSession(command: appCommandShowingExit(path), width: 80, height: 24)
        #expect(refused.waitFor { $0.contains("Passphrase for dreyes (program.json):") }.ok)
        try refused.type("dreyes-demo")
        try refused.send("Enter")
        let asked = refused.waitFor { $0.contains("Open it anyway? [y/N]") }
        #expect(asked.ok, "\(asked.screen)")
        let unwrapped = asked.screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(unwrapped.contains("given a new key: mbell; the document key was changed although nobody was removed"), "\(asked.screen)")
        try refused.send("n", "Enter")
        let gone = refused.waitFor { $0.contains("EXIT=") }
        #expect(gone.screen.contains("EXIT=5"), "\(gone.screen)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)

        // Yes opens it, and the status line says it again; after that it is what this account has seen.
        let accepted = try TmuxSession(command: scratch.appCommand(path, user: "dreyes"), width: 120, height: 40)
        #expect(accepted.waitFor { $0.contains("Passphrase for dreyes (program.json):") }.ok)
        try accepted.type("dreyes-demo")
        try accepted.send("Enter")
        #expect(accepted.waitFor { $0.contains("Open it anyway? [y/N]") }.ok)
        try accepted.send("y", "Enter")
        // Then read whole in a box before working.
        let shown = accepted.waitFor { $0.contains("Key slots changed") && $0.contains("• given a new key: mbell") }
        #expect(shown.ok, "\(shown.screen)")
        #expect(shown.screen.contains("• the document key was changed although nobody was removed"))
        try accepted.send("o")
        #expect(accepted.waitFor { $0.contains("Week 49") && !$0.contains("Key slots changed") }.ok)
        try accepted.send("q")
        #expect(accepted.waitUntilDead())
        let third = try openUnlocked(scratch.appCommand(path, user: "dreyes"))
        #expect(!third.screen.contains("Key slots changed"))
        try third.send("q")
        #expect(third.waitUntilDead())
    }
}
