import CaseloadCore
import CaseloadDemo
import CaseloadStore
import CaseloadTerminal
import CaseloadUI
import Foundation

/// The document behind the UI: created on the first save when it did not exist yet, replaced on reload or save-as.
final class OpenDocument: @unchecked Sendable {
    private let lock = NSLock()
    private var store: DocumentStore?
    private(set) var path: String

    init(path: String, store: DocumentStore?) { self.path = path; self.store = store }

    /// Saves through the store, creating the file (and a private folder) the first time.
    func save(_ document: CaseloadDocument, now: Date) throws {
        lock.lock()
        defer { lock.unlock() }
        if let store {
            try store.save(document, now: now)
            return
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        store = try DocumentStore.create(path, with: document, now: now)
    }

    func replace(store newStore: DocumentStore?, path newPath: String) {
        lock.lock()
        defer { lock.unlock() }
        store?.close()
        store = newStore
        path = newPath
    }

    /// Whether someone else changed the file. Asked from the UI loop every two seconds, so it never waits: while a save
    /// holds the store (backup, write, fsync can take seconds on a long chart) it answers "not now", and the next poll asks again.
    func externalChange() -> Bool {
        guard lock.try() else { return false }
        defer { lock.unlock() }
        return store?.checkForExternalChange() ?? false
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        store?.close()
    }
}

/// The newest autosave state, handed from the autosaver's queue to the UI loop.
final class SaveStateBox: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: AutosaveState?
    func put(_ state: AutosaveState) { lock.withLock { latest = state } }
    func take() -> AutosaveState? { lock.withLock { defer { latest = nil }; return latest } }
}

/// Wires the store, the UI and the terminal: events in, `update`, effects out, `render` when something changed.
@MainActor
enum AppRunner {
    static func run(file: String?, theme themeFlag: String?, demo: Bool, readOnly: Bool) -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        // Before any document is read: a crash must not leave the chart in a core file.
        var warnings: [String] = CoreDumps.disable()
        // Notes a crashed or killed run left in its $EDITOR folder are removed; a live run's folder is kept.
        ExternalEditor.removeLeftovers(environment: environment)
        let configPath = configFolder(environment) + "/config.toml"
        var config = AppConfig()
        let configRead = TOML.readFile(configPath)
        if let warning = configRead.warning { warnings.append(warning) }
        if let text = configRead.text {
            let parsed = AppConfig.parse(text, source: configPath, home: environment["HOME"] ?? NSHomeDirectory())
            config = parsed.0
            warnings += parsed.warnings
        }
        // Two clocks: the view may be fixed by CASELOAD_NOW (demos, screenshots); what is recorded (signatures,
        // disclosures, saves, backups, the lock) always takes the real time.
        let fixedAt = Clock.fixedView()
        let now = fixedAt ?? Date()
        let recordNow = Clock.record()

        // Which file, and the document in it. A file that cannot be read never opens the UI.
        var path = file ?? config.file ?? defaultDocumentPath(environment)
        var document: CaseloadDocument
        var store: DocumentStore? = nil
        var readOnlyReason: String? = nil
        var welcome: String? = nil
        if demo {
            document = DemoProgram.generate(seed: 1, size: .small, now: now)
            // A fresh private folder, not a guessable name in a shared $TMPDIR where another account could plant a link.
            do {
                let folder = try PrivateFolder.make(in: FileManager.default.temporaryDirectory.path, prefix: "caseload-demo-")
                path = (folder as NSString).appendingPathComponent("demo.json")
                store = try DocumentStore.create(path, with: document, now: recordNow)
            } catch {
                printError(error.description)
                return 1
            }
            welcome = "Demo program in \(path) (synthetic data). ? shows every key."
        } else if FileManager.default.fileExists(atPath: path) || (try? AtomicFile.read(path)) != nil {
            do {
                let opened = try DocumentStore.open(path, readOnly: readOnly, now: recordNow)
                store = opened.store
                document = opened.document
                if case .readOnly(let reason) = opened.store.access { readOnlyReason = reason }
                warnings += opened.store.notices
            } catch {
                printError(error.description)
                return 1
            }
        } else {
            do {
                _ = try AtomicFile.read(path)
            } catch {
                switch error {
                case .notFound, .parentMissing: break   // a new document: file and folder are made on the first save
                default:
                    printError(error.description)
                    return 1
                }
            }
            document = emptyProgram()
            if readOnly { readOnlyReason = "opened read-only as asked" }
            welcome = "Welcome: a new, empty program. It is saved to \(path) when you first change something. ? shows every key."
        }

        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let themeName = themeFlag ?? config.theme ?? "default"
        let (theme, themeWarnings) = loadTheme(themeName, noColor: noColor, environment: environment)
        warnings += themeWarnings

