import Foundation

/// A detached tmux server and session running a command at a fixed size: keys in, screen text out, as a person would use it.
final class TmuxSession {
    let socket: String
    let name = "t"

    /// Starts `command` (a shell command line) in a new detached session of `width`×`height`.
    init(command: String, width: Int = 100, height: Int = 30) throws {
        socket = "caseload-test-\(UUID().uuidString.prefix(8))"
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command])
        try tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        try spawnAndWait(["tmux", "-L", socket] + arguments)
    }

    /// Sends tmux key names ("Tab", "Enter", "C-s", "q").
    func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Types text literally.
    func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    var screen: String { (try? tmux(["capture-pane", "-p", "-t", name])) ?? "" }

    /// Polls the screen until `condition` holds or `timeout` passes; returns the last screen.
    @discardableResult
    func waitFor(timeout: TimeInterval = 15, _ condition: (String) -> Bool) -> (ok: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var last = screen
        while Date() < deadline {
            last = screen
            if condition(last) { return (true, last) }
            usleep(100_000)
        }
        return (condition(last), last)
    }

    func value(_ format: String) -> String {
        ((try? tmux(["display-message", "-p", "-t", name, format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var paneIsDead: Bool { value("#{pane_dead}") == "1" }
    var panePID: Int32? { Int32(value("#{pane_pid}")) }
    var alternateScreenOn: Bool { value("#{alternate_on}") == "1" }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    func waitUntilDead(timeout: TimeInterval = 15) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if paneIsDead { return true }
            usleep(100_000)
        }
        return paneIsDead
    }
}

/// A shell-quoted word.
func shellQuote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

/// Runs a program found on PATH and returns its standard output. posix_spawn and waitpid directly: Foundation's
/// Process lost track of tmux's client once it had forked the server, and waited forever.
func spawnAndWait(_ arguments: [String]) throws -> String {
    let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("spawn-out-\(UUID().uuidString)").path
    defer { unlink(outPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    // The test thread may have signals blocked; tmux and the app would inherit that mask (no SIGWINCH, no SIGTERM).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for sig in [SIGTERM, SIGHUP, SIGINT, SIGWINCH, SIGCHLD, SIGPIPE] { sigaddset(&defaults, sig) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var pid: pid_t = 0
    let spawned = posix_spawnp(&pid, arguments[0], &actions, &attributes, &argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
}
