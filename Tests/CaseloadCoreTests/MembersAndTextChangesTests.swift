import CaseloadCore
import CaseloadDemo
import Foundation
import Testing

/// The members of an occurrence and the text rules of a replaced patient, each computed the short way, equal the long way.
@Suite struct MembersAndTextChangesTests {
    let d = TestDocument.date

    /// The members as they were worked out before: the roster on the date, plus additions, minus removals, first seen first.
    static func referenceMembers(_ s: Session, series: Series?) -> [PatientID] {
        var result: [PatientID] = []
        var seen = Set<PatientID>()
        let fromSeries = series.map { $0.members(on: s.occurrenceDate ?? s.date) } ?? []
        for id in fromSeries + s.added where !s.removed.contains(id) && seen.insert(id).inserted { result.append(id) }
        return result
    }

    @Test func membersEqualTheRosterPlusAdditionsMinusRemovalsForShortAndLongLists() {
        var random = SeededGenerator(seed: 41)
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let day = d("2026-11-30")
        var longLists = 0
        for _ in 0..<2000 {
            // Few distinct patients, so repeats (two roster spells, an addition of a member) are common; lists up to 80 long.
            let people = 1 + pick(90)
            let roster = (0..<pick(80)).map { _ in
                RosterEntry(patient: PatientID("p\(pick(people))"), joined: day.adding(days: pick(20) - 10), left: pick(3) == 0 ? day.adding(days: pick(20) - 9) : nil)
            }
            let series = Series(id: "ser_x", title: "Group", kind: .group, weekdays: [.mon], start: LocalTime(clamping: 600),
                                durationMinutes: 60, startDate: day.adding(days: -30), roster: roster)
            let session = Session(id: "ses_x", series: pick(5) == 0 ? nil : series.id, occurrenceDate: day, date: day.adding(days: pick(3)),
                                  start: LocalTime(clamping: 600), durationMinutes: 60, title: "Group", kind: .group,
                                  added: (0..<pick(40)).map { _ in PatientID("p\(pick(people))") },
                                  removed: (0..<pick(14)).map { _ in PatientID("p\(pick(people))") })
            let given = session.series == nil ? nil : series
            let members = session.members(series: given)
            if members.count > 32 { longLists += 1 }
            #expect(members == Self.referenceMembers(session, series: given))
        }
        #expect(longLists > 50, "long member lists: \(longLists)")
    }

    @Test func aReplacedPatientHasTheTextRulesOfItsChangedPartsOnly() throws {
        let doc = TestDocument.document()
        let stored = try #require(doc.patients.first)
        let program = doc.program
        // Unchanged lists are not walked again; a changed one is, with its own path.
        var stepped = stored
        stepped.careHistory.append(CareEntry(date: d("2026-12-01"), levelOfCare: stored.careHistory.last?.levelOfCare ?? .intensiveOutpatient,
                                             phase: stored.careHistory.last?.phase ?? "p1", note: "bad \u{1B}[31m note"))
        let issues = Validator.check(stepped, path: "p", program: program, replacing: stored)
        #expect(issues.contains { $0.field == "p.careHistory[\(stepped.careHistory.count - 1)].note" })
        #expect(issues.map(\.field) == Validator.check(stepped, path: "p", program: program).map(\.field))
        // A changed name is still checked.
        var renamed = stored
        renamed.legalName = "Name\u{7}"
        #expect(Validator.check(renamed, path: "p", program: program, replacing: stored).map(\.field) == ["p.legalName"])
        // Nothing changed: nothing to say.
        #expect(Validator.check(stored, path: "p", program: program, replacing: stored).isEmpty)
    }
}
