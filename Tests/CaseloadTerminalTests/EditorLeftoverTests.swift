#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Testing
@testable import CaseloadTerminal

/// Issue 12, finding 12: a note handed to `$EDITOR` must not outlive a crashed run, and goes to the private runtime folder when there is one.
@Suite struct EditorLeftoverTests {
    /// A private scratch root standing in for `$TMPDIR`, removed afterwards.
    final class Root {
        let path: String
        init() {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("editor-leftovers-\(UUID().uuidString)").path
            mkdir(path, 0o700)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func folder(_ name: String, mode: mode_t = 0o700) -> String {
            let p = path + "/" + name
            mkdir(p, mode)
            chmod(p, mode)
            return p
        }
    }

    func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    @Test func leftoversOfDeadRunsAreRemovedAndLiveOnesKept() throws {
        let root = Root()
        let dead = root.folder("caseload-4000001-Ab12Cd")       // dead according to the probe below
        #expect(FileManager.default.createFile(atPath: dead + "/note.md", contents: Data("private note".utf8)))
        #expect(FileManager.default.createFile(atPath: dead + "/.note.md.swp", contents: Data("swap".utf8)))
        let live = root.folder("caseload-\(getpid())-Zz9Yy8")   // this very process
        let running = root.folder("caseload-4000002-Qq7Ww6")    // alive according to the probe below
        let notOurs = root.folder("caseload-notes")             // not an edit folder's name
        let removed = ExternalEditor.removeLeftovers(environment: ["TMPDIR": root.path], sharedMemory: root.path) { $0 == 4_000_002 }
        #expect(removed == [dead])
        #expect(!exists(dead))
        #expect(exists(live) && exists(running) && exists(notOurs))
    }

    @Test func leftoversInTheSharedMemoryFolderAreRemovedToo() throws {
        let root = Root()
        let shm = root.folder("shm", mode: 0o1777)   // as /dev/shm: world-writable with the sticky bit
        let tmp = root.folder("tmp")
        let dead = shm + "/caseload-4000001-Ab12Cd"
        mkdir(dead, 0o700)
        #expect(FileManager.default.createFile(atPath: dead + "/note.md", contents: Data("private note".utf8)))
        let running = shm + "/caseload-4000002-Qq7Ww6"
        mkdir(running, 0o700)
        let removed = ExternalEditor.removeLeftovers(environment: ["TMPDIR": tmp], sharedMemory: shm) { $0 == 4_000_002 }
        #expect(removed == [dead])
        #expect(!exists(dead) && exists(running))
    }

    @Test func aLinkNamedLikeALeftoverIsNotFollowed() throws {
        let root = Root()
        let target = root.folder("precious")
        #expect(FileManager.default.createFile(atPath: target + "/keep.txt", contents: Data("keep".utf8)))
        symlink(target, root.path + "/caseload-4000001-Ab12Cd")
        #expect(ExternalEditor.removeLeftovers(environment: ["TMPDIR": root.path], sharedMemory: root.path) { _ in false }.isEmpty)
        #expect(exists(target + "/keep.txt"))
    }

    @Test func anotherAccountsLeftoverIsLeftAlone() throws {
        guard geteuid() == 0 else { return }   // staging another owner needs chown
        let root = Root()
        let theirs = root.folder("caseload-4000001-Ab12Cd")
        chown(theirs, 65534, 65534)
        #expect(ExternalEditor.removeLeftovers(environment: ["TMPDIR": root.path], sharedMemory: root.path) { _ in false }.isEmpty)
        #expect(exists(theirs))
    }

    @Test func theRuntimeFolderIsPreferredWhenItIsPrivate() throws {
        let root = Root()
        let runtime = root.folder("runtime", mode: 0o700)
        let open = root.folder("open", mode: 0o755)
        #expect(ExternalEditor.temporaryRoot(["XDG_RUNTIME_DIR": runtime, "TMPDIR": "/var/tmp"]) == runtime)
        #expect(ExternalEditor.temporaryRoot(["XDG_RUNTIME_DIR": open, "TMPDIR": "/var/tmp"]) == "/var/tmp")
        #expect(ExternalEditor.temporaryRoot(["XDG_RUNTIME_DIR": root.path + "/missing", "TMPDIR": "/var/tmp"]) == "/var/tmp")
        #expect(ExternalEditor.temporaryRoot(["XDG_RUNTIME_DIR": "relative", "TMPDIR": "/var/tmp"]) == "/var/tmp")
        if geteuid() == 0 {
            chown(runtime, 65534, 65534)
            #expect(ExternalEditor.temporaryRoot(["XDG_RUNTIME_DIR": runtime, "TMPDIR": "/var/tmp"]) == "/var/tmp")
        }
    }

    @Test func aReapedChildIsNotAlive() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "exit 0"]
        try child.run()
        child.waitUntilExit()
        #expect(!ExternalEditor.processIsAlive(child.processIdentifier))
        #expect(ExternalEditor.processIsAlive(getpid()))
    }

    @Test func anEditFolderNameCarriesItsPid() {
        #expect(ExternalEditor.leftoverOwner("caseload-4242-aB3dE9") == 4242)
        #expect(ExternalEditor.leftoverOwner("caseload-aB3dE9") == nil)          // the old unmarked shape
        #expect(ExternalEditor.leftoverOwner("caseload-4242-aB3dE9x") == nil)
        #expect(ExternalEditor.leftoverOwner("caseload--aB3dE9") == nil)
        #expect(ExternalEditor.leftoverOwner("caseload-0-aB3dE9") == nil)
    }
}
