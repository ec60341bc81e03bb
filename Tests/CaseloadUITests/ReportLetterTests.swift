import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The report form's letter: consent and signer checked, the disclosure logged before the file is written, the place looked at first.
@Suite struct ReportLetterTests {
    static let officer = "Officer Dana Quill"

    static func day(_ iso: String) -> LocalDate { LocalDate(iso: iso) ?? LocalDate(dayNumber: 0) }

    /// The demo with its first listed patient under probation, with a consent naming the officer valid on the fixture's day (2026-11-30).
    static func state(consentExpires: LocalDate? = Self.day("2027-06-01"), readOnly: String? = nil) -> (AppState, PatientID) {
        var probe = UIFixtures.state()
        var doc = probe.document
        let id = probe.selectedPatient?.id ?? doc.patients[0].id
        if let i = doc.patients.firstIndex(where: { $0.id == id }) {
            doc.patients[i].legal = LegalSupervision(kind: .probation, officer: officer, contact: "555-0100", reportingFrequency: "monthly")
            doc.patients[i].consents = [Consent(id: ItemID("con_9"), recipient: "\(officer), County Adult Probation", purpose: "compliance reporting",
                                                information: "attendance", signed: Self.day("2026-09-01"), expires: consentExpires)]
            doc.patients[i].disclosures = []
        }
        probe = UIFixtures.state(document: doc, readOnly: readOnly)
        probe.login = doc.staff.first?.login
        probe.focus = .patients
        return (probe, id)
    }

    /// Opens the form, chooses the letter for November as text.
    static func fillLetter(_ state: inout AppState) {
        state.press(.char("r"))
        state.press(.right)                                  // Make: letter
        state.press(.tab, .ctrl("u")); state.type("2026-11-01")
        state.press(.tab, .ctrl("u")); state.type("2026-11-30")
    }

    @Test func aLetterPreviewCarriesTheDisclosureAndWIsAskedToLookAtThePlaceFirst() throws {
        var (state, id) = Self.state()
        Self.fillLetter(&state)
        state.press(.ctrl("s"))
        let preview = try #require(state.reportPreview)
        #expect(preview.title.hasPrefix("Letter to \(Self.officer)"))
        #expect(preview.contents.contains("42 CFR part 2 prohibits unauthorized use or disclosure"))
        #expect(preview.defaultName.contains("-letter-2026-11-01-2026-11-30.txt"))
        let pending = try #require(preview.disclosure)
        #expect(pending.patient == id && pending.consent == ItemID("con_9"))
        #expect(pending.from == Self.day("2026-11-01") && pending.to == Self.day("2026-11-30"))
        let effects = state.press(.char("w"))
        guard case .prepareWrite(let request)? = effects.first else { Issue.record("expected prepareWrite, got \(effects)"); return }
        #expect(request.disclosure == pending)
        #expect(state.document.patient(id)?.disclosures.isEmpty == true, "nothing is logged before the place is known to be free")
    }

    @Test func aNoticeIsShownWholeInABoxUntilOk() throws {
        var (state, _) = Self.state()
        let lines = ["Since you last opened x.json on this machine:", "• key slots added: mbell"]
        _ = update(&state, .notice(title: "Key slots changed", lines: lines))
        let screen = render(state).text
        #expect(screen.contains("Key slots changed") && screen.contains("• key slots added: mbell"))
        state.press(.char("o"))
        #expect(state.overlay == nil)
        #expect(!render(state).text.contains("Key slots changed"))
    }

    @Test func aReportWrittenFromAnEncryptedDocumentIsSaidToBePlainText() throws {
        var (state, _) = Self.state()
        let request = WriteRequest(path: "/tmp/report.txt", defaultName: "x.txt", contents: "report", disclosure: nil)
        _ = update(&state, .reportWritten(request))
        #expect(state.message?.text == "Wrote /tmp/report.txt (readable only by you)")
        state.lockMode = .passphrase(login: "dreyes")
        _ = update(&state, .reportWritten(request))
        #expect(state.message?.text == "Wrote /tmp/report.txt (plain text, not encrypted like the document; readable only by you)")
    }

