import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// Forms do not mislead: a hint never reads as a value, required fields are required, a note reopens at its first field,
/// typing into a choice is never dropped silently, and Ctrl-C's hint fits where the keys are.
@Suite struct FormHonestyTests {
    static let today = LocalDate(year: 2026, month: 11, day: 30)!

    static func kinds() -> Form {
        Form(title: "New session", fields: [
            .choice("kind", "Kind", options: ["group", "individual", "family", "intake"]),
            .text("start", "Starts at", "", required: true, hint: "e.g. 18:00, 6pm"),
        ])
    }

    func type(_ text: String, into form: inout Form) {
        for c in text { _ = form.handle(.char(c), today: Self.today) }
    }

    @Test func aHintIsLabelledAndDimmedSoItNeverReadsAsAValue() throws {
        var form = Self.kinds()
        _ = form.handle(.tab, today: Self.today)
        var canvas = Canvas(width: 80, height: 24)
        let rect = form.overlayRect(in: canvas.bounds)
        form.layout(in: rect)
        form.draw(into: &canvas, rect: rect, today: Self.today)
        let row = try #require(canvas.lines.firstIndex { $0.contains("e.g. 18:00, 6pm") })
        let line = canvas.lines[row]
        #expect(line.contains("hint: e.g. 18:00, 6pm"), "labelled in the text itself (NO_COLOR shows no dimming): \(line)")
        #expect(!canvas.lines[row].contains("Starts at"), "on its own row, under the field, not in the value column")
        let x = try #require(line.range(of: "hint:").map { line.distance(from: line.startIndex, to: $0.lowerBound) })
        #expect(canvas[x, row].role == .dim)
    }

    @Test func typingIntoAChoicePicksByTheTypedStartAndSaysWhenNothingMatches() {
        var form = Self.kinds()
        type("in", into: &form)
        #expect(form.text("kind") == "individual", "i goes to individual, n keeps it (\"in\")")
        type("t", into: &form)
        #expect(form.text("kind") == "intake", "\"int\" is intake")
        _ = form.handle(.right, today: Self.today)
        #expect(form.text("kind") == "group", "→ wraps to the first")
        type("f", into: &form)
        #expect(form.text("kind") == "family")
        #expect(form.choiceNotice == nil)
        type("z", into: &form)
        #expect(form.text("kind") == "family", "no option starts with z: the choice stays")
        #expect(form.choiceNotice?.contains("“z”") == true)
        var canvas = Canvas(width: 80, height: 24)
        let rect = form.overlayRect(in: canvas.bounds)
        form.layout(in: rect)
        form.draw(into: &canvas, rect: rect, today: Self.today)
        #expect(canvas.lines.contains { $0.contains("no choice starts with “z”") && $0.contains("←/→") }, "said on the form")
        _ = form.handle(.right, today: Self.today)
        #expect(form.choiceNotice == nil, "the next key clears it")
    }

    /// The group of SessionPaneTests, with the group-note form open on a new note.
    static func groupNoteOpen() -> AppState {
        var (state, _) = SessionPaneTests.opened()
        state.memberIndex = 0
        state.press(.char("G"))
        return state
    }

    @Test func ctrlSWithAnEmptyTopicIsRefusedNamingTheFieldWithTheCursorOnIt() throws {
        var state = Self.groupNoteOpen()
        state.press(.tab, .tab)
        state.type("We talked about sleep.")
        state.press(.ctrl("s"))
        let frame = try #require(state.forms.last, "the form stays open")
        #expect(frame.form.focusedField?.id == "topic")
        #expect(frame.form.errors["topic"] == Form.requiredError)
        let message = try #require(state.message)
        #expect(message.isError)
        #expect(message.text.contains("Topic is required"), "got: \(message.text)")
        #expect(state.document.sessions.first { $0.series == "ser_ten" }?.groupNote == nil, "nothing was saved")
        #expect(frame.form.text("narrative") == "We talked about sleep.", "what was typed is kept")
        state.type("Sleep hygiene")
        state.press(.ctrl("s"))
        #expect(state.forms.isEmpty)
        let note = try #require(state.document.sessions.first { $0.series == "ser_ten" }?.groupNote)
        #expect(note.topic == "Sleep hygiene")
        #expect(!render(state).text.contains("(no topic)"))
    }

    @Test func aReopenedNoteStartsAtItsFirstField() throws {
        var state = Self.groupNoteOpen()
        state.type("Coping skills")
        state.press(.tab, .tab)
        state.type("Narrative.")
        state.press(.ctrl("s"))
        state.press(.char("G"))
        let form = try #require(state.forms.last?.form)
        #expect(form.focusedField?.id == "topic", "not the narrative: a topic typed first lands in the topic")
        #expect(form.text("topic") == "Coping skills")
    }

    @Test func aGroupNoteWithoutATopicIsNotSigned() throws {
        var (state, _) = SessionPaneTests.opened()
        state.memberIndex = 0
        _ = update(&state, .externalEditFinished(.groupNarrative(try #require(state.selectedSession)), .changed("Only a narrative.")))
        #expect(state.document.sessions.first { $0.series == "ser_ten" }?.groupNote?.topic == "")
        #expect(render(state).text.contains("topic not written"), "the pane says what is missing")
        state.press(.char("S"))
        #expect(state.modal == nil)
        #expect(state.message?.text.contains("no topic") == true)
    }

    @Test func ctrlCInsideAFormDoesNotSayPressQ() {
        var state = Self.groupNoteOpen()
        #expect(!interruptHint(state).contains("press q"))
        #expect(interruptHint(state).contains("Esc"))
        state.forms = []
        #expect(interruptHint(state).contains("press q"), "on the panes q does quit")
        state.memberIndex = 1
        state.press(.char("R"))
        #expect(state.record != nil)
        #expect(interruptHint(state).contains("Esc closes this"), "q would only close the record")
    }
}
