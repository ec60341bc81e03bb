import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The fields of a file's `stat` that decide whether Caseload trusts it.
public struct FileFacts: Equatable, Sendable {
    public var owner: uid_t
    public var group: gid_t
    /// The whole `st_mode`: file type and permission bits.
    public var mode: mode_t
    public var links: Int

    public init(owner: uid_t, group: gid_t, mode: mode_t, links: Int) {
        self.owner = owner; self.group = group; self.mode = mode; self.links = links
    }

    public init(_ info: stat) {
        self.init(owner: info.st_uid, group: info.st_gid, mode: info.st_mode, links: Int(info.st_nlink))
    }

    /// The permission bits with setuid, setgid and sticky (`0o7777`).
    public var permissions: mode_t { mode & 0o7777 }
    public var isRegular: Bool { (mode & S_IFMT) == S_IFREG }
    public var isFolder: Bool { (mode & S_IFMT) == S_IFDIR }
}

/// How a document's own files are made: private to the owner, or shared with the document's group.
public struct SharedModes: Equatable, Sendable {
    /// Mode of every file (document, lock, trail, backups, temp files, presence records).
    public var file: mode_t
    /// Mode of every folder (backups, quarantine, presence).
    public var folder: mode_t
    /// The document's group when it is shared; nil for a private document.
    public var group: gid_t?

    public init(file: mode_t, folder: mode_t, group: gid_t?) {
        self.file = file; self.folder = folder; self.group = group
    }

    /// A private document: 0600 files, 0700 folders (as before sharing existed).
    public static let `private` = SharedModes(file: 0o600, folder: 0o700, group: nil)

    /// A document shared with `group`: 0660 files, 2770 folders (setgid, so what is made inside gets the group too).
    public static func shared(group: gid_t) -> SharedModes {
        SharedModes(file: SharedTrust.sharedFileMode, folder: SharedTrust.sharedFolderMode, group: group)
    }

    public var isShared: Bool { group != nil }
}

/// The account and group names the trust messages use, and group membership; `system` asks the user database.
public struct AccountDirectory: Sendable {
    /// Whether the account `uid` is a member of group `gid` (its primary group, or listed in the group's members).
    public var isMember: @Sendable (uid_t, gid_t) -> Bool
    public var userName: @Sendable (uid_t) -> String?
    public var groupName: @Sendable (gid_t) -> String?

    public init(isMember: @escaping @Sendable (uid_t, gid_t) -> Bool,
                userName: @escaping @Sendable (uid_t) -> String?, groupName: @escaping @Sendable (gid_t) -> String?) {
        self.isMember = isMember; self.userName = userName; self.groupName = groupName
    }

    /// The host's user and group databases (`getpwuid_r`, `getgrgid_r`).
    public static let system = AccountDirectory(
        isMember: { uid, gid in
            guard let account = UserDatabase.account(uid) else { return false }
            if account.primaryGroup == gid { return true }
            return UserDatabase.group(gid)?.members.contains(account.name) ?? false
        },
        userName: { UserDatabase.account($0)?.name },
        groupName: { UserDatabase.group($0)?.name }
    )

    /// "group staff (gid 50)", or "gid 50" for a group without a name.
    func describeGroup(_ gid: gid_t) -> String {
        groupName(gid).map { "group \($0) (gid \(gid))" } ?? "gid \(gid)"
    }
}

