import CaseloadCore
import Foundation

/// "4.5" for 270 minutes.
func hoursText(_ minutes: Int) -> String {
    if minutes % 60 == 0 { return "\(minutes / 60)" }
    guard minutes > 0 else { return String(format: "%.1f", Double(minutes) / 60) }
    // What "%.1f" gives, without the formatter (a large share of a frame): tenths are minutes / 6 rounded. Away from a
    // half that is plain rounding; at a half, printf rounds the double `minutes / 60` as stored, so whether that double
    // is above or below the exact value decides (exactly a half rounds to even, as printf does).
    let quotient = minutes / 6, remainder = minutes % 6
    var tenths = remainder < 3 ? quotient : quotient + 1
    if remainder == 3 {
        let value = Double(minutes) / 60
        let error = (-Double(minutes)).addingProduct(value, 60)  // value × 60 − minutes, exactly
        tenths = error > 0 || (error == 0 && quotient % 2 == 1) ? quotient + 1 : quotient
    }
    return "\(tenths / 10).\(tenths % 10)"
}

/// Where the Patients list's rows go inside the pane (under the header, above the filter line when it shows).
func patientRowsArea(_ state: AppState, _ rect: Rect) -> Rect {
    let inner = rect.inset(1)
    let filterLine = state.isTypingPatientQuery || !state.patientQuery.isEmpty ? 1 : 0
    return Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: max(0, inner.height - 1 - filterLine))
}

/// Column widths of the Patients list for an inner width: the name keeps at least 8 cells; the others drop, least useful first.
struct PatientColumns {
    var name = 0, phase = 0, hours = 0, meter = 0, next = 0, flags = 0
    init(width: Int) {
        var rest = width - 1
        func take(_ n: Int, keeping: Int = 8) -> Int {
            guard rest - n >= keeping else { return 0 }
            rest -= n
            return n
        }
        hours = take(8)
        flags = take(4)
        phase = take(5, keeping: 12)
        next = take(11, keeping: 14)
        meter = take(5, keeping: 16)
        name = max(1, rest)
    }
}

/// "Mon 18:00", or "today 18:00".
func nextSessionText(_ session: Session, today: LocalDate) -> String {
    let day = session.date == today ? "today" : session.date == today.adding(days: 1) ? "tmrw" : session.date.weekday.shortName
    return "\(day) \(session.start)"
}

