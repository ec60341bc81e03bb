import Foundation

/// A person in (or referred to) the program, with everything their record holds.
public struct Patient: Codable, Equatable, Sendable, Identifiable {
    public var id: PatientID
    /// Medical record number, unique in the program.
    public var mrn: String
    public var legalName: String
    /// What the person is called day to day; shown in lists when present.
    public var preferredName: String?
    public var pronouns: String?
    public var dateOfBirth: LocalDate?
    public var phone: String?
    public var email: String?
    public var emergencyContact: EmergencyContact?
    public var referralSource: String?
    public var primaryClinician: StaffID?
    /// Program track ("Adult evening", "Young adult").
    public var track: String?
    public var status: PatientStatus
    public var admissionDate: LocalDate?
    public var expectedDischarge: LocalDate?
    /// Level of care and phase over time, oldest first; the last entry on or before a date is in force on it.
    public var careHistory: [CareEntry]
    public var diagnoses: [Diagnosis]
    public var medications: [Medication]
    public var drugScreens: [DrugScreen]
    public var consents: [Consent]
    /// Probation, parole or drug court, when attendance is a legal condition.
    public var legal: LegalSupervision?
    public var treatmentPlan: TreatmentPlan?
    /// Disclosures made under a consent (42 CFR Part 2 accounting), oldest first; absent in the file when empty.
    public var disclosures: [Disclosure]
    /// Unexcused absences reported to the patient's officer by hand (a call, an email), oldest first; absent in the file when empty.
    public var reportedAbsences: [ReportedAbsence]
    /// Comprehensive evaluations (intake and reviews), as stored; absent in the file when empty.
    public var evaluations: [Evaluation]
    /// Scored outcome measures (PHQ-9, GAD-7, BAM…), in the order entered; absent in the file when empty.
    public var measures: [Measure]

    public init(
        id: PatientID, mrn: String, legalName: String, preferredName: String? = nil, pronouns: String? = nil,
        dateOfBirth: LocalDate? = nil, phone: String? = nil, email: String? = nil,
        emergencyContact: EmergencyContact? = nil, referralSource: String? = nil, primaryClinician: StaffID? = nil,
        track: String? = nil, status: PatientStatus = .active, admissionDate: LocalDate? = nil,
        expectedDischarge: LocalDate? = nil, careHistory: [CareEntry] = [], diagnoses: [Diagnosis] = [],
        medications: [Medication] = [], drugScreens: [DrugScreen] = [], consents: [Consent] = [],
        legal: LegalSupervision? = nil, treatmentPlan: TreatmentPlan? = nil, disclosures: [Disclosure] = [],
        reportedAbsences: [ReportedAbsence] = [], evaluations: [Evaluation] = [], measures: [Measure] = []
    ) {
        self.id = id; self.mrn = mrn; self.legalName = legalName; self.preferredName = preferredName
        self.pronouns = pronouns; self.dateOfBirth = dateOfBirth; self.phone = phone; self.email = email
        self.emergencyContact = emergencyContact; self.referralSource = referralSource
        self.primaryClinician = primaryClinician; self.track = track; self.status = status
        self.admissionDate = admissionDate; self.expectedDischarge = expectedDischarge
        self.careHistory = careHistory; self.diagnoses = diagnoses; self.medications = medications
        self.drugScreens = drugScreens; self.consents = consents; self.legal = legal; self.treatmentPlan = treatmentPlan
        self.disclosures = disclosures; self.reportedAbsences = reportedAbsences; self.evaluations = evaluations; self.measures = measures
    }

    private enum CodingKeys: String, CodingKey {
        case id, mrn, legalName, preferredName, pronouns, dateOfBirth, phone, email, emergencyContact, referralSource
        case primaryClinician, track, status, admissionDate, expectedDischarge, careHistory, diagnoses, medications
        case drugScreens, consents, legal, treatmentPlan, disclosures, reportedAbsences, evaluations, measures
    }

