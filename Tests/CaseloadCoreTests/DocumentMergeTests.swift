import CaseloadCore
import CaseloadDemo
import Foundation
import Testing

/// One edit a side makes, applied the same way to any copy of a document.
enum MergeEdit {
    case phone(PatientID, String)
    case email(PatientID, String)
    case pronouns(PatientID, String)
    case referralSource(PatientID, String)
    case track(PatientID, String)
    case status(PatientID, PatientStatus)
    case admit(Patient)
    case mark(SessionID, PatientID, AttendanceStatus)
    case groupNote(SessionID, topic: String, narrative: String)
    case memberNote(SessionID, PatientID, String)
    case title(SessionID, String)
    /// Roll on a series occurrence, storing it (under `id`) if it is not stored yet.
    case occurrenceMark(SeriesID, LocalDate, id: SessionID, PatientID, AttendanceStatus)

    func apply(to doc: inout CaseloadDocument) {
        switch self {
        case .phone(let id, let v): patch(&doc, id) { $0.phone = v }
        case .email(let id, let v): patch(&doc, id) { $0.email = v }
        case .pronouns(let id, let v): patch(&doc, id) { $0.pronouns = v }
        case .referralSource(let id, let v): patch(&doc, id) { $0.referralSource = v }
        case .track(let id, let v): patch(&doc, id) { $0.track = v }
        case .status(let id, let v): patch(&doc, id) { $0.status = v }
        case .admit(let p): doc.patients.append(p)
        case .mark(let id, let p, let status): session(&doc, id) { $0.mark(p, status) }
        case .groupNote(let id, let topic, let narrative):
            // A signed note refuses the edit on every copy alike.
            session(&doc, id) { try? $0.setGroupNote(GroupNote(topic: topic, narrative: narrative)) }
        case .memberNote(let id, let p, let text):
            session(&doc, id) { try? $0.setMemberNote(MemberNote(patient: p, format: .dap, sections: [NoteSection(heading: "Data", text: text)])) }
        case .title(let id, let v): session(&doc, id) { $0.title = v }
        case .occurrenceMark(let series, let date, let id, let p, let status):
            if let stored = doc.storedOccurrence(of: series, on: date) {
                session(&doc, stored.id) { $0.mark(p, status) }
            } else if let origin = doc.series(series) {
                var fresh = Session(id: id, occurrenceOf: origin, on: date)
                fresh.mark(p, status)
                doc.sessions.append(fresh)
            }
        }
    }

    private func patch(_ doc: inout CaseloadDocument, _ id: PatientID, _ change: (inout Patient) -> Void) {
        guard let i = doc.patientIndex(id) else { return }
        change(&doc.patients[i])
    }

    private func session(_ doc: inout CaseloadDocument, _ id: SessionID, _ change: (inout Session) -> Void) {
        guard let i = doc.sessionIndex(id) else { return }
        var s = doc.sessions[i]
        change(&s)
        doc.sessions[i] = s
    }
}

@Suite struct DocumentMergeTests {
    static let zone = TimeZone(identifier: "America/Chicago") ?? .gmt
    static let now = ClockSetting.parse("2026-11-30T18:05", zone: zone) ?? Date(timeIntervalSince1970: 0)
    static let demo = DemoProgram.generate(seed: 42, size: .small, now: now)
    static let seeds: [UInt64] = Array(1...200)

    static func applying(_ edits: [MergeEdit], to doc: CaseloadDocument) -> CaseloadDocument {
        var doc = doc
        for edit in edits { edit.apply(to: &doc) }
        return doc
    }

    /// The entities in which two documents differ (`patient pat_3`, …): short failure messages instead of whole documents.
    static func differences(_ a: CaseloadDocument, _ b: CaseloadDocument) -> [String] {
        func ids<T: Equatable, ID: Hashable & CustomStringConvertible>(_ kind: String, _ x: [T], _ y: [T], _ id: (T) -> ID) -> [String] {
            var out: [String] = []
            if x.map(id) != y.map(id) { out.append("\(kind) order or set") }
            let ys = Dictionary(y.map { (id($0), $0) }, uniquingKeysWith: { l, _ in l })
            for element in x where ys[id(element)] != element { out.append("\(kind) \(id(element))") }
            return out
        }
        return (a.program == b.program ? [] : ["program"]) + ids("staff", a.staff, b.staff, \.id) + ids("patient", a.patients, b.patients, \.id)
            + ids("series", a.series, b.series, \.id) + ids("session", a.sessions, b.sessions, \.id)
    }

