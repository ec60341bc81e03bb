import Foundation

/// One broken rule, naming the field (`patients[3].diagnoses[0].code`) and saying what is wrong.
public struct ValidationIssue: Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var message: String
    public init(field: String, message: String) { self.field = field; self.message = message }
    public var description: String { "\(field): \(message)" }
}

/// An attendance mark on a patient who is not a member of the session: named by session and patient ID only (no patient data).
public struct MarkOnNonMember: Equatable, Sendable, CustomStringConvertible {
    public var session: SessionID
    public var title: String
    public var date: LocalDate
    public var patient: PatientID
    public init(session: SessionID, title: String, date: LocalDate, patient: PatientID) {
        self.session = session; self.title = title; self.date = date; self.patient = patient
    }
    public var description: String {
        "session \(session) (\"\(TextTable.oneLine(title).prefix(60))\", \(date.iso)): patient \(patient) has an attendance mark but is not a member "
            + "of this session (removed, or never on it), so the mark counts nowhere; clear the mark, or add the patient back as a drop-in"
    }
}

/// Sizes no program reaches, refused so a crafted file cannot make reading or checking it take unbounded time or memory.
/// Documented in FORMAT.md (Limits); a real five-year program is far below each.
public enum Limits {
    /// Most bytes in a document file.
    public static let fileBytes = 512 * 1_048_576
    /// Most staff members, patients, series and sessions in a document.
    public static let staff = 10_000
    public static let patients = 100_000
    public static let series = 100_000
    public static let sessions = 2_000_000
    /// Most entries in each of a patient's lists (consents, disclosures, medications, screens, care history, …).
    public static let perPatientList = 10_000
    /// Most entries in each of a session's lists (attendance marks, member notes, added, removed) and in a series' roster.
    public static let perSessionList = 1_000
    public static let roster = 10_000

    /// An issue when `count` is over `cap`, naming the field and the cap.
    static func check(_ count: Int, cap: Int, field: @autoclosure () -> String, what: String) -> ValidationIssue? {
        guard count > cap else { return nil }
        return ValidationIssue(field: field(), message: "has \(count) \(what); the most Caseload reads is \(cap) (see Limits in FORMAT.md)")
    }
}

/// The model's rules, as functions of values; each returns every issue found (empty when valid).
public enum Validator {
    /// Dates outside these years are typing mistakes, not history.
    public static let yearRange = 1900...2200

    /// Checks the whole document: each part, then uniqueness and references across parts. `text: false` skips the text
    /// rules, for a reader that has already seen every text in the file's bytes follow them (`JSONSyntax.scan`).
    public static func check(_ doc: CaseloadDocument, text: Bool = true) -> [ValidationIssue] {
        var issues = check(doc.program, path: "program", text: text)
        issues += [Limits.check(doc.staff.count, cap: Limits.staff, field: "staff", what: "staff members"),
                   Limits.check(doc.patients.count, cap: Limits.patients, field: "patients", what: "patients"),
                   Limits.check(doc.series.count, cap: Limits.series, field: "series", what: "series"),
                   Limits.check(doc.sessions.count, cap: Limits.sessions, field: "sessions", what: "sessions")].compactMap { $0 }
        issues += duplicates(doc.staff.map(\.id.rawValue), path: "staff", what: "ID")
        issues += duplicates(doc.staff.map(\.login).filter { !$0.isEmpty }, path: "staff", what: "login")
        issues += duplicates(doc.patients.map(\.id.rawValue), path: "patients", what: "ID")
        issues += duplicates(doc.patients.map(\.mrn), path: "patients", what: "MRN", showValue: false)
        issues += duplicates(doc.series.map(\.id.rawValue), path: "series", what: "ID")
        issues += duplicates(doc.sessions.map(\.id.rawValue), path: "sessions", what: "ID")
        issues += duplicates(doc.sessions.compactMap { s in s.series.flatMap { id in s.occurrenceDate.map { "\(id) on \($0)" } } },
                             path: "sessions", what: "series occurrence")
        let staffIDs = Set(doc.staff.map(\.id))
        for (i, member) in doc.staff.enumerated() {
            issues += check(member, path: "staff[\(i)]", text: text)
            if let sup = member.supervisor, !staffIDs.contains(sup) {
                issues.append(.init(field: "staff[\(i)].supervisor", message: "no staff member has the ID \"\(sup)\""))
            } else if member.supervisor == member.id {
                issues.append(.init(field: "staff[\(i)].supervisor", message: "a person cannot supervise themselves"))
            }
        }
        issues += check(doc.program.clinical)
        for (i, patient) in doc.patients.enumerated() {
            let path = "patients[\(i)]"
            issues += check(patient, path: path, program: doc.program, text: text)
            if let c = patient.primaryClinician, !staffIDs.contains(c) {
                issues.append(.init(field: "\(path).primaryClinician", message: "no staff member has the ID \"\(c)\""))
            }
        }
        issues += checkReportedAbsences(in: doc)
        let index = ReferenceIndex(doc)
        for (i, item) in doc.series.enumerated() { issues += check(item, path: "series[\(i)]", index: index, text: text) }
        for (i, session) in doc.sessions.enumerated() { issues += check(session, path: "sessions[\(i)]", index: index, text: text) }
        return issues
    }

