import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Issue 18, "Sharing the file": the trust rule over synthetic `stat` values, every case; then real files in the
/// runner's own group (works as any account), and, as root, files of another account (uid 65534) staged by `chown`.
@Suite struct SharedTrustRuleTests {
    static let me: uid_t = 1000
    static let member: uid_t = 1001
    static let outsider: uid_t = 1002
    static let staff: gid_t = 500
    static let users: gid_t = 600

    /// alice (1001) and the runner (1000) are in staff (500); mallory (1002) is in users (600) only.
    static let accounts = AccountDirectory(
        isMember: { uid, gid in gid == staff ? (uid == me || uid == member) : (gid == users && uid == outsider) },
        userName: { [me: "runner", member: "alice", outsider: "mallory"][$0] },
        groupName: { [staff: "staff", users: "users"][$0] }
    )

    static let modes: [mode_t] = [0o600, 0o640, 0o644, 0o660, 0o664, 0o666, 0o670, 0o700, 0o770, 0o2770, 0o2775, 0o2777, 0o3770, 0o4660, 0o2660]

    func facts(_ owner: uid_t, _ group: gid_t, _ permissions: mode_t, kind: SharedTrust.Kind, links: Int = 1) -> FileFacts {
        FileFacts(owner: owner, group: group, mode: (kind == .file ? S_IFREG : S_IFDIR) | permissions, links: links)
    }

    func problem(_ file: FileFacts, _ kind: SharedTrust.Kind, _ sharing: SharedModes) -> String? {
        SharedTrust.problem(file, kind: kind, sharing: sharing, me: Self.me, accounts: Self.accounts)
    }

