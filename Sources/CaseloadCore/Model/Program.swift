import Foundation

/// The program being run: its clock, its week, its phases, rooms and rules.
public struct Program: Codable, Equatable, Sendable {
    public var name: String
    /// IANA time zone of the program (`America/Chicago`); every session time is wall-clock time here.
    public var timeZone: String
    public var firstWeekday: Weekday
    /// The hours the week view shows by default.
    public var dayStart: LocalTime
    public var dayEnd: LocalTime
    /// Treatment phases in order, from most to least intensive.
    public var phases: [Phase]
    public var rooms: [Room]
    public var attendancePolicy: AttendancePolicy
    public var defaultNoteFormat: NoteFormat
    /// The 42 CFR §2.32 notice printed on every disclosure; the program may use the full text.
    public var redisclosureNotice: String
    /// Clinical timing rules: evaluation reviews, co-signature waits, outcome measures (left out of the file when all defaults).
    public var clinical: ClinicalSettings

    public init(
        name: String, timeZone: String, firstWeekday: Weekday = .mon,
        dayStart: LocalTime, dayEnd: LocalTime, phases: [Phase], rooms: [Room],
        attendancePolicy: AttendancePolicy = .init(), defaultNoteFormat: NoteFormat = .dap,
        redisclosureNotice: String = Program.shortRedisclosureNotice, clinical: ClinicalSettings = .init()
    ) {
        self.name = name; self.timeZone = timeZone; self.firstWeekday = firstWeekday
        self.dayStart = dayStart; self.dayEnd = dayEnd; self.phases = phases; self.rooms = rooms
        self.attendancePolicy = attendancePolicy; self.defaultNoteFormat = defaultNoteFormat
        self.redisclosureNotice = redisclosureNotice; self.clinical = clinical
    }

    private enum CodingKeys: String, CodingKey {
        case name, timeZone, firstWeekday, dayStart, dayEnd, phases, rooms, attendancePolicy, defaultNoteFormat, redisclosureNotice, clinical
    }

    /// As the synthesized decoder, except that `clinical` may be missing (files from before it): the defaults then.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        timeZone = try c.decode(String.self, forKey: .timeZone)
        firstWeekday = try c.decode(Weekday.self, forKey: .firstWeekday)
        dayStart = try c.decode(LocalTime.self, forKey: .dayStart)
        dayEnd = try c.decode(LocalTime.self, forKey: .dayEnd)
        phases = try c.decode([Phase].self, forKey: .phases)
        rooms = try c.decode([Room].self, forKey: .rooms)
        attendancePolicy = try c.decode(AttendancePolicy.self, forKey: .attendancePolicy)
        defaultNoteFormat = try c.decode(NoteFormat.self, forKey: .defaultNoteFormat)
        redisclosureNotice = try c.decode(String.self, forKey: .redisclosureNotice)
        clinical = try c.decodeIfPresent(ClinicalSettings.self, forKey: .clinical) ?? ClinicalSettings()
    }

    /// As the synthesized encoder, with `clinical` left out while it holds only the defaults, so older files keep their bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(timeZone, forKey: .timeZone)
        try c.encode(firstWeekday, forKey: .firstWeekday)
        try c.encode(dayStart, forKey: .dayStart)
        try c.encode(dayEnd, forKey: .dayEnd)
        try c.encode(phases, forKey: .phases)
        try c.encode(rooms, forKey: .rooms)
        try c.encode(attendancePolicy, forKey: .attendancePolicy)
        try c.encode(defaultNoteFormat, forKey: .defaultNoteFormat)
        try c.encode(redisclosureNotice, forKey: .redisclosureNotice)
        if clinical != ClinicalSettings() { try c.encode(clinical, forKey: .clinical) }
    }

    /// The short statement of 42 CFR §2.32.
    public static let shortRedisclosureNotice = "42 CFR part 2 prohibits unauthorized use or disclosure of these records."

    public func phase(_ id: PhaseID) -> Phase? { phases.first { $0.id == id } }
    public func room(_ id: RoomID) -> Room? { rooms.first { $0.id == id } }
}

/// ASAM level of care.
public enum LevelOfCare: String, Codable, CaseIterable, Sendable {
    /// Level 1: outpatient, under 9 hours a week.
    case outpatient
    /// Level 2.1: intensive outpatient, 9–19 hours a week (6–19 for adolescents).
    case intensiveOutpatient
    /// Level 2.5: partial hospitalization, 20 hours or more.
    case partialHospitalization
    /// Continuing care after the program.
    case aftercare

    public var label: String {
        switch self {
        case .outpatient: "OP (1)"
        case .intensiveOutpatient: "IOP (2.1)"
        case .partialHospitalization: "PHP (2.5)"
        case .aftercare: "Aftercare"
        }
    }
}

/// A treatment phase with its weekly requirement (e.g. Phase I: 3 sessions, 9 hours a week, about 4 weeks).
public struct Phase: Codable, Equatable, Sendable, Identifiable {
    public var id: PhaseID
    public var name: String
    public var levelOfCare: LevelOfCare
    public var requiredSessionsPerWeek: Int
    /// Required attended minutes per week (540 = 9 hours); minutes keep the file exact.
    public var requiredMinutesPerWeek: Int
    /// How many weeks a patient typically spends in the phase; nil for open-ended (aftercare).
    public var typicalWeeks: Int?

