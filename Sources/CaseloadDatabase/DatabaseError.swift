import CaseloadStore
import Foundation

/// What went wrong reaching or using a database home, in words a user can act on.
public enum DatabaseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The address could not be read (`detail` says which part).
    case badAddress(String)
    /// The server could not be reached or dropped the connection: edits are kept and sent when it is back.
    case unreachable(address: String, detail: String)
    /// The server refused the login (wrong password, no such role, no access to the database).
    case refused(address: String, detail: String)
    /// TLS was required (`sslmode=require`) and the server does not offer it.
    case tlsRequired(address: String)
    /// The database holds no Caseload schema, or one of a newer Caseload.
    case schema(address: String, detail: String)
    /// A query failed for another reason.
    case query(address: String, detail: String)
    /// A sealed row did not open (`RowSeal`): the message names the row, never its content.
    case sealed(String)

    public var description: String {
        switch self {
        case .badAddress(let detail): "the database address is not usable: \(detail)"
        case .unreachable(let address, let detail): "cannot reach the database at \(address): \(detail)"
        case .refused(let address, let detail): "the database at \(address) refused the login: \(detail)"
        case .tlsRequired(let address): "the database at \(address) does not offer TLS, and sslmode=require asks for it; nothing was sent"
        case .schema(let address, let detail): "the database at \(address) \(detail)"
        case .query(let address, let detail): "the database at \(address) could not do it: \(detail)"
        case .sealed(let message): message
        }
    }

    /// Whether the connection is the problem (the server is down or the network is), so that edits wait and go later.
    public var isConnectionLost: Bool {
        if case .unreachable = self { return true }
        return false
    }
}
