import Foundation

/// What the patient list marks beside a name.
public struct PatientFlags: Equatable, Sendable {
    /// Probation, parole or drug court, when attendance is a legal condition.
    public var supervision: SupervisionKind?
    /// The patient's unsigned member notes on sessions that ended more than 72 hours ago.
    public var unsignedNotes: Int
    /// Consents whose last valid day is within 14 days.
    public var consentsExpiring: Int
    /// Consents past their expiry date (revoked ones are not counted).
    public var consentsExpired: Int
    /// Measures whose safety item was answered above zero with no follow-up recorded yet (drawn red).
    public var safetyFollowUps: Int

    public init(supervision: SupervisionKind? = nil, unsignedNotes: Int = 0, consentsExpiring: Int = 0, consentsExpired: Int = 0, safetyFollowUps: Int = 0) {
        self.supervision = supervision; self.unsignedNotes = unsignedNotes
        self.consentsExpiring = consentsExpiring; self.consentsExpired = consentsExpired; self.safetyFollowUps = safetyFollowUps
    }
}

/// Flags for every patient, computed once per document change.
public enum PatientFlagIndex {
    /// How long after a session ends its notes are overdue for signing.
    public static let signingWindowHours = 72

    /// Flags for every patient in `doc`. A note is overdue when its session's end, in the program's time zone, is more than
    /// 72 hours before `now`; consents are judged on `today`. Builds the schedule index to read the unsigned notes from.
    public static func build(_ doc: CaseloadDocument, now: Date, today: LocalDate) -> [PatientID: PatientFlags] {
        build(doc, schedule: ScheduleIndex(doc), now: now, today: today)
    }

    /// The flags from the schedule index, which keeps the sessions with unsigned notes: costs the number of patients and of
    /// sessions with unsigned notes, not the length of the history (the Patients pane rebuilds them on every edit).
    public static func build(_ doc: CaseloadDocument, schedule: ScheduleIndex, now: Date, today: LocalDate) -> [PatientID: PatientFlags] {
        var flags = consentFlags(doc, today: today)
        for (patient, count) in schedule.unsignedMemberNotes(endedBefore: signingCutoff(doc, now: now)) {
            flags[patient]?.unsignedNotes += count
        }
        return flags
    }

    /// The same flags, taking each patient not in `changed` from `kept` (flags computed on the same day from the document
    /// before an edit that changed sessions and only the `changed` patients): the unsigned notes are counted again, the
    /// consents and supervision only for the changed patients.
    public static func build(_ doc: CaseloadDocument, schedule: ScheduleIndex, now: Date, today: LocalDate,
                             keeping kept: [PatientID: PatientFlags], changed: Set<PatientID>) -> [PatientID: PatientFlags] {
        var flags = kept
        for (id, f) in kept where f.unsignedNotes > 0 { flags[id]?.unsignedNotes = 0 }
        for id in changed {
            if let i = doc.patientIndex(id) {
                flags[id] = consentFlags(doc.patients[i], today: today)
            } else {
                flags[id] = nil
            }
        }
        for (patient, count) in schedule.unsignedMemberNotes(endedBefore: signingCutoff(doc, now: now)) {
            flags[patient]?.unsignedNotes += count
        }
        return flags
    }

    /// The signing cutoff (72 hours before `now`) in wall-clock minutes since 1970-01-01 in the program's zone; compared
    /// with each session's end once, instead of converting every end to an instant.
    static func signingCutoff(_ doc: CaseloadDocument, now: Date) -> Int {
        let zone = TimeZone(identifier: doc.program.timeZone) ?? .gmt
        let cutoff = Recurrence.local(now.addingTimeInterval(-TimeInterval(signingWindowHours * 3600)), in: zone)
        return cutoff.date.dayNumber * 1440 + cutoff.time.minutes
    }

    /// Every patient's supervision and consent flags, with no unsigned notes counted yet.
    static func consentFlags(_ doc: CaseloadDocument, today: LocalDate) -> [PatientID: PatientFlags] {
        var flags: [PatientID: PatientFlags] = [:]
        flags.reserveCapacity(doc.patients.count)
        for i in doc.patients.indices { flags[doc.patients[i].id] = consentFlags(doc.patients[i], today: today) }
        return flags
    }

    /// One patient's supervision, consent and safety follow-up flags.
    static func consentFlags(_ patient: Patient, today: LocalDate) -> PatientFlags {
        var f = PatientFlags(supervision: patient.legal?.kind)
        f.safetyFollowUps = patient.measures.reduce(0) { $0 + ($1.needsSafetyFollowUp ? 1 : 0) }
        for consent in patient.consents {
            switch consent.state(on: today, expiringWithinDays: 14) {
            case .expiring: f.consentsExpiring += 1
            case .expired: f.consentsExpired += 1
            case .notYetSigned, .active, .revoked: break
            }
        }
        return f
    }
}
