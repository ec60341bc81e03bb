import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// The audit trail names ids and field paths, never what the record says (issue 17): the demo's trail, and the
/// entries for a scripted set of edits, scanned for every patient's identifying values and every note sentence.
@Suite struct AuditPHITests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    /// What must never reach the trail: each patient's names, phone, email, MRN, birth date and emergency contact, and
    /// every sentence (20 characters or more) of every note, group note and addendum.
    static func secrets(_ document: CaseloadDocument) -> Set<String> {
        var out = Set<String>()
        func add(_ value: String?) {
            guard let value, value.count >= 4 else { return }
            out.insert(value)
        }
        func sentences(_ text: String) {
            var sentence = ""
            for ch in text {
                if ch == "\n" || ch == "\r" {
                    if sentence.trimmingCharacters(in: .whitespaces).count >= 20 { out.insert(sentence.trimmingCharacters(in: .whitespaces)) }
                    sentence = ""
                    continue
                }
                sentence.append(ch)
                if ch == "." || ch == "!" || ch == "?" {
                    let trimmed = sentence.trimmingCharacters(in: .whitespaces)
                    if trimmed.count >= 20 { out.insert(trimmed) }
                    sentence = ""
                }
            }
            let rest = sentence.trimmingCharacters(in: .whitespaces)
            if rest.count >= 20 { out.insert(rest) }
        }
        for p in document.patients {
            add(p.legalName); add(p.preferredName); add(p.phone); add(p.email); add(p.mrn); add(p.dateOfBirth?.iso)
            add(p.emergencyContact?.name); add(p.emergencyContact?.phone)
        }
        for s in document.sessions {
            if let note = s.groupNote {
                sentences(note.narrative)
                note.addenda.forEach { sentences($0.text) }
            }
            for note in s.memberNotes {
                note.sections.forEach { sentences($0.text) }
                note.addenda.forEach { sentences($0.text) }
            }
        }
        return out
    }

    /// The secrets found in `bytes`.
    static func found(_ secrets: Set<String>, in bytes: [UInt8]) -> [String] {
        let data = Data(bytes)
        return secrets.filter { data.range(of: Data($0.utf8)) != nil }.sorted()
    }

    static func records(_ events: [AuditEvent], who: String = "dreyes", at: Date = now) -> [AuditRecord] {
        events.map { AuditRecord(at: at, who: who, identity: .account, event: $0) }
    }

    @Test func theDemosTrailNamesNoPatientValueAndNoNoteSentence() throws {
        let document = DemoProgram.generate(seed: 1, size: .small, now: Self.now)
        let secrets = Self.secrets(document)
        // Enough to mean something: every patient's values and thousands of note sentences.
        #expect(secrets.count > 500, "only \(secrets.count) secrets")
        let days = document.sessions.map(\.date)
        let last = try #require(days.max())
        let events = DemoAuditTrail.events(for: document, from: last.adding(days: -27), to: last, identity: .account)
        #expect(events.count > 1000)
        #expect(Set(events.map(\.event.action)).isSuperset(of: [AuditAction.documentOpen, AuditAction.recordOpen, AuditAction.notesOpen,
                                                                AuditAction.edit, AuditAction.sign, AuditAction.letter, AuditAction.report]))
        let trail = try AuditTrail.write(events.map { AuditRecord(at: $0.at, who: $0.who, identity: $0.identity, event: $0.event) },
                                         seal: .fresh(), encrypted: false)
        #expect(Self.found(secrets, in: trail.bytes) == [])
        // The scan can fail: the same trail with one legal name in an id is caught.
        let name = try #require(document.patients.first?.legalName)
        let leaky = try AuditTrail.write(Self.records([AuditEvent(AuditAction.recordOpen, ["patient:\(name)"])]), seal: trail.seal, encrypted: false)
        #expect(Self.found(secrets, in: trail.bytes + leaky.bytes) == [name])
    }

    @Test func theEntriesForRollNotesSigningAPhoneAndAConsentNameNoValue() throws {
        var document = DemoProgram.generate(seed: 2, size: .small, now: Self.now)
        var secrets = Self.secrets(document)
        var events: [AuditEvent] = []
        func apply(_ edit: DocumentEdit, _ change: (inout CaseloadDocument) -> Void) {
            let before = document
            change(&document)
            events += AuditEvent.changes(by: edit, from: before, to: document)
        }
        // A held session with members on its roll.
        let index = try #require(document.sessions.firstIndex { s in
            s.attendance.count >= 2 && s.attendance[1].status != .absent && !(s.memberNotes.first { $0.patient == s.attendance[0].patient }?.isSigned ?? false)
        })
        let patient = document.sessions[index].attendance[0].patient
        let other = document.sessions[index].attendance[1].patient
        let sentence = "Spoke at length about the argument with the landlord over the broken boiler."
        let addendum = "Called back later that evening to say the boiler was mended at last."
        secrets.insert(sentence); secrets.insert(addendum)
        let staff = try #require(document.staff.first?.id)
        // Roll: one member marked absent.
        apply(.putSession(document.sessions[index])) { $0.sessions[index].mark(other, .absent) }
        let edited = document.sessions[index]
        // A note written (a fresh, unsigned one for the first member), then signed, then an addendum.
        var session = edited
        if session.memberNotes.contains(where: { $0.patient == patient }) { try session.removeMemberNote(for: patient) }
        var note = MemberNote(patient: patient, format: .dap)
        note.sections[0].text = sentence
        try session.setMemberNote(note)
        apply(.putSession(session)) { $0.sessions[index] = session }
        try session.signMemberNote(for: patient, Signature(by: staff, at: Timestamp(Self.now)))
        apply(.putSession(session)) { $0.sessions[index] = session }
        try session.addMemberAddendum(for: patient, Addendum(by: staff, at: Timestamp(Self.now), text: addendum))
        apply(.putSession(session)) { $0.sessions[index] = session }
        // The patient's phone changed, and a consent revoked.
        let p = try #require(document.patients.firstIndex { $0.id == patient })
        let newPhone = "312-555-0177"
        secrets.insert(newPhone)
        var changed = document.patients[p]
        changed.phone = newPhone
        apply(.putPatient(changed)) { $0.patients[p] = changed }
        let c = try #require(document.patients.firstIndex { !$0.consents.isEmpty })
        var consenting = document.patients[c]
        consenting.consents[0].revoked = LocalDate(year: 2026, month: 11, day: 20)
        apply(.putPatient(consenting)) { $0.patients[c] = consenting }

        // Each change made its entry, naming ids and field paths.
        let actions = events.map(\.action)
        #expect(actions.filter { $0 == AuditAction.edit }.count >= 4, "\(actions)")
        #expect(actions.contains(AuditAction.sign) && actions.contains(AuditAction.addendum), "\(actions)")
        #expect(events.contains { $0.ids.contains("field:phone") && $0.ids.contains(AuditEvent.patient(patient)) })
        #expect(events.contains { $0.ids.contains { $0.hasPrefix("field:consents[") && $0.hasSuffix("].revoked") } })
        let trail = try AuditTrail.write(Self.records(events), seal: .fresh(), encrypted: false)
        #expect(Self.found(secrets, in: trail.bytes) == [])
    }
}
