import Foundation

/// How the person resolving a merge conflict settles it.
public enum ConflictChoice: Equatable, Sendable, CaseIterable {
    /// Keep the other person's value. The document holds it already (the file's), so nothing changes: the conflict is
    /// only dropped. It is also how a conflict with nothing to choose is acknowledged and a proposed addendum discarded.
    case theirs
    /// Put this instance's own value back.
    case mine
    /// Text only: both values, theirs first (`MergeResolution.both`).
    case both
    /// A proposed addendum (this instance's edit of a note the other side signed): added to the signed note as an
    /// addendum, by the staff member at the keyboard.
    case addendum
}

/// Why a conflict could not be resolved as asked; the document is unchanged and the conflict stays.
public enum ResolutionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The entity is no longer in the document (someone removed it since).
    case entityGone(MergeConflict.Entity)
    /// The place the value sat is no longer there (an element removed since), named by its path.
    case pathGone(String)
    /// The choice is not one this conflict offers; the text says which are.
    case notOffered(String)
    /// A value, or the entity with it put back, could not be read.
    case unreadable(String)
    /// An addendum needs a staff member at the keyboard.
    case notStaff
    /// The note refused the addendum.
    case note(NoteError)

    public var description: String {
        switch self {
        case .entityGone(let entity):
            "the \(entity) is no longer in the document (someone removed it): there is nothing to put your value in; t drops the conflict"
        case .pathGone(let path):
            "\(path) is no longer there (someone removed it): there is nothing to put your value in; t drops the conflict"
        case .notOffered(let text): text
        case .unreadable(let what): "\(what) could not be read back; t keeps the saved value"
        case .notStaff: "only staff add addenda, and your account is not a staff member's login; ask the director to add it to Staff"
        case .note(let error): error.description
        }
    }
}

/// Resolutions of merge conflicts (issue 18): pure functions from a conflict, a choice and the current document to the
/// edit that carries the choice out, so the UI applies it through the undo history like any other edit.
public enum MergeResolution {
    /// What joins the two values of a text kept both ways: a new line in a multi-line text (a note, a narrative), else
    /// " / " (a one-line text holds no newline).
    public static func both(theirs: String, mine: String, multiLine: Bool) -> String {
        theirs + (multiLine ? "\n" : " / ") + mine
    }

    /// The choices `conflict` offers in `document`, `.theirs` first: a field changed both ways, theirs or mine (and both
    /// for text, when the two joined read back as a value of the field); a removal against a change, only acknowledging it (the changed one was kept on both sides); a proposed
    /// addendum, discarding it or (when the edit was this instance's) adding it; an unreadable entity, theirs or, when
    /// this instance's whole entity is at hand, mine.
    public static func choices(for conflict: MergeConflict, in document: CaseloadDocument) -> [ConflictChoice] {
        switch conflict.kind {
        case .field:
            var out: [ConflictChoice] = [.theirs, .mine]
            // Text only: a date or a code is a string too, but two of them joined is no value of the field.
            if (try? bothEdit(conflict, in: document)) != nil { out.append(.both) }
            return out
        case .removedChanged:
            return [.theirs]
        case .proposedAddendum:
            return editIsMine(conflict, in: document) ? [.theirs, .addendum] : [.theirs]
        case .entity:
            return mineValue(of: conflict) != nil ? [.theirs, .mine] : [.theirs]
        }
    }

    /// The edit that carries out `choice` on `conflict` in `document`; nil when nothing changes (theirs: the document has
    /// it). An addendum is signed by `signer` (nil: the person at the keyboard is no staff member, refused) at `now`
    /// (moved to the signature's time if the clock is behind it).
    public static func edit(resolving conflict: MergeConflict, with choice: ConflictChoice, in document: CaseloadDocument,
                            signer: StaffID? = nil, now: Timestamp = Timestamp(seconds: 0)) throws(ResolutionError) -> DocumentEdit? {
        let offered = choices(for: conflict, in: document)
        guard offered.contains(choice) else {
            throw .notOffered("this conflict offers " + offered.map(\.word).joined(separator: ", "))
        }
        switch choice {
        case .theirs:
            return nil
        case .mine:
            guard let value = mineValue(of: conflict) else { throw .unreadable("your value") }
            return try put(value is NSNull && conflict.mineJSON == nil ? nil : value, at: conflict.valuePath, of: conflict.entity, in: document)
        case .both:
            return try bothEdit(conflict, in: document)
        case .addendum:
            return try addendum(conflict, in: document, signer: signer, now: now)
        }
    }

