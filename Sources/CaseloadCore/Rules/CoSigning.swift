import Foundation

// Co-signature (issue 19): a note signed by someone whose `needsCoSignature` is set waits for their supervisor's
// co-signature; once co-signed it is final. The rules, in one place:
//
// - Who co-signs: the supervisor named in the signer's staff record now (`Staff.supervisor`). Nobody else, a director
//   included: the director decides who supervises whom (`:staff`) and reassigns the supervisor when one leaves or is
//   away, and the new supervisor co-signs. So each co-signature is by the person accountable for the associate's work.
// - Nobody co-signs their own note or addendum, even if named as their own supervisor.
// - A co-signature is never replaced or removed (`SignableNote.permitsReplacement`): a co-signed note is final.
// - Whether a signature needs co-signature is decided when it is given (`CaseloadDocument.makeSignature`), from the
//   signer's flag then: a note signed before the flag was set needs none; clearing the flag later does not release the
//   notes already waiting.
// - An addendum needs its own co-signature when its writer needs co-signature, unless the note it is added to is itself
//   still waiting for the co-signature of that writer's note (the co-signer reads it with the note then).

/// Which signed note, or which addendum of it, a co-signature is for.
public struct CoSignTarget: Hashable, Sendable {
    public var session: SessionID
    /// The member whose note it is; nil for the group note.
    public var patient: PatientID?
    /// The addendum's index in the note's addenda; nil for the note's own signature.
    public var addendum: Int?

    public init(session: SessionID, patient: PatientID? = nil, addendum: Int? = nil) {
        self.session = session; self.patient = patient; self.addendum = addendum
    }
}

/// A note or an addendum waiting for co-signature, as the supervisor's queue and the alert list it.
public struct CoSignItem: Equatable, Sendable {
    public var target: CoSignTarget
    /// The session's date, start and title.
    public var date: LocalDate
    public var start: LocalTime
    public var title: String
    /// Who signed the note (or wrote the addendum): the one whose work is co-signed.
    public var author: StaffID
    /// When they signed it (or wrote the addendum): the wait is counted from here.
    public var signedAt: Timestamp
    /// Who may co-sign it now: the author's supervisor; nil when none is set.
    public var coSigner: StaffID?

    /// Whole days waited by `now` (0 on the first day).
    public func daysWaiting(now: Date) -> Int {
        max(0, Int(now.timeIntervalSince(signedAt.date) / 86_400))
    }
}

/// The co-signature rules: who may co-sign, what waits, and the co-signing edit.
public enum CoSigning {
    /// The staff member who co-signs what `author` signs: their supervisor now; nil when none is set or it is themselves.
    public static func coSigner(for author: StaffID, in doc: CaseloadDocument) -> StaffID? {
        guard let supervisor = doc.staffMember(author)?.supervisor, supervisor != author else { return nil }
        return supervisor
    }

    /// Whether an addendum `writer` adds to `note` now needs its own co-signature.
    public static func addendumNeedsCoSignature<Note: SignableNote>(by writer: StaffID, on note: Note, in doc: CaseloadDocument) -> Bool {
        guard doc.staffMember(writer)?.needsCoSignature == true else { return false }
        // Added while the writer's own note still waits: the co-signer reads it with the note.
        if let signature = note.signature, signature.by == writer, signature.state == .awaitingCoSignature { return false }
        return true
    }

