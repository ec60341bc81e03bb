import CaseloadCore
import Foundation

/// A run of text in one style within a record line.
public struct RecordSegment: Equatable, Sendable {
    public var text: String
    public var role: Role
    public var bold: Bool
    public init(_ text: String, role: Role = .text, bold: Bool = false) {
        self.text = text; self.role = role; self.bold = bold
    }
}

/// One screen line of the patient record, already wrapped to a width.
public struct RecordLine: Equatable, Sendable {
    public var segments: [RecordSegment]
    /// The section's name when this line is the section's heading; nil for every other line.
    public var section: String?
    public init(segments: [RecordSegment], section: String? = nil) {
        self.segments = segments; self.section = section
    }
    /// The line's text without styles.
    public var text: String { segments.map(\.text).joined() }
    /// Cells the line takes.
    public var width: Int { segments.reduce(0) { $0 + TextWidth.of($1.text) } }
}

/// The record's sections, in the order `recordLines` writes them.
public enum RecordSection {
    public static let identity = "Identity & contacts"
    public static let program = "Program"
    public static let legal = "Legal"
    public static let diagnoses = "Diagnoses"
    public static let medications = "Medications"
    public static let screens = "Drug screens"
    public static let consents = "Consents"
    public static let disclosures = "Disclosures"
    public static let evaluation = "Comprehensive evaluation"
    public static let plan = "Treatment plan"
    public static let attendance = "Attendance, last 4 weeks"
    public static let course = "Course of treatment"
    public static let all = [identity, program, legal, diagnoses, medications, screens, consents, disclosures, evaluation, plan, attendance, course]
}

/// Cells available for record text inside a `drawRecord` box of `rect` (border and one cell of padding on each side).
public func recordTextWidth(for rect: Rect) -> Int { max(1, rect.width - 4) }

/// Rows of record text visible inside a `drawRecord` box of `rect`.
public func recordVisibleRows(for rect: Rect) -> Int { max(0, rect.height - 2) }

/// Line indexes of the section headings, for jumping between sections.
public func recordSectionStarts(_ lines: [RecordLine]) -> [Int] {
    lines.indices.filter { lines[$0].section != nil }
}

/// The scroll position of the next (or previous) section heading from `scroll`; `scroll` itself when there is none that way.
public func recordSectionJump(_ lines: [RecordLine], from scroll: Int, forward: Bool) -> Int {
    let starts = recordSectionStarts(lines)
    if forward { return starts.first { $0 > scroll } ?? scroll }
    return starts.last { $0 < scroll } ?? scroll
}

// MARK: - Building the record

/// The whole record of `patient` as lines wrapped to `width` cells, in sections: identity, program, legal, diagnoses,
/// medications, drug screens, consents, the disclosure log, the comprehensive evaluation, treatment plan, the last four weeks of
/// attendance and the course of treatment week by week (`course`, or the patient's course computed here; `courseOffset` weeks
/// back from the newest), as they stand on `today`.
public func recordLines(for patient: Patient, in doc: CaseloadDocument, today: LocalDate, width: Int, schedule: ScheduleIndex? = nil,
                        course: CourseTimeline? = nil, courseOffset: Int = 0) -> [RecordLine] {
    var w = RecordWriter(width: max(1, width))
    writeIdentity(&w, patient, today: today)
    writeProgram(&w, patient, doc, today: today)
    writeLegal(&w, patient, doc)
    writeDiagnoses(&w, patient)
    writeMedications(&w, patient, today: today)
    writeScreens(&w, patient)
    writeConsents(&w, patient, today: today)
    writeDisclosures(&w, patient, doc)
    writeEvaluation(&w, patient, doc, today: today)
    writePlan(&w, patient, doc, today: today)
    writeAttendance(&w, patient, doc, today: today, schedule: schedule)
    let course = course ?? CourseTimeline.course(for: patient, in: doc, today: today, scores: courseScores(for: patient, in: doc))
    return w.lines + recordCourseLines(course, today: today, width: max(1, width), offset: courseOffset)
}

