import Foundation

/// A scored questionnaire (PHQ-9, GAD-7, BAM, or a program's own): numbered items with score ranges, the scales it
/// scores and their severity bands, and an optional safety item. Holds no questionnaire wording: each item has a short
/// label of our own, and the clinician enters scores from the form the patient filled in.
public struct Instrument: Equatable, Sendable, Identifiable {
    /// Short and stable, stored with each measure ("phq9").
    public var id: String
    /// As people know it ("PHQ-9").
    public var name: String
    /// What it measures, in a word or two ("depression").
    public var about: String
    /// Numbered 1, 2, 3… in order.
    public var items: [InstrumentItem]
    /// What is scored: one "Total" scale for most instruments; the BAM has three.
    public var scales: [InstrumentScale]
    /// The item whose score above zero needs a clinician's follow-up the same day (PHQ-9 item 9).
    public var safetyItem: Int?

    public init(id: String, name: String, about: String, items: [InstrumentItem], scales: [InstrumentScale], safetyItem: Int? = nil) {
        self.id = id; self.name = name; self.about = about; self.items = items; self.scales = scales; self.safetyItem = safetyItem
    }

    /// The item numbered `number`, if there is one.
    public func item(_ number: Int) -> InstrumentItem? { items.first { $0.number == number } }

    /// Each scale's score and band for `scores` (item 1 first). Scores past the end count as not yet entered: the
    /// score is the sum so far and `complete` is false.
    public func score(_ scores: [Int]) -> [ScaleScore] {
        scales.map { scale in
            var sum = 0, complete = true
            for number in scale.items {
                if number >= 1, number <= scores.count { sum += scores[number - 1] } else { complete = false }
            }
            return ScaleScore(scale: scale, score: sum, band: scale.band(for: sum), complete: complete)
        }
    }

    /// The safety item's score in `scores`, when the instrument has one and it was entered.
    public func safetyScore(_ scores: [Int]) -> Int? {
        guard let safetyItem, safetyItem >= 1, safetyItem <= scores.count else { return nil }
        return scores[safetyItem - 1]
    }

    /// Why `scores` are not a complete, valid answer to this instrument; nil when they are.
    public func problem(with scores: [Int]) -> String? {
        guard scores.count == items.count else { return "\(name) has \(items.count) items; \(scores.count) scores were given" }
        for (item, score) in zip(items, scores) where !item.range.contains(score) {
            return "item \(item.number) (\(item.label)) is scored \(item.range.lowerBound)–\(item.range.upperBound), not \(score)"
        }
        return nil
    }
}

/// One numbered item: a short label of our own and the scores it takes.
public struct InstrumentItem: Equatable, Sendable {
    public var number: Int
    public var label: String
    public var range: ClosedRange<Int>
    public init(number: Int, label: String, range: ClosedRange<Int>) { self.number = number; self.label = label; self.range = range }
}

/// A score made of some items (their sum), with its severity bands.
public struct InstrumentScale: Equatable, Sendable {
    /// "Total", or a subscale's name ("Use").
    public var name: String
    /// The item numbers summed.
    public var items: [Int]
    /// Ascending, without gaps, from the lowest possible score to the highest.
    public var bands: [SeverityBand]
    public init(name: String, items: [Int], bands: [SeverityBand]) { self.name = name; self.items = items; self.bands = bands }

    /// The band `score` falls in.
    public func band(for score: Int) -> SeverityBand? { bands.first { $0.range.contains(score) } }
}

/// A range of a scale's scores and what it is called ("10–14 moderate").
public struct SeverityBand: Equatable, Sendable {
    public var range: ClosedRange<Int>
    public var label: String
    /// How much concern it calls for, for colour.
    public var concern: Concern
    public init(_ range: ClosedRange<Int>, _ label: String, _ concern: Concern) { self.range = range; self.label = label; self.concern = concern }

    /// How much concern a band calls for.
    public enum Concern: Int, Equatable, Sendable, Comparable {
        case none, low, moderate, high
        public static func < (a: Concern, b: Concern) -> Bool { a.rawValue < b.rawValue }
    }
}

