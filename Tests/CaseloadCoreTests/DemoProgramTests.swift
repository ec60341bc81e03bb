import CaseloadCore
import CaseloadDemo
import Foundation
import Testing

@Suite struct DemoProgramTests {
    static let zone = TimeZone(identifier: "America/Chicago") ?? .gmt
    static let nowText = "2026-11-30T18:05"
    static let now = ClockSetting.parse(nowText, zone: zone) ?? Date(timeIntervalSince1970: 0)
    static let small = DemoProgram.generate(seed: 42, size: .small, now: now)
    /// Generated once for every large test, timed.
    static let large: (doc: CaseloadDocument, seconds: Double) = {
        let clock = ContinuousClock()
        let start = clock.now
        let doc = DemoProgram.generate(seed: 42, size: .large, now: now)
        let elapsed = start.duration(to: clock.now).components
        return (doc, Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
    }()

    /// The large program's last year.
    static let medium = DemoProgram.generate(seed: 42, size: .medium, now: now)

    static func charted(_ size: DemoSize) -> CaseloadDocument { size == .medium ? medium : large.doc }

    static var today: LocalDate { Recurrence.local(now, in: zone).date }

    static func marks(_ doc: CaseloadDocument) -> Int { doc.sessions.reduce(0) { $0 + $1.attendance.count } }

    static func issues(_ doc: CaseloadDocument) -> [ValidationIssue] {
        let issues = Validator.check(doc)
        for issue in issues.prefix(10) { print("validation issue: \(issue)") }
        return issues
    }

    /// Marks that name someone who is not a member of that occurrence.
    static func strayMarks(_ doc: CaseloadDocument) -> [String] {
        let seriesByID = Dictionary(doc.series.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var stray: [String] = []
        for session in doc.sessions {
            let members = Set(session.members(series: session.series.flatMap { seriesByID[$0] }))
            for mark in session.attendance where !members.contains(mark.patient) { stray.append("\(session.id) \(mark.patient)") }
            for note in session.memberNotes where !members.contains(note.patient) { stray.append("\(session.id) note \(note.patient)") }
        }
        return stray
    }

    /// Stored sessions that end after `now`.
    static func futureSessions(_ doc: CaseloadDocument) -> [SessionID] {
        doc.sessions.filter { s in
            Recurrence.instant(s.date, s.start, in: zone).addingTimeInterval(TimeInterval(s.durationMinutes * 60)) > now
        }.map(\.id)
    }

    @Test func seededGeneratorIsSplitMix64() {
        // The published SplitMix64 sequence for seed 1234567: the same on every platform and Swift version.
        var rng = SeededGenerator(seed: 1_234_567)
        #expect([rng.next(), rng.next(), rng.next()] == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
    }

    @Test func fixedClockParses() throws {
        let parsed = try #require(ClockSetting.parse(Self.nowText, zone: Self.zone))
        #expect(parsed == Self.now)
        #expect(Self.today.iso == "2026-11-30")
    }

    // MARK: Small

    @Test func smallIsValid() {
        #expect(Self.issues(Self.small).isEmpty)
        print(Self.small.summary)
    }

    @Test func smallHasAboutThirtyActivePatientsThreeStaffAndFiveSeries() {
        let doc = Self.small
        let active = doc.patients.filter { $0.status == .active }.count
        #expect((28...32).contains(active))
        #expect((34...45).contains(doc.patients.count))
        for kind in ["discharged", "waitlist", "referred", "onHold"] {
            #expect(doc.patients.contains { $0.status.kind == kind }, "no patient is \(kind)")
        }
        #expect(doc.staff.count == 3)
        #expect(Set(doc.staff.map(\.login)).count == 3)
        #expect(doc.staff.allSatisfy { $0.login == $0.login.lowercased() && !$0.credentials.isEmpty })
        #expect(doc.series.count == 5)
        #expect(doc.program.name == "Riverside Recovery IOP")
        #expect(doc.program.timeZone == "America/Chicago")
        #expect(doc.program.defaultNoteFormat == .dap)
        #expect(doc.program.redisclosureNotice.contains(Program.shortRedisclosureNotice))
        #expect(doc.program.rooms.map(\.name) == ["Room 1", "Room 2", "Group Hall", "Office A"])
    }

    @Test func smallPatientsAreSpreadOverThePhases() {
        let doc = Self.small
        let today = Self.today
        var byPhase: [PhaseID: Int] = [:]
        for p in doc.patients where p.status == .active {
            guard let care = p.care(on: today) else { Issue.record("\(p.id) is active without a phase"); continue }
            byPhase[care.phase, default: 0] += 1
        }
        for phase in doc.program.phases { #expect((byPhase[phase.id] ?? 0) >= 4, "few patients in \(phase.name)") }
        #expect(doc.patients.contains { $0.careHistory.count >= 3 })
    }

    @Test func smallRecordsTwelveWeeksBeforeNowAndNothingAfter() throws {
        let doc = Self.small
        let today = Self.today
        let first = try #require(doc.sessions.map(\.date).min())
        let last = try #require(doc.sessions.map(\.date).max())
        #expect(first >= today.adding(days: -84) && first <= today.adding(days: -78))
        #expect(last <= today)
        let weeks = Set(doc.sessions.map { $0.date.startOfWeek(firstWeekday: .mon) })
        #expect(weeks.count >= 12)
        #expect(Self.futureSessions(doc).isEmpty)
        #expect(doc.sessions.contains { $0.series == nil && $0.kind == .individual })
    }

    @Test func smallAttendanceOnlyNamesMembersOfTheOccurrence() {
        #expect(Self.strayMarks(Self.small).isEmpty)
    }

    @Test func smallAttendanceUsesEveryStatusAndSomeSessionsAreCancelled() {
        let doc = Self.small
        let kinds = Set(doc.sessions.flatMap { $0.attendance.map(\.status.kind) })
        #expect(kinds == ["present", "late", "leftEarly", "excused", "absent"])
        let present = doc.sessions.reduce(0) { $0 + $1.attendance.filter { $0.status == .present }.count }
        #expect(present * 10 > Self.marks(doc) * 7, "mostly present")
        #expect(doc.sessions.contains { $0.status.kind == "cancelled" })
        #expect(doc.sessions.allSatisfy { $0.status.countsForAttendance || $0.attendance.isEmpty })
    }

    @Test func smallNotesAreMostlySignedWithADraftAndAnAddendum() {
        let doc = Self.small
        let groupNotes = doc.sessions.compactMap(\.groupNote)
        let memberNotes = doc.sessions.flatMap(\.memberNotes)
        #expect(groupNotes.count > 50)
        #expect(memberNotes.count > 500)
        let signedGroup = groupNotes.filter(\.isSigned).count
        let signedMember = memberNotes.filter(\.isSigned).count
        #expect(signedGroup * 10 > groupNotes.count * 8)
        #expect(signedMember * 10 > memberNotes.count * 8)
        #expect(memberNotes.contains { !$0.isSigned } || groupNotes.contains { !$0.isSigned })
        #expect(memberNotes.filter { !$0.addenda.isEmpty }.count >= 1)
        #expect(memberNotes.allSatisfy { $0.format == .dap && $0.sections.map(\.heading) == ["Data", "Assessment", "Plan"] && $0.hasContent })
        for session in doc.sessions {
            guard let sig = session.groupNote?.signature else { continue }
            #expect(sig.by == session.facilitator)
            let end = Recurrence.instant(session.date, session.start, in: Self.zone).addingTimeInterval(TimeInterval(session.durationMinutes * 60))
            #expect(sig.at.date > end.addingTimeInterval(6 * 3600) && sig.at.date <= Self.now)
        }
    }

    @Test func smallHasProbationClientsWithConsentsNamingTheirOfficer() {
        let doc = Self.small
        let today = Self.today
        let legal = doc.patients.filter { $0.legal != nil }
        #expect(legal.count >= 3)
        #expect(Set(legal.compactMap { $0.legal?.kind }).count >= 2)
        for p in legal {
            guard let officer = p.legal?.officer else { continue }
            #expect(p.consents.contains { $0.recipient.contains(officer) }, "\(p.id) has no consent naming \(officer)")
        }
        let consents = legal.flatMap(\.consents)
        #expect(consents.contains { $0.isValid(on: today) && ($0.expires.map { today.days(until: $0) <= 14 } ?? false) })
        #expect(consents.contains { $0.revoked != nil })
        for p in legal where p.status == .active {
            guard let officer = p.legal?.officer else { continue }
            #expect(p.consents.contains { $0.recipient.contains(officer) && $0.isValid(on: today) })
        }
    }

    @Test func smallNamesUseSeveralScripts() {
        let names = Self.small.patients.flatMap { [$0.legalName, $0.preferredName ?? ""] }
        func uses(_ range: ClosedRange<UInt32>) -> Bool {
            names.contains { $0.unicodeScalars.contains { range.contains($0.value) } }
        }
        #expect(uses(0x0400...0x04FF), "Cyrillic")
        #expect(uses(0xAC00...0xD7AF), "Hangul")
        #expect(uses(0x4E00...0x9FFF), "Han")
        #expect(uses(0x0600...0x06FF), "Arabic")
        #expect(names.contains("Nguyễn Thị Mai"))
        #expect(names.contains("Siobhán Ní Bhriain"))
        #expect(Self.small.patients.contains { $0.preferredName != nil })
    }

    @Test func smallRecordsAreComplete() {
        let doc = Self.small
        let today = Self.today
        #expect(Set(doc.patients.map(\.mrn)).count == doc.patients.count)
        for p in doc.patients {
            #expect(p.mrn.hasPrefix("RV-"))
            #expect(p.phone.map { $0.contains("-555-01") } ?? false)
            #expect(p.email.map { $0.hasSuffix("@example.org") } ?? true)
            #expect(p.emergencyContact.map { $0.phone.contains("-555-01") } ?? true)
            if let dob = p.dateOfBirth {
                let age = today.year - dob.year
                #expect((19...70).contains(age))
            }
            #expect(p.diagnoses.allSatisfy { Diagnosis.isWellFormed($0.code) })
        }
        let admitted = doc.patients.filter { $0.admissionDate != nil }
        #expect(admitted.allSatisfy { $0.treatmentPlan != nil && !$0.drugScreens.isEmpty })
        let meds = doc.patients.flatMap(\.medications)
        #expect(meds.contains { $0.controlled })
        #expect(meds.contains { !$0.controlled })
        let screens = doc.patients.flatMap(\.drugScreens)
        #expect(screens.contains { $0.anyPositive })
        #expect(screens.contains { $0.observed })
        #expect(screens.filter(\.anyPositive).count * 5 < screens.count)
        let plans = doc.patients.compactMap(\.treatmentPlan)
        #expect(plans.contains { $0.reviewDate < today } && plans.contains { $0.reviewDate >= today })
        let modalities = Set(plans.flatMap { $0.problems.flatMap { $0.goals.flatMap { $0.objectives.flatMap { $0.interventions.map(\.modality) } } } })
        #expect(modalities.isSuperset(of: [.cbt, .emdr, .rebt, .motivationalInterviewing]))
    }

    // MARK: Determinism

    @Test func sameInputsGiveTheSameDocument() {
        let again = DemoProgram.generate(seed: 42, size: .small, now: Self.now)
        #expect(again == Self.small)
    }

    @Test func anotherSeedGivesAnotherDocument() {
        let other = DemoProgram.generate(seed: 7, size: .small, now: Self.now)
        #expect(other != Self.small)
        #expect(other.patients.map(\.legalName) != Self.small.patients.map(\.legalName))
        #expect(Self.issues(other).isEmpty)
    }

    // MARK: Large

    @Test func largeIsValidAndBigEnoughForBenchmarks() throws {
        let (doc, seconds) = Self.large
        print("large generated in \(seconds) s: \(doc.summary)")
        #expect(Self.issues(doc).isEmpty)
        #expect(Self.marks(doc) > 100_000)
        #expect((250...400).contains(doc.patients.count))
        #expect((10...14).contains(doc.series.count))
        #expect(doc.series.contains { $0.endDate != nil })
        let first = try #require(doc.sessions.map(\.date).min())
        #expect(first.days(until: Self.today) >= 5 * 365)
        #expect(Self.futureSessions(doc).isEmpty)
    }

    @Test func largeAttendanceOnlyNamesMembersOfTheOccurrence() {
        #expect(Self.strayMarks(Self.large.doc).isEmpty)
    }

    /// Charting as programs chart: a held group has its group note and one note per member who came (present, late or
    /// left early) and none for those who did not; a held one-to-one has a note for its patient, whether they came or not.
    @Test(arguments: [DemoSize.large, .medium]) func chartsEveryHeldSessionLikeAProgram(size: DemoSize) {
        let doc = Self.charted(size)
        var groups = 0, individual = 0
        for session in doc.sessions where session.status == .held {
            let attended = Set(session.attendance.filter { $0.status.attended }.map(\.patient))
            let noted = session.memberNotes.map(\.patient)
            #expect(noted.count == Set(noted).count, "\(session.id) has two notes for one patient")
            if session.kind == .group {
                groups += 1
                #expect(session.groupNote?.hasContent == true, "\(session.id) has no group note")
                #expect(Set(noted) == attended, "\(session.id): notes for \(noted.count), attended \(attended.count)")
            } else {
                individual += 1
                #expect(session.groupNote == nil)
                #expect(Set(noted) == Set(session.attendance.map(\.patient)) && noted.count == 1, "\(session.id) has no note")
            }
        }
        // About 800 held groups and 10,000 one-to-ones a year.
        let years = size == .large ? 5 : 1
        #expect(groups > 600 * years && individual > 6_000 * years, "held groups \(groups), one-to-ones \(individual)")
    }

    /// Every note of a session more than three days old (today counts as one) is signed; some of the newest are drafts.
    @Test(arguments: [DemoSize.large, .medium]) func leavesOnlyTheLastThreeDaysUnsigned(size: DemoSize) {
        let doc = Self.charted(size)
        let firstDraftDay = Self.today.adding(days: -2)
        var unsignedOld: [String] = []
        var unsignedRecent = 0
        for session in doc.sessions {
            let unsigned = session.memberNotes.filter { !$0.isSigned }.count + (session.groupNote.map { $0.isSigned ? 0 : 1 } ?? 0)
            if session.date < firstDraftDay {
                if unsigned > 0 { unsignedOld.append("\(session.id) \(session.date.iso)") }
            } else {
                unsignedRecent += unsigned
            }
        }
        #expect(unsignedOld.isEmpty, "unsigned before \(firstDraftDay.iso): \(unsignedOld.prefix(5))")
        #expect(unsignedRecent > 0, "no draft in the last three days")
    }

    /// Member notes read like charted DAP notes: the three headings, and 300 to 900 characters for most of them.
    @Test func largeMemberNotesHaveRealisticLength() {
        let notes = Self.large.doc.sessions.flatMap(\.memberNotes)
        let lengths = notes.map { $0.sections.reduce(0) { $0 + $1.text.count } }
        #expect(notes.allSatisfy { $0.sections.map(\.heading) == ["Data", "Assessment", "Plan"] })
        let inRange = lengths.filter { (300...900).contains($0) }.count
        #expect(inRange * 10 >= notes.count * 9, "\(inRange) of \(notes.count) member notes are 300–900 characters")
        let narratives = Self.large.doc.sessions.compactMap(\.groupNote?.narrative)
        #expect(narratives.allSatisfy { $0.count >= 300 }, "a group narrative is under 300 characters")
        #expect(Set(narratives).count * 2 > narratives.count, "group narratives repeat too often")
    }

    @Test func mediumIsTheLargeProgramOverOneYear() throws {
        let doc = Self.medium
        print("medium: \(doc.summary)")
        #expect(Self.issues(doc).isEmpty)
        #expect(Self.strayMarks(doc).isEmpty)
        #expect(Self.futureSessions(doc).isEmpty)
        #expect(doc.series.map(\.id) == Self.large.doc.series.map(\.id))
        #expect(doc.staff.count == Self.large.doc.staff.count)
        let first = try #require(doc.sessions.map(\.date).min())
        // From the Monday on or before 372 days ago (a year and a week).
        #expect((372...378).contains(first.days(until: Self.today)))
    }

    @Test func largeKeepsRoughlySixtyToNinetyInCareAndAdmitsMostWeeks() {
        let doc = Self.large.doc
        let today = Self.today
        var counts: [Int] = []
        for weeksBack in stride(from: 0, through: 260, by: 13) {
            let day = today.adding(days: -weeksBack * 7)
            let inCare = doc.patients.filter { p in
                guard let care = p.care(on: day), care.date <= day else { return false }
                if case .discharged(let date, _) = p.status { return day < date }
                if p.status == .onHold { return false }
                return true
            }.count
            counts.append(inCare)
        }
        #expect(counts.allSatisfy { (55...100).contains($0) }, "in care every 13 weeks, newest first: \(counts)")
        let admissions = Set(doc.patients.compactMap { $0.admissionDate?.startOfWeek(firstWeekday: .mon) })
        #expect(admissions.count > 200)
    }
}

