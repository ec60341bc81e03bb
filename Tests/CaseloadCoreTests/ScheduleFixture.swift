import CaseloadCore
import Foundation

/// A generated document for schedule tests: three series and a few hundred stored sessions (roll taken, cancelled, moved, one-offs), from a fixed seed.
enum ScheduleFixture {
    static let d = TestDocument.date
    static let t = TestDocument.time

    static let lee = Staff(id: "st_lee", name: "Lee Park", credentials: "CADC", role: .facilitator, login: "lee")
    static let iopB = Series(
        id: "ser_b", title: "IOP-B", kind: .group, modality: .cbt, facilitator: "st_lee", room: "r1",
        weekdays: [.tue, .thu], start: t("18:00"), durationMinutes: 180, startDate: d("2026-11-03"), endDate: d("2027-12-30"),
        roster: [RosterEntry(patient: "pat_minjun", joined: d("2026-11-03"), left: d("2027-02-01"))]
    )
    static let individual = Series(
        id: "ser_ind", title: "Ana individual", kind: .individual, modality: .emdr, facilitator: "st_dana", room: "r1",
        weekdays: [.fri], start: t("10:00"), durationMinutes: 50, startDate: d("2026-11-06"),
        roster: [RosterEntry(patient: "pat_ana", joined: d("2026-11-06"))]
    )

    /// A small deterministic generator (linear congruential), so the document is the same on every run.
    struct Seeded {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static func document(seed: UInt64 = 7) -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.staff.append(lee)
        doc.series += [iopB, individual]
        var random = Seeded(state: seed)
        let range = DateRange(d("2026-11-01"), d("2028-03-31"))
        for series in doc.series {
            for date in Recurrence.dates(of: series, in: range) {
                let roll = random.next(10)
                guard roll < 6 else { continue }
                var session = Session(id: SessionID("ses_\(series.id)_\(date.iso)"), occurrenceOf: series, on: date)
                switch random.next(4) {
                case 0:
                    session.status = .cancelled(reason: "holiday")
                case 1:
                    session.date = date.adding(days: random.next(7) - 3)
                    session.start = LocalTime(clamping: 9 * 60 + 30 * random.next(20))
                case 2:
                    session.start = t("17:00")
                    session.title = random.next(2) == 0 ? "AAA first" : series.title
                default:
                    for member in session.members(series: series) { session.mark(member, .present) }
                }
                doc.sessions.append(session)
            }
        }
        for i in 0..<60 {
            let date = range.first.adding(days: random.next(range.dayCount))
            doc.sessions.append(Session(id: SessionID("ses_one_\(i)"), date: date, start: LocalTime(clamping: 8 * 60 + 15 * random.next(40)),
                                        durationMinutes: 60, title: i % 3 == 0 ? "IOP-A" : "Intake", kind: .individual, added: ["pat_ana"]))
        }
        doc.sessions.shuffle(using: &random)
        return doc
    }
}

extension ScheduleFixture.Seeded: RandomNumberGenerator {
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }
}
