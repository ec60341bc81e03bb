import CaseloadCore
import Foundation

/// What an open form is for.
public enum FormPurpose: Equatable, Sendable {
    case newPatient
    case editPatient(PatientID)
    case discharge(PatientID)
    /// `>` / `<`: a phase step (+1 down to less intensive care, -1 up) from a date, with the reason for the care history.
    case phaseStep(PatientID, by: Int)
    /// A new session or weekly series at the Week cursor.
    case newSession
    /// Editing a session (or its series, by scope).
    case editSession(ScheduledSession, EditScope)
    case groupNote(ScheduledSession)
    case memberNote(ScheduledSession, PatientID)
    /// An addendum to a signed note: the member's, or the group note's when nil.
    case addendum(ScheduledSession, PatientID?)
    /// An attendance report's period, format and file.
    case report(PatientID)
    /// An item of the parent form's sub-list `field`: a new one when `index` is nil.
    case item(field: String, index: Int?)
    /// A staff member's supervisor and co-signature flag (`:staff`, issue 19).
    case staff(StaffID)
    /// The patient's comprehensive evaluation: a new intake, a draft, or a review (issue 19; Panes/Record/EvaluationForms.swift).
    case evaluation(PatientID)
    /// The problems the latest signed evaluation proposes for the treatment plan.
    case planFromEvaluation(PatientID)
    /// The follow-up of a measure's safety item (`F` in the record).
    case safetyFollowUp(PatientID, ItemID)
}

/// The value a form is building. Sub-list items live here, not in the form's summary lines.
public enum FormDraft: Equatable, Sendable {
    case patient(Patient)
    case diagnosis(Diagnosis)
    case medication(Medication)
    case screen(DrugScreen)
    case consent(Consent)
    case problem(PlanProblem)
    case goal(PlanGoal)
    case objective(PlanObjective)
    case intervention(PlanIntervention)
    /// A session form's roster, in the order chosen.
    case roster([PatientID])
    /// An evaluation being written, and one substance of its history of use.
    case evaluation(Evaluation)
    case substance(SubstanceUse)
    case none
}

/// One open form: the widget, what it is for, and the value it edits.
public struct FormFrame: Equatable, Sendable {
    public var form: Form
    public var purpose: FormPurpose
    public var draft: FormDraft
    /// The document when the form opened (issue 18): its edit is rebased onto others' saves taken in meanwhile.
    public var openedWith: CaseloadDocument?
    public init(form: Form, purpose: FormPurpose, draft: FormDraft) { self.form = form; self.purpose = purpose; self.draft = draft }
}

/// The patient forms: building them from the model, checking fields, and reading them back.
enum PatientForms {
    static let statusChoices: [(String, PatientStatus)] = [("referred", .referred), ("waitlist", .waitlist), ("active", .active), ("on hold", .onHold)]
    static let supervisionChoices: [(String, SupervisionKind?)] = [("none", nil), ("probation", .probation), ("parole", .parole), ("drug court", .drugCourt)]
    static let reasons: [(String, DischargeReason)] = [("completed", .completed), ("against advice", .againstAdvice), ("administrative", .administrative),
                                                       ("transferred", .transferred), ("incarcerated", .incarcerated), ("other", .other)]

    // MARK: Patient

