import CaseloadCore
import CaseloadDemo
import CaseloadStore
import Foundation
import Testing

/// Saving under hostile conditions: killed mid-save, a full disk, a second process, a loose umask.
@Suite(.serialized) struct CrashSafetyTests {
    let scratch = Scratch()

    /// Step numbers the child logged as completely saved.
    func loggedSteps(_ log: String) -> [Int] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int($0) }
    }

    @Test func killedAtRandomMomentsTheFileIsAlwaysOneCompleteSavedState() throws {
        // Killed drills must make progress between kills: not while another suite's drills take every core.
        DrillTurns.lock.lock()
        defer { DrillTurns.lock.unlock() }
        let path = scratch.file("drill.json")
        let log = scratch.file("saves.log")
        var rng = SystemRandomNumberGenerator()
        var kills = 0
        var lastSaved = 0
        var audit = AuditCrashCheck(documentPath: path, encrypted: false)
        // Evidence that kills landed mid-save: each one leaves a temp file, which the next run quarantines.
        let quarantine = Backups(documentPath: path).quarantineFolder
        func interruptedSaves() -> Int {
            let quarantined = (try? FileManager.default.contentsOfDirectory(atPath: quarantine).count) ?? 0
            return quarantined + AtomicFile.leftoverTempFiles(for: path).count
        }
        // At least 200 kills; on a loaded machine more of them land outside a save, so go on (up to 800) until one lands inside.
        while kills < 200 || (interruptedSaves() == 0 && kills < 800) {
            let child = try CaseloadBinary.start(["autosave-drill", "--file", path, "--log", log, "--delay-ms", "1"])
            usleep(UInt32.random(in: 15_000...90_000, using: &rng))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            kills += 1
            guard FileManager.default.fileExists(atPath: path) else { continue }   // killed before the first create
            let bytes = try #require(FileManager.default.contents(atPath: path))
            #expect(!bytes.isEmpty, "kill \(kills): the document is empty")
            let decoded: DecodedDocument
            do {
                decoded = try DocumentCodec.decode(bytes, path: path)
            } catch {
                Issue.record("kill \(kills): the document does not open: \(error)")
                return
            }
            let step = decoded.document.patients.count
            // Exactly the bytes of a state that was saved whole (with the trail's seal it recorded): never a mix of two.
            #expect(bytes == DocumentCodec.encode(DrillDocument.state(step), audit: decoded.audit), "kill \(kills): file is not exactly state \(step)")
            audit.check(seal: decoded.audit, "kill \(kills)")
            if kills % 8 == 0 { audit.tearLastLineIfAhead(seal: decoded.audit, "kill \(kills)") }
            // Never older than a save the child finished; at most the one it was writing when killed.
            let logged = loggedSteps(log).max() ?? 0
            #expect(step >= logged, "kill \(kills): file holds step \(step) but step \(logged) was saved")
            #expect(step >= lastSaved, "kill \(kills): the document went back from \(lastSaved) to \(step)")
            lastSaved = step
        }
        #expect(kills >= 200)
        #expect(interruptedSaves() > 0, "no kill of \(kills) interrupted a save, so the test proved nothing")
        #expect(lastSaved > 50, "the drill made progress across restarts (reached step \(lastSaved))")
        // A run that ends cleanly appends what waits (cutting off and recording a torn line): the whole chain verifies.
        let last = try CaseloadBinary.run(["autosave-drill", "--file", path, "--log", log, "--steps", "\(lastSaved + 3)"])
        #expect(last.status == 0, "\(last.stderr)")
        let finalBytes = try #require(FileManager.default.contents(atPath: path))
        let final = try DocumentCodec.decode(finalBytes, path: path)
        audit.checkFinal(seal: final.audit)
        print("crash drill: \(kills) kills, \(interruptedSaves()) interrupted saves, step \(lastSaved); audit trail: \(audit.tornSeen) last lines torn by the test, \(audit.lostRecords) of them cut off without a record, \(audit.aheadOfTheDocument) kills left entries the document had not recorded yet")
    }

    @Test func aFullDiskFailsTheSaveClearlyAndLeavesTheOriginal() throws {
        let path = scratch.file("doc.json")
        let first = try CaseloadBinary.run(["autosave-drill", "--file", path, "--log", scratch.file("log"), "--steps", "2"])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try #require(FileManager.default.contents(atPath: path))
        #expect(before.count < 16 * 1024)
        // A 16 KiB file-size limit with SIGXFSZ ignored: write(2) fails with EFBIG, as on a full disk.
        let result = try CaseloadBinary.run(
            ["demo", "--out", path, "--force"],
            wrapper: ["/bin/bash", "-c", "ulimit -f 16; trap '' XFSZ; exec \"$0\" \"$@\""]
        )
        #expect(result.status != 0)
        #expect(result.stderr.contains("could not save") || result.stderr.contains("too large") || result.stderr.contains("disk"), "\(result.stderr)")
        #expect(FileManager.default.contents(atPath: path) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "no half-written temp file is left behind: \(leftovers)")
    }

    // MARK: - Encrypted drill documents (issue 16)

    static let drillPassphrase = "drill passphrase with spaces"
    /// Strings every drill state's JSON holds (staff, program, and the MRNs' prefix): none may reach a disk.
    static let drillMarkers = ["Drill Counselor", "Drill IOP", "DR-10"]

    /// A passphrase file only its owner can read, as the app's own reader will insist.
    func passphraseFile() throws -> String {
        let path = scratch.file("passphrase")
        #expect(FileManager.default.createFile(atPath: path, contents: Data((Self.drillPassphrase + "\n").utf8), attributes: [.posixPermissions: 0o600]))
        return path
    }

    /// The drill document's plaintext, opened with the passphrase as a person would; records why when it does not open.
    func openDrill(_ bytes: Data, _ context: String) -> Data? {
        #expect(bytes.prefix(8) == Data("CLDCRYPT".utf8), "\(context): the document is not encrypted")
        do {
            return Data(try EncryptedDocument.open(Array(bytes), login: "drill", passphrase: Self.drillPassphrase).plaintext)
        } catch {
            Issue.record("\(context): the encrypted document does not open: \(error)")
            return nil
        }
    }

    /// Files under the scratch folder (backups and quarantine included) not scanned yet in their current state, each
    /// scanned for the drill's plaintext; returns "name: marker" for each hit.
    func scanForPlaintext(_ seen: inout Set<String>) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: scratch.path) else { return ["cannot list \(scratch.path)"] }
        var hits: [String] = []
        for case let relative as String in walker {
            let path = scratch.file(relative)
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let key = "\(relative) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
            guard seen.insert(key).inserted, let bytes = FileManager.default.contents(atPath: path) else { continue }
            for marker in Self.drillMarkers where bytes.range(of: Data(marker.utf8)) != nil {
                hits.append("\(relative): \(marker)")
            }
            // A save's temp file is a sealed file cut short: it starts with (a prefix of) the magic bytes.
            if relative.contains(".tmp-") {
                let magic = Data("CLDCRYPT".utf8)
                if bytes.prefix(8) != magic.prefix(bytes.count) { hits.append("\(relative): an interrupted save that does not start sealed") }
            }
        }
        return hits
    }

    @Test func killedAtRandomMomentsTheEncryptedFileOpensWhenItShouldAndNoPlaintextIsLeft() throws {
        // Killed drills must make progress between kills: not while another suite's drills take every core.
        DrillTurns.lock.lock()
        defer { DrillTurns.lock.unlock() }
        let path = scratch.file("drill.json")
        let log = scratch.file("saves.log")
        let passphrase = try passphraseFile()
        let started = Date()
        var rng = SystemRandomNumberGenerator()
        var kills = 0
        var lastSaved = 0
        var seen = Set<String>()
        var audit = AuditCrashCheck(documentPath: path, encrypted: true)
        let quarantine = Backups(documentPath: path).quarantineFolder
        func interruptedSaves() -> Int {
            let quarantined = (try? FileManager.default.contentsOfDirectory(atPath: quarantine).count) ?? 0
            return quarantined + AtomicFile.leftoverTempFiles(for: path).count
        }
        let drill = ["autosave-drill", "--file", path, "--log", log, "--delay-ms", "1", "--passphrase-file", passphrase, "--fast-kdf"]
        while kills < 200 || (interruptedSaves() == 0 && kills < 800) {
            let child = try CaseloadBinary.start(drill)
            usleep(UInt32.random(in: 15_000...90_000, using: &rng))
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            kills += 1
            let hits = scanForPlaintext(&seen)
            #expect(hits.isEmpty, "kill \(kills): plaintext on disk: \(hits)")
            guard FileManager.default.fileExists(atPath: path) else { continue }   // killed before the first create
            let bytes = try #require(FileManager.default.contents(atPath: path))
            guard let plaintext = openDrill(bytes, "kill \(kills)") else { return }
            let decoded: DecodedDocument
            do {
                decoded = try DocumentCodec.decode(plaintext, path: path)
            } catch {
                Issue.record("kill \(kills): the decrypted document does not decode: \(error)")
                return
            }
            let step = decoded.document.patients.count
            #expect(plaintext == DocumentCodec.encode(DrillDocument.state(step), audit: decoded.audit), "kill \(kills): not exactly state \(step)")
            audit.check(seal: decoded.audit, "kill \(kills)")
            if kills % 8 == 0 { audit.tearLastLineIfAhead(seal: decoded.audit, "kill \(kills)") }
            // The trail is sealed too: no action name or patient id in the clear.
            let trailText = String(decoding: audit.trail, as: UTF8.self)
            #expect(!trailText.contains("patient:") && !trailText.contains(AuditAction.recordOpen), "kill \(kills): the trail shows plain entries")
            let logged = loggedSteps(log).max() ?? 0
            #expect(step >= logged, "kill \(kills): file holds step \(step) but step \(logged) was saved")
            #expect(step >= lastSaved, "kill \(kills): the document went back from \(lastSaved) to \(step)")
            lastSaved = step
        }
        #expect(kills >= 200)
        #expect(interruptedSaves() > 0, "no kill of \(kills) interrupted a save, so the test proved nothing")
        #expect(lastSaved > 50, "the drill made progress across restarts (reached step \(lastSaved))")
        let last = try CaseloadBinary.run(drill + ["--steps", "\(lastSaved + 3)"])
        #expect(last.status == 0, "\(last.stderr)")
        if let plaintext = openDrill(try #require(FileManager.default.contents(atPath: path)), "after the last run") {
            audit.checkFinal(seal: try DocumentCodec.decode(plaintext, path: path).audit)
        }
        // Backups were made (one per session), and every one of them opens with the passphrase.
        let backups = Backups(documentPath: path).list()
        #expect(!backups.isEmpty)
        for backup in backups {
            if let bytes = FileManager.default.contents(atPath: backup.path) { _ = openDrill(bytes, backup.name) }
        }
        // The markers are really in a plain drill file: a scan that could not find them would prove nothing.
        let plain = try DocumentCodec.encode(DrillDocument.state(1))
        #expect(Self.drillMarkers.allSatisfy { plain.range(of: Data($0.utf8)) != nil })
        print("encrypted crash drill: \(kills) kills, \(interruptedSaves()) interrupted saves, step \(lastSaved), \(Int(Date().timeIntervalSince(started))) s; audit trail: \(audit.tornSeen) last lines torn by the test, \(audit.lostRecords) of them cut off without a record, \(audit.aheadOfTheDocument) kills left entries the document had not recorded yet")
    }

    @Test func aFullDiskFailsAnEncryptedSaveClearlyAndLeavesTheLastEncryptedVersion() throws {
        let path = scratch.file("doc.json")
        let log = scratch.file("log")
        let passphrase = try passphraseFile()
        let encrypted = ["--passphrase-file", passphrase, "--fast-kdf"]
        let first = try CaseloadBinary.run(["autosave-drill", "--file", path, "--log", log, "--steps", "2"] + encrypted)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try #require(FileManager.default.contents(atPath: path))
        #expect(before.count < 16 * 1024)
        // A 16 KiB file-size limit with SIGXFSZ ignored: write(2) fails with EFBIG, as on a full disk. The drill grows
        // by a patient per step and passes 16 KiB long before step 200.
        let result = try CaseloadBinary.run(
            ["autosave-drill", "--file", path, "--log", log, "--steps", "200", "--delay-ms", "1"] + encrypted,
            wrapper: ["/bin/bash", "-c", "ulimit -f 16; trap '' XFSZ; exec \"$0\" \"$@\""]
        )
        #expect(result.status != 0)
        #expect(result.stderr.contains("could not save: the file is too large for this system's limit; the file on disk is unchanged"), "\(result.stderr)")
        // The file is the last save that fitted, sealed, and opens with the passphrase.
        let after = try #require(FileManager.default.contents(atPath: path))
        let lastLogged = loggedSteps(log).max() ?? 0
        #expect(lastLogged > 2 && lastLogged < 200)
        if let plaintext = openDrill(after, "after the full disk") {
            #expect(plaintext == DocumentCodec.encode(DrillDocument.state(lastLogged), audit: try DocumentCodec.decode(plaintext, path: path).audit))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "no half-written temp file is left behind: \(leftovers)")
        var seen = Set<String>()
        let hits = scanForPlaintext(&seen)
        #expect(hits.isEmpty, "plaintext on disk: \(hits)")
    }

    @Test func aSecondProcessIsWritableAndALockLeftByAKilledSaveDoesNotBlock() throws {
        let path = scratch.file("doc.json")
        let log = scratch.file("log")
        // Another Caseload saving every 50 ms: the lock is held only while each save writes.
        let drill = try CaseloadBinary.start(["autosave-drill", "--file", path, "--log", log, "--delay-ms", "50"])
        defer { if drill.isRunning { kill(drill.processIdentifier, SIGKILL); drill.waitUntilExit() } }
        var waited = 0
        while loggedSteps(log).count < 3 && waited < 600 {
            usleep(50_000)
            waited += 1
        }
        let (store, _) = try DocumentStore.open(path)
        #expect(store.access == .readWrite, "a second instance is writable beside one that saves")
        kill(drill.processIdentifier, SIGKILL)
        drill.waitUntilExit()
        store.close()

        // A process that dies holding the lock (killed mid-save) leaves nothing behind that blocks: the kernel frees it.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [FileLock.lockPath(for: DocumentStore.resolvedPath(path)), "sleep", "60"]
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() } }
        waited = 0
        while !Self.lockIsHeld(path) && waited < 200 {
            usleep(50_000)
            waited += 1
        }
        #expect(Self.lockIsHeld(path), "the stand-in holds the lock")
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let (after, document) = try DocumentStore.open(path)
        #expect(after.access == .readWrite)
        #expect(throws: Never.self) { try after.save(document) }
        after.close()
    }

    /// Whether some process holds the document's lock (a try that would not wait fails).
    static func lockIsHeld(_ path: String) -> Bool {
        do {
            let lock = try FileLock.acquire(for: DocumentStore.resolvedPath(path))
            lock.release()
            return false
        } catch {
            if case .locked = error { return true }
            return false
        }
    }

    @Test func theDocumentStaysPrivateAcrossSavesWithALooseUmask() throws {
        let path = scratch.file("doc.json")
        let umask022 = ["/bin/bash", "-c", "umask 022; exec \"$0\" \"$@\""]
        let created = try CaseloadBinary.run(["demo", "--out", path], wrapper: umask022)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(fileMode(path) == 0o600)
        // The drill reopens the same file and saves it many times.
        let drillPath = scratch.file("drill.json")
        let drill = try CaseloadBinary.run(["autosave-drill", "--file", drillPath, "--log", scratch.file("log"), "--steps", "30"], wrapper: umask022)
        #expect(drill.status == 0, "\(drill.stderr)")
        #expect(fileMode(drillPath) == 0o600)
        let again = try CaseloadBinary.run(["autosave-drill", "--file", drillPath, "--log", scratch.file("log"), "--steps", "40"], wrapper: umask022)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(fileMode(drillPath) == 0o600)
        let backups = Backups(documentPath: drillPath).list()
        #expect(!backups.isEmpty)
        #expect(backups.allSatisfy { fileMode($0.path) == 0o600 })
    }
}
