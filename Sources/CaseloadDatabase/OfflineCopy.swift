import CaseloadCore
import CaseloadStore
import Crypto
import Foundation

/// The edits a database home could not send yet, kept on this computer (issue 20): the document as it stands in
/// memory and the base it grew from, each a whole document file sealed under the document key when the database is
/// encrypted (mode 0600, in a folder only its owner can enter, beside the config). Written by every save that finds
/// the server gone, read at the next start (whose first save merges them in), removed by the first save that succeeds.
public struct OfflineCopy: Sendable {
    public let folder: String
    /// The files' common name: a digest of the database's address (no patient data, and one set per database).
    let name: String

    public init(folder: String, address: DatabaseAddress) {
        self.folder = folder
        let digest = SHA256.hash(data: Data(address.display.utf8))
        name = digest.prefix(10).map { String(format: "%02x", $0) }.joined()
    }

    var minePath: String { folder + "/" + name + ".waiting" }
    var basePath: String { folder + "/" + name + ".base" }
    /// Audit entries recorded while offline and not yet written when the app quit (ids and field names only).
    var trailPath: String { folder + "/" + name + ".trail" }

    /// Whether edits wait (both files are there: the base is written last).
    public var exists: Bool {
        FileManager.default.fileExists(atPath: minePath) && FileManager.default.fileExists(atPath: basePath)
    }

    /// Keeps `mine` and the `base` it grew from, replacing what was kept before.
    func write(_ mine: CaseloadDocument, base: CaseloadDocument, keys: DocumentKeys?) throws(StoreError) {
        try Self.makeFolder(folder)
        try DocumentStore.writeCopy(mine, to: minePath, keys: keys)
        try DocumentStore.writeCopy(base, to: basePath, keys: keys)
    }

    /// The kept edits and their base.
    func read(keys: DocumentKeys?) throws(StoreError) -> (mine: CaseloadDocument, base: CaseloadDocument) {
        let mine = try DocumentStore.read(minePath, keys: keys).document
        let base = try DocumentStore.read(basePath, keys: keys).document
        return (mine, base)
    }

    /// Forgets the kept edits: they reached the database.
    func remove() {
        removeTrail()
        guard exists || FileManager.default.fileExists(atPath: minePath) else { return }
        unlink(minePath)
        unlink(basePath)
    }

    /// Forgets the kept audit entries: they reached the database.
    func removeTrail() {
        if FileManager.default.fileExists(atPath: trailPath) { unlink(trailPath) }
    }

    /// Keeps audit entries that could not be written (every save that finds the server gone, and quitting); the next
    /// start writes them first.
    func writeTrail(_ entries: [DatabaseTrail.Pending]) throws(StoreError) {
        try Self.makeFolder(folder)
        let list: [[String: Any]] = entries.map {
            ["at": $0.at.timeIntervalSince1970, "who": $0.who, "identity": $0.identity.rawValue, "action": $0.event.action, "ids": $0.event.ids]
        }
        let data: Data
        do { data = try JSONSerialization.data(withJSONObject: list) } catch {
            throw .io(path: trailPath, operation: "keep audit entries", reason: "\(error)")
        }
        try AtomicFile.write(data, to: trailPath)
    }

    /// The audit entries kept by an earlier session (none when there are none, or they cannot be read).
    func takeTrail() -> [DatabaseTrail.Pending] {
        guard let data = try? AtomicFile.read(trailPath),
              let list = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else { return [] }
        unlink(trailPath)
        return list.compactMap { item in
            guard let at = item["at"] as? Double, let who = item["who"] as? String, let identity = (item["identity"] as? String).flatMap(AuditIdentity.init(rawValue:)),
                  let action = item["action"] as? String, let ids = item["ids"] as? [String] else { return nil }
            return DatabaseTrail.Pending(at: Date(timeIntervalSince1970: at), event: AuditEvent(action, ids), who: who, identity: identity)
        }
    }

    /// The folder, made 0700 when missing; refused when another account owns it or others can enter it.
    static func makeFolder(_ folder: String) throws(StoreError) {
        var info = stat()
        if lstat(folder, &info) != 0 {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
                throw .io(path: folder, operation: "create the folder for edits waiting for the database", reason: "\(error.localizedDescription)")
            }
            return
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == geteuid(), info.st_mode & 0o077 == 0 else {
            throw .io(path: folder, operation: "keep edits waiting for the database",
                      reason: "it must be a folder of yours that only you can enter (chmod 700 \(folder))")
        }
    }
}
