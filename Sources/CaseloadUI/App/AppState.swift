import CaseloadCore
import Foundation

/// The three panes.
public enum PaneID: Int, CaseIterable, Sendable {
    case patients, week, session
    public var title: String {
        switch self {
        case .patients: "Patients"
        case .week: "Week"
        case .session: "Session"
        }
    }
}

/// What the title bar says about saving.
public enum SaveStatus: Equatable, Sendable {
    case saved(at: Date)
    case unsaved
    case saving
    case readOnly(reason: String)
    case error(String)
    case stopped(String)
    /// A database home whose server cannot be reached (issue 20): the edits wait (in memory and kept on this
    /// computer) and are sent when it is back; the title bar counts them (`AppState.editsSinceSave`).
    case offline(String)
}

extension SaveStatus {
    /// Whether the document's database cannot be reached (issue 20).
    public var isOffline: Bool {
        if case .offline = self { return true }
        return false
    }
}

/// A one-line message under the panes.
public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) { self.text = text; self.isError = isError }
}

/// Something drawn over the panes that takes the keys until it closes.
public enum Overlay: Equatable, Sendable {
    case help(scroll: Int)
    /// A yes/no question; `y` runs the action.
    case confirm(question: String, onYes: ConfirmAction)
}

/// What a confirmed question does.
public enum ConfirmAction: Equatable, Sendable {
    case quitWithoutSaving
    /// Write a report over the file that is there.
    case replaceFile(WriteRequest)
    /// Close the top form and drop what was typed in it.
    case discardForm
    /// Quit (after the final save) though merge conflicts are unresolved: this instance's values in them are lost.
    case quitLosingConflicts
}

/// The whole state of the UI: the document and everything about the screen. Changed only by `update`.
public struct AppState: Sendable {
    public var document: CaseloadDocument
    public var history = EditHistory()
    /// Shown in the title bar.
    public var fileName: String
    public var readOnlyReason: String?
    public var saveStatus: SaveStatus
    /// The time the view shows and relative dates count from; `CASELOAD_NOW` may fix it for demos and screenshots.
    public var viewNow: Date
    /// The real time: it judges consents and stamps signatures, addenda, note edits, disclosures and reported absences.
    /// Never fixed in what users run (only a debug build's test seam fixes it).
    public var recordNow: Date
    /// When the view clock is fixed, the time it is fixed at: the title bar and every report say so.
    public var clockFixedAt: Date?
    public var width: Int
    public var height: Int
    public var focus: PaneID = .week
    public var overlay: Overlay?
    /// The text after ":" while the command line is open.
    public var commandLine: String?
    public var message: StatusMessage?
    public var themeName: String
    /// The themes `:theme` can load: the built-in ones and the user's own files, as found at start-up.
    public var themeNames: [String] = ThemeLoader.builtInNames
    /// Who is at the keyboard (a staff login, or for `.unmapped` the account name): it signs notes, addenda and letters.
    public var login: String?
    /// How `login` was established (issue 17): a key slot, an operating-system account mapped to staff, or an account
    /// that maps to no staff member, which may read but not sign. Nil when not known (tests, old runners).
    public var operatorIdentity: AuditIdentity?
    /// Audit entries about patients, oldest first: what the trail held at start-up (`Msg.auditLoaded`) and what this run
    /// has done since, for the Record's Access section. Bounded (`AccessLog.limit`).
    public var accessLog: [AuditEntry] = []
    /// How long `accessLog` was when last trimmed.
    var accessLogTrimmedCount = 0
    /// Issue 18: what another instance changed differently from this one, unresolved. The document holds their value
    /// (the file's); each conflict holds this instance's own, until the user keeps one (or, for text, both).
    public var conflicts: [MergeConflict] = []
    /// Edits made since the last save that reached the document's home: what "offline — N changes waiting" counts.
    public var editsSinceSave = 0
    /// Conflicts resolved by an edit, with that edit: undoing it lists the conflict again, redoing it resolves it again.
    var resolvedConflicts: [ResolvedConflict] = []
    /// Issue 18: the document as on disk that `document` grew from (the last version read, written or merged in):
    /// the base of the next three-way merge. Nil before the first save of a new document.
    public var sharedBase: CaseloadDocument?
    /// Issue 18: while a form is submitted, the document it opened with: its edit is rebased from there (`edit`).
    var editOrigin: CaseloadDocument?
    /// Issue 18: who else has the document open (presence records beside it), as shown in the title bar.
    public var othersPresent: [String] = []