    public init(id: PhaseID, name: String, levelOfCare: LevelOfCare, requiredSessionsPerWeek: Int, requiredMinutesPerWeek: Int, typicalWeeks: Int? = nil) {
        self.id = id; self.name = name; self.levelOfCare = levelOfCare
        self.requiredSessionsPerWeek = requiredSessionsPerWeek
        self.requiredMinutesPerWeek = requiredMinutesPerWeek; self.typicalWeeks = typicalWeeks
    }
}

/// A room sessions are held in.
public struct Room: Codable, Equatable, Sendable, Identifiable {
    public var id: RoomID
    public var name: String
    public var capacity: Int?
    public init(id: RoomID, name: String, capacity: Int? = nil) { self.id = id; self.name = name; self.capacity = capacity }
}

/// The program's attendance rules (e.g. more than 6 unexcused absences in 12 weeks; 3 in a row; 48 h notice to excuse).
public struct AttendancePolicy: Codable, Equatable, Sendable {
    public var unexcusedAbsencesAllowed: Int
    public var windowWeeks: Int
    public var consecutiveAbsencesAlert: Int
    public var excusedNoticeHours: Int

    public init(unexcusedAbsencesAllowed: Int = 6, windowWeeks: Int = 12, consecutiveAbsencesAlert: Int = 3, excusedNoticeHours: Int = 48) {
        self.unexcusedAbsencesAllowed = unexcusedAbsencesAllowed; self.windowWeeks = windowWeeks
        self.consecutiveAbsencesAlert = consecutiveAbsencesAlert; self.excusedNoticeHours = excusedNoticeHours
    }
}

/// The shape of a clinical note.
public enum NoteFormat: String, Codable, CaseIterable, Sendable {
    case dap, birp, girp, soap

    /// The section headings in order.
    public var headings: [String] {
        switch self {
        case .dap: ["Data", "Assessment", "Plan"]
        case .birp: ["Behavior", "Intervention", "Response", "Plan"]
        case .girp: ["Goal", "Intervention", "Response", "Plan"]
        case .soap: ["Subjective", "Objective", "Assessment", "Plan"]
        }
    }
    public var label: String { rawValue.uppercased() }
}

/// A staff member.
public struct Staff: Codable, Equatable, Sendable, Identifiable {
    public var id: StaffID
    public var name: String
    /// Credentials after the name ("LCSW, LCADC").
    public var credentials: String
    public var role: StaffRole
    /// The operating-system login that identifies this person at the keyboard.
    public var login: String
    /// The licensed staff member who co-signs this person's notes when `needsCoSignature` is set.
    public var supervisor: StaffID?
    /// Notes, evaluations and measures this person signs wait for the supervisor's co-signature (associate or intern credentials).
    public var needsCoSignature: Bool

    public init(id: StaffID, name: String, credentials: String, role: StaffRole, login: String,
                supervisor: StaffID? = nil, needsCoSignature: Bool = false) {
        self.id = id; self.name = name; self.credentials = credentials; self.role = role; self.login = login
        self.supervisor = supervisor; self.needsCoSignature = needsCoSignature
    }

    private enum CodingKeys: String, CodingKey { case id, name, credentials, role, login, supervisor, needsCoSignature }

    /// As the synthesized decoder, except that `supervisor` and `needsCoSignature` may be missing (files from before co-signature).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(StaffID.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        credentials = try c.decode(String.self, forKey: .credentials)
        role = try c.decode(StaffRole.self, forKey: .role)
        login = try c.decode(String.self, forKey: .login)
        supervisor = try c.decodeIfPresent(StaffID.self, forKey: .supervisor)
        needsCoSignature = try c.decodeIfPresent(Bool.self, forKey: .needsCoSignature) ?? false
    }

    /// As the synthesized encoder, with `needsCoSignature` left out when false so older files keep their bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(credentials, forKey: .credentials)
        try c.encode(role, forKey: .role)
        try c.encode(login, forKey: .login)
        try c.encodeIfPresent(supervisor, forKey: .supervisor)
        if needsCoSignature { try c.encode(true, forKey: .needsCoSignature) }
    }
    /// "Dana Reyes, LCSW".
    public var signatureName: String { credentials.isEmpty ? name : "\(name), \(credentials)" }
}

/// What a staff member does in the program.
public enum StaffRole: String, Codable, CaseIterable, Sendable {
    case clinician, facilitator, supervisor, director
}

/// Therapeutic approach of a session or an intervention.
public enum Modality: String, Codable, CaseIterable, Sendable {
    case process, psychoeducation, cbt, dbt, rebt, emdr
    case motivationalInterviewing, relapsePrevention, family, caseManagement, matrix, other

    public var label: String {
        switch self {
        case .process: "Process"
        case .psychoeducation: "Psychoeducation"
        case .cbt: "CBT"
        case .dbt: "DBT skills"
        case .rebt: "REBT"
        case .emdr: "EMDR"
        case .motivationalInterviewing: "Motivational interviewing"
        case .relapsePrevention: "Relapse prevention"
        case .family: "Family"
        case .caseManagement: "Case management"
        case .matrix: "Matrix Model"
        case .other: "Other"
        }
    }
}
