import CaseloadCore
import Foundation
import Testing

@Suite struct ComplianceLetterTests {
    let d = TestDocument.date
    let today = TestDocument.date("2026-11-30")

    func consent(_ id: String, _ recipient: String, signed: String = "2026-11-01", expires: String? = "2027-11-01", revoked: String? = nil) -> Consent {
        Consent(id: ItemID(id), recipient: recipient, purpose: "Report attendance as a condition of probation", information: "attendance",
                signed: d(signed), expires: expires.map(d), revoked: revoked.map(d))
    }

    func patient(_ consents: [Consent], officer: String? = "Officer R. Castillo") -> Patient {
        var p = TestDocument.ana
        p.consents = consents
        p.legal = officer.map { LegalSupervision(kind: .probation, officer: $0, contact: "555-0100", reportingFrequency: "weekly", caseNumber: "2026-CF-1") }
        return p
    }

    func refusal(_ result: Result<Consent, LetterRefusal>) -> LetterRefusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    @Test func aValidConsentNamingTheOfficerAllowsTheLetter() throws {
        let c = consent("c1", "Officer R. Castillo, County Adult Probation")
        let result = ComplianceLetter.consent(for: patient([c]), recipient: nil, on: today)
        #expect(try result.get() == c)
        // Case-insensitive part of the recipient.
        #expect(try ComplianceLetter.consent(for: patient([c]), recipient: "county adult PROBATION", on: today).get() == c)
    }

    @Test func refusalsSayWhy() {
        #expect(refusal(ComplianceLetter.consent(for: patient([]), recipient: nil, on: today)) == .noConsent)
        let expired = consent("c1", "Officer R. Castillo", signed: "2025-01-01", expires: "2026-11-29")
        #expect(refusal(ComplianceLetter.consent(for: patient([expired]), recipient: nil, on: today)) == .expired(d("2026-11-29")))
        let revoked = consent("c1", "Officer R. Castillo", revoked: "2026-11-20")
        #expect(refusal(ComplianceLetter.consent(for: patient([revoked]), recipient: nil, on: today)) == .revoked(d("2026-11-20")))
        let future = consent("c1", "Officer R. Castillo", signed: "2026-12-02")
        #expect(refusal(ComplianceLetter.consent(for: patient([future]), recipient: nil, on: today)) == .notYetSigned)
        let other = consent("c1", "Dr. L. Brennan (primary care)")
        #expect(refusal(ComplianceLetter.consent(for: patient([other]), recipient: nil, on: today)) == .otherRecipient(["Dr. L. Brennan (primary care)"]))
        #expect(refusal(ComplianceLetter.consent(for: patient([other], officer: nil), recipient: nil, on: today)) == .noRecipient)
        #expect(refusal(ComplianceLetter.consent(for: patient([other]), recipient: "Judge", on: today)) == .otherRecipient(["Dr. L. Brennan (primary care)"]))
        #expect(LetterRefusal.revoked(d("2026-11-20")).description.contains("revoked"))
    }

    @Test func aValidConsentWinsOverAnExpiredOne() throws {
        let old = consent("c1", "Officer R. Castillo", signed: "2025-01-01", expires: "2025-12-31")
        let fresh = consent("c2", "Officer R. Castillo", signed: "2026-01-05", expires: "2026-12-31")
        #expect(try ComplianceLetter.consent(for: patient([fresh, old]), recipient: nil, on: today).get().id == "c2")
    }

    @Test(arguments: [ReportFormat.text, .markdown, .html])
    func theLetterCarriesTheRedisclosureNoticeVerbatim(_ format: ReportFormat) throws {
        var doc = TestDocument.document()
        doc.program.redisclosureNotice = "This record is protected by federal confidentiality rules (42 CFR part 2).\nSecond paragraph."
        let c = consent("c1", "Officer R. Castillo, County Adult Probation")
        var p = patient([c])
        p.dateOfBirth = d("1990-04-01")
        doc.patients[0] = p
        let report = AttendanceReport.build(for: p, from: d("2026-11-02"), to: d("2026-11-29"), doc: doc, schedule: ScheduleIndex(doc))
        let letter = ComplianceLetter.render(report: report, patient: p, program: doc.program, signer: TestDocument.dana,
                                             recipient: c.recipient, consent: c, date: today, format: format)
        #expect(letter.contains(doc.program.redisclosureNotice))
        for part in ["Test IOP", "Ana María Núñez", "T-001", "1990-04-01", "2026-11-02", "2026-11-29", "Dana Reyes, LCSW", "2026-CF-1", "County Adult Probation"] {
            #expect(letter.contains(part), "missing \(part)")
        }
        #expect(letter.contains("Sessions scheduled"))
    }

