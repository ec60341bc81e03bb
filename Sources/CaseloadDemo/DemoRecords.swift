import CaseloadCore

/// Writes a patient's record (contact details, diagnoses, medications, screens, consents, legal, plan) from their plan.
enum DemoRecords {
    /// A special case for one consent, so the demo shows each state the alerts care about.
    enum ConsentCase: Sendable { case normal, expiringSoon, revokedAndReplaced }

    /// Hands out item IDs unique within the document (`med_0012_03`).
    struct Items {
        let patient: Int
        var count = 0
        mutating func next(_ prefix: String) -> ItemID {
            count += 1
            return ItemID(prefix + "_" + DemoText.pad(patient, 4) + "_" + DemoText.pad(count, 3))
        }
    }

    static func patient(_ plan: PatientPlan, program: Program, today: Int, consentCase: ConsentCase, usedEmails: inout Set<String>, rng: inout SeededGenerator) -> Patient {
        var items = Items(patient: plan.number)
        let person = plan.person
        let mrn = "RV-" + String(10_000 + plan.number * 7 + rng.below(7))
        let pronouns: String
        switch person.gender {
        case .female: pronouns = "she/her"
        case .male: pronouns = "he/him"
        case .nonbinary: pronouns = "they/them"
        }
        var email: String? = nil
        if rng.chance(860) {
            var candidate = person.emailStem + "@example.org"
            var suffix = 2
            while usedEmails.contains(candidate) {
                candidate = person.emailStem + String(suffix) + "@example.org"
                suffix += 1
            }
            usedEmails.insert(candidate)
            email = candidate
        }
        var contact: EmergencyContact? = nil
        if rng.chance(900) {
            let relationship = rng.pick(DemoClinical.relationships)
            contact = EmergencyContact(name: DemoNames.contactName(for: person, relationship: relationship, using: &rng),
                                       relationship: relationship, phone: DemoClinical.phone(using: &rng))
        }
        let admitted = plan.admission
        let careHistory = plan.segments.map { seg in
            CareEntry(date: LocalDate(dayNumber: seg.start), levelOfCare: program.phases[seg.phase].levelOfCare,
                      phase: program.phases[seg.phase].id, note: seg.note)
        }
        let track: String? = admitted == nil && plan.status == .referred ? nil : trackName(plan, today: today)
        // Expected discharge: the end of the phases plus about three months of aftercare, never already past for someone in care.
        let expected = admitted.map { LocalDate(dayNumber: max($0 + 29 * 7, today + rng.int(14...90))) }
        let substance = DemoClinical.substances[plan.substance]
        var diagnoses: [Diagnosis] = []
        if plan.status != .referred {
            diagnoses.append(Diagnosis(code: substance.code, description: substance.description, isPrimary: true))
            if rng.chance(280) {
                let extra = rng.pick(DemoClinical.secondary)
                if extra.code.prefix(3) != substance.code.prefix(3) { diagnoses.append(extra) }
            }
            diagnoses += plan.conditions.map(\.diagnosis)
        }
        let medications = admitted.map { medicationList(plan, admission: $0, today: today, diagnoses: diagnoses, items: &items, rng: &rng) } ?? []
        let screens = admitted.map { screenList(plan, admission: $0, today: today, medications: medications, items: &items, rng: &rng) } ?? []
        var consents: [Consent] = []
        var legal: LegalSupervision? = nil
        if let officerIndex = plan.officer {
            let signed = admitted ?? (today - rng.int(3...20))
            let result = legalConsents(plan, officer: officerIndex, signed: signed, today: today, consentCase: consentCase, items: &items, rng: &rng)
            consents += result.consents
            legal = result.legal
        }
        if let admission = admitted {
            if let contact, rng.chance(420) {
                consents.append(Consent(id: items.next("con"), recipient: "\(contact.name) (\(contact.relationship ?? "contact"))",
                                        purpose: "Coordinate care and share attendance in an emergency",
                                        information: "Attendance and general progress; no drug screen results",
                                        signed: LocalDate(dayNumber: admission), expiryEvent: "Discharge from the program"))
            }
            if rng.chance(300) {
                let revoked = rng.chance(60) ? LocalDate(dayNumber: min(today - 1, admission + rng.int(20...60))) : nil
                consents.append(Consent(id: items.next("con"), recipient: "Dr. L. Brennan (primary care)",
                                        purpose: "Coordination of medical care",
                                        information: "Diagnoses, medications and drug screen results",
                                        signed: LocalDate(dayNumber: admission), expires: LocalDate(dayNumber: admission + 365),
                                        revoked: revoked.flatMap { $0.dayNumber >= admission ? $0 : nil }))
            }
        }
        let treatment = admitted.map { treatmentPlan(plan, admission: $0, today: today, legal: legal, items: &items, rng: &rng) }
        return Patient(
            id: plan.id, mrn: mrn, legalName: person.legalName, preferredName: person.preferredName, pronouns: pronouns,
            dateOfBirth: plan.birth, phone: DemoClinical.phone(using: &rng), email: email, emergencyContact: contact,
            referralSource: plan.referralSource, primaryClinician: plan.status == .referred ? nil : DemoSchedule.allStaff[plan.clinician].id,
            track: track, status: plan.status, admissionDate: admitted.map { LocalDate(dayNumber: $0) },
            expectedDischarge: plan.status == .active ? expected : nil, careHistory: careHistory, diagnoses: diagnoses,
            medications: medications, drugScreens: screens, consents: consents, legal: legal, treatmentPlan: treatment
        )
    }

