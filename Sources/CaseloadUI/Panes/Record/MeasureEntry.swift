import CaseloadCore
import Foundation

// The measure form (`M` in the record): choose the instrument, one key per item score (Backspace goes back an item)
// with the running total and band shown, the date (today by default), then a signature asked for by name. Saving is one
// undoable edit (MeasureEdits.add); a safety item above zero says so on the status line at once and raises the alert.

/// The measure form while it is open: which patient and instrument, the scores entered so far, the date, and the step.
public struct MeasureEntry: Equatable, Sendable {
    /// Where the form is.
    public enum Step: Equatable, Sendable {
        /// Choosing the instrument (a digit or j/k and Enter).
        case choose
        /// Entering item scores: the next item is `scores.count + 1`.
        case scores
        /// The date the patient filled it in.
        case date
        /// Asked to sign by name: `y` saves and signs.
        case confirm
    }

    public var patient: PatientID
    public var instruments: [Instrument]
    /// The highlighted (or chosen) instrument.
    public var choice = 0
    public var step = Step.choose
    public var scores: [Int] = []
    /// The date as typed; `pristine` until a key changes it (the first key typed replaces it).
    public var dateText: String
    public var datePristine = true
    /// Why the last key was refused ("3 is not a score of item 2 (0–3)").
    public var error: String?

    public init(patient: PatientID, instruments: [Instrument], today: LocalDate) {
        self.patient = patient; self.instruments = instruments; self.dateText = today.iso
    }

    /// The chosen instrument.
    public var instrument: Instrument? { instruments[safe: choice] }
}

/// `M` in the record: opens the measure form for the record's patient (refused read-only or for someone who cannot sign).
func openMeasureEntry(_ state: inout AppState, _ patient: PatientID) -> [Effect] {
    guard refuseIfReadOnly(&state) else { return [] }
    // Asked before the form opens, so nobody enters a measure that cannot be signed.
    guard state.signer != nil else { return refuseToSign(&state) }
    state.measureEntry = MeasureEntry(patient: patient, instruments: state.instruments, today: state.today)
    state.message = nil
    return []
}

/// The form's keys (`Keymaps.measureEntry`, with digits and typing outside the table).
func handleMeasureEntryKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard var entry = state.measureEntry else { return [] }
    entry.error = nil
    let action = Keymaps.measureEntry.action(for: key)
    if action == .cancel {
        state.measureEntry = nil
        state.message = StatusMessage("Measure not saved")
        return []
    }
    switch entry.step {
    case .choose:
        switch action {
        case .moveDown?: entry.choice = min(entry.choice + 1, max(0, entry.instruments.count - 1))
        case .moveUp?: entry.choice = max(0, entry.choice - 1)
        case .submit?: entry.step = .scores
        default:
            if case .char(let c) = key, let n = c.wholeNumberValue, n >= 1, n <= entry.instruments.count {
                entry.choice = n - 1
                entry.step = .scores
            } else {
                entry.error = "choose an instrument: 1–\(entry.instruments.count), or j/k and Enter"
            }
        }
    case .scores:
        guard let instrument = entry.instrument else { break }
        if action == .deleteBackward {
            if entry.scores.isEmpty { entry.step = .choose } else { entry.scores.removeLast() }
        } else if case .char(let c) = key, let n = c.wholeNumberValue, let item = instrument.items[safe: entry.scores.count] {
            if item.range.contains(n) {
                entry.scores.append(n)
                if entry.scores.count == instrument.items.count { entry.step = .date }
            } else {
                entry.error = "item \(item.number) is scored \(item.range.lowerBound)–\(item.range.upperBound)"
            }
        } else {
            entry.error = "type the score of each item (one digit); Backspace goes back an item"
        }
    case .date:
        switch action {
        case .deleteBackward?:
            if entry.datePristine || entry.dateText.isEmpty {
                // Back to the last item, its score taken off, as a Backspace there would.
                entry.scores.removeLast()
                entry.step = .scores
                entry.dateText = state.today.iso
                entry.datePristine = true
            } else {
                entry.dateText.removeLast()
            }
        case .submit?:
            guard let date = DateInput.parse(entry.dateText, today: state.today) else {
                entry.error = "not a date: type today, yesterday, -3d or 2026-11-27"
                break
            }
            guard date <= state.today else {
                entry.error = "a measure is dated the day it was filled in: today or earlier"
                break
            }
            entry.dateText = date.iso
            entry.datePristine = true
            entry.step = .confirm
        default:
            if case .char(let c) = key {
                if entry.datePristine { entry.dateText = ""; entry.datePristine = false }
                if entry.dateText.count < 20 { entry.dateText.append(c) }
            }
        }
    case .confirm:
        if case .char(let c) = key, c == "y" { return saveMeasure(&state, entry) }
        if case .char(let c) = key, c == "n" { entry.step = .date } else if action == .deleteBackward { entry.step = .date }
    }
    state.measureEntry = entry
    return []
}

