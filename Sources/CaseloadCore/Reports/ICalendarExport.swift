import Foundation

/// The schedule as an RFC 5545 calendar, for calendar apps. Sessions only: titles, times and rooms; never a patient
/// (individual and family sessions go out as "Individual session" and "Family session", whatever their title).
///
/// - Each series is one VEVENT (UID `<series-id>@caseload`) with `DTSTART;TZID=`, `DURATION` and
///   `RRULE:FREQ=WEEKLY;BYDAY=…[;UNTIL=…Z]`, clipped to the range asked for (DTSTART on the first occurrence in range,
///   UNTIL at the end of its last day).
/// - A stored occurrence that was moved or changed (date, time, length, title, room) is a VEVENT with the same UID and
///   `RECURRENCE-ID;TZID=` = its original date at the series' start time.
/// - An occurrence that will not take place (cancelled, or did not take place), that another staff member facilitates
///   (with `staff`), or that was moved out of the range is removed with `EXDATE;TZID=` (no STATUS:CANCELLED overrides).
/// - One-off sessions, and stored occurrences the series' rule cannot carry (moved into the range from outside it,
///   facilitated by a substitute when exporting for the substitute), are plain VEVENTs with UID `<session-id>@caseload`.
/// - A VTIMEZONE for the program's zone lists the zone's offsets and every transition from a year before the first
///   session to ten years after the last (or after `now` for open-ended series), from Foundation's time zone data.
public enum ICalendarExport {
    /// The calendar for `doc`: only sessions `staff` facilitates when given, only dates in `from`…`to` when given.
    public static func export(_ doc: CaseloadDocument, staff: StaffID?, from: LocalDate?, to: LocalDate?, now: Date) -> String {
        let zone = TimeZone(identifier: doc.program.timeZone) ?? .gmt
        let tzid = TimeZone(identifier: doc.program.timeZone) == nil ? "UTC" : doc.program.timeZone
        var writer = Writer(tzid: tzid, stamp: utcStamp(now))
        var events: [[String]] = []
        var earliest: LocalDate? = nil
        var latest: LocalDate? = nil
        var openEnded = false
        func note(_ date: LocalDate) {
            earliest = earliest.map { min($0, date) } ?? date
            latest = latest.map { max($0, date) } ?? date
        }
        func inRange(_ date: LocalDate) -> Bool {
            (from.map { $0 <= date } ?? true) && (to.map { date <= $0 } ?? true)
        }
        func wanted(_ facilitator: StaffID?) -> Bool { staff.map { facilitator == $0 } ?? true }

        var carried = Set<SessionID>()
        for series in doc.series where wanted(series.facilitator) && !series.weekdays.isEmpty {
            let first = max(series.startDate, from ?? series.startDate)
            let last: LocalDate? = [series.endDate, to].compactMap { $0 }.min()
            let days = Set(series.weekdays)
            guard let firstOccurrence = (0..<7).map({ first.adding(days: $0) }).first(where: { days.contains($0.weekday) }),
                  last.map({ firstOccurrence <= $0 }) ?? true else { continue }
            note(firstOccurrence)
            if let last { note(last) } else { openEnded = true }

            func generated(_ date: LocalDate) -> Bool {
                days.contains(date.weekday) && firstOccurrence <= date && (last.map { date <= $0 } ?? true)
            }
            var exdates: [LocalDate] = []
            var overrides: [Session] = []
            var seen = Set<LocalDate>()
            for session in doc.sessions where session.series == series.id {
                guard let original = session.occurrenceDate, generated(original), seen.insert(original).inserted else { continue }
                carried.insert(session.id)
                if !session.status.countsForAttendance || !wanted(session.facilitator) || !inRange(session.date) {
                    exdates.append(original)
                } else if session.date != original || session.start != series.start || session.durationMinutes != series.durationMinutes
                            || session.title != series.title || session.room != series.room {
                    overrides.append(session)
                    note(session.date)
                }
            }
            var lines = ["BEGIN:VEVENT", "UID:" + escape(series.id.rawValue + "@caseload"), "DTSTAMP:" + writer.stamp,
                         writer.local("DTSTART", firstOccurrence, series.start), "DURATION:" + duration(series.durationMinutes)]
            let byDay = series.weekdays.sorted().map { String($0.rawValue.prefix(2)).uppercased() }
            var rule = "RRULE:FREQ=WEEKLY;BYDAY=" + Array(Set(byDay)).sorted(by: { dayOrder($0) < dayOrder($1) }).joined(separator: ",")
            if let last {
                let endOfDay = Recurrence.instant(last, LocalTime(clamping: 1439), in: zone).addingTimeInterval(59)
                rule += ";UNTIL=" + utcStamp(endOfDay)
            }
            lines.append(rule)
            for date in exdates.sorted() { lines.append(writer.local("EXDATE", date, series.start)) }
            lines += describe(title: series.title, kind: series.kind, room: series.room, in: doc.program)
            lines.append("END:VEVENT")
            events.append(lines)
            for session in overrides.sorted(by: { ($0.occurrenceDate ?? $0.date) < ($1.occurrenceDate ?? $1.date) }) {
                var o = ["BEGIN:VEVENT", "UID:" + escape(series.id.rawValue + "@caseload"), "DTSTAMP:" + writer.stamp,
                         writer.local("RECURRENCE-ID", session.occurrenceDate ?? session.date, series.start)]
                o += timing(session, writer)
                o += describe(title: session.title, kind: session.kind, room: session.room, in: doc.program)
                o.append("END:VEVENT")
                events.append(o)
            }
        }
        let singles = doc.sessions.filter { !carried.contains($0.id) && $0.status.countsForAttendance && wanted($0.facilitator) && inRange($0.date) }
        for session in singles.sorted(by: { ($0.date, $0.start, $0.id.rawValue) < ($1.date, $1.start, $1.id.rawValue) }) {
            note(session.date)
            var lines = ["BEGIN:VEVENT", "UID:" + escape(session.id.rawValue + "@caseload"), "DTSTAMP:" + writer.stamp]
            lines += timing(session, writer)
            lines += describe(title: session.title, kind: session.kind, room: session.room, in: doc.program)
            lines.append("END:VEVENT")
            events.append(lines)
        }

        // The time zone: a year before the first session to ten years after the last (or after today, for open-ended series).
        let today = Recurrence.local(now, in: zone).date
        let low = (earliest ?? from ?? today)
        var high = latest ?? to ?? today
        if openEnded { high = max(high, today) }
        high = high.adding(days: 366 * 10)
        if let to { high = min(high, max(to, low)) }

        var out = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Caseload//Caseload//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                   "X-WR-CALNAME:" + escape(doc.program.name), "X-WR-TIMEZONE:" + escape(tzid)]
        out += timeZoneComponent(zone, tzid: tzid, from: low, to: high)
        for event in events { out += event }
        out.append("END:VCALENDAR")
        writer.lines = out
        return writer.text
    }

