import CaseloadCore
import Foundation

/// A small hand-made program for rule tests: two phases, one evening group, two patients.
enum TestDocument {
    static func date(_ text: String) -> LocalDate {
        guard let d = LocalDate(iso: text) else { preconditionFailure("bad test date \(text)") }
        return d
    }
    static func time(_ text: String) -> LocalTime {
        guard let t = LocalTime(text: text) else { preconditionFailure("bad test time \(text)") }
        return t
    }

    static let program = Program(
        name: "Test IOP", timeZone: "America/Chicago", firstWeekday: .mon,
        dayStart: time("08:00"), dayEnd: time("21:30"),
        phases: [
            Phase(id: "p1", name: "Phase I", levelOfCare: .intensiveOutpatient, requiredSessionsPerWeek: 3, requiredMinutesPerWeek: 540, typicalWeeks: 4),
            Phase(id: "p2", name: "Phase II", levelOfCare: .intensiveOutpatient, requiredSessionsPerWeek: 2, requiredMinutesPerWeek: 360, typicalWeeks: 5),
        ],
        rooms: [Room(id: "r1", name: "Room 1"), Room(id: "r2", name: "Room 2")]
    )

    static let ana = Patient(
        id: "pat_ana", mrn: "T-001", legalName: "Ana María Núñez", preferredName: "Ana",
        primaryClinician: "st_dana", admissionDate: date("2026-11-02"),
        careHistory: [CareEntry(date: date("2026-11-02"), levelOfCare: .intensiveOutpatient, phase: "p1")]
    )
    static let minjun = Patient(
        id: "pat_minjun", mrn: "T-002", legalName: "김민준",
        primaryClinician: "st_dana", admissionDate: date("2026-11-02"),
        careHistory: [CareEntry(date: date("2026-11-02"), levelOfCare: .intensiveOutpatient, phase: "p1")]
    )

    /// IOP-A: Mon/Wed/Thu 18:00–21:00 from 2026-11-02, both patients on the roster.
    static let iopA = Series(
        id: "ser_a", title: "IOP-A", kind: .group, modality: .process, facilitator: "st_dana", room: "r2",
        weekdays: [.mon, .wed, .thu], start: time("18:00"), durationMinutes: 180, startDate: date("2026-11-02"),
        roster: [RosterEntry(patient: "pat_ana", joined: date("2026-11-02")), RosterEntry(patient: "pat_minjun", joined: date("2026-11-02"))]
    )

    static let dana = Staff(id: "st_dana", name: "Dana Reyes", credentials: "LCSW", role: .clinician, login: "dana")

    static func document() -> CaseloadDocument {
        CaseloadDocument(program: program, staff: [dana], patients: [ana, minjun], series: [iopA])
    }

    static func at(_ text: String) -> Timestamp {
        guard let t = Timestamp(iso: text) else { preconditionFailure("bad test timestamp \(text)") }
        return t
    }
}
