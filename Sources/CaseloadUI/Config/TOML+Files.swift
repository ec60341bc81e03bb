import CaseloadCore
import Foundation

// MARK: - Reading files

extension TOML {
    /// A config or theme file as read: its text when usable, and a warning when it exists but cannot be used.
    public struct FileRead: Equatable, Sendable {
        public var text: String?
        public var warning: String?
        public init(text: String? = nil, warning: String? = nil) { self.text = text; self.warning = warning }
    }

    /// Reads a config or theme file at most `maxBytes` long. A missing file is silent (nil text, no warning); one that
    /// cannot be read, is too large or is not UTF-8 gives a warning naming the file (and the line and column of the first
    /// bad byte), so a setting is never dropped without saying so.
    public static func readFile(_ path: String) -> FileRead {
        guard FileManager.default.fileExists(atPath: path) else { return FileRead() }
        let shown = TerminalText.safe(path, multiLine: false)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return FileRead(warning: "\(shown): cannot be read (check its owner and mode); its settings are ignored")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            // One byte more than allowed tells "too large" without reading a huge file whole.
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            return FileRead(warning: "\(shown): cannot be read (\(error.localizedDescription)); its settings are ignored")
        }
        if data.count > maxBytes {
            return FileRead(warning: "\(shown): larger than \(maxBytes) bytes (1 MiB); its settings are ignored")
        }
        if let (line, column) = utf8ErrorPosition(data) {
            return FileRead(warning: "\(shown):\(line):\(column): not valid UTF-8 text; its settings are ignored")
        }
        return FileRead(text: String(decoding: data, as: UTF8.self))
    }

    /// Line and column (1-based, columns in Unicode scalars) of the first byte that is not UTF-8, or nil when all is.
    static func utf8ErrorPosition(_ data: Data) -> (Int, Int)? {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput: return nil
            case .error: return (line, column)
            }
        }
    }
}
