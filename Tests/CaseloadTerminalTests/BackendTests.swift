#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import CaseloadUI
@testable import CaseloadTerminal

/// ncurses is process-global: one screen at a time, on the main actor.
@Suite(.serialized)
@MainActor
struct BackendTests {
    // MARK: - Colour mapping (no terminal)

    @Test func capabilityFollowsColourCount() {
        #expect(ColorCapability(colorCount: 256) == .c256)
        #expect(ColorCapability(colorCount: 16777216) == .c256)
        #expect(ColorCapability(colorCount: 88) == .sixteen)
        #expect(ColorCapability(colorCount: 16) == .sixteen)
        #expect(ColorCapability(colorCount: 8) == .eight)
        #expect(ColorCapability(colorCount: 0) == .none)
        #expect(ColorCapability(colorCount: 256, noColor: true) == .none)
    }

    @Test func truecolourMapsToTheCubeOrTheGreyRamp() {
        let map = { (r: UInt8, g: UInt8, b: UInt8) in ColorPalette.cursesColor(.rgb(r, g, b), capability: .c256) }
        #expect(map(255, 0, 0) == 196)
        #expect(map(0, 0, 0) == 16)
        #expect(map(255, 255, 255) == 231)
        #expect(map(95, 135, 175) == 67)
        #expect(map(0x5f, 0xaf, 0xff) == 75)
        #expect(map(128, 128, 128) == 244)
        #expect(map(0x30, 0x30, 0x30) == 236)
        #expect(map(0x1e, 0x1e, 0x2e) == 235)
        #expect(ColorPalette.cursesColor(.indexed(123), capability: .c256) == 123)
        #expect(ColorPalette.cursesColor(.indexed(999), capability: .c256) == 255)
    }

    @Test func paletteEntriesRoundTrip() {
        for index in 16..<256 {
            let (r, g, b) = ColorPalette.rgb(ofIndex: index)
            #expect(ColorPalette.nearest256(r, g, b) == index, "index \(index)")
        }
    }

    @Test func fewColoursUseTheNearestBasicColour() {
        #expect(ColorPalette.cursesColor(.rgb(250, 10, 10), capability: .eight) == 1)
        #expect(ColorPalette.cursesColor(.rgb(0, 0, 0), capability: .eight) == 0)
        #expect(ColorPalette.cursesColor(.rgb(240, 240, 240), capability: .eight) == 7)
        #expect(ColorPalette.cursesColor(.rgb(30, 30, 200), capability: .eight) == 4)
        #expect(ColorPalette.cursesColor(.rgb(255, 255, 255), capability: .sixteen) == 15)
        #expect(ColorPalette.cursesColor(.rgb(255, 255, 80), capability: .sixteen) == 11)
        #expect(ColorPalette.cursesColor(.indexed(9), capability: .sixteen) == 9)
        #expect(ColorPalette.cursesColor(.indexed(9), capability: .eight) == 1)
        #expect(ColorPalette.cursesColor(.indexed(196), capability: .eight) == 1)
        #expect(ColorPalette.cursesColor(.indexed(46), capability: .sixteen) == 10)
    }

    @Test func terminalDefaultAndNoColour() {
        for capability in [ColorCapability.eight, .sixteen, .c256] {
            #expect(ColorPalette.cursesColor(.terminalDefault, capability: capability) == -1)
        }
        for value in [ColorValue.terminalDefault, .indexed(3), .rgb(1, 2, 3)] {
            #expect(ColorPalette.cursesColor(value, capability: .none) == nil)
        }
        let selection = RoleStyle(foreground: .rgb(0, 0, 0), background: .rgb(200, 200, 0), bold: true)
        let shown = ColorPalette.attributesOnly(selection, textBackground: .terminalDefault)
        #expect(shown.reverse && shown.bold)
        #expect(shown.foreground == .terminalDefault && shown.background == .terminalDefault)
        let plain = ColorPalette.attributesOnly(RoleStyle(foreground: .indexed(2), background: .rgb(9, 9, 9)), textBackground: .rgb(9, 9, 9))
        #expect(!plain.reverse)
    }

    // MARK: - A real ncurses screen on /dev/null

    static let theme = Theme(name: "test", styles: [
        .text: RoleStyle(),
        .header: RoleStyle(foreground: .indexed(1), background: .indexed(4), bold: true),
        .selection: RoleStyle(foreground: .rgb(0, 0, 0), background: .rgb(255, 255, 0)),
        .dim: RoleStyle(foreground: .indexed(8), dim: true),
        .border: RoleStyle(foreground: .rgb(0x5f, 0xaf, 0xff), underline: true),
    ])

