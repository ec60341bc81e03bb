import CaseloadCore
import Foundation
import Testing

/// The document finds a session by ID or occurrence through an index it keeps; whatever happens to it and to its copies
/// (edits, direct changes, two copies edited apart), every lookup answers as a pass over the sessions would.
@Suite struct SessionSlotsTests {
    func linear(_ doc: CaseloadDocument, _ id: SessionID) -> Session? { doc.sessions.first { $0.id == id } }
    func linear(_ doc: CaseloadDocument, _ series: SeriesID, _ date: LocalDate) -> Session? {
        doc.sessions.first { $0.series == series && $0.occurrenceDate == date }
    }

    func check(_ doc: CaseloadDocument, probes: [Session], _ what: String) {
        for probe in probes {
            #expect(doc.session(probe.id) == linear(doc, probe.id), "\(what): \(probe.id)")
            if let series = probe.series, let date = probe.occurrenceDate {
                #expect(doc.storedOccurrence(of: series, on: date) == linear(doc, series, date), "\(what): \(series) on \(date)")
            }
        }
        #expect(doc.session(SessionID("ses_never_there")) == nil)
    }

    @Test func lookupsAnswerAsALinearPassThroughEditsCopiesAndDirectChanges() throws {
        var a = ScheduleFixture.document()
        var random = ScheduleFixture.Seeded(state: 11)
        var probes = a.sessions
        _ = a.session(probes[0].id)   // the index is built
        var b = a                     // a copy sharing it
        var checked = 0
        for step in 0..<120 {
            let pick = a.sessions[random.next(a.sessions.count)]
            switch step % 5 {
            case 0:
                // A new session appended in one copy only: an occurrence of a series stored for the first time.
                let series = a.series[random.next(a.series.count)]
                let added = Session(id: SessionID("ses_added_\(step)"), occurrenceOf: series, on: series.startDate.adding(days: 7 * (200 + step)))
                try a.apply(.putSession(added))
                probes.append(added)
            case 1:
                // The same ID appended to the other copy, holding a different session.
                let series = b.series[random.next(b.series.count)]
                let other = Session(id: SessionID("ses_added_\(step - 1)"), occurrenceOf: series, on: series.startDate.adding(days: 7 * (300 + step)))
                try b.apply(.putSession(other))
                probes.append(other)
            case 2:
                // Replaced in place: a move to another day.
                var moved = pick
                moved.date = moved.date.adding(days: 1)
                try a.apply(.putSession(moved))
            case 3:
                // A direct change to the array.
                if !pick.hasSignedNote, let i = a.sessions.firstIndex(where: { $0.id == pick.id }) { a.sessions.remove(at: i) }
            default:
                b = a
            }
            check(a, probes: probes, "a after step \(step)")
            check(b, probes: probes, "b after step \(step)")
            checked += 1
        }
        #expect(checked == 120)
    }
}
