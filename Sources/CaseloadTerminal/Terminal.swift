#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CaseloadUI
import CNcurses

/// Why the terminal could not be started.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// No terminal to draw on (no tty, or `TERM` unknown to terminfo).
    case unavailable(String)
    /// A program for `runInteractive` could not be started.
    case spawnFailed(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "cannot start the terminal: \(reason)"
        case .spawnFailed(let reason): "cannot run \(reason)"
        }
    }
}

/// The ncurses screen: draws canvases, reads keys, mouse and resizes, and steps aside for `$EDITOR`. Main actor only.
@MainActor
public final class Terminal {
    /// What the terminal can show, after `NO_COLOR` and `has_colors()`.
    public let capability: ColorCapability

    private var screen: OpaquePointer?
    private let input: UnsafeMutablePointer<FILE>?
    private let output: UnsafeMutablePointer<FILE>?
    /// Files opened here (tests, /dev/tty) are closed by `stop()`; the process's own stdin/stdout never are.
    private let closesFiles: Bool
    private let outputDescriptor: Int32
    private var stopped = false

    private var defaultColorsAvailable = false
    private let maximumPairs: Int
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private var styles: [StyleKey: (attributes: attr_t, pair: Int32)] = [:]

    private var previous: Canvas?
    private var previousTheme: Theme?
    private var previousScreen: (width: Int, height: Int) = (0, 0)
    private var needsFullRepaint = true

    private let mouseMask: mmask_t
    private var pendingRaw: [RawInput] = []
    private var pendingEvents: [InputEvent] = []

    private struct PairKey: Hashable { var foreground: Int; var background: Int }
    private struct StyleKey: Hashable { var role: Role; var bold: Bool }
    private enum RawInput { case key(Int32), char(UInt32) }

    // MARK: - Start and stop

    /// Starts curses on the real terminal (stdin/stdout, or /dev/tty when they are redirected).
    /// Colours are off when `noColor` is true, `NO_COLOR` is set, or the terminal has none.
    public static func start(noColor: Bool) throws -> Terminal {
        prepareLocale()
        var closes = false
        var inFile: UnsafeMutablePointer<FILE>?
        var outFile: UnsafeMutablePointer<FILE>?
        if isatty(0) == 1 && isatty(1) == 1 {
            inFile = fdopen(0, "r")
            outFile = fdopen(1, "w")
        } else if let tty = fopen("/dev/tty", "r+") {
            inFile = tty
            outFile = tty
            closes = true
        }
        guard let inFile, let outFile else {
            throw TerminalError.unavailable("no terminal (stdin/stdout are not a tty and /dev/tty cannot be opened)")
        }
        guard let screen = newterm(nil, outFile, inFile) else {
            if closes { fclose(inFile) }
            let term = getenv("TERM").map { String(cString: $0) } ?? "(unset)"
            throw TerminalError.unavailable("terminal type \"\(term)\" is unknown to terminfo")
        }
        let environmentNoColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        return Terminal(screen: screen, input: inFile, output: outFile, closesFiles: closes, noColor: noColor || environmentNoColor)
    }

    /// A terminal on files instead of a tty, for tests: `newterm` with `term` on `inputPath` and `outputPath`
    /// (both /dev/null by default). The size comes from terminfo (80×24 for xterm), never from the environment.
    public convenience init(testInput inputPath: String = "/dev/null", output outputPath: String = "/dev/null", term: String = "xterm-256color", noColor: Bool = false) throws {
        Terminal.prepareLocale()
        guard let inFile = fopen(inputPath, "r") else { throw TerminalError.unavailable("cannot open \(inputPath)") }
        guard let outFile = fopen(outputPath, "w") else {
            fclose(inFile)
            throw TerminalError.unavailable("cannot open \(outputPath)")
        }
        use_env(false)
        let screen = newterm(term, outFile, inFile)
        use_env(true)
        guard let screen else {
            fclose(inFile); fclose(outFile)
            throw TerminalError.unavailable("terminal type \"\(term)\" is unknown to terminfo")
        }
        self.init(screen: screen, input: inFile, output: outFile, closesFiles: true, noColor: noColor)
    }

