import CaseloadCore
import Foundation

/// What a form field holds and how it is edited.
public enum FieldKind: Equatable, Sendable {
    /// One line of text.
    case text(TextLine)
    /// A date typed as `DateInput` accepts (`2026-12-01`, `today`, `fri`, `+2w`…); the resolved date is shown beside it.
    case date(TextLine)
    /// One of `options`: ←/→ or Space cycle (wrapping); a letter jumps to the next option starting with it.
    case choice(options: [String], index: Int)
    /// Several lines (notes, narrative): Enter is a new line, ↑/↓ move inside the text.
    case multiline(TextArea)
    /// Yes/no: Space flips it.
    case toggle(Bool)
    /// A repeating sub-list shown as one summary line per item: `a` add, Enter/`e` edit, `x`/Del remove, ↑/↓ select.
    /// The form only reports these (`FormOutcome.listAdd` …); the caller opens a nested form and calls the list setters.
    case list(items: [String], selected: Int)
}

/// A field's value without its editing state: what dirty detection compares.
public enum FieldValue: Hashable, Sendable {
    case text(String)
    case choice(Int)
    case toggle(Bool)
    case items([String])
}

/// One labelled field of a `Form`.
public struct FormField: Equatable, Sendable {
    public var id: String
    public var label: String
    public var kind: FieldKind
    public var required: Bool
    /// Shown dimmed under the field while it has focus (unless an error is shown there).
    public var hint: String?
    /// Display rows for a multiline field, or the most item lines shown for a list.
    public var rows: Int

    public init(id: String, label: String, kind: FieldKind, required: Bool = false, hint: String? = nil, rows: Int = 4) {
        self.id = id; self.label = label; self.kind = kind; self.required = required; self.hint = hint; self.rows = max(1, rows)
    }

    public static func text(_ id: String, _ label: String, _ value: String = "", required: Bool = false, hint: String? = nil) -> FormField {
        FormField(id: id, label: label, kind: .text(TextLine(value)), required: required, hint: hint)
    }
    public static func date(_ id: String, _ label: String, _ value: String = "", required: Bool = false, hint: String? = nil) -> FormField {
        FormField(id: id, label: label, kind: .date(TextLine(value)), required: required, hint: hint)
    }
    public static func choice(_ id: String, _ label: String, options: [String], index: Int = 0, hint: String? = nil) -> FormField {
        FormField(id: id, label: label, kind: .choice(options: options, index: min(max(0, index), max(0, options.count - 1))), hint: hint)
    }
    public static func multiline(_ id: String, _ label: String, _ value: String = "", required: Bool = false, rows: Int = 4, hint: String? = nil) -> FormField {
        FormField(id: id, label: label, kind: .multiline(TextArea(value)), required: required, hint: hint, rows: rows)
    }
    public static func toggle(_ id: String, _ label: String, _ value: Bool = false, hint: String? = nil) -> FormField {
        FormField(id: id, label: label, kind: .toggle(value), hint: hint)
    }
    public static func list(_ id: String, _ label: String, items: [String] = [], required: Bool = false, rows: Int = 4, hint: String? = nil) -> FormField {
        FormField(id: id, label: label, kind: .list(items: items, selected: 0), required: required, hint: hint, rows: rows)
    }

    public var value: FieldValue {
        switch kind {
        case .text(let line), .date(let line): .text(line.text)
        case .multiline(let area): .text(area.text)
        case .choice(_, let index): .choice(index)
        case .toggle(let on): .toggle(on)
        case .list(let items, _): .items(items)
        }
    }

    /// Nothing entered: blank text, or an empty list. A choice or toggle always has a value.
    public var isEmpty: Bool {
        switch value {
        case .text(let text): text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        case .items(let items): items.isEmpty
        case .choice, .toggle: false
        }
    }
}

/// What a key did to a form, for the caller to act on.
public enum FormOutcome: Equatable, Sendable {
    case none
    /// Focus moved off this field; the form has run its own checks on it; the caller may add its own and set `errors[id]`.
    case leftField(id: String)
    /// Enter on a one-line field, or Ctrl-S anywhere; every field's built-in check has run: submit when `canSubmit`.
    case submit
    /// Esc: ask "discard changes?" when `isDirty`.
    case cancel
    case listAdd(id: String)
    case listEdit(id: String, index: Int)
    case listRemove(id: String, index: Int)
}

