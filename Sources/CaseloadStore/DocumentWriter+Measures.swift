import CaseloadCore

/// A patient's outcome measures written as Foundation's encoder writes them: keys sorted, nil left out.
extension JSONWriter {
    mutating func measure(_ m: Measure) {
        beginObject()
        optionalID("by", m.by)
        key("date"); date(m.date)
        if let f = m.followUp {
            key("followUp")
            beginObject()
            key("action"); string(f.action)
            key("at"); timestamp(f.at)
            key("by"); string(f.by.rawValue)
            key("when"); string(f.when)
            key("who"); string(f.who)
            endObject()
        }
        key("id"); string(m.id.rawValue)
        key("instrument"); string(m.instrument)
        optionalInt("safetyItem", m.safetyItem)
        key("scores"); array(m.scores) { w, s in w.int(s) }
        if let s = m.signature { key("signature"); signature(s) }
        endObject()
    }
}