    static func trackName(_ plan: PatientPlan, today: Int) -> String {
        let young = plan.ageInYears(on: plan.admission ?? today) <= 26
        switch (plan.track, young) {
        case (.evening, false): return "Adult evening"
        case (.daytime, false): return "Adult daytime"
        case (.evening, true): return "Young adult evening"
        case (.daytime, true): return "Young adult daytime"
        }
    }

    // MARK: Medications

    static func medicationList(_ plan: PatientPlan, admission: Int, today: Int, diagnoses: [Diagnosis], items: inout Items, rng: inout SeededGenerator) -> [Medication] {
        var chosen: [DemoClinical.MedicationTemplate] = []
        func add(_ m: DemoClinical.MedicationTemplate) { if !chosen.contains(where: { $0.name == m.name }) { chosen.append(m) } }
        switch DemoClinical.substances[plan.substance].code {
        case "F11.20":
            let roll = rng.below(100)
            if roll < 60 { add(DemoClinical.buprenorphine) } else if roll < 75 { add(DemoClinical.naltrexoneXR) } else if roll < 85 { add(DemoClinical.methadone) }
        case "F10.20":
            let roll = rng.below(100)
            if roll < 40 { add(DemoClinical.naltrexone) } else if roll < 55 { add(DemoClinical.acamprosate) }
        case "F15.20", "F14.20":
            if rng.chance(300) { add(DemoClinical.bupropion) } else if rng.chance(200) { add(DemoClinical.mirtazapine) }
        default: break
        }
        for condition in plan.conditions {
            switch condition {
            case .anxiety:
                let roll = rng.below(100)
                if roll < 45 { add(DemoClinical.sertraline) } else if roll < 70 { add(DemoClinical.hydroxyzine) } else if roll < 82 { add(DemoClinical.clonazepam) }
            case .depression, .recurrentDepression:
                add(rng.pick([DemoClinical.sertraline, DemoClinical.escitalopram, DemoClinical.bupropion]))
            case .ptsd:
                add(DemoClinical.prazosin)
                if rng.chance(500) { add(DemoClinical.sertraline) }
            default: break
            }
        }
        if rng.chance(150) { add(DemoClinical.trazodone) }
        if diagnoses.contains(where: { $0.code == "F17.210" }) { add(DemoClinical.nicotinePatch) }
        return chosen.map { template in
            // Most were prescribed before admission; some during care, never after today or the end of care.
            let latest = max(admission, min(today, plan.end ?? today) - 1)
            let started = min(latest, admission - rng.int(0...90) + (rng.chance(200) ? rng.int(7...40) : 0))
            var stopped: LocalDate? = nil
            if rng.chance(120) {
                let day = started + rng.int(14...120)
                if day < today { stopped = LocalDate(dayNumber: day) }
            }
            return Medication(id: items.next("med"), name: template.name, dose: template.dose, schedule: template.schedule,
                              prescriber: rng.pick(DemoClinical.prescribers), controlled: template.controlled,
                              started: LocalDate(dayNumber: started), stopped: stopped)
        }
    }

    // MARK: Drug screens