/// A form: labelled fields with one focused, errors under fields, dirty detection. A pure value:
/// `handle` changes it and reports outcomes; `draw` renders it as a boxed overlay.
///
/// Keys (the focused field kind's table, see `keymap(for:)`, then `Keymaps.form`): Tab / Shift-Tab next/previous field
/// (wrapping); ↓/↑ next/previous field (in a multiline field or list they move inside it first, and leave it past its
/// last/first row); Enter submits from a one-line field (text, date, choice, toggle), is a new
/// line in a multiline field and edits the selected item of a list; Ctrl-S submits anywhere; Esc cancels.
///
/// Validation: the form's own checks (required fields not empty, date fields parse) run on the field focus leaves and on
/// every field at submit; they set or clear `errors[id]`. The caller's checks (a validator closure would not be Sendable and
/// Equatable) run afterwards on `.leftField(id)` and `.submit`, setting `errors[id]` themselves.
public struct Form: Equatable, Sendable {
    public static let dateError = "not a date: try 2026-12-01, today, tomorrow, mon, +3d, +2w"
    public static let requiredError = "required"

    public var title: String
    public var fields: [FormField]
    public var focus: Int
    /// Field id → message shown under the field.
    public var errors: [String: String]
    /// The values when the form was opened (or last `markClean()`): `isDirty` compares with them.
    public var initialValues: [String: FieldValue]
    /// First content row shown; `draw` corrects it when it would hide the focused field.
    public var scroll: Int
    /// What was typed into the focused choice field so far ("ind" picks "individual"); any other key starts again.
    public private(set) var choiceTyped = ""
    /// Said under the focused field after the last key when typing matched no choice: typed text is never dropped silently.
    public private(set) var choiceNotice: String?

    public init(title: String, fields: [FormField], focus: Int = 0) {
        self.title = title
        self.fields = fields
        self.focus = fields.isEmpty ? 0 : min(max(0, focus), fields.count - 1)
        errors = [:]
        scroll = 0
        initialValues = [:]
        markClean()
    }

    // MARK: State

    /// Some value differs from when the form was opened (editing and then undoing the edit is not a change).
    public var isDirty: Bool { fields.contains { initialValues[$0.id] != $0.value } }