    static func sampleCanvas(width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        canvas.put("김민준 José Nguyễn 👍 e\u{301}!", x: 0, y: 0)
        canvas.put("Header", x: 0, y: 1, role: .header)
        canvas.put("selected", x: 2, y: 2, role: .selection, bold: true)
        canvas.box(Rect(x: 0, y: 3, width: 12, height: 3), title: "Box", role: .border)
        canvas.put("dim", x: 40, y: 4, role: .dim)
        return canvas
    }

    @Test func startsDrawsAndReadsBack() throws {
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null", term: "xterm-256color")
        defer { terminal.stop() }
        #expect(terminal.size.width == 80 && terminal.size.height == 24)
        #expect(terminal.capability == .c256)

        terminal.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        #expect(terminal.cellText(x: 0, y: 0) == "김")
        #expect(terminal.cellText(x: 1, y: 0) == "")
        #expect(terminal.cellText(x: 2, y: 0) == "민")
        #expect(terminal.cellText(x: 4, y: 0) == "준")
        #expect(terminal.cellText(x: 6, y: 0) == " ")
        #expect(terminal.cellText(x: 7, y: 0) == "J")
        #expect(terminal.cellText(x: 10, y: 0) == "é")
        #expect(terminal.cellText(x: 16, y: 0) == "ễ")
        #expect(terminal.cellText(x: 19, y: 0) == "👍")
        #expect(terminal.cellText(x: 20, y: 0) == "")
        #expect(terminal.cellText(x: 22, y: 0).unicodeScalars.map(\.value) == [0x65, 0x301])
        #expect(terminal.cellText(x: 23, y: 0) == "!")
        #expect(terminal.cellText(x: 0, y: 3) == "┌")
        #expect(terminal.cellText(x: 11, y: 4) == "│")

        let header = try #require(terminal.cellStyle(x: 0, y: 1))
        #expect(header.foreground == 1 && header.background == 4)
        #expect(header.bold)
        let selected = try #require(terminal.cellStyle(x: 2, y: 2))
        #expect(selected.foreground == 16 && selected.background == 226)
        #expect(selected.bold)
        let plain = try #require(terminal.cellStyle(x: 7, y: 0))
        #expect(plain.foreground == -1 && plain.background == -1)
        #expect(!plain.bold)
        let border = try #require(terminal.cellStyle(x: 0, y: 3))
        #expect(border.foreground == 75 && border.underline)
        let dim = try #require(terminal.cellStyle(x: 40, y: 4))
        #expect(dim.foreground == 8 && dim.dim)

        #expect(terminal.readEvent(timeoutMilliseconds: 0) == nil)
    }

    @Test func updatesOnlyWhatChangedAndReplacesWideCharacters() throws {
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        var canvas = Canvas(width: 80, height: 24)
        canvas.put("김민 abc", x: 0, y: 0)
        terminal.draw(canvas, theme: Self.theme)
        #expect(terminal.cellText(x: 0, y: 0) == "김")

        canvas.put("xy", x: 1, y: 0) // the right half of 김 and the left half of 민
        canvas.put("Z", x: 6, y: 0, role: .header)
        terminal.draw(canvas, theme: Self.theme)
        #expect(canvas.lines[0] == " xy  aZc")
        for (x, expected) in [" ", "x", "y", " ", " ", "a", "Z", "c"].enumerated() {
            #expect(terminal.cellText(x: x, y: 0) == expected, "column \(x)")
        }
        #expect(terminal.cellStyle(x: 6, y: 0)?.foreground == 1)

        canvas.put("한", x: 2, y: 0)
        terminal.forceRedraw()
        terminal.draw(canvas, theme: Self.theme)
        #expect(terminal.cellText(x: 1, y: 0) == "x")
        #expect(terminal.cellText(x: 2, y: 0) == "한")
        #expect(terminal.cellText(x: 3, y: 0) == "")
        #expect(terminal.cellText(x: 4, y: 0) == " ")
    }

    @Test func anyCanvasSizeIsClipped() throws {
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        terminal.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)

        var tiny = Canvas(width: 1, height: 1)
        tiny.put("김", x: 0, y: 0) // does not fit: an ellipsis
        terminal.draw(tiny, theme: Self.theme)
        #expect(terminal.cellText(x: 0, y: 0) == "…")
        #expect(terminal.cellText(x: 1, y: 0) == " ") // the rest of the screen was cleared
        #expect(terminal.cellText(x: 0, y: 1) == " ")

