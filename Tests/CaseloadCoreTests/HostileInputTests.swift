import CaseloadCore
import Foundation
import Testing

/// Issue 12, findings 4 and 13: crafted documents cannot hang validation, and text cannot carry terminal escapes.
@Suite struct HostileInputTests {
    static func consents(_ count: Int) -> [Consent] {
        (0..<count).map { Consent(id: ItemID("c\($0)"), recipient: "Court \($0)", purpose: "compliance", information: "attendance",
                                  signed: TestDocument.date("2026-11-02"), expires: TestDocument.date("2027-11-02")) }
    }
    static func disclosures(_ count: Int) -> [Disclosure] {
        // Each names the consent with the same number, the last one of all so a linear search would scan the whole list.
        (0..<count).map { Disclosure(id: ItemID("d\($0)"), recipient: "Court \($0)", date: TestDocument.date("2026-11-20"),
                                     from: TestDocument.date("2026-11-02"), to: TestDocument.date("2026-11-19"), consent: ItemID("c\(count - 1 - $0)"), what: "attendance letter") }
    }

    @Test func fortyThousandConsentsAndDisclosuresValidateQuicklyAndOverTheCapAreRefusedNamingFieldAndCap() {
        // Four patients at the cap: 40,000 consents and 40,000 disclosures in all, each disclosure's consent found by a set.
        var doc = TestDocument.document()
        var patients: [Patient] = []
        for n in 0..<4 {
            var p = TestDocument.ana
            p.id = PatientID("pat_\(n)"); p.mrn = "T-10\(n)"
            p.consents = Self.consents(Limits.perPatientList); p.disclosures = Self.disclosures(Limits.perPatientList)
            patients.append(p)
        }
        doc.patients = patients
        doc.series = []
        let started = Date()
        #expect(Validator.check(doc) == [])
        let textStarted = Date()
        _ = TextRules.check(doc.patients, path: "patients")
        print("text rules alone: \(Int(Date().timeIntervalSince(textStarted) * 1000)) ms")
        print("validated 40,000 consents and 40,000 disclosures (4 patients at the cap) in \(Int(Date().timeIntervalSince(started) * 1000)) ms")

        // One patient with 40,000 of each (10.7 s before, in a release build): refused with the cap, and still quick.
        var one = TestDocument.ana
        one.consents = Self.consents(40_000); one.disclosures = Self.disclosures(40_000)
        doc.patients = [one]
        let again = Date()
        let issues = Validator.check(doc)
        print("refused one patient with 40,000 of each in \(Int(Date().timeIntervalSince(again) * 1000)) ms")
        #expect(issues == [
            ValidationIssue(field: "patients[0].consents", message: "has 40000 entries; the most Caseload reads is 10000 (see Limits in FORMAT.md)"),
            ValidationIssue(field: "patients[0].disclosures", message: "has 40000 entries; the most Caseload reads is 10000 (see Limits in FORMAT.md)"),
        ])
    }

    @Test func aSessionWithMoreMarksThanTheCapIsRefused() {
        var doc = TestDocument.document()
        var s = Session(id: "ses_big", date: TestDocument.date("2026-11-03"), start: TestDocument.time("10:00"), durationMinutes: 60, title: "Big", kind: .group)
        s.attendance = (0...1000).map { AttendanceMark(patient: PatientID("pat_\($0)"), status: .present) }
        doc.sessions = [s]
        let capIssue = Validator.check(doc).first { $0.field == "sessions[0].attendance" }
        #expect(capIssue?.message == "has 1001 entries; the most Caseload reads is 1000 (see Limits in FORMAT.md)")
    }

    @Test func aNameWithATitleEscapeOrAScreenClearIsRefusedNamingTheField() {
        var doc = TestDocument.document()
        doc.patients[0].legalName = "Ana \u{1B}]0;pwned\u{07}"
        doc.patients[1].preferredName = "\u{1B}[2JMin"
        doc.series[0].title = "IOP\u{9B}31m"   // C1 CSI: one character, as dangerous as ESC [
        doc.staff[0].credentials = "LCSW\tMD"  // a tab in a one-line field
        let issues = Validator.check(doc)
        #expect(issues.map(\.field) == ["staff[0].credentials", "patients[0].legalName", "patients[1].preferredName", "series[0].title"])
        #expect(issues[1].message.hasPrefix("contains the control character ^[ at character 5; a one-line text holds no control characters"))
        #expect(issues[2].message.hasPrefix("contains the control character ^[ at character 1;"))
        #expect(issues[3].message.hasPrefix("contains the control character \\u{9B} at character 4;"))
        #expect(issues[0].message.hasPrefix("contains the control character ^I at character 5; a one-line text holds no newlines or tabs"))
    }

    @Test func multiLineFieldsKeepNewlinesAndTabsButRefuseOtherControls() throws {
        var doc = TestDocument.document()
        var s = Session(id: "ses_1", date: TestDocument.date("2026-11-03"), start: TestDocument.time("10:00"), durationMinutes: 60, title: "Group", kind: .group)
        try s.setGroupNote(GroupNote(topic: "Coping", narrative: "Line one\n\tindented\nline three"))
        doc.sessions = [s]
        #expect(Validator.check(doc) == [])
        try doc.sessions[0].setGroupNote(GroupNote(topic: "Coping", narrative: "ok\n\u{1B}[2J"))
        #expect(Validator.check(doc).map(\.field) == ["sessions[0].groupNote.narrative"])
        #expect(Validator.check(doc).first?.message.contains("^[") == true)
        doc.program.redisclosureNotice += "\n\u{7F}"
        #expect(Validator.check(doc).map(\.field) == ["program.redisclosureNotice", "sessions[0].groupNote.narrative"])
    }

    @Test func overlongTextIsRefusedWithTheCap() {
        var doc = TestDocument.document()
        doc.patients[0].legalName = String(repeating: "a", count: TextRules.maxOneLineBytes + 1)
        #expect(Validator.check(doc) == [ValidationIssue(field: "patients[0].legalName",
                                                       message: "is 4097 bytes long; the most a one-line text may hold is 4096 bytes")])
    }

    @Test func terminalTextShowsControlCharactersAndKeepsLineEnds() {
        #expect(TerminalText.safe("Ana \u{1B}]0;pwned\u{07} \u{1B}[2J") == "Ana ^[]0;pwned^G ^[[2J")
        #expect(TerminalText.safe("a\u{9B}b\u{7F}") == "a\\u{9B}b^?")
        #expect(TerminalText.safe("one\ntwo\tthree\r\nfour\rfive") == "one\ntwo\tthree\r\nfour^Mfive")
        #expect(TerminalText.safe("one\ntwo", multiLine: false) == "one^Jtwo")
        #expect(TerminalText.safe("Núñez 김민준") == "Núñez 김민준")
    }
}