    /// Sets of IDs, so references are checked without scanning arrays per item.
    struct ReferenceIndex {
        let staff: Set<StaffID>
        let patients: Set<PatientID>
        let series: Set<SeriesID>
        let rooms: Set<RoomID>
        init(_ doc: CaseloadDocument) {
            staff = Set(doc.staff.map(\.id)); patients = Set(doc.patients.map(\.id))
            series = Set(doc.series.map(\.id)); rooms = Set(doc.program.rooms.map(\.id))
        }
    }

    public static func check(_ program: Program, path: String, text: Bool = true) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ field: String, _ message: String) { issues.append(.init(field: "\(path).\(field)", message: message)) }
        if Validator.isBlank(program.name) { add("name", "the program needs a name") }
        if TimeZone(identifier: program.timeZone) == nil { add("timeZone", "\"\(program.timeZone.prefix(40))\" is not a known time zone (use an IANA name such as America/Chicago)") }
        if program.dayEnd <= program.dayStart { add("dayEnd", "the day must end after it starts (\(program.dayStart))") }
        issues += duplicates(program.phases.map(\.id.rawValue), path: "\(path).phases", what: "ID")
        issues += duplicates(program.rooms.map(\.id.rawValue), path: "\(path).rooms", what: "ID")
        for (i, phase) in program.phases.enumerated() {
            if Validator.isBlank(phase.name) { add("phases[\(i)].name", "a phase needs a name") }
            if phase.requiredSessionsPerWeek < 0 { add("phases[\(i)].requiredSessionsPerWeek", "must be 0 or more") }
            if !(0...(7 * 1440)).contains(phase.requiredMinutesPerWeek) { add("phases[\(i)].requiredMinutesPerWeek", "must be between 0 and a week's minutes") }
            if let weeks = phase.typicalWeeks, weeks <= 0 { add("phases[\(i)].typicalWeeks", "must be a positive number of weeks") }
        }
        for (i, room) in program.rooms.enumerated() where Validator.isBlank(room.name) {
            add("rooms[\(i)].name", "a room needs a name")
        }
        let policy = program.attendancePolicy
        if policy.unexcusedAbsencesAllowed < 0 { add("attendancePolicy.unexcusedAbsencesAllowed", "must be 0 or more") }
        if policy.windowWeeks < 1 { add("attendancePolicy.windowWeeks", "must be at least 1 week") }
        if policy.consecutiveAbsencesAlert < 1 { add("attendancePolicy.consecutiveAbsencesAlert", "must be at least 1") }
        if policy.excusedNoticeHours < 0 { add("attendancePolicy.excusedNoticeHours", "must be 0 or more") }
        if Validator.isBlank(program.redisclosureNotice, newlines: true) {
            add("redisclosureNotice", "42 CFR §2.32 requires a redisclosure notice on every disclosure")
        }
        for (field, count) in [("phases", program.phases.count), ("rooms", program.rooms.count)] {
            if let issue = Limits.check(count, cap: Limits.perPatientList, field: "\(path).\(field)", what: "entries") { issues.append(issue) }
        }
        if text { issues += TextRules.check(program, path: path) }
        return issues
    }

    /// Day counts of at least one, and at most ten years.
    static func check(_ clinical: ClinicalSettings) -> [ValidationIssue] {
        let days: [(String, Int)] = [("evaluationReviewDays", clinical.evaluationReviewDays),
                                     ("coSignatureAlertDays", clinical.coSignatureAlertDays),
                                     ("measureEveryDays", clinical.measureEveryDays)]
        return days.compactMap { name, value in
            (1...3653).contains(value) ? nil : ValidationIssue(field: "program.clinical.\(name)", message: "must be 1 to 3653 days (it is \(value))")
        }
    }

    public static func check(_ member: Staff, path: String, text: Bool = true) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if Validator.isBlank(member.name) { issues.append(.init(field: "\(path).name", message: "a staff member needs a name")) }
        if member.login.contains(where: \.isWhitespace) { issues.append(.init(field: "\(path).login", message: "a login has no spaces")) }
        if text { issues += TextRules.check(member, path: path) }
        return issues
    }

    /// With `stored`, the patient `p` replaces (which followed the rules when it was stored), the text rules look only at
    /// the lists and records `p` changed: a phase step does not walk years of drug screens and disclosures.
    public static func check(_ p: Patient, path: String, program: Program, text: Bool = true, replacing stored: Patient? = nil) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ field: String, _ message: String) { issues.append(.init(field: "\(path).\(field)", message: message)) }
        func date(_ d: LocalDate?, _ field: String) {
            if let d, !yearRange.contains(d.year) { add(field, "\(d) is outside \(yearRange.lowerBound)–\(yearRange.upperBound)") }
        }
        if Validator.isBlank(p.mrn) { add("mrn", "a patient needs an MRN") }
        if Validator.isBlank(p.legalName) { add("legalName", "a patient needs a legal name") }
        let lists = [("careHistory", p.careHistory.count), ("diagnoses", p.diagnoses.count), ("medications", p.medications.count),
                     ("drugScreens", p.drugScreens.count), ("consents", p.consents.count), ("disclosures", p.disclosures.count),
                     ("reportedAbsences", p.reportedAbsences.count)]
        for (field, count) in lists {
            if let issue = Limits.check(count, cap: Limits.perPatientList, field: "\(path).\(field)", what: "entries") { issues.append(issue) }
        }
        if text { issues += TextRules.check(stored.map { textChanges(p, from: $0) } ?? p, path: path) }
        date(p.dateOfBirth, "dateOfBirth"); date(p.admissionDate, "admissionDate"); date(p.expectedDischarge, "expectedDischarge")
        if let dob = p.dateOfBirth, let admitted = p.admissionDate, dob >= admitted { add("dateOfBirth", "must be before the admission date \(admitted)") }
        if let email = p.email, !email.isEmpty, !isPlausibleEmail(email) { add("email", "is not an email address (name@example.org)") }
        if let admitted = p.admissionDate, let expected = p.expectedDischarge, expected < admitted {
            add("expectedDischarge", "must be on or after the admission date \(admitted)")
        }
        if case .discharged(let when, _) = p.status {
            date(when, "status.date")
            if let admitted = p.admissionDate, when < admitted { add("status.date", "discharge must be on or after the admission date \(admitted)") }
        }
        let phases = Set(program.phases.map(\.id))
        for (i, entry) in p.careHistory.enumerated() {
            date(entry.date, "careHistory[\(i)].date")
            if !phases.contains(entry.phase) { add("careHistory[\(i)].phase", "the program has no phase \"\(entry.phase)\"") }
            if i > 0, entry.date < p.careHistory[i - 1].date { add("careHistory[\(i)].date", "entries must be in date order") }
        }
        for (i, dx) in p.diagnoses.enumerated() where !Diagnosis.isWellFormed(dx.code) {
            add("diagnoses[\(i)].code", "\"\(dx.code.prefix(12))\" is not an ICD-10 code (like F10.20)")
        }
        if p.diagnoses.filter(\.isPrimary).count > 1 { add("diagnoses", "only one diagnosis can be primary") }
        issues += duplicates(p.medications.map(\.id.rawValue), path: "\(path).medications", what: "ID")
        for (i, med) in p.medications.enumerated() {
            if Validator.isBlank(med.name) { add("medications[\(i)].name", "a medication needs a name") }
            date(med.started, "medications[\(i)].started"); date(med.stopped, "medications[\(i)].stopped")
            if let a = med.started, let b = med.stopped, b < a { add("medications[\(i)].stopped", "must be on or after the start \(a)") }
        }
        issues += duplicates(p.drugScreens.map(\.id.rawValue), path: "\(path).drugScreens", what: "ID")
        for (i, screen) in p.drugScreens.enumerated() {
            date(screen.date, "drugScreens[\(i)].date")
            if screen.results.isEmpty { add("drugScreens[\(i)].results", "a screen needs at least one result") }
        }
        issues += duplicates(p.consents.map(\.id.rawValue), path: "\(path).consents", what: "ID")
        for (i, consent) in p.consents.enumerated() {
            let f = "consents[\(i)]"
            if Validator.isBlank(consent.recipient) { add("\(f).recipient", "a consent names its recipient") }
            if Validator.isBlank(consent.purpose) { add("\(f).purpose", "a consent states its purpose") }
            date(consent.signed, "\(f).signed"); date(consent.expires, "\(f).expires"); date(consent.revoked, "\(f).revoked")
            if consent.expires == nil && Validator.isBlank((consent.expiryEvent ?? "")) {
                add("\(f).expires", "a consent needs an expiry date or event")
            }
            if let e = consent.expires, e < consent.signed { add("\(f).expires", "must be on or after the signing date \(consent.signed)") }
            if let r = consent.revoked, r < consent.signed { add("\(f).revoked", "must be on or after the signing date \(consent.signed)") }
            if let r = consent.revoked, let until = consent.irrevocableUntil, r < until {
                add("\(f).revoked", "this consent cannot be revoked before \(until)")
            }
        }
        issues += duplicates(p.disclosures.map(\.id.rawValue), path: "\(path).disclosures", what: "ID")
        // A set, so checking each disclosure's consent is not a search of every consent (quadratic on a crafted file).
        let consentIDs = Set(p.consents.map(\.id))
        for (i, disclosure) in p.disclosures.enumerated() {
            let f = "disclosures[\(i)]"
            if Validator.isBlank(disclosure.recipient) { add("\(f).recipient", "a disclosure names its recipient") }
            date(disclosure.date, "\(f).date"); date(disclosure.from, "\(f).from"); date(disclosure.to, "\(f).to")
            if disclosure.to < disclosure.from { add("\(f).to", "must be on or after \(disclosure.from)") }
            if !consentIDs.contains(disclosure.consent) {
                add("\(f).consent", "no consent of this patient has the ID \"\(disclosure.consent)\"")
            }
        }
        if let legal = p.legal {
            if Validator.isBlank(legal.officer) { add("legal.officer", "name the officer or court contact") }
            if let m = legal.mandatedMinutes, m < 0 { add("legal.mandatedMinutes", "must be 0 or more") }
        }
        if let plan = p.treatmentPlan {
            date(plan.created, "treatmentPlan.created"); date(plan.reviewDate, "treatmentPlan.reviewDate")
            if plan.reviewDate < plan.created { add("treatmentPlan.reviewDate", "must be on or after the plan date \(plan.created)") }
            for (a, problem) in plan.problems.enumerated() {
                for (b, goal) in problem.goals.enumerated() {
                    for (c, objective) in goal.objectives.enumerated() {
                        let f = "treatmentPlan.problems[\(a)].goals[\(b)].objectives[\(c)]"
                        date(objective.targetDate, "\(f).targetDate")
                        if objective.targetDate < plan.created { add("\(f).targetDate", "must be on or after the plan date \(plan.created)") }
                    }
                }
            }
        }
        return issues
    }

    /// Checks a patient's dates against today, which the document rules cannot know: a date of birth in the past and at most 120 years ago, an admission at most a year ahead.
    public static func checkAgainstToday(_ p: Patient, today: LocalDate, path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ field: String, _ message: String) { issues.append(.init(field: "\(path).\(field)", message: message)) }
        if let dob = p.dateOfBirth {
            if dob >= today { add("dateOfBirth", "must be before today (\(today))") }
            if dob < years(120, before: today) { add("dateOfBirth", "is more than 120 years ago; check the year") }
        }
        if let admitted = p.admissionDate, admitted > years(-1, before: today) {
            add("admissionDate", "is more than a year from today; check the year")
        }
        return issues
    }

    /// The same day `count` years earlier (later when negative); 29 February becomes 28 February in a common year.
    static func years(_ count: Int, before date: LocalDate) -> LocalDate {
        let year = date.year - count
        return LocalDate(year: year, month: date.month, day: min(date.day, LocalDate.daysInMonth(year: year, month: date.month)))
            ?? date.adding(days: -365 * count)
    }

    /// Checks a series alone and its references into `doc`.
    public static func check(_ s: Series, path: String, in doc: CaseloadDocument) -> [ValidationIssue] {
        check(s, path: path, index: ReferenceIndex(doc))
    }

    static func check(_ s: Series, path: String, index: ReferenceIndex, text: Bool = true) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ field: String, _ message: String) { issues.append(.init(field: "\(path).\(field)", message: message)) }
        if Validator.isBlank(s.title) { add("title", "a series needs a title") }
        if let issue = Limits.check(s.roster.count, cap: Limits.roster, field: "\(path).roster", what: "entries") { issues.append(issue) }
        if text { issues += TextRules.check(s, path: path) }
        if s.weekdays.isEmpty { add("weekdays", "choose at least one weekday") }
        if Set(s.weekdays).count != s.weekdays.count { add("weekdays", "a weekday is listed twice") }
        if !(1...1440).contains(s.durationMinutes) { add("durationMinutes", "must be between 1 minute and 24 hours") }
        if !yearRange.contains(s.startDate.year) { add("startDate", "\(s.startDate) is out of range") }
        if let end = s.endDate, end < s.startDate { add("endDate", "must be on or after the start date \(s.startDate)") }
        if let f = s.facilitator, !index.staff.contains(f) { add("facilitator", "no staff member has the ID \"\(f)\"") }
        if let r = s.room, !index.rooms.contains(r) { add("room", "the program has no room \"\(r)\"") }
        for (i, entry) in s.roster.enumerated() {
            if !index.patients.contains(entry.patient) { add("roster[\(i)].patient", "no patient has the ID \"\(entry.patient)\"") }
            if let left = entry.left, left <= entry.joined { add("roster[\(i)].left", "must be after the joining date \(entry.joined)") }
        }
        var byPatient: [PatientID: [RosterEntry]] = [:]
        for entry in s.roster { byPatient[entry.patient, default: []].append(entry) }
        for (patient, entries) in byPatient where entries.count > 1 {
            let sorted = entries.sorted { $0.joined < $1.joined }
            for (a, b) in zip(sorted, sorted.dropFirst()) where (a.left ?? LocalDate(dayNumber: Int.max / 2)) > b.joined {
                add("roster", "patient \(patient) has overlapping memberships")
                break
            }
        }
        return issues
    }

    /// Checks a session and its references into `doc` before it is stored: also refuses a new mark on a patient who is not a
    /// member of the occurrence. Marks on non-members already stored (read from a file) are let through, so such a session
    /// can still be edited and repaired; `marksOnNonMembers` reports them.
    public static func check(_ s: Session, path: String, in doc: CaseloadDocument) -> [ValidationIssue] {
        var issues = check(s, path: path, index: ReferenceIndex(doc))
        let stored = doc.session(s.id)
        let before = Set(stored?.markedNonMembers(series: stored?.series.flatMap { doc.series($0) }) ?? [])
        for patient in s.markedNonMembers(series: s.series.flatMap { doc.series($0) }) where !before.contains(patient) {
            let i = s.attendance.firstIndex { $0.patient == patient } ?? 0
            issues.append(.init(field: "\(path).attendance[\(i)].patient",
                                message: "patient \(patient) is not a member of this session (removed, or never on it); only members are marked"))
        }
        return issues
    }

    /// Refuses a roster change that would leave a stored occurrence's attendance mark on a patient who is no longer a member
    /// that day (a `left` date set before a session they were marked at, say): the mark would silently stop counting.
    public static func checkRosterKeepsMarks(_ series: Series, path: String, in doc: CaseloadDocument) -> [ValidationIssue] {
        let old = doc.series(series.id)
        var issues: [ValidationIssue] = []
        for session in doc.sessions where session.series == series.id {
            let before = Set(session.markedNonMembers(series: old))
            for patient in session.markedNonMembers(series: series) where !before.contains(patient) {
                issues.append(.init(field: "\(path).roster",
                                    message: "patient \(patient) has attendance on \(session.date) (\(session.title)); their membership must include that day, or clear the mark first"))
            }
        }
        return issues
    }

    /// Every attendance mark on a patient who is not a member of the session (FORMAT.md: removal wins, so such a mark counts
    /// nowhere), in the order of `doc.sessions`. Not a reason to refuse a file: `caseload check` reports them.
    public static func marksOnNonMembers(_ doc: CaseloadDocument) -> [MarkOnNonMember] {
        var result: [MarkOnNonMember] = []
        // Built once: looking each session's series up in the array would be quadratic on a large file.
        let seriesByID = Dictionary(doc.series.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for session in doc.sessions {
            for patient in session.markedNonMembers(series: session.series.flatMap { seriesByID[$0] }) {
                result.append(MarkOnNonMember(session: session.id, title: session.title, date: session.date, patient: patient))
            }
        }
        return result
    }

    static func check(_ s: Session, path: String, index: ReferenceIndex, text: Bool = true) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ field: String, _ message: String) { issues.append(.init(field: "\(path).\(field)", message: message)) }
        if Validator.isBlank(s.title) { add("title", "a session needs a title") }
        for (field, count) in [("attendance", s.attendance.count), ("memberNotes", s.memberNotes.count), ("added", s.added.count), ("removed", s.removed.count)] {
            if let issue = Limits.check(count, cap: Limits.perSessionList, field: "\(path).\(field)", what: "entries") { issues.append(issue) }
        }
        if text { issues += TextRules.check(s, path: path) }
        if !(1...1440).contains(s.durationMinutes) { add("durationMinutes", "must be between 1 minute and 24 hours") }
        if !yearRange.contains(s.date.year) { add("date", "\(s.date) is out of range") }
        if let id = s.series, !index.series.contains(id) { add("series", "no series has the ID \"\(id)\"") }
        if (s.series == nil) != (s.occurrenceDate == nil) { add("occurrenceDate", "a series occurrence has both a series and an occurrence date; a one-off has neither") }
        if let f = s.facilitator, !index.staff.contains(f) { add("facilitator", "no staff member has the ID \"\(f)\"") }
        if let r = s.room, !index.rooms.contains(r) { add("room", "the program has no room \"\(r)\"") }
        switch s.status {
        case .cancelled(let reason), .didNotTakePlace(let reason):
            if Validator.isBlank(reason) { add("status.reason", "give a reason") }
        case .scheduled, .held: break
        }
        for (i, id) in s.added.enumerated() where !index.patients.contains(id) { add("added[\(i)]", "no patient has the ID \"\(id)\"") }
        for (i, id) in s.removed.enumerated() where !index.patients.contains(id) { add("removed[\(i)]", "no patient has the ID \"\(id)\"") }
        issues += duplicates(s.attendance.map(\.patient.rawValue), path: "\(path).attendance", what: "patient")
        for (i, mark) in s.attendance.enumerated() {
            let f = "attendance[\(i)]"
            if !index.patients.contains(mark.patient) { add("\(f).patient", "no patient has the ID \"\(mark.patient)\"") }
            switch mark.status {
            case .late(let minutes) where !(0...s.durationMinutes).contains(minutes):
                add("\(f).minutesLate", "must be between 0 and the session's \(s.durationMinutes) minutes")
            case .leftEarly(let minutes) where !(0...s.durationMinutes).contains(minutes):
                add("\(f).minutesAttended", "must be between 0 and the session's \(s.durationMinutes) minutes")
            case .excused(let reason) where Validator.isBlank(reason):
                add("\(f).reason", "an excused absence needs a reason")
            default: break
            }
        }
        issues += duplicates(s.memberNotes.map(\.patient.rawValue), path: "\(path).memberNotes", what: "patient")
        for (i, note) in s.memberNotes.enumerated() {
            if !index.patients.contains(note.patient) { add("memberNotes[\(i)].patient", "no patient has the ID \"\(note.patient)\"") }
            issues += check(signature: note.signature, addenda: note.addenda, path: "\(path).memberNotes[\(i)]", index: index)
        }
        if let group = s.groupNote {
            issues += check(signature: group.signature, addenda: group.addenda, path: "\(path).groupNote", index: index)
        }
        return issues
    }

    static func check(signature: Signature?, addenda: [Addendum], path: String, index: ReferenceIndex) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let sig = signature, !index.staff.contains(sig.by) {
            issues.append(.init(field: "\(path).signature.by", message: "no staff member has the ID \"\(sig.by)\""))
        }
        if let sig = signature, let co = sig.coSignature {
            if !index.staff.contains(co.by) {
                issues.append(.init(field: "\(path).signature.coSignature.by", message: "no staff member has the ID \"\(co.by)\""))
            }
            if !sig.needsCoSignature {
                issues.append(.init(field: "\(path).signature.coSignature", message: "only a signature that needs co-signature is co-signed"))
            }
            if co.at < sig.at {
                issues.append(.init(field: "\(path).signature.coSignature.at", message: "a co-signature comes after the signature (\(sig.at))"))
            }
        }
        if signature == nil && !addenda.isEmpty {
            issues.append(.init(field: "\(path).addenda", message: "only a signed note has addenda"))
        }
        for (i, addendum) in addenda.enumerated() {
            if let sig = signature, addendum.at < sig.at {
                issues.append(.init(field: "\(path).addenda[\(i)].at", message: "an addendum comes after the signature (\(sig.at))"))
            }
            if !index.staff.contains(addendum.by) {
                issues.append(.init(field: "\(path).addenda[\(i)].by", message: "no staff member has the ID \"\(addendum.by)\""))
            }
        }
        return issues
    }

    /// `p` without the lists and records it shares with `stored` (emptied, so every other field keeps its path): what
    /// the text rules still need to see. Equal lists are usually the same storage, so each comparison costs nothing.
    static func textChanges(_ p: Patient, from stored: Patient) -> Patient {
        var changed = p
        if p.careHistory == stored.careHistory { changed.careHistory = [] }
        if p.diagnoses == stored.diagnoses { changed.diagnoses = [] }
        if p.medications == stored.medications { changed.medications = [] }
        if p.drugScreens == stored.drugScreens { changed.drugScreens = [] }
        if p.consents == stored.consents { changed.consents = [] }
        if p.disclosures == stored.disclosures { changed.disclosures = [] }
        if p.reportedAbsences == stored.reportedAbsences { changed.reportedAbsences = [] }
        if p.treatmentPlan == stored.treatmentPlan { changed.treatmentPlan = nil }
        return changed
    }

    static func isPlausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !text.contains(where: \.isWhitespace)
    }

    /// One issue per value that occurs more than once, naming the value's later positions.
    /// Whether `text` is empty or only white space (and, with `newlines`, line breaks). A text that starts with a
    /// visible ASCII character is answered from its first byte: on a large file this check runs for every session, and
    /// Foundation's trimming (through NSString on Linux) would cost a large share of the load.
    static func isBlank(_ text: String, newlines: Bool = false) -> Bool {
        if let first = text.utf8.first, first > 0x20, first < 0x7F { return false }
        return text.trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces).isEmpty
    }

    static func duplicates(_ values: [String], path: @autoclosure () -> String, what: String, showValue: Bool = true) -> [ValidationIssue] {
        // Most lists are short and clean: skip the dictionary for them, and build the path only for an issue.
        if values.count < 2 { return [] }
        if values.count == 2 && values[0] != values[1] { return [] }
        let path = path()
        var firstSeen: [String: Int] = [:]
        var issues: [ValidationIssue] = []
        for (i, value) in values.enumerated() {
            if let first = firstSeen[value] {
                issues.append(.init(field: "\(path)[\(i)]", message: showValue ? "duplicate \(what) \"\(value.prefix(40))\" (also at \(path)[\(first)])" : "duplicate \(what) (also at \(path)[\(first)])"))
            } else {
                firstSeen[value] = i
            }
        }
        return issues
    }
}
