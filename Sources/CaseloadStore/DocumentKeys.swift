import Crypto
import Foundation

/// What an open encrypted document needs in memory: who opened it, their slot's private key (unwrapped once, with the
/// passphrase), and the file's current header and document key. Reading a file written since (a reload, a backup, a
/// re-keyed document) needs no passphrase again as long as that person's slot keeps its key pair.
public final class DocumentKeys: @unchecked Sendable {
    /// The person whose slot opened the document.
    public let login: String
    private let privateKey: Curve25519.KeyAgreement.PrivateKey
    private let lock = NSLock()
    private var currentHeader: EncryptedDocument.Header
    private var currentKey: SymmetricKey

    private init(login: String, privateKey: Curve25519.KeyAgreement.PrivateKey, header: EncryptedDocument.Header, documentKey: SymmetricKey) {
        self.login = login; self.privateKey = privateKey; self.currentHeader = header; self.currentKey = documentKey
    }

    /// Unlocks `login`'s slot in `header` with a passphrase (one scrypt derivation: about a third of a second at the
    /// standard cost).
    public static func unlock(header: EncryptedDocument.Header, login: String, passphrase: String) throws(EncryptedDocumentError) -> DocumentKeys {
        guard let slot = header.slots.first(where: { $0.login == login }) else { throw .noSlot(login: login) }
        guard let privateKey = try EncryptedDocument.unwrapPrivateKey(slot: slot, passphrase: passphrase, kdf: header.kdf),
              let documentKey = EncryptedDocument.unwrapDocumentKey(slot: slot, privateKey: privateKey)
        else { throw .wrongPassphrase(login: login) }
        return DocumentKeys(login: login, privateKey: privateKey, header: header, documentKey: documentKey)
    }

    /// Keys for a new encrypted document: a fresh document key and one slot, `login`'s.
    public static func create(login: String, passphrase: String, kdf: EncryptedDocument.KDFParameters = .standard) throws(EncryptedDocumentError) -> DocumentKeys {
        try kdf.validate()
        let documentKey = SymmetricKey(size: .bits256)
        let slot = try EncryptedDocument.makeSlot(login: login, passphrase: passphrase, kdf: kdf, documentKey: documentKey)
        let header = EncryptedDocument.Header(version: EncryptedDocument.version, kdf: kdf, slots: [slot])
        return try unlock(header: header, login: login, passphrase: passphrase)
    }

    /// The header the next save writes.
    public var header: EncryptedDocument.Header { lock.withLock { currentHeader } }
    /// The document key the next save seals under.
    public var documentKey: SymmetricKey { lock.withLock { currentKey } }

    /// The document key of a file with `header`: this person's slot in it must hold the same key pair.
    public func documentKey(for header: EncryptedDocument.Header) throws(EncryptedDocumentError) -> SymmetricKey {
        guard let slot = header.slots.first(where: { $0.login == login }) else { throw .noSlot(login: login) }
        guard let key = EncryptedDocument.unwrapDocumentKey(slot: slot, privateKey: privateKey) else {
            // The slot was made again (removed and re-added) since: only the passphrase can open it.
            throw .wrongPassphrase(login: login)
        }
        return key
    }

    /// Follows the file just read or written: its header and document key are the ones the next save uses.
    public func adopt(header: EncryptedDocument.Header, documentKey: SymmetricKey) {
        lock.withLock { currentHeader = header; currentKey = documentKey }
    }

    /// Whether `passphrase` is this person's, checked against their slot in the current header (for unlocking the
    /// screen; one scrypt derivation).
    public func verify(passphrase: String) -> Bool {
        let header = self.header
        guard let slot = header.slots.first(where: { $0.login == login }),
              let unwrapped = try? EncryptedDocument.unwrapPrivateKey(slot: slot, passphrase: passphrase, kdf: header.kdf)
        else { return false }
        return unwrapped.publicKey.rawRepresentation == privateKey.publicKey.rawRepresentation
    }
}

/// Reading the plain header of a file that may be encrypted, without reading the rest.
public enum EncryptedFile {
    /// Whether `bytes` begin with the encrypted-document magic.
    public static func isEncrypted(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= EncryptedDocument.magic.count && zip(bytes, EncryptedDocument.magic).allSatisfy { $0 == $1 }
    }

    /// The header of the encrypted document at `path`, or nil when the file is a plain one.
    public static func header(atPath path: String) throws(StoreError) -> EncryptedDocument.Header? {
        // A header is at most about 140 KB (256 slots with the longest logins and salts).
        let prefix = try AtomicFile.readPrefix(path, count: 256 * 1024)
        guard prefix.withUnsafeBytes({ isEncrypted($0) }) else { return nil }
        do {
            return try EncryptedDocument.parseHeaderOnly(Array(prefix))
        } catch {
            throw .encryption(path: path, error)
        }
    }
}
