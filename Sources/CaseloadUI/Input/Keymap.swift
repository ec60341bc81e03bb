import Foundation

/// Everything a key can ask the app to do.
public enum Action: Equatable, Sendable {
    case focusNext, focusPrevious, focus(PaneID)
    case help, commandLine, quit, saveNow, undo, redo, redraw, cancel
    case moveDown, moveUp, top, bottom, pageDown, pageUp, halfPageDown, halfPageUp
    case dayLeft, dayRight, timeUp, timeDown, previousWeek, nextWeek, today, weekStart, weekEnd, openSession, cycleWeekView
    case markPresent, markAbsent, cycleMark
    case openRecord, create, edit, phaseDown, phaseUp, discharge, cycleSort, cycleStatusFilter, filter
    case nextSection, previousSection, closeRecord
    case goToDate, move, cancelSession, nextOverlap
    case alerts, report
    /// The merge conflicts overlay, and its choices (issue 18).
    case conflicts, keepTheirs, keepMine, keepBoth, addAsAddendum
    /// The supervisor's co-signature queue (issue 19).
    case coSignQueue
    // Overlay-only: sideways scrolling in the report preview, writing it, going to what an alert is about.
    case scrollLeft, scrollRight, lineStart, lineEnd, writeReport, goToAlert, markReported
    case markLate, markLeftEarly, markExcused, markAllPresent, addDropIn, removeMember, openNote, groupNote, editExternally, sign, addendum, didNotTakePlace
    case viewNote, openMemberRecord
    /// The record's outcome measures (issue 19): enter a measure, record a safety follow-up.
    case enterMeasure, safetyFollowUp
    // Forms, text entry and questions (tables `form`, `textLine`, `textArea`, the field kinds, `picker`, `prompt`, `confirm`).
    case nextField, previousField, submit, choicePrevious, choiceNext, flip, listAdd, listEdit, listRemove, toggleChoice
    case cursorLeft, cursorRight, rowStart, rowEnd, deleteBackward, deleteForward, killToEnd, killToStart, deleteWord, newline
    case yes, no
    // Move mode places the block; the command line completes a name.
    case place, complete
    /// Lock the screen (from anywhere).
    case lock
    /// Issue 19, in the record: the comprehensive evaluation (`V`), and a plan started from it (`P`).
    case evaluation, planFromEvaluation
}

/// One binding: keys, what they do, how help describes it, and whether the hint bar shows it.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    public var hint: String?
    /// How the hint bar writes the keys, when not as the first key ("←/→" for a pair of bindings).
    public var hintKeys: String?
    /// The word or two a widget's footer shows after the keys ("save" in "Enter/Ctrl-S save").
    public var short: String?

    public init(_ keys: [Key], _ action: Action, _ help: String, hint: String? = nil, hintKeys: String? = nil, short: String? = nil) {
        self.keys = keys; self.action = action; self.help = help; self.hint = hint; self.hintKeys = hintKeys; self.short = short
    }

    /// The keys as the hint bar writes them.
    public var hintLabel: String { hintKeys ?? keys.first?.description ?? "" }
}

/// A named table of bindings: the keymaps are data, and help and the hint bar are generated from them.
public struct Keymap: Sendable {
    public var name: String
    public var bindings: [KeyBinding]
    /// Help lines for what is not one key: typing ("other keys", "type the command"), date forms.
    public var notes: [(keys: String, help: String)]

    public init(name: String, bindings: [KeyBinding], notes: [(keys: String, help: String)] = []) {
        self.name = name; self.bindings = bindings; self.notes = notes
    }

    public func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

    /// "h/l day · j/k 30 min": the hinted bindings on one line, for a message or a footer.
    public var hintLine: String {
        bindings.compactMap { b in b.hint.map { b.hintLabel + " " + $0 } }.joined(separator: " · ")
    }

