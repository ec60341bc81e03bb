import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

@Suite struct DocumentStoreTests {
    let folder = ScratchFolder()
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1
    }

    @Test func createThenOpenGivesTheSameDocument() throws {
        let path = folder.file("doc.json")
        let doc = DrillDocument.state(4)
        let store = try DocumentStore.create(path, with: doc, now: now)
        store.close()
        let (opened, back) = try DocumentStore.open(path, now: now)
        #expect(back == doc)
        #expect(opened.access == .readWrite)
        #expect(mode(path) == 0o600)
    }

    @Test func createRefusesToReplaceUnlessAsked() throws {
        let path = folder.write("doc.json", "precious")
        #expect(throws: StoreError.alreadyExists(path: path)) { try DocumentStore.create(path, with: DrillDocument.state(1), now: now) }
        #expect(FileManager.default.contents(atPath: path) == Data("precious".utf8))
        let store = try DocumentStore.create(path, with: DrillDocument.state(1), replacing: true, now: now)
        store.close()
        // What was replaced is kept as a backup.
        let backups = Backups(documentPath: path).list()
        #expect(backups.count == 1)
        #expect(backups.first.flatMap { FileManager.default.contents(atPath: $0.path) } == Data("precious".utf8))
    }

    @Test func savesReplaceTheFileAndKeepItPrivate() throws {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: DrillDocument.state(0), now: now)
        chmod(path, 0o644)   // someone loosened it; the next save tightens it again
        for step in 1...5 {
            try store.save(DrillDocument.state(step), now: now.addingTimeInterval(Double(step)))
            #expect(mode(path) == 0o600)
        }
        #expect(try DocumentCodec.decode(try AtomicFile.read(path), path: path).document == DrillDocument.state(5))
    }

    @Test func theFirstSaveOfASessionMakesAVerifiedBackupThenEveryTenMinutes() throws {
        let path = folder.file("doc.json")
        try DocumentStore.create(path, with: DrillDocument.state(0), now: now).close()
        let (store, _) = try DocumentStore.open(path, now: now)
        try store.save(DrillDocument.state(1), now: now)
        try store.save(DrillDocument.state(2), now: now.addingTimeInterval(60))
        let backups = Backups(documentPath: path)
        #expect(backups.list().count == 1)
        let backup = try #require(backups.list().first.flatMap { FileManager.default.contents(atPath: $0.path) })
        // The file as created: state 0 with the new trail's seal (no entries yet).
        let seal = try #require(try DocumentCodec.decode(backup, path: "backup").audit)
        #expect(seal.count == 0)
        #expect(backup == DocumentCodec.encode(DrillDocument.state(0), audit: seal))
        try store.save(DrillDocument.state(3), now: now.addingTimeInterval(601))
        #expect(backups.list().count == 2)
    }

    @Test func anExternalChangeIsMergedThreeWaysFromWhatTheStoreLastWrote() throws {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: DrillDocument.state(1), now: now)
        // Another instance rewrites the file.
        _ = FileManager.default.createFile(atPath: path, contents: try DocumentCodec.encode(DrillDocument.state(7)))
        let outcome = try store.save(DrillDocument.state(2), now: now)
        let expected = DocumentMerge.merge(base: DrillDocument.state(1), theirs: DrillDocument.state(7), mine: DrillDocument.state(2))
        #expect(outcome.merged)
        #expect(outcome.written == expected.merged)
        #expect(outcome.conflicts == expected.conflicts)
        #expect(!store.isStoppedByExternalChange)
        #expect(try DocumentCodec.decode(try AtomicFile.read(path), path: path).document == expected.merged)
        // The merge is the base of the next save: nothing changed on disk since, so it is written as given.
        let next = try store.save(DrillDocument.state(3), base: outcome.written, now: now)
        #expect(!next.merged)
        #expect(try DocumentCodec.decode(try AtomicFile.read(path), path: path).document == DrillDocument.state(3))
    }

    @Test func aMovedFileStopsSaving() throws {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: DrillDocument.state(1), now: now)
        #expect(rename(path, folder.file("elsewhere.json")) == 0)
        #expect(throws: StoreError.changedOnDisk(path: path)) { try store.save(DrillDocument.state(2), now: now) }
        #expect(store.isStoppedByExternalChange)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aTouchWithoutNewBytesIsNotAnExternalChange() throws {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: DrillDocument.state(1), now: now)
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, path, &times, 0)
        try store.save(DrillDocument.state(2), now: now)
        #expect(!store.isStoppedByExternalChange)
    }

    @Test func aSecondOpenIsWritableAndEachSaveMergesTheOther() throws {
        let path = folder.file("doc.json")
        var doc = DrillDocument.state(1)
        let first = try DocumentStore.create(path, with: doc, now: now)
        let (second, opened) = try DocumentStore.open(path, now: now)
        #expect(second.access == .readWrite)
        #expect(opened == doc)
        // The first renames the program; the second, not knowing, renames a room.
        doc.program.name = "Harbor Evening IOP"
        try first.save(doc, now: now)
        var theirs = opened
        try #require(!theirs.program.rooms.isEmpty)
        theirs.program.rooms[0].name = "Group Room B"
        let outcome = try second.save(theirs, now: now)
        #expect(outcome.merged && outcome.conflicts.isEmpty)
        let onDisk = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(onDisk.program.name == "Harbor Evening IOP")
        #expect(onDisk.program.rooms[0].name == "Group Room B")
        // The first picks the second's save up between its own saves.
        let change = try #require(try first.pickUpChanges(now: now))
        #expect(change.document == onDisk)
        #expect(try first.pickUpChanges(now: now) == nil)
    }

    @Test func leftoversFromACrashAreQuarantinedNotDeleted() throws {
        let path = folder.file("doc.json")
        try DocumentStore.create(path, with: DrillDocument.state(1), now: now).close()
        let leftover = folder.write(".doc.json.tmp-999-abc", "half a save")
        let (store, _) = try DocumentStore.open(path, now: now)
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(store.notices.contains { $0.contains("unfinished save") })
        let quarantined = try FileManager.default.contentsOfDirectory(atPath: Backups(documentPath: path).quarantineFolder)
        #expect(quarantined.count == 1)
    }

    @Test func openingAnOldVersionBacksUpTheOriginalFirst() throws {
        let url = try #require(Bundle.module.url(forResource: "v0-riverside", withExtension: "json", subdirectory: "Fixtures"))
        let original = try Data(contentsOf: url)
        let path = folder.write("old.json", original)
        let (store, doc) = try DocumentStore.open(path, now: now)
        #expect(store.fileVersion == 0)
        #expect(store.notices.contains { $0.contains("schema version 0") })
        let backups = Backups(documentPath: path).list()
        #expect(backups.count == 1)
        #expect(backups.first.flatMap { FileManager.default.contents(atPath: $0.path) } == original)
        #expect(FileManager.default.contents(atPath: path) == original, "opening alone does not rewrite the file")
        try store.save(doc, now: now)
        store.close()
        let reopened = try DocumentStore.open(path, now: now)
        #expect(reopened.store.fileVersion == DocumentCodec.currentVersion)
        #expect(reopened.document == doc)
    }

    @Test func restoreBringsABackupBackAndKeepsTheCurrentFile() throws {
        let path = folder.file("doc.json")
        try DocumentStore.create(path, with: DrillDocument.state(1), now: now).close()
        let (store, _) = try DocumentStore.open(path, now: now)
        try store.save(DrillDocument.state(2), now: now)        // backs up state 1
        store.close()
        let backup = try #require(Backups(documentPath: path).list().first)
        try DocumentStore.restore(path, from: backup.name, now: now.addingTimeInterval(5))
        #expect(try DocumentStore.open(path, now: now).document == DrillDocument.state(1))
        let kept = Backups(documentPath: path).list().compactMap { FileManager.default.contents(atPath: $0.path) }
        #expect(kept.contains { (try? DocumentCodec.decode($0, path: "backup").document) == DrillDocument.state(2) })
    }

    @Test func aRestoreWhileTheDocumentIsOpenElsewhereIsTakenInByThatInstance() throws {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: DrillDocument.state(1), now: now)
        try store.save(DrillDocument.state(2), now: now)
        let backup = try #require(Backups(documentPath: path).list().first)
        try DocumentStore.restore(path, from: backup.name, now: now)
        // The open instance sees the restored version as another's save, and merges its own edits onto it.
        let change = try #require(try store.pickUpChanges(now: now))
        #expect(change.document == DrillDocument.state(1))
        store.close()
    }
}

