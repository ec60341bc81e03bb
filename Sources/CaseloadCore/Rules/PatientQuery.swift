import Foundation

/// Which patients the list shows, by where they stand with the program.
public enum PatientStatusFilter: String, CaseIterable, Sendable {
    case active, waitlist, onHold, discharged, all

    /// How the pane title names it.
    public var label: String {
        switch self {
        case .active: "active"
        case .waitlist: "waitlist"
        case .onHold: "on hold"
        case .discharged: "discharged"
        case .all: "all"
        }
    }

    /// Whether a patient in `status` is shown. Referred patients are listed with the waitlist: neither has started.
    public func matches(_ status: PatientStatus) -> Bool {
        switch (self, status) {
        case (.all, _), (.active, .active), (.waitlist, .waitlist), (.waitlist, .referred), (.onHold, .onHold), (.discharged, .discharged): true
        default: false
        }
    }

    /// The next filter in the `f` cycle.
    public var next: PatientStatusFilter {
        let all = Self.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }
}

/// The order of the patient list.
public enum PatientSort: String, CaseIterable, Sendable {
    case name, admission, phase, hoursBehind

    public var label: String {
        switch self {
        case .name: "name"
        case .admission: "admission"
        case .phase: "phase"
        case .hoursBehind: "hours behind"
        }
    }

    /// The short form for the pane title.
    public var shortLabel: String {
        switch self {
        case .name: "name"
        case .admission: "admitted"
        case .phase: "phase"
        case .hoursBehind: "behind"
        }
    }

    public var next: PatientSort {
        let all = Self.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }
}

/// Search over patients that ignores case and accents (`jose` finds José, `nguyen` finds Nguyễn) in any script.
public enum PatientSearch {
    /// The text folded for comparison: lower case, accents removed (Hangul and other scripts are kept as they are).
    public static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }

    /// Everything a patient is found by, folded once: legal and preferred names, MRN; and the phone's digits.
    public struct Key: Sendable, Equatable {
        public let text: String
        public let phoneDigits: String
        /// What the key was folded from, so a key still current after an edit is kept rather than folded again.
        let source: [String?]

        public init(_ patient: Patient) {
            text = PatientSearch.fold([patient.legalName, patient.preferredName ?? "", patient.mrn].joined(separator: "\u{1F}"))
            phoneDigits = String((patient.phone ?? "").unicodeScalars.filter { CharacterSet.decimalDigits.contains($0) }.map(Character.init))
            source = Key.source(patient)
        }

        /// Whether this key was made from `patient`'s current names, MRN and phone.
        public func isCurrent(for patient: Patient) -> Bool { source == Key.source(patient) }

        private static func source(_ patient: Patient) -> [String?] { [patient.legalName, patient.preferredName, patient.mrn, patient.phone] }

        /// True when every word of the query occurs in the names or MRN, or (for a query of three or more digits) in the phone number.
        public func matches(_ query: String) -> Bool { matches(Query(query)) }

        /// `matches` with the query folded once for the whole list.
        func matches(_ query: Query) -> Bool {
            if query.words.isEmpty { return true }
            if query.words.allSatisfy({ text.contains($0) }) { return true }
            guard let digits = query.phoneDigits else { return false }
            return phoneDigits.contains(digits)
        }
    }

    /// A query as keys are matched against it: its folded words, and its digits when it reads as a phone number.
    struct Query {
        let words: [Substring]
        /// The digits of a query that is a phone number (digits and the usual punctuation, three digits or more), else nil.
        let phoneDigits: String?

        init(_ query: String) {
            words = PatientSearch.fold(query).split(whereSeparator: \.isWhitespace)
            let phoneLike = query.allSatisfy { ("0"..."9").contains($0) || " -().+".contains($0) }
            let digits = query.filter { ("0"..."9").contains($0) }
            phoneDigits = phoneLike && digits.count >= 3 ? digits : nil
        }
    }

    /// The patients matching `query` and `status`, in `sort` order. `minutesBehind` gives how far each is from this week's requirement (for the hours-behind sort).
    public static func run(_ patients: [Patient], keys: [PatientID: Key], query: String, status: PatientStatusFilter, sort: PatientSort,
                           program: Program, today: LocalDate, nameOrder: PatientNameOrder? = nil, minutesBehind: (PatientID) -> Int) -> [Patient] {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        let prepared = trimmed.isEmpty ? nil : Query(trimmed)
        // Positions in `patients`, not patients: a patient is a large value, and filtering and sorting copies would copy
        // each several times on every key typed into the filter.
        var shown: [Int] = []
        for i in patients.indices where status.matches(patients[i].status) {
            guard let prepared else { shown.append(i); continue }
            if (keys[patients[i].id] ?? Key(patients[i])).matches(prepared) { shown.append(i) }
        }
        let ranks = nameOrder.map { order in shown.map { order.rank(id: patients[$0].id) } }
        // `a` and `b` are places in `shown`.
        let byName: (Int, Int) -> Bool = { a, b in
            if let ranks, let x = ranks[a], let y = ranks[b] { return x < y }
            return PatientNameOrder.precedes(patients[shown[a]], patients[shown[b]])
        }
        let order: [Int]
        switch sort {
        case .name:
            order = shown.indices.sorted(by: byName)
        case .admission:
            // Newest admissions first; patients without one last.
            let dates = shown.map { patients[$0].admissionDate }
            order = shown.indices.sorted { a, b in
                switch (dates[a], dates[b]) {
                case let (x?, y?) where x != y: x > y
                case (nil, _?): false
                case (_?, nil): true
                default: byName(a, b)
                }
            }
        case .phase:
            let phaseOrder = Dictionary(program.phases.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            let rank = shown.map { patients[$0].care(on: today).flatMap { phaseOrder[$0.phase] } ?? Int.max }
            order = shown.indices.sorted { a, b in
                let (x, y) = (rank[a], rank[b])
                return x != y ? x < y : byName(a, b)
            }
        case .hoursBehind:
            let behind = shown.map { minutesBehind(patients[$0].id) }
            order = shown.indices.sorted { a, b in
                let (x, y) = (behind[a], behind[b])
                return x != y ? x > y : byName(a, b)
            }
        }
        return order.map { patients[shown[$0]] }
    }
}