    /// The new-patient or edit form; a new patient gets the next free MRN and starts active in the first phase from today.
    static func patientFrame(_ existing: Patient?, doc: CaseloadDocument, today: LocalDate) -> FormFrame {
        let p = existing ?? Patient(id: nextPatientID(doc), mrn: nextMRN(doc), legalName: "", status: .active, admissionDate: today)
        let phases = doc.program.phases
        let current = p.care(on: today) ?? p.careHistory.last
        let phaseIndex = current.flatMap { c in phases.firstIndex { $0.id == c.phase } }.map { $0 + 1 } ?? (existing == nil && !phases.isEmpty ? 1 : 0)
        var statusOptions = statusChoices.map(\.0)
        var statusIndex = statusChoices.firstIndex { $0.1 == p.status } ?? 2
        if case .discharged(let date, let reason) = p.status {
            statusOptions.insert("discharged \(date.iso) (\(label(reason)))", at: 0)
            statusIndex = 0
        }
        let staff = doc.staff
        let clinicianIndex = p.primaryClinician.flatMap { id in staff.firstIndex { $0.id == id } }.map { $0 + 1 } ?? 0
        let legal = p.legal
        let fields: [FormField] = [
            .text("legalName", "Legal name", p.legalName, required: true),
            .text("preferredName", "Preferred name", p.preferredName ?? "", hint: "shown in lists"),
            .text("pronouns", "Pronouns", p.pronouns ?? ""),
            .date("dob", "Date of birth", p.dateOfBirth?.iso ?? ""),
            .text("mrn", "MRN", p.mrn, required: true),
            .text("phone", "Phone", p.phone ?? ""),
            .text("email", "Email", p.email ?? ""),
            .text("ecName", "Emergency contact", p.emergencyContact?.name ?? ""),
            .text("ecRelationship", "  relationship", p.emergencyContact?.relationship ?? ""),
            .text("ecPhone", "  phone", p.emergencyContact?.phone ?? ""),
            .text("referral", "Referral source", p.referralSource ?? ""),
            .choice("status", "Status", options: statusOptions, index: statusIndex, hint: "discharge with D"),
            .date("admission", "Admission", p.admissionDate?.iso ?? ""),
            .date("expectedDischarge", "Expected discharge", p.expectedDischarge?.iso ?? ""),
            .choice("phase", "Phase", options: ["none"] + phases.map { "\($0.name) · \(hoursText($0.requiredMinutesPerWeek)) h/wk · \($0.levelOfCare.label)" }, index: phaseIndex),
            .date("phaseFrom", "  phase from", existing == nil ? "" : "today", hint: "a new phase starts on this date"),
            .choice("clinician", "Primary clinician", options: ["none"] + staff.map(\.signatureName), index: clinicianIndex),
            .text("track", "Track", p.track ?? ""),
            .choice("supervision", "Legal supervision", options: supervisionChoices.map(\.0), index: supervisionChoices.firstIndex { $0.1 == legal?.kind } ?? 0),
            .text("officer", "  officer / judge", legal?.officer ?? ""),
            .text("officerContact", "  contact", legal?.contact ?? ""),
            .text("reporting", "  reporting", legal?.reportingFrequency ?? "", hint: "weekly, monthly…"),
            .text("mandatedHours", "  mandated hours", legal?.mandatedMinutes.map { hoursText($0) } ?? ""),
            .text("caseNumber", "  case number", legal?.caseNumber ?? ""),
            .list("diagnoses", "Diagnoses", items: p.diagnoses.map(summary)),
            .list("medications", "Medications", items: p.medications.map(summary)),
            .list("screens", "Drug screens", items: p.drugScreens.map(summary)),
            .list("consents", "Consents", items: p.consents.map { summary($0, today: today) }),
            .date("planReview", "Plan review", p.treatmentPlan?.reviewDate.iso ?? ""),
            .list("plan", "Plan problems", items: (p.treatmentPlan?.problems ?? []).map(summary)),
        ]
        let title = existing == nil ? "New patient" : "Edit · \(p.displayName)"
        return FormFrame(form: Form(title: title, fields: fields), purpose: existing == nil ? .newPatient : .editPatient(p.id), draft: .patient(p))
    }

    static func dischargeFrame(_ p: Patient) -> FormFrame {
        let fields: [FormField] = [
            .date("date", "Discharge date", "today", required: true),
            .choice("reason", "Reason", options: reasons.map(\.0)),
        ]
        return FormFrame(form: Form(title: "Discharge · \(p.displayName)", fields: fields), purpose: .discharge(p.id), draft: .none)
    }

    /// `>` / `<`: from when, and why (both go into the patient's care history).
    static func phaseStepFrame(_ p: Patient, by offset: Int, from: String, to: String) -> FormFrame {
        let fields: [FormField] = [
            .date("date", "From", "today", required: true, hint: "the first day in \(to)"),
            .text("reason", "Reason", required: true, hint: "e.g. met phase goals; 4 weeks of full attendance"),
        ]
        let title = "\(offset > 0 ? "Step down" : "Step up") · \(p.displayName) · \(from) → \(to)"
        return FormFrame(form: Form(title: title, fields: fields), purpose: .phaseStep(p.id, by: offset), draft: .none)
    }

