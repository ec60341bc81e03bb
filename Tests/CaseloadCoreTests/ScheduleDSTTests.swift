import CaseloadCore
import Foundation
import Testing

/// A weekly Mon/Wed/Thu 18:00 group in America/Chicago across fall back (Sun 1 Nov 2026) and spring forward (Sun 14 Mar 2027).
@Suite struct ScheduleDSTTests {
    let d = TestDocument.date
    let t = TestDocument.time

    var series: Series {
        var s = TestDocument.iopA
        s.startDate = d("2026-10-01")
        return s
    }

    func zone() throws -> TimeZone { try #require(TimeZone(identifier: "America/Chicago")) }

    func document() -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.series = [series]
        return doc
    }

    @Test func everyOccurrenceIsAtSixLocalAndAWeekIsSevenDaysPlusOrMinusTheShift() throws {
        let zone = try zone()
        let dates = Recurrence.dates(of: series, in: DateRange(d("2026-10-01"), d("2027-04-30")))
        #expect(dates.count > 80)
        var shifts: [String: Double] = [:]
        for date in dates {
            let instant = Recurrence.instant(date, series.start, in: zone)
            let back = Recurrence.local(instant, in: zone)
            #expect(back.date == date && back.time == t("18:00"), "\(date)")
            let next = date.adding(days: 7)
            let gap = Recurrence.instant(next, series.start, in: zone).timeIntervalSince(instant) - 7 * 86400
            if gap != 0 { shifts[date.iso] = gap }
        }
        // Only the weeks that contain a change are an hour longer (fall back) or shorter (spring forward).
        #expect(shifts == ["2026-10-26": 3600, "2026-10-28": 3600, "2026-10-29": 3600, "2027-03-08": -3600, "2027-03-10": -3600, "2027-03-11": -3600])
    }

    @Test func theWeeksContainingEachChangeListTheSameLocalTimes() throws {
        let zone = try zone()
        let index = ScheduleIndex(document())
        let weeks: [(DateRange, [String])] = [
            // Mon–Sun week ending on the fall-back Sunday: still daylight time (UTC-5).
            (DateRange(d("2026-10-26"), d("2026-11-01")), ["2026-10-26T23:00:00Z", "2026-10-28T23:00:00Z", "2026-10-29T23:00:00Z"]),
            // Sun–Sat week starting on it: standard time (UTC-6).
            (DateRange(d("2026-11-01"), d("2026-11-07")), ["2026-11-03T00:00:00Z", "2026-11-05T00:00:00Z", "2026-11-06T00:00:00Z"]),
            (DateRange(d("2027-03-08"), d("2027-03-14")), ["2027-03-09T00:00:00Z", "2027-03-11T00:00:00Z", "2027-03-12T00:00:00Z"]),
            (DateRange(d("2027-03-14"), d("2027-03-20")), ["2027-03-15T23:00:00Z", "2027-03-17T23:00:00Z", "2027-03-18T23:00:00Z"]),
        ]
        for (range, instants) in weeks {
            let sessions = index.sessions(in: range).map(\.session)
            #expect(sessions.map(\.start.description) == ["18:00", "18:00", "18:00"], "\(range.first)")
            #expect(sessions.map { Timestamp(Recurrence.instant($0.date, $0.start, in: zone)).iso } == instants)
        }
    }

    @Test func forNWeeksAcrossTheChangesCountsWholeWeeks() {
        var s = series
        s.startDate = d("2026-10-19")
        s.endDate = Recurrence.endDate(start: s.startDate, weekdays: s.weekdays, weeks: 4)
        #expect(s.endDate == d("2026-11-15"))
        #expect(Recurrence.occurrenceCount(of: s) == 12)
        s.startDate = d("2027-02-22")
        s.endDate = Recurrence.endDate(start: s.startDate, weekdays: s.weekdays, weeks: 6)
        #expect(s.endDate == d("2027-04-04"))
        #expect(Recurrence.occurrenceCount(of: s) == 18)
        #expect(ScheduleIndex({ var doc = document(); doc.series = [s]; return doc }()).sessions(in: DateRange(d("2027-01-01"), d("2027-12-31"))).count == 18)
    }

    @Test func exceptionsAcrossTheChanges() throws {
        let zone = try zone()
        var doc = document()
        try doc.apply(SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-11-02"), reason: "staff training", in: doc))
        try doc.apply(SeriesEdits.moveOccurrence(of: "ser_a", on: d("2027-03-11"), to: d("2027-03-15"), start: t("17:00"), in: doc))
        let index = ScheduleIndex(doc)

        let fall = index.sessions(in: DateRange(d("2026-11-01"), d("2026-11-07")))
        #expect(fall.map { "\($0.session.date) \($0.session.status.kind) \($0.isStored)" } == [
            "2026-11-02 cancelled true", "2026-11-04 scheduled false", "2026-11-05 scheduled false",
        ])

        let before = index.sessions(in: DateRange(d("2027-03-08"), d("2027-03-14")))
        #expect(before.map(\.session.date) == [d("2027-03-08"), d("2027-03-10")])
        let after = index.sessions(in: DateRange(d("2027-03-15"), d("2027-03-21")))
        #expect(after.map { "\($0.session.date) \($0.session.start) \($0.session.id)" } == [
            "2027-03-15 17:00 ses_ser_a_2027-03-11", "2027-03-15 18:00 ser_a@2027-03-15",
            "2027-03-17 18:00 ser_a@2027-03-17", "2027-03-18 18:00 ser_a@2027-03-18",
        ])
        let moved = try #require(after.first?.session)
        #expect(Timestamp(Recurrence.instant(moved.date, moved.start, in: zone)).iso == "2027-03-15T22:00:00Z")
        #expect(index.occurrence(of: "ser_a", on: d("2027-03-11"))?.session.date == d("2027-03-15"))
    }
}
