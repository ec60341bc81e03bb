import CaseloadStore
import Foundation

/// This instance's presence record beside the document (issue 18), kept by the runner on a queue of its own: joined on
/// the first pass, beaten and looked at every second, moved when `:saveas` moves the document, left on quit.
final class PresenceWatch: @unchecked Sendable {
    /// What one pass found: the other instances' logins (escaped for the terminal, one per instance), and a problem
    /// to tell the user once.
    struct Pass: Sendable, Equatable {
        var others: [String]
        var problem: String?
    }

    // Guards everything below; passes run one at a time on the runner's queue, `leave` may come from the loop.
    private let lock = NSLock()
    private var presence: Presence?
    private var joinedPath: String?
    private var told = false
    private var left = false

    /// Beats and looks, joining first (or again, at a new path). A failure to join is said once, then tried again
    /// quietly each pass; a new document whose folder does not exist yet is not a failure.
    func pass(path: String, login: String, now: Date = Date()) -> Pass {
        lock.lock()
        defer { lock.unlock() }
        guard !left else { return Pass(others: []) }
        if let current = presence, joinedPath != path {
            current.leave()
            presence = nil
        }
        if presence == nil {
            do {
                presence = try Presence.join(documentPath: path, login: login, now: now)
                joinedPath = path
            } catch {
                if case .parentMissing = error { return Pass(others: []) }
                defer { told = true }
                return Pass(others: [], problem: told ? nil : "Cannot show who else has the document open: \(error)")
            }
        }
        guard let presence else { return Pass(others: []) }
        presence.beat(now: now)
        return Pass(others: presence.others(now: now).map(\.shownLogin))
    }

    /// Removes this instance's record for good: later passes do nothing.
    func leave() {
        lock.lock()
        defer { lock.unlock() }
        left = true
        presence?.leave()
        presence = nil
    }
}
