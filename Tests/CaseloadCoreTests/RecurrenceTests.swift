import CaseloadCore
import Foundation
import Testing

@Suite struct RecurrenceTests {
    let d = TestDocument.date

    @Test func expandsChosenWeekdaysWithinStartAndEnd() {
        var series = TestDocument.iopA
        series.endDate = d("2026-11-18")
        let dates = Recurrence.dates(of: series, in: DateRange(d("2026-10-01"), d("2026-12-31")))
        #expect(dates.map(\.iso) == ["2026-11-02", "2026-11-04", "2026-11-05", "2026-11-09", "2026-11-11", "2026-11-12", "2026-11-16", "2026-11-18"])
    }

    @Test func emptyWhenTheRangeIsOutsideTheSeries() {
        #expect(Recurrence.dates(of: TestDocument.iopA, in: DateRange(d("2026-10-01"), d("2026-11-01"))).isEmpty)
    }

    @Test func weeklyEveningGroupStaysAtSixLocalAcrossBothDSTChanges() throws {
        let zone = try #require(TimeZone(identifier: "America/Chicago"))
        // 2026: DST starts Sun 8 March, ends Sun 1 November in the US.
        var series = TestDocument.iopA
        series.startDate = d("2026-02-23")
        series.weekdays = [.mon]
        let dates = Recurrence.dates(of: series, in: DateRange(d("2026-03-02"), d("2026-03-09")))
        #expect(dates.map(\.iso) == ["2026-03-02", "2026-03-09"])
        let before = Recurrence.instant(dates[0], series.start, in: zone)
        let after = Recurrence.instant(dates[1], series.start, in: zone)
        #expect(Timestamp(before).iso == "2026-03-03T00:00:00Z") // 18:00 CST = UTC-6
        #expect(Timestamp(after).iso == "2026-03-09T23:00:00Z")  // 18:00 CDT = UTC-5
        #expect(after.timeIntervalSince(before) == 7 * 86400 - 3600)
        #expect(Recurrence.local(after, in: zone).time.description == "18:00")

        let fall = Recurrence.dates(of: series, in: DateRange(d("2026-10-26"), d("2026-11-02")))
        let a = Recurrence.instant(fall[0], series.start, in: zone)
        let b = Recurrence.instant(fall[1], series.start, in: zone)
        #expect(b.timeIntervalSince(a) == 7 * 86400 + 3600)
        #expect(Recurrence.local(b, in: zone).time.description == "18:00")
    }

    @Test func timeInTheSpringGapMovesForward() throws {
        let zone = try #require(TimeZone(identifier: "America/Chicago"))
        let instant = Recurrence.instant(d("2026-03-08"), TestDocument.time("02:30"), in: zone)
        #expect(Recurrence.local(instant, in: zone).time.description == "03:30")
    }

    @Test func scheduleMergesStoredOccurrencesMovedAndOneOffs() {
        var doc = TestDocument.document()
        var moved = Session(id: "ses_moved", occurrenceOf: TestDocument.iopA, on: d("2026-11-04"))
        moved.date = d("2026-11-06")
        doc.sessions.append(moved)
        doc.sessions.append(Session(id: "ses_one", date: d("2026-11-03"), start: TestDocument.time("10:00"), durationMinutes: 60,
                                    title: "Intake", kind: .individual, added: ["pat_ana"]))
        let week = Schedule.sessions(in: DateRange(d("2026-11-02"), d("2026-11-08")), of: doc)
        #expect(week.map { "\($0.session.date.iso) \($0.session.title) \($0.isStored)" } == [
            "2026-11-02 IOP-A false", "2026-11-03 Intake true", "2026-11-05 IOP-A false", "2026-11-06 IOP-A true",
        ])
        #expect(Schedule.sessions(for: "pat_minjun", in: DateRange(d("2026-11-02"), d("2026-11-08")), of: doc).count == 3)
    }

    @Test func rosterJoinAndLeaveDatesDecideMembership() {
        var series = TestDocument.iopA
        series.roster[1].left = d("2026-11-11")
        series.roster.append(RosterEntry(patient: "pat_new", joined: d("2026-11-09")))
        #expect(series.members(on: d("2026-11-05")) == ["pat_ana", "pat_minjun"])
        #expect(series.members(on: d("2026-11-09")) == ["pat_ana", "pat_minjun", "pat_new"])
        #expect(series.members(on: d("2026-11-11")) == ["pat_ana", "pat_new"])
    }
}
