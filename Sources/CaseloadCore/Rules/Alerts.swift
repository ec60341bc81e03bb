import Foundation

/// Something on the caseload that needs a person's attention today.
public struct Alert: Equatable, Sendable {
    /// What the alert is about; the cases are in display order.
    public enum Kind: String, CaseIterable, Sendable {
        case safetyFollowUp
        case hoursBehind, shortDays, absencePolicy, consecutiveAbsences, supervisedAbsence, unsignedNote, coSignatureOverdue, planReview, measureDue, consentExpiring, noRecentAttendance
        case evaluationReview, evaluationMissing
    }

    /// How urgent: `critical` sorts before `warning`.
    public enum Severity: String, CaseIterable, Sendable {
        case warning, critical

        /// Sort rank: critical first.
        var rank: Int { self == .critical ? 0 : 1 }
    }

    public var kind: Kind
    public var patient: PatientID?
    public var session: SessionID?
    /// The day the alert is about (the deadline, the absence, the week's first day, the expiry…).
    public var date: LocalDate?
    /// Plain words, without the patient's name (the list shows it beside the alert).
    public var message: String
    public var severity: Severity

    public init(kind: Kind, patient: PatientID? = nil, session: SessionID? = nil, date: LocalDate? = nil, message: String, severity: Severity) {
        self.kind = kind; self.patient = patient; self.session = session; self.date = date
        self.message = message; self.severity = severity
    }

    /// The alert list's order: kind (declaration order), then severity (critical first), then message, then patient.
    static func precedes(_ a: Alert, _ b: Alert) -> Bool {
        let ka = Kind.allCases.firstIndex(of: a.kind) ?? 0, kb = Kind.allCases.firstIndex(of: b.kind) ?? 0
        if ka != kb { return ka < kb }
        if a.severity.rank != b.severity.rank { return a.severity.rank < b.severity.rank }
        if a.message != b.message { return a.message < b.message }
        return (a.patient?.rawValue ?? "", a.session?.rawValue ?? "") < (b.patient?.rawValue ?? "", b.session?.rawValue ?? "")
    }
}

/// The caseload's alerts, computed from one expansion of the schedule over the few weeks the rules look at.
///
/// The schedule is expanded once, over the span from the earliest day any rule needs (the attendance policy window,
/// the last 30 days for notes, the last completed week) to the end of the current week; no rule reads older history.
/// Hours, absence and attendance rules look at patients whose status is active; plan and consent rules at every patient
/// not discharged.
///
/// - hoursBehind: this week's `Hours.progress` against `Hours.weeklyRequirement`: `.behind` is a warning, `.cannotMeet`
///   critical. The message gives the time still needed, the day it is needed by (the last day with a session the patient
///   is expected at and not yet marked for, or the week's last day when there is none) and the sessions left.
/// - shortDays (HCPCS H0015: at least 3 hours a day on at least 3 days a week, with each day's total time on record):
///   judged on the last completed week, since the current week can still be made up. Days on which the patient attended
///   something but under 3 hours in total (minutes attended that day, all sessions summed) give one warning per week
///   listing those days; a week with fewer than 3 days of 3 hours or more gives another warning when that week's
///   (prorated) requirement is 9 hours or more, so a week of admission, discharge or step-down below 9 hours is not judged.
/// - absencePolicy: unexcused absences (`.absent`) on sessions in the policy window (`windowWeeks` weeks ending today)
///   above `unexcusedAbsencesAllowed`: critical.
/// - consecutiveAbsences: the latest `consecutiveAbsencesAlert` marked sessions in the policy window are all unexcused
///   absences: critical. DOMAIN.md's rule is absences "in a row without contact"; an excused absence is contact (the patient
///   gave a reason, usually with notice), so it ends the run, as attending does. Unmarked sessions are skipped.
/// - supervisedAbsence: each unexcused absence in the last 14 days (today and the 13 days before) of a patient under legal
///   supervision, until it is reported (`reportingState`: a letter to the officer covering it, or marked by hand):
///   critical, naming the officer to report to.
/// - unsignedNote: stored sessions of the last 30 days (today and the 29 days before) with an unsigned group or member
///   note more than 72 hours after the session ended (`NoteAge.isOverdue`, measured in real time, so across a
///   daylight-saving change): one warning per session, naming the patient when the only unsigned note is one member's.
///   Older unsigned notes are counted by `PatientFlagIndex` (from the schedule index, which keeps the sessions with unsigned notes).
///   A note signed and awaiting co-signature is not unsigned: `coSignatureOverdue` (Alerts+CoSign.swift) covers it.
/// - coSignatureOverdue: see `coSignatureAlerts`.
/// - planReview: a treatment plan whose review date is before today is critical ("overdue since"); one due today or in the
///   next 7 days is a warning.
/// - safetyFollowUp and measureDue: outcome measures (Alerts+Measures.swift).
/// - consentExpiring: a consent whose last valid day is today or within 14 days is a warning; one that expired (and was
///   not revoked) 1 to 30 days ago is critical. Older expired consents are not alerted again.
/// - noRecentAttendance: an active patient admitted more than 14 days ago (admission date, or the first care entry) who
///   attended no session in the last 14 days (today and the 13 days before): critical.
/// - evaluationReview, evaluationMissing: see `evaluationAlerts` (Alerts+Evaluation.swift).
public enum Alerts {
    /// Days of the unsigned-note scan (today and the days before it).
    public static let noteScanDays = 30
    /// Days of the supervised-absence and no-recent-attendance rules.
    public static let recentDays = 14
    /// H0015: minutes a day must reach to count, and days a week needed.
    public static let h0015DayMinutes = 180
    public static let h0015Days = 3
    /// A week requiring at least this many minutes is judged against the H0015 day count.
    public static let h0015WeekMinutes = 540

