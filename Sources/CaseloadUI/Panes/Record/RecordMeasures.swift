import CaseloadCore
import Foundation

// The record's Measures section (issue 19): per instrument the latest score and band, the trend of recent scores and
// the signed state; each safety item answered above zero with its follow-up (or, in red, that one is needed); when the
// next ones are due. A measure of an instrument no longer known shows its raw scores.

extension RecordSection {
    /// After the treatment plan and attendance: added by the app, which knows the program's own instruments.
    public static let measures = "Measures"
}

/// How many of the latest scores the trend shows.
let measureTrendCount = 6

/// The Measures section of `patient`'s record as lines `width` cells wide, as it stands on `today`.
public func recordMeasureLines(for patient: Patient, in doc: CaseloadDocument, instruments: [Instrument], today: LocalDate, width: Int) -> [RecordLine] {
    let width = max(1, width)
    var lines = [RecordLine(segments: [])]
    func paragraph(_ segments: [RecordSegment], indent: Int = 2, hang: Int = 4) {
        for line in wrapRecordSegments(segments, width: width, indent: indent, hang: hang) { lines.append(RecordLine(segments: line)) }
    }
    for (i, line) in wrapRecordSegments([RecordSegment(RecordSection.measures, role: .header, bold: true)], width: width, indent: 0, hang: 2).enumerated() {
        lines.append(RecordLine(segments: line, section: i == 0 ? RecordSection.measures : nil))
    }
    // Oldest first; the same day keeps the order entered.
    let ordered = patient.measures.enumerated().sorted { a, b in
        a.element.date != b.element.date ? a.element.date < b.element.date : a.offset < b.offset
    }.map(\.element)
    if ordered.isEmpty {
        paragraph([RecordSegment("No measures recorded. M enters one.", role: .dim)], hang: 2)
    }
    var ids: [String] = instruments.map(\.id).filter { id in ordered.contains { $0.instrument == id } }
    for m in ordered where !ids.contains(m.instrument) { ids.append(m.instrument) }
    for id in ids {
        let mine = ordered.filter { $0.instrument == id }
        guard let latest = mine.last else { continue }
        guard let instrument = Instrument.find(id, in: instruments) else {
            paragraph([
                RecordSegment("\(id)", bold: true),
                RecordSegment(" (instrument no longer known) ", role: .statusWarning),
                RecordSegment("\(latest.date.iso) " + noBreakSpaces("scores " + latest.scores.map(String.init).joined(separator: " "))),
                RecordSegment("  " + noBreakSpaces(signedText(latest)), role: .dim),
            ])
            continue
        }
        let scores = instrument.score(latest.scores)
        let wide = width >= 60
        // The name column, then the date: later scales of the BAM line up under the first.
        let lead = wide ? 2 + 20 + 12 : 4
        for (si, s) in scores.enumerated() {
            var parts: [RecordSegment] = []
            if si == 0 {
                let head = "\(instrument.name) (\(instrument.about))"
                parts.append(RecordSegment(wide ? TextWidth.pad(head, width: 20) : head + " ", bold: true))
                parts.append(RecordSegment(latest.date.iso + "  "))
            }
            let scaleName = instrument.scales.count == 1 ? "" : "\(s.scale.name) "
            parts.append(RecordSegment(noBreakSpaces(scaleName + "\(s.score)"), bold: true))
            if let band = s.band { parts.append(RecordSegment(" " + noBreakSpaces(band.label), role: concernRole(band.concern), bold: true)) }
            let trend = mine.suffix(measureTrendCount).map { String(Instrument.score(of: $0, scale: si, in: instrument)) }
            if trend.count > 1 { parts.append(RecordSegment("  " + noBreakSpaces("trend " + trend.joined(separator: " → ")), role: .dim)) }
            if si == 0 { parts.append(RecordSegment("  " + noBreakSpaces(signedText(latest)), role: SignatureState.of(latest.signature) == .final ? .dim : .statusWarning)) }
            if si == 0 {
                paragraph(parts, hang: wide ? lead - 2 : 4)
            } else {
                paragraph(parts, indent: lead, hang: 2)
            }
        }
    }
    // Safety items above zero: pending ones in red first, then those followed up, newest first.
    let safety = ordered.filter { ($0.safetyScore ?? 0) > 0 }.reversed()
    for m in safety where m.followUp == nil {
        let name = Instrument.find(m.instrument, in: instruments)?.name ?? m.instrument
        let label = Instrument.find(m.instrument, in: instruments)?.item(m.safetyItem ?? 0).map { " (\($0.label))" } ?? ""
        paragraph([RecordSegment("‼ SAFETY: \(name) \(m.date.iso) item \(m.safetyItem ?? 0)\(label) = \(m.safetyScore ?? 0): follow up today, then F records who, when and what was done",
                                 role: .statusError, bold: true)])
    }
    for m in safety {
        guard let f = m.followUp else { continue }
        let name = Instrument.find(m.instrument, in: instruments)?.name ?? m.instrument
        paragraph([
            RecordSegment("Safety follow-up of \(name) \(m.date.iso) (item \(m.safetyItem ?? 0) = \(m.safetyScore ?? 0)): ", role: .statusOK),
            RecordSegment("\(f.who) · \(f.when) · \(f.action)"),
            RecordSegment(" · recorded by \(doc.staffMember(f.by)?.signatureName ?? "a former staff member")", role: .dim),
        ])
    }
    if patient.status == .active {
        let every = MeasureSchedule.everyDays(doc.program)
        var due: [RecordSegment] = [RecordSegment("Next due: ", role: .dim)]
        for (i, id) in MeasureSchedule.instruments(doc.program).enumerated() {
            guard let date = MeasureSchedule.dueDate(for: patient, instrument: id, everyDays: every) else { continue }
            let name = Instrument.find(id, in: instruments)?.name ?? id
            if i > 0 { due.append(RecordSegment(" · ")) }
            let late = date.days(until: today)
            let role: Role = late > MeasureSchedule.graceDays ? .statusError : late >= 0 ? .statusWarning : .text
            let when = late > MeasureSchedule.graceDays ? "overdue since \(date.iso)" : late >= 0 ? "due since \(date.iso)" : date.iso
            due.append(RecordSegment(noBreakSpaces("\(name) \(late == 0 ? "due today" : when)"), role: role))
        }
        if due.count > 1 { paragraph(due, hang: 2) }
    }
    return lines
}

extension Instrument {
    /// Scale `scale`'s score for one measure's scores.
    static func score(of measure: Measure, scale: Int, in instrument: Instrument) -> Int {
        instrument.score(measure.scores)[safe: scale]?.score ?? 0
    }
}

/// "✓ signed", "◐ awaiting co-signature" or "✎ unsigned", with the Session pane's glyphs.
private func signedText(_ m: Measure) -> String {
    switch SignatureState.of(m.signature) {
    case .unsigned: "✎ unsigned"
    case .awaitingCoSignature: "◐ awaiting co-signature"
    case .final: "✓ signed"
    }
}

/// The colour of a band.
func concernRole(_ concern: SeverityBand.Concern) -> Role {
    switch concern {
    case .none: .statusOK
    case .low: .text
    case .moderate: .statusWarning
    case .high: .statusError
    }
}

/// `text` with no-break spaces, so a short phrase stays on one line.
private func noBreakSpaces(_ text: String) -> String { text.replacingOccurrences(of: " ", with: "\u{00A0}") }
