#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
import CaseloadUI
@testable import CaseloadTerminal

/// `ExternalEditor.edit` through a real ncurses screen on /dev/null, with small shell scripts as the editor.
/// ncurses is process-global: one screen at a time, on the main actor.
@Suite(.serialized)
@MainActor
struct ExternalEditorTests {
    // MARK: - Choosing the editor

    @Test func visualOverEditorOverVi() {
        #expect(ExternalEditor.command(environment: ["VISUAL": "nvim", "EDITOR": "nano"]) == ["nvim"])
        #expect(ExternalEditor.command(environment: ["EDITOR": "nano"]) == ["nano"])
        #expect(ExternalEditor.command(environment: [:]) == ["vi"])
        #expect(ExternalEditor.command(environment: ["VISUAL": "", "EDITOR": "nano"]) == ["nano"])
        #expect(ExternalEditor.command(environment: ["VISUAL": "  \t ", "EDITOR": "nano"]) == ["nano"])
        #expect(ExternalEditor.command(environment: ["VISUAL": " ", "EDITOR": "\n"]) == ["vi"])
    }

    @Test func argumentsAreSplitOnWhitespace() {
        #expect(ExternalEditor.command(environment: ["VISUAL": "code -w"]) == ["code", "-w"])
        #expect(ExternalEditor.command(environment: ["EDITOR": "  nano \t -R  "]) == ["nano", "-R"])
        #expect(ExternalEditor.command(environment: ["EDITOR": "emacsclient -t -a ''"]) == ["emacsclient", "-t", "-a", ""])
        #expect(ExternalEditor.command(environment: ["VISUAL": "\"\" -w", "EDITOR": "nano"]) == ["nano"])
        #expect(ExternalEditor.command(environment: ["VISUAL": "\"/opt/My Editor/bin/edit\" --wait"]) == ["/opt/My Editor/bin/edit", "--wait"])
        #expect(ExternalEditor.command(environment: ["VISUAL": "'/opt/My Editor/edit'"]) == ["/opt/My Editor/edit"])
        #expect(ExternalEditor.command(environment: ["VISUAL": "/opt/\"My Editor\"/edit -n"]) == ["/opt/My Editor/edit", "-n"])
    }

    @Test func fileHintsBecomePlainFileNames() {
        #expect(ExternalEditor.safeFileName("note") == "note")
        #expect(ExternalEditor.safeFileName("group-note_2026.12.01") == "group-note_2026.12.01")
        #expect(ExternalEditor.safeFileName("../../etc/passwd") == "-..-etc-passwd")
        #expect(ExternalEditor.safeFileName(".hidden") == "hidden")
        #expect(ExternalEditor.safeFileName("") == "note")
        #expect(ExternalEditor.safeFileName("...") == "note")
        #expect(ExternalEditor.safeFileName("김민준 note") == "----note")
        #expect(ExternalEditor.safeFileName(String(repeating: "a", count: 300)).count == 64)
    }

    @Test func temporaryRootFollowsTMPDIR() {
        #expect(ExternalEditor.temporaryRoot([:]) == "/tmp")
        #expect(ExternalEditor.temporaryRoot(["TMPDIR": ""]) == "/tmp")
        #expect(ExternalEditor.temporaryRoot(["TMPDIR": "/var/tmp/"]) == "/var/tmp")
    }

    // MARK: - Editing through a real terminal

    @Test func appendedLineIsAChange() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let original = "Group met; 8 present.\nDiscussed relapse triggers."