    @Test func aTextLetterWrapsLongProseTo78ColumnsKeepingEveryWordAndParagraph() throws {
        var doc = TestDocument.document()
        let first = Array(repeating: "This information has been disclosed to you from records protected by federal confidentiality rules.", count: 6).joined(separator: " ")
        doc.program.redisclosureNotice = first + "\n42 CFR part 2 prohibits unauthorized use or disclosure of these records."
        let c = consent("c1", "Officer R. Castillo, County Adult Probation")
        let p = patient([c])
        doc.patients[0] = p
        let report = AttendanceReport.build(for: p, from: d("2026-11-02"), to: d("2026-11-29"), doc: doc, schedule: ScheduleIndex(doc))
        let letter = ComplianceLetter.render(report: report, patient: p, program: doc.program, signer: TestDocument.dana,
                                             recipient: c.recipient, consent: c, date: today, format: .text)
        let tail = try #require(letter.range(of: "This information has been disclosed")).lowerBound
        let noticeLines = letter[tail...].split(separator: "\n")
        #expect(noticeLines.allSatisfy { $0.count <= 78 }, "every line prints at 80 columns")
        #expect(noticeLines.count == 9, "6 × 99 characters of words wrap to 8 lines (as Python's textwrap does), then the second paragraph on its own")
        #expect(noticeLines.last == "42 CFR part 2 prohibits unauthorized use or disclosure of these records.")
        #expect(noticeLines.dropLast().joined(separator: " ") == first, "the same words in the same order")
        // The prorating rule under the weeks wraps too.
        #expect(letter.split(separator: "\n").allSatisfy { $0.count <= 110 })
    }

    @Test func recordingADisclosureAppendsToTheLog() throws {
        var doc = TestDocument.document()
        doc.patients[0] = patient([consent("c1", "Officer R. Castillo")])
        let edit = try PatientEdits.recordDisclosure("pat_ana", recipient: "Officer R. Castillo", on: today, from: d("2026-11-02"), to: d("2026-11-29"),
                                                     consent: "c1", what: "attendance letter", by: "st_dana", in: doc)
        let undo = try doc.apply(edit)
        #expect(doc.patients[0].disclosures == [Disclosure(id: "dis_1", recipient: "Officer R. Castillo", date: today, from: d("2026-11-02"),
                                                           to: d("2026-11-29"), consent: "c1", what: "attendance letter", by: "st_dana")])
        let second = try PatientEdits.recordDisclosure("pat_ana", recipient: "Officer R. Castillo", on: today, from: today, to: today,
                                                       consent: "c1", what: "again", by: nil, in: doc)
        try doc.apply(second)
        #expect(doc.patients[0].disclosures.map(\.id) == ["dis_1", "dis_2"])
        try doc.apply(undo)
        #expect(doc.patients[0].disclosures.isEmpty)
    }

    @Test func aDisclosureNeedsAValidConsentOfThePatient() {
        var doc = TestDocument.document()
        doc.patients[0] = patient([consent("c1", "Officer R. Castillo", revoked: "2026-11-20")])
        #expect(throws: EditError.self) {
            try PatientEdits.recordDisclosure("pat_ana", recipient: "x", on: today, from: today, to: today, consent: "c1", what: "w", by: nil, in: doc)
        }
        #expect(throws: EditError.self) {
            try PatientEdits.recordDisclosure("pat_ana", recipient: "x", on: today, from: today, to: today, consent: "nope", what: "w", by: nil, in: doc)
        }
    }

    @Test func theValidatorChecksTheLog() {
        var p = patient([consent("c1", "Officer R. Castillo")])
        p.disclosures = [Disclosure(id: "dis_1", recipient: "", date: today, from: today, to: d("2026-11-01"), consent: "c9", what: "")]
        let fields = Validator.check(p, path: "p", program: TestDocument.program).map(\.field)
        #expect(fields.contains("p.disclosures[0].recipient"))
        #expect(fields.contains("p.disclosures[0].to"))
        #expect(fields.contains("p.disclosures[0].consent"))
    }
}
