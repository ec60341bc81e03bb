import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The Patients pane, the record and the patient forms, driven by keys through `update`.
@Suite struct PatientsPaneTests {
    /// The demo plus patients whose names test search in other scripts.
    static func document() -> CaseloadDocument {
        var doc = UIFixtures.demo
        let phase = doc.program.phases[0]
        let today = Recurrence.local(UIFixtures.now, in: UIFixtures.zone).date
        func admit(_ id: String, _ mrn: String, _ name: String, status: PatientStatus = .active) {
            doc.patients.append(Patient(id: PatientID(id), mrn: mrn, legalName: name, status: status, admissionDate: today.adding(days: -20),
                                        careHistory: [CareEntry(date: today.adding(days: -20), levelOfCare: phase.levelOfCare, phase: phase.id)]))
        }
        admit("pat_t1", "T-9001", "Joséphine Álvarez-Quiñones")
        admit("pat_t2", "T-9002", "Nguyễn Văn Thượng")
        admit("pat_t3", "T-9003", "황보예린")
        admit("pat_t4", "T-9004", "Zoë Waitlisted", status: .waitlist)
        return doc
    }

    static func state(width: Int = 120, height: Int = 40) -> AppState {
        var state = UIFixtures.state(width: width, height: height, document: document())
        state.focus = .patients
        return state
    }

    var names: (AppState) -> [String] { { $0.patientList.map(\.legalName) } }

    @Test func filterIgnoresAccentsAndCaseAndFindsHangul() {
        var state = Self.state()
        state.press(.char("/"))
        #expect(state.isTypingPatientQuery)
        state.type("josephine")
        #expect(names(state) == ["Joséphine Álvarez-Quiñones"])
        #expect(render(state).text.contains("1 shown"))
        state.press(.ctrl("u"))
        state.type("NGUYEN van thuong")
        #expect(names(state) == ["Nguyễn Văn Thượng"])
        state.press(.ctrl("u"))
        state.type("보예")
        #expect(names(state) == ["황보예린"])
        // Esc clears the filter and shows everyone active again.
        state.press(.escape)
        #expect(state.patientQuery.isEmpty)
        #expect(!state.isTypingPatientQuery)
        #expect(state.patientList.count == state.document.patients.filter { $0.status == .active }.count)
    }

    @Test func tabKeepsTheFilterEnterOpensTheHighlightedPatient() {
        var state = Self.state()
        state.press(.char("/"))
        state.type("a")
        let shown = state.patientList.count
        #expect(shown > 2)
        state.press(.backspace, .char("a"), .tab)
        #expect(!state.isTypingPatientQuery)
        #expect(state.patientList.count == shown)
        state.press(.char("j"))
        #expect(state.patientIndex == 1)
        state.press(.escape)
        #expect(state.patientQuery.isEmpty)
        // Enter while typing opens the highlighted patient; closing the record returns to the filtered list.
        state.press(.char("/"), .char("a"), .down, .enter)
        #expect(state.record?.patient == state.patientList[1].id)
        state.press(.escape)
        #expect(state.record == nil)
        #expect(state.patientQuery == "a")
    }

    @Test func statusFilterAndSortCycle() {
        var state = Self.state()
        let active = state.patientList.count
        state.press(.char("f"))
        #expect(state.statusFilter == .waitlist)
        #expect(state.patientList.contains { $0.legalName == "Zoë Waitlisted" })
        #expect(!state.patientList.contains { $0.status == .active })
        #expect(render(state).lines[1].contains("waitlist"))
        state.press(.char("f"), .char("f"), .char("f"))
        #expect(state.statusFilter == .all)
        #expect(state.patientList.count == state.document.patients.count)
        state.press(.char("f"))
        #expect(state.patientList.count == active)

        state.press(.char("s"))
        #expect(state.patientSort == .admission)
        let dates = state.patientList.compactMap(\.admissionDate)
        #expect(dates == dates.sorted(by: >))
        state.press(.char("s"), .char("s"))
        #expect(state.patientSort == .hoursBehind)
        let behind = state.patientList.map { state.caseload.minutesBehind($0.id) }
        #expect(behind == behind.sorted(by: >))
        #expect(render(state).lines[1].contains("by behind"))
    }