    /// As the synthesized decoder, except that `disclosures`, `reportedAbsences`, `evaluations` and `measures` may be missing (files written before they existed): none then.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(PatientID.self, forKey: .id)
        mrn = try c.decode(String.self, forKey: .mrn)
        legalName = try c.decode(String.self, forKey: .legalName)
        preferredName = try c.decodeIfPresent(String.self, forKey: .preferredName)
        pronouns = try c.decodeIfPresent(String.self, forKey: .pronouns)
        dateOfBirth = try c.decodeIfPresent(LocalDate.self, forKey: .dateOfBirth)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        emergencyContact = try c.decodeIfPresent(EmergencyContact.self, forKey: .emergencyContact)
        referralSource = try c.decodeIfPresent(String.self, forKey: .referralSource)
        primaryClinician = try c.decodeIfPresent(StaffID.self, forKey: .primaryClinician)
        track = try c.decodeIfPresent(String.self, forKey: .track)
        status = try c.decode(PatientStatus.self, forKey: .status)
        admissionDate = try c.decodeIfPresent(LocalDate.self, forKey: .admissionDate)
        expectedDischarge = try c.decodeIfPresent(LocalDate.self, forKey: .expectedDischarge)
        careHistory = try c.decode([CareEntry].self, forKey: .careHistory)
        diagnoses = try c.decode([Diagnosis].self, forKey: .diagnoses)
        medications = try c.decode([Medication].self, forKey: .medications)
        drugScreens = try c.decode([DrugScreen].self, forKey: .drugScreens)
        consents = try c.decode([Consent].self, forKey: .consents)
        legal = try c.decodeIfPresent(LegalSupervision.self, forKey: .legal)
        treatmentPlan = try c.decodeIfPresent(TreatmentPlan.self, forKey: .treatmentPlan)
        disclosures = try c.decodeIfPresent([Disclosure].self, forKey: .disclosures) ?? []
        reportedAbsences = try c.decodeIfPresent([ReportedAbsence].self, forKey: .reportedAbsences) ?? []
        evaluations = try c.decodeIfPresent([Evaluation].self, forKey: .evaluations) ?? []
        measures = try c.decodeIfPresent([Measure].self, forKey: .measures) ?? []
    }

    /// As the synthesized encoder (absent optionals are left out), with `disclosures`, `reportedAbsences`, `evaluations` and `measures` left out when empty so files without any keep their bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(mrn, forKey: .mrn)
        try c.encode(legalName, forKey: .legalName)
        try c.encodeIfPresent(preferredName, forKey: .preferredName)
        try c.encodeIfPresent(pronouns, forKey: .pronouns)
        try c.encodeIfPresent(dateOfBirth, forKey: .dateOfBirth)
        try c.encodeIfPresent(phone, forKey: .phone)
        try c.encodeIfPresent(email, forKey: .email)
        try c.encodeIfPresent(emergencyContact, forKey: .emergencyContact)
        try c.encodeIfPresent(referralSource, forKey: .referralSource)
        try c.encodeIfPresent(primaryClinician, forKey: .primaryClinician)
        try c.encodeIfPresent(track, forKey: .track)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(admissionDate, forKey: .admissionDate)
        try c.encodeIfPresent(expectedDischarge, forKey: .expectedDischarge)
        try c.encode(careHistory, forKey: .careHistory)
        try c.encode(diagnoses, forKey: .diagnoses)
        try c.encode(medications, forKey: .medications)
        try c.encode(drugScreens, forKey: .drugScreens)
        try c.encode(consents, forKey: .consents)
        try c.encodeIfPresent(legal, forKey: .legal)
        try c.encodeIfPresent(treatmentPlan, forKey: .treatmentPlan)
        if !disclosures.isEmpty { try c.encode(disclosures, forKey: .disclosures) }
        if !reportedAbsences.isEmpty { try c.encode(reportedAbsences, forKey: .reportedAbsences) }
        if !evaluations.isEmpty { try c.encode(evaluations, forKey: .evaluations) }
        if !measures.isEmpty { try c.encode(measures, forKey: .measures) }
    }

    /// The name to show: preferred name when there is one.
    public var displayName: String {
        if let preferred = preferredName, !preferred.trimmingCharacters(in: .whitespaces).isEmpty { return preferred }
        return legalName
    }

    /// The care entry in force on `date` (the last one dated on or before it).
    public func care(on date: LocalDate) -> CareEntry? {
        careHistory.last { $0.date <= date }
    }
}

/// Where the patient stands with the program.
public enum PatientStatus: Equatable, Sendable, Codable {
    case referred
    case waitlist
    case active
    case onHold
    case discharged(date: LocalDate, reason: DischargeReason)

    /// The state's name in the file.
    public var kind: String {
        switch self {
        case .referred: "referred"
        case .waitlist: "waitlist"
        case .active: "active"
        case .onHold: "onHold"
        case .discharged: "discharged"
        }
    }

    private enum CodingKeys: String, CodingKey { case state, date, reason }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let state = try c.decode(String.self, forKey: .state)
        switch state {
        case "referred": self = .referred
        case "waitlist": self = .waitlist
        case "active": self = .active
        case "onHold": self = .onHold
        case "discharged":
            self = .discharged(date: try c.decode(LocalDate.self, forKey: .date), reason: try c.decode(DischargeReason.self, forKey: .reason))
        default:
            throw DecodingError.dataCorruptedError(forKey: .state, in: c, debugDescription: "unknown patient state \"\(state.prefix(20))\" (expected referred, waitlist, active, onHold or discharged)")
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .state)
        if case .discharged(let date, let reason) = self {
            try c.encode(date, forKey: .date)
            try c.encode(reason, forKey: .reason)
        }
    }
}

