import CaseloadCore

/// A period in one phase, from `start` (a day number) until the next segment or the end of care.
struct Segment: Sendable {
    var phase: Int
    var start: Int
    var note: String
}

/// Everything the generator decides about one patient before writing their record and rosters.
struct PatientPlan: Sendable {
    var number: Int
    var person: DemoNames.Person
    var birth: LocalDate
    var track: DemoSchedule.Track
    var status: PatientStatus
    var referralSource: String
    var segments: [Segment]
    /// First day off every roster (discharge or hold); nil while in care.
    var end: Int?
    /// Days the patient used (a lapse); screens and attendance around them show it.
    var lapses: [Int]
    /// 0 steady, 1 average, 2 struggling: shifts the attendance odds.
    var reliability: Int
    var officer: Int?
    var substance: Int
    var conditions: [DemoClinical.Condition]
    var clinician: Int
    /// Per slot, the patient's roll (0 ..< 1000) against a series' opt-in share.
    var slotRolls: [Int]
    var choiceRoll: Int
    /// Weekday (0 = Monday … 4 = Friday) the patient prefers for individual sessions.
    var preferredDay: Int

    var id: PatientID { PatientID("pat_" + DemoText.pad(number, 4)) }
    var admission: Int? { segments.first?.start }
    var dischargeReason: DischargeReason? {
        if case .discharged(_, let reason) = status { return reason }
        return nil
    }

    /// The phase in force on `day`, if the patient is in care then.
    func phase(on day: Int) -> Int? {
        guard let first = segments.first, first.start <= day else { return nil }
        if let end, day >= end { return nil }
        return segments.last { $0.start <= day }?.phase
    }

    func ageInYears(on day: Int) -> Int {
        let date = LocalDate(dayNumber: day)
        var age = date.year - birth.year
        if (date.month, date.day) < (birth.month, birth.day) { age -= 1 }
        return age
    }

    /// Days from `day` to the nearest lapse on or before it (nil if none within `window`).
    func daysSinceLapse(_ day: Int, within window: Int) -> Int? {
        var best: Int? = nil
        for lapse in lapses where lapse <= day && day - lapse <= window {
            best = min(best ?? Int.max, day - lapse)
        }
        return best
    }

    /// Within the last two weeks before a discharge that was not a completion.
    func isDrifting(on day: Int) -> Bool {
        guard let end, let reason = dischargeReason, reason == .againstAdvice || reason == .administrative else { return false }
        return end - day <= 15
    }
}

/// Builds the patients' plans for each size.
enum DemoPatients {
    static let phaseNotes = ["Admitted to Phase I", "Step-down to Phase II", "Step-down to Phase III", "Step-down to Aftercare"]
    static let stepUpNote = "Stepped up to Phase I after a relapse"

    /// Attributes that do not depend on the patient's course of care.
    static func base(number: Int, featured: Int?, referenceDay: Int, rng: inout SeededGenerator, large: Bool) -> PatientPlan {
        let person = DemoNames.person(featuredIndex: featured, using: &rng)
        let youngAdult = rng.chance(large ? 180 : 150)
        let age = youngAdult ? rng.int(19...26) : rng.int(27...68)
        // Exactly `age` years old on the reference day (admission, or today for someone not yet admitted).
        let reference = LocalDate(dayNumber: referenceDay)
        let month = rng.int(1...12), day = rng.int(1...28)
        let hadBirthday = (month, day) <= (reference.month, reference.day)
        let birth = LocalDate(year: reference.year - age - (hadBirthday ? 0 : 1), month: month, day: day)
            ?? LocalDate(dayNumber: referenceDay - (age + 1) * 365)
        let substance = rng.weighted(DemoClinical.substances.map(\.weight))
        var conditions: [DemoClinical.Condition] = []
        if rng.chance(380) { conditions.append(.anxiety) }
        if rng.chance(330) { conditions.append(rng.chance(600) ? .depression : .recurrentDepression) }
        if rng.chance(160) { conditions.append(.ptsd) }
        if rng.chance(180) { conditions.append(.partnerConflict) }
        if rng.chance(120) { conditions.append(.unemployment) }
        if rng.chance(30) { conditions.append(.homelessness) }
        let clinicians = DemoSchedule.clinicians(large: large)
        return PatientPlan(
            number: number, person: person, birth: birth, track: rng.chance(600) ? .evening : .daytime,
            status: .active, referralSource: rng.pick(DemoClinical.referralSources),
            segments: [], end: nil, lapses: [], reliability: rng.weighted([68, 24, 8]), officer: nil,
            substance: substance, conditions: conditions, clinician: rng.pick(clinicians),
            slotRolls: DemoSchedule.Slot.allCases.map { _ in rng.below(1000) }, choiceRoll: rng.below(1000),
            preferredDay: rng.below(5)
        )
    }

