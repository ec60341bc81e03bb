import Foundation

/// A fresh folder under the system temp directory, removed when the test is done (the one temp-folder helper of these tests).
final class ScratchFolder {
    let path: String

    init(_ label: String = #function) {
        let safe = label.filter { $0.isLetter || $0.isNumber }
        path = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-\(safe.prefix(40))-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        // Restore search permission first, in case a test took it away.
        _ = chmod(path, 0o700)
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// Writes bytes directly (test set-up, not the store's code path).
    @discardableResult
    func write(_ name: String, _ bytes: Data) -> String {
        let p = file(name)
        _ = FileManager.default.createFile(atPath: p, contents: bytes)
        return p
    }

    func write(_ name: String, _ text: String) -> String { write(name, Data(text.utf8)) }
}

/// The bytes and modification time of a file, to prove it was left exactly as it was.
struct FileSnapshot: Equatable {
    let bytes: Data?
    let modified: Date?
    init(_ path: String) {
        bytes = FileManager.default.contents(atPath: path)
        modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
