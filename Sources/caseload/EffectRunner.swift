import CaseloadCore
import CaseloadStore
import CaseloadUI
import Foundation

/// Runs what `update` asks of the outside world, and hands every outcome back to the loop as a `Msg`.
///
/// Nothing here waits for the disk or for the store's lock on the UI thread: reload, save-as, looking at and writing report
/// files, loading a theme and the external-change check run as jobs on other threads; their answers wait in an inbox the
/// loop empties on each pass (`collect`), at most a fifth of a second later. Only what needs the terminal (`$EDITOR`,
/// a full repaint) and handing snapshots to the autosaver (a short lock) happen here on the UI thread.
@MainActor
final class EffectRunner {
    /// What the runner needs from the terminal, as functions, so it can run without one.
    struct Screen {
        var forceRedraw: @MainActor () -> Void
        /// Suspends the screen, edits the text in `$VISUAL`/`$EDITOR`, and restores the screen.
        var editExternally: @MainActor (String) -> ExternalEditResult
    }

    /// How the theme loads that `:theme` asks for.
    typealias ThemeLoader = @Sendable (String) -> (Theme, [String])

    /// The theme the screen is drawn with.
    private(set) var theme: Theme
    /// Set when the app should end: after the final save, or at once for "quit without saving".
    private(set) var exitCode: Int32?
    /// `q` was pressed: the final save waits for the jobs under way, then runs; keys wait meanwhile.
    var isQuitting: Bool { quitAsked }

    private let open: OpenDocument
    private let environment: [String: String]
    private let clock: @Sendable () -> Date
    private let loadTheme: ThemeLoader
    private let screen: Screen
    private let verifyPassphrase: PassphraseVerifier?
    private var saving: Saving
    private let inbox = JobInbox()
    /// Reload, save-as, letters and the final save: one at a time, in the order asked.
    private let documentJobs = DispatchQueue(label: "caseload.jobs.document")
    /// Report files, themes and the external-change check: never behind the store's lock, and in the order asked (the
    /// last `:theme` wins, a report's place is looked at before it is written).
    private let fileJobs = DispatchQueue(label: "caseload.jobs.files")
    /// Passphrase checks: never behind a save or a report, so unlocking does not wait for them.
    private let lockJobs = DispatchQueue(label: "caseload.jobs.lock")
    /// Audit entries written when no save has written them for a few seconds: never behind a long save.
    private let auditJobs = DispatchQueue(label: "caseload.jobs.audit")
    private var auditFlushing = false
    /// Jobs started and not yet collected (the external-change poll aside).
    private var running = 0
    /// The `:reload` or `:saveas` under way: a second one is refused until it is done.
    private var replacing: String?
    /// The document changed while a reload or save-as ran: handed to the autosaver that comes out of it.
    private var changedMeanwhile = false
    /// A note being typed is handed to the autosaver a quarter of a second after a key, not on every key: the autosaver
    /// waits a second after the last change anyway (it writes the draft into the document on its own thread).
    private var draftDue: Date?
    private var externalChangeShown = false
    private var lastPoll = Date()
    /// The newest version of the file (as the store counts them) handed to `update`.
    private var lastVersion = -1
    private var polling = false
    /// Counts reloads and save-as: a poll that looked at an earlier store is not believed.
    private var generation = 0
    private var quitAsked = false
    private var finalSaveRunning = false
    /// Issue 18: this instance's presence record and the look at the others', every second on a queue of their own.
    private let presenceJobs = DispatchQueue(label: "caseload.jobs.presence")
    private let presence = PresenceWatch()
    private var presenceLooking = false
    private var lastPresenceLook = Date.distantPast
    private var presenceSent: [String] = []

    /// Checks a passphrase typed on the lock screen against the signed-in person's key slot (scrypt: about a third of a
    /// second, so it runs as a job). Nil for a plain document, whose screen is only hidden and never asks for one.
    typealias PassphraseVerifier = @Sendable (String) -> Bool

    init(open: OpenDocument, environment: [String: String], theme: Theme, clock: @escaping @Sendable () -> Date,
         loadTheme: @escaping ThemeLoader, screen: Screen, verifyPassphrase: PassphraseVerifier? = nil) {
        self.verifyPassphrase = verifyPassphrase
        self.open = open
        self.environment = environment
        self.theme = theme
        self.clock = clock
        self.loadTheme = loadTheme
        self.screen = screen
        saving = Saving(open, clock: clock)
    }

    // MARK: - Effects

