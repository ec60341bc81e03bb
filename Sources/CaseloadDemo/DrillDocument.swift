import CaseloadCore
import Foundation

/// A tiny document that grows by one patient per step, so a crash test can tell exactly which state a file holds.
public enum DrillDocument {
    static let scripts = ["José Núñez", "Nguyễn Thị Mai", "김민준", "Zoë O'Brien", "Дмитрий Волков", "陈静", "فاطمة السيد", "Siobhán Ní Bhriain"]

    /// The document after `step` edits: the same bytes for the same step, every time.
    public static func state(_ step: Int) -> CaseloadDocument {
        let program = Program(
            name: "Drill IOP", timeZone: "America/Chicago", dayStart: LocalTime(hour: 8, minute: 0) ?? .midnight,
            dayEnd: LocalTime(hour: 21, minute: 0) ?? .midnight,
            phases: [Phase(id: "ph1", name: "Phase I", levelOfCare: .intensiveOutpatient, requiredSessionsPerWeek: 3, requiredMinutesPerWeek: 540, typicalWeeks: 4)],
            rooms: [Room(id: "r1", name: "Room 1")]
        )
        var doc = CaseloadDocument(program: program, staff: [Staff(id: "st1", name: "Drill Counselor", credentials: "CADC", role: .clinician, login: "drill")])
        let admitted = LocalDate(year: 2026, month: 1, day: 5) ?? LocalDate(dayNumber: 20458)
        for i in 0..<max(0, step) {
            let name = scripts[i % scripts.count] + " \(i)"
            doc.patients.append(Patient(
                id: PatientID(String(format: "pat_%06d", i)), mrn: "DR-\(100000 + i)", legalName: name,
                primaryClinician: "st1", admissionDate: admitted,
                careHistory: [CareEntry(date: admitted, levelOfCare: .intensiveOutpatient, phase: "ph1")]
            ))
        }
        return doc
    }
}
