// Debug builds only: it rewrites any document it is given, so it is no part of what users run (see CaseloadCommand.testDrivers).
#if DEBUG
import ArgumentParser
import CaseloadCore
import CaseloadDemo
import CaseloadStore
import CaseloadTerminal
import Foundation

/// A hidden command for the sharing soak and crash tests (issue 18): one instance of the app on a shared document,
/// driven by random edits instead of keys, through the app's own pieces (`OpenDocument`, an autosaver of
/// `DocumentDraft`s, pick-ups every second, `TakeIn` for both save outcomes and pick-ups). It logs every edit, when a
/// save confirmed it, every conflict and its resolution, so a test can check that nothing confirmed was lost.
struct ShareDrillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share-drill",
        abstract: "Edit a shared document at random as one of several instances (for the sharing tests).",
        shouldDisplay: false
    )

    @Option(name: .long, help: "The shared document (it must exist: `caseload demo` makes one).")
    var file: String

    @Option(name: .long, help: "This instance's number, 0 ..< --instances.")
    var instance: Int

    @Option(name: .long, help: "How many instances share the document: patients are dealt out among them.")
    var instances: Int = 5

    @Option(name: .long, help: "Seed for this instance's random edits.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Stop after this many seconds (a final save, then exit 0); SIGTERM stops it sooner.")
    var seconds: Double = 120

    @Option(name: .long, help: "Append a JSON line for each edit, confirmation, conflict and resolution to this file.")
    var log: String

    @Option(name: .long, help: "Milliseconds between edits.")
    var delayMs: Int = 40

    @Option(name: .customLong("run"), help: "Which start of this instance this is (a restart after a kill): it makes the values it sets unique.")
    var restart: Int = 0

    @Flag(name: .long, help: "Try the proposed mend of the stale base: a draft handed while a save ran (same base as that save's) grows from that save's snapshot.")
    var rebaseInFlight = false

    @Flag(name: .customLong("serialized-takein"), help: "Try a proposed mend of both findings: while a save's news is awaited, no draft is handed and pick-ups are let go.")
    var serializedTakeIn = false

    func validate() throws {
        guard instances >= 1, (0..<instances).contains(instance) else {
            throw ValidationError("--instance takes 0 to \(instances - 1) (one less than --instances), not \(instance)")
        }
        guard seconds > 0, delayMs >= 1, restart >= 0 else { throw ValidationError("--seconds and --delay-ms must be positive, --run 0 or more") }
    }

    func run() throws {
        TerminationSignals.install()
        let journal: DrillJournal
        do { journal = try DrillJournal(path: log, instance: instance, run: restart) } catch { throw fail("\(error)") }
        let opened: (store: DocumentStore, document: CaseloadDocument)
        do {
            opened = try DocumentStore.open(file)
        } catch {
            journal.write(DrillLine(event: "error", note: error.description))
            throw fail(error.description)
        }
        guard opened.store.access == .readWrite else {
            let reason = "cannot write \(file): \(opened.store.notices.joined(separator: "; "))"
            journal.write(DrillLine(event: "error", note: reason))
            throw fail(reason)
        }
        let person = Operator.resolve(document: opened.document, slotLogin: nil)
        let open = OpenDocument(path: file, store: opened.store, person: person)
        var generator = SeededGenerator(seed: seed, stream: "share-drill-\(instance)-\(restart)")
        let drill = ShareDrill(open: open, document: opened.document, instance: instance, instances: instances, run: restart,
                               journal: journal, rebaseInFlight: rebaseInFlight,
                               serializedTakeIn: serializedTakeIn)
        let outcome = drill.drive(until: Date().addingTimeInterval(seconds), every: Double(delayMs) / 1000, using: &generator)
        if let failure = outcome { throw fail(failure) }
    }
}

/// What one edit of the drill sets: where, to what, and whether other instances touch the same place.
struct DrillEdit {
    /// Where the value sits, as the log names it: `patient/ID/phone`, `patient/ID` (a new patient: its MRN),
    /// `session/ID/attendance/PATIENT` (an excused absence: its reason), `program/name`.
    enum Target: Hashable {
        case phone(PatientID), newPatient(PatientID), mark(SessionID, PatientID), programName

