import Foundation

/// A change to a session's or a series' details; nil leaves a field unchanged, and `.some(nil)` clears an optional one.
public struct SessionChange: Equatable, Sendable {
    public var title: String?
    public var kind: SessionKind?
    public var modality: Modality??
    public var facilitator: StaffID??
    public var room: RoomID??
    public var start: LocalTime?
    public var durationMinutes: Int?

    public init(title: String? = nil, kind: SessionKind? = nil, modality: Modality?? = nil, facilitator: StaffID?? = nil,
                room: RoomID?? = nil, start: LocalTime? = nil, durationMinutes: Int? = nil) {
        self.title = title; self.kind = kind; self.modality = modality; self.facilitator = facilitator
        self.room = room; self.start = start; self.durationMinutes = durationMinutes
    }

    /// True when it changes nothing.
    public var isEmpty: Bool { self == SessionChange() }

    /// `session` with this change made.
    public func applied(to session: Session) -> Session {
        var s = session
        if let title { s.title = title }
        if let kind { s.kind = kind }
        if let modality { s.modality = modality }
        if let facilitator { s.facilitator = facilitator }
        if let room { s.room = room }
        if let start { s.start = start }
        if let durationMinutes { s.durationMinutes = durationMinutes }
        return s
    }

    /// `series` with this change made.
    public func applied(to series: Series) -> Series {
        var s = series
        if let title { s.title = title }
        if let kind { s.kind = kind }
        if let modality { s.modality = modality }
        if let facilitator { s.facilitator = facilitator }
        if let room { s.room = room }
        if let start { s.start = start }
        if let durationMinutes { s.durationMinutes = durationMinutes }
        return s
    }
}

extension Session {
    /// Whether this session is history: attendance, a note, or a statement that it was held or did not take place.
    public var hasRecords: Bool {
        !attendance.isEmpty || groupNote != nil || !memberNotes.isEmpty || status == .held
            || { if case .didNotTakePlace = status { return true } else { return false } }()
    }
}

/// Edits to series and their occurrences (cancel, move, edit one, edit all, edit this and following, end), each built as one undoable `DocumentEdit` (a batch when several parts change).
///
/// An occurrence is stored, under the ID `ses_<series>_<yyyy-mm-dd>`, as soon as anything changes on it, keeping the date the series put it on (`occurrenceDate`) even when it is moved.
public enum SeriesEdits {
    // MARK: Occurrences

    /// Cancels the occurrence of `series` originally due on `date`: it is stored (keeping its roster and anything recorded) with status cancelled.
    public static func cancelOccurrence(of series: SeriesID, on date: LocalDate, reason: String, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let reason = try checkedReason(reason, field: "series[\(series)]")
        return try cancel(occurrence(of: series, on: date, in: doc), reason: reason)
    }

    /// Cancels a stored or one-off session (an unstored occurrence's `seriesID@date` ID is accepted too).
    public static func cancelSession(_ id: SessionID, reason: String, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let reason = try checkedReason(reason, field: "sessions[\(id)]")
        return try cancel(session(id, in: doc), reason: reason)
    }

    /// Takes back a cancellation, or a statement that the session did not take place: the session is scheduled again, or held when it has attendance.
    public static func uncancel(_ id: SessionID, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        var s = try session(id, in: doc)
        switch s.status {
        case .cancelled, .didNotTakePlace: break
        case .scheduled, .held:
            throw refusal("sessions[\(s.id)].status", "\(s.title) on \(s.date) is not cancelled")
        }
        s.status = s.attendance.isEmpty ? .scheduled : .held
        return .putSession(s)
    }

    /// Takes back the cancellation of the occurrence of `series` originally due on `date`.
    public static func uncancelOccurrence(of series: SeriesID, on date: LocalDate, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let s = try occurrence(of: series, on: date, in: doc)
        guard doc.session(s.id) != nil else {
            throw refusal("sessions[\(s.id)].status", "\(s.title) on \(date) is not cancelled")
        }
        return try uncancel(s.id, in: doc)
    }

    /// Moves the occurrence of `series` originally due on `originalDate` to `date` at `start`; it is stored with its original date kept.
    public static func moveOccurrence(of series: SeriesID, on originalDate: LocalDate, to date: LocalDate, start: LocalTime, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        try move(occurrence(of: series, on: originalDate, in: doc), to: date, start: start)
    }

