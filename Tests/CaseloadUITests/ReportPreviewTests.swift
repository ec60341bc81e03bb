import CaseloadCore
@testable import CaseloadUI
import Foundation
import Testing

/// The report preview (`r`, then Ctrl-S in the form): one row per line, scrolling both ways, where the view is shown.
@Suite struct ReportPreviewTests {
    /// A state at a size with a preview open on `contents`.
    static func state(_ contents: String, width: Int = 80, height: Int = 24) -> AppState {
        var state = UIFixtures.state(width: width, height: height)
        state.reportPreview = ReportPreview(title: "Test", contents: contents, path: "~/report.txt")
        return state
    }

    /// 50 lines, each 200 cells: "row 01" then dots.
    static let wide = (1...50).map { "row " + ($0 < 10 ? "0\($0)" : "\($0)") + String(repeating: ".", count: 194) }.joined(separator: "\n") + "\n"

    @Test func csvRowsEndingInCRLFAreOneLineEach() {
        // "\r\n" is a single Character in Swift: splitting on "\n" would find no break at all.
        let preview = ReportPreview(title: "t", contents: "date,minutes\r\n2026-11-02,180\r\n2026-11-04,90\r\n", path: "p")
        #expect(preview.lines == ["date,minutes", "2026-11-02,180", "2026-11-04,90"])
        #expect(preview.widestLine == 14)
    }

    @Test func anyLineBreakSplitsAndOnlyAFinalOneIsDropped() {
        let preview = ReportPreview(title: "t", contents: "a\nb\r\n\nc", path: "p")
        #expect(preview.lines == ["a", "b", "", "c"])
        #expect(ReportPreview(title: "t", contents: "", path: "p").lines == [""])
    }

    @Test func widthIsMeasuredInTerminalCells() {
        // Hangul takes two cells a character; the combining accent in "ễ" none.
        let preview = ReportPreview(title: "t", contents: "Nguyễn 김민준\nab", path: "p")
        #expect(preview.widestLine == 6 + 1 + 6)
        #expect(preview.lineWidths == [13, 2])
        // Trailing spaces (a text report pads its last column) do not count as more to the right.
        #expect(ReportPreview(title: "t", contents: "ab   \nc", path: "p").widestLine == 2)
        // A two-cell character cut by an edge shows as a space, so columns stay aligned.
        #expect(ReportPreview.slice("日本語abc", from: 1, width: 3) == " 本")
        #expect(ReportPreview.slice("日本語abc", from: 0, width: 3) == "日 ")
        #expect(ReportPreview.slice("日本語abc", from: 6, width: 10) == "abc")
        #expect(ReportPreview.slice("abc", from: 5, width: 4) == "")
    }

    @Test func theViewportTakesTheTerminalsWidth() {
        // Frame from row 1 to the row above the hint bar; a marker column on each side inside the border.
        #expect(ReportViewport(width: 80, height: 24).columns == 76)
        #expect(ReportViewport(width: 80, height: 24).rows == 20)
        #expect(ReportViewport(width: 160, height: 40).columns == 156)
        #expect(ReportViewport(width: 160, height: 40).rows == 36)
    }

    @Test func linesScrollByLineHalfPageAndPageAndStopAtTheEnds() throws {
        // 50 lines in 20 rows: the last top line is 30.
        var state = Self.state(Self.wide)
        func scroll() -> Int { state.reportPreview?.scroll ?? -1 }
        state.press(.char("j"), .char("j"), .down)
        #expect(scroll() == 3)
        state.press(.ctrl("d"))
        #expect(scroll() == 13)
        state.press(.ctrl("u"), .ctrl("u"))
        #expect(scroll() == 0)
        state.press(.pageDown)
        #expect(scroll() == 20)
        state.press(.char(" "))
        #expect(scroll() == 30)
        state.press(.char("j"), .ctrl("d"))
        #expect(scroll() == 30)
        state.press(.char("g"))
        #expect(scroll() == 0)
        state.press(.char("k"), .pageUp)
        #expect(scroll() == 0)
        state.press(.char("G"))
        #expect(scroll() == 30)
        state.press(.home)
        #expect(scroll() == 0)
    }

