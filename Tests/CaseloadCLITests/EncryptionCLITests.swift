import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// `caseload encrypt`, `decrypt`, `keys`, `demo --encrypt` and the passphrase options of the reading commands, run as a
/// user runs them. Slots are made at a cheap scrypt cost (CASELOAD_TEST_SCRYPT_N, honoured by debug builds only).
@Suite(.serialized) struct EncryptionCLITests {
    let scratch = Scratch()
    static let cheap = ["CASELOAD_TEST_SCRYPT_N": "1024"]

    func run(_ arguments: [String], user: String = "dreyes", wrapper: [String] = []) throws -> CaseloadBinary.Result {
        try CaseloadBinary.run(arguments, environment: Self.cheap.merging(["USER": user, "XDG_STATE_HOME": scratch.file("state")]) { $1 }, wrapper: wrapper)
    }

    /// A private passphrase file holding `text`.
    func secret(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let path = scratch.file(name)
        try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, mode_t(mode))
        return path
    }

    /// Every regular file under `folder` (recursively) whose bytes contain one of `needles`.
    static func filesContaining(_ needles: [String], under folder: String) -> [String] {
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let name = enumerator?.nextObject() as? String {
            let path = (folder as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            for needle in needles where data.range(of: Data(needle.utf8)) != nil {
                found.append("\(name) contains \(needle)")
            }
        }
        return found
    }

    /// Patient surnames and long note sentences of the plain demo (the same seed and clock give the same program).
    func plainDemoSecrets() throws -> [String] {
        let plain = scratch.file("reference.json")
        #expect(try run(["demo", "--out", plain]).status == 0)
        let document = try DocumentStore.read(plain).document
        try FileManager.default.removeItem(atPath: plain)
        try? FileManager.default.removeItem(atPath: plain + ".backups")
        // Last words of legal names ("Zoe Alvarez-Kim" → "Alvarez-Kim"), and the openings of long group narratives.
        let names: [String] = document.patients.prefix(12).compactMap { $0.legalName.split(separator: " ").last.map(String.init) }.filter { $0.count >= 5 }
        var sentences: [String] = []
        for session in document.sessions {
            guard let narrative = session.groupNote?.narrative, narrative.utf8.count > 40 else { continue }
            sentences.append(String(narrative.prefix(40)))
            if sentences.count == 5 { break }
        }
        #expect(sentences.count == 5)
        #expect(names.count >= 5)
        return names + sentences
    }

    @Test func anEncryptedDemoOpensWithEachStaffMembersDemoPassphraseAndHoldsNoPlainText() throws {
        let secrets = try plainDemoSecrets()
        let path = scratch.file("enc.json")
        let made = try run(["demo", "--out", path, "--encrypt"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("dreyes (passphrase dreyes-demo)"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.prefix(8) == Data("CLDCRYPT".utf8))
        #expect(Self.filesContaining(secrets, under: scratch.path).isEmpty)

        let dreyes = try run(["check", path, "--passphrase-file", try secret("p1", "dreyes-demo")])
        #expect(dreyes.status == 0, "\(dreyes.stderr)")
        #expect(dreyes.stdout.contains("(encrypted; key slots: dreyes, mbell, pnatarajan)"))
        let mbell = try run(["check", path, "--slot", "mbell", "--passphrase-file", try secret("p2", "mbell-demo")])
        #expect(mbell.status == 0, "\(mbell.stderr)")
    }

    @Test func aWrongOrExposedPassphraseOrAMissingSlotExitsFiveAndLeavesTheFileAlone() throws {
        let path = scratch.file("enc.json")
        #expect(try run(["demo", "--out", path, "--encrypt"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let wrong = try run(["check", path, "--passphrase-file", try secret("w", "not-it")])
        #expect(wrong.status == 5)
        #expect(wrong.stderr.contains("did not open dreyes's key slot; nothing was read or changed"))
        let exposed = try run(["check", path, "--passphrase-file", try secret("e", "dreyes-demo", mode: 0o644)])
        #expect(exposed.status == 5)
        #expect(exposed.stderr.contains("can be read by others (mode 644); refused"))
        let stranger = try run(["check", path, "--passphrase-file", try secret("s", "dreyes-demo")], user: "zz")
        #expect(stranger.status == 5)
        #expect(stranger.stderr.contains("has no key slot for zz; the slots are: dreyes, mbell, pnatarajan"))
        let none = try run(["check", path])
        #expect(none.status != 0)
        #expect(none.stderr.contains("no terminal to ask for the passphrase on") || none.stderr.contains("passphrase"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func encryptReplacesThePlainFileAndItsBackupsAndRefusesASecondTime() throws {
        let secrets = try plainDemoSecrets()
        let path = scratch.file("program.json")
        #expect(try run(["demo", "--out", path]).status == 0)
        // A second demo over the first backs the first up: one plain backup beside the document.
        #expect(try run(["demo", "--out", path, "--force", "--seed", "1"]).status == 0)
        #expect(try run(["backups", path]).stdout.contains("plain"))
        #expect(!Self.filesContaining(secrets, under: scratch.path).isEmpty)

        let pass = try secret("p", "a long passphrase")
        let encrypted = try run(["encrypt", path, "--passphrase-file", pass])
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        #expect(encrypted.stdout.contains("1 backup and leftovers re-encrypted"))
        #expect(Self.filesContaining(secrets, under: scratch.path).isEmpty)
        let listed = try run(["backups", path])
        #expect(listed.stdout.contains("encrypted") && !listed.stdout.contains("plain"))
        #expect(try run(["check", path, "--passphrase-file", pass]).status == 0)
        let again = try run(["encrypt", path, "--passphrase-file", pass])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already encrypted"))
    }

    @Test func keysAddRemoveAndPasswdThroughFilesAndADescriptor() throws {
        let path = scratch.file("enc.json")
        #expect(try run(["demo", "--out", path]).status == 0)
        let mine = try secret("mine", "first words here")
        #expect(try run(["encrypt", path, "--passphrase-file", mine]).status == 0)

        let theirs = try secret("theirs", "second words here")
        let added = try run(["keys", path, "add", "mbell", "--passphrase-file", mine, "--new-passphrase-file", theirs])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try run(["keys", path, "list"]).stdout.contains("  dreyes\n  mbell\n"))
        let missingLogin = try run(["keys", path, "add"])
        #expect(missingLogin.status != 0)
        #expect(missingLogin.stderr.contains("add needs the login: caseload keys PATH add LOGIN"))
        #expect(try run(["check", path, "--slot", "mbell", "--passphrase-file", theirs]).status == 0)

        let removed = try run(["keys", path, "remove", "mbell", "--passphrase-file", mine])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("the document key was changed"))
        let lockedOut = try run(["check", path, "--slot", "mbell", "--passphrase-file", theirs])
        #expect(lockedOut.status == 5)
        #expect(lockedOut.stderr.contains("has no key slot for mbell"))

        // Old passphrase then new one, one per line on standard input.
        let shell = ["/bin/sh", "-c", "printf 'first words here\\nthird words here\\n' | \"$0\" \"$@\""]
        let changed = try run(["keys", path, "passwd", "--passphrase-fd", "0"], wrapper: shell)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(try run(["check", path, "--passphrase-file", mine]).status == 5)
        #expect(try run(["check", path, "--passphrase-file", try secret("new", "third words here")]).status == 0)
    }

    @Test func decryptWritesANewPlainFileWithAWarningAndNeverReplacesOne() throws {
        let path = scratch.file("enc.json")
        #expect(try run(["demo", "--out", path, "--encrypt"]).status == 0)
        let pass = try secret("p", "dreyes-demo")
        let out = scratch.file("plain.json")
        let done = try run(["decrypt", path, "--out", out, "--passphrase-file", pass])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stderr.contains("is NOT encrypted"))
        #expect(try run(["check", out]).status == 0)

        let existing = scratch.file("existing.txt")
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: existing))
        let refused = try run(["decrypt", path, "--out", existing, "--passphrase-file", pass])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("never replaces a file"))
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me\n")
    }

    @Test func reportsFromAnEncryptedDocumentSayTheyArePlainAndRestoreTakesThePassphrase() throws {
        let path = scratch.file("enc.json")
        #expect(try run(["demo", "--out", path, "--encrypt"]).status == 0)
        let pass = try secret("p", "dreyes-demo")
        let ics = scratch.file("week.ics")
        let exported = try run(["export", "ics", "--file", path, "--out", ics, "--passphrase-file", pass])
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stderr.contains("is plain text, not encrypted like the document it comes from"))

        // A second encrypted demo over the first backs the first up, encrypted; restoring it needs the passphrase.
        #expect(try run(["demo", "--out", path, "--encrypt", "--force"]).status == 0)
        let listed = try run(["backups", path])
        let name = try #require(listed.stdout.split(separator: "\n").dropFirst().first?.split(separator: " ").first.map(String.init))
        #expect(listed.stdout.contains("encrypted"))
        let restored = try run(["restore", path, name, "--passphrase-file", pass])
        #expect(restored.status == 0, "\(restored.stderr)")
        let wrong = try run(["restore", path, name, "--passphrase-file", try secret("w", "nope")])
        #expect(wrong.status == 5)
    }

    @Test func aDocumentKeyChangedBehindYourBackIsSaidButYourOwnKeyChangesAreNot() throws {
        let path = scratch.file("enc.json")
        #expect(try run(["demo", "--out", path]).status == 0)
        let mine = try secret("mine", "first words here")
        #expect(try run(["encrypt", path, "--passphrase-file", mine]).status == 0)
        // My own changes are remembered as I make them: no warning afterwards.
        #expect(try run(["keys", path, "add", "mbell", "--passphrase-file", mine, "--new-passphrase-file", try secret("t", "second words here")]).status == 0)
        #expect(try run(["keys", path, "remove", "mbell", "--passphrase-file", mine]).status == 0)
        let quiet = try run(["check", path, "--passphrase-file", mine])
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("changed its keys"), "\(quiet.stderr)")

        // A colleague, on their own account, removes mbell and gives her a slot again: the document key changed and
        // nobody is missing, which is also what a swapped file looks like. Said, with what to do.
        let colleague = ["USER": "dreyes", "XDG_STATE_HOME": scratch.file("colleague-state")]
        #expect(try CaseloadBinary.run(["keys", path, "add", "mbell", "--passphrase-file", mine, "--new-passphrase-file", try secret("t2", "second words here")],
                                       environment: Self.cheap.merging(colleague) { $1 }).status == 0)
        #expect(try run(["check", path, "--passphrase-file", mine]).stderr.contains("key slots added: mbell"))
        #expect(try CaseloadBinary.run(["keys", path, "remove", "mbell", "--passphrase-file", mine], environment: Self.cheap.merging(colleague) { $1 }).status == 0)
        #expect(try CaseloadBinary.run(["keys", path, "add", "mbell", "--passphrase-file", mine, "--new-passphrase-file", try secret("t3", "third words here")],
                                       environment: Self.cheap.merging(colleague) { $1 }).status == 0)
        let warned = try run(["check", path, "--passphrase-file", mine])
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("the document key was changed although nobody was removed"), "\(warned.stderr)")
        #expect(warned.stderr.contains("check `caseload keys"))
    }
}