/// A scale's score for one set of item scores.
public struct ScaleScore: Equatable, Sendable {
    public var scale: InstrumentScale
    public var score: Int
    public var band: SeverityBand?
    /// Every item of the scale was entered.
    public var complete: Bool
}

extension Instrument {
    /// PHQ-9, GAD-7 and the BAM, in the order the form offers them.
    public static let builtIns: [Instrument] = [phq9, gad7, bam]

    /// The instruments the measure schedule asks for unless the program says otherwise.
    public static let scheduledByDefault = ["phq9", "gad7", "bam"]

    /// The instrument with `id` among `instruments`.
    public static func find(_ id: String, in instruments: [Instrument]) -> Instrument? { instruments.first { $0.id == id } }

    /// Items numbered from 1 with the same range.
    static func numbered(_ labels: [String], _ range: ClosedRange<Int>) -> [InstrumentItem] {
        labels.enumerated().map { InstrumentItem(number: $0.offset + 1, label: $0.element, range: range) }
    }

    /// Patient Health Questionnaire-9: nine items scored 0–3, total 0–27; item 9 is the safety item.
    public static let phq9 = Instrument(
        id: "phq9", name: "PHQ-9", about: "depression",
        items: numbered(["loss of interest", "low mood", "sleep", "energy", "appetite", "self-worth", "concentration",
                         "slowed or restless", "self-harm thoughts"], 0...3),
        scales: [InstrumentScale(name: "Total", items: Array(1...9), bands: [
            SeverityBand(0...4, "minimal", .none), SeverityBand(5...9, "mild", .low), SeverityBand(10...14, "moderate", .moderate),
            SeverityBand(15...19, "moderately severe", .high), SeverityBand(20...27, "severe", .high),
        ])],
        safetyItem: 9)

    /// Generalized Anxiety Disorder-7: seven items scored 0–3, total 0–21.
    public static let gad7 = Instrument(
        id: "gad7", name: "GAD-7", about: "anxiety",
        items: numbered(["nervousness", "uncontrolled worry", "broad worry", "tension", "restlessness", "irritability",
                         "sense of dread"], 0...3),
        scales: [InstrumentScale(name: "Total", items: Array(1...7), bands: [
            SeverityBand(0...4, "minimal", .none), SeverityBand(5...9, "mild", .low), SeverityBand(10...14, "moderate", .moderate),
            SeverityBand(15...21, "severe", .high),
        ])])

    /// Brief Addiction Monitor (Likert version): 17 items scored 0–4 and no total. Use = items 4–6; Risk = items 1, 2, 3,
    /// 8, 11, 15; Protective = items 9, 10, 12, 13, 14, 16 (higher is better). Item 7 (which drugs) elaborates item 6 and
    /// item 17 (satisfaction with progress) is read on its own: neither is in a subscale. The cut-offs (Use 1 or more,
    /// Risk 12 or more, Protective 12 or less) are those of public scoring summaries; FORMAT.md says so.
    public static let bam = Instrument(
        id: "bam", name: "BAM", about: "addiction",
        items: numbered(["physical health", "sleep", "mood", "any alcohol", "heavy drinking", "any drug use",
                         "drugs used (not scored)", "cravings", "confidence", "self-help meetings", "risky situations",
                         "spirituality", "work or school", "enough income", "family conflict", "sober support",
                         "progress (not scored)"], 0...4),
        scales: [
            InstrumentScale(name: "Use", items: [4, 5, 6], bands: [SeverityBand(0...0, "none", .none), SeverityBand(1...12, "use reported", .high)]),
            InstrumentScale(name: "Risk", items: [1, 2, 3, 8, 11, 15], bands: [SeverityBand(0...11, "below cut-off", .none), SeverityBand(12...24, "elevated", .high)]),
            InstrumentScale(name: "Protective", items: [9, 10, 12, 13, 14, 16], bands: [SeverityBand(0...12, "low", .high), SeverityBand(13...24, "adequate", .none)]),
        ])
}
