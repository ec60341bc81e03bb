import Foundation

/// Something that happened to the chart, for the audit trail (issue 17): what was done and the ids it touched — never a
/// name, a note's text or any other value from the record. Who and when are added where it is written.
///
/// Ids are typed: `patient:ID`, `session:ID`, `series:ID`, `staff:ID`, `program`, `note:group` or `note:PATIENT-ID`,
/// `field:PATH` (a field path of an edit, e.g. `attendance[pt-3].status`), `slot:LOGIN`, `report:KIND`,
/// `period:FROM..TO`, `consent:ID`, `backup:NAME`, `evaluation:ID`, `measure:ID`.
public struct AuditEvent: Equatable, Sendable {
    /// A dotted name from `AuditAction`.
    public var action: String
    public var ids: [String]

    public init(_ action: String, _ ids: [String] = []) {
        self.action = action; self.ids = ids
    }

    /// The patient ids the event names.
    public var patients: [PatientID] {
        ids.compactMap { $0.hasPrefix("patient:") ? PatientID(String($0.dropFirst(8))) : nil }
    }

    public static func patient(_ id: PatientID) -> String { "patient:\(id.rawValue)" }
    public static func session(_ id: SessionID) -> String { "session:\(id.rawValue)" }
}

/// How the person behind an audit entry was identified (issue 17).
public enum AuditIdentity: String, Equatable, Sendable, CaseIterable {
    /// The person whose key slot unlocked an encrypted document: authenticated.
    case slot
    /// An operating-system account mapped to a staff login (from the user database, not `$USER`).
    case account
    /// An operating-system account that maps to no staff member: may read, may not sign.
    case unmapped
}

/// One event in the audit trail: who, when, what, and the ids it touched — never a name, a note's text or any other
/// value from the record.
public struct AuditEntry: Equatable, Sendable {
    /// 1, 2, 3, … in the order written.
    public var sequence: Int
    /// Whole seconds, UTC.
    public var at: Date
    /// A staff login, or for `.unmapped` the account name.
    public var who: String
    public var identity: AuditIdentity
    /// What happened, as a dotted name: `document.open`, `record.open`, `note.sign`, `slot.remove`, ….
    public var action: String
    /// The ids of what it touched (patients, sessions, notes, consents, key-slot logins), and field paths for edits.
    public var ids: [String]

    public init(sequence: Int, at: Date, who: String, identity: AuditIdentity, action: String, ids: [String] = []) {
        self.sequence = sequence; self.at = at; self.who = who; self.identity = identity; self.action = action; self.ids = ids
    }
}

/// An edit for the audit trail, to be compared later, off the screen's thread (comparing a long chart's entities through
/// their Codable form takes milliseconds): the entities it touched, before and after, each in a document of its own.
public struct AuditChange: Equatable, Sendable {
    public var edit: DocumentEdit
    public var before: CaseloadDocument
    public var after: CaseloadDocument

    public init(edit: DocumentEdit, before: CaseloadDocument, after: CaseloadDocument) {
        self.edit = edit; self.before = before; self.after = after
    }

    /// The trail's entries for it (`AuditEvent.changes`).
    public var events: [AuditEvent] { AuditEvent.changes(by: edit, from: before, to: after) }
}

/// The actions the trail knows, as written in it.
public enum AuditAction {
    public static let documentOpen = "document.open"
    public static let documentClose = "document.close"
    public static let unlock = "screen.unlock"
    public static let lock = "screen.lock"
    public static let unlockFailed = "screen.unlock-failed"
    public static let passphraseFailed = "document.unlock-failed"
    public static let recordOpen = "record.open"
    public static let notesOpen = "session.notes-open"
    public static let create = "create"
    public static let edit = "edit"
    public static let delete = "delete"
    public static let sign = "note.sign"
    public static let addendum = "note.addendum"
    /// A supervisor co-signed a note or an addendum (issue 19).
    public static let coSign = "note.cosign"
    /// A comprehensive evaluation signed (issue 19).
    public static let evaluationSign = "evaluation.sign"
    /// A signed evaluation co-signed by the signer's supervisor.
    public static let evaluationCoSign = "evaluation.cosign"
    public static let report = "report"
    public static let letter = "letter"
    public static let export = "export"
    public static let slotAdd = "slot.add"
    public static let slotRemove = "slot.remove"
    public static let slotPassphrase = "slot.passphrase"
    public static let restore = "backup.restore"
    public static let encrypt = "document.encrypt"
    public static let decrypt = "document.decrypt"
    /// Written by the trail itself: a crash cut the last entry off mid-write; it was removed and this says so.
    public static let tornTail = "audit.torn-tail"
    /// Written by the trail itself: the trail on disk held fewer entries than the document recorded.
    public static let gap = "audit.gap"
}