    /// Takes the current values as the unchanged state.
    public mutating func markClean() {
        initialValues = Dictionary(fields.map { ($0.id, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// False while any field shows an error.
    public var canSubmit: Bool { errors.isEmpty }

    public var focusedField: FormField? { fields.indices.contains(focus) ? fields[focus] : nil }

    public func index(of id: String) -> Int? { fields.firstIndex { $0.id == id } }

    /// Moves focus to a field without reporting or checking anything.
    public mutating func focus(on id: String) {
        if let i = index(of: id) { focus = i }
    }

    // MARK: Reading values

    /// Text of a text, date or multiline field; the chosen option of a choice; "" otherwise.
    public func text(_ id: String) -> String {
        guard let field = index(of: id).map({ fields[$0] }) else { return "" }
        switch field.kind {
        case .text(let line), .date(let line): return line.text
        case .multiline(let area): return area.text
        case .choice(let options, let index): return options.indices.contains(index) ? options[index] : ""
        case .toggle, .list: return ""
        }
    }

    /// The date a date field resolves to relative to `today`, or nil when empty or not a date.
    public func date(_ id: String, today: LocalDate) -> LocalDate? { DateInput.parse(text(id), today: today) }

    public func choiceIndex(_ id: String) -> Int {
        guard let i = index(of: id), case .choice(_, let index) = fields[i].kind else { return 0 }
        return index
    }

    public func bool(_ id: String) -> Bool {
        guard let i = index(of: id), case .toggle(let on) = fields[i].kind else { return false }
        return on
    }

    public func listItems(_ id: String) -> [String] {
        guard let i = index(of: id), case .list(let items, _) = fields[i].kind else { return [] }
        return items
    }

    public func listSelection(_ id: String) -> Int {
        guard let i = index(of: id), case .list(_, let selected) = fields[i].kind else { return 0 }
        return selected
    }

    // MARK: Setting values

    /// Replaces the text of a text, date or multiline field (cursor at the end).
    public mutating func setText(_ id: String, _ text: String) {
        guard let i = index(of: id) else { return }
        switch fields[i].kind {
        case .text(var line): line.text = text; fields[i].kind = .text(line)
        case .date(var line): line.text = text; fields[i].kind = .date(line)
        case .multiline(var area): area.text = text; fields[i].kind = .multiline(area)
        default: break
        }
    }

    public mutating func setChoice(_ id: String, index: Int) {
        guard let i = self.index(of: id), case .choice(let options, _) = fields[i].kind, !options.isEmpty else { return }
        fields[i].kind = .choice(options: options, index: min(max(0, index), options.count - 1))
    }

    public mutating func setBool(_ id: String, _ value: Bool) {
        guard let i = index(of: id), case .toggle = fields[i].kind else { return }
        fields[i].kind = .toggle(value)
    }

    /// Replaces a list's items; the selection is kept in range (or set to `selected`).
    public mutating func setListItems(_ id: String, _ items: [String], selected: Int? = nil) {
        guard let i = index(of: id), case .list(_, let old) = fields[i].kind else { return }
        fields[i].kind = .list(items: items, selected: min(max(0, selected ?? old), max(0, items.count - 1)))
    }

    /// Adds an item at the end of a list and selects it.
    public mutating func appendListItem(_ id: String, _ item: String) {
        let items = listItems(id) + [item]
        setListItems(id, items, selected: items.count - 1)
    }

    public mutating func replaceListItem(_ id: String, at position: Int, with item: String) {
        var items = listItems(id)
        guard items.indices.contains(position) else { return }
        items[position] = item
        setListItems(id, items)
    }

    public mutating func removeListItem(_ id: String, at position: Int) {
        var items = listItems(id)
        guard items.indices.contains(position) else { return }
        items.remove(at: position)
        setListItems(id, items)
    }

    // MARK: Checks

    /// The form's own complaint about a field: empty when required, or not a date.
    public func builtInError(_ field: FormField, today: LocalDate) -> String? {
        if field.required, field.isEmpty { return Form.requiredError }
        if case .date(let line) = field.kind, !field.isEmpty, DateInput.parse(line.text, today: today) == nil {
            return Form.dateError
        }
        return nil
    }

    /// Runs the built-in check on one field, setting or clearing its error.
    public mutating func validate(_ id: String, today: LocalDate) {
        guard let i = index(of: id) else { return }
        errors[id] = builtInError(fields[i], today: today)
    }

    /// Runs the built-in checks on every field; returns `canSubmit`.
    @discardableResult
    public mutating func validateAll(today: LocalDate) -> Bool {
        for field in fields { errors[field.id] = builtInError(field, today: today) }
        return canSubmit
    }

    // MARK: Keys

    /// The table of a field kind's own keys, which go before the form's (`Keymaps.form`).
    public static func keymap(for kind: FieldKind) -> Keymap {
        switch kind {
        case .text, .date: Keymaps.textLine
        case .multiline: Keymaps.textArea
        case .choice: Keymaps.choiceField
        case .toggle: Keymaps.toggleField
        case .list: Keymaps.listField
        }
    }

    /// A key: the focused field's table first (a note's Enter is a new line, a list's Enter edits an item), then the form's
    /// (`Keymaps.form`), then typing (printable keys into text; a letter picks a choice).
    public mutating func handle(_ key: Key, today: LocalDate) -> FormOutcome {
        let typed = choiceTyped
        choiceTyped = ""
        choiceNotice = nil
        if let field = focusedField, let action = Form.keymap(for: field.kind).action(for: key),
           let outcome = performInField(action) {
            return outcome
        }
        if let action = Keymaps.form.action(for: key) { return perform(action, today: today) }
        type(key, after: typed)
        return .none
    }

    /// A form-wide action of `Keymaps.form`.
    public mutating func perform(_ action: Action, today: LocalDate) -> FormOutcome {
        switch action {
        case .cancel: return .cancel
        case .submit:
            validateAll(today: today)
            return .submit
        default: break
        }
        guard fields.indices.contains(focus) else { return .none }
        switch action {
        case .nextField: return stepField(by: 1, wrapping: true, today: today)
        case .previousField: return stepField(by: -1, wrapping: true, today: today)
        case .moveDown: return stepField(by: 1, wrapping: false, today: today)
        case .moveUp: return stepField(by: -1, wrapping: false, today: today)
        default: return .none  // Ctrl-X is the form stack's (it opens the editor)
        }
    }

    /// Tab / Shift-Tab (wrapping) or ↓ / ↑ (stopping at the ends) between fields.
    private mutating func stepField(by step: Int, wrapping: Bool, today: LocalDate) -> FormOutcome {
        guard !fields.isEmpty else { return .none }
        let target = wrapping ? (focus + step + fields.count) % fields.count : focus + step
        return moveFocus(to: target, today: today)
    }

    /// A field kind's action on the focused field; nil when the field does not use it here (a row move past a note's last row),
    /// so the form's table gets the key.
    private mutating func performInField(_ action: Action) -> FormOutcome? {
        let id = fields[focus].id
        switch fields[focus].kind {
        case .text(var line):
            guard line.perform(action) else { return nil }
            fields[focus].kind = .text(line)
        case .date(var line):
            guard line.perform(action) else { return nil }
            fields[focus].kind = .date(line)
        case .multiline(var area):
            guard area.perform(action) else { return nil }
            fields[focus].kind = .multiline(area)
        case .choice(let options, let index):
            let count = options.count
            guard count > 0 else { return FormOutcome.none }
            switch action {
            case .choicePrevious: fields[focus].kind = .choice(options: options, index: (index + count - 1) % count)
            case .choiceNext: fields[focus].kind = .choice(options: options, index: (index + 1) % count)
            default: return nil
            }
        case .toggle(let on):
            guard action == .flip else { return nil }
            fields[focus].kind = .toggle(!on)
        case .list(let items, let selected):
            switch action {
            case .moveUp:
                guard selected > 0 else { return nil }
                fields[focus].kind = .list(items: items, selected: selected - 1)
            case .moveDown:
                guard selected + 1 < items.count else { return nil }
                fields[focus].kind = .list(items: items, selected: selected + 1)
            case .listAdd: return .listAdd(id: id)
            case .listEdit: return items.isEmpty ? .listAdd(id: id) : .listEdit(id: id, index: selected)
            case .listRemove: return items.isEmpty ? FormOutcome.none : .listRemove(id: id, index: selected)
            default: return nil
            }
        }
        return FormOutcome.none
    }

    /// A key no table binds: printable keys type into a text field; in a choice, the typed text picks the first option starting
    /// with it (the same letter again goes on to the next such option); text that starts no option is said, never dropped.
    private mutating func type(_ key: Key, after typed: String) {
        guard fields.indices.contains(focus) else { return }
        switch fields[focus].kind {
        case .text(var line):
            if line.handle(key) { fields[focus].kind = .text(line) }
        case .date(var line):
            if line.handle(key) { fields[focus].kind = .date(line) }
        case .multiline(var area):
            if area.handle(key) { fields[focus].kind = .multiline(area) }
        case .choice(let options, let index):
            guard case .char(let c) = key, !options.isEmpty else { return }
            let text = (typed + String(c)).lowercased()
            if text.count > 1, let match = options.firstIndex(where: { $0.lowercased().hasPrefix(text) }) {
                fields[focus].kind = .choice(options: options, index: match)
                choiceTyped = text
                return
            }
            let wanted = String(c).lowercased()
            for step in 1...options.count {
                let candidate = (index + step) % options.count
                if options[candidate].lowercased().hasPrefix(wanted) {
                    fields[focus].kind = .choice(options: options, index: candidate)
                    choiceTyped = wanted
                    return
                }
            }
            choiceNotice = "no choice starts with “\(c)”: ←/→ or Space go through them"
        case .toggle, .list:
            return
        }
    }

    /// Moves focus (staying put past the first or last field), checking the field left.
    private mutating func moveFocus(to target: Int, today: LocalDate) -> FormOutcome {
        guard fields.indices.contains(target), target != focus else { return .none }
        let left = fields[focus].id
        validate(left, today: today)
        focus = target
        return .leftField(id: left)
    }
}