    @Test func formTextEditingWithWideCharactersAndEmacsKeys() throws {
        var state = Self.state()
        state.press(.char("n"))
        #expect(state.forms.count == 1)
        state.type("김민준 Zoë")
        state.press(.left, .left, .left, .char("X"))
        #expect(state.forms.last?.form.text("legalName") == "김민준 XZoë")
        state.press(.ctrl("e"), .ctrl("w"))
        #expect(state.forms.last?.form.text("legalName") == "김민준 ")
        state.press(.ctrl("a"), .right, .ctrl("k"))
        #expect(state.forms.last?.form.text("legalName") == "김")
        // A paste arrives as many keys: 2,000 characters land whole.
        let long = String(repeating: "Ångström-Nakamura ", count: 112)
        state.type(long)
        #expect(state.forms.last?.form.text("legalName") == "김" + long)
        _ = render(state)
    }

    @Test func validationShowsAtTheFieldAndBlocksSubmit() throws {
        var state = Self.state()
        state.press(.char("n"))
        state.press(.tab)  // leaves the empty legal name
        #expect(state.forms.last?.form.errors["legalName"] != nil)
        // Date of birth in the future is refused as the field is left.
        state.press(.tab, .tab)
        #expect(state.forms.last?.form.focusedField?.id == "dob")
        state.type("+2d")
        state.press(.tab)
        #expect(state.forms.last?.form.errors["dob"] == "the date of birth must be in the past")
        state.press(.ctrl("s"))
        #expect(state.forms.count == 1, "not submitted while fields are wrong")
        #expect(state.message?.isError == true)
        #expect(render(state).text.contains("the date of birth must be in the past"))
        let before = state.document
        // Esc on a changed form asks first; n keeps the form.
        state.press(.escape)
        guard case .confirm? = state.overlay else { Issue.record("Esc did not ask"); return }
        state.press(.char("n"))
        #expect(state.forms.count == 1)
        state.press(.escape, .char("y"))
        #expect(state.forms.isEmpty)
        #expect(state.document == before)
    }

    @Test func aDuplicateMRNIsRefusedAtTheField() {
        var state = Self.state()
        state.press(.char("n"))
        state.type("Test Person")
        while state.forms.last?.form.focusedField?.id != "mrn" { state.press(.tab) }
        state.press(.ctrl("u"))
        state.type("T-9001")
        state.press(.tab)
        #expect(state.forms.last?.form.errors["mrn"] == "this MRN is already used by another patient")
    }

    @Test func admittingIsOneUndoableEdit() throws {
        var state = Self.state()
        let count = state.document.patients.count
        state.press(.char("n"))
        state.type("Zoë Ångström-Nakamura")
        let effects = state.press(.ctrl("s"))
        #expect(effects.contains(.documentChanged))
        #expect(state.forms.isEmpty)
        let added = try #require(state.document.patients.last)
        #expect(added.legalName == "Zoë Ångström-Nakamura")
        #expect(added.status == .active)
        #expect(added.careHistory.first?.phase == state.document.program.phases.first?.id)
        #expect(state.selectedPatient?.id == added.id)
        state.press(.char("u"))
        #expect(state.document.patients.count == count)
    }

    @Test func aNestedItemFormAddsADiagnosisAndChecksICD10() throws {
        var state = Self.state()
        let id = try #require(state.selectedPatient?.id)
        let original = try #require(state.document.patient(id))
        state.press(.char("e"))
        while state.forms.last?.form.focusedField?.id != "diagnoses" { state.press(.tab) }
        state.press(.char("a"))
        #expect(state.forms.count == 2)
        state.type("F1020")
        state.press(.tab)
        #expect(state.forms.last?.form.errors["code"] != nil, "not ICD-10 shaped")
        state.press(.backTab, .ctrl("u"))
        state.type("f10.20")
        state.press(.tab)
        #expect(state.forms.last?.form.errors["code"] == nil)
        state.type("Alcohol use disorder, moderate")
        state.press(.ctrl("s"))
        #expect(state.forms.count == 1)
        #expect(state.forms.last?.form.listItems("diagnoses").last?.hasPrefix("F10.20") == true)
        state.press(.ctrl("s"))
        #expect(state.forms.isEmpty)
        #expect(state.document.patient(id)?.diagnoses.last?.code == "F10.20")
        #expect(state.document.patient(id)?.diagnoses.count == original.diagnoses.count + 1)
        state.press(.char("u"))
        #expect(state.document.patient(id) == original, "undo restores the record as it was")
    }

