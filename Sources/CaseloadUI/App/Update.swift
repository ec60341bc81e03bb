import CaseloadCore
import Foundation

/// Everything that can happen to the app.
public enum Msg: Equatable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    /// The clocks moved on: the view's time and the real (record) time, the same when `record` is nil (refreshes "saved N s ago").
    case tick(Date, record: Date? = nil)
    /// The autosaver's state changed.
    case saveStatus(SaveStatus)
    /// Quitting failed because the final save failed.
    case quitFailed(reason: String)
    /// The file changed on disk behind the app.
    case externalChange
    /// A command-line effect finished with a message for the user.
    case notify(StatusMessage)
    /// Something to read whole before working, in a box with an ok (start-up: the key slots changed since last time).
    case notice(title: String, lines: [String])
    /// `$EDITOR` returned.
    case externalEditFinished(ExternalEditTarget, ExternalEditResult)
    /// A report's file is already there (answer to `Effect.prepareWrite`): ask before replacing it.
    case writeTargetExists(WriteRequest)
    /// A report's place is free or may be replaced (answer to `Effect.prepareWrite`): log a letter's disclosure, then write.
    case writeTargetReady(WriteRequest)
    /// A report or letter was written (answer to `Effect.writeFile`; a failure comes as `.notify`).
    case reportWritten(WriteRequest)
    /// `:reload` read the file again (answer to `Effect.reload`; a failure comes as `.notify`): it replaces the document,
    /// and the undo history, which belonged to the old one.
    case reloaded(CaseloadDocument, readOnlyReason: String?, path: String, at: Date)
    /// `:saveas` wrote the document to `path`, where autosave now goes (answer to `Effect.saveAs`).
    case savedAs(path: String, at: Date)
    /// The themes found at start-up (built-in and the user's own), for `:theme` and its usage line.
    case themesFound([String])
    /// The outcome instruments found at start-up: the built-ins and the program's own (`instruments/*.toml`).
    case instrumentsFound([Instrument])
    /// Issue 20: the document opened is edits an earlier session could not send to its database, grown from `base`:
    /// the next save merges them with what others saved since (from that base, not from the edits themselves).
    case waitingEditsFound(base: CaseloadDocument)
    /// A theme asked for with `:theme` was loaded (answer to `Effect.setTheme`; a failure comes as `.notify`).
    case themeLoaded(String)
    /// Seconds since the last key or click, on a monotonic clock (never the view clock, which `CASELOAD_NOW` fixes): past
    /// `lock_after`, the screen locks.
    case idle(seconds: TimeInterval)
    /// Whether the passphrase typed on the lock screen is right (answer to `Effect.checkPassphrase`).
    case passphraseChecked(correct: Bool)
    /// The audit trail's entries about patients, read once after start-up: they replace `AppState.accessLog`.
    case auditLoaded([AuditEntry])
    /// The events of an `Effect.auditChange`, worked out: the access log shows them.
    case auditComputed([AuditEvent])
    /// Issue 18: a save wrote `written` to the file for the snapshot `saved` (merged with another instance's changes
    /// when they differ), with the conflicts that merge found.
    /// `savedBase` is the version the snapshot grew from (nil: not known, the snapshot is the base).
    case documentSaved(saved: CaseloadDocument, savedBase: CaseloadDocument?, written: CaseloadDocument, conflicts: [MergeConflict])
    /// Issue 18: another instance saved the file; `document` is what it holds now.
    case othersSaved(CaseloadDocument)
    /// Who else has the document open now (issue 18): one login per other instance, escaped for the terminal. Sent
    /// when it changes; sets `AppState.othersPresent`.
    case presence([String])
}

