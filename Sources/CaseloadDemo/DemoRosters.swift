import CaseloadCore

/// A patient's membership of one series, as day numbers: from `joined` up to, not including, `left`.
struct Membership: Sendable {
    var series: Int
    var joined: Int
    var left: Int?

    func overlaps(_ start: Int, _ end: Int) -> Bool {
        joined < end && start < (left ?? Int.max)
    }
}

/// Puts patients on series rosters as their phases change: join on admission or step-down, leave on the next change or discharge.
enum DemoRosters {
    /// `clashes[a][b]`: series a and b meet at overlapping times on a shared weekday.
    static func clashMatrix(_ series: [DemoSchedule.SeriesPlan]) -> [[Bool]] {
        series.map { a in series.map { b in a.id != b.id && a.clashes(with: b) } }
    }

    static func isEligible(_ plan: PatientPlan, for s: DemoSchedule.SeriesPlan, phase: Int, on day: Int) -> Bool {
        guard s.phases.contains(phase), plan.slotRolls[s.slot.rawValue] < s.optIn else { return false }
        if let track = s.track, track != plan.track { return false }
        switch s.audience {
        case .everyone: return true
        case .women: return plan.person.gender == .female
        case .men: return plan.person.gender == .male
        case .youngAdults: return plan.ageInYears(on: day) <= 26
        }
    }

    /// The series a patient belongs to over their care, slot by slot; a slot whose group would clash with one already chosen is left out.
    static func memberships(for plan: PatientPlan, series: [DemoSchedule.SeriesPlan], clashes: [[Bool]]) -> [Membership] {
        guard !plan.segments.isEmpty else { return [] }
        var mine: [Membership] = []
        var lastEntry: [Int: Int] = [:]
        let careEnd = plan.end ?? Int.max
        for slot in DemoSchedule.Slot.allCases {
            let candidates = series.indices.filter { series[$0].slot == slot }
            guard !candidates.isEmpty else { continue }
            var previous: Int? = nil
            for (k, segment) in plan.segments.enumerated() {
                let segmentEnd = k + 1 < plan.segments.count ? plan.segments[k + 1].start : careEnd
                guard segment.start < segmentEnd else { continue }
                let eligible = candidates.filter { isEligible(plan, for: series[$0], phase: segment.phase, on: segment.start) }
                guard !eligible.isEmpty else { previous = nil; continue }
                // Split the segment where a series starts or ends, so a patient moves to the replacement group.
                var cuts = [segment.start]
                for c in eligible {
                    let opens = series[c].startDate.dayNumber
                    if opens > segment.start && opens < segmentEnd { cuts.append(opens) }
                    if let closes = series[c].endDate?.dayNumber, closes + 1 > segment.start && closes + 1 < segmentEnd { cuts.append(closes + 1) }
                }
                cuts.sort()
                for (j, start) in cuts.enumerated() where j == 0 || cuts[j - 1] != start {
                    let end = j + 1 < cuts.count ? cuts[j + 1] : segmentEnd
                    guard start < end else { continue }
                    let free = eligible.filter { c in
                        series[c].isActive(on: start) && !mine.contains { clashes[c][$0.series] && $0.overlaps(start, end) }
                    }
                    guard !free.isEmpty else { continue }
                    let choice = previous.flatMap { free.contains($0) ? $0 : nil } ?? free[plan.choiceRoll % free.count]
                    previous = choice
                    let left: Int? = end == Int.max ? nil : end
                    if let i = lastEntry[choice], mine[i].left == start {
                        mine[i].left = left
                    } else {
                        mine.append(Membership(series: choice, joined: start, left: left))
                        lastEntry[choice] = mine.count - 1
                    }
                }
            }
        }
        return mine
    }

    /// One roster per series, ordered by joining date then patient, with the patient index of each entry.
    static func rosters(plans: [PatientPlan], memberships: [[Membership]], seriesCount: Int) -> [[(patient: Int, membership: Membership)]] {
        var result = Array(repeating: [(patient: Int, membership: Membership)](), count: seriesCount)
        for (p, list) in memberships.enumerated() {
            for m in list { result[m.series].append((p, m)) }
        }
        for s in result.indices {
            result[s].sort { ($0.membership.joined, $0.patient) < ($1.membership.joined, $1.patient) }
        }
        return result
    }
}
