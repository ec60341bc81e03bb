import CaseloadCore
import Foundation

/// One top-level entity of a document: what a save that writes only what changed re-encodes alone.
public enum DocumentEntity: Sendable {
    case program(Program)
    case staff(Staff)
    case patient(Patient)
    case series(Series)
    case session(Session)
}

/// Writes the model straight to bytes, keys in sorted order, exactly as the Foundation-based reference encoder
/// (`ReferenceCodec`) writes the same document. Optional values that are nil are left out, as Foundation leaves them out.
enum DocumentWriter {
    /// Nesting level of each element of the top-level lists in a whole file (`program`, a member of the top level, is at 1).
    static let entityLevel = 2

    /// The whole file, ending with a newline.
    static func encode(_ document: CaseloadDocument, audit: AuditSeal? = nil) -> Data {
        // Most of a file is its sessions; a guess near the final size saves regrowing.
        var w = JSONWriter(capacity: 4096 + document.sessions.count * 1400 + document.patients.count * 4000, level: 0)
        w.beginObject()
        if let audit { w.key("audit"); w.auditSeal(audit) }
        w.key("format"); w.string(DocumentCodec.formatName)
        w.key("patients"); w.array(document.patients) { w, p in w.patient(p) }
        w.key("program"); w.program(document.program)
        w.key("schemaVersion"); w.int(DocumentCodec.currentVersion)
        w.key("series"); w.array(document.series) { w, s in w.series(s) }
        w.key("sessions"); w.array(document.sessions) { w, s in w.session(s) }
        w.key("staff"); w.array(document.staff) { w, s in w.staff(s) }
        w.endObject()
        w.byte(0x0A)
        return w.data()
    }

    /// One entity's bytes as they stand in a whole file (from its `{` to its `}`, indented for its place there).
    static func encode(_ entity: DocumentEntity) -> [UInt8] {
        var w: JSONWriter
        if case .program = entity { w = JSONWriter(capacity: 2048, level: 1) } else { w = JSONWriter(capacity: 2048, level: entityLevel) }
        switch entity {
        case .program(let value): w.program(value)
        case .staff(let value): w.staff(value)
        case .patient(let value): w.patient(value)
        case .series(let value): w.series(value)
        case .session(let value): w.session(value)
        }
        return w.bytes()
    }
}

extension JSONWriter {
    @inline(__always)
    mutating func optionalString(_ key: StaticString, _ value: String?) {
        if let value { self.key(key); string(value) }
    }

    @inline(__always)
    mutating func optionalDate(_ key: StaticString, _ value: LocalDate?) {
        if let value { self.key(key); date(value) }
    }

    @inline(__always)
    mutating func optionalID<T: TypedID>(_ key: StaticString, _ value: T?) {
        if let value { self.key(key); string(value.rawValue) }
    }

    @inline(__always)
    mutating func optionalInt(_ key: StaticString, _ value: Int?) {
        if let value { self.key(key); int(value) }
    }

    // MARK: Program and staff

