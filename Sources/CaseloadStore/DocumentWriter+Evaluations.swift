import CaseloadCore

/// A patient's comprehensive evaluations and the program's level-of-care rule as Foundation's encoder writes them
/// (sorted keys, absent optionals left out; issue 19).
extension JSONWriter {
    mutating func evaluation(_ e: Evaluation) {
        beginObject()
        optionalID("author", e.author)
        key("date"); date(e.date)
        if let decided = e.decided { key("decided"); string(decided.name) }
        key("decisionReason"); string(e.decisionReason)
        key("dimensions"); array(e.dimensions) { w, d in
            w.beginObject()
            w.optionalInt("rating", d.rating)
            w.key("rationale"); w.string(d.reason)
            w.endObject()
        }
        key("employmentSchool"); string(e.employmentSchool)
        key("familySocial"); string(e.familySocial)
        key("id"); string(e.id.rawValue)
        key("kind"); string(e.kind.rawValue)
        key("legal"); string(e.legal)
        key("medical"); string(e.medical)
        key("presentingProblem"); string(e.presentingProblem)
        key("priorTreatment"); string(e.priorTreatment)
        key("psychiatric"); string(e.psychiatric)
        if let s = e.signature { key("signature"); signature(s) }
        key("substances"); array(e.substances) { w, s in
            w.beginObject()
            w.optionalInt("ageOfFirstUse", s.ageOfFirstUse)
            w.key("frequency"); w.string(s.frequency)
            w.optionalDate("lastUse", s.lastUse)
            w.key("route"); w.string(s.route)
            w.key("substance"); w.string(s.substance)
            w.endObject()
        }
        if let suggested = e.suggested { key("suggested"); string(suggested.name) }
        endObject()
    }

    mutating func levelOfCareRule(_ rule: LevelOfCareRule) {
        beginObject()
        key("otherwise"); string(rule.otherwise.name)
        key("steps"); array(rule.steps) { w, step in
            w.beginObject()
            w.key("atLeast"); w.int(step.atLeast)
            w.key("count"); w.int(step.count)
            w.key("dimensions"); w.array(step.dimensions) { w, d in w.int(d) }
            w.key("level"); w.string(step.level.name)
            w.endObject()
        }
        endObject()
    }
}
