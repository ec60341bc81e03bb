import Foundation

/// How a connection uses TLS, with libpq's names and meanings (`sslmode=` in the address).
public enum SSLMode: String, Sendable, CaseIterable {
    /// Never TLS.
    case disable
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    case prefer
    /// TLS or nothing is sent; the certificate is not checked (as libpq without a root certificate).
    case require
    /// TLS with the certificate checked against the system's roots and the host name.
    case verifyFull = "verify-full"
}

/// A PostgreSQL server and database named by a `postgresql://` address; it never holds a password.
public struct DatabaseAddress: Equatable, Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var sslmode: SSLMode
    /// Seconds to wait for the server to answer a connection.
    public var connectTimeout: Int

    public static let defaultPort = 5432
    public static let defaultConnectTimeout = 5

    public init(
        host: String, port: Int = DatabaseAddress.defaultPort, user: String, database: String,
        sslmode: SSLMode = .prefer, connectTimeout: Int = DatabaseAddress.defaultConnectTimeout
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.sslmode = sslmode
        self.connectTimeout = connectTimeout
    }

    /// Reads `postgresql://[user@]host[:port]/dbname[?sslmode=…&connect_timeout=N]` (or `postgres://`).
    /// `defaultUser` (the account's name) is the user when the address names none, as with libpq.
    public init(parsing text: String, defaultUser: String) throws(DatabaseError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var rest: Substring
        if let range = trimmed.range(of: "postgresql://", options: [.anchored, .caseInsensitive]) {
            rest = trimmed[range.upperBound...]
        } else if let range = trimmed.range(of: "postgres://", options: [.anchored, .caseInsensitive]) {
            rest = trimmed[range.upperBound...]
        } else {
            throw .badAddress("it should start with postgresql:// (for example postgresql://db.example.org/caseload)")
        }

        // The query string first, so that a '/' or '@' in it is not taken for the path or the user.
        var queryText: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            queryText = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var pathText: Substring? = nil
        if let slash = rest.firstIndex(of: "/") {
            pathText = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        // The user ends at the last '@': a literal '@' in a user name would be written %40, but be lenient.
        var hostText = rest
        var user = defaultUser
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            hostText = rest[rest.index(after: at)...]
            if userInfo.contains(":") {
                throw .badAddress(
                    "it holds a password; passwords never go on a command line or in a file others read: "
                        + "put it in ~/.pgpass (mode 0600), or leave it out and type it when asked")
            }
            user = try Self.decode(userInfo, part: "user name")
            if user.isEmpty { throw .badAddress("the user name before '@' is empty") }
        }

        // Host and port; an IPv6 address is written in brackets.
        var host: String
        var portText: Substring? = nil
        if hostText.hasPrefix("[") {
            guard let close = hostText.firstIndex(of: "]") else {
                throw .badAddress("the IPv6 address has no closing ']'")
            }
            host = String(hostText[hostText.index(after: hostText.startIndex)..<close])
            let after = hostText[hostText.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw .badAddress("after the IPv6 address in brackets only ':port' may follow")
                }
                portText = after.dropFirst()
            }
            if host.isEmpty || !host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) {
                throw .badAddress("'\(host)' in brackets is not an IPv6 address")
            }
        } else {
            if let colon = hostText.lastIndex(of: ":") {
                portText = hostText[hostText.index(after: colon)...]
                hostText = hostText[..<colon]
            }
            host = try Self.decode(hostText, part: "host name")
        }
        if host.isEmpty {
            throw .badAddress("it names no host (for example postgresql://db.example.org/caseload)")
        }
        if host.hasPrefix("/") {
            throw .badAddress("a Unix socket folder as host is not supported; name a host or an IP address")
        }

        var port = Self.defaultPort
        if let portText {
            guard let number = Int(portText), !portText.isEmpty, portText.allSatisfy(\.isASCII),
                (1...65535).contains(number)
            else {
                throw .badAddress("the port '\(portText)' is not a number from 1 to 65535")
            }
            port = number
        }

        if let pathText, pathText.contains("/") {
            throw .badAddress("the database name '\(pathText)' holds a '/'; write it as %2F if it is meant")
        }
        let database = try Self.decode(pathText ?? "", part: "database name")
        if database.isEmpty {
            throw .badAddress("it names no database: put its name after the host, as in postgresql://\(Self.bracketed(host))/caseload")
        }

        var sslmode = SSLMode.prefer
        var connectTimeout = Self.defaultConnectTimeout
        var seen: Set<String> = []
        for pair in queryText.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0], part: "parameter name")
            let value = try Self.decode(parts.count > 1 ? parts[1] : "", part: "value of \(name)")
            guard seen.insert(name).inserted else {
                throw .badAddress("the parameter '\(name)' is given twice")
            }
            switch name {
            case "sslmode":
                guard let mode = SSLMode(rawValue: value) else {
                    let known = SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw .badAddress("sslmode '\(value)' is not one Caseload knows (\(known))")
                }
                sslmode = mode
            case "connect_timeout":
                guard let seconds = Int(value), seconds >= 1, seconds <= 3600 else {
                    throw .badAddress("connect_timeout '\(value)' should be a number of seconds from 1 to 3600")
                }
                connectTimeout = seconds
            case "password":
                throw .badAddress(
                    "it holds a password; passwords never go on a command line or in a file others read: "
                        + "put it in ~/.pgpass (mode 0600), or leave it out and type it when asked")
            default:
                throw .badAddress("the parameter '\(name)' is not one Caseload knows (sslmode, connect_timeout)")
            }
        }
        self.init(
            host: host, port: port, user: user, database: database, sslmode: sslmode, connectTimeout: connectTimeout)
    }

    /// `postgresql://user@host:port/database`: for messages and titles; there is never a password in it.
    public var display: String {
        "postgresql://\(Self.encode(user))@\(Self.bracketed(host)):\(port)/\(Self.encode(database))"
    }

    private static func bracketed(_ host: String) -> String {
        host.contains(":") ? "[\(host)]" : host
    }

    /// Percent-encodes what would otherwise change how the display is read back.
    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Percent-decodes one part of the address; a malformed escape is refused rather than guessed at.
    private static func decode(_ text: Substring, part: String) throws(DatabaseError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            else {
                throw .badAddress("the \(part) has a '%' not followed by two hexadecimal digits")
            }
            bytes.append(value)
            utf8 = utf8.dropFirst(2)
        }
        guard let decoded = String(bytes: bytes, encoding: .utf8), !decoded.contains("\u{0}") else {
            throw .badAddress("the \(part) does not decode to UTF-8 text")
        }
        return decoded
    }
}
