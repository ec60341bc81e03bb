import CaseloadCore
import Foundation
import Testing

@Suite struct ScheduleIndexTests {
    let d = TestDocument.date

    @Test func theGeneratedDocumentHasEveryKindOfException() {
        let doc = ScheduleFixture.document()
        #expect(doc.sessions.count > 300)
        #expect(doc.sessions.contains { $0.occurrenceDate != nil && $0.date != $0.occurrenceDate })
        #expect(doc.sessions.contains { if case .cancelled = $0.status { true } else { false } })
        #expect(doc.sessions.contains { $0.series == nil })
        #expect(Validator.check(doc).isEmpty)
    }

    @Test func equalsTheScheduleOverManyRanges() {
        let doc = ScheduleFixture.document()
        let index = ScheduleIndex(doc)
        var ranges: [DateRange] = []
        var week = d("2026-10-19")
        while week < d("2028-05-01") {
            ranges.append(DateRange(week, week.adding(days: 6)))
            week = week.adding(days: 7)
        }
        var random = ScheduleFixture.Seeded(state: 99)
        for _ in 0..<200 {
            let first = d("2026-10-01").adding(days: random.next(600))
            ranges.append(DateRange(first, first.adding(days: random.next(90))))
        }
        ranges.append(DateRange(d("2026-01-01"), d("2029-01-01")))
        ranges.append(DateRange(d("2026-12-10"), d("2026-12-01")))
        var nonEmpty = 0
        for range in ranges {
            let expected = Schedule.sessions(in: range, of: doc)
            if !expected.isEmpty { nonEmpty += 1 }
            #expect(index.sessions(in: range) == expected, "range \(range.first)…\(range.last)")
        }
        #expect(nonEmpty > 250)
        for date in DateRange(d("2026-11-01"), d("2027-01-31")).dates {
            #expect(index.sessions(on: date) == Schedule.sessions(in: DateRange(date, date), of: doc))
        }
    }

