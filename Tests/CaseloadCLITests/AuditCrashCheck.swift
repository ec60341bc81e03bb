import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// The crash drill's audit trail after each kill (issue 17): it verifies against the seal the document on disk
/// recorded, or its only problem is a torn last line past what the document recorded — never a gap, never a changed
/// entry — and every torn line seen before is recorded by an `audit.torn-tail` entry once a later run has appended.
struct AuditCrashCheck {
    let documentPath: String
    let encrypted: Bool
    /// Torn last lines seen (each counted once, though it may stay through several kills).
    private(set) var tornSeen = 0
    /// Kills after which the trail held whole entries the document did not record yet (appended, not yet saved).
    private(set) var aheadOfTheDocument = 0
    /// Torn lines that vanished without their `audit.torn-tail` entry (none may: the flush writes its batch over a torn
    /// line, its first entry recording it, in one write).
    private(set) var lostRecords = 0
    private var lastTorn: (line: Int, size: Int)?

    init(documentPath: String, encrypted: Bool) {
        self.documentPath = documentPath; self.encrypted = encrypted
    }

    var trail: [UInt8] { Array(FileManager.default.contents(atPath: AuditLog.trailPath(for: documentPath)) ?? Data()) }

    /// Checks the trail against `seal` (from the document as it is on disk); `context` names the kill.
    mutating func check(seal: AuditSeal?, _ context: String) {
        guard let seal else {
            Issue.record("\(context): the document records no audit seal")
            return
        }
        let bytes = trail
        let (entries, problem) = AuditTrail.readLeniently(bytes, seal: seal, encrypted: encrypted)
        var torn = false
        switch problem {
        case nil:
            lastTorn = nil
        case .torn(let line)?:
            #expect(line > seal.count, "\(context): entry \(line) is torn but the document recorded \(seal.count)")
            torn = true
            if lastTorn?.line != line || lastTorn?.size != bytes.count { tornSeen += 1 }
            lastTorn = (line, bytes.count)
        case let other?:
            Issue.record("\(context): the trail does not verify against the document's seal: \(other)")
            return
        }
        if entries.count > seal.count { aheadOfTheDocument += 1 }
        #expect(!entries.contains { $0.action == AuditAction.gap }, "\(context): the trail records a gap")
        let recorded = entries.filter { $0.action == AuditAction.tornTail }.count
        let expectedRecords = tornSeen - (torn ? 1 : 0) - lostRecords
        if recorded != expectedRecords {
            #expect(recorded == expectedRecords, "\(context): \(tornSeen) torn lines seen, \(recorded + lostRecords) recorded")
            // Said once: the later kills compare with what is recorded from here on.
            lostRecords += expectedRecords - recorded
        }
    }

    /// A SIGKILL cannot stop a write(2) to a file halfway, so kills alone leave no torn line; a power cut can. When the
    /// trail holds whole entries the document has not recorded yet, this cuts the last one in half as a power cut
    /// would (its line end gone), and checks that it shows as torn. The next run must cut it off and record that.
    mutating func tearLastLineIfAhead(seal: AuditSeal?, _ context: String) {
        guard let seal else { return }
        let bytes = trail
        let (entries, problem) = AuditTrail.readLeniently(bytes, seal: seal, encrypted: encrypted)
        guard problem == nil, entries.count > seal.count, let lastStart = bytes.dropLast().lastIndex(of: UInt8(ascii: "\n")).map({ $0 + 1 }) else { return }
        let keep = lastStart + (bytes.count - lastStart) / 2
        guard truncate(AuditLog.trailPath(for: documentPath), off_t(keep)) == 0 else {
            Issue.record("\(context): cannot cut the trail short")
            return
        }
        let ahead = aheadOfTheDocument
        check(seal: seal, context + " (last line torn by the test)")
        aheadOfTheDocument = ahead
        #expect(lastTorn?.line == entries.count, "\(context): the torn line is entry \(entries.count)")
    }

    /// After a run that ended cleanly: the whole trail verifies and records every torn line seen.
    func checkFinal(seal: AuditSeal?) {
        guard let seal else {
            Issue.record("after the last run: the document records no audit seal")
            return
        }
        do throws(AuditProblem) {
            let entries = try AuditTrail.verify(trail, seal: seal, encrypted: encrypted).entries
            #expect(entries.count == seal.count, "a clean exit leaves no entry the document does not record")
            #expect(entries.filter { $0.action == AuditAction.tornTail }.count == tornSeen - lostRecords)
            #expect(lostRecords == 0, "\(lostRecords) of \(tornSeen) torn lines were cut off without a record")
            #expect(entries.count > 100, "the drill recorded its edits (\(entries.count) entries)")
            #expect(tornSeen > 0, "no torn line was recovered from, so that path was not tested")
        } catch {
            Issue.record("after the last run the trail does not verify: \(error)")
        }
    }
}
