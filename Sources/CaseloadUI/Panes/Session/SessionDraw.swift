import CaseloadCore
import Foundation

func drawSession(_ canvas: inout Canvas, _ state: AppState, _ rect: Rect) {
    guard let item = state.selectedSession else {
        paneBox(&canvas, state, .session, rect, title: "Session")
        let inner = rect.inset(1)
        let when = "\(state.cursorDate.weekday.shortName) \(state.cursorDate.day) \(LocalTime(clamping: state.cursorMinutes))"
        canvas.put("No session at \(when).", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
        canvas.put("Move the Week cursor onto a session to see its roster.", x: inner.x + 1, y: inner.y + 1, role: .dim, maxWidth: inner.width - 1)
        return
    }
    let s = item.session
    let program = state.document.program
    let end = LocalTime(clamping: s.start.minutes + s.durationMinutes)
    var title = "Session · \(s.title) · \(s.date.weekday.shortName) \(s.date.day) \(s.start)–\(end)"
    if let room = s.room.flatMap({ program.room($0)?.name }) { title += " · \(room)" }
    paneBox(&canvas, state, .session, rect, title: title)
    let inner = rect.inset(1)
    guard inner.width > 2, inner.height > 0 else { return }
    var facts = [s.kind.rawValue.capitalized]
    if let modality = s.modality { facts.append(modality.label) }
    if let who = s.facilitator.flatMap({ state.document.staffMember($0)?.name }) { facts.append(who) }
    switch s.status {
    case .scheduled: facts.append(s.date > state.today ? "scheduled" : "roll not taken")
    case .held: facts.append("held")
    case .cancelled(let reason): facts.append("cancelled: \(reason)")
    case .didNotTakePlace(let reason): facts.append("did not take place: \(reason)")
    }
    canvas.put(facts.joined(separator: " · "), x: inner.x + 1, y: inner.y, role: s.status.countsForAttendance ? .text : .statusWarning, maxWidth: inner.width - 1)
    guard inner.height > 2 else { return }
    // The members once for the frame (the rows, the empty-session hint and each row's "(removed)" all need them).
    let shownMembers = state.selectedMembers
    let rows: [SessionRow] = [.group] + shownMembers.map { .member($0) }
    let statusWidth = 14, minutesWidth = 5, noteWidth = 10
    let nameWidth = max(1, inner.width - statusWidth - minutesWidth - noteWidth - 2)
    let header = TextWidth.pad("member", width: nameWidth) + TextWidth.pad("attendance", width: statusWidth) + TextWidth.pad("min", width: minutesWidth, alignRight: true) + "  " + "note"
    canvas.put(header, x: inner.x + 1, y: inner.y + 1, role: .header, maxWidth: inner.width - 1)
    let area = Rect(x: inner.x, y: inner.y + 2, width: inner.width, height: inner.height - 2)
    let zone = TimeZone(identifier: state.document.program.timeZone) ?? .current
    let overdue = NoteAge.isOverdue(s, now: state.viewNow, zone: zone)
    let removed = Set(s.removed)
    let members = Set(s.members(series: s.series.flatMap { state.document.series($0) }))
    drawListRows(&canvas, items: rows, selected: state.memberIndex, focused: state.focus == .session, area: area) { canvas, row, y, role, selected in
        var x = inner.x + 1
        switch row {
        case .group:
            let note = s.groupNote
            let topic = note.map { $0.topic.isEmpty ? "topic not written · G adds it" : $0.topic } ?? "not written · G or Enter writes it"
            canvas.put("Group note: " + topic, x: x, y: y, role: selected ? role : (note?.topic.isEmpty ?? true ? .dim : .text), bold: true, maxWidth: nameWidth + statusWidth + minutesWidth)
            x = inner.x + 1 + nameWidth + statusWidth + minutesWidth + 2
            canvas.put(noteState(note.map { ($0.signState, $0.addenda.isEmpty) }, overdue: overdue), x: x, y: y,
                       role: selected ? role : noteRole(note?.signState, overdue: overdue), maxWidth: max(0, inner.maxX - x))
            if shownMembers.isEmpty, y + 1 < area.maxY {
                canvas.put("No members on this session: + adds a drop-in.", x: inner.x + 1, y: y + 1, role: .dim, maxWidth: inner.width - 1)
            }
        case .member(let patient):
            let mark = s.attendance(for: patient.id)
            let status: String
            switch mark {
            case nil: status = "—"
            case .present?: status = "present"
            case .late(let m)?: status = "late \(m)m"
            case .leftEarly?: status = "left early"
            case .excused?: status = "excused"
            case .absent?: status = "absent"
            }
            let minutes = mark == nil ? "" : "\(s.minutesAttended(by: patient.id))"
            let note = s.memberNote(for: patient.id)
            let name = removed.contains(patient.id) || !members.contains(patient.id)
                ? patient.displayName + " (removed)" : patient.displayName
            canvas.put(name, x: x, y: y, role: selected ? role : (name.hasSuffix("(removed)") ? .dim : role), maxWidth: nameWidth - 1)
            x += nameWidth
            let statusRole: Role = mark == .absent ? .statusError : { if case .excused? = mark { return .statusWarning } else { return .text } }()
            if case .excused(let reason)? = mark {
                // The reason matters to the roll (notice given?): it takes the minutes column too, which is 0 for an excusal.
                canvas.put("excused: " + reason, x: x, y: y, role: selected ? role : statusRole, maxWidth: statusWidth + minutesWidth)
                x += statusWidth + minutesWidth + 2
            } else {
                canvas.put(status, x: x, y: y, role: selected ? role : statusRole, maxWidth: statusWidth - 1)
                x += statusWidth
                canvas.put(TextWidth.pad(minutes, width: minutesWidth, alignRight: true), x: x, y: y, role: role)
                x += minutesWidth + 2
            }
            canvas.put(noteState(note.map { ($0.signState, $0.addenda.isEmpty) }, overdue: overdue), x: x, y: y,
                       role: selected ? role : noteRole(note?.signState, overdue: overdue), maxWidth: max(0, inner.maxX - x))
        }
    }
}

/// The group narrative under a member's note: stored once, shown here so the member note can build on it.
func drawGroupReference(_ canvas: inout Canvas, _ note: GroupNote?, _ rect: Rect) {
    canvas.fill(rect, role: .overlay)
    canvas.box(rect, title: "Group note (for reference; stored once)", role: .overlayBorder, titleRole: .overlayTitle)
    let inner = rect.inset(1)
    guard inner.width > 2, inner.height > 0 else { return }
    guard let note, note.hasContent else {
        canvas.put("No group note yet: G writes it.", x: inner.x + 1, y: inner.y, role: .dim, maxWidth: inner.width - 1)
        return
    }
    var lines = [note.topic]
    for paragraph in note.narrative.components(separatedBy: "\n") {
        let characters = Array(paragraph)
        lines += TextArea.wrap(characters, width: inner.width - 2).map { String(characters[$0]) }
    }
    for (i, line) in lines.prefix(inner.height).enumerated() {
        canvas.put(line, x: inner.x + 1, y: inner.y + i, role: i == 0 ? .overlayTitle : .overlay, bold: i == 0, maxWidth: inner.width - 1)
    }
}

/// A note's state in at most 9 cells (the column at 80×24), its glyph first (issue 19): "none"; `✎` unsigned — "✎ draft",
/// "✎ ⚠72h" past 72 hours; `◐` "◐ co-sign" signed and awaiting co-signature (the note's or an addendum's); `✓` final —
/// "✓ signed", "✓ amended" with addenda. The glyphs are drawn as they are everywhere in the app (✎ ⚠ ‼): there is no
/// ASCII fallback, and the words beside them carry the meaning on a terminal that lacks them.
private func noteState(_ note: (state: NoteSignState, noAddenda: Bool)?, overdue: Bool) -> String {
    guard let note else { return "none" }
    switch note.state {
    case .unsigned: return overdue ? "✎ ⚠72h" : "✎ draft"
    case .awaitingCoSignature: return "◐ co-sign"
    case .final: return note.noAddenda ? "✓ signed" : "✓ amended"
    }
}

private func noteRole(_ state: NoteSignState?, overdue: Bool) -> Role {
    switch state {
    case nil: .dim
    case .final?: .statusOK
    case .awaitingCoSignature?: .statusWarning
    case .unsigned?: overdue ? .statusError : .statusWarning
    }
}
