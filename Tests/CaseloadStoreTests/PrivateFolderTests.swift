import Foundation
import Testing
@testable import CaseloadStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The demo's scratch place: a fresh folder of the user's own, never a guessable name.
@Suite("PrivateFolder")
struct PrivateFolderTests {
    @Test func eachFolderIsNewAndMode0700() throws {
        let folder = ScratchFolder()
        let a = try PrivateFolder.make(in: folder.path, prefix: "caseload-demo-")
        let b = try PrivateFolder.make(in: folder.path, prefix: "caseload-demo-")
        #expect(a != b)
        for made in [a, b] {
            #expect(made.hasPrefix(folder.path + "/caseload-demo-") && made.count == (folder.path + "/caseload-demo-XXXXXX").count)
            var info = stat()
            #expect(lstat(made, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR)
            #expect(info.st_mode & 0o7777 == 0o700)
            #expect(info.st_uid == geteuid())
        }
    }
}
