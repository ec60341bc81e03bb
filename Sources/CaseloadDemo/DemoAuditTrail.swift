import CaseloadCore
import Foundation

/// A plausible audit trail (issue 17) for a demo document: what its staff would have done over a span of days, as
/// the app records it — ids and field paths only, never a name or a note's text.
public enum DemoAuditTrail {
    /// One event: when, who (a staff login), how they were identified, and what.
    public typealias Event = (at: Date, who: String, identity: AuditIdentity, event: AuditEvent)

    /// The events of the working days from `from` through `to` (inclusive), in time order, the same for the same
    /// inputs: each staff member opens the document in the morning, locks it over lunch and closes it in the evening
    /// (`.slot` documents sometimes see a mistyped passphrase first); each held session's facilitator opens its notes,
    /// takes roll, opens some members' records, writes and signs the notes the document holds; supervisors open a few
    /// records a day and run the weekly attendance report on Fridays; on Mondays the primary clinician writes the
    /// weekly letter for each patient under supervision who has a consent in force.
    public static func events(for document: CaseloadDocument, from: LocalDate, to: LocalDate, identity: AuditIdentity, seed: UInt64 = 1) -> [Event] {
        guard from <= to else { return [] }
        let zone = TimeZone(identifier: document.program.timeZone) ?? .gmt
        let staff = document.staff.filter { !$0.login.isEmpty }
        guard let fallback = staff.first?.login else { return [] }
        let logins = Dictionary(staff.map { ($0.id, $0.login) }, uniquingKeysWith: { a, _ in a })
        let supervisors = staff.filter { $0.role == .supervisor || $0.role == .director }.map(\.login)
        var byDay: [Int: [Session]] = [:]
        for session in document.sessions where session.status == .held && session.date >= from && session.date <= to {
            byDay[session.date.dayNumber, default: []].append(session)
        }
        let supervised = document.patients.filter { $0.legal != nil && $0.status == .active }
        let patientIDs = document.patients.map(\.id)
        var rng = SeededGenerator(seed: seed, stream: "audit-trail")
        // Each event with its local minute of the day and the order made, sorted once at the end.
        var out: [(day: Int, minute: Int, order: Int, who: String, event: AuditEvent)] = []
        func add(_ day: Int, _ minute: Int, _ who: String, _ action: String, _ ids: [String] = []) {
            out.append((day, minute, out.count, who, AuditEvent(action, ids)))
        }

        for day in from.dayNumber...to.dayNumber {
            let date = LocalDate(dayNumber: day)
            guard date.weekday != .sat && date.weekday != .sun else { continue }
            for member in staff where !rng.chance(50) {
                let open = 7 * 60 + 45 + rng.below(60)
                if identity == .slot, rng.chance(25) { add(day, open - 1, member.login, AuditAction.passphraseFailed, ["slot:\(member.login)"]) }
                add(day, open, member.login, AuditAction.documentOpen)
                let lunch = 12 * 60 + rng.below(45)
                add(day, lunch, member.login, AuditAction.lock)
                add(day, lunch + 30 + rng.below(30), member.login, AuditAction.unlock)
                add(day, 17 * 60 + rng.below(180), member.login, AuditAction.documentClose)
            }
            for session in byDay[day] ?? [] {
                let who = session.facilitator.flatMap { logins[$0] } ?? fallback
                let sid = AuditEvent.session(session.id)
                let start = session.start.minutes, end = start + session.durationMinutes
                add(day, start - 5, who, AuditAction.notesOpen, [sid])
                for mark in session.attendance {
                    let p = mark.patient.rawValue
                    add(day, start + 5 + rng.below(10), who, AuditAction.edit, [sid, "patient:\(p)", "field:attendance[\(p)].status"])
                    if rng.chance(300) { add(day, end + rng.below(60), who, AuditAction.recordOpen, ["patient:\(p)"]) }
                }
                if let note = session.groupNote {
                    add(day, end + 5, who, AuditAction.edit, [sid, "field:groupNote.narrative", "field:groupNote.topic"])
                    if note.isSigned { add(day, end + 15, who, AuditAction.sign, [sid, "note:group"]) }
                    if !note.addenda.isEmpty { add(day, end + 90, who, AuditAction.addendum, [sid, "note:group"]) }
                }
                for (k, note) in session.memberNotes.enumerated() {
                    let p = note.patient.rawValue
                    let at = end + 20 + 4 * k
                    add(day, at, who, AuditAction.edit, [sid, "patient:\(p)"] + note.sections.indices.map { "field:memberNotes[\(p)].sections[\($0)].text" })
                    if note.isSigned { add(day, at + 2, who, AuditAction.sign, [sid, "patient:\(p)", "note:\(p)"]) }
                    if !note.addenda.isEmpty { add(day, at + 120, who, AuditAction.addendum, [sid, "patient:\(p)", "note:\(p)"]) }
                }
            }
            for login in supervisors where !patientIDs.isEmpty {
                for _ in 0..<3 { add(day, 9 * 60 + rng.below(7 * 60), login, AuditAction.recordOpen, ["patient:\(rng.pick(patientIDs).rawValue)"]) }
                if date.weekday == .fri {
                    let monday = date.adding(days: -4)
                    add(day, 16 * 60 + rng.below(60), login, AuditAction.report, ["report:weekly-attendance", "period:\(monday.iso)..\(date.iso)"])
                }
            }
            if date.weekday == .mon {
                for patient in supervised {
                    let consent = patient.consents.first { c in
                        c.revoked == nil && c.signed <= date && (c.expires.map { $0 >= date } ?? true)
                    }
                    guard let consent else { continue }
                    let who = patient.primaryClinician.flatMap { logins[$0] } ?? fallback
                    add(day, 10 * 60 + rng.below(120), who, AuditAction.letter,
                        [AuditEvent.patient(patient.id), "consent:\(consent.id.rawValue)", "period:\(date.adding(days: -7).iso)..\(date.adding(days: -1).iso)"])
                }
            }
        }
        out.sort { ($0.day, $0.minute, $0.order) < ($1.day, $1.minute, $1.order) }
        // The zone's offset, once a day (it changes twice a year).
        var offsets: [Int: Int] = [:]
        return out.map { item in
            let midnight = TimeInterval(item.day) * 86_400
            let offset = offsets[item.day] ?? {
                let seconds = zone.secondsFromGMT(for: Date(timeIntervalSince1970: midnight + 12 * 3600))
                offsets[item.day] = seconds
                return seconds
            }()
            let at = Date(timeIntervalSince1970: midnight + TimeInterval(item.minute * 60 - offset))
            return (at, item.who, identity, item.event)
        }
    }
}