    /// Runs one effect asked by `update` on `state`; what is known at once comes back as messages, the rest later from `collect`.
    func run(_ effect: Effect, _ state: AppState) -> [Msg] {
        switch effect {
        case .documentChanged:
            // With a note form open, its text is saved as a draft too (at most a second or two is ever lost).
            draftDue = nil
            hand(state)
        case .draftChanged:
            if draftDue == nil { draftDue = Date().addingTimeInterval(0.25) }
        case .saveNow:
            saving.saver.saveNow()
        case .quit:
            if draftDue != nil {
                draftDue = nil
                hand(state)
            }
            quitAsked = true
        case .quitWithoutSaving:
            exitCode = 0
        case .redraw:
            screen.forceRedraw()
        case .editExternally(let text, let target):
            let result = screen.editExternally(text)
            screen.forceRedraw()
            return [.externalEditFinished(target, result)]
        case .setTheme(let name):
            let load = loadTheme
            start(on: fileJobs) {
                let (loaded, problems) = load(name)
                if let problem = problems.first { return .message(.notify(StatusMessage(problem, isError: true))) }
                return .themeLoaded(loaded)
            }
        case .prepareWrite(let request):
            let environment = environment, document = open.path
            start(on: fileJobs) { .message(ReportFile.look(request, environment: environment, document: document)) }
        case .writeFile(let request):
            return writeFile(request)
        case .reload:
            if let busy = refuseWhileReplacing() { return [busy] }
            return reload()
        case .saveAs(let newPath):
            if let busy = refuseWhileReplacing() { return [busy] }
            return saveAs(newPath, state.document)
        case .audit(let events):
            audit(events)
        case .auditChange(let change):
            audit(change)
        case .checkPassphrase(let typed):
            // No verifier is a plain document, which never asks; if one asks anyway, the lock stays (it fails closed).
            guard let verify = verifyPassphrase else { return [.passphraseChecked(correct: false)] }
            let passphrase = typed.revealed
            start(on: lockJobs) { .message(.passphraseChecked(correct: verify(passphrase))) }
        }
        return []
    }

    /// Ctrl-Z: the document is saved soon, while the user is at the shell.
    func saveSoon() { saving.saver.saveNow() }

    /// Answers of the jobs finished since the last pass, the autosaver's newest state, and the start of due work (a typed
    /// note's draft, the external-change poll, the final save once nothing else runs), for the loop to send to `update`.
    func collect(_ state: AppState) -> [Msg] {
        var messages: [Msg] = []
        for outcome in inbox.drain() {
            messages += finish(outcome, state)
        }
        if replacing == nil, let saved = saving.states.take() {
            messages.append(.saveStatus(Self.status(for: saved)))
            if case .stopped(let reason) = saved, reason.contains("moved or deleted"), !externalChangeShown {
                externalChangeShown = true
                messages.append(.externalChange)
            }
        }
        if let due = draftDue, Date() >= due {
            draftDue = nil
            hand(state)
        }
        messages += sharedNews()
        pollForExternalChange(state)
        lookForOthers()
        flushAuditWhenDue()
        if quitAsked, !finalSaveRunning, running == 0 {
            // Every job is done (a reload or save-as has put its autosaver in place): now the last save, which writes
            // the trail's waiting entries too (and a read-only instance, which never saves, writes them here).
            finalSaveRunning = true
            let saver = saving.saver, open = open, clock = clock
            open.record([AuditEvent(AuditAction.documentClose)], at: clock())
            start(on: documentJobs) {
                let final = saver.flush()
                _ = open.flushAudit()
                return .finalSave(final)
            }
        }
        return messages
    }

    // MARK: - Audit trail

    /// Entries `update` asked for: kept, and written with the next save or within seconds. Kept in order through one
    /// queue with the edits' entries, which are worked out there (`audit(_: AuditChange)`).
    func audit(_ events: [AuditEvent]) {
        let open = open, at = clock()
        start(on: auditJobs) {
            open.record(events, at: at)
            return .messages([])
        }
    }

    /// An edit's entries: compared off the screen's thread (milliseconds on a long chart), kept in order with the rest,
    /// and handed back for the Record's Access section. A quit waits for them (they count as running jobs).
    func audit(_ change: AuditChange) {
        let open = open, at = clock()
        start(on: auditJobs) {
            let events = change.events
            open.record(events, at: at)
            return .message(.auditComputed(events))
        }
    }

