import CaseloadCore

/// A patient's comprehensive evaluations and the program's level-of-care rule, read straight into the model (issue 19;
/// see `DocumentReader`). Each matches what Foundation's decoder makes of the same bytes (`ReferenceCodec` tests).
extension JSONReader {
    enum EvaluationKey: Int, JSONKeys {
        case author, date, decided, decisionReason, dimensions, employmentSchool, familySocial, id, kind, legal, medical
        case presentingProblem, priorTreatment, psychiatric, signature, substances, suggested
        static let table = makeTable()
        static let optionalKeys: [EvaluationKey] = [.author, .decided, .signature, .suggested]
    }

    mutating func evaluation() throws(ReadFailure) -> Evaluation {
        var author: StaffID?, date: LocalDate?, decided: CareSuggestion?, decisionReason: String?, dimensions: [DimensionRating]?
        var employmentSchool: String?, familySocial: String?, id: ItemID?, kind: EvaluationKind?, legal: String?, medical: String?
        var presentingProblem: String?, priorTreatment: String?, psychiatric: String?, signature: Signature?
        var substances: [SubstanceUse]?, suggested: CareSuggestion?
        let seen = try object(EvaluationKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .author: author = try r.optionalID()
            case .date: date = try r.date()
            case .decided: decided = try r.takeNull() ? nil : r.careSuggestion()
            case .decisionReason: decisionReason = try r.string(multiLine: true)
            case .dimensions: dimensions = try r.array { r throws(ReadFailure) in try r.dimensionRating() }
            case .employmentSchool: employmentSchool = try r.string(multiLine: true)
            case .familySocial: familySocial = try r.string(multiLine: true)
            case .id: id = try r.id()
            case .kind: kind = try r.value(EvaluationKind.self)
            case .legal: legal = try r.string(multiLine: true)
            case .medical: medical = try r.string(multiLine: true)
            case .presentingProblem: presentingProblem = try r.string(multiLine: true)
            case .priorTreatment: priorTreatment = try r.string(multiLine: true)
            case .psychiatric: psychiatric = try r.string(multiLine: true)
            case .signature: signature = try r.takeNull() ? nil : r.signature()
            case .substances: substances = try r.array { r throws(ReadFailure) in try r.substanceUse() }
            case .suggested: suggested = try r.takeNull() ? nil : r.careSuggestion()
            }
        }
        guard let date, let decisionReason, let dimensions, let employmentSchool, let familySocial, let id, let kind, let legal,
              let medical, let presentingProblem, let priorTreatment, let psychiatric, let substances else {
            throw EvaluationKey.missing(seen)
        }
        return Evaluation(id: id, date: date, kind: kind, author: author, presentingProblem: presentingProblem, substances: substances,
                          priorTreatment: priorTreatment, medical: medical, psychiatric: psychiatric, legal: legal,
                          familySocial: familySocial, employmentSchool: employmentSchool, dimensions: dimensions,
                          suggested: suggested, decided: decided, decisionReason: decisionReason, signature: signature)
    }

    enum SubstanceKey: Int, JSONKeys {
        case ageOfFirstUse, frequency, lastUse, route, substance
        static let table = makeTable()
        static let optionalKeys: [SubstanceKey] = [.ageOfFirstUse, .lastUse]
    }

    mutating func substanceUse() throws(ReadFailure) -> SubstanceUse {
        var ageOfFirstUse: Int?, frequency: String?, lastUse: LocalDate?, route: String?, substance: String?
        let seen = try object(SubstanceKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .ageOfFirstUse: ageOfFirstUse = try r.optionalInt()
            case .frequency: frequency = try r.string()
            case .lastUse: lastUse = try r.optionalDate()
            case .route: route = try r.string()
            case .substance: substance = try r.string()
            }
        }
        guard let frequency, let route, let substance else { throw SubstanceKey.missing(seen) }
        return SubstanceUse(substance: substance, route: route, frequency: frequency, lastUse: lastUse, ageOfFirstUse: ageOfFirstUse)
    }

    enum DimensionKey: Int, JSONKeys {
        case rating, rationale
        static let table = makeTable()
        static let optionalKeys: [DimensionKey] = [.rating]
    }

    mutating func dimensionRating() throws(ReadFailure) -> DimensionRating {
        var rating: Int?, reason: String?
        let seen = try object(DimensionKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .rating: rating = try r.optionalInt()
            case .rationale: reason = try r.string(multiLine: true)
            }
        }
        guard let reason else { throw DimensionKey.missing(seen) }
        return DimensionRating(rating: rating, reason: reason)
    }

    /// A level of care's name, or `higherThanProgram`.
    mutating func careSuggestion() throws(ReadFailure) -> CareSuggestion {
        let text = try string()
        guard let value = CareSuggestion(name: text) else {
            throw .field(steps: [], detail: "unknown level of care \"\(TerminalText.safe(String(text.prefix(30)), multiLine: false))\" (expected outpatient, intensiveOutpatient, partialHospitalization or higherThanProgram)")
        }
        return value
    }

    enum RuleKey: Int, JSONKeys {
        case otherwise, steps
        static let table = makeTable()
        static let optionalKeys: [RuleKey] = []
    }

    mutating func levelOfCareRule() throws(ReadFailure) -> LevelOfCareRule {
        var otherwise: CareSuggestion?, steps: [LevelRuleStep]?
        let seen = try object(RuleKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .otherwise: otherwise = try r.careSuggestion()
            case .steps: steps = try r.array { r throws(ReadFailure) in try r.levelRuleStep() }
            }
        }
        guard let otherwise, let steps else { throw RuleKey.missing(seen) }
        return LevelOfCareRule(steps: steps, otherwise: otherwise)
    }

    enum RuleStepKey: Int, JSONKeys {
        case atLeast, count, dimensions, level
        static let table = makeTable()
        static let optionalKeys: [RuleStepKey] = []
    }

    mutating func levelRuleStep() throws(ReadFailure) -> LevelRuleStep {
        var atLeast: Int?, count: Int?, dimensions: [Int]?, level: CareSuggestion?
        let seen = try object(RuleStepKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .atLeast: atLeast = try r.int()
            case .count: count = try r.int()
            case .dimensions: dimensions = try r.array { r throws(ReadFailure) in try r.int() }
            case .level: level = try r.careSuggestion()
            }
        }
        guard let atLeast, let count, let dimensions, let level else { throw RuleStepKey.missing(seen) }
        return LevelRuleStep(dimensions: dimensions, atLeast: atLeast, count: count, level: level)
    }
}
