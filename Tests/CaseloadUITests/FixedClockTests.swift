import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Finding 5 of issue 12: `CASELOAD_NOW` fixed every clock in the release binary, so a letter was made under a consent
/// revoked the day before and signatures carried the fake time. Now the state has two clocks: `viewNow` (may be fixed,
/// for demos and screenshots) and `recordNow` (the real time), and a fixed view clock is said on screen and in reports.
///
/// How tests fix the record clock: here, `AppState(now:recordNow:clockFixedAt:)` takes both times directly. The
/// executable's record clock is the real time except in a debug build (what `swift test` runs), where
/// `CASELOAD_TEST_RECORD_NOW`, else `CASELOAD_NOW`, fixes it (see `Clock.record` in Sources/caseload).
@Suite struct FixedClockTests {
    static let zone = UIFixtures.zone
    /// The fixed view clock: Monday 30 November 2026, 18:05 in Chicago.
    static let view = UIFixtures.now
    /// The real time in these tests: Thursday 3 December 2026, 10:00 in Chicago, three days later.
    static let record = ClockSetting.parse("2026-12-03T10:00", zone: zone) ?? Date(timeIntervalSince1970: 0)

    static func day(_ iso: String) -> LocalDate { LocalDate(iso: iso) ?? LocalDate(dayNumber: 0) }

    static func split(_ doc: CaseloadDocument, login: String?, width: Int = 120) -> AppState {
        AppState(document: doc, fileName: "demo.json", now: view, recordNow: record, clockFixedAt: view, width: width, height: 40, login: login)
    }

    @Test func signingAndAddendaStampTheRecordTimeWhileTheViewStaysOnTheFixedDay() throws {
        let (doc, _) = SessionPaneTests.tenMemberGroup()
        var state = Self.split(doc, login: doc.staff.first?.login)
        #expect(state.today == Self.day("2026-11-30"), "the view shows the fixed day")
        #expect(state.recordToday == Self.day("2026-12-03"))
        state.focus = .week
        state.cursorMinutes = 18 * 60
        state.press(.enter)                      // the group of Monday 30 November, on the fixed view
        let member = try #require(state.selectedMembers.first?.id)
        state.memberIndex = 1
        state.press(.enter)
        state.type("Engaged.")
        state.press(.ctrl("s"))
        state.press(.char("S"), .char("y"))
        let session = try #require(state.document.sessions.first { $0.series == "ser_ten" })
        let note = try #require(session.memberNote(for: member))
        #expect(note.signature?.at == Timestamp(Self.record))
        #expect(note.signature?.at != Timestamp(Self.view))
        // The clocks tick on separately: an addendum takes the record clock's new time, not the still-fixed view's.
        let later = Self.record.addingTimeInterval(3600)
        _ = update(&state, .tick(Self.view, record: later))
        state.press(.char("A"))
        state.type("Called back.")
        state.press(.ctrl("s"))
        let after = try #require(state.document.sessions.first { $0.series == "ser_ten" }?.memberNote(for: member))
        #expect(after.addenda.map(\.at) == [Timestamp(later)])
        #expect(state.today == Self.day("2026-11-30"))
    }

    /// The demo patient on probation from the letter tests, with the consent to the officer revoked on `revoked`.
    static func letterState(revoked: LocalDate?, view: Date = view, record: Date = record) -> (AppState, PatientID) {
        let (probe, id) = ReportLetterTests.state()
        var doc = probe.document
        if let i = doc.patients.firstIndex(where: { $0.id == id }) {
            doc.patients[i].consents[0].revoked = revoked
        }
        var state = AppState(document: doc, fileName: "demo.json", now: view, recordNow: record, clockFixedAt: view, width: 120, height: 40,
                             login: doc.staff.first?.login)
        state.focus = .patients
        if let index = state.patientList.firstIndex(where: { $0.id == id }) { state.patientIndex = index }
        return (state, id)
    }

