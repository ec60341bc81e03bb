import Foundation

/// libpq's password file (`~/.pgpass`), read by libpq's own rules so one file serves psql and Caseload.
///
/// Lines are `host:port:database:user:password`; `*` matches anything in the first four fields; `\:` and `\\` are a
/// literal colon and backslash; lines starting with `#` are comments; the first matching line wins. A file that its
/// group or others may use is ignored with a warning, as libpq does.
public enum PgPass {
    /// The password `file` holds for `address`, or nil; and a warning when the file was ignored.
    public static func password(for address: DatabaseAddress, file: String) -> (password: String?, warning: String?) {
        var status = stat()
        guard stat(file, &status) == 0 else { return (nil, nil) }  // no file: nothing to say, as libpq
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            return (nil, "the password file \(file) is not a plain file; it was not read")
        }
        guard status.st_mode & (S_IRWXG | S_IRWXO) == 0 else {
            return (nil, "the password file \(file) may be read by others; it was not read: run chmod 600 \(file)")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            return (nil, "the password file \(file) could not be read")
        }
        return (password(for: address, in: [UInt8](data)), nil)
    }

    /// The password the file's bytes hold for `address` (the matching alone, for tests and callers with the bytes).
    public static func password(for address: DatabaseAddress, in bytes: [UInt8]) -> String? {
        let fields = [address.host, String(address.port), address.database, address.user].map { Array($0.utf8) }
        for var line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            var rest: ArraySlice<UInt8>? = line
            for field in fields {
                rest = rest.flatMap { matches($0, field) }
            }
            guard let rest else { continue }
            // The password runs to the end or to an unescaped colon; backslash escapes the next byte.
            var password: [UInt8] = []
            var index = rest.startIndex
            while index < rest.endIndex, rest[index] != UInt8(ascii: ":") {
                if rest[index] == UInt8(ascii: "\\"), index + 1 < rest.endIndex { index += 1 }
                password.append(rest[index])
                index += 1
            }
            return String(decoding: password, as: UTF8.self)
        }
        return nil
    }

    /// Where the password file is: `PGPASSFILE`, else `$HOME/.pgpass` (the account's home when HOME is unset).
    public static func defaultFile(environment: [String: String]) -> String {
        if let file = environment["PGPASSFILE"], !file.isEmpty { return file }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".pgpass")
    }

    /// libpq's `pwdfMatchesString`: the rest of the line after the field when it matches `token`, else nil.
    private static func matches(_ line: ArraySlice<UInt8>, _ token: [UInt8]) -> ArraySlice<UInt8>? {
        let colon = UInt8(ascii: ":")
        if line.count >= 2, line[line.startIndex] == UInt8(ascii: "*"), line[line.startIndex + 1] == colon {
            return line.dropFirst(2)
        }
        var index = line.startIndex
        var tokenIndex = 0
        var escaped = false
        while index < line.endIndex {
            if line[index] == UInt8(ascii: "\\"), !escaped {
                index += 1
                escaped = true
                if index == line.endIndex { return nil }
            }
            if line[index] == colon, tokenIndex == token.count, !escaped {
                return line[(index + 1)...]
            }
            escaped = false
            guard tokenIndex < token.count, line[index] == token[tokenIndex] else { return nil }
            index += 1
            tokenIndex += 1
        }
        return nil
    }
}
