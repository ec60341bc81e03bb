import Foundation

/// The document indexed by date, so that a week costs the same on a five-year document as on a new one.
///
/// Holds the stored sessions by their (possibly moved) date, the stored occurrence keys (series and original date) so stored occurrences are not also computed, and the series; `update(after:in:)` keeps it current after an edit by touching only the sessions the edit names. `sessions(in:)` gives exactly what `Schedule.sessions(in:of:)` gives, at a cost that depends on the range and the number of series, not on the stored sessions outside the range.
public struct ScheduleIndex: Sendable {
    /// A series occurrence by its original date, like iCalendar's RECURRENCE-ID.
    struct OccurrenceKey: Hashable, Sendable {
        var series: SeriesID
        var date: LocalDate
    }

    /// Stored sessions by their (possibly moved) date, each day's in schedule order: date, start, title, ID.
    private var byDate: [LocalDate: [Session]]
    /// Where each stored session is: its date.
    private var dateOfID: [SessionID: LocalDate]
    /// Stored occurrences by series and original date: the ID of the session holding each.
    private var occurrences: [OccurrenceKey: SessionID]
    /// The document's series, in document order (computed occurrences are produced in this order before sorting).
    public private(set) var series: [Series]
    private var seriesByID: [SeriesID: Series]
    private var storedCountValue: Int
    /// Stored sessions with unsigned member notes: when each ends and whose notes are unsigned (the Patients pane's flags).
    private var unsigned: [SessionID: UnsignedNotes]

    /// A stored session's unsigned member notes: the session's end in wall-clock minutes since 1970-01-01, and the patients.
    struct UnsignedNotes: Equatable, Sendable {
        var endMinute: Int
        var patients: [PatientID]
    }

    public init(_ doc: CaseloadDocument) {
        byDate = [:]
        dateOfID = [:]
        occurrences = [:]
        storedCountValue = 0
        unsigned = [:]
        series = []
        seriesByID = [:]
        dateOfID.reserveCapacity(doc.sessions.count)
        for session in doc.sessions where dateOfID[session.id] == nil { insert(session) }
        for date in byDate.keys { byDate[date]?.sort(by: ScheduleIndex.precedes) }
        refreshSeries(doc)
    }

    /// Brings the index up to date after `edit` was applied to `doc`, touching only the sessions the edit names: an edit costs
    /// the same on a five-year document as on a new one.
    public mutating func update(after edit: DocumentEdit, in doc: CaseloadDocument) {
        var touched: [SessionID: Session?] = [:]
        var seriesChanged = false
        edit.collectTouched(sessions: &touched, series: &seriesChanged)
        if seriesChanged { refreshSeries(doc) }
        // The edit carries each session it leaves in the document (an applied edit stores exactly that value), so the
        // index is updated without a pass over the stored sessions.
        for (id, session) in touched {
            remove(id)
            guard let session else { continue }
            insert(session)
            byDate[session.date]?.sort(by: ScheduleIndex.precedes)
        }
    }

