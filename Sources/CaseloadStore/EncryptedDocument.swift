import Crypto
import _CryptoExtras
import CaseloadCore
import Foundation

/// Why an encrypted document could not be read, opened or changed; each message says what the user can do.
public enum EncryptedDocumentError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes do not start with the encrypted-document magic.
    case notEncrypted
    /// The format version is one this Caseload does not know.
    case unsupportedVersion(found: Int, supported: Int)
    /// The bytes end inside `part` (e.g. "key slot 2", "sealed document").
    case truncated(part: String)
    /// A header field is out of range or inconsistent.
    case malformedHeader(detail: String)
    /// The KDF identifier is not scrypt.
    case unsupportedKDF(id: Int)
    /// The scrypt parameters are refused (not a power of two, or beyond the stated limit).
    case unsafeKDFParameters(detail: String)
    /// No key slot belongs to that login.
    case noSlot(login: String)
    /// A key slot for that login already exists.
    case slotExists(login: String)
    /// The only remaining key slot cannot be removed.
    case lastSlot(login: String)
    /// The login is empty, too long, or not representable.
    case invalidLogin(detail: String)
    /// The passphrase is empty.
    case emptyPassphrase
    /// No slot (or not the named person's slot) opens with that passphrase.
    case wrongPassphrase(login: String?)
    /// The passphrase was right but the document failed authentication: changed or damaged after it was written.
    case damaged
    /// The cryptographic library failed unexpectedly.
    case cryptoFailure(detail: String)

    public var description: String {
        switch self {
        case .notEncrypted:
            return "not an encrypted Caseload document (the magic bytes are wrong); if it is a plain document, open it without a passphrase"
        case .unsupportedVersion(let found, let supported):
            return "encrypted-document format version \(found) is not known (this Caseload reads up to \(supported)); update Caseload to open it"
        case .truncated(let part):
            return "the encrypted document is cut short (it ends inside the \(part)); restore it from a backup"
        case .malformedHeader(let detail):
            return "the encrypted document's header is damaged: \(detail); restore it from a backup"
        case .unsupportedKDF(let id):
            return "the encrypted document uses key-derivation method \(id), which this Caseload does not know (only 1, scrypt); update Caseload or restore from a backup"
        case .unsafeKDFParameters(let detail):
            return "the encrypted document's scrypt parameters are refused: \(detail); nothing was derived — restore it from a backup"
        case .noSlot(let login):
            return "no key slot for \(login); list the slots with `caseload keys PATH list`"
        case .slotExists(let login):
            return "\(login) already has a key slot; to change that passphrase use `caseload keys PATH passwd`"
        case .lastSlot(let login):
            return "\(login) has the only key slot; add another person first, or decrypt the document"
        case .invalidLogin(let detail):
            return "invalid login: \(detail)"
        case .emptyPassphrase:
            return "the passphrase is empty; choose a passphrase of several words"
        case .wrongPassphrase(let login):
            if let login { return "wrong passphrase for \(login); try again (check the keyboard layout and Caps Lock)" }
            return "the passphrase opens no key slot; try again (check the keyboard layout and Caps Lock)"
        case .damaged:
            return "the passphrase is right but the document fails its integrity check: it was changed, damaged or cut short after it was saved; restore it from a backup"
        case .cryptoFailure(let detail):
            return "encryption failed unexpectedly: \(detail); the file was not changed"
        }
    }
}

/// The encrypted on-disk form of a document: a plain header with one key slot per person, then the sealed body.
///
/// See docs/FORMAT.md, "Encrypted documents". Each slot holds an X25519 key pair whose private half is wrapped
/// under the scrypt key of that person's passphrase, and the document key wrapped to the public half, so the
/// document key can be changed (when a person is removed) without anyone else's passphrase.
public enum EncryptedDocument {
    /// The eight magic bytes at the start of every encrypted document.
    public static let magic: [UInt8] = Array("CLDCRYPT".utf8)
    /// The format version this code writes and the highest it reads.
    public static let version = 1
    /// The one key-derivation method known: scrypt.
    static let scryptID: UInt8 = 1
    /// The most key slots a header may hold.
    public static let maxSlots = 256
    /// The longest login, in UTF-8 bytes.
    public static let maxLoginBytes = 256
    static let minSalt = 16, maxSalt = 64
    static let wrappedKeyBytes = 12 + 32 + 16
    static let slotInfo = Array("caseload document key v1".utf8)