    /// A conflict's path as its parts, for showing it in words: object keys, and list elements (`isElement`) by their
    /// key or index. Nil when the path is not one the merge writes.
    public static func pathParts(_ path: String) -> [(name: String, isElement: Bool)]? {
        MergeTree.steps(path)?.map { step in
            switch step {
            case .key(let key): (key, false)
            case .element(let key): (key, true)
            }
        }
    }

    /// Whether the edit a proposed addendum offers is this instance's (so `.addendum` is among its choices).
    public static func proposesMyAddendum(_ conflict: MergeConflict, in document: CaseloadDocument) -> Bool {
        conflict.kind == .proposedAddendum && editIsMine(conflict, in: document)
    }

    /// The edit keeping both texts of a field conflict; throws when the values are not both strings, or the two joined
    /// are no value of the field (two dates).
    static func bothEdit(_ conflict: MergeConflict, in document: CaseloadDocument) throws(ResolutionError) -> DocumentEdit {
        guard let (theirs, mine) = texts(of: conflict) else { throw .unreadable("the two texts") }
        var multiLine = false
        if case .key(let key)?? = MergeTree.steps(conflict.valuePath)?.last { multiLine = TextRules.multiLineKeys.contains(key) }
        return try put(both(theirs: theirs, mine: mine, multiLine: multiLine), at: conflict.valuePath, of: conflict.entity, in: document)
    }

    /// Both values as text, when both are JSON strings.
    static func texts(of conflict: MergeConflict) -> (String, String)? {
        guard let t = conflict.theirsJSON.flatMap(MergeTree.parse) as? String,
              let m = conflict.mineJSON.flatMap(MergeTree.parse) as? String else { return nil }
        return (t, m)
    }

    /// This instance's value as a JSON tree: `NSNull` standing for "absent" (the key or element removed); nil when it
    /// cannot be read. An unreadable entity's conflict carries the whole entity as its text, read back here.
    static func mineValue(of conflict: MergeConflict) -> Any? {
        if let json = conflict.mineJSON { return MergeTree.parse(json) }
        switch conflict.kind {
        case .field: return NSNull()
        case .entity: return MergeTree.parse(conflict.mine).flatMap { $0 is [String: Any] ? $0 : nil }
        case .removedChanged, .proposedAddendum: return nil
        }
    }

    /// `value` (nil: removed) put at `path` in the entity's Codable form, read back into the edit that stores it.
    static func put(_ value: Any?, at path: String, of entity: MergeConflict.Entity, in document: CaseloadDocument) throws(ResolutionError) -> DocumentEdit {
        switch entity {
        case .program:
            return .setProgram(try replacing(document.program, entity, path, value))
        case .staff(let id):
            guard let old = document.staffMember(id) else { throw .entityGone(entity) }
            return .putStaff(try replacing(old, entity, path, value))
        case .patient(let id):
            guard let old = document.patient(id) else { throw .entityGone(entity) }
            return .putPatient(try replacing(old, entity, path, value))
        case .series(let id):
            guard let old = document.series(id) else { throw .entityGone(entity) }
            return .putSeries(try replacing(old, entity, path, value))
        case .session(let id):
            guard let old = document.session(id) else { throw .entityGone(entity) }
            return .putSession(try replacing(old, entity, path, value))
        }
    }

