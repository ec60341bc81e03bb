import CaseloadCore
@testable import CaseloadDatabase
import CaseloadDemo
import CaseloadStore
import Foundation
import Testing

/// The edits kept on this computer while the database cannot be reached (issue 20): private, sealed when the document
/// is encrypted, read back whole, and gone once sent.
struct OfflineCopyTests {
    static let now = Date(timeIntervalSince1970: 1_795_900_000)
    static let fast = EncryptedDocument.KDFParameters(n: 1 << 10, r: 8, p: 1)

    static func folder() -> String { NSTemporaryDirectory() + "caseload-offline-\(UUID().uuidString)/offline" }

    @Test func anEncryptedProgramsKeptEditsAreSealedPrivateAndReadBackWhole() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let address = try DatabaseAddress(parsing: "postgresql://iop@db.example.org/iop", defaultUser: "iop")
        let copy = OfflineCopy(folder: folder, address: address)
        let base = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        var mine = base
        mine.patients[0].phone = "555-0123"
        let keys = try DocumentKeys.create(login: "dreyes", passphrase: "a passphrase for the test", kdf: Self.fast)
        #expect(!copy.exists)
        try copy.write(mine, base: base, keys: keys)
        #expect(copy.exists)
        for path in [copy.minePath, copy.basePath] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(bytes.range(of: Data(base.patients[0].legalName.utf8)) == nil, "\(path) shows a name")
            #expect(bytes.range(of: Data("555-0123".utf8)) == nil)
            let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
            #expect(mode == 0o600)
        }
        let folderMode = (try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int) ?? -1
        #expect(folderMode == 0o700)
        let read = try copy.read(keys: keys)
        #expect(read.mine == mine)
        #expect(read.base == base)
        copy.remove()
        #expect(!copy.exists)
    }

    @Test func aFolderOthersCanEnterIsRefused() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let address = try DatabaseAddress(parsing: "postgresql://iop@db.example.org/iop", defaultUser: "iop")
        let document = DemoProgram.generate(seed: 3, size: .small, now: Self.now)
        #expect(throws: StoreError.self) { try OfflineCopy(folder: folder, address: address).write(document, base: document, keys: nil) }
    }

    @Test func auditEntriesKeptAtQuittingComeBackOnceInOrder() throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let address = try DatabaseAddress(parsing: "postgresql://iop@db.example.org/iop", defaultUser: "iop")
        let copy = OfflineCopy(folder: folder, address: address)
        let entries = [
            DatabaseTrail.Pending(at: Self.now, event: AuditEvent("edit", ["patient:pat_0001", "field:phone"]), who: "dreyes", identity: .account),
            DatabaseTrail.Pending(at: Self.now.addingTimeInterval(60), event: AuditEvent(AuditAction.documentClose), who: "dreyes", identity: .account),
        ]
        try copy.writeTrail(entries)
        let back = copy.takeTrail()
        #expect(back.map(\.event) == entries.map(\.event))
        #expect(back.map(\.at) == entries.map(\.at))
        #expect(back.map(\.who) == ["dreyes", "dreyes"])
        #expect(copy.takeTrail().isEmpty, "taken once")
    }
}