    /// Makes the patient a probation, parole or drug-court client of `officer`.
    static func makeLegal(_ plan: inout PatientPlan, officer: Int) {
        plan.officer = officer
        switch DemoClinical.officers[officer].kind {
        case .probation: plan.referralSource = "County Adult Probation"
        case .drugCourt: plan.referralSource = "Adult Drug Court"
        case .parole: plan.referralSource = "State Parole Division"
        }
        if !plan.conditions.contains(.legalProblems) { plan.conditions.append(.legalProblems) }
    }

    /// Segments from a list of (phase, weeks): the first starts on `admission`, later ones on Mondays.
    static func segments(from steps: [(phase: Int, weeks: Int, note: String)], admission: Int) -> (segments: [Segment], plannedEnd: Int) {
        var result: [Segment] = []
        var monday = LocalDate(dayNumber: admission).startOfWeek(firstWeekday: .mon).dayNumber
        for (i, step) in steps.enumerated() {
            let start = i == 0 ? admission : monday
            result.append(Segment(phase: step.phase, start: start, note: step.note))
            monday += max(1, step.weeks) * 7
        }
        return (result, monday)
    }

    /// A weekday (Monday to Thursday) on or before `day`.
    static func weekdayOnOrBefore(_ day: Int) -> Int {
        let iso = LocalDate(dayNumber: day).weekday.isoNumber
        return iso <= 4 ? day : day - (iso - 4)
    }

    // MARK: Small