        let terminal: Terminal
        do {
            terminal = try Terminal.start(noColor: noColor)
        } catch {
            printError("cannot start the terminal UI: \(error)")
            return 1
        }
        TerminationSignals.install()

        let size = terminal.size
        var state = AppState(document: document, fileName: (path as NSString).lastPathComponent, now: now, recordNow: recordNow,
                             clockFixedAt: fixedAt,
                             width: size.width, height: size.height, readOnlyReason: readOnlyReason, themeName: theme.name,
                             login: config.login ?? environment["USER"],
                             prefs: .init(firstWeekday: config.firstWeekday, dayStart: config.dayStart, dayEnd: config.dayEnd))
        _ = update(&state, .themesFound(themeNames(environment: environment)))
        if let first = warnings.first {
            _ = update(&state, .notify(StatusMessage(warnings.count > 1 ? "\(first) (and \(warnings.count - 1) more)" : first, isError: true)))
        } else if let welcome {
            _ = update(&state, .notify(StatusMessage(welcome)))
        }

        let open = OpenDocument(path: path, store: store)
        let saveStates = SaveStateBox()
        let clock: @Sendable () -> Date = { Clock.record() }
        var saver = makeSaver(open, saveStates, clock)
        var currentTheme = theme
        var needsDraw = true
        var lastTick = Date()
        // A note being typed is handed to the autosaver a quarter of a second after a key, not on every key: building the
        // draft copies the document, and the autosaver waits a second after the last change anyway.
        var draftDue: Date?
        var lastPoll = Date()
        var externalChangeShown = false

        func apply(_ msg: Msg) -> [Effect] {
            needsDraw = true
            return update(&state, msg)
        }

