import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// Issue 14: Caseload's own reader and writer against Foundation's Codable (`ReferenceCodec`), the reference they replace.
@Suite struct OwnCodecTests {
    static let now = ClockSetting.parse("2026-11-30T18:05", zone: TimeZone(identifier: "America/Chicago") ?? .current) ?? Date()

    /// Decodes with the reader alone (no envelope rules, no validation), as Foundation's decoder is used here.
    static func read(_ data: Data) throws -> ReadOutcome {
        try data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let base = bytes.baseAddress else { throw ReadFailure.syntax(offset: 0, message: "empty") }
            return try DocumentReader.read(base, count: bytes.count)
        }
    }

    /// Both codecs on one document: the same bytes out, and the same document back in from them.
    func expectSameAsReference(_ doc: CaseloadDocument, _ label: String) throws {
        let reference = try ReferenceCodec.encode(doc)
        let own = try DocumentCodec.encode(doc)
        #expect(own.count == reference.count, "\(label): \(own.count) bytes, the reference \(reference.count)")
        if own != reference {
            let first = Array(zip(own, reference)).firstIndex { $0 != $1 } ?? min(own.count, reference.count)
            Issue.record("\(label): first difference at byte \(first): \(String(decoding: own.dropFirst(max(0, first - 60)).prefix(120), as: UTF8.self))")
        }
        let ours = try #require(try Self.read(reference).document)
        let theirs = try ReferenceCodec.decode(reference)
        #expect(ours == theirs, "\(label): the reader's document differs from Foundation's")
        #expect(ours == doc, "\(label): the document read back differs from the one written")
    }

    @Test func theSmallDemoIsWrittenByteForByteAsFoundationWritesItAndReadsBackEqual() throws {
        try expectSameAsReference(DemoProgram.generate(seed: 7, size: .small, now: Self.now), "small demo")
    }

    @Test func theLargeDemoIsWrittenByteForByteAsFoundationWritesItAndReadsBackEqual() throws {
        let doc = DemoProgram.generate(seed: 1, size: .large, now: Self.now)
        try expectSameAsReference(doc, "large demo")
        // The store's own path too: decode (with validation) then encode gives the reference bytes again.
        let reference = try ReferenceCodec.encode(doc)
        let decoded = try DocumentCodec.decode(reference, path: "large.json")
        #expect(try DocumentCodec.encode(decoded.document) == reference)
    }

    /// A document with every optional field present, every status kind, and texts that need escaping.
    static func everything() -> CaseloadDocument {
        var doc = DrillDocument.state(8)
        let tricky = "quote \" backslash \\ slash / tab \t newline \n return \r bell \u{07} nul \u{00} del \u{7F} c1 \u{85} é 김 😀 \u{2028} end"
        doc.program.name = tricky
        doc.program.rooms.append(Room(id: "r-cap", name: "With capacity", capacity: 12))
        doc.program.clinical = ClinicalSettings(evaluationReviewDays: 60, coSignatureAlertDays: 3, measureEveryDays: 14)
        doc.staff.append(Staff(id: "stf_assoc", name: "Associate", credentials: "ACADC", role: .clinician, login: "assoc",
                               supervisor: doc.staff[0].id, needsCoSignature: true))
        var p = doc.patients[0]
        p.preferredName = tricky; p.pronouns = "they/them"; p.dateOfBirth = LocalDate(year: 1990, month: 2, day: 28)
        p.phone = "555-0100"; p.email = "a@example.org"; p.referralSource = "court"; p.primaryClinician = "stf_1"; p.track = "evening"
        p.emergencyContact = EmergencyContact(name: "Kim", relationship: "sister", phone: "555-0101")
        p.expectedDischarge = LocalDate(year: 2027, month: 1, day: 31)
        p.careHistory.append(CareEntry(date: LocalDate(year: 2026, month: 3, day: 1) ?? p.careHistory[0].date, levelOfCare: .outpatient, phase: "ph1", note: "stepped down\nwell"))
        p.diagnoses = [Diagnosis(code: "F10.20", description: "Alcohol use disorder, severe", isPrimary: true)]
        p.medications = [Medication(id: "m1", name: "Naltrexone", dose: "50 mg", schedule: "daily", prescriber: "Dr. A", controlled: true,
                                    started: LocalDate(year: 2026, month: 1, day: 2), stopped: LocalDate(year: 2026, month: 6, day: 2))]
        p.drugScreens = [DrugScreen(id: "d1", date: LocalDate(year: 2026, month: 2, day: 2) ?? p.careHistory[0].date, panel: "12-panel",
                                    results: [ScreenResult(substance: "THC", result: .positive), ScreenResult(substance: "OPI", result: .prescribed)], observed: true)]
        p.consents = [Consent(id: "c1", recipient: "Officer R.", purpose: "probation", information: "attendance", signed: LocalDate(year: 2026, month: 1, day: 5) ?? p.careHistory[0].date,
                              expires: LocalDate(year: 2027, month: 1, day: 5), expiryEvent: "end of probation", revoked: LocalDate(year: 2026, month: 12, day: 1),
                              irrevocableUntil: LocalDate(year: 2026, month: 6, day: 1))]
        p.legal = LegalSupervision(kind: .drugCourt, officer: "R.", contact: "555-0102", reportingFrequency: "weekly", mandatedMinutes: 5400, caseNumber: "DC-1")
        let day = LocalDate(year: 2026, month: 1, day: 5) ?? p.careHistory[0].date
        p.treatmentPlan = TreatmentPlan(created: day, reviewDate: day.adding(days: 90), problems: [
            PlanProblem(id: "pr1", statement: "Drinking\ndaily", goals: [
                PlanGoal(id: "g1", statement: "Abstain", objectives: [
                    PlanObjective(id: "o1", statement: "Attend", targetDate: day.adding(days: 30), achieved: day.adding(days: 20), interventions: [
                        PlanIntervention(id: "i1", description: "CBT", modality: .cbt, frequency: "weekly", responsible: "stf_1"),
                        PlanIntervention(id: "i2", description: "Group", modality: .process),
                    ]),
                ]),
            ]),
        ])
        p.disclosures = [Disclosure(id: "x1", recipient: "Officer R.", date: day, from: day, to: day.adding(days: 6), consent: "c1", what: "letter", by: "stf_1")]
        p.reportedAbsences = [ReportedAbsence(session: "ses_x", date: day, reportedOn: day.adding(days: 1), by: "stf_1", note: "phoned\nvoicemail")]
        p.status = .discharged(date: day.adding(days: 100), reason: .againstAdvice)
        doc.patients[0] = p
        var series = Series(id: "ser_all", title: "Evening group", kind: .group, weekdays: [.mon, .wed, .thu], start: LocalTime(clamping: 18 * 60),
                            durationMinutes: 180, startDate: day)
        series.endDate = day.adding(days: 365); series.modality = .dbt; series.facilitator = "stf_1"; series.room = "r1"
        series.roster.append(RosterEntry(patient: p.id, joined: day, left: day.adding(days: 50)))
        doc.series.append(series)
        let mark: [AttendanceMark] = [
            AttendanceMark(patient: p.id, status: .late(minutesLate: 15)),
            AttendanceMark(patient: "pat_b", status: .leftEarly(minutesAttended: 0)),
            AttendanceMark(patient: "pat_c", status: .excused(reason: tricky)),
            AttendanceMark(patient: "pat_d", status: .absent),
            AttendanceMark(patient: "pat_e", status: .present),
        ]
        var group = GroupNote(stored: "Topic", modality: .rebt, narrative: tricky, author: "stf_1", updated: Timestamp(seconds: 1_790_000_000),
                              signature: Signature(by: "stf_1", at: Timestamp(seconds: 1_790_000_100)),
                              addenda: [Addendum(by: "stf_1", at: Timestamp(seconds: 1_790_000_200), text: "later\nmore")])
        group.topic = "Coping"
        let member = MemberNote(stored: p.id, format: .soap, sections: [NoteSection(heading: "S", text: tricky)], author: "stf_1",
                                updated: Timestamp(seconds: 0),
                                signature: Signature(by: "stf_1", at: Timestamp(seconds: -86_401), needsCoSignature: true,
                                                     coSignature: CoSignature(by: "stf_2", at: Timestamp(seconds: -80_000))), addenda: [])
        doc.sessions.append(Session(stored: "ses_all", series: series.id, occurrenceDate: day, date: day.adding(days: 1), start: LocalTime(clamping: 0),
                                    durationMinutes: -5, title: tricky, kind: .family, modality: .emdr, room: "r1", facilitator: "stf_1",
                                    status: .cancelled(reason: "snow"), added: ["pat_b", "pat_c"], removed: ["pat_z"], attendance: mark,
                                    groupNote: group, memberNotes: [member, MemberNote(patient: "pat_b", format: .birp)]))
        doc.sessions.append(Session(id: "ses_dntp", date: day, start: LocalTime(clamping: 1439), durationMinutes: 60, title: "", kind: .individual,
                                    status: .didNotTakePlace(reason: "ill")))
        return doc
    }

    @Test func everyFieldEveryStatusAndEveryEscapeIsWrittenAndReadAsFoundationDoes() throws {
        let doc = Self.everything()
        #expect(doc.staff.contains { $0.needsCoSignature && $0.supervisor != nil }, "the co-signature fields are exercised")
        try expectSameAsReference(doc, "every field")
    }

    @Test func eachEntityEncodedAloneIsExactlyItsRangeInTheWholeFile() throws {
        let doc = Self.everything()
        let data = try DocumentCodec.encode(doc)
        let ranges = try #require(try Self.read(data).ranges)
        let bytes = [UInt8](data)
        // Compared as a Bool: a failure names the entity, not thousands of bytes.
        func same(_ r: Range<Int>, _ entity: DocumentEntity) -> Bool { Array(bytes[r]) == DocumentCodec.encode(entity) }
        #expect(same(ranges.program, .program(doc.program)))
        #expect(ranges.staff.count == doc.staff.count && ranges.patients.count == doc.patients.count)
        #expect(ranges.series.count == doc.series.count && ranges.sessions.count == doc.sessions.count)
        for (k, (r, s)) in zip(ranges.staff, doc.staff).enumerated() { #expect(same(r, .staff(s)), "staff[\(k)]") }
        for (k, (r, p)) in zip(ranges.patients, doc.patients).enumerated() { #expect(same(r, .patient(p)), "patients[\(k)]") }
        for (k, (r, s)) in zip(ranges.series, doc.series).enumerated() { #expect(same(r, .series(s)), "series[\(k)]") }
        for (k, (r, s)) in zip(ranges.sessions, doc.sessions).enumerated() { #expect(same(r, .session(s)), "sessions[\(k)]") }
        // Each range is one object: it opens and closes with braces.
        #expect(ranges.sessions.allSatisfy { bytes[$0.lowerBound] == UInt8(ascii: "{") && bytes[$0.upperBound - 1] == UInt8(ascii: "}") })
    }

    @Test func theFixturesReadAsFoundationReadsThem() throws {
        // The version-0 fixture: migrated (through JSONSerialization), then read by the reader; Foundation reads the same migrated bytes.
        let url = try #require(Bundle.module.url(forResource: "v0-riverside", withExtension: "json", subdirectory: "Fixtures"))
        let data = try Data(contentsOf: url)
        let migrated = try Migrations.migrate(data, from: 0, path: url.path)
        #expect(try DocumentCodec.decode(data, path: url.path).document == (try ReferenceCodec.decode(migrated)))
        // FORMAT.md's complete example.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/FORMAT.md"), encoding: .utf8)
        let section = try #require(text.range(of: "## Complete example"))
        let open = try #require(text[section.upperBound...].range(of: "```json\n"))
        let close = try #require(text[open.upperBound...].range(of: "\n```"))
        let example = Data((String(text[open.upperBound..<close.lowerBound]) + "\n").utf8)
        #expect(try DocumentCodec.decode(example, path: "FORMAT.md").document == (try ReferenceCodec.decode(example)))
    }

    @Test func aFieldReadOnlyForAnotherStatusIsIgnoredAsFoundationIgnoresIt() throws {
        // "minutesLate" means nothing to a present mark: Foundation never read it, so a wrong type there is no error.
        let doc = DemoProgram.generate(seed: 7, size: .small, now: Self.now)
        let session = try #require(doc.sessions.firstIndex { $0.attendance.first?.status == .present })
        let patient = doc.sessions[session].attendance[0].patient
        let text = String(decoding: try DocumentCodec.encode(doc), as: UTF8.self)
        // A mark's keys are at level 5 (ten spaces): top level, sessions, a session, attendance, the mark.
        let indent = String(repeating: " ", count: 10)
        let mark = "\"patient\" : \"\(patient)\",\n\(indent)\"status\" : \"present\""
        let range = try #require(text.range(of: mark))
        let planted = text.replacingCharacters(in: range, with: "\"minutesLate\" : \"soon\",\n\(indent)" + mark)
        #expect(try DocumentCodec.decode(Data(planted.utf8), path: "x.json").document == doc)
        #expect(try ReferenceCodec.decode(Data(planted.utf8)) == doc)
        // For a late mark it is read, and its place is named.
        let late = planted.replacingOccurrences(of: "\"minutesLate\" : \"soon\",\n\(indent)\"patient\" : \"\(patient)\",\n\(indent)\"status\" : \"present\"",
                                                with: "\"minutesLate\" : \"soon\",\n\(indent)\"patient\" : \"\(patient)\",\n\(indent)\"status\" : \"late\"")
        #expect(late != planted)
        let failure = #expect(throws: StoreError.self) { try DocumentCodec.decode(Data(late.utf8), path: "x.json") }
        guard case .invalidField(_, let field, let detail)? = failure else { Issue.record("expected a field error: \(String(describing: failure))"); return }
        #expect(field.hasPrefix("sessions[") && field.hasSuffix("].minutesLate"))
        #expect(detail == "expected a whole number, found a string")
    }

    @Test func wholeNumbersAreReadAsFoundationReadsThem() throws {
        // Foundation takes 1.0 and 1e2 as whole numbers and refuses 1.5; so does the reader.
        func int(_ text: String) -> Int? {
            Array(text.utf8).withUnsafeBufferPointer { b -> Int? in
                guard let base = b.baseAddress else { return nil }
                var r = JSONReader(base, count: b.count)
                return try? r.int()
            }
        }
        #expect(int("42") == 42 && int("-7") == -7 && int("0") == 0 && int("1.0") == 1 && int("1e2") == 100 && int("-0") == 0)
        #expect(int("1.5") == nil && int("99999999999999999999") == nil && int("\"4\"") == nil)
        #expect(int("9223372036854775807") == Int.max)
    }

    @Test func aLoneSurrogateEscapeIsRefusedWithItsPosition() {
        // Foundation refuses it too, but without saying where; "\ud83d\ude00" (a pair) is fine.
        #expect(JSONSyntax.firstError(in: Array(#"["\ud83d\ude00"]"#.utf8)) == nil)
        #expect(JSONSyntax.firstError(in: Array(#"["ab\ud800"]"#.utf8)) == .init(line: 1, column: 5, message: "a \\u escape holds the first half of a surrogate pair without the second"))
        #expect(JSONSyntax.firstError(in: Array(#"["\udc00"]"#.utf8))?.column == 3)
    }

    @Test func aCleanLargeTextNeedsNoTextWalkAndASuspectOneDoes() throws {
        let clean = try DocumentCodec.encode(DemoProgram.generate(seed: 3, size: .small, now: Self.now))
        #expect(try Self.read(clean).textNeedsCheck == false)
        var doc = DrillDocument.state(2)
        doc.program.name = "two\nlines"
        #expect(try Self.read(try DocumentCodec.encode(doc)).textNeedsCheck == true)
        doc = DrillDocument.state(2)
        doc.patients[0].careHistory[0].note = "a multi-line note\nis fine"
        #expect(try Self.read(try DocumentCodec.encode(doc)).textNeedsCheck == false)
    }
}

/// A seeded generator, so a failing mutation can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Thousands of broken files: the reader never crashes, and what it accepts Foundation accepts as the same document.
@Suite struct ReaderFuzzTests {
    static let replacements: [[UInt8]] = ["0", "-1", "1.5", "1e999", "\"\"", "\"x\"", "true", "null", "[]", "{}", "[1]", "{\"a\":1}", "\"2026-02-30\"", "\"\\ud800\""].map { Array($0.utf8) }

    /// One mutation of `bytes`, chosen by `rng`.
    static func mutate(_ bytes: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = bytes
        let at = Int.random(in: 0..<b.count, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: b[at] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)                      // bit flip
        case 1: b.removeSubrange(at...)                                                          // truncation
        case 2: b.insert(contentsOf: [UInt8]("{}[]\",:\\\u{00}é\n tfn01-".utf8).shuffled(using: &rng).prefix(Int.random(in: 1...4, using: &rng)), at: at)
        case 3: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...40, using: &rng)))   // deleted bytes
        default:
            // A value of the wrong type: the value after some key replaced by another kind of value.
            let colons = b.indices.filter { $0 + 2 < b.count && b[$0] == 0x20 && b[$0 + 1] == 0x3A && b[$0 + 2] == 0x20 }
            guard let colon = colons.randomElement(using: &rng) else { break }
            let start = colon + 3
            var end = start
            if b[start] == 0x22 {
                end += 1
                while end < b.count, b[end] != 0x22 { end += b[end] == 0x5C ? 2 : 1 }
                end = min(b.count, end + 1)
            } else if b[start] == 0x7B || b[start] == 0x5B {
                end = start + 1     // only the bracket: the rest stays, usually a syntax error
            } else {
                while end < b.count, ![0x2C, 0x0A, 0x7D, 0x5D].contains(b[end]) { end += 1 }
            }
            b.replaceSubrange(start..<end, with: replacements.randomElement(using: &rng) ?? [])
        }
        return b.isEmpty ? [0x20] : b
    }

    @Test func mutatedFilesEitherDecodeOrGiveATypedErrorAndNeverCrash() throws {
        let base = [UInt8](try DocumentCodec.encode(DrillDocument.state(4)))
        var rng = SplitMix64(state: 14)
        var decoded = 0, refused = 0
        for round in 0..<3000 {
            var bytes = Self.mutate(base, &rng)
            if round % 3 == 0 { bytes = Self.mutate(bytes, &rng) }
            let data = Data(bytes)
            do {
                let result = try DocumentCodec.decode(data, path: "fuzz.json")
                decoded += 1
                // Accepted: Foundation reads the same document from the same bytes, and it survives a round trip.
                if !result.isNewer && !result.wasMigrated {
                    #expect((try? ReferenceCodec.decode(data)) == result.document, "round \(round): Foundation reads it differently")
                }
                #expect(try DocumentCodec.decode(try DocumentCodec.encode(result.document), path: "again.json").document == result.document)
            } catch {
                refused += 1
                #expect(!error.description.isEmpty)
                switch error {
                case .malformedJSON(_, let line, let column, _), .invalidUTF8(_, let line, let column):
                    #expect(line >= 1 && column >= 1, "round \(round): \(error)")
                case .invalidField(_, let field, _):
                    #expect(!field.isEmpty, "round \(round): \(error)")
                default: break
                }
            }
        }
        #expect(decoded + refused == 3000)
        #expect(refused > 1000, "most mutations break the file: \(refused) refused")
    }

    /// Issue 19: files from before co-signature and clinical settings read with the defaults, and are written back without them.
    @Test func aFileWithoutTheClinicalFieldsReadsWithDefaultsAndKeepsItsBytes() throws {
        var doc = DrillDocument.state(3)
        doc.program.clinical = ClinicalSettings()
        for i in doc.staff.indices { doc.staff[i].supervisor = nil; doc.staff[i].needsCoSignature = false }
        let bytes = try DocumentCodec.encode(doc)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.contains("\"clinical\"") && !text.contains("needsCoSignature") && !text.contains("\"supervisor\""))
        let back = try #require(try OwnCodecTests.read(bytes).document)
        #expect(back.program.clinical == ClinicalSettings(evaluationReviewDays: 90, coSignatureAlertDays: 7, measureEveryDays: 30))
        #expect(back == doc)
        // A partial clinical object keeps the defaults for what it leaves out, as Foundation's decoder does.
        let partial = Data(text.replacingOccurrences(of: "\"attendancePolicy\" : {", with: "\"clinical\" : { \"measureEveryDays\" : 21 },\n    \"attendancePolicy\" : {").utf8)
        let ours = try #require(try OwnCodecTests.read(partial).document)
        #expect(ours.program.clinical == ClinicalSettings(evaluationReviewDays: 90, coSignatureAlertDays: 7, measureEveryDays: 21))
        #expect(try ReferenceCodec.decode(partial) == ours)
    }
}