    /// scrypt's cost parameters, stored in the header so a document keeps the cost it was made with.
    public struct KDFParameters: Equatable, Sendable {
        public var n: Int
        public var r: Int
        public var p: Int
        public init(n: Int, r: Int, p: Int) { self.n = n; self.r = r; self.p = p }

        /// The parameters: N = 2^17, r = 8, p = 1 (128 MiB, about a third of a second).
        public static let standard = KDFParameters(n: 1 << 17, r: 8, p: 1)

        /// The largest N accepted.
        public static let maxN = 1 << 20
        /// The largest r × p accepted.
        public static let maxRP = 32
        /// The most memory (128 · N · r bytes) accepted: 1 GiB.
        public static let maxMemory = 1 << 30

        /// Refuses parameters that are malformed or would exhaust memory or time, before any derivation.
        public func validate() throws(EncryptedDocumentError) {
            guard n >= 2, n & (n - 1) == 0 else {
                throw .unsafeKDFParameters(detail: "N = \(n) is not a power of two ≥ 2")
            }
            guard n <= Self.maxN else {
                throw .unsafeKDFParameters(detail: "N = \(n) is above the limit 2^20 = \(Self.maxN)")
            }
            guard r >= 1, p >= 1 else {
                throw .unsafeKDFParameters(detail: "r = \(r) and p = \(p) must both be at least 1")
            }
            guard r <= Self.maxRP, p <= Self.maxRP, r * p <= Self.maxRP else {
                throw .unsafeKDFParameters(detail: "r × p = \(r) × \(p) is above the limit \(Self.maxRP)")
            }
            guard 128 * n * r <= Self.maxMemory else {
                throw .unsafeKDFParameters(detail: "128 · N · r = \(128 * n * r) bytes is above the memory limit of 1 GiB")
            }
        }
    }

    /// One person's key slot.
    public struct KeySlot: Equatable, Sendable {
        public var login: String
        public var salt: [UInt8]
        /// The slot's X25519 public key (32 bytes).
        public var publicKey: [UInt8]
        /// The X25519 private key sealed with AES-256-GCM under the passphrase key: nonce, ciphertext, tag (60 bytes).
        public var wrappedPrivateKey: [UInt8]
        /// The ephemeral X25519 public key the document key was wrapped with (32 bytes).
        public var ephemeralKey: [UInt8]
        /// The document key sealed with AES-256-GCM to the slot's public key (60 bytes).
        public var wrappedDocumentKey: [UInt8]
    }

    /// The plain header: format version, KDF parameters and key slots.
    public struct Header: Equatable, Sendable {
        public var version: Int
        public var kdf: KDFParameters
        public var slots: [KeySlot]

        /// The logins that have a slot, in header order.
        public var logins: [String] { slots.map(\.login) }

        /// The exact bytes written to disk (and bound to the body as associated data).
        public func encoded() -> [UInt8] {
            var out = EncryptedDocument.magic
            out.appendBig(UInt16(version))
            out.append(EncryptedDocument.scryptID)
            out.appendBig(UInt32(kdf.n))
            out.appendBig(UInt32(kdf.r))
            out.appendBig(UInt32(kdf.p))
            out.appendBig(UInt16(slots.count))
            for slot in slots {
                let login = Array(slot.login.utf8)
                out.appendBig(UInt16(login.count))
                out += login
                out.append(UInt8(slot.salt.count))
                out += slot.salt
                out += slot.publicKey
                out += slot.wrappedPrivateKey
                out += slot.ephemeralKey
                out += slot.wrappedDocumentKey
            }
            return out
        }
    }