    /// Reads the patient form back into the patient; errors by field ID when something is wrong.
    static func buildPatient(_ frame: FormFrame, base: Patient, doc: CaseloadDocument, today: LocalDate) -> Result<Patient, FieldErrors> {
        let f = frame.form
        var errors: [String: String] = [:]
        var p = base
        p.legalName = f.text("legalName").trimmingCharacters(in: .whitespaces)
        p.preferredName = optional(f.text("preferredName"))
        p.pronouns = optional(f.text("pronouns"))
        p.dateOfBirth = f.date("dob", today: today)
        p.mrn = f.text("mrn").trimmingCharacters(in: .whitespaces)
        p.phone = optional(f.text("phone"))
        p.email = optional(f.text("email"))
        if let name = optional(f.text("ecName")) {
            p.emergencyContact = EmergencyContact(name: name, relationship: optional(f.text("ecRelationship")), phone: f.text("ecPhone").trimmingCharacters(in: .whitespaces))
        } else {
            p.emergencyContact = nil
        }
        p.referralSource = optional(f.text("referral"))
        let statusIndex = f.choiceIndex("status")
        if case .discharged = base.status, statusIndex == 0 {
            // Unchanged: still discharged.
        } else {
            let offset = { if case .discharged = base.status { return 1 } else { return 0 } }()
            let i = statusIndex - offset
            if statusChoices.indices.contains(i) { p.status = statusChoices[i].1 }
        }
        p.admissionDate = f.date("admission", today: today)
        p.expectedDischarge = f.date("expectedDischarge", today: today)
        let clinician = f.choiceIndex("clinician")
        p.primaryClinician = clinician > 0 && doc.staff.indices.contains(clinician - 1) ? doc.staff[clinician - 1].id : nil
        p.track = optional(f.text("track"))

        // Phase: a changed choice adds a dated history entry.
        let phaseChoice = f.choiceIndex("phase")
        if phaseChoice > 0, doc.program.phases.indices.contains(phaseChoice - 1) {
            let phase = doc.program.phases[phaseChoice - 1]
            let from = f.date("phaseFrom", today: today) ?? p.admissionDate ?? today
            if p.care(on: from)?.phase != phase.id || p.careHistory.isEmpty {
                if let admission = p.admissionDate, from < admission, base.careHistory.isEmpty == false {
                    errors["phaseFrom"] = "before the admission date \(admission.iso)"
                } else {
                    p.careHistory.removeAll { $0.date == from }
                    p.careHistory.append(CareEntry(date: from, levelOfCare: phase.levelOfCare, phase: phase.id))
                    p.careHistory.sort { $0.date < $1.date }
                }
            }
        }

        let supervision = supervisionChoices[safe: f.choiceIndex("supervision")]?.1 ?? nil
        if let kind = supervision {
            let officer = f.text("officer").trimmingCharacters(in: .whitespaces)
            if officer.isEmpty { errors["officer"] = "who supervises: required for \(supervisionChoices.first { $0.1 == kind }?.0 ?? "supervision")" }
            var minutes: Int?
            let hoursText = f.text("mandatedHours").trimmingCharacters(in: .whitespaces)
            if !hoursText.isEmpty {
                if let hours = Double(hoursText.replacingOccurrences(of: ",", with: ".")), hours >= 0, hours <= 10_000 {
                    minutes = Int((hours * 60).rounded())
                } else {
                    errors["mandatedHours"] = "hours as a number, e.g. 72 or 4.5"
                }
            }
            p.legal = LegalSupervision(kind: kind, officer: officer, contact: f.text("officerContact").trimmingCharacters(in: .whitespaces),
                                       reportingFrequency: f.text("reporting").trimmingCharacters(in: .whitespaces),
                                       mandatedMinutes: minutes, caseNumber: optional(f.text("caseNumber")))
        } else {
            p.legal = nil
        }

        if let review = f.date("planReview", today: today) {
            p.treatmentPlan = TreatmentPlan(created: base.treatmentPlan?.created ?? today, reviewDate: review, problems: p.treatmentPlan?.problems ?? [])
        } else if let plan = p.treatmentPlan, !plan.problems.isEmpty {
            errors["planReview"] = "a plan with problems needs a review date"
        } else {
            p.treatmentPlan = nil
        }
        for issue in Validator.checkAgainstToday(p, today: today, path: "patient") { errors[fieldID(forPath: issue.field), default: issue.message] = issue.message }
        for issue in Validator.check(p, path: "patient", program: doc.program) { errors[fieldID(forPath: issue.field), default: issue.message] = issue.message }
        if doc.patients.contains(where: { $0.id != p.id && $0.mrn == p.mrn }) { errors["mrn"] = "this MRN is already used by another patient" }
        return errors.isEmpty ? .success(p) : .failure(FieldErrors(errors))
    }

