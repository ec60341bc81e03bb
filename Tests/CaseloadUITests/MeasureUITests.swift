import CaseloadCore
@testable import CaseloadUI
import Foundation
import GoldenFiles
import Testing

/// Issue 19's measure form (`M` in the record), the safety follow-up (`F`), the record's Measures section and the
/// Patients flag: keys, what is saved, and the screens at 80×24 and 120×40.
@Suite struct MeasureUITests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    func check(_ state: AppState, _ name: String) throws {
        let actual = render(state).text + "\n"
        let problem = try GoldenFile.mismatch(actual, file: Self.folder.appendingPathComponent(name + ".txt"))
        #expect(problem == nil, "screen \(name): \(problem ?? "")\nthe whole new screen:\n\(actual)")
    }

    /// The record of an active demo patient, open.
    /// Without `document`, the demo with this patient's generated measures taken out, so the tests start from none.
    static func recordOpen(width: Int = 80, height: Int = 24, document given: CaseloadDocument? = nil) throws -> (AppState, PatientID) {
        var document = given ?? UIFixtures.demo
        let patient = try #require(document.patients.first { $0.status == .active })
        if given == nil, let i = document.patients.firstIndex(where: { $0.id == patient.id }) { document.patients[i].measures = [] }
        // Signed in as the first staff member: measures are signed.
        var state = AppState(document: document, fileName: "demo.json", now: UIFixtures.now, width: width, height: height,
                             login: document.staff.first?.login)
        state.focus = .patients
        showInList(&state, patient.id)
        state.press(.enter)
        #expect(state.record?.patient == patient.id)
        return (state, patient.id)
    }

    @Test func mChoosesTheInstrumentThenTakesOneKeyPerItemWithTheTotalShownAsYouType() throws {
        var (state, patient) = try Self.recordOpen()
        state.press(.char("M"))
        #expect(state.measureEntry?.step == .choose)
        state.type("1")
        #expect(state.measureEntry?.instrument?.id == "phq9" && state.measureEntry?.step == .scores)
        state.type("2103")
        // Items 1–4: 2 + 1 + 0 + 3 = 6, mild so far.
        #expect(state.measureEntry?.scores == [2, 1, 0, 3])
        #expect(render(state).text.contains("Total 6 mild  (so far: 4 of 9 items)"))
        // 4 is not a PHQ-9 score: refused, nothing entered.
        state.type("4")
        #expect(state.measureEntry?.scores == [2, 1, 0, 3] && state.measureEntry?.error?.contains("0–3") == true)
        // Backspace goes back an item.
        state.press(.backspace)
        #expect(state.measureEntry?.scores == [2, 1, 0])
        state.type("10000")
        #expect(state.measureEntry?.step == .scores)
        state.type("0")
        // All nine: the date, today by default.
        #expect(state.measureEntry?.step == .date && state.measureEntry?.dateText == "2026-11-30")
        state.press(.enter)
        #expect(state.measureEntry?.step == .confirm)
        #expect(render(state).text.contains("Sign this PHQ-9 as"))
        #expect(state.document.patient(patient)?.measures.isEmpty == true, "nothing is saved while it asks")
        state.press(.char("y"))
        #expect(state.measureEntry == nil)
        let m = try #require(state.document.patient(patient)?.measures.first)
        #expect(m.scores == [2, 1, 0, 1, 0, 0, 0, 0, 0] && m.date.iso == "2026-11-30" && m.signature != nil)
        // 2 + 1 + 0 + 1 = 4: minimal.
        #expect(state.message?.text.contains("total 4, minimal") == true)
        #expect(!state.alerts.contains { $0.kind == .safetyFollowUp })
    }

    @Test func escClosesTheFormWithoutSavingAndATypedDateIsUsed() throws {
        var (state, patient) = try Self.recordOpen()
        state.press(.char("M"))
        state.type("2")
        state.type("000000")
        state.press(.escape)
        #expect(state.measureEntry == nil && state.document.patient(patient)?.measures.isEmpty == true)
        state.press(.char("M"))
        state.type("2")
        state.type("1111111")
        state.type("2026-11-27")
        state.press(.enter, .char("y"))
        #expect(state.document.patient(patient)?.measures.first?.date.iso == "2026-11-27")
    }

    @Test func aSafetyItemAboveZeroSaysSoAtOnceRaisesTheAlertAndTheRedFlagUntilFDocumentsTheFollowUp() throws {
        var (state, patient) = try Self.recordOpen(width: 120, height: 40)
        state.press(.char("M"))
        state.type("1")
        state.type("000000001")
        #expect(render(state).text.contains("‼ safety item 9 = 1"))
        state.press(.enter, .char("y"))
        #expect(state.message?.isError == true && state.message?.text.hasPrefix("SAFETY: PHQ-9 item 9") == true)
        // The alert is there at once, first, not on the next tick.
        #expect(state.alerts.first?.kind == .safetyFollowUp && state.alerts.first?.patient == patient)
        #expect(state.caseload.flags[patient]?.safetyFollowUps == 1)
        // The Patients pane marks the patient with a red ‼.
        state.press(.escape)
        state.focus = .patients
        showInList(&state, patient)
        let canvas = render(state)
        let hits = (0..<canvas.height).flatMap { y in (0..<canvas.width).map { (x: $0, y: y) } }.filter { canvas[$0.x, $0.y].text == "‼" }
        #expect(!hits.isEmpty && hits.allSatisfy { canvas[$0.x, $0.y].role == .statusError || canvas[$0.x, $0.y].role == .selection })

        // F in the record: who, when (now by default), what was done.
        state.press(.enter)
        state.press(.char("F"))
        guard case .safetyFollowUp(let who, _)? = state.forms.last?.purpose else { Issue.record("no follow-up form"); return }
        #expect(who == patient)
        state.type("the patient, in person")
        state.press(.tab, .tab)
        state.type("safety plan reviewed; crisis line given")
        state.press(.ctrl("s"))
        #expect(state.forms.isEmpty)
        let f = try #require(state.document.patient(patient)?.measures.first?.followUp)
        #expect(f.who == "the patient, in person" && f.action == "safety plan reviewed; crisis line given" && !f.when.isEmpty)
        #expect(!state.alerts.contains { $0.kind == .safetyFollowUp })
        #expect(state.caseload.flags[patient]?.safetyFollowUps == 0)
        #expect(state.message?.text.contains("the alert is cleared") == true)
        // Nothing left to follow up.
        state.press(.char("F"))
        #expect(state.forms.isEmpty && state.message?.text.hasPrefix("No safety item awaits") == true)
    }

    // MARK: Screens

    @Test func theFormMidwayThroughAPHQ9At80x24() throws {
        var (state, _) = try Self.recordOpen()
        state.press(.char("M"))
        try check(state, "measure-choose-80x24")
        state.type("1")
        state.type("21032")
        try check(state, "measure-phq9-80x24")
    }

    @Test func theBAMsSeventeenItemsFitAt80x24AndTheSigningQuestionShows() throws {
        var (state, _) = try Self.recordOpen()
        state.press(.char("M"))
        state.type("3")
        state.type("21310243420324314")
        state.press(.enter)
        try check(state, "measure-bam-confirm-80x24")
    }

    @Test func theFormAt120x40WithTheSafetyItemAnswered() throws {
        var (state, _) = try Self.recordOpen(width: 120, height: 40)
        state.press(.char("M"))
        state.type("1")
        state.type("332211102")
        try check(state, "measure-phq9-safety-120x40")
    }

    /// A patient with three PHQ-9s (the last with the safety item awaiting follow-up), two GAD-7s, a BAM, one
    /// followed-up safety item and a measure of an instrument whose file is gone.
    static func measuredDocument() throws -> (CaseloadDocument, PatientID) {
        var doc = UIFixtures.demo
        let i = try #require(doc.patients.firstIndex { $0.status == .active })
        let staff = try #require(doc.staff.first?.id)
        func day(_ s: String) throws -> LocalDate { try #require(LocalDate(iso: s)) }
        let signed = Signature(by: staff, at: Timestamp(seconds: 1_796_000_000))
        doc.patients[i].measures = [
            Measure(id: "m1", instrument: "phq9", date: try day("2026-10-01"), scores: [2, 2, 2, 2, 2, 2, 1, 1, 1], by: staff, safetyItem: 9, signature: signed,
                    followUp: SafetyFollowUp(who: "the patient, in person", when: "same day 16:00", action: "safety plan made", by: staff, at: signed.at)),
            Measure(id: "m2", instrument: "gad7", date: try day("2026-10-01"), scores: [2, 2, 2, 2, 2, 1, 1], by: staff, signature: signed),
            Measure(id: "m3", instrument: "bam", date: try day("2026-10-02"), scores: [2, 1, 3, 1, 0, 2, 4, 3, 4, 2, 1, 0, 3, 2, 4, 3, 1], by: staff, signature: signed),
            Measure(id: "m4", instrument: "phq9", date: try day("2026-10-31"), scores: [2, 1, 1, 1, 1, 1, 1, 1, 0], by: staff, safetyItem: 9, signature: signed),
            Measure(id: "m5", instrument: "gad7", date: try day("2026-10-31"), scores: [1, 1, 1, 1, 1, 1, 0], by: staff, signature: signed),
            Measure(id: "m6", instrument: "phq9", date: try day("2026-11-30"), scores: [1, 1, 1, 1, 1, 1, 0, 0, 1], by: staff, safetyItem: 9, signature: signed),
            Measure(id: "m7", instrument: "drink3", date: try day("2026-11-30"), scores: [1, 2, 0], by: staff, signature: signed),
        ]
        return (doc, doc.patients[i].id)
    }

    @Test func theRecordsMeasuresSectionShowsLatestBandTrendSignatureAndSafety() throws {
        let (doc, patient) = try Self.measuredDocument()
        let p = try #require(doc.patient(patient))
        let lines = recordMeasureLines(for: p, in: doc, instruments: Instrument.builtIns, today: try #require(LocalDate(iso: "2026-11-30")), width: 76)
            .map(\.text)
        let text = lines.joined(separator: "\n")
        // PHQ-9 latest 2026-11-30: 1·6 + 0 + 0 + 1 = 7, mild; trend 15 → 9 → 7 (hand-summed).
        #expect(text.contains("PHQ-9 (depression)  2026-11-30  7 mild  trend 15 → 9 → 7  ✓ signed"))
        // GAD-7: 12 → 6.
        #expect(text.contains("GAD-7 (anxiety)     2026-10-31  6 mild  trend 12 → 6  ✓ signed"))
        // BAM: Use 3, Risk 14, Protective 14.
        #expect(text.contains("Use 3 use reported") && text.contains("Risk 14 elevated") && text.contains("Protective 14 adequate"))
        #expect(text.contains("‼ SAFETY: PHQ-9 2026-11-30 item 9 (self-harm thoughts) = 1"))
        #expect(text.contains("Safety follow-up of PHQ-9 2026-10-01 (item 9 = 1)"))
        #expect(text.contains("drink3 (instrument no longer known) 2026-11-30 scores 1 2 0"))
        #expect(lines.allSatisfy { TextWidth.of($0) <= 76 })
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func theRecordsMeasuresSection(size: (Int, Int)) throws {
        let (doc, _) = try Self.measuredDocument()
        var (state, _) = try Self.recordOpen(width: size.0, height: size.1, document: doc)
        var record = try #require(state.record)
        record.scroll = try #require(record.lines.firstIndex { $0.section == RecordSection.measures })
        state.record = record
        try check(state, "record-measures-\(size.0)x\(size.1)")
    }
}