    /// What opening yields: the plaintext, the document key (for resealing) and the header.
    public struct Opened {
        public var plaintext: [UInt8]
        public var documentKey: SymmetricKey
        public var header: Header
    }

    // MARK: - Operations

    /// A new encrypted document with one slot, under a fresh random document key.
    public static func create(
        plaintext: [UInt8], firstLogin: String, passphrase: String, kdf: KDFParameters = .standard
    ) throws(EncryptedDocumentError) -> [UInt8] {
        try kdf.validate()
        let documentKey = SymmetricKey(size: .bits256)
        let slot = try makeSlot(login: firstLogin, passphrase: passphrase, kdf: kdf, documentKey: documentKey)
        let header = Header(version: version, kdf: kdf, slots: [slot])
        return try seal(plaintext: plaintext, header: header, documentKey: documentKey)
    }

    /// Opens with the named login's slot, or, without a login, with every slot in turn.
    public static func open(
        _ bytes: [UInt8], login: String?, passphrase: String
    ) throws(EncryptedDocumentError) -> Opened {
        let (header, bodyStart) = try parseHeader(bytes)
        let candidates: [KeySlot]
        if let login {
            guard let slot = header.slots.first(where: { $0.login == login }) else { throw .noSlot(login: login) }
            candidates = [slot]
        } else {
            candidates = header.slots
        }
        for slot in candidates {
            guard let documentKey = try unwrapDocumentKey(slot: slot, passphrase: passphrase, kdf: header.kdf) else { continue }
            let plaintext: SourceBytes
            do {
                plaintext = try bytes.withUnsafeBytes { raw in try openBody(raw, bodyStart: bodyStart, documentKey: documentKey) }
            } catch let error as EncryptedDocumentError {
                throw error
            } catch {
                throw .cryptoFailure(detail: "\(error)")
            }
            return Opened(plaintext: Array(UnsafeBufferPointer(start: plaintext.base, count: plaintext.count)), documentKey: documentKey, header: header)
        }
        throw .wrongPassphrase(login: login)
    }

    /// The full file for `plaintext` under `header` and `documentKey`, with a fresh random save nonce.
    public static func seal(
        plaintext: [UInt8], header: Header, documentKey: SymmetricKey
    ) throws(EncryptedDocumentError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(plaintext.count + plaintext.count / chunkSize * tagBytes + 4096)
        let sealer = BodySealer(header: header, documentKey: documentKey)
        sealer.start { out += $0 }
        plaintext.withUnsafeBytes { raw in sealer.write(raw) { out += $0 } }
        sealer.finish { out += $0 }
        if let failure = sealer.failure { throw failure }
        return out
    }

    /// The header with a new slot for `login`; the caller reseals the body under the returned header.
    public static func addSlot(
        to header: Header, documentKey: SymmetricKey, login: String, passphrase: String
    ) throws(EncryptedDocumentError) -> Header {
        guard !header.slots.contains(where: { $0.login == login }) else { throw .slotExists(login: login) }
        guard header.slots.count < maxSlots else { throw .malformedHeader(detail: "at most \(maxSlots) key slots") }
        var result = header
        result.slots.append(try makeSlot(login: login, passphrase: passphrase, kdf: header.kdf, documentKey: documentKey))
        return result
    }

    /// Removes `login`'s slot and re-keys: a new document key wrapped to every remaining slot, the body resealed.
    /// Needs one remaining person's passphrase (`opener`), never the removed person's nor the others'.
    public static func removeSlot(
        _ bytes: [UInt8], login: String, opener: String, passphrase: String
    ) throws(EncryptedDocumentError) -> (bytes: [UInt8], documentKey: SymmetricKey) {
        let opened = try open(bytes, login: opener, passphrase: passphrase)
        let (header, newKey) = try removingSlot(from: opened.header, login: login)
        return (try seal(plaintext: opened.plaintext, header: header, documentKey: newKey), newKey)
    }