    public var weekStart: LocalDate
    /// Day of the week under the cursor (0 = first day) and the cursor's time in minutes.
    public var cursorDay = 0
    public var cursorMinutes: Int
    /// Which of the sessions running at the cursor is selected when several overlap (Space cycles).
    public var weekLane = 0
    /// How the Week pane shows the week (`v` cycles).
    public var weekView = WeekView.week
    /// First half-hour row shown in the Week pane.
    public var weekScroll = 0
    /// Row of the Patients list under the cursor.
    public var patientIndex = 0
    /// Row of the Session pane under the cursor: 0 is the group note, 1… the members.
    public var memberIndex = 1
    /// Derived data for the shown week, rebuilt when the document or the week changes, never per keystroke.
    public private(set) var week: WeekData

    /// The Patients list's filter text (`/`), and whether keys are typing into it.
    public var patientQuery = ""
    public var isTypingPatientQuery = false
    public var statusFilter: PatientStatusFilter = .active
    public var patientSort: PatientSort = .name
    /// Per-patient figures for the list (hours this week, next session, flags), rebuilt on document change.
    public private(set) var caseload: CaseloadData
    /// The patients the list shows, filtered and sorted.
    public private(set) var patientList: [Patient] = []
    /// The patient record open over the panes, if any.
    public var record: RecordState?
    /// The measure form (`M` in the record), over the record.
    public var measureEntry: MeasureEntry?
    /// The outcome instruments known: the built-ins, then the program's own from `instruments/*.toml` beside config.toml.
    public var instruments: [Instrument] = Instrument.builtIns
    /// A Session pane note open for reading (v), over the panes.
    public var noteView: NoteViewState?
    /// Open forms, the last one on top (a sub-list item's form opens over its parent's).
    public var forms: [FormFrame] = []
    /// A question, prompt or picker over everything (forms included).
    public var modal: Modal?
    /// Compliance alerts for today (hours, absences, unsigned notes, plans, consents), rebuilt on document change.
    public private(set) var alerts: [Alert] = []
    /// The patients with a critical alert (the Patients list's "!"), worked out when the alerts are, not per frame.
    public private(set) var criticalAlertPatients: Set<PatientID> = []
    /// An attendance report being previewed before it is written.
    public var reportPreview: ReportPreview?
    /// The report form's last answers, offered again the next time it opens.
    public var lastReport: ReportChoices?
    /// The alerts overlay, when open.
    public var alertsView: AlertsView?
    /// The merge conflicts overlay (`C`, `:conflicts`), when open.
    public var conflictsView: ConflictsView?
    /// The supervisor's co-signature queue (`Q`, `:cosign`), when open.
    public var coSignQueue: CoSignQueueView?
    /// A Week block being moved with the arrow keys.
    public var moving: MoveState?
    /// The document's sessions by date, so a week costs the same whatever the history; rebuilt on document change.
    public private(set) var schedule: ScheduleIndex
    /// The lock screen, while it is up (App/Lock.swift): drawn instead of everything, it takes every key.
    public var lock: LockState?
    /// What unlocking takes: a passphrase for an encrypted document, nothing for a plain one (the screen is only hidden).
    public var lockMode: LockMode
    /// Seconds without a key or click before the screen locks (`lock_after`); nil never locks by itself.
    public var lockAfter: TimeInterval?

    /// The user's view preferences (config.toml); nil keeps the program's own.
    public struct ViewPrefs: Equatable, Sendable {
        public var firstWeekday: Weekday?
        public var dayStart: LocalTime?
        public var dayEnd: LocalTime?
        public init(firstWeekday: Weekday? = nil, dayStart: LocalTime? = nil, dayEnd: LocalTime? = nil) {
            self.firstWeekday = firstWeekday; self.dayStart = dayStart; self.dayEnd = dayEnd
        }
    }
    public var prefs: ViewPrefs