func seg(_ text: String, _ role: Role = .text, bold: Bool = false) -> RecordSegment {
    RecordSegment(text, role: role, bold: bold)
}

private let notRecorded = seg(nb("not recorded"), .dim)

/// `text` with its spaces made non-breaking, so a short label is never split across lines.
func nb(_ text: String) -> String { text.replacingOccurrences(of: " ", with: "\u{00A0}") }

private func value(_ text: String?) -> [RecordSegment] {
    guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return [notRecorded] }
    return [seg(text)]
}

private func date(_ d: LocalDate?) -> [RecordSegment] {
    d.map { [seg($0.iso)] } ?? [notRecorded]
}

/// Whole years from `birth` to `today`.
private func age(_ birth: LocalDate, on today: LocalDate) -> Int {
    let before = (today.month, today.day) < (birth.month, birth.day)
    return today.year - birth.year - (before ? 1 : 0)
}

private func writeIdentity(_ w: inout RecordWriter, _ p: Patient, today: LocalDate) {
    w.heading(RecordSection.identity)
    w.field("Preferred name", value(p.preferredName))
    w.field("Legal name", value(p.legalName))
    w.field("Pronouns", value(p.pronouns))
    if let dob = p.dateOfBirth {
        let years = age(dob, on: today)
        w.field("Date of birth", [seg(dob.iso), seg(years >= 0 ? " (age \(years))" : "", .dim)])
    } else {
        w.field("Date of birth", [notRecorded])
    }
    w.field("MRN", value(p.mrn))
    w.field("Phone", value(p.phone))
    w.field("Email", value(p.email))
    if let c = p.emergencyContact {
        var parts = [seg(c.name)]
        if let relationship = c.relationship, !relationship.isEmpty { parts.append(seg(" (\(relationship))", .dim)) }
        parts.append(seg(" · " + c.phone))
        w.field("Emergency contact", parts)
    } else {
        w.field("Emergency contact", [notRecorded])
    }
    w.field("Referral source", value(p.referralSource))
}

private func statusText(_ status: PatientStatus) -> [RecordSegment] {
    switch status {
    case .referred: return [seg("referred")]
    case .waitlist: return [seg("waitlist")]
    case .active: return [seg("active", .statusOK)]
    case .onHold: return [seg("on hold", .statusWarning)]
    case .discharged(let date, let reason):
        return [seg("discharged", .statusWarning, bold: true), seg(" \(date.iso) · \(dischargeLabel(reason))")]
    }
}

private func dischargeLabel(_ reason: DischargeReason) -> String {
    switch reason {
    case .completed: "completed the program"
    case .againstAdvice: "left against advice"
    case .administrative: "administrative discharge"
    case .transferred: "transferred"
    case .incarcerated: "incarcerated"
    case .other: "other reason"
    }
}

private func writeProgram(_ w: inout RecordWriter, _ p: Patient, _ doc: CaseloadDocument, today: LocalDate) {
    let program = doc.program
    w.heading(RecordSection.program)
    w.field("Status", statusText(p.status))
    w.field("Admission", date(p.admissionDate))
    w.field("Expected discharge", date(p.expectedDischarge))
    let current = p.care(on: today)
    w.field("Level of care", current.map { [seg($0.levelOfCare.label)] } ?? [notRecorded])
    if let current {
        let name = program.phase(current.phase)?.name ?? current.phase.rawValue
        var parts = [seg(name, bold: true), seg(" since \(current.date.iso)", .dim)]
        if let phase = program.phase(current.phase) {
            parts.append(seg(" · \(phase.requiredSessionsPerWeek) sessions, \(hoursText(phase.requiredMinutesPerWeek)) h a week", .dim))
        }
        w.field("Current phase", parts)
    } else {
        w.field("Current phase", [notRecorded])
    }
    if p.careHistory.isEmpty {
        w.field("Phase history", [seg("none recorded", .dim)])
    } else {
        w.field("Phase history", [])
        for entry in p.careHistory {
            let name = program.phase(entry.phase)?.name ?? entry.phase.rawValue
            var parts = [seg(entry.date.iso + "  "), seg(name, bold: true), seg("  " + entry.levelOfCare.label)]
            if entry == current { parts.append(seg("  ← current", .statusOK)) }
            if entry.date > today { parts.append(seg("  planned", .dim)) }
            if let note = entry.note, !note.isEmpty { parts.append(seg(" · " + note, .dim)) }
            w.paragraph(parts, indent: 4, hang: w.hang(12))
        }
    }
    if let id = p.primaryClinician {
        w.field("Primary clinician", doc.staffMember(id).map { [seg($0.signatureName)] } ?? [seg(id.rawValue), seg(" (not on staff)", .statusWarning)])
    } else {
        w.field("Primary clinician", [notRecorded])
    }
    w.field("Track", value(p.track))
}

