@testable import CaseloadUI
import Testing

@Suite struct TOMLTests {
    private func parseError(_ text: String) -> TOMLError? {
        do {
            _ = try TOML.parse(text)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Values

    @Test func readsStringsIntegersFloatsAndBooleans() throws {
        let table = try TOML.parse("""
        s = "hello"
        i = 42
        f = 1.5
        b = true
        n = false
        """)
        #expect(table["s"] == .string("hello"))
        #expect(table["i"] == .integer(42))
        #expect(table["f"] == .float(1.5))
        #expect(table["b"] == .boolean(true))
        #expect(table["n"] == .boolean(false))
    }

    @Test func basicStringsUnderstandEscapes() throws {
        let table = try TOML.parse(#"s = "a\"b\\c\nd\te\u00e9\U0001F600""#)
        #expect(table["s"] == .string("a\"b\\c\nd\te\u{e9}\u{1F600}"))
    }

    @Test func literalStringsKeepBackslashes() throws {
        let table = try TOML.parse(#"path = 'C:\Users\dana'"#)
        #expect(table["path"] == .string(#"C:\Users\dana"#))
    }

    @Test func emptyStringsAreValues() throws {
        let table = try TOML.parse("a = \"\"\nb = ''")
        #expect(table["a"] == .string(""))
        #expect(table["b"] == .string(""))
    }

    @Test func integersAllowUnderscoresSignsAndPrefixes() throws {
        let table = try TOML.parse("a = 1_000\nb = -17\nc = +3\nd = 0xff\ne = 0o17\nf = 0b101\ng = 0")
        #expect(table["a"] == .integer(1000))
        #expect(table["b"] == .integer(-17))
        #expect(table["c"] == .integer(3))
        #expect(table["d"] == .integer(255))
        #expect(table["e"] == .integer(15))
        #expect(table["f"] == .integer(5))
        #expect(table["g"] == .integer(0))
    }

    @Test func floatsAllowExponentsAndSpecialValues() throws {
        let table = try TOML.parse("a = 3.25\nb = -1e3\nc = 6.02E+2\nd = 1_0.5\ne = inf\nf = -inf\ng = nan")
        #expect(table["a"] == .float(3.25))
        #expect(table["b"] == .float(-1000))
        #expect(table["c"] == .float(602))
        #expect(table["d"] == .float(10.5))
        #expect(table["e"] == .float(.infinity))
        #expect(table["f"] == .float(-.infinity))
        #expect(table["g"]?.doubleValue?.isNaN == true)
    }

    @Test func arraysMaySpanLinesWithCommentsAndATrailingComma() throws {
        let table = try TOML.parse("""
        a = [
          1,  # one
          2,

          3,
        ]
        b = [["x", 'y'], [true], []]
        """)
        #expect(table["a"] == .array([.integer(1), .integer(2), .integer(3)]))
        #expect(table["b"] == .array([.array([.string("x"), .string("y")]), .array([.boolean(true)]), .array([])]))
    }

    // MARK: Keys and tables

    @Test func keysMayBeBareQuotedOrDotted() throws {
        let table = try TOML.parse("""
        bare-key_1 = 1
        "quoted key" = 2
        'literal key' = 3
        a.b . c = 4
        "" = 5
        """)
        #expect(table["bare-key_1"] == .integer(1))
        #expect(table["quoted key"] == .integer(2))
        #expect(table["literal key"] == .integer(3))
        #expect(table[path: ["a", "b", "c"]] == .integer(4))
        #expect(table[""] == .integer(5))
    }

    @Test func tableHeadersNestTheirKeys() throws {
        let table = try TOML.parse("""
        top = 1
        [roles.titleBar]
        fg = "#fdf6e3"
        [roles."text"]
        bold = true
        [ other ]
        x = 2
        """)
        #expect(table["top"] == .integer(1))
        #expect(table[path: ["roles", "titleBar", "fg"]] == .string("#fdf6e3"))
        #expect(table[path: ["roles", "text", "bold"]] == .boolean(true))
        #expect(table[path: ["other", "x"]] == .integer(2))
    }

    @Test func tablesKeepTheFileOrderOfKeys() throws {
        let table = try TOML.parse("z = 1\na = 2\nm = 3")
        #expect(table.keys == ["z", "a", "m"])
    }

    @Test func aParentTableMayBeDefinedAfterItsChild() throws {
        let table = try TOML.parse("[a.b]\nx = 1\n[a]\ny = 2")
        #expect(table[path: ["a", "b", "x"]] == .integer(1))
        #expect(table[path: ["a", "y"]] == .integer(2))
    }

    @Test func commentsAndBlankLinesAreIgnored() throws {
        let table = try TOML.parse("# heading\n\n   \na = 1 # trailing\n[t] # table\n# end")
        #expect(table["a"] == .integer(1))
        #expect(table["t"] == .table(TOMLTable()))
        #expect(table.count == 2)
    }

    @Test func hashInsideAStringIsNotAComment() throws {
        let table = try TOML.parse(##"fg = "#ffffff" # white"##)
        #expect(table["fg"] == .string("#ffffff"))
    }

    @Test func windowsLineEndingsAndAByteOrderMarkAreAccepted() throws {
        let table = try TOML.parse("\u{FEFF}a = 1\r\nb = 'x'\r\n")
        #expect(table["a"] == .integer(1))
        #expect(table["b"] == .string("x"))
    }

    @Test func emptyTextIsAnEmptyTable() throws {
        #expect(try TOML.parse("").isEmpty)
    }

    // MARK: Errors

    @Test func duplicateKeyIsAnErrorOnItsLine() {
        let error = parseError("a = 1\nb = 2\na = 3")
        #expect(error == TOMLError(line: 3, column: 1, message: "duplicate key a"))
    }

    @Test func duplicateKeyInATableNamesTheFullKey() {
        let error = parseError("[roles.text]\nfg = 1\n  fg = 2")
        #expect(error?.line == 3)
        #expect(error?.column == 3)
        #expect(error?.message == "duplicate key roles.text.fg")
    }

    @Test func tableDefinedTwiceIsAnError() {
        let error = parseError("[a]\nx = 1\n[a]\ny = 2")
        #expect(error?.line == 3)
        #expect(error?.message == "table [a] is defined twice")
    }

    @Test func tableHeaderOverAValueIsAnError() {
        let error = parseError("a = 1\n[a.b]")
        #expect(error?.line == 2)
        #expect(error?.message == "a is already a value, not a table")
    }

    @Test func dottedKeyThroughAValueIsAnError() {
        let error = parseError("a = 1\na.b = 2")
        #expect(error?.line == 2)
        #expect(error?.message == "a is already a value, not a table")
    }

    @Test func unterminatedStringSaysWhereItOpened() {
        let error = parseError("ok = 1\nname = \"solarized\nnext = 2")
        #expect(error?.line == 2)
        #expect(error?.column == 18)
        #expect(error?.message.hasPrefix("unterminated string (opened at line 2, column 8)") == true)
    }

    @Test func unterminatedStringAtEndOfFileIsAnError() {
        #expect(parseError("a = 'abc")?.message == "unterminated string (opened at line 1, column 5)")
    }

    @Test func missingEqualsIsAnError() {
        let error = parseError("\n\nfg \"#fff\"")
        #expect(error?.line == 3)
        #expect(error?.column == 4)
        #expect(error?.message.hasPrefix("expected = after the key fg") == true)
    }

    @Test func missingValueIsAnError() {
        #expect(parseError("a =   # nothing")?.message == "expected a value after =")
        #expect(parseError("a =")?.message == "expected a value, found the end of the file")
    }

    @Test func unquotedWordSuggestsQuotes() {
        let error = parseError("theme = light")
        #expect(error?.column == 9)
        #expect(error?.message == "light is not a value (strings need quotes: \"light\")")
    }

    @Test func datesAndTimesAreRefusedWithAHint() {
        #expect(parseError("day_start = 07:30")?.message.contains("write it as a string") == true)
        #expect(parseError("d = 2026-11-30")?.message.contains("dates and times are not supported") == true)
    }

    @Test func textAfterAValueIsAnError() {
        let error = parseError("a = 1 2")
        #expect(error?.column == 7)
        #expect(error?.message == "expected the end of the line after the value, found '2'")
    }

    @Test func unknownEscapeIsAnError() {
        let error = parseError(#"s = "a\qb""#)
        #expect(error?.column == 7)
        #expect(error?.message.hasPrefix(#"unknown escape \q"#) == true)
    }

    @Test func shortUnicodeEscapeIsAnError() {
        #expect(parseError(#"s = "\u12""#)?.message == #"\u needs 4 hex digits"#)
    }

    @Test func surrogateEscapeIsAnError() {
        #expect(parseError(#"s = "\uD800""#)?.message.contains("not a Unicode scalar value") == true)
    }

    @Test func controlCharacterInAStringIsAnError() {
        #expect(parseError("s = \"a\u{01}b\"")?.message.contains("control character U+0001") == true)
    }

    @Test func badNumbersAreErrors() {
        #expect(parseError("a = 007") != nil)
        #expect(parseError("a = 1__0") != nil)
        #expect(parseError("a = _1") != nil)
        #expect(parseError("a = 1.") != nil)
        #expect(parseError("a = .5") != nil)
        #expect(parseError("a = -0x10") != nil)
        #expect(parseError("a = 0xfg") != nil)
        #expect(parseError("a = 1e") != nil)
    }

    @Test func integerTooLargeIsAnError() {
        #expect(parseError("a = 99999999999999999999")?.message == "99999999999999999999 is too large for an integer")
    }

    @Test func unsupportedSyntaxIsNamed() {
        #expect(parseError("a = {x = 1}")?.message.contains("inline tables") == true)
        #expect(parseError("[[a]]")?.message.contains("arrays of tables") == true)
        #expect(parseError("a = \"\"\"x\"\"\"")?.message.contains("multi-line strings") == true)
    }

    @Test func badTableHeadersAreErrors() {
        #expect(parseError("[]")?.message.hasPrefix("expected a key") == true)
        #expect(parseError("[a")?.message.hasPrefix("expected ] to close the table header") == true)
        #expect(parseError("[a] x = 1")?.message.hasPrefix("expected the end of the line after the table header") == true)
    }

    @Test func unterminatedArraySaysWhereItOpened() {
        let error = parseError("a = [1, 2,\n\n")
        #expect(error?.message == "unterminated array (opened at line 1, column 5)")
    }

    @Test func arrayWithoutCommasIsAnError() {
        #expect(parseError("a = [1 2]")?.message == "expected , or ] in the array, found '2'")
    }

    @Test func columnsCountCharactersNotBytes() {
        let error = parseError("\"é日本\" = 1 x")
        #expect(error?.column == 11)
    }

    // MARK: Robustness

    @Test func deeplyNestedArraysAreRefusedWithoutCrashing() {
        let deep = "a = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(parseError(deep)?.message == "arrays are nested more than \(TOML.maxArrayDepth) deep")
    }

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let depth = TOML.maxArrayDepth
        let table = try TOML.parse("a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        var value = try #require(table["a"])
        for _ in 1..<depth { value = try #require(value.arrayValue?.first) }
        #expect(value == .array([]))
    }

    @Test func veryLongLinesParse() throws {
        // Just under the 1 MiB file cap (TOML.maxBytes).
        let long = String(repeating: "x", count: 900_000)
        let table = try TOML.parse("s = \"\(long)\"\nt = [" + Array(repeating: "1", count: 50_000).joined(separator: ",") + "]")
        #expect(table["s"]?.stringValue?.count == 900_000)
        #expect(table["t"]?.arrayValue?.count == 50_000)
    }

    @Test func veryLongGarbageTokenIsAShortError() {
        let error = parseError("a = " + String(repeating: "z", count: 500_000))
        #expect(error != nil)
        #expect((error?.message.count ?? 0) < 200)
    }

    @Test func randomInputNeverCrashes() {
        var seed: UInt64 = 0x5EED
        func next() -> UInt64 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return seed >> 33
        }
        let pieces = ["[", "]", "[[", "=", "\"", "'", "\\", "\\u", ".", ",", "#", "\n", "\r", "\r\n", " ", "\t", "a", "b.c",
                      "1", "_", "-", "+", "0x", "e", "inf", "nan", "true", "{", "}", "\u{0}", "\u{7F}", "é", "日", "😀", "\u{FEFF}",
                      "[a]", "[a.b]", "x = 1\n", "x = \"", "= ="]
        let runs = 3_000
        var parsed = 0
        for _ in 0..<runs {
            var text = ""
            for _ in 0..<Int(next() % 40) { text += pieces[Int(next() % UInt64(pieces.count))] }
            if (try? TOML.parse(text)) != nil { parsed += 1 }
        }
        #expect(parsed < runs) // most of it is nonsense, and says so
    }

    @Test func errorsDescribeTheirLineAndColumn() {
        #expect(TOMLError(line: 3, column: 7, message: "expected =").description == "line 3, column 7: expected =")
    }

    @Test func valuesDescribeThemselvesAsTOML() {
        #expect(TOMLValue.string("a\"b\n").description == #""a\"b\n""#)
        #expect(TOMLValue.array([.integer(1), .boolean(false), .float(2.5)]).description == "[1, false, 2.5]")
    }
}
