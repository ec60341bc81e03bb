import CaseloadCore
import Foundation

/// Which part of a series an edit applies to.
public enum EditScope: Equatable, Sendable {
    /// This occurrence only (or a one-off session).
    case occurrence
    /// This occurrence and every later one: the series is split.
    case following
    /// The whole series.
    case all
}

/// The session form: scheduling a new session or series at the Week cursor, and editing one.
enum SessionForms {
    static let kinds: [(String, SessionKind)] = [("group", .group), ("individual", .individual), ("family", .family)]
    static let repeatChoices = ["does not repeat", "weekly"]

    /// How long a session of each kind usually runs: what choosing the kind in a new session's form sets.
    static func typicalMinutes(_ kind: SessionKind) -> Int {
        switch kind {
        case .group: 180
        case .individual: 60
        case .family: 90
        }
    }

    /// A new session at the cursor's day and time: a three-hour group by default, weekly on that weekday when repeated, led by
    /// `facilitator` (the signed-in staff member, when known).
    static func newFrame(date: LocalDate, start: LocalTime, facilitator: StaffID? = nil, doc: CaseloadDocument, today: LocalDate) -> FormFrame {
        let fields = sessionFields(title: "", kind: .group, modality: nil, facilitator: facilitator, room: nil, date: date, start: start,
                                   duration: typicalMinutes(.group), repeats: true, weekdays: [date.weekday], until: nil, roster: [], doc: doc, scope: nil)
        return FormFrame(form: Form(title: "New session · \(date.weekday.shortName) \(date.day) \(start)", fields: fields),
                         purpose: .newSession, draft: .roster([]))
    }

    /// The form for editing `item` with `scope`, filled from the occurrence (or from its series for series scopes).
    static func editFrame(_ item: ScheduledSession, scope: EditScope, doc: CaseloadDocument, today: LocalDate) -> FormFrame {
        let s = item.session
        let series = s.series.flatMap { doc.series($0) }
        let roster: [PatientID]
        let fields: [FormField]
        switch (scope, series) {
        case (.occurrence, _), (_, nil):
            roster = s.members(series: series)
            fields = sessionFields(title: s.title, kind: s.kind, modality: s.modality, facilitator: s.facilitator, room: s.room,
                                   date: s.date, start: s.start, duration: s.durationMinutes, repeats: false, weekdays: [],
                                   until: nil, roster: roster, doc: doc, scope: .occurrence)
        case (_, let series?):
            let from = scope == .following ? (s.occurrenceDate ?? s.date) : series.startDate
            roster = series.members(on: max(from, today))
            fields = sessionFields(title: series.title, kind: series.kind, modality: series.modality, facilitator: series.facilitator,
                                   room: series.room, date: from, start: series.start, duration: series.durationMinutes, repeats: true,
                                   weekdays: series.weekdays, until: series.endDate, roster: roster, doc: doc, scope: scope)
        }
        let what: String
        switch scope {
        case .occurrence: what = series == nil ? "Edit session" : "Edit this occurrence"
        case .following: what = "Edit this and following"
        case .all: what = "Edit the whole series"
        }
        return FormFrame(form: Form(title: "\(what) · \(s.title)", fields: fields), purpose: .editSession(item, scope), draft: .roster(roster))
    }

    private static func sessionFields(title: String, kind: SessionKind, modality: Modality?, facilitator: StaffID?, room: RoomID?,
                                      date: LocalDate, start: LocalTime, duration: Int, repeats: Bool, weekdays: [Weekday],
                                      until: LocalDate?, roster: [PatientID], doc: CaseloadDocument, scope: EditScope?) -> [FormField] {
        let modalities = Modality.allCases
        var fields: [FormField] = [
            .text("title", "Title", title, required: true, hint: "e.g. IOP-A Evening, Individual session (no patient names)"),
            .choice("kind", "Kind", options: kinds.map(\.0), index: kinds.firstIndex { $0.1 == kind } ?? 0),
            .choice("modality", "Modality", options: ["none"] + modalities.map(\.label), index: modality.flatMap { m in modalities.firstIndex(of: m) }.map { $0 + 1 } ?? 0),
            .choice("facilitator", "Facilitator", options: ["none"] + doc.staff.map(\.signatureName), index: facilitator.flatMap { f in doc.staff.firstIndex { $0.id == f } }.map { $0 + 1 } ?? 0),
            .choice("room", "Room", options: ["none"] + doc.program.rooms.map(\.name), index: room.flatMap { r in doc.program.rooms.firstIndex { $0.id == r } }.map { $0 + 1 } ?? 0),
        ]
        // A series edit starts from a fixed date (the occurrence for "this and following", the series' start for all).
        if scope == nil || scope == .occurrence {
            fields.append(.date("date", scope == nil ? "Date (first)" : "Date", date.iso, required: true))
        }
        fields += [
            .text("start", "Starts at", start.description, required: true, hint: "e.g. 18:00, 6pm"),
            .text("duration", "Duration", TimeInput.durationText(duration), required: true, hint: "e.g. 3h, 90m, 1h30"),
        ]
        if scope == nil {
            fields.append(.choice("repeat", "Repeats", options: repeatChoices, index: repeats ? 1 : 0))
        }
        if scope == .following || scope == .all || (scope == nil && repeats) {
            fields += repeatFields(weekdays: weekdays, until: until)
        }
        fields.append(.list("roster", "Roster", items: roster.map { rosterLine($0, doc: doc) }, rows: 6, hint: "a add patients · x remove"))
        return fields
    }