    @Test func everyCombinationFollowsTheDocumentedRule() {
        var checked = 0
        for sharing in [SharedModes.private, .shared(group: Self.staff)] {
            for kind in [SharedTrust.Kind.file, .folder] {
                for owner in [Self.me, Self.member, Self.outsider] {
                    for group in [Self.staff, Self.users] {
                        for permissions in Self.modes {
                            for links in [1, 2] {
                                // The rule as docs/SHARING.md states it, written out here on its own.
                                let expected: Bool
                                if owner == Self.me {
                                    expected = kind == .file ? links == 1
                                        : permissions == 0o700 || (sharing.group == Self.staff && permissions == 0o2770 && group == Self.staff)
                                } else if sharing.group == nil {
                                    expected = false
                                } else {
                                    let isMember = owner == Self.member
                                    expected = group == Self.staff && isMember
                                        && permissions == (kind == .file ? 0o660 : 0o2770) && (kind == .folder || links == 1)
                                }
                                let file = facts(owner, group, permissions, kind: kind, links: links)
                                let verdict = problem(file, kind, sharing)
                                #expect((verdict == nil) == expected,
                                        "owner \(owner) gid \(group) mode \(String(permissions, radix: 8)) links \(links) \(kind) shared \(sharing.isShared): \(verdict ?? "trusted")")
                                checked += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(checked == 2 * 2 * 3 * 2 * Self.modes.count * 2)
    }

    @Test func aForeignFileOfAPrivateDocumentIsRefusedAsBefore() throws {
        #expect(problem(facts(Self.member, Self.staff, 0o660, kind: .file), .file, .private) == "it belongs to another account (uid 1001)")
        #expect(problem(facts(Self.member, Self.staff, 0o2770, kind: .folder), .folder, .private) == "it belongs to another account (uid 1001)")
    }

    @Test func theRefusalOfAMembersFileNamesEachThingThatIsWrong() throws {
        let shared = SharedModes.shared(group: Self.staff)
        let group = try #require(problem(facts(Self.member, Self.users, 0o660, kind: .file), .file, shared))
        #expect(group.contains("its group is group users (gid 600), not the document's"), "\(group)")
        let mode = try #require(problem(facts(Self.member, Self.staff, 0o664, kind: .file), .file, shared))
        #expect(mode.contains("its mode is 664, not 660") && !mode.contains("group users"), "\(mode)")
        let links = try #require(problem(facts(Self.member, Self.staff, 0o660, kind: .file, links: 3), .file, shared))
        #expect(links.contains("it has 3 names (hard links)"), "\(links)")
        let owner = try #require(problem(facts(Self.outsider, Self.staff, 0o660, kind: .file), .file, shared))
        #expect(owner.contains("(uid 1002), mallory") && owner.contains("its owner is not a member of staff"), "\(owner)")
        let all = try #require(problem(facts(Self.outsider, Self.users, 0o666, kind: .file, links: 2), .file, shared))
        for part in ["its group is group users", "its mode is 666, not 660", "it has 2 names", "not a member of staff", "shared with group staff (gid 500)"] {
            #expect(all.contains(part), "\(part) in \(all)")
        }
        let folder = try #require(problem(facts(Self.member, Self.staff, 0o2775, kind: .folder), .folder, shared))
        #expect(folder.contains("its mode is 2775, not 2770"), "\(folder)")
    }

    @Test func theUsersOwnFolderMustBePrivateOrTheSharedGroupsFolder() throws {
        let priv = try #require(problem(facts(Self.me, Self.staff, 0o777, kind: .folder), .folder, .private))
        #expect(priv.contains("its mode is 777, so others may use it; it must be 700"), "\(priv)")
        #expect(problem(facts(Self.me, Self.staff, 0o2770, kind: .folder), .folder, .private) != nil, "2770 is not private")
        let shared = try #require(problem(facts(Self.me, Self.users, 0o2770, kind: .folder), .folder, .shared(group: Self.staff)))
        #expect(shared.contains("with group users (gid 600)") && shared.contains("must be 2770 with that group (or 700)"), "\(shared)")
    }

    @Test func aDocumentIsSharedOnlyWhenItsFileIsExactly0660() {
        let cases: [(mode_t, mode_t, Bool)] = [
            (S_IFREG, 0o660, true), (S_IFREG, 0o600, false), (S_IFREG, 0o640, false), (S_IFREG, 0o664, false),
            (S_IFREG, 0o2660, false), (S_IFREG, 0o670, false), (S_IFDIR, 0o660, false),
        ]
        for (type, permissions, shared) in cases {
            let sharing = SharedTrust.sharing(ofDocument: FileFacts(owner: Self.me, group: Self.staff, mode: type | permissions, links: 1))
            #expect(sharing == (shared ? SharedModes(file: 0o660, folder: 0o2770, group: Self.staff) : SharedModes(file: 0o600, folder: 0o700, group: nil)),
                    "\(String(permissions, radix: 8))")
        }
    }

    @Test func modesAreShownAsLsShowsThem() {
        #expect(SharedTrust.symbolic(0o660) == "rw-rw----")
        #expect(SharedTrust.symbolic(0o2770) == "rwxrws---")
        #expect(SharedTrust.symbolic(0o2760) == "rwxrwS---")
        #expect(SharedTrust.symbolic(0o1777) == "rwxrwxrwt")
        #expect(SharedTrust.octal(S_IFDIR | 0o2770) == "2770")
    }
}

/// Real files in the runner's own primary group: a shared document opens, saves and backs up with the group's modes;
/// a drifted one is refused with the fix; a private one behaves as before.
@Suite(.serialized) struct SharedTrustFileTests {
    let folder = ScratchFolder()
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    func status(_ path: String) -> stat {
        var info = stat()
        _ = lstat(path, &info)
        return info
    }

    /// A saved document (state 1) made shared with the runner's own group, as `caseload share` leaves it.
    func sharedDocument(_ name: String = "doc.json") throws -> String {
        let path = folder.file(name)
        try DocumentStore.create(path, with: DrillDocument.state(1), now: now).close()
        #expect(chown(path, uid_t.max, getegid()) == 0)
        #expect(chmod(path, 0o660) == 0)
        return path
    }

    func refusal(_ path: String) -> String? {
        do {
            let (store, _) = try DocumentStore.open(path, now: now)
            store.close()
            return nil
        } catch {
            guard case .unsafeSharing(_, let reason) = error else { return "other error: \(error)" }
            return reason
        }
    }

    @Test func aSharedDocumentKeepsItsGroupAndModesThroughSavesAndBackups() throws {
        let path = try sharedDocument()
        let (store, document) = try DocumentStore.open(path, now: now)
        defer { store.close() }
        #expect(store.access == .readWrite)
        var changed = document
        changed.program.name = "Shared IOP"
        try store.save(changed, now: now)
        #expect(status(path).st_mode & 0o7777 == 0o660)
        #expect(status(path).st_gid == getegid())
        #expect(status(path + ".lock").st_mode & 0o7777 == 0o660)
        let backups = Backups(documentPath: path)
        #expect(status(backups.folder).st_mode & 0o7777 == 0o2770)
        let listed = backups.list()
        #expect(listed.count == 1)
        for backup in listed { #expect(status(backup.path).st_mode & 0o7777 == 0o660) }
        #expect(try DocumentCodec.decode(try AtomicFile.read(path), path: path).document.program.name == "Shared IOP")
    }

    @Test func aDocumentWhoseModeDriftedIsRefusedWithTheFix() throws {
        let path = try sharedDocument()
        let groupName = UserDatabase.group(getegid())?.name ?? String(getegid())
        for drifted: mode_t in [0o664, 0o666, 0o670, 0o620] {
            #expect(chmod(path, drifted) == 0)
            let reason = try #require(refusal(path), "mode \(String(drifted, radix: 8)) opened")
            #expect(reason.contains("its mode is \(String(drifted, radix: 8))"), "\(reason)")
            #expect(reason.contains("`chmod 660 \(path)`") && reason.contains("`caseload share \(path) --group \(groupName)`"), "\(reason)")
        }
        #expect(chmod(path, 0o660) == 0)
        #expect(refusal(path) == nil)
    }

    @Test func aSharedDocumentsFolderOpenToOthersIsRefused() throws {
        let path = try sharedDocument()
        let backups = Backups(documentPath: path).folder
        #expect(mkdir(backups, 0o700) == 0)
        #expect(chmod(backups, 0o2775) == 0)
        let reason = try #require(refusal(path))
        #expect(reason.contains(backups) && reason.contains("mode 2775") && reason.contains("`chmod 2770 \(backups)`"), "\(reason)")
        #expect(chmod(backups, 0o2770) == 0)
        #expect(refusal(path) == nil)
    }

    @Test func aSharedDocumentInAFolderAnyoneCanWriteIsRefused() throws {
        let open = folder.file("open")
        #expect(mkdir(open, 0o700) == 0)
        #expect(chmod(open, 0o777) == 0)
        let path = open + "/doc.json"
        try DocumentStore.create(path, with: DrillDocument.state(1), now: now).close()
        #expect(refusal(path) == nil, "a private document there opens as before")
        #expect(chmod(path, 0o660) == 0)
        let reason = try #require(refusal(path))
        #expect(reason.contains("its folder \(open) is writable by everyone"), "\(reason)")
    }

    @Test func privateDocumentsOpenAsBeforeWhateverTheirReadBits() throws {
        for permissions: mode_t in [0o600, 0o640, 0o644, 0o604] {
            let path = folder.file("private-\(String(permissions, radix: 8)).json")
            try DocumentStore.create(path, with: DrillDocument.state(1), now: now).close()
            #expect(chmod(path, permissions) == 0)
            let (store, document) = try DocumentStore.open(path, now: now)
            #expect(store.access == .readWrite)
            try store.save(document, now: now.addingTimeInterval(1))
            store.close()
            #expect(status(path).st_mode & 0o7777 == 0o600, "a save makes it 600, as before")
            #expect(status(Backups(documentPath: path).folder).st_mode & 0o7777 == 0o700)
        }
    }

    @Test func theUsersOwnBackupsFolderOfASharedDocumentMustHaveItsGroupModes() throws {
        let path = try sharedDocument()
        let backups = Backups(documentPath: path)
        #expect(mkdir(backups.folder, 0o700) == 0)
        #expect(chmod(backups.folder, 0o770) == 0)
        #expect(throws: StoreError.self) { try backups.inventory() }
        #expect(chmod(backups.folder, 0o2770) == 0)
        #expect(try backups.inventory().backups.isEmpty)
    }

    @Test func aLeftoverTempFileOfASharedDocumentIsQuarantinedIntoGroupFolders() throws {
        let path = try sharedDocument()
        let leftover = folder.write(".doc.json.tmp-77-abc", "half a save")
        #expect(chmod(leftover, 0o660) == 0)
        let (store, _) = try DocumentStore.open(path, now: now)
        defer { store.close() }
        #expect(store.notices.contains { $0.contains("unfinished save") })
        let quarantine = Backups(documentPath: path).quarantineFolder
        #expect(status(quarantine).st_mode & 0o7777 == 0o2770)
        #expect(status(quarantine).st_gid == getegid())
    }
}

/// Another account's files, staged by `chown` to uid 65534 (nobody, whose primary group is 65534); needs root, so as any
/// other account these return at once (the rule itself is covered above for every account).
@Suite(.serialized) struct SharedTrustOtherAccountTests {
    let folder = ScratchFolder()
    let now = Date(timeIntervalSince1970: 1_796_000_000)
    static let nobody: uid_t = 65534

    /// The primary group of uid 65534, read from the user database (nogroup on Debian, nobody elsewhere).
    var nobodysGroup: gid_t? { UserDatabase.account(Self.nobody)?.primaryGroup }

    /// A group uid 65534 is not in: root's (gid 0), unless it is.
    var otherGroup: gid_t { 0 }

    func document(group: gid_t) throws -> String {
        let path = folder.file("doc.json")
        try DocumentStore.create(path, with: DrillDocument.state(1), now: now).close()
        #expect(chown(path, uid_t.max, group) == 0)
        #expect(chmod(path, 0o660) == 0)
        return path
    }

    @Test func aGroupMembersLockFileIsTrustedInASharedDocument() throws {
        guard geteuid() == 0, let group = nobodysGroup else { return }
        let path = try document(group: group)
        let lock = path + ".lock"
        #expect(FileManager.default.createFile(atPath: lock, contents: Data()))
        #expect(chown(lock, Self.nobody, group) == 0 && chmod(lock, 0o660) == 0)
        let (store, _) = try DocumentStore.open(path, now: now)
        defer { store.close() }
        #expect(store.access == .readWrite, "\(store.notices)")
    }

    @Test func aLockFileOfAnotherGroupIsRefusedSayingWhy() throws {
        guard geteuid() == 0, let group = nobodysGroup, !AccountDirectory.system.isMember(Self.nobody, otherGroup) else { return }
        let path = try document(group: group)
        let lock = path + ".lock"
        #expect(FileManager.default.createFile(atPath: lock, contents: Data("planted".utf8)))
        #expect(chown(lock, Self.nobody, otherGroup) == 0 && chmod(lock, 0o664) == 0)
        let (store, _) = try DocumentStore.open(path, now: now)
        defer { store.close() }
        #expect(store.access != .readWrite)
        let notice = store.notices.joined(separator: "\n")
        #expect(notice.contains("(uid 65534)") && notice.contains("its group is") && notice.contains("its mode is 664, not 660"), "\(notice)")
        #expect(FileManager.default.contents(atPath: lock) == Data("planted".utf8))
    }

    @Test func aSharedDocumentOwnedByANonMemberIsNotOpened() throws {
        guard geteuid() == 0, !AccountDirectory.system.isMember(Self.nobody, otherGroup) else { return }
        let path = try document(group: otherGroup)
        #expect(chown(path, Self.nobody, otherGroup) == 0)
        do {
            let (store, _) = try DocumentStore.open(path, now: now)
            store.close()
            Issue.record("opened")
        } catch {
            guard case .unsafeSharing(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("the document file is not trusted") && reason.contains("its owner is not a member"), "\(reason)")
        }
    }

    @Test func aSharedDocumentSavedLastByAnotherMemberOpensAndSavesKeepingTheGroup() throws {
        guard geteuid() == 0, let group = nobodysGroup else { return }
        let path = try document(group: group)
        #expect(chown(path, Self.nobody, group) == 0)
        let (store, document) = try DocumentStore.open(path, now: now)
        defer { store.close() }
        #expect(store.access == .readWrite, "\(store.notices)")
        try store.save(document, now: now.addingTimeInterval(1))
        var info = stat()
        #expect(lstat(path, &info) == 0)
        #expect(info.st_gid == group && info.st_mode & 0o7777 == 0o660)
    }
}

/// `DocumentSharing.share` checks every path before it changes any: a link or a hard-linked file beside the document
/// stops it with nothing changed.
@Suite(.serialized) struct DocumentSharingTests {
    let folder = ScratchFolder()
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    func permissions(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    func privateDocument() throws -> (path: String, group: UserDatabase.Group) {
        let path = folder.file("doc.json")
        try DocumentStore.create(path, with: DrillDocument.state(1), now: now).close()
        _ = try Backups(documentPath: path).makeBackup(of: try AtomicFile.read(path), now: now)
        let group = try #require(UserDatabase.group(getegid()))
        return (path, group)
    }

    @Test func everyFileBesideTheDocumentGetsTheGroupModesDocumentLast() throws {
        let (path, group) = try privateDocument()
        let changes = try DocumentSharing.share(documentPath: path, group: group)
        let backups = Backups(documentPath: path)
        #expect(changes.last?.path == path, "the document, whose mode declares it shared, is changed last")
        #expect(changes.first?.path == path + ".presence" && changes.first?.created == true)
        for file in [path, path + ".lock"] + backups.list().map(\.path) {
            #expect(permissions(file) == 0o660, "\(file)")
            #expect(changes.contains { $0.path == file && $0.mode == 0o660 }, "\(file) reported")
        }
        for made in [backups.folder, path + ".presence"] { #expect(permissions(made) == 0o2770, "\(made)") }
    }

    @Test func aLinkInTheBackupsFolderStopsItWithNothingChanged() throws {
        let (path, group) = try privateDocument()
        let backups = Backups(documentPath: path)
        let planted = backups.folder + "/planted.json"
        #expect(symlink("/etc/passwd", planted) == 0)
        #expect(throws: SharingRefusal.self) { try DocumentSharing.share(documentPath: path, group: group) }
        do {
            _ = try DocumentSharing.share(documentPath: path, group: group)
        } catch {
            #expect(error.description.contains("\(planted) is a symbolic link") && error.description.contains("nothing was changed"), "\(error)")
        }
        #expect(permissions(path) == 0o600)
        #expect(permissions(backups.folder) == 0o700)
        #expect(permissions(path + ".presence") == nil)
    }

    @Test func aHardLinkedTrailStopsItWithNothingChanged() throws {
        let (path, group) = try privateDocument()
        let trail = folder.write("doc.json.audit", "")
        #expect(link(trail, folder.file("elsewhere")) == 0)
        do {
            _ = try DocumentSharing.share(documentPath: path, group: group)
            Issue.record("shared")
        } catch {
            #expect(error.description.contains("has 2 names (hard links)"), "\(error)")
        }
        #expect(permissions(path) == 0o600)
        #expect(permissions(trail) != 0o660)
    }
}
