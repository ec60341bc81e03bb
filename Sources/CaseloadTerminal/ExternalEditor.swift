import CNcurses
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Editing a text in the user's `$VISUAL` / `$EDITOR`, through a private temporary file that never outlives the edit.
///
/// The text is health information: it is written to a file of its own (mode 0600) in a fresh folder (mode 0700)
/// under `$XDG_RUNTIME_DIR` when that is the user's own private folder (it is emptied at logout), else `$TMPDIR`,
/// and the folder is removed with everything in it (the editor's swap and backup files too) on every path out of
/// `edit`, success or failure. The folder's name carries the process id (`caseload-<pid>-XXXXXX`), so that
/// `removeLeftovers` can delete what a crashed or killed run left behind.
///
/// For an encrypted document (`inMemoryOnly`) the text must never reach a disk: the folder then goes only on a memory
/// file system (`memoryRoot`), and where there is none the hand-off is refused before anything is written.
public enum ExternalEditor {
    /// What became of an edit.
    public enum Outcome: Equatable, Sendable {
        /// The user saved a different text.
        case changed(String)
        /// The editor exited normally and the text is as it was (an added final newline does not count).
        case unchanged
        /// Nothing was changed; the message says why, for the status bar.
        case failed(String)
    }

    /// The editor to run: `$VISUAL`, else `$EDITOR`, else `vi`; values that are empty or only whitespace are skipped.
    /// The value is split on whitespace (`code -w`, `nano -R`); a double- or single-quoted part keeps its spaces
    /// (`"/opt/My Editor/bin/edit" -w`), and the quotes themselves are removed (`''` is an empty argument).
    public static func command(environment: [String: String]) -> [String] {
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name] {
                let words = split(value)
                if let program = words.first, !program.isEmpty { return words }
            }
        }
        return ["vi"]
    }

    /// Opens `text` in the editor `command(environment:)` names, on the plain terminal (`terminal.runInteractive`
    /// suspends the screen and restores it), and returns what the user saved.
    ///
    /// `environment` chooses the editor and the temporary folder (`temporaryRoot`); the editor itself runs
    /// with the process's environment and is looked up in its `PATH`. `fileHint` names the file (`<fileHint>.md`,
    /// reduced to letters, digits, `-`, `_` and `.`), which editors show in their title.
    ///
    /// With `inMemoryOnly` (an encrypted document), the file goes only where `memoryRoot` finds a memory file system;
    /// without one the edit fails with `noMemoryFolderMessage` and nothing is written anywhere.
    @MainActor
    public static func edit(
        _ text: String, in terminal: Terminal, environment: [String: String], fileHint: String = "note", inMemoryOnly: Bool = false
    ) -> Outcome {
        edit(text, in: terminal, environment: environment, fileHint: fileHint, inMemoryOnly: inMemoryOnly, sharedMemory: sharedMemoryFolder)
    }

    /// `edit` with the shared-memory folder named (tests pass a stand-in for /dev/shm).
    @MainActor
    static func edit(
        _ text: String, in terminal: Terminal, environment: [String: String], fileHint: String, inMemoryOnly: Bool, sharedMemory: String
    ) -> Outcome {
        let editor = command(environment: environment)
        let editorName = editor.first ?? "vi"

        let root: String
        if inMemoryOnly {
            guard let memory = memoryRoot(environment, sharedMemory: sharedMemory) else { return .failed(noMemoryFolderMessage) }
            root = memory
        } else {
            root = temporaryRoot(environment)
        }
        let folder: String
        switch makePrivateFolder(in: root, pid: getpid()) {
        case .success(let path): folder = path
        case .failure(let message): return .failed(message)
        }
        defer { removeTree(folder) }

        let path = folder + "/" + safeFileName(fileHint) + ".md"
        let original = Array(text.utf8)
        if let problem = writeNewPrivateFile(path, bytes: original) {
            return .failed("could not write the temporary file for the editor (\(problem)); nothing was changed")
        }

        let status: Int32
        do {
            status = try terminal.runInteractive(editor + [path])
        } catch let TerminalError.spawnFailed(reason) {
            return .failed("the editor (\(editorName)) could not be started (\(reason)); nothing was changed")
        } catch {
            return .failed("the editor (\(editorName)) could not be started (\(error)); nothing was changed")
        }
        guard status == 0 else {
            return .failed("the editor (\(editorName)) exited with status \(status); nothing was changed")
        }

        let saved: [UInt8]
        switch readFile(path) {
        case .success(let bytes): saved = bytes
        case .failure(let message): return .failed(message)
        }
        var result = saved[...]
        // Editors end the last line with a newline; one the original did not have is not part of the note.
        if trailingNewlines(result) > trailingNewlines(original[...]) { result = result.dropLast() }
        if result.elementsEqual(original) { return .unchanged }
        guard let newText = String(validating: result, as: UTF8.self) else {
            return .failed("the edited text is not valid UTF-8; nothing was changed")
        }
        return .changed(newText)
    }

    // MARK: - The command

    /// Words separated by whitespace, where "…" or '…' may hold spaces.
    static func split(_ value: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        for character in value {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    // MARK: - The private file

    private enum Attempt<Value> {
        case success(Value)
        case failure(String)
    }

    /// Where edit folders go: `$XDG_RUNTIME_DIR` if it is usable (`isPrivateFolder`), else `$TMPDIR`, else /tmp.
    static func temporaryRoot(_ environment: [String: String]) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/"), isPrivateFolder(runtime) {
            return trimmed(runtime)
        }
        return fallbackRoot(environment)
    }

    /// Why an encrypted document's note is not handed to the editor: there is no memory file system to put it on.
    public static let noMemoryFolderMessage =
        "this document is encrypted and there is no in-memory folder (/dev/shm) to hand the note to $EDITOR without writing it to disk; type it here instead"

    /// Linux's shared-memory folder: a tmpfs on every common distribution.
    public static let sharedMemoryFolder = "/dev/shm"

    /// Where an edit folder may go when the text must not reach a disk: `$XDG_RUNTIME_DIR` when it is the user's own
    /// private folder on a memory file system, else `sharedMemory` when it is one and safe to share; nil when neither.
    static func memoryRoot(_ environment: [String: String], sharedMemory: String = sharedMemoryFolder) -> String? {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/"), isPrivateFolder(runtime), isMemoryFileSystem(runtime) {
            return trimmed(runtime)
        }
        if isSafeSharedFolder(sharedMemory), isMemoryFileSystem(sharedMemory) {
            return trimmed(sharedMemory)
        }
        return nil
    }

    /// Whether `path` is on tmpfs or ramfs, whose files live in memory (and in swap, which the docs mention).
    static func isMemoryFileSystem(_ path: String) -> Bool {
        // 0 off Linux: with no shared-memory folder to rely on, an encrypted document's notes are typed in the app.
        let type = cl_file_system_type(path)
        return type == 0x0102_1994 /* TMPFS_MAGIC */ || type == 0x8584_58F6 /* RAMFS_MAGIC */
    }

    /// A folder (links followed: /dev/shm may be one, set up by root) owned by root or this user, where others may
    /// create files only if the sticky bit stops them from renaming or removing ours (/dev/shm is 1777).
    static func isSafeSharedFolder(_ path: String) -> Bool {
        var info = stat()
        guard path.hasPrefix("/"), stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
        guard info.st_uid == 0 || info.st_uid == geteuid() else { return false }
        return (info.st_mode & 0o022) == 0 || (info.st_mode & 0o1000) != 0
    }

    /// `$TMPDIR`, else /tmp.
    static func fallbackRoot(_ environment: [String: String]) -> String {
        trimmed(environment["TMPDIR"] ?? "")
    }

    private static func trimmed(_ value: String) -> String {
        var root = value
        if root.allSatisfy(\.isWhitespace) { root = "/tmp" }
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        return root
    }

    /// `fileHint` as a plain file name: no path separators, no leading dot, not empty, not too long.
    static func safeFileName(_ hint: String) -> String {
        var name = String(hint.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": Character(scalar)
            default: "-"
            }
        }.prefix(64))
        while name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? "note" : name
    }

    /// A real folder (not a link) owned by this user that no one else may enter (no group or other bits).
    static func isPrivateFolder(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
        return info.st_uid == geteuid() && (info.st_mode & 0o077) == 0
    }

    /// Removes edit folders left by runs that are no longer alive (a crash, SIGKILL, a power cut), in every place
    /// `edit` may have used (`sharedMemory` too), and returns their paths. Only the user's own real folders named
    /// `caseload-<pid>-XXXXXX` whose process is gone are touched; links and other accounts' folders are left alone.
    @discardableResult
    public static func removeLeftovers(
        environment: [String: String], sharedMemory: String = sharedMemoryFolder, isAlive: (Int32) -> Bool = processIsAlive
    ) -> [String] {
        var roots = [fallbackRoot(environment)]
        if isSafeSharedFolder(sharedMemory) { roots.append(trimmed(sharedMemory)) }
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/"), isPrivateFolder(runtime) {
            roots.insert(trimmed(runtime), at: 0)
        }
        var removed: [String] = []
        for root in Set(roots).sorted() {
            for name in entries(root).sorted() {
                guard let pid = leftoverOwner(name), pid != getpid(), !isAlive(pid) else { continue }
                let path = root == "/" ? "/" + name : root + "/" + name
                var info = stat()
                // lstat: a link named like a leftover must not lead the removal elsewhere.
                guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == geteuid() else { continue }
                removeTree(path)
                removed.append(path)
            }
        }
        return removed
    }

    /// The names in a folder (none when it cannot be read); names that are not UTF-8 cannot be edit folders anyway.
    private static func entries(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The process id in an edit folder's name `caseload-<pid>-XXXXXX`, or nil for any other name.
    static func leftoverOwner(_ name: String) -> Int32? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "caseload", parts[2].count == 6,
              parts[2].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let pid = Int32(parts[1]), pid > 0 else { return nil }
        return pid
    }

    /// Whether a process with this id exists (EPERM means it does, under another account).
    public static func processIsAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// A fresh folder only this user can enter (mkdtemp makes it 0700), named for this process.
    private static func makePrivateFolder(in root: String, pid: Int32) -> Attempt<String> {
        var template = Array((root + "/caseload-\(pid)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        guard let made else {
            return .failure("could not make a private temporary folder in \(root) (\(errorText(errno))); nothing was changed")
        }
        // mkdtemp already made it 0700; say so explicitly in case of an unusual libc.
        _ = chmod(made, 0o700)
        return .success(made)
    }

    /// Creates `path` (it must not exist) with mode 0600 and writes `bytes`; the reason on failure.
    private static func writeNewPrivateFile(_ path: String, bytes: [UInt8]) -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { return errorText(errno) }
        defer { close(descriptor) }
        // The umask can only take bits away; make it exactly 0600.
        guard fchmod(descriptor, 0o600) == 0 else { return errorText(errno) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return errorText(errno)
            }
            written += count
        }
        return nil
    }

    /// The file's bytes after the editor, or why they could not be read.
    private static func readFile(_ path: String) -> Attempt<[UInt8]> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return .failure("the file was deleted in the editor; nothing was changed") }
            return .failure("could not read the edited file back (\(errorText(code))); nothing was changed")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure("could not read the edited file back (\(errorText(errno))); nothing was changed")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return .success(bytes)
    }

    private static func trailingNewlines(_ bytes: ArraySlice<UInt8>) -> Int {
        var count = 0
        for byte in bytes.reversed() {
            guard byte == 0x0A else { break }
            count += 1
        }
        return count
    }

    /// Removes `path` and everything in it (editors leave swap, backup and lock files beside the file),
    /// never following symbolic links out of it.
    private static func removeTree(_ path: String) {
        removeTree(Array(path.utf8CString))
    }

    /// `path` as NUL-terminated bytes, so that names which are not UTF-8 are removed too.
    private static func removeTree(_ path: [CChar]) {
        if let directory = opendir(path) {
            var names: [[CChar]] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    raw.prefix(while: { $0 != 0 }).map { CChar(bitPattern: $0) }
                }
                if name != [0x2E] && name != [0x2E, 0x2E] { names.append(name) }
            }
            closedir(directory)
            for name in names {
                let child: [CChar] = Array(path.dropLast()) + [0x2F] + name + [0]
                var info = stat()
                if lstat(child, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                    removeTree(child)
                } else {
                    _ = unlink(child)
                }
            }
        }
        _ = rmdir(path)
    }

    private static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
