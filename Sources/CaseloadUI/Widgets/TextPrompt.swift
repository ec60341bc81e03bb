import Foundation

/// What a key did to a `TextPrompt`.
public enum PromptOutcome: Equatable, Sendable {
    case none
    /// Enter, with the answer as typed (the caller trims and checks it, and may set `error` and keep the prompt open).
    case submit(String)
    /// Esc.
    case cancel
}

/// A one-line question with a typed answer ("Reason for cancelling:", "Go to date:"). A pure value: `handle` edits the answer
/// (keys as in `TextLine`), Enter submits, Esc cancels.
///
/// Under the answer the caller may show a `preview` (the resolved date, "→ Tue 1 Dec 2026") or an `error` (drawn in the
/// `errorMessage` role, in place of the preview). The caller keeps `preview` current after each key; an edit clears `error`.
public struct TextPrompt: Equatable, Sendable {
    /// The box title ("" for none).
    public var title: String
    public var question: String
    public var answer: TextLine
    public var preview: String?
    public var error: String?

    public init(_ question: String, title: String = "", text: String = "") {
        self.question = question
        self.title = title
        answer = TextLine(text)
    }

    public var text: String { answer.text }

    /// A key: `Keymaps.prompt`, else it edits the answer (as `Keymaps.textLine`).
    public mutating func handle(_ key: Key) -> PromptOutcome {
        switch Keymaps.prompt.action(for: key) {
        case .cancel?: return .cancel
        case .submit?: return .submit(answer.text)
        default:
            let before = answer.characters
            answer.handle(key)
            if answer.characters != before { error = nil }
            return .none
        }
    }

    /// Inserts a string at the cursor (a paste).
    public mutating func insert(_ string: String) {
        let before = answer.characters
        answer.insert(string)
        if answer.characters != before { error = nil }
    }

    // MARK: Drawing

    public static let footer = Keymap.footer([Keymaps.prompt.short(.submit), Keymaps.prompt.short(.cancel)])

    /// Rows: the question, the answer, the preview or error, the footer; inside a box.
    public static let preferredHeight = 6

    /// A rectangle centred in `screen`: at most `maxWidth` wide, six rows tall (less when the screen is smaller).
    public func overlayRect(in screen: Rect, maxWidth: Int = 60) -> Rect {
        let width = min(screen.width, maxWidth)
        let height = min(screen.height, TextPrompt.preferredHeight)
        return Rect(x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width: width, height: height)
    }

    /// Where the answer field goes in `rect`.
    private func fieldWidth(_ rect: Rect) -> Int {
        let inner = rect.inset(1)
        return inner.width >= 3 ? inner.width - 2 : inner.width
    }

    /// Makes the answer's horizontal scrolling sticky. Call after each key with the rectangle `draw` will get.
    public mutating func layout(in rect: Rect) { answer.layout(width: fieldWidth(rect)) }

    /// Draws the prompt as a boxed overlay filling `rect`; returns where the terminal cursor belongs.
    /// When there is less room, the footer goes first, then the preview, then the question; the answer stays.
    @discardableResult
    public func draw(into canvas: inout Canvas, rect: Rect) -> CursorPosition? {
        guard !rect.isEmpty else { return nil }
        canvas.fill(rect, role: .overlay)
        canvas.box(rect, title: title.isEmpty ? nil : title, role: .overlayBorder, titleRole: .overlayTitle)
        let inner = rect.inset(1)
        let margin = inner.width >= 3 ? 1 : 0
        let x = inner.x + margin
        let width = fieldWidth(rect)
        guard width > 0, inner.height > 0 else { return nil }

        let note: (String, Role)? = error.map { ("⚠ " + $0, .errorMessage) } ?? preview.map { ($0, .dim) }
        let showQuestion = inner.height >= 2
        let showNote = inner.height >= 3
        let showFooter = inner.height >= 4
        var y = inner.y
        if showQuestion {
            canvas.put(question, x: x, y: y, role: .overlay, bold: true, maxWidth: width)
            y += 1
        }
        let column = answer.draw(into: &canvas, x: x, y: y, width: width, focused: true, role: .overlay)
        let cursor = column.map { CursorPosition(x: $0, y: y) }
        y += 1
        if showNote, let (text, role) = note {
            canvas.put(text, x: x, y: y, role: role, maxWidth: width)
        }
        if showFooter {
            canvas.put(TextPrompt.footer, x: x, y: inner.maxY - 1, role: .dim, maxWidth: width)
        }
        return cursor
    }
}
