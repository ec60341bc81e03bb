import CaseloadCore
import Foundation
import Testing

@Suite struct ValidationTests {
    let d = TestDocument.date

    func fields(_ doc: CaseloadDocument) -> [String] { Validator.check(doc).map(\.field) }

    @Test func theTestDocumentIsValid() {
        #expect(Validator.check(TestDocument.document()).isEmpty)
    }

    @Test(arguments: ["F10.20", "F11.20", "Z71.41", "F32A", "F41.1", "T40.1X1A", "F19", "C4A.0"])
    func wellFormedICD10Codes(code: String) {
        #expect(Diagnosis.isWellFormed(code))
    }

    @Test(arguments: ["", "F1", "10.20", "f10.20", "F10.", "F10.20000", "U07.1", "1F0.2", "F10-20", "F10.2 "])
    func malformedICD10Codes(code: String) {
        #expect(!Diagnosis.isWellFormed(code))
    }

    @Test func aBadDiagnosisNamesItsField() {
        var doc = TestDocument.document()
        doc.patients[1].diagnoses = [Diagnosis(code: "F10.20", description: "AUD"), Diagnosis(code: "F10,20", description: "typo")]
        #expect(fields(doc) == ["patients[1].diagnoses[1].code"])
    }

    @Test func mrnsAreUniqueAndTheMessageDoesNotRepeatTheMRN() {
        var doc = TestDocument.document()
        doc.patients[1].mrn = doc.patients[0].mrn
        let issues = Validator.check(doc)
        #expect(issues.map(\.field) == ["patients[1]"])
        #expect(issues.first?.message.contains("T-001") == false)
        #expect(issues.first?.message.contains("MRN") == true)
    }

    @Test func duplicateIDsAreFound() {
        var doc = TestDocument.document()
        doc.series.append(doc.series[0])
        #expect(fields(doc).contains("series[1]"))
    }

    @Test func seriesMustEndAfterTheyStartAndLastAPositiveTime() {
        var doc = TestDocument.document()
        doc.series[0].endDate = d("2026-11-01")
        doc.series[0].durationMinutes = 0
        doc.series[0].weekdays = []
        #expect(Set(fields(doc)) == ["series[0].endDate", "series[0].durationMinutes", "series[0].weekdays"])
    }

    @Test func datesMustBeInARealisticRange() {
        var doc = TestDocument.document()
        doc.patients[0].dateOfBirth = LocalDate(year: 1850, month: 1, day: 1)
        doc.patients[0].expectedDischarge = d("2026-10-01")
        #expect(Set(fields(doc)) == ["patients[0].dateOfBirth", "patients[0].expectedDischarge"])
    }

    @Test func referencesMustPointAtSomething() {
        var doc = TestDocument.document()
        doc.series[0].facilitator = "st_nobody"
        doc.series[0].room = "r9"
        doc.patients[0].careHistory[0].phase = "p9"
        #expect(Set(fields(doc)) == ["series[0].facilitator", "series[0].room", "patients[0].careHistory[0].phase"])
    }

    @Test func attendanceMinutesMustFitTheSession() {
        var doc = TestDocument.document()
        var s = Session(id: "s1", occurrenceOf: TestDocument.iopA, on: d("2026-11-02"))
        s.mark("pat_ana", .late(minutesLate: 200))
        s.mark("pat_minjun", .excused(reason: " "))
        doc.sessions = [s]
        #expect(Set(fields(doc)) == ["sessions[0].attendance[0].minutesLate", "sessions[0].attendance[1].reason"])
    }

    @Test func consentsNeedAnExpiryAndCannotBeRevokedWhileIrrevocable() {
        var doc = TestDocument.document()
        doc.patients[0].consents = [
            Consent(id: "c1", recipient: "County Probation", purpose: "attendance reports", information: "attendance", signed: d("2026-11-02")),
            Consent(id: "c2", recipient: "Drug Court", purpose: "compliance", information: "attendance", signed: d("2026-11-02"),
                    expires: d("2027-11-02"), revoked: d("2026-11-20"), irrevocableUntil: d("2027-05-01")),
        ]
        #expect(Set(fields(doc)) == ["patients[0].consents[0].expires", "patients[0].consents[1].revoked"])
    }

    @Test func aConsentIsValidBetweenSigningAndExpiryUnlessRevoked() {
        let consent = Consent(id: "c", recipient: "P.O.", purpose: "p", information: "i", signed: d("2026-11-02"), expires: d("2026-12-31"), revoked: d("2026-12-10"))
        #expect(!consent.isValid(on: d("2026-11-01")))
        #expect(consent.isValid(on: d("2026-11-02")))
        #expect(consent.isValid(on: d("2026-12-09")))
        #expect(!consent.isValid(on: d("2026-12-10")))
    }

    @Test func theProgramNeedsAKnownTimeZoneAndADayThatEndsAfterItStarts() {
        var doc = TestDocument.document()
        doc.program.timeZone = "Mars/Olympus"
        doc.program.dayEnd = TestDocument.time("07:00")
        doc.program.redisclosureNotice = ""
        #expect(Set(fields(doc)) == ["program.timeZone", "program.dayEnd", "program.redisclosureNotice"])
    }
}

@Suite struct PatientDateTests {
    let d = TestDocument.date
    let today = TestDocument.date("2026-11-30")

    func fields(_ p: Patient) -> [String] { Validator.checkAgainstToday(p, today: today, path: "p").map(\.field) }

    @Test func aDateOfBirthIsInThePastAndWithinALifetime() {
        var p = TestDocument.ana
        p.dateOfBirth = d("1990-05-17")
        #expect(fields(p).isEmpty)
        p.dateOfBirth = today
        #expect(fields(p) == ["p.dateOfBirth"])
        p.dateOfBirth = d("1906-11-30")
        #expect(fields(p).isEmpty)
        p.dateOfBirth = d("1906-11-29")
        #expect(fields(p) == ["p.dateOfBirth"])
    }

    @Test func anAdmissionIsAtMostAYearAhead() {
        var p = TestDocument.ana
        p.admissionDate = d("2027-11-30")
        #expect(fields(p).isEmpty)
        p.admissionDate = d("2027-12-01")
        #expect(fields(p) == ["p.admissionDate"])
    }

    @Test func dischargeDatesFollowAdmission() {
        var p = TestDocument.ana
        p.status = .discharged(date: d("2026-11-01"), reason: .administrative)
        p.expectedDischarge = d("2026-10-30")
        let found = Validator.check(p, path: "p", program: TestDocument.program).map(\.field)
        #expect(found == ["p.expectedDischarge", "p.status.date"])
    }

    @Test func applyRefusesASecondPatientWithTheSameMRN() {
        var doc = TestDocument.document()
        do {
            try doc.apply(.putPatient(Patient(id: "pat_copy", mrn: "T-001", legalName: "Someone Else")))
            Issue.record("a duplicate MRN was accepted")
        } catch {
            #expect(error == .invalid([ValidationIssue(field: "patients[pat_copy].mrn", message: "this MRN is already used by another patient")]))
        }
        #expect(doc == TestDocument.document())
    }
}