        var key: String {
            switch self {
            case .phone(let id): "patient/\(id.rawValue)/phone"
            case .newPatient(let id): "patient/\(id.rawValue)"
            case .mark(let session, let patient): "session/\(session.rawValue)/attendance/\(patient.rawValue)"
            case .programName: "program/name"
            }
        }

        /// The value at this place in `document` (nil: absent), as the edit sets it.
        func value(in document: CaseloadDocument) -> String? {
            switch self {
            case .phone(let id): return document.patient(id)?.phone
            case .newPatient(let id): return document.patient(id)?.mrn
            case .mark(let session, let patient):
                guard let status = document.session(session)?.attendance(for: patient) else { return nil }
                if case .excused(let reason) = status { return reason }
                return status.kind
            case .programName: return document.program.name
            }
        }

        /// The entity and path a merge conflict about this place names.
        func matches(_ conflict: MergeConflict) -> Bool {
            switch self {
            case .phone(let id): conflict.entity == .patient(id) && conflict.path == "phone"
            case .newPatient(let id): conflict.entity == .patient(id)
            case .mark(let session, let patient): conflict.entity == .session(session) && conflict.path.hasPrefix("attendance[\(patient.rawValue)]")
            case .programName: conflict.entity == .program && conflict.path == "name"
            }
        }
    }

    var number: Int
    var target: Target
    var value: String
    /// True for places other instances edit too (the shared patients' phones, the program's name).
    var shared: Bool
    var edit: DocumentEdit
    /// Replaced by theirs in memory on a listed conflict; a save already under way may still write it.
    var dropped = false
}

/// One line of the drill's log (the soak tests read it back, `@testable`).
struct DrillLine: Codable {
    var t = Date().timeIntervalSince1970
    var instance = 0
    var run = 0
    var event: String
    var n: Int?
    var shared: Bool?
    var target: String?
    var value: String?
    /// For a confirmation: `written` (the file holds the value) or `conflict` (the file kept theirs; listed as one).
    var how: String?
    /// For a `written` confirmation: the value the save's base held there, which this one replaced.
    var replaced: String?
    var entity: String?
    var path: String?
    var theirs: String?
    var mine: String?
    /// For a conflict: found by a save (`save`) or by taking in another instance's save (`pickup`).
    var source: String?
    var note: String?
    var counts: [String: Int]?
}

/// The log file: one JSON line per `write`, appended with a single write(2), so a kill never leaves half a line.
final class DrillJournal: @unchecked Sendable {
    private let fd: Int32
    private let instance: Int
    private let run: Int
    private let encoder: JSONEncoder

    struct OpenError: Error, CustomStringConvertible {
        var path: String
        var description: String { "cannot open the drill log \(path)" }
    }

