import CaseloadCore
@testable import CaseloadUI
import Foundation
import GoldenFiles
import Testing

/// Co-signature in the app (issue 19): the supervisor's queue (`Q`, `:cosign`), reading and co-signing from it, the
/// Session pane's glyphs, who is refused, and the director's `:staff` form.
@Suite struct CoSignQueueUITests {
    static let folder = SnapshotTests.folder
    // In the demo: Marcus Bell (CADC) is an associate supervised by Priya Natarajan (LPC); Dana Reyes is the director.
    static let marcus: StaffID = "stf_02", priya: StaffID = "stf_03", dana: StaffID = "stf_01"

    func check(_ state: AppState, _ name: String) throws {
        let actual = render(state).text + "\n"
        let problem = try GoldenFile.mismatch(actual, file: Self.folder.appendingPathComponent(name + ".txt"))
        #expect(problem == nil, "screen \(name): \(problem ?? "")\nthe whole new screen:\n\(actual)")
    }

    static func at(_ iso: String) -> Timestamp { Timestamp(iso: iso) ?? Timestamp(seconds: 0) }

    /// The ten-member group with Marcus needing co-signature under Priya; on Mon 2 Nov Marcus signed the group note and
    /// the first member's note, on Mon 23 Nov the second member's; on Mon 9 Nov Priya's own note (needs none).
    static func document() throws -> (CaseloadDocument, [PatientID]) {
        var (doc, members) = SessionPaneTests.tenMemberGroup()
        for i in doc.staff.indices where doc.staff[i].id == marcus {
            doc.staff[i].supervisor = priya
            doc.staff[i].needsCoSignature = true
        }
        func item(_ date: String) throws -> ScheduledSession {
            let day = try #require(LocalDate(iso: date))
            return try #require(ScheduleIndex(doc).occurrence(of: "ser_ten", on: day))
        }
        func note(_ patient: PatientID, _ text: String) -> MemberNote {
            MemberNote(patient: patient, format: .dap, sections: [NoteSection(heading: "Data", text: text)])
        }
        try doc.apply(SessionEdits.writeGroupNote(GroupNote(topic: "Coping with cravings", narrative: "Skills practice."), on: item("2026-11-02"), in: doc))
        try doc.apply(SessionEdits.writeMemberNote(note(members[0], "Engaged and calm."), on: item("2026-11-02"), in: doc))
        try doc.apply(SessionEdits.signGroupNote(on: item("2026-11-02"), by: marcus, at: at("2026-11-03T02:10:00Z"), in: doc))
        try doc.apply(SessionEdits.signMemberNote(for: members[0], on: item("2026-11-02"), by: marcus, at: at("2026-11-03T02:20:00Z"), in: doc))
        try doc.apply(SessionEdits.writeMemberNote(note(members[1], "Shared a relapse plan."), on: item("2026-11-23"), in: doc))
        try doc.apply(SessionEdits.signMemberNote(for: members[1], on: item("2026-11-23"), by: marcus, at: at("2026-11-24T02:00:00Z"), in: doc))
        try doc.apply(SessionEdits.writeMemberNote(note(members[2], "Quiet."), on: item("2026-11-09"), in: doc))
        try doc.apply(SessionEdits.signMemberNote(for: members[2], on: item("2026-11-09"), by: priya, at: at("2026-11-10T02:00:00Z"), in: doc))
        return (doc, members)
    }

    static func state(login: String, width: Int = 80, height: Int = 24) throws -> (AppState, [PatientID]) {
        let (doc, members) = try document()
        return (AppState(document: doc, fileName: "demo.json", now: UIFixtures.now, width: width, height: height, login: login), members)
    }

    @Test func theQueueAt80x24ListsOldestFirstWithSessionNoteAuthorAndDays() throws {
        var (state, members) = try Self.state(login: "pnatarajan")
        state.press(.char("Q"))
        let view = try #require(state.coSignQueue)
        // Hand-counted: the group note and the first member's of 2 Nov (signed in that order), then 23 Nov's.
        #expect(view.items.map(\.target.patient) == [nil, members[0], members[1]])
        let screen = render(state).text
        // Now is Mon 30 Nov 18:05 Chicago (Tue 1 Dec 00:05Z): 2 Nov's notes signed 3 Nov 02:10Z/02:20Z waited 27 whole days.
        #expect(screen.contains("27 days"))
        #expect(screen.contains("6 days"))
        #expect(screen.contains("Marcus Bell"))
        #expect(screen.contains("Mon 2 Nov 18:00"))
        try check(state, "cosign-queue-80x24")
    }