        var exitCode: Int32? = nil
        while exitCode == nil {
            if needsDraw {
                terminal.draw(render(state), theme: currentTheme)
                needsDraw = false
            }
            if let signal = TerminationSignals.received {
                // SIGTERM, SIGHUP, SIGINT: the document is saved before the terminal is restored.
                if draftDue != nil { saver.changed(state.documentForSaving) }
                saver.flush()
                exitCode = 128 + signal
                break
            }
            var effects: [Effect] = []
            if let event = terminal.readEvent(timeoutMilliseconds: 200) {
                switch event {
                case .key(.ctrl("z")):
                    // Raw mode delivers Ctrl-Z as a key: step aside to the shell as a terminal program should.
                    saver.saveNow()
                    terminal.suspendToShell()
                    needsDraw = true
                case .key(.ctrl("c")) where state.overlay == nil && state.commandLine == nil:
                    effects += apply(.notify(StatusMessage("Ctrl-C does not quit: press q (your work is saved as you go)")))
                case .key(let key): effects += apply(.key(key))
                case .mouse(let mouse): effects += apply(.mouse(mouse))
                case .resize(let width, let height): effects += apply(.resize(width: width, height: height))
                }
            }
            if let saved = saveStates.take() {
                effects += apply(.saveStatus(status(for: saved)))
                if case .stopped(let reason) = saved, reason.contains("changed on disk"), !externalChangeShown {
                    externalChangeShown = true
                    effects += apply(.externalChange)
                }
            }
            if let due = draftDue, Date() >= due {
                draftDue = nil
                saver.changed(state.documentForSaving)
            }
            if Date().timeIntervalSince(lastTick) >= 1 {
                lastTick = Date()
                effects += apply(.tick(fixedAt ?? Date(), record: clock()))
            }
            if !externalChangeShown, state.readOnlyReason == nil, Date().timeIntervalSince(lastPoll) >= 2 {
                // Noticed even with nothing to save: someone else wrote the file.
                lastPoll = Date()
                if open.externalChange() {
                    externalChangeShown = true
                    saver.stop(reason: "the file changed on disk")
                    effects += apply(.externalChange)
                }
            }
            // Effects may answer with more effects (a report's place is looked at, then written): run them in order.
            var queue = effects
            while !queue.isEmpty {
                let effect = queue.removeFirst()
                switch effect {
                case .documentChanged:
                    // With a note form open, its text is saved as a draft too (at most a second or two is ever lost).
                    saver.changed(state.documentForSaving)
                    draftDue = nil
                case .prepareWrite(let request):
                    queue += apply(ReportFile.look(request, environment: environment, document: open.path))
                case .writeFile(let request):
                    do {
                        try OutputFile.write(Data(request.contents.utf8), to: request.path, replace: request.replace, protecting: [open.path])
                        _ = apply(.reportWritten(request))
                    } catch {
                        let logged = request.disclosure.map { "; the disclosure to \($0.recipient) is logged" } ?? ""
                        _ = apply(.notify(StatusMessage("Could not write \(request.shown): \(error)\(logged)", isError: true)))
                    }
                case .draftChanged:
                    if draftDue == nil { draftDue = Date().addingTimeInterval(0.25) }
                case .editExternally(let text, let target):
                    let outcome = ExternalEditor.edit(text, in: terminal, environment: environment, fileHint: "note")
                    let result: ExternalEditResult
                    switch outcome {
                    case .changed(let edited): result = .changed(edited)
                    case .unchanged: result = .unchanged
                    case .failed(let reason): result = .failed(reason)
                    }
                    for follow in apply(.externalEditFinished(target, result)) where follow == .documentChanged || follow == .draftChanged {
                        saver.changed(state.documentForSaving)
                    }
                    terminal.forceRedraw()
                    needsDraw = true
                case .saveNow:
                    saver.saveNow()
                case .quit:
                    if draftDue != nil { saver.changed(state.documentForSaving) }
                    // "saving" is on screen before the wait for the final save, which takes seconds on a long chart.
                    terminal.draw(render(state), theme: currentTheme)
                    let final = saver.flush()
                    switch final {
                    case .failed(let reason, _), .stopped(let reason):
                        _ = apply(.quitFailed(reason: reason))
                    default:
                        exitCode = 0
                    }
                case .quitWithoutSaving:
                    exitCode = 0
                case .redraw:
                    terminal.forceRedraw()
                    needsDraw = true
                case .setTheme(let name):
                    let (loaded, problems) = loadTheme(name, noColor: noColor, environment: environment)
                    if let problem = problems.first {
                        _ = apply(.notify(StatusMessage(problem, isError: true)))
                    } else {
                        currentTheme = loaded
                        queue += apply(.themeLoaded(loaded.name))
                    }
                    terminal.forceRedraw()
                case .reload:
                    do {
                        open.close()
                        let reopened = try DocumentStore.open(open.path, now: clock())
                        open.replace(store: reopened.store, path: open.path)
                        let readOnly: String? = { if case .readOnly(let r) = reopened.store.access { return r } else { return nil } }()
                        saver = makeSaver(open, saveStates, clock)
                        externalChangeShown = false
                        queue += apply(.reloaded(reopened.document, readOnlyReason: readOnly, path: open.path, at: clock()))
                    } catch {
                        _ = apply(.notify(StatusMessage("Cannot reload: \(error)", isError: true)))
                    }
                case .saveAs(let newPath):
                    do {
                        let created = try DocumentStore.create(newPath, with: state.document, now: clock())
                        open.replace(store: created, path: newPath)
                        saver = makeSaver(open, saveStates, clock)
                        externalChangeShown = false
                        queue += apply(.savedAs(path: newPath, at: clock()))
                    } catch {
                        _ = apply(.notify(StatusMessage("Cannot save as \(newPath): \(error)", isError: true)))
                    }
                }
            }
        }
        terminal.stop()
        open.close()
        return exitCode ?? 0
    }

    static func makeSaver(_ open: OpenDocument, _ box: SaveStateBox, _ clock: @escaping @Sendable () -> Date) -> Autosaver<CaseloadDocument> {
        // Saved a second after the last change, and never more than two seconds after the first: continuous typing in a
        // note loses at most that much if the machine dies.
        Autosaver<CaseloadDocument>(debounce: 1, maxDelay: 2, clock: clock, onStateChange: { box.put($0) }) { document in
            try open.save(document, now: clock())
        }
    }

    static func status(for state: AutosaveState) -> SaveStatus {
        switch state {
        case .idle: .saved(at: Clock.record())
        case .saved(let at): .saved(at: at)
        case .pending: .unsaved
        case .saving: .saving
        case .failed(let reason, _): .error(reason)
        case .stopped(let reason): .stopped(reason)
        }
    }

    static func loadTheme(_ name: String, noColor: Bool, environment: [String: String]) -> (Theme, [String]) {
        var userThemes: [String: String] = [:]
        var fileWarnings: [String] = []
        let folder = configFolder(environment) + "/themes"
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasSuffix(".toml") {
            let read = TOML.readFile(folder + "/" + file)
            if let text = read.text { userThemes[file] = text }
            // Only the theme asked for: a broken file beside it is not the user's concern today.
            if let warning = read.warning, file == name + ".toml" { fileWarnings.append(warning) }
        }
        let resolved = ThemeLoader.resolve(name: name, userThemes: userThemes, noColor: noColor)
        return (resolved.0, fileWarnings + resolved.warnings)
    }

    /// The names `:theme` can load: the built-in themes, then the user's own `.toml` files not named like one of them.
    static func themeNames(environment: [String: String]) -> [String] {
        let folder = configFolder(environment) + "/themes"
        let own = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }
            .filter { !ThemeLoader.builtInNames.contains($0) }.sorted()
        return ThemeLoader.builtInNames + own
    }

    static func configFolder(_ environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/caseload" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/caseload"
    }

    static func defaultDocumentPath(_ environment: [String: String]) -> String {
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/caseload/caseload.json" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/caseload/caseload.json"
    }

    /// A new program with sensible IOP defaults, for a first start.
    static func emptyProgram() -> CaseloadDocument {
        let zone = TimeZone.current.identifier
        let program = Program(
            name: "New program", timeZone: TimeZone(identifier: zone) != nil ? zone : "UTC", firstWeekday: .mon,
            dayStart: LocalTime(clamping: 8 * 60), dayEnd: LocalTime(clamping: 21 * 60 + 30),
            phases: [
                Phase(id: "phase-1", name: "Phase I", levelOfCare: .intensiveOutpatient, requiredSessionsPerWeek: 3, requiredMinutesPerWeek: 540, typicalWeeks: 4),
                Phase(id: "phase-2", name: "Phase II", levelOfCare: .outpatient, requiredSessionsPerWeek: 2, requiredMinutesPerWeek: 360, typicalWeeks: 5),
                Phase(id: "phase-3", name: "Phase III", levelOfCare: .outpatient, requiredSessionsPerWeek: 1, requiredMinutesPerWeek: 180, typicalWeeks: 8),
            ],
            rooms: [Room(id: "room-1", name: "Room 1")]
        )
        return CaseloadDocument(program: program)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("caseload: \(TerminalText.safe(message))\n".utf8))
    }
}