    /// First day of the week shown.
    public var firstWeekday: Weekday { prefs.firstWeekday ?? document.program.firstWeekday }
    /// The hours the Week pane shows.
    public var dayStart: LocalTime { prefs.dayStart ?? document.program.dayStart }
    public var dayEnd: LocalTime {
        let end = prefs.dayEnd ?? document.program.dayEnd
        return end > dayStart ? end : LocalTime(clamping: dayStart.minutes + 60)
    }

    /// First minute of the Week grid: the program's day start, earlier when a session of the shown week starts before it.
    public var gridStartMinutes: Int { min(dayStart.minutes, week.earliestStart ?? Int.max) / 30 * 30 }
    /// End minute of the Week grid: the day end, later when a session of the shown week runs past it (never past midnight).
    public var gridEndMinutes: Int { min(24 * 60, max(dayEnd.minutes, week.latestEnd ?? 0)) }

    /// `now` is the view clock; `recordNow` the record clock (the same time when not given).
    public init(document: CaseloadDocument, fileName: String, now: Date, recordNow: Date? = nil, clockFixedAt: Date? = nil, width: Int, height: Int,
                readOnlyReason: String? = nil, themeName: String = "default", login: String? = nil, identity: AuditIdentity? = nil, prefs: ViewPrefs = ViewPrefs(),
                lockMode: LockMode = .hideOnly, lockAfter: TimeInterval? = AppConfig.defaultLockAfter) {
        self.prefs = prefs
        self.lockMode = lockMode
        self.lockAfter = lockAfter
        self.document = document
        self.sharedBase = document
        self.fileName = fileName
        self.viewNow = now
        self.recordNow = recordNow ?? now
        self.clockFixedAt = clockFixedAt
        self.width = width
        self.height = height
        self.readOnlyReason = readOnlyReason
        self.saveStatus = readOnlyReason.map { .readOnly(reason: $0) } ?? .saved(at: recordNow ?? now)
        self.themeName = themeName
        self.login = login
        self.operatorIdentity = identity
        let zone = TimeZone(identifier: document.program.timeZone) ?? .current
        let local = Recurrence.local(now, in: zone)
        let first = prefs.firstWeekday ?? document.program.firstWeekday
        weekStart = local.date.startOfWeek(firstWeekday: first)
        cursorDay = weekStart.days(until: local.date)
        cursorMinutes = 0
        schedule = ScheduleIndex(document)
        week = WeekData(document: document, schedule: schedule, weekStart: weekStart)
        caseload = CaseloadData(document: document, schedule: schedule, now: now, today: local.date, firstWeekday: first)
        setAlerts(Alerts.compute(document, schedule: schedule, now: now, today: local.date))
        let rounded = local.time.minutes / 30 * 30
        cursorMinutes = min(max(rounded, dayStart.minutes / 30 * 30), max(dayStart.minutes / 30 * 30, dayEnd.minutes - 30))
        refreshPatientList()
    }

    /// The program's "today" on the view clock: what the screen shows and typed dates count from.
    public var today: LocalDate {
        Recurrence.local(viewNow, in: zone).date
    }

    /// The program's "today" on the record clock: the day consents are judged on and disclosures and reports are dated.
    public var recordToday: LocalDate {
        Recurrence.local(recordNow, in: zone).date
    }

    /// The program's time zone.
    var zone: TimeZone { TimeZone(identifier: document.program.timeZone) ?? .current }

    /// The header line every report and letter carries while the view clock is fixed; nil otherwise.
    public var clockNotice: String? {
        clockFixedAt.map { ClockNotice.text(fixedAt: $0, zone: zone) }
    }

    public var cursorDate: LocalDate { weekStart.adding(days: cursorDay) }

    /// Rebuilds derived data after the document was replaced from outside (reload).
    public mutating func reloadDerived() {
        documentDidChange()
        patientIndex = 0
        memberIndex = 1
    }

    /// Rebuilds the week's derived data (after a week change).
    mutating func refreshWeek() {
        week = WeekData(document: document, schedule: schedule, weekStart: weekStart)
    }

