import CaseloadCore
import CaseloadUI
import Foundation
import Testing

@Suite struct RecordViewTests {
    let doc = UIFixtures.demo
    let today = Recurrence.local(UIFixtures.now, in: UIFixtures.zone).date

    /// A demo patient with a rich record: legal supervision, a controlled medication, consents, screens and a plan.
    func richPatient() throws -> Patient {
        try #require(doc.patients.first {
            $0.legal != nil && $0.medications.contains(where: { $0.controlled }) && !$0.consents.isEmpty
                && $0.drugScreens.count >= 2 && $0.treatmentPlan != nil && !$0.careHistory.isEmpty
        })
    }

    func day(_ offset: Int) -> LocalDate { today.adding(days: offset) }

    /// The lines of one section, heading excluded.
    func section(_ name: String, of lines: [RecordLine]) throws -> [RecordLine] {
        let start = try #require(lines.firstIndex { $0.section == name })
        let end = lines[(start + 1)...].firstIndex { $0.section != nil } ?? lines.count
        return Array(lines[(start + 1)..<end])
    }

    func sectionText(_ name: String, of lines: [RecordLine]) throws -> String {
        try section(name, of: lines).map(\.text).joined(separator: "\n")
    }

    func leadingSpaces(_ text: String) -> Int { text.prefix { $0 == " " }.count }

    @Test func everySectionHasItsHeadingInOrder() throws {
        let lines = recordLines(for: try richPatient(), in: doc, today: today, width: 80)
        #expect(lines.compactMap(\.section) == RecordSection.all)
        let starts = recordSectionStarts(lines)
        #expect(starts.count == RecordSection.all.count)
        #expect(starts.first == 0)
        #expect(starts.map { lines[$0].text } == RecordSection.all)
        #expect(lines[0].segments.allSatisfy { $0.role == .header && $0.bold })
    }

    @Test func tabJumpsBetweenSectionHeadings() throws {
        let lines = recordLines(for: try richPatient(), in: doc, today: today, width: 80)
        let starts = recordSectionStarts(lines)
        #expect(recordSectionJump(lines, from: 0, forward: true) == starts[1])
        #expect(recordSectionJump(lines, from: starts[1] + 1, forward: true) == starts[2])
        #expect(recordSectionJump(lines, from: starts[2], forward: false) == starts[1])
        #expect(recordSectionJump(lines, from: starts[2] + 1, forward: false) == starts[2])
        let last = try #require(starts.last)
        #expect(recordSectionJump(lines, from: last, forward: true) == last)
        #expect(recordSectionJump(lines, from: 0, forward: false) == 0)
    }

    @Test func identityShowsBothNamesAgeAndContacts() throws {
        var patient = try richPatient()
        patient.preferredName = "Mai"
        patient.legalName = "Nguyễn Thị Mai"
        patient.dateOfBirth = LocalDate(year: 1990, month: 12, day: 1)
        patient.emergencyContact = EmergencyContact(name: "Nguyễn Quốc Minh", relationship: "Father", phone: "630-555-0145")
        patient.email = nil
        let text = try sectionText(RecordSection.identity, of: recordLines(for: patient, in: doc, today: today, width: 80))
        #expect(text.contains("Preferred name      Mai"))
        #expect(text.contains("Legal name          Nguyễn Thị Mai"))
        // Born 1 Dec 1990: still 35 on 30 Nov 2026.
        #expect(text.contains("1990-12-01 (age 35)"))
        #expect(text.contains("Nguyễn Quốc Minh (Father) · 630-555-0145"))
        #expect(text.contains("Email               not recorded"))
        #expect(text.contains("MRN                 \(patient.mrn)"))
    }

    @Test func programShowsStatusPhaseHistoryAndClinician() throws {
        var patient = try richPatient()
        patient.status = .discharged(date: day(-3), reason: .completed)
        let lines = recordLines(for: patient, in: doc, today: today, width: 100)
        let text = try sectionText(RecordSection.program, of: lines)
        #expect(text.contains("discharged \(day(-3).iso) · completed the program"))
        for entry in patient.careHistory {
            let name = try #require(doc.program.phase(entry.phase)?.name)
            #expect(text.contains("\(entry.date.iso)  \(name)  \(entry.levelOfCare.label)"))
        }
        let clinician = try #require(patient.primaryClinician.flatMap { doc.staffMember($0) })
        #expect(text.contains("Primary clinician   \(clinician.name), \(clinician.credentials)"))
    }

    @Test func legalShowsTheOfficerOrNone() throws {
        var patient = try richPatient()
        patient.legal = LegalSupervision(kind: .drugCourt, officer: "Judge A. Whitfield", contact: "312-555-0199",
                                         reportingFrequency: "Every two weeks", mandatedMinutes: 5400, caseNumber: "2026-DC-0042")
        let text = try sectionText(RecordSection.legal, of: recordLines(for: patient, in: doc, today: today, width: 80))
        for expected in ["Drug court", "Judge A. Whitfield", "312-555-0199", "Every two weeks", "Mandated hours      90 h", "2026-DC-0042"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        patient.legal = nil
        let none = try sectionText(RecordSection.legal, of: recordLines(for: patient, in: doc, today: today, width: 80))
        #expect(none.contains("None"))
        #expect(!none.contains("Officer"))
    }

    @Test func primaryDiagnosisComesFirst() throws {
        var patient = try richPatient()
        patient.diagnoses = [Diagnosis(code: "F41.1", description: "Generalized anxiety disorder"),
                             Diagnosis(code: "F10.20", description: "Alcohol dependence, uncomplicated", isPrimary: true)]
        let lines = try section(RecordSection.diagnoses, of: recordLines(for: patient, in: doc, today: today, width: 80))
        #expect(lines.first?.text.contains("F10.20") == true)
        #expect(lines.first?.text.contains("Alcohol dependence, uncomplicated") == true)
        #expect(lines.dropFirst().first?.text.contains("F41.1") == true)
    }

    @Test func controlledMedicationIsFlaggedAndStoppedOnesDimmed() throws {
        var patient = try richPatient()
        let controlled = try #require(patient.medications.firstIndex(where: { $0.controlled }))
        patient.medications.append(Medication(id: "med_stopped", name: "Zolpidem", dose: "5 mg", schedule: "at bedtime", controlled: true,
                                              started: day(-60), stopped: day(-10)))
        let lines = try section(RecordSection.medications, of: recordLines(for: patient, in: doc, today: today, width: 120))
        let name = patient.medications[controlled].name
        let line = try #require(lines.first { $0.text.contains(name) })
        let flag = try #require(line.segments.first { $0.text.contains("⚑ controlled") })
        #expect(flag.role == .flag)
        let stopped = try #require(lines.first { $0.text.contains("Zolpidem") })
        #expect(stopped.text.contains("stopped \(day(-10).iso)"))
        #expect(stopped.segments.allSatisfy { $0.role == .dim || $0.text.allSatisfy(\.isWhitespace) })
        // Active medications come before stopped ones.
        let activeIndex = try #require(lines.firstIndex { $0.text.contains(name) })
        let stoppedIndex = try #require(lines.firstIndex { $0.text.contains("Zolpidem") })
        #expect(activeIndex < stoppedIndex)
    }

    @Test func screensAreNewestFirstWithPositivesListed() throws {
        var patient = try richPatient()
        func screen(_ id: String, _ offset: Int, _ results: [(String, ScreenOutcome)]) -> DrugScreen {
            DrugScreen(id: ItemID(id), date: day(offset), panel: "12-panel urine cup",
                       results: results.map { ScreenResult(substance: $0.0, result: $0.1) }, observed: offset == -3)
        }
        patient.drugScreens = [
            screen("s1", -20, [("THC", .negative), ("Cocaine", .negative)]),
            screen("s2", -3, [("THC", .positive), ("Cocaine", .positive), ("Opiates", .negative)]),
            screen("s3", -10, [("THC", .negative), ("Buprenorphine", .prescribed)]),
        ]
        let lines = try section(RecordSection.screens, of: recordLines(for: patient, in: doc, today: today, width: 100))
        let dated = lines.compactMap { line -> LocalDate? in
            LocalDate(iso: line.text.trimmingCharacters(in: .whitespaces).prefix(10))
        }
        #expect(dated == [day(-3), day(-10), day(-20)])
        let first = try #require(lines.first { $0.text.contains(day(-3).iso) })
        #expect(first.text.contains("observed"))
        #expect(first.text.contains("positive: THC, Cocaine"))
        #expect(first.segments.contains { $0.text.contains("positive") && $0.role == .statusError })
        #expect(lines.first { $0.text.contains(day(-20).iso) }?.text.contains("all negative") == true)
        let third = try #require(lines.first { $0.text.contains(day(-10).iso) })
        #expect(third.text.contains("prescribed: Buprenorphine"))
        #expect(!third.text.contains("all negative"))
    }

    @Test func demoScreensAreNewestFirst() throws {
        let patient = try richPatient()
        let lines = try section(RecordSection.screens, of: recordLines(for: patient, in: doc, today: today, width: 120))
        let dated = lines.compactMap { LocalDate(iso: $0.text.trimmingCharacters(in: .whitespaces).prefix(10)) }
        #expect(dated.count == patient.drugScreens.count)
        #expect(dated == patient.drugScreens.map(\.date).sorted(by: >))
    }

    @Test func consentsSayTheirStateOnToday() throws {
        var patient = try richPatient()
        func consent(_ id: String, _ recipient: String, signed: Int = -100, expires: Int? = nil, revoked: Int? = nil, irrevocable: Int? = nil) -> Consent {
            Consent(id: ItemID(id), recipient: recipient, purpose: "Coordination of care", information: "Attendance",
                    signed: day(signed), expires: expires.map(day), expiryEvent: expires == nil ? "Discharge" : nil,
                    revoked: revoked.map(day), irrevocableUntil: irrevocable.map(day))
        }
        patient.consents = [
            consent("c1", "Soon Recipient", expires: 10),
            consent("c2", "Old Recipient", expires: -1),
            consent("c3", "Revoked Recipient", expires: 300, revoked: -5),
            consent("c4", "Future Recipient", signed: 2, expires: 300),
            consent("c5", "Court Recipient", expires: 200, irrevocable: 90),
            consent("c6", "Edge Recipient", expires: 15),
        ]
        let lines = try section(RecordSection.consents, of: recordLines(for: patient, in: doc, today: today, width: 100))
        func head(_ recipient: String) throws -> String { try #require(lines.first { $0.text.contains(recipient) }).text }
        #expect(try head("Soon Recipient").hasSuffix("— expiring in 10 days"))
        #expect(try head("Old Recipient").hasSuffix("— expired \(day(-1).iso)"))
        #expect(try head("Revoked Recipient").hasSuffix("— revoked \(day(-5).iso)"))
        #expect(try head("Future Recipient").hasSuffix("— not yet signed"))
        #expect(try head("Court Recipient").hasSuffix("— active"))
        // Fifteen days away is not yet "expiring".
        #expect(try head("Edge Recipient").hasSuffix("— active"))
        let text = lines.map(\.text).joined(separator: "\n")
        #expect(text.contains("irrevocable until \(day(90).iso)"))
        #expect(text.contains("Purpose: Coordination of care"))
        #expect(text.contains("Information: Attendance"))
        #expect(text.components(separatedBy: "irrevocable until").count == 2)
    }

    @Test func planFlagsTheReviewAndIndentsByLevel() throws {
        var patient = try richPatient()
        var plan = try #require(patient.treatmentPlan)
        plan.reviewDate = day(-1)
        patient.treatmentPlan = plan
        var lines = try section(RecordSection.plan, of: recordLines(for: patient, in: doc, today: today, width: 120))
        let review = try #require(lines.first { $0.text.contains("Review") })
        #expect(review.segments.contains { $0.text.contains("⚑ review overdue") && $0.role == .flag })

        plan.reviewDate = day(5)
        patient.treatmentPlan = plan
        lines = try section(RecordSection.plan, of: recordLines(for: patient, in: doc, today: today, width: 120))
        #expect(lines.contains { $0.text.contains("review due in 5 days") })
        #expect(!lines.contains { $0.text.contains("overdue") })

        plan.reviewDate = day(30)
        patient.treatmentPlan = plan
        lines = try section(RecordSection.plan, of: recordLines(for: patient, in: doc, today: today, width: 120))
        #expect(!lines.contains { $0.text.contains("review due") || $0.text.contains("overdue") })

        let problem = try #require(plan.problems.first)
        let goal = try #require(problem.goals.first)
        let objective = try #require(goal.objectives.first)
        let intervention = try #require(objective.interventions.first)
        func indent(of prefix: String) throws -> Int {
            try leadingSpaces(#require(lines.first { $0.text.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }).text)
        }
        #expect(try indent(of: "Problem 1: " + problem.statement.prefix(20)) == 2)
        #expect(try indent(of: "Goal 1: " + goal.statement.prefix(20)) == 4)
        #expect(try indent(of: "Objective 1: " + objective.statement.prefix(20)) == 6)
        #expect(try indent(of: "target \(objective.targetDate.iso)") == 8)
        #expect(try indent(of: "• " + intervention.description.prefix(20)) == 8)
        let interventionLine = try #require(lines.first { $0.text.contains(intervention.description.prefix(20)) })
        #expect(interventionLine.text.contains(intervention.modality.label.prefix(5)))
    }

    @Test func emptySectionsSaySo() throws {
        var patient = try richPatient()
        patient.diagnoses = []; patient.medications = []; patient.drugScreens = []; patient.consents = []
        patient.treatmentPlan = nil; patient.legal = nil
        var empty = doc
        empty.series = []; empty.sessions = []
        let lines = recordLines(for: patient, in: empty, today: today, width: 80)
        #expect(try sectionText(RecordSection.diagnoses, of: lines).contains("No diagnoses recorded."))
        #expect(try sectionText(RecordSection.medications, of: lines).contains("No medications recorded."))
        #expect(try sectionText(RecordSection.screens, of: lines).contains("No drug screens recorded."))
        #expect(try sectionText(RecordSection.consents, of: lines).contains("No consents recorded."))
        #expect(try sectionText(RecordSection.plan, of: lines).contains("No treatment plan recorded."))
        #expect(try sectionText(RecordSection.attendance, of: lines).contains("No sessions scheduled in the last 4 weeks."))
    }

    @Test func attendanceTableHasOneRowPerWeekFromTheSummary() throws {
        let patient = try richPatient()
        let lines = try section(RecordSection.attendance, of: recordLines(for: patient, in: doc, today: today, width: 80))
        let week = Hours.week(containing: today, firstWeekday: doc.program.firstWeekday)
        let weeks = AttendanceSummary.weeks(for: patient, endingWith: week, count: 4, in: doc)
        #expect(weeks.last?.week.contains(today) == true)
        #expect(lines.first?.text.split(separator: " ") == ["week", "of", "sched", "att", "exc", "unexc", "hours"])
        let rows = lines.dropFirst().filter { !$0.text.isEmpty }.map { $0.text.split(separator: " ").map(String.init) }
        #expect(rows.count == 4)
        func h(_ minutes: Int) -> String { minutes % 60 == 0 ? "\(minutes / 60)" : String(format: "%.1f", Double(minutes) / 60) }
        for (row, w) in zip(rows, weeks) {
            let hours = w.requiredMinutes.map { "\(h(w.attendedMinutes))/\(h($0))" } ?? h(w.attendedMinutes)
            #expect(row == [w.week.first.iso, "\(w.scheduled)", "\(w.attended)", "\(w.excused)", "\(w.unexcused)", hours, "h"])
        }
        #expect(weeks.contains { $0.scheduled > 0 })
        // Narrow: one wrapped entry a week instead of the table, still every figure.
        let narrow = try section(RecordSection.attendance, of: recordLines(for: patient, in: doc, today: today, width: 30))
        let narrowText = narrow.map(\.text).joined(separator: " ")
        for w in weeks { #expect(narrowText.contains("\(w.week.first.iso): \(w.scheduled) sched")) }
    }

    static let renamed = "김민준 Nguyễn Zoë Ångström-Nakamura"
    static let referral = "Self-referred 🙂 after a friend's recommendation 👨‍👩‍👧‍👦 from the Ångström community centre 🏳️‍🌈 — 社区卫生服务中心转介, case worker 👩🏽‍⚕️ María-José Núñez-Østergaard; follow-up 📞📞📞 https://example.org/referrals/🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂/end"

    func renamedPatient() throws -> Patient {
        var patient = try richPatient()
        patient.legalName = Self.renamed
        patient.preferredName = "김민준"
        patient.referralSource = Self.referral
        patient.emergencyContact = EmergencyContact(name: "Ångström-Nakamura, Zoë 👩‍👧", relationship: "配偶者", phone: "+81 90-5555-0123")
        return patient
    }

    @Test func everyLineFitsItsWidthAtEveryWidth() throws {
        let renamed = try renamedPatient()
        for width in 30...120 {
            let lines = recordLines(for: renamed, in: doc, today: today, width: width)
            for line in lines {
                #expect(line.width <= width, "\(width): \(line.text)")
                #expect(TextWidth.of(line.text) == line.width)
            }
            // Nothing is lost: the referral source's characters all come back, in order.
            let referral = try section(RecordSection.identity, of: lines)
                .drop { !$0.text.contains("Referral source") }
                .prefix { !$0.text.isEmpty }
                .map(\.text).joined()
            let squeezed = referral.filter { !$0.isWhitespace }
            #expect(squeezed.contains(Self.referral.filter { !$0.isWhitespace }), "\(width)")
        }
        for patient in doc.patients {
            for width in stride(from: 30, through: 120, by: 15) {
                for line in recordLines(for: patient, in: doc, today: today, width: width) {
                    #expect(line.width <= width, "\(patient.id) at \(width): \(line.text)")
                }
            }
        }
    }

    @Test func longTextHangsUnderItsLabel() throws {
        let lines = recordLines(for: try renamedPatient(), in: doc, today: today, width: 60)
        let identity = try section(RecordSection.identity, of: lines)
        let start = try #require(identity.firstIndex { $0.text.hasPrefix("  Referral source") })
        let continuation = identity[(start + 1)...].prefix { !$0.text.isEmpty }
        #expect(continuation.count >= 2)
        for line in continuation { #expect(leadingSpaces(line.text) == 22, "\(line.text)") }
        #expect(identity.contains { $0.text == "  Legal name          " + Self.renamed })
    }

    @Test func wrappingBreaksAtSpacesAndKeepsWideCharactersWhole() {
        let lines = recordLines(for: Patient(id: "p", mrn: "M-1", legalName: "김민준김민준김민준김민준김민준김민준김민준김민준"), in: doc, today: today, width: 31)
        for line in lines { #expect(line.width <= 31) }
        let legal = lines.drop { !$0.text.contains("Legal name") }.prefix { !$0.text.contains("Pronouns") }.map(\.text)
        // "  Legal name: " is 14 cells: 8 syllables (16 cells) fit beside it in 31; the rest hang under it, broken between syllables.
        #expect(legal.first == "  Legal name: 김민준김민준김민")
        #expect(legal.count == 3)
        #expect(legal.dropFirst().allSatisfy { $0.hasPrefix("    ") && !$0.hasPrefix("     ") })
        #expect(legal.joined().replacingOccurrences(of: " ", with: "") == "LegalName:".replacingOccurrences(of: "N", with: "n") + String(repeating: "김민준", count: 8))
    }

    @Test func drawRecordNeverCrashesAndShowsThePosition() throws {
        let patient = try richPatient()
        for width in [0, 1, 2, 3, 4, 5, 8, 12, 20, 40, 80, 120] {
            for height in [0, 1, 2, 3, 4, 5, 10, 24, 40] {
                let rect = Rect(x: 0, y: 0, width: width, height: height)
                let lines = recordLines(for: patient, in: doc, today: today, width: recordTextWidth(for: rect))
                for scroll in [-5, 0, 17, 10_000] {
                    var canvas = Canvas(width: 120, height: 40)
                    drawRecord(&canvas, rect: rect, title: "Record · \(Self.renamed)", lines: lines, scroll: scroll)
                    if width >= 12 && height >= 2 {
                        #expect(canvas.lines[height - 1].contains("\(lines.count)"), "\(width)×\(height)")
                    }
                    if width >= 2 && height >= 3 {
                        // Text never runs over the right border.
                        for y in 1..<(height - 1) { #expect(canvas[width - 1, y].text == "│", "\(width)×\(height) row \(y)") }
                    }
                }
                // Off the canvas, partly or wholly.
                var canvas = Canvas(width: 30, height: 10)
                drawRecord(&canvas, rect: Rect(x: 20, y: 5, width: width, height: height), title: "R", lines: lines, scroll: 3)
                drawRecord(&canvas, rect: Rect(x: -7, y: -3, width: width, height: height), title: "R", lines: lines, scroll: 3)
            }
        }
    }

    @Test func drawRecordShowsTheLinesFromScroll() throws {
        let patient = try richPatient()
        let rect = Rect(x: 0, y: 0, width: 80, height: 24)
        let lines = recordLines(for: patient, in: doc, today: today, width: recordTextWidth(for: rect))
        #expect(lines.count > 40)
        var canvas = Canvas(width: 80, height: 24)
        drawRecord(&canvas, rect: rect, title: "Record · \(patient.displayName)", lines: lines, scroll: 11)
        #expect(canvas.lines[0].hasPrefix("┌ Record · \(patient.displayName) "))
        #expect(canvas.lines[23].hasSuffix(" 12–33 of \(lines.count) ─┘"))
        #expect(canvas.lines[1] == "│ " + lines[11].text + String(repeating: " ", count: 76 - lines[11].width) + " │")
        #expect(canvas[0, 1].role == .overlayBorder)
        // Scrolling past the end shows the last screenful.
        drawRecord(&canvas, rect: rect, title: "Record", lines: lines, scroll: 10_000)
        #expect(canvas.lines[23].hasSuffix(" \(lines.count - 21)–\(lines.count) of \(lines.count) ─┘"))
        // Headings use the overlay title role; plain text the overlay role.
        drawRecord(&canvas, rect: rect, title: "Record", lines: lines, scroll: 0)
        #expect(canvas.lines[1].hasPrefix("│ Identity & contacts"))
        #expect(canvas[2, 1].role == .overlayTitle)
        #expect(canvas[4, 2].role == .dim)
        #expect(canvas[24, 2].role == .overlay)
        #expect(canvas.lines[23].hasSuffix(" 1–22 of \(lines.count) ─┘"))
    }
}