    @Test func theQueueAt120x40() throws {
        var (state, _) = try Self.state(login: "pnatarajan", width: 120, height: 40)
        state.press(.char(":"))
        state.type("cosign")
        state.press(.enter)
        #expect(state.coSignQueue != nil, ":cosign opens it as Q does")
        try check(state, "cosign-queue-120x40")
    }

    @Test func enterReadsTheNoteAndSCoSignsItAfterAskingThenTheQueueUpdates() throws {
        var (state, members) = try Self.state(login: "pnatarajan")
        state.press(.char("Q"), .char("j"), .enter)
        let view = try #require(state.noteView)
        #expect(view.patient == members[0])
        let text = view.lines.map { $0.segments.map(\.text).joined() }.joined(separator: "\n")
        #expect(text.contains("Engaged and calm."))
        #expect(text.contains("Signed by Marcus Bell, CADC on Mon 2 Nov 2026 20:20"))
        #expect(text.contains("◐ Awaiting co-signature by Priya Natarajan, LPC"))
        state.press(.char("S"))
        guard case .choice(let dialog, .confirmCoSign(let target))? = state.modal else {
            Issue.record("S asks first")
            return
        }
        #expect(target.patient == members[0] && target.addendum == nil)
        let question = dialog.lines.joined(separator: " ")
        #expect(question.contains("as Priya Natarajan, LPC"))
        #expect(question.contains("Mon 30 Nov 2026 18:05"), "the co-signer's local time")
        try check(state, "cosign-confirm-80x24")
        let effects = state.press(.char("y"))
        #expect(effects.contains(.documentChanged))
        // The trail's entry: note.cosign, with ids only (no names, no text).
        let events = effects.flatMap { effect -> [AuditEvent] in
            if case .auditChange(let change) = effect { return change.events }
            return []
        }
        let session = try #require(state.document.sessions.first { $0.memberNote(for: members[0]) != nil })
        #expect(events == [AuditEvent("note.cosign", ["session:\(session.id.rawValue)", "patient:\(members[0].rawValue)", "note:\(members[0].rawValue)"])])
        #expect(accessActionText(AuditEntry(sequence: 1, at: UIFixtures.now, who: "pnatarajan", identity: .slot, action: "note.cosign", ids: events[0].ids))
                == "co-signed a note")
        let note = try #require(state.document.sessions.compactMap { $0.memberNote(for: members[0]) }.first)
        #expect(note.signature?.coSignature?.by == Self.priya)
        #expect(note.signState == .final)
        #expect(state.noteView == nil, "back to the queue")
        #expect(state.coSignQueue?.items.map(\.target.patient) == [nil, members[1]])
        #expect(state.message?.text.contains("co-signed by Priya Natarajan, LPC") == true)
        // Undo does not take a co-signature back.
        state.press(.escape, .char("u"))
        #expect(state.document.sessions.compactMap { $0.memberNote(for: members[0]) }.first?.signature?.coSignature != nil)
    }

    @Test func someoneWhoSupervisesNobodyIsToldSo() throws {
        // Dana, the director, supervises nobody in this document.
        var (state, _) = try Self.state(login: "dreyes")
        state.press(.char("Q"))
        let screen = render(state).text
        #expect(screen.contains("You supervise nobody"))
        #expect(screen.contains("with :staff."))
        try check(state, "cosign-queue-nobody-80x24")
    }

    @Test func theAuthorAndTheDirectorAreRefusedWithWhoCoSigns() throws {
        for login in ["mbell", "dreyes"] {
            var (state, _) = try Self.state(login: login)
            // The group note of Mon 2 Nov, opened from the record of the session through the note view.
            let session = try #require(state.document.sessions.first { $0.date == LocalDate(iso: "2026-11-02") })
            state.noteView = NoteViewState(item: ScheduledSession(session: session, isStored: true), patient: nil, title: "Group note")
            state.refreshNoteView()
            state.press(.char("S"))
            #expect(state.modal == nil, "\(login) is not asked")
            let message = state.message?.text ?? ""
            if login == "mbell" {
                #expect(message.contains("nobody co-signs their own note"), "\(message)")
            } else {
                #expect(message.contains("co-signature by Priya Natarajan, LPC; only they co-sign it"), "\(message)")
            }
        }
    }

    @Test func theSessionPaneShowsEachNotesStateWithItsGlyphAt80x24() throws {
        var (doc, _) = SessionPaneTests.tenMemberGroup()
        // The members in the pane's order, so the three notes are on its first rows (80×24 shows nine of the ten).
        var opened = AppState(document: doc, fileName: "demo.json", now: UIFixtures.now, width: 80, height: 24, login: "pnatarajan")
        opened.focus = .week
        opened.cursorMinutes = 18 * 60
        opened.press(.enter)
        let members = opened.selectedMembers.map(\.id)
        for i in doc.staff.indices where doc.staff[i].id == Self.marcus {
            doc.staff[i].supervisor = Self.priya
            doc.staff[i].needsCoSignature = true
        }
        let day = try #require(LocalDate(iso: "2026-11-30"))
        let tonight = try #require(ScheduleIndex(doc).occurrence(of: "ser_ten", on: day))
        func note(_ patient: PatientID) -> MemberNote { MemberNote(patient: patient, format: .dap, sections: [NoteSection(heading: "Data", text: "x")]) }
        for patient in members.prefix(3) {
            let item = try #require(ScheduleIndex(doc).occurrence(of: "ser_ten", on: tonight.session.date))
            try doc.apply(SessionEdits.writeMemberNote(note(patient), on: item, in: doc))
        }
        var item: ScheduledSession { ScheduleIndex(doc).occurrence(of: "ser_ten", on: tonight.session.date) ?? tonight }
        try doc.apply(SessionEdits.writeGroupNote(GroupNote(topic: "Coping", narrative: "Skills."), on: item, in: doc))
        try doc.apply(SessionEdits.signGroupNote(on: item, by: Self.priya, at: Self.at("2026-12-01T00:00:00Z"), in: doc))
        try doc.apply(SessionEdits.signMemberNote(for: members[0], on: item, by: Self.marcus, at: Self.at("2026-12-01T00:01:00Z"), in: doc))
        try doc.apply(SessionEdits.signMemberNote(for: members[1], on: item, by: Self.priya, at: Self.at("2026-12-01T00:02:00Z"), in: doc))
        var state = AppState(document: doc, fileName: "demo.json", now: UIFixtures.now, width: 80, height: 24, login: "pnatarajan")
        state.focus = .week
        state.cursorMinutes = 18 * 60
        state.press(.enter)
        let shown = state.selectedMembers.map(\.id)
        let screen = render(state).text
        // Group note signed by Priya: final; the first row's member (by Marcus) awaits; the second (by Priya) final; the third a draft.
        #expect(screen.contains("◐ co-sign"))
        #expect(screen.contains("✓ signed"))
        #expect(screen.contains("✎ draft"))
        #expect(shown.count == 10)
        try check(state, "session-note-glyphs-80x24")
        // S on the awaiting note asks Priya to co-sign it.
        state.memberIndex = (shown.firstIndex(of: members[0]) ?? 0) + 1
        state.press(.char("S"))
        guard case .choice(_, .confirmCoSign(let target))? = state.modal else {
            Issue.record("S on a note awaiting my co-signature asks to co-sign it")
            return
        }
        #expect(target.patient == members[0])
    }

    @Test func aDirectorSetsASupervisorAndTheFlagWithStaff() throws {
        var (state, _) = try Self.state(login: "dreyes")
        state.press(.char(":"))
        state.type("staff")
        state.press(.enter)
        guard case .picker(_, .staffMember)? = state.modal else {
            Issue.record(":staff lists the staff")
            return
        }
        state.type("Priya")
        state.press(.enter)
        let frame = try #require(state.forms.last)
        #expect(frame.purpose == .staff(Self.priya))
        // The supervisor choices are none, then everyone else in the staff list's order: Dana is the first.
        state.press(.right, .tab, .char(" "), .ctrl("s"))
        let priya = try #require(state.document.staffMember(Self.priya))
        #expect(priya.supervisor == Self.dana)
        #expect(priya.needsCoSignature)
        #expect(state.forms.isEmpty)
        #expect(state.message?.text.contains("Priya Natarajan: Dana Reyes") == true)
    }

    @Test func onlyADirectorOpensStaff() throws {
        var (state, _) = try Self.state(login: "pnatarajan")
        state.press(.char(":"))
        state.type("staff")
        state.press(.enter)
        #expect(state.modal == nil)
        #expect(state.message?.text.contains("only a director") == true)
        #expect(state.message?.text.contains("Dana Reyes") == true)
    }
}
