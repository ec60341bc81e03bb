import Foundation

extension Validator {
    /// The rules for a patient's evaluations: unique IDs, dates in range, six dimensions rated 0–4 when rated, a plausible
    /// age of first use, a named substance, and a signed evaluation that has its rule suggestion and decision recorded.
    static func evaluationIssues(_ p: Patient, path: String) -> [ValidationIssue] {
        var issues = duplicates(p.evaluations.map(\.id.rawValue), path: "\(path).evaluations", what: "ID")
        for (i, e) in p.evaluations.enumerated() {
            func add(_ field: String, _ message: String) { issues.append(.init(field: "\(path).evaluations[\(i)].\(field)", message: message)) }
            if !yearRange.contains(e.date.year) { add("date", "\(e.date) is outside \(yearRange.lowerBound)–\(yearRange.upperBound)") }
            if e.dimensions.count != Dimension.count { add("dimensions", "an evaluation rates exactly \(Dimension.count) dimensions, not \(e.dimensions.count)") }
            for (d, rating) in e.dimensions.enumerated() {
                if let r = rating.rating, !Dimension.ratings.contains(r) { add("dimensions[\(d)].rating", "a rating is 0 to 4, not \(r)") }
            }
            if let cap = Limits.check(e.substances.count, cap: Limits.perPatientList, field: "\(path).evaluations[\(i)].substances", what: "entries") { issues.append(cap) }
            for (s, use) in e.substances.enumerated() {
                if isBlank(use.substance) { add("substances[\(s)].substance", "name the substance") }
                if let age = use.ageOfFirstUse, !(0...120).contains(age) { add("substances[\(s)].ageOfFirstUse", "an age is 0 to 120, not \(age)") }
                if let last = use.lastUse, !yearRange.contains(last.year) { add("substances[\(s)].lastUse", "\(last) is outside \(yearRange.lowerBound)–\(yearRange.upperBound)") }
            }
            if e.signature != nil, e.suggested == nil || e.decided == nil {
                add("signature", "a signed evaluation records the suggested and the decided level of care")
            }
        }
        return issues
    }
}

extension Validator {
    /// Most steps a level-of-care rule may have.
    static let maxRuleSteps = 20

    /// A level-of-care rule's steps: dimensions 1–6 (none listed: all six), a threshold 0–4, a count from 1 to the number
    /// of dimensions looked at, and at most `maxRuleSteps` steps.
    static func check(_ rule: LevelOfCareRule) -> [ValidationIssue] {
        let path = "program.clinical.levelOfCareRule"
        var issues: [ValidationIssue] = []
        if rule.steps.count > maxRuleSteps {
            issues.append(.init(field: "\(path).steps", message: "a rule has at most \(maxRuleSteps) steps, not \(rule.steps.count)"))
        }
        for (i, step) in rule.steps.prefix(maxRuleSteps).enumerated() {
            let field = "\(path).steps[\(i)]"
            if let bad = step.dimensions.first(where: { !(1...Dimension.count).contains($0) }) {
                issues.append(.init(field: "\(field).dimensions", message: "dimensions are numbered 1 to \(Dimension.count), not \(bad)"))
            }
            if Set(step.dimensions).count != step.dimensions.count {
                issues.append(.init(field: "\(field).dimensions", message: "a dimension is listed twice"))
            }
            if !Dimension.ratings.contains(step.atLeast) {
                issues.append(.init(field: "\(field).atLeast", message: "a rating is 0 to 4, not \(step.atLeast)"))
            }
            let looked = step.dimensions.isEmpty ? Dimension.count : step.dimensions.count
            if !(1...looked).contains(step.count) {
                issues.append(.init(field: "\(field).count", message: "must be 1 to \(looked), the dimensions it looks at (it is \(step.count))"))
            }
        }
        return issues
    }
}
