import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why `caseload share` changed nothing; the message says what to do.
public struct SharingRefusal: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// `caseload share`: puts a document and every file beside it (lock, trail, backups and quarantine, presence) under a
/// group, files 0660 and folders 2770, after checking that everyone in the group is staff of the document.
public enum DocumentSharing {
    /// One path that was given the group and a mode.
    public struct Change: Equatable, Sendable {
        public var path: String
        public var mode: mode_t
        /// The folder did not exist and was made.
        public var created: Bool
    }

    /// The group `name` and its members who are not among `staffLogins`, or a refusal: no such group, members who are
    /// not staff (named), or `runner` not in it. Nothing is changed.
    public static func checkGroup(_ name: String, staffLogins: Set<String>, runner: uid_t = geteuid()) throws(SharingRefusal) -> UserDatabase.Group {
        guard let group = UserDatabase.group(named: name) else {
            throw SharingRefusal("there is no group named \(name); create it (as root: `groupadd \(name)`) and add each staff account (`usermod -aG \(name) LOGIN`)")
        }
        let members = UserDatabase.members(of: group)
        var problems: [String] = []
        let outsiders = members.filter { !staffLogins.contains($0) }
        if !outsiders.isEmpty {
            problems.append("group \(name) has \(outsiders.count == 1 ? "a member who is" : "members who are") not staff of the document: "
                            + "\(outsiders.joined(separator: ", ")) — every member could read every chart; remove them from the group "
                            + "(`gpasswd -d LOGIN \(name)`) or add them as staff (with their login) first")
        }
        let me = UserDatabase.account(runner)
        let isMember = me.map { $0.primaryGroup == group.id || group.members.contains($0.name) } ?? false
        if !isMember {
            problems.append("you (\(me?.name ?? "uid \(runner)")) are not a member of group \(name); only a member shares a document with it")
        }
        if !problems.isEmpty { throw SharingRefusal(problems.joined(separator: "; and ")) }
        return group
    }

