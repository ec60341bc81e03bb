import CaseloadCore

/// A patient's outcome measures read straight into the model (see `DocumentReader`), as Foundation's decoder reads them.
extension JSONReader {
    enum MeasureKey: Int, JSONKeys {
        case by, date, followUp, id, instrument, safetyItem, scores, signature
        static let table = makeTable()
        static let optionalKeys: [MeasureKey] = [.by, .followUp, .safetyItem, .signature]
    }

    mutating func measure() throws(ReadFailure) -> Measure {
        var by: StaffID?, date: LocalDate?, followUp: SafetyFollowUp?, id: ItemID?, instrument: String?, safetyItem: Int?
        var scores: [Int]?, signature: Signature?
        let seen = try object(MeasureKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .by: by = try r.optionalID()
            case .date: date = try r.date()
            case .followUp: followUp = try r.takeNull() ? nil : r.safetyFollowUp()
            case .id: id = try r.id()
            case .instrument: instrument = try r.string()
            case .safetyItem: safetyItem = try r.optionalInt()
            case .scores: scores = try r.array { r throws(ReadFailure) in try r.int() }
            case .signature: signature = try r.takeNull() ? nil : r.signature()
            }
        }
        guard let date, let id, let instrument, let scores else { throw MeasureKey.missing(seen) }
        return Measure(id: id, instrument: instrument, date: date, scores: scores, by: by, safetyItem: safetyItem,
                       signature: signature, followUp: followUp)
    }

    enum FollowUpKey: Int, JSONKeys {
        case action, at, by, when, who
        static let table = makeTable()
        static let optionalKeys: [FollowUpKey] = []
    }

    mutating func safetyFollowUp() throws(ReadFailure) -> SafetyFollowUp {
        var action: String?, at: Timestamp?, by: StaffID?, when: String?, who: String?
        let seen = try object(FollowUpKey.self) { r, key throws(ReadFailure) in
            switch key {
            case .action: action = try r.string()
            case .at: at = try r.timestamp()
            case .by: by = try r.id()
            case .when: when = try r.string()
            case .who: who = try r.string()
            }
        }
        guard let action, let at, let by, let when, let who else { throw FollowUpKey.missing(seen) }
        return SafetyFollowUp(who: who, when: when, action: action, by: by, at: at)
    }
}
