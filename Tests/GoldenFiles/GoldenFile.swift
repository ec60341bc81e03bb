import Foundation

/// Checked-in expected outputs (report golden files, screen snapshots) for the test suites: one helper and one variable.
///
/// `GOLDEN_UPDATE=1 swift test` rewrites every golden file and snapshot from what the code now produces; read the diff
/// (`git diff Tests/`) before committing it. Without it, a difference is reported as a line diff.
public enum GoldenFile {
    /// The environment variable that rewrites golden files instead of comparing them.
    public static let updateVariable = "GOLDEN_UPDATE"

    /// Whether this run rewrites golden files.
    public static var updating: Bool { ProcessInfo.processInfo.environment[updateVariable] == "1" }

    /// Compares `actual` with the file at `url` (rewriting it first when updating). Returns nil when they are equal, else a
    /// readable message: the file's name, the first differing lines with their numbers, and how to update.
    public static func mismatch(_ actual: String, file url: URL) throws -> String? {
        if updating {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return "\(url.lastPathComponent) is missing; run with \(updateVariable)=1 to write it"
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard actual != expected else { return nil }
        return "\(url.lastPathComponent) differs (\(updateVariable)=1 rewrites it):\n" + lineDiff(expected: expected, actual: actual)
    }

    /// The lines that differ, numbered: `-` the file's, `+` the new one's; at most `limit` pairs, then a count of the rest.
    public static func lineDiff(expected: String, actual: String, limit: Int = 12) -> String {
        let old = expected.components(separatedBy: "\n"), new = actual.components(separatedBy: "\n")
        var out: [String] = []
        var differing = 0
        for i in 0..<max(old.count, new.count) {
            let a = i < old.count ? old[i] : nil, b = i < new.count ? new[i] : nil
            guard a != b else { continue }
            differing += 1
            guard differing <= limit else { continue }
            if let a { out.append(String(format: "%4d - ", i + 1) + a) }
            if let b { out.append(String(format: "%4d + ", i + 1) + b) }
        }
        if differing > limit { out.append("… and \(differing - limit) more differing lines") }
        return out.joined(separator: "\n")
    }
}
