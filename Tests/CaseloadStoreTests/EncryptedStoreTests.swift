import CaseloadCore
import CaseloadDemo
import Crypto
import Foundation
import Testing
@testable import CaseloadStore

/// Synthetic encrypted documents for the store tests: a drill document plus one patient and one group note whose
/// words appear nowhere else, so any file can be scanned for them.
enum EncryptedFixture {
    /// Cheap scrypt so that a test derives in about a millisecond (the format's limits accept it).
    static let fast = EncryptedDocument.KDFParameters(n: 1 << 10, r: 8, p: 1)
    static let now = Date(timeIntervalSince1970: 1_796_000_000)
    static let patientName = "Quillon Marrowby"
    static let noteSentence = "Named the Friday payday cravings and planned a call to the sponsor before the bus home."
    /// Every distinctive plaintext string of `document(_:)`: the drill's staff and program names too.
    static let markers = [patientName, noteSentence, "Drill Counselor", "Drill IOP", "QM-5150"]

    /// The document after `step` edits (the drill's patients grow by one per step), with `narrative` as the group note.
    static func document(_ step: Int = 0, narrative: String = noteSentence) -> CaseloadDocument {
        var doc = DrillDocument.state(step)
        let admitted = LocalDate(year: 2026, month: 1, day: 5) ?? LocalDate(dayNumber: 20458)
        let held = LocalDate(year: 2026, month: 1, day: 7) ?? LocalDate(dayNumber: 20460)
        doc.patients.append(Patient(
            id: "pat_quill", mrn: "QM-5150", legalName: patientName, primaryClinician: "st1", admissionDate: admitted,
            careHistory: [CareEntry(date: admitted, levelOfCare: .intensiveOutpatient, phase: "ph1")]))
        doc.sessions.append(Session(
            stored: "ses_quill", series: nil, occurrenceDate: nil, date: held, start: LocalTime(hour: 18, minute: 0) ?? .midnight,
            durationMinutes: 180, title: "Process group", kind: .group, modality: .process, room: "r1", facilitator: "st1",
            status: .scheduled, added: ["pat_quill"], removed: [], attendance: [],
            groupNote: GroupNote(topic: "Payday", narrative: narrative, author: "st1"), memberNotes: []))
        return doc
    }

    /// The markers found in `bytes`.
    static func plaintext(in bytes: Data) -> [String] {
        markers.filter { bytes.range(of: Data($0.utf8)) != nil }
    }

    /// Every regular file under `folder` (backups and quarantine included) that holds a marker, with the markers.
    static func filesWithPlaintext(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return ["cannot list \(folder)"] }
        var found: [String] = []
        for case let relative as String in walker {
            let path = (folder as NSString).appendingPathComponent(relative)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
                  let bytes = FileManager.default.contents(atPath: path) else { continue }
            let hits = plaintext(in: bytes)
            if !hits.isEmpty { found.append("\(relative): \(hits.joined(separator: ", "))") }
        }
        return found
    }

    static func startsWithMagic(_ bytes: Data?) -> Bool {
        guard let bytes else { return false }
        return bytes.prefix(8) == Data("CLDCRYPT".utf8)
    }

    /// Keys for `login` read from the file's header with the passphrase, as the app does at start-up.
    static func unlock(_ path: String, _ login: String, _ passphrase: String) throws -> DocumentKeys {
        let header = try #require(try EncryptedFile.header(atPath: path), "\(path) is not encrypted")
        return try DocumentKeys.unlock(header: header, login: login, passphrase: passphrase)
    }

    /// A new encrypted document at `path` with `alee`'s slot; the store is returned open.
    static func create(_ path: String, _ document: CaseloadDocument = document(), passphrase: String = "amber lantern") throws -> (DocumentStore, DocumentKeys) {
        let keys = try DocumentKeys.create(login: "alee", passphrase: passphrase, kdf: fast)
        return (try DocumentStore.create(path, with: document, now: now, keys: keys), keys)
    }
}

@Suite struct EncryptedStoreTests {
    let folder = ScratchFolder()
    let now = EncryptedFixture.now
    typealias F = EncryptedFixture

    // MARK: - Opening

    @Test func theFixtureSpellsItsMarkersInThePlainEncoding() throws {
        // The scans below only mean something if a plain file would be caught.
        let plain = try DocumentCodec.encode(F.document())
        #expect(F.plaintext(in: plain) == F.markers)
    }