    private init(screen: OpaquePointer, input: UnsafeMutablePointer<FILE>, output: UnsafeMutablePointer<FILE>, closesFiles: Bool, noColor: Bool) {
        self.screen = screen
        self.input = input
        self.output = output
        self.closesFiles = closesFiles
        outputDescriptor = fileno(output)
        _ = set_term(screen)
        // raw(), not only cbreak(): Ctrl-S, Ctrl-Q, Ctrl-C and Ctrl-Z reach the app as keys (no XON/XOFF, no ISIG).
        _ = cbreak()
        _ = raw()
        _ = noecho()
        _ = nonl()
        let window = cl_stdscr()
        _ = keypad(window, true)
        _ = intrflush(window, false)
        _ = set_escdelay(25)
        // Home and End as other terminals (and tmux under a TERM that says otherwise) send them.
        for (sequence, code) in [("\u{1B}[1~", cl_key_home()), ("\u{1B}[7~", cl_key_home()), ("\u{1B}[H", cl_key_home()), ("\u{1B}OH", cl_key_home()),
                                 ("\u{1B}[4~", cl_key_end()), ("\u{1B}[8~", cl_key_end()), ("\u{1B}[F", cl_key_end()), ("\u{1B}OF", cl_key_end())]
        where key_defined(sequence) == 0 {
            _ = define_key(sequence, code)
        }
        _ = curs_set(0)
        var colorsOn = false
        if !noColor && has_colors() && start_color() == OK {
            colorsOn = true
            defaultColorsAvailable = use_default_colors() == OK
        }
        capability = colorsOn ? ColorCapability(colorCount: Int(cl_colors())) : .none
        // init_pair takes shorts; pair 0 is the terminal's default pair.
        maximumPairs = colorsOn ? min(Int(cl_color_pairs()), Int(Int16.max)) : 1
        mouseMask = cl_button1_pressed() | cl_button1_released() | cl_button1_clicked() | cl_button4_pressed() | cl_button5_pressed()
        _ = mousemask(mouseMask, nil)
        _ = mouseinterval(0)
    }

    /// Ends curses and restores the terminal; safe to call more than once (also done on deinit).
    public func stop() {
        guard !stopped else { return }
        stopped = true
        _ = endwin()
        if let screen { delscreen(screen) }
        screen = nil
        if closesFiles {
            if let input { fclose(input) }
            if let output, output != input { fclose(output) }
        }
    }

    isolated deinit {
        stop()
    }

    /// Makes ncurses speak UTF-8: the user's locale, or C.UTF-8 for the character type when that is not UTF-8.
    private static func prepareLocale() {
        _ = setlocale(LC_ALL, "")
        if cl_locale_is_utf8() == 0 {
            for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil {
                if cl_locale_is_utf8() != 0 { break }
            }
        }
    }

    // MARK: - Size

    /// The screen size in cells.
    public var size: (width: Int, height: Int) {
        guard !stopped else { return previousScreen }
        var rows: Int32 = 0, cols: Int32 = 0
        cl_getmaxyx(cl_stdscr(), &rows, &cols)
        return (Int(cols), Int(rows))
    }

    // MARK: - Drawing