private func writeLegal(_ w: inout RecordWriter, _ p: Patient, _ doc: CaseloadDocument) {
    w.heading(RecordSection.legal)
    guard let legal = p.legal else {
        w.paragraph([seg("None: no probation, parole or drug court.", .dim)], indent: 2, hang: 2)
        return
    }
    let kind: String
    switch legal.kind {
    case .probation: kind = "Probation"
    case .parole: kind = "Parole"
    case .drugCourt: kind = "Drug court"
    }
    w.field("Supervision", [seg(kind, .flag, bold: true), seg(" · attendance is a legal condition", .dim)])
    w.field("Officer", value(legal.officer))
    w.field("Contact", value(legal.contact))
    w.field("Reporting", value(legal.reportingFrequency))
    w.field("Mandated hours", legal.mandatedMinutes.map { [seg("\(hoursText($0)) h")] } ?? [seg("none", .dim)])
    w.field("Case number", value(legal.caseNumber))
    // Absences reported by hand (`r` in the alerts); those covered by a letter are in the disclosure log.
    if !p.reportedAbsences.isEmpty {
        w.field("Absences reported", [])
        for r in p.reportedAbsences.reversed() {
            var line = [seg("\(r.date.weekday.shortName) \(r.date.iso)", bold: true), seg(" · reported \(r.reportedOn.iso)", .dim)]
            if let by = r.by { line.append(seg(" by \(doc.staffMember(by)?.signatureName ?? "a former staff member")", .dim)) }
            line.append(seg(": " + r.note))
            w.paragraph(line, indent: 4, hang: 2)
        }
    }
}

private func writeDiagnoses(_ w: inout RecordWriter, _ p: Patient) {
    w.heading(RecordSection.diagnoses)
    guard !p.diagnoses.isEmpty else {
        w.paragraph([seg("No diagnoses recorded.", .dim)], indent: 2, hang: 2)
        return
    }
    let ordered = p.diagnoses.filter(\.isPrimary) + p.diagnoses.filter { !$0.isPrimary }
    let codeWidth = min(10, (ordered.map { TextWidth.of($0.code) }.max() ?? 0) + 2)
    for d in ordered {
        var parts = [seg(TextWidth.pad(d.code, width: codeWidth), bold: d.isPrimary), seg(d.description)]
        if d.isPrimary { parts.append(seg(" · primary", .dim)) }
        w.paragraph(parts, indent: 2, hang: codeWidth)
    }
}

private func writeMedications(_ w: inout RecordWriter, _ p: Patient, today: LocalDate) {
    w.heading(RecordSection.medications)
    guard !p.medications.isEmpty else {
        w.paragraph([seg("No medications recorded.", .dim)], indent: 2, hang: 2)
        return
    }
    func isStopped(_ m: Medication) -> Bool { m.stopped.map { $0 <= today } ?? false }
    let ordered = p.medications.filter { !isStopped($0) } + p.medications.filter(isStopped)
    for m in ordered {
        let stopped = isStopped(m)
        let role: Role = stopped ? .dim : .text
        var parts = [seg(m.name, role, bold: !stopped), seg(" \(m.dose) · \(m.schedule)", role)]
        if m.controlled { parts.append(seg("  " + nb("⚑ controlled"), stopped ? .dim : .flag, bold: !stopped)) }
        var details: [String] = []
        if let prescriber = m.prescriber, !prescriber.isEmpty { details.append(prescriber) }
        if let started = m.started { details.append("since \(started.iso)") }
        if let end = m.stopped { details.append(stopped ? "stopped \(end.iso)" : "until \(end.iso)") }
        if !details.isEmpty { parts.append(seg(" · " + details.joined(separator: " · "), .dim)) }
        w.paragraph(parts, indent: 2, hang: 4)
    }
}