/// The patients in name order (display name, compared as Finder does, then MRN), ranked once: the order only changes when a
/// name or MRN does, so a roll mark or a phase step re-sorts nothing (a locale-aware compare costs microseconds each).
public struct PatientNameOrder: Sendable {
    private var ranks: [PatientID: Int]
    /// The names and MRN each rank was computed from (as stored: comparing them costs no trimming).
    private var names: [PatientID: [String?]]

    public init(_ patients: [Patient]) {
        let sorted = patients.sorted(by: PatientNameOrder.precedes)
        ranks = Dictionary(sorted.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        names = Dictionary(patients.map { ($0.id, PatientNameOrder.source($0)) }, uniquingKeysWith: { a, _ in a })
    }

    /// This order if it still holds for `patients` (the same people with the same names and MRNs), else a new one.
    public func updated(for patients: [Patient]) -> PatientNameOrder {
        let same = patients.count == names.count && patients.allSatisfy { names[$0.id] == PatientNameOrder.source($0) }
        return same ? self : PatientNameOrder(patients)
    }

    /// This order if it still holds for `patients`, known to differ from the patients it was made from at most in the
    /// patients with the IDs in `changed`: only those are looked at.
    public func updated(for patients: [Patient], changed: Set<PatientID>) -> PatientNameOrder {
        guard patients.count == names.count else { return PatientNameOrder(patients) }
        for id in changed {
            // Every changed patient still there with the same names: then the patients are the same people (as many as
            // before, the others untouched), in the same order.
            guard let i = patients.indices.first(where: { patients[$0].id == id }),
                  names[id] == PatientNameOrder.source(patients[i]) else { return PatientNameOrder(patients) }
        }
        return self
    }

    /// The patient's place in name order, or nil for a patient not ranked. Only the ID is looked at: use the order made
    /// or `updated(for:)` from the same patients (as the Patients pane's figures are, on every change).
    public func rank(_ patient: Patient) -> Int? { ranks[patient.id] }

    /// The place in name order of the patient with `id`, as `rank(_:)`.
    public func rank(id: PatientID) -> Int? { ranks[id] }

    private static func source(_ patient: Patient) -> [String?] { [patient.legalName, patient.preferredName, patient.mrn] }

    /// Name order: display names compared as Finder does (case-insensitive, numbers by value), then the MRN.
    public static func precedes(_ a: Patient, _ b: Patient) -> Bool {
        let order = a.displayName.localizedStandardCompare(b.displayName)
        return order == .orderedSame ? a.mrn < b.mrn : order == .orderedAscending
    }
}
