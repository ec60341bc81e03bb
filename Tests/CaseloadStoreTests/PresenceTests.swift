import Foundation
import Testing
@testable import CaseloadStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Presence")
struct PresenceTests {
    private let scratch = ScratchFolder()
    private var document: String { scratch.file("program.json") }
    private var folder: String { document + ".presence" }

    private func names() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    private func mode(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = gethostname(&buffer, buffer.count - 1)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A record written by hand, as another instance (or an attacker) would leave it, beaten at `beat`.
    @discardableResult
    private func plant(_ name: String, _ text: String, beat: Date = Date()) -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        setModified(path, beat)
        return path
    }

    private func setModified(_ path: String, _ date: Date) {
        let seconds = Int(date.timeIntervalSince1970)
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW)
    }

    private func record(login: String, pid: Int32, host: String = PresenceTests.hostName()) -> String {
        #"{"host":"\#(host)","login":"\#(login)","pid":\#(pid),"started":"2026-11-30T18:05:00Z"}"#
    }

    @Test func joiningWritesOneOwnerOnlyRecordWithLoginPidHostAndStartOnly() throws {
        let presence = try Presence.join(documentPath: document, login: "mbell")
        #expect(mode(folder) == 0o700)
        let files = names()
        #expect(files.count == 1)
        let name = try #require(files.first)
        #expect(name == presence.recordName)
        let parts = name.split(separator: ".")
        #expect(parts.count == 3)
        #expect(parts.first == "mbell")
        #expect(parts.dropFirst().first == Substring("\(getpid())"))
        #expect(parts.last?.count == 6 && parts.last?.allSatisfy(\.isHexDigit) == true)
        #expect(mode(folder + "/" + name) == 0o600)
        let data = try #require(FileManager.default.contents(atPath: folder + "/" + name))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(json.keys) == ["login", "pid", "host", "started"])
        #expect(json["login"] as? String == "mbell")
        #expect(json["pid"] as? Int == Int(getpid()))
        #expect(json["host"] as? String == Self.hostName())
    }

    @Test func anotherInstanceSeesTheFirstAndNotItself() throws {
        let first = try Presence.join(documentPath: document, login: "mbell")
        let second = try Presence.join(documentPath: document, login: "dreyes")
        #expect(second.others().map(\.login) == ["mbell"])
        #expect(first.others().map(\.login) == ["dreyes"])
        #expect(first.others().first?.pid == Int(getpid()))
    }

    @Test func theDocumentReachedThroughASymbolicLinkSharesTheFolder() throws {
        _ = scratch.write("program.json", "{}")
        let alias = scratch.file("alias.json")
        #expect(symlink(document, alias) == 0)
        let first = try Presence.join(documentPath: document, login: "mbell")
        let second = try Presence.join(documentPath: alias, login: "dreyes")
        #expect(second.others().map(\.login) == ["mbell"])
        #expect(first.others().map(\.login) == ["dreyes"])
    }

    @Test func aRecordNotBeatenForMoreThanFiveSecondsIsNoLongerCounted() throws {
        let start = Date()
        let first = try Presence.join(documentPath: document, login: "mbell", now: start)
        let second = try Presence.join(documentPath: document, login: "dreyes", now: start)
        #expect(second.others(now: start.addingTimeInterval(4)).map(\.login) == ["mbell"])
        #expect(second.others(now: start.addingTimeInterval(6)).isEmpty)
        // A beat brings it back.
        first.beat(now: start.addingTimeInterval(6))
        #expect(second.others(now: start.addingTimeInterval(6)).map(\.login) == ["mbell"])
    }

    @Test func aRecordLeftInThePastIsNotCountedAndStaysUntilAMinuteHasPassed() throws {
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        let recent = plant("mbell.\(getpid()).aaaaaa", record(login: "mbell", pid: getpid()), beat: Date().addingTimeInterval(-30))
        let old = plant("tferreira.\(getpid()).bbbbbb", record(login: "tferreira", pid: getpid()), beat: Date().addingTimeInterval(-61))
        #expect(watcher.others().isEmpty)
        // Both are this account's: the one older than a minute is deleted, the other kept (its process may be stopped).
        #expect(FileManager.default.fileExists(atPath: recent))
        #expect(!FileManager.default.fileExists(atPath: old))
    }

    @Test func anotherAccountsOldRecordIsNeverDeleted() throws {
        try #require(geteuid() == 0, "needs root to give a file to another account")
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        let theirs = plant("mbell.1.cccccc", record(login: "mbell", pid: 1), beat: Date().addingTimeInterval(-3600))
        #expect(chown(theirs, 54_321, getegid()) == 0)
        let dead = try finishedPid()
        let theirsDead = plant("tferreira.\(dead).dddddd", record(login: "tferreira", pid: dead))
        #expect(chown(theirsDead, 54_321, getegid()) == 0)
        #expect(watcher.others().isEmpty)
        #expect(FileManager.default.fileExists(atPath: theirs))
        #expect(FileManager.default.fileExists(atPath: theirsDead))
    }

    /// The pid of a process that ran and was waited for: no process has it now (until the kernel reuses it).
    private func finishedPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func aRecordOfAProcessThatIsGoneDisappearsAtOnce() throws {
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        let dead = try finishedPid()
        let gone = plant("mbell.\(dead).eeeeee", record(login: "mbell", pid: dead))
        // Already stale, but not a minute old: cleared away as soon as its process is known to be gone.
        let goneStale = plant("pnatarajan.\(dead).eeeeef", record(login: "pnatarajan", pid: dead), beat: Date().addingTimeInterval(-20))
        // The same record with a live pid (this process) is counted: it is the pid that decides.
        plant("tferreira.\(getpid()).ffffff", record(login: "tferreira", pid: getpid()))
        #expect(watcher.others().map(\.login) == ["tferreira"])
        // This account's dead records are cleared away.
        #expect(!FileManager.default.fileExists(atPath: gone))
        #expect(!FileManager.default.fileExists(atPath: goneStale))
    }

    @Test func aDeadPidOnAnotherHostIsNotJudgedHere() throws {
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        let dead = try finishedPid()
        plant("mbell.\(dead).abcdef", record(login: "mbell", pid: dead, host: Self.hostName() + "-elsewhere"))
        #expect(watcher.others().map(\.login) == ["mbell"])
    }

    @Test func leavingRemovesTheRecordAndSoDoesDroppingThePresence() throws {
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        let leaving = try Presence.join(documentPath: document, login: "mbell")
        #expect(names().count == 2)
        leaving.leave()
        leaving.leave()
        #expect(names() == [watcher.recordName])
        #expect(watcher.others().isEmpty)
        do {
            let dropped = try Presence.join(documentPath: document, login: "tferreira")
            #expect(names().count == 2)
            _ = dropped
        }
        #expect(names() == [watcher.recordName])
    }

    @Test func aRecordRemovedWhileTheProcessWasStoppedIsWrittenAgainOnTheNextBeat() throws {
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        let stopped = try Presence.join(documentPath: document, login: "mbell")
        #expect(unlink(folder + "/" + stopped.recordName) == 0)
        #expect(watcher.others().isEmpty)
        stopped.beat()
        #expect(watcher.others().map(\.login) == ["mbell"])
    }

    @Test func aSymbolicLinkPlantedAsTheFolderIsRefusedAndNothingIsWrittenThrough() throws {
        let elsewhere = scratch.file("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        #expect(symlink(elsewhere, folder) == 0)
        #expect(throws: StoreError.self) { try Presence.join(documentPath: document, login: "dreyes") }
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: elsewhere)) ?? ["?"]).isEmpty)
    }

    @Test func aFilePlantedAsTheFolderIsRefused() throws {
        _ = scratch.write("program.json.presence", "not a folder")
        do {
            _ = try Presence.join(documentPath: document, login: "dreyes")
            Issue.record("a file as the presence folder was used")
        } catch {
            #expect(error.description.contains("not a folder"))
        }
    }

    @Test func aFolderOthersCanEnterIsRefused() throws {
        #expect(mkdir(folder, 0o700) == 0)
        #expect(chmod(folder, 0o777) == 0)
        #expect(throws: StoreError.self) { try Presence.join(documentPath: document, login: "dreyes") }
    }

    @Test func aPrivateDocumentsExistingFolderIsUsedOnlyWhenItIsTheUsersAlone() throws {
        #expect(mkdir(folder, 0o700) == 0)
        #expect(chmod(folder, 0o750) == 0)
        #expect(throws: StoreError.self) { try Presence.join(documentPath: document, login: "dreyes") }
        #expect(chmod(folder, 0o700) == 0)
        let presence = try Presence.join(documentPath: document, login: "dreyes")
        #expect(mode(folder) == 0o700)
        #expect(mode(folder + "/" + presence.recordName) == 0o600)
    }

    @Test func anotherMembersFolderIsTrustedOnlyForASharedDocumentWithTheGroupsMode() throws {
        try #require(geteuid() == 0, "needs root to give files to another account")
        // nobody (uid 65534) is in nogroup (gid 65534), its primary group.
        let group: gid_t = 65_534
        _ = scratch.write("program.json", "{}")
        #expect(chown(document, 0, group) == 0)
        #expect(chmod(document, 0o600) == 0)
        #expect(mkdir(folder, 0o700) == 0)
        #expect(chown(folder, 65_534, group) == 0)
        #expect(chmod(folder, 0o2770) == 0)
        // A private document trusts no other account's folder.
        #expect(throws: StoreError.self) { try Presence.join(documentPath: document, login: "dreyes") }
        #expect(chmod(document, 0o660) == 0)
        #expect(chmod(folder, 0o770) == 0)
        // Shared, but the folder has not the group's mode (2770).
        #expect(throws: StoreError.self) { try Presence.join(documentPath: document, login: "dreyes") }
        #expect(chmod(folder, 0o2770) == 0)
        let presence = try Presence.join(documentPath: document, login: "dreyes")
        // In a shared document's folder the group reads the records.
        let record = folder + "/" + presence.recordName
        #expect(mode(record) == 0o660)
        var info = stat()
        #expect(lstat(record, &info) == 0 && info.st_gid == group)
    }

    @Test func aSharedDocumentsNewFolderIsMadeWithTheGroupsMode() throws {
        try #require(geteuid() == 0, "needs root to give the document a group")
        let group: gid_t = 65_534
        _ = scratch.write("program.json", "{}")
        #expect(chown(document, 0, group) == 0)
        #expect(chmod(document, 0o660) == 0)
        _ = try Presence.join(documentPath: document, login: "dreyes")
        var info = stat()
        #expect(lstat(folder, &info) == 0 && info.st_gid == group)
        #expect(mode(folder) == 0o2770)
    }

    @Test func aSymbolicLinkPlantedAsARecordIsNotFollowed() throws {
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        let real = scratch.write("real-record", record(login: "mbell", pid: getpid()))
        #expect(symlink(real, folder + "/mbell.\(getpid()).123456") == 0)
        #expect(watcher.others().isEmpty)
    }

    @Test func malformedAndHugeRecordsAreIgnored() throws {
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        plant("a.1.000001", "not json at all")
        plant("b.1.000002", #"{"login":"mbell","host":"x"}"#)
        plant("c.1.000003", #"{"login":"","pid":\#(getpid()),"host":"x","started":"2026-11-30T18:05:00Z"}"#)
        plant("d.1.000004", #"{"login":"mbell","pid":\#(getpid()),"host":"x","started":"yesterday"}"#)
        // Valid JSON, but longer than any record: padded past 4 KiB.
        plant("e.1.000005", #"{"login":"mbell","pid":\#(getpid()),"host":"x","started":"2026-11-30T18:05:00Z"}"# + String(repeating: " ", count: 5000))
        plant("f.1.000006", "")
        try FileManager.default.createDirectory(atPath: folder + "/g.1.000007", withIntermediateDirectories: false)
        #expect(mkfifo(folder + "/h.1.000008", 0o600) == 0)
        #expect(watcher.others().isEmpty)
        // A good record among them is read: the others were ignored, not the whole folder.
        plant("tferreira.1.000009", record(login: "tferreira", pid: getpid()))
        #expect(watcher.others().map(\.login) == ["tferreira"])
    }

    @Test func controlCharactersInALoginAreShownEscaped() throws {
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        plant("x.1.00000a", record(login: #"ev\u001b[2Jil"#, pid: getpid()))
        let seen = try #require(watcher.others().first)
        #expect(seen.login == "ev\u{1B}[2Jil")
        #expect(seen.shownLogin == #"ev\u{1B}[2Jil"#)
    }

    @Test func aLoginThatIsNoFileNameStillMakesOneRecord() throws {
        let presence = try Presence.join(documentPath: document, login: "../x/y")
        #expect(names() == [presence.recordName])
        #expect(presence.recordName.hasPrefix("___x_y."))
    }

    @Test func onlyTheFirstTwoHundredFilesAreRead() throws {
        let watcher = try Presence.join(documentPath: document, login: "dreyes")
        for i in 0..<250 { plant("p\(i).1.\(String(format: "%06x", i))", record(login: "p\(i)", pid: getpid())) }
        let seen = watcher.others()
        #expect(seen.count <= 200)
        #expect(seen.count >= 199)  // its own record may be among the first 200 names
    }
}
