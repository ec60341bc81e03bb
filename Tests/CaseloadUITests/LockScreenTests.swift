import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The screen that locks itself (issue 16): Ctrl-\, `:lock` and `lock_after` put up a lock screen that shows no patient
/// data, takes every key, and gives back exactly what was open once the right passphrase is typed (or, on a plain
/// document, once Enter is pressed: the screen was only hidden).
@Suite struct LockScreenTests {
    static let passphrase = "correct horse battery"

    /// The small demo, signed in as the demo director, with an encrypted document's lock.
    static func encrypted(width: Int = 80, height: Int = 24, lockAfter: TimeInterval? = 600) -> AppState {
        AppState(document: UIFixtures.demo, fileName: "demo.json", now: UIFixtures.now, width: width, height: height,
                 login: "dreyes", lockMode: .passphrase(login: "dreyes"), lockAfter: lockAfter)
    }

    /// The ten-member group open in the Session pane, the first member's note form open and half typed.
    static func noteHalfTyped() -> AppState {
        var (state, _) = SessionPaneTests.opened(login: "dreyes")
        state.lockMode = .passphrase(login: "dreyes")
        state.memberIndex = 1
        state.press(.enter)
        state.type("Engaged; named two trig")
        return state
    }

    /// Every field's text in the top form.
    static func typedText(_ state: AppState) -> String {
        guard let form = state.forms.last?.form else { return "" }
        return form.fields.map { form.text($0.id) }.joined(separator: "\n")
    }

    /// What the runner does with `.checkPassphrase`, with a verifier that knows one passphrase (a test double for the
    /// key slot's scrypt check): every effect asking for a check is answered through `update`.
    @discardableResult
    static func answer(_ effects: [Effect], _ state: inout AppState, verifier: (String) -> Bool = { $0 == passphrase }) -> [Effect] {
        var rest: [Effect] = []
        for effect in effects {
            if case .checkPassphrase(let typed) = effect {
                rest += update(&state, .passphraseChecked(correct: verifier(typed.revealed)))
            } else {
                rest.append(effect)
            }
        }
        return rest
    }

    /// Types `text` and Enter on the lock screen, and answers the check.
    static func unlock(_ state: inout AppState, with text: String) {
        state.type(text)
        answer(state.press(.enter), &state)
    }

    // MARK: Locking

    @Test func ctrlBackslashLocksFromThePanesAFormAQuestionAndTheCommandLine() {
        var week = Self.encrypted()
        #expect(week.press(.ctrl("\\")) == [.saveNow, .audit([AuditEvent("screen.lock")])], "locking asks for a save now: the person is leaving")
        #expect(week.lock?.reason == .key)
        #expect(week.lock?.since == UIFixtures.now, "locked at the view clock's time")

        var form = Self.noteHalfTyped()
        form.press(.ctrl("\\"))
        #expect(form.isLocked, "Ctrl-\\ locks over a form, where other control keys edit the text")

        var command = Self.encrypted()
        command.press(.char(":"))
        command.type("go")
        command.press(.ctrl("\\"))
        #expect(command.isLocked)
        #expect(command.commandLine == "go", "the command line is kept as typed")

        var question = Self.encrypted()
        question.press(.char("?"))
        question.press(.ctrl("\\"))
        #expect(question.isLocked, "over help too")
        #expect(question.overlay == .help(scroll: 0))
    }

    @Test func colonLockLocksAndAReadOnlyDocumentIsNotAskedToSave() {
        var state = Self.encrypted()
        state.press(.char(":"))
        state.type("lock")
        #expect(state.press(.enter) == [.saveNow, .audit([AuditEvent("screen.lock")])])
        #expect(state.lock?.reason == .command)
        #expect(state.commandLine == nil)

        var readOnly = UIFixtures.state(width: 80, height: 24, readOnly: "opened read-only as asked")
        readOnly.press(.char(":"))
        readOnly.type("lock")
        #expect(readOnly.press(.enter) == [.audit([AuditEvent("screen.lock")])], "nothing to save on a read-only document")
        #expect(readOnly.isLocked)
    }

