import Foundation

/// Times, durations and weekdays as people type them in the session form.
public enum TimeInput {
    /// `18:00`, `6:30`, `1800`, `6pm`, `6:30pm`, `noon`; nil when it is not a time of day.
    public static func time(_ text: String) -> LocalTime? {
        var t = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "")
        if t == "noon" { return LocalTime(hour: 12, minute: 0) }
        if t == "midnight" { return LocalTime(hour: 0, minute: 0) }
        var offset = 0
        if t.hasSuffix("am") || t.hasSuffix("pm") {
            offset = t.hasSuffix("pm") ? 12 : 0
            t.removeLast(2)
            guard let plain = time24(t), plain.hour >= 1, plain.hour <= 12 else { return nil }
            return LocalTime(hour: plain.hour % 12 + offset, minute: plain.minute)
        }
        return time24(t)
    }

    private static func time24(_ t: String) -> LocalTime? {
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":" || $0 == ".") }) else { return nil }
        let parts = t.split(separator: t.contains(":") ? ":" : ".", omittingEmptySubsequences: false)
        let hour: Int?, minute: Int?
        switch parts.count {
        case 1 where t.count <= 2: (hour, minute) = (Int(t), 0)
        case 1 where t.count == 3 || t.count == 4: (hour, minute) = (Int(t.dropLast(2)), Int(t.suffix(2)))
        case 2 where parts[1].count == 2: (hour, minute) = (Int(parts[0]), Int(parts[1]))
        default: return nil
        }
        guard let hour, let minute else { return nil }
        return LocalTime(hour: hour, minute: minute)
    }

    /// `3h`, `90m`, `90`, `1h30`, `1:30`, `1.5h`; minutes from 5 to 16 hours, else nil.
    public static func duration(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "")
        var minutes: Int?
        if let n = Int(t) {
            minutes = n
        } else if t.hasSuffix("min"), let n = Int(t.dropLast(3)) {
            minutes = n
        } else if t.hasSuffix("m"), let n = Int(t.dropLast()) {
            minutes = n
        } else if t.hasSuffix("h"), let h = Double(t.dropLast()) {
            minutes = Int((h * 60).rounded())
        } else if let h = t.firstIndex(of: "h"), let hours = Int(t[..<h]), let rest = Int(t[t.index(after: h)...].replacingOccurrences(of: "m", with: "")) {
            minutes = hours * 60 + rest
        } else if let colon = t.firstIndex(of: ":"), let hours = Int(t[..<colon]), let rest = Int(t[t.index(after: colon)...]) {
            minutes = hours * 60 + rest
        }
        guard let minutes, (5...16 * 60).contains(minutes) else { return nil }
        return minutes
    }

    /// "3 h", "1 h 30", "45 min".
    public static func durationText(_ minutes: Int) -> String {
        if minutes < 60 { return "\(minutes) min" }
        return minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60)"
    }

    /// `mon wed thu`, `Mon, Wed, Thu`, `monday thursday`; nil when a word is not a weekday or there are none.
    public static func weekdays(_ text: String) -> [Weekday]? {
        let words = text.lowercased().split { $0 == " " || $0 == "," || $0 == "/" }
        guard !words.isEmpty else { return nil }
        var days = Set<Weekday>()
        for word in words {
            let full = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
            guard word.count >= 2, let index = full.firstIndex(where: { $0.hasPrefix(word) }) else { return nil }
            // "t" and "s" alone are ambiguous; "tu"/"th" and "sa"/"su" are not.
            guard let day = Weekday(isoNumber: index + 1) else { return nil }
            days.insert(day)
        }
        return Weekday.allCases.filter { days.contains($0) }
    }

    /// "Mon Wed Thu".
    public static func weekdaysText(_ days: [Weekday]) -> String { days.map(\.shortName).joined(separator: " ") }
}