    @Test func phaseStepsAskTheDateAndReasonWhichGoIntoTheHistoryAndUndo() throws {
        var state = Self.state()
        let patient = try #require(state.patientList.first { $0.id.rawValue == "pat_t1" })
        showInList(&state, patient.id)
        let phases = state.document.program.phases
        #expect(patient.care(on: state.today)?.phase == phases[0].id, "pat_t1 starts in the first phase")
        state.press(.char(">"))
        let form = try #require(state.forms.last?.form, "asks first")
        #expect(form.title == "Step down · \(patient.displayName) · \(phases[0].name) → \(phases[1].name)")
        #expect(form.text("date") == "today", "today by default")
        #expect(state.document.patient(patient.id) == patient, "nothing changes before it is saved")
        state.press(.ctrl("s"))
        #expect(state.forms.last?.form.focusedField?.id == "reason", "the reason is required")
        #expect(state.message?.text.contains("Reason is required") == true)
        state.press(.up, .ctrl("u"))
        state.type("+3d")
        state.press(.tab)
        state.type("Met phase goals")
        state.press(.ctrl("s"))
        #expect(state.forms.isEmpty)
        let updated = try #require(state.document.patient(patient.id))
        #expect(updated.careHistory.count == patient.careHistory.count + 1)
        let entry = try #require(updated.careHistory.last)
        #expect(entry.date == state.today.adding(days: 3))
        #expect(entry.phase == phases[1].id)
        #expect(entry.note == "Met phase goals")
        #expect(state.message?.text.contains("→") == true)
        // The record's care history shows the reason.
        state.press(.enter)
        #expect(render(state).text.contains("Met phase goals"))
        state.press(.escape)
        state.press(.char("u"))
        #expect(state.document.patient(patient.id) == patient)
        // A step that cannot be taken is refused before anything is typed.
        state.press(.char("<"))
        #expect(state.forms.isEmpty)
        #expect(state.message?.isError == true, "already in the first phase")
    }