@Suite struct DocumentAutosaveTests {
    let folder = ScratchFolder()

    @Test func theAutosaverWritesTheNewestDocumentAndFlushesOnClose() throws {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: DrillDocument.state(0))
        let saver = store.makeAutosaver(debounce: 0.05, maxDelay: 0.2)
        for step in 1...30 { saver.changed(DrillDocument.state(step)) }
        guard case .saved = saver.flush() else { Issue.record("expected saved, got \(saver.state)"); return }
        #expect(try DocumentCodec.decode(try AtomicFile.read(path), path: path).document == DrillDocument.state(30))
    }

    @Test func aDeletedFileStopsAutosaveAndKeepsTheChangesInMemory() throws {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: DrillDocument.state(1))
        let saver = store.makeAutosaver(debounce: 0.05, maxDelay: 0.2)
        #expect(unlink(path) == 0)
        saver.changed(DrillDocument.state(2))
        guard case .stopped(let reason) = saver.flush() else { Issue.record("expected stopped, got \(saver.state)"); return }
        #expect(reason.contains("moved or deleted"))
        #expect(saver.unsavedSnapshot == DrillDocument.state(2))
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

@Suite struct ExternalChangePollTests {
    let folder = ScratchFolder()

    @Test func pollingPicksUpARewriteOnceAndSavingGoesOn() throws {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: DrillDocument.state(1))
        #expect(try store.pickUpChanges() == nil)
        _ = FileManager.default.createFile(atPath: path, contents: try DocumentCodec.encode(DrillDocument.state(5)))
        let change = try #require(try store.pickUpChanges())
        #expect(change.document == DrillDocument.state(5))
        #expect(try store.pickUpChanges() == nil)
        // Saved from the version picked up: written as given.
        let outcome = try store.save(DrillDocument.state(6), base: change.document)
        #expect(!outcome.merged)
        #expect(try DocumentCodec.decode(try AtomicFile.read(path), path: path).document == DrillDocument.state(6))
    }
}
