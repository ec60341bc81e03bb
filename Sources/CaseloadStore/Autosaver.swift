import Dispatch
import Foundation

/// What the title bar says about saving.
public enum AutosaveState: Equatable, Sendable {
    /// Nothing changed since the document was opened.
    case idle
    /// Everything up to this moment is on disk.
    case saved(at: Date)
    /// Changes since this moment are not on disk yet; a save is scheduled.
    case pending(since: Date)
    /// A save is being written.
    case saving
    /// The last save failed; changes are kept in memory and the save is tried again at `retryAt`.
    case failed(reason: String, retryAt: Date)
    /// Saving has stopped (e.g. the file changed on disk); changes are kept in memory.
    case stopped(reason: String)
}

/// An error after which retrying a save is pointless; the autosaver stops instead of retrying.
public protocol StopsAutosave: Error {
    var stopsAutosave: Bool { get }
}

/// Saves the newest snapshot of the document off the caller's thread: debounced, coalesced, one at a time, retried.
///
/// The caller's thread only ever takes a short lock; every save runs on a private serial queue.
/// Snapshots are values, so handing one over is cheap and the save sees a consistent state.
public final class Autosaver<Snapshot: Sendable>: @unchecked Sendable {
    /// Writes one snapshot to disk, throwing when it could not.
    public typealias Save = @Sendable (Snapshot) throws -> Void

    private let saveAction: Save
    private let onStateChange: (@Sendable (AutosaveState) -> Void)?
    private let clock: @Sendable () -> Date
    private let debounce: TimeInterval
    private let maxDelay: TimeInterval
    private let retryBase: TimeInterval
    private let retryMax: TimeInterval
    /// Runs timers and saves; being serial is what makes saves one at a time.
    private let worker = DispatchQueue(label: "caseload.autosave")
    /// Delivers state changes in order, never under the lock and never on the caller's thread.
    private let notifier = DispatchQueue(label: "caseload.autosave.state")

    // Everything below is guarded by `mutex` (this is what makes the class Sendable).
    private let mutex = NSLock()
    /// The newest snapshot not yet on disk (nil while it is being written, or when all is saved).
    private var pending: Snapshot?
    /// When the oldest unsaved change was made, for the title bar.
    private var unsavedSince: Date?
    /// First change since the last save attempt: the debounce never pushes a save past this plus `maxDelay`.
    private var burstStart: DispatchTime?
    /// When the next save should run; nil when none is scheduled.
    private var deadline: DispatchTime?
    /// The earliest wake-up already queued, so a burst of changes does not queue a timer each.
    private var armedFor: DispatchTime?
    private var failures = 0
    private var stoppedReason: String?
    private var current: AutosaveState = .idle

    /// - Parameters:
    ///   - debounce: a save runs this long after the last change…
    ///   - maxDelay: …but no later than this after the first unsaved change, however fast the typing.
    ///   - retryBase, retryMax: after a failure, retry after `retryBase`, doubling up to `retryMax`.
    ///   - clock: wall-clock time for the states shown to the user.
    public init(
        debounce: TimeInterval = 1,
        maxDelay: TimeInterval = 5,
        retryBase: TimeInterval = 2,
        retryMax: TimeInterval = 30,
        clock: @escaping @Sendable () -> Date = { Date() },
        onStateChange: (@Sendable (AutosaveState) -> Void)? = nil,
        save: @escaping Save
    ) {
        self.debounce = debounce
        self.maxDelay = max(maxDelay, debounce)
        self.retryBase = retryBase
        self.retryMax = max(retryMax, retryBase)
        self.clock = clock
        self.onStateChange = onStateChange
        self.saveAction = save
    }

    /// The current state.
    public var state: AutosaveState {
        mutex.lock()
        defer { mutex.unlock() }
        return current
    }

    /// The newest snapshot not yet saved (also after `stop`, so it can be saved elsewhere).
    public var unsavedSnapshot: Snapshot? {
        mutex.lock()
        defer { mutex.unlock() }
        return pending
    }