    /// "Enter/Ctrl-S save": a binding's footer text with its keys (or those of `keys` it binds), for a widget's footer.
    public func short(_ action: Action, keys: [Key]? = nil) -> String {
        guard let binding = bindings.first(where: { $0.action == action }) else { return "" }
        let shown = keys.map { wanted in binding.keys.filter { wanted.contains($0) } } ?? binding.keys
        return Keymap.label(shown) + " " + (binding.short ?? binding.help)
    }

    /// Footer pieces joined as widgets show them: "Enter OK · Esc cancel".
    public static func footer(_ pieces: [String]) -> String { pieces.joined(separator: " · ") }

    /// "j/↓" for the help table.
    public static func label(_ keys: [Key]) -> String { keys.map(\.description).joined(separator: "/") }
}

/// The tables of DESIGN.md's key contract.
public enum Keymaps {
    public static let global = Keymap(name: "Everywhere", bindings: [
        KeyBinding([.tab], .focusNext, "next pane", hint: "pane"),
        KeyBinding([.backTab], .focusPrevious, "previous pane"),
        KeyBinding([.char("1")], .focus(.patients), "Patients pane"),
        KeyBinding([.char("2")], .focus(.week), "Week pane"),
        KeyBinding([.char("3")], .focus(.session), "Session pane"),
        KeyBinding([.char("?")], .help, "help: every key", hint: "help"),
        KeyBinding([.char("/")], .filter, "find a patient (filters the Patients list)"),
        KeyBinding([.char("!")], .alerts, "alerts: hours, absences, unsigned notes, plans, consents", hint: "alerts"),
        // Hinted only while there are conflicts, and then first (drawHintBar).
        KeyBinding([.char("C")], .conflicts, "conflicts: what another person saved differently from you; keep theirs, yours or both",
                   hint: "conflicts"),
        KeyBinding([.char("Q")], .coSignQueue, "co-signature queue: notes waiting for your co-signature, oldest first (as :cosign)"),
        KeyBinding([.char(":")], .commandLine, "command line (" + Commands.summarized.map { ":" + $0.name }.joined(separator: " ") + ")", hint: "command"),
        KeyBinding([.char("q")], .quit, "quit (after the final save)", hint: "quit"),
        KeyBinding([.ctrl("s")], .saveNow, "save now"),
        KeyBinding([.char("u")], .undo, "undo the last change", hint: "undo"),
        KeyBinding([.ctrl("r")], .redo, "redo"),
        KeyBinding([.ctrl("l")], .redraw, "redraw the screen"),
        KeyBinding([.ctrl("\\")], .lock, "lock the screen (see Locking the screen below)"),
        KeyBinding([.escape], .cancel, "cancel / close"),
    ])

