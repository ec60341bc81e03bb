import CaseloadCore

/// Where each top-level entity's bytes are in the file it was read from: what a save that writes only what changed keeps.
public struct EntityRanges: Equatable, Sendable {
    /// The `program` object, from its `{` to its `}`.
    public var program: Range<Int>
    /// Each element of `staff`, `patients`, `series` and `sessions`, from its `{` to its `}`, in order.
    public var staff: [Range<Int>]
    public var patients: [Range<Int>]
    public var series: [Range<Int>]
    public var sessions: [Range<Int>]
}

/// The file's top level as read in one pass: the envelope, and the document when its members read as the current schema.
struct ReadOutcome {
    /// `format` when it is a string.
    var format: String?
    /// `schemaVersion`: nil when missing, -1 when not a whole number 0 or more.
    var version: Int?
    var document: CaseloadDocument?
    var ranges: EntityRanges?
    /// The `audit` member (issue 17), when present.
    var audit: AuditSeal?
    var textNeedsCheck: Bool
}

/// Reads a document file's bytes straight into the model, with the current schema's shapes.
enum DocumentReader {
    enum Top: Int, JSONKeys {
        case audit, format, patients, program, schemaVersion, series, sessions, staff
        static let table = makeTable()
        static let optionalKeys: [Top] = [.audit]
    }

    /// Reads a whole file. Throws the first failure in the file's order; the caller decides what to report (a broken
    /// envelope, say, counts before a field of the wrong type).
    static func read(_ base: UnsafePointer<UInt8>, count: Int, source: SourceBytes? = nil) throws(ReadFailure) -> ReadOutcome {
        var r = JSONReader(base, count: count)
        r.source = source
        r.skipSpace()
        var format: String?
        var version: Int?
        var audit: AuditSeal?
        var program: Program?, staff: [Staff]?, patients: [Patient]?, series: [Series]?, sessions: [Session]?
        var programRange = 0..<0
        var staffRanges: [Range<Int>] = [], patientRanges: [Range<Int>] = [], seriesRanges: [Range<Int>] = [], sessionRanges: [Range<Int>] = []
        let seen = try r.object(Top.self) { r, key throws(ReadFailure) in
            switch key {
            case .audit: audit = try r.auditSeal()
            case .format:
                if r.i < r.n, r.p[r.i] == 0x22 { format = try r.string() } else { try r.skipValue() }
            case .schemaVersion:
                let at = r.i
                if let v = try? r.int(), v >= 0 { version = v } else { r.i = at; try r.skipValue(); version = -1 }
            case .program:
                let start = r.i
                program = try r.program()
                programRange = start..<r.i
            case .staff: staff = try r.array { r throws(ReadFailure) in try r.ranged(&staffRanges) { r throws(ReadFailure) in try r.staff() } }
            case .patients: patients = try r.array { r throws(ReadFailure) in try r.ranged(&patientRanges) { r throws(ReadFailure) in try r.patient() } }
            case .series: series = try r.array { r throws(ReadFailure) in try r.ranged(&seriesRanges) { r throws(ReadFailure) in try r.series() } }
            case .sessions: sessions = try r.array { r throws(ReadFailure) in try r.ranged(&sessionRanges) { r throws(ReadFailure) in try r.session() } }
            }
        }
        try r.end()
        var outcome = ReadOutcome(format: format, version: version, document: nil, ranges: nil, audit: audit, textNeedsCheck: r.textNeedsCheck)
        guard format == DocumentCodec.formatName, let version, version >= 0 else { return outcome }
        guard let program, let staff, let patients, let series, let sessions else { throw Top.missing(seen) }
        outcome.document = CaseloadDocument(program: program, staff: staff, patients: patients, series: series, sessions: sessions)
        outcome.ranges = EntityRanges(program: programRange, staff: staffRanges, patients: patientRanges, series: seriesRanges, sessions: sessionRanges)
        return outcome
    }