    /// Everything waiting for co-signature, oldest session first (then start time, then the group note before members,
    /// the note before its addenda). Reads every stored session: signed notes are always stored.
    public static func waiting(in doc: CaseloadDocument) -> [CoSignItem] {
        let items = doc.sessions.flatMap { waiting(on: $0, in: doc) }
        return items.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.date != y.date { return x.date < y.date }
            if x.start != y.start { return x.start < y.start }
            if x.signedAt != y.signedAt { return x.signedAt.seconds < y.signedAt.seconds }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// What waits for co-signature on one session: the group note first, then the members' notes, each before its addenda.
    public static func waiting(on session: Session, in doc: CaseloadDocument) -> [CoSignItem] {
        var items: [CoSignItem] = []
        func add(_ patient: PatientID?, _ signature: Signature?, _ addenda: [Addendum]) {
            guard let signature else { return }
            if signature.state == .awaitingCoSignature {
                items.append(item(session, patient, nil, author: signature.by, at: signature.at, doc))
            }
            for (i, addendum) in addenda.enumerated() where addendum.awaitsCoSignature {
                items.append(item(session, patient, i, author: addendum.by, at: addendum.at, doc))
            }
        }
        if let note = session.groupNote { add(nil, note.signature, note.addenda) }
        for note in session.memberNotes { add(note.patient, note.signature, note.addenda) }
        return items
    }

    /// What waits for `staff`'s co-signature, oldest first.
    public static func queue(for staff: StaffID, in doc: CaseloadDocument) -> [CoSignItem] {
        waiting(in: doc).filter { $0.coSigner == staff }
    }

    /// Whether `staff` supervises anyone who needs co-signature (the queue says so when they do not).
    public static func supervisesAnyone(_ staff: StaffID, in doc: CaseloadDocument) -> Bool {
        doc.staff.contains { $0.supervisor == staff && $0.id != staff }
    }

    private static func item(_ s: Session, _ patient: PatientID?, _ addendum: Int?, author: StaffID, at: Timestamp, _ doc: CaseloadDocument) -> CoSignItem {
        CoSignItem(target: CoSignTarget(session: s.id, patient: patient, addendum: addendum), date: s.date, start: s.start,
                   title: s.title, author: author, signedAt: at, coSigner: coSigner(for: author, in: doc))
    }

    /// The co-signature `staff` gives `target` at `at`, as one undoable edit; refused, with what to do, unless the
    /// target waits for co-signature and `staff` is its author's supervisor.
    public static func coSign(_ target: CoSignTarget, by staff: StaffID, at: Timestamp, in doc: CaseloadDocument) throws(EditError) -> DocumentEdit {
        let field = "sessions[\(target.session)]." + (target.patient.map { "memberNotes[\($0)]" } ?? "groupNote")
            + (target.addendum.map { ".addenda[\($0)]" } ?? "") + ".coSignature"
        func refuse(_ message: String) -> EditError { .invalid([ValidationIssue(field: field, message: message)]) }
        guard var session = doc.session(target.session) else { throw .notFound("session \(target.session)") }
        guard doc.staffMember(staff) != nil else { throw refuse("no staff member has the ID \"\(staff)\"") }
        let what = target.addendum == nil ? "note" : "addendum"
        // The author and the state of what is co-signed, from the note as stored now.
        let found: (author: StaffID, needs: Bool, coSigned: CoSignature?)?
        if let patient = target.patient {
            found = session.memberNote(for: patient).flatMap { parts(of: $0, target.addendum) }
        } else {
            found = session.groupNote.flatMap { parts(of: $0, target.addendum) }
        }
        guard let found else { throw refuse("there is no signed \(what) there to co-sign") }
        if let done = found.coSigned {
            throw refuse("this \(what) was co-signed already by \(doc.staffMember(done.by)?.signatureName ?? "a former staff member"); it is final, and an addendum (A) is the way to add to it")
        }
        guard found.needs else { throw refuse("this \(what) needs no co-signature: it is final as signed") }
        guard found.author != staff else { throw refuse("nobody co-signs their own \(what): the supervisor named in Staff (:staff) co-signs it") }
        guard let supervisor = coSigner(for: found.author, in: doc) else {
            throw refuse("its author has no supervisor in Staff: a director names one (:staff), who then co-signs it")
        }
        guard supervisor == staff else {
            throw refuse("only the author's supervisor (\(doc.staffMember(supervisor)?.signatureName ?? supervisor.rawValue)) co-signs it; a director can change the supervisor (:staff)")
        }
        session.setCoSignature(CoSignature(by: staff, at: at), patient: target.patient, addendum: target.addendum)
        return .putSession(session)
    }

    private static func parts<Note: SignableNote>(of note: Note, _ addendum: Int?) -> (author: StaffID, needs: Bool, coSigned: CoSignature?)? {
        guard let signature = note.signature else { return nil }
        guard let addendum else { return (signature.by, signature.needsCoSignature, signature.coSignature) }
        guard note.addenda.indices.contains(addendum) else { return nil }
        let a = note.addenda[addendum]
        return (a.by, a.needsCoSignature, a.coSignature)
    }
}

extension GroupNote {
    /// Sets the co-signature on the signature or on an addendum; `CoSigning.coSign` has checked it may.
    mutating func setCoSignature(_ co: CoSignature, addendum: Int?) {
        if let addendum { if addenda.indices.contains(addendum) { addenda[addendum].coSignature = co } } else { signature?.coSignature = co }
    }
}

extension MemberNote {
    /// Sets the co-signature on the signature or on an addendum; `CoSigning.coSign` has checked it may.
    mutating func setCoSignature(_ co: CoSignature, addendum: Int?) {
        if let addendum { if addenda.indices.contains(addendum) { addenda[addendum].coSignature = co } } else { signature?.coSignature = co }
    }
}

extension Session {
    /// Whether any note on the session is signed but not final (its signature or an addendum waits for co-signature).
    public var hasNoteAwaitingCoSignature: Bool {
        (groupNote?.signState == .awaitingCoSignature) || memberNotes.contains { $0.signState == .awaitingCoSignature }
    }
}