    mutating func program(_ p: Program) {
        beginObject()
        key("attendancePolicy")
        beginObject()
        key("consecutiveAbsencesAlert"); int(p.attendancePolicy.consecutiveAbsencesAlert)
        key("excusedNoticeHours"); int(p.attendancePolicy.excusedNoticeHours)
        key("unexcusedAbsencesAllowed"); int(p.attendancePolicy.unexcusedAbsencesAllowed)
        key("windowWeeks"); int(p.attendancePolicy.windowWeeks)
        endObject()
        if p.clinical != ClinicalSettings() {
            key("clinical")
            beginObject()
            key("coSignatureAlertDays"); int(p.clinical.coSignatureAlertDays)
            key("evaluationReviewDays"); int(p.clinical.evaluationReviewDays)
            key("measureEveryDays"); int(p.clinical.measureEveryDays)
            endObject()
        }
        key("dayEnd"); time(p.dayEnd)
        key("dayStart"); time(p.dayStart)
        key("defaultNoteFormat"); string(p.defaultNoteFormat.rawValue)
        key("firstWeekday"); string(p.firstWeekday.rawValue)
        key("name"); string(p.name)
        key("phases"); array(p.phases) { w, phase in
            w.beginObject()
            w.key("id"); w.string(phase.id.rawValue)
            w.key("levelOfCare"); w.string(phase.levelOfCare.rawValue)
            w.key("name"); w.string(phase.name)
            w.key("requiredMinutesPerWeek"); w.int(phase.requiredMinutesPerWeek)
            w.key("requiredSessionsPerWeek"); w.int(phase.requiredSessionsPerWeek)
            w.optionalInt("typicalWeeks", phase.typicalWeeks)
            w.endObject()
        }
        key("redisclosureNotice"); string(p.redisclosureNotice)
        key("rooms"); array(p.rooms) { w, room in
            w.beginObject()
            w.optionalInt("capacity", room.capacity)
            w.key("id"); w.string(room.id.rawValue)
            w.key("name"); w.string(room.name)
            w.endObject()
        }
        key("timeZone"); string(p.timeZone)
        endObject()
    }

    mutating func staff(_ s: Staff) {
        beginObject()
        key("credentials"); string(s.credentials)
        key("id"); string(s.id.rawValue)
        key("login"); string(s.login)
        key("name"); string(s.name)
        if s.needsCoSignature { key("needsCoSignature"); bool(true) }
        key("role"); string(s.role.rawValue)
        optionalID("supervisor", s.supervisor)
        endObject()
    }

    // MARK: Patients

    mutating func patient(_ p: Patient) {
        beginObject()
        optionalDate("admissionDate", p.admissionDate)
        key("careHistory"); array(p.careHistory) { w, c in
            w.beginObject()
            w.key("date"); w.date(c.date)
            w.key("levelOfCare"); w.string(c.levelOfCare.rawValue)
            w.optionalString("note", c.note)
            w.key("phase"); w.string(c.phase.rawValue)
            w.endObject()
        }
        key("consents"); array(p.consents) { w, c in w.consent(c) }
        optionalDate("dateOfBirth", p.dateOfBirth)
        key("diagnoses"); array(p.diagnoses) { w, d in
            w.beginObject()
            w.key("code"); w.string(d.code)
            w.key("description"); w.string(d.description)
            w.key("isPrimary"); w.bool(d.isPrimary)
            w.endObject()
        }
        if !p.disclosures.isEmpty {
            key("disclosures"); array(p.disclosures) { w, d in
                w.beginObject()
                w.optionalID("by", d.by)
                w.key("consent"); w.string(d.consent.rawValue)
                w.key("date"); w.date(d.date)
                w.key("from"); w.date(d.from)
                w.key("id"); w.string(d.id.rawValue)
                w.key("recipient"); w.string(d.recipient)
                w.key("to"); w.date(d.to)
                w.key("what"); w.string(d.what)
                w.endObject()
            }
        }
        key("drugScreens"); array(p.drugScreens) { w, s in
            w.beginObject()
            w.key("date"); w.date(s.date)
            w.key("id"); w.string(s.id.rawValue)
            w.key("observed"); w.bool(s.observed)
            w.key("panel"); w.string(s.panel)
            w.key("results"); w.array(s.results) { w, r in
                w.beginObject()
                w.key("result"); w.string(r.result.rawValue)
                w.key("substance"); w.string(r.substance)
                w.endObject()
            }
            w.endObject()
        }
        optionalString("email", p.email)
        if let contact = p.emergencyContact {
            key("emergencyContact")
            beginObject()
            key("name"); string(contact.name)
            key("phone"); string(contact.phone)
            optionalString("relationship", contact.relationship)
            endObject()
        }
        optionalDate("expectedDischarge", p.expectedDischarge)
        key("id"); string(p.id.rawValue)
        if let legal = p.legal {
            key("legal")
            beginObject()
            optionalString("caseNumber", legal.caseNumber)
            key("contact"); string(legal.contact)
            key("kind"); string(legal.kind.rawValue)
            optionalInt("mandatedMinutes", legal.mandatedMinutes)
            key("officer"); string(legal.officer)
            key("reportingFrequency"); string(legal.reportingFrequency)
            endObject()
        }
        key("legalName"); string(p.legalName)
        key("medications"); array(p.medications) { w, m in
            w.beginObject()
            w.key("controlled"); w.bool(m.controlled)
            w.key("dose"); w.string(m.dose)
            w.key("id"); w.string(m.id.rawValue)
            w.key("name"); w.string(m.name)
            w.optionalString("prescriber", m.prescriber)
            w.key("schedule"); w.string(m.schedule)
            w.optionalDate("started", m.started)
            w.optionalDate("stopped", m.stopped)
            w.endObject()
        }
        key("mrn"); string(p.mrn)
        optionalString("phone", p.phone)
        optionalString("preferredName", p.preferredName)
        optionalID("primaryClinician", p.primaryClinician)
        optionalString("pronouns", p.pronouns)
        optionalString("referralSource", p.referralSource)
        if !p.reportedAbsences.isEmpty {
            key("reportedAbsences"); array(p.reportedAbsences) { w, a in
                w.beginObject()
                w.optionalID("by", a.by)
                w.key("date"); w.date(a.date)
                w.key("note"); w.string(a.note)
                w.key("reportedOn"); w.date(a.reportedOn)
                w.key("session"); w.string(a.session.rawValue)
                w.endObject()
            }
        }
        key("status")
        beginObject()
        if case .discharged(let date, let reason) = p.status {
            key("date"); self.date(date)
            key("reason"); string(reason.rawValue)
        }
        key("state"); string(p.status.kind)
        endObject()
        optionalString("track", p.track)
        if let plan = p.treatmentPlan { key("treatmentPlan"); treatmentPlan(plan) }
        endObject()
    }