    @Test func idleLocksOnlyOncePastLockAfterAndNeverWhenOff() {
        var state = Self.encrypted(lockAfter: 300)
        #expect(update(&state, .idle(seconds: 299.5)) == [])
        #expect(!state.isLocked, "half a second short of five minutes")
        #expect(update(&state, .idle(seconds: 300)) == [.saveNow, .audit([AuditEvent("screen.lock")])])
        #expect(state.lock?.reason == .idle)
        #expect(update(&state, .idle(seconds: 400)) == [], "already locked: nothing more")

        var off = Self.encrypted(lockAfter: nil)
        _ = update(&off, .idle(seconds: 86_400 * 30))
        #expect(!off.isLocked, "lock_after = \"off\"")

        // The view clock (CASELOAD_NOW) and the record clock moving on is not idleness: only `.idle` counts.
        var ticking = Self.encrypted(lockAfter: 3)
        _ = update(&ticking, .tick(UIFixtures.now.addingTimeInterval(3600), record: UIFixtures.now.addingTimeInterval(3600)))
        #expect(!ticking.isLocked)
    }

    // MARK: Unlocking

    @Test func theRightPassphraseUnlocksBackExactlyWhereTheUserWas() throws {
        var state = Self.noteHalfTyped()
        let screen = render(state)
        let forms = state.forms, document = state.document, focus = state.focus, member = state.memberIndex
        let draft = state.draftForSaving
        state.press(.ctrl("\\"))
        state.type(Self.passphrase)
        let asked = state.press(.enter)
        #expect(asked == [.checkPassphrase(SecretText(Self.passphrase))])
        #expect(state.lock?.checking == true)
        #expect(state.lock?.typed.isEmpty == true, "the field is cleared once sent")
        Self.answer(asked, &state)
        #expect(!state.isLocked)
        #expect(state.forms == forms, "the note form with its half-typed text")
        #expect(Self.typedText(state).contains("named two trig"))
        #expect(state.document == document)
        #expect(state.draftForSaving == draft, "the draft autosave keeps is the same")
        #expect(state.focus == focus && state.memberIndex == member)
        #expect(render(state) == screen, "the same screen, to the cell")
        // And the form goes on taking keys where it left off.
        state.type("gers.")
        #expect(Self.typedText(state).contains("named two triggers."))
    }

    @Test func aWrongPassphraseKeepsTheLockClearsTheFieldAndIsCounted() throws {
        var state = Self.encrypted()
        state.press(.ctrl("\\"))
        Self.unlock(&state, with: "correct horse")
        #expect(state.isLocked)
        #expect(state.lock?.wrongTries == 1)
        #expect(state.lock?.typed.isEmpty == true)
        #expect(render(state).text.contains("Wrong passphrase (1 wrong try since it locked)"))
        Self.unlock(&state, with: "Correct horse battery")
        #expect(render(state).text.contains("Wrong passphrase (2 wrong tries since it locked)"))
        state.type("c")
        let typing = render(state).text
        #expect(!typing.contains("Wrong passphrase"), "typing again takes the warning away")
        #expect(typing.contains("2 wrong tries since it locked"), "the count stays")
        state.press(.escape)
        Self.unlock(&state, with: Self.passphrase)
        #expect(!state.isLocked)
        #expect(state.message?.text == "Unlocked; 2 wrong passphrases were typed while the screen was locked")
    }

    @Test func oneCheckAtATimeKeysTypedMeanwhileAreKeptAndAStrayAnswerChangesNothing() {
        var state = Self.encrypted()
        state.press(.ctrl("\\"))
        state.type("abc")
        #expect(state.press(.enter).count == 1)
        #expect(render(state).text.contains("Passphrase for dreyes: ▏  checking…"))
        state.type("xyz")
        #expect(state.press(.enter) == [], "one check at a time")
        #expect(render(state).text.contains("Passphrase for dreyes: ••••••••▏  checking…"))
        _ = update(&state, .passphraseChecked(correct: false))
        #expect(state.lock?.typed == SecretText("xyz"), "the next try, typed while the last was checked, is kept")
        #expect(render(state).text.contains("Wrong passphrase (1 wrong try since it locked)"))
        _ = update(&state, .passphraseChecked(correct: true))
        #expect(state.isLocked, "an answer nobody waits for does not unlock")
        #expect(state.lock?.wrongTries == 1)
        #expect(state.press(.enter) == [.checkPassphrase(SecretText("xyz"))])
    }