/// Which of a document's files Caseload trusts, and the modes it gives the files it makes (issue 18, "Sharing the file").
///
/// The rule (docs/SHARING.md, docs/SECURITY.md):
/// - A document is **shared** when its file is a regular file whose permissions are exactly 0660 (`rw-rw----`, no
///   setuid, setgid or sticky bit); its group is then the document's group. Every other document is private.
/// - A document whose file is group-writable but not exactly 0660 (664, 666, 670, 620 …) has **drifted**: the app
///   refuses to open it until `chmod 660` (or `caseload share`) puts it back. A private document (no group write,
///   e.g. 600, 640, 644) opens exactly as before sharing existed.
/// - A file of the user's own is trusted as before (one name for files; a folder is 700, or 2770 with the document's
///   group when the document is shared).
/// - A file of **another account** is trusted only when the document is shared and the file has the document's group,
///   exactly the group mode (0660 for files, 2770 for folders: never an "other" bit), one name (files), and its owner
///   is a member of the document's group (primary group, or listed in it). Anything else is refused, saying which.
public enum SharedTrust {
    /// Mode of a shared document's files.
    public static let sharedFileMode: mode_t = 0o660
    /// Mode of a shared document's folders: setgid, so files made inside take the folder's group.
    public static let sharedFolderMode: mode_t = 0o2770

    /// What a checked path is expected to be.
    public enum Kind: Sendable { case file, folder }

    /// The presence folder beside a document: one record per running instance (`PATH.presence`).
    public static func presenceFolder(for documentPath: String) -> String { documentPath + ".presence" }

    /// The sharing the document's own file declares (see the rule above).
    public static func sharing(ofDocument facts: FileFacts) -> SharedModes {
        facts.isRegular && facts.permissions == sharedFileMode ? .shared(group: facts.group) : .private
    }

    /// The modes for the files and folders of the document at `path` (its resolved path): shared when its file is;
    /// private when it is not, or does not exist yet.
    public static func modes(forDocument path: String) -> SharedModes {
        var info = stat()
        guard stat(path, &info) == 0 else { return .private }
        return sharing(ofDocument: FileFacts(info))
    }

    /// THE trust rule, used by every ownership check (lock, temp files, backups and their folders, trail, presence):
    /// why `file` must not be used as one of the document's own files, or nil when it is trusted. `sharing` is the
    /// document's (`modes(forDocument:)`), `me` the effective user. The caller checks the file type itself.
    public static func problem(_ file: FileFacts, kind: Kind, sharing: SharedModes, me: uid_t = geteuid(),
                               accounts: AccountDirectory = .system) -> String? {
        let permissions = file.permissions
        if file.owner == me {
            switch kind {
            case .file:
                if file.links != 1 { return "it has \(file.links) names (hard links), so it may be another file" }
                return nil
            case .folder:
                if permissions == SharedModes.private.folder { return nil }
                if let group = sharing.group {
                    if permissions == sharedFolderMode && file.group == group { return nil }
                    return "its mode is \(octal(permissions)) with \(accounts.describeGroup(file.group)); a folder of a document shared with "
                        + "\(accounts.describeGroup(group)) must be 2770 with that group (or 700): `caseload share` sets it"
                }
                return "its mode is \(octal(permissions)), so others may use it; it must be 700 (if the files in it are yours and intact, `chmod 700` it)"
            }
        }
        // A private document's refusal reads exactly as it did before sharing existed.
        guard let group = sharing.group else { return "it belongs to another account (uid \(file.owner))" }
        let owner = "it belongs to another account (uid \(file.owner))" + (accounts.userName(file.owner).map { ", \($0)," } ?? "")
        var wrong: [String] = []
        if file.group != group { wrong.append("its group is \(accounts.describeGroup(file.group)), not the document's") }
        let wanted = kind == .file ? sharedFileMode : sharedFolderMode
        if permissions != wanted { wrong.append("its mode is \(octal(permissions)), not \(octal(wanted))") }
        if kind == .file && file.links != 1 { wrong.append("it has \(file.links) names (hard links)") }
        if !accounts.isMember(file.owner, group) {
            wrong.append("its owner is not a member of \(accounts.groupName(group) ?? "gid \(group)")")
        }
        if wrong.isEmpty { return nil }
        return "\(owner) and in a document shared with \(accounts.describeGroup(group)) another "
            + "member's \(kind == .file ? "file" : "folder") is trusted only with that group, mode \(octal(wanted))"
            + "\(kind == .file ? " and one name" : ""), but \(wrong.joined(separator: "; "))"
    }

