import CaseloadCore
import CaseloadUI
import Foundation
import Testing

@Suite struct UpdateTests {
    @Test func tabAndNumbersMoveFocus() {
        var state = UIFixtures.state()
        #expect(state.focus == .week)
        state.press(.tab)
        #expect(state.focus == .session)
        state.press(.tab)
        #expect(state.focus == .patients)
        state.press(.backTab)
        #expect(state.focus == .session)
        state.press(.char("2"))
        #expect(state.focus == .week)
    }

    @Test func questionMarkOpensHelpAndEscClosesIt() {
        var state = UIFixtures.state()
        state.press(.char("?"))
        #expect(state.overlay == .help(scroll: 0))
        state.press(.char("j"))
        #expect(state.overlay == .help(scroll: 1))
        state.press(.escape)
        #expect(state.overlay == nil)
    }

    @Test func helpListsEveryBindingOfEveryPane() {
        let text = helpLines().map(\.text).joined(separator: "\n")
        for map in Keymaps.all {
            #expect(text.contains(map.name))
            for binding in map.bindings { #expect(text.contains(binding.help)) }
        }
    }

    @Test func commandLineRunsKnownCommandsAndRejectsUnknownOnes() {
        var state = UIFixtures.state()
        state.press(.char(":"))
        #expect(state.commandLine == "")
        _ = state.type("frobnicate")
        state.press(.enter)
        #expect(state.commandLine == nil)
        #expect(state.message?.isError == true)
        #expect(state.message?.text.contains("Unknown command") == true)

        state.press(.char(":"))
        _ = state.type("w")
        #expect(state.press(.enter) == [.saveNow])
        state.press(.char(":"))
        _ = state.type("wq")
        #expect(state.press(.enter) == [.saveNow, .quit])
        state.press(.char(":"))
        _ = state.type("theme light")
        #expect(state.press(.enter) == [.setTheme("light")])
    }

    @Test func gotoMovesTheWeekAndRefusesNonDates() {
        var state = UIFixtures.state()
        state.press(.char(":"))
        _ = state.type("goto 2027-01-06")
        state.press(.enter)
        #expect(state.weekStart.iso == "2027-01-04")
        #expect(state.cursorDate.iso == "2027-01-06")
        state.press(.char(":"))
        _ = state.type("goto someday")
        state.press(.enter)
        #expect(state.message?.isError == true)
        #expect(state.weekStart.iso == "2027-01-04")
    }

    @Test func quitAsksToSaveAndAFailedSaveAsksBeforeLosingChanges() {
        var state = UIFixtures.state()
        #expect(state.press(.char("q")) == [.quit])
        _ = update(&state, .quitFailed(reason: "the disk is full"))
        guard case .confirm(let question, .quitWithoutSaving)? = state.overlay else {
            Issue.record("expected a confirmation"); return
        }
        #expect(question.contains("the disk is full"))
        #expect(state.press(.char("n")).isEmpty)
        #expect(state.overlay == nil)
        _ = update(&state, .quitFailed(reason: "the disk is full"))
        #expect(state.press(.char("y")) == [.quitWithoutSaving])
    }

    @Test func quitBangAsks() {
        var state = UIFixtures.state()
        state.press(.char(":"))
        _ = state.type("q!")
        #expect(state.press(.enter).isEmpty)
        #expect(state.press(.char("y")) == [.quitWithoutSaving])
    }

    /// Puts the Week cursor on tonight's IOP group, whose roll is not yet taken.
    func onTonightsGroup() -> AppState {
        var state = UIFixtures.state()
        state.focus = .week
        let tonight = state.week.sessions(on: state.today).first { $0.session.kind == .group && $0.session.start.minutes >= 17 * 60 }
        if let s = tonight?.session { state.cursorMinutes = s.start.minutes }
        return state
    }

    @Test func rollMarksAreDocumentEditsThatUndoAndRedo() throws {
        var state = onTonightsGroup()
        let session = try #require(state.selectedSession)
        let before = state.document
        state.press(.enter)
        #expect(state.focus == .session)
        let first = try #require(state.selectedMembers.first)
        let marked = state.press(.char("p"))
        #expect(state.memberIndex == 2, "the cursor moves to the next member (row 0 is the group note)")
        let seriesID = try #require(session.session.series)
        let stored = try #require(state.document.storedOccurrence(of: seriesID, on: session.session.date))
        #expect(stored.attendance(for: first.id) == .present)
        #expect(stored.status == .held)
        // The first mark stores tonight's occurrence: the trail records what changed on it, against the occurrence as its
        // series had it, and for whom (issue 17).
        let markIDs = ["session:\(stored.id.rawValue)", "patient:\(first.id.rawValue)", "field:attendance[\(first.id.rawValue)]", "field:status.state"]
        let markEvent = [AuditEvent("edit", markIDs)]
        #expect(marked.first == .documentChanged)
        #expect(AuditUITests.audits(marked) == markEvent)

        let undone = state.press(.char("u"))
        #expect(undone.first == .documentChanged)
        #expect(AuditUITests.audits(undone) == markEvent, "the undo changes the same fields")
        #expect(state.message?.text.hasPrefix("Undid:") == true)
        #expect(state.document == before)
        let redone = state.press(.ctrl("r"))
        #expect(redone.first == .documentChanged)
        #expect(AuditUITests.audits(redone) == markEvent)
        #expect(state.message?.text.hasPrefix("Redid:") == true)
        #expect(state.document.storedOccurrence(of: seriesID, on: session.session.date)?.attendance(for: first.id) == .present)
    }

    @Test func nothingToUndoSaysSo() {
        var state = UIFixtures.state()
        #expect(state.press(.char("u")).isEmpty)
        #expect(state.message?.text == "Nothing to undo")
    }

    @Test func aReadOnlyDocumentRefusesEditsWithAMessage() {
        var state = onTonightsGroup()
        state.readOnlyReason = "open in another Caseload"
        state.press(.enter)
        #expect(state.press(.char("p")).isEmpty)
        #expect(state.message?.isError == true)
        #expect(state.message?.text.contains("Read-only") == true)
    }

    @Test func weekMovesAcrossWeekBoundaries() {
        var state = UIFixtures.state()
        state.press(.char("0"))
        #expect(state.cursorDay == 0)
        state.press(.char("h"))
        #expect(state.cursorDay == 6)
        #expect(state.weekStart.iso == "2026-11-23")
        state.press(.char("t"))
        #expect(state.cursorDate == state.today)
        state.press(.char("]"))
        #expect(state.weekStart.iso == "2026-12-07")
    }

    @Test func resizingToAnySizeNeverCrashes() {
        var state = UIFixtures.state()
        for (w, h) in [(1, 1), (0, 0), (19, 5), (20, 6), (30, 10), (79, 23), (80, 24), (300, 100), (2, 50), (200, 2)] {
            _ = update(&state, .resize(width: w, height: h))
            let canvas = render(state)
            #expect(canvas.width == w && canvas.height == h)
            state.press(.tab)
            state.press(.char("?"))
            _ = render(state)
            state.press(.escape)
        }
    }

    @Test func clicksFocusThePaneUnderThePointer() {
        var state = UIFixtures.state(width: 120, height: 40)
        _ = update(&state, .mouse(MouseEvent(kind: .press, x: 5, y: 10)))
        #expect(state.focus == .patients)
        _ = update(&state, .mouse(MouseEvent(kind: .press, x: 100, y: 38)))
        #expect(state.focus == .session)
    }

    @Test func aClickOnAScrolledListPicksTheRowUnderThePointer() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.focus = .patients
        state.press(.char("G"))                        // the last patient: the list has scrolled
        let canvas = render(state)
        let target = state.patientList[state.patientIndex - 2]
        // Find the row that shows that patient on screen, and click it.
        let row: Int? = canvas.lines.firstIndex { $0.contains("│ " + target.displayName) }
        let y = try #require(row)
        _ = update(&state, .mouse(MouseEvent(kind: .press, x: 3, y: y)))
        #expect(state.patientList[state.patientIndex].id == target.id)
    }

