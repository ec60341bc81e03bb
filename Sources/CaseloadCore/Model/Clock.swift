import Foundation

/// Reads "now" from text such as `CASELOAD_NOW=2026-11-30T18:05`, so tests and demos run on a fixed clock.
public enum ClockSetting {
    /// Parses `YYYY-MM-DDTHH:MM[:SS]` with an optional `Z` or `±HH:MM`; without a zone the time is wall-clock time in `zone`.
    public static func parse(_ text: String, zone: TimeZone) -> Date? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        var offset: Int? = nil
        if body.hasSuffix("Z") {
            offset = 0; body = body.dropLast()
        } else if body.count > 16, let sign = body.dropFirst(16).lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zonePart = body[sign...]
            let digits = zonePart.dropFirst().split(separator: ":")
            guard digits.count == 2, let h = Int(digits[0]), let m = Int(digits[1]), h < 24, m < 60 else { return nil }
            offset = (zonePart.first == "-" ? -1 : 1) * (h * 3600 + m * 60)
            body = body[..<sign]
        }
        let parts = body.split(separator: "T")
        guard parts.count == 2, let date = LocalDate(iso: parts[0]) else { return nil }
        let timeParts = parts[1].split(separator: ":")
        guard timeParts.count == 2 || timeParts.count == 3,
              let time = LocalTime(text: timeParts[0] + ":" + timeParts[1]) else { return nil }
        var seconds = 0
        if timeParts.count == 3 {
            guard let s = Int(timeParts[2]), (0..<60).contains(s) else { return nil }
            seconds = s
        }
        if let offset {
            let utc = Int64(date.dayNumber) * 86400 + Int64(time.minutes * 60 + seconds) - Int64(offset)
            return Date(timeIntervalSince1970: TimeInterval(utc))
        }
        return Recurrence.instant(date, time, in: zone).addingTimeInterval(TimeInterval(seconds))
    }
}

/// What reports, letters and the title bar say while the view clock is fixed (`CASELOAD_NOW`), so a printout made on a
/// demo or screenshot clock cannot pass for one made on the real date.
public enum ClockNotice {
    /// "Clock fixed at 2026-11-30 18:05": the fixed time as wall-clock time in `zone`.
    public static func marker(fixedAt date: Date, zone: TimeZone) -> String {
        let local = Recurrence.local(date, in: zone)
        return "clock fixed at \(local.date.iso) \(local.time)"
    }

    /// The sentence a report's header carries.
    public static func text(fixedAt date: Date, zone: TimeZone) -> String {
        let marker = marker(fixedAt: date, zone: zone)
        return "Note: " + marker + " (CASELOAD_NOW): \"today\" and relative dates follow it; consents, signatures and disclosures use the real date."
    }

    /// `report` with `notice` at the top of its header: the first line of text, a quoted line before a Markdown title, the
    /// first paragraph of an HTML body. CSV has no header for prose (its first line is the column names), so it is
    /// returned unchanged and the caller says so elsewhere.
    public static func apply(_ notice: String?, to report: String, format: ReportFormat) -> String {
        guard let notice else { return report }
        switch format {
        case .csv: return report
        case .text: return TextTable.wrap(notice) + "\n\n" + report
        case .markdown: return "> " + MarkdownText.escape(notice) + "\n\n" + report
        case .html:
            guard let body = report.range(of: "<body>\n") else { return report }
            var out = report
            out.insert(contentsOf: "<p class=\"clock\"><strong>\(HTMLText.escape(notice))</strong></p>\n", at: body.upperBound)
            return out
        }
    }
}
