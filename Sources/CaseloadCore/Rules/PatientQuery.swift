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
        public func matches(_ query: String) -> Bool {
            let words = PatientSearch.fold(query).split(whereSeparator: \.isWhitespace)
            if words.isEmpty { return true }
            if words.allSatisfy({ text.contains($0) }) { return true }
            // A query that is a phone number (digits and the usual punctuation, three digits or more) matches the phone.
            let phoneLike = query.allSatisfy { ("0"..."9").contains($0) || " -().+".contains($0) }
            let digits = query.filter { ("0"..."9").contains($0) }
            return phoneLike && digits.count >= 3 && phoneDigits.contains(digits)
        }
    }

    /// The patients matching `query` and `status`, in `sort` order. `minutesBehind` gives how far each is from this week's requirement (for the hours-behind sort).
    public static func run(_ patients: [Patient], keys: [PatientID: Key], query: String, status: PatientStatusFilter, sort: PatientSort,
                           program: Program, today: LocalDate, nameOrder: PatientNameOrder? = nil, minutesBehind: (PatientID) -> Int) -> [Patient] {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        var shown = patients.filter { patient in
            guard status.matches(patient.status) else { return false }
            guard !trimmed.isEmpty else { return true }
            return (keys[patient.id] ?? Key(patient)).matches(trimmed)
        }
        let byName: (Patient, Patient) -> Bool = { a, b in
            if let nameOrder, let x = nameOrder.rank(a), let y = nameOrder.rank(b) { return x < y }
            return PatientNameOrder.precedes(a, b)
        }
        switch sort {
        case .name:
            sortInPlace(&shown, by: byName)
        case .admission:
            // Newest admissions first; patients without one last.
            sortInPlace(&shown) { a, b in
                switch (a.admissionDate, b.admissionDate) {
                case let (x?, y?) where x != y: x > y
                case (nil, _?): false
                case (_?, nil): true
                default: byName(a, b)
                }
            }
        case .phase:
            let order = Dictionary(program.phases.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            let rank = { (p: Patient) -> Int in p.care(on: today).flatMap { order[$0.phase] } ?? Int.max }
            sortInPlace(&shown) { a, b in
                let (x, y) = (rank(a), rank(b))
                return x != y ? x < y : byName(a, b)
            }
        case .hoursBehind:
            let behind = Dictionary(shown.map { ($0.id, minutesBehind($0.id)) }, uniquingKeysWith: { a, _ in a })
            sortInPlace(&shown) { a, b in
                let (x, y) = (behind[a.id] ?? 0, behind[b.id] ?? 0)
                return x != y ? x > y : byName(a, b)
            }
        }
        return shown
    }

    /// Sorts by moving indices, not patients: a patient is a large value, and a stable sort moves each many times.
    private static func sortInPlace(_ patients: inout [Patient], by precedes: (Patient, Patient) -> Bool) {
        let order = patients.indices.sorted { precedes(patients[$0], patients[$1]) }
        patients = order.map { patients[$0] }
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

    /// The patient's place in name order, or nil for a patient not ranked. Only the ID is looked at: use the order made
    /// or `updated(for:)` from the same patients (as the Patients pane's figures are, on every change).
    public func rank(_ patient: Patient) -> Int? { ranks[patient.id] }

    private static func source(_ patient: Patient) -> [String?] { [patient.legalName, patient.preferredName, patient.mrn] }

    /// Name order: display names compared as Finder does (case-insensitive, numbers by value), then the MRN.
    public static func precedes(_ a: Patient, _ b: Patient) -> Bool {
        let order = a.displayName.localizedStandardCompare(b.displayName)
        return order == .orderedSame ? a.mrn < b.mrn : order == .orderedAscending
    }
}