private func writeScreens(_ w: inout RecordWriter, _ p: Patient) {
    w.heading(RecordSection.screens)
    guard !p.drugScreens.isEmpty else {
        w.paragraph([seg("No drug screens recorded.", .dim)], indent: 2, hang: 2)
        return
    }
    // Newest first; the same day keeps the recorded order.
    let ordered = p.drugScreens.enumerated().sorted { a, b in
        a.element.date != b.element.date ? a.element.date > b.element.date : a.offset < b.offset
    }.map(\.element)
    for s in ordered {
        var parts = [seg(s.date.iso + "  "), seg(s.panel), seg(s.observed ? " · observed" : " · unobserved", .dim)]
        let positive = s.results.filter { $0.result == .positive }.map(\.substance)
        let prescribed = s.results.filter { $0.result == .prescribed }.map(\.substance)
        let inconclusive = s.results.filter { $0.result == .inconclusive }.map(\.substance)
        if !positive.isEmpty {
            parts.append(seg(" · "))
            parts.append(seg("positive: " + positive.joined(separator: ", "), .statusError, bold: true))
        } else if prescribed.isEmpty && inconclusive.isEmpty {
            parts.append(seg(" · "))
            parts.append(seg(s.results.isEmpty ? "no results" : "all negative", s.results.isEmpty ? .dim : .statusOK))
        } else {
            parts.append(seg(" · no unexpected positives"))
        }
        if !prescribed.isEmpty { parts.append(seg(" · prescribed: " + prescribed.joined(separator: ", "), .dim)) }
        if !inconclusive.isEmpty { parts.append(seg(" · inconclusive: " + inconclusive.joined(separator: ", "), .statusWarning)) }
        w.paragraph(parts, indent: 2, hang: w.hang(12))
    }
}

/// A consent's standing on a date, as the record shows it.
private func consentStateText(_ state: ConsentState, _ c: Consent) -> RecordSegment {
    switch state {
    case .notYetSigned: return seg(nb("not yet signed"), .statusWarning, bold: true)
    case .active: return seg("active", .statusOK, bold: true)
    case .expiring(let days):
        let text = days == 0 ? "expires today" : days == 1 ? "expiring tomorrow" : "expiring in \(days) days"
        return seg(nb(text), .statusWarning, bold: true)
    case .expired: return seg(nb("expired \(c.expires?.iso ?? "")"), .statusError, bold: true)
    case .revoked: return seg(nb("revoked \(c.revoked?.iso ?? "")"), .statusError, bold: true)
    }
}

private func writeConsents(_ w: inout RecordWriter, _ p: Patient, today: LocalDate) {
    w.heading(RecordSection.consents)
    guard !p.consents.isEmpty else {
        w.paragraph([seg("No consents recorded.", .dim)], indent: 2, hang: 2)
        return
    }
    for (i, c) in p.consents.enumerated() {
        if i > 0 { w.blank() }
        w.paragraph([seg("• "), seg(c.recipient, bold: true), seg(" — "), consentStateText(c.state(on: today), c)], indent: 2, hang: 2)
        var dates = [seg("signed \(c.signed.iso)")]
        if let expires = c.expires { dates.append(seg(" · expires \(expires.iso)")) }
        if let event = c.expiryEvent, !event.isEmpty { dates.append(seg(" · ends on: \(event)")) }
        if c.expires == nil && (c.expiryEvent ?? "").isEmpty { dates.append(seg(" · no expiry set", .statusWarning)) }
        if let until = c.irrevocableUntil { dates.append(seg(" · " + nb("irrevocable until \(until.iso)"), .flag)) }
        w.paragraph(dates, indent: 4, hang: 2)
        w.paragraph([seg("Purpose: ", .dim), seg(c.purpose)], indent: 4, hang: 2)
        w.paragraph([seg("Information: ", .dim), seg(c.information)], indent: 4, hang: 2)
    }
}