    /// Records the newest state of the document and schedules a save for it.
    public func changed(_ snapshot: Snapshot) {
        mutex.lock()
        defer { mutex.unlock() }
        pending = snapshot
        if unsavedSince == nil { unsavedSince = clock() }
        guard stoppedReason == nil else { return }

        let now = DispatchTime.now()
        let start = burstStart ?? now
        burstStart = start
        // A newer change also replaces a failure's backoff: it retries on the normal schedule.
        schedule(at: min(now + debounce, start + maxDelay))
        switch current {
        case .failed, .saving: break // keep showing the error, or the save in progress
        default: setState(.pending(since: unsavedSince ?? clock()))
        }
    }

    /// Saves as soon as the save in progress (if any) is done, e.g. for Ctrl-S.
    public func saveNow() {
        mutex.lock()
        defer { mutex.unlock() }
        guard stoppedReason == nil, pending != nil else { return }
        schedule(at: .now())
    }

    /// Blocks until every pending change is written or has failed, for quit and signals.
    ///
    /// Must not be called from `save` or `onStateChange`: it waits for the queue those run on.
    @discardableResult
    public func flush() -> AutosaveState {
        mutex.lock()
        if stoppedReason == nil { deadline = nil }
        mutex.unlock()
        worker.sync {
            // Loops for changes made by other threads while flushing; stops at the first failure.
            while hasPendingWork(), saveOnce() {}
        }
        return state
    }

    /// Stops saving for good (e.g. the file changed on disk); the unsaved snapshot is kept.
    public func stop(reason: String) {
        mutex.lock()
        defer { mutex.unlock() }
        stoppedReason = reason
        deadline = nil
        setState(.stopped(reason: reason))
    }

    // MARK: - Private (the `mutex` must be held where noted)

    /// Mutex held.
    private func schedule(at due: DispatchTime) {
        deadline = due
        if let armed = armedFor, armed <= due { return } // that wake-up will re-arm for `due`
        armedFor = due
        worker.asyncAfter(deadline: due) { [weak self] in self?.wake() }
    }

    /// Mutex held.
    private func setState(_ new: AutosaveState) {
        guard new != current else { return }
        current = new
        if let onStateChange {
            notifier.async { onStateChange(new) }
        }
    }

    private func hasPendingWork() -> Bool {
        mutex.lock()
        defer { mutex.unlock() }
        return pending != nil && stoppedReason == nil
    }

    /// On the worker: saves if the deadline has come, or waits again for a deadline that moved later.
    private func wake() {
        mutex.lock()
        armedFor = nil
        guard stoppedReason == nil, let due = deadline else {
            mutex.unlock()
            return
        }
        if DispatchTime.now() < due {
            schedule(at: due)
            mutex.unlock()
            return
        }
        deadline = nil
        mutex.unlock()
        _ = saveOnce()
    }

    /// On the worker: writes the newest snapshot; returns false when the save failed.
    private func saveOnce() -> Bool {
        mutex.lock()
        guard stoppedReason == nil, let snapshot = pending else {
            mutex.unlock()
            return true
        }
        pending = nil
        let since = unsavedSince
        unsavedSince = nil
        burstStart = nil
        setState(.saving)
        mutex.unlock()

        do {
            try saveAction(snapshot)
            mutex.lock()
            defer { mutex.unlock() }
            failures = 0
            guard stoppedReason == nil else { return true }
            if pending == nil {
                setState(.saved(at: clock()))
            } else {
                setState(.pending(since: unsavedSince ?? clock()))
            }
            return true
        } catch {
            mutex.lock()
            defer { mutex.unlock() }
            // A newer snapshot made during the save supersedes this one; otherwise keep this one.
            if pending == nil { pending = snapshot }
            unsavedSince = since ?? unsavedSince
            failures += 1
            guard stoppedReason == nil else { return false }
            if let stopping = error as? any StopsAutosave, stopping.stopsAutosave {
                // Retrying cannot help (the file changed behind us, or became read-only): stop and say why.
                stoppedReason = "\(error)"
                deadline = nil
                setState(.stopped(reason: "\(error)"))
                return false
            }
            var delay = min(retryBase * Double(1 << min(failures - 1, 20)), retryMax)
            if let due = deadline {
                // A change made during the save already has its normal schedule: report that time instead.
                let now = DispatchTime.now().uptimeNanoseconds
                delay = due.uptimeNanoseconds > now ? Double(due.uptimeNanoseconds - now) / 1e9 : 0
            } else {
                schedule(at: .now() + delay)
            }
            setState(.failed(reason: "\(error)", retryAt: clock().addingTimeInterval(delay)))
            return false
        }
    }
}
