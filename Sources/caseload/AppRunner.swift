import ArgumentParser
import CaseloadCore
import CaseloadDatabase
import CaseloadDemo
import CaseloadStore
import CaseloadTerminal
import CaseloadUI
import Foundation

/// The app's start-up (config, the document, the theme, the terminal) and its loop: events in as `Msg`s, `update`, the
/// effects it asks for handed to the `EffectRunner` (whose answers are `Msg`s again), `render` when something changed.
enum AppRunner {
    /// What start-up found: the document to show, where it lives, and what to tell the user first.
    struct Opened {
        var path: String
        var document: CaseloadDocument
        var store: (any DocumentHome)?
        var readOnlyReason: String?
        var welcome: String?
        var warnings: [String]
        /// The key material when the document is encrypted.
        var keys: DocumentKeys? = nil
        /// How its key slots changed since this account last opened it here, to be read in a box first.
        var keyNotice: [String]? = nil
        /// Edits an earlier session could not send to the database grew from this: the first save sends them (issue 20).
        var waitingBase: CaseloadDocument? = nil
        /// What the title bar calls it: the file's name, or the database's.
        var title: String? = nil
    }

    /// Runs the terminal UI on a document until it quits; the process's exit code.
    @MainActor
    static func run(file: String?, db: String? = nil, theme themeFlag: String?, demo: Bool, readOnly: Bool, passphrase: PassphraseOptions = PassphraseOptions()) -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        // Before any document is read: a crash must not leave the chart in a core file.
        var warnings: [String] = CoreDumps.disable()
        // Notes a crashed or killed run left in its $EDITOR folder are removed; a live run's folder is kept.
        ExternalEditor.removeLeftovers(environment: environment)
        let (config, configWarnings) = readConfig(environment)
        warnings += configWarnings
        // The program's own outcome instruments: a file that cannot be used is named with its line, and skipped.
        let (instruments, instrumentWarnings) = InstrumentFiles.load(folder: configFolder(environment) + "/instruments")
        warnings += instrumentWarnings
        // Two clocks: the view may be fixed by CASELOAD_NOW (demos, screenshots); what is recorded (signatures,
        // disclosures, saves, backups, the lock) always takes the real time.
        let fixedAt = Clock.fixedView()
        let now = fixedAt ?? Date()
        let recordNow = Clock.record()

        // Which file, and the document in it. A file that cannot be read never opens the UI.
        let opened: Opened
        // A database (issue 20): --db, or db in config.toml unless --file names a file.
        let database = demo ? nil : db ?? (file == nil ? config.db : nil)
        let found = database.map { openDatabase($0, readOnly: readOnly, passphrase: passphrase, offlineFolder: configFolder(environment) + "/offline") }
            ?? openDocument(file ?? config.file ?? defaultDocumentPath(environment), demo: demo, readOnly: readOnly, now: now, recordNow: recordNow,
                            passphrase: passphrase)
        switch found {
        case .success(let found): opened = found
        case .failure(let problem):
            if let message = problem.message { printError(message) }
            return problem.code
        }
        warnings += opened.warnings

        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let (theme, themeWarnings) = loadTheme(themeFlag ?? config.theme ?? "default", noColor: noColor, environment: environment)
        warnings += themeWarnings

        let terminal: Terminal
        do {
            terminal = try Terminal.start(noColor: noColor)
        } catch {
            printError("cannot start the terminal UI: \(error)")
            return 1
        }
        TerminationSignals.install()

        // Who is at the keyboard: the unlocked slot's person, else this process's account (never $USER or config).
        let person = Operator.resolve(document: opened.document, slotLogin: opened.keys?.login, environment: environment)
        // New entities get IDs no other instance on this document can pick at the same moment (issue 18).
        NewIDs.tag = NewIDs.randomTag()
        let size = terminal.size
        var state = AppState(document: opened.document, fileName: opened.title ?? (opened.path as NSString).lastPathComponent, now: now, recordNow: recordNow,
                             clockFixedAt: fixedAt,
                             width: size.width, height: size.height, readOnlyReason: opened.readOnlyReason, themeName: theme.name,
                             // Whoever unlocked an encrypted document is the one signed in (their slot's login, which --slot may name).
                             login: person.login, identity: person.identity,
                             prefs: .init(firstWeekday: config.firstWeekday, dayStart: config.dayStart, dayEnd: config.dayEnd),
                             lockMode: lockMode(opened.keys), lockAfter: config.lockAfter)
        _ = update(&state, .themesFound(themeNames(environment: environment)))
        _ = update(&state, .instrumentsFound(instruments))
        if let first = warnings.first {
            _ = update(&state, .notify(StatusMessage(warnings.count > 1 ? "\(first) (and \(warnings.count - 1) more)" : first, isError: true)))
        } else if let welcome = opened.welcome {
            _ = update(&state, .notify(StatusMessage(welcome)))
        }
        if let notice = opened.keyNotice {
            _ = update(&state, .notice(title: "Key slots changed", lines: notice))
        }