    @Test func aReadyPlaceLogsTheDisclosureThenSavesThenWrites() throws {
        var (state, id) = Self.state()
        Self.fillLetter(&state)
        state.press(.ctrl("s"))
        let pending = try #require(state.reportPreview?.disclosure)
        state.press(.escape)  // as w does, the preview closes before the write is looked at
        let request = WriteRequest(path: "/tmp/letter.txt", defaultName: "x.txt", contents: "letter", disclosure: pending)
        let effects = update(&state, .writeTargetReady(request))
        #expect(effects.count == 4)
        #expect(effects.first == .documentChanged)
        #expect(AuditUITests.audits(effects) == [AuditEvent("edit", ["patient:\(id.rawValue)", "field:disclosures"])])
        #expect(Array(effects.suffix(2)) == [.saveNow, .writeFile(request)])
        let logged = try #require(state.document.patient(id)?.disclosures.last)
        #expect(logged.recipient == "\(Self.officer), County Adult Probation")
        #expect(logged.date == state.today && logged.consent == ItemID("con_9"))
        #expect(logged.what == "attendance letter, 2026-11-01 to 2026-11-30")
        #expect(state.message?.text.contains("Logged as a disclosure to \(Self.officer)") == true)
        state.press(.char("u"))
        #expect(state.document.patient(id)?.disclosures.count == 1, "a disclosure is not undone")
        // Written: a box says where the file is and names the disclosure; r opens the record at the disclosure log.
        var written = request
        written.shown = "~/letter.txt"
        _ = update(&state, .reportWritten(written))
        let screen = render(state).text
        #expect(screen.contains("Letter written"))
        #expect(screen.contains("Wrote ~/letter.txt (readable only by you)."))
        #expect(screen.contains("Logged as a disclosure to \(Self.officer)"))
        state.press(.char("r"))
        let record = try #require(state.record)
        #expect(record.patient == id)
        #expect(record.lines[record.scroll].section == "Disclosures")
        #expect(render(state).text.contains("attendance letter, 2026-11-01 to 2026-11-30"))
    }

    @Test func anExistingFileIsReplacedOnlyAfterYes() {
        var (state, _) = Self.state()
        let request = WriteRequest(path: "/tmp/r.txt", defaultName: "r.txt", contents: "x")
        #expect(update(&state, .writeTargetExists(request)).isEmpty)
        #expect(render(state).text.contains("/tmp/r.txt already exists. Replace it? (y/n)"))
        var yes = request
        yes.replace = true
        #expect(state.press(.char("y")) == [.prepareWrite(yes)])
        #expect(update(&state, .writeTargetExists(request)).isEmpty)
        #expect(state.press(.char("n")).isEmpty)
        #expect(state.overlay == nil)
    }

    @Test func anExpiredConsentRefusesTheLetterInTheForm() {
        var (state, _) = Self.state(consentExpires: Self.day("2026-11-15"))
        Self.fillLetter(&state)
        state.press(.ctrl("s"))
        #expect(state.reportPreview == nil)
        #expect(state.forms.last?.form.errors["recipient"]?.contains("expired on 2026-11-15") == true)
    }

    @Test func eachRefusalReadsInTheFormAt80Columns() {
        let d = Self.day("2026-11-15")
        let all: [LetterRefusal] = [.noConsent, .noRecipient, .expired(d), .revoked(d), .notYetSigned, .otherRecipient(["Dr. L. Brennan"])]
        for refusal in all {
            let text = letterRefusalText(refusal)
            #expect(text.count <= 66, "fits the field's error line: \(text)")
            #expect(!text.contains("--"), "no command-line options in the app: \(text)")
        }
        #expect(letterRefusalText(.revoked(d)) == "the consent naming them was revoked on 2026-11-15")
    }

