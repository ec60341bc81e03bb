import Foundation
import Testing
@testable import CaseloadStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reports and exports written where the user said, staged as another account on a shared host would attack them:
/// planted links, the document's own name, its lock and backups. Each refusal leaves the victim's bytes as they were.
@Suite("OutputFile", .serialized)
struct OutputFileTests {
    /// A document as the encoder writes it (pretty-printed, `format` near the top).
    static let documentText = "{\n  \"format\" : \"caseload\",\n  \"patients\" : [\n\n  ],\n  \"schemaVersion\" : 1\n}\n"
    /// The uid of `nobody`: the other account in these tests.
    static let otherUID: uid_t = 65534

    /// `name` in `folder` as a world-writable, sticky shared folder like /tmp.
    func sharedFolder(_ folder: ScratchFolder, _ name: String = "shared") throws -> String {
        let path = folder.file(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(chmod(path, 0o1777) == 0)
        return path
    }

    /// A symbolic link at `path` to `target`, owned by `owner` when given (root can stage another account's link).
    func plantLink(_ path: String, to target: String, owner: uid_t? = nil) throws {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        if let owner { try #require(lchown(path, owner, owner) == 0, "staging another account's link needs root") }
    }

    func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    @Test func aLinkAnotherAccountPlantedIsNeitherFollowedNorReplacedAndTheVictimKeepsItsBytes() throws {
        let folder = ScratchFolder()
        let victim = folder.write("victim.json", Self.documentText)
        let shared = try sharedFolder(folder)
        let link = (shared as NSString).appendingPathComponent("clinic.ics")
        try plantLink(link, to: victim, owner: Self.otherUID)

        for replace in [false, true] {
            #expect(throws: OutputError.foreignSymlink(path: link, owner: UInt32(Self.otherUID))) {
                try OutputFile.write(Data("BEGIN:VCALENDAR\r\n".utf8), to: link, replace: replace)
            }
        }
        #expect(throws: OutputError.foreignSymlink(path: link, owner: UInt32(Self.otherUID))) { try OutputFile.check(link) }
        #expect(contents(victim) == Data(Self.documentText.utf8))
        #expect(isLink(link) && (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) == victim)
    }

    @Test func aDanglingLinkAnotherAccountPlantedCreatesNothingWhereItPoints() throws {
        let folder = ScratchFolder()
        let shared = try sharedFolder(folder)
        let target = folder.file("authorized_keys")
        let link = (shared as NSString).appendingPathComponent("report.csv")
        try plantLink(link, to: target, owner: Self.otherUID)
        #expect(throws: OutputError.foreignSymlink(path: link, owner: UInt32(Self.otherUID))) {
            try OutputFile.write(Data("x".utf8), to: link, replace: true)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func aFolderLinkAnotherAccountPlantedIsNotFollowed() throws {
        let folder = ScratchFolder()
        let private_ = folder.file("dotssh")
        try FileManager.default.createDirectory(atPath: private_, withIntermediateDirectories: true)
        let keys = folder.write("dotssh/authorized_keys", "ssh-ed25519 AAAA user\n")
        let shared = try sharedFolder(folder)
        let linkedFolder = (shared as NSString).appendingPathComponent("ssh")
        try plantLink(linkedFolder, to: private_, owner: Self.otherUID)
        for name in ["authorized_keys", "new.txt"] {
            #expect(throws: OutputError.foreignSymlink(path: linkedFolder, owner: UInt32(Self.otherUID))) {
                try OutputFile.write(Data("x".utf8), to: linkedFolder + "/" + name, replace: true)
            }
        }
        #expect(contents(keys) == Data("ssh-ed25519 AAAA user\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: private_) == ["authorized_keys"])
    }

    @Test func theUsersOwnLinkIsReplacedItselfNotItsTarget() throws {
        let folder = ScratchFolder()
        let kept = folder.write("kept.txt", "the user's other file\n")
        let link = folder.file("report.txt")
        try plantLink(link, to: kept)

        #expect(throws: OutputError.exists(path: link)) { try OutputFile.write(Data("new".utf8), to: link, replace: false) }
        #expect(try OutputFile.check(link) == .ownSymlink)
        try OutputFile.write(Data("new".utf8), to: link, replace: true)
        #expect(!isLink(link))
        #expect(contents(link) == Data("new".utf8))
        #expect(fileMode(link) == 0o600)
        #expect(contents(kept) == Data("the user's other file\n".utf8))
    }

    @Test func theUsersOwnLinkToADocumentIsRefused() throws {
        let folder = ScratchFolder()
        let victim = folder.write("clinic.json", Self.documentText)
        let link = folder.file("clinic.ics")
        try plantLink(link, to: victim)
        #expect(throws: OutputError.protected(path: link, what: "a Caseload document")) {
            try OutputFile.write(Data("x".utf8), to: link, replace: true)
        }
        #expect(contents(victim) == Data(Self.documentText.utf8))
        #expect(isLink(link))
    }

