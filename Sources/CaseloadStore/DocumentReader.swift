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
    var textNeedsCheck: Bool
}

/// Reads a document file's bytes straight into the model, with the current schema's shapes.
enum DocumentReader {
    enum Top: Int, JSONKeys {
        case format, patients, program, schemaVersion, series, sessions, staff
        static let table = makeTable()
        static let optionalKeys: [Top] = []
    }

    /// Reads a whole file. Throws the first failure in the file's order; the caller decides what to report (a broken
    /// envelope, say, counts before a field of the wrong type).
    static func read(_ base: UnsafePointer<UInt8>, count: Int) throws(ReadFailure) -> ReadOutcome {
        var r = JSONReader(base, count: count)
        r.skipSpace()
        var format: String?
        var version: Int?
        var program: Program?, staff: [Staff]?, patients: [Patient]?, series: [Series]?, sessions: [Session]?
        var programRange = 0..<0
        var staffRanges: [Range<Int>] = [], patientRanges: [Range<Int>] = [], seriesRanges: [Range<Int>] = [], sessionRanges: [Range<Int>] = []
        let seen = try r.object(Top.self) { r, key throws(ReadFailure) in
            switch key {
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
        var outcome = ReadOutcome(format: format, version: version, document: nil, ranges: nil, textNeedsCheck: r.textNeedsCheck)
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
        case attendancePolicy, dayEnd, dayStart, defaultNoteFormat, firstWeekday, name, phases, redisclosureNotice, rooms, timeZone
        static let table = makeTable()
        static let optionalKeys: [ProgramKey] = []
    }

    mutating func program() throws(ReadFailure) -> Program {
        var policy: AttendancePolicy?, dayEnd: LocalTime?, dayStart: LocalTime?, noteFormat: NoteFormat?, firstWeekday: Weekday?
        var name: String?, phases: [Phase]?, notice: String?, rooms: [Room]?, timeZone: String?
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
            }
        }
        guard let policy, let dayEnd, let dayStart, let noteFormat, let firstWeekday, let name, let phases, let notice, let rooms, let timeZone else {
            throw ProgramKey.missing(seen)
        }
        return Program(name: name, timeZone: timeZone, firstWeekday: firstWeekday, dayStart: dayStart, dayEnd: dayEnd, phases: phases, rooms: rooms,
                       attendancePolicy: policy, defaultNoteFormat: noteFormat, redisclosureNotice: notice)
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
        case credentials, id, login, name, role
        static let table = makeTable()
        static let optionalKeys: [StaffKey] = []
    }