    @Test func aLetterIsNotCSV() {
        var (state, _) = Self.state()
        Self.fillLetter(&state)
        state.press(.tab, .right)  // Format: csv
        state.press(.ctrl("s"))
        #expect(state.reportPreview == nil)
        #expect(state.forms.last?.form.errors["format"] == "a letter is text, md or html, not csv")
    }

    @Test func readOnlyRefusesALetterButNotAReport() {
        var (state, _) = Self.state(readOnly: "another Caseload has it open")
        Self.fillLetter(&state)
        state.press(.ctrl("s"))
        #expect(state.forms.last?.form.errors["kind"]?.contains("must be logged as a disclosure") == true)
        state.press(.escape)
        if state.overlay != nil { state.press(.char("y")) }
        state.press(.char("r"))
        state.press(.ctrl("s"))
        #expect(state.reportPreview?.disclosure == nil && state.reportPreview?.contents.isEmpty == false, "a report needs no disclosure")
    }

    @Test func theFormOffersTheLastPeriodAndFormatAgain() throws {
        var (state, _) = Self.state()
        state.press(.char("r"))
        state.press(.tab, .ctrl("u")); state.type("2026-10-01")
        state.press(.tab, .ctrl("u")); state.type("2026-10-31")
        state.press(.tab, .right, .right)  // Format: md
        state.press(.ctrl("s"))
        #expect(state.reportPreview?.defaultName.hasSuffix("-2026-10-01-2026-10-31.md") == true)
        state.press(.escape)
        state.press(.char("r"))
        let form = try #require(state.forms.last?.form)
        #expect(form.text("from") == "2026-10-01" && form.text("to") == "2026-10-31")
        #expect(form.choiceIndex("format") == 2)
    }

    @Test func typedPlacesResolveUnderHomeAndFolders() {
        #expect(reportPath(typed: "", home: "/h/me", cwd: "/w") == ("/h/me", true))
        #expect(reportPath(typed: "~", home: "/h/me", cwd: "/w") == ("/h/me", true))
        #expect(reportPath(typed: "~/out/a.txt", home: "/h/me", cwd: "/w") == ("/h/me/out/a.txt", false))
        #expect(reportPath(typed: "letters/", home: "/h/me", cwd: "/w") == ("/w/letters", true))
        #expect(reportPath(typed: "/srv/r.csv", home: "/h/me", cwd: "/w") == ("/srv/r.csv", false))
    }

    @Test func fileNamesKeepOnlySafeCharactersOfTheMRN() {
        let name = reportFileName(mrn: "RV/00 12", kind: .letter, from: Self.day("2026-11-01"), to: Self.day("2026-11-30"), format: .markdown)
        #expect(name == "caseload-RV_00_12-letter-2026-11-01-2026-11-30.md")
    }

    @Test func theRecordListsTheDisclosureLog() throws {
        var (state, id) = Self.state()
        let pending = PendingDisclosure(patient: id, recipient: Self.officer, consent: ItemID("con_9"),
                                        from: Self.day("2026-11-01"), to: Self.day("2026-11-30"),
                                        by: try #require(state.document.staff.first?.id))
        _ = update(&state, .writeTargetReady(WriteRequest(path: "/tmp/l.txt", defaultName: "l.txt", contents: "", disclosure: pending)))
        let patient = try #require(state.document.patient(id))
        let text = recordLines(for: patient, in: state.document, today: state.today, width: 76).map { $0.segments.map(\.text).joined() }
        let heading = try #require(text.firstIndex(of: "Disclosures"))
        let rest = text[heading...].joined(separator: "\n")
        #expect(rest.contains("2026-11-30 to \(Self.officer)"))
        #expect(rest.contains("attendance letter, 2026-11-01 to 2026-11-30"))
        #expect(rest.contains("under the consent signed 2026-09-01"))
    }
}
