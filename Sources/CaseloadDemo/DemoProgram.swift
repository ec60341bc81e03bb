import CaseloadCore
import Foundation

/// How much history the demo program has.
public enum DemoSize: String, CaseIterable, Sendable {
    /// About 30 patients in care, 3 staff, 5 weekly groups and 12 weeks of recorded history with full notes.
    case small
    /// Five years of a program with about 300 patients over its life and 14 series, charted as programs chart (a group
    /// note and a note per attending member for every held group, a note for every one-to-one): for benchmarks.
    case large
    /// The large program's last year, charted the same way (same series and staff): for quick runs of the benchmark.
    case medium
}

/// Generates synthetic, self-consistent demo programs. Every name, number and note is invented.
public enum DemoProgram {
    /// A synthetic program generated only from `seed`, `size` and `now` (same inputs → identical document).
    public static func generate(seed: UInt64, size: DemoSize, now: Date) -> CaseloadDocument {
        let program = DemoSchedule.program()
        let zone = TimeZone(identifier: program.timeZone) ?? .gmt
        let local = Recurrence.local(now, in: zone)
        let today = local.date.dayNumber
        // Medium is the large program over its last year: the same series, staff and charting.
        let large = size != .small
        // Small: the last 12 weeks. Large: a little over five years, from a Monday. Medium: a little over a year.
        let programStart = LocalDate(dayNumber: today - 5 * 365 - 7).startOfWeek(firstWeekday: .mon).dayNumber
        let recordStart: Int
        switch size {
        case .small: recordStart = today - 84
        case .large: recordStart = programStart
        case .medium: recordStart = LocalDate(dayNumber: today - 365 - 7).startOfWeek(firstWeekday: .mon).dayNumber
        }

        var planRNG = SeededGenerator(seed: seed, stream: "plans-\(size.rawValue)")
        let plans = large
            ? DemoPatients.large(today: today, recordStart: recordStart, rng: &planRNG)
            : DemoPatients.small(today: today, rng: &planRNG)

        let seriesPlans = large
            ? DemoSchedule.largeSeries(recordStart: LocalDate(dayNumber: programStart))
            : DemoSchedule.smallSeries(recordStart: LocalDate(dayNumber: recordStart))
        let clashes = DemoRosters.clashMatrix(seriesPlans)
        let memberships = plans.map { DemoRosters.memberships(for: $0, series: seriesPlans, clashes: clashes) }
        let rosters = DemoRosters.rosters(plans: plans, memberships: memberships, seriesCount: seriesPlans.count)
        let series = seriesPlans.indices.map { s in
            seriesPlans[s].series(roster: rosters[s].map { entry in
                RosterEntry(patient: plans[entry.patient].id, joined: LocalDate(dayNumber: entry.membership.joined),
                            left: entry.membership.left.map { LocalDate(dayNumber: $0) })
            })
        }

        // Consent states worth seeing: one officer's consent about to expire, one revoked when supervision moved.
        var consentCases = Array(repeating: DemoRecords.ConsentCase.normal, count: plans.count)
        var legalInCare = plans.indices.filter { plans[$0].officer != nil && plans[$0].status == .active }
        legalInCare.removeFirst(min(1, legalInCare.count))
        if let i = legalInCare.first(where: { (plans[$0].admission ?? today) <= today - 7 }) {
            consentCases[i] = .expiringSoon
            legalInCare.removeAll { $0 == i }
        }
        if let i = legalInCare.first(where: { (plans[$0].admission ?? today) < today - 30 }) {
            consentCases[i] = .revokedAndReplaced
        }
        var usedEmails = Set<String>()
        var patients: [Patient] = []
        patients.reserveCapacity(plans.count)
        for (i, plan) in plans.enumerated() {
            var recordRNG = SeededGenerator(seed: seed, stream: "record-\(size.rawValue)-\(plan.number)")
            patients.append(DemoRecords.patient(plan, program: program, today: today, consentCase: consentCases[i],
                                                usedEmails: &usedEmails, rng: &recordRNG))
        }

        let settings = DemoHistory.Settings(
            recordStart: recordStart, today: today, nowMinutes: local.time.minutes, now: Timestamp(now),
            memberNotesFrom: recordStart, large: large)
        var history = DemoHistory(settings: settings, program: program, plans: plans, seriesPlans: seriesPlans, series: series,
                                  memberships: memberships, rosters: rosters, zone: zone,
                                  rng: SeededGenerator(seed: seed, stream: "history-\(size.rawValue)"))
        let sessions = history.build()

        let staff = large ? DemoSchedule.allStaff : Array(DemoSchedule.allStaff.prefix(3))
        let document = CaseloadDocument(program: program, staff: staff, patients: patients, series: series, sessions: sessions)
        // Last, on its own random stream: evaluations and measures shift no draw of the rest of the demo.
        return DemoAssessments.add(to: document, seed: seed, size: size, today: today, zone: zone)
    }
}