    mutating func consent(_ c: Consent) {
        beginObject()
        optionalDate("expires", c.expires)
        optionalString("expiryEvent", c.expiryEvent)
        key("id"); string(c.id.rawValue)
        key("information"); string(c.information)
        optionalDate("irrevocableUntil", c.irrevocableUntil)
        key("purpose"); string(c.purpose)
        key("recipient"); string(c.recipient)
        optionalDate("revoked", c.revoked)
        key("signed"); date(c.signed)
        endObject()
    }

    mutating func treatmentPlan(_ plan: TreatmentPlan) {
        beginObject()
        key("created"); date(plan.created)
        key("problems"); array(plan.problems) { w, problem in
            w.beginObject()
            w.key("goals"); w.array(problem.goals) { w, goal in
                w.beginObject()
                w.key("id"); w.string(goal.id.rawValue)
                w.key("objectives"); w.array(goal.objectives) { w, o in
                    w.beginObject()
                    w.optionalDate("achieved", o.achieved)
                    w.key("id"); w.string(o.id.rawValue)
                    w.key("interventions"); w.array(o.interventions) { w, i in
                        w.beginObject()
                        w.key("description"); w.string(i.description)
                        w.optionalString("frequency", i.frequency)
                        w.key("id"); w.string(i.id.rawValue)
                        w.key("modality"); w.string(i.modality.rawValue)
                        w.optionalID("responsible", i.responsible)
                        w.endObject()
                    }
                    w.key("statement"); w.string(o.statement)
                    w.key("targetDate"); w.date(o.targetDate)
                    w.endObject()
                }
                w.key("statement"); w.string(goal.statement)
                w.endObject()
            }
            w.key("id"); w.string(problem.id.rawValue)
            w.key("statement"); w.string(problem.statement)
            w.endObject()
        }
        key("reviewDate"); date(plan.reviewDate)
        endObject()
    }

    // MARK: Series and sessions

