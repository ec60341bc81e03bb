import Foundation

/// What happened to a session.
public enum SessionStatus: Equatable, Sendable, Codable {
    case scheduled
    /// It took place (roll taken or marked held).
    case held
    /// The program cancelled it; the occurrence stays visible with its roster.
    case cancelled(reason: String)
    /// It was due but did not take place (facilitator ill, building closed) and was not cancelled beforehand.
    case didNotTakePlace(reason: String)

    public var kind: String {
        switch self {
        case .scheduled: "scheduled"
        case .held: "held"
        case .cancelled: "cancelled"
        case .didNotTakePlace: "didNotTakePlace"
        }
    }
    /// Attendance counts only at sessions that were not cancelled or called off.
    public var countsForAttendance: Bool {
        switch self {
        case .scheduled, .held: true
        case .cancelled, .didNotTakePlace: false
        }
    }

    private enum CodingKeys: String, CodingKey { case state, reason }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let state = try c.decode(String.self, forKey: .state)
        switch state {
        case "scheduled": self = .scheduled
        case "held": self = .held
        case "cancelled": self = .cancelled(reason: try c.decode(String.self, forKey: .reason))
        case "didNotTakePlace": self = .didNotTakePlace(reason: try c.decode(String.self, forKey: .reason))
        default:
            throw DecodingError.dataCorruptedError(forKey: .state, in: c, debugDescription: "unknown session state \"\(state.prefix(20))\" (expected scheduled, held, cancelled or didNotTakePlace)")
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .state)
        switch self {
        case .cancelled(let reason), .didNotTakePlace(let reason): try c.encode(reason, forKey: .reason)
        case .scheduled, .held: break
        }
    }
}

/// A session as it stands: a series occurrence with something recorded on it (keyed by series and original date, like iCalendar's RECURRENCE-ID), or a one-off.
public struct Session: Codable, Equatable, Sendable, Identifiable {
    public var id: SessionID
    /// The series this is an occurrence of; nil for a one-off.
    public var series: SeriesID?
    /// The date the series put this occurrence on, even if it was moved.
    public var occurrenceDate: LocalDate?
    public var date: LocalDate
    public var start: LocalTime
    public var durationMinutes: Int
    public var title: String
    public var kind: SessionKind
    public var modality: Modality?
    public var room: RoomID?
    public var facilitator: StaffID?
    public var status: SessionStatus
    /// Members beyond the series roster: drop-ins, or every member of a one-off.
    public var added: [PatientID]
    /// Series members taken off this occurrence only.
    public var removed: [PatientID]
    public var attendance: [AttendanceMark]
    /// Boxed: most sessions have no group note, and a session is copied into indexes and the save cache, so an inline
    /// note (over 100 bytes) would cost every session that much several times over on a five-year chart.
    private var groupNoteBox: GroupNoteBox?
    public private(set) var groupNote: GroupNote? {
        get { groupNoteBox?.note }
        set { groupNoteBox = newValue.map(GroupNoteBox.init) }
    }
    public private(set) var memberNotes: [MemberNote]

    private enum CodingKeys: String, CodingKey {
        case id, series, occurrenceDate, date, start, durationMinutes, title, kind, modality, room, facilitator, status
        case added, removed, attendance, groupNoteBox = "groupNote", memberNotes
    }

    public init(id: SessionID, series: SeriesID? = nil, occurrenceDate: LocalDate? = nil, date: LocalDate, start: LocalTime, durationMinutes: Int, title: String, kind: SessionKind, modality: Modality? = nil, room: RoomID? = nil, facilitator: StaffID? = nil, status: SessionStatus = .scheduled, added: [PatientID] = [], removed: [PatientID] = [], attendance: [AttendanceMark] = []) {
        self.id = id; self.series = series; self.occurrenceDate = occurrenceDate; self.date = date
        self.start = start; self.durationMinutes = durationMinutes; self.title = title; self.kind = kind
        self.modality = modality; self.room = room; self.facilitator = facilitator; self.status = status
        self.added = added; self.removed = removed; self.attendance = attendance
        self.groupNoteBox = nil; self.memberNotes = []
    }

    /// A stored copy of a series occurrence, taking the series' details on that date.
    public init(id: SessionID, occurrenceOf series: Series, on date: LocalDate) {
        self.init(id: id, series: series.id, occurrenceDate: date, date: date, start: series.start,
                  durationMinutes: series.durationMinutes, title: series.title, kind: series.kind,
                  modality: series.modality, room: series.room, facilitator: series.facilitator)
    }