    /// What one patient had at one session in the scanned span.
    struct Entry {
        var date: LocalDate
        var session: Session
        var mark: AttendanceStatus?
        var isMember: Bool
    }

    /// All alerts for `doc` on `today` at `now`, sorted by kind, severity (critical first) and message.
    public static func compute(_ doc: CaseloadDocument, schedule: ScheduleIndex, now: Date, today: LocalDate) -> [Alert] {
        let program = doc.program
        let policy = program.attendancePolicy
        let zone = TimeZone(identifier: program.timeZone) ?? .gmt
        let currentWeek = Hours.week(containing: today, firstWeekday: program.firstWeekday)
        let lastWeek = DateRange(currentWeek.first.adding(days: -7), currentWeek.first.adding(days: -1))
        let policyWindow = DateRange(today.adding(days: -(7 * max(0, policy.windowWeeks)) + 1), today)
        let noteWindow = DateRange(today.adding(days: -(noteScanDays - 1)), today)
        let recent = DateRange(today.adding(days: -(recentDays - 1)), today)
        let spanStart = min(policyWindow.first, noteWindow.first, recent.first, lastWeek.first)
        let span = DateRange(spanStart, max(currentWeek.last, today))

        var alerts: [Alert] = []
        var entries: [PatientID: [Entry]] = [:]
        var currentWeekSessions: [ScheduledSession] = []
        for item in schedule.sessions(in: span) {
            let session = item.session
            if currentWeek.contains(session.date) { currentWeekSessions.append(item) }
            if item.isStored, noteWindow.contains(session.date), NoteAge.isOverdue(session, now: now, zone: zone) {
                alerts.append(unsignedNoteAlert(session))
            }
            guard session.status.countsForAttendance else { continue }
            let members = session.members(series: session.series.flatMap { schedule.series($0) })
            var seen = Set<PatientID>()
            // Only members: a mark left on a removed or never-added patient counts nowhere (FORMAT.md, removal wins).
            for id in members where seen.insert(id).inserted {
                entries[id, default: []].append(Entry(date: session.date, session: session, mark: session.attendance(for: id), isMember: true))
            }
        }

        let seriesByID = Dictionary(schedule.series.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        alerts += measureAlerts(doc, today: today)
        for patient in doc.patients {
            if case .discharged = patient.status { continue }
            alerts += planReviewAlerts(patient, today: today)
            alerts += consentAlerts(patient, today: today)
            alerts += evaluationAlerts(patient, today: today, program: program)
            guard patient.status == .active else { continue }
            let mine = entries[patient.id] ?? []
            if let alert = hoursBehindAlert(patient, week: currentWeek, sessions: currentWeekSessions, series: seriesByID, entries: mine, program: program) {
                alerts.append(alert)
            }
            alerts += shortDaysAlerts(patient, week: lastWeek, entries: mine, program: program)
            alerts += absenceAlerts(patient, window: policyWindow, recent: recent, entries: mine, policy: policy)
            if let alert = noRecentAttendanceAlert(patient, recent: recent, today: today, entries: mine) { alerts.append(alert) }
        }
        alerts += coSignatureAlerts(doc, now: now)
        return alerts.sorted(by: Alert.precedes)
    }

    // MARK: Rules

    static func hoursBehindAlert(_ patient: Patient, week: DateRange, sessions: [ScheduledSession], series: [SeriesID: Series], entries: [Entry], program: Program) -> Alert? {
        let requirement = Hours.weeklyRequirement(for: patient, week: week, program: program)
        let progress = Hours.progress(for: patient.id, requirement: requirement, sessions: sessions, series: series)
        guard progress.state == .behind || progress.state == .cannotMeet else { return nil }
        // The remaining sessions are exactly those `Hours.progress` counts as possible: expected, counting, unmarked.
        let byDay = entries.filter { week.contains($0.date) && $0.isMember && $0.mark == nil }.map(\.date).max() ?? week.last
        let minutesNeeded = max(0, requirement.minutes - progress.attendedMinutes)
        let sessionsNeeded = max(0, requirement.sessions - progress.attendedSessions)
        let need = minutesNeeded > 0 ? hoursText(minutesNeeded) : count(sessionsNeeded, "session")
        let left = progress.possibleSessions == 0 ? "no sessions left" : "\(count(progress.possibleSessions, "session")) left"
        var message = "needs \(need) more by \(byDay.weekday.shortName); \(left)"
        if progress.state == .cannotMeet { message += " — cannot be met" }
        return Alert(kind: .hoursBehind, patient: patient.id, date: byDay, message: message,
                     severity: progress.state == .cannotMeet ? .critical : .warning)
    }

    static func shortDaysAlerts(_ patient: Patient, week: DateRange, entries: [Entry], program: Program) -> [Alert] {
        var minutesByDay: [LocalDate: Int] = [:]
        for entry in entries where week.contains(entry.date) {
            guard let mark = entry.mark, mark.attended else { continue }
            minutesByDay[entry.date, default: 0] += mark.minutesAttended(duration: entry.session.durationMinutes)
        }
        var alerts: [Alert] = []
        let short = minutesByDay.filter { $0.value < h0015DayMinutes }.sorted { $0.key < $1.key }
        if !short.isEmpty {
            let days = short.map { "\(dayText($0.key)) (\(hoursText($0.value)))" }.joined(separator: ", ")
            alerts.append(Alert(kind: .shortDays, patient: patient.id, date: week.first,
                                message: "under 3 h on \(days) in the week of \(dayText(week.first))", severity: .warning))
        }
        let required = Hours.weeklyRequirement(for: patient, week: week, program: program)
        let qualifying = minutesByDay.values.filter { $0 >= h0015DayMinutes }.count
        if required.minutes >= h0015WeekMinutes && qualifying < h0015Days {
            alerts.append(Alert(kind: .shortDays, patient: patient.id, date: week.first,
                                message: "3 h or more on \(count(qualifying, "day")) of the \(h0015Days) needed in the week of \(dayText(week.first))",
                                severity: .warning))
        }
        return alerts
    }

    static func absenceAlerts(_ patient: Patient, window: DateRange, recent: DateRange, entries: [Entry], policy: AttendancePolicy) -> [Alert] {
        var alerts: [Alert] = []
        let marked = entries.filter { window.contains($0.date) && $0.mark != nil }
        let unexcused = marked.filter { $0.mark == .absent }
        if unexcused.count > policy.unexcusedAbsencesAllowed, let last = unexcused.last {
            alerts.append(Alert(kind: .absencePolicy, patient: patient.id, date: last.date,
                                message: "\(count(unexcused.count, "unexcused absence")) in \(policy.windowWeeks) weeks (policy allows \(policy.unexcusedAbsencesAllowed))",
                                severity: .critical))
        }
        let run = marked.reversed().prefix { $0.mark == .absent }
        if policy.consecutiveAbsencesAlert > 0, run.count >= policy.consecutiveAbsencesAlert, let last = run.first {
            alerts.append(Alert(kind: .consecutiveAbsences, patient: patient.id, session: last.session.id, date: last.date,
                                message: "\(run.count) unexcused absences in a row, the last on \(dayText(last.date))", severity: .critical))
        }
        if let legal = patient.legal {
            // A reported absence needs nothing more, so it leaves the list.
            for entry in unexcused where recent.contains(entry.date)
                && !reportingState(of: patient, session: entry.session.id, date: entry.date).isReported {
                alerts.append(Alert(kind: .supervisedAbsence, patient: patient.id, session: entry.session.id, date: entry.date,
                                    message: "unexcused absence on \(dayText(entry.date)) needs reporting to \(legal.officer) (\(supervisionText(legal.kind)))",
                                    severity: .critical))
            }
        }
        return alerts
    }

    static func unsignedNoteAlert(_ session: Session) -> Alert {
        let unsignedMembers = session.memberNotes.filter { !$0.isSigned }.map(\.patient)
        let groupUnsigned = session.groupNote.map { !$0.isSigned } ?? false
        var parts: [String] = []
        if groupUnsigned { parts.append("group note") }
        if !unsignedMembers.isEmpty { parts.append(count(unsignedMembers.count, "member note")) }
        let only = !groupUnsigned && unsignedMembers.count == 1 ? unsignedMembers.first : nil
        return Alert(kind: .unsignedNote, patient: only, session: session.id, date: session.date,
                     message: "\(parts.joined(separator: " and ")) unsigned for \(session.title) on \(dayText(session.date)), over 72 h after it ended",
                     severity: .warning)
    }

    static func planReviewAlerts(_ patient: Patient, today: LocalDate) -> [Alert] {
        guard let review = patient.treatmentPlan?.reviewDate else { return [] }
        if review < today {
            return [Alert(kind: .planReview, patient: patient.id, date: review, message: "treatment plan review overdue since \(dayText(review))", severity: .critical)]
        }
        if today.days(until: review) <= 7 {
            let when = review == today ? "today" : dayText(review)
            return [Alert(kind: .planReview, patient: patient.id, date: review, message: "treatment plan review due \(when)", severity: .warning)]
        }
        return []
    }

    static func consentAlerts(_ patient: Patient, today: LocalDate) -> [Alert] {
        var alerts: [Alert] = []
        for consent in patient.consents {
            guard let expires = consent.expires else { continue }
            switch consent.state(on: today, expiringWithinDays: 14) {
            case .expiring(let daysLeft):
                let when = daysLeft == 0 ? "today" : "on \(dayText(expires)) (in \(count(daysLeft, "day")))"
                alerts.append(Alert(kind: .consentExpiring, patient: patient.id, date: expires,
                                    message: "consent to disclose to \(consent.recipient) expires \(when)", severity: .warning))
            case .expired:
                let ago = expires.days(until: today)
                guard ago <= 30 else { continue }
                alerts.append(Alert(kind: .consentExpiring, patient: patient.id, date: expires,
                                    message: "consent to disclose to \(consent.recipient) expired on \(dayText(expires)) (\(count(ago, "day")) ago)", severity: .critical))
            case .notYetSigned, .active, .revoked:
                continue
            }
        }
        return alerts
    }

    static func noRecentAttendanceAlert(_ patient: Patient, recent: DateRange, today: LocalDate, entries: [Entry]) -> Alert? {
        guard let admitted = patient.admissionDate ?? patient.careHistory.first?.date, admitted.days(until: today) > recentDays else { return nil }
        let attendedRecently = entries.contains { recent.contains($0.date) && ($0.mark?.attended ?? false) }
        guard !attendedRecently else { return nil }
        let lastAttended = entries.filter { $0.date <= today && ($0.mark?.attended ?? false) }.map(\.date).max()
        let last = lastAttended.map { " (last on \(dayText($0)))" } ?? ""
        return Alert(kind: .noRecentAttendance, patient: patient.id, date: lastAttended,
                     message: "no session attended in the last \(recentDays) days\(last)", severity: .critical)
    }

    // MARK: Words

    /// "Wed 2026-12-09".
    static func dayText(_ date: LocalDate) -> String { "\(date.weekday.shortName) \(date.iso)" }

    /// Minutes as hours: "3 h", "4.5 h", "40 min", "2 h 10 min".
    static func hoursText(_ minutes: Int) -> String {
        if minutes < 60 { return "\(minutes) min" }
        if minutes % 60 == 0 { return "\(minutes / 60) h" }
        if minutes % 60 == 30 { return "\(minutes / 60).5 h" }
        return "\(minutes / 60) h \(minutes % 60) min"
    }

    /// "1 session", "2 sessions"; "1 unexcused absence", "5 unexcused absences".
    static func count(_ n: Int, _ noun: String) -> String {
        n == 1 ? "1 \(noun)" : "\(n) \(noun)s"
    }

    static func supervisionText(_ kind: SupervisionKind) -> String {
        switch kind {
        case .probation: "probation"
        case .parole: "parole"
        case .drugCourt: "drug court"
        }
    }
}