    static let listMoves: [KeyBinding] = [
        KeyBinding([.char("j"), .down], .moveDown, "down", hint: "move"),
        KeyBinding([.char("k"), .up], .moveUp, "up"),
        KeyBinding([.char("g"), .home], .top, "top"),
        KeyBinding([.char("G"), .end], .bottom, "bottom"),
        KeyBinding([.pageDown], .pageDown, "page down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.ctrl("d")], .halfPageDown, "half a page down"),
        KeyBinding([.ctrl("u")], .halfPageUp, "half a page up"),
    ]

    public static let patients = Keymap(name: "Patients", bindings: listMoves + [
        KeyBinding([.enter], .openRecord, "open the patient's record", hint: "record"),
        KeyBinding([.char("/")], .filter, "filter as you type (names, MRN, phone; accents ignored); Esc clears", hint: "filter"),
        KeyBinding([.char("n")], .create, "new patient (intake form)", hint: "new"),
        KeyBinding([.char("e")], .edit, "edit the patient", hint: "edit"),
        KeyBinding([.char(">")], .phaseDown, "step down a phase (asks from when, today by default, and why)"),
        KeyBinding([.char("<")], .phaseUp, "step up a phase (asks from when and why)"),
        KeyBinding([.char("D")], .discharge, "discharge (date and reason)"),
        KeyBinding([.char("f")], .cycleStatusFilter, "show active → waitlist → on hold → discharged → all", hint: "status"),
        KeyBinding([.char("s")], .cycleSort, "sort by name → admission → phase → hours behind", hint: "sort"),
        KeyBinding([.char("r")], .report, "attendance report or letter: preview, then write to a file"),
    ])

    /// The patient record open over the panes.
    public static let record = Keymap(name: "Patient record", bindings: [
        KeyBinding([.char("j"), .down], .moveDown, "scroll down", hint: "scroll"),
        KeyBinding([.char("k"), .up], .moveUp, "scroll up"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, "page down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.char("g"), .home], .top, "top"),
        KeyBinding([.char("G"), .end], .bottom, "bottom"),
        KeyBinding([.tab], .nextSection, "next section", hint: "section"),
        KeyBinding([.backTab], .previousSection, "previous section"),
        KeyBinding([.char("e")], .edit, "edit the record", hint: "edit"),
        KeyBinding([.char("V")], .evaluation, "comprehensive evaluation: write the intake, continue or sign a draft, start a review, read a version"),
        KeyBinding([.char("P")], .planFromEvaluation, "start the treatment plan from the latest signed evaluation (each dimension rated 2+ proposes a problem)"),
        KeyBinding([.char(">")], .phaseDown, "step down a phase (asks from when, today by default, and why)", hint: "phase"),
        KeyBinding([.char("<")], .phaseUp, "step up a phase (asks from when and why)"),
        KeyBinding([.char("D")], .discharge, "discharge (date and reason)", hint: "discharge"),
        KeyBinding([.char("r")], .report, "attendance report or letter: preview, then write to a file", hint: "report"),
        KeyBinding([.char("M")], .enterMeasure, "enter an outcome measure (PHQ-9, GAD-7, BAM…): a score per item, then sign"),
        KeyBinding([.char("F")], .safetyFollowUp, "record the follow-up of a safety item answered above zero (who, when, what was done)"),
        KeyBinding([.char("[")], .previousWeek, "course of treatment: older weeks"),
        KeyBinding([.char("]")], .nextWeek, "course of treatment: newer weeks"),
        KeyBinding([.char("u")], .undo, "undo the last change"),
        KeyBinding([.escape, .char("q")], .closeRecord, "close the record", hint: "close"),
    ])

    /// The measure form over the record (`M`): digits are typed outside the table (an instrument's number, an item's score).
    public static let measureEntry = Keymap(name: "Measure form (M in the record)", bindings: [
        KeyBinding([.char("j"), .down], .moveDown, "next instrument (while choosing)"),
        KeyBinding([.char("k"), .up], .moveUp, "previous instrument (while choosing)"),
        KeyBinding([.enter], .submit, "choose the instrument; accept the date", hint: "next", short: "next"),
        KeyBinding([.backspace], .deleteBackward, "go back an item (its score is taken off); in the date, delete a character", hint: "back an item", short: "back"),
        KeyBinding([.escape], .cancel, "close the form without saving", hint: "cancel", short: "cancel"),
    ], notes: [("0–9", "the instrument's number, then each item's score in turn; the total and band show as you type"),
               ("y / n", "at the end: sign as you (the measure is saved signed), or go back to the date")])

    public static let week = Keymap(name: "Week", bindings: [
        KeyBinding([.char("h"), .left], .dayLeft, "previous day", hint: "day"),
        KeyBinding([.char("l"), .right], .dayRight, "next day"),
        KeyBinding([.char("j"), .down], .timeDown, "later (30 min)", hint: "time"),
        KeyBinding([.char("k"), .up], .timeUp, "earlier (30 min)"),
        KeyBinding([.char("[")], .previousWeek, "previous week", hint: "week"),
        KeyBinding([.char("]")], .nextWeek, "next week"),
        KeyBinding([.char("t")], .today, "today", hint: "today"),
        KeyBinding([.char("0")], .weekStart, "start of the week"),
        KeyBinding([.char("$")], .weekEnd, "end of the week"),
        KeyBinding([.char("v")], .cycleWeekView, "view: the week, one day, or the week's agenda (a list)", hint: "view"),
        KeyBinding([.enter], .openSession, "open the session in the Session pane", hint: "open"),
        KeyBinding([.char(" ")], .nextOverlap, "next of the sessions overlapping at the cursor"),
        KeyBinding([.char("g")], .goToDate, "go to a date (2026-12-01, today, fri, +2w)", hint: "go to"),
        KeyBinding([.char("n")], .create, "new session or weekly group at the cursor", hint: "new"),
        KeyBinding([.char("e")], .edit, "edit the session (asks: this one, this and following, or the whole series)", hint: "edit"),
        KeyBinding([.char("m")], .move, "move the session: h/l/j/k, Enter places it, Esc puts it back", hint: "move"),
        KeyBinding([.char("x")], .cancelSession, "cancel this occurrence (with a reason), end a series, or restore", hint: "cancel"),
    ])

    public static let session = Keymap(name: "Session", bindings: [
        KeyBinding([.char("j"), .down], .moveDown, "next member", hint: "member"),
        KeyBinding([.char("k"), .up], .moveUp, "previous member"),
        KeyBinding([.char("p")], .markPresent, "mark present (then the next member)", hint: "present"),
        KeyBinding([.char("l")], .markLate, "late (asks minutes late, 15 by default)", hint: "late"),
        KeyBinding([.char("o")], .markLeftEarly, "left early (asks minutes attended)"),
        KeyBinding([.char("e")], .markExcused, "excused (asks the reason; the notice rule is shown)", hint: "excused"),
        KeyBinding([.char("a")], .markAbsent, "absent, unexcused (then the next member)", hint: "absent"),
        KeyBinding([.char(" ")], .cycleMark, "cycle present → absent → unmarked"),
        KeyBinding([.char("P")], .markAllPresent, "everyone unmarked present", hint: "all present"),
        KeyBinding([.enter], .openNote, "write the note of the row (the group note on the first row); a signed one opens to read", hint: "note"),
        KeyBinding([.char("v")], .viewNote, "read the note of the row in full: text, signature, addenda (read-only)", hint: "read"),
        KeyBinding([.char("R")], .openMemberRecord, "open the highlighted member's record (Esc comes back here)", hint: "record"),
        KeyBinding([.char("G")], .groupNote, "write the group note (topic, modality, narrative)", hint: "group"),
        KeyBinding([.char("E")], .editExternally, "edit the note in $VISUAL / $EDITOR"),
        KeyBinding([.char("S")], .sign, "sign the note of the row as you", hint: "sign"),
        KeyBinding([.char("A")], .addendum, "add a dated addendum to a signed note"),
        KeyBinding([.char("+")], .addDropIn, "add a drop-in to this session only"),
        KeyBinding([.char("-")], .removeMember, "remove from this session only (notes are kept; a mark must be cleared first)"),
        KeyBinding([.char("x")], .cancelSession, "cancel with a reason, or restore"),
        KeyBinding([.char("X")], .didNotTakePlace, "mark as did not take place (with a reason)"),
    ])

    /// The alerts overlay (`!`); `r` marks a supervised absence reported.
    public static let alerts = Keymap(name: "Alerts (!)", bindings: [
        KeyBinding([.char("j"), .down], .moveDown, "next alert", hint: "choose"),
        KeyBinding([.char("k"), .up], .moveUp, "previous alert"),
        KeyBinding([.ctrl("d")], .halfPageDown, "half a page down", hint: "half page"),
        KeyBinding([.ctrl("u")], .halfPageUp, "half a page up"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, "page down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.char("g"), .home], .top, "first alert"),
        KeyBinding([.char("G"), .end], .bottom, "last alert"),
        KeyBinding([.enter], .goToAlert, "go to the patient's record or the session", hint: "go there"),
        KeyBinding([.char("r")], .markReported, "mark a probation / drug-court absence reported to the officer (with a note)", hint: "reported"),
        KeyBinding([.char("?")], .help, "help: every key", hint: "help"),
        KeyBinding([.escape, .char("q"), .char("!")], .cancel, "close the alerts", hint: "close"),
    ])

    /// The merge conflicts overlay (`C`, `:conflicts`): each conflict with both values; a choice resolves the highlighted one.
    public static let conflicts = Keymap(name: "Conflicts (C)", bindings: [
        KeyBinding([.char("j"), .down], .moveDown, "next conflict", hint: "choose"),
        KeyBinding([.char("k"), .up], .moveUp, "previous conflict"),
        KeyBinding([.ctrl("d")], .halfPageDown, "half a page down"),
        KeyBinding([.ctrl("u")], .halfPageUp, "half a page up"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, "page down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.char("g"), .home], .top, "first conflict"),
        KeyBinding([.char("G"), .end], .bottom, "last conflict"),
        KeyBinding([.char("t")], .keepTheirs, "keep theirs: the value saved by another person stays (also: acknowledge, or discard a proposed addendum)",
                   hint: "theirs"),
        KeyBinding([.char("m")], .keepMine, "keep mine: your value goes back in (u undoes it)", hint: "mine"),
        KeyBinding([.char("b")], .keepBoth, "keep both (text only): theirs, then yours", hint: "both"),
        KeyBinding([.char("a")], .addAsAddendum, "add your edit of a note someone signed as an addendum, signed by you", hint: "addendum"),
        KeyBinding([.enter], .goToAlert, "go to the patient's record or the session (the conflict stays listed)"),
        KeyBinding([.char("?")], .help, "help: every key"),
        KeyBinding([.escape, .char("q"), .char("C")], .cancel, "close the list (the conflicts stay until resolved)", hint: "close"),
    ])

    /// The attendance report preview, before `w` writes it.
    public static let reportPreview = Keymap(name: "Report preview", bindings: [
        KeyBinding([.char("j"), .down], .moveDown, "scroll down a line", hint: "scroll"),
        KeyBinding([.char("k"), .up], .moveUp, "scroll up a line"),
        KeyBinding([.char("h"), .left], .scrollLeft, "scroll left", hint: "sideways"),
        KeyBinding([.char("l"), .right], .scrollRight, "scroll right"),
        KeyBinding([.char("0")], .lineStart, "start of the lines"),
        KeyBinding([.char("$")], .lineEnd, "end of the longest line"),
        KeyBinding([.ctrl("d")], .halfPageDown, "half a page down", hint: "half page"),
        KeyBinding([.ctrl("u")], .halfPageUp, "half a page up"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, "page down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.char("g"), .home], .top, "top"),
        KeyBinding([.char("G"), .end], .bottom, "bottom"),
        KeyBinding([.char("w")], .writeReport, "write the report to the file named at the foot of the frame", hint: "write"),
        KeyBinding([.char("?")], .help, "help: every key", hint: "help"),
        KeyBinding([.escape, .char("q")], .cancel, "close without writing", hint: "close"),
    ])

    /// Moving a block in the Week (`m`): the block follows the keys until placed or put back.
    public static let move = Keymap(name: "Moving a session (m)", bindings: [
        KeyBinding([.char("h"), .left], .dayLeft, "a day earlier", hint: "day", hintKeys: "h/l"),
        KeyBinding([.char("l"), .right], .dayRight, "a day later"),
        KeyBinding([.char("k"), .up], .timeUp, "30 minutes earlier"),
        KeyBinding([.char("j"), .down], .timeDown, "30 minutes later", hint: "30 min", hintKeys: "j/k"),
        KeyBinding([.enter], .place, "place it there (asks first about conflicts)", hint: "place it"),
        KeyBinding([.escape], .cancel, "put it back where it was", hint: "put it back"),
    ])

    /// A note open for reading from the Session pane (`v`).
    public static let noteView = Keymap(name: "Reading a note (v)", bindings: [
        KeyBinding([.char("j"), .down], .moveDown, "scroll down", hint: "scroll"),
        KeyBinding([.char("k"), .up], .moveUp, "scroll up"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, "page down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.char("g"), .home], .top, "top"),
        KeyBinding([.char("G"), .end], .bottom, "bottom"),
        KeyBinding([.char("S")], .sign, "co-sign the note (or its addendum) waiting for your co-signature (asks first)", hint: "co-sign"),
        KeyBinding([.char("?")], .help, "help: every key", hint: "help"),
        KeyBinding([.escape, .char("q"), .char("v")], .cancel, "close the note", hint: "close"),
    ])

    /// The co-signature queue (`Q`, `:cosign`): notes and addenda waiting for the user's co-signature, oldest first.
    public static let coSignQueue = Keymap(name: "Co-signature queue (Q)", bindings: [
        KeyBinding([.char("j"), .down], .moveDown, "next note", hint: "choose"),
        KeyBinding([.char("k"), .up], .moveUp, "previous note"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, "page down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.char("g"), .home], .top, "oldest"),
        KeyBinding([.char("G"), .end], .bottom, "newest"),
        KeyBinding([.enter], .openNote, "read the note; S there co-signs it", hint: "read"),
        KeyBinding([.char("?")], .help, "help: every key", hint: "help"),
        KeyBinding([.escape, .char("q"), .char("Q")], .cancel, "close the queue", hint: "close"),
    ])

    /// The help screen itself.
    public static let help = Keymap(name: "Help (this screen)", bindings: [
        KeyBinding([.char("j"), .down], .moveDown, "scroll down", hint: "scroll"),
        KeyBinding([.char("k"), .up], .moveUp, "scroll up"),
        KeyBinding([.pageDown, .char(" ")], .pageDown, "page down", hint: "page"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.char("g"), .home], .top, "top", hint: "top"),
        KeyBinding([.char("G"), .end], .bottom, "bottom (the commands)", hint: "bottom"),
        KeyBinding([.escape, .char("q"), .char("?")], .cancel, "close help (any other key closes it too)", hint: "close"),
    ])

    /// A yes/no question ("Quit without saving?", "Replace the file?").
    public static let confirm = Keymap(name: "Yes/no questions", bindings: [
        KeyBinding([.char("y"), .char("Y")], .yes, "yes", hint: "yes"),
        KeyBinding([.char("n"), .char("N"), .escape], .no, "no (cancel)", hint: "no"),
    ])

    /// The `:` command line; printable keys type the command.
    public static let commandLine = Keymap(name: "Command line (:)", bindings: [
        KeyBinding([.enter], .submit, "run the command"),
        KeyBinding([.tab], .complete, "complete a command or theme name; shows the choices"),
        KeyBinding([.backspace], .deleteBackward, "delete the last character (when empty, close)"),
        KeyBinding([.ctrl("u")], .killToStart, "clear the line"),
        KeyBinding([.ctrl("w")], .deleteWord, "delete the last word"),
        KeyBinding([.escape], .cancel, "close without running"),
    ], notes: [("other keys", "type the command (see Commands below)")])

    /// Typing a filter in the Patients pane (`/`); printable keys type it.
    public static let filter = Keymap(name: "Typing a filter (/)", bindings: [
        KeyBinding([.enter], .openRecord, "keep the filter and open the highlighted patient"),
        KeyBinding([.tab], .submit, "keep the filter and move in the list"),
        KeyBinding([.escape], .cancel, "clear the filter"),
        KeyBinding([.backspace], .deleteBackward, "delete the last character (when empty, stop typing)"),
        KeyBinding([.ctrl("u")], .killToStart, "clear what was typed"),
        KeyBinding([.ctrl("w")], .deleteWord, "delete the last word"),
        KeyBinding([.down], .moveDown, "next patient"),
        KeyBinding([.up], .moveUp, "previous patient"),
        KeyBinding([.pageDown], .pageDown, "page down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
    ], notes: [("other keys", "type the filter")])

    /// Every form; the focused field's own table (`textLine`, `textArea`, `choiceField`, `toggleField`, `listField`) goes first.
    public static let form = Keymap(name: "Forms", bindings: [
        KeyBinding([.tab], .nextField, "next field (after the last, the first)", short: "next field"),
        KeyBinding([.backTab], .previousField, "previous field (before the first, the last)"),
        KeyBinding([.down], .moveDown, "next field (in notes and lists, from their last row)"),
        KeyBinding([.up], .moveUp, "previous field (in notes and lists, from their first row)"),
        KeyBinding([.enter, .ctrl("s")], .submit, "save (Enter is a new line in notes; Ctrl-S saves anywhere)", short: "save"),
        KeyBinding([.ctrl("x")], .editExternally, "edit the notes field in $VISUAL / $EDITOR"),
        KeyBinding([.escape], .cancel, "cancel (asks first when something was typed)", short: "cancel"),
    ], notes: [("dates", "2026-12-01, today, tomorrow, mon, +3d, +2w (the date meant is shown beside)")])

    /// One line of text: form fields, typed answers, a picker's filter. Printable keys insert.
    public static let textLine = Keymap(name: "Typing a line", bindings: [
        KeyBinding([.left], .cursorLeft, "back a character"),
        KeyBinding([.right], .cursorRight, "forward a character"),
        KeyBinding([.home, .ctrl("a")], .lineStart, "start of the line"),
        KeyBinding([.end, .ctrl("e")], .lineEnd, "end of the line"),
        KeyBinding([.backspace], .deleteBackward, "delete before the cursor"),
        KeyBinding([.delete, .ctrl("d")], .deleteForward, "delete at the cursor"),
        KeyBinding([.ctrl("k")], .killToEnd, "delete to the end of the line"),
        KeyBinding([.ctrl("u")], .killToStart, "delete to the start of the line"),
        KeyBinding([.ctrl("w")], .deleteWord, "delete the word before the cursor"),
    ], notes: [("other keys", "type text")])

    /// Several lines (notes, narratives): rows are the wrapped display rows. Printable keys insert.
    public static let textArea = Keymap(name: "Typing notes", bindings: [
        KeyBinding([.enter], .newline, "new line", short: "new line"),
        KeyBinding([.left], .cursorLeft, "back a character (across line ends)"),
        KeyBinding([.right], .cursorRight, "forward a character (across line ends)"),
        KeyBinding([.up], .moveUp, "up a row"),
        KeyBinding([.down], .moveDown, "down a row"),
        KeyBinding([.pageUp], .pageUp, "up a page"),
        KeyBinding([.pageDown], .pageDown, "down a page"),
        KeyBinding([.home], .rowStart, "start of the row"),
        KeyBinding([.end], .rowEnd, "end of the row"),
        KeyBinding([.ctrl("a")], .lineStart, "start of the line"),
        KeyBinding([.ctrl("e")], .lineEnd, "end of the line"),
        KeyBinding([.backspace], .deleteBackward, "delete before the cursor (joins lines at a line start)"),
        KeyBinding([.delete, .ctrl("d")], .deleteForward, "delete at the cursor (joins lines at a line end)"),
        KeyBinding([.ctrl("k")], .killToEnd, "delete to the end of the line, or join the next"),
        KeyBinding([.ctrl("u")], .killToStart, "delete to the start of the line"),
        KeyBinding([.ctrl("w")], .deleteWord, "delete the word before the cursor, or join the previous line"),
    ], notes: [("other keys", "type text")])

    /// A choice field in a form: the hint bar shows its hint while a form is open.
    public static let choiceField = Keymap(name: "Form: a choice", bindings: [
        KeyBinding([.left], .choicePrevious, "previous choice", hint: "choices", hintKeys: "←/→"),
        KeyBinding([.right, .char(" ")], .choiceNext, "next choice"),
    ], notes: [("typing", "the first choice starting with what is typed (the same letter again: the next one)")])

    /// A yes/no field in a form.
    public static let toggleField = Keymap(name: "Form: yes/no", bindings: [
        KeyBinding([.char(" ")], .flip, "flip yes / no"),
    ])

    /// A repeating list in a form (medications, contacts…): items open in a form of their own.
    public static let listField = Keymap(name: "Form: a list", bindings: [
        KeyBinding([.char("a")], .listAdd, "add an item", hint: "list items", hintKeys: "a/e/x", short: "add"),
        KeyBinding([.enter, .char("e")], .listEdit, "edit the item (add one when the list is empty)", short: "edit"),
        KeyBinding([.char("x"), .delete], .listRemove, "remove the item", short: "remove"),
        KeyBinding([.down], .moveDown, "next item"),
        KeyBinding([.up], .moveUp, "previous item"),
    ])

    /// A list to pick from (group members, a patient); printable keys filter it (as `textLine`).
    public static let picker = Keymap(name: "Picking from a list", bindings: [
        KeyBinding([.down, .ctrl("n")], .moveDown, "next item"),
        KeyBinding([.up, .ctrl("p")], .moveUp, "previous item"),
        KeyBinding([.pageDown], .pageDown, "page down"),
        KeyBinding([.pageUp], .pageUp, "page up"),
        KeyBinding([.char(" ")], .toggleChoice, "choose or unchoose the item (where several may be chosen)"),
        KeyBinding([.enter], .submit, "done (where one is chosen, picks the highlighted item)"),
        KeyBinding([.escape], .cancel, "cancel"),
    ], notes: [("other keys", "filter the list")])

    /// A question with a typed answer ("Reason for cancelling:"); the answer is typed as `textLine`.
    public static let prompt = Keymap(name: "Questions with a typed answer", bindings: [
        KeyBinding([.enter], .submit, "answer", short: "OK"),
        KeyBinding([.escape], .cancel, "cancel"),
    ])

    /// A question with lettered answers ("Edit which? (o) (f) (a)").
    public static let choiceDialog = Keymap(name: "Questions with lettered answers", bindings: [
        KeyBinding([.escape], .cancel, "cancel"),
    ], notes: [("a letter", "the answer shown with it in brackets")])

    /// Locking the screen: the key works everywhere, over forms and questions too, and help says what the lock is for.
    public static let locking = Keymap(name: "Locking the screen", bindings: [
        KeyBinding([.ctrl("\\")], .lock, "lock the screen now, from anywhere (what is open stays as it is)"),
    ], notes: [
        (":lock", "the same, from the command line"),
        ("lock_after", "config.toml: lock after this long without a key or click (\"10m\" by default; \"30s\", \"1h\", \"off\")"),
        ("why", "HIPAA's automatic logoff (45 CFR 164.312(a)(2)(iii)) expects a session to end or lock after a set time of "
            + "inactivity; Caseload locks it and keeps the work: autosave goes on and a note being typed stays a draft"),
        ("encrypted", "unlocking needs the passphrase of the person signed in"),
        ("plain file", "a document that is not encrypted has no passphrase to check: the screen is only hidden, and Enter "
            + "shows it again; caseload encrypt PATH protects the file"),
    ])

    /// The lock screen: every key goes to the passphrase field; nothing else can be reached until it is unlocked.
    public static let locked = Keymap(name: "The lock screen", bindings: [
        KeyBinding([.enter], .submit, "unlock with the passphrase typed (a hidden screen: show it again)", hint: "unlock"),
        KeyBinding([.backspace], .deleteBackward, "delete the last character typed"),
        KeyBinding([.ctrl("u")], .killToStart, "clear what was typed"),
        KeyBinding([.escape], .cancel, "clear what was typed", hint: "clear"),
    ], notes: [("other keys", "type the passphrase (nothing is shown but a mask of fixed length; Ctrl-C and Ctrl-Z do nothing)")])

    public static func pane(_ pane: PaneID) -> Keymap {
        switch pane {
        case .patients: patients
        case .week: week
        case .session: session
        }
    }

    /// Every table, in the order help lists them.
    public static var all: [Keymap] {
        [global, patients, filter, record, measureEntry, week, move, session, noteView, coSignQueue, alerts, conflicts, reportPreview, help, confirm, commandLine,
         form, textLine, textArea, choiceField, toggleField, listField, picker, prompt, choiceDialog, locking, locked]
    }
}