    /// The check run when focus leaves a field of a form, beyond required and date parsing.
    static func checkField(_ id: String, frame: FormFrame, doc: CaseloadDocument, today: LocalDate) -> String? {
        let f = frame.form
        switch (frame.draft, id) {
        case (.patient(let p), "mrn"):
            let mrn = f.text("mrn").trimmingCharacters(in: .whitespaces)
            return doc.patients.contains { $0.id != p.id && $0.mrn == mrn } ? "this MRN is already used by another patient" : nil
        case (.patient, "dob"):
            guard let dob = f.date("dob", today: today) else { return nil }
            if dob >= today { return "the date of birth must be in the past" }
            if dob < today.adding(days: -120 * 366) { return "more than 120 years ago: check the year" }
            return nil
        case (.patient, "email"):
            let email = f.text("email").trimmingCharacters(in: .whitespaces)
            return email.isEmpty || (email.contains("@") && !email.contains(" ")) ? nil : "not an email address"
        case (.patient, "mandatedHours"):
            let text = f.text("mandatedHours").trimmingCharacters(in: .whitespaces)
            return text.isEmpty || Double(text.replacingOccurrences(of: ",", with: ".")).map { $0 >= 0 } == true ? nil : "hours as a number, e.g. 72 or 4.5"
        case (.patient, "expectedDischarge"), (.patient, "admission"):
            if let a = f.date("admission", today: today), let e = f.date("expectedDischarge", today: today), e < a {
                return id == "expectedDischarge" ? "before the admission date" : "after the expected discharge"
            }
            return nil
        case (.diagnosis, "code"):
            let code = f.text("code").trimmingCharacters(in: .whitespaces).uppercased()
            return code.isEmpty || Diagnosis.isWellFormed(code) ? nil : "not an ICD-10 code (e.g. F10.20, F11.20, Z71.41)"
        case (.consent, "expires"):
            if let s = f.date("signed", today: today), let e = f.date("expires", today: today), e < s { return "before the date it was signed" }
            return nil
        case (.medication, "stopped"):
            if let s = f.date("started", today: today), let e = f.date("stopped", today: today), e < s { return "before it was started" }
            return nil
        default:
            return nil
        }
    }

    /// Maps a validator's field path (`patient.dateOfBirth`, `patient.diagnoses[1].code`) to the form field showing it.
    static func fieldID(forPath path: String) -> String {
        let table: [(String, String)] = [
            ("diagnoses", "diagnoses"), ("medications", "medications"), ("drugScreens", "screens"), ("consents", "consents"),
            ("treatmentPlan", "plan"), ("careHistory", "phase"), ("legal", "officer"), ("emergencyContact", "ecName"),
            ("dateOfBirth", "dob"), ("legalName", "legalName"), ("mrn", "mrn"), ("admissionDate", "admission"),
            ("expectedDischarge", "expectedDischarge"), ("status", "status"), ("primaryClinician", "clinician"), ("email", "email"),
        ]
        let parts = path.split(separator: ".").map { String($0.prefix { $0 != "[" }) }
        for part in parts.dropFirst() {
            if let hit = table.first(where: { $0.0 == part }) { return hit.1 }
        }
        return "legalName"
    }

    // MARK: Sub-list items

