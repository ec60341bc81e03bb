import CaseloadCore
@testable import CaseloadUI
import Foundation
import GoldenFiles
import Testing

/// Whole screens as text, compared with checked-in files. Set GOLDEN_UPDATE=1 to rewrite them after a deliberate change.
@Suite struct SnapshotTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

    func check(_ state: AppState, _ name: String) throws {
        let actual = render(state).text + "\n"
        let problem = try GoldenFile.mismatch(actual, file: Self.folder.appendingPathComponent(name + ".txt"))
        #expect(problem == nil, "screen \(name): \(problem ?? "")\nthe whole new screen:\n\(actual)")
    }

    @Test func smallDemoAt80x24() throws {
        try check(UIFixtures.state(width: 80, height: 24), "demo-80x24")
    }

    @Test func smallDemoAt120x40() throws {
        try check(UIFixtures.state(width: 120, height: 40), "demo-120x40")
    }

    @Test func focusedPaneAloneAt60x20() throws {
        var state = UIFixtures.state(width: 60, height: 20)
        state.focus = .patients
        try check(state, "patients-60x20")
    }

    @Test func tooSmallScreen() throws {
        try check(UIFixtures.state(width: 19, height: 5), "too-small-19x5")
    }

    @Test func helpOverlay() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.overlay = .help(scroll: 0)
        try check(state, "help-80x24")
    }

    /// The Patients pane in front, at both sizes: columns shrink at 80 columns.
    @Test(arguments: [(80, 24), (120, 40)])
    func patientList(size: (Int, Int)) throws {
        var state = UIFixtures.state(width: size.0, height: size.1)
        state.focus = .patients
        try check(state, "patients-\(size.0)x\(size.1)")
    }

    /// A filtered list in the single-pane layout, where every column fits.
    @Test func filteredPatientListAlone() throws {
        var state = UIFixtures.state(width: 78, height: 20)
        state.focus = .patients
        state.press(.char("/"))
        state.type("an")
        try check(state, "patients-filtered-78x20")
    }

    /// The Record's Access section at 80×24, as a director sees it: who opened, changed, signed or sent, newest first,
    /// the time in the program's zone, and how each person was identified.
    @Test func recordAccessSection() throws {
        var state = AppState(document: UIFixtures.demo, fileName: "demo.json", now: UIFixtures.now, width: 80, height: 24, login: "dreyes", identity: .slot)
        let patient = try #require(state.document.patients.first { $0.legal != nil && !$0.consents.isEmpty && $0.treatmentPlan != nil && !$0.medications.isEmpty })
        let p = "patient:\(patient.id.rawValue)"
        // Sunday 29 November 2026, from 09:00 in Chicago (15:00 UTC).
        let sunday = UIFixtures.now.addingTimeInterval(-(9 * 3600 + 5 * 60) - 24 * 3600)
        func at(_ minutes: Double) -> Date { sunday.addingTimeInterval(minutes * 60) }
        _ = update(&state, .auditLoaded([
            AuditEntry(sequence: 1, at: at(0), who: "pnatarajan", identity: .slot, action: "record.open", ids: [p]),
            AuditEntry(sequence: 2, at: at(14), who: "mbell", identity: .account, action: "edit",
                       ids: ["session:ses_1", p, "field:attendance[\(patient.id.rawValue)].status"]),
            AuditEntry(sequence: 3, at: at(20), who: "mbell", identity: .slot, action: "note.sign", ids: ["session:ses_1", p, "note:\(patient.id.rawValue)"]),
            AuditEntry(sequence: 4, at: at(31), who: "root", identity: .unmapped, action: "record.open", ids: [p]),
            AuditEntry(sequence: 5, at: at(40), who: "dreyes", identity: .account, action: "edit", ids: [p, "field:phone", "field:emergencyContact.phone"]),
            AuditEntry(sequence: 6, at: at(62), who: "dreyes", identity: .slot, action: "letter",
                       ids: ["report:letter", p, "period:2026-11-01..2026-11-28", "format:text", "consent:con_1"]),
        ]))
        state.focus = .patients
        showInList(&state, patient.id)
        state.press(.enter)
        state.press(.char("G"))
        try check(state, "record-access-80x24")
    }

    /// A full record: the first demo patient with probation, medications, consents and a plan.
    @Test(arguments: [(80, 24), (120, 40)])
    func patientRecord(size: (Int, Int)) throws {
        var state = UIFixtures.state(width: size.0, height: size.1)
        let patient = try #require(state.document.patients.first { $0.legal != nil && !$0.consents.isEmpty && $0.treatmentPlan != nil && !$0.medications.isEmpty })
        state.focus = .patients
        showInList(&state, patient.id)
        state.press(.enter)
        try check(state, "record-\(size.0)x\(size.1)")
        if size.1 == 40 {
            state.press(.tab, .tab, .tab, .tab, .tab)
            try check(state, "record-\(size.0)x\(size.1)-scrolled")
        }
    }

    @Test func newPatientForm() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.focus = .patients
        state.press(.char("n"))
        state.type("Zoë Ångström-Nakamura")
        state.press(.tab)
        try check(state, "new-patient-80x24")
    }

    /// A week with three sessions at once on Tuesday evening, a full-day Saturday workshop and an early-morning session
    /// before the day's hours (the grid grows to show it).
    static func busyWeek() -> CaseloadDocument {
        var doc = UIFixtures.demo
        doc.series = []
        doc.sessions = []
        let tue = LocalDate(iso: "2026-12-01") ?? LocalDate(dayNumber: 0)
        let sat = tue.adding(days: 4)
        func session(_ id: String, _ date: LocalDate, _ start: Int, _ minutes: Int, _ title: String, _ kind: SessionKind, room: Int) -> Session {
            Session(id: SessionID(id), date: date, start: LocalTime(clamping: start), durationMinutes: minutes, title: title, kind: kind,
                    room: doc.program.rooms[room % doc.program.rooms.count].id)
        }
        doc.sessions = [
            session("ses_a", tue, 18 * 60, 180, "IOP-A Evening", .group, room: 0),
            session("ses_b", tue, 18 * 60 + 30, 90, "Family program", .family, room: 1),
            session("ses_c", tue, 19 * 60, 60, "Individual · Ana", .individual, room: 2),
            session("ses_d", sat, 9 * 60, 420, "Saturday workshop", .group, room: 0),
            session("ses_e", tue.adding(days: 1), 7 * 60, 60, "Early check-in", .individual, room: 2),
        ]
        return doc
    }

    @Test func weekWithOverlapsAFullDayAndAnEarlySession() throws {
        var state = UIFixtures.state(width: 120, height: 40, document: Self.busyWeek())
        state.focus = .week
        try check(state, "week-overlaps-120x40")
        state.cursorMinutes = 9 * 60
        state.cursorDay = 5
        try check(state, "week-fullday-120x40")
    }

    /// The week of the spring-forward change (Sunday 14 March 2027 in Chicago): the 18:00 group stays at 18:00.
    @Test func daylightSavingWeek() throws {
        var doc = UIFixtures.demo
        let march = LocalDate(iso: "2027-03-08") ?? LocalDate(dayNumber: 0)
        doc.series = [Series(id: "ser_dst", title: "IOP-A Evening", kind: .group, room: doc.program.rooms[0].id, weekdays: [.mon, .wed, .thu, .sun],
                             start: LocalTime(clamping: 18 * 60), durationMinutes: 180, startDate: march.adding(days: -14))]
        doc.sessions = []
        var state = UIFixtures.state(width: 100, height: 30, document: doc)
        state.focus = .week
        state.press(.char("g"))
        state.type("2027-03-14")
        state.press(.enter)
        try check(state, "week-dst-100x30")
    }

    @Test func weekAloneInANarrowTerminal() throws {
        var state = UIFixtures.state(width: 60, height: 20, document: Self.busyWeek())
        state.focus = .week
        state.press(.char("l"))
        try check(state, "week-60x20")
    }

    /// The report preview of the first demo patient on probation, over the default period (four weeks to today).
    static func reportPreview(width: Int, height: Int, csv: Bool) throws -> AppState {
        var state = UIFixtures.state(width: width, height: height)
        let patient = try #require(state.document.patients.first { $0.legal != nil })
        state.focus = .patients
        showInList(&state, patient.id)
        state.press(.char("r"))
        if csv { state.press(.tab, .tab, .tab, .right) }  // past Make, From, To: Format csv
        state.press(.ctrl("s"))
        #expect(state.reportPreview != nil)
        #expect(state.reportPreview?.title.hasSuffix(csv ? "· csv" : "· text") == true)
        return state
    }

    /// CSV and text previews: one row per line, the position in the bottom border, › on lines that go on.
    @Test(arguments: [(80, 24), (120, 40)])
    func reportPreview(size: (Int, Int)) throws {
        try check(Self.reportPreview(width: size.0, height: size.1, csv: true), "report-csv-\(size.0)x\(size.1)")
        try check(Self.reportPreview(width: size.0, height: size.1, csv: false), "report-text-\(size.0)x\(size.1)")
    }

    /// The text preview moved right and down: ‹ marks lines cut on the left, the hint bar lists the preview's keys.
    @Test func reportPreviewScrolled() throws {
        var state = try Self.reportPreview(width: 80, height: 24, csv: false)
        state.press(.char("l"), .char("l"), .ctrl("d"))
        try check(state, "report-text-80x24-scrolled")
    }

    /// The alerts at 80 columns: long ones wrap under their text, the hint bar lists the overlay's keys.
    @Test func alertsAt80x24() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.press(.char("!"))
        try check(state, "alerts-80x24")
        state.press(.ctrl("d"))
        try check(state, "alerts-80x24-half-page")
    }

    /// A drug-court letter just written at 80×24: the box names the file and the disclosure; r opens the record at its log.
    @Test func letterWrittenAndTheRecordsDisclosureLog() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.login = state.document.staff.first?.login
        let patient = try #require(state.document.patients.first { $0.legal?.kind == .drugCourt && $0.status == .active })
        state.focus = .patients
        showInList(&state, patient.id)
        state.press(.char("r"), .right, .tab, .ctrl("u"))
        state.type("2026-11-01")
        state.press(.tab, .ctrl("u"))
        state.type("2026-11-30")
        state.press(.ctrl("s"))
        guard case .prepareWrite(var request)? = state.press(.char("w")).first else { Issue.record("no write asked for"); return }
        request.path = "/home/dreyes/" + request.defaultName
        request.shown = "~/" + request.defaultName
        let effects = update(&state, .writeTargetReady(request))
        #expect(effects.contains(.writeFile(request)))
        state.answerAudits(effects)
        _ = update(&state, .reportWritten(request))
        try check(state, "letter-written-80x24")
        state.press(.char("r"))
        try check(state, "record-disclosures-80x24")
    }

    /// The alerts at 80×24 after a probation absence is marked reported with `r`: its group is gone.
    @Test func alertsAfterMarkingAnAbsenceReported() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.press(.char("!"))
        let index = try #require(state.alerts.firstIndex { $0.kind == .supervisedAbsence })
        for _ in 0..<index { state.press(.char("j")) }
        state.press(.char("r"))
        try check(state, "alerts-mark-reported-80x24")
        state.type("Phoned the coordinator 2026-11-30 09:10")
        state.press(.enter)
        #expect(!state.alerts.contains { $0.kind == .supervisedAbsence })
        try check(state, "alerts-after-reported-80x24")
    }

    /// The Session pane in front at 80×24: tonight's group with its roster.
    @Test func sessionPaneFocusedAt80x24() throws {
        var state = UIFixtures.state(width: 80, height: 24)
        state.focus = .session
        try check(state, "session-focused-80x24")
    }
}
