import CaseloadCore
import Foundation

/// Who else has the document open, as the title bar names them: a staff member by a short name ("M. Bell"), anyone
/// else by login; one person in two instances once, with "×2". Sorted, so the bar does not jump about.
func presentNames(_ logins: [String], staff: [Staff]) -> [String] {
    var counts: [String: Int] = [:]
    for login in logins { counts[login, default: 0] += 1 }
    let named = counts.map { login, count -> String in
        let person = staff.first { !$0.login.isEmpty && $0.login == login }
        let name = person.map { shortName($0.name) } ?? login
        return count > 1 ? "\(name) ×\(count)" : name
    }
    return named.sorted()
}

/// "Marcus Bell" → "M. Bell": enough to tell colleagues apart in a title bar; a one-word name stays whole.
private func shortName(_ name: String) -> String {
    let words = name.split(separator: " ")
    guard words.count > 1, let first = words.first?.first, let last = words.last else { return name }
    return "\(first). \(last)"
}

/// The title bar's presence text for `room` cells, ending in " · " to sit before the file name: every name
/// ("also open: M. Bell, T. Ferreira · "), else a count ("+2 open · "), else nothing. Nil when no one else is there or
/// not even the count fits: the program, the file and the save state come first.
func presenceTitleText(_ others: [String], room: Int) -> String? {
    guard !others.isEmpty else { return nil }
    let full = "also open: " + others.joined(separator: ", ") + " · "
    if TextWidth.of(full) <= room { return full }
    let short = "+\(others.count) open · "
    return TextWidth.of(short) <= room ? short : nil
}