/// Why a patient left the program.
public enum DischargeReason: String, Codable, CaseIterable, Sendable {
    case completed, againstAdvice, administrative, transferred, incarcerated, other
}

/// The level of care and phase a patient moved into on a date.
public struct CareEntry: Codable, Equatable, Sendable {
    public var date: LocalDate
    public var levelOfCare: LevelOfCare
    public var phase: PhaseID
    public var note: String?
    public init(date: LocalDate, levelOfCare: LevelOfCare, phase: PhaseID, note: String? = nil) {
        self.date = date; self.levelOfCare = levelOfCare; self.phase = phase; self.note = note
    }
}

/// Someone to call in an emergency.
public struct EmergencyContact: Codable, Equatable, Sendable {
    public var name: String
    public var relationship: String?
    public var phone: String
    public init(name: String, relationship: String? = nil, phone: String) {
        self.name = name; self.relationship = relationship; self.phone = phone
    }
}

/// An ICD-10-CM diagnosis (`F10.20` alcohol dependence, uncomplicated).
public struct Diagnosis: Codable, Equatable, Sendable {
    public var code: String
    public var description: String
    public var isPrimary: Bool
    public init(code: String, description: String, isPrimary: Bool = false) {
        self.code = code; self.description = description; self.isPrimary = isPrimary
    }

    /// ICD-10 shape: a letter (not U), a digit, a digit or letter, then optionally a dot and 1–4 letters or digits (`F10.20`, `Z71.41`, `F32A`).
    public static func isWellFormed(_ code: String) -> Bool {
        let u = Array(code.utf8)
        func letter(_ c: UInt8) -> Bool { c >= 0x41 && c <= 0x5A }
        func digit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        guard u.count >= 3, letter(u[0]), u[0] != 0x55, digit(u[1]), letter(u[2]) || digit(u[2]) else { return false }
        if u.count == 3 { return true }
        if u[3] != 0x2E { return u.count == 4 && (letter(u[3]) || digit(u[3])) }
        let rest = u[4...]
        return (1...4).contains(rest.count) && rest.allSatisfy { letter($0) || digit($0) }
    }
}

/// A medication the patient takes.
public struct Medication: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    public var name: String
    public var dose: String
    public var schedule: String
    public var prescriber: String?
    /// A DEA-scheduled (controlled) substance, flagged in the record.
    public var controlled: Bool
    public var started: LocalDate?
    public var stopped: LocalDate?
    public init(id: ItemID, name: String, dose: String, schedule: String, prescriber: String? = nil, controlled: Bool = false, started: LocalDate? = nil, stopped: LocalDate? = nil) {
        self.id = id; self.name = name; self.dose = dose; self.schedule = schedule
        self.prescriber = prescriber; self.controlled = controlled; self.started = started; self.stopped = stopped
    }
}

/// A urine or other drug screen.
public struct DrugScreen: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    public var date: LocalDate
    /// The panel used ("12-panel urine cup").
    public var panel: String
    public var results: [ScreenResult]
    /// Collection was observed.
    public var observed: Bool
    public init(id: ItemID, date: LocalDate, panel: String, results: [ScreenResult], observed: Bool) {
        self.id = id; self.date = date; self.panel = panel; self.results = results; self.observed = observed
    }
    /// True when any substance tested positive.
    public var anyPositive: Bool { results.contains { $0.result == .positive } }
}

/// One substance's result in a screen.
public struct ScreenResult: Codable, Equatable, Sendable {
    public var substance: String
    public var result: ScreenOutcome
    public init(substance: String, result: ScreenOutcome) { self.substance = substance; self.result = result }
}

/// The outcome of one test in a screen.
public enum ScreenOutcome: String, Codable, CaseIterable, Sendable {
    case negative, positive, inconclusive, prescribed
}

/// A 42 CFR Part 2 consent to disclose to a named recipient.
public struct Consent: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    /// To whom ("Officer R. Castillo, County Adult Probation").
    public var recipient: String
    public var purpose: String
    /// What may be disclosed ("attendance and drug screen results").
    public var information: String
    public var signed: LocalDate
    /// Last day the consent is valid; nil when it ends on an event instead.
    public var expires: LocalDate?
    public var expiryEvent: String?
    public var revoked: LocalDate?
    /// For court and probation consents: cannot be revoked before this date.
    public var irrevocableUntil: LocalDate?

    public init(id: ItemID, recipient: String, purpose: String, information: String, signed: LocalDate, expires: LocalDate? = nil, expiryEvent: String? = nil, revoked: LocalDate? = nil, irrevocableUntil: LocalDate? = nil) {
        self.id = id; self.recipient = recipient; self.purpose = purpose; self.information = information
        self.signed = signed; self.expires = expires; self.expiryEvent = expiryEvent; self.revoked = revoked
        self.irrevocableUntil = irrevocableUntil
    }

    /// Valid on `date`: signed by then, not expired, not revoked.
    public func isValid(on date: LocalDate) -> Bool {
        guard signed <= date else { return false }
        if let expires, date > expires { return false }
        if let revoked, revoked <= date { return false }
        return true
    }
}

