import Foundation

/// One thing both sides changed differently (or one removed while the other changed it): never resolved silently.
///
/// The values are display text held in memory for the person resolving it; they are never logged.
public struct MergeConflict: Equatable, Sendable {
    /// Which top-level entity the conflict is in.
    public enum Entity: Hashable, Sendable, CustomStringConvertible {
        case program, staff(StaffID), patient(PatientID), series(SeriesID), session(SessionID)

        public var description: String {
            switch self {
            case .program: "program"
            case .staff(let id): "staff \(id.rawValue)"
            case .patient(let id): "patient \(id.rawValue)"
            case .series(let id): "series \(id.rawValue)"
            case .session(let id): "session \(id.rawValue)"
            }
        }
    }

    /// What sort of conflict it is.
    public enum Kind: Equatable, Sendable {
        /// The same field changed to different values.
        case field
        /// Removed on one side, changed on the other: the changed one is kept in both results.
        case removedChanged
        /// One side signed a note the other edited: the signed note stays, the edit (`theirs` or `mine`) is offered
        /// as an addendum.
        case proposedAddendum
        /// The merged entity could not be read back: the file keeps theirs, memory keeps mine.
        case entity
    }

    public var entity: Entity
    /// A field path inside the entity (`phone`, `consents[con_2].revoked`, `attendance[pat_3].status`); empty for the
    /// whole entity.
    public var path: String
    public var kind: Kind
    /// The other instance's value (what is on disk), as text; `(none)` when absent.
    public var theirs: String
    /// This instance's value, as text; `(none)` when absent.
    public var mine: String
    /// Where inside the entity the two values sit: `path`, or the object `path` names a key of (a status whose case
    /// differs is the whole object). Empty for the whole entity.
    public var valuePath: String
    /// The two values exactly, as JSON fragments of the entity's Codable form (nil: absent, or not a field conflict),
    /// so a resolution can put either back.
    public var theirsJSON: String?
    public var mineJSON: String?

    public init(entity: Entity, path: String, kind: Kind, theirs: String, mine: String,
                valuePath: String? = nil, theirsJSON: String? = nil, mineJSON: String? = nil) {
        self.entity = entity; self.path = path; self.kind = kind; self.theirs = theirs; self.mine = mine
        self.valuePath = valuePath ?? path; self.theirsJSON = theirsJSON; self.mineJSON = mineJSON
    }
}

/// What a three-way merge gives: the document to write, the document this instance keeps, and the conflicts.
public struct MergeResult: Equatable, Sendable {
    /// What the file gets: on a conflict, their value.
    public var merged: CaseloadDocument
    /// What this instance keeps in memory: on a conflict, its own value, so nothing is lost.
    public var mine: CaseloadDocument
    public var conflicts: [MergeConflict]

    public init(merged: CaseloadDocument, mine: CaseloadDocument, conflicts: [MergeConflict]) {
        self.merged = merged; self.mine = mine; self.conflicts = conflicts
    }
}

/// The three-way merge of documents (issue 18): pure, over values, apart from files, so the same logic can later sit
/// behind a server.
public enum DocumentMerge {
    /// Merges `theirs` (on disk now) and `mine` (this instance's memory), both changed from `base`: by entity (matched
    /// by id), then by field for an entity both changed.
    public static func merge(base: CaseloadDocument, theirs: CaseloadDocument, mine: CaseloadDocument) -> MergeResult {
        var conflicts: [MergeConflict] = []
        let program = mergeEntity(.program, base: base.program, theirs: theirs.program, mine: mine.program, conflicts: &conflicts)
        let staff = mergeList(base.staff, theirs.staff, mine.staff, id: \.id, entity: { .staff($0) }, conflicts: &conflicts)
        var patients = mergeList(base.patients, theirs.patients, mine.patients, id: \.id, entity: { .patient($0) }, conflicts: &conflicts)
        renumberAdmissions(&patients, base: base, theirs: theirs, conflicts: &conflicts)
        let series = mergeList(base.series, theirs.series, mine.series, id: \.id, entity: { .series($0) }, conflicts: &conflicts)
        let occurrences = sameOccurrences(base: base, theirs: theirs, mine: mine)
        let sessions = mergeList(base.sessions + occurrences.bases, theirs.sessions, occurrences.mine, id: \.id, entity: { .session($0) },
                                 prepare: SignedNotes.settle, conflicts: &conflicts)
        return MergeResult(
            merged: CaseloadDocument(program: program.merged, staff: staff.merged, patients: patients.merged, series: series.merged, sessions: sessions.merged),
            mine: CaseloadDocument(program: program.mine, staff: staff.mine, patients: patients.mine, series: series.mine, sessions: sessions.mine),
            conflicts: conflicts
        )
    }