    @Test func theTimerRefreshesTheSavedAgoText() {
        var state = UIFixtures.state()
        _ = update(&state, .saveStatus(.saved(at: UIFixtures.now)))
        _ = update(&state, .tick(UIFixtures.now.addingTimeInterval(42)))
        #expect(render(state).lines[0].contains("saved 42 s ago"))
    }

    @Test func quittingShowsSavingUntilTheFinalSaveIsDone() {
        var state = UIFixtures.state()
        _ = update(&state, .saveStatus(.saved(at: UIFixtures.now)))
        #expect(state.press(.char("q")) == [.quit])
        #expect(state.saveStatus == .saving)
        #expect(render(state).lines[0].contains("saving"))
        #expect(state.message?.text == "Saving before quitting…")
        var other = UIFixtures.state()
        other.press(.char(":"))
        other.type("wq")
        #expect(other.press(.enter) == [.saveNow, .quit])
        #expect(other.saveStatus == .saving)
        var readOnly = UIFixtures.state(readOnly: "another Caseload has it open")
        let before = readOnly.saveStatus
        #expect(readOnly.press(.char("q")) == [.quit])
        #expect(readOnly.saveStatus == before, "a read-only document is not saved, so it does not say saving")
    }

    @Test func helpListsEveryCommand() {
        var state = UIFixtures.state()
        state.press(.char("?"))
        let text = helpLines().map(\.text).joined(separator: "\n")
        for command in [":w", ":q", ":wq", ":q!", ":theme", ":goto", ":reload", ":saveas", ":help"] {
            #expect(text.contains(command), "help names \(command)")
        }
    }