/// The 42 CFR Part 2 accounting of disclosures, newest first: what went to whom, when, under which consent, by whom.
private func writeDisclosures(_ w: inout RecordWriter, _ p: Patient, _ doc: CaseloadDocument) {
    w.heading(RecordSection.disclosures)
    guard !p.disclosures.isEmpty else {
        w.paragraph([seg("No disclosures made.", .dim)], indent: 2, hang: 2)
        return
    }
    for (i, d) in p.disclosures.reversed().enumerated() {
        if i > 0 { w.blank() }
        w.paragraph([seg("• "), seg(d.date.iso, bold: true), seg(" to "), seg(d.recipient, bold: true)], indent: 2, hang: 2)
        w.paragraph([seg(d.what)], indent: 4, hang: 2)
        var source = [seg("covers \(d.from.iso) to \(d.to.iso)", .dim)]
        if let consent = p.consents.first(where: { $0.id == d.consent }) {
            source.append(seg(" · under the consent signed \(consent.signed.iso)", .dim))
        }
        if let by = d.by { source.append(seg(" · by \(doc.staffMember(by)?.signatureName ?? "a former staff member")", .dim)) }
        w.paragraph(source, indent: 4, hang: 2)
    }
}

private func writePlan(_ w: inout RecordWriter, _ p: Patient, _ doc: CaseloadDocument, today: LocalDate) {
    w.heading(RecordSection.plan)
    guard let plan = p.treatmentPlan else {
        w.paragraph([seg("No treatment plan recorded.", .dim)], indent: 2, hang: 2)
        return
    }
    w.field("Created", [seg(plan.created.iso)])
    var review = [seg(plan.reviewDate.iso)]
    let untilReview = today.days(until: plan.reviewDate)
    if untilReview < 0 {
        review.append(seg("  " + nb("⚑ review overdue"), .flag, bold: true))
    } else if untilReview <= 7 {
        review.append(seg("  " + nb("review due" + (untilReview == 0 ? " today" : " in \(untilReview) day\(untilReview == 1 ? "" : "s")")), .statusWarning, bold: true))
    }
    w.field("Review", review)
    guard !plan.problems.isEmpty else {
        w.paragraph([seg("No problems in the plan.", .dim)], indent: 2, hang: 2)
        return
    }
    for (pi, problem) in plan.problems.enumerated() {
        w.paragraph([seg("Problem \(pi + 1): ", .header, bold: true), seg(problem.statement, bold: true)], indent: 2, hang: 2)
        for (gi, goal) in problem.goals.enumerated() {
            w.paragraph([seg("Goal \(gi + 1): ", .header), seg(goal.statement)], indent: 4, hang: 2)
            for (oi, objective) in goal.objectives.enumerated() {
                w.paragraph([seg("Objective \(oi + 1): ", .header), seg(objective.statement)], indent: 6, hang: 2)
                var status = [seg("target \(objective.targetDate.iso)", .dim)]
                if let achieved = objective.achieved {
                    status.append(seg(" · achieved \(achieved.iso)", .statusOK))
                } else if objective.targetDate < today {
                    status.append(seg(" · past target, not achieved", .statusWarning))
                } else {
                    status.append(seg(" · not yet achieved", .dim))
                }
                w.paragraph(status, indent: 8, hang: 2)
                for intervention in objective.interventions {
                    var parts = [seg("• "), seg(intervention.description), seg(" · " + intervention.modality.label, .dim)]
                    if let frequency = intervention.frequency, !frequency.isEmpty { parts.append(seg(" · " + frequency, .dim)) }
                    if let id = intervention.responsible {
                        parts.append(seg(" · " + (doc.staffMember(id)?.signatureName ?? "a former staff member"), .dim))
                    }
                    w.paragraph(parts, indent: 8, hang: 2)
                }
            }
        }
    }
}