        // As vi does: the missing final newline is added on save, then the line goes after it.
        // The editor's final newline is dropped again, since the original did not end with one.
        let viLike = try fixture.editor(#"[ -n "$(tail -c 1 "$1")" ] && printf '\n' >> "$1"; printf 'added line\n' >> "$1""#)
        #expect(try fixture.edit(original, editor: viLike) == .changed(original + "\nadded line"))

        // A bare append to a file with no final newline glues onto the last line: exactly what is on disk,
        // less the final newline the original did not have.
        let append = try fixture.editor(#"printf 'added line\n' >> "$1""#)
        #expect(try fixture.edit(original, editor: append) == .changed(original + "added line"))

        // An original ending in a newline keeps it, and the result keeps its own (no new one was added).
        #expect(try fixture.edit(original + "\n", editor: append) == .changed(original + "\nadded line\n"))
    }

    @Test func nonZeroExitFails() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let failing = try fixture.editor(#"printf 'half-typed' >> "$1"; exit 1"#)
        let outcome = try fixture.edit("Individual session, 50 min.", editor: failing)
        #expect(outcome == .failed("the editor (\(failing)) exited with status 1; nothing was changed"))
    }

    @Test func editorThatLeavesTheFileIsUnchanged() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let untouched = try fixture.editor("true")
        #expect(try fixture.edit("Attended all three hours.", editor: untouched) == .unchanged)
        #expect(try fixture.edit("Ends with a newline.\n", editor: untouched) == .unchanged)
        #expect(try fixture.edit("", editor: untouched) == .unchanged)
        // Only adding the final newline an editor insists on is no change either.
        let newlineOnly = try fixture.editor(#"printf '\n' >> "$1""#)
        #expect(try fixture.edit("Attended all three hours.", editor: newlineOnly) == .unchanged)
    }

    @Test func deletedFileFails() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let deleting = try fixture.editor(#"rm -f "$1""#)
        let outcome = try fixture.edit("Consent on file.", editor: deleting)
        #expect(outcome == .failed("the file was deleted in the editor; nothing was changed"))
    }

    @Test func invalidUTF8Fails() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let garbling = try fixture.editor(#"printf 'bad \377\376 bytes\n' > "$1""#)
        let outcome = try fixture.edit("Urine screen negative.", editor: garbling)
        #expect(outcome == .failed("the edited text is not valid UTF-8; nothing was changed"))
    }

    @Test func koreanAndEmojiSurviveARewrite() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let text = "김민준: 오늘 그룹 참석 👍🏽 👨‍👩‍👧\nJosé Nguyễn e\u{301} — 🧑🏿‍⚕️ ✅"
        let rewriting = try fixture.editor(#"cat "$1" > "$1.tmp" && mv "$1.tmp" "$1""#)
        #expect(try fixture.edit(text, editor: rewriting) == .unchanged)
        let appending = try fixture.editor(#"cat "$1" > "$1.tmp" && printf '\n추가 메모 🙂\n' >> "$1.tmp" && mv "$1.tmp" "$1""#)
        #expect(try fixture.edit(text, editor: appending) == .changed(text + "\n추가 메모 🙂"))
    }

    @Test func editorThatCannotStartFails() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        let outcome = ExternalEditor.edit("Phase 2.", in: terminal, environment: ["VISUAL": "/no/such/editor -w", "TMPDIR": fixture.temporaryRoot])
        guard case .failed(let message) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(message.hasPrefix("the editor (/no/such/editor) could not be started"))
        #expect(message.hasSuffix("nothing was changed"))
        #expect(fixture.temporaryRootIsEmpty)
    }

    @Test func everythingTheEditorLeftIsRemoved() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        // Swap and backup files, a folder, and a link to a file outside that must survive (links are not followed).
        let keep = fixture.root + "/keep.txt"
        try writeFile(keep, "not the editor's")
        let messy = try fixture.editor("""
            cp "$1" "$1~"; printf 'swap' > "$(dirname "$1")/.note.md.swp"; printf '\\377' > "$(dirname "$1")/$(printf '\\377')"
            mkdir "$(dirname "$1")/sub" && printf 'x' > "$(dirname "$1")/sub/inner"
            ln -s "\(keep)" "$(dirname "$1")/link"
            printf 'changed\\n' > "$1"
            """)
        #expect(try fixture.edit("original", editor: messy) == .changed("changed"))
        #expect(access(keep, F_OK) == 0)
    }

    @Test func fileHintNamesTheFileAndTheScreenComesBack() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        var canvas = Canvas(width: 80, height: 24)
        canvas.put("김민준 José", x: 0, y: 0)
        terminal.draw(canvas, theme: Theme(name: "test", styles: [.text: RoleStyle()]))
        let editor = try fixture.editor(#"printf 'signed\n' > "$1""#)
        let outcome = ExternalEditor.edit("draft", in: terminal, environment: ["VISUAL": editor, "TMPDIR": fixture.temporaryRoot], fileHint: "group/note")
        #expect(outcome == .changed("signed"))
        #expect(try fixture.sideRecord().name == "group-note.md")
        #expect(fixture.temporaryRootIsEmpty)
        terminal.draw(canvas, theme: Theme(name: "test", styles: [.text: RoleStyle()]))
        #expect(terminal.cellText(x: 0, y: 0) == "김")
        #expect(terminal.readEvent(timeoutMilliseconds: 0) == nil)
    }

    @Test func defaultTemporaryFolderIsCleanedToo() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        let editor = try fixture.editor("exit 2")
        let outcome = ExternalEditor.edit("note", in: terminal, environment: ["EDITOR": editor])
        #expect(outcome == .failed("the editor (\(editor)) exited with status 2; nothing was changed"))
        let record = try fixture.sideRecord()
        #expect(record.folder.hasPrefix("/tmp/caseload-"))
        #expect(record.fileMode == "600" && record.folderMode == "700")
        #expect(access(record.folder, F_OK) != 0)
    }
}

// MARK: - Encrypted documents: the note only on a memory file system

