import CaseloadCore
import Foundation
import Testing

@Suite struct PrivacyCheckTests {
    static let ana = TestDocument.ana                    // Ana María Núñez, called Ana
    static let minjun = TestDocument.minjun              // 김민준
    static let jose = Patient(id: "pat_jose", mrn: "T-003", legalName: "José Ortega")
    static let lan = Patient(id: "pat_lan", mrn: "T-004", legalName: "Lan Nguyễn")
    static let grace = Patient(id: "pat_grace", mrn: "T-005", legalName: "Grace Okafor")
    static let mark = Patient(id: "pat_mark", mrn: "T-006", legalName: "Mark Ellis")
    static let everyone = [ana, minjun, jose, lan, grace, mark]

    func named(_ text: String) -> [PatientID] {
        PrivacyCheck.mentions(in: text, of: Self.everyone).map(\.id)
    }

    @Test func aPreferredNameIsFound() {
        #expect(named("Ana shared about her weekend") == ["pat_ana"])
        #expect(named("Group discussed the weekend") == [])
    }

    @Test func accentsAndCaseAreIgnored() {
        #expect(named("José and Nguyễn disagreed") == ["pat_jose", "pat_lan"])
        #expect(named("jose and NGUYEN disagreed") == ["pat_jose", "pat_lan"])
        #expect(named("Maria spoke about nunez family traditions") == ["pat_ana"])
    }

    @Test func commonWordsInLowerCaseAreNotNames() {
        #expect(named("we talked about grace and hope") == [])
        #expect(named("Grace spoke first") == ["pat_grace"])
        #expect(named("members marked progress on their goals") == [])
        #expect(named("mark your calendar") == [])
        #expect(named("Mark made progress") == ["pat_mark"])
        #expect(named("Progress was made by ellis") == ["pat_mark"])
    }

    @Test func onlyWholeWordsMatch() {
        #expect(named("Anastasia is not in this group") == [])
        #expect(named("Ana's sponsor called") == ["pat_ana"])
        #expect(named("Discussed (Ana) and-José boundaries") == ["pat_ana", "pat_jose"])
    }

    @Test func hangulNamesMatchAsSubstrings() {
        #expect(named("김민준 arrived late") == ["pat_minjun"])
        #expect(named("김민준이 늦었다") == ["pat_minjun"])
        #expect(named("민준 arrived late") == [])
    }

    @Test func eachPatientOnceInTheGivenOrder() {
        let found = PrivacyCheck.mentions(in: "Grace, then Ana, then Ana María again, and Grace", of: [Self.grace, Self.ana, Self.jose])
        #expect(found.map(\.id) == ["pat_grace", "pat_ana"])
        #expect(PrivacyCheck.mentions(in: "Grace and Ana", of: []).isEmpty)
    }

    @Test func shortLegalNamePartsAreIgnoredButAShortPreferredNameCountsWhenCapitalised() {
        let bo = Patient(id: "pat_bo", mrn: "T-007", legalName: "Bo Li", preferredName: "Jo")
        #expect(PrivacyCheck.mentions(in: "bo li said so", of: [bo]).isEmpty)
        #expect(PrivacyCheck.mentions(in: "Jo said so", of: [bo]).map(\.id) == ["pat_bo"])
        #expect(PrivacyCheck.mentions(in: "jo said so", of: [bo]).isEmpty)
    }
}
