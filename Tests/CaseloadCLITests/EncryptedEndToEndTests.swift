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
}
