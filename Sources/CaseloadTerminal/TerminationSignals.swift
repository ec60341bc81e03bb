#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Catches SIGTERM, SIGHUP and SIGINT so the app can save and restore the terminal before exiting; the main loop polls `received`.
public enum TerminationSignals {
    /// The signals `install()` catches.
    public static let caught: [Int32] = [SIGTERM, SIGHUP, SIGINT]

    /// The last signal caught (0: none). A lock-free atomic: the only thing a signal handler may touch.
    private static let flag = Atomic<Int32>(0)

    /// Installs the handlers (idempotent; calling it again re-arms them). A second signal of the same kind,
    /// while the app is still busy with the first, gets the default action and ends the process.
    public static func install() {
        // Initialise the lazy static now, never for the first time inside a handler.
        flag.store(0, ordering: .sequentiallyConsistent)
        // A parent may have started us with these blocked (the mask is inherited); without them there is no
        // final save on SIGTERM and no resize on SIGWINCH.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for sig in caught + [SIGWINCH] { sigaddset(&unblock, sig) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for sig in caught {
            // SA_RESTART keeps other threads' reads and writes from failing with EINTR; the UI loop
            // wakes anyway within its input timeout. SA_RESETHAND makes a second signal fatal.
            _ = setHandler(handleSignal, for: sig, flags: Int32(truncatingIfNeeded: SA_RESTART) | Int32(truncatingIfNeeded: SA_RESETHAND))
        }
    }

    /// Installs `handler` (or SIG_DFL) for `sig` with `flags` and returns the action it replaced, to restore later.
    @discardableResult
    static func setHandler(_ handler: (@convention(c) (Int32) -> Void)?, for sig: Int32, flags: Int32 = 0) -> sigaction {
        var action = sigaction()
        var previous = sigaction()
        sigemptyset(&action.sa_mask)
        #if canImport(Darwin)
        action.__sigaction_u.__sa_handler = handler
        #else
        action.__sigaction_handler.sa_handler = handler
        #endif
        action.sa_flags = flags
        sigaction(sig, &action, &previous)
        return previous
    }

    /// The termination signal received since `install()`, if any: the app then saves, calls `Terminal.stop()` and exits.
    public static var received: Int32? {
        let value = flag.load(ordering: .sequentiallyConsistent)
        return value == 0 ? nil : value
    }

    /// Forgets a received signal (tests; or an app that decided to carry on).
    public static func clear() {
        flag.store(0, ordering: .sequentiallyConsistent)
    }

    /// The handler: async-signal-safe, it only stores into the atomic.
    private static let handleSignal: @convention(c) (Int32) -> Void = { sig in
        TerminationSignals.flag.store(sig, ordering: .sequentiallyConsistent)
    }
}
