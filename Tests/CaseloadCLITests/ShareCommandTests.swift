import CaseloadCore
import CaseloadStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `caseload share PATH --group NAME` (issue 18): groups are read here from /etc/group and /etc/passwd, apart from the
/// C library calls the command makes, and the tests pick at run time a group that fits each case, so they work as root
/// and as any other account.
@Suite(.serialized) struct ShareCommandTests {
    let scratch = Scratch()

    /// A group as the files say: its id and every member (listed, or having it as primary group).
    struct FileGroup { var name: String; var id: UInt32; var members: Set<String> }

    static func groupsFromFiles() -> [FileGroup] {
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? ""
        let groups = (try? String(contentsOfFile: "/etc/group", encoding: .utf8)) ?? ""
        var primary: [UInt32: Set<String>] = [:]
        for line in passwd.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 4, let gid = UInt32(fields[3]) else { continue }
            primary[gid, default: []].insert(String(fields[0]))
        }
        return groups.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 4, let gid = UInt32(fields[2]) else { return nil }
            let listed = fields[3].split(separator: ",").map(String.init)
            return FileGroup(name: String(fields[0]), id: gid, members: Set(listed).union(primary[gid] ?? []))
        }
    }

    /// This account's login, from /etc/passwd.
    static var runner: String? {
        let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? ""
        for line in passwd.split(separator: "\n") {
            let fields: [Substring] = line.split(separator: ":", omittingEmptySubsequences: false)
            if fields.count >= 3, UInt32(fields[2]) == geteuid() { return String(fields[0]) }
        }
        return nil
    }

    /// A demo document whose staff logins are `logins` (more staff are added when the demo has fewer).
    func document(staff logins: [String], name: String = "doc.json", in folder: String? = nil) throws -> String {
        let path = folder.map { $0 + "/" + name } ?? scratch.file(name)
        let made = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"])
        #expect(made.status == 0, "\(made.stderr)")
        guard !logins.isEmpty else { return path }
        let decoded = try DocumentCodec.decode(try AtomicFile.read(path), path: path)
        var doc = decoded.document
        for (index, login) in logins.enumerated() {
            if index < doc.staff.count {
                doc.staff[index].login = login
            } else {
                doc.staff.append(Staff(id: StaffID("st-share-\(index)"), name: "Staff \(index)", credentials: "", role: .facilitator, login: login))
            }
        }
        try AtomicFile.write(DocumentCodec.encode(doc, audit: decoded.audit), to: path)
        return path
    }

    func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    @Test func sharingWithTheRunnersOwnGroupGivesEveryFileTheGroupModes() throws {
        let me = try #require(Self.runner)
        let group = try #require(Self.groupsFromFiles().first { $0.id == getegid() }, "the runner's primary group is in /etc/group")
        let path = try document(staff: group.members.sorted())
        _ = try Backups(documentPath: path).makeBackup(of: try AtomicFile.read(path), now: Date(timeIntervalSince1970: 1_796_000_000))
        #expect(group.members.contains(me))

        let result = try CaseloadBinary.run(["share", path, "--group", group.name])
        #expect(result.status == 0, "\(result.stderr)")
        let backups = Backups(documentPath: path)
        let files = [path, path + ".lock"] + backups.list().map(\.path) + (status(path + ".audit") != nil ? [path + ".audit"] : [])
        for file in files {
            let info = try #require(status(file), "\(file)")
            #expect(info.st_mode & 0o7777 == 0o660 && info.st_gid == group.id, "\(file): \(String(info.st_mode & 0o7777, radix: 8))")
            #expect(result.stdout.contains("  \(file)  660 -rw-rw----  group \(group.name)"), "\(file) in \(result.stdout)")
        }
        for folder in [backups.folder, path + ".presence"] {
            let info = try #require(status(folder), "\(folder)")
            #expect(info.st_mode & 0o7777 == 0o2770 && info.st_gid == group.id, "\(folder): \(String(info.st_mode & 0o7777, radix: 8))")
            #expect(result.stdout.contains("  \(folder)  2770 drwxrws---  group \(group.name)"), "\(folder) in \(result.stdout)")
        }
        #expect(result.stdout.contains("(made)"), "the presence folder was made: \(result.stdout)")
        #expect(result.stdout.contains("shared \(path) with group \(group.name)"))

        // Still a document that reads and opens for writing, and keeps its modes through a save.
        let check = try CaseloadBinary.run(["check", path])
        #expect(check.status == 0, "\(check.stderr)")
        let (store, doc) = try DocumentStore.open(path)
        #expect(store.access == .readWrite, "\(store.notices)")
        try store.save(doc)
        store.close()
        #expect(status(path).map { $0.st_mode & 0o7777 == 0o660 && $0.st_gid == group.id } == true)
    }

    @Test func aGroupWithMembersWhoAreNotStaffIsRefusedNamingThem() throws {
        let me = Self.runner ?? ""
        let group = try #require(Self.groupsFromFiles().first { !$0.members.isEmpty && !$0.members.contains(me) && !$0.members.contains("dreyes") },
                                 "a group with members (daemon, bin …)")
        let path = try document(staff: [])
        let before = FileManager.default.contents(atPath: path)
        let result = try CaseloadBinary.run(["share", path, "--group", group.name])
        #expect(result.status != 0)
        #expect(result.stderr.contains("not staff of the document"), "\(result.stderr)")
        for member in group.members { #expect(result.stderr.contains(member), "\(member) named in \(result.stderr)") }
        #expect(result.stderr.contains("you (\(me)) are not a member of group \(group.name)"), "\(result.stderr)")
        #expect(status(path).map { $0.st_mode & 0o7777 } == 0o600, "nothing changed")
        #expect(status(path + ".presence") == nil)
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func aGroupTheRunnerIsNotInIsRefused() throws {
        let me = try #require(Self.runner)
        let group = try #require(Self.groupsFromFiles().first { $0.members.isEmpty }, "a group without members (floppy, tape …)")
        let path = try document(staff: [])
        let result = try CaseloadBinary.run(["share", path, "--group", group.name])
        #expect(result.status != 0)
        #expect(result.stderr.contains("you (\(me)) are not a member of group \(group.name)"), "\(result.stderr)")
        #expect(!result.stderr.contains("not staff"), "no member to name: \(result.stderr)")
        #expect(status(path).map { $0.st_mode & 0o7777 } == 0o600)
    }

    @Test func aGroupThatDoesNotExistIsRefused() throws {
        let path = try document(staff: [])
        let name = "caseload-no-such-group"
        #expect(!Self.groupsFromFiles().contains { $0.name == name })
        let result = try CaseloadBinary.run(["share", path, "--group", name])
        #expect(result.status != 0)
        #expect(result.stderr.contains("there is no group named \(name)"), "\(result.stderr)")
        #expect(status(path).map { $0.st_mode & 0o7777 } == 0o600)
    }

    @Test func aDocumentInAFolderAnyoneCanWriteIsNotShared() throws {
        let group = try #require(Self.groupsFromFiles().first { $0.id == getegid() })
        let open = scratch.file("open")
        #expect(mkdir(open, 0o700) == 0 && chmod(open, 0o777) == 0)
        let path = try document(staff: group.members.sorted(), in: open)
        let result = try CaseloadBinary.run(["share", path, "--group", group.name])
        #expect(result.status != 0)
        #expect(result.stderr.contains("the folder \(open) is writable by everyone"), "\(result.stderr)")
        #expect(status(path).map { $0.st_mode & 0o7777 } == 0o600)
        #expect(status(path + ".presence") == nil)
    }

    @Test func anEncryptedDocumentIsReadWithThePassphraseToJudgeTheGroup() throws {
        let me = try #require(Self.runner)
        let group = try #require(Self.groupsFromFiles().first { $0.id == getegid() })
        let path = scratch.file("encrypted.json")
        let cheap = ["CASELOAD_TEST_SCRYPT_N": "1024", "USER": "dreyes", "XDG_STATE_HOME": scratch.file("state")]
        #expect(try CaseloadBinary.run(["demo", "--out", path, "--encrypt"], environment: cheap).status == 0)
        let before = FileManager.default.contents(atPath: path)

        // No passphrase and no terminal: not unlocked, nothing changed.
        let locked = try CaseloadBinary.run(["share", path, "--group", group.name], environment: cheap)
        #expect(locked.status == 5, "\(locked.stderr)")
        // Unlocked with dreyes's passphrase, the staff list is read: this account (no demo staff login) is not staff.
        let secret = scratch.file("passphrase")
        try Data("dreyes-demo\n".utf8).write(to: URL(fileURLWithPath: secret))
        chmod(secret, 0o600)
        let judged = try CaseloadBinary.run(["share", path, "--group", group.name, "--passphrase-file", secret], environment: cheap)
        #expect(judged.status != 0)
        #expect(judged.stderr.contains("not staff of the document") && judged.stderr.contains(me), "\(judged.stderr)")
        #expect(FileManager.default.contents(atPath: path) == before)
        #expect(status(path).map { $0.st_mode & 0o7777 } == 0o600)
    }

    /// Two real accounts (root runs the test; uid 65534 runs `caseload` through `setpriv`), which needs root: as any
    /// other account this returns at once. The other account makes and shares the document with its primary group in a
    /// folder of that group; root's process then trusts its files, and a non-member's files are refused the other way.
    @Test func anotherAccountSharesWithItsGroupAndItsFilesAreTrusted() throws {
        let nobody: uid_t = 65534
        guard geteuid() == 0, let account = UserDatabase.account(nobody),
              let group = Self.groupsFromFiles().first(where: { $0.id == account.primaryGroup }), group.members.contains(account.name),
              !group.members.contains("root") else { return }
        let wrapper = ["/usr/bin/setpriv", "--reuid=\(nobody)", "--regid=\(group.id)", "--clear-groups"]
        let folder = scratch.file("group")
        #expect(mkdir(folder, 0o700) == 0 && chown(folder, 0, group.id) == 0 && chmod(folder, 0o2770) == 0)
        let path = folder + "/doc.json"
        let made = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"], environment: ["HOME": folder], wrapper: wrapper)
        #expect(made.status == 0, "\(made.stderr)")
        // Every member of the group made staff, written in place so the file stays the other account's.
        let decoded = try DocumentCodec.decode(try AtomicFile.read(path), path: path)
        var doc = decoded.document
        for (index, login) in group.members.sorted().enumerated() {
            if index < doc.staff.count { doc.staff[index].login = login } else {
                doc.staff.append(Staff(id: StaffID("st-share-\(index)"), name: "Staff \(index)", credentials: "", role: .facilitator, login: login))
            }
        }
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: DocumentCodec.encode(doc, audit: decoded.audit))
        try handle.close()

        let shared = try CaseloadBinary.run(["share", path, "--group", group.name], environment: ["HOME": folder], wrapper: wrapper)
        #expect(shared.status == 0, "\(shared.stderr)")
        #expect(status(path).map { $0.st_uid == nobody && $0.st_gid == group.id && $0.st_mode & 0o7777 == 0o660 } == true)
        #expect(status(path + ".lock").map { $0.st_uid == nobody && $0.st_mode & 0o7777 == 0o660 } == true)

        // Root's process: the other account is a member, its files have the group's modes: writable, and saved shared.
        let (store, opened) = try DocumentStore.open(path)
        #expect(store.access == .readWrite, "\(store.notices)")
        try store.save(opened)
        store.close()
        #expect(status(path).map { $0.st_uid == 0 && $0.st_gid == group.id && $0.st_mode & 0o7777 == 0o660 } == true)
        let backups = Backups(documentPath: path)
        #expect(status(backups.folder).map { $0.st_gid == group.id && $0.st_mode & 0o7777 == 0o2770 } == true)

        // The other way round, root is no member: its backups folder is refused, saying why.
        let listed = try CaseloadBinary.run(["backups", path], environment: ["HOME": folder], wrapper: wrapper)
        #expect(listed.status != 0)
        #expect(listed.stderr.contains("it belongs to another account (uid 0)") && listed.stderr.contains("its owner is not a member of \(group.name)"),
                "\(listed.stderr)")
    }
}
