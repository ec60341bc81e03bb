import Foundation

extension ScoreSeries {
    /// The patient's outcome measures as the course timeline's score rows: one row per instrument (per subscale when it has
    /// several, "BAM Use"), in the order of `instruments`, each point a complete measure's score on its date. Measures of an
    /// instrument not in `instruments` (its file removed) have no scale to score them, so they have no row.
    public static func measures(of patient: Patient, instruments: [Instrument]) -> [ScoreSeries] {
        guard !patient.measures.isEmpty else { return [] }
        var rows: [ScoreSeries] = []
        for instrument in instruments {
            let taken = patient.measures.filter { $0.instrument == instrument.id }.sorted { $0.date < $1.date }
            guard !taken.isEmpty else { continue }
            for (k, scale) in instrument.scales.enumerated() {
                let maximum = scale.items.reduce(0) { $0 + (instrument.item($1)?.range.upperBound ?? 0) }
                let points = taken.compactMap { m -> Point? in
                    let scored = instrument.score(m.scores)
                    guard k < scored.count, scored[k].complete else { return nil }
                    return Point(date: m.date, score: scored[k].score)
                }
                guard !points.isEmpty else { continue }
                let name = instrument.scales.count > 1 ? "\(instrument.name) \(scale.name)" : instrument.name
                rows.append(ScoreSeries(name: name, maximum: max(1, maximum), points: points))
            }
        }
        return rows
    }
}