    @Test func columnsScrollSidewaysAndStopAtTheWidestLine() throws {
        // 200 cells in 76 columns: the last first column is 124.
        var state = Self.state(Self.wide)
        func column() -> Int { state.reportPreview?.column ?? -1 }
        state.press(.char("l"), .right)
        #expect(column() == 16)
        state.press(.char("h"))
        #expect(column() == 8)
        state.press(.left, .left)
        #expect(column() == 0)
        state.press(.char("$"))
        #expect(column() == 124)
        state.press(.char("l"))
        #expect(column() == 124)
        state.press(.char("0"))
        #expect(column() == 0)
        // A report narrower than the screen does not move sideways.
        var narrow = Self.state("a,b\r\nc,d\r\n")
        narrow.press(.char("l"), .char("$"))
        #expect(narrow.reportPreview?.column == 0)
    }

    @Test func theFrameSaysWhereTheViewIsAndMarksLinesThatGoOn() throws {
        var state = Self.state(Self.wide)
        var lines = render(state).lines
        // Row 2 of the screen is the first line of the report; the border is at x 0 and 79, the markers at 1 and 78.
        #expect(lines[2].hasPrefix("│ row 01...."))
        #expect(Array(lines[2])[78] == "›")
        #expect(Array(lines[2])[1] == " ", "nothing to the left yet")
        #expect(lines[22].contains("lines 1–20 of 50 · cols 1–76 of 200"))
        #expect(lines[22].contains("w writes ~/report.txt"))
        state.press(.char("l"), .ctrl("d"))
        lines = render(state).lines
        #expect(lines[22].contains("lines 11–30 of 50 · cols 9–84 of 200"))
        #expect(Array(lines[2])[1] == "‹")
        #expect(Array(lines[2])[2] == ".", "“row 11” ends at cell 6: from cell 9 on, dots")
        state.press(.char("0"))
        lines = render(state).lines
        #expect(lines[2].hasPrefix("│ row 11...."))
        #expect(lines[21].hasPrefix("│ row 30...."), "the last of the 20 rows")
        #expect(Array(lines[2])[1] == " ")
    }

    @Test func theHintBarShowsThePreviewsKeys() {
        var state = Self.state(Self.wide)
        state.press(.char("j"))
        let bar = render(state).lines[23]
        #expect(bar.contains("j scroll"))
        #expect(bar.contains("h sideways"))
        #expect(bar.contains("Ctrl-D half page"))
        #expect(bar.contains("w write"))
        #expect(bar.contains("Esc close"))
        #expect(!bar.contains("day"), "not the Week's keys")
        #expect(helpLines().contains { $0.isHeading && $0.text == "Report preview" })
        #expect(helpLines().contains { $0.text.contains("h/←") && $0.text.contains("scroll left") })
    }

    @Test func theWheelScrollsAndAClickStaysInThePreview() {
        var state = Self.state(Self.wide)
        let focus = state.focus
        _ = update(&state, .mouse(MouseEvent(kind: .wheelDown, x: 10, y: 10)))
        _ = update(&state, .mouse(MouseEvent(kind: .wheelDown, x: 10, y: 10)))
        #expect(state.reportPreview?.scroll == 2)
        _ = update(&state, .mouse(MouseEvent(kind: .press, x: 70, y: 10)))
        #expect(state.focus == focus, "the pane under the preview is not clicked")
        #expect(state.reportPreview != nil)
    }

    @Test func escapeClosesWithoutWriting() {
        var state = Self.state(Self.wide)
        let effects = state.press(.escape)
        #expect(effects.isEmpty)
        #expect(state.reportPreview == nil)
    }

    @Test func aKeyWithNoUseSaysSoAndKeepsThePreview() {
        var state = Self.state(Self.wide)
        state.press(.char("z"))
        #expect(state.reportPreview != nil)
        #expect(state.message?.text.contains("z does nothing here") == true)
    }
}