    /// Test-side draws (the generator's own helpers are the demo's).
    struct Draw {
        var rng: SeededGenerator
        init(_ seed: UInt64) { rng = SeededGenerator(seed: seed, stream: "merge-tests") }
        mutating func below(_ n: Int) -> Int { n < 2 ? 0 : Int(rng.next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let statuses: [AttendanceStatus] = [.present, .absent, .excused(reason: "ill"), .late(minutesLate: 10), .leftEarly(minutesAttended: 30)]

    /// Edits one side makes on its own share: patients whose index has `parity`, group notes on sessions whose index
    /// has it; plus one field nobody else touches (`otherField`) on the other side's patients.
    static func sideEdits(_ draw: inout Draw, parity: Int, tag: String, seed: UInt64) -> [MergeEdit] {
        let doc = demo
        let own = doc.patients.indices.filter { $0 % 2 == parity }.map { doc.patients[$0].id }
        let others = doc.patients.indices.filter { $0 % 2 != parity }.map { doc.patients[$0].id }
        let ownSessions = doc.sessions.indices.filter { $0 % 2 == parity }.map { doc.sessions[$0].id }
        var edits: [MergeEdit] = []
        for k in 0..<(1 + draw.below(8)) {
            let p = draw.pick(own)
            let value = "\(tag)-\(seed)-\(k)"
            switch draw.below(9) {
            case 0: edits.append(.phone(p, "555-\(value)"))
            case 1: edits.append(.email(p, "\(value)@example.test"))
            case 2: edits.append(.status(p, draw.below(2) == 0 ? .onHold : .waitlist))
            case 3:
                edits.append(.admit(Patient(id: PatientID("pat_\(value)"), mrn: "MRN-\(value)", legalName: "Synthetic \(value)")))
            case 4:
                // Roll for one of this side's patients in any session: the other side may mark others in it.
                let s = draw.pick(doc.sessions)
                edits.append(.mark(s.id, p, draw.pick(statuses)))
            case 5: edits.append(.groupNote(draw.pick(ownSessions), topic: "Topic \(value)", narrative: "Narrative \(value)"))
            case 6: edits.append(.memberNote(draw.pick(doc.sessions).id, p, "Note \(value)"))
            case 7:
                // Roll on an occurrence not stored yet: both sides may store the same one, each under its own id.
                var shared = Draw(seed &+ 7919)
                let series = shared.pick(doc.series)
                let date = doc.sessions.map(\.date).max().map { $0.adding(days: 1 + draw.below(2)) } ?? series.startDate
                edits.append(.occurrenceMark(series.id, date, id: SessionID("ses_\(value)"), p, draw.pick(statuses)))
            default:
                // The same patient as the other side may edit, but a field only this side touches.
                let q = draw.pick(others)
                edits.append(parity == 0 ? .pronouns(q, value) : .referralSource(q, value))
            }
        }
        return edits
    }

    @Test("disjoint edits on two sides merge to a document with both, without conflicts", arguments: seeds)
    func disjointEditsMergeSilently(seed: UInt64) {
        var draw = Draw(seed)
        let a = Self.sideEdits(&draw, parity: 0, tag: "A", seed: seed)
        let b = Self.sideEdits(&draw, parity: 1, tag: "B", seed: seed)
        let theirs = Self.applying(a, to: Self.demo), mine = Self.applying(b, to: Self.demo)
        // Disjoint edits commute: the expected result is one after the other (theirs' additions first, as the merge orders them).
        let expected = Self.applying(a + b, to: Self.demo)
        let result = DocumentMerge.merge(base: Self.demo, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty, "seed \(seed): \(result.conflicts.map { "\($0.entity) \($0.path)" })")
        #expect(Self.differences(result.merged, expected) == [], "seed \(seed)")
        #expect(Self.differences(result.mine, expected) == [], "seed \(seed)")
    }

    @Test("the same edits on both sides merge to them once, without conflicts", arguments: seeds)
    func sameEditsMergeOnce(seed: UInt64) {
        var draw = Draw(seed)
        let doc = Self.demo
        var shared: [MergeEdit] = []
        for k in 0..<(1 + draw.below(4)) {
            let value = "S-\(seed)-\(k)"
            switch draw.below(4) {
            case 0: shared.append(.track(draw.pick(doc.patients).id, value))
            case 1: shared.append(.admit(Patient(id: PatientID("pat_\(value)"), mrn: "MRN-\(value)", legalName: "Shared \(value)")))
            case 2: shared.append(.title(draw.pick(doc.sessions).id, "Title \(value)"))
            default: shared.append(.phone(draw.pick(doc.patients).id, "555-\(value)"))
            }
        }
        let a = Self.sideEdits(&draw, parity: 0, tag: "A", seed: seed).filter { if case .phone = $0 { false } else { true } }
        let b = Self.sideEdits(&draw, parity: 1, tag: "B", seed: seed).filter { if case .phone = $0 { false } else { true } }
        let theirs = Self.applying(shared + a, to: doc), mine = Self.applying(shared + b, to: doc)
        let expected = Self.applying(shared + a + b, to: doc)
        let result = DocumentMerge.merge(base: doc, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty, "seed \(seed): \(result.conflicts.map { "\($0.entity) \($0.path)" })")
        #expect(Self.differences(result.merged, expected) == [], "seed \(seed)")
        #expect(Self.differences(result.mine, expected) == [], "seed \(seed)")
        #expect(Set(result.merged.patients.map(\.id)).count == result.merged.patients.count, "seed \(seed): no patient twice")
    }

    @Test("every overlapping edit is a conflict: the file keeps theirs, memory keeps mine", arguments: seeds)
    func overlappingEditsAreConflicts(seed: UInt64) {
        var draw = Draw(seed)
        let doc = Self.demo
        var a: [MergeEdit] = [], b: [MergeEdit] = []
        var expected: Set<String> = []
        var patients = doc.patients.map(\.id)
        for k in 0..<(1 + draw.below(4)) {
            let p = patients.remove(at: draw.below(patients.count))
            a.append(.phone(p, "555-A-\(seed)-\(k)")); b.append(.phone(p, "555-B-\(seed)-\(k)"))
            expected.insert("patient \(p.rawValue) phone")
        }
        // One patient's roll mark in one session, set to two different kinds, both unlike the one there now.
        let session = draw.pick(doc.sessions)
        let marked = draw.pick(doc.patients).id
        let now = session.attendance(for: marked)?.kind
        let kinds = Self.statuses.filter { $0.kind != now }
        let i = draw.below(kinds.count), j = (i + 1 + draw.below(kinds.count - 1)) % kinds.count
        a.append(.mark(session.id, marked, kinds[i])); b.append(.mark(session.id, marked, kinds[j]))
        expected.insert("session \(session.id.rawValue) attendance[\(marked.rawValue)].status")
        // One unsigned group note's narrative written differently.
        if let noted = doc.sessions.filter({ !($0.groupNote?.isSigned ?? false) && $0.id != session.id }).first {
            let topic = noted.groupNote?.topic ?? "Topic \(seed)"
            a.append(.groupNote(noted.id, topic: topic, narrative: "A \(seed)")); b.append(.groupNote(noted.id, topic: topic, narrative: "B \(seed)"))
            expected.insert("session \(noted.id.rawValue) groupNote.narrative")
        }
        let theirs = Self.applying(a, to: doc), mine = Self.applying(b, to: doc)
        let result = DocumentMerge.merge(base: doc, theirs: theirs, mine: mine)
        #expect(Set(result.conflicts.map { "\($0.entity) \($0.path)" }) == expected, "seed \(seed)")
        #expect(result.conflicts.count == expected.count, "seed \(seed)")
        #expect(result.conflicts.allSatisfy { $0.kind == .field && $0.theirs != $0.mine }, "seed \(seed)")
        // Neither value is lost: the file has all of theirs, memory all of mine.
        #expect(Self.differences(result.merged, theirs) == [], "seed \(seed)")
        #expect(Self.differences(result.mine, mine) == [], "seed \(seed)")
        for conflict in result.conflicts where conflict.path == "phone" {
            #expect(conflict.theirs.hasPrefix("555-A-") && conflict.mine.hasPrefix("555-B-"), "seed \(seed)")
        }
    }
}