    /// The header without `login`'s slot, under a new document key wrapped to every remaining slot's public key (no
    /// passphrase needed); the caller reseals the body under both.
    public static func removingSlot(
        from header: Header, login: String
    ) throws(EncryptedDocumentError) -> (header: Header, documentKey: SymmetricKey) {
        guard header.slots.contains(where: { $0.login == login }) else { throw .noSlot(login: login) }
        guard header.slots.count > 1 else { throw .lastSlot(login: login) }
        var result = header
        result.slots.removeAll { $0.login == login }
        let newKey = SymmetricKey(size: .bits256)
        for index in result.slots.indices {
            try wrapDocumentKey(newKey, into: &result.slots[index])
        }
        return (result, newKey)
    }

    /// Changes one person's passphrase; the document key, the other slots and the plaintext stay as they are.
    public static func changePassphrase(
        _ bytes: [UInt8], login: String, old: String, new: String
    ) throws(EncryptedDocumentError) -> [UInt8] {
        guard !new.isEmpty else { throw .emptyPassphrase }
        let opened = try open(bytes, login: login, passphrase: old)
        let header = try changingPassphrase(in: opened.header, login: login, old: old, new: new)
        return try seal(plaintext: opened.plaintext, header: header, documentKey: opened.documentKey)
    }

    /// The header with `login`'s private key wrapped under `new` (a fresh salt); the key pair itself is unchanged, so
    /// the document key and every other slot stay as they are.
    public static func changingPassphrase(
        in header: Header, login: String, old: String, new: String
    ) throws(EncryptedDocumentError) -> Header {
        guard !new.isEmpty else { throw .emptyPassphrase }
        var result = header
        guard let index = result.slots.firstIndex(where: { $0.login == login }) else { throw .noSlot(login: login) }
        guard let privateKey = try unwrapPrivateKey(slot: result.slots[index], passphrase: old, kdf: result.kdf) else {
            throw .wrongPassphrase(login: login)
        }
        let salt = randomBytes(32)
        let passKey = try derive(passphrase: new, salt: salt, kdf: result.kdf)
        result.slots[index].salt = salt
        result.slots[index].wrappedPrivateKey = try sealKey(privateKey.rawRepresentation, with: passKey, login: login)
        return result
    }

    // MARK: - Parsing

    /// Reads and checks the header strictly; returns it and the offset where the sealed body starts.
    public static func parseHeader(_ bytes: [UInt8]) throws(EncryptedDocumentError) -> (Header, Int) {
        let (header, bodyStart) = try parseHeaderPrefix(bytes)
        // A sealed body is at least the save nonce and one chunk's tag.
        guard bytes.count - bodyStart >= saveNonceBytes + tagBytes else { throw .truncated(part: "sealed document") }
        return (header, bodyStart)
    }

    /// The header alone, from the file's first bytes (the body need not follow).
    public static func parseHeaderOnly(_ bytes: [UInt8]) throws(EncryptedDocumentError) -> Header {
        try parseHeaderPrefix(bytes).0
    }