    /// The opening of the document is the first entry of a session; the trail is read back for the Record's Access
    /// section (and checked: a broken chain is said at once), off the UI thread.
    func startAudit() {
        open.record([AuditEvent(AuditAction.documentOpen)], at: clock())
        let open = open
        start(on: fileJobs) {
            do {
                guard let (entries, problem) = try open.readTrail() else { return .message(.auditLoaded([])) }
                // Only what the Access section shows (the last entries of each patient), trimmed here, off the UI thread:
                // a five-year trail is some 460,000 entries.
                let aboutPatients = AccessLog.trimmed(entries.filter { $0.ids.contains { $0.hasPrefix("patient:") } })
                guard let problem else { return .message(.auditLoaded(aboutPatients)) }
                if case .torn = problem { return .message(.auditLoaded(aboutPatients)) }
                return .messages([.auditLoaded(aboutPatients), .notify(StatusMessage(
                    "The audit trail does not verify: \(problem); run caseload audit \(open.path) verify", isError: true))])
            } catch {
                return .message(.notify(StatusMessage("The audit trail could not be read: \(error)", isError: true)))
            }
        }
    }

    /// Entries that waited two seconds with no save to write them (opening a record changes nothing) are written now.
    private func flushAuditWhenDue() {
        guard !auditFlushing, open.auditDue(after: 2) else { return }
        auditFlushing = true
        let open = open
        start(on: auditJobs) { .auditFlushed(open.flushAudit()) }
    }

    /// SIGTERM, SIGHUP, SIGINT: the document is saved before the terminal is restored. A reload or save-as under way is
    /// let finish first, so the save goes to the file it chose.
    func saveBeforeSignalExit(_ state: AppState) {
        documentJobs.sync {}
        var handNow = draftDue != nil || changedMeanwhile
        for outcome in inbox.drain() {
            guard case .replaced(let new, _, let edits) = outcome else { continue }
            if let new { saving = new }
            replacing = nil
            switch edits {
            case .always: handNow = true
            case .ifChangedMeanwhile: break
            // The state here still holds the document from before the reload: it must not overwrite the file just read.
            case .never: handNow = false
            }
        }
        if handNow, replacing == nil { saving.saver.changed(state.draftForSaving) }
        // The edits' entries still being worked out go first.
        auditJobs.sync {}
        open.record([AuditEvent(AuditAction.documentClose)], at: clock())
        saving.saver.flush()
        _ = open.flushAudit()
        leavePresence()
    }

    // MARK: - Presence

    /// Every second: this instance's heartbeat and who else has the document open (wall-clock time: the heartbeat is
    /// about being alive now, never the fixed view or record clock). Not a running job: a quit never waits for it.
    private func lookForOthers() {
        // A database home has no folder beside it for presence records (issue 20: not built for databases yet).
        guard !open.isDatabase, !presenceLooking, Date().timeIntervalSince(lastPresenceLook) >= 1 else { return }
        lastPresenceLook = Date()
        presenceLooking = true
        let watch = presence, path = open.path, login = open.person.login, inbox = inbox
        presenceJobs.async { inbox.post(.presence(watch.pass(path: path, login: login))) }
    }

    /// Removes this instance's presence record (quit, a signal): after a look under way, which cannot bring it back.
    func leavePresence() {
        presenceJobs.sync { presence.leave() }
    }

    // MARK: - Jobs

    private func start(on queue: DispatchQueue, _ work: @escaping @Sendable () -> JobOutcome) {
        running += 1
        let inbox = inbox
        queue.async { inbox.post(work()) }
    }