    @Test func theFieldEditsBackspaceCtrlUAndEscAndEnterOnNothingAsksNothing() {
        var state = Self.encrypted()
        state.press(.ctrl("\\"))
        #expect(state.press(.enter) == [], "nothing typed: nothing to check")
        state.type("abcd")
        state.press(.backspace)
        #expect(state.lock?.typed == SecretText("abc"))
        state.press(.ctrl("u"))
        #expect(state.lock?.typed.isEmpty == true)
        state.type("abcd")
        state.press(.escape)
        #expect(state.lock?.typed.isEmpty == true)
        #expect(state.isLocked, "Esc clears, it does not unlock")
    }

    // MARK: Nothing underneath is reachable

    @Test func keysAndClicksWhileLockedChangeNothingInTheDocumentOrOnTheScreenUnderneath() {
        var state = Self.encrypted(width: 120, height: 40)
        state.focus = .session
        let document = state.document
        state.press(.ctrl("\\"))
        let locked = state
        // Every pane's editing keys, quitting, undo, saving, the command line, the panes, and clicks and the wheel.
        let keys: [Key] = [.char("p"), .char("a"), .char("P"), .char("n"), .char("x"), .char("X"), .char("D"), .char("S"),
                           .char("q"), .char("u"), .char(":"), .char("!"), .char("?"), .char("1"), .tab, .backTab, .up, .down,
                           .ctrl("s"), .ctrl("r"), .ctrl("l"), .ctrl("x"), .ctrl("\\"), .function(1), .delete, .pageDown]
        var effects: [Effect] = []
        for key in keys { effects += state.press(key) }
        for kind in [MouseEvent.Kind.press, .release, .wheelUp, .wheelDown] {
            effects += update(&state, .mouse(MouseEvent(kind: kind, x: 3, y: 3)))
        }
        #expect(effects.isEmpty, "no save, no quit, no redraw: \(effects)")
        #expect(state.document == document)
        #expect(state.focus == locked.focus && state.overlay == nil && state.commandLine == nil && state.forms.isEmpty)
        #expect(state.message == locked.message)
        #expect(state.isLocked)
    }

    @Test func ctrlZAndCtrlCWhileLockedDoNothing() {
        var state = Self.encrypted()
        state.press(.ctrl("\\"))
        state.type("ab")
        #expect(state.press(.ctrl("z")) == [])
        #expect(state.press(.ctrl("c")) == [])
        #expect(state.isLocked)
        #expect(state.message == nil, "not even the Ctrl-C hint, which would show once unlocked")
        #expect(state.lock?.typed == SecretText("ab"), "not typed into the field either")
    }

    @Test func saveStatesStillArriveWhileLocked() {
        var state = Self.encrypted()
        state.press(.ctrl("\\"))
        _ = update(&state, .saveStatus(.saving))
        #expect(state.saveStatus == .saving)
        #expect(render(state).text.contains("Autosave goes on (saving…)"))
        let later = UIFixtures.now.addingTimeInterval(5)
        _ = update(&state, .saveStatus(.saved(at: UIFixtures.now)))
        _ = update(&state, .tick(later, record: later))
        #expect(render(state).text.contains("(saved 5 s ago)"))
        // Job answers that set a message or a question wait under the lock, unseen until it is unlocked.
        _ = update(&state, .notify(StatusMessage("Wrote /tmp/report.txt")))
        #expect(!render(state).text.contains("report.txt"))
        #expect(state.isLocked)
    }

    // MARK: The passphrase goes nowhere