func drawPatients(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    let list = state.patientList
    // Indices, not elements: a pass handing each patient to a closure copies every one, on every frame.
    let patients = state.document.patients
    var inFilter = 0
    for i in patients.indices where state.statusFilter.matches(patients[i].status) { inFilter += 1 }
    var title = "Patients \(inFilter) \(state.statusFilter.label)"
    if !state.patientQuery.isEmpty { title += " · \(list.count) shown" }
    if state.patientSort != .name { title += " · by \(state.patientSort.shortLabel)" }
    paneBox(&canvas, state, .patients, rect, title: title)
    let inner = rect.inset(1)
    guard inner.width > 0, inner.height > 0 else { return }
    let cols = PatientColumns(width: inner.width)
    let right = inner.maxX
    let hoursX = right - cols.flags - cols.hours - cols.meter
    let nextX = hoursX - cols.next
    let phaseX = inner.x + 1 + cols.name
    canvas.put(TextWidth.pad("name", width: cols.name), x: inner.x + 1, y: inner.y, role: .header)
    if cols.phase > 0 { canvas.put("ph", x: phaseX, y: inner.y, role: .header) }
    if cols.next > 0 { canvas.put("next", x: nextX, y: inner.y, role: .header) }
    if cols.hours > 0 { canvas.put(TextWidth.pad("hrs/wk", width: cols.hours - 1, alignRight: true), x: hoursX, y: inner.y, role: .header) }
    if cols.flags > 0 { canvas.put("⚑", x: right - cols.flags + 1, y: inner.y, role: .header) }

    // The filter line, at the bottom.
    if state.isTypingPatientQuery || !state.patientQuery.isEmpty {
        let text = "/" + state.patientQuery + (state.isTypingPatientQuery ? "▏" : "")
        let hint = state.isTypingPatientQuery ? "  Enter open · Tab keep · Esc clear" : "  Esc clears"
        let used = canvas.put(text, x: inner.x + 1, y: inner.maxY - 1, role: state.isTypingPatientQuery ? .commandLine : .dim, maxWidth: inner.width - 1)
        canvas.put(hint, x: inner.x + 1 + used, y: inner.maxY - 1, role: .dim, maxWidth: max(0, inner.width - 1 - used))
    }
    let area = patientRowsArea(state, rect)
    if list.isEmpty {
        let text = state.patientQuery.isEmpty ? "No \(state.statusFilter.label) patients. f shows others, n admits." : "No match for “\(state.patientQuery)”."
        canvas.put(text, x: inner.x + 1, y: area.y, role: .dim, maxWidth: inner.width - 1)
        return
    }
    let data = state.caseload
    let program = state.document.program
    let alerted = state.criticalAlertPatients
    drawListRows(&canvas, items: list, selected: state.patientIndex, focused: state.focus == .patients, area: area) { canvas, patient, y, role, selected in
        canvas.put(patient.displayName, x: inner.x + 1, y: y, role: role, maxWidth: cols.name - 1)
        let progress = data.progress[patient.id]
        if cols.phase > 0, let phase = patient.care(on: data.today).flatMap({ program.phase($0.phase) }) {
            canvas.put(shortPhase(phase.name), x: phaseX, y: y, role: role, maxWidth: cols.phase - 1)
        }
        if cols.next > 0, let next = data.nextSession[patient.id] {
            canvas.put(nextSessionText(next, today: data.today), x: nextX, y: y, role: selected ? role : .dim, maxWidth: cols.next - 1)
        }
        if cols.hours > 0, let progress {
            let meterRole: Role
            switch progress.state {
            case .noRequirement: meterRole = .dim
            case .met, .onTrack: meterRole = .meterOK
            case .behind: meterRole = .meterBehind
            case .cannotMeet: meterRole = .meterMissed
            }
            let required = progress.requirement.minutes
            let text = required > 0 ? "\(hoursText(progress.attendedMinutes))/\(hoursText(required))" : hoursText(progress.attendedMinutes)
            canvas.put(TextWidth.pad(text, width: cols.hours - 1, alignRight: true), x: hoursX, y: y, role: selected ? role : meterRole)
            if cols.meter > 0, required > 0 {
                let filled = min(4, progress.attendedMinutes * 4 / required)
                let bar = String(repeating: "▰", count: filled) + String(repeating: "▱", count: 4 - filled)
                canvas.put(bar, x: hoursX + cols.hours, y: y, role: selected ? role : meterRole)
            }
        }
        if cols.flags > 0, let flags = data.flags[patient.id] {
            var marks = ""
            var x = right - cols.flags + 1
            if flags.safetyFollowUps > 0 {
                // A safety item awaiting follow-up: its own mark, red, before the others (it is also a critical alert).
                x += canvas.put("‼", x: x, y: y, role: selected ? role : .statusError, bold: true, maxWidth: cols.flags - 1)
            } else if alerted.contains(patient.id) {
                marks += "!"
            }
            if flags.supervision != nil { marks += "§" }
            if flags.unsignedNotes > 0 { marks += "✎" }
            if flags.consentsExpiring + flags.consentsExpired > 0 { marks += "✉" }
            canvas.put(marks, x: x, y: y, role: selected ? role : .flag, bold: true, maxWidth: max(0, right - x))
        }
    }
}

/// "Phase II" → "II", "Aftercare" → "Aft".
func shortPhase(_ name: String) -> String {
    let parts = name.split(separator: " ")
    if parts.count > 1, let last = parts.last, last.count <= 4 { return String(last) }
    return String(name.prefix(3))
}
