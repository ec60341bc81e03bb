import Foundation

/// A comprehensive evaluation of a patient (issue 19): written at intake and again at each level-of-care review. Once
/// signed it is locked; a review is a new evaluation, and the older ones stay in the record to read.
public struct Evaluation: Codable, Equatable, Sendable, Identifiable {
    public var id: ItemID
    /// The day of the evaluation.
    public var date: LocalDate
    public var kind: EvaluationKind
    /// Who wrote it (the signer, once signed).
    public var author: StaffID?
    /// Why the person comes now, in their words and the clinician's.
    public var presentingProblem: String
    /// History of use: one entry per substance.
    public var substances: [SubstanceUse]
    /// Earlier treatment episodes and how they went.
    public var priorTreatment: String
    public var medical: String
    public var psychiatric: String
    public var legal: String
    public var familySocial: String
    public var employmentSchool: String
    /// The six dimensions in order (1 to 6), each with its risk rating and the clinician's reason.
    public var dimensions: [DimensionRating]
    /// What the program's rule suggested from the ratings, recorded at signing (nil before).
    public var suggested: CareSuggestion?
    /// The clinician's own decision, and why.
    public var decided: CareSuggestion?
    public var decisionReason: String
    /// Who signed it and when (co-signature inside); once present the evaluation is locked.
    public var signature: Signature?

    public init(id: ItemID, date: LocalDate, kind: EvaluationKind = .intake, author: StaffID? = nil, presentingProblem: String = "",
                substances: [SubstanceUse] = [], priorTreatment: String = "", medical: String = "", psychiatric: String = "",
                legal: String = "", familySocial: String = "", employmentSchool: String = "",
                dimensions: [DimensionRating] = Evaluation.blankDimensions, suggested: CareSuggestion? = nil,
                decided: CareSuggestion? = nil, decisionReason: String = "", signature: Signature? = nil) {
        self.id = id; self.date = date; self.kind = kind; self.author = author; self.presentingProblem = presentingProblem
        self.substances = substances; self.priorTreatment = priorTreatment; self.medical = medical
        self.psychiatric = psychiatric; self.legal = legal; self.familySocial = familySocial
        self.employmentSchool = employmentSchool; self.dimensions = dimensions; self.suggested = suggested
        self.decided = decided; self.decisionReason = decisionReason; self.signature = signature
    }

    /// Six unrated dimensions.
    public static let blankDimensions = Array(repeating: DimensionRating(), count: Dimension.count)

    public var isSigned: Bool { signature != nil }

    /// The ratings of dimensions 1 to 6 (nil where not rated yet).
    public var ratings: [Int?] { (0..<Dimension.count).map { dimensions.indices.contains($0) ? dimensions[$0].rating : nil } }

    /// Everything a signature locks: the evaluation with its signature taken off.
    public var lockedPart: Evaluation {
        var copy = self
        copy.signature = nil
        return copy
    }
}

/// Why an evaluation was written.
public enum EvaluationKind: String, Codable, CaseIterable, Sendable {
    /// The first one, at admission.
    case intake
    /// A level-of-care review: a new evaluation started from the last signed one.
    case review

    public var label: String { self == .intake ? "intake" : "review" }
}

/// One substance in the history of use.
public struct SubstanceUse: Codable, Equatable, Sendable {
    public var substance: String
    /// How it is taken ("oral", "smoked", "injected").
    public var route: String
    /// How often ("daily", "weekends").
    public var frequency: String
    public var lastUse: LocalDate?
    /// Age at first use, when known.
    public var ageOfFirstUse: Int?

    public init(substance: String, route: String = "", frequency: String = "", lastUse: LocalDate? = nil, ageOfFirstUse: Int? = nil) {
        self.substance = substance; self.route = route; self.frequency = frequency; self.lastUse = lastUse; self.ageOfFirstUse = ageOfFirstUse
    }
}

/// A dimension's risk rating (0 none to 4 severe; nil while not rated) and the clinician's reason.
public struct DimensionRating: Codable, Equatable, Sendable {
    public var rating: Int?
    public var reason: String
    public init(rating: Int? = nil, reason: String = "") { self.rating = rating; self.reason = reason }
    /// In the file the reason is `rationale`: `reason` is a one-line field elsewhere (a mark's, a cancellation's), and the
    /// text rules go by the key.
    private enum CodingKeys: String, CodingKey { case rating, reason = "rationale" }
}

/// The six assessment dimensions, with headings and prompts in our own words.
public enum Dimension {
    public static let count = 6
    /// Short headings, dimension 1 first.
    public static let names = [
        "Intoxication and withdrawal",
        "Physical health",
        "Emotions, thinking and behaviour",
        "Readiness to change",
        "Risk of relapse or continued use",
        "Living situation and support",
    ]
    /// Labels short enough for a form's label column ("D3 Mind and mood").
    public static let shortNames = ["D1 Withdrawal", "D2 Physical health", "D3 Mind and mood", "D4 Readiness", "D5 Relapse risk", "D6 Surroundings"]
    /// What the clinician is asked to weigh, dimension 1 first.
    public static let prompts = [
        "use now; risk of withdrawal that needs care",
        "health problems that affect treatment",
        "mood, thinking, safety and behaviour",
        "how ready to change, and what they want",
        "how likely use goes on or comes back",
        "home, people, work, money: help or harm?",
    ]
    /// The words for a rating 0 to 4.
    public static let ratingWords = ["none", "mild", "moderate", "serious", "severe"]
    public static let ratings = 0...4