private func writeAttendance(_ w: inout RecordWriter, _ p: Patient, _ doc: CaseloadDocument, today: LocalDate, schedule: ScheduleIndex?) {
    w.heading(RecordSection.attendance)
    let current = Hours.week(containing: today, firstWeekday: doc.program.firstWeekday)
    let weeks = AttendanceSummary.weeks(for: p, endingWith: current, count: 4, in: doc, schedule: schedule)
    guard weeks.contains(where: { $0.scheduled > 0 || $0.attendedMinutes > 0 }) else {
        w.paragraph([seg("No sessions scheduled in the last 4 weeks.", .dim)], indent: 2, hang: 2)
        return
    }
    func hours(_ week: WeekAttendance) -> RecordSegment {
        let text = week.requiredMinutes.map { "\(hoursText(week.attendedMinutes))/\(hoursText($0)) h" } ?? "\(hoursText(week.attendedMinutes)) h"
        guard let required = week.requiredMinutes else { return seg(text) }
        if week.attendedMinutes >= required { return seg(text, .meterOK) }
        // The week in progress is not behind yet.
        return seg(text, week.week.contains(today) ? .text : .meterBehind)
    }
    let columns = ["sched", "att", "exc", "unexc"]
    let number = 6, hoursColumn = 12, weekColumn = 10
    if w.width >= 2 + weekColumn + number * columns.count + hoursColumn {
        let header = TextWidth.pad("week of", width: weekColumn) + columns.map { TextWidth.pad($0, width: number, alignRight: true) }.joined()
            + TextWidth.pad("hours", width: hoursColumn, alignRight: true)
        w.paragraph([seg(header, .header)], indent: 2, hang: 0)
        for week in weeks {
            let counts = [week.scheduled, week.attended, week.excused, week.unexcused]
            let hoursSeg = hours(week)
            var parts = [seg(TextWidth.pad(week.week.first.iso, width: weekColumn))]
            for (i, n) in counts.enumerated() {
                parts.append(seg(TextWidth.pad("\(n)", width: number, alignRight: true), i == 3 && n > 0 ? .statusError : .text))
            }
            parts.append(RecordSegment(TextWidth.pad(hoursSeg.text, width: hoursColumn, alignRight: true), role: hoursSeg.role, bold: hoursSeg.bold))
            w.paragraph(parts, indent: 2, hang: 0)
        }
    } else {
        for week in weeks {
            let counts = "\(week.scheduled) sched, \(week.attended) att, \(week.excused) exc, \(week.unexcused) unexc, "
            w.paragraph([seg(week.week.first.iso + ": ", bold: true), seg(counts), hours(week)], indent: 2, hang: 4)
        }
    }
}

// MARK: - Wrapping

/// Collects wrapped lines; fields are "label  value" in two columns, or "label: value" when narrow.
struct RecordWriter {
    let width: Int
    var lines: [RecordLine] = []
    /// The label column; 0 writes "Label: value" instead.
    var labelWidth: Int { width >= 50 ? 20 : 0 }
    /// A hanging indent of `wide` cells, or a short one when the record is narrow.
    func hang(_ wide: Int) -> Int { width >= 50 ? wide : 4 }

    init(width: Int) { self.width = width }

    mutating func heading(_ name: String) {
        if !lines.isEmpty { blank() }
        let wrapped = wrapRecordSegments([seg(name, .header, bold: true)], width: width, indent: 0, hang: 2)
        for (i, segments) in wrapped.enumerated() {
            lines.append(RecordLine(segments: segments, section: i == 0 ? name : nil))
        }
    }

