import Foundation

/// Expands weekly series into dated occurrences and converts wall-clock times to instants in the program's zone.
public enum Recurrence {
    /// Dates in `range` on which `series` falls, before any stored change (moves, cancellations).
    public static func dates(of series: Series, in range: DateRange) -> [LocalDate] {
        let first = max(range.first, series.startDate)
        let last = series.endDate.map { min(range.last, $0) } ?? range.last
        guard first <= last else { return [] }
        let days = Set(series.weekdays)
        var result: [LocalDate] = []
        var date = first
        while date <= last {
            if days.contains(date.weekday) { result.append(date) }
            date = date.adding(days: 1)
        }
        return result
    }

    /// The instant at which wall-clock `time` on `date` happens in `zone`. In a spring-forward gap the time is moved forward by the gap, as clocks are; in a fall-back overlap the first (daylight) instant is used.
    public static func instant(_ date: LocalDate, _ time: LocalTime, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute)
        if let resolved = calendar.date(from: components) { return resolved }
        // Unreachable for valid dates; fall back to the zone's standard offset.
        let utc = TimeInterval(date.dayNumber) * 86400 + TimeInterval(time.minutes) * 60
        return Date(timeIntervalSince1970: utc - TimeInterval(zone.secondsFromGMT()))
    }

    /// The local date and time of `instant` in `zone`.
    public static func local(_ instant: Date, in zone: TimeZone) -> (date: LocalDate, time: LocalTime) {
        let offset = zone.secondsFromGMT(for: instant)
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(offset)
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let rest = Int(seconds - Int64(days) * 86400)
        return (LocalDate(dayNumber: days), LocalTime(clamping: rest / 60))
    }
}

/// A session on the calendar: a stored session, or a series occurrence computed but not yet stored.
public struct ScheduledSession: Equatable, Sendable {
    /// The session's values (for an unstored occurrence, taken from its series).
    public var session: Session
    /// Whether the document holds it (something is recorded on it).
    public var isStored: Bool
    public init(session: Session, isStored: Bool) { self.session = session; self.isStored = isStored }
}

/// Which sessions fall in a range of dates, merging series occurrences with stored sessions.
public enum Schedule {
    /// Every session whose (possibly moved) date is in `range`, ordered by date, start and title. Unstored occurrences get the ID `seriesID@date`.
    public static func sessions(in range: DateRange, of doc: CaseloadDocument) -> [ScheduledSession] {
        var result: [ScheduledSession] = []
        var storedOccurrences = Set<String>()
        for session in doc.sessions {
            if let series = session.series, let original = session.occurrenceDate {
                storedOccurrences.insert("\(series)@\(original)")
            }
            if range.contains(session.date) { result.append(ScheduledSession(session: session, isStored: true)) }
        }
        for series in doc.series {
            for date in Recurrence.dates(of: series, in: range) where !storedOccurrences.contains("\(series.id)@\(date)") {
                let session = Session(id: SessionID("\(series.id)@\(date)"), occurrenceOf: series, on: date)
                result.append(ScheduledSession(session: session, isStored: false))
            }
        }
        result.sort { a, b in
            (a.session.date, a.session.start, a.session.title, a.session.id.rawValue) < (b.session.date, b.session.start, b.session.title, b.session.id.rawValue)
        }
        return result
    }

    /// Sessions in `range` that `patient` is expected at (member of the roster, a drop-in, not removed).
    public static func sessions(for patient: PatientID, in range: DateRange, of doc: CaseloadDocument) -> [ScheduledSession] {
        let seriesByID = Dictionary(doc.series.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return sessions(in: range, of: doc).filter { item in
            item.session.members(series: item.session.series.flatMap { seriesByID[$0] }).contains(patient)
        }
    }
}