    @Test func openingWithoutKeysAsksForThePassphraseAndLeavesTheFile() throws {
        let path = folder.file("doc.json")
        try F.create(path).0.close()
        let before = FileSnapshot(path)
        #expect(throws: StoreError.needsPassphrase(path: path)) { try DocumentStore.open(path, now: now) }
        #expect(throws: StoreError.needsPassphrase(path: path)) { try DocumentStore.open(path, readOnly: true, now: now) }
        #expect(FileSnapshot(path) == before)
        #expect(FileLock.holder(of: path) == nil, "a refused open takes no lock")
    }

    @Test func theRightPersonsKeysOpenTheSameDocument() throws {
        let path = folder.file("doc.json")
        try F.create(path).0.close()
        let keys = try F.unlock(path, "alee", "amber lantern")
        let (store, document) = try DocumentStore.open(path, now: now, keys: keys)
        #expect(document == F.document())
        #expect(store.isEncrypted)
        #expect(store.access == .readWrite)
        #expect(F.startsWithMagic(FileManager.default.contents(atPath: path)))
    }

    @Test func aSecondPersonsSlotOpensWithTheirOwnPassphrase() throws {
        let path = folder.file("doc.json")
        let (store, _) = try F.create(path)
        try store.addKeySlot(F.document(), login: "bkim", passphrase: "cobalt heron", now: now)
        store.close()
        let header = try #require(try EncryptedFile.header(atPath: path))
        #expect(header.logins == ["alee", "bkim"])
        let theirs = try DocumentKeys.unlock(header: header, login: "bkim", passphrase: "cobalt heron")
        let (_, document) = try DocumentStore.open(path, now: now, keys: theirs)
        #expect(document == F.document())
        // Each slot opens with its own passphrase only.
        #expect(throws: EncryptedDocumentError.wrongPassphrase(login: "bkim")) {
            try DocumentKeys.unlock(header: header, login: "bkim", passphrase: "amber lantern")
        }
        #expect(throws: EncryptedDocumentError.noSlot(login: "cdiaz")) {
            try DocumentKeys.unlock(header: header, login: "cdiaz", passphrase: "cobalt heron")
        }
    }

    @Test func aWrongPassphraseIsItsOwnErrorAndTheFileIsUntouched() throws {
        let path = folder.file("doc.json")
        try F.create(path).0.close()
        let before = FileSnapshot(path)
        #expect(throws: EncryptedDocumentError.wrongPassphrase(login: "alee")) { try F.unlock(path, "alee", "amber lanterN") }
        #expect(throws: EncryptedDocumentError.wrongPassphrase(login: nil)) {
            try EncryptedDocument.open(Array(try AtomicFile.read(path)), login: nil, passphrase: "amber")
        }
        #expect(FileSnapshot(path) == before)
    }

    // MARK: - No plaintext on disk

    @Test func aSavedEditIsCiphertextWithNoNameOrNoteInIt() throws {
        let path = folder.file("doc.json")
        let (store, keys) = try F.create(path)
        var edited = F.document(3)
        edited.patients[3].preferredName = "Quill"
        try store.save(edited, now: now.addingTimeInterval(5))
        store.close()
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(F.startsWithMagic(bytes))
        #expect(F.plaintext(in: bytes).isEmpty)
        #expect(F.filesWithPlaintext(under: folder.path).isEmpty)
        let (_, back) = try DocumentStore.open(path, now: now, keys: keys)
        #expect(back == edited)
    }

    @Test func backupsMadeBySavesAreEncryptedAndRestoreNeedsTheKeys() throws {
        let path = folder.file("doc.json")
        try F.create(path).0.close()
        let keys = try F.unlock(path, "alee", "amber lantern")
        let (store, _) = try DocumentStore.open(path, now: now, keys: keys)
        // The first save of a session backs up the file as it was (state 0); ten minutes on, another (state 1).
        try store.save(F.document(1), now: now)
        try store.save(F.document(2), now: now.addingTimeInterval(601))
        store.close()
        let backups = Backups(documentPath: path).list()
        #expect(backups.count == 2)
        for backup in backups {
            let bytes = FileManager.default.contents(atPath: backup.path)
            #expect(F.startsWithMagic(bytes), "\(backup.name) is not encrypted")
            #expect(F.plaintext(in: bytes ?? Data()).isEmpty, "\(backup.name) holds plaintext")
        }
        #expect(F.filesWithPlaintext(under: folder.path).isEmpty)

        let oldest = try #require(backups.min { $0.date < $1.date || ($0.date == $1.date && $0.sequence < $1.sequence) })
        let before = FileSnapshot(path)
        #expect(throws: StoreError.needsPassphrase(path: oldest.path)) {
            try DocumentStore.restore(path, from: oldest.name, now: now.addingTimeInterval(700))
        }
        #expect(FileSnapshot(path) == before)
        try DocumentStore.restore(path, from: oldest.name, now: now.addingTimeInterval(700), keys: keys)
        let (_, restored) = try DocumentStore.open(path, now: now, keys: try F.unlock(path, "alee", "amber lantern"))
        #expect(restored == F.document(0))
        // The file restore replaced (state 2) was itself backed up first, encrypted.
        let after = Backups(documentPath: path).list()
        #expect(after.count == 3)
        #expect(after.allSatisfy { F.startsWithMagic(FileManager.default.contents(atPath: $0.path)) })
    }

    @Test func aPlainBackupIsRefusedOverAnEncryptedDocument() throws {
        let path = folder.file("doc.json")
        let plainStore = try DocumentStore.create(path, with: F.document(0), now: now)
        try plainStore.save(F.document(1), now: now)   // backs up the plain state 0
        let keys = try DocumentKeys.create(login: "alee", passphrase: "amber lantern", kdf: F.fast)
        try plainStore.encrypt(F.document(1), keys: keys, now: now.addingTimeInterval(1))
        plainStore.close()
        let plainBackup = try #require(Backups(documentPath: path).list().first)
        #expect(!F.startsWithMagic(FileManager.default.contents(atPath: plainBackup.path)))
        let before = FileSnapshot(path)
        for offered in [nil, keys] {
            do {
                try DocumentStore.restore(path, from: plainBackup.name, now: now.addingTimeInterval(60), keys: offered)
                Issue.record("a plain backup was restored over an encrypted document")
            } catch {
                guard case .backupFailed(let where_, let reason) = error else {
                    Issue.record("expected backupFailed, got \(error)")
                    continue
                }
                #expect(where_ == path)
                #expect(reason.hasPrefix("\(plainBackup.name) is not encrypted and the document is"))
            }
        }
        #expect(FileSnapshot(path) == before)
        #expect(Backups(documentPath: path).list().count == 1, "a refused restore backs nothing up")
    }

    @Test func aCrashedEncryptedSavesLeftoverIsCiphertextWhenQuarantined() throws {
        let path = folder.file("doc.json")
        let (store, keys) = try F.create(path)
        store.close()
        // A save killed halfway: the temp file, named as AtomicFile names it, holds the first part of what the save
        // path writes for an encrypted document.
        let temp = folder.file(".doc.json.tmp-\(getpid())-5eed")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #expect(fd >= 0)
        var sink = FileSink(fd: fd)
        DocumentStore.writeFile(into: &sink, digest: StreamDigest(), keys: keys) { emit in
            _ = IncrementalWriter.write(F.document(4), reusing: nil, emit: emit)
        }
        let full = sink.written
        #expect(ftruncate(fd, off_t(full * 2 / 3)) == 0)
        close(fd)
        #expect(AtomicFile.leftoverTempFiles(for: path) == [temp])

        let (reopened, document) = try DocumentStore.open(path, now: now, keys: try F.unlock(path, "alee", "amber lantern"))
        reopened.close()
        #expect(document == F.document())
        #expect(reopened.notices.contains { $0.hasPrefix("found 1 unfinished save from an earlier crash") })
        let quarantined = try FileManager.default.contentsOfDirectory(atPath: Backups(documentPath: path).quarantineFolder)
        #expect(quarantined == ["doc.json.tmp-\(getpid())-5eed"])
        let leftover = FileManager.default.contents(atPath: Backups(documentPath: path).quarantineFolder + "/" + (quarantined.first ?? ""))
        #expect(leftover?.count == full * 2 / 3)
        #expect(F.startsWithMagic(leftover))
        #expect(F.plaintext(in: leftover ?? Data()).isEmpty)
        #expect(F.filesWithPlaintext(under: folder.path).isEmpty)
    }

    // MARK: - Key slots

    @Test func removingAPersonReKeysSoTheirOldKeysOpenNothingNew() throws {
        let path = folder.file("doc.json")
        let (store, keys) = try F.create(path)
        try store.addKeySlot(F.document(), login: "bkim", passphrase: "cobalt heron", now: now)
        let leaving = try F.unlock(path, "bkim", "cobalt heron")
        let oldDocumentKey = leaving.documentKey
        #expect(throws: Never.self) { try DocumentStore.open(path, readOnly: true, now: now, keys: leaving) }

        try store.removeKeySlot(F.document(1), login: "bkim", now: now.addingTimeInterval(30))
        store.close()
        let bytes = try #require(FileManager.default.contents(atPath: path))
        let (header, bodyStart) = try EncryptedDocument.parseHeader(Array(bytes))
        #expect(header.logins == ["alee"])
        #expect(keys.documentKey != oldDocumentKey, "the remaining person's keys follow the new document key")

        // The removed person's unlocked keys, and the document key they held, open neither the file nor its backup.
        #expect(throws: StoreError.encryption(path: path, .noSlot(login: "bkim"))) {
            try DocumentStore.open(path, readOnly: true, now: now, keys: leaving)
        }
        #expect(throws: EncryptedDocumentError.damaged) {
            try bytes.withUnsafeBytes { try EncryptedDocument.openBody($0, bodyStart: bodyStart, documentKey: oldDocumentKey) }
        }
        // A backup of the re-keyed file was made at once.
        let backups = Backups(documentPath: path).list()
        let fresh = backups.filter { FileManager.default.contents(atPath: $0.path) == bytes }
        #expect(fresh.count == 1, "no backup holds the re-keyed file")
        #expect(throws: StoreError.encryption(path: fresh.first?.path ?? "", .noSlot(login: "bkim"))) {
            try DocumentStore.restore(path, from: fresh.first?.name ?? "-", now: now.addingTimeInterval(60), keys: leaving)
        }

        // The remaining person opens it with their passphrase.
        let (_, document) = try DocumentStore.open(path, now: now, keys: try F.unlock(path, "alee", "amber lantern"))
        #expect(document == F.document(1))
        #expect(throws: EncryptedDocumentError.noSlot(login: "bkim")) { try F.unlock(path, "bkim", "cobalt heron") }
    }

    /// FAILS with a0bac86's `DocumentStore.restore`, which copies the backup's bytes, header and all: the restored
    /// document (and every later save, which follows the header it read) has the removed person's slot again, under
    /// the document key they knew. The fix (see the report): reseal the backup's plaintext under the current file's
    /// header and document key.
    @Test func restoringABackupFromBeforeARemovalDoesNotLetThePersonBackIn() throws {
        let path = folder.file("doc.json")
        let (store, _) = try F.create(path)
        try store.addKeySlot(F.document(1), login: "bkim", passphrase: "cobalt heron", now: now)
        // Ten minutes on, a save backs up the file with both slots (state 1).
        try store.save(F.document(2), now: now.addingTimeInterval(601))
        let withBoth = try #require(Backups(documentPath: path).list().first { backup in
            let bytes = FileManager.default.contents(atPath: backup.path) ?? Data()
            return (try? EncryptedDocument.parseHeader(Array(bytes)).0.logins) == ["alee", "bkim"]
        })
        try store.removeKeySlot(F.document(2), login: "bkim", now: now.addingTimeInterval(700))
        store.close()
        let headerAfterRemoval = try #require(try EncryptedFile.header(atPath: path))

        try DocumentStore.restore(path, from: withBoth.name, now: now.addingTimeInterval(800), keys: try F.unlock(path, "alee", "amber lantern"))
        let restored = try #require(try EncryptedFile.header(atPath: path))
        #expect(restored.logins == ["alee"], "the restore brought back a removed person's slot")
        #expect(restored == headerAfterRemoval)
        #expect(throws: EncryptedDocumentError.noSlot(login: "bkim")) { try F.unlock(path, "bkim", "cobalt heron") }
        let (_, document) = try DocumentStore.open(path, now: now, keys: try F.unlock(path, "alee", "amber lantern"))
        #expect(document == F.document(1), "the backup's records are what was restored")
    }

    /// FAILS with a0bac86 for the same reason: a leaked passphrase, changed since, opens the document again.
    @Test func restoringABackupFromBeforeAPassphraseChangeKeepsTheNewPassphrase() throws {
        let path = folder.file("doc.json")
        let (store, _) = try F.create(path)
        try store.save(F.document(1), now: now)   // backs up state 0, under the old passphrase
        try store.changePassphrase(F.document(1), old: "amber lantern", new: "russet kettle", now: now.addingTimeInterval(10))
        store.close()
        let oldest = try #require(Backups(documentPath: path).list().first)

        try DocumentStore.restore(path, from: oldest.name, now: now.addingTimeInterval(60), keys: try F.unlock(path, "alee", "russet kettle"))
        #expect(throws: EncryptedDocumentError.wrongPassphrase(login: "alee")) { try F.unlock(path, "alee", "amber lantern") }
        let (_, document) = try DocumentStore.open(path, now: now, keys: try F.unlock(path, "alee", "russet kettle"))
        #expect(document == F.document(0))
    }

    /// The header is public: anyone who can write the file can wrap a document key of their own to a person's slot,
    /// seal any document under it and add a slot of their own, and that person's passphrase opens the forgery. The
    /// store cannot tell (nothing in the file can); what the account saw last time (`SlotPin`) can: the document key
    /// changed while nobody was removed.
    @Test func aForgedFileFromThePublicHeaderOpensButItsPinShowsTheSwap() throws {
        let path = folder.file("doc.json")
        try F.create(path).0.close()
        let published = try #require(try EncryptedFile.header(atPath: path))
        let seen = try F.unlock(path, "alee", "amber lantern").pin
        // The forger knows no passphrase: only the header's public bytes.
        var forged = published
        let forgerKey = SymmetricKey(size: .bits256)
        try EncryptedDocument.wrapDocumentKey(forgerKey, into: &forged.slots[0])
        let quiet = forged
        forged = try EncryptedDocument.addSlot(to: forged, documentKey: forgerKey, login: "mallory", passphrase: "open sesame")
        var lie = F.document()
        lie.patients[0].legalName = "Somebody Else"
        let bytes = try EncryptedDocument.seal(plaintext: Array(try DocumentCodec.encode(lie)), header: forged, documentKey: forgerKey)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let keys = try F.unlock(path, "alee", "amber lantern")
        let (_, opened) = try DocumentStore.open(path, readOnly: true, now: now, keys: keys)
        #expect(opened.patients[0].legalName == "Somebody Else", "the store opens it: the file alone cannot tell")
        let changes = seen.changes(to: keys.pin)
        #expect(changes == SlotChanges(added: ["mallory"], removed: [], replaced: [], keyChanged: true))
        #expect(changes.isSuspicious)

        // A quieter forgery adds no slot: the changed key alone gives it away.
        let quietBytes = try EncryptedDocument.seal(plaintext: Array(try DocumentCodec.encode(lie)), header: quiet, documentKey: forgerKey)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(quietBytes)))
        let quietChanges = seen.changes(to: try F.unlock(path, "alee", "amber lantern").pin)
        #expect(quietChanges == SlotChanges(added: [], removed: [], replaced: [], keyChanged: true))
        #expect(quietChanges.isSuspicious)
        #expect(quietChanges.describe(path: "doc.json").contains("the document key was changed although nobody was removed"))
    }

    @Test func aColleaguesAdditionOrARemovalIsNotASwapAndPinsRoundTripPrivately() throws {
        let path = folder.file("doc.json")
        let (store, keys) = try F.create(path)
        let seen = keys.pin
        try store.addKeySlot(F.document(), login: "bkim", passphrase: "cobalt heron", now: now)
        let added = seen.changes(to: keys.pin)
        #expect(added == SlotChanges(added: ["bkim"], removed: [], replaced: [], keyChanged: false))
        #expect(!added.isSuspicious)
        let beforeRemoval = keys.pin
        try store.removeKeySlot(F.document(), login: "bkim", now: now.addingTimeInterval(5))
        store.close()
        let removed = beforeRemoval.changes(to: keys.pin)
        #expect(removed == SlotChanges(added: [], removed: ["bkim"], replaced: [], keyChanged: true))
        #expect(!removed.isSuspicious)

        let pins = SlotPins(folder: folder.file("state/caseload/key-pins"))
        #expect(pins.pin(for: path) == nil)
        try pins.record(keys.pin, for: path)
        #expect(pins.pin(for: path) == keys.pin)
        var info = stat()
        #expect(stat(pins.folder, &info) == 0 && info.st_mode & 0o777 == 0o700)
        let files = try FileManager.default.contentsOfDirectory(atPath: pins.folder)
        #expect(files.count == 1)
        #expect(stat(pins.folder + "/" + files[0], &info) == 0 && info.st_mode & 0o777 == 0o600)
        // Logins are kept as hex: a login with a space or a newline reads back whole.
        let odd = SlotPin(slots: ["a b\nc": "00ff"], keyCommitment: "ab")
        try pins.record(odd, for: path)
        #expect(pins.pin(for: path) == odd)
    }

    @Test func changingAPassphraseRetiresTheOldOneAndLeavesOtherSlots() throws {
        let path = folder.file("doc.json")
        let (store, _) = try F.create(path)
        try store.addKeySlot(F.document(), login: "bkim", passphrase: "cobalt heron", now: now)
        let before = try #require(try EncryptedFile.header(atPath: path))

        let beforeWrongOld = FileSnapshot(path)
        #expect(throws: StoreError.encryption(path: path, .wrongPassphrase(login: "alee"))) {
            try store.changePassphrase(F.document(), old: "not it", new: "russet kettle", now: now)
        }
        #expect(FileSnapshot(path) == beforeWrongOld)

        try store.changePassphrase(F.document(2), old: "amber lantern", new: "russet kettle", now: now.addingTimeInterval(10))
        store.close()
        let after = try #require(try EncryptedFile.header(atPath: path))
        #expect(throws: EncryptedDocumentError.wrongPassphrase(login: "alee")) {
            try DocumentKeys.unlock(header: after, login: "alee", passphrase: "amber lantern")
        }
        let (_, mine) = try DocumentStore.open(path, readOnly: true, now: now,
                                               keys: try DocumentKeys.unlock(header: after, login: "alee", passphrase: "russet kettle"))
        #expect(mine == F.document(2))
        #expect(after.slots[1] == before.slots[1], "bkim's slot is byte for byte as it was")
        #expect(after.slots[0].salt != before.slots[0].salt)
        let (_, theirs) = try DocumentStore.open(path, readOnly: true, now: now,
                                                 keys: try DocumentKeys.unlock(header: after, login: "bkim", passphrase: "cobalt heron"))
        #expect(theirs == F.document(2))
    }

    // MARK: - Damage

    /// What opening `path` as the app does gives: nil when it opened, else the typed error. Without `keys`, the header
    /// is read and unlocked with the passphrase first (a file that does not look encrypted is opened as a plain one).
    func openFailure(_ path: String, keys: DocumentKeys?) -> Error? {
        do {
            var using = keys
            if using == nil, let header = try EncryptedFile.header(atPath: path) {
                using = try DocumentKeys.unlock(header: header, login: "alee", passphrase: "amber lantern")
            }
            _ = try DocumentStore.open(path, readOnly: true, now: now, keys: using)
            return nil
        } catch let error as StoreError {
            return error
        } catch let error as EncryptedDocumentError {
            return error
        } catch {
            Issue.record("an untyped error: \(error)")
            return error
        }
    }

    @Test func aChangedByteAnywhereInTheSavedFileFailsWithATypedErrorAndIsLeftAlone() throws {
        let path = folder.file("doc.json")
        let (store, keys) = try F.create(path)
        try store.save(F.document(2), now: now)
        store.close()
        let good = try #require(FileManager.default.contents(atPath: path))
        #expect(openFailure(path, keys: nil) == nil)
        let headerLength = try EncryptedDocument.parseHeader(Array(good)).1
        // Every header byte, the save nonce, and a spread of body bytes to the last.
        let positions = Array(0..<headerLength + 32) + Array(stride(from: headerLength + 32, to: good.count, by: 97)) + [good.count - 1]
        var failures = 0
        for position in positions {
            var changed = good
            changed[position] ^= 0x20
            try changed.write(to: URL(fileURLWithPath: path))
            // With the keys already unlocked (a reload) and with a fresh unlock from the changed header.
            for held in [keys, nil] {
                guard let error = openFailure(path, keys: held) else {
                    Issue.record("byte \(position) changed and the file still opened")
                    continue
                }
                failures += 1
                // Past the magic bytes the file is still taken for an encrypted one, so the error is an encryption
                // error; a changed magic byte makes it a plain file that is not JSON.
                let isEncryptionError: Bool
                if case .encryption? = error as? StoreError { isEncryptionError = true } else { isEncryptionError = error is EncryptedDocumentError }
                if position >= 8 && !isEncryptionError { Issue.record("byte \(position): not an encryption error: \(error)") }
                if position < 8 && !(error is StoreError) { Issue.record("byte \(position): \(error)") }
            }
            #expect(FileManager.default.contents(atPath: path) == changed, "byte \(position): the file was changed")
        }
        #expect(failures == positions.count * 2)
        #expect(AtomicFile.leftoverTempFiles(for: path).isEmpty)
    }

    @Test func aTruncatedFileFailsWithATypedError() throws {
        let path = folder.file("doc.json")
        try F.create(path).0.close()
        let good = try #require(FileManager.default.contents(atPath: path))
        let keys = try F.unlock(path, "alee", "amber lantern")
        let headerLength = try EncryptedDocument.parseHeader(Array(good)).1
        for length in [8, 9, 24, headerLength - 1, headerLength, headerLength + 31, headerLength + 32 + 15, good.count - 1] {
            let cut = good.prefix(length)
            try cut.write(to: URL(fileURLWithPath: path))
            do {
                _ = try DocumentStore.open(path, now: now, keys: keys)
                Issue.record("a file cut to \(length) of \(good.count) bytes opened")
            } catch {
                guard case .encryption(_, let inner) = error else { Issue.record("cut to \(length): \(error)"); continue }
                if case .truncated = inner {} else if length == good.count - 1, inner == .damaged {} else {
                    Issue.record("cut to \(length): \(inner)")
                }
            }
            #expect(FileManager.default.contents(atPath: path) == cut)
        }
    }

    @Test func anUnknownKDFOrAnAbsurdNInTheHeaderIsRefusedBeforeAnyDerivation() throws {
        let path = folder.file("doc.json")
        try F.create(path).0.close()
        let good = try #require(FileManager.default.contents(atPath: path))
        let keys = try F.unlock(path, "alee", "amber lantern")
        // Offsets from docs/FORMAT.md: magic 0–7, version 8–9, KDF id 10, N 11–14, r 15–18, p 19–22.
        var otherKDF = good
        otherKDF[10] = 2
        // N = 2^31 (above the 2^20 limit), and N = 2^20 with r = 16: 128 · 2^20 · 16 = 2 GiB.
        var hugeN = good
        hugeN.replaceSubrange(11..<15, with: [0x80, 0, 0, 0])
        var hugeMemory = good
        hugeMemory.replaceSubrange(11..<19, with: [0, 0x10, 0, 0, 0, 0, 0, 16])
        let cases: [(Data, EncryptedDocumentError)] = [
            (otherKDF, .unsupportedKDF(id: 2)),
            (hugeN, .unsafeKDFParameters(detail: "N = 2147483648 is above the limit 2^20 = 1048576")),
            (hugeMemory, .unsafeKDFParameters(detail: "128 · N · r = 2147483648 bytes is above the memory limit of 1 GiB")),
        ]
        for (bytes, expected) in cases {
            try bytes.write(to: URL(fileURLWithPath: path))
            #expect(throws: StoreError.encryption(path: path, expected)) { try EncryptedFile.header(atPath: path) }
            #expect(throws: StoreError.encryption(path: path, expected)) { try DocumentStore.open(path, now: now, keys: keys) }
            #expect(FileManager.default.contents(atPath: path) == bytes)
        }
    }

    // MARK: - Saving

    @Test func anotherInstanceRewritingTheEncryptedFileIsMergedNotOverwritten() throws {
        let path = folder.file("doc.json")
        let (store, keys) = try F.create(path)
        try store.save(F.document(1), now: now)
        // Another program writes a valid encrypted file under the same keys (a second copy of Caseload, a sync tool).
        let theirs = try EncryptedDocument.seal(plaintext: Array(try DocumentCodec.encode(F.document(7))), header: keys.header, documentKey: keys.documentKey)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(theirs)))
        let change = try #require(try store.pickUpChanges(now: now))
        #expect(change.document == F.document(7))
        let outcome = try store.save(F.document(2), base: F.document(1), now: now)
        let expected = DocumentMerge.merge(base: F.document(1), theirs: F.document(7), mine: F.document(2))
        #expect(outcome.written == expected.merged && outcome.conflicts == expected.conflicts)
        store.close()
        let (_, document) = try DocumentStore.open(path, now: now, keys: try F.unlock(path, "alee", "amber lantern"))
        #expect(document == expected.merged)
    }

    @Test func encryptingAPlainStoreKeepsEveryLaterSaveAndBackupEncrypted() throws {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: F.document(0), now: now)
        #expect(!store.isEncrypted)
        #expect(!F.plaintext(in: try #require(FileManager.default.contents(atPath: path))).isEmpty)
        let keys = try DocumentKeys.create(login: "alee", passphrase: "amber lantern", kdf: F.fast)
        try store.encrypt(F.document(0), keys: keys, now: now)
        #expect(store.isEncrypted)
        #expect(Backups(documentPath: path).list().isEmpty, "encrypt itself backs up nothing in the clear")
        for step in 1...3 {
            // The first save backs up (the encrypted file), and so does the one ten minutes later.
            try store.save(F.document(step), now: now.addingTimeInterval(Double(step - 1) * 601))
            let bytes = try #require(FileManager.default.contents(atPath: path))
            #expect(F.startsWithMagic(bytes), "save \(step) was written in the clear")
        }
        store.close()
        #expect(Backups(documentPath: path).list().count == 3)
        #expect(F.filesWithPlaintext(under: folder.path).isEmpty)
        #expect(throws: StoreError.needsPassphrase(path: path)) { try DocumentStore.open(path, now: now) }
        let (_, document) = try DocumentStore.open(path, now: now, keys: try F.unlock(path, "alee", "amber lantern"))
        #expect(document == F.document(3))
    }
}