    /// After each edit (and its undo) the index brought up to date answers as one built afresh.
    @Test func anUpdatedIndexEqualsAFreshOne() throws {
        var doc = ScheduleFixture.document()
        var index = ScheduleIndex(doc)
        var history = EditHistory()
        let ranges = [DateRange(d("2026-10-01"), d("2028-06-01")), DateRange(d("2026-11-30"), d("2026-12-06"))]
        func check(_ what: String) {
            let fresh = ScheduleIndex(doc)
            for range in ranges { #expect(index.sessions(in: range) == fresh.sessions(in: range), "\(what): \(range.first)…\(range.last)") }
            #expect(index.storedCount == fresh.storedCount, "\(what)")
            // The unsigned notes the index keeps give the flags a pass over every stored session gives.
            #expect(index.unsignedMemberNotes(endedBefore: Int.max) == fresh.unsignedMemberNotes(endedBefore: Int.max), "\(what)")
            let now = Date(timeIntervalSince1970: 1_796_000_000), today = d("2026-12-01")
            #expect(PatientFlagIndex.build(doc, schedule: index, now: now, today: today) == PatientFlagIndex.build(doc, now: now, today: today), "\(what)")
        }
        var random = ScheduleFixture.Seeded(state: 7)
        var notesWritten = 0, notesSigned = 0
        for step in 0..<60 {
            let session = doc.sessions[random.next(doc.sessions.count)]
            let edit: DocumentEdit
            switch step % 6 {
            case 4:
                // An unsigned member note for a member (then, in a batch, the same session again: the last value wins).
                let series = session.series.flatMap { doc.series($0) }
                guard let member = session.members(series: series).first, !session.memberNotes.contains(where: { $0.patient == member }) else { continue }
                var noted = session
                try noted.setMemberNote(MemberNote(patient: member, format: .dap, sections: [NoteSection(heading: "Data", text: "Step \(step)")]))
                var renamed = noted
                renamed.title = "Noted \(step)"
                edit = .batch([.putSession(noted), .putSession(renamed)])
                notesWritten += 1
            case 5:
                guard let note = doc.sessions.lazy.flatMap(\.memberNotes).first(where: { !$0.isSigned && $0.hasContent }),
                      var signed = doc.sessions.first(where: { $0.memberNotes.contains { $0.patient == note.patient && !$0.isSigned && $0.hasContent } }),
                      let staff = doc.staff.first,
                      (try? signed.signMemberNote(for: note.patient, Signature(by: staff.id, at: Timestamp(seconds: 1_795_000_000)))) != nil else { continue }
                edit = .putSession(signed)
                notesSigned += 1
            case 0:
                var moved = session
                moved.date = moved.date.adding(days: random.next(5) + 1)
                edit = .putSession(moved)
            case 1:
                edit = session.hasSignedNote ? .putSession(session) : .removeSession(session.id)
            case 2:
                var renamed = session
                renamed.title = "Renamed \(step)"
                edit = .putSession(renamed)
            default:
                guard let series = doc.series.first else { continue }
                var shorter = series
                shorter.endDate = d("2027-06-30")
                edit = .batch([.putSeries(shorter)])
            }
            do {
                try history.perform(edit, label: "step \(step)", on: &doc)
            } catch {
                continue
            }
            index.update(after: edit, in: doc)
            check("after step \(step)")
            if step % 3 == 0, let undo = history.undoStack.last?.undo {
                try history.undo(on: &doc)
                index.update(after: undo, in: doc)
                check("after undoing step \(step)")
            }
        }
        #expect(notesWritten >= 5 && notesSigned >= 5, "the sequence wrote \(notesWritten) and signed \(notesSigned) notes")
    }

    @Test func storedOccurrencesAreNotShownTwiceAndMovedOnesShowOnTheirNewDate() throws {
        var doc = TestDocument.document()
        var moved = Session(id: "ses_m", occurrenceOf: TestDocument.iopA, on: d("2026-11-04"))
        moved.date = d("2026-11-10")
        doc.sessions.append(moved)
        let index = ScheduleIndex(doc)
        #expect(index.sessions(on: d("2026-11-04")).isEmpty)
        #expect(index.sessions(on: d("2026-11-10")).map(\.session.id) == ["ses_m"])
        #expect(index.sessions(on: d("2026-11-11")).map(\.session.id) == ["ser_a@2026-11-11"])
    }

    @Test func findsAnOccurrenceStoredOrComputedAndStoredSessionsByID() throws {
        var doc = TestDocument.document()
        var moved = Session(id: "ses_m", occurrenceOf: TestDocument.iopA, on: d("2026-11-04"))
        moved.date = d("2026-11-06")
        doc.sessions.append(moved)
        let index = ScheduleIndex(doc)
        let stored = try #require(index.occurrence(of: "ser_a", on: d("2026-11-04")))
        #expect(stored.isStored && stored.session == moved)
        let computed = try #require(index.occurrence(of: "ser_a", on: d("2026-11-05")))
        #expect(!computed.isStored && computed.session.id == "ser_a@2026-11-05" && computed.session.date == d("2026-11-05"))
        #expect(index.occurrence(of: "ser_a", on: d("2026-11-03")) == nil) // a Tuesday
        #expect(index.occurrence(of: "ser_a", on: d("2026-10-29")) == nil) // before the start
        #expect(index.occurrence(of: "ser_zz", on: d("2026-11-05")) == nil)
        #expect(index.stored("ses_m") == moved)
        #expect(index.stored("ser_a@2026-11-05") == nil)
        #expect(index.series("ser_a") == TestDocument.iopA)
    }

    @Test func aWeekIsTheSameWhateverIsStoredOutsideIt() {
        // The index answers from the sessions in the range: thousands stored in other years change nothing in this week.
        let small = TestDocument.document()
        var large = small
        for i in 0..<5000 {
            large.sessions.append(Session(id: SessionID("ses_old_\(i)"), date: d("2021-01-04").adding(days: i / 5), start: TestDocument.time("09:00"),
                                          durationMinutes: 60, title: "Old", kind: .individual))
        }
        let week = DateRange(d("2026-11-30"), d("2026-12-06"))
        #expect(ScheduleIndex(large).storedCount == 5000)
        #expect(ScheduleIndex(large).sessions(in: week) == ScheduleIndex(small).sessions(in: week))
        #expect(ScheduleIndex(large).sessions(in: week).count == 3)
    }
}