/// What `update` asks the outside world to do.
public enum Effect: Equatable, Sendable {
    /// The document changed: hand the new snapshot to the autosaver.
    case documentChanged
    case saveNow
    /// Save (flush) and quit; on failure the app sends `.quitFailed`.
    case quit
    /// Quit without the final save.
    case quitWithoutSaving
    case redraw
    case setTheme(String)
    case reload
    case saveAs(String)
    /// Suspend the screen and edit `text` in `$VISUAL`/`$EDITOR`; the app answers with `.externalEditFinished`.
    case editExternally(text: String, target: ExternalEditTarget)
    /// A note being typed changed: autosave `documentForSaving` (the document with the draft written in).
    case draftChanged
    /// Resolve where a report goes (`~` is `$HOME`, a folder gets the default name) and look there; the app answers with
    /// `.writeTargetExists` or `.writeTargetReady`, or `.notify` when the place cannot take a file.
    case prepareWrite(WriteRequest)
    /// Write a report to the resolved file (mode 0600); the app answers with `.notify`.
    case writeFile(WriteRequest)
    /// Check the passphrase typed on the lock screen against the signed-in person's key slot (slow: scrypt, off the UI
    /// thread); the app answers with `.passphraseChecked`.
    case checkPassphrase(SecretText)
    /// Append these events to the audit trail, as the person at the keyboard, now (App/Audit.swift says what emits them).
    case audit([AuditEvent])
    /// An edit for the trail: its events are worked out off the screen's thread, recorded in order with the others,
    /// and come back as `Msg.auditComputed` for the access log.
    case auditChange(AuditChange)
}

/// The one place state changes: a message in, effects out. Pure: no clock, disk or terminal.
/// What the message opened (a record, a note, the lock screen) is seen here, once, and asked to be audited.
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    let before = AuditWatch(state)
    var effects = handle(&state, msg)
    let opened = before.events(after: state)
    if !opened.isEmpty { effects += audited(&state, opened) }
    return effects
}