    /// The envelope alone (`format` and `schemaVersion`), every other member skipped: for a file whose members did not read.
    static func envelope(_ base: UnsafePointer<UInt8>, count: Int) -> (isObject: Bool, found: String, format: String?, version: Int?) {
        var r = JSONReader(base, count: count)
        r.skipSpace()
        guard r.i < r.n, r.p[r.i] == 0x7B else {
            let found: String
            switch r.i < r.n ? r.p[r.i] : 0 {
            case 0x5B: found = "found a list"
            case 0x22: found = "found a string"
            case 0x74, 0x66: found = "found true or false"
            case 0x6E: found = "found null"
            default: found = "found a number"
            }
            return (false, found, nil, nil)
        }
        var format: String?
        var version: Int?
        _ = try? r.object(Top.self) { r, key throws(ReadFailure) in
            switch key {
            case .format:
                if r.i < r.n, r.p[r.i] == 0x22 { format = try r.string() } else { try r.skipValue() }
            case .schemaVersion:
                let at = r.i
                if let v = try? r.int(), v >= 0 { version = v } else { r.i = at; try r.skipValue(); version = -1 }
            default:
                try r.skipValue()
            }
        }
        return (true, "", format, version)
    }
}

extension JSONReader {
    /// Reads one top-level entity and notes its byte range.
    @inline(__always)
    mutating func ranged<T>(_ ranges: inout [Range<Int>], _ read: (inout JSONReader) throws(ReadFailure) -> T) throws(ReadFailure) -> T {
        let start = i
        let value = try read(&self)
        ranges.append(start..<i)
        return value
    }

    // MARK: Program and staff

    enum ProgramKey: Int, JSONKeys {
        case attendancePolicy, clinical, dayEnd, dayStart, defaultNoteFormat, firstWeekday, name, phases, redisclosureNotice, rooms, timeZone
        static let table = makeTable()
        static let optionalKeys: [ProgramKey] = [.clinical]
    }

