import Foundation

/// Who signed a note, and when. Once present, the note's content is locked.
public struct Signature: Codable, Equatable, Sendable {
    public var by: StaffID
    public var at: Timestamp
    /// The signer needed a supervisor's co-signature when signing (their flag then, not now); left out of the file when false.
    public var needsCoSignature: Bool
    /// The supervisor's co-signature, once given.
    public var coSignature: CoSignature?

    public init(by: StaffID, at: Timestamp, needsCoSignature: Bool = false, coSignature: CoSignature? = nil) {
        self.by = by; self.at = at; self.needsCoSignature = needsCoSignature; self.coSignature = coSignature
    }

    /// Final unless it still waits for a co-signature.
    public var state: SignatureState { needsCoSignature && coSignature == nil ? .awaitingCoSignature : .final }

    private enum CodingKeys: String, CodingKey { case by, at, needsCoSignature, coSignature }

    /// As the synthesized decoder, except that `needsCoSignature` may be missing (files from before co-signature): false.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        by = try c.decode(StaffID.self, forKey: .by)
        at = try c.decode(Timestamp.self, forKey: .at)
        needsCoSignature = try c.decodeIfPresent(Bool.self, forKey: .needsCoSignature) ?? false
        coSignature = try c.decodeIfPresent(CoSignature.self, forKey: .coSignature)
    }

    /// As the synthesized encoder, with `needsCoSignature` left out when false so older files keep their bytes.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(by, forKey: .by)
        try c.encode(at, forKey: .at)
        if needsCoSignature { try c.encode(true, forKey: .needsCoSignature) }
        try c.encodeIfPresent(coSignature, forKey: .coSignature)
    }
}

/// A supervisor's co-signature of a signed note: who, and when. After it the note is final.
public struct CoSignature: Codable, Equatable, Sendable {
    public var by: StaffID
    public var at: Timestamp
    public init(by: StaffID, at: Timestamp) { self.by = by; self.at = at }
}

/// A dated addition to a signed note: the only change a signed note accepts.
public struct Addendum: Codable, Equatable, Sendable {
    public var by: StaffID
    public var at: Timestamp
    public var text: String
    public init(by: StaffID, at: Timestamp, text: String) { self.by = by; self.at = at; self.text = text }
}

/// A note that can be signed and then only extended by addenda.
public protocol SignableNote: Equatable, Sendable {
    var signature: Signature? { get }
    var addenda: [Addendum] { get }
    /// The note with its addenda removed: what a signature locks.
    var lockedPart: Self { get }
    /// Whether there is anything written worth signing.
    var hasContent: Bool { get }
}

extension SignableNote {
    public var isSigned: Bool { signature != nil }

    /// Whether `new` may replace `self`: anything goes before signing; after signing only appended addenda.
    public func permitsReplacement(by new: Self) -> Bool {
        guard isSigned else { return true }
        return new.lockedPart == lockedPart && new.addenda.count >= addenda.count && new.addenda.starts(with: addenda)
    }
}

/// A heading and its text in a member note (DAP's "Data", BIRP's "Behavior", …).
///
/// A text read from a document may stay a slice of the file's bytes until it is read or changed: a five-year chart's
/// notes are most of its size, and holding them twice (the bytes kept for saving, and strings) would double its memory.
public struct NoteSection: Codable, Equatable, Sendable {
    public var heading: String
    public private(set) var storedText: StoredText
    public var text: String {
        get { storedText.string }
        set { storedText = .string(newValue) }
    }

    public init(heading: String, text: String) { self.heading = heading; storedText = .string(text) }
    /// A section whose text is kept as it stands in a document's bytes: for a reader of the file.
    public init(heading: String, stored: StoredText) { self.heading = heading; storedText = stored }

    public static func == (a: NoteSection, b: NoteSection) -> Bool {
        a.heading == b.heading && StoredText.same(a.storedText, b.storedText)
    }

    private enum CodingKeys: String, CodingKey { case heading, text }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        heading = try container.decode(String.self, forKey: .heading)
        storedText = .string(try container.decode(String.self, forKey: .text))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(heading, forKey: .heading)
        try container.encode(text, forKey: .text)
    }
}