private func handle(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    switch msg {
    case .tick(let now, let record):
        state.viewNow = now
        state.recordNow = record ?? now
        state.clockDidChange()
        return []
    case .resize(let width, let height):
        state.width = max(0, width)
        state.height = max(0, height)
        for i in state.forms.indices { state.forms[i].form.layout(in: formRect(state, state.forms[i])) }
        layoutModal(&state)
        state.refreshRecord()
        state.refreshNoteView()
        return []
    case .saveStatus(let status):
        if state.readOnlyReason == nil { state.saveStatus = status }
        if case .saved = status { state.editsSinceSave = 0 }
        return []
    case .quitFailed(let reason) where reason.hasPrefix("offline:") && reason.contains("kept on this computer"):
        // A database home that cannot be reached: the edits are kept on this computer and sent at the next start.
        let n = state.editsSinceSave
        state.overlay = .confirm(question: "The database cannot be reached: \(n) change\(n == 1 ? " is" : "s are") kept on this computer and sent the next time you open it. Quit now? (y/n)",
                                 onYes: .quitWithoutSaving)
        return []
    case .quitFailed(let reason):
        state.overlay = .confirm(question: "Could not save: \(reason). Quit anyway and lose the unsaved changes? (y/n)", onYes: .quitWithoutSaving)
        return []
    case .externalChange:
        state.message = StatusMessage("The file on disk was moved, deleted, or replaced with something this Caseload cannot read; autosave stopped. :saveas PATH keeps your version.", isError: true)
        return []
    case .notify(let message):
        state.message = message
        return []
    case .notice(let title, let lines):
        openModal(&state, .choice(ChoiceDialog(title: title, lines: lines, options: [ChoiceOption("o", "ok")]), .notice))
        return []
    case .externalEditFinished(let target, let result):
        return externalEditFinished(&state, target, result)
    case .writeTargetExists(let request):
        writeTargetExists(&state, request)
        return []
    case .writeTargetReady(let request):
        return writeTargetReady(&state, request)
    case .reportWritten(let request):
        reportWritten(&state, request)
        return request.audit.map { audited(&state, [$0]) } ?? []
    case .auditComputed(let events):
        recordAccess(&state, events)
        return []
    case .documentSaved(let saved, let savedBase, let written, let conflicts):
        return takeIn(&state, disk: written, grewFrom: saved, savedBase: savedBase, conflicts: conflicts)
    case .othersSaved(let document):
        return takeIn(&state, disk: document, grewFrom: nil, savedBase: nil, conflicts: [])
    case .presence(let logins):
        state.othersPresent = presentNames(logins, staff: state.document.staff)
        return []
    case .auditLoaded(let entries):
        // What this run did before the trail was read stays; an entry the trail already held (flushed by an autosave
        // meanwhile, stamped in whole seconds) is not shown twice.
        let loadedUntil = entries.last.map { $0.at.addingTimeInterval(1) } ?? .distantPast
        state.accessLog = AccessLog.trimmed(entries + state.accessLog.filter { $0.at >= loadedUntil })
        state.accessLogTrimmedCount = state.accessLog.count
        state.refreshRecord()
        return []
    case .reloaded(let document, let readOnlyReason, let path, let at):
        state.document = document
        state.sharedBase = document
        state.conflicts = []
        state.history = EditHistory()
        state.readOnlyReason = readOnlyReason
        state.reloadDerived()
        state.saveStatus = readOnlyReason.map { .readOnly(reason: $0) } ?? .saved(at: at)
        state.message = StatusMessage("Reloaded \(path) from disk" + (readOnlyReason.map { "; read-only: \($0)" } ?? ""))
        return [.redraw]
    case .savedAs(let path, let at):
        state.fileName = (path as NSString).lastPathComponent
        state.readOnlyReason = nil
        state.saveStatus = .saved(at: at)
        state.message = StatusMessage("Saved as \(path); autosave continues there")
        return []
    case .themesFound(let names):
        state.themeNames = names
        return []
    case .instrumentsFound(let instruments):
        state.instruments = instruments
        state.refreshRecord()
        return []
    case .waitingEditsFound(let base):
        state.sharedBase = base
        state.editsSinceSave = max(1, state.editsSinceSave)
        state.message = StatusMessage("Edits from an earlier session that could not reach the database are being sent")
        return [.documentChanged]
    case .themeLoaded(let name):
        state.themeName = name
        state.message = StatusMessage("Theme: \(name)")
        return [.redraw]
    case .idle(let seconds):
        guard let limit = state.lockAfter, seconds >= limit else { return [] }
        return lockScreen(&state, .idle)
    case .passphraseChecked(let correct):
        passphraseChecked(&state, correct: correct)
        return []
    case .mouse(let event):
        // The lock screen has nothing to click, and what is under it must not be clicked through it.
        if state.isLocked { return [] }
        return handleMouse(&state, event)
    case .key(let key):
        if state.isLocked { return handleLockedKey(&state, key) }
        return handleKey(&state, key)
    }
}

/// Gives a key to whatever is on top: an overlay (Overlays/OverlayKeys.swift), the command line, a block being moved, the
/// record, the patient filter; else the focused pane's table and the global one.
private func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    // Locking works from anywhere: a form, a question or the command line stays as it is under the lock screen.
    if Keymaps.locking.action(for: key) == .lock { return lockScreen(&state, .key) }
    if let effects = handleOverlayKey(&state, key) { return effects }
    if state.commandLine != nil { return handleCommandLineKey(&state, key) }
    if state.moving != nil { return handleMoveKey(&state, key) }
    if state.record != nil { return handleRecordKey(&state, key) }
    if state.isTypingPatientQuery { return handleFilterKey(&state, key) }
    let action = Keymaps.pane(state.focus).action(for: key) ?? Keymaps.global.action(for: key)
    guard let action else {
        state.message = StatusMessage("\(key) does nothing here; ? shows every key")
        return []
    }
    // A key press clears the last message, except the one it sets itself.
    state.message = nil
    return perform(&state, action)
}