    // MARK: Pieces

    /// Builds the text: lines folded at 75 octets, CRLF.
    struct Writer {
        let tzid: String
        let stamp: String
        var lines: [String] = []

        /// `NAME;TZID=zone:YYYYMMDDTHHMMSS`.
        func local(_ name: String, _ date: LocalDate, _ time: LocalTime) -> String {
            "\(name);TZID=\(ICalendarExport.parameterValue(tzid)):\(ICalendarExport.localStamp(date, time))"
        }

        var text: String { lines.map { ICalendarExport.fold($0) }.joined() }
    }

    static func timing(_ session: Session, _ writer: Writer) -> [String] {
        [writer.local("DTSTART", session.date, session.start), "DURATION:" + duration(session.durationMinutes)]
    }

    /// SUMMARY and LOCATION: the session's title and room name, nothing about who attends.
    static func describe(title: String, kind: SessionKind, room: RoomID?, in program: Program) -> [String] {
        var lines = ["SUMMARY:" + escape(exportedTitle(title, kind: kind))]
        if let room { lines.append("LOCATION:" + escape(program.room(room)?.name ?? room.rawValue)) }
        return lines
    }

    /// The title a calendar shows: a group's own title; for an individual or family session only its kind, since such
    /// titles are often typed with the patient's name ("Individual · Ana") and calendars are shared and synced widely.
    public static func exportedTitle(_ title: String, kind: SessionKind) -> String {
        switch kind {
        case .group: title
        case .individual: "Individual session"
        case .family: "Family session"
        }
    }