    @Test func theOpenDocumentIsRefusedUnderAnySpellingOrHardLink() throws {
        let folder = ScratchFolder()
        // Not recognisable by its bytes: only the device and inode comparison can catch it.
        let document = folder.write("clinic.json", "{}")
        try FileManager.default.createDirectory(atPath: folder.file("sub"), withIntermediateDirectories: true)
        let spellings = [document, folder.path + "/sub/../clinic.json", folder.path + "/./clinic.json"]
        #expect(link(document, folder.file("alias.json")) == 0)
        for path in spellings + [folder.file("alias.json")] {
            #expect(throws: OutputError.protected(path: path, what: "the open document")) {
                try OutputFile.write(Data("report".utf8), to: path, replace: true, protecting: [document])
            }
        }
        #expect(contents(document) == Data("{}".utf8))
    }

    @Test func aCaseloadDocumentIsRecognisedByItsFirstBytes() throws {
        let folder = ScratchFolder()
        let other = folder.write("other.json", Self.documentText)
        #expect(throws: OutputError.protected(path: other, what: "a Caseload document")) {
            try OutputFile.write(Data("report".utf8), to: other, replace: true)
        }
        #expect(contents(other) == Data(Self.documentText.utf8))
        #expect(OutputFile.looksLikeDocument(Data("{\"format\":\"caseload\"}".utf8)))
        #expect(OutputFile.looksLikeDocument(Data(" {\n\t\"a\": 1, \"format\" :\n \"caseload\" }".utf8)))
        #expect(!OutputFile.looksLikeDocument(Data("{\"format\" : \"dap\"}".utf8)))
        // A CSV quoting the marker is not a document: a document is a JSON object.
        #expect(!OutputFile.looksLikeDocument(Data("note,\"\"\"format\"\" : \"\"caseload\"\"\"\n".utf8)))
    }

    @Test func theLockTrailAndBackupsAreRefusedAndStayAsTheyWere() throws {
        let folder = ScratchFolder()
        let document = folder.write("clinic.json", Self.documentText)
        let lock = folder.write("clinic.json.lock", "user=dreyes host=a pid=1\n")
        let trail = folder.write("clinic.json.audit", "entry 1\n")
        let backups = folder.file("clinic.json.backups")
        try FileManager.default.createDirectory(atPath: backups, withIntermediateDirectories: true)
        let backup = folder.write("clinic.json.backups/clinic-20261130T180500Z.json", "{}")

        #expect(throws: OutputError.protected(path: lock, what: "a Caseload document's lock")) {
            try OutputFile.write(Data("x".utf8), to: lock, replace: true, protecting: [document])
        }
        #expect(throws: OutputError.protected(path: trail, what: "a Caseload document's audit trail")) {
            try OutputFile.write(Data("x".utf8), to: trail, replace: true)
        }
        #expect(throws: OutputError.protected(path: backup, what: "inside a Caseload backups folder")) {
            try OutputFile.write(Data("x".utf8), to: backup, replace: true, protecting: [document])
        }
        // A new file in the backups folder would be taken for a backup: refused too, also through a linked folder.
        let linkedFolder = folder.file("looks-harmless")
        try plantLink(linkedFolder, to: backups)
        let fresh = linkedFolder + "/report.txt"
        #expect(throws: OutputError.protected(path: fresh, what: "inside a Caseload backups folder")) {
            try OutputFile.write(Data("x".utf8), to: fresh, replace: false, protecting: [document])
        }
        #expect(contents(lock) == Data("user=dreyes host=a pid=1\n".utf8))
        #expect(contents(trail) == Data("entry 1\n".utf8))
        #expect(contents(backup) == Data("{}".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups) == ["clinic-20261130T180500Z.json"])
    }

    @Test func anExistingFileIsReplacedOnlyWhenAskedAndThenHasMode0600() throws {
        let folder = ScratchFolder()
        let path = folder.write("report.csv", "old\n")
        #expect(chmod(path, 0o644) == 0)
        #expect(throws: OutputError.exists(path: path)) { try OutputFile.write(Data("new\n".utf8), to: path, replace: false) }
        #expect(contents(path) == Data("old\n".utf8))
        #expect(try OutputFile.check(path) == .file)

        try OutputFile.write(Data("new\n".utf8), to: path, replace: true)
        #expect(contents(path) == Data("new\n".utf8))
        #expect(fileMode(path) == 0o600)
        // No temp file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["report.csv"])
    }

    @Test func aNewFileIsCreatedWithMode0600WhateverTheUmask() throws {
        let folder = ScratchFolder()
        let saved = umask(0o022)
        defer { umask(saved) }
        let path = folder.file("new.ics")
        #expect(try OutputFile.check(path) == .nothing)
        try OutputFile.write(Data("BEGIN:VCALENDAR\r\n".utf8), to: path, replace: false)
        #expect(contents(path) == Data("BEGIN:VCALENDAR\r\n".utf8))
        #expect(fileMode(path) == 0o600)
    }

    @Test func aFileAnotherAccountOwnsOrANamedPipeIsNotReplaced() throws {
        let folder = ScratchFolder()
        let theirs = folder.write("theirs.txt", "theirs\n")
        #expect(chown(theirs, Self.otherUID, Self.otherUID) == 0)
        #expect(throws: OutputError.foreignFile(path: theirs, owner: UInt32(Self.otherUID))) {
            try OutputFile.write(Data("x".utf8), to: theirs, replace: true)
        }
        #expect(contents(theirs) == Data("theirs\n".utf8))
        let pipe = folder.file("pipe")
        #expect(mkfifo(pipe, 0o600) == 0)
        #expect(throws: OutputError.notRegular(path: pipe, kind: "a named pipe")) {
            try OutputFile.write(Data("x".utf8), to: pipe, replace: true)
        }
    }
}