    @Test func thePassphraseIsNeverShownNorPrintedAndTheMaskDoesNotCountIt() {
        var state = Self.encrypted()
        state.press(.ctrl("\\"))
        #expect(!render(state).text.contains("•"), "nothing typed: no mask")
        state.type("s")
        let one = render(state).text
        #expect(one.contains("Passphrase for dreyes: ••••••••▏"))
        state.type("3cret-Phrase-Long-Enough")
        let many = render(state).text
        #expect(many == one, "the mask is the same for 1 character and for 25")
        #expect(!many.contains("3cret"))
        let effects = state.press(.enter)
        #expect(!"\(effects)".contains("3cret"), "an effect printed shows no passphrase: \(effects)")
        #expect("\(SecretText("s3cret"))" == "(hidden)")
        #expect(String(reflecting: SecretText("s3cret")) == "SecretText(hidden)")
        Self.answer(effects, &state)
        #expect(state.message == nil)
        #expect(!render(state).text.contains("3cret"))
    }

    @Test func aPlainDocumentIsOnlyHiddenAndEnterShowsItAgain() {
        var state = UIFixtures.state(width: 80, height: 24)
        let screen = render(state)
        #expect(state.lockMode == .hideOnly, "the default: a plain document")
        state.press(.ctrl("\\"))
        let hidden = render(state).text
        #expect(hidden.contains("Screen hidden since 18:05"))
        #expect(hidden.contains("This document is not encrypted: the screen is hidden, not locked."))
        #expect(hidden.contains("Enter returns to it."))
        #expect(hidden.contains("caseload encrypt PATH protects the file"))
        #expect(!hidden.contains("Passphrase"))
        state.type("abc")
        #expect(state.lock?.typed.isEmpty == true, "nothing to type into")
        #expect(state.press(.escape) == [])
        #expect(state.isLocked)
        #expect(state.press(.enter) == [.audit([AuditEvent("screen.unlock")])], "no passphrase is checked")
        #expect(!state.isLocked)
        #expect(render(state) == screen)
    }

    // MARK: The lock screen shows no patient data

    /// Every word of every demo patient's legal and preferred names, and every MRN.
    static func patientWords(_ document: CaseloadDocument) -> Set<String> {
        var words = Set<String>()
        for patient in document.patients {
            for name in [patient.legalName, patient.preferredName ?? ""] {
                for part in name.split(whereSeparator: { !$0.isLetter && $0 != "'" }) where part.count >= 2 { words.insert(String(part)) }
            }
            words.insert(patient.mrn)
        }
        return words
    }