    /// The form for an item of `field` (nil item: a new one).
    static func itemFrame(field: String, index: Int?, parent: FormDraft, doc: CaseloadDocument, today: LocalDate) -> FormFrame? {
        let purpose = FormPurpose.item(field: field, index: index)
        let existing = index.flatMap { items(of: parent, field: field)[safe: $0] }
        switch field {
        case "substances":
            let use: SubstanceUse? = { if case .substance(let s)? = existing { return s }; return nil }()
            return EvaluationForms.substanceFrame(use, index: index)
        case "diagnoses":
            let d: Diagnosis? = { if case .diagnosis(let d)? = existing { return d }; return nil }()
            let fields: [FormField] = [
                .text("code", "ICD-10 code", d?.code ?? "", required: true, hint: "F10.20"),
                .text("description", "Description", d?.description ?? "", required: true),
                .toggle("primary", "Primary", d?.isPrimary ?? false),
            ]
            return FormFrame(form: Form(title: d == nil ? "New diagnosis" : "Diagnosis", fields: fields), purpose: purpose,
                             draft: .diagnosis(d ?? Diagnosis(code: "", description: "")))
        case "medications":
            let m: Medication? = { if case .medication(let m)? = existing { return m }; return nil }()
            let fields: [FormField] = [
                .text("name", "Medication", m?.name ?? "", required: true),
                .text("dose", "Dose", m?.dose ?? "", hint: "8 mg"),
                .text("schedule", "Schedule", m?.schedule ?? "", hint: "daily, twice daily…"),
                .text("prescriber", "Prescriber", m?.prescriber ?? ""),
                .toggle("controlled", "Controlled substance", m?.controlled ?? false),
                .date("started", "Started", m?.started?.iso ?? ""),
                .date("stopped", "Stopped", m?.stopped?.iso ?? ""),
            ]
            let id = m?.id ?? newItemID("med", existing: ids(of: parent))
            return FormFrame(form: Form(title: m == nil ? "New medication" : "Medication", fields: fields), purpose: purpose,
                             draft: .medication(m ?? Medication(id: id, name: "", dose: "", schedule: "")))
        case "screens":
            let s: DrugScreen? = { if case .screen(let s)? = existing { return s }; return nil }()
            func list(_ outcome: ScreenOutcome) -> String { (s?.results ?? []).filter { $0.result == outcome }.map(\.substance).joined(separator: ", ") }
            let fields: [FormField] = [
                .date("date", "Date", s?.date.iso ?? "today", required: true),
                .text("panel", "Panel", s?.panel ?? "12-panel urine cup"),
                .toggle("observed", "Observed collection", s?.observed ?? false),
                .text("negative", "Negative for", list(.negative), hint: "THC, COC, OPI…"),
                .text("positive", "Positive for", list(.positive)),
                .text("prescribed", "Positive, prescribed", list(.prescribed)),
                .text("inconclusive", "Inconclusive", list(.inconclusive)),
            ]
            let id = s?.id ?? newItemID("uds", existing: ids(of: parent))
            return FormFrame(form: Form(title: s == nil ? "New drug screen" : "Drug screen", fields: fields), purpose: purpose,
                             draft: .screen(s ?? DrugScreen(id: id, date: today, panel: "", results: [], observed: false)))
        case "consents":
            let c: Consent? = { if case .consent(let c)? = existing { return c }; return nil }()
            let fields: [FormField] = [
                .text("recipient", "Recipient", c?.recipient ?? "", required: true, hint: "who may receive it, by name"),
                .text("purpose", "Purpose", c?.purpose ?? "", required: true),
                .text("information", "Information", c?.information ?? "", required: true, hint: "attendance, drug screens…"),
                .date("signed", "Signed", c?.signed.iso ?? "today", required: true),
                .date("expires", "Expires", c?.expires?.iso ?? ""),
                .text("expiryEvent", "  or on event", c?.expiryEvent ?? "", hint: "end of probation"),
                .date("irrevocableUntil", "Irrevocable until", c?.irrevocableUntil?.iso ?? "", hint: "court/probation consents"),
                .date("revoked", "Revoked on", c?.revoked?.iso ?? "", hint: "set to revoke"),
            ]
            let id = c?.id ?? newItemID("cns", existing: ids(of: parent))
            return FormFrame(form: Form(title: c == nil ? "New consent (42 CFR Part 2)" : "Consent", fields: fields), purpose: purpose,
                             draft: .consent(c ?? Consent(id: id, recipient: "", purpose: "", information: "", signed: today)))
        case "plan":
            let p: PlanProblem? = { if case .problem(let p)? = existing { return p }; return nil }()
            let fields: [FormField] = [
                .multiline("statement", "Problem", p?.statement ?? "", required: true, rows: 3),
                .list("goals", "Goals", items: (p?.goals ?? []).map(summary)),
            ]
            let id = p?.id ?? newItemID("prb", existing: ids(of: parent))
            return FormFrame(form: Form(title: p == nil ? "New problem" : "Problem", fields: fields), purpose: purpose,
                             draft: .problem(p ?? PlanProblem(id: id, statement: "", goals: [])))
        case "goals":
            let g: PlanGoal? = { if case .goal(let g)? = existing { return g }; return nil }()
            let fields: [FormField] = [
                .multiline("statement", "Goal", g?.statement ?? "", required: true, rows: 3),
                .list("objectives", "Objectives", items: (g?.objectives ?? []).map(summary)),
            ]
            let id = g?.id ?? newItemID("gol", existing: ids(of: parent))
            return FormFrame(form: Form(title: g == nil ? "New goal" : "Goal", fields: fields), purpose: purpose,
                             draft: .goal(g ?? PlanGoal(id: id, statement: "", objectives: [])))
        case "objectives":
            let o: PlanObjective? = { if case .objective(let o)? = existing { return o }; return nil }()
            let fields: [FormField] = [
                .multiline("statement", "Objective", o?.statement ?? "", required: true, rows: 3),
                .date("target", "Target date", o?.targetDate.iso ?? "+4w", required: true),
                .date("achieved", "Achieved on", o?.achieved?.iso ?? ""),
                .list("interventions", "Interventions", items: (o?.interventions ?? []).map { summary($0, doc: doc) }),
            ]
            let id = o?.id ?? newItemID("obj", existing: ids(of: parent))
            return FormFrame(form: Form(title: o == nil ? "New objective" : "Objective", fields: fields), purpose: purpose,
                             draft: .objective(o ?? PlanObjective(id: id, statement: "", targetDate: today, interventions: [])))
        case "interventions":
            let i: PlanIntervention? = { if case .intervention(let i)? = existing { return i }; return nil }()
            let modalities = Modality.allCases
            let staff = doc.staff
            let fields: [FormField] = [
                .text("description", "Intervention", i?.description ?? "", required: true),
                .choice("modality", "Modality", options: modalities.map(\.label), index: i.flatMap { m in modalities.firstIndex(of: m.modality) } ?? 0),
                .text("frequency", "Frequency", i?.frequency ?? "", hint: "weekly"),
                .choice("responsible", "Responsible", options: ["none"] + staff.map(\.signatureName),
                        index: i?.responsible.flatMap { r in staff.firstIndex { $0.id == r } }.map { $0 + 1 } ?? 0),
            ]
            let id = i?.id ?? newItemID("int", existing: ids(of: parent))
            return FormFrame(form: Form(title: i == nil ? "New intervention" : "Intervention", fields: fields), purpose: purpose,
                             draft: .intervention(i ?? PlanIntervention(id: id, description: "", modality: .process)))
        default:
            return nil
        }
    }

