import CaseloadCore
import CaseloadStore
import Foundation

/// The kind of a top-level entity, as stored in a row's `kind` column.
public enum EntityKind: String, Sendable, CaseIterable {
    case program, staff, patient, series, session
}

/// Which row an entity is: its kind and id (the program's id is "program").
public struct EntityKey: Hashable, Sendable {
    public var kind: EntityKind
    public var id: String

    public init(kind: EntityKind, id: String) { self.kind = kind; self.id = id }

    /// The program's key: one program per database.
    public static let program = EntityKey(kind: .program, id: "program")
}

/// One top-level entity as a row: where it stands in its list and its canonical bytes (plain; sealing is the caller's).
public struct EntityRow: Equatable, Sendable {
    public var key: EntityKey
    /// Its index in its list in the document (0 for the program).
    public var position: Int
    /// `DocumentCodec.encode(entity)`: exactly the entity's bytes in a whole file.
    public var body: [UInt8]

    public init(key: EntityKey, position: Int, body: [UInt8]) { self.key = key; self.position = position; self.body = body }
}

/// What a save writes: rows whose value or position changed (or that are new), and rows that are gone.
public struct RowDiff: Equatable, Sendable {
    public var upserts: [EntityRow]
    public var deletions: [EntityKey]

    public init(upserts: [EntityRow] = [], deletions: [EntityKey] = []) { self.upserts = upserts; self.deletions = deletions }

    /// Nothing to write.
    public var isEmpty: Bool { upserts.isEmpty && deletions.isEmpty }
}

/// The document as rows and back: the rows hold each entity's canonical bytes, and assembling them gives the very
/// file `DocumentCodec.encode(document, audit:)` writes, so export is byte-identical to what was imported.
public enum EntityRows {
    /// Every entity of the document as a row, in document order (program, staff, patients, series, sessions).
    public static func rows(of document: CaseloadDocument) -> [EntityRow] {
        var rows: [EntityRow] = [EntityRow(key: .program, position: 0, body: DocumentCodec.encode(.program(document.program)))]
        rows.reserveCapacity(1 + document.staff.count + document.patients.count + document.series.count + document.sessions.count)
        for (k, s) in document.staff.enumerated() { rows.append(row(.staff(s), position: k)) }
        for (k, p) in document.patients.enumerated() { rows.append(row(.patient(p), position: k)) }
        for (k, s) in document.series.enumerated() { rows.append(row(.series(s), position: k)) }
        for (k, s) in document.sessions.enumerated() { rows.append(row(.session(s), position: k)) }
        return rows
    }

    /// The document the rows hold, read from the assembled file: rows in any order, placed by kind then position (then
    /// id, should two share a position); exactly one program row is needed. `location` names the database in messages.
    public static func document(from rows: [EntityRow], audit: AuditSeal?, location: String) throws(StoreError) -> DecodedDocument {
        var program: [UInt8]? = nil
        var lists: [EntityKind: [EntityRow]] = [:]
        for row in rows {
            if row.key.kind == .program {
                guard program == nil else {
                    throw .invalidDocument(path: location, issues: ["it holds more than one program row; one database holds one program"])
                }
                program = row.body
            } else {
                lists[row.key.kind, default: []].append(row)
            }
        }
        guard let program else {
            throw .notADocument(path: location, detail: "it holds no program row; set it up with `caseload db import FILE URL`")
        }
        for (kind, list) in lists {
            lists[kind] = list.sorted { ($0.position, $0.key.id) < ($1.position, $1.key.id) }
        }
        func bodies(_ kind: EntityKind) -> [[UInt8]] { (lists[kind] ?? []).map(\.body) }
        let parts = DocumentParts(program: program, staff: bodies(.staff), patients: bodies(.patient), series: bodies(.series), sessions: bodies(.session))
        let decoded = try DocumentCodec.decode(parts, audit: audit, path: location)
        try checkIDs(decoded.document, lists: lists, location: location)
        return decoded
    }

