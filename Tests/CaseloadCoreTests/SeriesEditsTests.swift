import CaseloadCore
import Foundation
import Testing

@Suite struct SeriesEditsTests {
    let d = TestDocument.date
    let t = TestDocument.time


    /// A document with a few stored occurrences of IOP-A: roll on 2026-11-02, a cancellation on 2026-11-04, an occurrence moved from 2026-12-02 to 2026-12-03 at 10:00, roll on 2026-12-07, and a one-off.
    func history() -> CaseloadDocument {
        var doc = TestDocument.document()
        var held = Session(id: "ses_ser_a_2026-11-02", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        held.mark("pat_ana", .present)
        var cancelled = Session(id: "ses_ser_a_2026-11-04", occurrenceOf: TestDocument.iopA, on: d("2026-11-04"))
        cancelled.status = .cancelled(reason: "staff training")
        var moved = Session(id: "ses_ser_a_2026-12-02", occurrenceOf: TestDocument.iopA, on: d("2026-12-02"))
        moved.date = d("2026-12-03"); moved.start = t("10:00")
        var later = Session(id: "ses_ser_a_2026-12-07", occurrenceOf: TestDocument.iopA, on: d("2026-12-07"))
        later.mark("pat_minjun", .late(minutesLate: 10))
        let oneOff = Session(id: "ses_intake", date: d("2026-12-01"), start: t("10:00"), durationMinutes: 60, title: "Intake", kind: .individual, added: ["pat_ana"])
        doc.sessions = [held, cancelled, moved, oneOff, later]
        return doc
    }

    func message(_ body: () throws -> DocumentEdit) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    // MARK: Cancel

    @Test func cancellingAnOccurrenceStoresItCancelledWithItsRoster() throws {
        let doc = history()
        let after = try applied(SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-11-30"), reason: " Thanksgiving week ", in: doc), to: doc)
        let stored = try #require(after.session("ses_ser_a_2026-11-30"))
        #expect(stored.status == .cancelled(reason: "Thanksgiving week"))
        #expect(stored.occurrenceDate == d("2026-11-30") && stored.date == d("2026-11-30") && stored.series == "ser_a")
        #expect(stored.members(series: TestDocument.iopA) == ["pat_ana", "pat_minjun"])
        let day = ScheduleIndex(after).sessions(on: d("2026-11-30"))
        #expect(day.map(\.session.id) == ["ses_ser_a_2026-11-30"])
        #expect(day.first?.isStored == true)
    }

    @Test func cancellingAStoredOccurrenceOnlyChangesItsStatus() throws {
        let doc = history()
        let after = try applied(SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-12-07"), reason: "snow", in: doc), to: doc)
        var expected = try #require(doc.session("ses_ser_a_2026-12-07"))
        expected.status = .cancelled(reason: "snow")
        #expect(after.session("ses_ser_a_2026-12-07") == expected)
        #expect(after.sessions.count == doc.sessions.count)
    }

    @Test func cancellingIsRefusedWithoutReasonOrOccurrence() {
        let doc = history()
        #expect(message { try SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-11-30"), reason: "  ", in: doc) }?.contains("give a reason") == true)
        #expect(message { try SeriesEdits.cancelOccurrence(of: "ser_x", on: d("2026-11-30"), reason: "x", in: doc) }?.contains("no series has the ID \"ser_x\"") == true)
        #expect(message { try SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-12-01"), reason: "x", in: doc) }?.contains("IOP-A has no occurrence on Tue 2026-12-01") == true)
        #expect(message { try SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-10-26"), reason: "x", in: doc) } != nil)
        #expect(message { try SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-11-04"), reason: "staff training", in: doc) }?.contains("already cancelled") == true)
    }

    @Test func cancelAndUncancelASession() throws {
        let doc = history()
        let cancelled = try applied(SeriesEdits.cancelSession("ses_intake", reason: "patient asked", in: doc), to: doc)
        #expect(cancelled.session("ses_intake")?.status == .cancelled(reason: "patient asked"))
        let back = try applied(SeriesEdits.uncancel("ses_intake", in: cancelled), to: cancelled)
        #expect(back == doc)
        #expect(message { try SeriesEdits.uncancel("ses_intake", in: doc) }?.contains("is not cancelled") == true)
        #expect(message { try SeriesEdits.cancelSession("ses_nope", reason: "x", in: doc) }?.contains("no session has the ID") == true)

        // The schedule's ID for an unstored occurrence works too.
        let viaScheduleID = try applied(SeriesEdits.cancelSession("ser_a@2026-12-09", reason: "x", in: doc), to: doc)
        #expect(viaScheduleID.session("ses_ser_a_2026-12-09")?.status == .cancelled(reason: "x"))
    }

    @Test func uncancellingASessionWithAttendanceMakesItHeld() throws {
        let doc = history()
        let cancelled = try applied(SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-12-07"), reason: "snow", in: doc), to: doc)
        let back = try applied(SeriesEdits.uncancelOccurrence(of: "ser_a", on: d("2026-12-07"), in: cancelled), to: cancelled)
        #expect(back.session("ses_ser_a_2026-12-07")?.status == .held)
        let restored = try applied(SeriesEdits.uncancelOccurrence(of: "ser_a", on: d("2026-11-04"), in: doc), to: doc)
        #expect(restored.session("ses_ser_a_2026-11-04")?.status == .scheduled)
        #expect(message { try SeriesEdits.uncancelOccurrence(of: "ser_a", on: d("2026-12-09"), in: doc) }?.contains("is not cancelled") == true)
    }

    // MARK: Move and edit one

    @Test func movingAnOccurrenceKeepsItsOriginalDate() throws {
        let doc = history()
        let after = try applied(SeriesEdits.moveOccurrence(of: "ser_a", on: d("2026-12-09"), to: d("2026-12-08"), start: t("17:00"), in: doc), to: doc)
        let moved = try #require(after.session("ses_ser_a_2026-12-09"))
        #expect(moved.occurrenceDate == d("2026-12-09") && moved.date == d("2026-12-08") && moved.start == t("17:00"))
        let index = ScheduleIndex(after)
        #expect(index.sessions(on: d("2026-12-09")).isEmpty)
        #expect(index.sessions(on: d("2026-12-08")).map(\.session.id) == ["ses_ser_a_2026-12-09"])

        // Moving it back to where the series put it keeps it stored.
        let back = try applied(SeriesEdits.moveOccurrence(of: "ser_a", on: d("2026-12-09"), to: d("2026-12-09"), start: t("18:00"), in: after), to: after)
        #expect(back.session("ses_ser_a_2026-12-09")?.date == d("2026-12-09"))
        #expect(ScheduleIndex(back).sessions(on: d("2026-12-09")).map(\.isStored) == [true])
        #expect(message { try SeriesEdits.moveOccurrence(of: "ser_a", on: d("2026-12-09"), to: d("2026-12-09"), start: t("18:00"), in: back) }?.contains("already on 2026-12-09 at 18:00") == true)
    }

    @Test func movingAStoredOrOneOffSession() throws {
        let doc = history()
        let after = try applied(SeriesEdits.moveSession("ses_intake", to: d("2026-12-02"), start: t("11:30"), in: doc), to: doc)
        #expect(after.session("ses_intake")?.date == d("2026-12-02"))
        #expect(after.session("ses_intake")?.start == t("11:30"))
        let again = try applied(SeriesEdits.moveSession("ses_ser_a_2026-12-02", to: d("2026-12-04"), start: t("18:00"), in: doc), to: doc)
        #expect(again.session("ses_ser_a_2026-12-02")?.occurrenceDate == d("2026-12-02"))
        #expect(again.session("ses_ser_a_2026-12-02")?.date == d("2026-12-04"))
    }

    @Test func editingOneOccurrenceStoresItWithTheChange() throws {
        let doc = history()
        let change = SessionChange(title: "IOP-A (family night)", modality: .some(.family), room: .some(nil), durationMinutes: 120)
        let after = try applied(SeriesEdits.editOccurrence(of: "ser_a", on: d("2026-12-10"), applying: change, in: doc), to: doc)
        let s = try #require(after.session("ses_ser_a_2026-12-10"))
        #expect(s.title == "IOP-A (family night)" && s.modality == .family && s.room == nil && s.durationMinutes == 120)
        #expect(s.start == t("18:00") && s.facilitator == "st_dana")
        #expect(after.series("ser_a") == TestDocument.iopA)
        #expect(message { try SeriesEdits.editOccurrence(of: "ser_a", on: d("2026-12-10"), applying: SessionChange(), in: doc) }?.contains("nothing to change") == true)
        #expect(message { try SeriesEdits.editOccurrence(of: "ser_a", on: d("2026-12-10"), applying: SessionChange(room: .some("r9")), in: doc) }?.contains("no room \"r9\"") == true)
    }

    // MARK: Whole series

    @Test func editingTheSeriesLeavesStoredOccurrencesAsTheyAre() throws {
        let doc = history()
        let after = try applied(SeriesEdits.editSeries("ser_a", applying: SessionChange(facilitator: .some(nil), start: t("17:30")), weekdays: [.mon, .thu], in: doc), to: doc)
        let series = try #require(after.series("ser_a"))
        #expect(series.start == t("17:30") && series.facilitator == nil && series.weekdays == [.mon, .thu])
        #expect(after.sessions == doc.sessions)
        let week = ScheduleIndex(after).sessions(in: DateRange(d("2026-12-07"), d("2026-12-13")))
        #expect(week.map { "\($0.session.date) \($0.session.start) \($0.isStored)" } == ["2026-12-07 18:00 true", "2026-12-10 17:30 false"])
        #expect(message { try SeriesEdits.editSeries("ser_a", applying: SessionChange(title: "IOP-A"), in: doc) }?.contains("nothing to change") == true)
        #expect(message { try SeriesEdits.editSeries("ser_a", applying: SessionChange(), weekdays: [], in: doc) }?.contains("choose at least one weekday") == true)
    }

    @Test func createSeriesIsValidated() throws {
        let doc = history()
        var evening = TestDocument.iopA
        evening.id = "ser_c"; evening.title = "Relapse prevention"; evening.weekdays = [.tue]
        let after = try applied(SeriesEdits.createSeries(evening, in: doc), to: doc)
        #expect(after.series("ser_c") == evening)
        #expect(message { try SeriesEdits.createSeries(TestDocument.iopA, in: doc) }?.contains("already exists") == true)
        evening.durationMinutes = 0
        #expect(message { try SeriesEdits.createSeries(evening, in: doc) }?.contains("durationMinutes") == true)
    }

    // MARK: This and following

    @Test func splittingEndsTheOldSeriesAndStartsANewOneWithTheOpenRoster() throws {
        var doc = history()
        doc.series[0].endDate = d("2027-02-25")
        doc.series[0].roster[1].left = d("2026-12-01")
        doc.series[0].roster.append(RosterEntry(patient: "pat_minjun", joined: d("2026-12-10"), left: d("2027-01-15")))
        let old = doc.series[0]
        let edit = try SeriesEdits.splitSeries("ser_a", from: d("2026-12-02"), applying: SessionChange(room: .some("r1"), start: t("17:00")), weekdays: [.mon, .wed], newID: "ser_a2", in: doc)
        let after = try applied(edit, to: doc)
        let ended = try #require(after.series("ser_a"))
        let next = try #require(after.series("ser_a2"))
        #expect(ended.endDate == d("2026-12-01"))
        #expect(ended.roster == old.roster)
        #expect(next.startDate == d("2026-12-02") && next.endDate == d("2027-02-25"))
        #expect(next.room == "r1" && next.start == t("17:00") && next.weekdays == [.mon, .wed] && next.title == "IOP-A")
        #expect(next.roster == [RosterEntry(patient: "pat_ana", joined: d("2026-12-02")), RosterEntry(patient: "pat_minjun", joined: d("2026-12-10"), left: d("2027-01-15"))])

        // Stored occurrences from the split on belong to the new series under their old IDs; earlier ones stay.
        #expect(after.session("ses_ser_a_2026-12-02")?.series == "ser_a2")
        #expect(after.session("ses_ser_a_2026-12-07")?.series == "ser_a2")
        #expect(after.session("ses_ser_a_2026-11-04")?.series == "ser_a")
        #expect(after.sessions.map(\.id) == doc.sessions.map(\.id))

        // Nothing is shown twice; the moved occurrence stays moved.
        let index = ScheduleIndex(after)
        let week = index.sessions(in: DateRange(d("2026-11-30"), d("2026-12-13")))
        #expect(week.map { "\($0.session.date) \($0.session.start) \($0.session.id)" } == [
            "2026-11-30 18:00 ser_a@2026-11-30",
            "2026-12-01 10:00 ses_intake",
            "2026-12-03 10:00 ses_ser_a_2026-12-02",
            "2026-12-07 18:00 ses_ser_a_2026-12-07",
            "2026-12-09 17:00 ser_a2@2026-12-09",
        ])
        #expect(index.sessions(in: DateRange(d("2026-11-30"), d("2027-03-31"))) == Schedule.sessions(in: DateRange(d("2026-11-30"), d("2027-03-31")), of: after))
    }

    @Test func splittingFromTheFirstOccurrenceEditsTheWholeSeries() throws {
        let doc = history()
        let change = SessionChange(title: "IOP Evening")
        let split = try SeriesEdits.splitSeries("ser_a", from: d("2026-11-02"), applying: change, newID: "ser_new", in: doc)
        #expect(split == (try SeriesEdits.editSeries("ser_a", applying: change, in: doc)))
        var later = doc
        later.series[0].startDate = d("2026-10-31") // a Saturday: the first occurrence is Monday 2 November
        let fromFirst = try SeriesEdits.splitSeries("ser_a", from: d("2026-11-02"), applying: change, newID: "ser_new", in: later)
        #expect(fromFirst == (try SeriesEdits.editSeries("ser_a", applying: change, in: later)))
    }

    @Test func splittingIsRefusedWhenItCannot() {
        var doc = history()
        #expect(message { try SeriesEdits.splitSeries("ser_a", from: d("2026-12-07"), applying: SessionChange(), newID: "ser_b", in: doc) }?.contains("nothing to change") == true)
        #expect(message { try SeriesEdits.splitSeries("ser_a", from: d("2026-12-07"), applying: SessionChange(title: "X"), newID: "ser_a", in: doc) }?.contains("already exists") == true)
        doc.series[0].endDate = d("2026-12-31")
        #expect(message { try SeriesEdits.splitSeries("ser_a", from: d("2027-01-04"), applying: SessionChange(title: "X"), newID: "ser_b", in: doc) }?.contains("ends on 2026-12-31") == true)
    }

    // MARK: End

    @Test func endingRemovesUnrecordedOccurrencesAndKeepsHistory() throws {
        var doc = history()
        var cancelledLater = Session(id: "ses_ser_a_2026-12-14", occurrenceOf: TestDocument.iopA, on: d("2026-12-14"))
        cancelledLater.status = .cancelled(reason: "holiday")
        doc.sessions.append(cancelledLater)
        let after = try applied(SeriesEdits.endSeries("ser_a", from: d("2026-12-02"), in: doc), to: doc)
        #expect(after.series("ser_a")?.endDate == d("2026-12-01"))
        #expect(after.sessions.map(\.id) == ["ses_ser_a_2026-11-02", "ses_ser_a_2026-11-04", "ses_intake", "ses_ser_a_2026-12-07"])
        let index = ScheduleIndex(after)
        #expect(index.sessions(in: DateRange(d("2026-12-02"), d("2027-06-30"))).map(\.session.id) == ["ses_ser_a_2026-12-07"])
        #expect(index.sessions(on: d("2026-11-30")).map(\.session.id) == ["ser_a@2026-11-30"])
    }

    @Test func endingFromTheFirstDayRemovesAnUnusedSeries() throws {
        var doc = TestDocument.document()
        var cancelled = Session(id: "ses_c", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        cancelled.status = .cancelled(reason: "no staff")
        doc.sessions.append(cancelled)
        let after = try applied(SeriesEdits.endSeries("ser_a", from: d("2026-11-02"), in: doc), to: doc)
        #expect(after.series.isEmpty && after.sessions.isEmpty)
        #expect(message { try SeriesEdits.endSeries("ser_a", from: d("2026-11-02"), in: history()) }?.contains("end it from a later date") == true)
        #expect(message { try SeriesEdits.endSeries("ser_a", from: d("2026-10-26"), in: doc) }?.contains("remove the series instead") == true)
        var ended = doc
        ended.series[0].endDate = d("2026-11-30")
        #expect(message { try SeriesEdits.endSeries("ser_a", from: d("2026-12-02"), in: ended) }?.contains("already ends on 2026-11-30") == true)
    }

    @Test func removalsUndoToTheSamePlace() throws {
        let doc = history()
        _ = try applied(.removeSession("ses_ser_a_2026-11-04"), to: doc)
        var two = doc
        two.series.insert(ScheduleFixture.individual, at: 0)
        _ = try applied(.removeSeries(ScheduleFixture.individual.id), to: two)
    }
}
