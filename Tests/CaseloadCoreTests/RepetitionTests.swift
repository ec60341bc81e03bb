import CaseloadCore
import Foundation
import Testing

@Suite struct RepetitionTests {
    let d = TestDocument.date

    @Test func forSixWeeksFromAMondayEndsOnTheSixthSunday() {
        #expect(Recurrence.endDate(start: d("2026-11-30"), weekdays: [.mon, .wed, .thu], weeks: 6) == d("2027-01-10"))
        #expect(Recurrence.endDate(start: d("2026-11-30"), weekdays: [.mon, .wed, .thu], weeks: 1) == d("2026-12-06"))
    }

    @Test func weeksCountFromTheFirstOccurrence() {
        // Starting on a Tuesday for a Mon/Wed/Thu group: the first week begins Wednesday.
        #expect(Recurrence.endDate(start: d("2026-12-01"), weekdays: [.mon, .wed, .thu], weeks: 2) == d("2026-12-15"))
        #expect(Recurrence.endDate(start: d("2026-12-01"), weekdays: [], weeks: 2) == d("2026-12-14"))
        #expect(Recurrence.endDate(start: d("2026-11-30"), weekdays: [.mon], weeks: 0) == d("2026-12-06"))
    }

    @Test func forNWeeksHoldsNWeeksOfOccurrences() {
        var series = TestDocument.iopA
        for (start, weeks) in [("2026-11-30", 6), ("2026-12-01", 4), ("2026-12-03", 16), ("2027-02-26", 3)] {
            series.startDate = d(start)
            series.endDate = Recurrence.endDate(start: series.startDate, weekdays: series.weekdays, weeks: weeks)
            #expect(Recurrence.occurrenceCount(of: series) == weeks * 3, "\(start) for \(weeks) weeks")
        }
    }

    @Test func countMatchesTheExpandedDates() {
        var series = TestDocument.iopA
        #expect(Recurrence.occurrenceCount(of: series) == nil)
        for length in 0..<40 {
            for startOffset in 0..<7 {
                series.startDate = d("2026-11-02").adding(days: startOffset)
                series.endDate = series.startDate.adding(days: length - 1)
                let expanded = Recurrence.dates(of: series, in: DateRange(d("2026-01-01"), d("2027-12-31"))).count
                #expect(Recurrence.occurrenceCount(of: series) == expanded)
            }
        }
        series.weekdays = [.fri]
        series.startDate = d("2026-11-02")
        series.endDate = d("2026-11-05")
        #expect(Recurrence.occurrenceCount(of: series) == 0)
    }
}
