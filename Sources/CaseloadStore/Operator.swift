import CaseloadCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Who is at the keyboard (issue 17), as the audit trail and signatures record it: for an encrypted document the person
/// whose key slot was unlocked (authenticated by their passphrase); for a plain one the operating-system account this
/// process runs as, from the user database — never `$USER` or config.toml, which anyone can set. An account (or a
/// slot) that is no staff member's login may read but not sign, and every entry says so.
public struct Operator: Equatable, Sendable {
    /// The staff login, or for `.unmapped` the account (or slot) name.
    public var login: String
    public var identity: AuditIdentity

    public init(login: String, identity: AuditIdentity) {
        self.login = login; self.identity = identity
    }

    /// Whether they may sign notes, addenda and letters.
    public var canSign: Bool { identity != .unmapped }

    /// The operator for `document`: the unlocked slot's login when there is one, else this process's account.
    public static func resolve(document: CaseloadDocument, slotLogin: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> Operator {
        if let slotLogin {
            return Operator(login: slotLogin, identity: document.staff.contains { $0.login == slotLogin } ? .slot : .unmapped)
        }
        let name = accountName(environment: environment)
        return Operator(login: name, identity: document.staff.contains { !$0.login.isEmpty && $0.login == name } ? .account : .unmapped)
    }

    /// This process's account name, from the user database (`getpwuid(geteuid())`); `uid N` when it has none.
    ///
    /// DEBUG builds only: `CASELOAD_TEST_ACCOUNT` stands in for it, so that tests running as one account can act as
    /// several staff members. Release builds ignore it.
    public static func accountName(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        #if DEBUG
        if let name = environment["CASELOAD_TEST_ACCOUNT"], !name.isEmpty { return name }
        #endif
        let uid = geteuid()
        var record = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buffer = [CChar](repeating: 0, count: 16_384)
        let status = getpwuid_r(uid, &record, &buffer, buffer.count, &result)
        guard status == 0, let found = result, let name = found.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