/// The group part of a session's documentation: written once, copied into every member's chart.
public struct GroupNote: Codable, SignableNote {
    public var topic: String
    public var modality: Modality?
    public var narrative: String
    public var author: StaffID?
    public var updated: Timestamp?
    public internal(set) var signature: Signature?
    public internal(set) var addenda: [Addendum]

    public init(topic: String, modality: Modality? = nil, narrative: String, author: StaffID? = nil, updated: Timestamp? = nil) {
        self.topic = topic; self.modality = modality; self.narrative = narrative; self.author = author
        self.updated = updated; self.signature = nil; self.addenda = []
    }

    public var lockedPart: GroupNote { var copy = self; copy.addenda = []; return copy }
    public var hasContent: Bool {
        !(topic + narrative).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}

/// One member's individual note for a session, in the program's format.
public struct MemberNote: Codable, SignableNote {
    public var patient: PatientID
    public var format: NoteFormat
    public var sections: [NoteSection]
    public var author: StaffID?
    public var updated: Timestamp?
    public internal(set) var signature: Signature?
    public internal(set) var addenda: [Addendum]

    public init(patient: PatientID, format: NoteFormat, sections: [NoteSection]? = nil, author: StaffID? = nil, updated: Timestamp? = nil) {
        self.patient = patient; self.format = format
        self.sections = sections ?? format.headings.map { NoteSection(heading: $0, text: "") }
        self.author = author; self.updated = updated; self.signature = nil; self.addenda = []
    }

    public var lockedPart: MemberNote { var copy = self; copy.addenda = []; return copy }
    public var hasContent: Bool {
        sections.contains { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }
}

/// Why a change to a note was refused.
public enum NoteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The note is signed; only an addendum may be added.
    case signedNoteIsLocked(note: String, signedBy: StaffID, at: Timestamp)
    /// Only a signed note takes addenda.
    case notSigned(note: String)
    /// Signing a note that says nothing.
    case nothingToSign(note: String)
    /// An addendum with no text.
    case emptyAddendum
    /// The session has no such note.
    case noSuchNote(note: String)

    public var description: String {
        switch self {
        case .signedNoteIsLocked(let note, let by, let at):
            "the \(note) was signed by \(by) at \(at) and cannot be changed; add an addendum instead"
        case .notSigned(let note): "the \(note) is not signed yet; edit it instead of adding an addendum"
        case .nothingToSign(let note): "the \(note) is empty; write it before signing"
        case .emptyAddendum: "an addendum needs some text"
        case .noSuchNote(let note): "there is no \(note) to change"
        }
    }
}

extension GroupNote {
    mutating func sign(_ signature: Signature) throws(NoteError) {
        if let existing = self.signature { throw .signedNoteIsLocked(note: "group note", signedBy: existing.by, at: existing.at) }
        guard hasContent else { throw .nothingToSign(note: "group note") }
        self.signature = signature
    }
    mutating func append(_ addendum: Addendum) throws(NoteError) {
        guard signature != nil else { throw .notSigned(note: "group note") }
        guard !addendum.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .emptyAddendum }
        addenda.append(addendum)
    }
}

extension MemberNote {
    mutating func sign(_ signature: Signature) throws(NoteError) {
        if let existing = self.signature { throw .signedNoteIsLocked(note: "member note", signedBy: existing.by, at: existing.at) }
        guard hasContent else { throw .nothingToSign(note: "member note") }
        self.signature = signature
    }
    mutating func append(_ addendum: Addendum) throws(NoteError) {
        guard signature != nil else { throw .notSigned(note: "member note") }
        guard !addendum.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .emptyAddendum }
        addenda.append(addendum)
    }
}

extension GroupNote {
    /// A group note exactly as stored, signature and addenda included: for a reader of the file.
    public init(stored topic: String, modality: Modality?, narrative: String, author: StaffID?, updated: Timestamp?, signature: Signature?, addenda: [Addendum]) {
        self.init(topic: topic, modality: modality, narrative: narrative, author: author, updated: updated)
        self.signature = signature
        self.addenda = addenda
    }
}

extension MemberNote {
    /// A member note exactly as stored, signature and addenda included: for a reader of the file.
    public init(stored patient: PatientID, format: NoteFormat, sections: [NoteSection], author: StaffID?, updated: Timestamp?, signature: Signature?, addenda: [Addendum]) {
        self.init(patient: patient, format: format, sections: sections, author: author, updated: updated)
        self.signature = signature
        self.addenda = addenda
    }
}
