import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The Session pane driven by keys: roll call, notes, signing, addenda, the privacy check, drop-ins and removals.
@Suite struct SessionPaneTests {
    /// Tonight (Monday 30 November, 18:00–21:00) a group of ten active demo patients, nothing recorded yet.
    static func tenMemberGroup() -> (CaseloadDocument, [PatientID]) {
        var doc = UIFixtures.demo
        doc.series = []
        doc.sessions = []
        let start = LocalDate(iso: "2026-11-02") ?? LocalDate(dayNumber: 0)
        let members = doc.patients.filter { $0.status == .active }.prefix(10).map(\.id)
        doc.series = [Series(id: "ser_ten", title: "IOP-T Evening", kind: .group, modality: .process, facilitator: doc.staff.first?.id,
                             room: doc.program.rooms.first?.id, weekdays: [.mon, .wed, .thu], start: LocalTime(clamping: 18 * 60),
                             durationMinutes: 180, startDate: start, roster: members.map { RosterEntry(patient: $0, joined: start) })]
        return (doc, members)
    }

    /// The group opened in the Session pane, signing as the first staff member; the members in the pane's (name) order.
    static func opened(login: String? = nil) -> (AppState, [PatientID]) {
        let (doc, _) = tenMemberGroup()
        var state = AppState(document: doc, fileName: "demo.json", now: UIFixtures.now, width: 120, height: 40, login: login ?? doc.staff.first?.login)
        state.focus = .week
        state.cursorMinutes = 18 * 60
        state.press(.enter)
        return (state, state.selectedMembers.map(\.id))
    }

    func stored(_ state: AppState) -> Session? { state.document.sessions.first { $0.series == "ser_ten" } }