    /// Rebuilds everything derived from the document, keeping the same patient under the cursor when it is still listed.
    /// After a known edit the schedule index is brought up to date rather than rebuilt, so an edit costs little on a long history.
    mutating func documentDidChange(after edit: DocumentEdit? = nil) {
        if let edit { schedule.update(after: edit, in: document) } else { schedule = ScheduleIndex(document) }
        let changedPatients = edit?.patientIDs
        week = WeekData(document: document, schedule: schedule, weekStart: weekStart, previous: week, changedPatients: changedPatients)
        caseload = CaseloadData(document: document, schedule: schedule, now: viewNow, today: today, firstWeekday: firstWeekday, previous: caseload,
                                changedPatients: edit?.changesOnlySessionsAndPatients == true ? changedPatients : nil)
        // Alerts look back over weeks of history: they are brought up to date on the next clock tick (within a second) or
        // when the alerts are opened, not on every roll-call key.
        alertsAreStale = true
        refreshPatientList()
        refreshRecord()
        refreshNoteView()
    }

    /// Whether `alerts` predates the last document change.
    public private(set) var alertsAreStale = false

    /// Recomputes the alerts if the document changed since they were computed.
    mutating func refreshAlertsIfStale() {
        guard alertsAreStale else { return }
        setAlerts(Alerts.compute(document, schedule: schedule, now: viewNow, today: today))
        alertsAreStale = false
    }

    private mutating func setAlerts(_ alerts: [Alert]) {
        self.alerts = alerts
        criticalAlertPatients = Set(alerts.filter { $0.severity == .critical }.compactMap(\.patient))
    }

    /// Rebuilds the open record's lines (the patient may have changed, or the screen's width); closes it if the patient is gone.
    mutating func refreshRecord() {
        guard var record, let patient = document.patient(record.patient) else {
            self.record = nil
            return
        }
        let rect = recordRect(self)
        let width = recordTextWidth(for: rect)
        if let reading = record.reading, let evaluation = patient.evaluations.first(where: { $0.id == reading }) {
            record.lines = evaluationLines(evaluation, doc: document, width: width)
        } else {
            record.reading = nil
            let course = CourseTimeline.course(for: patient, in: document, today: today,
                                               scores: courseScores(for: patient, in: document, instruments: instruments))
            record.courseOffset = courseWindow(count: course.weeks.count, width: width, offset: record.courseOffset).offset
            record.lines = recordLines(for: patient, in: document, today: today, width: width, schedule: schedule, course: course,
                                       courseOffset: record.courseOffset)
                + recordMeasureLines(for: patient, in: document, instruments: instruments, today: today, width: width)
                + recordAccessLines(for: patient.id, width: width)
        }
        record.scroll = min(record.scroll, max(0, record.lines.count - recordVisibleRows(for: rect)))
        self.record = record
    }

    /// Rebuilds the day-dependent figures when the clock has passed midnight.
    mutating func clockDidChange() {
        if today != caseload.today { documentDidChange() }
        refreshAlertsIfStale()
    }

    /// Filters and sorts the list again (after a document, filter or sort change), keeping the selected patient when it is still shown.
    mutating func refreshPatientList() {
        let selected = patientList.indices.contains(patientIndex) ? patientList[patientIndex].id : nil
        let data = caseload
        patientList = PatientSearch.run(document.patients, keys: data.keys, query: patientQuery, status: statusFilter, sort: patientSort,
                                        program: document.program, today: data.today, nameOrder: data.nameOrder, minutesBehind: { data.minutesBehind($0) })
        if let selected, let index = patientList.firstIndex(where: { $0.id == selected }) {
            patientIndex = index
        } else {
            patientIndex = min(patientIndex, max(0, patientList.count - 1))
        }
    }

    /// The patient under the Patients cursor.
    public var selectedPatient: Patient? {
        patientList.indices.contains(patientIndex) ? patientList[patientIndex] : nil
    }

    /// The session under the Week cursor: the one running at the cursor's time that day, else nil.
    public var selectedSession: ScheduledSession? {
        let here = sessionsAtCursor
        return here.isEmpty ? nil : here[weekLane % here.count]
    }

