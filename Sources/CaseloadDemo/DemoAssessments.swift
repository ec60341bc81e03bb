import CaseloadCore
import Foundation

/// Synthetic comprehensive evaluations and outcome measures (issue 19) for a generated demo document, added as a last
/// pass so that no other part of the demo draws a different number: its own random stream, seeded from the demo seed.
enum DemoAssessments {
    /// `doc` with a signed intake evaluation (and reviews) and PHQ-9, GAD-7 and BAM measures for each admitted patient.
    /// A few active patients are left with a measure due, one has an unanswered self-harm item (the safety alert) and
    /// one an older one with its follow-up recorded.
    static func add(to doc: CaseloadDocument, seed: UInt64, size: DemoSize, today: Int, zone: TimeZone) -> CaseloadDocument {
        var doc = doc
        var rng = SeededGenerator(seed: seed, stream: "assessments-\(size.rawValue)")
        var clock = Clock(zone: zone)
        let every = max(1, doc.program.clinical.measureEveryDays)
        // Reviews a little before the review period ends, so the latest one is never due (the alert stays for real work).
        let reviewStep = max(1, doc.program.clinical.evaluationReviewDays - Alerts.evaluationReviewNoticeDays - 3)
        let rule = doc.program.clinical.levelOfCareRule
        let staffIDs = Set(doc.staff.map(\.id))

        let active = doc.patients.indices.filter { doc.patients[$0].status == .active && doc.patients[$0].admissionDate != nil }
        // Chosen by position among the active patients, so the picks do not depend on random draws.
        let dueSoon = Set(active.enumerated().filter { $0.offset % 9 == 4 }.prefix(3).map(\.element))
        let safetyOpen = active.first { !dueSoon.contains($0) && (doc.patients[$0].admissionDate?.dayNumber ?? today) < today - 10 }
        let safetyFollowed = active.first { $0 != safetyOpen && !dueSoon.contains($0) && (doc.patients[$0].admissionDate?.dayNumber ?? today) < today - 70 }
        let worsening = active.last { $0 != safetyOpen && $0 != safetyFollowed && !dueSoon.contains($0)
            && (doc.patients[$0].admissionDate?.dayNumber ?? today) < today - 3 * every }

        for i in doc.patients.indices {
            let patient = doc.patients[i]
            guard let admission = patient.admissionDate?.dayNumber, admission <= today else { continue }
            var end = today
            if case .discharged(let date, _) = patient.status { end = min(end, date.dayNumber) }
            guard admission <= end else { continue }
            let signer = patient.primaryClinician.flatMap { staffIDs.contains($0) ? $0 : nil } ?? StaffID("stf_01")
            let level = { (day: Int) -> LevelOfCare in
                let entry = patient.careHistory.last { $0.date.dayNumber <= day } ?? patient.careHistory.first
                let level = entry?.levelOfCare ?? .intensiveOutpatient
                return level == .aftercare ? .outpatient : level
            }

            // Evaluations: the intake on admission, then a review every `reviewStep` days while in care.
            var evaluations: [Evaluation] = []
            var day = admission
            while day <= end {
                let kind: EvaluationKind = evaluations.isEmpty ? .intake : .review
                var evaluation = Self.evaluation(id: ItemID("evl_\(evaluations.count + 1)"), day: day, kind: kind, level: level(day),
                                                 patient: patient, author: signer, variant: i + evaluations.count)
                evaluation.suggested = rule.suggest(evaluation.ratings)
                evaluation.signature = doc.makeSignature(by: signer, at: clock.at(day: day, minutes: 16 * 60 + (i % 4) * 15))
                evaluations.append(evaluation)
                day += reviewStep
            }

            // Measures: at admission and every `every` days up to the end of care.
            var days = Array(stride(from: admission, through: end, by: every))
            if dueSoon.contains(i), days.count > 1 { days.removeLast() }
            let trend: Trend = i == worsening ? .worsening : (i % 7 == 5 ? .flat : .improving)
            let start = Self.startSeverity(level(admission))
            var measures: [Measure] = []
            for (k, day) in days.enumerated() {
                let at = clock.at(day: day, minutes: 10 * 60 + (i % 5) * 30)
                let phq = Self.phq9(start: start, set: k, trend: trend, rng: &rng)
                let gad = Self.gad7(start: start, set: k, trend: trend, rng: &rng)
                let bam = Self.bam(set: k, trend: trend, rng: &rng)
                for (instrument, scores) in [(Instrument.phq9, phq), (Instrument.gad7, gad), (Instrument.bam, bam)] {
                    measures.append(Measure(id: ItemID("msr_\(measures.count + 1)"), instrument: instrument.id, date: LocalDate(dayNumber: day),
                                            scores: scores, by: signer, safetyItem: instrument.safetyItem,
                                            signature: doc.makeSignature(by: signer, at: Timestamp(seconds: at.seconds + Int64(measures.count % 3) * 300))))
                }
            }
            // An older PHQ-9 whose self-harm item was answered 1, followed up the same day.
            if i == safetyFollowed, let m = measures.lastIndex(where: { $0.instrument == "phq9" && $0.date.dayNumber < today - 40 }) {
                measures[m].scores[8] = 1
                let at = Timestamp(seconds: (measures[m].signature?.at.seconds ?? 0) + 1_200)
                measures[m].followUp = SafetyFollowUp(who: "patient, in person", when: "same day, after the questionnaire",
                                                      action: "safety plan reviewed and updated; crisis line given; no plan or intent",
                                                      by: signer, at: at)
            }
            // A PHQ-9 two days ago with the self-harm item at 1 and no follow-up yet: the demo's one safety alert.
            if i == safetyOpen {
                let day = today - 2
                var scores = measures.last { $0.instrument == "phq9" }?.scores ?? Self.spread(10, items: 8, max: 3, rng: &rng) + [0]
                scores[8] = 1
                measures.append(Measure(id: ItemID("msr_\(measures.count + 1)"), instrument: "phq9", date: LocalDate(dayNumber: day),
                                        scores: scores, by: signer, safetyItem: Instrument.phq9.safetyItem,
                                        signature: doc.makeSignature(by: signer, at: clock.at(day: day, minutes: 14 * 60 + 20))))
            }
            doc.patients[i].evaluations = evaluations
            doc.patients[i].measures = measures
        }
        return doc
    }