    /// `problem` for the file at `path` as it is now (not following a link), or nil when nothing is there.
    public static func problem(atPath path: String, kind: Kind, documentPath: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let facts = FileFacts(info)
        switch kind {
        case .file where !facts.isRegular: return (info.st_mode & S_IFMT) == S_IFLNK ? "it is a symbolic link" : "it is not a regular file"
        case .folder where !facts.isFolder: return (info.st_mode & S_IFMT) == S_IFLNK ? "it is a symbolic link" : "it is not a folder"
        default: return problem(facts, kind: kind, sharing: modes(forDocument: documentPath))
        }
    }

    /// Gives the open file `fd` (just made by this process, or the user's own) the modes: the group first, so it is
    /// never open to the wrong group; then the mode. Returns the errno of a failure.
    public static func apply(_ modes: SharedModes, kind: Kind, to fd: Int32) -> Int32? {
        if let group = modes.group {
            var info = stat()
            if fstat(fd, &info) != 0 { return errno }
            if info.st_gid != group, fchown(fd, uid_t.max, group) != 0 { return errno }
        }
        return fchmod(fd, kind == .file ? modes.file : modes.folder) == 0 ? nil : errno
    }

    /// Refuses to open the document at `path` (resolved; `shown` as the user typed it) when its sharing is not safe: its
    /// mode drifted (group-writable but not 660), it is another account's file that the rule does not trust, its folder
    /// is writable by everyone without the sticky bit, or a folder beside it (backups, quarantine, presence) has any
    /// "other" bit. A private document passes as before.
    public static func refuseUnsafeSharing(ofDocument path: String, shown: String) throws(StoreError) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        let facts = FileFacts(info)
        guard facts.isRegular, facts.permissions & 0o020 != 0 else { return }
        let accounts = AccountDirectory.system
        let groupName = accounts.groupName(facts.group) ?? String(facts.group)
        let fix = "`chmod 660 \(shown)`, or `caseload share \(shown) --group \(groupName)` to put all its files right"
        guard facts.permissions == sharedFileMode else {
            throw .unsafeSharing(path: shown, reason: "its mode is \(octal(facts.permissions)) (\(symbolic(facts.mode))); a shared document must be exactly 660 "
                                 + "(rw-rw----), or others may read or change it. Fix it with \(fix)")
        }
        let sharing = sharing(ofDocument: facts)
        if facts.owner != geteuid(), let why = problem(facts, kind: .file, sharing: sharing, accounts: accounts) {
            throw .unsafeSharing(path: shown, reason: "the document file is not trusted: \(why); move it aside unless you know where it came from")
        }
        let folder = AtomicFile.split(path).dir
        var folderInfo = stat()
        if stat(folder, &folderInfo) == 0, folderInfo.st_mode & 0o002 != 0, folderInfo.st_mode & mode_t(S_ISVTX) == 0 {
            throw .unsafeSharing(path: shown, reason: "its folder \(folder) is writable by everyone (mode \(octal(folderInfo.st_mode & 0o7777))), so anyone could replace "
                                 + "the document; `chgrp \(groupName) \(folder) && chmod 2770 \(folder)`")
        }
        let backups = Backups(documentPath: path)
        for beside in [backups.folder, backups.quarantineFolder, presenceFolder(for: path)] {
            var besideInfo = stat()
            guard lstat(beside, &besideInfo) == 0, (besideInfo.st_mode & S_IFMT) == S_IFDIR, besideInfo.st_mode & 0o007 != 0 else { continue }
            throw .unsafeSharing(path: shown, reason: "the folder \(beside) has mode \(octal(besideInfo.st_mode & 0o7777)), open to others; a shared document's folders "
                                 + "are 2770. Fix it with `chmod 2770 \(beside)` if the files in it are intact, or \(fix)")
        }
    }

    /// `660`, `2770`: a mode as `chmod` takes it.
    public static func octal(_ mode: mode_t) -> String { String(mode & 0o7777, radix: 8) }

    /// `rw-rw----` (with `s`/`S`/`t`/`T` for setuid, setgid, sticky), as `ls -l` shows it without the type.
    public static func symbolic(_ mode: mode_t) -> String {
        let bits: [(mode_t, Character)] = [(0o400, "r"), (0o200, "w"), (0o100, "x"), (0o040, "r"), (0o020, "w"), (0o010, "x"),
                                          (0o004, "r"), (0o002, "w"), (0o001, "x")]
        var text = bits.map { mode & $0.0 != 0 ? $0.1 : "-" }
        func special(_ flag: mode_t, at index: Int, _ lower: Character, _ upper: Character) {
            guard mode & flag != 0 else { return }
            text[index] = text[index] == "x" ? lower : upper
        }
        special(mode_t(S_ISUID), at: 2, "s", "S")
        special(mode_t(S_ISGID), at: 5, "s", "S")
        special(mode_t(S_ISVTX), at: 8, "t", "T")
        return String(text)
    }
}

