import CaseloadCore

/// A patient's record read straight into the model (see `DocumentReader`).
extension JSONReader {
    // MARK: Patients

    enum PatientKey: Int, JSONKeys {
        case admissionDate, careHistory, consents, dateOfBirth, diagnoses, disclosures, drugScreens, email, emergencyContact
        case evaluations, expectedDischarge, id, legal, legalName, measures, medications, mrn, phone, preferredName, primaryClinician, pronouns
        case referralSource, reportedAbsences, status, track, treatmentPlan
        static let table = makeTable()
        static let optionalKeys: [PatientKey] = [.admissionDate, .dateOfBirth, .disclosures, .email, .emergencyContact, .evaluations, .expectedDischarge,
                                                 .legal, .measures, .phone, .preferredName, .primaryClinician, .pronouns, .referralSource,
                                                 .reportedAbsences, .track, .treatmentPlan]
    }

    mutating func patient() throws(ReadFailure) -> Patient {
        var admissionDate: LocalDate?, careHistory: [CareEntry]?, consents: [Consent]?, dateOfBirth: LocalDate?
        var diagnoses: [Diagnosis]?, disclosures: [Disclosure]?, drugScreens: [DrugScreen]?, email: String?
        var emergencyContact: EmergencyContact?, expectedDischarge: LocalDate?, id: PatientID?, legal: LegalSupervision?
        var legalName: String?, measures: [Measure]?, medications: [Medication]?, mrn: String?, phone: String?, preferredName: String?
        var primaryClinician: StaffID?, pronouns: String?, referralSource: String?, reportedAbsences: [ReportedAbsence]?
        var status: PatientStatus?, track: String?, treatmentPlan: TreatmentPlan?, evaluations: [Evaluation]?
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
            case .evaluations: evaluations = try r.optionalArray { r throws(ReadFailure) in try r.evaluation() }
            case .expectedDischarge: expectedDischarge = try r.optionalDate()
            case .id: id = try r.id()
            case .legal: legal = try r.takeNull() ? nil : r.legalSupervision()
            case .legalName: legalName = try r.string()
            case .measures: measures = try r.optionalArray { r throws(ReadFailure) in try r.measure() }
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
                       disclosures: disclosures ?? [], reportedAbsences: reportedAbsences ?? [], evaluations: evaluations ?? [], measures: measures ?? [])
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
}