    static func screenList(_ plan: PatientPlan, admission: Int, today: Int, medications: [Medication], items: inout Items, rng: inout SeededGenerator) -> [DrugScreen] {
        let last = min(today - 1, (plan.end ?? today) - 1)
        guard last >= admission else { return [] }
        let substance = DemoClinical.substances[plan.substance]
        let observedOdds = plan.officer == nil ? 250 : 700
        var result: [DrugScreen] = []
        var day = admission
        var count = 0
        while day <= last {
            let phase = plan.phase(on: day) ?? 0
            count += 1
            let date = LocalDate(dayNumber: day)
            let results = DemoClinical.panel.map { name -> ScreenResult in
                if medications.contains(where: { m in
                    DemoClinical.panelEntry(forMedication: m.name) == name && (m.started.map { $0 <= date } ?? true) && (m.stopped.map { date < $0 } ?? true)
                }) {
                    return ScreenResult(substance: name, result: .prescribed)
                }
                if substance.screens.contains(name) {
                    let window = name == "THC" ? 12 : 3
                    if plan.daysSinceLapse(day, within: window) != nil { return ScreenResult(substance: name, result: .positive) }
                    if name == "THC" && count <= 2 { return ScreenResult(substance: name, result: .positive) }
                }
                return ScreenResult(substance: name, result: .negative)
            }
            var final = results
            if rng.chance(8), let i = final.indices.randomElementIndex(using: &rng), final[i].result == .negative {
                final[i].result = .inconclusive
            }
            result.append(DrugScreen(id: items.next("scr"), date: date, panel: DemoClinical.panelName, results: final, observed: rng.chance(observedOdds)))
            let gap: Int
            switch phase {
            case 0, 1: gap = rng.int(5...9)
            case 2: gap = rng.int(12...16)
            default: gap = rng.int(24...32)
            }
            day += gap
            let iso = LocalDate(dayNumber: day).weekday.isoNumber
            if iso >= 6 { day += 8 - iso }
        }
        return result
    }

    // MARK: Consents and legal supervision

    static func legalConsents(_ plan: PatientPlan, officer officerIndex: Int, signed: Int, today: Int, consentCase: ConsentCase, items: inout Items, rng: inout SeededGenerator) -> (consents: [Consent], legal: LegalSupervision) {
        var officer = DemoClinical.officers[officerIndex]
        let purpose: String
        switch officer.kind {
        case .probation: purpose = "Report attendance and treatment compliance as a condition of probation"
        case .drugCourt: purpose = "Report attendance, drug screen results and progress to the drug court team"
        case .parole: purpose = "Report attendance and compliance as a condition of parole"
        }
        let information = "Attendance (scheduled and attended sessions, excused and unexcused absences, hours), drug screen results, treatment plan progress and discharge summary"
        let irrevocable = officer.kind != .parole
        var consents: [Consent] = []
        let inCareUntil = plan.end ?? today
        var start = signed
        // Consents run a year; the program renews them while the patient stays.
        while true {
            let expires = start + 365
            consents.append(Consent(id: items.next("con"), recipient: "\(officer.name), \(officer.agency)", purpose: purpose,
                                    information: information, signed: LocalDate(dayNumber: start), expires: LocalDate(dayNumber: expires),
                                    irrevocableUntil: irrevocable ? LocalDate(dayNumber: min(expires, start + 180)) : nil))
            guard expires < inCareUntil, expires < today else { break }
            start = expires - rng.int(0...10)
        }
        switch consentCase {
        case .normal: break
        case .expiringSoon:
            if let i = consents.indices.last, consents[i].signed.dayNumber <= today {
                consents[i].expires = LocalDate(dayNumber: today + 9)
                if let until = consents[i].irrevocableUntil, until.dayNumber > today + 9 { consents[i].irrevocableUntil = consents[i].expires }
            }
        case .revokedAndReplaced:
            // Supervision moved to another officer: the old consent was revoked and a new one signed that day.
            let revokedDay = today - 24
            if let i = consents.indices.last, consents[i].signed.dayNumber < revokedDay {
                consents[i].irrevocableUntil = nil
                consents[i].revoked = LocalDate(dayNumber: revokedDay)
                let replacement = DemoClinical.officers.firstIndex { $0.kind == officer.kind && $0.name != officer.name } ?? officerIndex
                officer = DemoClinical.officers[replacement]
                consents.append(Consent(id: items.next("con"), recipient: "\(officer.name), \(officer.agency)", purpose: purpose,
                                        information: information, signed: LocalDate(dayNumber: revokedDay),
                                        expires: LocalDate(dayNumber: revokedDay + 365),
                                        irrevocableUntil: irrevocable ? LocalDate(dayNumber: revokedDay + 180) : nil))
            }
        }
        let year = LocalDate(dayNumber: signed).year
        let legal: LegalSupervision
        switch officer.kind {
        case .probation:
            legal = LegalSupervision(kind: .probation, officer: officer.name, contact: DemoClinical.phone(using: &rng) + ", " + officer.email,
                                     reportingFrequency: rng.chance(700) ? "Weekly" : "Every two weeks",
                                     mandatedMinutes: rng.chance(500) ? 72 * 60 : nil,
                                     caseNumber: "\(year)-CF-" + DemoText.pad(rng.int(1...99_999), 5))
        case .drugCourt:
            legal = LegalSupervision(kind: .drugCourt, officer: officer.name, contact: DemoClinical.phone(using: &rng) + ", " + officer.email,
                                     reportingFrequency: "Weekly, before the Thursday docket", mandatedMinutes: 100 * 60,
                                     caseNumber: "DC-\(year)-" + DemoText.pad(rng.int(1...999), 3))
        case .parole:
            legal = LegalSupervision(kind: .parole, officer: officer.name, contact: DemoClinical.phone(using: &rng) + ", " + officer.email,
                                     reportingFrequency: "Monthly", mandatedMinutes: nil,
                                     caseNumber: "P-" + DemoText.pad(rng.int(1...999_999), 6))
        }
        return (consents, legal)
    }