    @Test func dischargeLeavesRostersKeepsRecordsAndUndoes() throws {
        var state = Self.state()
        let doc = state.document
        // A patient on a series roster with attendance on record.
        let series = try #require(doc.series.first { !$0.members(on: state.today).isEmpty })
        let id = try #require(series.members(on: state.today).first)
        showInList(&state, id)
        #expect(state.selectedPatient?.id == id)
        state.press(.char("D"))
        #expect(state.forms.last?.form.title.hasPrefix("Discharge") == true)
        state.press(.tab, .right, .right)  // reason: administrative
        let effects = state.press(.ctrl("s"))
        #expect(effects.contains(.documentChanged))
        let after = try #require(state.document.patient(id))
        #expect(after.status == .discharged(date: state.today, reason: .administrative))
        for s in state.document.series {
            #expect(!s.members(on: state.today).contains(id), "still on \(s.title)")
            #expect(!s.members(on: state.today.adding(days: 30)).contains(id))
        }
        // Past attendance and notes are untouched.
        let past = doc.sessions.filter { $0.date < state.today && $0.hasRecord(for: id) }
        #expect(!past.isEmpty)
        for s in past { #expect(state.document.session(s.id) == s) }
        // Gone from the active list, shown under discharged.
        #expect(!state.patientList.contains { $0.id == id })
        state.press(.char("u"))
        #expect(state.document == doc)
    }

    @Test func recordOpensScrollsJumpsSectionsAndCloses() throws {
        var state = Self.state(width: 80, height: 24)
        state.press(.enter)
        let record = try #require(state.record)
        #expect(render(state).text.contains("Identity"))
        state.press(.char("j"), .char("j"))
        #expect(state.record?.scroll == 2)
        state.press(.tab)
        #expect((state.record?.scroll ?? 0) > 2)
        state.press(.char("G"))
        let bottom = state.record?.scroll ?? 0
        state.press(.char("j"))
        #expect(state.record?.scroll == bottom, "does not scroll past the end")
        state.press(.escape)
        #expect(state.record == nil)
        #expect(state.document.patient(record.patient) != nil)
    }

    @Test func revokingAConsentGoesThroughTheConsentRule() throws {
        var state = Self.state()
        let today = state.today
        // A patient with a consent that cannot be revoked before a later date.
        var patient = try #require(state.document.patients.first { $0.id.rawValue == "pat_t2" })
        patient.consents = [Consent(id: "cns_1", recipient: "Officer R. Castillo", purpose: "probation compliance", information: "attendance",
                                    signed: today.adding(days: -10), expires: today.adding(days: 170), irrevocableUntil: today.adding(days: 60))]
        state.document.patients[state.document.patients.firstIndex { $0.id == patient.id } ?? 0] = patient
        state.reloadDerived()
        showInList(&state, patient.id)
        state.press(.char("e"))
        while state.forms.last?.form.focusedField?.id != "consents" { state.press(.tab) }
        state.press(.enter)
        #expect(state.forms.count == 2)
        while state.forms.last?.form.focusedField?.id != "revoked" { state.press(.tab) }
        state.type("today")
        state.press(.ctrl("s"))
        #expect(state.forms.count == 2, "refused: irrevocable until a later date")
        #expect(state.forms.last?.form.errors["revoked"]?.contains(today.adding(days: 60).iso) == true)
        state.press(.ctrl("u"))
        state.type("+61d")
        state.press(.ctrl("s"))
        #expect(state.forms.count == 1)
        state.press(.ctrl("s"))
        #expect(state.document.patient(patient.id)?.consents.first?.revoked == today.adding(days: 61))
    }

    @Test func selectingAPatientHighlightsTheirSessionsInTheWeek() throws {
        var state = Self.state()
        let series = try #require(state.document.series.first { !$0.members(on: state.today).isEmpty })
        let id = try #require(series.members(on: state.today).first)
        showInList(&state, id)
        let canvas = render(state)
        #expect(canvas.text.contains("● "), "their sessions are marked")
        state.focus = .week
        #expect(!render(state).text.contains("● "))
    }

    @Test func narrowPanesKeepNamesInAnyScriptAligned() {
        for width in [20, 40, 60, 80, 100, 120, 160] {
            var state = Self.state(width: width, height: 24)
            state.press(.char("/"))
            state.type("t")
            let canvas = render(state)
            for line in canvas.lines { #expect(TextWidth.of(line) <= width) }
        }
    }

    @Test func reportKeyPreviewsTheAttendanceReportAndWritesIt() throws {
        var state = Self.state()
        let patient = try #require(state.selectedPatient)
        state.press(.char("r"))
        #expect(state.forms.last?.form.title.hasPrefix("Attendance report") == true)
        state.press(.tab, .tab, .tab, .right)     // kind: report; format: csv
        state.press(.ctrl("s"))
        let preview = try #require(state.reportPreview)
        #expect(preview.contents.hasPrefix("date,start,end,session,kind,status,minutes_scheduled,minutes_attended,reason"))
        #expect(preview.path.hasSuffix(".csv"))
        #expect(preview.path.contains(patient.mrn))
        #expect(render(state).text.contains("Report ·"))
        let effects = state.press(.char("w"))
        let audit = AuditEvent("report", ["report:attendance", "patient:\(patient.id.rawValue)", "period:2026-11-02..2026-11-30", "format:csv"])
        #expect(effects == [.prepareWrite(WriteRequest(path: preview.path, defaultName: preview.defaultName, contents: preview.contents, audit: audit))])
        #expect(state.reportPreview == nil)
    }
}