#if os(Linux)
/// In the file-size-limit suite: the limit is process-wide, so these tests must not overlap.
extension AtomicFileTests {
    /// As `exceedingTheFileSizeLimitIsACleanWriteFailureAndKeepsTheOriginal`, for an encrypted document's save.
    @Test func anEncryptedSaveOnAFullDiskFailsClearlyAndKeepsTheLastEncryptedVersion() throws {
        FileSizeLimit.lock.lock()
        defer { FileSizeLimit.lock.unlock() }
        typealias F = EncryptedFixture
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let (store, _) = try F.create(path)
        try store.save(F.document(1), now: F.now)
        let before = FileSnapshot(path)

        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        let savedLimit = limit
        limit.rlim_cur = min(limit.rlim_cur, 16 << 20)
        // A note long enough that the sealed file passes the limit, made before the limit is set: the limit is the
        // whole process's, so it is kept as short as the save.
        let long = String(repeating: F.noteSentence + " ", count: Int(limit.rlim_cur) / F.noteSentence.utf8.count + 1000)
        let big = F.document(2, narrative: long)
        let oldHandler = signal(SIGXFSZ, SIG_IGN)
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        let failure: Error?
        do {
            try store.save(big, now: F.now.addingTimeInterval(5))
            failure = nil
        } catch {
            failure = error
        }
        var restore = savedLimit
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &restore)
        signal(SIGXFSZ, oldHandler)