    /// "D3 Emotions, thinking and behaviour".
    public static func title(_ index: Int) -> String {
        "D\(index + 1) " + (names.indices.contains(index) ? names[index] : "")
    }
}

/// What the level-of-care rule gives: one of the program's levels, or a level higher than the program offers (the
/// patient should be referred elsewhere). In the file: the level's name (`intensiveOutpatient`) or `higherThanProgram`.
public enum CareSuggestion: Equatable, Hashable, Sendable, Codable {
    case level(LevelOfCare)
    case higherThanProgram

    public static let higherName = "higherThanProgram"

    /// The name in the file.
    public var name: String {
        switch self {
        case .level(let level): level.rawValue
        case .higherThanProgram: CareSuggestion.higherName
        }
    }

    /// The suggestion a name in the file stands for; nil for an unknown name.
    public init?(name: String) {
        if name == CareSuggestion.higherName { self = .higherThanProgram; return }
        guard let level = LevelOfCare(rawValue: name) else { return nil }
        self = .level(level)
    }

    public var label: String {
        switch self {
        case .level(let level): level.label
        case .higherThanProgram: "higher than the program offers (refer)"
        }
    }

    /// Every suggestion the rule and the clinician can choose, least intensive first.
    public static let all: [CareSuggestion] = [.level(.outpatient), .level(.intensiveOutpatient), .level(.partialHospitalization), .higherThanProgram]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let name = try c.decode(String.self)
        guard let value = CareSuggestion(name: name) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown level of care \"\(name.prefix(30))\" (expected outpatient, intensiveOutpatient, partialHospitalization or higherThanProgram)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}

/// The program's rule from the six ratings to a suggested level of care: the first step whose condition holds gives the
/// level; when none holds, `otherwise`. The program may change it (FORMAT.md, `program.clinical.levelOfCareRule`).
public struct LevelOfCareRule: Codable, Equatable, Sendable {
    public var steps: [LevelRuleStep]
    public var otherwise: CareSuggestion

    public init(steps: [LevelRuleStep], otherwise: CareSuggestion) { self.steps = steps; self.otherwise = otherwise }

    /// Caseload's own default: any dimension at 4 → higher than the program offers; dimension 1, 2 or 3 at 3 or more →
    /// PHP (2.5); any dimension at 3 → IOP (2.1); two or more dimensions at 2 or more → IOP (2.1); otherwise OP (1).
    public static let standard = LevelOfCareRule(steps: [
        LevelRuleStep(dimensions: [], atLeast: 4, count: 1, level: .higherThanProgram),
        LevelRuleStep(dimensions: [1, 2, 3], atLeast: 3, count: 1, level: .level(.partialHospitalization)),
        LevelRuleStep(dimensions: [], atLeast: 3, count: 1, level: .level(.intensiveOutpatient)),
        LevelRuleStep(dimensions: [], atLeast: 2, count: 2, level: .level(.intensiveOutpatient)),
    ], otherwise: .level(.outpatient))

    /// The suggestion for ratings of dimensions 1 to 6; an unrated dimension (nil) counts as 0.
    public func suggest(_ ratings: [Int?]) -> CareSuggestion {
        for step in steps where step.holds(for: ratings) { return step.level }
        return otherwise
    }

    /// The step that gave the suggestion (its index), nil when it was `otherwise`.
    public func deciding(_ ratings: [Int?]) -> Int? { steps.firstIndex { $0.holds(for: ratings) } }
}

/// One step of the rule: at least `count` of `dimensions` (1–6; empty is all six) rated `atLeast` or more gives `level`.
public struct LevelRuleStep: Codable, Equatable, Sendable {
    public var dimensions: [Int]
    public var atLeast: Int
    public var count: Int
    public var level: CareSuggestion

    public init(dimensions: [Int], atLeast: Int, count: Int = 1, level: CareSuggestion) {
        self.dimensions = dimensions; self.atLeast = atLeast; self.count = count; self.level = level
    }

    /// Whether the condition holds for ratings of dimensions 1 to 6 (nil counts as 0).
    public func holds(for ratings: [Int?]) -> Bool {
        let looked = dimensions.isEmpty ? Array(1...Dimension.count) : dimensions
        let high = looked.filter { d in ratings.indices.contains(d - 1) && (ratings[d - 1] ?? 0) >= atLeast }.count
        return high >= max(1, count)
    }

    /// "any dimension at 4 or more", "D1, D2 or D3 at 3 or more", "2 or more dimensions at 2 or more".
    public var conditionText: String {
        let names = dimensions.map { "D\($0)" }
        let list = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "") : names.joined()
        let which: String
        if count <= 1 {
            which = dimensions.isEmpty ? "any dimension" : list
        } else {
            which = dimensions.isEmpty ? "\(count) or more dimensions" : "\(count) or more of " + names.joined(separator: ", ")
        }
        return "\(which) at \(atLeast) or more"
    }
}

extension Patient {
    /// The evaluations, oldest first by date (then as stored).
    public var evaluationsByDate: [Evaluation] {
        evaluations.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
    }

    /// The latest signed evaluation, by date (the last stored of a day).
    public var latestSignedEvaluation: Evaluation? { evaluationsByDate.last { $0.isSigned } }

    /// The unsigned evaluation being written, if any (the latest).
    public var evaluationDraft: Evaluation? { evaluationsByDate.last { !$0.isSigned } }
}

extension Evaluation {
    /// The evaluation's keys that hold several lines of text (for `TextRules`).
    public static let multiLineKeys: Set<String> = [
        "presentingProblem", "priorTreatment", "medical", "psychiatric", "legal", "familySocial", "employmentSchool",
        "rationale", "decisionReason",
    ]
}
