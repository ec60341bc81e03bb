@testable import CaseloadUI
import CaseloadCore
import CaseloadDemo
import Foundation
import Testing

/// What the screen derives from the document after an edit (taking what the edit left alone from before) equals what it
/// derives from scratch, through a seeded walk of roll marks, phase steps, undo and redo.
@Suite struct DerivedDataTests {
    /// The figures built afresh from the state's document.
    static func fresh(_ state: AppState) -> (CaseloadData, WeekData) {
        let schedule = ScheduleIndex(state.document)
        let caseload = CaseloadData(document: state.document, schedule: schedule, now: state.viewNow, today: state.today, firstWeekday: state.firstWeekday)
        return (caseload, WeekData(document: state.document, schedule: schedule, weekStart: state.weekStart))
    }

    /// The patients whose entries differ (or are in one only).
    static func differing<Value: Equatable>(_ a: [PatientID: Value], _ b: [PatientID: Value]) -> [PatientID] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted { $0.rawValue < $1.rawValue }
    }

    static func expectSame(_ state: AppState, _ what: String) {
        let (caseload, week) = fresh(state)
        #expect(state.caseload.today == caseload.today && state.caseload.week == caseload.week, "\(what): day")
        #expect(differing(state.caseload.keys, caseload.keys).isEmpty, "\(what): search keys of \(differing(state.caseload.keys, caseload.keys))")
        #expect(differing(state.caseload.progress, caseload.progress).isEmpty, "\(what): hours of \(differing(state.caseload.progress, caseload.progress))")
        #expect(differing(state.caseload.nextSession, caseload.nextSession).isEmpty, "\(what): next session of \(differing(state.caseload.nextSession, caseload.nextSession))")
        #expect(differing(state.caseload.flags, caseload.flags).isEmpty, "\(what): flags of \(differing(state.caseload.flags, caseload.flags))")
        #expect(state.document.patients.allSatisfy { state.caseload.nameOrder.rank($0) == caseload.nameOrder.rank($0) }, "\(what): name order")
        #expect(differing(state.week.patientsByID, week.patientsByID).isEmpty, "\(what): the week's patients \(differing(state.week.patientsByID, week.patientsByID))")
        #expect(state.week.sessions == week.sessions && state.week.minutesByPatient == week.minutesByPatient, "\(what): the week")
        let list = PatientSearch.run(state.document.patients, keys: caseload.keys, query: state.patientQuery, status: state.statusFilter,
                                     sort: state.patientSort, program: state.document.program, today: caseload.today) { caseload.minutesBehind($0) }
        #expect(state.patientList.map(\.id) == list.map(\.id), "\(what): the list")
    }

    @Test func aSeededWalkOfEditsKeepsTheFiguresEqualToFreshOnes() {
        var state = UIFixtures.state()
        var random = SeededGenerator(seed: 14)
        var made = 0
        func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        for step in 0..<400 {
            let before = state.document
            switch pick(6) {
            case 0, 1:
                // Somewhere in the week, into the Session pane, down to a member, and a mark, a removal from the
                // session (confirmed) or a drop-in added (the first one offered).
                state.press(.char("2"))
                for _ in 0..<pick(4) { state.press([Key.char("h"), .char("l"), .char("j"), .char("k")][pick(4)]) }
                state.press(.enter)
                for _ in 0..<pick(5) { state.press(.char("j")) }
                switch pick(8) {
                case 0: state.press(.char("-"), .char("y"), .enter)
                case 1: state.press(.char("+"), .enter)
                default: state.press([Key.char(" "), .char("p"), .char("a")][pick(3)])
                }
            case 2:
                // A phase step for some patient; the list may be sorted by hours behind.
                state.press(.char("1"))
                if pick(4) == 0 { state.press(.char("s")) }
                for _ in 0..<pick(8) { state.press(.char("j")) }
                state.press([Key.char(">"), .char("<")][pick(2)])
            case 3:
                state.press(.char("1"), .char("u"))
            case 4:
                state.press(.char("1"), .ctrl("r"))
            default:
                // A filter typed and kept, or cleared.
                state.press(.char("1"), .char("/"), .char(["a", "e", "o"][pick(3)]))
                state.press(pick(2) == 0 ? .tab : .escape)
            }
            state.press(.escape)
            if state.document != before { made += 1 }
            Self.expectSame(state, "step \(step)")
        }
        #expect(made > 100, "the walk changed the document \(made) times")
        #expect(state.history.canUndo, "the walk made edits")
    }

    @Test func aDropInAndItsUndoChangeTheHoursOfAPatientWhoseOnlySessionItIs() throws {
        // An active patient on no roster: the drop-in is their only session this week, and undoing it leaves them none.
        var doc = UIFixtures.demo
        var newcomer = try #require(doc.patients.first { $0.status == .active })
        newcomer.id = "pat_newcomer"
        newcomer.mrn = "NEW-0001"
        newcomer.legalName = "Aa Newcomer"
        newcomer.preferredName = nil
        doc.patients.append(newcomer)
        var state = UIFixtures.state(document: doc)
        #expect(!state.caseload.weekMembers.contains(newcomer.id))
        state.press(.char("2"), .char("t"))
        state.cursorMinutes = 18 * 60
        _ = try #require(state.selectedSession)
        state.press(.enter, .char("+"), .enter)
        #expect(state.caseload.weekMembers.contains(newcomer.id), "the drop-in was added: \(state.message?.text ?? "")")
        Self.expectSame(state, "after the drop-in")
        state.press(.char("u"))
        #expect(!state.caseload.weekMembers.contains(newcomer.id))
        Self.expectSame(state, "after undoing it")
    }

    @Test func aPatientEditRefreshesOnlyThatPatientsFiguresYetEqualsFreshOnes() {
        var state = UIFixtures.state()
        state.press(.char("1"))
        for _ in 0..<5 {
            state.press(.char("j"), .char(">"))
            Self.expectSame(state, "after a phase step")
        }
        state.press(.char("u"), .char("u"))
        Self.expectSame(state, "after undo")
    }
}