    @Test func themeNamesComeFromTheThemesFoundAndALoadedThemeComesBackAsAMessage() {
        var state = UIFixtures.state()
        _ = update(&state, .themesFound(ThemeLoader.builtInNames + ["clinic-night"]))
        state.press(.char(":"))
        state.type("theme")
        state.press(.enter)
        #expect(state.message?.text == "Usage: :theme NAME (default, high-contrast, light, mono, solarized-dark, clinic-night)")
        state.press(.char(":"))
        state.type("theme clinic-night")
        #expect(state.press(.enter) == [.setTheme("clinic-night")])
        #expect(update(&state, .themeLoaded("clinic-night")) == [.redraw])
        #expect(state.themeName == "clinic-night")
        #expect(state.message?.text == "Theme: clinic-night")
    }

    @Test func reloadAndSaveAsComeBackAsMessagesThatUpdateTheState() throws {
        var state = UIFixtures.state()
        state.press(.char("1"), .char("e"))
        state.press(.escape)
        var changed = state.document
        changed.program.name = "Riverside Recovery IOP (reloaded)"
        let at = UIFixtures.now.addingTimeInterval(5)
        #expect(update(&state, .reloaded(changed, readOnlyReason: nil, path: "/srv/iop.json", at: at)) == [.redraw])
        #expect(state.document.program.name == "Riverside Recovery IOP (reloaded)")
        #expect(state.history.undoStack.isEmpty, "the old document's undo history is gone")
        #expect(state.saveStatus == .saved(at: at))
        #expect(state.message?.text == "Reloaded /srv/iop.json from disk")
        _ = update(&state, .reloaded(changed, readOnlyReason: "another Caseload has it open", path: "/srv/iop.json", at: at))
        #expect(state.readOnlyReason == "another Caseload has it open")
        #expect(state.message?.text.contains("read-only: another Caseload has it open") == true)
        _ = update(&state, .savedAs(path: "/home/me/copy.json", at: at))
        #expect(state.fileName == "copy.json" && state.readOnlyReason == nil && state.saveStatus == .saved(at: at))
        #expect(render(state).lines[0].contains("copy.json"))
    }
}