        #expect(failure as? StoreError == .writeFailed(path: path, reason: "the file is too large for this system's limit"))
        #expect((failure as? StoreError)?.description.hasSuffix("could not save: the file is too large for this system's limit; the file on disk is unchanged") == true)
        #expect(FileSnapshot(path) == before)
        #expect(AtomicFile.leftoverTempFiles(for: path).isEmpty)
        #expect(F.filesWithPlaintext(under: folder.path).isEmpty)
        store.close()
        let (_, document) = try DocumentStore.open(path, now: F.now, keys: try F.unlock(path, "alee", "amber lantern"))
        #expect(document == F.document(1))
    }
}
#endif

/// The windowed reader the store opens encrypted files with: a body longer than one window of chunks.
@Suite struct EncryptedFileReaderTests {
    let folder = ScratchFolder()

    /// 40.5 MiB of varied bytes: 41 chunks, three windows of 16, the last chunk half full.
    static let long: [UInt8] = (0..<(EncryptedDocument.chunkSize * 81 / 2)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ $0 >> 11) }

    func write(_ bytes: [UInt8]) throws -> String {
        let path = folder.file("long.bin")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    func sealed() throws -> (bytes: [UInt8], keys: DocumentKeys) {
        let keys = try DocumentKeys.create(login: "alee", passphrase: "amber lantern", kdf: EncryptedFixture.fast)
        return (try EncryptedDocument.seal(plaintext: Self.long, header: keys.header, documentKey: keys.documentKey), keys)
    }

    func error(_ path: String, _ keys: DocumentKeys) -> StoreError? {
        do throws(StoreError) {
            _ = try EncryptedFile.readDecrypting(path, keys: keys, adopt: false)
            return nil
        } catch {
            return error
        }
    }

    @Test func aBodyOfSeveralWindowsOpensWholeAndItsHashIsTheFiles() throws {
        let (bytes, keys) = try sealed()
        let path = try write(bytes)
        let opened = try EncryptedFile.readDecrypting(path, keys: keys, adopt: false)
        #expect(opened.plain.count == Self.long.count)
        #expect(Array(UnsafeBufferPointer(start: opened.plain.base, count: opened.plain.count)) == Self.long)
        #expect(opened.sha256 == FileFingerprint.hexDigest(Data(bytes)))
        #expect(Int(opened.status.st_size) == bytes.count)
    }

    @Test func aChangedByteInAnyWindowACutAtAChunkBoundaryOrExtraBytesAreRefused() throws {
        let (bytes, keys) = try sealed()
        let chunks = try EncryptedDocument.parseHeader(bytes).1 + 32
        let full = EncryptedDocument.chunkSize + 16
        // One byte in the first, second and third window, and in the last chunk's tag.
        for index in [chunks + 5, chunks + 17 * full + 3, chunks + 40 * full + 1, bytes.count - 1] {
            var changed = bytes
            changed[index] ^= 0x20
            #expect(error(try write(changed), keys) == .encryption(path: folder.file("long.bin"), .damaged), "byte \(index)")
        }
        // Cut after 32 whole chunks (the end of the second window): each opens, but none is flagged last.
        let cut = Array(bytes.prefix(chunks + 32 * full))
        #expect(error(try write(cut), keys) == .encryption(path: folder.file("long.bin"), .truncated(part: "sealed document (its last chunk is missing)")))
        #expect(error(try write(bytes + [0, 0]), keys) == .encryption(path: folder.file("long.bin"), .damaged))
        #expect(error(try write(Array(bytes.prefix(chunks + 10))), keys) == .encryption(path: folder.file("long.bin"), .truncated(part: "sealed document")))
    }
}