    /// Reads an item form back into its value.
    static func buildItem(_ frame: FormFrame, doc: CaseloadDocument, today: LocalDate) -> Result<FormDraft, FieldErrors> {
        let f = frame.form
        var errors: [String: String] = [:]
        for field in f.fields {
            if let message = checkField(field.id, frame: frame, doc: doc, today: today) { errors[field.id] = message }
        }
        let text = { (id: String) in f.text(id).trimmingCharacters(in: .whitespacesAndNewlines) }
        let result: FormDraft
        switch frame.draft {
        case .diagnosis:
            result = .diagnosis(Diagnosis(code: text("code").uppercased(), description: text("description"), isPrimary: f.bool("primary")))
        case .medication(var m):
            m.name = text("name"); m.dose = text("dose"); m.schedule = text("schedule"); m.prescriber = optional(text("prescriber"))
            m.controlled = f.bool("controlled"); m.started = f.date("started", today: today); m.stopped = f.date("stopped", today: today)
            result = .medication(m)
        case .screen(var s):
            s.date = f.date("date", today: today) ?? s.date
            if s.date > today { errors["date"] = "a screen cannot be dated in the future" }
            s.panel = text("panel"); s.observed = f.bool("observed")
            var results: [ScreenResult] = []
            for (id, outcome) in [("negative", ScreenOutcome.negative), ("positive", .positive), ("prescribed", .prescribed), ("inconclusive", .inconclusive)] {
                for substance in text(id).split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !substance.isEmpty {
                    results.append(ScreenResult(substance: substance, result: outcome))
                }
            }
            s.results = results
            result = .screen(s)
        case .consent(let old):
            var c = old
            c.recipient = text("recipient"); c.purpose = text("purpose"); c.information = text("information")
            c.signed = f.date("signed", today: today) ?? c.signed
            c.expires = f.date("expires", today: today); c.expiryEvent = optional(text("expiryEvent"))
            c.irrevocableUntil = f.date("irrevocableUntil", today: today)
            let revoked = f.date("revoked", today: today)
            if let revoked, old.revoked != revoked {
                var unrevoked = c
                unrevoked.revoked = nil
                do { c = try unrevoked.revoking(on: revoked) } catch { errors["revoked"] = error.description }
            } else {
                c.revoked = revoked
            }
            result = .consent(c)
        case .problem(var p):
            p.statement = text("statement")
            result = .problem(p)
        case .goal(var g):
            g.statement = text("statement")
            result = .goal(g)
        case .objective(var o):
            o.statement = text("statement")
            o.targetDate = f.date("target", today: today) ?? o.targetDate
            o.achieved = f.date("achieved", today: today)
            result = .objective(o)
        case .intervention(var i):
            i.description = text("description")
            i.modality = Modality.allCases[safe: f.choiceIndex("modality")] ?? .other
            let r = f.choiceIndex("responsible")
            i.responsible = r > 0 ? doc.staff[safe: r - 1]?.id : nil
            i.frequency = optional(text("frequency"))
            result = .intervention(i)
        case .substance:
            return EvaluationForms.buildSubstance(frame, today: today)
        case .patient, .roster, .evaluation, .none:
            return .failure(FieldErrors(["": "not an item"]))
        }
        return errors.isEmpty ? .success(result) : .failure(FieldErrors(errors))
    }