    /// Puts `canvas` on the screen, updating only the cells that changed since the last draw; clipped to the screen.
    public func draw(_ canvas: Canvas, theme: Theme) {
        guard !stopped, let window = cl_stdscr() else { return }
        let screenSize = size
        if previousTheme != theme {
            previousTheme = theme
            styles = [:]
            needsFullRepaint = true
        }
        let full = needsFullRepaint || previous == nil || previous?.width != canvas.width || previous?.height != canvas.height
            || previousScreen != screenSize
        if full { _ = werase(window) }
        let width = min(canvas.width, screenSize.width)
        let height = min(canvas.height, screenSize.height)
        for y in 0..<max(0, height) {
            for x in 0..<max(0, width) {
                let cell = canvas[x, y]
                if cell.isContinuation {
                    // Drawn with its wide character; a continuation with no wide character to its left is blanked.
                    let hasBase = x > 0 && !canvas[x - 1, y].isContinuation
                    if !hasBase, full || previous?[x, y] != cell {
                        putBlank(window, x: x, y: y, style: style(for: cell, theme: theme))
                    }
                    continue
                }
                let wide = x + 1 < canvas.width && canvas[x + 1, y].isContinuation
                if !full, let previous, previous[x, y] == cell, !wide || previous[x + 1, y] == canvas[x + 1, y] {
                    continue
                }
                let resolved = style(for: cell, theme: theme)
                if wide && x + 1 >= screenSize.width {
                    putBlank(window, x: x, y: y, style: resolved)
                } else {
                    put(cell.text, window: window, x: x, y: y, cells: wide ? 2 : 1, style: resolved)
                }
            }
        }
        previous = canvas
        previousScreen = screenSize
        needsFullRepaint = false
        _ = wnoutrefresh(window)
        _ = doupdate()
    }

    /// Repaints the whole screen on the next draw, clearing the terminal first (Ctrl-L).
    public func forceRedraw() {
        guard !stopped else { return }
        _ = clearok(cl_stdscr(), true)
        needsFullRepaint = true
    }

    /// Draws one grapheme that the canvas gives `cells` columns. What this terminal's locale cannot
    /// show in that width becomes "?" (padded), so the grid never shifts.
    private func put(_ text: String, window: UnsafeMutablePointer<WINDOW>, x: Int, y: Int, cells: Int, style: (attributes: attr_t, pair: Int32)) {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, first.value >= 0x20, !(0x7F...0x9F).contains(first.value) else {
            putScalars([0x3F], window: window, x: x, y: y, style: style)
            if cells == 2 { putBlank(window, x: x + 1, y: y, style: style) }
            return
        }
        let baseWidth = Int(wcwidth(wchar_t(bitPattern: first.value)))
        if baseWidth == cells {
            var characters: [wchar_t] = [wchar_t(bitPattern: first.value)]
            for scalar in scalars.dropFirst() {
                guard characters.count < 5, wcwidth(wchar_t(bitPattern: scalar.value)) == 0 else { break }
                characters.append(wchar_t(bitPattern: scalar.value))
            }
            while characters.count > 1, characters.last == 0x200D { characters.removeLast() }
            if putScalars(characters, window: window, x: x, y: y, style: style) { return }
            if characters.count > 1, putScalars([characters[0]], window: window, x: x, y: y, style: style) { return }
        } else if cells == 2 && baseWidth == 1 {
            // An emoji sequence the C library thinks narrow (e.g. "❤️"): its text form and a blank.
            if putScalars([wchar_t(bitPattern: first.value)], window: window, x: x, y: y, style: style) {
                putBlank(window, x: x + 1, y: y, style: style)
                return
            }
        }
        putScalars([0x3F], window: window, x: x, y: y, style: style)
        if cells == 2 { putBlank(window, x: x + 1, y: y, style: style) }
    }

    @discardableResult
    private func putScalars(_ characters: [wchar_t], window: UnsafeMutablePointer<WINDOW>, x: Int, y: Int, style: (attributes: attr_t, pair: Int32)) -> Bool {
        characters.withUnsafeBufferPointer { buffer in
            cl_put_wide(window, Int32(y), Int32(x), buffer.baseAddress, Int32(buffer.count), style.attributes, style.pair) == OK
        }
    }

    private func putBlank(_ window: UnsafeMutablePointer<WINDOW>, x: Int, y: Int, style: (attributes: attr_t, pair: Int32)) {
        putScalars([0x20], window: window, x: x, y: y, style: style)
    }

