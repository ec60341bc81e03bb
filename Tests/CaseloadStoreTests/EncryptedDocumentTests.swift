import Crypto
import Foundation
import Testing
@testable import CaseloadStore

/// The encrypted file format on its own: sealing, key slots, re-keying and strict parsing (synthetic data, small N).
@Suite struct EncryptedDocumentTests {
    /// Small N so each derivation takes about a millisecond; the format stores it, so this is a real document.
    let fast = EncryptedDocument.KDFParameters(n: 1 << 10, r: 8, p: 1)
    let plaintext = Array(#"{"format":"caseload","patients":[{"name":"Test Person One"}]}"#.utf8)

    func make() throws -> [UInt8] {
        try EncryptedDocument.create(plaintext: plaintext, firstLogin: "alee", passphrase: "correct horse", kdf: fast)
    }

    func key(_ key: SymmetricKey) -> [UInt8] { key.withUnsafeBytes { Array($0) } }

    /// The error opening the body under `key` gives, or nil when it opens.
    func openBodyError(_ bytes: [UInt8], bodyStart: Int, key: SymmetricKey) -> EncryptedDocumentError? {
        let pointer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        defer { pointer.deallocate() }
        pointer.copyBytes(from: bytes)
        do throws(EncryptedDocumentError) {
            _ = try EncryptedDocument.openBody(UnsafeRawBufferPointer(pointer), bodyStart: bodyStart, documentKey: key)
            return nil
        } catch {
            return error
        }
    }

    func openError(_ bytes: [UInt8], login: String? = nil, passphrase: String) -> EncryptedDocumentError? {
        do throws(EncryptedDocumentError) {
            _ = try EncryptedDocument.open(bytes, login: login, passphrase: passphrase)
            return nil
        } catch {
            return error
        }
    }

    @Test func roundTripGivesBackThePlaintextAndTheHeader() throws {
        let bytes = try make()
        #expect(Array(bytes.prefix(8)) == Array("CLDCRYPT".utf8))
        let opened = try EncryptedDocument.open(bytes, login: "alee", passphrase: "correct horse")
        #expect(opened.plaintext == plaintext)
        #expect(opened.header.logins == ["alee"])
        #expect(opened.header.kdf == fast)
        // Without a login every slot is tried.
        #expect(try EncryptedDocument.open(bytes, login: nil, passphrase: "correct horse").plaintext == plaintext)
    }

    @Test func thePlaintextDoesNotAppearInTheFile() throws {
        let bytes = try make()
        let needle = Array("Test Person One".utf8)
        let found = (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<$0 + needle.count]) == needle }
        #expect(!found)
    }

    @Test func eachResealUsesAFreshNonceAndBothOpen() throws {
        let opened = try EncryptedDocument.open(try make(), login: "alee", passphrase: "correct horse")
        let first = try EncryptedDocument.seal(plaintext: plaintext, header: opened.header, documentKey: opened.documentKey)
        let second = try EncryptedDocument.seal(plaintext: plaintext, header: opened.header, documentKey: opened.documentKey)
        let bodyStart = opened.header.encoded().count
        #expect(Array(first[..<bodyStart]) == Array(second[..<bodyStart]))
        // The 12 nonce bytes right after the header differ (a repeat is a 2^-96 chance).
        #expect(Array(first[bodyStart..<bodyStart + 12]) != Array(second[bodyStart..<bodyStart + 12]))
        #expect(first != second)
        #expect(try EncryptedDocument.open(first, login: "alee", passphrase: "correct horse").plaintext == plaintext)
        #expect(try EncryptedDocument.open(second, login: "alee", passphrase: "correct horse").plaintext == plaintext)
    }

    @Test func flippingAnyHeaderByteOrASampleOfBodyBytesFailsToOpen() throws {
        let bytes = try make()
        let headerLength = try EncryptedDocument.parseHeader(bytes).1
        // One slot: 8 magic + 2 version + 1 KDF id + 12 N/r/p + 2 count, then 2 + 4 ("alee") + 1 + 32 salt
        // + 32 public key + 60 wrapped private key + 32 ephemeral key + 60 wrapped document key.
        #expect(headerLength == 25 + 2 + 4 + 1 + 32 + 32 + 60 + 32 + 60)
        // Then the 32-byte save nonce and one chunk: the ciphertext (as long as the plaintext) and a 16-byte tag.
        #expect(bytes.count == headerLength + 32 + plaintext.count + 16)
        let body = Array(stride(from: headerLength, to: bytes.count, by: 7)) + [bytes.count - 1]
        for index in Array(0..<headerLength) + body {
            var changed = bytes
            changed[index] ^= 0x01
            #expect(openError(changed, passphrase: "correct horse") != nil, "byte \(index) flipped still opens")
        }
    }

    @Test func changingAnotherPersonsSlotFailsBecauseTheWholeHeaderIsBound() throws {
        let opened = try EncryptedDocument.open(try make(), login: "alee", passphrase: "correct horse")
        let header = try EncryptedDocument.addSlot(
            to: opened.header, documentKey: opened.documentKey, login: "bkim", passphrase: "battery staple")
        let bytes = try EncryptedDocument.seal(plaintext: plaintext, header: header, documentKey: opened.documentKey)
        // bkim's slot is the last one: 2 + 4 + 1 + 32 + 32 + 60 + 32 + 60 bytes ending where the body starts.
        let bodyStart = try EncryptedDocument.parseHeader(bytes).1
        let slotStart = bodyStart - (2 + 4 + 1 + 32 + 32 + 60 + 32 + 60)
        // Opening with alee never reads bkim's slot, so only the header binding can notice these changes.
        for index in (slotStart + 2 + 4 + 1)..<bodyStart {
            var changed = bytes
            changed[index] ^= 0x01
            #expect(openError(changed, login: "alee", passphrase: "correct horse") == .damaged, "byte \(index)")
        }
    }

    @Test func creatingRefusesAnEmptyPassphraseOrLogin() {
        #expect(throws: EncryptedDocumentError.emptyPassphrase) {
            try EncryptedDocument.create(plaintext: [], firstLogin: "alee", passphrase: "", kdf: fast)
        }
        #expect(throws: EncryptedDocumentError.invalidLogin(detail: "a login is 1 to 256 bytes")) {
            try EncryptedDocument.create(plaintext: [], firstLogin: "", passphrase: "p", kdf: fast)
        }
    }

    @Test func aChangedBodyByteIsReportedAsDamagedNotAsAWrongPassphrase() throws {
        var bytes = try make()
        bytes[bytes.count - 20] ^= 0x80
        #expect(openError(bytes, login: "alee", passphrase: "correct horse") == .damaged)
    }

    @Test func truncationAtEveryLengthFailsWithATypedError() throws {
        let bytes = try make()
        let headerLength = try EncryptedDocument.parseHeader(bytes).1
        for length in 0..<bytes.count {
            let error = openError(Array(bytes.prefix(length)), passphrase: "correct horse")
            switch length {
            case ..<headerLength:
                guard case .truncated = error else {
                    Issue.record("length \(length): expected truncated, got \(String(describing: error))")
                    continue
                }
            case ..<(headerLength + 32 + 16):
                #expect(error == .truncated(part: "sealed document"), "length \(length)")
            default:
                #expect(error == .damaged, "length \(length)")
            }
        }
    }

    @Test func truncationNamesThePartItEndsIn() throws {
        let bytes = try make()
        #expect(openError(Array(bytes.prefix(5)), passphrase: "x") == .truncated(part: "magic bytes"))
        #expect(openError(Array(bytes.prefix(9)), passphrase: "x") == .truncated(part: "format version"))
        #expect(openError(Array(bytes.prefix(30)), passphrase: "x") == .truncated(part: "key slot 1"))
    }

    @Test func wrongPassphraseHasItsOwnError() throws {
        let bytes = try make()
        #expect(openError(bytes, login: "alee", passphrase: "Correct horse") == .wrongPassphrase(login: "alee"))
        #expect(openError(bytes, passphrase: "") == .wrongPassphrase(login: nil))
        #expect(openError(bytes, login: "nobody", passphrase: "correct horse") == .noSlot(login: "nobody"))
    }

    @Test func badMagicAndUnknownVersionAreRefused() throws {
        var bytes = try make()
        #expect(openError(Array(#"{"format":"caseload"}"#.utf8), passphrase: "x") == .notEncrypted)
        bytes[9] = 2
        #expect(openError(bytes, passphrase: "x") == .unsupportedVersion(found: 2, supported: 1))
        bytes[9] = 1
        bytes[10] = 7
        #expect(openError(bytes, passphrase: "x") == .unsupportedKDF(id: 7))
    }

    @Test func slotCountsAndLengthsBeyondTheDataAreRefused() throws {
        let bytes = try make()
        // Two slots declared, the file ending after the first.
        var many = Array(bytes.prefix(try EncryptedDocument.parseHeader(bytes).1))
        many[23] = 0; many[24] = 2
        #expect(openError(many, passphrase: "x") == .truncated(part: "key slot 2"))
        // 65535 slots declared: refused by the limit, nothing allocated for them.
        var absurd = bytes
        absurd[23] = 0xFF; absurd[24] = 0xFF
        #expect(openError(absurd, passphrase: "x") == .malformedHeader(detail: "slot count 65535 is outside 1…256"))
        var zero = bytes
        zero[23] = 0; zero[24] = 0
        #expect(openError(zero, passphrase: "x") == .malformedHeader(detail: "slot count 0 is outside 1…256"))
        var longLogin = bytes
        longLogin[25] = 0xFF; longLogin[26] = 0xFF
        #expect(openError(longLogin, passphrase: "x") == .malformedHeader(detail: "key slot 1: login length 65535 is outside 1…256"))
        var shortSalt = bytes
        shortSalt[25 + 2 + 4] = 8
        #expect(openError(shortSalt, passphrase: "x") == .malformedHeader(detail: "key slot 1: salt length 8 is outside 16…64"))
    }

    /// Writes N, r, p (big-endian u32 at offsets 11, 15, 19) into a valid file.
    func withKDF(_ bytes: [UInt8], n: UInt32, r: UInt32, p: UInt32) -> [UInt8] {
        var out = bytes
        for (offset, value) in [(11, n), (15, r), (19, p)] {
            for i in 0..<4 { out[offset + i] = UInt8((value >> UInt32(24 - 8 * i)) & 0xFF) }
        }
        return out
    }

    @Test func absurdKDFParametersAreRefusedBeforeAnyDerivation() throws {
        let bytes = try make()
        // 2^31 with r = 8 would ask scrypt for 2 TiB; refused at parse time, so this returns at once.
        #expect(openError(withKDF(bytes, n: 1 << 31, r: 8, p: 1), passphrase: "x")
            == .unsafeKDFParameters(detail: "N = 2147483648 is above the limit 2^20 = 1048576"))
        #expect(openError(withKDF(bytes, n: 1000, r: 8, p: 1), passphrase: "x")
            == .unsafeKDFParameters(detail: "N = 1000 is not a power of two ≥ 2"))
        #expect(openError(withKDF(bytes, n: 0, r: 8, p: 1), passphrase: "x")
            == .unsafeKDFParameters(detail: "N = 0 is not a power of two ≥ 2"))
        #expect(openError(withKDF(bytes, n: 1024, r: 8, p: 5), passphrase: "x")
            == .unsafeKDFParameters(detail: "r × p = 8 × 5 is above the limit 32"))
        #expect(openError(withKDF(bytes, n: 1024, r: 0, p: 1), passphrase: "x")
            == .unsafeKDFParameters(detail: "r = 0 and p = 1 must both be at least 1"))
        // 128 · 2^20 · 16 = 2 GiB.
        #expect(openError(withKDF(bytes, n: 1 << 20, r: 16, p: 1), passphrase: "x")
            == .unsafeKDFParameters(detail: "128 · N · r = 2147483648 bytes is above the memory limit of 1 GiB"))
        #expect(throws: EncryptedDocumentError.self) {
            try EncryptedDocument.create(plaintext: [], firstLogin: "a", passphrase: "p",
                                         kdf: .init(n: 1 << 21, r: 8, p: 1))
        }
    }

    @Test func addingASlotLetsEitherPersonOpen() throws {
        let opened = try EncryptedDocument.open(try make(), login: "alee", passphrase: "correct horse")
        let header = try EncryptedDocument.addSlot(
            to: opened.header, documentKey: opened.documentKey, login: "bkim", passphrase: "battery staple")
        let bytes = try EncryptedDocument.seal(plaintext: opened.plaintext, header: header, documentKey: opened.documentKey)
        #expect(try EncryptedDocument.open(bytes, login: "alee", passphrase: "correct horse").plaintext == plaintext)
        #expect(try EncryptedDocument.open(bytes, login: "bkim", passphrase: "battery staple").plaintext == plaintext)
        #expect(try EncryptedDocument.open(bytes, login: nil, passphrase: "battery staple").header.logins == ["alee", "bkim"])
        #expect(openError(bytes, login: "bkim", passphrase: "correct horse") == .wrongPassphrase(login: "bkim"))
        #expect(throws: EncryptedDocumentError.slotExists(login: "bkim")) {
            try EncryptedDocument.addSlot(to: header, documentKey: opened.documentKey, login: "bkim", passphrase: "x")
        }
    }

    @Test func removingASlotChangesTheDocumentKeyAndLocksThePersonOut() throws {
        let opened = try EncryptedDocument.open(try make(), login: "alee", passphrase: "correct horse")
        let header = try EncryptedDocument.addSlot(
            to: opened.header, documentKey: opened.documentKey, login: "bkim", passphrase: "battery staple")
        let before = try EncryptedDocument.seal(plaintext: plaintext, header: header, documentKey: opened.documentKey)
        let removed = try EncryptedDocument.removeSlot(before, login: "bkim", opener: "alee", passphrase: "correct horse")
        #expect(key(removed.documentKey) != key(opened.documentKey))
        #expect(openError(removed.bytes, login: "bkim", passphrase: "battery staple") == .noSlot(login: "bkim"))
        #expect(openError(removed.bytes, passphrase: "battery staple") == .wrongPassphrase(login: nil))
        let after = try EncryptedDocument.open(removed.bytes, login: "alee", passphrase: "correct horse")
        #expect(after.plaintext == plaintext)
        #expect(after.header.logins == ["alee"])
        #expect(key(after.documentKey) == key(removed.documentKey))
        // The old document key (which the removed person could have kept) no longer opens the body.
        let bodyStart = try EncryptedDocument.parseHeader(removed.bytes).1
        #expect(openBodyError(removed.bytes, bodyStart: bodyStart, key: opened.documentKey) == .damaged)
        #expect(openBodyError(removed.bytes, bodyStart: bodyStart, key: removed.documentKey) == nil)
        #expect(throws: EncryptedDocumentError.lastSlot(login: "alee")) {
            try EncryptedDocument.removeSlot(removed.bytes, login: "alee", opener: "alee", passphrase: "correct horse")
        }
    }

    @Test func changingAPassphraseKeepsTheDocumentKey() throws {
        let bytes = try make()
        let original = try EncryptedDocument.open(bytes, login: "alee", passphrase: "correct horse")
        let changed = try EncryptedDocument.changePassphrase(bytes, login: "alee", old: "correct horse", new: "new words here")
        #expect(openError(changed, login: "alee", passphrase: "correct horse") == .wrongPassphrase(login: "alee"))
        let reopened = try EncryptedDocument.open(changed, login: "alee", passphrase: "new words here")
        #expect(reopened.plaintext == plaintext)
        #expect(key(reopened.documentKey) == key(original.documentKey))
        #expect(throws: EncryptedDocumentError.wrongPassphrase(login: "alee")) {
            try EncryptedDocument.changePassphrase(bytes, login: "alee", old: "guess", new: "other")
        }
    }

    @Test func defaultKDFParametersAreTheIssues() {
        #expect(EncryptedDocument.KDFParameters.standard == .init(n: 131_072, r: 8, p: 1))
    }

    @Test func errorMessagesSayWhatToDo() {
        #expect(EncryptedDocumentError.wrongPassphrase(login: "alee").description.contains("try again"))
        #expect(EncryptedDocumentError.damaged.description.contains("restore it from a backup"))
        #expect(EncryptedDocumentError.unsafeKDFParameters(detail: "N").description.contains("nothing was derived"))
    }

    // MARK: - Chunks

    /// 2.5 chunks of varied bytes: three sealed chunks, the last one half full.
    var longPlaintext: [UInt8] { (0..<(EncryptedDocument.chunkSize * 5 / 2)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) } }

    @Test func aLongDocumentIsSealedInChunksAndOpensWhole() throws {
        let long = longPlaintext
        let bytes = try EncryptedDocument.create(plaintext: long, firstLogin: "alee", passphrase: "correct horse", kdf: fast)
        let headerLength = try EncryptedDocument.parseHeader(bytes).1
        // Three chunks, each with its own 16-byte tag, after the 32-byte save nonce.
        #expect(bytes.count == headerLength + 32 + long.count + 3 * 16)
        #expect(try EncryptedDocument.open(bytes, login: "alee", passphrase: "correct horse").plaintext == long)
    }

    @Test func anExactMultipleOfTheChunkSizeEndsWithAFullLastChunk() throws {
        let exact = Array(longPlaintext.prefix(EncryptedDocument.chunkSize * 2))
        let bytes = try EncryptedDocument.create(plaintext: exact, firstLogin: "alee", passphrase: "correct horse", kdf: fast)
        let headerLength = try EncryptedDocument.parseHeader(bytes).1
        #expect(bytes.count == headerLength + 32 + exact.count + 2 * 16)
        #expect(try EncryptedDocument.open(bytes, login: "alee", passphrase: "correct horse").plaintext == exact)
    }

    @Test func cuttingTheFileAtAChunkBoundaryIsReportedAsTruncated() throws {
        let bytes = try EncryptedDocument.create(plaintext: longPlaintext, firstLogin: "alee", passphrase: "correct horse", kdf: fast)
        let headerLength = try EncryptedDocument.parseHeader(bytes).1
        // Two whole chunks remain: each opens, but the second is not flagged as the last.
        let cut = Array(bytes.prefix(headerLength + 32 + 2 * (EncryptedDocument.chunkSize + 16)))
        #expect(openError(cut, login: "alee", passphrase: "correct horse") == .truncated(part: "sealed document (its last chunk is missing)"))
    }

    @Test func swappedOrExtendedChunksFailAsDamaged() throws {
        let bytes = try EncryptedDocument.create(plaintext: longPlaintext, firstLogin: "alee", passphrase: "correct horse", kdf: fast)
        let chunks = try EncryptedDocument.parseHeader(bytes).1 + 32
        let full = EncryptedDocument.chunkSize + 16
        var swapped = bytes
        swapped.replaceSubrange(chunks..<(chunks + full), with: bytes[(chunks + full)..<(chunks + 2 * full)])
        swapped.replaceSubrange((chunks + full)..<(chunks + 2 * full), with: bytes[chunks..<(chunks + full)])
        #expect(openError(swapped, login: "alee", passphrase: "correct horse") == .damaged)
        #expect(openError(bytes + [0], login: "alee", passphrase: "correct horse") == .damaged)
    }

    @Test func everySaveHasItsOwnNonceSoTheSameTextNeverGivesTheSameBytes() throws {
        let opened = try EncryptedDocument.open(try make(), login: "alee", passphrase: "correct horse")
        let first = try EncryptedDocument.seal(plaintext: plaintext, header: opened.header, documentKey: opened.documentKey)
        let second = try EncryptedDocument.seal(plaintext: plaintext, header: opened.header, documentKey: opened.documentKey)
        let bodyStart = try EncryptedDocument.parseHeader(first).1
        #expect(first[..<bodyStart] == second[..<bodyStart])
        #expect(first[bodyStart..<(bodyStart + 32)] != second[bodyStart..<(bodyStart + 32)])
        #expect(first[(bodyStart + 32)...] != second[(bodyStart + 32)...])
    }
}
