import CaseloadCore
import Foundation

// The Record's Access section (issue 17): the last 20 audit entries about this patient, newest first — when, who and
// how they were identified, and what they did in plain words. Shown only to supervisors and directors, who answer
// "who looked at this chart?"; everyone else is told it is theirs to see.

extension RecordSection {
    /// After the sections `recordLines` writes: added by the app, which knows who is looking.
    public static let access = "Access, last \(AccessLog.perPatient) entries"
}

extension AppState {
    /// Whether the person at the keyboard may see the Access section: a supervisor or director identified as staff.
    public var mayReadAccess: Bool {
        guard let role = signer?.role else { return false }
        return role == .supervisor || role == .director
    }

    /// The Access section of `patient`'s record, as lines `width` cells wide.
    func recordAccessLines(for patient: PatientID, width: Int) -> [RecordLine] {
        let width = max(1, width)
        var lines = [RecordLine(segments: [])]
        func paragraph(_ segments: [RecordSegment], indent: Int, hang: Int) {
            for line in wrapRecordSegments(segments, width: width, indent: indent, hang: hang) { lines.append(RecordLine(segments: line)) }
        }
        for (i, line) in wrapRecordSegments([RecordSegment(RecordSection.access, role: .header, bold: true)], width: width, indent: 0, hang: 2).enumerated() {
            lines.append(RecordLine(segments: line, section: i == 0 ? RecordSection.access : nil))
        }
        guard mayReadAccess else {
            paragraph([RecordSegment("Shown to supervisors and directors only.", role: .dim)], indent: 2, hang: 2)
            return lines
        }
        let entries = AccessLog.entries(about: patient, in: accessLog)
        guard !entries.isEmpty else {
            paragraph([RecordSegment("Nothing recorded yet.", role: .dim)], indent: 2, hang: 2)
            return lines
        }
        for entry in entries {
            let local = Recurrence.local(entry.at, in: zone)
            var who = entry.who.isEmpty ? "unknown" : entry.who
            if entry.identity != .unmapped, let staff = Signer.staff(forLogin: entry.who, in: document) { who += " (\(staff.name))" }
            paragraph([
                RecordSegment("\(local.date.iso) \(local.time)", bold: true),
                RecordSegment("  " + accessActionText(entry)),
                RecordSegment(" · " + noBreak(who) + " · " + noBreak(identityText(entry.identity)), role: .dim),
            ], indent: 2, hang: width >= 50 ? 18 : 4)
        }
        return lines
    }
}

/// How the person was identified, as the Access section says it.
func identityText(_ identity: AuditIdentity) -> String {
    switch identity {
    case .slot: "passphrase"
    case .account: "account"
    case .unmapped: "unmapped account"
    }
}

/// What an entry did, in plain words: "opened the record", "edited: phone, consents", "took roll", "wrote a letter".
func accessActionText(_ entry: AuditEntry) -> String {
    let period = entry.ids.first { $0.hasPrefix("period:") }.map { " for " + $0.dropFirst(7).replacingOccurrences(of: "..", with: " to ") } ?? ""
    switch entry.action {
    case AuditAction.recordOpen: return "opened the record"
    case AuditAction.notesOpen: return "opened a session note"
    case AuditAction.sign: return "signed a note"
    case AuditAction.addendum: return "added an addendum to a note"
    case AuditAction.coSign: return "co-signed a note"
    case AuditAction.measureSign: return "signed an outcome measure"
    case AuditAction.measureFollowUp: return "recorded a safety follow-up"
    case AuditAction.report: return "made an attendance report" + period
    case AuditAction.letter: return "wrote a letter" + period
    case AuditAction.export: return "exported" + period
    case AuditAction.create: return entry.ids.first?.hasPrefix("patient:") == true ? "created the record" : "created a session"
    case AuditAction.delete: return entry.ids.first?.hasPrefix("patient:") == true ? "deleted the record" : "deleted a session"
    case AuditAction.edit: return editText(entry.ids)
    default: return entry.action
    }
}

/// An edit entry's fields as words: a session's attendance is "took roll", a member's note "wrote a note"; a patient's
/// own fields are named ("edited: phone, emergency contact").
private func editText(_ ids: [String]) -> String {
    // The first part of each field path: `consents[con_2].revoked` is "consents".
    var fields: [String] = []
    for id in ids where id.hasPrefix("field:") && !id.hasPrefix("field:…") {
        let path = id.dropFirst(6)
        let top = String(path.prefix { $0 != "." && $0 != "[" })
        if !top.isEmpty && !fields.contains(top) { fields.append(top) }
    }
    let onSession = ids.first.map { $0.hasPrefix("session:") || $0.hasPrefix("series:") } ?? false
    if onSession {
        var said: [String] = []
        for field in fields {
            let words: String
            switch field {
            case "attendance": words = "took roll"
            case "memberNotes": words = "wrote a note"
            case "added", "removed": words = "changed who attends"
            // A session is held once its first mark is taken: said by "took roll" already.
            case "status" where fields.contains("attendance"): continue
            default: words = "edited the session"
            }
            if !said.contains(words) { said.append(words) }
        }
        return said.isEmpty ? "edited a session" : said.joined(separator: ", ")
    }
    return fields.isEmpty ? "edited the record" : "edited: " + fields.map(spacedWords).joined(separator: ", ")
}

/// "emergencyContact" as "emergency contact".
private func spacedWords(_ name: String) -> String {
    var out = ""
    for c in name {
        if c.isUppercase { out += " " + c.lowercased() } else { out.append(c) }
    }
    return out
}

/// `text` with no-break spaces, so a login and its staff name stay on one line.
private func noBreak(_ text: String) -> String { text.replacingOccurrences(of: " ", with: "\u{00A0}") }