    mutating func program() throws(ReadFailure) -> Program {
        var policy: AttendancePolicy?, dayEnd: LocalTime?, dayStart: LocalTime?, noteFormat: NoteFormat?, firstWeekday: Weekday?
        var name: String?, phases: [Phase]?, notice: String?, rooms: [Room]?, timeZone: String?, clinical: ClinicalSettings?
        let seen = try object(ProgramKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .attendancePolicy: policy = try r.attendancePolicy()
            case .dayEnd: dayEnd = try r.time()
            case .dayStart: dayStart = try r.time()
            case .defaultNoteFormat: noteFormat = try r.value(NoteFormat.self)
            case .firstWeekday: firstWeekday = try r.value(Weekday.self)
            case .name: name = try r.string()
            case .phases: phases = try r.array { r throws(ReadFailure) in try r.phase() }
            case .redisclosureNotice: notice = try r.string(multiLine: true)
            case .rooms: rooms = try r.array { r throws(ReadFailure) in try r.room() }
            case .timeZone: timeZone = try r.string()
            case .clinical: clinical = try r.takeNull() ? nil : r.clinicalSettings()
            }
        }
        guard let policy, let dayEnd, let dayStart, let noteFormat, let firstWeekday, let name, let phases, let notice, let rooms, let timeZone else {
            throw ProgramKey.missing(seen)
        }
        return Program(name: name, timeZone: timeZone, firstWeekday: firstWeekday, dayStart: dayStart, dayEnd: dayEnd, phases: phases, rooms: rooms,
                       attendancePolicy: policy, defaultNoteFormat: noteFormat, redisclosureNotice: notice,
                       clinical: clinical ?? ClinicalSettings())
    }

    enum ClinicalKey: Int, JSONKeys {
        case coSignatureAlertDays, evaluationReviewDays, measureEveryDays
        static let table = makeTable()
        static let optionalKeys: [ClinicalKey] = [.coSignatureAlertDays, .evaluationReviewDays, .measureEveryDays]
    }

    mutating func clinicalSettings() throws(ReadFailure) -> ClinicalSettings {
        var settings = ClinicalSettings()
        _ = try object(ClinicalKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .coSignatureAlertDays: if let v = try r.optionalInt() { settings.coSignatureAlertDays = v }
            case .evaluationReviewDays: if let v = try r.optionalInt() { settings.evaluationReviewDays = v }
            case .measureEveryDays: if let v = try r.optionalInt() { settings.measureEveryDays = v }
            }
        }
        return settings
    }

    enum PolicyKey: Int, JSONKeys {
        case consecutiveAbsencesAlert, excusedNoticeHours, unexcusedAbsencesAllowed, windowWeeks
        static let table = makeTable()
        static let optionalKeys: [PolicyKey] = []
    }

    mutating func attendancePolicy() throws(ReadFailure) -> AttendancePolicy {
        var consecutive: Int?, notice: Int?, allowed: Int?, window: Int?
        let seen = try object(PolicyKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .consecutiveAbsencesAlert: consecutive = try r.int()
            case .excusedNoticeHours: notice = try r.int()
            case .unexcusedAbsencesAllowed: allowed = try r.int()
            case .windowWeeks: window = try r.int()
            }
        }
        guard let consecutive, let notice, let allowed, let window else { throw PolicyKey.missing(seen) }
        return AttendancePolicy(unexcusedAbsencesAllowed: allowed, windowWeeks: window, consecutiveAbsencesAlert: consecutive, excusedNoticeHours: notice)
    }

    enum PhaseKey: Int, JSONKeys {
        case id, levelOfCare, name, requiredMinutesPerWeek, requiredSessionsPerWeek, typicalWeeks
        static let table = makeTable()
        static let optionalKeys: [PhaseKey] = [.typicalWeeks]
    }

    mutating func phase() throws(ReadFailure) -> Phase {
        var id: PhaseID?, level: LevelOfCare?, name: String?, minutes: Int?, sessions: Int?, weeks: Int?
        let seen = try object(PhaseKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .id: id = try r.id()
            case .levelOfCare: level = try r.value(LevelOfCare.self)
            case .name: name = try r.string()
            case .requiredMinutesPerWeek: minutes = try r.int()
            case .requiredSessionsPerWeek: sessions = try r.int()
            case .typicalWeeks: weeks = try r.optionalInt()
            }
        }
        guard let id, let level, let name, let minutes, let sessions else { throw PhaseKey.missing(seen) }
        return Phase(id: id, name: name, levelOfCare: level, requiredSessionsPerWeek: sessions, requiredMinutesPerWeek: minutes, typicalWeeks: weeks)
    }

    enum RoomKey: Int, JSONKeys {
        case capacity, id, name
        static let table = makeTable()
        static let optionalKeys: [RoomKey] = [.capacity]
    }

    mutating func room() throws(ReadFailure) -> Room {
        var capacity: Int?, id: RoomID?, name: String?
        let seen = try object(RoomKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .capacity: capacity = try r.optionalInt()
            case .id: id = try r.id()
            case .name: name = try r.string()
            }
        }
        guard let id, let name else { throw RoomKey.missing(seen) }
        return Room(id: id, name: name, capacity: capacity)
    }

    enum StaffKey: Int, JSONKeys {
        case credentials, id, login, name, needsCoSignature, role, supervisor
        static let table = makeTable()
        static let optionalKeys: [StaffKey] = [.needsCoSignature, .supervisor]
    }

    mutating func staff() throws(ReadFailure) -> Staff {
        var credentials: String?, id: StaffID?, login: String?, name: String?, role: StaffRole?, needs: Bool?, supervisor: StaffID?
        let seen = try object(StaffKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .credentials: credentials = try r.string()
            case .id: id = try r.id()
            case .login: login = try r.string()
            case .name: name = try r.string()
            case .needsCoSignature: needs = try r.takeNull() ? nil : r.bool()
            case .role: role = try r.value(StaffRole.self)
            case .supervisor: supervisor = try r.optionalID()
            }
        }
        guard let credentials, let id, let login, let name, let role else { throw StaffKey.missing(seen) }
        return Staff(id: id, name: name, credentials: credentials, role: role, login: login,
                     supervisor: supervisor, needsCoSignature: needs ?? false)
    }

    // MARK: Series and sessions

    enum SeriesKey: Int, JSONKeys {
        case durationMinutes, endDate, facilitator, id, kind, modality, room, roster, start, startDate, title, weekdays
        static let table = makeTable()
        static let optionalKeys: [SeriesKey] = [.endDate, .facilitator, .modality, .room]
    }

    mutating func series() throws(ReadFailure) -> Series {
        var duration: Int?, endDate: LocalDate?, facilitator: StaffID?, id: SeriesID?, kind: SessionKind?, modality: Modality?
        var room: RoomID?, roster: [RosterEntry]?, start: LocalTime?, startDate: LocalDate?, title: String?, weekdays: [Weekday]?
        let seen = try object(SeriesKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .durationMinutes: duration = try r.int()
            case .endDate: endDate = try r.optionalDate()
            case .facilitator: facilitator = try r.optionalID()
            case .id: id = try r.id()
            case .kind: kind = try r.value(SessionKind.self)
            case .modality: modality = try r.optionalValue(Modality.self)
            case .room: room = try r.optionalID()
            case .roster: roster = try r.array { r throws(ReadFailure) in try r.rosterEntry() }
            case .start: start = try r.time()
            case .startDate: startDate = try r.date()
            case .title: title = try r.string()
            case .weekdays: weekdays = try r.array { r throws(ReadFailure) in try r.value(Weekday.self) }
            }
        }
        guard let duration, let id, let kind, let roster, let start, let startDate, let title, let weekdays else { throw SeriesKey.missing(seen) }
        return Series(id: id, title: title, kind: kind, modality: modality, facilitator: facilitator, room: room, weekdays: weekdays, start: start,
                      durationMinutes: duration, startDate: startDate, endDate: endDate, roster: roster)
    }

    enum RosterKey: Int, JSONKeys {
        case joined, left, patient
        static let table = makeTable()
        static let optionalKeys: [RosterKey] = [.left]
    }

    mutating func rosterEntry() throws(ReadFailure) -> RosterEntry {
        var joined: LocalDate?, left: LocalDate?, patient: PatientID?
        let seen = try object(RosterKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .joined: joined = try r.date()
            case .left: left = try r.optionalDate()
            case .patient: patient = try r.id()
            }
        }
        guard let joined, let patient else { throw RosterKey.missing(seen) }
        return RosterEntry(patient: patient, joined: joined, left: left)
    }

    enum SessionKey: Int, JSONKeys {
        case added, attendance, date, durationMinutes, facilitator, groupNote, id, kind, memberNotes, modality, occurrenceDate
        case removed, room, series, start, status, title
        static let table = makeTable()
        static let optionalKeys: [SessionKey] = [.facilitator, .groupNote, .modality, .occurrenceDate, .room, .series]
    }

    mutating func session() throws(ReadFailure) -> Session {
        var added: [PatientID]?, attendance: [AttendanceMark]?, date: LocalDate?, duration: Int?, facilitator: StaffID?
        var groupNote: GroupNote?, id: SessionID?, kind: SessionKind?, memberNotes: [MemberNote]?, modality: Modality?
        var occurrenceDate: LocalDate?, removed: [PatientID]?, room: RoomID?, series: SeriesID?, start: LocalTime?
        var status: SessionStatus?, title: String?
        let seen = try object(SessionKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .added: added = try r.array { r throws(ReadFailure) in try r.id(PatientID.self) }
            case .attendance: attendance = try r.array { r throws(ReadFailure) in try r.attendanceMark() }
            case .date: date = try r.date()
            case .durationMinutes: duration = try r.int()
            case .facilitator: facilitator = try r.optionalID()
            case .groupNote: groupNote = try r.takeNull() ? nil : r.groupNote()
            case .id: id = try r.id()
            case .kind: kind = try r.value(SessionKind.self)
            case .memberNotes: memberNotes = try r.array { r throws(ReadFailure) in try r.memberNote() }
            case .modality: modality = try r.optionalValue(Modality.self)
            case .occurrenceDate: occurrenceDate = try r.optionalDate()
            case .removed: removed = try r.array { r throws(ReadFailure) in try r.id(PatientID.self) }
            case .room: room = try r.optionalID()
            case .series: series = try r.optionalID()
            case .start: start = try r.time()
            case .status: status = try r.sessionStatus()
            case .title: title = try r.string()
            }
        }
        guard let added, let attendance, let date, let duration, let id, let kind, let memberNotes, let removed, let start, let status, let title else {
            throw SessionKey.missing(seen)
        }
        return Session(stored: id, series: series, occurrenceDate: occurrenceDate, date: date, start: start, durationMinutes: duration, title: title,
                       kind: kind, modality: modality, room: room, facilitator: facilitator, status: status, added: added, removed: removed,
                       attendance: attendance, groupNote: groupNote, memberNotes: memberNotes)
    }

    enum SessionStatusKey: Int, JSONKeys {
        case reason, state
        static let table = makeTable()
        static let optionalKeys: [SessionStatusKey] = [.reason]
    }

    mutating func sessionStatus() throws(ReadFailure) -> SessionStatus {
        var reasonAt: Int?, state: String?
        let seen = try object(SessionStatusKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .reason: reasonAt = try r.skipForLater()
            case .state: state = try r.string()
            }
        }
        guard let state else { throw SessionStatusKey.missing(seen) }
        switch state {
        case "scheduled": return .scheduled
        case "held": return .held
        case "cancelled", "didNotTakePlace":
            guard let reasonAt else { throw SessionStatusKey.missingField("reason") }
            let reason = try reread(at: reasonAt, key: "reason") { r throws(ReadFailure) in try r.string() }
            return state == "cancelled" ? .cancelled(reason: reason) : .didNotTakePlace(reason: reason)
        default:
            throw ReadFailure.field(steps: [.key("state")], detail: "unknown session state \"\(TerminalText.safe(String(state.prefix(20)), multiLine: false))\" (expected scheduled, held, cancelled or didNotTakePlace)")
        }
    }

    enum MarkKey: Int, JSONKeys {
        case minutesAttended, minutesLate, patient, reason, status
        static let table = makeTable()
        static let optionalKeys: [MarkKey] = [.minutesAttended, .minutesLate, .reason]
    }

    /// The numbers and reason are read only for the status that has them, as Foundation's decoder did.
    mutating func attendanceMark() throws(ReadFailure) -> AttendanceMark {
        var attendedAt: Int?, lateAt: Int?, patient: PatientID?, reasonAt: Int?, status: String?
        let seen = try object(MarkKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .minutesAttended: attendedAt = try r.skipForLater()
            case .minutesLate: lateAt = try r.skipForLater()
            case .patient: patient = try r.id()
            case .reason: reasonAt = try r.skipForLater()
            case .status: status = try r.string()
            }
        }
        guard let patient, let status else { throw MarkKey.missing(seen) }
        let value: AttendanceStatus
        switch status {
        case "present": value = .present
        case "absent": value = .absent
        case "late":
            guard let lateAt else { throw MarkKey.missingField("minutesLate") }
            value = .late(minutesLate: try reread(at: lateAt, key: "minutesLate") { r throws(ReadFailure) in try r.int() })
        case "leftEarly":
            guard let attendedAt else { throw MarkKey.missingField("minutesAttended") }
            value = .leftEarly(minutesAttended: try reread(at: attendedAt, key: "minutesAttended") { r throws(ReadFailure) in try r.int() })
        case "excused":
            guard let reasonAt else { throw MarkKey.missingField("reason") }
            value = .excused(reason: try reread(at: reasonAt, key: "reason") { r throws(ReadFailure) in try r.string() })
        default:
            throw ReadFailure.field(steps: [.key("status")], detail: "unknown attendance status \"\(TerminalText.safe(String(status.prefix(20)), multiLine: false))\" (expected present, late, leftEarly, excused or absent)")
        }
        return AttendanceMark(patient: patient, status: value)
    }

    // MARK: Notes

    enum GroupNoteKey: Int, JSONKeys {
        case addenda, author, modality, narrative, signature, topic, updated
        static let table = makeTable()
        static let optionalKeys: [GroupNoteKey] = [.author, .modality, .signature, .updated]
    }

    mutating func groupNote() throws(ReadFailure) -> GroupNote {
        var addenda: [Addendum]?, author: StaffID?, modality: Modality?, narrative: String?, signature: Signature?, topic: String?, updated: Timestamp?
        let seen = try object(GroupNoteKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .addenda: addenda = try r.array { r throws(ReadFailure) in try r.addendum() }
            case .author: author = try r.optionalID()
            case .modality: modality = try r.optionalValue(Modality.self)
            case .narrative: narrative = try r.string(multiLine: true)
            case .signature: signature = try r.takeNull() ? nil : r.signature()
            case .topic: topic = try r.string()
            case .updated: updated = try r.optionalTimestamp()
            }
        }
        guard let addenda, let narrative, let topic else { throw GroupNoteKey.missing(seen) }
        return GroupNote(stored: topic, modality: modality, narrative: narrative, author: author, updated: updated, signature: signature, addenda: addenda)
    }

    enum MemberNoteKey: Int, JSONKeys {
        case addenda, author, format, patient, sections, signature, updated
        static let table = makeTable()
        static let optionalKeys: [MemberNoteKey] = [.author, .signature, .updated]
    }

    mutating func memberNote() throws(ReadFailure) -> MemberNote {
        var addenda: [Addendum]?, author: StaffID?, format: NoteFormat?, patient: PatientID?, sections: [NoteSection]?
        var signature: Signature?, updated: Timestamp?
        let seen = try object(MemberNoteKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .addenda: addenda = try r.array { r throws(ReadFailure) in try r.addendum() }
            case .author: author = try r.optionalID()
            case .format: format = try r.value(NoteFormat.self)
            case .patient: patient = try r.id()
            case .sections: sections = try r.array { r throws(ReadFailure) in try r.noteSection() }
            case .signature: signature = try r.takeNull() ? nil : r.signature()
            case .updated: updated = try r.optionalTimestamp()
            }
        }
        guard let addenda, let format, let patient, let sections else { throw MemberNoteKey.missing(seen) }
        return MemberNote(stored: patient, format: format, sections: sections, author: author, updated: updated, signature: signature, addenda: addenda)
    }

    enum SectionKey: Int, JSONKeys {
        case heading, text
        static let table = makeTable()
        static let optionalKeys: [SectionKey] = []
    }

    mutating func noteSection() throws(ReadFailure) -> NoteSection {
        var heading: String?, text: StoredText?
        let seen = try object(SectionKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .heading: heading = try r.string()
            case .text: text = try r.storedText()
            }
        }
        guard let heading, let text else { throw SectionKey.missing(seen) }
        return NoteSection(heading: heading, stored: text)
    }

    enum SignatureKey: Int, JSONKeys {
        case at, by, coSignature, needsCoSignature
        static let table = makeTable()
        static let optionalKeys: [SignatureKey] = [.coSignature, .needsCoSignature]
    }

    mutating func signature() throws(ReadFailure) -> Signature {
        var at: Timestamp?, by: StaffID?, coSignature: CoSignature?, needs: Bool?
        let seen = try object(SignatureKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .at: at = try r.timestamp()
            case .by: by = try r.id()
            case .coSignature: coSignature = try r.takeNull() ? nil : r.coSignature()
            case .needsCoSignature: needs = try r.takeNull() ? nil : r.bool()
            }
        }
        guard let at, let by else { throw SignatureKey.missing(seen) }
        return Signature(by: by, at: at, needsCoSignature: needs ?? false, coSignature: coSignature)
    }

    enum CoSignatureKey: Int, JSONKeys {
        case at, by
        static let table = makeTable()
        static let optionalKeys: [CoSignatureKey] = []
    }

    mutating func coSignature() throws(ReadFailure) -> CoSignature {
        var at: Timestamp?, by: StaffID?
        let seen = try object(CoSignatureKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .at: at = try r.timestamp()
            case .by: by = try r.id()
            }
        }
        guard let at, let by else { throw CoSignatureKey.missing(seen) }
        return CoSignature(by: by, at: at)
    }

    enum AddendumKey: Int, JSONKeys {
        case at, by, text
        static let table = makeTable()
        static let optionalKeys: [AddendumKey] = []
    }

    mutating func addendum() throws(ReadFailure) -> Addendum {
        var at: Timestamp?, by: StaffID?, text: String?
        let seen = try object(AddendumKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .at: at = try r.timestamp()
            case .by: by = try r.id()
            case .text: text = try r.string(multiLine: true)
            }
        }
        guard let at, let by, let text else { throw AddendumKey.missing(seen) }
        return Addendum(by: by, at: at, text: text)
    }
}

extension JSONKeys {
    /// The failure for a key that the value of another key makes required.
    static func missingField(_ name: String) -> ReadFailure {
        .field(steps: [.key(name)], detail: "this field is required but missing")
    }
}