    /// The members expected on this occurrence: the series roster on its date, plus additions, minus removals.
    public func members(series: Series?) -> [PatientID] {
        let day = occurrenceDate ?? date
        // Every frame and every edit asks this of a week's sessions: a group's few members are checked against the list
        // being built and the removals directly; only long lists pay for sets. The order is the roster's, then additions.
        let removedSet: Set<PatientID>? = removed.count > 8 ? Set(removed) : nil
        var result: [PatientID] = []
        var seen: Set<PatientID>? = nil
        func add(_ id: PatientID) {
            if let removedSet { if removedSet.contains(id) { return } } else if removed.contains(id) { return }
            if seen != nil {
                guard seen?.insert(id).inserted == true else { return }
            } else {
                if result.contains(id) { return }
                if result.count >= 32 { seen = Set(result + [id]) }
            }
            result.append(id)
        }
        if let series { for entry in series.roster where entry.isMember(on: day) { add(entry.patient) } }
        for id in added { add(id) }
        return result
    }

    public func attendance(for patient: PatientID) -> AttendanceStatus? {
        attendance.first { $0.patient == patient }?.status
    }

    /// The mark that counts for `patient`: theirs if they are a member of this occurrence, nil otherwise.
    /// FORMAT.md's membership rule (removal wins) applies to marks too, so a mark left on a non-member counts nowhere.
    public func countedAttendance(for patient: PatientID, series: Series?) -> AttendanceStatus? {
        guard let mark = attendance(for: patient), members(series: series).contains(patient) else { return nil }
        return mark
    }

    /// Patients with an attendance mark here who are not members of the occurrence (removed, or never on it), in mark order:
    /// an inconsistency that `caseload check` reports and that no edit creates.
    public func markedNonMembers(series: Series?) -> [PatientID] {
        let members = Set(members(series: series))
        return attendance.map(\.patient).filter { !members.contains($0) }
    }

    /// Records (or replaces) a member's attendance; a scheduled session becomes held.
    public mutating func mark(_ patient: PatientID, _ status: AttendanceStatus) {
        if let i = attendance.firstIndex(where: { $0.patient == patient }) {
            attendance[i].status = status
        } else {
            attendance.append(AttendanceMark(patient: patient, status: status))
        }
        if self.status == .scheduled { self.status = .held }
    }

    public mutating func clearMark(_ patient: PatientID) {
        attendance.removeAll { $0.patient == patient }
    }

    /// Minutes this patient's mark gives (0 when the session did not count), whether or not they are a member:
    /// what the session pane shows beside a mark. Totals use `minutesAttended(by:series:)`.
    public func minutesAttended(by patient: PatientID) -> Int {
        guard status.countsForAttendance, let mark = attendance(for: patient) else { return 0 }
        return mark.minutesAttended(duration: durationMinutes)
    }

    /// Minutes that count for `patient`: 0 when the session did not count or they are not a member of it.
    public func minutesAttended(by patient: PatientID, series: Series?) -> Int {
        guard status.countsForAttendance, let mark = countedAttendance(for: patient, series: series) else { return 0 }
        return mark.minutesAttended(duration: durationMinutes)
    }

    public func memberNote(for patient: PatientID) -> MemberNote? {
        memberNotes.first { $0.patient == patient }
    }

    /// Whether anything is recorded for `patient` here (attendance or a note).
    public func hasRecord(for patient: PatientID) -> Bool {
        attendance(for: patient) != nil || memberNote(for: patient) != nil
    }

    /// True when any note of this session is signed.
    public var hasSignedNote: Bool {
        (groupNote?.isSigned ?? false) || memberNotes.contains { $0.isSigned }
    }

    /// True when a note of this session is written but not yet signed.
    public var hasUnsignedNote: Bool {
        (groupNote.map { !$0.isSigned } ?? false) || memberNotes.contains { !$0.isSigned }
    }

    // MARK: Notes: every change goes through these, and a signed note refuses all but addenda.

    /// Writes the group note; refused once it is signed.
    public mutating func setGroupNote(_ note: GroupNote) throws(NoteError) {
        if let old = groupNote, let sig = old.signature {
            throw .signedNoteIsLocked(note: "group note", signedBy: sig.by, at: sig.at)
        }
        var fresh = note
        fresh.signature = nil
        fresh.addenda = []
        groupNote = fresh
    }

