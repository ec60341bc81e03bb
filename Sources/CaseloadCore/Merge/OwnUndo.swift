import Foundation

// Undo takes back this person's own edits only (issue 18): an edit is a whole entity put back as it was, so after
// another instance's changes were merged into the same entity, putting it back as it was would take theirs back too.
// The edit is rebased instead: a three-way merge of the entity, from what the edit made, to what it is now (theirs) and
// to what the edit takes it back to (mine). A field both changed keeps its current value.

extension DocumentEdit {
    /// This edit (an undo or a redo), changed so that it takes back only what `applied` did: what others changed in the
    /// same entities since keeps its current value in `document`. `kept` counts the fields left as others saved them.
    /// Both edits are as first performed: `applied`'s values are the state this edit was made against.
    public func rebased(reverting applied: DocumentEdit, in document: CaseloadDocument, kept: inout Int) -> DocumentEdit {
        switch self {
        case .setProgram(let back):
            guard let after = applied.lastProgram else { return self }
            return .setProgram(Self.rebase(.program, back: back, after: after, now: document.program, kept: &kept))
        case .putStaff(let back):
            guard let after = applied.last(\.staffPut, id: back.id), let now = document.staffMember(back.id) else { return self }
            return .putStaff(Self.rebase(.staff(back.id), back: back, after: after, now: now, kept: &kept))
        case .putPatient(let back):
            guard let after = applied.last(\.patientPut, id: back.id), let now = document.patient(back.id) else { return self }
            return .putPatient(Self.rebase(.patient(back.id), back: back, after: after, now: now, kept: &kept))
        case .putSeries(let back):
            guard let after = applied.last(\.seriesPut, id: back.id), let now = document.series(back.id) else { return self }
            return .putSeries(Self.rebase(.series(back.id), back: back, after: after, now: now, kept: &kept))
        case .putSession(let back):
            guard let after = applied.last(\.sessionPut, id: back.id), let now = document.session(back.id) else { return self }
            return .putSession(Self.rebase(.session(back.id), back: back, after: after, now: now, kept: &kept))
        case .batch(let edits):
            return .batch(edits.map { $0.rebased(reverting: applied, in: document, kept: &kept) })
        case .removeSession(let id):
            // Taking back an addition someone else has changed since: their change stays. A series occurrence goes
            // back to its untouched form with their change merged in; anything else is left in place.
            guard let after = applied.last(\.sessionPut, id: id), let now = document.session(id), now != after else { return self }
            if let seriesID = now.series, let date = now.occurrenceDate, let series = document.series(seriesID) {
                return .putSession(Self.rebase(.session(id), back: Session(id: id, occurrenceOf: series, on: date), after: after, now: now, kept: &kept))
            }
            kept += 1
            return .batch([])
        case .removePatient(let id):
            guard let after = applied.last(\.patientPut, id: id), let now = document.patient(id), now != after else { return self }
            kept += 1
            return .batch([])
        case .removeStaff(let id):
            guard let after = applied.last(\.staffPut, id: id), let now = document.staffMember(id), now != after else { return self }
            kept += 1
            return .batch([])
        case .removeSeries(let id):
            guard let after = applied.last(\.seriesPut, id: id), let now = document.series(id), now != after else { return self }
            kept += 1
            return .batch([])
        case .insertSeries, .insertSession:
            return self
        }
    }

    static func rebase<T: Codable & Equatable>(_ ref: MergeConflict.Entity, back: T, after: T, now: T, kept: inout Int) -> T {
        var conflicts: [MergeConflict] = []
        let merged = rebase(ref, back: back, after: after, now: now, conflicts: &conflicts)
        kept += conflicts.count
        return merged
    }

    /// `back` (what an edit puts) made against `after`, rebased onto `now`: a three-way merge of the entity, whose
    /// conflicts keep `now`'s value (and carry `back`'s).
    static func rebase<T: Codable & Equatable>(_ ref: MergeConflict.Entity, back: T, after: T, now: T, conflicts: inout [MergeConflict]) -> T {
        // Nobody else touched it since: exactly as the edit has it.
        if now == after { return back }
        return DocumentMerge.mergeEntity(ref, base: after, theirs: now, mine: back, conflicts: &conflicts).merged
    }

    /// This edit, made against `origin` (the document when a form opened), rebased onto `document`, which took in
    /// others' saves since: what they changed in the same entities stays; a field both changed keeps theirs and is
    /// added to `conflicts` with this edit's value (issue 18).
    public func rebased(from origin: CaseloadDocument, in document: CaseloadDocument, conflicts: inout [MergeConflict]) -> DocumentEdit {
        switch self {
        case .setProgram(let mine):
            return .setProgram(Self.rebase(.program, back: mine, after: origin.program, now: document.program, conflicts: &conflicts))
        case .putStaff(let mine):
            guard let after = origin.staffMember(mine.id), let now = document.staffMember(mine.id) else { return self }
            return .putStaff(Self.rebase(.staff(mine.id), back: mine, after: after, now: now, conflicts: &conflicts))
        case .putPatient(let mine):
            guard let after = origin.patient(mine.id), let now = document.patient(mine.id) else { return self }
            return .putPatient(Self.rebase(.patient(mine.id), back: mine, after: after, now: now, conflicts: &conflicts))
        case .putSeries(let mine):
            guard let after = origin.series(mine.id), let now = document.series(mine.id) else { return self }
            return .putSeries(Self.rebase(.series(mine.id), back: mine, after: after, now: now, conflicts: &conflicts))
        case .putSession(let mine):
            guard let after = origin.session(mine.id), let now = document.session(mine.id) else { return self }
            return .putSession(Self.rebase(.session(mine.id), back: mine, after: after, now: now, conflicts: &conflicts))
        case .batch(let edits):
            return .batch(edits.map { $0.rebased(from: origin, in: document, conflicts: &conflicts) })
        case .removeStaff, .removePatient, .removeSeries, .removeSession, .insertSeries, .insertSession:
            return self
        }
    }

    private var lastProgram: Program? {
        switch self {
        case .setProgram(let program): program
        case .batch(let edits): edits.reversed().lazy.compactMap(\.lastProgram).first
        default: nil
        }
    }

    private var staffPut: Staff? { if case .putStaff(let v) = self { v } else { nil } }
    private var patientPut: Patient? { if case .putPatient(let v) = self { v } else { nil } }
    private var seriesPut: Series? {
        switch self { case .putSeries(let v), .insertSeries(let v, _): v; default: nil }
    }
    private var sessionPut: Session? {
        switch self { case .putSession(let v), .insertSession(let v, _): v; default: nil }
    }

    /// The last value this edit puts for the entity `id` (searching batches), or nil.
    private func last<T: Identifiable>(_ put: (DocumentEdit) -> T?, id: T.ID) -> T? {
        if let value = put(self), value.id == id { return value }
        guard case .batch(let edits) = self else { return nil }
        for edit in edits.reversed() { if let found = edit.last(put, id: id) { return found } }
        return nil
    }
}