    /// The curses attributes and colour pair of a cell, cached per theme.
    private func style(for cell: Cell, theme: Theme) -> (attributes: attr_t, pair: Int32) {
        let key = StyleKey(role: cell.role, bold: cell.bold)
        if let cached = styles[key] { return cached }
        var roleStyle = theme.style(for: cell.role)
        if capability == .none {
            roleStyle = ColorPalette.attributesOnly(roleStyle, textBackground: theme.style(for: .text).background)
        }
        var attributes = cl_a_normal()
        if roleStyle.bold || cell.bold { attributes |= cl_a_bold() }
        if roleStyle.dim { attributes |= cl_a_dim() }
        if roleStyle.underline { attributes |= cl_a_underline() }
        if roleStyle.reverse { attributes |= cl_a_reverse() }
        let resolved = (attributes, pair(foreground: roleStyle.foreground, background: roleStyle.background))
        styles[key] = resolved
        return resolved
    }

    /// A colour pair for two theme colours, allocated on first use; pair 0 (the default) when colours are off or pairs run out.
    private func pair(foreground: ColorValue, background: ColorValue) -> Int32 {
        guard var fg = ColorPalette.cursesColor(foreground, capability: capability),
              var bg = ColorPalette.cursesColor(background, capability: capability) else { return 0 }
        if !defaultColorsAvailable {
            // Without use_default_colors, pair 0 is white on black and -1 is not a colour.
            if fg < 0 { fg = 7 }
            if bg < 0 { bg = 0 }
            if fg == 7 && bg == 0 { return 0 }
        } else if fg < 0 && bg < 0 {
            return 0
        }
        let key = PairKey(foreground: fg, background: bg)
        if let existing = pairs[key] { return existing }
        guard Int(nextPair) < maximumPairs,
              init_pair(Int16(nextPair), Int16(fg), Int16(bg)) == OK else { return 0 }
        pairs[key] = nextPair
        nextPair += 1
        return pairs[key] ?? 0
    }

    // MARK: - Input

    /// The next key, mouse action or resize, waiting at most `timeoutMilliseconds` (negative: forever); nil on timeout.
    public func readEvent(timeoutMilliseconds: Int32) -> InputEvent? {
        if !pendingEvents.isEmpty { return pendingEvents.removeFirst() }
        guard !stopped else { return nil }
        var timeout = timeoutMilliseconds
        while let raw = readRaw(timeout: timeout) {
            if let event = translate(raw) { return event }
            // Input with no meaning here (an unknown key): take what else is waiting, without waiting again.
            timeout = 0
        }
        return nil
    }

    private func readRaw(timeout: Int32) -> RawInput? {
        if !pendingRaw.isEmpty { return pendingRaw.removeFirst() }
        guard let window = cl_stdscr() else { return nil }
        wtimeout(window, timeout)
        var value: wint_t = 0
        let status = wget_wch(window, &value)
        if status == cl_key_code_yes() { return .key(Int32(bitPattern: value)) }
        if status == OK { return .char(value) }
        return nil
    }

    private func translate(_ raw: RawInput) -> InputEvent? {
        switch raw {
        case .key(let code): return translateKey(code)
        case .char(let value): return translateCharacter(value)
        }
    }

    private func translateKey(_ code: Int32) -> InputEvent? {
        switch code {
        case cl_key_resize():
            // The screen was resized by ncurses; the next draw repaints from scratch.
            needsFullRepaint = true
            _ = clearok(cl_stdscr(), true)
            let current = size
            return .resize(width: current.width, height: current.height)
        case cl_key_mouse(): return mouseEvent()
        case cl_key_btab(): return .key(.backTab)
        case cl_key_up(): return .key(.up)
        case cl_key_down(): return .key(.down)
        case cl_key_left(): return .key(.left)
        case cl_key_right(): return .key(.right)
        case cl_key_home(): return .key(.home)
        case cl_key_end(): return .key(.end)
        case cl_key_ppage(): return .key(.pageUp)
        case cl_key_npage(): return .key(.pageDown)
        case cl_key_dc(): return .key(.delete)
        case cl_key_ic(): return .key(.insert)
        case cl_key_backspace(): return .key(.backspace)
        case cl_key_enter(): return .key(.enter)
        case cl_key_f(1)...cl_key_f(63): return .key(.function(Int(code - cl_key_f0())))
        default: return nil
        }
    }

