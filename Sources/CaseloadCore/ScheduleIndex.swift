import Foundation

/// The document indexed by date, so that a week costs the same on a five-year document as on a new one.
///
/// Holds the stored sessions sorted by their (possibly moved) date, the stored occurrence keys (series and original date) so stored occurrences are not also computed, and the series. `sessions(in:)` gives exactly what `Schedule.sessions(in:of:)` gives, at a cost that depends on the range and the number of series, not on the stored sessions outside the range.
public struct ScheduleIndex: Sendable {
    /// A series occurrence by its original date, like iCalendar's RECURRENCE-ID.
    struct OccurrenceKey: Hashable, Sendable {
        var series: SeriesID
        var date: LocalDate
    }

    /// Stored sessions in schedule order: date, start, title, ID.
    private let ordered: [Session]
    private let byID: [SessionID: Int]
    private let occurrences: [OccurrenceKey: Int]
    /// The document's series, in document order (computed occurrences are produced in this order before sorting).
    public let series: [Series]
    private let seriesByID: [SeriesID: Series]

    public init(_ doc: CaseloadDocument) {
        let ordered = doc.sessions.sorted(by: ScheduleIndex.precedes)
        var byID: [SessionID: Int] = [:]
        var occurrences: [OccurrenceKey: Int] = [:]
        byID.reserveCapacity(ordered.count)
        for (i, session) in ordered.enumerated() {
            if byID[session.id] == nil { byID[session.id] = i }
            if let id = session.series, let original = session.occurrenceDate {
                let key = OccurrenceKey(series: id, date: original)
                if occurrences[key] == nil { occurrences[key] = i }
            }
        }
        self.ordered = ordered
        self.byID = byID
        self.occurrences = occurrences
        self.series = doc.series
        self.seriesByID = Dictionary(doc.series.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every session whose (possibly moved) date is in `range`, ordered by date, start, title and ID, as `Schedule.sessions(in:of:)`.
    public func sessions(in range: DateRange) -> [ScheduledSession] {
        guard range.first <= range.last else { return [] }
        let lower = firstIndex { !($0.date < range.first) }
        let upper = firstIndex { range.last < $0.date }
        var result: [ScheduledSession] = []
        if lower < upper {
            result.reserveCapacity(upper - lower)
            for session in ordered[lower..<upper] { result.append(ScheduledSession(session: session, isStored: true)) }
        }
        for item in series {
            for date in Recurrence.dates(of: item, in: range) where occurrences[OccurrenceKey(series: item.id, date: date)] == nil {
                result.append(ScheduledSession(session: ScheduleIndex.computed(item, on: date), isStored: false))
            }
        }
        result.sort { ScheduleIndex.precedes($0.session, $1.session) }
        return result
    }

    /// The sessions on one day.
    public func sessions(on date: LocalDate) -> [ScheduledSession] {
        sessions(in: DateRange(date, date))
    }

    /// The occurrence of `series` originally due on `date`: the stored one (wherever it was moved), or the computed one; nil when the series has no occurrence that day.
    public func occurrence(of series: SeriesID, on date: LocalDate) -> ScheduledSession? {
        if let i = occurrences[OccurrenceKey(series: series, date: date)] {
            return ScheduledSession(session: ordered[i], isStored: true)
        }
        guard let item = seriesByID[series], !Recurrence.dates(of: item, in: DateRange(date, date)).isEmpty else { return nil }
        return ScheduledSession(session: ScheduleIndex.computed(item, on: date), isStored: false)
    }

    /// The stored session with `id`.
    public func stored(_ id: SessionID) -> Session? {
        byID[id].map { ordered[$0] }
    }

    /// The series with `id`.
    public func series(_ id: SeriesID) -> Series? {
        seriesByID[id]
    }

    /// How many sessions the document stores.
    public var storedCount: Int { ordered.count }

    /// An occurrence not stored yet, with the ID `seriesID@date` that `Schedule` gives it.
    static func computed(_ series: Series, on date: LocalDate) -> Session {
        Session(id: SessionID("\(series.id)@\(date)"), occurrenceOf: series, on: date)
    }

    /// The schedule's order: date, start, title, ID.
    static func precedes(_ a: Session, _ b: Session) -> Bool {
        (a.date, a.start, a.title, a.id.rawValue) < (b.date, b.start, b.title, b.id.rawValue)
    }

    /// The first position in `ordered` where `isAfter` holds (it must be false, then true, along the array).
    private func firstIndex(where isAfter: (Session) -> Bool) -> Int {
        var low = 0, high = ordered.count
        while low < high {
            let mid = (low + high) / 2
            if isAfter(ordered[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