    static func dayOrder(_ code: String) -> Int {
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].firstIndex(of: code) ?? 7
    }

    /// `PT3H`, `PT1H30M`, `PT45M`, `PT0M`.
    static func duration(_ minutes: Int) -> String {
        let m = max(0, minutes)
        if m == 0 { return "PT0M" }
        return "PT" + (m / 60 > 0 ? "\(m / 60)H" : "") + (m % 60 > 0 ? "\(m % 60)M" : "")
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// `20261130T180000`.
    static func localStamp(_ date: LocalDate, _ time: LocalTime) -> String {
        pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2) + "T" + pad(time.hour, 2) + pad(time.minute, 2) + "00"
    }

    /// `20261201T000500Z`.
    static func utcStamp(_ instant: Date) -> String {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let rest = Int(seconds - Int64(days) * 86400)
        let date = LocalDate(dayNumber: days)
        return pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2) + "T" + pad(rest / 3600, 2) + pad(rest / 60 % 60, 2) + pad(rest % 60, 2) + "Z"
    }

    /// `-0500`, `+0530`.
    static func offset(_ seconds: Int) -> String {
        let a = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + pad(a / 60, 2) + pad(a % 60, 2) + (abs(seconds) % 60 == 0 ? "" : pad(abs(seconds) % 60, 2))
    }

    /// A parameter value, quoted when it holds `:`, `;` or `,` (double quotes cannot be escaped, so they are dropped).
    static func parameterValue(_ value: String) -> String {
        let clean = String(String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\"" && !isControl($0) }))
        return clean.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"\(clean)\"" : clean
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool { s.value < 0x20 || s.value == 0x7F }

    /// TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, and line breaks as `\n`; other control characters dropped.
    public static func escape(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = scalars.next()
        while let s = pending {
            pending = scalars.next()
            switch s {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r":
                out += "\\n"
                if pending == "\n" { pending = scalars.next() }
            case "\n", "\u{2028}", "\u{2029}", "\u{85}": out += "\\n"
            case "\t": out.unicodeScalars.append(s)
            default:
                if !isControl(s) { out.unicodeScalars.append(s) }
            }
        }
        return out
    }

    /// One content line folded at 75 octets (continuations start with a space), never inside a UTF-8 sequence; ends with CRLF.
    public static func fold(_ line: String) -> String {
        var out = ""
        var used = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if used + size > 75 {
                out += "\r\n "
                used = 1
            }
            out.unicodeScalars.append(scalar)
            used += size
        }
        return out + "\r\n"
    }

    /// A VTIMEZONE: the observance in force a year before `from`, then every transition up to a year after `to`.
    static func timeZoneComponent(_ zone: TimeZone, tzid: String, from: LocalDate, to: LocalDate) -> [String] {
        let start = Recurrence.instant(LocalDate(year: from.year - 1, month: 1, day: 1) ?? from, .midnight, in: zone)
        let end = Recurrence.instant(LocalDate(year: to.year + 2, month: 1, day: 1) ?? to, .midnight, in: zone)
        var lines = ["BEGIN:VTIMEZONE", "TZID:" + parameterValue(tzid)]
        func observance(at instant: Date, offsetFrom: Int, offsetTo: Int) -> [String] {
            let kind = zone.isDaylightSavingTime(for: instant) ? "DAYLIGHT" : "STANDARD"
            // DTSTART is the local time of the onset in the offset before it.
            let (date, time) = Recurrence.local(instant, in: TimeZone(secondsFromGMT: offsetFrom) ?? .gmt)
            var o = ["BEGIN:" + kind, "DTSTART:" + localStamp(date, time), "TZOFFSETFROM:" + offset(offsetFrom), "TZOFFSETTO:" + offset(offsetTo)]
            if let name = zone.abbreviation(for: instant), !name.isEmpty { o.append("TZNAME:" + escape(name)) }
            o.append("END:" + kind)
            return o
        }
        let initial = zone.secondsFromGMT(for: start)
        lines += observance(at: start, offsetFrom: initial, offsetTo: initial)
        var previous = initial
        var cursor = start
        var count = 0
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end, count < 2000 {
            let after = zone.secondsFromGMT(for: next)
            if after != previous || zone.isDaylightSavingTime(for: next) != zone.isDaylightSavingTime(for: cursor) {
                lines += observance(at: next, offsetFrom: previous, offsetTo: after)
            }
            previous = after
            cursor = next
            count += 1
        }
        lines.append("END:VTIMEZONE")
        return lines
    }
}
