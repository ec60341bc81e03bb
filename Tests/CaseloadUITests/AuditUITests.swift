import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The audit trail from the UI (issue 17): what `update` asks to be recorded, with ids only; who may sign; the Record's
/// Access section.
@Suite struct AuditUITests {
    /// Every event the effects ask the trail to record, in order.
    static func audits(_ effects: [Effect]) -> [AuditEvent] {
        effects.flatMap { effect -> [AuditEvent] in
            if case .audit(let events) = effect { return events }
            // An edit's events are worked out by the runner off the screen's thread: the same comparison, here.
            if case .auditChange(let change) = effect { return change.events }
            return []
        }
    }

    static func state(login: String?, identity: AuditIdentity?, width: Int = 120, height: Int = 40) -> AppState {
        AppState(document: UIFixtures.demo, fileName: "demo.json", now: UIFixtures.now, width: width, height: height, login: login, identity: identity)
    }

    static func stored(_ state: AppState) -> Session? { state.document.sessions.first { $0.series == "ser_ten" } }

    // MARK: Events

    @Test func openingARecordIsAuditedOnceNotPerScrollResizeOrTick() throws {
        var state = Self.state(login: "dreyes", identity: .account)
        state.focus = .patients
        let id = try #require(state.selectedPatient?.id)
        var effects = state.press(.enter)
        #expect(state.record?.patient == id)
        effects += state.press(.char("j"), .char("j"), .tab, .tab, .char("G"), .char("g"))
        effects += update(&state, .resize(width: 100, height: 30))
        effects += update(&state, .tick(UIFixtures.now.addingTimeInterval(5)))
        #expect(Self.audits(effects) == [AuditEvent("record.open", ["patient:\(id.rawValue)"])])
        // Closed and opened again: a second opening.
        state.press(.escape)
        #expect(state.record == nil)
        #expect(Self.audits(state.press(.enter)) == [AuditEvent("record.open", ["patient:\(id.rawValue)"])])
    }

