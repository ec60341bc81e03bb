import Foundation

/// A day of the week; ISO numbering (Monday = 1 … Sunday = 7), written `mon` … `sun` in the file.
public enum Weekday: String, Codable, CaseIterable, Sendable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    /// ISO 8601 number: Monday 1 … Sunday 7.
    public var isoNumber: Int {
        switch self {
        case .mon: 1
        case .tue: 2
        case .wed: 3
        case .thu: 4
        case .fri: 5
        case .sat: 6
        case .sun: 7
        }
    }
    public init?(isoNumber: Int) {
        guard (1...7).contains(isoNumber) else { return nil }
        self = Weekday.allCases[isoNumber - 1]
    }
    /// Short English name, "Mon".
    public var shortName: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.isoNumber < rhs.isoNumber }
}

/// A calendar date without a time or zone (`2026-11-30` in the file): birthdays, admission dates, the day a session falls on.
public struct LocalDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// A valid date, or nil (month 13, 31 April, 29 Feb in a common year).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysInMonth(year: year, month: month)).contains(day) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year; self.month = month; self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { let c = u[i]; guard c >= 0x30, c <= 0x39 else { return nil }; v = v * 10 + Int(c - 0x30) }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (civil calendar arithmetic; no Calendar, no time zone).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }
    public func days(until other: LocalDate) -> Int { other.dayNumber - dayNumber }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO 4).
        let iso = ((dayNumber % 7 + 7) % 7 + 3) % 7 + 1
        return Weekday(isoNumber: iso) ?? .mon
    }

    /// The first day of the week containing this date, for a program whose weeks start on `firstWeekday`.
    public func startOfWeek(firstWeekday: Weekday) -> LocalDate {
        let back = (weekday.isoNumber - firstWeekday.isoNumber + 7) % 7
        return adding(days: -back)
    }

    /// ISO 8601 week number and week-based year.
    public var isoWeek: (year: Int, week: Int) {
        let thursday = adding(days: 4 - weekday.isoNumber)
        let jan1 = LocalDate(unchecked: thursday.year, 1, 1)
        return (thursday.year, jan1.days(until: thursday) / 7 + 1)
    }

    public var iso: String {
        let y = String(year), m = month < 10 ? "0\(month)" : "\(month)", d = day < 10 ? "0\(day)" : "\(day)"
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + m + "-" + d
    }
    public var description: String { iso }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date in the form YYYY-MM-DD: \"\(text.prefix(20))\"")
        }
        self = date
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// A wall-clock time of day in the program's zone, to the minute (`18:00` in the file).
public struct LocalTime: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Minutes after midnight, 0 ..< 1440.
    public let minutes: Int

    public init?(minutes: Int) {
        guard (0..<1440).contains(minutes) else { return nil }
        self.minutes = minutes
    }
    /// The nearest valid time: minutes are clamped into 00:00 … 23:59.
    public init(clamping minutes: Int) { self.minutes = min(1439, max(0, minutes)) }
    /// 00:00.
    public static let midnight = LocalTime(clamping: 0)
    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        self.minutes = hour * 60 + minute
    }
    /// Parses `H:MM` or `HH:MM` (24-hour).
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(hour: h, minute: m)
    }
    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }
    public var description: String {
        (hour < 10 ? "0\(hour)" : "\(hour)") + ":" + (minute < 10 ? "0\(minute)" : "\(minute)")
    }
    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool { lhs.minutes < rhs.minutes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = LocalTime(text: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a time in the form HH:MM: \"\(text.prefix(20))\"")
        }
        self = time
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An instant, to the second, written in UTC as `2026-11-30T23:05:00Z` (one explicit format, so files diff cleanly).
public struct Timestamp: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }
    public init(_ date: Date) { self.seconds = Int64(date.timeIntervalSince1970.rounded(.down)) }
    public var date: Date { Date(timeIntervalSince1970: TimeInterval(seconds)) }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ`.
    public init?(iso text: some StringProtocol) {
        let s = String(text)
        let u = Array(s.utf8)
        guard u.count == 20, u[10] == 0x54, u[19] == 0x5A, u[13] == 0x3A, u[16] == 0x3A,
              let date = LocalDate(iso: s.prefix(10)),
              let time = LocalTime(text: s.dropFirst(11).prefix(5)),
              u[17] >= 0x30, u[17] <= 0x35, u[18] >= 0x30, u[18] <= 0x39 else { return nil }
        let sec = Int(u[17] - 0x30) * 10 + Int(u[18] - 0x30)
        seconds = Int64(date.dayNumber) * 86400 + Int64(time.minutes) * 60 + Int64(sec)
    }

    public var iso: String {
        let days = Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let rest = Int(seconds - Int64(days) * 86400)
        let date = LocalDate(dayNumber: days)
        let time = LocalTime(minutes: rest / 60)?.description ?? "00:00"
        let sec = rest % 60
        return "\(date.iso)T\(time):\(sec < 10 ? "0" : "")\(sec)Z"
    }
    public var description: String { iso }
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a UTC time in the form YYYY-MM-DDTHH:MM:SSZ: \"\(text.prefix(25))\"")
        }
        self = value
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// A span of dates, both ends included.
public struct DateRange: Hashable, Sendable {
    public var first: LocalDate
    public var last: LocalDate
    public init(_ first: LocalDate, _ last: LocalDate) { self.first = first; self.last = last }
    public func contains(_ date: LocalDate) -> Bool { first <= date && date <= last }
    public var dayCount: Int { max(0, first.days(until: last) + 1) }
    /// Every date in the range, in order.
    public var dates: [LocalDate] { (0..<dayCount).map { first.adding(days: $0) } }
}