    /// Turns a finished job into messages, putting in place what it brought (a theme, a new autosaver).
    private func finish(_ outcome: JobOutcome, _ state: AppState) -> [Msg] {
        switch outcome {
        case .message(let msg):
            running -= 1
            return [msg]
        case .themeLoaded(let loaded):
            running -= 1
            theme = loaded
            screen.forceRedraw()
            return [.themeLoaded(loaded.name)]
        case .replaced(let new, let msg, let edits):
            running -= 1
            replacing = nil
            if let new {
                saving = new
                generation += 1
                externalChangeShown = false
                // A new store counts its versions afresh (OpenDocument dropped what the old one posted).
                lastVersion = -1
            }
            let handNow = edits == .always || (edits == .ifChangedMeanwhile && changedMeanwhile)
            changedMeanwhile = false
            // Edits made while a save-as ran are not in the new file yet; the message does not change the document. They
            // grew from what the new file was written from (the store's own base), not from the old file's version.
            if handNow {
                var draft = state.draftForSaving
                if new != nil { draft.base = nil }
                saving.saver.changed(draft)
            }
            return [msg]
        case .externalChange(let seenIn):
            polling = false
            guard seenIn == generation, !externalChangeShown, replacing == nil else { return [] }
            externalChangeShown = true
            saving.saver.stop(reason: "the file changed on disk")
            return [.externalChange]
        case .noExternalChange:
            polling = false
            return []
        case .presence(let pass):
            presenceLooking = false
            var messages = pass.problem.map { [Msg.notify(StatusMessage($0, isError: true))] } ?? []
            if pass.others != presenceSent {
                presenceSent = pass.others
                messages.append(.presence(pass.others))
            }
            return messages
        case .messages(let msgs):
            running -= 1
            return msgs
        case .auditFlushed(let told):
            running -= 1
            auditFlushing = false
            return told.map { .notify(StatusMessage($0, isError: true)) }
        case .finalSave(let final):
            running -= 1
            finalSaveRunning = false
            quitAsked = false
            switch final {
            case .failed(let reason, _), .stopped(let reason):
                return [.quitFailed(reason: reason)]
            default:
                exitCode = 0
                return []
            }
        }
    }

    /// Edits an earlier session kept while the database was unreachable, opened as the document: handed to the
    /// autosaver at once, so the first save sends them (merged with what others saved since).
    func sendWaitingEdits(_ state: AppState) {
        saving.saver.changed(state.draftForSaving)
    }

    /// The newest document goes to the autosaver, or waits for the one a reload or save-as is making.
    private func hand(_ state: AppState) {
        if replacing != nil {
            changedMeanwhile = true
        } else {
            saving.saver.changed(state.draftForSaving)
        }
    }

    private func refuseWhileReplacing() -> Msg? {
        guard let busy = replacing else { return nil }
        return .notify(StatusMessage("Still busy with :\(busy); try again when it is done", isError: true))
    }

    /// `:reload`: the autosaver stops (its unsaved changes are what the user asked to drop) and waits for a save under
    /// way, then the file is read again and a new autosaver writes it from then on.
    private func reload() -> [Msg] {
        replacing = "reload"
        changedMeanwhile = false
        let old = saving, open = open, clock = clock
        let path = open.path
        start(on: documentJobs) {
            old.retire(reason: "reloading")
            do {
                let reopened = try open.reopen(now: clock())
                return .replaced(Saving(open, clock: clock), .reloaded(reopened.document, readOnlyReason: reopened.readOnlyReason, path: path, at: clock()),
                                 edits: .never)
            } catch {
                // The old autosaver is stopped: a new one takes over what it had not saved yet (and says why if it cannot).
                let unsaved: JobOutcome.Edits = old.saver.unsavedSnapshot != nil ? .always : .ifChangedMeanwhile
                return .replaced(Saving(open, clock: clock), .notify(StatusMessage("Cannot reload: \(error)", isError: true)), edits: unsaved)
            }
        }
        return [.notify(StatusMessage("Reloading \(path)…"))]
    }

    /// `:saveas`: the document is written to a new file first; only then does the old autosaver stop (after a save under
    /// way), and a new one writes to the new file. The two files are never written by two threads at once.
    private func saveAs(_ newPath: String, _ document: CaseloadDocument) -> [Msg] {
        replacing = "saveas"
        changedMeanwhile = false
        let old = saving, open = open, clock = clock
        start(on: documentJobs) {
            let created: DocumentStore
            do {
                // An encrypted document's copy is encrypted too, with the same key slots.
                created = try DocumentStore.create(newPath, with: document, now: clock(), keys: open.keys)
            } catch {
                return .replaced(nil, .notify(StatusMessage("Cannot save as \(newPath): \(error)", isError: true)), edits: .ifChangedMeanwhile)
            }
            old.retire(reason: "saved as \(newPath)")
            open.replace(store: created, path: newPath, holding: document)
            return .replaced(Saving(open, clock: clock), .savedAs(path: newPath, at: clock()), edits: .ifChangedMeanwhile)
        }
        return [.notify(StatusMessage("Saving as \(newPath)…"))]
    }