    /// About thirty patients in care now, spread over the phases, plus a few discharged, on hold, waiting or referred.
    static func small(today: Int, rng: inout SeededGenerator) -> [PatientPlan] {
        let monday = LocalDate(dayNumber: today).startOfWeek(firstWeekday: .mon).dayNumber
        var currentPhases = Array(repeating: 0, count: 10) + Array(repeating: 1, count: 7) + Array(repeating: 2, count: 7) + Array(repeating: 3, count: 6)
        rng.shuffle(&currentPhases)
        var plans: [PatientPlan] = []
        var number = 0
        func next(_ referenceDay: Int) -> PatientPlan {
            number += 1
            var patientRNG = SeededGenerator(seed: rng.next(), stream: "patient")
            return base(number: number, featured: number - 1, referenceDay: referenceDay, rng: &patientRNG, large: false)
        }

        // In care now.
        var steppedUp = false
        for current in currentPhases {
            var plan = next(today)
            var steps: [(phase: Int, weeks: Int, note: String)] = []
            let typical = [rng.int(4...5), rng.int(5...6), rng.int(8...9)]
            for phase in 0..<current { steps.append((phase, typical[phase], phaseNotes[phase])) }
            if current == 0 && !steppedUp {
                steppedUp = true
                // One patient stepped back up after a relapse in Phase II.
                steps = [(0, 4, phaseNotes[0]), (1, 6, phaseNotes[1]), (0, 0, stepUpNote)]
                let weeksIn = 2
                let currentStart = monday - weeksIn * 7
                let admission = currentStart - 10 * 7 + rng.int(0...3)
                let built = segments(from: steps, admission: admission)
                plan.segments = built.segments
                plan.lapses = [currentStart - rng.int(3...5)]
                plans.append(plan)
                continue
            }
            steps.append((current, 0, phaseNotes[current]))
            let weeksIn: Int
            switch current {
            case 0: weeksIn = rng.int(0...3)
            case 1: weeksIn = rng.int(0...4)
            case 2: weeksIn = rng.int(0...7)
            default: weeksIn = rng.int(0...14)
            }
            let currentStart = monday - weeksIn * 7
            let before = steps.dropLast().reduce(0) { $0 + $1.weeks }
            var admission = currentStart - before * 7 + rng.int(0...3)
            if current == 0 { admission = weekdayOnOrBefore(today - rng.int(1...27)) }
            plan.segments = segments(from: steps, admission: admission).segments
            if current > 0, rng.chance(250), let seg = plan.segments.last {
                plan.lapses.append(seg.start - rng.int(10...20))
            }
            plans.append(plan)
        }

        // Discharged: (phases reached, weeks ago, reason).
        let discharged: [([Int], Int, DischargeReason)] = [
            ([0, 1, 2, 3], 5, .completed),
            ([0], 4, .againstAdvice),
            ([0, 1], 6, .administrative),
            ([0], 9, .transferred),
            ([0, 1, 2, 3], 20, .completed),
            ([0, 1, 2], 3, .incarcerated),
        ]
        for (reached, weeksAgo, reason) in discharged {
            var plan = next(today - weeksAgo * 7)
            let endDay = weekdayOnOrBefore(monday - weeksAgo * 7 + rng.int(1...4))
            let typical = [rng.int(4...5), rng.int(5...6), rng.int(8...9), rng.int(10...16)]
            var steps: [(phase: Int, weeks: Int, note: String)] = []
            for phase in reached { steps.append((phase, typical[phase], phaseNotes[phase])) }
            let lastWeeks = reason == .completed ? typical[reached.count - 1] : rng.int(2...3)
            steps[steps.count - 1].weeks = lastWeeks
            let total = steps.reduce(0) { $0 + $1.weeks }
            let admission = weekdayOnOrBefore(endDay - total * 7 + rng.int(0...2))
            plan.segments = segments(from: steps, admission: admission).segments.filter { $0.start < endDay - 2 }
            plan.end = endDay
            plan.status = .discharged(date: LocalDate(dayNumber: endDay), reason: reason)
            if reason == .againstAdvice || reason == .incarcerated { plan.lapses.append(endDay - rng.int(6...12)) }
            if reason == .completed { plan.reliability = 0 }
            if reason == .administrative { plan.reliability = 2 }
            plans.append(plan)
        }

        // On hold (medical leave) from Phase III, ten days ago.
        do {
            var plan = next(today)
            let holdStart = weekdayOnOrBefore(today - 10)
            let steps: [(phase: Int, weeks: Int, note: String)] = [(0, 4, phaseNotes[0]), (1, 5, phaseNotes[1]), (2, 0, phaseNotes[2])]
            let currentStart = LocalDate(dayNumber: holdStart).startOfWeek(firstWeekday: .mon).dayNumber - 3 * 7
            plan.segments = segments(from: steps, admission: currentStart - 9 * 7 + rng.int(0...3)).segments
            plan.end = holdStart
            plan.status = .onHold
            plans.append(plan)
        }

        // Waiting for a place, or referred and not yet assessed.
        for status in [PatientStatus.waitlist, .waitlist, .referred, .referred] {
            var plan = next(today)
            plan.status = status
            plans.append(plan)
        }

        // Probation, parole and drug-court clients: spread over the phases, chosen by position so the mix is stable.
        let legalIndices = [1, 4, 7, 11, 16, 22]
        let legalOfficers = [0, 3, 1, 5, 4, 6]
        for (k, i) in legalIndices.enumerated() where plans.indices.contains(i) {
            makeLegal(&plans[i], officer: legalOfficers[k])
        }
        if let i = plans.firstIndex(where: { $0.dischargeReason == .administrative }) { makeLegal(&plans[i], officer: 2) }
        if let i = plans.firstIndex(where: { $0.dischargeReason == .incarcerated }) { makeLegal(&plans[i], officer: 0) }
        return plans
    }

    // MARK: Large

