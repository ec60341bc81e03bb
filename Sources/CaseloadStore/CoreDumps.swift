import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the open chart out of crash dumps: a core file holds the whole process memory, every note included.
public enum CoreDumps {
    /// Sets the core-file size limit to 0 (soft and hard, so nothing started later can raise it again) and, on Linux,
    /// marks the process not dumpable, which also stops a `core_pattern` pipe (systemd-coredump) and ptrace by other
    /// processes of the same user. Returns the problems, if any, so the caller can mention them; it never stops the app.
    @discardableResult
    public static func disable() -> [String] {
        var problems: [String] = []
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        if setrlimit(coreResource, &none) != 0 {
            problems.append("could not turn off core dumps (setrlimit: \(String(cString: strerror(errno))))")
        }
        #if os(Linux)
        if let call = linuxPrctl(), call(prSetDumpable, 0, 0, 0, 0) != 0 {
            problems.append("could not mark the process not dumpable (prctl: \(String(cString: strerror(errno))))")
        }
        #endif
        return problems
    }

    /// The current soft and hard core-file size limits.
    public static func limit() -> (soft: UInt64, hard: UInt64)? {
        var current = rlimit()
        guard getrlimit(coreResource, &current) == 0 else { return nil }
        return (UInt64(current.rlim_cur), UInt64(current.rlim_max))
    }

    /// Whether the kernel would dump this process (Linux `PR_GET_DUMPABLE`); nil where that cannot be asked.
    public static func isDumpable() -> Bool? {
        #if os(Linux)
        guard let call = linuxPrctl() else { return nil }
        let result = call(prGetDumpable, 0, 0, 0, 0)
        return result < 0 ? nil : result != 0
        #else
        return nil
        #endif
    }

    #if canImport(Glibc)
    private static let coreResource = __rlimit_resource_t(RLIMIT_CORE.rawValue)
    #else
    private static let coreResource = RLIMIT_CORE
    #endif

    #if os(Linux)
    private static let prGetDumpable: Int32 = 3   // PR_GET_DUMPABLE in <linux/prctl.h>
    private static let prSetDumpable: Int32 = 4   // PR_SET_DUMPABLE

    private typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32

    /// `prctl` is variadic in C, which Swift cannot call directly; looked up and called with its five word-sized
    /// arguments, which is how the Linux x86-64 and arm64 calling conventions pass them to a variadic function anyway.
    private static func linuxPrctl() -> Prctl? {
        // A nil handle is RTLD_DEFAULT on Linux: the symbol as the program itself sees it.
        guard let symbol = dlsym(nil, "prctl") else { return nil }
        return unsafeBitCast(symbol, to: Prctl.self)
    }
    #endif
}