    /// The sessions running at the Week cursor's day and time.
    public var sessionsAtCursor: [ScheduledSession] {
        let date = cursorDate, minutes = cursorMinutes
        // One pass over the week (indices: a filter would copy every session it looks at).
        let sessions = week.sessions
        return sessions.indices.filter {
            let s = sessions[$0].session
            return s.date == date && s.start.minutes <= minutes && minutes < s.start.minutes + s.durationMinutes
        }.map { sessions[$0] }
    }

    /// The members of the selected session, in name order.
    public var selectedMembers: [Patient] {
        guard let item = selectedSession else { return [] }
        let series = item.session.series.flatMap { document.series($0) }
        // Members, plus anyone with a mark or a note who has since left (their record stays visible).
        let members = item.session.members(series: series)
        var seen = Set(members)
        let others = (item.session.attendance.map(\.patient) + item.session.memberNotes.map(\.patient)).filter { seen.insert($0).inserted }
        let order = caseload.nameOrder
        let byID = week.patientsByID
        // IDs ranked once each and sorted by position, each patient copied once at the end: a patient is a large value,
        // and comparing copies of them was most of a frame. The same comparison as by patient, so the same (stable) order.
        let found = (members + others).filter { byID.index(forKey: $0) != nil }
        let ranks = found.map { order.rank(id: $0) }
        let sorted = found.indices.sorted { i, j in
            if let x = ranks[i], let y = ranks[j] { return x < y }
            guard let a = byID[found[i]], let b = byID[found[j]] else { return false }
            return PatientNameOrder.precedes(a, b)
        }
        return sorted.compactMap { byID[found[$0]] }
    }

    public var isReadOnly: Bool { readOnlyReason != nil }
}

/// One week's sessions and each patient's attended minutes: computed once per document change or week change.
public struct WeekData: Sendable {
    public let weekStart: LocalDate
    public let sessions: [ScheduledSession]
    public let minutesByPatient: [PatientID: Int]
    public let patientsByID: [PatientID: Patient]
    /// Earliest start and latest end (minutes) of the week's sessions, so the grid can show sessions outside the day hours.
    public let earliestStart: Int?
    public let latestEnd: Int?

    /// With `changedPatients`, `previous` was made from the document just before an edit that put or removed only those
    /// patients: the others are taken from it as they are, not gathered again from every patient.
    init(document: CaseloadDocument, schedule: ScheduleIndex, weekStart: LocalDate, previous: WeekData? = nil, changedPatients: Set<PatientID>? = nil) {
        self.weekStart = weekStart
        let range = DateRange(weekStart, weekStart.adding(days: 6))
        sessions = schedule.sessions(in: range)
        var minutes: [PatientID: Int] = [:]
        for item in sessions where item.isStored {
            for mark in item.session.attendance {
                minutes[mark.patient, default: 0] += item.session.minutesAttended(by: mark.patient)
            }
        }
        minutesByPatient = minutes
        if let previous, let changedPatients {
            var byID = previous.patientsByID
            for id in changedPatients { byID[id] = document.patient(id) }
            patientsByID = byID
        } else {
            patientsByID = Dictionary(document.patients.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        }
        earliestStart = sessions.map(\.session.start.minutes).min()
        latestEnd = sessions.map { $0.session.start.minutes + $0.session.durationMinutes }.max()
    }

    public func sessions(on date: LocalDate) -> [ScheduledSession] {
        sessions.filter { $0.session.date == date }
    }
}

/// The open patient record: whose, and how far it is scrolled.
public struct RecordState: Equatable, Sendable {
    public var patient: PatientID
    public var scroll: Int
    /// The record's lines for the current screen width, built when it opens, the document changes or the screen resizes.
    public var lines: [RecordLine] = []
    /// An evaluation read in full in place of the record (issue 19, `V`); Esc goes back to the record.
    public var reading: ItemID?
    /// How many weeks the course timeline is scrolled back from the newest (`[` older, `]` newer); held to what there is.
    public var courseOffset: Int = 0
    public init(patient: PatientID, scroll: Int = 0) { self.patient = patient; self.scroll = scroll }
}