/// Saves and signs the measure the user confirmed; on a safety item above zero the status line says so at once and
/// the alerts are brought up to date now, not on the next tick.
private func saveMeasure(_ state: inout AppState, _ entry: MeasureEntry) -> [Effect] {
    guard let signer = state.signer else { return refuseToSign(&state) }
    guard let instrument = entry.instrument, let patient = state.document.patient(entry.patient),
          let date = DateInput.parse(entry.dateText, today: state.today) else { return [] }
    let at = Timestamp(state.recordNow)
    let id = MeasureEdits.newID(for: patient)
    let summary = measureSummary(instrument, entry.scores)
    let effects = sessionEdit(&state, label: "\(instrument.name) for \(patient.displayName)",
                              done: "\(instrument.name) saved and signed by \(signer.signatureName): \(summary)") { doc throws(EditError) in
        try MeasureEdits.add(patient.id, id: id, instrument: instrument, date: date, scores: entry.scores, by: signer.id, at: at, in: doc)
    }
    guard !effects.isEmpty else {
        // Refused: the form stays open on the question, the status line says why.
        state.measureEntry = entry
        return []
    }
    state.measureEntry = nil
    if let safety = instrument.safetyScore(entry.scores), safety > 0, let item = instrument.safetyItem {
        let label = instrument.item(item)?.label ?? "safety item"
        state.message = StatusMessage("SAFETY: \(instrument.name) item \(item) (\(label)) scored \(safety) — follow up today, then F records it", isError: true)
        state.refreshAlertsNow()
    }
    return effects
}

/// "total 12, moderate" or "Use 2 use reported · Risk 14 elevated · Protective 10 low".
func measureSummary(_ instrument: Instrument, _ scores: [Int]) -> String {
    let parts = instrument.score(scores).map { s in
        let band = s.band.map { ", \($0.label)" } ?? ""
        return instrument.scales.count == 1 ? "total \(s.score)\(band)" : "\(s.scale.name) \(s.score)\(band)"
    }
    return parts.joined(separator: " · ")
}

extension AppState {
    /// Recomputes the alerts now (a safety item was just saved: its alert must not wait for the clock's tick).
    mutating func refreshAlertsNow() {
        refreshAlertsIfStale()
    }
}

// MARK: - The record's measure keys and the safety follow-up form

/// `M` and `F` in the record.
func performMeasureAction(_ state: inout AppState, _ action: Action) -> [Effect] {
    guard let patient = state.record?.patient else { return [] }
    switch action {
    case .enterMeasure: return openMeasureEntry(&state, patient)
    case .safetyFollowUp: return openSafetyFollowUp(&state, patient)
    default: return []
    }
}

/// `F`: the follow-up form for the oldest measure whose safety item awaits one: who was contacted or assessed, when
/// (now, by default), what was done.
func openSafetyFollowUp(_ state: inout AppState, _ patient: PatientID) -> [Effect] {
    guard let p = state.document.patient(patient) else { return [] }
    guard let measure = p.measures.first(where: \.needsSafetyFollowUp) else {
        state.message = StatusMessage("No safety item awaits a follow-up for \(p.displayName)")
        return []
    }
    guard refuseIfReadOnly(&state) else { return [] }
    guard state.signer != nil else { return refuseToSign(&state) }
    let name = Instrument.find(measure.instrument, in: state.instruments)?.name ?? measure.instrument
    let title = "Safety follow-up · \(p.displayName) · \(name) \(measure.date.iso), item \(measure.safetyItem ?? 0) = \(measure.safetyScore ?? 0)"
    let form = Form(title: title, fields: [
        .text("who", "Who was seen or called", required: true, hint: "the patient, in person; a family member by phone…"),
        .text("when", "When", state.localText(Timestamp(state.recordNow)), required: true),
        .text("action", "What was done", required: true, hint: "recorded as you, dated now; the safety alert then clears"),
    ])
    openForm(&state, FormFrame(form: form, purpose: .safetyFollowUp(patient, measure.id), draft: .none))
    return []
}

/// Saves the follow-up form (Ctrl-S) as one undoable edit; the safety alert clears at once.
func submitSafetyFollowUp(_ state: inout AppState, _ frame: FormFrame) -> [Effect] {
    guard case .safetyFollowUp(let patient, let measure) = frame.purpose else { return [] }
    guard let signer = state.signer else { return refuseToSign(&state) }
    let at = Timestamp(state.recordNow)
    let name = state.document.patient(patient)?.displayName ?? "the patient"
    let effects = sessionEdit(&state, label: "safety follow-up for \(name)",
                              done: "Safety follow-up recorded by \(signer.signatureName) on \(state.localText(at)); the alert is cleared") { doc throws(EditError) in
        try MeasureEdits.recordFollowUp(patient, measure: measure, who: frame.form.text("who"), when: frame.form.text("when"),
                                        action: frame.form.text("action"), by: signer.id, at: at, in: doc)
    }
    if !effects.isEmpty {
        state.forms.removeLast()
        state.refreshAlertsNow()
    }
    return effects
}
