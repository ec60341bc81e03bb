import CaseloadCore
import Crypto
import Foundation
import Testing
@testable import CaseloadStore

/// The audit trail's format (issue 17; not yet written by the app): the chain catches every change to the file.
@Suite struct AuditTrailTests {
    let key = SymmetricKey(data: [UInt8](repeating: 7, count: 32))
    static let start = Date(timeIntervalSince1970: 1_796_000_000)

    /// A trail of `count` entries, as written, and the HMAC of each.
    func trail(_ count: Int) -> (bytes: [UInt8], macs: [[UInt8]], entries: [AuditEntry]) {
        var bytes: [UInt8] = [], macs: [[UInt8]] = [], entries: [AuditEntry] = []
        var previous = AuditTrail.origin
        for n in 1...count {
            let entry = AuditEntry(sequence: n, at: Self.start.addingTimeInterval(Double(n * 61)), who: n % 3 == 0 ? "mbell" : "dreyes",
                                   identity: n % 5 == 0 ? .account : .slot, action: ["record.open", "note.sign", "session.notes.open"][n % 3],
                                   ids: n % 4 == 0 ? [] : ["pat_\(n)", "ses_\(n * 2)"])
            let (line, mac) = AuditTrail.line(entry, previous: previous, key: key)
            bytes += line
            macs.append(mac)
            entries.append(entry)
            previous = mac
        }
        return (bytes, macs, entries)
    }

    /// The byte ranges of each line (with its line end).
    func lines(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = [], start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            out.append(start..<(index + 1))
            start = index + 1
        }
        return out
    }

    func problem(_ bytes: [UInt8], expected: (count: Int, lastMAC: [UInt8])? = nil) -> AuditProblem? {
        do throws(AuditProblem) {
            _ = try AuditTrail.verify(bytes, key: key, expected: expected)
            return nil
        } catch {
            return error
        }
    }

    @Test func aWrittenTrailVerifiesAndReadsBackEntryForEntry() throws {
        let (bytes, macs, entries) = trail(30)
        let verified = try AuditTrail.verify(bytes, key: key, expected: (30, macs[29]))
        #expect(verified.entries == entries)
        #expect(verified.lastMAC == macs[29])
        // The first line, spelled out: sequence, UTC time, who, identity, action, ids, HMAC.
        let first = String(decoding: bytes[lines(bytes)[0]], as: UTF8.self)
        #expect(first.hasPrefix("1\t2026-11-30T00:54:21Z\tdreyes\tslot\tnote.sign\tpat_1,ses_2\t"))
        #expect(first.count == "1\t2026-11-30T00:54:21Z\tdreyes\tslot\tnote.sign\tpat_1,ses_2\t".count + 64 + 1)
    }

    @Test func changingAnyCharacterOfAnyEntryNamesThatEntry() {
        let (bytes, _, _) = trail(12)
        for (number, range) in lines(bytes).enumerated() {
            // Every character but the line end; a changed sequence number shows as out of sequence.
            for index in range.dropLast() {
                var changed = bytes
                changed[index] = changed[index] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
                guard let found = problem(changed) else {
                    Issue.record("entry \(number + 1), byte \(index): not detected")
                    continue
                }
                switch found {
                case .changed(let line), .malformed(let line, _), .outOfSequence(let line, _, _):
                    #expect(line == number + 1, "byte \(index): \(found)")
                default:
                    Issue.record("byte \(index): \(found)")
                }
            }
        }
    }

    @Test func aDeletedOrSwappedEntryIsOutOfSequence() {
        let (bytes, _, _) = trail(10)
        let ranges = lines(bytes)
        var deleted = bytes
        deleted.removeSubrange(ranges[3])
        #expect(problem(deleted) == .outOfSequence(line: 4, expected: 4, found: 5))
        let swapped = Array(bytes[..<ranges[5].lowerBound]) + Array(bytes[ranges[6]]) + Array(bytes[ranges[5]]) + Array(bytes[ranges[7].lowerBound...])
        #expect(problem(swapped) == .outOfSequence(line: 6, expected: 6, found: 7))
    }

    @Test func cuttingTheLastTenIsCaughtByTheCountTheDocumentRecorded() {
        let (bytes, macs, _) = trail(30)
        let cut = Array(bytes[..<lines(bytes)[19].upperBound])
        #expect(problem(cut) == nil, "the trail alone cannot tell")
        #expect(problem(cut, expected: (30, macs[29])) == .truncated(found: 20, expected: 30))
        // A trail rewritten whole under the same key (another history) does not end in the recorded HMAC.
        let other = trail(31).bytes
        #expect(problem(other, expected: (30, macs[29])) == nil, "the same entries, one more: a longer trail is fine")
    }

    @Test func aTornLastLineIsReportedNotDropped() {
        let (bytes, _, _) = trail(8)
        let torn = Array(bytes.dropLast(20))
        #expect(problem(torn) == .torn(line: 8))
    }

    @Test func anotherKeyFailsTheFirstEntry() {
        let (bytes, _, _) = trail(3)
        do throws(AuditProblem) {
            _ = try AuditTrail.verify(bytes, key: SymmetricKey(data: [UInt8](repeating: 8, count: 32)))
            Issue.record("verified under another key")
        } catch {
            #expect(error == .changed(line: 1))
        }
    }

    @Test func idsWithTabsCommasAndLineEndsSurviveAndCannotForgeFields() throws {
        let entry = AuditEntry(sequence: 1, at: Self.start, who: "a\tb", identity: .unmapped, action: "edit",
                               ids: ["patients[3].name", "x,y", "50%", "line\nend\r"])
        let (line, mac) = AuditTrail.line(entry, previous: AuditTrail.origin, key: key)
        #expect(line.filter { $0 == UInt8(ascii: "\t") }.count == 6)
        #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        let verified = try AuditTrail.verify(line, key: key)
        #expect(verified.entries == [entry])
        #expect(verified.lastMAC == mac)
    }
}