    /// A row's id must be the id its body holds: otherwise a save would write that entity under another key.
    /// `lists` are the rows of each kind in document order.
    private static func checkIDs(_ document: CaseloadDocument, lists: [EntityKind: [EntityRow]], location: String) throws(StoreError) {
        func check(_ kind: EntityKind, _ ids: [String]) throws(StoreError) {
            for (row, id) in zip(lists[kind] ?? [], ids) where row.key.id != id {
                throw .invalidDocument(path: location, issues: ["the \(kind.rawValue) row \(row.key.id) holds the \(kind.rawValue) \(id)"])
            }
        }
        try check(.staff, document.staff.map(\.id.rawValue))
        try check(.patient, document.patients.map(\.id.rawValue))
        try check(.series, document.series.map(\.id.rawValue))
        try check(.session, document.sessions.map(\.id.rawValue))
    }

    /// The rows that turn `old`'s rows into `new`'s: an entity is encoded only when its value or its position changed
    /// (or it is new); every entity of `new` when `old` is nil. Values are compared by id, so a list that only moved
    /// (an insertion or removal before an entity) upserts the moved entities with their same bodies.
    ///
    /// `known` gives the body already stored for an entity whose value did not change: one that only moved (a session
    /// removed before it) is then written with that body rather than encoded again.
    public static func diff(from old: CaseloadDocument?, to new: CaseloadDocument, known: ((EntityKey) -> [UInt8]?)? = nil) -> RowDiff {
        guard let old else { return RowDiff(upserts: rows(of: new)) }
        var diff = RowDiff()
        if old.program != new.program {
            diff.upserts.append(EntityRow(key: .program, position: 0, body: DocumentCodec.encode(.program(new.program))))
        }
        list(old.staff, new.staff, kind: .staff, known: known, into: &diff) { .staff($0) }
        list(old.patients, new.patients, kind: .patient, known: known, into: &diff) { .patient($0) }
        list(old.series, new.series, kind: .series, known: known, into: &diff) { .series($0) }
        list(old.sessions, new.sessions, kind: .session, known: known, into: &diff) { .session($0) }
        return diff
    }

    private static func row(_ entity: DocumentEntity, position: Int) -> EntityRow {
        EntityRow(key: key(of: entity), position: position, body: DocumentCodec.encode(entity))
    }

    private static func key(of entity: DocumentEntity) -> EntityKey {
        switch entity {
        case .program: .program
        case .staff(let s): EntityKey(kind: .staff, id: s.id.rawValue)
        case .patient(let p): EntityKey(kind: .patient, id: p.id.rawValue)
        case .series(let s): EntityKey(kind: .series, id: s.id.rawValue)
        case .session(let s): EntityKey(kind: .session, id: s.id.rawValue)
        }
    }

    /// One list's changes. The leading run whose ids line up with the old list (all of it, unless something was
    /// inserted or removed) is compared in place, value against value (they share storage until edited, so most
    /// comparisons are cheap); only the rest is looked up by id.
    private static func list<T: Identifiable & Equatable>(
        _ old: [T], _ new: [T], kind: EntityKind, known: ((EntityKey) -> [UInt8]?)?, into diff: inout RowDiff, entity: (T) -> DocumentEntity
    ) where T.ID: TypedID {
        var prefix = 0
        let common = min(old.count, new.count)
        while prefix < common, old[prefix].id == new[prefix].id {
            if old[prefix] != new[prefix] { diff.upserts.append(row(entity(new[prefix]), position: prefix)) }
            prefix += 1
        }
        if prefix == new.count, prefix == old.count { return }
        // Ids are unique in a valid document; should two share one, the first is kept (values are compared anyway).
        let before = Dictionary(old[prefix...].indices.map { (old[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        var present = Set<T.ID>()
        present.reserveCapacity(new.count - prefix)
        for k in prefix..<new.count {
            let value = new[k]
            present.insert(value.id)
            if let j = before[value.id], old[j] == value {
                if j == k { continue }
                let key = EntityKey(kind: kind, id: value.id.rawValue)
                if let body = known?(key) {
                    diff.upserts.append(EntityRow(key: key, position: k, body: body))
                    continue
                }
            }
            diff.upserts.append(row(entity(value), position: k))
        }
        for value in old[prefix...] where !present.contains(value.id) {
            diff.deletions.append(EntityKey(kind: kind, id: value.id.rawValue))
        }
    }
}