    private static func replacing<T: Codable>(_ old: T, _ entity: MergeConflict.Entity, _ path: String, _ value: Any?) throws(ResolutionError) -> T {
        guard let steps = MergeTree.steps(path) else { throw .unreadable("the place \"\(path)\"") }
        guard let tree = MergeTree.json(old) else { throw .unreadable("the \(entity)") }
        // The whole entity can be replaced, not removed: a removal is not a value choice here.
        if steps.isEmpty, value == nil { throw .unreadable("your \(entity)") }
        let changed: Any?
        do { changed = try MergeTree.setting(tree, at: steps[...], to: value) } catch { throw .pathGone(error.at) }
        guard let result: T = MergeTree.decode(changed) else { throw .unreadable("the \(entity) with your value") }
        return result
    }

    /// Whether a proposed addendum's edit is this instance's: the signed note in the document reads otherwise than
    /// `mine` (when this side signed, `mine` is the signed text and the edit is the other person's, offered to them).
    static func editIsMine(_ conflict: MergeConflict, in document: CaseloadDocument) -> Bool {
        guard case .session(let id) = conflict.entity, let session = document.session(id),
              let text = signedText(at: conflict.path, in: session) else { return false }
        return conflict.mine != text && !conflict.mine.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// The text of the signed note at `path` (`groupNote`, `memberNotes[pat_3]`), as the merge wrote the conflict's.
    private static func signedText(at path: String, in session: Session) -> String? {
        switch NoteTarget(path) {
        case .group?:
            return session.groupNote.flatMap { $0.isSigned ? SignedNotes.text($0) : nil }
        case .member(let patient)?:
            return session.memberNote(for: patient).flatMap { $0.isSigned ? SignedNotes.text($0) : nil }
        case nil:
            return nil
        }
    }

    private static func addendum(_ conflict: MergeConflict, in document: CaseloadDocument, signer: StaffID?, now: Timestamp) throws(ResolutionError) -> DocumentEdit {
        guard let signer else { throw .notStaff }
        guard case .session(let id) = conflict.entity else { throw .notOffered("only a session's note takes an addendum") }
        guard var session = document.session(id) else { throw .entityGone(conflict.entity) }
        do {
            switch NoteTarget(conflict.path) {
            case .group?:
                guard let note = session.groupNote else { throw ResolutionError.pathGone(conflict.path) }
                try session.addGroupAddendum(Addendum(by: signer, at: max(now, note.signature?.at ?? now), text: conflict.mine,
                                                      needsCoSignature: CoSigning.addendumNeedsCoSignature(by: signer, on: note, in: document)))
            case .member(let patient)?:
                guard let note = session.memberNote(for: patient) else { throw ResolutionError.pathGone(conflict.path) }
                try session.addMemberAddendum(for: note.patient, Addendum(by: signer, at: max(now, note.signature?.at ?? now), text: conflict.mine,
                                                                          needsCoSignature: CoSigning.addendumNeedsCoSignature(by: signer, on: note, in: document)))
            case nil:
                throw ResolutionError.unreadable("the note \"\(conflict.path)\"")
            }
        } catch let error as ResolutionError {
            throw error
        } catch let error as NoteError {
            throw .note(error)
        } catch {
            throw .unreadable("the note")
        }
        return .putSession(session)
    }
}

/// Which note a proposed addendum's path names.
enum NoteTarget: Equatable {
    case group
    case member(PatientID)

    /// `groupNote` or `memberNotes[pat_3]`; nil for any other path.
    init?(_ path: String) {
        let steps = MergeTree.steps(path) ?? []
        if steps == [.key("groupNote")] { self = .group; return }
        guard steps.count == 2, steps[0] == .key("memberNotes"), case .element(let patient) = steps[1] else { return nil }
        self = .member(PatientID(patient))
    }
}

extension ConflictChoice {
    /// The choice in a word or two, as the conflicts list offers it.
    public var word: String {
        switch self {
        case .theirs: "keep theirs"
        case .mine: "keep mine"
        case .both: "keep both"
        case .addendum: "add as addendum"
        }
    }
}