    /// The items of a sub-list of `draft`.
    static func items(of draft: FormDraft, field: String) -> [FormDraft] {
        switch (draft, field) {
        case (.patient(let p), "diagnoses"): p.diagnoses.map { .diagnosis($0) }
        case (.patient(let p), "medications"): p.medications.map { .medication($0) }
        case (.patient(let p), "screens"): p.drugScreens.map { .screen($0) }
        case (.patient(let p), "consents"): p.consents.map { .consent($0) }
        case (.patient(let p), "plan"): (p.treatmentPlan?.problems ?? []).map { .problem($0) }
        case (.problem(let p), "goals"): p.goals.map { .goal($0) }
        case (.goal(let g), "objectives"): g.objectives.map { .objective($0) }
        case (.objective(let o), "interventions"): o.interventions.map { .intervention($0) }
        case (.evaluation(let e), "substances"): e.substances.map { .substance($0) }
        default: []
        }
    }

    /// `draft` with its sub-list `field` replaced by `items`, and the summary lines for the form.
    static func setItems(_ draft: inout FormDraft, field: String, items: [FormDraft], doc: CaseloadDocument, today: LocalDate) -> [String] {
        switch (draft, field) {
        case (.patient(var p), "diagnoses"):
            p.diagnoses = items.compactMap { if case .diagnosis(let d) = $0 { d } else { nil } }
            draft = .patient(p); return p.diagnoses.map(summary)
        case (.patient(var p), "medications"):
            p.medications = items.compactMap { if case .medication(let m) = $0 { m } else { nil } }
            draft = .patient(p); return p.medications.map(summary)
        case (.patient(var p), "screens"):
            p.drugScreens = items.compactMap { if case .screen(let s) = $0 { s } else { nil } }.sorted { $0.date > $1.date }
            draft = .patient(p); return p.drugScreens.map(summary)
        case (.patient(var p), "consents"):
            p.consents = items.compactMap { if case .consent(let c) = $0 { c } else { nil } }
            draft = .patient(p); return p.consents.map { summary($0, today: today) }
        case (.patient(var p), "plan"):
            let problems = items.compactMap { if case .problem(let x) = $0 { x } else { nil } }
            if var plan = p.treatmentPlan {
                plan.problems = problems
                p.treatmentPlan = plan
            } else {
                p.treatmentPlan = TreatmentPlan(created: today, reviewDate: today.adding(days: 90), problems: problems)
            }
            draft = .patient(p); return problems.map(summary)
        case (.problem(var x), "goals"):
            x.goals = items.compactMap { if case .goal(let g) = $0 { g } else { nil } }
            draft = .problem(x); return x.goals.map(summary)
        case (.goal(var g), "objectives"):
            g.objectives = items.compactMap { if case .objective(let o) = $0 { o } else { nil } }
            draft = .goal(g); return g.objectives.map(summary)
        case (.objective(var o), "interventions"):
            o.interventions = items.compactMap { if case .intervention(let i) = $0 { i } else { nil } }
            draft = .objective(o); return o.interventions.map { summary($0, doc: doc) }
        case (.evaluation(var e), "substances"):
            e.substances = items.compactMap { if case .substance(let s) = $0 { s } else { nil } }
            draft = .evaluation(e); return e.substances.map(EvaluationText.summary)
        default:
            return []
        }
    }

    // MARK: Summaries (one line per sub-list item)