/// The `inMemoryOnly` hand-off (issue 16): `$XDG_RUNTIME_DIR` on tmpfs, else /dev/shm, else refused with nothing written.
/// The real /dev/shm stands for the shared-memory folder; folders under the fixture stand for ones on a disk.
@Suite(.serialized)
@MainActor
struct InMemoryEditorTests {
    /// A fresh 0700 folder in /dev/shm (tmpfs), standing for a private runtime folder; nil where /dev/shm is missing.
    func memoryFolder() -> String? {
        var template = Array("/dev/shm/caseload-editor-test-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
    }

    @Test func theMachineHasATmpfsDevShm() {
        // The tests below lean on it; every Linux CI image has one.
        #expect(ExternalEditor.isMemoryFileSystem("/dev/shm"))
        #expect(ExternalEditor.isSafeSharedFolder("/dev/shm"))
        #expect(!ExternalEditor.isMemoryFileSystem("/no/such/folder"))
    }

    @Test func aPrivateRuntimeFolderOnTmpfsIsPreferred() throws {
        let runtime = try #require(memoryFolder())
        defer { rmdir(runtime) }
        #expect(ExternalEditor.memoryRoot(["XDG_RUNTIME_DIR": runtime]) == runtime)
        #expect(ExternalEditor.memoryRoot(["XDG_RUNTIME_DIR": runtime + "/"]) == runtime)
        // Opened to others, it no longer counts: /dev/shm is taken instead.
        chmod(runtime, 0o755)
        #expect(ExternalEditor.memoryRoot(["XDG_RUNTIME_DIR": runtime]) == "/dev/shm")
    }

    @Test func aRuntimeFolderOnADiskGivesWayToDevShm() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let disk = try fixture.diskFolder()
        #expect(ExternalEditor.isPrivateFolder(disk))
        #expect(ExternalEditor.memoryRoot(["XDG_RUNTIME_DIR": disk]) == "/dev/shm")
        #expect(ExternalEditor.memoryRoot([:]) == "/dev/shm")
        #expect(ExternalEditor.memoryRoot(["XDG_RUNTIME_DIR": "relative/run"]) == "/dev/shm")
    }

    @Test func withoutAMemoryFolderThereIsNoRoot() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let disk = try fixture.diskFolder()
        #expect(ExternalEditor.memoryRoot(["XDG_RUNTIME_DIR": disk, "TMPDIR": "/dev/shm"], sharedMemory: disk) == nil)
        #expect(ExternalEditor.memoryRoot([:], sharedMemory: fixture.root + "/missing") == nil)
        #expect(ExternalEditor.memoryRoot([:], sharedMemory: "dev/shm") == nil)
    }

    @Test func aSharedMemoryFolderOthersCanRenameInIsRefused() throws {
        let shared = try #require(memoryFolder())
        defer { rmdir(shared) }
        // World-writable without the sticky bit: anyone could move the private folder away and put theirs in its place.
        chmod(shared, 0o777)
        #expect(ExternalEditor.memoryRoot([:], sharedMemory: shared) == nil)
        chmod(shared, 0o1777)
        #expect(ExternalEditor.memoryRoot([:], sharedMemory: shared) == shared)
        if geteuid() == 0 {
            // Owned by another account (neither root nor this user): not trusted.
            chown(shared, 65534, 65534)
            #expect(ExternalEditor.memoryRoot([:], sharedMemory: shared) == nil)
        }
    }

    @Test func anEncryptedDocumentsNoteGoesToDevShmAndIsRemovedAfter() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        let editor = try fixture.editor(#"printf 'Relapse plan reviewed.\n' > "$1""#)
        let outcome = ExternalEditor.edit("draft", in: terminal, environment: ["VISUAL": editor, "TMPDIR": fixture.temporaryRoot],
                                          inMemoryOnly: true)
        #expect(outcome == .changed("Relapse plan reviewed."))
        let record = try fixture.sideRecord()
        #expect(record.folder.hasPrefix("/dev/shm/caseload-\(getpid())-"))
        #expect(record.fileMode == "600" && record.folderMode == "700" && record.name == "note.md")
        #expect(access(record.folder, F_OK) != 0, "the folder in /dev/shm is still there")
        #expect(fixture.temporaryRootIsEmpty, "the note went to TMPDIR")
    }

    @Test func withoutAMemoryFolderTheHandOffIsRefusedAndNothingIsWritten() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let disk = try fixture.diskFolder()
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        let editor = try fixture.editor(#"printf 'typed in the editor\n' > "$1""#)
        let environment = ["VISUAL": editor, "TMPDIR": fixture.temporaryRoot, "XDG_RUNTIME_DIR": disk]
        let refused = ExternalEditor.edit("Relapse plan.", in: terminal, environment: environment, fileHint: "note",
                                          inMemoryOnly: true, sharedMemory: disk)
        #expect(refused == .failed("this document is encrypted and there is no in-memory folder (/dev/shm) to hand the note to $EDITOR without writing it to disk; type it here instead"))
        #expect(access(fixture.sideFile, F_OK) != 0, "the editor ran")
        #expect(fixture.temporaryRootIsEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk).isEmpty)
        // The same hand-off for a plain document goes ahead (through the private runtime folder).
        let plain = ExternalEditor.edit("Relapse plan.", in: terminal, environment: environment, fileHint: "note",
                                        inMemoryOnly: false, sharedMemory: disk)
        #expect(plain == .changed("typed in the editor"))
        #expect(try fixture.sideRecord().folder.hasPrefix(disk + "/caseload-"))
    }
}