    /// The screen's words (letters, digits, apostrophes and hyphens kept together).
    static func screenWords(_ text: String) -> Set<String> {
        Set(text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" && $0 != "-" }).map(String.init))
    }

    /// A state with as much patient data on screen as can be: a member's note form (its title names the member), a
    /// record open under it, and a message naming a patient.
    static func busy(width: Int, height: Int) -> AppState {
        var state = Self.noteHalfTyped()
        _ = update(&state, .resize(width: width, height: height))
        let name = state.selectedMember?.displayName ?? ""
        state.message = StatusMessage("Marked \(name) present")
        return state
    }

    @Test(arguments: [(80, 24), (120, 40), (20, 6), (12, 4), (5, 2), (1, 1), (0, 0)])
    func theLockScreenOfTheDemoNamesNoPatient(size: (Int, Int)) throws {
        let words = Self.patientWords(SessionPaneTests.opened().0.document).union(Self.patientWords(UIFixtures.demo))
        #expect(words.count > 40, "the demo's names are there to look for")
        for mode in [LockMode.passphrase(login: "dreyes"), .hideOnly] {
            var state = Self.busy(width: size.0, height: size.1)
            state.lockMode = mode
            let unlocked = Self.screenWords(render(state).text)
            if size.0 >= 80 { #expect(!unlocked.isDisjoint(with: words), "the screen underneath does name patients") }
            state.press(.ctrl("\\"))
            state.type("abc")
            let canvas = render(state)
            #expect(canvas.width == size.0 && canvas.height == size.1)
            let shown = Self.screenWords(canvas.text)
            #expect(shown.isDisjoint(with: words), "\(mode) \(size): names on the lock screen: \(shown.intersection(words))")
            #expect(!canvas.text.contains("Marked"), "no message")
            #expect(!canvas.text.contains("demo.json"), "no file name")
        }
    }

    @Test func theLockScreenSaysWhoAndWhenAtEverySize() {
        var state = Self.encrypted(width: 80, height: 24)
        state.press(.ctrl("\\"))
        let text = render(state).text
        #expect(text.contains("Caseload · Riverside Recovery IOP"))
        #expect(text.contains("Locked since 18:05"))
        #expect(text.contains("Signed in: dreyes (Dana Reyes)"))
        #expect(text.contains("Passphrase for dreyes: ▏"))
        #expect(text.contains("Enter unlock · Esc clear"))

        var idle = Self.encrypted(width: 120, height: 40, lockAfter: 90)
        _ = update(&idle, .idle(seconds: 91))
        #expect(render(idle).text.contains("after 90 s without a key or click"))

        // A login that matches no staff member is shown as it is.
        var stranger = AppState(document: UIFixtures.demo, fileName: "demo.json", now: UIFixtures.now, width: 80, height: 24,
                                login: "zz9", lockMode: .passphrase(login: "zz9"))
        stranger.press(.ctrl("\\"))
        let strangerLines = render(stranger).lines.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(strangerLines.contains("Signed in: zz9"), "\(strangerLines)")

        // Small screens keep the prompt first.
        var small = Self.encrypted(width: 20, height: 6)
        small.press(.ctrl("\\"))
        #expect(render(small).text.contains("Passphrase"))
        // One row: only the prompt, 24 cells, centred in 30: (30 - 24) / 2 = 3 cells in.
        var tiny = Self.encrypted(width: 30, height: 1)
        tiny.press(.ctrl("\\"))
        #expect(render(tiny).lines == ["   Passphrase for dreyes: ▏"])
    }

    @Test func aFixedViewClockIsSaidOnTheLockScreen() {
        var state = AppState(document: UIFixtures.demo, fileName: "demo.json", now: UIFixtures.now, clockFixedAt: UIFixtures.now,
                             width: 80, height: 24, lockMode: .passphrase(login: "dreyes"))
        state.press(.ctrl("\\"))
        #expect(render(state).text.contains("Locked since 18:05 (clock fixed)"))
    }

    // MARK: Snapshots

    @Test func lockScreenAt80x24AfterAWrongPassphrase() throws {
        var state = Self.busy(width: 80, height: 24)
        state.press(.ctrl("\\"))
        Self.unlock(&state, with: "wrong")
        try SnapshotTests().check(state, "lock-80x24")
    }

    @Test func lockScreenAt120x40LockedWhenIdle() throws {
        var state = Self.busy(width: 120, height: 40)
        _ = update(&state, .idle(seconds: 600))
        state.type("typed")
        try SnapshotTests().check(state, "lock-idle-120x40")
    }

    @Test func hiddenScreenOfAPlainDocumentAt80x24() throws {
        var state = Self.busy(width: 80, height: 24)
        state.lockMode = .hideOnly
        state.press(.ctrl("\\"))
        try SnapshotTests().check(state, "lock-hidden-80x24")
    }

    @Test func lockScreenAt20x6() throws {
        var state = Self.busy(width: 20, height: 6)
        state.press(.ctrl("\\"))
        try SnapshotTests().check(state, "lock-20x6")
    }

    // MARK: Help and the key tables

    @Test func helpSaysHowToLockWhatHIPAAExpectsAndWhatAPlainDocumentGets() {
        let text = helpLines().map(\.text).joined(separator: "\n")
        #expect(text.contains("Locking the screen"))
        #expect(text.contains("  Ctrl-\\ "))
        #expect(text.contains("  :lock "))
        #expect(text.contains("lock_after"))
        #expect(text.contains("45 CFR 164.312(a)(2)(iii)"))
        #expect(text.contains("the screen is only hidden"))
        #expect(text.contains("The lock screen"))
        #expect(Commands.named("lock")?.kind == .lock)
        #expect(Commands.complete("lo", themeNames: []).text == "lock")
    }

    @Test func theLockScreensTableRoutesEveryKey() {
        for binding in Keymaps.locked.bindings {
            for key in binding.keys {
                var state = Self.encrypted()
                state.press(.ctrl("\\"))
                state.type("ab")
                let before = state.lock
                let effects = state.press(key)
                #expect(!effects.isEmpty || state.lock != before, "\(key) (\(binding.help)) did nothing")
            }
        }
    }
}
