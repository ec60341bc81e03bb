import CaseloadCore

/// Typed reads: each expects one kind of value at the current position and names what it found instead.
extension JSONReader {
    /// The failure for a value of the wrong kind at `i`: a syntax failure when it is not JSON at all.
    mutating func mismatch(_ expected: String) -> ReadFailure {
        let at = i
        do { try skipValue() } catch { return error }
        i = at
        let found: String
        switch p[at] {
        case 0x22: found = "a string"
        case 0x7B: found = "an object"
        case 0x5B: found = "a list"
        case 0x74: found = "true"
        case 0x66: found = "false"
        case 0x6E: found = "null"
        default: found = "a number"
        }
        return .field(steps: [], detail: "expected \(expected), found \(found)")
    }

    /// Whether the value at `i` is `null` (consumed when it is).
    @inline(__always)
    mutating func takeNull() throws(ReadFailure) -> Bool {
        guard i < n, p[i] == 0x6E else { return false }
        try literal("null")
        return true
    }

    static let textExpected = "text in double quotes"

    @inline(__always)
    mutating func stringSpan(multiLine: Bool) throws(ReadFailure) -> (start: Int, end: Int, escaped: Bool) {
        guard i < n, p[i] == 0x22 else { throw mismatch(Self.textExpected) }
        return try scanString(multiLine: multiLine)
    }

    @inline(__always)
    mutating func string(multiLine: Bool = false) throws(ReadFailure) -> String {
        makeString(try stringSpan(multiLine: multiLine))
    }

    /// A multi-line text, left in `source` when there is one and the text is long enough for a string of its own to
    /// cost memory (shorter ones fit inside a `String`), and its escapes are the writer's.
    @inline(__always)
    mutating func storedText() throws(ReadFailure) -> StoredText {
        let span = try stringSpan(multiLine: true)
        if let source, span.end - span.start > Self.sliceMinimum,
           !span.escaped || TextSlice.hasWriterEscapes(UnsafeBufferPointer(start: p + span.start, count: span.end - span.start)),
           let slice = TextSlice(source: source, start: span.start, end: span.end, escaped: span.escaped) {
            return .slice(slice)
        }
        return .string(makeString(span))
    }

    /// Texts up to this many bytes are made strings: Swift keeps up to 15 inline, and a slice saves little on short ones.
    static let sliceMinimum = 31

    @inline(__always)
    mutating func optionalString(multiLine: Bool = false) throws(ReadFailure) -> String? {
        if try takeNull() { return nil }
        return try string(multiLine: multiLine)
    }

    @inline(__always)
    mutating func id<T: TypedID>(_: T.Type = T.self) throws(ReadFailure) -> T {
        let span = try stringSpan(multiLine: false)
        guard span.end > span.start else { throw .field(steps: [], detail: "an ID must not be empty") }
        return T(makeString(span))
    }

    @inline(__always)
    mutating func optionalID<T: TypedID>(_: T.Type = T.self) throws(ReadFailure) -> T? {
        if try takeNull() { return nil }
        return try id(T.self)
    }

