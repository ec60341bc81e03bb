import Crypto
import Foundation

/// What one account saw of an encrypted document's keys when it last opened it on this machine: who had a slot (with
/// their public key) and a commitment to the document key.
///
/// The file's header is public, so someone who can write the file but knows no passphrase can wrap a document key of
/// their own to a person's slot, seal a document of their choosing under it, and keep (or add) a slot for themselves;
/// that person's passphrase opens the swap (docs/SECURITY.md). Nothing inside the file can tell. Comparing with what
/// was seen last time can: a document key that changed while nobody was removed is what a swap looks like.
public struct SlotPin: Equatable, Sendable {
    /// Each slot's login and its public key, hex.
    public var slots: [String: String]
    /// HMAC-SHA-256 of a fixed label under the document key, hex: equal for equal keys, and says nothing of the key.
    public var keyCommitment: String

    public init(slots: [String: String], keyCommitment: String) {
        self.slots = slots; self.keyCommitment = keyCommitment
    }

    public init(header: EncryptedDocument.Header, documentKey: SymmetricKey) {
        var slots: [String: String] = [:]
        for slot in header.slots { slots[slot.login] = hexString(slot.publicKey) }
        let mac = HMAC<SHA256>.authenticationCode(for: Array("caseload document key commitment v1".utf8), using: documentKey)
        self.init(slots: slots, keyCommitment: hexString(Array(mac)))
    }

    /// What changed from `self` (seen before) to `now`.
    public func changes(to now: SlotPin) -> SlotChanges {
        let before = Set(slots.keys), after = Set(now.slots.keys)
        let replaced = before.intersection(after).filter { slots[$0] != now.slots[$0] }.sorted()
        return SlotChanges(added: after.subtracting(before).sorted(), removed: before.subtracting(after).sorted(),
                           replaced: replaced, keyChanged: keyCommitment != now.keyCommitment)
    }
}

/// How an encrypted document's slots and key changed between two opens.
public struct SlotChanges: Equatable, Sendable {
    public var added: [String]
    public var removed: [String]
    /// Logins whose slot now holds another key pair (removed and given a slot again).
    public var replaced: [String]
    public var keyChanged: Bool

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && replaced.isEmpty && !keyChanged }

    /// A changed document key with nobody removed: only a deliberate re-key by a colleague, or a swapped file, does that.
    public var isSuspicious: Bool { keyChanged && removed.isEmpty }

    /// The same as lines to show in a box: what changed, one per line, then what to do when it was not expected.
    public func lines(path: String) -> [String] {
        var out = ["Since you last opened \((path as NSString).lastPathComponent) on this machine:"]
        if !added.isEmpty { out.append("• key slots added: \(added.joined(separator: ", "))") }
        if !removed.isEmpty { out.append("• key slots removed: \(removed.joined(separator: ", "))") }
        if !replaced.isEmpty { out.append("• given a new key: \(replaced.joined(separator: ", "))") }
        if keyChanged { out.append(removed.isEmpty ? "• the document key was changed although nobody was removed" : "• the document key was changed") }
        if isSuspicious || !added.isEmpty || !replaced.isEmpty {
            out.append("If nobody told you of this, the file may have been replaced by someone who could write it: check `caseload keys \(path) list` with your program director before entering anything (docs/SECURITY.md).")
        }
        return out
    }

    /// One line for the user.
    public func describe(path: String) -> String {
        var parts: [String] = []
        if !added.isEmpty { parts.append("key slots added: \(added.joined(separator: ", "))") }
        if !removed.isEmpty { parts.append("removed: \(removed.joined(separator: ", "))") }
        if !replaced.isEmpty { parts.append("given a new key: \(replaced.joined(separator: ", "))") }
        if keyChanged { parts.append(removed.isEmpty ? "the document key was changed although nobody was removed" : "the document key was changed") }
        var line = "\(path) changed its keys since you last opened it on this machine: \(parts.joined(separator: "; "))"
        if isSuspicious || !added.isEmpty || !replaced.isEmpty {
            line += ". If nobody told you of this, the file may have been replaced by someone who could write it: check `caseload keys \(path) list` with your program director before entering anything (docs/SECURITY.md)"
        }
        return line
    }
}

/// Where an account keeps its pins: one small file per document (named by the SHA-256 of its resolved path) in a
/// private folder, `$XDG_STATE_HOME/caseload/key-pins` (else `~/.local/state/caseload/key-pins`).
public struct SlotPins: Sendable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    public init(environment: [String: String]) {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        self.init(folder: state + "/caseload/key-pins")
    }

    func file(for documentPath: String) -> String {
        AtomicFile.join(folder, FileFingerprint.hexDigest(Data(DocumentStore.resolvedPath(documentPath).utf8)))
    }

    /// The pin recorded for the document, or nil when none is (first open here) or it cannot be read.
    public func pin(for documentPath: String) -> SlotPin? {
        guard let data = try? AtomicFile.read(file(for: documentPath)), let text = String(data: data, encoding: .utf8) else { return nil }
        var slots: [String: String] = [:]
        var commitment: String?
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count == 2, words[0] == "key" { commitment = String(words[1]) }
            if words.count == 3, words[0] == "slot", let raw = hexBytes(Array(words[1].utf8)), let login = String(bytes: raw, encoding: .utf8) { slots[login] = String(words[2]) }
        }
        guard let commitment else { return nil }
        return SlotPin(slots: slots, keyCommitment: commitment)
    }

    /// Records `pin` as seen now (a private folder, a 0600 file replaced atomically).
    public func record(_ pin: SlotPin, for documentPath: String) throws(StoreError) {
        let parent = (folder as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: parent) {
            try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try Backups.ensureFolder(folder)
        var text = "key \(pin.keyCommitment)\n"
        for login in pin.slots.keys.sorted() {
            text += "slot \(hexString(Array(login.utf8))) \(pin.slots[login] ?? "")\n"
        }
        try AtomicFile.write(Data(text.utf8), to: file(for: documentPath))
    }
}

extension DocumentKeys {
    /// The pin of the header and document key these keys hold now.
    public var pin: SlotPin { SlotPin(header: header, documentKey: documentKey) }
}