    /// The days, end date and number of weeks of a weekly series: only in the form while it repeats.
    private static func repeatFields(weekdays: [Weekday], until: LocalDate?) -> [FormField] {
        [
            .text("days", "  on days", TimeInput.weekdaysText(weekdays), hint: "e.g. mon wed thu"),
            .date("until", "  until", until?.iso ?? "", hint: "empty: no end"),
            .text("weeks", "  or for weeks", "", hint: "e.g. 6 (sets the end date)"),
        ]
    }

    /// A new session's form after a key: choosing a kind sets its typical length, and "individual" (or "family") a one-off
    /// with the patient selected in the Patients pane on an empty roster; the repeat fields are there only while it repeats,
    /// so Tab never stops at fields that do not apply. Returns the patient put on the roster, if any.
    static func adapt(_ frame: inout FormFrame, before: Form, selectedPatient: Patient?, doc: CaseloadDocument) -> Patient? {
        guard case .newSession = frame.purpose else { return nil }
        var added: Patient? = nil
        let kind = kinds[safe: frame.form.choiceIndex("kind")]?.1 ?? .group
        if frame.form.choiceIndex("kind") != before.choiceIndex("kind") {
            frame.form.setText("duration", TimeInput.durationText(typicalMinutes(kind)))
            frame.form.errors["duration"] = nil
            frame.form.setChoice("repeat", index: kind == .group ? 1 : 0)
            if kind == .individual, case .roster(let ids) = frame.draft, ids.isEmpty, let patient = selectedPatient, patient.status == .active {
                frame.draft = .roster([patient.id])
                frame.form.setListItems("roster", [rosterLine(patient.id, doc: doc)], selected: 0)
                added = patient
            }
        }
        let repeats = frame.form.choiceIndex("repeat") == 1
        let hasDays = frame.form.index(of: "days") != nil
        if repeats != hasDays {
            let focused = frame.form.focusedField?.id
            var fields = frame.form.fields
            if repeats, let at = fields.firstIndex(where: { $0.id == "repeat" }) {
                let date = frame.form.text("date")
                let weekday = LocalDate(iso: date).map { [$0.weekday] } ?? []
                fields.insert(contentsOf: repeatFields(weekdays: weekday, until: nil), at: at + 1)
            } else {
                fields.removeAll { ["days", "until", "weeks"].contains($0.id) }
                for id in ["days", "until", "weeks"] { frame.form.errors[id] = nil }
            }
            frame.form.fields = fields
            if let focused, frame.form.index(of: focused) != nil { frame.form.focus(on: focused) }
            if let label = frame.form.index(of: "date") { frame.form.fields[label].label = repeats ? "Date (first)" : "Date" }
        }
        return added
    }

    static func rosterLine(_ id: PatientID, doc: CaseloadDocument) -> String {
        guard let p = doc.patient(id) else { return id.rawValue }
        return "\(p.displayName) · \(p.mrn)"
    }

    /// The check run as focus leaves a session form field.
    static func checkField(_ id: String, form f: Form, today: LocalDate) -> String? {
        let text = f.text(id).trimmingCharacters(in: .whitespaces)
        switch id {
        case "start":
            return text.isEmpty || TimeInput.time(text) != nil ? nil : "not a time: try 18:00 or 6pm"
        case "duration":
            return text.isEmpty || TimeInput.duration(text) != nil ? nil : "a duration from 5 minutes to 16 hours: 3h, 90m, 1h30"
        case "days":
            guard f.index(of: "repeat") == nil || f.choiceIndex("repeat") == 1 else { return nil }
            return TimeInput.weekdays(text) == nil ? "weekdays, e.g. mon wed thu" : nil
        case "weeks":
            guard !text.isEmpty else { return nil }
            return Int(text).map { (1...260).contains($0) } == true ? nil : "a number of weeks from 1 to 260"
        case "until":
            if let until = f.date("until", today: today), let first = f.date("date", today: today), until < first { return "before the first date" }
            return nil
        default:
            return nil
        }
    }

