import Foundation

/// How an instance takes in what the file holds now (issue 18), merged into the document in memory: pure, so the UI and
/// the sharing drill use one rule.
public enum TakeIn {
    /// What the document in memory becomes.
    public struct Result: Equatable, Sendable {
        /// The document in memory from now on: `disk` plus this instance's edits not saved yet (on a conflict, theirs).
        public var document: CaseloadDocument
        /// The conflicts this merge found (this instance's unsaved edit against what the file holds).
        public var conflicts: [MergeConflict]
        /// Whether `document` changed.
        public var changed: Bool
    }

    /// `document` (in memory) grew from `base`; the file now holds `disk`, which also grew from `base`. For a save's
    /// outcome, `base` is the snapshot the save was given; for a pick-up, the version last taken in.
    public static func merge(document: CaseloadDocument, base: CaseloadDocument, disk: CaseloadDocument) -> Result {
        if document == disk { return Result(document: document, conflicts: [], changed: false) }
        // Nothing of this instance's waits to be saved: the file's version as it is.
        if document == base { return Result(document: disk, conflicts: [], changed: true) }
        // Only the base moved (a save of exactly this document's snapshot, nothing merged in).
        if base == disk { return Result(document: document, conflicts: [], changed: false) }
        let result = DocumentMerge.merge(base: base, theirs: disk, mine: document)
        return Result(document: result.merged, conflicts: result.conflicts, changed: result.merged != document)
    }

    /// The base for taking in a save's outcome: the snapshot `saved` that save was given, plus what was taken in since it
    /// was handed over (`current`, when it differs from the snapshot's own base `savedBase`). The document in memory grew
    /// from exactly that; from the snapshot alone, a value another person saved twice would look like this instance's.
    public static func base(saved: CaseloadDocument, savedBase: CaseloadDocument?, current: CaseloadDocument?) -> CaseloadDocument {
        guard let savedBase, let current, savedBase != current else { return saved }
        if saved == savedBase { return current }
        // Where both changed a field, the snapshot's value: it came later in this memory than anything of its own that
        // `current` holds (an earlier save of this instance), and another person's value there was met by the save.
        return DocumentMerge.merge(base: savedBase, theirs: current, mine: saved).mine
    }

    /// The base a save merges from: the one the snapshot names (`given`, else the home's `own`), unless it is older than
    /// this instance's own last save and was not picked up since. Such a snapshot was taken before that save was taken
    /// in, so it grew from the save's snapshot (which came later in the same memory) plus what was taken in since;
    /// without this an edit made during a save, or an undo of it, would be taken for someone else's change. Both homes
    /// (the file, the database) save through it.
    public static func saveBase(given: CaseloadDocument?, own: CaseloadDocument?,
                                lastSave: (base: CaseloadDocument?, snapshot: CaseloadDocument, written: CaseloadDocument)?,
                                pickedUp: [CaseloadDocument]) -> CaseloadDocument? {
        let base = given ?? own
        if let last = lastSave, let base, base != last.written, !pickedUp.contains(base) {
            return self.base(saved: last.snapshot, savedBase: last.base, current: base)
        }
        return base
    }

    /// What a save writes: `mine` as it is when what the home holds now (`current`) is its base or unknown; else the
    /// three-way merge, with the conflicts (the home's value kept, `mine`'s carried in each).
    public static func forSave(mine: CaseloadDocument, base: CaseloadDocument?, current: CaseloadDocument?)
        -> (document: CaseloadDocument, conflicts: [MergeConflict], merged: Bool) {
        guard let current, let base, current != base else { return (mine, [], false) }
        let result = DocumentMerge.merge(base: base, theirs: current, mine: mine)
        return (result.merged, result.conflicts, true)
    }

    /// `conflicts` with `found` added: a newer conflict replaces an older one about the same field.
    public static func adding(_ found: [MergeConflict], to conflicts: [MergeConflict]) -> [MergeConflict] {
        var all = conflicts
        for conflict in found {
            all.removeAll { $0.entity == conflict.entity && $0.path == conflict.path }
            all.append(conflict)
        }
        return all
    }
}

extension Session {
    /// This session with one note (the group note when `patient` is nil, else that member's) as `other` has it (absent
    /// when `other` has none): how the note being typed is left out of a comparison (issue 18).
    public func withNote(of patient: PatientID?, from other: Session?) -> Session {
        var notes = memberNotes
        var group = groupNote
        if let patient {
            notes.removeAll { $0.patient == patient }
            if let note = other?.memberNote(for: patient) { notes.append(note) }
        } else {
            group = other?.groupNote
        }
        return Session(stored: id, series: series, occurrenceDate: occurrenceDate, date: date, start: start,
                       durationMinutes: durationMinutes, title: title, kind: kind, modality: modality, room: room,
                       facilitator: facilitator, status: status, added: added, removed: removed, attendance: attendance,
                       groupNote: group, memberNotes: notes)
    }
}