/// One disclosure of the record made under a consent: who received what, covering which days (42 CFR Part 2 accounting).
public struct Disclosure: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    /// Who received it, as addressed ("Officer R. Castillo").
    public var recipient: String
    /// The day it was made.
    public var date: LocalDate
    /// First and last day the disclosed records cover.
    public var from: LocalDate
    public var to: LocalDate
    /// The consent that allowed it (an ID in the patient's `consents`).
    public var consent: ItemID
    /// What was disclosed ("attendance letter, 2026-11-02 to 2026-11-29").
    public var what: String
    /// The staff member who made and signed it.
    public var by: StaffID?

    public init(id: ItemID, recipient: String, date: LocalDate, from: LocalDate, to: LocalDate, consent: ItemID, what: String, by: StaffID? = nil) {
        self.id = id; self.recipient = recipient; self.date = date; self.from = from; self.to = to
        self.consent = consent; self.what = what; self.by = by
    }
}

/// An unexcused absence reported to the patient's officer by hand rather than by a letter Caseload made: which absence, when, by whom, and how.
public struct ReportedAbsence: Codable, Equatable, Sendable {
    /// The stored session the patient was marked absent (unexcused) at.
    public var session: SessionID
    /// The day of the absence (the session's date).
    public var date: LocalDate
    /// The day it was reported.
    public var reportedOn: LocalDate
    /// The staff member who reported it.
    public var by: StaffID?
    /// How and to whom it was reported ("phoned Officer Castillo, left a voicemail"); non-blank.
    public var note: String

    public init(session: SessionID, date: LocalDate, reportedOn: LocalDate, by: StaffID? = nil, note: String) {
        self.session = session; self.date = date; self.reportedOn = reportedOn; self.by = by; self.note = note
    }
}

/// Probation, parole or drug-court supervision.
public struct LegalSupervision: Codable, Equatable, Sendable {
    public var kind: SupervisionKind
    public var officer: String
    public var contact: String
    /// How often the program reports ("weekly", "monthly").
    public var reportingFrequency: String
    /// Court-mandated treatment minutes in total, if any.
    public var mandatedMinutes: Int?
    public var caseNumber: String?
    public init(kind: SupervisionKind, officer: String, contact: String, reportingFrequency: String, mandatedMinutes: Int? = nil, caseNumber: String? = nil) {
        self.kind = kind; self.officer = officer; self.contact = contact
        self.reportingFrequency = reportingFrequency; self.mandatedMinutes = mandatedMinutes; self.caseNumber = caseNumber
    }
}

/// Who supervises the patient outside the program.
public enum SupervisionKind: String, Codable, CaseIterable, Sendable {
    case probation, parole, drugCourt
}

/// The treatment plan: problems → goals → objectives → interventions.
public struct TreatmentPlan: Codable, Equatable, Sendable {
    public var created: LocalDate
    public var reviewDate: LocalDate
    public var problems: [PlanProblem]
    public init(created: LocalDate, reviewDate: LocalDate, problems: [PlanProblem]) {
        self.created = created; self.reviewDate = reviewDate; self.problems = problems
    }
}

/// A problem the plan addresses.
public struct PlanProblem: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    public var statement: String
    public var goals: [PlanGoal]
    public init(id: ItemID, statement: String, goals: [PlanGoal]) { self.id = id; self.statement = statement; self.goals = goals }
}

/// A goal for a problem.
public struct PlanGoal: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    public var statement: String
    public var objectives: [PlanObjective]
    public init(id: ItemID, statement: String, objectives: [PlanObjective]) { self.id = id; self.statement = statement; self.objectives = objectives }
}

/// A measurable objective toward a goal.
public struct PlanObjective: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    public var statement: String
    public var targetDate: LocalDate
    public var achieved: LocalDate?
    public var interventions: [PlanIntervention]
    public init(id: ItemID, statement: String, targetDate: LocalDate, achieved: LocalDate? = nil, interventions: [PlanIntervention]) {
        self.id = id; self.statement = statement; self.targetDate = targetDate; self.achieved = achieved; self.interventions = interventions
    }
}

/// What staff will do for an objective, with which modality.
public struct PlanIntervention: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    public var description: String
    public var modality: Modality
    public var frequency: String?
    public var responsible: StaffID?
    public init(id: ItemID, description: String, modality: Modality, frequency: String? = nil, responsible: StaffID? = nil) {
        self.id = id; self.description = description; self.modality = modality; self.frequency = frequency; self.responsible = responsible
    }
}