    @Test func tenMembersInAboutTenKeystrokes() throws {
        var (state, _) = Self.opened()
        #expect(state.focus == .session)
        #expect(state.memberIndex == 1, "the cursor starts on the first member")
        let members = state.selectedMembers.map(\.id)
        #expect(members.count == 10)
        state.press(.char("p"), .char("p"), .char("l"))
        state.type("10")
        state.press(.enter, .char("a"), .char("e"))
        state.type("court")
        state.press(.enter)
        #expect(state.memberIndex == 6, "the cursor moved on after each mark")
        state.press(.char("P"))
        let session = try #require(stored(state))
        #expect(session.status == .held, "marking the roll makes it held")
        #expect(session.attendance(for: members[0]) == .present)
        #expect(session.attendance(for: members[1]) == .present)
        #expect(session.attendance(for: members[2]) == .late(minutesLate: 10))
        #expect(session.minutesAttended(by: members[2]) == 170)
        #expect(session.attendance(for: members[3]) == .absent)
        #expect(session.attendance(for: members[4]) == .excused(reason: "court"))
        for id in members[5...] { #expect(session.attendance(for: id) == .present) }
        // l with Enter alone means 15 minutes; o asks minutes attended.
        state.memberIndex = 1
        state.press(.char("l"), .enter)
        #expect(stored(state)?.attendance(for: members[0]) == .late(minutesLate: 15))
        state.memberIndex = 2
        state.press(.char("o"))
        state.type("999")
        state.press(.enter)
        if case .prompt(let prompt, _)? = state.modal { #expect(prompt.error != nil, "more than the session's length") } else { Issue.record("the prompt stays") }
        state.press(.ctrl("u"))
        state.type("120")
        state.press(.enter)
        #expect(stored(state)?.attendance(for: members[1]) == .leftEarly(minutesAttended: 120))
        // The hours reach the Patients pane's figures.
        #expect(state.caseload.progress[members[1]]?.attendedMinutes ?? 0 >= 120)
    }

    @Test func groupAndMemberNotesInKoreanAndEmojiSignedAndAddendum() throws {
        var (state, members) = Self.opened()
        state.press(.char("G"))
        #expect(state.forms.last?.form.title.hasPrefix("Group note") == true)
        state.type("관계 회복 · 🌱 Recovery")
        state.press(.tab, .tab)
        state.type("그룹은 오늘 🙂 트리거에 대해 이야기했어요.")
        state.press(.enter)
        state.type("Second line 👍")
        // While typing, the draft is already in what autosave writes.
        #expect(state.documentForSaving.sessions.first { $0.series == "ser_ten" }?.groupNote?.narrative.contains("🙂") == true)
        #expect(state.document.sessions.isEmpty, "the document itself changes when the form is saved")
        state.press(.ctrl("s"))
        let group = try #require(stored(state)?.groupNote)
        #expect(group.topic == "관계 회복 · 🌱 Recovery")
        #expect(group.narrative == "그룹은 오늘 🙂 트리거에 대해 이야기했어요.\nSecond line 👍")

        // The first member's note, in the program's format, with the group narrative shown for reference.
        state.memberIndex = 1
        state.press(.enter)
        let format = state.document.program.defaultNoteFormat
        #expect(state.forms.last?.form.fields.map(\.label) == format.headings)
        #expect(render(state).text.contains("Group note (for reference"))
        state.type("김민준 씨는 적극적으로 참여 🙌")
        state.press(.tab)
        state.type("Engaged; linked triggers to plan.")
        state.press(.ctrl("s"))
        let note = try #require(stored(state)?.memberNote(for: members[0]))
        #expect(note.sections[0].text == "김민준 씨는 적극적으로 참여 🙌")
        #expect(note.sections[1].text == "Engaged; linked triggers to plan.")
        #expect(note.signature == nil)

        // Sign the member note (after the confirmation), then the group part (row 0).
        state.press(.char("S"), .char("y"))
        let signer = try #require(state.document.staff.first)
        let signed = try #require(stored(state)?.memberNote(for: members[0]))
        #expect(signed.signature?.by == signer.id)
        #expect(signed.signature?.at == Timestamp(UIFixtures.now))
        state.memberIndex = 0
        state.press(.char("S"), .char("y"))
        #expect(stored(state)?.groupNote?.isSigned == true)
        // Read-only now: Enter opens it to read, not to edit; A adds an addendum.
        state.memberIndex = 1
        state.press(.enter)
        #expect(state.forms.isEmpty)
        #expect(state.noteView != nil)
        state.press(.escape)
        state.press(.char("A"))
        state.type("Late entry: client called at 21:15 to say thanks 🙏")
        state.press(.ctrl("s"))
        let after = try #require(stored(state)?.memberNote(for: members[0]))
        #expect(after.addenda.map(\.text) == ["Late entry: client called at 21:15 to say thanks 🙏"])
        #expect(after.lockedPart == signed.lockedPart, "the signed part is unchanged")
        // The pane's note column: final (no co-signature needed) with an addendum (issue 19's glyphs).
        #expect(render(state).text.contains("✓ amended"))
    }

    @Test func theGroupNarrativeNamingAMemberWarnsBeforeSigning() throws {
        var (state, _) = Self.opened()
        let other = try #require(state.selectedMembers.dropFirst(2).first)
        state.press(.char("G"))
        state.type("Coping skills")
        state.press(.tab, .tab)
        state.type("\(other.displayName) shared about a relapse.")
        state.press(.ctrl("s"))
        state.memberIndex = 0
        state.press(.char("S"))
        guard case .choice(let dialog, .privacySign)? = state.modal else { Issue.record("no privacy warning"); return }
        #expect(dialog.lines.joined().contains(other.displayName))
        state.press(.char("b"))
        #expect(stored(state)?.groupNote?.isSigned == false)
        state.press(.escape)                     // the note reopened; closed unchanged
        state.press(.char("S"), .char("s"), .char("y"))
        #expect(stored(state)?.groupNote?.isSigned == true, "signing anyway is the user's call")
    }

    @Test func aLoginThatMatchesNoStaffMemberMayWriteButNotSign() throws {
        var (state, members) = Self.opened(login: "nobody-here")
        state.press(.enter)
        state.type("Present and engaged.")
        state.press(.ctrl("s"))
        let before = state.document
        state.press(.char("S"))
        guard case .choice(let box, .notice)? = state.modal else { Issue.record("no box saying why, and no picker of who to sign as"); return }
        #expect(box.title == "Cannot sign")
        #expect(state.message?.text == #"Cannot sign: your account "nobody-here" is not a staff member's login, and only staff sign. Ask the director to add your login to Staff."#)
        #expect(state.message?.isError == true)
        #expect(stored(state)?.memberNote(for: members[0])?.signature == nil)
        #expect(state.document == before)
    }

    @Test func dropInOnThisOccurrenceOnlyAndRemovalKeepsRecords() throws {
        var (state, members) = Self.opened()
        state.press(.char("+"))
        guard case .picker(let picker, .dropIn)? = state.modal else { Issue.record("no picker"); return }
        let visitor = try #require(picker.highlighted.map { PatientID($0.id) })
        #expect(!members.contains(visitor))
        state.press(.enter)
        #expect(state.selectedMembers.contains { $0.id == visitor })
        // Next Monday the drop-in is not there.
        let next = state.schedule.occurrence(of: "ser_ten", on: state.today.adding(days: 7))
        #expect(Set(next?.session.members(series: state.document.series.first) ?? []) == Set(members))

        // Removing a member who has a mark is refused: a mark counts only for a member, so it is cleared first.
        state.memberIndex = 1
        state.press(.char("p"))
        state.memberIndex = 1
        state.press(.char("-"))
        #expect(state.modal == nil)
        #expect(state.message?.text.contains("clear the mark first") == true)
        #expect(stored(state)?.removed.contains(members[0]) == false)
        // Space cycles present → absent → unmarked; then removal asks only about the note, which is kept.
        state.memberIndex = 1
        state.press(.char(" "))
        state.memberIndex = 1
        state.press(.char(" "))
        #expect(stored(state)?.attendance(for: members[0]) == nil)
        let item = try #require(state.selectedSession)
        var doc = state.document
        try doc.apply(try SessionEdits.writeMemberNote(MemberNote(patient: members[0], format: .dap, sections: [NoteSection(heading: "Data", text: "Came for the first hour.")]),
                                                       on: item, in: doc))
        state.document = doc
        state.reloadDerived()
        state.memberIndex = 1
        state.press(.char("-"))
        guard case .choice(_, .removeMember)? = state.modal else { Issue.record("no question"); return }
        state.press(.char("y"))
        let session = try #require(stored(state))
        #expect(session.removed.contains(members[0]))
        #expect(session.memberNote(for: members[0]) != nil, "the note is kept")
        #expect(render(state).text.contains("(removed)"))
        state.press(.char("u"))
        #expect(stored(state)?.removed.contains(members[0]) == false)
    }

    @Test func didNotTakePlaceAndRestore() throws {
        var (state, _) = Self.opened()
        state.press(.char("X"))
        state.type("Fire alarm: building evacuated")
        state.press(.enter)
        #expect(stored(state)?.status == .didNotTakePlace(reason: "Fire alarm: building evacuated"))
        #expect(render(state).text.contains("did not take place"))
        state.press(.char("p"))
        #expect(state.message?.isError == true, "no roll on a session that did not take place")
        state.press(.char("x"), .char("y"))
        #expect(stored(state)?.status == .scheduled)
    }

    @Test func externalEditorResultsComeBackIntoTheNote() throws {
        var (state, members) = Self.opened()
        state.memberIndex = 1
        let effects = state.press(.char("E"))
        guard case .editExternally(let text, let target)? = effects.first else { Issue.record("no editor effect"); return }
        #expect(text.contains("## "))
        _ = update(&state, .externalEditFinished(target, .failed("the editor (vi) exited with status 1; nothing was changed")))
        #expect(state.document.sessions.isEmpty)
        #expect(state.message?.isError == true)
        _ = update(&state, .externalEditFinished(target, .unchanged))
        #expect(state.document.sessions.isEmpty)
        let headings = state.document.program.defaultNoteFormat.headings
        let edited = "## \(headings[0])\n편집기에서 썼어요 ✍️\n\n## \(headings[1])\nAssessed in vi."
        _ = update(&state, .externalEditFinished(target, .changed(edited)))
        let note = try #require(stored(state)?.memberNote(for: members[0]))
        #expect(note.sections[0].text == "편집기에서 썼어요 ✍️")
        #expect(note.sections[1].text == "Assessed in vi.")
    }
}