    /// A whole number; like Foundation, `1.0` and `1e2` are whole numbers too.
    @inline(__always)
    mutating func int() throws(ReadFailure) -> Int {
        guard i < n, p[i] == 0x2D || p[i] &- 0x30 < 10 else { throw mismatch("a whole number") }
        let start = i
        let negative = p[i] == 0x2D
        if negative { i += 1 }
        var value = 0
        var overflow = false
        while i < n, p[i] &- 0x30 < 10 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(p[i] &- 0x30))
            value = s
            overflow = overflow || o1 || o2
            i += 1
        }
        let digitsStart = start + (negative ? 1 : 0)
        let fraction = i < n && (p[i] == 0x2E || p[i] == 0x65 || p[i] == 0x45)
        if fraction || overflow || i == digitsStart || (p[digitsStart] == 0x30 && i > digitsStart + 1) {
            i = start
            try number()
            let text = String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
            guard let double = Double(text), let exact = Int(exactly: double) else {
                throw .field(steps: [], detail: "expected a whole number, found \(text.prefix(30))")
            }
            return exact
        }
        return negative ? -value : value
    }

    @inline(__always)
    mutating func optionalInt() throws(ReadFailure) -> Int? {
        if try takeNull() { return nil }
        return try int()
    }

    @inline(__always)
    mutating func bool() throws(ReadFailure) -> Bool {
        guard i < n else { throw mismatch("true or false") }
        if p[i] == 0x74 { try literal("true"); return true }
        if p[i] == 0x66 { try literal("false"); return false }
        throw mismatch("true or false")
    }

    /// `YYYY-MM-DD`, read from the bytes without making a string.
    @inline(__always)
    mutating func date() throws(ReadFailure) -> LocalDate {
        let span = try stringSpan(multiLine: false)
        if !span.escaped, span.end - span.start == 10, let date = Self.date(p + span.start) { return date }
        let text = makeString(span)
        guard let date = LocalDate(iso: text) else {
            throw .field(steps: [], detail: "not a date in the form YYYY-MM-DD: \"\(text.prefix(20))\"")
        }
        return date
    }

    @inline(__always)
    mutating func optionalDate() throws(ReadFailure) -> LocalDate? {
        if try takeNull() { return nil }
        return try date()
    }

    @inline(__always)
    static func twoDigits(_ q: UnsafePointer<UInt8>) -> Int? {
        let a = q[0] &- 0x30, b = q[1] &- 0x30
        guard a < 10, b < 10 else { return nil }
        return Int(a) * 10 + Int(b)
    }

    @inline(__always)
    static func date(_ q: UnsafePointer<UInt8>) -> LocalDate? {
        guard q[4] == 0x2D, q[7] == 0x2D, let y1 = twoDigits(q), let y2 = twoDigits(q + 2),
              let m = twoDigits(q + 5), let d = twoDigits(q + 8) else { return nil }
        return LocalDate(year: y1 * 100 + y2, month: m, day: d)
    }

    /// `HH:MM` (or `H:MM`, as `LocalTime(text:)` reads).
    @inline(__always)
    mutating func time() throws(ReadFailure) -> LocalTime {
        let span = try stringSpan(multiLine: false)
        let q = p + span.start
        if !span.escaped, span.end - span.start == 5, q[2] == 0x3A, let h = Self.twoDigits(q), let m = Self.twoDigits(q + 3),
           let time = LocalTime(hour: h, minute: m) {
            return time
        }
        let text = makeString(span)
        guard let time = LocalTime(text: text) else {
            throw .field(steps: [], detail: "not a time in the form HH:MM: \"\(text.prefix(20))\"")
        }
        return time
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    @inline(__always)
    mutating func timestamp() throws(ReadFailure) -> Timestamp {
        let span = try stringSpan(multiLine: false)
        let q = p + span.start
        if !span.escaped, span.end - span.start == 20, q[10] == 0x54, q[13] == 0x3A, q[16] == 0x3A, q[19] == 0x5A,
           let date = Self.date(q), let h = Self.twoDigits(q + 11), let m = Self.twoDigits(q + 14), let time = LocalTime(hour: h, minute: m),
           q[17] >= 0x30, q[17] <= 0x35, let s = Self.twoDigits(q + 17) {
            return Timestamp(seconds: Int64(date.dayNumber) * 86400 + Int64(time.minutes) * 60 + Int64(s))
        }
        let text = makeString(span)
        guard let value = Timestamp(iso: text) else {
            throw .field(steps: [], detail: "not a UTC time in the form YYYY-MM-DDTHH:MM:SSZ: \"\(text.prefix(25))\"")
        }
        return value
    }

    @inline(__always)
    mutating func optionalTimestamp() throws(ReadFailure) -> Timestamp? {
        if try takeNull() { return nil }
        return try timestamp()
    }

    /// One of an enum's raw values.
    @inline(__always)
    mutating func value<E: CaseIterable & RawRepresentable>(_: E.Type) throws(ReadFailure) -> E where E.RawValue == String {
        let span = try stringSpan(multiLine: false)
        let text = makeString(span)
        guard let value = E(rawValue: text) else {
            let expected = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw .field(steps: [], detail: "unknown value \"\(TerminalText.safe(String(text.prefix(30)), multiLine: false))\" (expected one of \(expected))")
        }
        return value
    }

    @inline(__always)
    mutating func optionalValue<E: CaseIterable & RawRepresentable>(_: E.Type) throws(ReadFailure) -> E? where E.RawValue == String {
        if try takeNull() { return nil }
        return try value(E.self)
    }

    // MARK: Containers

    /// Reads an object of `K`'s keys, calling `field` for each known key and skipping the value of any other (as
    /// Foundation's decoder ignores unknown keys). Returns which known keys were present, one bit each.
    @inline(__always)
    mutating func object<K: JSONKeys>(_: K.Type, _ field: (inout JSONReader, K) throws(ReadFailure) -> Void) throws(ReadFailure) -> UInt64 {
        guard i < n, p[i] == 0x7B else { throw mismatch("an object { … }") }
        i += 1
        skipSpace()
        if i < n, p[i] == 0x7D { i += 1; return 0 }
        guard depth < Self.maxDepth else {
            throw syntax("objects and lists nest more than \(Self.maxDepth) deep; no Caseload document does", at: i - 1)
        }
        depth += 1
        let table = K.table
        var seen: UInt64 = 0
        var hint = 0
        var unknown: [[UInt8]] = []
        while true {
            guard i < n, p[i] == 0x22 else { throw syntax("\(describeHere()): expected a field name in double quotes") }
            let keyStart = i
            let span = try scanString(multiLine: false, isKey: true)
            let k: Int
            if span.escaped {
                unescape(span.start, span.end)
                k = scratch.withUnsafeBufferPointer { b in b.baseAddress.map { table.match($0, b.count, hint: hint) } ?? table.match(p, 0, hint: hint) }
            } else {
                k = table.match(p + span.start, span.end - span.start, hint: hint)
            }
            try colon()
            skipSpace()
            if k >= 0, let key = K(rawValue: k) {
                let bit: UInt64 = 1 << UInt64(k)
                if seen & bit != 0 { throw duplicateKey(table.bytes[k], at: keyStart) }
                seen |= bit
                hint = k + 1
                do { try field(&self, key) } catch { throw error.under(.key(table.names[k])) }
            } else {
                let name = span.escaped ? scratch : Array(UnsafeBufferPointer(start: p + span.start, count: span.end - span.start))
                if unknown.contains(name) { throw duplicateKey(name, at: keyStart) }
                unknown.append(name)
                try skipValue(multiLine: JSONReader.multiLineKeys.contains(name))
            }
            skipSpace()
            guard i < n else { throw syntax("the file ends too early: a '}' is missing") }
            if p[i] == 0x2C {
                i += 1
                skipSpace()
                continue
            }
            if p[i] == 0x7D { i += 1; break }
            throw syntax("\(describeHere()): expected ',' or '}'")
        }
        depth -= 1
        return seen
    }

    /// Reads a list, each element with `element`; a failure names the element's index.
    @inline(__always)
    mutating func array<T>(_ element: (inout JSONReader) throws(ReadFailure) -> T) throws(ReadFailure) -> [T] {
        guard i < n, p[i] == 0x5B else { throw mismatch("a list [ … ]") }
        i += 1
        skipSpace()
        if i < n, p[i] == 0x5D { i += 1; return [] }
        guard depth < Self.maxDepth else {
            throw syntax("objects and lists nest more than \(Self.maxDepth) deep; no Caseload document does", at: i - 1)
        }
        depth += 1
        var result: [T] = []
        while true {
            do { result.append(try element(&self)) } catch { throw error.under(.index(result.count)) }
            skipSpace()
            guard i < n else { throw syntax("the file ends too early: a ']' is missing") }
            if p[i] == 0x2C {
                i += 1
                skipSpace()
                continue
            }
            if p[i] == 0x5D { i += 1; break }
            throw syntax("\(describeHere()): expected ',' or ']'")
        }
        depth -= 1
        return result
    }

    /// A list that may be missing from the file: read where present.
    @inline(__always)
    mutating func optionalArray<T>(_ element: (inout JSONReader) throws(ReadFailure) -> T) throws(ReadFailure) -> [T]? {
        if try takeNull() { return nil }
        return try array(element)
    }

    /// Skips a value to read it later (`at`), when what it must be depends on a key that comes after it.
    @inline(__always)
    mutating func skipForLater() throws(ReadFailure) -> Int {
        let at = i
        try skipValue()
        return at
    }

    /// Reads a value skipped earlier at `offset`, then comes back.
    @inline(__always)
    mutating func reread<T>(at offset: Int, key: String, _ read: (inout JSONReader) throws(ReadFailure) -> T) throws(ReadFailure) -> T {
        let saved = i, savedDepth = depth
        defer { i = saved; depth = savedDepth }
        i = offset
        do { return try read(&self) } catch { throw error.under(.key(key)) }
    }
}