    init(path: String, instance: Int, run: Int) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw OpenError(path: path) }
        self.instance = instance
        self.run = run
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { close(fd) }

    func write(_ line: DrillLine) {
        var line = line
        line.instance = instance
        line.run = run
        guard var data = try? encoder.encode(line) else { return }
        data.append(UInt8(ascii: "\n"))
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = Foundation.write(fd, base + offset, raw.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

/// The bases of the drafts handed to the autosaver, in the order it saves them: the save closure puts one in before
/// each save and takes it back out when the save fails, so each `.saved` news item has its base at the front.
final class HandedBases: @unchecked Sendable {
    private let lock = NSLock()
    private var bases: [CaseloadDocument?] = []
    func put(_ base: CaseloadDocument?) { lock.withLock { bases.append(base) } }
    func dropLast() { lock.withLock { _ = bases.popLast() } }
    func takeFirst() -> CaseloadDocument?? { lock.withLock { bases.isEmpty ? nil : bases.removeFirst() } }
    /// A save began whose news is not taken in yet.
    var isEmpty: Bool { lock.withLock { bases.isEmpty } }
}

/// The previous save's draft: the base it was handed with, and the snapshot it saved (only the saver's queue uses it).
final class PreviousSave: @unchecked Sendable {
    var last: (base: CaseloadDocument?, saved: CaseloadDocument)?
}

/// One instance's state, as `AppState` keeps it for sharing (document, base, conflicts), and its bookkeeping of edits.
final class ShareDrill {
    private let open: OpenDocument
    private let journal: DrillJournal
    private let saver: Autosaver<DocumentDraft>
    private let handed = HandedBases()
    private let instance: Int
    /// Makes every value and new id unique across instances and restarts: `K`, or `KrR` for restart R.
    private let tag: String

    private var document: CaseloadDocument
    private var sharedBase: CaseloadDocument?
    private var conflicts: [MergeConflict] = []
    /// The newest file version taken in (EffectRunner's rule: older news is dropped).
    private var lastVersion = -1

    /// Edits made and not yet confirmed by a save, oldest first.
    private var unconfirmed: [DrillEdit] = []
    private var counter = 0
    /// `--serialized-takein`: the proposed mend is on; a draft waits to be handed until the save under way is taken in.
    private let serializedTakeIn: Bool
    private var handWaiting = false
    /// The last edit made at each place.
    private var lastEdit: [DrillEdit.Target: DrillEdit] = [:]
    private var counts: [String: Int] = [:]

    /// The three shared patients (everyone edits their phones), this instance's own patients (dealt out by index), and
    /// the held sessions where one of its own is a member (for marks).
    private let sharedPatients: [PatientID]
    private var ownPatients: [PatientID]
    private let ownMarks: [(SessionID, PatientID)]
    private let template: Patient?
    private let programBase: String

    init(open: OpenDocument, document: CaseloadDocument, instance: Int, instances: Int, run: Int, journal: DrillJournal, rebaseInFlight: Bool = false,
         serializedTakeIn: Bool = false) {
        self.serializedTakeIn = serializedTakeIn
        self.open = open
        self.journal = journal
        self.instance = instance
        tag = run == 0 ? "\(instance)" : "\(instance)r\(run)"
        self.document = document
        sharedBase = document
        let originals = document.patients.filter { !$0.id.rawValue.hasPrefix("pat_drill_") }
        sharedPatients = originals.prefix(3).map(\.id)
        let own = originals.indices.filter { $0 >= 3 && $0 % instances == instance }.map { originals[$0].id }
        ownPatients = own
        let ownSet = Set(own)
        var marks: [(SessionID, PatientID)] = []
        for session in document.sessions where session.status == .held {
            let series = session.series.flatMap { document.series($0) }
            for member in session.members(series: series) where ownSet.contains(member) { marks.append((session.id, member)) }
        }
        ownMarks = marks
        template = originals.first
        programBase = document.program.name.components(separatedBy: " ~").first ?? document.program.name
        let handed = handed
        // As `Saving` makes the app's: saved a second after the last change, never more than two after the first.
        let previous = PreviousSave()
        saver = Autosaver<DocumentDraft>(debounce: 1, maxDelay: 2) { handedDraft in
            var draft = handedDraft
            // The mend tried with --rebase-in-flight: a draft handed with the base the previous save was handed with was
            // made before that save's news was taken in, so it holds that save's snapshot plus later edits.
            if rebaseInFlight, let last = previous.last, draft.base == last.base { draft.base = last.saved }
            handed.put(draft.base)
            // Marks around the save (waiting for the lock, merging, writing), so a test can tell a kill landed inside one.
            journal.write(DrillLine(event: "save-begin"))
            do {
                try open.save(draft, now: Date())
            } catch {
                handed.dropLast()
                journal.write(DrillLine(event: "save-failed", note: "\(error)"))
                throw error
            }
            journal.write(DrillLine(event: "save-end"))
            previous.last = (handedDraft.base, draft.resolved)
        }
    }

    private func count(_ what: String, _ n: Int = 1) { counts[what, default: 0] += n }

    /// Edits every `interval` until `deadline` or a termination signal, then saves and closes. Returns why it failed, or nil.
    func drive(until deadline: Date, every interval: TimeInterval, using generator: inout SeededGenerator) -> String? {
        journal.write(DrillLine(event: "start", note: "\(open.person.login) pid \(getpid()): \(sharedPatients.count) shared patients, \(ownPatients.count) own, \(ownMarks.count) own marks"))
        open.record([AuditEvent(AuditAction.documentOpen)], at: Date())
        var nextEdit = Date()
        var nextPickUp = Date().addingTimeInterval(1)
        var failure: String?
        while TerminationSignals.received == nil, Date() < deadline {
            takeNews()
            let now = Date()
            if now >= nextPickUp {
                nextPickUp = now.addingTimeInterval(1)
                if open.pickUp() {
                    failure = "the document was moved, deleted or replaced by something unreadable"
                    break
                }
                takeNews()
            }
            if now >= nextEdit {
                nextEdit = now.addingTimeInterval(interval)
                makeEdit(using: &generator)
            }
            if open.auditDue(after: 2) { note(open.flushAudit()) }
            if case .stopped(let reason) = saver.state {
                failure = "saving stopped: \(reason)"
                break
            }
            usleep(2_000)
        }
        // As the app quits: the close entry, the last save (which writes the trail's waiting entries), then its news.
        open.record([AuditEvent(AuditAction.documentClose)], at: Date())
        var final = saver.flush()
        takeNews()
        // With the mend, a draft held back while the last save ran is handed and saved now.
        for _ in 0..<5 where serializedTakeIn {
            if handWaiting { hand() }
            guard saver.unsavedSnapshot != nil else { break }
            final = saver.flush()
            takeNews()
        }
        // A final save that found another instance's save holding the lock past the wait (a loaded machine) tries again, as
        // a person told "saving waits for another's save" would; only a failure that persists fails the run.
        for _ in 0..<4 {
            guard case .failed = final else { break }
            final = saver.flush()
            takeNews()
        }
        note(open.flushAudit())
        open.close()
        switch final {
        case .failed(let reason, _), .stopped(let reason): failure = failure ?? "the final save failed: \(reason)"
        default: break
        }
        // What is left never was in a snapshot a save returned with. An edit a later one of this instance's replaced in
        // memory before any save took it was superseded; the last edit at a place must have been saved.
        var unaccounted = 0
        for (i, edit) in unconfirmed.enumerated() where !edit.dropped {
            if let later = unconfirmed[(i + 1)...].first(where: { $0.target == edit.target }) ?? lastEdit[edit.target].flatMap({ $0.number > edit.number ? $0 : nil }) {
                journal.write(DrillLine(event: "superseded", n: edit.number, shared: edit.shared, target: edit.target.key, value: edit.value,
                                        note: "by \(later.number) in memory"))
                count("superseded")
            } else {
                journal.write(DrillLine(event: "unaccounted", n: edit.number, shared: edit.shared, target: edit.target.key, value: edit.value))
                unaccounted += 1
            }
        }
        counts["unaccounted"] = unaccounted
        journal.write(DrillLine(event: "end", note: failure ?? (TerminationSignals.received != nil ? "signal" : "time"), counts: counts))
        return failure
    }

    /// The document to the autosaver, as `EffectRunner.hand` does; with the mend, not while a save's news is not taken in.
    private func hand() {
        if serializedTakeIn, !handed.isEmpty {
            handWaiting = true
            return
        }
        handWaiting = false
        saver.changed(DocumentDraft(document, base: sharedBase))
    }

    private func note(_ told: [String]) {
        for text in told { journal.write(DrillLine(event: "notice", note: text)) }
    }

    // MARK: Edits

    private func makeEdit(using generator: inout SeededGenerator) {
        counter += 1
        let n = counter
        let value = "\(tag)-\(n)"
        let roll = generator.next() % 100
        var made: DrillEdit?
        if roll < 5 {
            made = newPatient(n)
        } else if roll < 40, !ownMarks.isEmpty {
            let (session, patient) = ownMarks[Int(generator.next() % UInt64(ownMarks.count))]
            if var changed = document.session(session) {
                changed.mark(patient, .excused(reason: "drill \(value)"))
                made = DrillEdit(number: n, target: .mark(session, patient), value: "drill \(value)", shared: false, edit: .putSession(changed))
            }
        } else if roll < 60, !ownPatients.isEmpty {
            made = phone(ownPatients[Int(generator.next() % UInt64(ownPatients.count))], value, n, shared: false)
        } else if roll < 85, !sharedPatients.isEmpty {
            made = phone(sharedPatients[Int(generator.next() % UInt64(sharedPatients.count))], value, n, shared: true)
        } else {
            var program = document.program
            program.name = "\(programBase) ~\(value)"
            made = DrillEdit(number: n, target: .programName, value: program.name, shared: true, edit: .setProgram(program))
        }
        guard let made else { return }
        let before = document
        do {
            try document.apply(made.edit)
        } catch {
            count("refused")
            journal.write(DrillLine(event: "refused", n: n, target: made.target.key, value: made.value, note: error.description))
            return
        }
        // Logged before the autosaver can write it: anything in the file was logged first.
        journal.write(DrillLine(event: "edit", n: n, shared: made.shared, target: made.target.key, value: made.value))
        count(made.shared ? "edits.shared" : "edits.own")
        if case .newPatient(let id) = made.target { ownPatients.append(id) }
        unconfirmed.append(made)
        lastEdit[made.target] = made
        open.record(AuditEvent.changes(by: made.edit, from: before, to: document), at: Date())
        hand()
    }

    private func phone(_ id: PatientID, _ value: String, _ n: Int, shared: Bool) -> DrillEdit? {
        guard var patient = document.patient(id) else { return nil }
        patient.phone = value
        return DrillEdit(number: n, target: .phone(id), value: value, shared: shared, edit: .putPatient(patient))
    }

    /// A new patient shaped like the first demo patient, with an id and MRN of its own.
    private func newPatient(_ n: Int) -> DrillEdit? {
        guard var patient = template else { return nil }
        let id = PatientID("pat_drill_\(tag)_\(n)")
        patient.id = id
        patient.mrn = "DRILL-\(tag)-\(n)"
        patient.legalName = "Drill \(tag) \(n)"
        patient.preferredName = nil
        patient.phone = nil
        patient.disclosures = []
        patient.reportedAbsences = []
        return DrillEdit(number: n, target: .newPatient(id), value: patient.mrn, shared: false, edit: .putPatient(patient))
    }

    // MARK: What the file holds, taken in

    /// The store's news, oldest first, as `EffectRunner.sharedNews` hands it to `update`, taken in as `takeIn` does.
    private func takeNews() {
        for item in open.takeNews() {
            switch item {
            case .saved(let saved, let savedBase, let outcome):
                let base = handed.takeFirst() ?? nil
                count("saves")
                if outcome.merged { count("saves.merged") }
                confirm(saved: saved, base: base, outcome: outcome)
                guard outcome.version > lastVersion || outcome.version == 0 else { continue }
                lastVersion = outcome.version
                takeIn(disk: outcome.written, grewFrom: saved, savedBase: savedBase, conflicts: outcome.conflicts)
            case .othersSaved(let change):
                // With the mend, a pick-up is let go while a save's news is awaited: that save read the file too.
                if serializedTakeIn, !handed.isEmpty {
                    count("pickups.skipped")
                    continue
                }
                guard change.version > lastVersion else { continue }
                lastVersion = change.version
                count("pickups")
                takeIn(disk: change.document, grewFrom: nil, savedBase: nil, conflicts: [])
            }
        }
        resolveConflicts()
        if handWaiting { hand() }
    }

    /// Sharing.swift's `takeIn`, on this drill's state.
    private func takeIn(disk: CaseloadDocument, grewFrom saved: CaseloadDocument?, savedBase: CaseloadDocument?, conflicts found: [MergeConflict]) {
        let base = saved.map { TakeIn.base(saved: $0, savedBase: savedBase, current: sharedBase) } ?? sharedBase ?? disk
        sharedBase = disk
        let result = TakeIn.merge(document: document, base: base, disk: disk)
        for conflict in found { logConflict(conflict, source: "save") }
        for conflict in result.conflicts { logConflict(conflict, source: saved == nil ? "pickup" : "save-takein") }
        conflicts = TakeIn.adding(found + result.conflicts, to: conflicts)
        guard result.changed else { return }
        count("merges")
        document = result.document
        // Edits of this instance's that a conflict replaced with theirs are gone from memory: they were listed. They stay
        // in the list: a save under way, handed before, may still write them, and its news then confirms them.
        for i in unconfirmed.indices where !unconfirmed[i].dropped {
            let edit = unconfirmed[i]
            guard edit.target.value(in: document) != edit.value,
                  result.conflicts.contains(where: { edit.target.matches($0) && $0.mine == edit.value }) else { continue }
            unconfirmed[i].dropped = true
            journal.write(DrillLine(event: "dropped", n: edit.number, shared: edit.shared, target: edit.target.key, value: edit.value,
                                    note: "replaced in memory by theirs on a conflict, which is listed"))
            count("dropped")
        }
        if document != disk { hand() }
    }

    /// Marks the edits `saved` held as confirmed: the file has them, or the save listed them as conflicts. An edit the
    /// snapshot held that is in neither is lost: logged as such (the tests fail on it).
    private func confirm(saved: CaseloadDocument, base: CaseloadDocument?, outcome: SaveOutcome) {
        let pending = unconfirmed
        var remaining: [DrillEdit] = []
        for (i, edit) in pending.enumerated() {
            guard edit.target.value(in: saved) == edit.value else {
                // A later edit of this instance's at the same place was saved instead: this one never reached the file.
                if let later = pending[(i + 1)...].first(where: { $0.target == edit.target && $0.target.value(in: saved) == $0.value }) {
                    journal.write(DrillLine(event: "superseded", n: edit.number, shared: edit.shared, target: edit.target.key, value: edit.value,
                                            note: "by \(later.number)"))
                    count("superseded")
                } else {
                    remaining.append(edit)
                }
                continue
            }
            if edit.target.value(in: outcome.written) == edit.value {
                // The value in the base the store merged from (the one handed over, or for a snapshot taken before this
                // instance's own last save was taken in, that save's snapshot plus what was taken in since).
                let replaced = (outcome.mergedFrom ?? base).flatMap { edit.target.value(in: $0) } ?? "(none)"
                journal.write(DrillLine(event: "confirmed", n: edit.number, shared: edit.shared, target: edit.target.key, value: edit.value,
                                        how: "written", replaced: replaced))
                count("confirmed")
            } else if outcome.conflicts.contains(where: { edit.target.matches($0) && $0.mine == edit.value }) {
                journal.write(DrillLine(event: "confirmed", n: edit.number, shared: edit.shared, target: edit.target.key, value: edit.value,
                                        how: "conflict"))
                count("confirmed")
                count("confirmed.conflict")
            } else {
                journal.write(DrillLine(event: "lost", n: edit.number, shared: edit.shared, target: edit.target.key, value: edit.value,
                                        note: "the save's snapshot held it; the file has \(edit.target.value(in: outcome.written) ?? "(none)") and no conflict lists it"))
                count("lost")
            }
        }
        unconfirmed = remaining
    }

    private func logConflict(_ conflict: MergeConflict, source: String) {
        count("conflicts")
        journal.write(DrillLine(event: "conflict", entity: conflict.entity.description, path: conflict.path,
                                theirs: conflict.theirs, mine: conflict.mine, source: source))
    }

    /// The person keeps their colleague's value: the document already holds it; the conflict is cleared.
    private func resolveConflicts() {
        for conflict in conflicts {
            journal.write(DrillLine(event: "resolved", entity: conflict.entity.description, path: conflict.path,
                                    theirs: conflict.theirs, mine: conflict.mine, note: "kept theirs"))
            count("resolved")
        }
        conflicts = []
    }
}
#endif