    /// Moves a stored or one-off session (an unstored occurrence's `seriesID@date` ID is accepted too).
    public static func moveSession(_ id: SessionID, to date: LocalDate, start: LocalTime, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        try move(session(id, in: doc), to: date, start: start)
    }

    /// Changes this occurrence only: it is stored with the change made.
    public static func editOccurrence(of series: SeriesID, on date: LocalDate, applying change: SessionChange, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let old = try occurrence(of: series, on: date, in: doc)
        let new = change.applied(to: old)
        guard new != old else {
            throw refusal("sessions[\(old.id)]", "nothing to change")
        }
        try check(new, in: doc)
        return .putSession(new)
    }

    // MARK: Series

    /// Adds a new series.
    public static func createSeries(_ series: Series, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        if doc.series(series.id) != nil { throw refusal("series[\(series.id)]", "a series with the ID \"\(series.id)\" already exists") }
        try check(series, in: doc)
        return .putSeries(series)
    }

    /// Changes the whole series (and its weekdays when given). Stored occurrences keep their own values: they are exceptions.
    public static func editSeries(_ id: SeriesID, applying change: SessionChange, weekdays: [Weekday]? = nil, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let old = try existing(id, in: doc)
        var new = change.applied(to: old)
        if let weekdays { new.weekdays = weekdays }
        guard new != old else { throw refusal("series[\(id)]", "nothing to change") }
        try check(new, in: doc)
        return .putSeries(new)
    }

    /// "This and following": the series ends the day before `date`, and a new series `newID` with the change takes over from `date` to the old end date, with the members still on the roster on or after `date`. Stored occurrences due on or after `date` move to the new series (IDs unchanged). From the first occurrence on, this is `editSeries`.
    public static func splitSeries(_ id: SeriesID, from date: LocalDate, applying change: SessionChange, weekdays: [Weekday]? = nil, newID: SeriesID, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let old = try existing(id, in: doc)
        if let end = old.endDate, date > end {
            throw refusal("series[\(id)]", "the series ends on \(end); \(date) is after its last day")
        }
        if date <= firstOccurrence(of: old) {
            return try editSeries(id, applying: change, weekdays: weekdays, in: doc)
        }
        if newID.rawValue.trimmingCharacters(in: .whitespaces).isEmpty {
            throw refusal("series[\(newID)]", "the new series needs an ID")
        }
        if doc.series(newID) != nil {
            throw refusal("series[\(newID)]", "a series with the ID \"\(newID)\" already exists")
        }
        if change.isEmpty && (weekdays == nil || weekdays == old.weekdays) {
            throw refusal("series[\(id)]", "nothing to change")
        }
        var ended = old
        ended.endDate = date.adding(days: -1)
        var next = change.applied(to: old)
        next.id = newID
        next.startDate = date
        next.endDate = old.endDate
        if let weekdays { next.weekdays = weekdays }
        next.roster = old.roster.compactMap { entry in
            if let left = entry.left, left <= date { return nil }
            return RosterEntry(patient: entry.patient, joined: max(entry.joined, date), left: entry.left)
        }
        try check(next, in: doc)
        var edits: [DocumentEdit] = [.putSeries(ended), .putSeries(next)]
        for session in doc.sessions where session.series == id {
            guard let original = session.occurrenceDate, original >= date else { continue }
            var moved = session
            moved.series = newID
            edits.append(.putSession(moved))
        }
        return .batch(edits)
    }

    /// Ends the series: no occurrences on or after `date`. Stored occurrences from `date` on with nothing recorded are removed; those with records stay as history. From the series' first day, with nothing recorded, the series is removed.
    public static func endSeries(_ id: SeriesID, from date: LocalDate, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let series = try existing(id, in: doc)
        let field = "series[\(id)].endDate"
        if date < series.startDate {
            throw refusal(field, "\(date) is before the series starts on \(series.startDate); remove the series instead")
        }
        if let end = series.endDate, date > end {
            throw refusal(field, "the series already ends on \(end)")
        }
        let stored = doc.sessions.filter { $0.series == id }
        let reported = Set(doc.patients.flatMap { $0.reportedAbsences.map(\.session) })
        if date == series.startDate {
            if let recorded = stored.first(where: { $0.hasRecords || reported.contains($0.id) }) {
                throw refusal(field, "\(recorded.title) on \(recorded.date) has attendance or notes on record, so the series cannot end before it starts; end it from a later date")
            }
            return .batch(stored.map { .removeSession($0.id) } + [.removeSeries(id)])
        }
        var edits: [DocumentEdit] = []
        for session in stored where !session.hasRecords && !reported.contains(session.id) && max(session.occurrenceDate ?? session.date, session.date) >= date {
            edits.append(.removeSession(session.id))
        }
        var ended = series
        ended.endDate = date.adding(days: -1)
        edits.append(.putSeries(ended))
        return edits.count == 1 ? edits[0] : .batch(edits)
    }