    static func parseHeaderPrefix(_ bytes: [UInt8]) throws(EncryptedDocumentError) -> (Header, Int) {
        var reader = ByteReader(bytes: bytes)
        let head = try reader.take(magic.count, "magic bytes")
        guard head == magic else { throw .notEncrypted }
        let found = Int(try reader.u16("format version"))
        guard found == version else { throw .unsupportedVersion(found: found, supported: version) }
        let kdfID = try reader.u8("KDF parameters")
        guard kdfID == scryptID else { throw .unsupportedKDF(id: Int(kdfID)) }
        let kdf = KDFParameters(
            n: Int(try reader.u32("KDF parameters")), r: Int(try reader.u32("KDF parameters")),
            p: Int(try reader.u32("KDF parameters")))
        try kdf.validate()
        let count = Int(try reader.u16("slot count"))
        guard count >= 1, count <= maxSlots else {
            throw .malformedHeader(detail: "slot count \(count) is outside 1…\(maxSlots)")
        }
        var slots: [KeySlot] = []
        for number in 1...count {
            let part = "key slot \(number)"
            let loginLength = Int(try reader.u16(part))
            guard loginLength >= 1, loginLength <= maxLoginBytes else {
                throw .malformedHeader(detail: "\(part): login length \(loginLength) is outside 1…\(maxLoginBytes)")
            }
            guard let login = String(bytes: try reader.take(loginLength, part), encoding: .utf8) else {
                throw .malformedHeader(detail: "\(part): the login is not UTF-8")
            }
            guard !slots.contains(where: { $0.login == login }) else {
                throw .malformedHeader(detail: "\(part): a second slot for \(login)")
            }
            let saltLength = Int(try reader.u8(part))
            guard saltLength >= minSalt, saltLength <= maxSalt else {
                throw .malformedHeader(detail: "\(part): salt length \(saltLength) is outside \(minSalt)…\(maxSalt)")
            }
            slots.append(KeySlot(
                login: login, salt: try reader.take(saltLength, part), publicKey: try reader.take(32, part),
                wrappedPrivateKey: try reader.take(wrappedKeyBytes, part), ephemeralKey: try reader.take(32, part),
                wrappedDocumentKey: try reader.take(wrappedKeyBytes, part)))
        }
        return (Header(version: found, kdf: kdf, slots: slots), reader.offset)
    }

    // MARK: - Slots

    static func makeSlot(
        login: String, passphrase: String, kdf: KDFParameters, documentKey: SymmetricKey
    ) throws(EncryptedDocumentError) -> KeySlot {
        let loginBytes = login.utf8.count
        guard loginBytes >= 1, loginBytes <= maxLoginBytes else {
            throw .invalidLogin(detail: "a login is 1 to \(maxLoginBytes) bytes")
        }
        guard !passphrase.isEmpty else { throw .emptyPassphrase }
        let salt = randomBytes(32)
        let passKey = try derive(passphrase: passphrase, salt: salt, kdf: kdf)
        let privateKey = Curve25519.KeyAgreement.PrivateKey()
        var slot = KeySlot(
            login: login, salt: salt, publicKey: Array(privateKey.publicKey.rawRepresentation),
            wrappedPrivateKey: try sealKey(privateKey.rawRepresentation, with: passKey, login: login),
            ephemeralKey: [], wrappedDocumentKey: [])
        try wrapDocumentKey(documentKey, into: &slot)
        return slot
    }

