import Foundation

extension Recurrence {
    /// The end date for a series that runs "for `weeks` weeks": the last day of the `weeks`-th week counted from its first occurrence, so 6 weeks from Mon 2026-11-30 on Mon/Wed/Thu ends Sun 2027-01-10 and holds 18 occurrences.
    ///
    /// Weeks are counted from the first day on or after `start` that is one of `weekdays` (from `start` itself when `weekdays` is empty). Fewer than 1 week counts as 1.
    public static func endDate(start: LocalDate, weekdays: [Weekday], weeks: Int) -> LocalDate {
        let days = Set(weekdays)
        var first = start
        if !days.isEmpty {
            while !days.contains(first.weekday) { first = first.adding(days: 1) }
        }
        return first.adding(days: 7 * max(1, weeks) - 1)
    }

    /// How many occurrences `series` has from its start to its end date, before any stored change; nil when it is open-ended.
    public static func occurrenceCount(of series: Series) -> Int? {
        guard let end = series.endDate else { return nil }
        let span = series.startDate.days(until: end) + 1
        guard span > 0 else { return 0 }
        let fullWeeks = span / 7
        let rest = span % 7
        var count = 0
        for weekday in Set(series.weekdays) {
            // Days from the start to the first date on this weekday.
            let offset = (weekday.isoNumber - series.startDate.weekday.isoNumber + 7) % 7
            count += fullWeeks + (offset < rest ? 1 : 0)
        }
        return count
    }
}