    private func translateCharacter(_ value: UInt32) -> InputEvent? {
        switch value {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 27: return .key(.escape)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(UInt8(0x60 + value)))))
        case 28: return .key(.ctrl("\\"))   // Ctrl-\ (raw mode: no SIGQUIT), which locks the screen
        case 0..<32, 0x80..<0xA0: return nil
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        // A character may arrive as several code points (a letter and combining marks, an emoji sequence):
        // take what follows at once for as long as it stays one Character.
        var text = String(Character(scalar))
        while let next = readRaw(timeout: 0) {
            if case .char(let nextValue) = next, nextValue >= 0x20, let nextScalar = Unicode.Scalar(nextValue) {
                var longer = text
                longer.unicodeScalars.append(nextScalar)
                if longer.count == 1 { text = longer; continue }
            }
            pendingRaw.insert(next, at: 0)
            break
        }
        guard let character = text.first else { return nil }
        return .key(.char(character))
    }

    private func mouseEvent() -> InputEvent? {
        var event = MEVENT()
        guard getmouse(&event) == OK else { return nil }
        let (x, y, state) = (Int(event.x), Int(event.y), event.bstate)
        if state & cl_button4_pressed() != 0 { return .mouse(MouseEvent(kind: .wheelUp, x: x, y: y)) }
        if state & cl_button5_pressed() != 0 { return .mouse(MouseEvent(kind: .wheelDown, x: x, y: y)) }
        if state & cl_button1_pressed() != 0 { return .mouse(MouseEvent(kind: .press, x: x, y: y)) }
        if state & cl_button1_released() != 0 { return .mouse(MouseEvent(kind: .release, x: x, y: y)) }
        if state & cl_button1_clicked() != 0 {
            pendingEvents.append(.mouse(MouseEvent(kind: .release, x: x, y: y)))
            return .mouse(MouseEvent(kind: .press, x: x, y: y))
        }
        return nil
    }

    // MARK: - Stepping aside

    /// Leaves curses, runs `body` on the plain terminal (an `$EDITOR` through `Process`, waited for), then
    /// restores curses and repaints everything. Call it from the main actor; `body` runs synchronously.
    public func suspend<T>(_ body: () throws -> T) rethrows -> T {
        guard !stopped else { return try body() }
        _ = def_prog_mode()
        _ = endwin()
        defer { resume() }
        return try body()
    }

    /// Runs a program on the plain terminal (as `suspend` does) and waits for it; `arguments[0]` is looked up in `PATH`.
    /// Use it for `$EDITOR` rather than Foundation's `Process`, which on Linux starts children in a background process
    /// group that cannot read the keyboard. Returns the exit status (128 + n when killed by signal n).
    public func runInteractive(_ arguments: [String]) throws -> Int32 {
        // When curses runs on /dev/tty (stdin or stdout redirected), the program gets the terminal too.
        let tty: Int32? = !stopped && outputDescriptor > 2 && isatty(outputDescriptor) == 1 ? outputDescriptor : nil
        return try suspend { try Terminal.spawnAndWait(arguments, terminal: tty) }
    }

    /// posix_spawn in this process group, as system(3) does: the parent ignores SIGINT and SIGQUIT while it waits
    /// (Ctrl-C belongs to the program), and SIGTSTP stops both until `fg`.
    private nonisolated static func spawnAndWait(_ arguments: [String], terminal: Int32?) throws -> Int32 {
        guard let program = arguments.first else { throw TerminalError.spawnFailed("no program to run") }
        var ignore = sigaction()
        var standard = sigaction()
        sigemptyset(&ignore.sa_mask)
        sigemptyset(&standard.sa_mask)
        #if canImport(Darwin)
        ignore.__sigaction_u.__sa_handler = SIG_IGN
        standard.__sigaction_u.__sa_handler = SIG_DFL
        #else
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        standard.__sigaction_handler.sa_handler = SIG_DFL
        #endif
        var savedInterrupt = sigaction(), savedQuit = sigaction(), savedStop = sigaction()
        sigaction(SIGINT, &ignore, &savedInterrupt)
        sigaction(SIGQUIT, &ignore, &savedQuit)
        sigaction(SIGTSTP, &standard, &savedStop)
        defer {
            sigaction(SIGINT, &savedInterrupt, nil)
            sigaction(SIGQUIT, &savedQuit, nil)
            sigaction(SIGTSTP, &savedStop, nil)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGQUIT, SIGTSTP, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let terminal {
            posix_spawn_file_actions_adddup2(&actions, terminal, 0)
            posix_spawn_file_actions_adddup2(&actions, terminal, 1)
        }

        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, program, &actions, &attributes, argv, cl_environ())
        guard spawned == 0 else {
            throw TerminalError.spawnFailed("\(program): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw TerminalError.spawnFailed("\(program): waitpid failed") }
        }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Stops the job as Ctrl-Z would in a cooked terminal (raw mode delivers Ctrl-Z as a key); `fg` resumes it, repainted.
    /// Nothing happens when no shell could resume it (an orphaned process group).
    public func suspendToShell() {
        suspend {
            // ncurses' own SIGTSTP handler would leave and re-enter curses a second time: stop plainly instead.
            var saved = TerminationSignals.setHandler(SIG_DFL, for: SIGTSTP)
            _ = kill(0, SIGTSTP)
            sigaction(SIGTSTP, &saved, nil)
        }
    }

    private func resume() {
        _ = reset_prog_mode()
        _ = curs_set(0)
        _ = mousemask(mouseMask, nil)
        // The terminal may have been resized while we were away, without a SIGWINCH reaching us.
        var rows: Int32 = 0, cols: Int32 = 0
        if cl_tty_size(outputDescriptor, &rows, &cols) == 0 {
            let current = size
            if Int(rows) != current.height || Int(cols) != current.width {
                _ = resizeterm(rows, cols)
                pendingEvents.append(.resize(width: Int(cols), height: Int(rows)))
            }
        }
        let window = cl_stdscr()
        _ = clearok(window, true)
        _ = wrefresh(window)
        needsFullRepaint = true
    }

    // MARK: - Reading the screen back (tests)

    /// What the screen holds at (x, y): the grapheme, or "" for the right half of a wide character.
    func cellText(x: Int, y: Int) -> String {
        guard !stopped, let window = cl_stdscr() else { return "" }
        var buffer = [wchar_t](repeating: 0, count: 8)
        var attributes: attr_t = 0, pair: Int32 = 0, continuation: Int32 = 0
        let count = cl_read_cell(window, Int32(y), Int32(x), &buffer, Int32(buffer.count), &attributes, &pair, &continuation)
        guard count > 0, continuation == 0 else { return "" }
        var text = ""
        for value in buffer.prefix(Int(count)) {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: value)) { text.unicodeScalars.append(scalar) }
        }
        return text
    }

    /// What the screen shows at (x, y) besides the text: attributes and the colour pair's colours.
    struct CellStyle: Equatable {
        var bold = false, dim = false, underline = false, reverse = false
        var foreground = -1, background = -1
    }

    /// The attributes and colours at (x, y), read back from curses.
    func cellStyle(x: Int, y: Int) -> CellStyle? {
        guard !stopped, let window = cl_stdscr() else { return nil }
        var buffer = [wchar_t](repeating: 0, count: 8)
        var attributes: attr_t = 0, pair: Int32 = 0, continuation: Int32 = 0
        guard cl_read_cell(window, Int32(y), Int32(x), &buffer, Int32(buffer.count), &attributes, &pair, &continuation) >= 0 else { return nil }
        // Without colours there are no pairs: the terminal's default colours.
        var fg: Int32 = -1, bg: Int32 = -1
        if capability != .none, extended_pair_content(pair, &fg, &bg) != OK { return nil }
        return CellStyle(
            bold: attributes & cl_a_bold() != 0, dim: attributes & cl_a_dim() != 0,
            underline: attributes & cl_a_underline() != 0, reverse: attributes & cl_a_reverse() != 0,
            foreground: Int(fg), background: Int(bg))
    }
}