    /// What the form says, read back: the values a session or series gets.
    struct Values: Equatable {
        var title: String
        var kind: SessionKind
        var modality: Modality?
        var facilitator: StaffID?
        var room: RoomID?
        var date: LocalDate?
        var start: LocalTime
        var duration: Int
        var repeats: Bool
        var weekdays: [Weekday]
        var endDate: LocalDate?
        var roster: [PatientID]
    }

    static func values(_ frame: FormFrame, doc: CaseloadDocument, today: LocalDate) -> Result<Values, FieldErrors> {
        let f = frame.form
        var errors: [String: String] = [:]
        for field in f.fields {
            if let message = checkField(field.id, form: f, today: today) { errors[field.id] = message }
        }
        let start = TimeInput.time(f.text("start"))
        let duration = TimeInput.duration(f.text("duration"))
        if start == nil { errors["start"] = errors["start"] ?? "not a time: try 18:00 or 6pm" }
        if duration == nil { errors["duration"] = errors["duration"] ?? "a duration from 5 minutes to 16 hours: 3h, 90m, 1h30" }
        if let start, let duration, start.minutes + duration > 24 * 60 { errors["duration"] = "runs past midnight" }
        let repeats = f.index(of: "repeat") == nil ? f.index(of: "days") != nil : f.choiceIndex("repeat") == 1
        let weekdays = repeats ? (TimeInput.weekdays(f.text("days")) ?? []) : []
        let date = f.index(of: "date") == nil ? nil : f.date("date", today: today)
        var endDate = f.index(of: "until") == nil ? nil : f.date("until", today: today)
        if let weeks = Int(f.text("weeks").trimmingCharacters(in: .whitespaces)), (1...260).contains(weeks) {
            let first = date ?? {
                if case .editSession(let item, _) = frame.purpose { return item.session.occurrenceDate ?? item.session.date }
                return today
            }()
            endDate = Recurrence.endDate(start: first, weekdays: weekdays, weeks: weeks)
        }
        let roster: [PatientID] = { if case .roster(let ids) = frame.draft { return ids }; return [] }()
        let facilitatorIndex = f.choiceIndex("facilitator")
        // Someone leads every session: it is whose calendar it is on, and who signs its notes.
        if facilitatorIndex == 0 { errors["facilitator"] = "choose who leads it (←/→ or type a name)" }
        guard errors.isEmpty, let start, let duration else { return .failure(FieldErrors(errors)) }
        let modalityIndex = f.choiceIndex("modality")
        let roomIndex = f.choiceIndex("room")
        return .success(Values(
            title: f.text("title").trimmingCharacters(in: .whitespaces),
            kind: kinds[safe: f.choiceIndex("kind")]?.1 ?? .group,
            modality: modalityIndex > 0 ? Modality.allCases[safe: modalityIndex - 1] : nil,
            facilitator: facilitatorIndex > 0 ? doc.staff[safe: facilitatorIndex - 1]?.id : nil,
            room: roomIndex > 0 ? doc.program.rooms[safe: roomIndex - 1]?.id : nil,
            date: date, start: start, duration: duration, repeats: repeats, weekdays: weekdays, endDate: endDate, roster: roster))
    }

    /// The warning for a session title that names patients: what it discloses where, and the way to keep it anyway.
    /// A warning rather than a refusal, since a group's name may share a word with a patient's ("Hope", "Rivera Room").
    static func titleWarning(_ named: [Patient], kind: SessionKind) -> ChoiceDialog {
        let names = named.prefix(3).map(\.displayName).joined(separator: ", ") + (named.count > 3 ? " and \(named.count - 3) more" : "")
        let exported = kind == .group
            ? "It shows on the Week grid, in reports and in the calendar export (ics), which is shared beyond the program."
            : "It shows on the Week grid and in reports (the calendar export calls it \"\(ICalendarExport.exportedTitle("", kind: kind))\")."
        return ChoiceDialog(title: "Privacy check", lines: [
            "The title names \(names). \(exported) Name the session without the patient (42 CFR Part 2).",
        ], options: [ChoiceOption("b", "go back and edit"), ChoiceOption("k", "keep the title")])
    }

    /// A new ID with `prefix` not used by anything in `taken`.
    static func newID(_ prefix: String, taken: Set<String>) -> String {
        let tag = NewIDs.tag
        var n = taken.count + 1
        while taken.contains("\(prefix)_\(n)\(tag)") { n += 1 }
        return "\(prefix)_\(n)\(tag)"
    }
}
