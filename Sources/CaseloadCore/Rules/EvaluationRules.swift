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