    // MARK: Helpers

    /// The ID an occurrence is stored under: `ses_<series>_<yyyy-mm-dd>`, with a number added in the rare case another session holds it.
    public static func storedID(for series: SeriesID, on date: LocalDate, in doc: CaseloadDocument) -> SessionID {
        let base = "ses_\(series)_\(date.iso)"
        var id = SessionID(base)
        var n = 2
        while doc.session(id) != nil {
            id = SessionID("\(base)_\(n)")
            n += 1
        }
        return id
    }

    /// The occurrence of `seriesID` originally due on `date`: the stored one, or a new one to store. Refused for an unknown series or a date the series does not fall on.
    static func occurrence(of seriesID: SeriesID, on date: LocalDate, in doc: CaseloadDocument) throws(EditError) -> Session {
        if let stored = doc.storedOccurrence(of: seriesID, on: date) { return stored }
        let series = try existing(seriesID, in: doc)
        guard !Recurrence.dates(of: series, in: DateRange(date, date)).isEmpty else {
            throw refusal("series[\(seriesID)]", "\(series.title) has no occurrence on \(date.weekday.shortName) \(date)")
        }
        return Session(id: storedID(for: seriesID, on: date, in: doc), occurrenceOf: series, on: date)
    }

    /// A stored session, or an unstored occurrence named `seriesID@yyyy-mm-dd` as the schedule names it.
    static func session(_ id: SessionID, in doc: CaseloadDocument) throws(EditError) -> Session {
        if let stored = doc.session(id) { return stored }
        let raw = id.rawValue
        if let at = raw.lastIndex(of: "@"), let date = LocalDate(iso: raw[raw.index(after: at)...]) {
            let seriesID = SeriesID(String(raw[..<at]))
            if doc.series(seriesID) != nil { return try occurrence(of: seriesID, on: date, in: doc) }
        }
        throw refusal("sessions[\(id)]", "no session has the ID \"\(id)\"")
    }

    static func existing(_ id: SeriesID, in doc: CaseloadDocument) throws(EditError) -> Series {
        guard let series = doc.series(id) else { throw refusal("series[\(id)]", "no series has the ID \"\(id)\"") }
        return series
    }

    /// The first date the series falls on (its start date when it has no weekdays).
    static func firstOccurrence(of series: Series) -> LocalDate {
        let days = Set(series.weekdays)
        guard !days.isEmpty else { return series.startDate }
        var date = series.startDate
        while !days.contains(date.weekday) { date = date.adding(days: 1) }
        return date
    }

    private static func cancel(_ session: Session, reason: String) throws(EditError) -> DocumentEdit {
        if session.status == .cancelled(reason: reason) {
            throw refusal("sessions[\(session.id)].status", "\(session.title) on \(session.date) is already cancelled")
        }
        var s = session
        s.status = .cancelled(reason: reason)
        return .putSession(s)
    }

    private static func move(_ session: Session, to date: LocalDate, start: LocalTime) throws(EditError) -> DocumentEdit {
        if session.date == date && session.start == start {
            throw refusal("sessions[\(session.id)].date", "\(session.title) is already on \(date) at \(start)")
        }
        var s = session
        s.date = date
        s.start = start
        return .putSession(s)
    }

    private static func checkedReason(_ reason: String, field: String) throws(EditError) -> String {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw refusal("\(field).status.reason", "give a reason for cancelling") }
        return trimmed
    }

    private static func check(_ session: Session, in doc: CaseloadDocument) throws(EditError) {
        let issues = Validator.check(session, path: "sessions[\(session.id)]", in: doc)
        guard issues.isEmpty else { throw .invalid(issues) }
    }

    private static func check(_ series: Series, in doc: CaseloadDocument) throws(EditError) {
        let issues = Validator.check(series, path: "series[\(series.id)]", in: doc)
        guard issues.isEmpty else { throw .invalid(issues) }
    }

    private static func refusal(_ field: String, _ message: String) -> EditError {
        .invalid([ValidationIssue(field: field, message: message)])
    }
}