    @Test func aLetterIsJudgedOnTheRecordDayNotTheFixedViewDay() throws {
        // Revoked on 1 December: valid on the fixed view day (30 November), not on the real day (3 December).
        var (state, id) = Self.letterState(revoked: Self.day("2026-12-01"))
        ReportLetterTests.fillLetter(&state)
        state.press(.ctrl("s"))
        #expect(state.reportPreview == nil, "no letter under a consent revoked before the real day")
        #expect(state.forms.last?.form.errors["recipient"] == "the consent naming them was revoked on 2026-12-01")
        #expect(state.document.patient(id)?.disclosures.isEmpty == true)

        // The control: the same document with the real day before the revocation makes the letter.
        var (before, _) = Self.letterState(revoked: Self.day("2026-12-01"), record: Self.view)
        ReportLetterTests.fillLetter(&before)
        before.press(.ctrl("s"))
        #expect(before.reportPreview != nil, "\(before.forms.last?.form.errors ?? [:])")
    }

    @Test func aLetterAndItsDisclosureAreDatedTheRecordDayAndTheLetterSaysTheClockIsFixed() throws {
        var (state, id) = Self.letterState(revoked: nil)
        ReportLetterTests.fillLetter(&state)
        state.press(.ctrl("s"))
        let preview = try #require(state.reportPreview)
        #expect(preview.contents.hasPrefix("Note: clock fixed at 2026-11-30 18:05 (CASELOAD_NOW)"))
        #expect(preview.contents.contains("Date: 2026-12-03\n"))
        #expect(!preview.contents.contains("Date: 2026-11-30"))
        let pending = try #require(preview.disclosure)
        state.press(.escape)
        _ = update(&state, .writeTargetReady(WriteRequest(path: "/tmp/letter.txt", defaultName: "x.txt", contents: preview.contents, disclosure: pending)))
        #expect(state.document.patient(id)?.disclosures.last?.date == Self.day("2026-12-03"))
    }

    @Test func aReportSaysTheClockIsFixedOnlyWhileItIs() throws {
        var (fixed, _) = Self.letterState(revoked: nil)
        fixed.press(.char("r"))                  // Make: report, the form's default
        fixed.press(.ctrl("s"))
        let report = try #require(fixed.reportPreview?.contents)
        #expect(report.hasPrefix("Note: clock fixed at 2026-11-30 18:05 (CASELOAD_NOW)"))

        var real = ReportLetterTests.state().0
        real.press(.char("r"))
        real.press(.ctrl("s"))
        let plain = try #require(real.reportPreview?.contents)
        #expect(!plain.contains("clock fixed"))
    }

    @Test func theTitleBarSaysTheClockIsFixedEvenAt80Columns() {
        for width in [120, 80] {
            let fixed = Self.split(UIFixtures.demo, login: nil, width: width)
            let title = render(fixed).text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            #expect(title.contains("clock fixed at 2026-11-30 18:05"), "\(width): \(title)")
        }
        let real = UIFixtures.state()
        #expect(!render(real).text.contains("clock fixed"))
    }

    @Test func theNoticeGoesInEachFormatsHeader() {
        let notice = ClockNotice.text(fixedAt: Self.view, zone: Self.zone)
        #expect(notice.hasPrefix("Note: clock fixed at 2026-11-30 18:05 (CASELOAD_NOW): "))
        #expect(ClockNotice.apply(notice, to: "Program — report\n", format: .text).hasPrefix("Note: clock fixed at 2026-11-30 18:05"))
        #expect(ClockNotice.apply(notice, to: "Program — report\n", format: .text).hasSuffix("\n\nProgram — report\n"))
        #expect(ClockNotice.apply(notice, to: "# Program\n", format: .markdown).hasPrefix("> Note: clock fixed at 2026-11-30 18:05"))
        let html = ClockNotice.apply(notice, to: "<!DOCTYPE html>\n<body>\n<h1>P</h1>\n</body>\n", format: .html)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<body>\n<p class=\"clock\"><strong>Note: clock fixed at 2026-11-30 18:05"))
        #expect(html.hasSuffix("</strong></p>\n<h1>P</h1>\n</body>\n"))
        // CSV's first line is the column names: the notice goes elsewhere (standard error on the command line).
        #expect(ClockNotice.apply(notice, to: "date,start\r\n", format: .csv) == "date,start\r\n")
        #expect(ClockNotice.apply(nil, to: "x\n", format: .text) == "x\n")
    }
}