    private mutating func refreshSeries(_ doc: CaseloadDocument) {
        series = doc.series
        seriesByID = Dictionary(doc.series.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Adds a session (unsorted: the caller sorts its day).
    private mutating func insert(_ session: Session) {
        byDate[session.date, default: []].append(session)
        dateOfID[session.id] = session.date
        storedCountValue += 1
        if let id = session.series, let original = session.occurrenceDate {
            let key = OccurrenceKey(series: id, date: original)
            if occurrences[key] == nil { occurrences[key] = session.id }
        }
        let unsignedPatients = session.memberNotes.lazy.filter { !$0.isSigned }.map(\.patient)
        if !unsignedPatients.isEmpty {
            let end = session.date.dayNumber * 1440 + session.start.minutes + session.durationMinutes
            unsigned[session.id] = UnsignedNotes(endMinute: end, patients: Array(unsignedPatients))
        }
    }

    private mutating func remove(_ id: SessionID) {
        guard let date = dateOfID.removeValue(forKey: id), var day = byDate[date], let i = day.firstIndex(where: { $0.id == id }) else { return }
        let session = day.remove(at: i)
        byDate[date] = day.isEmpty ? nil : day
        storedCountValue -= 1
        unsigned[id] = nil
        if let seriesID = session.series, let original = session.occurrenceDate {
            let key = OccurrenceKey(series: seriesID, date: original)
            if occurrences[key] == id { occurrences[key] = nil }
        }
    }

    /// Every session whose (possibly moved) date is in `range`, ordered by date, start, title and ID, as `Schedule.sessions(in:of:)`.
    public func sessions(in range: DateRange) -> [ScheduledSession] {
        guard range.first <= range.last else { return [] }
        var result: [ScheduledSession] = []
        let days = range.first.days(until: range.last) + 1
        if days <= byDate.count {
            var date = range.first
            while date <= range.last {
                for session in byDate[date] ?? [] { result.append(ScheduledSession(session: session, isStored: true)) }
                date = date.adding(days: 1)
            }
        } else {
            // A range longer than the days that hold sessions: visit those days instead.
            for (date, sessions) in byDate where range.contains(date) {
                for session in sessions { result.append(ScheduledSession(session: session, isStored: true)) }
            }
        }
        for item in series {
            for date in Recurrence.dates(of: item, in: range) where occurrences[OccurrenceKey(series: item.id, date: date)] == nil {
                result.append(ScheduledSession(session: ScheduleIndex.computed(item, on: date), isStored: false))
            }
        }
        // Positions are sorted, not the sessions: a session is a large value and a sort moves each several times.
        let order = result.indices.sorted { ScheduleIndex.precedes(result[$0].session, result[$1].session) }
        return order.map { result[$0] }
    }

    /// The sessions on one day.
    public func sessions(on date: LocalDate) -> [ScheduledSession] {
        sessions(in: DateRange(date, date))
    }

    /// The occurrence of `series` originally due on `date`: the stored one (wherever it was moved), or the computed one; nil when the series has no occurrence that day.
    public func occurrence(of series: SeriesID, on date: LocalDate) -> ScheduledSession? {
        if let id = occurrences[OccurrenceKey(series: series, date: date)], let session = stored(id) {
            return ScheduledSession(session: session, isStored: true)
        }
        guard let item = seriesByID[series], !Recurrence.dates(of: item, in: DateRange(date, date)).isEmpty else { return nil }
        return ScheduledSession(session: ScheduleIndex.computed(item, on: date), isStored: false)
    }

    /// The stored session with `id`.
    public func stored(_ id: SessionID) -> Session? {
        guard let date = dateOfID[id] else { return nil }
        return byDate[date]?.first { $0.id == id }
    }

    /// The series with `id`.
    public func series(_ id: SeriesID) -> Series? {
        seriesByID[id]
    }

    /// Each patient's unsigned member notes on stored sessions that ended before `minute` (wall-clock minutes since
    /// 1970-01-01 in the program's zone). Costs the number of sessions with unsigned notes, not the history's length.
    public func unsignedMemberNotes(endedBefore minute: Int) -> [PatientID: Int] {
        var counts: [PatientID: Int] = [:]
        for entry in unsigned.values where entry.endMinute < minute {
            for patient in entry.patients { counts[patient, default: 0] += 1 }
        }
        return counts
    }

    /// How many sessions the document stores.
    public var storedCount: Int { storedCountValue }

    /// An occurrence not stored yet, with the ID `seriesID@date` that `Schedule` gives it.
    static func computed(_ series: Series, on date: LocalDate) -> Session {
        Session(id: SessionID("\(series.id)@\(date)"), occurrenceOf: series, on: date)
    }

    /// The schedule's order: date, start, title, ID.
    static func precedes(_ a: Session, _ b: Session) -> Bool {
        (a.date, a.start, a.title, a.id.rawValue) < (b.date, b.start, b.title, b.id.rawValue)
    }
}

extension DocumentEdit {
    /// The sessions this edit puts, inserts or removes, each with the value it leaves in the document (nil when removed;
    /// within a batch the last edit of a session wins), and whether it changes any series.
    func collectTouched(sessions: inout [SessionID: Session?], series: inout Bool) {
        switch self {
        case .putSession(let s), .insertSession(let s, _): sessions[s.id] = .some(s)
        case .removeSession(let id): sessions[id] = .some(nil)
        case .putSeries, .removeSeries, .insertSeries: series = true
        case .batch(let edits): for edit in edits { edit.collectTouched(sessions: &sessions, series: &series) }
        case .setProgram, .putStaff, .removeStaff, .putPatient, .removePatient: break
        }
    }
}
