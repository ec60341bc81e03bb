import Foundation

/// Everything a key can ask the app to do.
public enum Action: Equatable, Sendable {
    case focusNext, focusPrevious, focus(PaneID)
    case help, commandLine, quit, saveNow, undo, redo, redraw, cancel
    case moveDown, moveUp, top, bottom, pageDown, pageUp, halfPageDown, halfPageUp
    case dayLeft, dayRight, timeUp, timeDown, previousWeek, nextWeek, today, weekStart, weekEnd, openSession
    case markPresent, markAbsent, cycleMark
    case openRecord, create, edit, phaseDown, phaseUp, discharge, cycleSort, cycleStatusFilter, filter
    case nextSection, previousSection, closeRecord
    case goToDate, move, cancelSession, nextOverlap
    case alerts, report
    // Overlay-only: sideways scrolling in the report preview, writing it, going to what an alert is about.
    case scrollLeft, scrollRight, lineStart, lineEnd, writeReport, goToAlert, markReported
    case markLate, markLeftEarly, markExcused, markAllPresent, addDropIn, removeMember, openNote, groupNote, editExternally, sign, addendum, didNotTakePlace
}

/// One binding: keys, what they do, how help describes it, and whether the hint bar shows it.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    public var hint: String?

    public init(_ keys: [Key], _ action: Action, _ help: String, hint: String? = nil) {
        self.keys = keys; self.action = action; self.help = help; self.hint = hint
    }
}

/// A named table of bindings: the keymaps are data, and help and the hint bar are generated from them.
public struct Keymap: Sendable {
    public var name: String
    public var bindings: [KeyBinding]

    public func action(for key: Key) -> Action? {
        bindings.first { $0.keys.contains(key) }?.action
    }

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
        KeyBinding([.char(":")], .commandLine, "command line (:w :q :wq :q! :theme :goto :reload :saveas :help)", hint: "command"),
        KeyBinding([.char("q")], .quit, "quit (after the final save)", hint: "quit"),
        KeyBinding([.ctrl("s")], .saveNow, "save now"),
        KeyBinding([.char("u")], .undo, "undo the last change", hint: "undo"),
        KeyBinding([.ctrl("r")], .redo, "redo"),
        KeyBinding([.ctrl("l")], .redraw, "redraw the screen"),
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
        KeyBinding([.char(">")], .phaseDown, "step down a phase (from today)"),
        KeyBinding([.char("<")], .phaseUp, "step up a phase (from today)"),
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
        KeyBinding([.char(">")], .phaseDown, "step down a phase (from today)", hint: "phase"),
        KeyBinding([.char("<")], .phaseUp, "step up a phase (from today)"),
        KeyBinding([.char("D")], .discharge, "discharge (date and reason)", hint: "discharge"),
        KeyBinding([.char("r")], .report, "attendance report or letter: preview, then write to a file", hint: "report"),
        KeyBinding([.char("u")], .undo, "undo the last change"),
        KeyBinding([.escape, .char("q")], .closeRecord, "close the record", hint: "close"),
    ])

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
        KeyBinding([.enter], .openNote, "write the note of the row (the group note on the first row)", hint: "note"),
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

    public static func pane(_ pane: PaneID) -> Keymap {
        switch pane {
        case .patients: patients
        case .week: week
        case .session: session
        }
    }

    /// Every table, in the order help lists them.
    public static var all: [Keymap] { [global, patients, record, week, session, alerts, reportPreview] }
}
