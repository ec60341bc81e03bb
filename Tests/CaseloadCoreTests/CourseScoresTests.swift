import Foundation
import Testing
@testable import CaseloadCore

/// Issue 19: the course timeline's score rows come from the patient's measures: one row per instrument, one per subscale
/// when it has several, complete measures only, oldest first.
@Suite struct CourseScoresTests {
    static func day(_ d: Int) -> LocalDate { LocalDate(year: 2026, month: 11, day: d) ?? LocalDate(year: 2026, month: 1, day: 1)! }

    @Test func eachInstrumentIsARowAndBAMOneRowPerSubscale() {
        var p = Patient(id: "pat_1", mrn: "RV-1", legalName: "Test Person")
        p.measures = [
            Measure(id: "m2", instrument: "phq9", date: Self.day(20), scores: [1, 1, 1, 1, 1, 1, 1, 1, 0]),
            Measure(id: "m1", instrument: "phq9", date: Self.day(2), scores: [3, 3, 3, 3, 3, 3, 0, 0, 0]),
            Measure(id: "m3", instrument: "gad7", date: Self.day(3), scores: [2, 2, 2]),          // incomplete: no point
            Measure(id: "m4", instrument: "bam", date: Self.day(4), scores: Array(repeating: 1, count: 17)),
        ]
        let rows = ScoreSeries.measures(of: p, instruments: Instrument.builtIns)
        let phq = rows.first { $0.name.hasPrefix("PHQ-9") }
        // PHQ-9: 9 items scored 0–3, so at most 27; oldest first: 18 on the 2nd, 8 on the 20th.
        #expect(phq?.maximum == 27)
        #expect(phq?.points.map(\.score) == [18, 8])
        #expect(phq?.points.map(\.date) == [Self.day(2), Self.day(20)])
        #expect(!rows.contains { $0.name.hasPrefix("GAD-7") }, "an incomplete measure gives no point, and no points no row")
        // BAM: Use is items 4–6 (3 items, 0–4 each: 12 at most), scored 3 when each item is 1.
        let use = rows.first { $0.name.contains("Use") }
        #expect(use?.maximum == 12 && use?.points.map(\.score) == [3])
        #expect(rows.filter { $0.name.hasPrefix("BAM") }.count == 3)
    }

    @Test func aMeasureOfAnInstrumentNoLongerKnownHasNoRow() {
        var p = Patient(id: "pat_1", mrn: "RV-1", legalName: "Test Person")
        p.measures = [Measure(id: "m1", instrument: "ours-removed", date: Self.day(2), scores: [1, 2])]
        #expect(ScoreSeries.measures(of: p, instruments: Instrument.builtIns).isEmpty)
    }
}