    /// A course of care from `admission`, as the program would plan it and the patient would live it.
    static func course(_ plan: inout PatientPlan, admission: Int, today: Int, rng: inout SeededGenerator) {
        var steps: [(phase: Int, weeks: Int, note: String)] = [
            (0, rng.int(7...12), phaseNotes[0]), (1, rng.int(9...16), phaseNotes[1]),
            (2, rng.int(14...32), phaseNotes[2]), (3, rng.int(26...84), phaseNotes[3]),
        ]
        var lapses: [Int] = []
        if rng.chance(130) {
            // A relapse in Phase II or III sends the patient back to Phase I for a few weeks.
            let at = rng.int(1...2)
            let done = rng.int(2...max(2, steps[at].weeks - 1))
            let rest = max(2, steps[at].weeks - done)
            steps[at].weeks = done
            var insert: [(phase: Int, weeks: Int, note: String)] = [(0, rng.int(2...4), stepUpNote)]
            if at == 2 { insert.append((1, rng.int(3...5), phaseNotes[1])) }
            insert.append((at, rest, phaseNotes[at]))
            steps.insert(contentsOf: insert, at: at + 1)
        }
        let built = segments(from: steps, admission: admission)
        var segs = built.segments
        var end = built.plannedEnd + rng.int(0...3)
        var reason = DischargeReason.completed
        if rng.chance(60) { reason = rng.chance(500) ? .transferred : .other }
        if rng.chance(190) {
            let latest = min(end - 1, admission + 40 * 7)
            end = admission + rng.int(10...max(11, latest - admission))
            reason = [.againstAdvice, .againstAdvice, .againstAdvice, .administrative, .administrative, .incarcerated, .transferred][rng.below(7)]
            if rng.chance(500) { lapses.append(end - rng.int(5...15)) }
        }
        end = max(end, admission + 7)
        segs = segs.filter { $0.start < end - 2 || $0.start == admission }
        for (i, seg) in segs.enumerated() {
            let until = i + 1 < segs.count ? segs[i + 1].start : end
            if seg.note == stepUpNote { lapses.append(seg.start - rng.int(3...6)) }
            let odds = [280, 180, 110, 60][seg.phase]
            let weeks = max(1, (until - seg.start) / 7)
            for _ in 0..<max(1, weeks / 16) where rng.chance(odds) {
                lapses.append(seg.start + rng.int(2...max(2, until - seg.start - 1)))
            }
        }
        plan.segments = segs.filter { $0.start <= today }
        plan.lapses = lapses.filter { $0 < today && $0 > admission }.sorted()
        if end <= today {
            plan.end = end
            plan.status = .discharged(date: LocalDate(dayNumber: end), reason: reason)
        } else {
            plan.end = nil
            plan.status = .active
        }
        if reason == .completed { plan.reliability = min(plan.reliability, 1) }
    }

    /// About 320 patients over five years: a census already in care when the record starts, then one or two admissions most weeks.
    static func large(today: Int, recordStart: Int, rng: inout SeededGenerator) -> [PatientPlan] {
        var plans: [PatientPlan] = []
        var number = 0
        func make(admission: Int) -> PatientPlan {
            var patientRNG = SeededGenerator(seed: rng.next(), stream: "patient")
            var plan = base(number: number + 1, featured: number, referenceDay: admission, rng: &patientRNG, large: true)
            course(&plan, admission: admission, today: today, rng: &patientRNG)
            if patientRNG.chance(140) { makeLegal(&plan, officer: patientRNG.below(DemoClinical.officers.count)) }
            return plan
        }
        // The census on the first recorded day: people admitted in the two years before who are still in care.
        var attempts = 0
        while plans.count < 64 && attempts < 2000 {
            attempts += 1
            let admission = weekdayOnOrBefore(recordStart - rng.int(1...(100 * 7)))
            let plan = make(admission: admission)
            guard (plan.end ?? Int.max) > recordStart + 7 else { continue }
            number += 1
            plans.append(plan)
        }
        var monday = recordStart
        while monday + 4 < today {
            var count = 1
            if rng.chance(40) { count = 0 } else if rng.chance(110) { count = 2 }
            for k in 0..<count {
                let day = monday + (k == 0 ? rng.int(0...3) : rng.int(0...4))
                guard day < today else { continue }
                number += 1
                plans.append(make(admission: weekdayOnOrBefore(day)))
            }
            monday += 7
        }
        // Patients are numbered by admission.
        plans.sort { ($0.admission ?? 0, $0.number) < ($1.admission ?? 0, $1.number) }
        // Two current patients on medical hold.
        var held = 0
        for i in plans.indices.reversed() where held < 2 {
            guard plans[i].status == .active, let last = plans[i].segments.last, last.phase == 2, last.start < today - 21 else { continue }
            plans[i].end = weekdayOnOrBefore(today - 5 - 4 * held)
            plans[i].status = .onHold
            held += 1
        }
        for status in [PatientStatus.waitlist, .waitlist, .waitlist, .referred, .referred, .referred] {
            var patientRNG = SeededGenerator(seed: rng.next(), stream: "patient")
            var plan = base(number: 0, featured: nil, referenceDay: today, rng: &patientRNG, large: true)
            plan.status = status
            plans.append(plan)
        }
        for i in plans.indices { plans[i].number = i + 1 }
        return plans
    }
}