    // MARK: Treatment plan

    static func treatmentPlan(_ plan: PatientPlan, admission: Int, today: Int, legal: LegalSupervision?, items: inout Items, rng: inout SeededGenerator) -> TreatmentPlan {
        // Written in the first week, and not later than today or the last day of care.
        let created = max(admission, min(admission + rng.int(2...6), today, (plan.end ?? today) - 1))
        let clinician = DemoSchedule.allStaff[plan.clinician].id
        let facilitator = DemoSchedule.allStaff[1].id
        let label = DemoClinical.substances[plan.substance].label
        let progressedPastPhaseI = plan.segments.contains { $0.phase > 0 }
        let lastDay = min(today - 1, (plan.end ?? today) - 1)

        func objective(_ text: String, days: Int, achievable: Bool, _ interventions: [PlanIntervention]) -> PlanObjective {
            let target = created + days
            var achieved: LocalDate? = nil
            if achievable && target <= lastDay + 14 && rng.chance(700) {
                let day = min(lastDay, target - rng.int(0...10))
                if day >= created { achieved = LocalDate(dayNumber: day) }
            }
            return PlanObjective(id: items.next("obj"), statement: text, targetDate: LocalDate(dayNumber: target), achieved: achieved, interventions: interventions)
        }
        func intervention(_ text: String, _ modality: Modality, _ frequency: String, _ by: StaffID) -> PlanIntervention {
            PlanIntervention(id: items.next("int"), description: text, modality: modality, frequency: frequency, responsible: by)
        }

        var problems: [PlanProblem] = []
        problems.append(PlanProblem(id: items.next("prb"), statement: "Continued \(label) use despite harm to health, work and relationships", goals: [
            PlanGoal(id: items.next("gol"), statement: "Establish and maintain abstinence from \(label)", objectives: [
                objective("Attend all required Phase I sessions (3 sessions, 9 hours a week) for 4 consecutive weeks", days: 28, achievable: progressedPastPhaseI, [
                    intervention("IOP group therapy per the phase schedule", .process, "3 times a week", facilitator),
                    intervention("Motivational interviewing to strengthen commitment to change", .motivationalInterviewing, "Weekly, individual", clinician),
                ]),
                objective("Identify five personal triggers and a coping response for each", days: 45, achievable: true, [
                    intervention("Relapse prevention group: high-risk situations worksheet", .relapsePrevention, "Weekly", facilitator),
                    intervention("CBT functional analysis of recent use episodes", .cbt, "Weekly, individual", clinician),
                ]),
                objective("Provide negative drug screens for 8 consecutive weeks", days: 70, achievable: plan.lapses.isEmpty, [
                    intervention("Random urine drug screens, observed when indicated", .other, "Weekly", clinician),
                ]),
            ]),
        ]))
        if plan.conditions.contains(where: { $0 == .anxiety || $0 == .depression || $0 == .recurrentDepression }) {
            problems.append(PlanProblem(id: items.next("prb"), statement: "Anxiety and low mood interfere with sleep, work and recovery", goals: [
                PlanGoal(id: items.next("gol"), statement: "Reduce anxiety and depressive symptoms without substance use", objectives: [
                    objective("Practise one CBT skill (thought record or paced breathing) daily and bring records to session", days: 30, achievable: true, [
                        intervention("CBT: thought records and behavioural activation", .cbt, "Weekly, individual", clinician),
                    ]),
                    objective("Dispute two irrational beliefs a week using the REBT ABC model", days: 60, achievable: true, [
                        intervention("REBT disputation of demands and catastrophizing", .rebt, "Every two weeks", clinician),
                    ]),
                    objective("Keep prescriber appointments and take medication as prescribed", days: 90, achievable: true, [
                        intervention("Coordinate with the prescriber (consent on file)", .caseManagement, "Monthly", clinician),
                    ]),
                ]),
            ]))
        }
        if plan.conditions.contains(.ptsd) {
            problems.append(PlanProblem(id: items.next("prb"), statement: "Trauma memories and nightmares trigger cravings", goals: [
                PlanGoal(id: items.next("gol"), statement: "Reduce trauma symptoms safely while staying abstinent", objectives: [
                    objective("Complete EMDR preparation and resource installation", days: 42, achievable: progressedPastPhaseI, [
                        intervention("EMDR phases 1–2: history, preparation, calm-place resource", .emdr, "Weekly, individual", DemoSchedule.allStaff[2].id),
                    ]),
                    objective("Reprocess the target memory to a distress rating of 2 or lower", days: 120, achievable: progressedPastPhaseI, [
                        intervention("EMDR reprocessing of the target memory", .emdr, "Weekly, individual", DemoSchedule.allStaff[2].id),
                    ]),
                ]),
            ]))
        }
        if plan.conditions.contains(.partnerConflict) {
            problems.append(PlanProblem(id: items.next("prb"), statement: "Conflict with partner related to substance use", goals: [
                PlanGoal(id: items.next("gol"), statement: "Improve communication and rebuild trust at home", objectives: [
                    objective("Attend family group with partner at least four times", days: 60, achievable: true, [
                        intervention("Family group and conjoint sessions", .family, "Weekly", DemoSchedule.allStaff[0].id),
                    ]),
                ]),
            ]))
        }
        if let legal {
            let what: String
            switch legal.kind {
            case .probation: what = "probation"
            case .parole: what = "parole"
            case .drugCourt: what = "drug court"
            }
            problems.append(PlanProblem(id: items.next("prb"), statement: "Terms of \(what) require treatment attendance and negative screens", goals: [
                PlanGoal(id: items.next("gol"), statement: "Meet every treatment condition of \(what)", objectives: [
                    objective("Attend 100% of scheduled sessions, with weekly attendance reports to the supervising officer", days: 84, achievable: true, [
                        intervention("Attendance and screen reports per the signed consent", .caseManagement, legal.reportingFrequency, clinician),
                    ]),
                ]),
            ]))
        }
        if plan.conditions.contains(.unemployment) {
            problems.append(PlanProblem(id: items.next("prb"), statement: "Unemployed; lack of structure during the day", goals: [
                PlanGoal(id: items.next("gol"), statement: "Obtain stable employment", objectives: [
                    objective("Submit three job applications a week", days: 56, achievable: true, [
                        intervention("Vocational referral and résumé support", .caseManagement, "Every two weeks", clinician),
                    ]),
                ]),
            ]))
        }
        // Reviews fall due every 90 days; a few are overdue.
        var review = created + 90
        if plan.end == nil {
            while review < today { review += 90 }
            if rng.chance(130) && review - 90 > created { review -= 90 }
        } else if let end = plan.end {
            while review + 90 < end { review += 90 }
        }
        return TreatmentPlan(created: LocalDate(dayNumber: created), reviewDate: LocalDate(dayNumber: max(review, created)), problems: problems)
    }
}

extension Range where Bound == Int {
    /// A uniformly chosen index of the range, or nil when it is empty.
    func randomElementIndex(using rng: inout SeededGenerator) -> Int? {
        isEmpty ? nil : lowerBound + rng.below(count)
    }
}
