import CaseloadCore
import CaseloadDemo
import Crypto
import Foundation
import Testing
@testable import CaseloadStore
#if canImport(Glibc)
import Glibc
#endif

/// The audit trail as the app writes it (issue 17): through `DocumentStore` and `AuditLog`, on real files, checked
/// against the seal the document recorded at its last save.
@Suite("AuditLog", .serialized)
struct AuditLogTests {
    static let t0 = Date(timeIntervalSince1970: 1_796_000_000)
    static let drill = Operator(login: "drill", identity: .account)
    static let fast = EncryptedDocument.KDFParameters(n: 1 << 10, r: 8, p: 1)

    /// A new plain drill document in `folder`, and the log its store writes through.
    func plain(_ folder: ScratchFolder) throws -> (path: String, store: DocumentStore, log: AuditLog) {
        let path = folder.file("doc.json")
        let store = try DocumentStore.create(path, with: DrillDocument.state(1), now: Self.t0)
        let log = try #require(store.openAuditLog(as: Self.drill))
        return (path, store, log)
    }

    /// `n` distinct events: a record opened, then edits naming patient n.
    func events(_ n: Int, from: Int = 1) -> [AuditEvent] {
        (from..<(from + n)).map { i in
            i % 3 == 1 ? AuditEvent(AuditAction.recordOpen, ["patient:pat_\(i)"])
                : AuditEvent(AuditAction.edit, ["patient:pat_\(i)", "field:phone"])
        }
    }

    @Test func aDocumentFromBeforeTrailsRecordsItsKeysBeforeAnyEntryIsWritten() throws {
        let folder = ScratchFolder()
        let path = folder.write("old.json", DocumentCodec.encode(DrillDocument.state(1), audit: nil))
        let (store, document) = try DocumentStore.open(path, now: Self.t0)
        defer { store.close() }
        #expect(store.auditSealNeedsSaving)
        let log = try #require(store.openAuditLog(as: Self.drill))
        log.record(events(2), at: Self.t0)
        // The first save writes the keys and no entry: entries written first would be under keys the file never held.
        try store.save(document, now: Self.t0)
        #expect(!store.auditSealNeedsSaving)
        let first = try savedSeal(path)
        #expect(first.count == 0)
        #expect(trail(path).isEmpty)
        #expect(log.pendingCount == 2)
        // From then on entries go with saves, under the keys the file records.
        try store.save(document, now: Self.t0.addingTimeInterval(1))
        let second = try savedSeal(path)
        #expect(second.keys == first.keys)
        #expect(second.count == 2)
        #expect(problem(trail(path), second) == nil)
    }

    @Test func aReaderOfADocumentWithoutKeysWritesNoTrail() throws {
        let folder = ScratchFolder()
        let path = folder.write("old.json", DocumentCodec.encode(DrillDocument.state(1), audit: nil))
        let (store, _) = try DocumentStore.open(path, readOnly: true, now: Self.t0)
        defer { store.close() }
        #expect(store.openAuditLog(as: Self.drill) == nil)
    }