    /// How scores move from one measure to the next.
    enum Trend { case improving, flat, worsening }

    /// The PHQ-9 total at admission for a level of care (GAD-7 starts a little lower).
    static func startSeverity(_ level: LevelOfCare) -> Int {
        switch level {
        case .partialHospitalization: 18
        case .intensiveOutpatient: 14
        case .outpatient, .aftercare: 9
        }
    }

    /// The total at measure `set` (0 at admission) from `start`, between `floor` and `ceiling`.
    static func total(start: Int, set: Int, trend: Trend, floor: Int, ceiling: Int, rng: inout SeededGenerator) -> Int {
        let jitter = rng.below(3) - 1
        let value: Int
        switch trend {
        case .improving: value = start - 3 * set + jitter
        case .flat: value = start + jitter
        case .worsening: value = start - 2 + 2 * set + jitter
        }
        return min(ceiling, max(floor, value))
    }

    /// PHQ-9 items: the total over items 1–8 and item 9 (self-harm) at 0.
    static func phq9(start: Int, set: Int, trend: Trend, rng: inout SeededGenerator) -> [Int] {
        spread(total(start: start, set: set, trend: trend, floor: 2, ceiling: 24, rng: &rng), items: 8, max: 3, rng: &rng) + [0]
    }

    /// GAD-7 items, three points below the PHQ-9 at the start.
    static func gad7(start: Int, set: Int, trend: Trend, rng: inout SeededGenerator) -> [Int] {
        spread(total(start: start - 3, set: set, trend: trend, floor: 1, ceiling: 21, rng: &rng), items: 7, max: 3, rng: &rng)
    }

    /// BAM items: some use at the start (none later unless worsening), risk falling and protection rising as care goes on.
    static func bam(set: Int, trend: Trend, rng: inout SeededGenerator) -> [Int] {
        let step = trend == .improving ? set : (trend == .flat ? min(set, 1) : -set)
        let usePoints = max(0, (set == 0 ? 2 : 0) + (trend == .worsening ? min(set, 3) : 0))
        let use = spread(min(usePoints, 6), items: 3, max: 2, rng: &rng)
        let risk = spread(min(20, max(3, 14 - 2 * step)), items: 6, max: 4, rng: &rng)
        let protective = spread(min(22, max(6, 10 + 2 * step)), items: 6, max: 4, rng: &rng)
        var items = Array(repeating: 0, count: 17)
        for (k, n) in [1, 2, 3, 8, 11, 15].enumerated() { items[n - 1] = risk[k] }
        for (k, n) in [9, 10, 12, 13, 14, 16].enumerated() { items[n - 1] = protective[k] }
        for (k, n) in [4, 5, 6].enumerated() { items[n - 1] = use[k] }
        items[6] = use[2] > 0 ? 1 : 0
        items[16] = min(4, max(0, 1 + step))
        return items
    }