extension AuditEvent {
    /// Most field paths one edit entry lists; past that the entry says how many more (`field:…+N`).
    public static let maxFields = 24

    /// The trail's entries for a change of the document from `before` to `after` by `edit`: for each entity it touched,
    /// created, deleted or the field paths that changed (never their values); a note's signature and addenda are
    /// entries of their own, naming the session and patient.
    public static func changes(by edit: DocumentEdit, from before: CaseloadDocument, to after: CaseloadDocument) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for ref in touched(edit) {
            events += changes(of: ref, before: before, after: after)
        }
        return events
    }

    enum Ref: Hashable { case program, staff(StaffID), patient(PatientID), series(SeriesID), session(SessionID) }

    static func touched(_ edit: DocumentEdit) -> [Ref] {
        switch edit {
        case .setProgram: return [.program]
        case .putStaff(let s): return [.staff(s.id)]
        case .removeStaff(let id): return [.staff(id)]
        case .putPatient(let p): return [.patient(p.id)]
        case .removePatient(let id): return [.patient(id)]
        case .putSeries(let s), .insertSeries(let s, _): return [.series(s.id)]
        case .removeSeries(let id): return [.series(id)]
        case .putSession(let s), .insertSession(let s, _): return [.session(s.id)]
        case .removeSession(let id): return [.session(id)]
        case .batch(let edits):
            var seen = Set<Ref>(), refs: [Ref] = []
            for ref in edits.flatMap(touched) where seen.insert(ref).inserted { refs.append(ref) }
            return refs
        }
    }

    static func changes(of ref: Ref, before: CaseloadDocument, after: CaseloadDocument) -> [AuditEvent] {
        let name: String, old: Any?, new: Any?
        var patients: [PatientID] = []
        switch ref {
        case .program:
            (name, old, new) = ("program", json(before.program), json(after.program))
        case .staff(let id):
            (name, old, new) = ("staff:\(id.rawValue)", before.staffMember(id).flatMap(json), after.staffMember(id).flatMap(json))
        case .patient(let id):
            (name, old, new) = (patient(id), before.patient(id).flatMap(json), after.patient(id).flatMap(json))
        case .series(let id):
            let a = before.series.first { $0.id == id }, b = after.series.first { $0.id == id }
            (name, old, new) = ("series:\(id.rawValue)", a.flatMap(json), b.flatMap(json))
        case .session(let id):
            let a = before.sessions.first { $0.id == id }, b = after.sessions.first { $0.id == id }
            (name, old, new) = (session(id), a.flatMap(json), b.flatMap(json))
            patients = sessionPatients(a, b)
        }
        switch (old, new) {
        case (nil, nil): return []
        case (nil, _): return [AuditEvent(AuditAction.create, [name])]
        case (_, nil): return [AuditEvent(AuditAction.delete, [name])]
        case (let old?, let new?):
            var paths: [String] = []
            diff(old, new, path: "", into: &paths)
            guard !paths.isEmpty else { return [] }
            var events: [AuditEvent] = []
            // A signature or an addendum is an event of its own; the other paths are one edit entry.
            var plain: [String] = []
            for path in paths {
                if case .patient(let id) = ref, let found = measureEvents(path, patient: id, before: before, after: after) {
                    for event in found where !events.contains(event) { events.append(event) }
                } else if let (action, note) = noteEvent(path) {
                    var ids = [name]
                    if note != "group" { ids.append("patient:\(note)") }
                    ids.append("note:\(note)")
                    let event = AuditEvent(action, ids)
                    if !events.contains(event) { events.append(event) }
                } else if let (action, item) = evaluationEvent(path) {
                    let event = AuditEvent(action, [name, "evaluation:\(item)"])
                    if !events.contains(event) { events.append(event) }
                } else {
                    plain.append(path)
                }
            }
            if !plain.isEmpty {
                // Whose part of a session changed: a roll mark or a member's note names that patient.
                let named = patients.filter { p in plain.contains { $0.contains("[\(p.rawValue)]") } }
                var ids = [name] + named.map(patient)
                let shown = plain.prefix(maxFields).map { "field:\($0)" }
                ids += shown
                if plain.count > maxFields { ids.append("field:…+\(plain.count - maxFields)") }
                events.insert(AuditEvent(AuditAction.edit, ids), at: 0)
            }
            return events
        }
    }

    /// Every patient a session (before or after) names: roster changes, marks and notes.
    static func sessionPatients(_ a: Session?, _ b: Session?) -> [PatientID] {
        var seen = Set<PatientID>(), out: [PatientID] = []
        for s in [a, b].compactMap({ $0 }) {
            for id in s.added + s.removed + s.attendance.map(\.patient) + s.memberNotes.map(\.patient) where seen.insert(id).inserted {
                out.append(id)
            }
        }
        return out
    }

    /// A signature newly set, a co-signature given, or an addendum added, at `path`: the action and whose note (`group`
    /// or a patient id).
    static func noteEvent(_ path: String) -> (String, String)? {
        let note: String
        if path.hasPrefix("groupNote.") {
            note = "group"
        } else if path.hasPrefix("memberNotes["), let close = path.firstIndex(of: "]") {
            note = String(path[path.index(path.startIndex, offsetBy: 12)..<close])
        } else {
            return nil
        }
        // A co-signature (of the note's signature or of an addendum) before the signature and addendum it sits in.
        if path.hasSuffix(".coSignature") || path.contains(".coSignature.") { return (AuditAction.coSign, note) }
        if path.hasSuffix(".signature") || path.contains(".signature.") { return (AuditAction.sign, note) }
        if path.contains(".addenda") { return (AuditAction.addendum, note) }
        return nil
    }

    /// An entity as JSON objects (its Codable form: the field names of the model).
    static func json<T: Encodable>(_ value: T) -> Any? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// The paths at which `a` and `b` differ. Lists of objects with an `id` (or a `patient`) are matched by it, so a
    /// path names the element (`consents[c-2].revoked`), never its place or its value.
    static func diff(_ a: Any, _ b: Any, path: String, into paths: inout [String]) {
        func join(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
        if let x = a as? [String: Any], let y = b as? [String: Any] {
            for key in Set(x.keys).union(y.keys).sorted() {
                switch (x[key], y[key]) {
                case (let l?, let r?): diff(l, r, path: join(key), into: &paths)
                case (nil, nil): break
                default: paths.append(join(key))
                }
            }
            return
        }
        if let x = a as? [Any], let y = b as? [Any] {
            if let kx = keyed(x), let ky = keyed(y) {
                var order = kx.map(\.0)
                for (k, _) in ky where !order.contains(k) { order.append(k) }
                let lx = Dictionary(uniqueKeysWithValues: kx), ly = Dictionary(uniqueKeysWithValues: ky)
                for k in order {
                    let here = "\(path)[\(k)]"
                    switch (lx[k], ly[k]) {
                    case (let l?, let r?): diff(l, r, path: here, into: &paths)
                    default: paths.append(here)
                    }
                }
                return
            }
            if x.count == y.count {
                for i in x.indices { diff(x[i], y[i], path: "\(path)[\(i)]", into: &paths) }
                return
            }
            paths.append(path)
            return
        }
        if let l = a as? NSObject, let r = b as? NSObject, l.isEqual(r) { return }
        paths.append(path)
    }

    /// A list's elements by their `id` (or `patient`), when every element is an object that has one and no two share it
    /// (a series roster may hold one patient twice, joined again later: matched by key, one would be passed over). An
    /// empty list is matched with any keyed list. The merge (`MergeTree`) matches lists the same way.
    static func keyed(_ list: [Any]) -> [(String, Any)]? {
        var out: [(String, Any)] = []
        var seen = Set<String>()
        for element in list {
            guard let object = element as? [String: Any], let key = (object["id"] ?? object["patient"]) as? String,
                  seen.insert(key).inserted else { return nil }
            out.append((key, element))
        }
        return out
    }
}