    /// Gives the document at `documentPath` (resolved) and the files beside it the group `group`: the document, its lock
    /// (`lock` must be held by the caller), its trail, its backups folder with the backups and the quarantine in it, and
    /// the presence folder (made when missing) — files 0660, folders 2770. Everything is checked before anything is
    /// changed (each must be the runner's own, or root's to change, single-link, not a link); a failure half way puts back
    /// what was changed. The document is changed last: its mode is what declares it shared.
    public static func share(documentPath: String, group: UserDatabase.Group) throws(SharingRefusal) -> [Change] {
        let folder = AtomicFile.split(documentPath).dir
        var folderInfo = stat()
        guard stat(folder, &folderInfo) == 0 else { throw SharingRefusal("cannot check the folder \(folder): \(AtomicFile.describe(errno))") }
        if folderInfo.st_mode & 0o002 != 0, folderInfo.st_mode & mode_t(S_ISVTX) == 0 {
            throw SharingRefusal("the folder \(folder) is writable by everyone (mode \(SharedTrust.octal(folderInfo.st_mode))): anyone could replace the document "
                                 + "or plant files beside it. Move the document to a folder of the group (`mkdir -m 2770 DIR && chgrp \(group.name) DIR`)")
        }
        let backups = Backups(documentPath: documentPath)
        let presence = SharedTrust.presenceFolder(for: documentPath)
        var plan: [Target] = []
        for path in [FileLock.lockPath(for: documentPath), AuditLog.trailPath(for: documentPath)] {
            if let target = try target(path, kind: .file, group: group) { plan.append(target) }
        }
        for container in [backups.folder, backups.quarantineFolder, presence] {
            guard let target = try target(container, kind: .folder, group: group) else { continue }
            plan.append(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: container)) ?? []
            for name in names.sorted() where !(container == backups.folder && name == "quarantine") {
                if let inside = try self.target(AtomicFile.join(container, name), kind: .file, group: group) { plan.append(inside) }
            }
        }
        var documentInfo = stat()
        guard lstat(documentPath, &documentInfo) == 0 else { throw SharingRefusal("\(documentPath): no such file") }
        // nil: another member's document that is shared with the group already.
        let document = try target(documentPath, kind: .file, group: group)
        var done: [Target] = []
        var changes: [Change] = []
        do throws(SharingRefusal) {
            if lstat(presence, &folderInfo) != 0 {
                guard mkdir(presence, 0o700) == 0 else { throw SharingRefusal("cannot make the presence folder \(presence): \(AtomicFile.describe(errno))") }
                var made = stat()
                guard lstat(presence, &made) == 0 else { throw SharingRefusal("cannot check the presence folder \(presence): \(AtomicFile.describe(errno))") }
                let target = Target(path: presence, kind: .folder, before: made, created: true)
                try target.apply(group: group)
                done.append(target)
                changes.append(Change(path: presence, mode: SharedTrust.sharedFolderMode, created: true))
            }
            for target in plan + (document.map { [$0] } ?? []) {
                try target.apply(group: group)
                done.append(target)
                changes.append(Change(path: target.path, mode: target.wanted, created: false))
            }
        } catch {
            for target in done.reversed() { target.undo() }
            throw error
        }
        return changes
    }

    /// One path to change, as it was before.
    struct Target {
        var path: String
        var kind: SharedTrust.Kind
        var before: stat
        var created = false

        var wanted: mode_t { kind == .file ? SharedTrust.sharedFileMode : SharedTrust.sharedFolderMode }

        func opened() throws(SharingRefusal) -> Int32 {
            let flags = kind == .file ? O_RDONLY | O_NONBLOCK : O_RDONLY | O_DIRECTORY
            let fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw SharingRefusal("cannot open \(path): \(AtomicFile.describe(errno)); nothing was changed") }
            var now = stat()
            // The file checked is the file changed: nothing swapped in between.
            guard fstat(fd, &now) == 0, now.st_dev == before.st_dev, now.st_ino == before.st_ino else {
                close(fd)
                throw SharingRefusal("\(path) changed while it was being shared; nothing was changed, run the command again")
            }
            return fd
        }

        func apply(group: UserDatabase.Group) throws(SharingRefusal) {
            let fd = try opened()
            defer { close(fd) }
            if let code = SharedTrust.apply(.shared(group: group.id), kind: kind, to: fd) {
                let why = code == EPERM ? "this account may not give it group \(group.name) (added to the group after logging in? log in again)" : AtomicFile.describe(code)
                throw SharingRefusal("cannot share \(path): \(why); nothing was changed")
            }
        }

        func undo() {
            if created { rmdir(path); return }
            guard let fd = try? opened() else { return }
            defer { close(fd) }
            _ = fchown(fd, uid_t.max, before.st_gid)
            _ = fchmod(fd, before.st_mode & 0o7777)
        }
    }

    /// The path as a target, nil when nothing is there; refused when it is a link, not the expected kind, hard-linked,
    /// or another account's that this one may not change (root may).
    private static func target(_ path: String, kind: SharedTrust.Kind, group: UserDatabase.Group) throws(SharingRefusal) -> Target? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let facts = FileFacts(info)
        let moveAside = "move it aside (after checking where it came from) and run the command again; nothing was changed"
        if (info.st_mode & S_IFMT) == S_IFLNK { throw SharingRefusal("\(path) is a symbolic link; \(moveAside)") }
        if kind == .file && !facts.isRegular { throw SharingRefusal("\(path) is not a regular file; \(moveAside)") }
        if kind == .folder && !facts.isFolder { throw SharingRefusal("\(path) is not a folder; \(moveAside)") }
        if kind == .file && facts.links != 1 { throw SharingRefusal("\(path) has \(facts.links) names (hard links), so it may be another file; \(moveAside)") }
        let me = geteuid()
        if facts.owner != me && me != 0 {
            // Another member's file that is already right (a document shared before) needs nothing; any other is not ours to change.
            if SharedTrust.problem(facts, kind: kind, sharing: .shared(group: group.id)) == nil { return nil }
            throw SharingRefusal("\(path) belongs to another account (uid \(facts.owner)); only its owner or root can share it — nothing was changed")
        }
        return Target(path: path, kind: kind, before: info)
    }
}