    mutating func staff() throws(ReadFailure) -> Staff {
        var credentials: String?, id: StaffID?, login: String?, name: String?, role: StaffRole?
        let seen = try object(StaffKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .credentials: credentials = try r.string()
            case .id: id = try r.id()
            case .login: login = try r.string()
            case .name: name = try r.string()
            case .role: role = try r.value(StaffRole.self)
            }
        }
        guard let credentials, let id, let login, let name, let role else { throw StaffKey.missing(seen) }
        return Staff(id: id, name: name, credentials: credentials, role: role, login: login)
    }

    // MARK: Patients

    enum PatientKey: Int, JSONKeys {
        case admissionDate, careHistory, consents, dateOfBirth, diagnoses, disclosures, drugScreens, email, emergencyContact
        case expectedDischarge, id, legal, legalName, medications, mrn, phone, preferredName, primaryClinician, pronouns
        case referralSource, reportedAbsences, status, track, treatmentPlan
        static let table = makeTable()
        static let optionalKeys: [PatientKey] = [.admissionDate, .dateOfBirth, .disclosures, .email, .emergencyContact, .expectedDischarge,
                                                 .legal, .phone, .preferredName, .primaryClinician, .pronouns, .referralSource,
                                                 .reportedAbsences, .track, .treatmentPlan]
    }

    mutating func patient() throws(ReadFailure) -> Patient {
        var admissionDate: LocalDate?, careHistory: [CareEntry]?, consents: [Consent]?, dateOfBirth: LocalDate?
        var diagnoses: [Diagnosis]?, disclosures: [Disclosure]?, drugScreens: [DrugScreen]?, email: String?
        var emergencyContact: EmergencyContact?, expectedDischarge: LocalDate?, id: PatientID?, legal: LegalSupervision?
        var legalName: String?, medications: [Medication]?, mrn: String?, phone: String?, preferredName: String?
        var primaryClinician: StaffID?, pronouns: String?, referralSource: String?, reportedAbsences: [ReportedAbsence]?
        var status: PatientStatus?, track: String?, treatmentPlan: TreatmentPlan?
        let seen = try object(PatientKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .admissionDate: admissionDate = try r.optionalDate()
            case .careHistory: careHistory = try r.array { r throws(ReadFailure) in try r.careEntry() }
            case .consents: consents = try r.array { r throws(ReadFailure) in try r.consent() }
            case .dateOfBirth: dateOfBirth = try r.optionalDate()
            case .diagnoses: diagnoses = try r.array { r throws(ReadFailure) in try r.diagnosis() }
            case .disclosures: disclosures = try r.optionalArray { r throws(ReadFailure) in try r.disclosure() }
            case .drugScreens: drugScreens = try r.array { r throws(ReadFailure) in try r.drugScreen() }
            case .email: email = try r.optionalString()
            case .emergencyContact: emergencyContact = try r.takeNull() ? nil : r.emergencyContact()
            case .expectedDischarge: expectedDischarge = try r.optionalDate()
            case .id: id = try r.id()
            case .legal: legal = try r.takeNull() ? nil : r.legalSupervision()
            case .legalName: legalName = try r.string()
            case .medications: medications = try r.array { r throws(ReadFailure) in try r.medication() }
            case .mrn: mrn = try r.string()
            case .phone: phone = try r.optionalString()
            case .preferredName: preferredName = try r.optionalString()
            case .primaryClinician: primaryClinician = try r.optionalID()
            case .pronouns: pronouns = try r.optionalString()
            case .referralSource: referralSource = try r.optionalString()
            case .reportedAbsences: reportedAbsences = try r.optionalArray { r throws(ReadFailure) in try r.reportedAbsence() }
            case .status: status = try r.patientStatus()
            case .track: track = try r.optionalString()
            case .treatmentPlan: treatmentPlan = try r.takeNull() ? nil : r.treatmentPlan()
            }
        }
        guard let careHistory, let consents, let diagnoses, let drugScreens, let id, let legalName, let medications, let mrn, let status else {
            throw PatientKey.missing(seen)
        }
        return Patient(id: id, mrn: mrn, legalName: legalName, preferredName: preferredName, pronouns: pronouns, dateOfBirth: dateOfBirth,
                       phone: phone, email: email, emergencyContact: emergencyContact, referralSource: referralSource,
                       primaryClinician: primaryClinician, track: track, status: status, admissionDate: admissionDate,
                       expectedDischarge: expectedDischarge, careHistory: careHistory, diagnoses: diagnoses, medications: medications,
                       drugScreens: drugScreens, consents: consents, legal: legal, treatmentPlan: treatmentPlan,
                       disclosures: disclosures ?? [], reportedAbsences: reportedAbsences ?? [])
    }

    enum StatusKey: Int, JSONKeys {
        case date, reason, state
        static let table = makeTable()
        static let optionalKeys: [StatusKey] = [.date, .reason]
    }

    /// `date` and `reason` are read only for a discharge, as Foundation's decoder did: they come before `state` in the file.
    mutating func patientStatus() throws(ReadFailure) -> PatientStatus {
        var dateAt: Int?, reasonAt: Int?, state: String?
        let seen = try object(StatusKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .date: dateAt = try r.skipForLater()
            case .reason: reasonAt = try r.skipForLater()
            case .state: state = try r.string()
            }
        }
        guard let state else { throw StatusKey.missing(seen) }
        switch state {
        case "referred": return .referred
        case "waitlist": return .waitlist
        case "active": return .active
        case "onHold": return .onHold
        case "discharged":
            guard let dateAt else { throw StatusKey.missingField("date") }
            let date = try reread(at: dateAt, key: "date") { r throws(ReadFailure) in try r.date() }
            guard let reasonAt else { throw StatusKey.missingField("reason") }
            let reason = try reread(at: reasonAt, key: "reason") { r throws(ReadFailure) in try r.value(DischargeReason.self) }
            return .discharged(date: date, reason: reason)
        default:
            throw ReadFailure.field(steps: [.key("state")], detail: "unknown patient state \"\(TerminalText.safe(String(state.prefix(20)), multiLine: false))\" (expected referred, waitlist, active, onHold or discharged)")
        }
    }

    enum CareKey: Int, JSONKeys {
        case date, levelOfCare, note, phase
        static let table = makeTable()
        static let optionalKeys: [CareKey] = [.note]
    }

    mutating func careEntry() throws(ReadFailure) -> CareEntry {
        var date: LocalDate?, level: LevelOfCare?, note: String?, phase: PhaseID?
        let seen = try object(CareKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .date: date = try r.date()
            case .levelOfCare: level = try r.value(LevelOfCare.self)
            case .note: note = try r.optionalString(multiLine: true)
            case .phase: phase = try r.id()
            }
        }
        guard let date, let level, let phase else { throw CareKey.missing(seen) }
        return CareEntry(date: date, levelOfCare: level, phase: phase, note: note)
    }

    enum ContactKey: Int, JSONKeys {
        case name, phone, relationship
        static let table = makeTable()
        static let optionalKeys: [ContactKey] = [.relationship]
    }

    mutating func emergencyContact() throws(ReadFailure) -> EmergencyContact {
        var name: String?, phone: String?, relationship: String?
        let seen = try object(ContactKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .name: name = try r.string()
            case .phone: phone = try r.string()
            case .relationship: relationship = try r.optionalString()
            }
        }
        guard let name, let phone else { throw ContactKey.missing(seen) }
        return EmergencyContact(name: name, relationship: relationship, phone: phone)
    }

    enum DiagnosisKey: Int, JSONKeys {
        case code, description, isPrimary
        static let table = makeTable()
        static let optionalKeys: [DiagnosisKey] = []
    }

    mutating func diagnosis() throws(ReadFailure) -> Diagnosis {
        var code: String?, description: String?, isPrimary: Bool?
        let seen = try object(DiagnosisKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .code: code = try r.string()
            case .description: description = try r.string()
            case .isPrimary: isPrimary = try r.bool()
            }
        }
        guard let code, let description, let isPrimary else { throw DiagnosisKey.missing(seen) }
        return Diagnosis(code: code, description: description, isPrimary: isPrimary)
    }

    enum MedicationKey: Int, JSONKeys {
        case controlled, dose, id, name, prescriber, schedule, started, stopped
        static let table = makeTable()
        static let optionalKeys: [MedicationKey] = [.prescriber, .started, .stopped]
    }

    mutating func medication() throws(ReadFailure) -> Medication {
        var controlled: Bool?, dose: String?, id: ItemID?, name: String?, prescriber: String?, schedule: String?
        var started: LocalDate?, stopped: LocalDate?
        let seen = try object(MedicationKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .controlled: controlled = try r.bool()
            case .dose: dose = try r.string()
            case .id: id = try r.id()
            case .name: name = try r.string()
            case .prescriber: prescriber = try r.optionalString()
            case .schedule: schedule = try r.string()
            case .started: started = try r.optionalDate()
            case .stopped: stopped = try r.optionalDate()
            }
        }
        guard let controlled, let dose, let id, let name, let schedule else { throw MedicationKey.missing(seen) }
        return Medication(id: id, name: name, dose: dose, schedule: schedule, prescriber: prescriber, controlled: controlled, started: started, stopped: stopped)
    }

    enum ScreenKey: Int, JSONKeys {
        case date, id, observed, panel, results
        static let table = makeTable()
        static let optionalKeys: [ScreenKey] = []
    }

    mutating func drugScreen() throws(ReadFailure) -> DrugScreen {
        var date: LocalDate?, id: ItemID?, observed: Bool?, panel: String?, results: [ScreenResult]?
        let seen = try object(ScreenKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .date: date = try r.date()
            case .id: id = try r.id()
            case .observed: observed = try r.bool()
            case .panel: panel = try r.string()
            case .results: results = try r.array { r throws(ReadFailure) in try r.screenResult() }
            }
        }
        guard let date, let id, let observed, let panel, let results else { throw ScreenKey.missing(seen) }
        return DrugScreen(id: id, date: date, panel: panel, results: results, observed: observed)
    }

    enum ResultKey: Int, JSONKeys {
        case result, substance
        static let table = makeTable()
        static let optionalKeys: [ResultKey] = []
    }

    mutating func screenResult() throws(ReadFailure) -> ScreenResult {
        var result: ScreenOutcome?, substance: String?
        let seen = try object(ResultKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .result: result = try r.value(ScreenOutcome.self)
            case .substance: substance = try r.string()
            }
        }
        guard let result, let substance else { throw ResultKey.missing(seen) }
        return ScreenResult(substance: substance, result: result)
    }

    enum ConsentKey: Int, JSONKeys {
        case expires, expiryEvent, id, information, irrevocableUntil, purpose, recipient, revoked, signed
        static let table = makeTable()
        static let optionalKeys: [ConsentKey] = [.expires, .expiryEvent, .irrevocableUntil, .revoked]
    }

    mutating func consent() throws(ReadFailure) -> Consent {
        var expires: LocalDate?, expiryEvent: String?, id: ItemID?, information: String?, irrevocableUntil: LocalDate?
        var purpose: String?, recipient: String?, revoked: LocalDate?, signed: LocalDate?
        let seen = try object(ConsentKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .expires: expires = try r.optionalDate()
            case .expiryEvent: expiryEvent = try r.optionalString()
            case .id: id = try r.id()
            case .information: information = try r.string()
            case .irrevocableUntil: irrevocableUntil = try r.optionalDate()
            case .purpose: purpose = try r.string()
            case .recipient: recipient = try r.string()
            case .revoked: revoked = try r.optionalDate()
            case .signed: signed = try r.date()
            }
        }
        guard let id, let information, let purpose, let recipient, let signed else { throw ConsentKey.missing(seen) }
        return Consent(id: id, recipient: recipient, purpose: purpose, information: information, signed: signed, expires: expires,
                       expiryEvent: expiryEvent, revoked: revoked, irrevocableUntil: irrevocableUntil)
    }

    enum DisclosureKey: Int, JSONKeys {
        case by, consent, date, from, id, recipient, to, what
        static let table = makeTable()
        static let optionalKeys: [DisclosureKey] = [.by]
    }

    mutating func disclosure() throws(ReadFailure) -> Disclosure {
        var by: StaffID?, consent: ItemID?, date: LocalDate?, from: LocalDate?, id: ItemID?, recipient: String?, to: LocalDate?, what: String?
        let seen = try object(DisclosureKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .by: by = try r.optionalID()
            case .consent: consent = try r.id()
            case .date: date = try r.date()
            case .from: from = try r.date()
            case .id: id = try r.id()
            case .recipient: recipient = try r.string()
            case .to: to = try r.date()
            case .what: what = try r.string()
            }
        }
        guard let consent, let date, let from, let id, let recipient, let to, let what else { throw DisclosureKey.missing(seen) }
        return Disclosure(id: id, recipient: recipient, date: date, from: from, to: to, consent: consent, what: what, by: by)
    }

    enum AbsenceKey: Int, JSONKeys {
        case by, date, note, reportedOn, session
        static let table = makeTable()
        static let optionalKeys: [AbsenceKey] = [.by]
    }

    mutating func reportedAbsence() throws(ReadFailure) -> ReportedAbsence {
        var by: StaffID?, date: LocalDate?, note: String?, reportedOn: LocalDate?, session: SessionID?
        let seen = try object(AbsenceKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .by: by = try r.optionalID()
            case .date: date = try r.date()
            case .note: note = try r.string(multiLine: true)
            case .reportedOn: reportedOn = try r.date()
            case .session: session = try r.id()
            }
        }
        guard let date, let note, let reportedOn, let session else { throw AbsenceKey.missing(seen) }
        return ReportedAbsence(session: session, date: date, reportedOn: reportedOn, by: by, note: note)
    }

    enum LegalKey: Int, JSONKeys {
        case caseNumber, contact, kind, mandatedMinutes, officer, reportingFrequency
        static let table = makeTable()
        static let optionalKeys: [LegalKey] = [.caseNumber, .mandatedMinutes]
    }

    mutating func legalSupervision() throws(ReadFailure) -> LegalSupervision {
        var caseNumber: String?, contact: String?, kind: SupervisionKind?, mandated: Int?, officer: String?, frequency: String?
        let seen = try object(LegalKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .caseNumber: caseNumber = try r.optionalString()
            case .contact: contact = try r.string()
            case .kind: kind = try r.value(SupervisionKind.self)
            case .mandatedMinutes: mandated = try r.optionalInt()
            case .officer: officer = try r.string()
            case .reportingFrequency: frequency = try r.string()
            }
        }
        guard let contact, let kind, let officer, let frequency else { throw LegalKey.missing(seen) }
        return LegalSupervision(kind: kind, officer: officer, contact: contact, reportingFrequency: frequency, mandatedMinutes: mandated, caseNumber: caseNumber)
    }

    enum PlanKey: Int, JSONKeys {
        case created, problems, reviewDate
        static let table = makeTable()
        static let optionalKeys: [PlanKey] = []
    }

    mutating func treatmentPlan() throws(ReadFailure) -> TreatmentPlan {
        var created: LocalDate?, problems: [PlanProblem]?, reviewDate: LocalDate?
        let seen = try object(PlanKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .created: created = try r.date()
            case .problems: problems = try r.array { r throws(ReadFailure) in try r.planProblem() }
            case .reviewDate: reviewDate = try r.date()
            }
        }
        guard let created, let problems, let reviewDate else { throw PlanKey.missing(seen) }
        return TreatmentPlan(created: created, reviewDate: reviewDate, problems: problems)
    }

    enum ProblemKey: Int, JSONKeys {
        case goals, id, statement
        static let table = makeTable()
        static let optionalKeys: [ProblemKey] = []
    }

    mutating func planProblem() throws(ReadFailure) -> PlanProblem {
        var goals: [PlanGoal]?, id: ItemID?, statement: String?
        let seen = try object(ProblemKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .goals: goals = try r.array { r throws(ReadFailure) in try r.planGoal() }
            case .id: id = try r.id()
            case .statement: statement = try r.string(multiLine: true)
            }
        }
        guard let goals, let id, let statement else { throw ProblemKey.missing(seen) }
        return PlanProblem(id: id, statement: statement, goals: goals)
    }

    enum GoalKey: Int, JSONKeys {
        case id, objectives, statement
        static let table = makeTable()
        static let optionalKeys: [GoalKey] = []
    }

    mutating func planGoal() throws(ReadFailure) -> PlanGoal {
        var id: ItemID?, objectives: [PlanObjective]?, statement: String?
        let seen = try object(GoalKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .id: id = try r.id()
            case .objectives: objectives = try r.array { r throws(ReadFailure) in try r.planObjective() }
            case .statement: statement = try r.string(multiLine: true)
            }
        }
        guard let id, let objectives, let statement else { throw GoalKey.missing(seen) }
        return PlanGoal(id: id, statement: statement, objectives: objectives)
    }

    enum ObjectiveKey: Int, JSONKeys {
        case achieved, id, interventions, statement, targetDate
        static let table = makeTable()
        static let optionalKeys: [ObjectiveKey] = [.achieved]
    }

    mutating func planObjective() throws(ReadFailure) -> PlanObjective {
        var achieved: LocalDate?, id: ItemID?, interventions: [PlanIntervention]?, statement: String?, targetDate: LocalDate?
        let seen = try object(ObjectiveKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .achieved: achieved = try r.optionalDate()
            case .id: id = try r.id()
            case .interventions: interventions = try r.array { r throws(ReadFailure) in try r.planIntervention() }
            case .statement: statement = try r.string(multiLine: true)
            case .targetDate: targetDate = try r.date()
            }
        }
        guard let id, let interventions, let statement, let targetDate else { throw ObjectiveKey.missing(seen) }
        return PlanObjective(id: id, statement: statement, targetDate: targetDate, achieved: achieved, interventions: interventions)
    }

    enum InterventionKey: Int, JSONKeys {
        case description, frequency, id, modality, responsible
        static let table = makeTable()
        static let optionalKeys: [InterventionKey] = [.frequency, .responsible]
    }

    mutating func planIntervention() throws(ReadFailure) -> PlanIntervention {
        var description: String?, frequency: String?, id: ItemID?, modality: Modality?, responsible: StaffID?
        let seen = try object(InterventionKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .description: description = try r.string()
            case .frequency: frequency = try r.optionalString()
            case .id: id = try r.id()
            case .modality: modality = try r.value(Modality.self)
            case .responsible: responsible = try r.optionalID()
            }
        }
        guard let description, let id, let modality else { throw InterventionKey.missing(seen) }
        return PlanIntervention(id: id, description: description, modality: modality, frequency: frequency, responsible: responsible)
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
        var heading: String?, text: String?
        let seen = try object(SectionKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .heading: heading = try r.string()
            case .text: text = try r.string(multiLine: true)
            }
        }
        guard let heading, let text else { throw SectionKey.missing(seen) }
        return NoteSection(heading: heading, text: text)
    }

    enum SignatureKey: Int, JSONKeys {
        case at, by
        static let table = makeTable()
        static let optionalKeys: [SignatureKey] = []
    }

    mutating func signature() throws(ReadFailure) -> Signature {
        var at: Timestamp?, by: StaffID?
        let seen = try object(SignatureKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .at: at = try r.timestamp()
            case .by: by = try r.id()
            }
        }
        guard let at, let by else { throw SignatureKey.missing(seen) }
        return Signature(by: by, at: at)
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