    func trail(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path + ".audit") ?? Data()) }

    func writeTrail(_ path: String, _ bytes: [UInt8]) {
        #expect(FileManager.default.createFile(atPath: path + ".audit", contents: Data(bytes)))
    }

    /// The seal in the document on disk (a plain document).
    func savedSeal(_ path: String) throws -> AuditSeal {
        let bytes = try #require(FileManager.default.contents(atPath: path))
        return try #require(try DocumentCodec.decode(bytes, path: path).audit)
    }

    /// The byte ranges of the trail's lines (each with its line end).
    func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = [], start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            out.append(start..<(i + 1))
            start = i + 1
        }
        return out
    }

    func problem(_ bytes: [UInt8], _ seal: AuditSeal, encrypted: Bool = false) -> AuditProblem? {
        do throws(AuditProblem) {
            _ = try AuditTrail.verify(bytes, seal: seal, encrypted: encrypted)
            return nil
        } catch {
            return error
        }
    }

    /// The line a problem names.
    func line(of problem: AuditProblem?) -> Int? {
        switch problem {
        case .changed(let line)?, .malformed(let line, _)?, .outOfSequence(let line, _, _)?, .torn(let line)?: return line
        default: return nil
        }
    }

    /// Twelve entries written by three saves of four.
    func twelve(_ folder: ScratchFolder) throws -> (path: String, store: DocumentStore, log: AuditLog, seal: AuditSeal) {
        let (path, store, log) = try plain(folder)
        for save in 0..<3 {
            log.record(events(4, from: save * 4 + 1), at: Self.t0.addingTimeInterval(Double(save * 60)))
            try store.save(DrillDocument.state(save + 2), now: Self.t0.addingTimeInterval(Double(save * 60)))
        }
        return (path, store, log, try savedSeal(path))
    }

    // MARK: Appending

    @Test func eachSaveAppendsTheWaitingEntriesAndTheDocumentRecordsTheirCountAndLastHMAC() throws {
        let folder = ScratchFolder()
        let (path, store, log) = try plain(folder)
        var written: [AuditEvent] = []
        for (save, count) in [2, 3, 1].enumerated() {
            let batch = events(count, from: written.count + 1)
            log.record(batch, at: Self.t0.addingTimeInterval(Double(save)))
            written += batch
            try store.save(DrillDocument.state(save + 2), now: Self.t0.addingTimeInterval(Double(save)))
            #expect(log.pendingCount == 0)
            let seal = try savedSeal(path)
            #expect(seal.count == written.count)
            let verified = try AuditTrail.verify(trail(path), seal: seal, encrypted: false)
            #expect(verified.lastMAC == seal.last)
            #expect(verified.entries.map { AuditEvent($0.action, $0.ids) } == written)
            #expect(verified.entries.map(\.sequence) == Array(1...written.count))
            #expect(verified.entries.allSatisfy { $0.who == "drill" && $0.identity == .account })
        }
        #expect(lines(trail(path)).count == 6)
    }

    @Test func aReopenedDocumentContinuesTheChain() throws {
        let folder = ScratchFolder()
        let (path, store, log) = try plain(folder)
        log.record(events(3), at: Self.t0)
        try store.save(DrillDocument.state(2), now: Self.t0)
        store.close()

        let (again, _) = try DocumentStore.open(path, now: Self.t0.addingTimeInterval(60))
        let next = try #require(again.openAuditLog(as: Operator(login: "mbell", identity: .account)))
        next.record(events(2, from: 4), at: Self.t0.addingTimeInterval(60))
        try again.save(DrillDocument.state(3), now: Self.t0.addingTimeInterval(60))
        let verified = try AuditTrail.verify(trail(path), seal: try savedSeal(path), encrypted: false)
        #expect(verified.entries.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(verified.entries.map(\.who) == ["drill", "drill", "drill", "mbell", "mbell"])
        again.close()
    }

    @Test func aReaderBesideTheWriterAppendingInTurnExtendsOneChain() throws {
        let folder = ScratchFolder()
        let (path, store, log) = try plain(folder)
        // A second instance that opened the document read-only: its own log on the same trail.
        let reader = AuditLog(documentPath: store.resolvedPath, seal: try #require(store.audit), encrypted: false, who: "viewer", identity: .unmapped)
        for round in 0..<5 {
            log.record(AuditEvent(AuditAction.edit, ["patient:pat_\(round)", "field:phone"]), at: Self.t0)
            try log.flush()
            reader.record(AuditEvent(AuditAction.recordOpen, ["patient:pat_\(round)"]), at: Self.t0)
            try reader.flush()
        }
        try store.save(DrillDocument.state(2), now: Self.t0)
        let verified = try AuditTrail.verify(trail(path), seal: try savedSeal(path), encrypted: false)
        #expect(verified.entries.count == 10)
        #expect(verified.entries.map(\.who) == Array(repeating: ["drill", "viewer"], count: 5).flatMap { $0 })
        #expect(!verified.entries.contains { $0.action == AuditAction.gap || $0.action == AuditAction.tornTail })
        #expect(log.takeNotices().isEmpty && reader.takeNotices().isEmpty)
    }

    // MARK: Tampering, through the files and the document's seal

    @Test func changingOneCharacterOfAnyEntryNamesThatEntry() throws {
        let folder = ScratchFolder()
        let (path, _, _, seal) = try twelve(folder)
        let bytes = trail(path)
        #expect(problem(bytes, seal) == nil)
        for (index, range) in lines(bytes).enumerated() {
            for offset in range.dropLast() {
                var changed = bytes
                changed[offset] = changed[offset] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
                let found = problem(changed, seal)
                #expect(line(of: found) == index + 1, "entry \(index + 1), byte \(offset - range.lowerBound): \(String(describing: found))")
            }
            // And as the app reads it back from the file: the entries before it, then the problem.
            var changed = bytes
            changed[range.lowerBound + 5] ^= 0x01
            writeTrail(path, changed)
            let read = try AuditLog.read(documentPath: path, seal: seal, encrypted: false)
            #expect(read.entries.count == index)
            #expect(line(of: read.problem) == index + 1)
        }
    }

    @Test func aDeletedEntryAndTwoSwappedAreNamed() throws {
        let folder = ScratchFolder()
        let (path, _, _, seal) = try twelve(folder)
        let bytes = trail(path)
        let ranges = lines(bytes)
        var deleted = bytes
        deleted.removeSubrange(ranges[4])
        writeTrail(path, deleted)
        #expect(try AuditLog.read(documentPath: path, seal: seal, encrypted: false).problem == .outOfSequence(line: 5, expected: 5, found: 6))
        let swapped = Array(bytes[..<ranges[5].lowerBound]) + Array(bytes[ranges[6]]) + Array(bytes[ranges[5]]) + Array(bytes[ranges[7].lowerBound...])
        writeTrail(path, swapped)
        #expect(try AuditLog.read(documentPath: path, seal: seal, encrypted: false).problem == .outOfSequence(line: 6, expected: 6, found: 7))
    }

    @Test func cuttingTheLastTenIsCaughtByTheDocumentsCount() throws {
        let folder = ScratchFolder()
        let (path, _, _, seal) = try twelve(folder)
        let bytes = trail(path)
        #expect(seal.count == 12)
        let cut = Array(bytes[..<lines(bytes)[1].upperBound])
        writeTrail(path, cut)
        let read = try AuditLog.read(documentPath: path, seal: seal, encrypted: false)
        #expect(read.entries.count == 2)
        #expect(read.problem == .truncated(found: 2, expected: 12))
        // No trail at all, where the document recorded twelve.
        try FileManager.default.removeItem(atPath: path + ".audit")
        #expect(try AuditLog.read(documentPath: path, seal: seal, encrypted: false).problem == .truncated(found: 0, expected: 12))
    }

    @Test func aTornLastLineIsReportedThenCutOffAndRecordedByTheNextFlush() throws {
        let folder = ScratchFolder()
        let (path, store, log, seal) = try twelve(folder)
        // A crash mid-append: half of the thirteenth line, never recorded by the document.
        let whole = trail(path)
        let partial = Array("13\t2026-11-30T00:00:00Z\tdrill\taccount\tedit\tpatient:pat_9".utf8)
        writeTrail(path, whole + partial)
        #expect(problem(trail(path), seal) == .torn(line: 13))
        log.record(AuditEvent(AuditAction.recordOpen, ["patient:pat_1"]), at: Self.t0.addingTimeInterval(600))
        try store.save(DrillDocument.state(9), now: Self.t0.addingTimeInterval(600))
        let after = trail(path)
        #expect(Array(after.prefix(whole.count)) == whole, "the whole entries before the torn line are untouched")
        let verified = try AuditTrail.verify(after, seal: try savedSeal(path), encrypted: false)
        #expect(verified.entries.count == 14)
        #expect(verified.entries[12].action == AuditAction.tornTail)
        #expect(verified.entries[12].ids == ["line:13", "bytes:\(partial.count)"])
        #expect(verified.entries[13].action == AuditAction.recordOpen)
        #expect(log.takeNotices().contains { $0.contains("cut off by a crash") })
    }

    @Test func aTrailShorterThanTheDocumentRecordedGetsAGapEntry() throws {
        let folder = ScratchFolder()
        let (path, store, log, _) = try twelve(folder)
        let bytes = trail(path)
        writeTrail(path, Array(bytes[..<lines(bytes)[8].upperBound]))
        log.record(AuditEvent(AuditAction.recordOpen, ["patient:pat_1"]), at: Self.t0.addingTimeInterval(600))
        try store.save(DrillDocument.state(9), now: Self.t0.addingTimeInterval(600))
        let verified = try AuditTrail.verify(trail(path), seal: try savedSeal(path), encrypted: false)
        #expect(verified.entries.count == 11)
        #expect(verified.entries[9].action == AuditAction.gap)
        #expect(verified.entries[9].ids == ["expected:12", "found:9"])
        #expect(verified.entries[10].action == AuditAction.recordOpen)
        #expect(log.takeNotices().contains { $0.contains("holds 9 entries where the document recorded 12") })
    }

    // MARK: Encrypted documents

    func encrypted(_ folder: ScratchFolder, logins: [String] = ["alee"]) throws -> (path: String, store: DocumentStore, log: AuditLog, keys: DocumentKeys) {
        let path = folder.file("secret.json")
        let keys = try DocumentKeys.create(login: logins[0], passphrase: "\(logins[0]) passphrase", kdf: Self.fast)
        let store = try DocumentStore.create(path, with: DrillDocument.state(1), now: Self.t0, keys: keys)
        for login in logins.dropFirst() {
            try store.addKeySlot(DrillDocument.state(1), login: login, passphrase: "\(login) passphrase", now: Self.t0)
        }
        let log = try #require(store.openAuditLog(as: Operator(login: logins[0], identity: .slot)))
        return (path, store, log, keys)
    }

    /// The seal inside an encrypted document on disk, opened with `login`'s passphrase.
    func sealedSeal(_ path: String, login: String = "alee") throws -> AuditSeal {
        let header = try #require(try EncryptedFile.header(atPath: path))
        let keys = try DocumentKeys.unlock(header: header, login: login, passphrase: "\(login) passphrase")
        let (store, _) = try DocumentStore.open(path, readOnly: true, keys: keys)
        return try #require(store.audit)
    }

    @Test func anEncryptedDocumentsTrailHoldsNoPlainEntryTextAndVerifiesWithItsSeal() throws {
        let folder = ScratchFolder()
        let (path, store, log, _) = try encrypted(folder)
        log.record(events(6), at: Self.t0)
        log.record(AuditEvent(AuditAction.sign, ["session:ses_1", "patient:pat_1", "note:pat_1"]), at: Self.t0)
        try store.save(DrillDocument.state(2), now: Self.t0)
        let bytes = trail(path)
        #expect(lines(bytes).count == 7)
        let text = String(decoding: bytes, as: UTF8.self)
        for plain in ["patient:", "pat_", "session:", "field:", "alee", "slot", AuditAction.recordOpen, AuditAction.edit, AuditAction.sign, "2026-"] {
            #expect(!text.contains(plain), "the trail shows \(plain)")
        }
        let seal = try sealedSeal(path)
        let verified = try AuditTrail.verify(bytes, seal: seal, encrypted: true)
        #expect(verified.entries.count == 7 && verified.entries.allSatisfy { $0.who == "alee" && $0.identity == .slot })
        #expect(verified.entries[6].ids == ["session:ses_1", "patient:pat_1", "note:pat_1"])
        #expect(problem(bytes, seal, encrypted: false) != nil, "read as plain lines it does not verify")
        // A sealed line changed by one character names its entry.
        var changed = bytes
        changed[lines(bytes)[3].lowerBound + 10] ^= 0x01
        #expect(line(of: problem(changed, seal, encrypted: true)) == 4)
    }

    @Test func afterASlotIsRemovedLaterEntriesVerifyOnlyUnderTheNewKey() throws {
        let folder = ScratchFolder()
        let (path, store, log, _) = try encrypted(folder, logins: ["alee", "bkim"])
        log.record(events(3), at: Self.t0)
        try store.save(DrillDocument.state(2), now: Self.t0)
        let before = try sealedSeal(path)
        #expect(before.keys.count == 1 && before.count == 3)
        try store.removeKeySlot(DrillDocument.state(2), login: "bkim", now: Self.t0.addingTimeInterval(60))
        log.record(events(2, from: 4), at: Self.t0.addingTimeInterval(120))
        try store.save(DrillDocument.state(3), now: Self.t0.addingTimeInterval(120))
        let seal = try sealedSeal(path)
        #expect(seal.keys.count == 2)
        #expect(seal.keys[0] == before.keys[0])
        #expect(seal.keys[1].from == 4 && seal.keys[1].key != before.keys[0].key)
        let bytes = trail(path)
        #expect(try AuditTrail.verify(bytes, seal: seal, encrypted: true).entries.count == 5)

        // The removed person knew only the old key: under it alone the entries after the removal do not open.
        let old = SymmetricKey(data: before.keys[0].key)
        do throws(AuditProblem) {
            _ = try AuditTrail.verify(bytes, keys: AuditTrail.TrailKeys(old), encrypted: true, expected: nil)
            Issue.record("the later entries verified under the removed person's key")
        } catch {
            #expect(error == .changed(line: 4))
        }
        // Nor do entries they forge under it, chained onto the last one they saw.
        let forged = try AuditTrail.write(
            [AuditRecord(at: Self.t0.addingTimeInterval(200), who: "alee", identity: .slot, event: AuditEvent(AuditAction.decrypt))],
            seal: AuditSeal(count: 3, last: before.last, keys: [before.keys[0]]), encrypted: true)
        let kept = Array(bytes[..<lines(bytes)[2].upperBound])
        #expect(line(of: problem(kept + forged.bytes, AuditSeal(count: 4, last: forged.seal.last, keys: seal.keys), encrypted: true)) == 4)
    }

    // MARK: Refusals and a full disk

    #if os(Linux)
    /// A 16 MiB file-size limit (as AtomicFileTests use: far above what other tests write meanwhile) and a trail that
    /// already ends past it — its first 16 MiB a hole — so that appending fails with EFBIG, as on a full disk.
    @Test func aFullDiskLeavesTheTrailUnchangedTheEntriesWaitingAndTheSaveGoesOnWithAWarning() throws {
        FileSizeLimit.lock.lock()
        defer { FileSizeLimit.lock.unlock() }
        let folder = ScratchFolder()
        let path = folder.file("doc.json")
        let limitBytes = 16 << 20
        let start = try AuditTrail.write(events(2).map { AuditRecord(at: Self.t0, who: "drill", identity: .account, event: $0) },
                                         seal: .fresh(), encrypted: false)
        let fd = open(path + ".audit", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        #expect(lseek(fd, off_t(limitBytes), SEEK_SET) == off_t(limitBytes))
        let tail = [UInt8(ascii: "\n")] + start.bytes
        #expect(tail.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == tail.count)
        close(fd)
        let store = try DocumentStore.create(path, with: DrillDocument.state(1), now: Self.t0, audit: start.seal)
        let log = try #require(store.openAuditLog(as: Self.drill))
        let before = FileSnapshot(path + ".audit")

        let oldHandler = signal(SIGXFSZ, SIG_IGN)
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        let saved = limit
        limit.rlim_cur = min(limit.rlim_cur, rlim_t(limitBytes))
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        log.record(events(3, from: 3), at: Self.t0)
        var saveError: StoreError?
        do { try store.save(DrillDocument.state(2), now: Self.t0) } catch { saveError = error }
        var restore = saved
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &restore)
        signal(SIGXFSZ, oldHandler)

        #expect(saveError == nil, "the document's save goes on")
        #expect(store.lastAuditWarning?.contains("append to the audit trail") == true, "\(store.lastAuditWarning ?? "no warning")")
        #expect(FileSnapshot(path + ".audit").bytes == before.bytes, "nothing half-written stays in the trail")
        #expect(log.pendingCount == 3)
        #expect(try savedSeal(path).count == 2, "the document records only what the trail holds")
        #expect(try DocumentCodec.decode(try #require(FileManager.default.contents(atPath: path)), path: path).document.patients.count == 2)

        // With room again, the next save writes them.
        try store.save(DrillDocument.state(3), now: Self.t0)
        #expect(store.lastAuditWarning == nil)
        #expect(log.pendingCount == 0)
        let seal = try savedSeal(path)
        #expect(seal.count == 5)
        let after = trail(path)
        let appended = Array(after[(limitBytes + tail.count)...])
        #expect(lines(appended).count == 3)
        #expect(appended.starts(with: Array("3\t".utf8)))
    }
    #endif

    @Test func aSymbolicLinkInPlaceOfTheTrailIsRefusedAndItsTargetUntouched() throws {
        let folder = ScratchFolder()
        let (path, store, log) = try plain(folder)
        let elsewhere = folder.write("elsewhere.txt", "not a trail\n")
        #expect(symlink(elsewhere, path + ".audit") == 0)
        log.record(events(2), at: Self.t0)
        try store.save(DrillDocument.state(2), now: Self.t0)
        #expect(store.lastAuditWarning?.contains("symbolic link") == true, "\(store.lastAuditWarning ?? "no warning")")
        #expect(contents(elsewhere) == Data("not a trail\n".utf8))
        #expect(log.pendingCount == 2)
        #expect(try savedSeal(path).count == 0)
    }

    @Test func aTrailOwnedByAnotherAccountIsRefused() throws {
        // Only root can give a file away; as anyone else there is nothing to set up.
        guard geteuid() == 0 else { return }
        let folder = ScratchFolder()
        let (path, store, log) = try plain(folder)
        writeTrail(path, [])
        #expect(chown(path + ".audit", 4242, 4242) == 0)
        log.record(events(1), at: Self.t0)
        try store.save(DrillDocument.state(2), now: Self.t0)
        #expect(store.lastAuditWarning?.contains("belongs to another account") == true, "\(store.lastAuditWarning ?? "no warning")")
        #expect(trail(path).isEmpty)
        #expect(log.pendingCount == 1)
    }

    // MARK: A long trail, checked in pieces on every core

    /// Pieces of 8 KiB here (a megabyte in use), so that a short trail is checked in several.
    static let pieceBytes = 8_192

    /// 400 entries (some 60 KB; sealed, some 90 KB) under two keys, the second from entry 150.
    func longTrail(encrypted: Bool) throws -> (bytes: [UInt8], seal: AuditSeal, count: Int) {
        let count = 400
        let records = (1...count).map { i in
            AuditRecord(at: Self.t0.addingTimeInterval(Double(i)), who: i % 2 == 0 ? "dreyes" : "mbell", identity: .slot,
                        event: AuditEvent(AuditAction.edit, ["session:ses_\(i / 7)", "patient:pat_\(i % 97)", "field:attendance[pat_\(i % 97)].status"]))
        }
        let first = try AuditTrail.write(Array(records[..<149]), seal: .fresh(), encrypted: encrypted)
        let rest = try AuditTrail.write(Array(records[149...]), seal: first.seal.rotated(after: 149), encrypted: encrypted)
        return (first.bytes + rest.bytes, rest.seal, count)
    }

    /// The trail checked in pieces of `pieceBytes`, as `AuditTrail.readLeniently` does in a megabyte each.
    func walk(_ bytes: [UInt8], _ seal: AuditSeal, encrypted: Bool) -> (entries: [AuditEntry], last: [UInt8], problem: AuditProblem?) {
        AuditTrail.walk(bytes, keys: AuditTrail.TrailKeys(seal), encrypted: encrypted, expected: (seal.count, seal.last), pieceBytes: Self.pieceBytes)
    }

    @Test(arguments: [false, true])
    func aTrailCheckedInPiecesFindsWhatOnePassWould(encrypted: Bool) throws {
        let (bytes, seal, count) = try longTrail(encrypted: encrypted)
        let bounds = bytes.withUnsafeBufferPointer { AuditTrail.pieceBounds($0, pieceBytes: Self.pieceBytes) }
        #expect(bounds.count >= 4, "\(bytes.count) bytes in \(bounds.count) piece(s)")
        let whole = walk(bytes, seal, encrypted: encrypted)
        #expect(whole.problem == nil)
        #expect(whole.entries.map(\.sequence) == Array(1...count))
        #expect(whole.last == seal.last)
        #expect(whole.entries == (try AuditTrail.verify(bytes, seal: seal, encrypted: encrypted).entries), "one piece reads the same")
        let ranges = lines(bytes)
        // The first line of every piece but the first, the last line of every piece, and one in the middle of each.
        let starts = bounds.dropFirst().map { bound in (ranges.firstIndex { $0.lowerBound == bound.lowerBound } ?? -1) + 1 }
        #expect(!starts.contains(0))
        let middles = bounds.map { bound in (ranges.firstIndex { $0.lowerBound >= bound.lowerBound + bound.count / 2 } ?? -1) + 1 }
        for line in starts + starts.map({ $0 - 1 }) + middles + [count] {
            var changed = bytes
            changed[ranges[line - 1].lowerBound + 8] ^= 0x01
            let read = walk(changed, seal, encrypted: encrypted)
            #expect(self.line(of: read.problem) == line, "a character changed in entry \(line)")
            #expect(read.entries.count == line - 1)
        }
        // A line removed at the start of a piece, a torn end, the document's seal naming the entry that starts a piece.
        let boundary = try #require(starts.first)
        var removed = bytes
        removed.removeSubrange(ranges[boundary - 1])
        #expect(walk(removed, seal, encrypted: encrypted).problem == .outOfSequence(line: boundary, expected: boundary, found: boundary + 1))
        #expect(walk(Array(bytes.dropLast(3)), seal, encrypted: encrypted).problem == .torn(line: count))
        let mac = whole.entries.isEmpty ? [] : try macOf(bytes, line: boundary, seal: seal, encrypted: encrypted)
        let atBoundary = AuditSeal(count: boundary, last: mac, keys: seal.keys)
        #expect(walk(bytes, atBoundary, encrypted: encrypted).problem == nil)
        var wrong = atBoundary
        wrong.last = AuditTrail.origin
        #expect(walk(bytes, wrong, encrypted: encrypted).problem == .changed(line: boundary))
    }

    /// The HMAC of entry `line`: the last HMAC of the trail cut after it.
    func macOf(_ bytes: [UInt8], line: Int, seal: AuditSeal, encrypted: Bool) throws -> [UInt8] {
        let cut = Array(bytes[..<lines(bytes)[line - 1].upperBound])
        return try AuditTrail.verify(cut, seal: AuditSeal(count: 0, last: AuditTrail.origin, keys: seal.keys), encrypted: encrypted).lastMAC
    }
}

extension AuditSeal {
    /// A fixed seal for tests that compare a saved file's bytes: written into the file first, a save writes it back
    /// unchanged (no entries were made), so the rest of the file can be compared byte for byte.
    static let testSeal = AuditSeal(count: 0, last: AuditTrail.origin, keys: [Key(from: 1, key: [UInt8](repeating: 0x5A, count: 32))])
}