    mutating func blank() { lines.append(RecordLine(segments: [])) }

    mutating func field(_ label: String, _ value: [RecordSegment]) {
        if labelWidth > 0 {
            paragraph([seg(TextWidth.pad(label, width: labelWidth), .dim)] + value, indent: 2, hang: labelWidth)
        } else {
            paragraph([seg(label + ":", .dim)] + (value.isEmpty ? [] : [seg(" ")] + value), indent: 2, hang: 2)
        }
    }

    mutating func paragraph(_ segments: [RecordSegment], indent: Int, hang: Int) {
        for line in wrapRecordSegments(segments, width: width, indent: indent, hang: hang) {
            lines.append(RecordLine(segments: line))
        }
    }
}

/// Wraps styled text to `width` cells at spaces, the first line indented by `indent` and the rest by `indent + hang`
/// (at most half the width, so some text always fits). A word longer than a line is broken between characters, never inside a wide one;
/// a no-break space (U+00A0) joins words and is drawn as a plain space.
/// Every line fits in `width` cells, except that a two-cell character is put alone on a line when `width` is 1.
func wrapRecordSegments(_ segments: [RecordSegment], width: Int, indent: Int, hang: Int) -> [[RecordSegment]] {
    let width = max(1, width)
    let firstIndent = min(max(0, indent), width / 2)
    let nextIndent = min(max(0, indent + hang), width / 2)
    var lines: [[RecordSegment]] = []
    var current: [RecordSegment] = []
    var used = 0
    var hasContent = false

    func append(_ character: Character, _ role: Role, _ bold: Bool) {
        if let last = current.last, last.role == role, last.bold == bold {
            current[current.count - 1].text.append(character)
        } else {
            current.append(RecordSegment(String(character), role: role, bold: bold))
        }
    }
    func start(_ indent: Int) {
        current = indent > 0 ? [RecordSegment(String(repeating: " ", count: indent))] : []
        used = indent
        hasContent = false
    }
    func flush() {
        // A space put before a word that was then moved on is not left at the end of the line.
        while let last = current.last, last.text.last == " " {
            current[current.count - 1].text.removeLast()
            if current[current.count - 1].text.isEmpty { current.removeLast() }
        }
        lines.append(current)
    }

    // Words: runs of non-space characters with their styles.
    var words: [(chars: [(Character, Role, Bool)], spaceBefore: [(Character, Role, Bool)])] = []
    var word: [(Character, Role, Bool)] = []
    var space: [(Character, Role, Bool)] = []
    for segment in segments {
        for character in segment.text {
            if character == "\u{00A0}" {
                word.append((" ", segment.role, segment.bold))
            } else if character.isWhitespace {
                if !word.isEmpty { words.append((word, space)); word = []; space = [] }
                space.append((" ", segment.role, segment.bold))
            } else if TextWidth.of(character) > 0 || !word.isEmpty {
                word.append((character, segment.role, segment.bold))
            }
        }
    }
    if !word.isEmpty { words.append((word, space)) }

    start(firstIndent)
    for (chars, spaceBefore) in words {
        let wordWidth = chars.reduce(0) { $0 + TextWidth.of($1.0) }
        let spaceWidth = hasContent ? spaceBefore.count : 0
        // A word that does not fit goes to the next line; one too long for any line starts here and is broken.
        if hasContent && used + spaceWidth + wordWidth > width && nextIndent + wordWidth <= width {
            flush()
            start(nextIndent)
        } else if hasContent {
            for s in spaceBefore { append(s.0, s.1, s.2) }
            used += spaceWidth
        }
        for (character, role, bold) in chars {
            let w = TextWidth.of(character)
            if used + w > width {
                if hasContent {
                    flush()
                    start(nextIndent)
                }
                if used + w > width && used > 0 {
                    // Even a fresh indented line is too narrow for this character: drop the indent.
                    start(0)
                }
            }
            append(character, role, bold)
            used += w
            hasContent = true
        }
    }
    if hasContent || lines.isEmpty { flush() }
    return lines
}
