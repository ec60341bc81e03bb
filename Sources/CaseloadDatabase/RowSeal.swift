import Crypto
import Foundation

/// A row's body sealed with the document key (AES-256-GCM), so the database server and its backups hold no readable
/// patient data: `"CLR1" ‖ nonce (12) ‖ ciphertext ‖ tag (16)`. The row's kind and id are bound as associated data
/// (`caseload-row|kind|id`), so a body copied onto another row does not open there.
public enum RowSeal {
    /// The four bytes every sealed body starts with.
    public static let magic: [UInt8] = Array("CLR1".utf8)
    static let nonceBytes = 12
    static let tagBytes = 16

    /// Seals `plain` for the row (`kind`, `id`) under a fresh random nonce.
    public static func seal(_ plain: [UInt8], key: SymmetricKey, kind: String, id: String) -> [UInt8] {
        let nonce = AES.GCM.Nonce()
        // AES-GCM with a 256-bit key and a 12-byte nonce only fails on a key of the wrong size, which a document key
        // never is; should it happen, a body that does not open is stored rather than the plaintext.
        guard let box = try? AES.GCM.seal(plain, using: key, nonce: nonce, authenticating: associatedData(kind: kind, id: id)) else {
            return magic
        }
        var out = magic
        out.reserveCapacity(magic.count + nonceBytes + plain.count + tagBytes)
        out += Array(nonce)
        out += box.ciphertext
        out += box.tag
        return out
    }

    /// The plain body of a sealed row; fails on a wrong key, a changed byte, or a body sealed for another row.
    public static func open(_ sealed: [UInt8], key: SymmetricKey, kind: String, id: String) throws(DatabaseError) -> [UInt8] {
        let row = "the stored \(kind) \(id)"
        guard isSealed(sealed), sealed.count >= magic.count + nonceBytes + tagBytes else {
            throw .sealed("\(row) is not sealed, though the program is encrypted; restore the database from a backup, or import the document again")
        }
        let nonceEnd = magic.count + nonceBytes
        let tagStart = sealed.count - tagBytes
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: sealed[magic.count..<nonceEnd]),
                ciphertext: sealed[nonceEnd..<tagStart], tag: sealed[tagStart...])
            return Array(try AES.GCM.open(box, using: key, authenticating: associatedData(kind: kind, id: id)))
        } catch {
            throw .sealed("\(row) does not open with this program's key: it was changed, moved from another row or sealed under another key; restore the database from a backup")
        }
    }

    /// Whether the bytes start as a sealed body does (a plain body is JSON and starts with `{`).
    public static func isSealed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= magic.count && bytes[0] == magic[0] && bytes[1] == magic[1] && bytes[2] == magic[2] && bytes[3] == magic[3]
    }

    static func associatedData(kind: String, id: String) -> [UInt8] {
        Array("caseload-row|\(kind)|\(id)".utf8)
    }
}