/// The C library's group record (`struct group`), named apart from `UserDatabase.group(_:)`.
private typealias GroupRecord = group

/// Thread-safe look-ups in the user and group databases.
public enum UserDatabase {
    /// An account: its name and primary group.
    public struct Account: Equatable, Sendable {
        public var name: String
        public var primaryGroup: gid_t
    }

    /// A group: its name, id and listed members (`gr_mem`; accounts whose primary group it is are not listed there).
    public struct Group: Equatable, Sendable {
        public var name: String
        public var id: gid_t
        public var members: [String]
    }

    public static func account(_ uid: uid_t) -> Account? {
        var record = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var size = 16_384
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            let status = getpwuid_r(uid, &record, &buffer, buffer.count, &result)
            if status == ERANGE, size < 1 << 22 { size *= 4; continue }
            guard status == 0, let found = result, let name = found.pointee.pw_name else { return nil }
            return Account(name: String(cString: name), primaryGroup: found.pointee.pw_gid)
        }
    }

    public static func group(_ gid: gid_t) -> Group? {
        lookUpGroup { record, buffer, size, result in getgrgid_r(gid, record, buffer, size, result) }
    }

    public static func group(named name: String) -> Group? {
        lookUpGroup { record, buffer, size, result in getgrnam_r(name, record, buffer, size, result) }
    }

    /// Every account whose primary group is `gid`, by walking the user database (`getpwent`; not thread-safe, so for
    /// the command line only).
    public static func accounts(withPrimaryGroup gid: gid_t) -> [String] {
        var names: [String] = []
        setpwent()
        defer { endpwent() }
        while let entry = getpwent() {
            if entry.pointee.pw_gid == gid, let name = entry.pointee.pw_name { names.append(String(cString: name)) }
        }
        return names
    }

    /// The group's members: listed in it, or having it as their primary group; sorted, each once.
    public static func members(of group: Group) -> [String] {
        Array(Set(group.members + accounts(withPrimaryGroup: group.id))).sorted()
    }

    private static func lookUpGroup(_ call: (UnsafeMutablePointer<GroupRecord>, UnsafeMutablePointer<CChar>, Int, UnsafeMutablePointer<UnsafeMutablePointer<GroupRecord>?>) -> Int32) -> Group? {
        var record = GroupRecord()
        var result: UnsafeMutablePointer<GroupRecord>? = nil
        var size = 16_384
        while true {
            var buffer = [CChar](repeating: 0, count: size)
            let status = buffer.withUnsafeMutableBufferPointer { raw -> Int32 in
                guard let base = raw.baseAddress else { return ENOMEM }
                return call(&record, base, raw.count, &result)
            }
            if status == ERANGE, size < 1 << 22 { size *= 4; continue }
            guard status == 0, let found = result, let name = found.pointee.gr_name else { return nil }
            var members: [String] = []
            if var next = found.pointee.gr_mem {
                while let member = next.pointee {
                    members.append(String(cString: member))
                    next += 1
                }
            }
            return Group(name: String(cString: name), id: found.pointee.gr_gid, members: members)
        }
    }
}