        let open = OpenDocument(path: opened.path, store: opened.store, person: person, environment: environment)
        let runner = EffectRunner(
            open: open, environment: environment, theme: theme, clock: { Clock.record() },
            loadTheme: { name in loadTheme(name, noColor: noColor, environment: environment) },
            screen: .init(
                forceRedraw: { terminal.forceRedraw() },
                editExternally: { text in
                    // An encrypted document's note goes only to an in-memory folder, or not at all.
                    switch ExternalEditor.edit(text, in: terminal, environment: environment, fileHint: "note", inMemoryOnly: opened.keys != nil) {
                    case .changed(let edited): .changed(edited)
                    case .unchanged: .unchanged
                    case .failed(let reason): .failed(reason)
                    }
                }),
            verifyPassphrase: verifier(opened.keys))
        runner.startAudit()
        if let base = opened.waitingBase {
            _ = update(&state, .waitingEditsFound(base: base))
            runner.sendWaitingEdits(state)
        }
        let exitCode = loop(&state, terminal: terminal, runner: runner, fixedAt: fixedAt)
        runner.leavePresence()
        terminal.stop()
        open.close()
        return exitCode
    }

    /// An encrypted document's screen unlocks with the signed-in person's passphrase; a plain one's is only hidden.
    static func lockMode(_ keys: DocumentKeys?) -> LockMode {
        guard let keys else { return .hideOnly }
        return .passphrase(login: keys.login)
    }

    /// Checks a passphrase typed on the lock screen against that person's slot in the document's current header.
    static func verifier(_ keys: DocumentKeys?) -> EffectRunner.PassphraseVerifier? {
        guard let keys else { return nil }
        return { typed in keys.verify(passphrase: typed) }
    }

    /// Reads events, sends them through `update`, runs the effects, draws; until the runner has an exit code or a signal came.
    @MainActor
    static func loop(_ state: inout AppState, terminal: Terminal, runner: EffectRunner, fixedAt: Date?) -> Int32 {
        var needsDraw = true
        var lastTick = Date()
        // The last key or click, on a monotonic clock: the view clock may be fixed (CASELOAD_NOW) and the wall clock may
        // jump, and neither must decide when the screen locks.
        var lastInput = ProcessInfo.processInfo.systemUptime
        while true {
            if let code = runner.exitCode { return code }
            if needsDraw {
                terminal.draw(render(state), theme: runner.theme)
                needsDraw = false
            }
            if let signal = TerminationSignals.received {
                // SIGTERM, SIGHUP, SIGINT: the document is saved before the terminal is restored.
                runner.saveBeforeSignalExit(state)
                return 128 + signal
            }
            var messages: [Msg] = []
            var hadInput = false
            // The loop turns at least five times a second, so a job's answer is shown soon after it is ready.
            if let event = terminal.readEvent(timeoutMilliseconds: 200) {
                if case .resize = event {} else { hadInput = true }
                switch route(event, state, quitting: runner.isQuitting) {
                case .ignore: break
                case .suspend:
                    runner.saveSoon()
                    terminal.suspendToShell()
                    needsDraw = true
                case .send(let msg): messages.append(msg)
                }
            }
            messages += runner.collect(state)
            if Date().timeIntervalSince(lastTick) >= 1 {
                lastTick = Date()
                messages.append(.tick(fixedAt ?? Date(), record: Clock.record()))
                messages.append(.idle(seconds: ProcessInfo.processInfo.systemUptime - lastInput))
            }
            // Each message goes through `update`; each effect it asks for goes to the runner, whose immediate answers
            // (a refusal, "reloading…", `$EDITOR`'s result) are messages again, in order.
            var queue = messages
            while !queue.isEmpty {
                let msg = queue.removeFirst()
                needsDraw = true
                for effect in update(&state, msg) {
                    queue += runner.run(effect, state)
                }
            }
            // Counted from after the effects ran: time spent in $EDITOR or at the shell (Ctrl-Z) was not time away.
            if hadInput { lastInput = ProcessInfo.processInfo.systemUptime }
        }
    }

    /// What the loop does with a terminal event.
    enum EventRoute: Equatable {
        case ignore
        /// Step aside to the shell (Ctrl-Z), saving soon.
        case suspend
        case send(Msg)
    }

    /// The loop's handling of one event, before `update`: what the terminal's raw mode would otherwise have done itself.
    static func route(_ event: InputEvent, _ state: AppState, quitting: Bool) -> EventRoute {
        switch event {
        case .key where quitting, .mouse where quitting:
            return .ignore   // the final save is under way and "saving…" is shown: an edit now could not be saved
        case .key(let key) where state.isLocked:
            // Every key goes to the lock screen: Ctrl-Z must not hand a passer-by the clinician's shell, and Ctrl-C
            // does nothing there.
            return .send(.key(key))
        case .key(.ctrl("z")):
            // Raw mode delivers Ctrl-Z as a key: step aside to the shell as a terminal program should.
            return .suspend
        case .key(.ctrl("c")) where state.overlay == nil && state.commandLine == nil:
            return .send(.notify(StatusMessage(interruptHint(state))))
        case .key(let key): return .send(.key(key))
        case .mouse(let mouse): return .send(.mouse(mouse))
        case .resize(let width, let height): return .send(.resize(width: width, height: height))
        }
    }

    /// A reason start-up cannot go on, printed before exiting with 1.
    struct StartProblem: Error {
        /// Nil when it was already said (the passphrase prompt says why it gave up).
        var message: String?
        var code: Int32 = 1
    }

    /// The config file's settings, and a warning for each problem in it (the app starts anyway).
    static func readConfig(_ environment: [String: String]) -> (AppConfig, [String]) {
        let configPath = configFolder(environment) + "/config.toml"
        var config = AppConfig()
        var warnings: [String] = []
        let configRead = TOML.readFile(configPath)
        if let warning = configRead.warning { warnings.append(warning) }
        if let text = configRead.text {
            let parsed = AppConfig.parse(text, source: configPath, home: environment["HOME"] ?? NSHomeDirectory())
            config = parsed.0
            warnings += parsed.warnings
        }
        return (config, warnings)
    }

    /// The demo, the document at `path`, or a new empty program when there is no file yet.
    static func openDocument(_ path: String, demo: Bool, readOnly: Bool, now: Date, recordNow: Date,
                             passphrase: PassphraseOptions = PassphraseOptions()) -> Result<Opened, StartProblem> {
        if demo {
            var document = DemoProgram.generate(seed: 1, size: .small, now: now)
            // Whoever tries the demo is its director, so that signing and the Record's Access section work for them
            // (only staff sign, and staff are known by their account).
            let account = Operator.accountName()
            var you: String? = nil
            if !document.staff.contains(where: { $0.login == account }),
               let director = document.staff.firstIndex(where: { $0.role == .director }) ?? document.staff.indices.first {
                document.staff[director].login = account
                you = "\(document.staff[director].name), the \(document.staff[director].role.rawValue)"
            }
            // A fresh private folder, not a guessable name in a shared $TMPDIR where another account could plant a link.
            do {
                let folder = try PrivateFolder.make(in: FileManager.default.temporaryDirectory.path, prefix: "caseload-demo-")
                let demoPath = (folder as NSString).appendingPathComponent("demo.json")
                let store = try DocumentStore.create(demoPath, with: document, now: recordNow)
                return .success(Opened(path: demoPath, document: document, store: store, readOnlyReason: nil,
                                       welcome: "Demo (synthetic data)\(you.map { ": you are \($0)" } ?? ""). ? shows every key. In \(demoPath)",
                                       warnings: []))
            } catch {
                return .failure(StartProblem(message: error.description))
            }
        }
        if FileManager.default.fileExists(atPath: path) || (try? AtomicFile.read(path)) != nil {
            // An encrypted document: the passphrase is asked for here, before the screen opens (three tries at the
            // terminal); giving up leaves the file untouched.
            let keys: DocumentKeys?
            var keyNotice: [String]? = nil
            do {
                keys = try Unlocking.keys(for: path, options: passphrase, warnOfKeyChanges: false)
                // Keys changed since this account last opened the document here: said in the status line, and asked
                // about first when it looks like a swapped file (a new document key with nobody removed).
                if let keys, let changes = Unlocking.keyChanges(keys, path: path) {
                    let said = changes.describe(path: path)
                    if changes.isSuspicious, passphrase.source() == .terminal,
                       !Passphrases.confirm("caseload: warning: \(said).\nOpen it anyway? [y/N] ") {
                        return .failure(StartProblem(message: "\(path) was not opened; nothing was read into the app or changed", code: Unlocking.lockedOutStatus))
                    }
                    keyNotice = changes.lines(path: path)
                }
            } catch let exit as ExitCode {
                return .failure(StartProblem(message: nil, code: exit.rawValue))
            } catch {
                return .failure(StartProblem(message: "\(error)"))
            }
            do {
                let opened = try DocumentStore.open(path, readOnly: readOnly, now: recordNow, keys: keys)
                var reason: String? = nil
                if case .readOnly(let why) = opened.store.access { reason = why }
                if let keys { Unlocking.rememberKeys(keys, path: path) }
                var warnings = opened.store.notices
                if opened.store.auditSealNeedsSaving {
                    // A document from before audit trails: its trail's keys are saved at once, so that what this session
                    // records can be verified (until they are, entries wait).
                    do { try opened.store.save(opened.document, now: recordNow) } catch {
                        warnings.append("the audit trail could not start (\(error)); its entries wait for the first save")
                    }
                }
                return .success(Opened(path: path, document: opened.document, store: opened.store, readOnlyReason: reason,
                                       welcome: nil, warnings: warnings, keys: keys, keyNotice: keyNotice))
            } catch {
                return .failure(StartProblem(message: error.description))
            }
        }
        do {
            _ = try AtomicFile.read(path)
        } catch {
            switch error {
            case .notFound, .parentMissing: break   // a new document: file and folder are made on the first save
            default: return .failure(StartProblem(message: error.description))
            }
        }
        return .success(Opened(path: path, document: emptyProgram(), store: nil, readOnlyReason: readOnly ? "opened read-only as asked" : nil,
                               welcome: "Welcome: a new, empty program. It is saved to \(path) when you first change something. ? shows every key.",
                               warnings: []))
    }

    /// The document in the database at `url` (issue 20): the password from ~/.pgpass or typed, an encrypted one's
    /// passphrase asked for, before the screen opens. A database set up by `db init` with no program yet starts a new
    /// one, written by the first change; edits an earlier session could not send are opened and sent at once.
    static func openDatabase(_ url: String, readOnly: Bool, passphrase: PassphraseOptions, offlineFolder: String) -> Result<Opened, StartProblem> {
        do {
            let address = try DatabaseLogin.address(url)
            let opened: DatabaseStore.Opened
            do { opened = try DatabaseLogin.open(address, readOnly: readOnly, passphrase: passphrase, offlineFolder: offlineFolder) } catch {
                if OfflineCopy(folder: offlineFolder, address: address).exists {
                    printError("the edits an earlier session could not send are kept in \(offlineFolder); they are sent when you open \(address.display) with the server reachable")
                }
                throw error
            }
            var reason: String? = nil
            if case .readOnly(let why) = opened.store.access { reason = why }
            let title = "\(address.database)@\(address.host)"
            let welcome = opened.document == nil
                ? "Welcome: a new, empty program in \(address.display). It is saved there when you first change something. ? shows every key."
                : "Opened from \(address.display)\(opened.store.isEncrypted ? " (rows sealed)" : "")"
            return .success(Opened(path: address.display, document: opened.waiting ?? opened.document ?? emptyProgram(), store: opened.store,
                                   readOnlyReason: reason, welcome: welcome, warnings: opened.store.notices, keys: opened.store.keys,
                                   waitingBase: opened.waiting == nil ? nil : opened.waitingBase, title: title))
        } catch let exit as ExitCode {
            return .failure(StartProblem(message: nil, code: exit.rawValue))
        } catch {
            return .failure(StartProblem(message: "\(error)"))
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