func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .focusNext:
        state.focus = PaneID(rawValue: (state.focus.rawValue + 1) % 3) ?? .patients
    case .focusPrevious:
        state.focus = PaneID(rawValue: (state.focus.rawValue + 2) % 3) ?? .patients
    case .focus(let pane):
        state.focus = pane
    case .help:
        state.overlay = .help(scroll: 0)
    case .commandLine:
        state.commandLine = ""
    case .quit:
        return quitting(&state)
    case .saveNow:
        if let reason = state.readOnlyReason {
            state.message = StatusMessage("Read-only: \(reason)", isError: true)
            return []
        }
        state.message = StatusMessage("Saving…")
        return [.saveNow]
    case .undo:
        return undoOrRedo(&state, undo: true)
    case .redo:
        return undoOrRedo(&state, undo: false)
    case .redraw:
        return [.redraw]
    case .cancel:
        state.message = nil
        if state.focus == .patients, !state.patientQuery.isEmpty {
            state.patientQuery = ""
            state.refreshPatientList()
        }
    case .moveDown, .moveUp, .top, .bottom, .pageDown, .pageUp, .halfPageDown, .halfPageUp:
        moveInList(&state, action)
    case .dayLeft, .dayRight, .timeUp, .timeDown, .previousWeek, .nextWeek, .today, .weekStart, .weekEnd:
        moveInWeek(&state, action)
    case .cycleWeekView:
        let all = WeekView.allCases
        state.weekView = all[((all.firstIndex(of: state.weekView) ?? 0) + 1) % all.count]
        state.message = StatusMessage(state.weekView.announcement)
    case .openSession:
        if state.selectedSession == nil {
            state.message = StatusMessage("No session at \(state.cursorDate.weekday.shortName) \(LocalTime(clamping: state.cursorMinutes)); move the cursor onto one")
        } else {
            state.focus = .session
            state.memberIndex = state.selectedMembers.isEmpty ? 0 : 1
        }
    case .markPresent, .markAbsent, .cycleMark, .markLate, .markLeftEarly, .markExcused, .markAllPresent, .addDropIn, .removeMember,
         .openNote, .groupNote, .editExternally, .sign, .addendum, .didNotTakePlace, .viewNote, .openMemberRecord:
        return performSessionAction(&state, action)
    case .create, .edit:
        return state.focus == .week && state.record == nil ? performWeekAction(&state, action) : performPatientAction(&state, action)
    case .goToDate, .move, .cancelSession:
        return performWeekAction(&state, action)
    case .scrollLeft, .scrollRight, .lineStart, .lineEnd, .writeReport, .goToAlert, .markReported,
         .nextField, .previousField, .submit, .choicePrevious, .choiceNext, .flip, .listAdd, .listEdit, .listRemove, .toggleChoice,
         .cursorLeft, .cursorRight, .rowStart, .rowEnd, .deleteBackward, .deleteForward, .killToEnd, .killToStart, .deleteWord, .newline,
         .yes, .no, .place, .complete:
        break  // bound only in overlays, forms, text entry, move mode and the command line, which handle them themselves
    case .lock:
        return lockScreen(&state, .key)
    case .evaluation, .planFromEvaluation:
        return performEvaluationAction(&state, action)
    case .conflicts:
        openConflicts(&state)
    case .coSignQueue:
        openCoSignQueue(&state)
    case .keepTheirs, .keepMine, .keepBoth, .addAsAddendum:
        break  // bound only in the conflicts overlay, which handles them itself
    case .alerts:
        state.refreshAlertsIfStale()
        state.alertsView = AlertsView()
        state.record = nil
    case .nextOverlap:
        let count = state.sessionsAtCursor.count
        if count > 1 {
            state.weekLane = (state.weekLane + 1) % count
            state.memberIndex = 1
            state.message = StatusMessage("\(state.weekLane + 1) of \(count) sessions here: \(state.selectedSession?.session.title ?? "")")
        } else {
            state.message = StatusMessage(count == 1 ? "Only one session here" : "No session here")
        }
    case .openRecord, .phaseDown, .phaseUp, .discharge, .report, .cycleSort, .cycleStatusFilter, .filter,
         .nextSection, .previousSection, .closeRecord:
        return performPatientAction(&state, action)
    case .enterMeasure, .safetyFollowUp:
        return performMeasureAction(&state, action)
    }
    return []
}