    static func summary(_ d: Diagnosis) -> String { "\(d.code) \(d.description)\(d.isPrimary ? " (primary)" : "")" }
    static func summary(_ m: Medication) -> String {
        [m.name, m.dose, m.schedule].filter { !$0.isEmpty }.joined(separator: " ") + (m.controlled ? " ⚑ controlled" : "") + (m.stopped.map { " · stopped \($0.iso)" } ?? "")
    }
    static func summary(_ s: DrugScreen) -> String {
        let positives = s.results.filter { $0.result == .positive }.map(\.substance)
        return "\(s.date.iso) \(s.panel)" + (positives.isEmpty ? " · negative" : " · POSITIVE \(positives.joined(separator: ", "))")
    }
    static func summary(_ c: Consent, today: LocalDate) -> String {
        let state: String
        switch c.state(on: today) {
        case .notYetSigned: state = "not yet signed"
        case .active: state = "active"
        case .expiring(let days): state = "expires in \(days) d"
        case .expired: state = "expired"
        case .revoked: state = "revoked \(c.revoked?.iso ?? "")"
        }
        return "\(c.recipient) · \(state)"
    }
    static func summary(_ p: PlanProblem) -> String { "\(firstLine(p.statement)) · \(p.goals.count) goal\(p.goals.count == 1 ? "" : "s")" }
    static func summary(_ g: PlanGoal) -> String { "\(firstLine(g.statement)) · \(g.objectives.count) objective\(g.objectives.count == 1 ? "" : "s")" }
    static func summary(_ o: PlanObjective) -> String { "\(firstLine(o.statement)) · by \(o.targetDate.iso)\(o.achieved == nil ? "" : " ✓")" }
    static func summary(_ i: PlanIntervention, doc: CaseloadDocument) -> String {
        "\(i.description) · \(i.modality.label)" + (i.frequency.map { " · \($0)" } ?? "")
    }

    static func label(_ reason: DischargeReason) -> String { reasons.first { $0.1 == reason }?.0 ?? reason.rawValue }

    // MARK: Helpers

    static func firstLine(_ text: String) -> String { String(text.split(separator: "\n", omittingEmptySubsequences: true).first ?? "") }

    static func optional(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }

    /// The IDs of the items under a draft, so a new item's ID is unique among its siblings.
    static func ids(of draft: FormDraft) -> [String] {
        switch draft {
        case .patient(let p):
            p.medications.map(\.id.rawValue) + p.drugScreens.map(\.id.rawValue) + p.consents.map(\.id.rawValue) + (p.treatmentPlan?.problems.map(\.id.rawValue) ?? [])
        case .problem(let p): p.goals.map(\.id.rawValue)
        case .goal(let g): g.objectives.map(\.id.rawValue)
        case .objective(let o): o.interventions.map(\.id.rawValue)
        default: []
        }
    }

    static func newItemID(_ prefix: String, existing: [String]) -> ItemID {
        let tag = NewIDs.tag
        var n = existing.count + 1
        while existing.contains("\(prefix)_\(n)\(tag)") { n += 1 }
        return ItemID("\(prefix)_\(n)\(tag)")
    }

    static func nextPatientID(_ doc: CaseloadDocument) -> PatientID {
        let taken = Set(doc.patients.map(\.id.rawValue))
        let tag = NewIDs.tag
        var n = doc.patients.count + 1
        while taken.contains(String(format: "pat_%04d", n) + tag) { n += 1 }
        return PatientID(String(format: "pat_%04d", n) + tag)
    }

    /// The next free MRN: the highest number among MRNs of the most common prefix, plus one (`RIV-1042` → `RIV-1043`).
    static func nextMRN(_ doc: CaseloadDocument) -> String {
        var prefixCounts: [String: Int] = [:]
        var highest: [String: Int] = [:]
        for mrn in doc.patients.map(\.mrn) {
            let digits = String(mrn.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
            guard !digits.isEmpty, let n = Int(digits.prefix(9)) else { continue }
            let prefix = String(mrn.dropLast(digits.count))
            prefixCounts[prefix, default: 0] += 1
            highest[prefix] = max(highest[prefix] ?? 0, n)
        }
        guard let prefix = prefixCounts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key else { return "MRN-1001" }
        let taken = Set(doc.patients.map(\.mrn))
        var n = (highest[prefix] ?? 1000) + 1
        while taken.contains("\(prefix)\(n)") { n += 1 }
        return "\(prefix)\(n)"
    }
}

/// Field errors keyed by form field ID.
struct FieldErrors: Error, Equatable {
    var byField: [String: String]
    init(_ byField: [String: String]) { self.byField = byField }
}
