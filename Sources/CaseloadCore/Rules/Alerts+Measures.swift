import Foundation

/// When outcome measures are due: at admission, then every `everyDays` days after the latest of each instrument.
public enum MeasureSchedule {
    /// Days past the due date a measure is "due"; after that it is "overdue". Both are warnings: a late questionnaire is
    /// not a same-day risk, and the critical level is kept for what is (the safety item).
    public static let graceDays = 7
    /// Days between measures in `program` (`clinical.measureEveryDays`, 30 by default).
    public static func everyDays(_ program: Program) -> Int { program.clinical.measureEveryDays }

    /// The instrument ids `program` schedules.
    public static func instruments(_ program: Program) -> [String] { Instrument.scheduledByDefault }

    /// The day `patient`'s next measure of `instrument` is due: the latest one's date plus `everyDays`, or the admission
    /// date (else the first care entry's) when there is none yet; nil for a patient with neither.
    public static func dueDate(for patient: Patient, instrument: String, everyDays: Int) -> LocalDate? {
        if let last = patient.measures.filter({ $0.instrument == instrument }).map(\.date).max() {
            return last.adding(days: max(1, everyDays))
        }
        return patient.admissionDate ?? patient.careHistory.first?.date
    }
}

extension Alerts {
    /// The outcome-measure alerts:
    ///
    /// - safetyFollowUp: every measure (of any patient, whatever their status) whose safety item (PHQ-9 item 9, or a
    ///   program instrument's) was answered above zero and has no follow-up recorded: critical, from the moment it is
    ///   saved until a clinician records the follow-up (`F` in the record). The first kind, so it heads the list.
    /// - measureDue: for each active patient, the program's scheduled instruments (PHQ-9, GAD-7 and BAM) whose next
    ///   measure (`MeasureSchedule.dueDate`: admission, then every `measureEveryDays` days, 30 by default) is due today
    ///   or was due in the last 7 days ("due"), or more than 7 days ago ("overdue"): a warning either way (the critical
    ///   level is kept for the safety item). One alert per patient, naming each instrument and since when.
    static func measureAlerts(_ doc: CaseloadDocument, today: LocalDate) -> [Alert] {
        var alerts: [Alert] = []
        let every = MeasureSchedule.everyDays(doc.program)
        let scheduled = MeasureSchedule.instruments(doc.program)
        for patient in doc.patients {
            for measure in patient.measures where measure.needsSafetyFollowUp {
                alerts.append(safetyAlert(patient, measure))
            }
            guard patient.status == .active else { continue }
            var overdue: [String] = [], due: [String] = [], first: LocalDate?
            for id in scheduled {
                guard let date = MeasureSchedule.dueDate(for: patient, instrument: id, everyDays: every), date <= today else { continue }
                let name = Instrument.find(id, in: Instrument.builtIns)?.name ?? id
                if date.days(until: today) > MeasureSchedule.graceDays {
                    overdue.append("\(name) (due \(dayText(date)))")
                } else {
                    due.append(date == today ? "\(name) (today)" : "\(name) (since \(dayText(date)))")
                }
                first = min(first ?? date, date)
            }
            guard !overdue.isEmpty || !due.isEmpty else { continue }
            var parts: [String] = []
            if !overdue.isEmpty { parts.append("measures overdue: " + overdue.joined(separator: ", ")) }
            if !due.isEmpty { parts.append((overdue.isEmpty ? "measures due: " : "due: ") + due.joined(separator: ", ")) }
            alerts.append(Alert(kind: .measureDue, patient: patient.id, date: first, message: parts.joined(separator: "; "),
                                severity: .warning))
        }
        return alerts
    }

    /// "PHQ-9 item 9 (self-harm thoughts) scored 2 on Wed 2026-12-02: follow up today (F in the record)".
    static func safetyAlert(_ patient: Patient, _ measure: Measure) -> Alert {
        let instrument = Instrument.find(measure.instrument, in: Instrument.builtIns)
        let name = instrument?.name ?? measure.instrument
        let item = measure.safetyItem ?? 0
        let label = instrument?.item(item).map { " (\($0.label))" } ?? " (safety item)"
        return Alert(kind: .safetyFollowUp, patient: patient.id, date: measure.date,
                     message: "\(name) item \(item)\(label) scored \(measure.safetyScore ?? 0) on \(dayText(measure.date)): follow up today and record it (F in the record)",
                     severity: .critical)
    }
}
