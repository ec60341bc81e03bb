import Foundation

/// Dates as people type them: `2026-12-01`, `today`, `tomorrow`, `yesterday`, weekday names (`mon`, `friday`: the next such day, today included), `+3d`, `-2w`.
public enum DateInput {
    /// The date meant by `text` relative to `today`, or nil when it is not a date.
    public static func parse(_ text: String, today: LocalDate) -> LocalDate? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.isEmpty { return nil }
        if let date = LocalDate(iso: t) { return date }
        switch t {
        case "today", "now": return today
        case "tomorrow", "tmrw": return today.adding(days: 1)
        case "yesterday": return today.adding(days: -1)
        default: break
        }
        for day in Weekday.allCases {
            let full = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][day.isoNumber - 1]
            if t == day.rawValue || t == full || (t.count >= 3 && full.hasPrefix(t)) {
                return today.adding(days: (day.isoNumber - today.weekday.isoNumber + 7) % 7)
            }
        }
        guard let sign = t.first, sign == "+" || sign == "-", t.count >= 3, let unit = t.last,
              let n = Int(t.dropFirst().dropLast()), n >= 0, n <= 3650 else { return nil }
        let step: Int
        switch unit {
        case "d": step = 1
        case "w": step = 7
        default: return nil
        }
        return today.adding(days: (sign == "-" ? -1 : 1) * n * step)
    }
}