    /// `items` scores from 0 to `max` adding up to `total` (clamped to what fits), spread with a little randomness.
    static func spread(_ total: Int, items: Int, max: Int, rng: inout SeededGenerator) -> [Int] {
        var scores = Array(repeating: 0, count: items)
        var left = Swift.min(Swift.max(0, total), items * max)
        var k = rng.below(items)
        while left > 0 {
            if scores[k] < max, rng.below(3) != 0 { scores[k] += 1; left -= 1 }
            k = (k + 1) % items
        }
        return scores
    }

    /// Six ratings whose standard-rule suggestion is `level`, two variants each.
    static func ratings(_ level: LevelOfCare, variant: Int) -> [Int] {
        switch (level, variant % 2) {
        case (.partialHospitalization, 0): [1, 2, 3, 2, 3, 2]
        case (.partialHospitalization, _): [2, 1, 3, 3, 2, 2]
        case (.intensiveOutpatient, 0): [1, 1, 2, 2, 3, 2]
        case (.intensiveOutpatient, _): [0, 1, 2, 3, 2, 1]
        case (_, 0): [0, 0, 1, 2, 1, 1]
        default: [0, 1, 1, 1, 2, 0]
        }
    }

    static let reasons = [
        "No withdrawal signs; last use over two weeks ago.",
        "Physical health stable; follows up with primary care.",
        "Low mood and poor sleep, no psychosis; see PHQ-9.",
        "Ambivalent about change; attends when reminded.",
        "Cravings in the evenings; short periods of abstinence before.",
        "Lives with a partner who drinks; some sober contacts.",
    ]

    /// One evaluation's text and ratings, unsigned (the caller signs it).
    static func evaluation(id: ItemID, day: Int, kind: EvaluationKind, level: LevelOfCare, patient: Patient, author: StaffID,
                           variant: Int) -> Evaluation {
        let substance = patient.diagnoses.first(where: \.isPrimary)?.description ?? patient.diagnoses.first?.description ?? "Alcohol use disorder"
        let scores = ratings(level, variant: variant)
        let decidedReason: String
        switch level {
        case .partialHospitalization: decidedReason = "Mood symptoms need daily structure; step down when stable."
        case .intensiveOutpatient: decidedReason = "Needs several groups a week while relapse risk is high; works days."
        case .outpatient, .aftercare: decidedReason = "Stable at home and work; weekly sessions are enough."
        }
        return Evaluation(
            id: id, date: LocalDate(dayNumber: day), kind: kind, author: author,
            presentingProblem: kind == .intake ? "Referred after increasing use and missed work; wants to cut down and keep the job."
                : "Review of progress in care: attendance steady, fewer cravings reported.",
            substances: [SubstanceUse(substance: substance, route: "oral", frequency: "most days", lastUse: LocalDate(dayNumber: day - 12 - variant % 20),
                                      ageOfFirstUse: 15 + variant % 9)],
            priorTreatment: variant % 3 == 0 ? "One detox stay, no aftercare." : "None.",
            medical: "No acute concerns; blood pressure followed by primary care.",
            psychiatric: "Depressed mood and anxiety; no history of hospitalization.",
            legal: patient.legal != nil ? "On supervision; reports to an officer monthly." : "None.",
            familySocial: "Lives with family; a sibling is supportive.",
            employmentSchool: variant % 2 == 0 ? "Works full time in a warehouse." : "Part-time retail work.",
            dimensions: zip(scores, reasons).map { DimensionRating(rating: $0, reason: $1) },
            decided: .level(level), decisionReason: decidedReason)
    }

    /// Local wall-clock instants in the program's zone, the offset taken at noon as the session history does.
    struct Clock {
        let zone: TimeZone
        var offsets: [Int: Int64] = [:]

        mutating func at(day: Int, minutes: Int) -> Timestamp {
            let offset: Int64
            if let cached = offsets[day] {
                offset = cached
            } else {
                let noon = Recurrence.instant(LocalDate(dayNumber: day), DemoClock.time(12 * 60), in: zone)
                offset = Int64(day) * 86_400 + 12 * 3_600 - Int64(noon.timeIntervalSince1970.rounded(.down))
                offsets[day] = offset
            }
            return Timestamp(seconds: Int64(day) * 86_400 + Int64(minutes) * 60 - offset)
        }
    }
}