        terminal.draw(Canvas(width: 0, height: 0), theme: Self.theme)

        var huge = Self.sampleCanvas(width: 300, height: 100)
        huge.put(String(repeating: "界", count: 150), x: 1, y: 23) // a wide character straddles the right edge
        huge.put("bottom-right", x: 68, y: 22)
        terminal.draw(huge, theme: Self.theme)
        #expect(terminal.cellText(x: 0, y: 0) == "김")
        #expect(terminal.cellText(x: 77, y: 23) == "界")
        #expect(terminal.cellText(x: 78, y: 23) == "")
        #expect(terminal.cellText(x: 79, y: 23) == " ")
        #expect(terminal.cellText(x: 79, y: 22) == "t")

        var full = Canvas(width: 80, height: 24)
        full.put("X", x: 79, y: 23) // the bottom-right cell, where the cursor cannot advance
        terminal.draw(full, theme: Self.theme)
        #expect(terminal.cellText(x: 79, y: 23) == "X")
    }

    @Test func withoutColoursOnlyAttributesAreUsed() throws {
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null", noColor: true)
        defer { terminal.stop() }
        #expect(terminal.capability == .none)
        terminal.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        let selected = try #require(terminal.cellStyle(x: 2, y: 2))
        #expect(selected.reverse)
        #expect(terminal.cellStyle(x: 0, y: 1)?.bold == true)
        let eight = try Terminal(testInput: "/dev/null", output: "/dev/null", term: "xterm")
        defer { eight.stop() }
        #expect(eight.capability == .eight)
        eight.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        #expect(eight.cellStyle(x: 0, y: 3)?.foreground == 6) // #5fafff → cyan
    }

    @Test func suspendComesBackIntact() throws {
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        terminal.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        let answer = terminal.suspend { 42 }
        #expect(answer == 42)
        #expect(terminal.cellText(x: 0, y: 0) == "김")
        struct Failure: Error {}
        #expect(throws: Failure.self) { try terminal.suspend { throw Failure() } }
        terminal.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        #expect(terminal.cellText(x: 2, y: 0) == "민")
        #expect(terminal.readEvent(timeoutMilliseconds: 0) == nil)
    }

    @Test func runsAProgramAndComesBack() throws {
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        defer { terminal.stop() }
        terminal.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        #expect(try terminal.runInteractive(["true"]) == 0)
        #expect(try terminal.runInteractive(["/bin/sh", "-c", "exit 3"]) == 3)
        #expect(try terminal.runInteractive(["/bin/sh", "-c", "kill -TERM $$"]) == 128 + SIGTERM)
        #expect(throws: TerminalError.self) { try terminal.runInteractive(["/no/such/editor"]) }
        #expect(throws: TerminalError.self) { try terminal.runInteractive([]) }
        #expect(TerminationSignals.received == nil)
        terminal.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        #expect(terminal.cellText(x: 0, y: 0) == "김")
    }

    @Test func stopIsIdempotent() throws {
        let terminal = try Terminal(testInput: "/dev/null", output: "/dev/null")
        terminal.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        terminal.stop()
        terminal.stop()
        // Everything after stop is a no-op, never a crash.
        terminal.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        terminal.forceRedraw()
        #expect(terminal.readEvent(timeoutMilliseconds: 0) == nil)
        #expect(terminal.cellText(x: 0, y: 0) == "")
        #expect(terminal.suspend { "ran" } == "ran")
        // A new screen after the old one was stopped.
        let again = try Terminal(testInput: "/dev/null", output: "/dev/null")
        again.draw(Self.sampleCanvas(width: 80, height: 24), theme: Self.theme)
        #expect(again.cellText(x: 0, y: 0) == "김")
        again.stop()
    }

    @Test func unknownTerminalTypeThrows() {
        #expect(throws: TerminalError.self) {
            _ = try Terminal(testInput: "/dev/null", output: "/dev/null", term: "no-such-terminal-type")
        }
    }

    @Test func terminationSignalsArePolled() {
        TerminationSignals.install()
        #expect(TerminationSignals.received == nil)
        // kill, not raise: the test runner's thread may block the signal; any other thread takes it.
        kill(getpid(), SIGHUP)
        var waited = 0
        while TerminationSignals.received == nil && waited < 200 { usleep(5_000); waited += 1 }
        #expect(TerminationSignals.received == SIGHUP)
        TerminationSignals.clear()
        #expect(TerminationSignals.received == nil)
        // Leave the process as it was.
        for sig in TerminationSignals.caught { signal(sig, SIG_DFL) }
    }
}