    /// A report is written at once; a letter only once the save that holds its disclosure is on disk, so a letter is never
    /// out without its entry in the log (the reverse, a logged letter that failed to be written, is allowed).
    private func writeFile(_ request: WriteRequest) -> [Msg] {
        let document = open.path
        guard request.disclosure != nil else {
            start(on: fileJobs) { Self.write(request, protecting: document) }
            return []
        }
        let saver = saving.saver
        start(on: documentJobs) {
            switch saver.flush() {
            case .failed(let reason, _), .stopped(let reason):
                let recipient = request.disclosure?.recipient ?? ""
                return .message(.notify(StatusMessage(
                    "No letter written: its disclosure to \(recipient) could not be saved (\(reason)); :saveas PATH keeps your version, then write it again",
                    isError: true)))
            default:
                return Self.write(request, protecting: document)
            }
        }
        return []
    }

    nonisolated private static func write(_ request: WriteRequest, protecting document: String) -> JobOutcome {
        do {
            try OutputFile.write(Data(request.contents.utf8), to: request.path, replace: request.replace, protecting: [document])
            return .message(.reportWritten(request))
        } catch {
            let logged = request.disclosure.map { "; the disclosure to \($0.recipient) is logged" } ?? ""
            return .message(.notify(StatusMessage("Could not write \(request.shown): \(error)\(logged)", isError: true)))
        }
    }

    /// Every second, even with nothing to save: another instance may have saved the file (issue 18); what it holds is
    /// posted as news and merged in by `update`, so others' changes show within two seconds.
    private func pollForExternalChange(_ state: AppState) {
        // A database home is asked four times a second: without news from its listener that costs no query, and
        // others' changes then show within a second (issue 20).
        guard !externalChangeShown, replacing == nil, !polling,
              Date().timeIntervalSince(lastPoll) >= (open.isDatabase ? 0.25 : 1) else { return }
        lastPoll = Date()
        polling = true
        let open = open, seenIn = generation, inbox = inbox
        fileJobs.async { inbox.post(open.pickUp() ? .externalChange(seenIn) : .noExternalChange) }
    }

    /// The store's news as messages, oldest first; anything not newer than what was already handed on is dropped.
    private func sharedNews() -> [Msg] {
        guard replacing == nil else { return [] }
        var messages: [Msg] = []
        for item in open.takeNews() {
            switch item {
            case .saved(let saved, let base, let outcome):
                guard outcome.version > lastVersion || outcome.version == 0 else { continue }
                lastVersion = outcome.version
                messages.append(.documentSaved(saved: saved, savedBase: base, written: outcome.written, conflicts: outcome.conflicts))
            case .othersSaved(let change):
                guard change.version > lastVersion else { continue }
                lastVersion = change.version
                messages.append(.othersSaved(change.document))
            }
        }
        return messages
    }

    static func status(for state: AutosaveState) -> SaveStatus {
        switch state {
        case .idle: .saved(at: Clock.record())
        case .saved(let at): .saved(at: at)
        case .pending: .unsaved
        case .saving: .saving
        // A database home whose server cannot be reached (issue 20; the store's message says "offline: …").
        case .failed(let reason, _) where reason.hasPrefix("offline:"): .offline(reason)
        case .failed(let reason, _): .error(reason)
        case .stopped(let reason): .stopped(reason)
        }
    }
}

/// What a job finished on another thread brings back to the loop.
enum JobOutcome: Sendable {
    /// What edits in memory become when a reload or save-as ends.
    enum Edits: Sendable {
        /// Handed to the autosaver (the old one stopped with them unsaved).
        case always
        /// Handed only if made while the job ran (the new file holds the ones before).
        case ifChangedMeanwhile
        /// Dropped: the file read again replaces them.
        case never
    }

    case message(Msg)
    case messages([Msg])
    /// The trail's waiting entries were written (or not): what to tell the user.
    case auditFlushed([String])
    case themeLoaded(Theme)
    /// A reload or save-as ended: the autosaver to use from now on (nil: keep the one there), and the answer.
    case replaced(Saving?, Msg, edits: Edits)
    /// The poll found the file changed, in the store of this generation.
    case externalChange(Int)
    case noExternalChange
    /// A presence look ended (issue 18): who else has the document open, and a problem to tell once.
    case presence(PresenceWatch.Pass)
    /// How the final save before quitting ended.
    case finalSave(AutosaveState)
}

/// Answers of jobs finished on other threads, waiting for the UI loop to collect them on its next pass.
final class JobInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var outcomes: [JobOutcome] = []
    func post(_ outcome: JobOutcome) { lock.withLock { outcomes.append(outcome) } }
    func drain() -> [JobOutcome] { lock.withLock { defer { outcomes = [] }; return outcomes } }
}