    /// Wraps the document key to the slot's public key (ephemeral X25519, HKDF-SHA256, AES-256-GCM).
    static func wrapDocumentKey(_ documentKey: SymmetricKey, into slot: inout KeySlot) throws(EncryptedDocumentError) {
        do {
            let recipient = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: slot.publicKey)
            let ephemeral = Curve25519.KeyAgreement.PrivateKey()
            let ephemeralPublic = Array(ephemeral.publicKey.rawRepresentation)
            let wrapKey = try ephemeral.sharedSecretFromKeyAgreement(with: recipient).hkdfDerivedSymmetricKey(
                using: SHA256.self, salt: ephemeralPublic + slot.publicKey, sharedInfo: slotInfo, outputByteCount: 32)
            let raw = documentKey.withUnsafeBytes { Array($0) }
            slot.ephemeralKey = ephemeralPublic
            slot.wrappedDocumentKey = try sealKey(raw, with: wrapKey, login: slot.login)
        } catch let error as EncryptedDocumentError {
            throw error
        } catch {
            throw .cryptoFailure(detail: "\(error)")
        }
    }

    /// The slot's private key, or nil when the passphrase (or the slot) is wrong.
    static func unwrapPrivateKey(
        slot: KeySlot, passphrase: String, kdf: KDFParameters
    ) throws(EncryptedDocumentError) -> Curve25519.KeyAgreement.PrivateKey? {
        let passKey = try derive(passphrase: passphrase, salt: slot.salt, kdf: kdf)
        guard let raw = openKey(slot.wrappedPrivateKey, with: passKey, login: slot.login) else { return nil }
        return try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)
    }

    /// The document key from a slot, or nil when the passphrase (or the slot) is wrong.
    static func unwrapDocumentKey(
        slot: KeySlot, passphrase: String, kdf: KDFParameters
    ) throws(EncryptedDocumentError) -> SymmetricKey? {
        guard let privateKey = try unwrapPrivateKey(slot: slot, passphrase: passphrase, kdf: kdf) else { return nil }
        return unwrapDocumentKey(slot: slot, privateKey: privateKey)
    }

    /// The document key from a slot with its private key already unwrapped, or nil when the slot is not that key's.
    static func unwrapDocumentKey(slot: KeySlot, privateKey: Curve25519.KeyAgreement.PrivateKey) -> SymmetricKey? {
        guard Array(privateKey.publicKey.rawRepresentation) == slot.publicKey,
              let ephemeral = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: slot.ephemeralKey),
              let secret = try? privateKey.sharedSecretFromKeyAgreement(with: ephemeral)
        else { return nil }
        let wrapKey = secret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: slot.ephemeralKey + slot.publicKey, sharedInfo: slotInfo, outputByteCount: 32)
        guard let raw = openKey(slot.wrappedDocumentKey, with: wrapKey, login: slot.login) else { return nil }
        return SymmetricKey(data: raw)
    }

    static func derive(passphrase: String, salt: [UInt8], kdf: KDFParameters) throws(EncryptedDocumentError) -> SymmetricKey {
        try kdf.validate()
        do {
            return try KDF.Scrypt.deriveKey(
                from: Array(passphrase.utf8), salt: salt, outputByteCount: 32,
                rounds: kdf.n, blockSize: kdf.r, parallelism: kdf.p)
        } catch {
            throw .cryptoFailure(detail: "scrypt: \(error)")
        }
    }

    /// Seals a 32-byte key with the login bound as associated data: nonce ‖ ciphertext ‖ tag.
    static func sealKey<D: DataProtocol>(_ raw: D, with key: SymmetricKey, login: String) throws(EncryptedDocumentError) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(raw, using: key, nonce: AES.GCM.Nonce(), authenticating: Array(login.utf8))
            guard let combined = box.combined else { throw EncryptedDocumentError.cryptoFailure(detail: "no combined form") }
            return Array(combined)
        } catch {
            throw .cryptoFailure(detail: "\(error)")
        }
    }

    static func openKey(_ wrapped: [UInt8], with key: SymmetricKey, login: String) -> [UInt8]? {
        guard let box = try? AES.GCM.SealedBox(combined: wrapped),
              let raw = try? AES.GCM.open(box, using: key, authenticating: Array(login.utf8)),
              raw.count == 32
        else { return nil }
        return Array(raw)
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }
}

/// A bounds-checked big-endian cursor: every read either succeeds or names the part the bytes ended in.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func take(_ count: Int, _ part: String) throws(EncryptedDocumentError) -> [UInt8] {
        guard count >= 0, bytes.count - offset >= count else { throw .truncated(part: part) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func u8(_ part: String) throws(EncryptedDocumentError) -> UInt8 {
        try take(1, part)[0]
    }

    mutating func u16(_ part: String) throws(EncryptedDocumentError) -> UInt16 {
        try take(2, part).reduce(0) { $0 << 8 | UInt16($1) }
    }

    mutating func u32(_ part: String) throws(EncryptedDocumentError) -> UInt32 {
        try take(4, part).reduce(0) { $0 << 8 | UInt32($1) }
    }
}

private extension Array where Element == UInt8 {
    mutating func appendBig(_ value: UInt16) {
        append(UInt8(value >> 8)); append(UInt8(value & 0xFF))
    }

    mutating func appendBig(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