    /// Writes a member's note; refused once it is signed.
    public mutating func setMemberNote(_ note: MemberNote) throws(NoteError) {
        var fresh = note
        fresh.signature = nil
        fresh.addenda = []
        if let i = memberNotes.firstIndex(where: { $0.patient == note.patient }) {
            if let sig = memberNotes[i].signature {
                throw .signedNoteIsLocked(note: "member note", signedBy: sig.by, at: sig.at)
            }
            memberNotes[i] = fresh
        } else {
            memberNotes.append(fresh)
        }
    }

    /// Deletes an unsigned member note; a signed one is kept.
    public mutating func removeMemberNote(for patient: PatientID) throws(NoteError) {
        guard let i = memberNotes.firstIndex(where: { $0.patient == patient }) else { return }
        if let sig = memberNotes[i].signature {
            throw .signedNoteIsLocked(note: "member note", signedBy: sig.by, at: sig.at)
        }
        memberNotes.remove(at: i)
    }

    public mutating func signGroupNote(_ signature: Signature) throws(NoteError) {
        guard var note = groupNote else { throw .noSuchNote(note: "group note") }
        try note.sign(signature)
        groupNote = note
    }

    public mutating func signMemberNote(for patient: PatientID, _ signature: Signature) throws(NoteError) {
        guard let i = memberNotes.firstIndex(where: { $0.patient == patient }) else { throw .noSuchNote(note: "member note") }
        try memberNotes[i].sign(signature)
    }

    public mutating func addGroupAddendum(_ addendum: Addendum) throws(NoteError) {
        guard var note = groupNote else { throw .noSuchNote(note: "group note") }
        try note.append(addendum)
        groupNote = note
    }

    public mutating func addMemberAddendum(for patient: PatientID, _ addendum: Addendum) throws(NoteError) {
        guard let i = memberNotes.firstIndex(where: { $0.patient == patient }) else { throw .noSuchNote(note: "member note") }
        try memberNotes[i].append(addendum)
    }

    /// Sets a co-signature on a note's signature or one of its addenda (`CoSigning.coSign` checks it may first).
    mutating func setCoSignature(_ co: CoSignature, patient: PatientID?, addendum: Int?) {
        if let patient {
            guard let i = memberNotes.firstIndex(where: { $0.patient == patient }) else { return }
            memberNotes[i].setCoSignature(co, addendum: addendum)
        } else if var note = groupNote {
            note.setCoSignature(co, addendum: addendum)
            groupNote = note
        }
    }

    /// Throws unless every note signed in `old` survives in `self` unchanged but for appended addenda.
    public func preservesSignedNotes(of old: Session) throws(NoteError) {
        if let oldGroup = old.groupNote, let sig = oldGroup.signature {
            guard let newGroup = groupNote, oldGroup.permitsReplacement(by: newGroup) else {
                throw .signedNoteIsLocked(note: "group note", signedBy: sig.by, at: sig.at)
            }
        }
        for oldNote in old.memberNotes {
            guard let sig = oldNote.signature else { continue }
            guard let newNote = memberNote(for: oldNote.patient), oldNote.permitsReplacement(by: newNote) else {
                throw .signedNoteIsLocked(note: "member note", signedBy: sig.by, at: sig.at)
            }
        }
    }
}

extension Session {
    /// A session exactly as stored, notes included: for a reader of the file, which must restore signed notes as they were.
    public init(stored id: SessionID, series: SeriesID?, occurrenceDate: LocalDate?, date: LocalDate, start: LocalTime, durationMinutes: Int, title: String, kind: SessionKind, modality: Modality?, room: RoomID?, facilitator: StaffID?, status: SessionStatus, added: [PatientID], removed: [PatientID], attendance: [AttendanceMark], groupNote: GroupNote?, memberNotes: [MemberNote]) {
        self.init(id: id, series: series, occurrenceDate: occurrenceDate, date: date, start: start, durationMinutes: durationMinutes, title: title, kind: kind,
                  modality: modality, room: room, facilitator: facilitator, status: status, added: added, removed: removed, attendance: attendance)
        self.groupNoteBox = groupNote.map(GroupNoteBox.init)
        self.memberNotes = memberNotes
    }
}

/// A group note held by reference (see `Session.groupNote`); immutable, so sharing it is safe.
final class GroupNoteBox: Codable, Equatable, Sendable {
    let note: GroupNote
    init(_ note: GroupNote) { self.note = note }
    init(from decoder: any Decoder) throws { note = try GroupNote(from: decoder) }
    func encode(to encoder: any Encoder) throws { try note.encode(to: encoder) }
    static func == (a: GroupNoteBox, b: GroupNoteBox) -> Bool { a === b || a.note == b.note }
}
