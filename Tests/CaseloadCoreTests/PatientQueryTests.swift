import CaseloadCore
import Foundation
import Testing

@Suite("Patient search, filter and sort")
struct PatientQueryTests {
    typealias T = TestDocument

    static let patients: [Patient] = [
        Patient(id: "p_jose", mrn: "M-100", legalName: "José Álvarez", phone: "(312) 555-0147", status: .active, admissionDate: T.date("2026-10-01"),
                careHistory: [CareEntry(date: T.date("2026-10-01"), levelOfCare: .intensiveOutpatient, phase: "p2")]),
        Patient(id: "p_nguyen", mrn: "M-101", legalName: "Nguyễn Thị Lan", preferredName: "Lan", status: .active, admissionDate: T.date("2026-11-10"),
                careHistory: [CareEntry(date: T.date("2026-11-10"), levelOfCare: .intensiveOutpatient, phase: "p1")]),
        Patient(id: "p_kim", mrn: "M-102", legalName: "김민준", status: .active, admissionDate: T.date("2026-09-15"),
                careHistory: [CareEntry(date: T.date("2026-09-15"), levelOfCare: .intensiveOutpatient, phase: "p1")]),
        Patient(id: "p_zoe", mrn: "M-103", legalName: "Zoë Ångström-Nakamura", status: .waitlist),
        Patient(id: "p_ref", mrn: "M-104", legalName: "Amir Haddad", status: .referred),
        Patient(id: "p_hold", mrn: "M-105", legalName: "Bea Okafor", status: .onHold, admissionDate: T.date("2026-08-01")),
        Patient(id: "p_gone", mrn: "M-106", legalName: "Carl Jensen", status: .discharged(date: T.date("2026-11-01"), reason: .completed), admissionDate: T.date("2026-07-01")),
    ]
    static let keys = Dictionary(uniqueKeysWithValues: patients.map { ($0.id, PatientSearch.Key($0)) })

    func ids(_ query: String, status: PatientStatusFilter = .all, sort: PatientSort = .name, behind: [PatientID: Int] = [:]) -> [String] {
        PatientSearch.run(Self.patients, keys: Self.keys, query: query, status: status, sort: sort, program: T.program,
                          today: T.date("2026-11-30"), minutesBehind: { behind[$0] ?? 0 }).map(\.id.rawValue)
    }

    @Test func accentsAndCaseAreIgnored() {
        #expect(ids("jose") == ["p_jose"])
        #expect(ids("ÁLVAREZ") == ["p_jose"])
        #expect(ids("nguyen") == ["p_nguyen"])
        #expect(ids("zoe angstrom") == ["p_zoe"])
        #expect(ids("ANGSTRÖM") == ["p_zoe"])
    }

    @Test func legalNameIsSearchableWhenThePreferredNameIsShown() {
        #expect(ids("thi lan") == ["p_nguyen"])
        #expect(ids("lan") == ["p_nguyen"])
    }

    @Test func hangulMatchesBySyllables() {
        #expect(ids("김민") == ["p_kim"])
        #expect(ids("민준") == ["p_kim"])
        #expect(ids("김미").isEmpty)
    }

    @Test func mrnAndPhone() {
        #expect(ids("m-102") == ["p_kim"])
        #expect(ids("555-0147") == ["p_jose"])
        #expect(ids("3125550147") == ["p_jose"])
        // Too few digits to be a phone number: no phone match.
        #expect(ids("31").isEmpty)
    }

    @Test func statusFilterCyclesAndMatches() {
        // Displayed names in order: José Álvarez, Lan, 김민준.
        #expect(ids("", status: .active) == ["p_jose", "p_nguyen", "p_kim"])
        #expect(Set(ids("", status: .waitlist)) == ["p_zoe", "p_ref"])
        #expect(ids("", status: .onHold) == ["p_hold"])
        #expect(ids("", status: .discharged) == ["p_gone"])
        #expect(ids("", status: .all).count == Self.patients.count)
        var filter = PatientStatusFilter.active
        var seen: [PatientStatusFilter] = []
        for _ in 0..<5 { seen.append(filter); filter = filter.next }
        #expect(seen == [.active, .waitlist, .onHold, .discharged, .all])
        #expect(filter == .active)
    }

    @Test func sorts() {
        #expect(ids("", status: .active, sort: .name) == ["p_jose", "p_nguyen", "p_kim"])
        #expect(ids("", status: .active, sort: .admission) == ["p_nguyen", "p_jose", "p_kim"])
        // Phase I before Phase II; within a phase by name.
        #expect(ids("", status: .active, sort: .phase) == ["p_nguyen", "p_kim", "p_jose"])
        #expect(ids("", status: .active, sort: .hoursBehind, behind: ["p_kim": 180, "p_jose": 0, "p_nguyen": 360]) == ["p_nguyen", "p_kim", "p_jose"])
        #expect(PatientSort.hoursBehind.next == .name)
    }

    @Test func filterAndStatusCombine() {
        #expect(ids("a", status: .active).count == 2)  // José Álvarez, Nguyễn Thị Lan
        #expect(ids("amir", status: .active).isEmpty)
        #expect(ids("amir", status: .waitlist) == ["p_ref"])
    }

    /// The name order ranked once sorts as the locale-aware compare does, and is ranked again when a name changes.
    @Test func theRankedNameOrderFollowsRenames() {
        var patients = Self.patients
        let order = PatientNameOrder(patients)
        func byRank(_ order: PatientNameOrder, _ list: [Patient]) -> [String] {
            list.sorted { (order.rank($0) ?? .max) < (order.rank($1) ?? .max) }.map(\.id.rawValue)
        }
        // Amir, Bea, Carl, José (Álvarez is the legal surname, the display name starts with José), Lan, Zoë, then Hangul.
        #expect(byRank(order, patients) == ["p_ref", "p_hold", "p_gone", "p_jose", "p_nguyen", "p_zoe", "p_kim"])
        #expect(order.updated(for: patients).rank(patients[0]) == order.rank(patients[0]))
        // Renaming Zoë to Aaron moves her first once the order is brought up to date.
        patients[3].legalName = "Aaron Zed"
        #expect(order.rank(patients[3]) == 5, "the old order still has her sixth")
        #expect(byRank(order.updated(for: patients), patients) == ["p_zoe", "p_ref", "p_hold", "p_gone", "p_jose", "p_nguyen", "p_kim"])
        // The list sorted with the rank equals the list sorted by the compare.
        let ranked = PatientSearch.run(patients, keys: [:], query: "", status: .all, sort: .name, program: T.program, today: T.date("2026-11-30"),
                                       nameOrder: order.updated(for: patients), minutesBehind: { _ in 0 }).map(\.id.rawValue)
        #expect(ranked == patients.sorted(by: PatientNameOrder.precedes).map(\.id.rawValue))
    }

    /// A search key stays current while the names, MRN and phone it was folded from do.
    @Test func aSearchKeyKnowsWhenItIsStale() {
        var patient = Self.patients[0]
        let key = PatientSearch.Key(patient)
        #expect(key.isCurrent(for: patient))
        patient.phone = "(312) 555-0199"
        #expect(!key.isCurrent(for: patient))
    }
}