    /// Two people admitting at once are offered the same next MRN: a patient this instance added whose MRN another
    /// patient now has gets the next free one (in both results), and the conflict says so. A document never holds one
    /// MRN twice.
    static func renumberAdmissions(_ patients: inout (merged: [Patient], mine: [Patient]), base: CaseloadDocument, theirs: CaseloadDocument,
                                   conflicts: inout [MergeConflict]) {
        let old = Set(base.patients.map(\.id)).union(theirs.patients.map(\.id))
        var taken = Set(theirs.patients.map(\.mrn))
        var counts: [String: Int] = [:]
        for patient in patients.merged { counts[patient.mrn, default: 0] += 1 }
        for i in patients.merged.indices where !old.contains(patients.merged[i].id) {
            let mrn = patients.merged[i].mrn
            guard taken.contains(mrn) || (counts[mrn] ?? 0) > 1 else { taken.insert(mrn); continue }
            let fresh = nextFree(after: mrn, taken: taken.union(patients.merged.map(\.mrn)))
            taken.insert(fresh)
            counts[mrn, default: 1] -= 1
            let id = patients.merged[i].id
            patients.merged[i].mrn = fresh
            if let j = patients.mine.firstIndex(where: { $0.id == id }) { patients.mine[j].mrn = fresh }
            conflicts.append(MergeConflict(entity: .patient(id), path: "mrn", kind: .field,
                                           theirs: "\(fresh) (\(mrn) was given meanwhile to a patient admitted by someone else)", mine: mrn,
                                           theirsJSON: MergeTree.exactJSON(fresh), mineJSON: MergeTree.exactJSON(mrn)))
        }
    }

