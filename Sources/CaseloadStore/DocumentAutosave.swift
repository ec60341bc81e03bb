import CaseloadCore
import Foundation

extension StoreError: StopsAutosave {
    /// A moved or deleted file, a read-only or closed document, a newer Caseload's file: retrying would not help.
    /// (Another instance's save holding the lock too long is retried: the lock is only ever held by a save.)
    public var stopsAutosave: Bool {
        switch self {
        case .changedOnDisk, .readOnly, .newerVersion: true
        default: false
        }
    }
}

extension DocumentStore {
    /// An autosaver writing this document: encoding and disk work happen on its queue, never the caller's.
    public func makeAutosaver(
        debounce: TimeInterval = 1,
        maxDelay: TimeInterval = 5,
        clock: @escaping @Sendable () -> Date = { Date() },
        onStateChange: (@Sendable (AutosaveState) -> Void)? = nil
    ) -> Autosaver<CaseloadDocument> {
        Autosaver<CaseloadDocument>(debounce: debounce, maxDelay: maxDelay, clock: clock, onStateChange: onStateChange) { [self] document in
            try self.save(document, now: clock())
        }
    }
}