    mutating func series(_ s: Series) {
        beginObject()
        key("durationMinutes"); int(s.durationMinutes)
        optionalDate("endDate", s.endDate)
        optionalID("facilitator", s.facilitator)
        key("id"); string(s.id.rawValue)
        key("kind"); string(s.kind.rawValue)
        optionalString("modality", s.modality?.rawValue)
        optionalID("room", s.room)
        key("roster"); array(s.roster) { w, r in
            w.beginObject()
            w.key("joined"); w.date(r.joined)
            w.optionalDate("left", r.left)
            w.key("patient"); w.string(r.patient.rawValue)
            w.endObject()
        }
        key("start"); time(s.start)
        key("startDate"); date(s.startDate)
        key("title"); string(s.title)
        key("weekdays"); array(s.weekdays) { w, d in w.string(d.rawValue) }
        endObject()
    }

    mutating func session(_ s: Session) {
        beginObject()
        key("added"); array(s.added) { w, id in w.string(id.rawValue) }
        key("attendance"); array(s.attendance) { w, mark in
            w.beginObject()
            switch mark.status {
            case .leftEarly(let minutes): w.key("minutesAttended"); w.int(minutes)
            case .late(let minutes): w.key("minutesLate"); w.int(minutes)
            default: break
            }
            w.key("patient"); w.string(mark.patient.rawValue)
            if case .excused(let reason) = mark.status { w.key("reason"); w.string(reason) }
            w.key("status"); w.string(mark.status.kind)
            w.endObject()
        }
        key("date"); date(s.date)
        key("durationMinutes"); int(s.durationMinutes)
        optionalID("facilitator", s.facilitator)
        if let note = s.groupNote {
            key("groupNote")
            beginObject()
            key("addenda"); array(note.addenda) { w, a in w.addendum(a) }
            optionalID("author", note.author)
            optionalString("modality", note.modality?.rawValue)
            key("narrative"); string(note.narrative)
            if let signature = note.signature { key("signature"); self.signature(signature) }
            key("topic"); string(note.topic)
            if let updated = note.updated { key("updated"); timestamp(updated) }
            endObject()
        }
        key("id"); string(s.id.rawValue)
        key("kind"); string(s.kind.rawValue)
        key("memberNotes"); array(s.memberNotes) { w, note in
            w.beginObject()
            w.key("addenda"); w.array(note.addenda) { w, a in w.addendum(a) }
            w.optionalID("author", note.author)
            w.key("format"); w.string(note.format.rawValue)
            w.key("patient"); w.string(note.patient.rawValue)
            w.key("sections"); w.array(note.sections) { w, section in
                w.beginObject()
                w.key("heading"); w.string(section.heading)
                w.key("text"); w.storedText(section.storedText)
                w.endObject()
            }
            if let signature = note.signature { w.key("signature"); w.signature(signature) }
            if let updated = note.updated { w.key("updated"); w.timestamp(updated) }
            w.endObject()
        }
        optionalString("modality", s.modality?.rawValue)
        optionalDate("occurrenceDate", s.occurrenceDate)
        key("removed"); array(s.removed) { w, id in w.string(id.rawValue) }
        optionalID("room", s.room)
        optionalID("series", s.series)
        key("start"); time(s.start)
        key("status")
        beginObject()
        switch s.status {
        case .cancelled(let reason), .didNotTakePlace(let reason): key("reason"); string(reason)
        case .scheduled, .held: break
        }
        key("state"); string(s.status.kind)
        endObject()
        key("title"); string(s.title)
        endObject()
    }

    mutating func addendum(_ a: Addendum) {
        beginObject()
        key("at"); timestamp(a.at)
        key("by"); string(a.by.rawValue)
        key("text"); string(a.text)
        endObject()
    }

    mutating func signature(_ s: Signature) {
        beginObject()
        key("at"); timestamp(s.at)
        key("by"); string(s.by.rawValue)
        if let co = s.coSignature {
            key("coSignature")
            beginObject()
            key("at"); timestamp(co.at)
            key("by"); string(co.by.rawValue)
            endObject()
        }
        if s.needsCoSignature { key("needsCoSignature"); bool(true) }
        endObject()
    }
}