    /// `mrn` with its trailing number raised until it is not in `taken` (`RV-10294` → `RV-10295`); a suffix when it has none.
    static func nextFree(after mrn: String, taken: Set<String>) -> String {
        let digits = String(mrn.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
        let prefix = String(mrn.dropLast(digits.count))
        var n = Int(digits.prefix(9)) ?? 1
        var candidate = mrn
        repeat {
            n += 1
            candidate = digits.isEmpty ? "\(mrn)-\(n)" : prefix + String(n)
        } while taken.contains(candidate)
        return candidate
    }

    /// Mine's sessions, a series occurrence both sides stored afresh (roll on one side, the group note on the other)
    /// taking their id, so it is merged as one session rather than kept twice; and for each such occurrence its base:
    /// the occurrence as the base's series would have stored it, untouched.
    static func sameOccurrences(base: CaseloadDocument, theirs: CaseloadDocument, mine: CaseloadDocument) -> (mine: [Session], bases: [Session]) {
        struct Occurrence: Hashable { var series: SeriesID; var date: LocalDate }
        let stored = Set(base.sessions.map(\.id))
        var theirsNew: [Occurrence: SessionID] = [:]
        for s in theirs.sessions where !stored.contains(s.id) {
            if let series = s.series, let date = s.occurrenceDate { theirsNew[Occurrence(series: series, date: date)] = s.id }
        }
        guard !theirsNew.isEmpty else { return (mine.sessions, []) }
        let theirIDs = Set(theirs.sessions.map(\.id))
        var bases: [Session] = []
        let renamed = mine.sessions.map { s in
            guard !stored.contains(s.id), !theirIDs.contains(s.id), let series = s.series, let date = s.occurrenceDate,
                  let id = theirsNew[Occurrence(series: series, date: date)] else { return s }
            if let origin = base.series(series) { bases.append(Session(id: id, occurrenceOf: origin, on: date)) }
            var copy = s
            copy.id = id
            return copy
        }
        return (renamed, bases)
    }

    /// A list of entities matched by id. Order: theirs, then the ones only mine has, in mine's order.
    static func mergeList<T: Codable & Equatable, ID: Hashable>(
        _ base: [T], _ theirs: [T], _ mine: [T], id: (T) -> ID, entity: (ID) -> MergeConflict.Entity,
        prepare: ((T?, T, T, MergeConflict.Entity, inout [MergeConflict]) -> (T, T))? = nil,
        conflicts: inout [MergeConflict]
    ) -> (merged: [T], mine: [T]) {
        let baseByID = Dictionary(base.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        let theirsByID = Dictionary(theirs.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        let mineByID = Dictionary(mine.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        var merged: [T] = [], kept: [T] = []
        var seen = Set<ID>()

        func one(_ key: ID) {
            guard seen.insert(key).inserted else { return }
            let b = baseByID[key], t = theirsByID[key], m = mineByID[key]
            let ref = entity(key)
            switch (t, m) {
            case (let t?, let m?):
                var (t2, m2) = (t, m)
                if t != m, let prepare { (t2, m2) = prepare(b, t, m, ref, &conflicts) }
                let result = mergeEntity(ref, base: b, theirs: t2, mine: m2, conflicts: &conflicts)
                merged.append(result.merged); kept.append(result.mine)
            case (let t?, nil):
                // Added by them, or removed by me: removed only if they left it as it was.
                guard let b else { merged.append(t); kept.append(t); return }
                if t == b { return }
                conflicts.append(MergeConflict(entity: ref, path: "", kind: .removedChanged, theirs: "(changed)", mine: "(removed)"))
                merged.append(t); kept.append(t)
            case (nil, let m?):
                guard let b else { merged.append(m); kept.append(m); return }
                if m == b { return }
                conflicts.append(MergeConflict(entity: ref, path: "", kind: .removedChanged, theirs: "(removed)", mine: "(changed)"))
                merged.append(m); kept.append(m)
            case (nil, nil):
                return
            }
        }
        for element in theirs { one(id(element)) }
        for element in mine { one(id(element)) }
        return (merged, kept)
    }

    /// One entity present on both sides: one side's version when only it changed, else merged field by field.
    static func mergeEntity<T: Codable & Equatable>(_ ref: MergeConflict.Entity, base: T?, theirs: T, mine: T,
                                                     conflicts: inout [MergeConflict]) -> (merged: T, mine: T) {
        if theirs == mine { return (theirs, theirs) }
        if let base, base == theirs { return (mine, mine) }
        if let base, base == mine { return (theirs, theirs) }
        guard let t = MergeTree.json(theirs), let m = MergeTree.json(mine) else {
            conflicts.append(MergeConflict(entity: ref, path: "", kind: .entity, theirs: "(unreadable)", mine: "(unreadable)"))
            return (theirs, mine)
        }
        var found: [MergeTree.Found] = []
        var baseTree: Any? = nil
        if let base { baseTree = MergeTree.json(base) }
        let result = MergeTree.merge(baseTree, t, m, path: "", found: &found)
        guard let mergedValue: T = MergeTree.decode(result.merged), let mineValue: T = MergeTree.decode(result.mine) else {
            // Should not happen (the trees come from the same types); never lose either side if it does.
            conflicts.append(MergeConflict(entity: ref, path: "", kind: .entity, theirs: MergeTree.display(t), mine: MergeTree.display(m)))
            return (theirs, mine)
        }
        conflicts += found.map {
            MergeConflict(entity: ref, path: $0.path, kind: $0.kind, theirs: $0.theirs, mine: $0.mine, valuePath: $0.valuePath,
                          theirsJSON: $0.theirsJSON, mineJSON: $0.mineJSON)
        }
        return (mergedValue, mineValue)
    }
}

/// Signed notes are immutable: a signature on one side and an edit on the other keep the signed note, and the edit
/// becomes a proposed addendum.
enum SignedNotes {
    /// Both sessions with such notes settled (the edited note replaced by the signed one), conflicts recorded.
    static func settle(base: Session?, theirs: Session, mine: Session, ref: MergeConflict.Entity,
                       conflicts: inout [MergeConflict]) -> (Session, Session) {
        var theirs = theirs, mine = mine
        // The group note.
        switch pick(base?.groupNote, theirs.groupNote, mine.groupNote) {
        case .theirsSigned(let signed, let edit):
            conflicts.append(MergeConflict(entity: ref, path: "groupNote", kind: .proposedAddendum, theirs: text(signed), mine: text(edit)))
            mine = mine.replacingNotes(group: .some(signed))
        case .mineSigned(let signed, let edit):
            conflicts.append(MergeConflict(entity: ref, path: "groupNote", kind: .proposedAddendum, theirs: text(edit), mine: text(signed)))
            theirs = theirs.replacingNotes(group: .some(signed))
        case .none:
            break
        }
        // Member notes, by patient.
        var patients: [PatientID] = []
        for note in theirs.memberNotes + mine.memberNotes where !patients.contains(note.patient) { patients.append(note.patient) }
        for patient in patients {
            let path = "memberNotes[\(patient.rawValue)]"
            switch pick(base?.memberNote(for: patient), theirs.memberNote(for: patient), mine.memberNote(for: patient)) {
            case .theirsSigned(let signed, let edit):
                conflicts.append(MergeConflict(entity: ref, path: path, kind: .proposedAddendum, theirs: text(signed), mine: text(edit)))
                mine = mine.replacingNotes(member: signed)
            case .mineSigned(let signed, let edit):
                conflicts.append(MergeConflict(entity: ref, path: path, kind: .proposedAddendum, theirs: text(edit), mine: text(signed)))
                theirs = theirs.replacingNotes(member: signed)
            case .none:
                break
            }
        }
        return (theirs, mine)
    }

    enum Pick<Note> { case theirsSigned(Note, edit: Note), mineSigned(Note, edit: Note), none }

    /// A note newly signed on one side while the other side changed it without signing.
    static func pick<Note: SignableNote>(_ base: Note?, _ theirs: Note?, _ mine: Note?) -> Pick<Note> {
        guard let theirs, let mine, theirs != mine, !(base?.isSigned ?? false) else { return .none }
        if theirs.isSigned, !mine.isSigned, mine != base { return .theirsSigned(theirs, edit: mine) }
        if mine.isSigned, !theirs.isSigned, theirs != base { return .mineSigned(mine, edit: theirs) }
        return .none
    }

    static func text(_ note: GroupNote) -> String {
        [note.topic, note.narrative].filter { !$0.isEmpty }.joined(separator: "\n")
    }

    static func text(_ note: MemberNote) -> String {
        note.sections.filter { !$0.text.isEmpty }.map { "\($0.heading): \($0.text)" }.joined(separator: "\n")
    }
}

extension Session {
    /// This session with its group note or one member's note replaced as stored (signature and addenda included).
    func replacingNotes(group: GroupNote?? = nil, member: MemberNote? = nil) -> Session {
        var notes = memberNotes
        if let member {
            if let i = notes.firstIndex(where: { $0.patient == member.patient }) { notes[i] = member } else { notes.append(member) }
        }
        return Session(stored: id, series: series, occurrenceDate: occurrenceDate, date: date, start: start,
                       durationMinutes: durationMinutes, title: title, kind: kind, modality: modality, room: room,
                       facilitator: facilitator, status: status, added: added, removed: removed, attendance: attendance,
                       groupNote: group ?? groupNote, memberNotes: notes)
    }
}