    @Test func aRollMarkNamesTheSessionThePatientAndTheAttendanceFieldOnly() throws {
        var (state, members) = SessionPaneTests.opened(login: "dreyes")
        // The first mark stores tonight's occurrence: still an edit naming the member and the field.
        let first = Self.audits(state.press(.char("p")))
        let session = try #require(Self.stored(state)).id
        #expect(first == [AuditEvent("edit", ["session:\(session.rawValue)", "patient:\(members[0].rawValue)",
                                              "field:attendance[\(members[0].rawValue)]", "field:status.state"])])
        let events = Self.audits(state.press(.char("p")))   // the second member
        let edit = try #require(events.first { $0.action == "edit" })
        #expect(edit.ids.contains("session:\(session.rawValue)"))
        #expect(edit.ids.contains("patient:\(members[1].rawValue)"))
        #expect(edit.ids.contains { $0.hasPrefix("field:attendance[\(members[1].rawValue)]") })
        #expect(!edit.ids.contains("patient:\(members[0].rawValue)"), "only the member marked")
    }

    @Test func undoAndRedoAreAuditedAsEdits() throws {
        var (state, members) = SessionPaneTests.opened(login: "dreyes")
        state.press(.char("p"), .char("p"))
        let undone = Self.audits(state.press(.char("u")))
        #expect(undone.count == 1)
        #expect(undone.first?.action == "edit")
        #expect(undone.first?.ids.contains("patient:\(members[1].rawValue)") == true)
        #expect(undone.first?.ids.contains { $0.hasPrefix("field:attendance[\(members[1].rawValue)]") } == true)
        let redone = Self.audits(state.press(.ctrl("r")))
        #expect(redone.first?.action == "edit")
        #expect(redone.first?.ids.contains("patient:\(members[1].rawValue)") == true)
    }

    @Test func openingANoteToReadOrWriteIsAuditedOnce() throws {
        var (state, members) = SessionPaneTests.opened(login: "dreyes")
        var effects = state.press(.enter)             // the first member's note form
        #expect(state.forms.count == 1)
        effects += state.press(.char("x"), .char("y"), .tab)
        let opened = Self.audits(effects).filter { $0.action == "session.notes-open" }
        let series = try #require(state.selectedSession?.session.series)
        // Tonight's occurrence is not stored yet: named by its series and date.
        #expect(opened == [AuditEvent("session.notes-open", ["series:\(series.rawValue)", "date:2026-11-30",
                                                             "patient:\(members[0].rawValue)", "note:\(members[0].rawValue)"])])
        state.press(.ctrl("s"))
        let session = try #require(Self.stored(state)).id
        state.memberIndex = 1
        let read = Self.audits(state.press(.char("v")))
        #expect(state.noteView != nil)
        #expect(read == [AuditEvent("session.notes-open", ["session:\(session.rawValue)", "patient:\(members[0].rawValue)", "note:\(members[0].rawValue)"])])
    }

    @Test func aNoteSentToTheEditorIsAuditedAsOpened() throws {
        var (state, members) = SessionPaneTests.opened(login: "dreyes")
        let series = try #require(state.selectedSession?.session.series)
        let effects = state.press(.char("E"))
        #expect(effects.contains { if case .editExternally = $0 { true } else { false } })
        #expect(Self.audits(effects) == [AuditEvent("session.notes-open", ["series:\(series.rawValue)", "date:2026-11-30",
                                                                          "patient:\(members[0].rawValue)", "note:\(members[0].rawValue)"])])
    }

    @Test func lockingAWrongPassphraseAndUnlockingAreAudited() throws {
        var state = AppState(document: UIFixtures.demo, fileName: "demo.json", now: UIFixtures.now, width: 80, height: 24,
                             login: "dreyes", identity: .slot, lockMode: .passphrase(login: "dreyes"))
        #expect(Self.audits(state.press(.ctrl("\\"))) == [AuditEvent("screen.lock")])
        state.type("wrong")
        state.press(.enter)
        #expect(Self.audits(update(&state, .passphraseChecked(correct: false))) == [AuditEvent("screen.unlock-failed")])
        state.type("right")
        state.press(.enter)
        #expect(Self.audits(update(&state, .passphraseChecked(correct: true))) == [AuditEvent("screen.unlock")])
        #expect(!state.isLocked)
    }

    @Test func aReportWrittenIsAuditedWithKindPatientPeriodAndFormatOnlyOnceWritten() throws {
        var (state, id) = ReportLetterTests.state()
        state.press(.char("r"))
        state.press(.tab, .ctrl("u")); state.type("2026-11-01")
        state.press(.tab, .ctrl("u")); state.type("2026-11-30")
        state.press(.ctrl("s"))
        let effects = state.press(.char("w"))
        #expect(Self.audits(effects).isEmpty, "nothing is recorded before the file is written")
        guard case .prepareWrite(let request)? = effects.first else { Issue.record("no write asked for: \(effects)"); return }
        #expect(Self.audits(update(&state, .reportWritten(request))) == [
            AuditEvent("report", ["report:attendance", "patient:\(id.rawValue)", "period:2026-11-01..2026-11-30", "format:text"]),
        ])
    }

    @Test func aLetterWrittenNamesItsConsent() throws {
        var (state, id) = ReportLetterTests.state()
        ReportLetterTests.fillLetter(&state)
        state.press(.ctrl("s"))
        guard case .prepareWrite(let request)? = state.press(.char("w")).first else { Issue.record("no write asked for"); return }
        let logged = Self.audits(update(&state, .writeTargetReady(request)))
        #expect(logged.first?.action == "edit" && logged.first?.ids.contains { $0.hasPrefix("field:disclosures") } == true,
                "the disclosure logged is an edit of the patient")
        #expect(Self.audits(update(&state, .reportWritten(request))) == [
            AuditEvent("letter", ["report:letter", "patient:\(id.rawValue)", "period:2026-11-01..2026-11-30", "format:text", "consent:con_9"]),
        ])
    }

    /// The edit's slices of the documents (what `edit` compares, so an edit costs the same on a long history) give the
    /// events the whole documents give.
    @Test func theEditSliceGivesTheEventsOfTheWholeDocuments() throws {
        var (state, _) = SessionPaneTests.opened(login: "dreyes")
        let start = state.document
        state.press(.char("p"), .char("p"), .char("a"))
        state.memberIndex = 1
        state.press(.enter); state.type("Engaged."); state.press(.ctrl("s"))
        state.press(.char("S"), .char("y"))
        var edits = state.history.undoStack.map(\.redo)
        #expect(edits.count == 5)
        var patient = try #require(start.patients.first)
        patient.phone = "555-0142"
        var second = try #require(start.patients.dropFirst().first)
        second.email = "x@example.org"
        var newcomer = patient
        newcomer.id = PatientID("pat_new")
        newcomer.mrn = "ZZ-1"
        edits += [.putPatient(patient), .batch([.putPatient(second), .putPatient(newcomer)]), .removePatient(newcomer.id)]
        var doc = start
        for edit in edits {
            let before = doc
            _ = try doc.apply(edit)
            let whole = AuditEvent.changes(by: edit, from: before, to: doc)
            #expect(!whole.isEmpty)
            #expect(AuditEvent.changes(by: edit, from: auditSlice(of: before, for: edit), to: auditSlice(of: doc, for: edit)) == whole)
        }
    }

    /// A walk through a working evening: no event names a patient, says a phone number or MRN, or quotes a note.
    @Test func noEventOfAScriptedWalkCarriesANameOrAValue() throws {
        var events: [AuditEvent] = []
        var (state, _) = SessionPaneTests.opened(login: "dreyes")
        state.lockMode = .passphrase(login: "dreyes")
        let sentence = "Talked about her sister Marisol and the court date"
        events += Self.audits(state.press(.char("p"), .char("p"), .char("a")))
        events += Self.audits(state.press(.char("l"), .enter))                 // late, 15 minutes
        state.memberIndex = 1
        events += Self.audits(state.press(.enter))
        events += Self.audits(state.type(sentence))
        events += Self.audits(state.press(.ctrl("s")))
        events += Self.audits(state.press(.char("S"), .char("y")))
        events += Self.audits(state.press(.char("A")))
        events += Self.audits(state.type("Called back at 555-0199."))
        events += Self.audits(state.press(.ctrl("s")))
        events += Self.audits(state.press(.char("v"), .escape))
        events += Self.audits(state.press(.char("R")))                          // the member's record
        events += Self.audits(state.press(.escape, .char("j"), .char("u")))
        events += Self.audits(state.press(.ctrl("\\")))
        state.type("nope"); state.press(.enter)
        events += Self.audits(update(&state, .passphraseChecked(correct: false)))
        state.type("yes"); state.press(.enter)
        events += Self.audits(update(&state, .passphraseChecked(correct: true)))

        var (letters, _) = ReportLetterTests.state()
        ReportLetterTests.fillLetter(&letters)
        letters.press(.ctrl("s"))
        if case .prepareWrite(let request)? = letters.press(.char("w")).first {
            events += Self.audits(update(&letters, .writeTargetReady(request)))
            events += Self.audits(update(&letters, .reportWritten(request)))
        }

        let actions = Set(events.map(\.action))
        for wanted in ["edit", "note.sign", "note.addendum", "session.notes-open", "record.open", "screen.lock",
                       "screen.unlock-failed", "screen.unlock", "letter"] {
            #expect(actions.contains(wanted), "the walk did \(wanted)")
        }
        var forbidden = [sentence, "Marisol", "555-0199", ReportLetterTests.officer]
        for p in state.document.patients + letters.document.patients {
            forbidden += [p.legalName, p.preferredName ?? "", p.mrn, p.phone ?? ""]
        }
        forbidden += state.document.staff.map(\.name)
        let ids = events.flatMap(\.ids)
        #expect(ids.count > 20)
        for value in forbidden where !value.isEmpty {
            let hits = ids.filter { $0.localizedCaseInsensitiveContains(value) }
            #expect(hits.isEmpty, "\(value) in \(hits)")
        }
    }

    // MARK: Who may sign

    static let refusal = #"Cannot sign: your account "root" is not a staff member's login, and only staff sign. Ask the director to add your login to Staff."#

    @Test func anUnmappedAccountCannotSignANoteEvenWithAStaffLogin() throws {
        var (state, members) = SessionPaneTests.opened(login: "dreyes")
        state.press(.enter); state.type("Present."); state.press(.ctrl("s"))
        state.login = "root"
        state.operatorIdentity = .unmapped
        let before = state.document
        let effects = state.press(.char("S"))
        #expect(state.message?.text == Self.refusal)
        #expect(state.document == before)
        // Said whole in a box: the status line alone would cut it at 80 columns.
        _ = update(&state, .resize(width: 80, height: 24))
        let screen = render(state).text
        #expect(screen.contains("Cannot sign"))
        #expect(screen.replacingOccurrences(of: "│", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
                    .contains("Ask the director to add your login to Staff."))
        state.press(.char("o"))
        #expect(state.modal == nil)
        #expect(Self.audits(effects).isEmpty)
        #expect(Self.stored(state)?.memberNote(for: members[0])?.isSigned == false)
        // The same login identified as staff signs.
        state.login = "dreyes"
        state.operatorIdentity = .account
        state.press(.char("S"), .char("y"))
        #expect(Self.stored(state)?.memberNote(for: members[0])?.isSigned == true)
    }

    @Test func anUnmappedAccountCannotAddAnAddendum() throws {
        var (state, members) = SessionPaneTests.opened(login: "dreyes")
        state.press(.enter); state.type("Present."); state.press(.ctrl("s"))
        state.press(.char("S"), .char("y"))
        #expect(Self.stored(state)?.memberNote(for: members[0])?.isSigned == true)
        state.press(.char("A"))
        #expect(state.forms.count == 1, "signed in as staff, the addendum form opens")
        state.type("Late addition.")
        state.login = "root"
        state.operatorIdentity = .unmapped
        let before = state.document
        state.press(.ctrl("s"))
        #expect(state.message?.text == Self.refusal)
        #expect(state.document == before)
        state.press(.char("o"))                       // the box
        state.forms = []
        state.press(.char("A"))
        #expect(state.forms.isEmpty, "no addendum form for someone who cannot sign it")
        #expect(state.message?.text == Self.refusal)
        #expect(state.document == before)
    }

    @Test func anUnmappedAccountCannotMakeALetter() throws {
        var (state, id) = ReportLetterTests.state()
        state.login = "root"
        state.operatorIdentity = .unmapped
        let before = state.document
        ReportLetterTests.fillLetter(&state)
        state.press(.ctrl("s"))
        #expect(state.reportPreview == nil)
        #expect(state.message?.text == Self.refusal)
        #expect(state.document == before)
        #expect(state.document.patient(id)?.disclosures.isEmpty == true)
    }

    @Test func withNoLoginTheRefusalSaysNoneWasFound() throws {
        var (state, _) = SessionPaneTests.opened(login: "dreyes")
        state.press(.enter); state.type("Present."); state.press(.ctrl("s"))
        state.login = nil
        state.press(.char("S"))
        #expect(state.message?.text == "Cannot sign: no login was found for you, and only staff sign. Ask the director to add your login to Staff.")
    }

    // MARK: Access section

    /// `count` entries about `patient`, a minute apart from 09:00 the day before the fixture (Sunday 29 November).
    static func loaded(_ patient: PatientID, count: Int, action: String = "record.open", who: String = "pnatarajan") -> [AuditEntry] {
        let start = UIFixtures.now.addingTimeInterval(-(9 * 3600 + 5 * 60) - 24 * 3600)   // 2026-11-29 09:00 Chicago
        return (0..<count).map {
            AuditEntry(sequence: $0 + 1, at: start.addingTimeInterval(Double($0) * 60), who: who, identity: .slot, action: action, ids: ["patient:\(patient.rawValue)"])
        }
    }

    static func accessSection(_ state: AppState) throws -> [String] {
        let lines = try #require(state.record?.lines)
        let start = try #require(lines.firstIndex { $0.section == RecordSection.access })
        return lines[(start + 1)...].map(\.text)
    }

    @Test func accessListsTheLastTwentyNewestFirstForADirector() throws {
        var state = Self.state(login: "dreyes", identity: .account)
        state.focus = .patients
        let id = try #require(state.selectedPatient?.id)
        let other = try #require(state.document.patients.first { $0.id != id }?.id)
        _ = update(&state, .auditLoaded(Self.loaded(id, count: 25) + Self.loaded(other, count: 3, action: "note.sign")))
        state.press(.enter)
        let rows = try Self.accessSection(state).filter { $0.hasPrefix("  2026-") }
        #expect(rows.count == 20)
        #expect(rows.first == "  2026-11-30 18:05  opened the record · dreyes (Dana Reyes) · account", "this run's opening, newest")
        #expect(rows[1] == "  2026-11-29 09:24  opened the record · pnatarajan (Priya Natarajan) · passphrase")
        #expect(rows.last == "  2026-11-29 09:06  opened the record · pnatarajan (Priya Natarajan) · passphrase")
        #expect(!rows.contains { $0.contains("signed") }, "another patient's entries are not listed")
    }

    @Test func accessIsForSupervisorsAndDirectorsOnly() throws {
        // The small demo's staff are a director, a facilitator and a supervisor; a clinician is added.
        var doc = UIFixtures.demo
        doc.staff.append(Staff(id: "stf_09", name: "Tomás Ferreira", credentials: "LCPC", role: .clinician, login: "tferreira"))
        for (login, shown) in [("dreyes", true), ("pnatarajan", true), ("mbell", false), ("tferreira", false)] {
            var state = AppState(document: doc, fileName: "demo.json", now: UIFixtures.now, width: 120, height: 40, login: login, identity: .account)
            #expect(state.signer?.login == login, "\(login) is staff")
            state.focus = .patients
            let id = try #require(state.selectedPatient?.id)
            _ = update(&state, .auditLoaded(Self.loaded(id, count: 2)))
            state.press(.enter)
            let section = try Self.accessSection(state)
            #expect(section.contains { $0.hasPrefix("  2026-11-29 09:01") } == shown, "\(login)")
            #expect(section.contains("  Shown to supervisors and directors only.") == !shown, "\(login)")
        }
        // A director's login on an unmapped account is not a director.
        var state = Self.state(login: "dreyes", identity: .unmapped)
        state.focus = .patients
        state.press(.enter)
        #expect(try Self.accessSection(state) == ["  Shown to supervisors and directors only."])
    }

    @Test func thisRunsEventsShowAtOnceAsIdentified() throws {
        var (state, members) = SessionPaneTests.opened(login: "dreyes")
        state.operatorIdentity = .slot
        state.answerAudits(state.press(.char("p"), .char("p")))
        state.memberIndex = 2
        state.press(.char("R"))
        let rows = try Self.accessSection(state).filter { $0.hasPrefix("  2026-") }
        #expect(rows == ["  2026-11-30 18:05  opened the record · dreyes (Dana Reyes) · passphrase",
                         "  2026-11-30 18:05  took roll · dreyes (Dana Reyes) · passphrase"], "\(members[1])")
    }

    @Test func actionsInPlainWords() {
        func text(_ action: String, _ ids: [String]) -> String {
            accessActionText(AuditEntry(sequence: 1, at: UIFixtures.now, who: "x", identity: .slot, action: action, ids: ids))
        }
        #expect(text("edit", ["patient:p1", "field:phone", "field:consents[con_2].revoked", "field:emergencyContact.phone", "field:consents[con_3]"])
                == "edited: phone, consents, emergency contact")
        #expect(text("edit", ["session:s1", "patient:p1", "field:attendance[p1].status", "field:memberNotes[p1].sections"]) == "took roll, wrote a note")
        #expect(text("edit", ["session:s1", "patient:p1", "field:attendance[p1]", "field:status.state"]) == "took roll", "held by its first mark")
        #expect(text("edit", ["session:s1", "field:status.state"]) == "edited the session")
        #expect(text("letter", ["report:letter", "patient:p1", "period:2026-11-01..2026-11-30", "consent:con_9"]) == "wrote a letter for 2026-11-01 to 2026-11-30")
        #expect(text("note.sign", ["session:s1", "patient:p1", "note:p1"]) == "signed a note")
        #expect(text("session.notes-open", ["session:s1", "patient:p1"]) == "opened a session note")
    }

    @Test func theAccessLogKeepsTwentyPerPatient() {
        let a = PatientID("pa"), b = PatientID("pb")
        let log = Self.loaded(a, count: 30) + Self.loaded(b, count: 5)
        let kept = AccessLog.trimmed(log)
        #expect(kept.count == 25)
        #expect(kept.first == log[10], "the oldest ten of pa are dropped")
        #expect(AccessLog.entries(about: a, in: kept).first == log[29])
    }
}