// MARK: - Fixture

/// A scratch folder holding the editor scripts, the side file they report into, and the `TMPDIR` given to `edit`.
@MainActor
private struct Fixture {
    let root: String
    var temporaryRoot: String { root + "/tmp" }
    var sideFile: String { root + "/side" }

    struct SideRecord { var folder: String; var fileMode: String; var folderMode: String; var name: String }

    init() throws {
        var template = Array("/tmp/caseload-editor-test-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }) else { throw FixtureError("mkdtemp failed") }
        root = made
        guard mkdir(root + "/tmp", 0o700) == 0 else { throw FixtureError("mkdir failed") }
    }

    /// A shell script that records the file's folder, both modes and the file name into the side file, then runs `body`.
    func editor(_ body: String) throws -> String {
        let path = root + "/editor-\(UInt32.random(in: 0...UInt32.max)).sh"
        try writeFile(path, """
            #!/bin/sh
            dirname "$1" > "\(sideFile)"
            stat -c %a "$1" >> "\(sideFile)"
            stat -c %a "$(dirname "$1")" >> "\(sideFile)"
            basename "$1" >> "\(sideFile)"
            \(body)

            """, mode: 0o700)
        return path
    }

    /// Edits `text` with `editor` through a real terminal, and checks that the private folder existed with the
    /// right modes while the editor ran and is gone afterwards.
    func edit(_ text: String, editor: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ExternalEditor.Outcome {
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        _ = unlink(sideFile)
        let outcome = ExternalEditor.edit(text, in: terminal, environment: ["VISUAL": editor, "EDITOR": "false", "TMPDIR": temporaryRoot])
        let record = try sideRecord()
        #expect(record.folder.hasPrefix(temporaryRoot + "/caseload-"), sourceLocation: sourceLocation)
        #expect(record.fileMode == "600", sourceLocation: sourceLocation)
        #expect(record.folderMode == "700", sourceLocation: sourceLocation)
        #expect(record.name == "note.md", sourceLocation: sourceLocation)
        #expect(access(record.folder, F_OK) != 0, "the private folder is still there", sourceLocation: sourceLocation)
        #expect(temporaryRootIsEmpty, "something was left in TMPDIR", sourceLocation: sourceLocation)
        return outcome
    }

    func sideRecord() throws -> SideRecord {
        let lines = try readFile(sideFile).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 4 else { throw FixtureError("the editor script did not run: \(lines)") }
        return SideRecord(folder: lines[0], fileMode: lines[1], folderMode: lines[2], name: lines[3])
    }

    var temporaryRootIsEmpty: Bool {
        guard let directory = opendir(temporaryRoot) else { return false }
        defer { closedir(directory) }
        var count = 0
        while readdir(directory) != nil { count += 1 }
        return count == 2 // "." and ".."
    }

    /// A private (0700) folder on a disk file system (one per fixture): in the fixture when /tmp is a disk, else
    /// beside the package's build products (CI images may mount /tmp as tmpfs).
    func diskFolder() throws -> String {
        let folder = ExternalEditor.isMemoryFileSystem(root) ? besideTheBuild : root + "/disk"
        guard !ExternalEditor.isMemoryFileSystem((folder as NSString).deletingLastPathComponent) else {
            throw FixtureError("no disk folder to stand for one")
        }
        guard mkdir(folder, 0o700) == 0 else { throw FixtureError("mkdir \(folder) failed") }
        return folder
    }

    private var besideTheBuild: String {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.appendingPathComponent(".build/editor-disk-\((root as NSString).lastPathComponent)").path
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
        try? FileManager.default.removeItem(atPath: besideTheBuild)
    }
}

private struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

private func writeFile(_ path: String, _ text: String, mode: mode_t = 0o600) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
    guard descriptor >= 0 else { throw FixtureError("cannot create \(path)") }
    defer { close(descriptor) }
    let bytes = Array(text.utf8)
    guard bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
        throw FixtureError("cannot write \(path)")
    }
    _ = fchmod(descriptor, mode)
}

private func readFile(_ path: String) throws -> String {
    guard let file = fopen(path, "r") else { throw FixtureError("cannot read \(path)") }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count == 0 { break }
        bytes.append(contentsOf: buffer[0..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}
