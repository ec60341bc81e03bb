import CaseloadCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bytes out, exactly as Foundation's `JSONEncoder` writes them with `[.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]`:
/// two spaces per level, `"key" : value`, an empty list as `[`, a blank line and `]`, control characters escaped
/// (`\n`, `\t`, `\r`, `\b`, `\f`, else `\u00xx`), every other character as it is. The keys are written in sorted order by
/// the model's encoders (`DocumentWriter`).
struct JSONWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// Nesting level of the value being written.
    var level: Int
    /// Whether the container being written already has a member, so the next one needs a comma.
    private var needComma = false

    /// A writer whose first value is at nesting `level` (0 for a whole file; 2 for an element of a top-level list).
    init(capacity: Int = 4096, level: Int = 0) {
        self.capacity = max(64, capacity)
        base = .allocate(capacity: self.capacity)
        self.level = level
        Self.preferLargePages(base, count: self.capacity)
    }

    /// A whole file's buffer is tens of megabytes of fresh pages: asking for 2 MiB pages (where the system offers them
    /// on request) turns thousands of page faults into a few dozen. Only a hint; nothing depends on it.
    private static func preferLargePages(_ base: UnsafeMutablePointer<UInt8>, count: Int) {
        #if canImport(Glibc)
        let page = 2 << 20
        guard count >= 4 * page else { return }
        let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
        let end = (Int(bitPattern: base) + count) & ~(page - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        #endif
    }

    deinit { base.deallocate() }

    /// The bytes written, handed over without a copy.
    consuming func data() -> Data {
        let bytes = base, n = count
        discard self
        return Data(bytesNoCopy: bytes, count: n, deallocator: .custom { pointer, _ in pointer.deallocate() })
    }

    /// The bytes written from offset `start` to now; valid until the next write.
    func written(from start: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + start, count: count - start)
    }

    /// Hands the bytes written so far to `body` and empties the buffer; nesting and commas carry on, so a long file
    /// can be written out a piece at a time.
    mutating func drain(_ body: (UnsafeRawBufferPointer) -> Void) {
        body(UnsafeRawBufferPointer(start: base, count: count))
        count = 0
    }

    /// Forgets the bytes written since the last drain (nesting and commas carry on).
    mutating func discardAll() { count = 0 }

    /// The bytes written, as an array.
    consuming func bytes() -> [UInt8] {
        let result = Array(UnsafeBufferPointer(start: base, count: count))
        return result
    }

    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCapacity = max(capacity * 2, count + extra)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        Self.preferLargePages(grown, count: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always)
    mutating func raw(_ source: UnsafeRawBufferPointer) {
        guard let from = source.baseAddress, !source.isEmpty else { return }
        reserve(source.count)
        (base + count).update(from: from.assumingMemoryBound(to: UInt8.self), count: source.count)
        count += source.count
    }

    @inline(__always)
    mutating func raw(_ text: StaticString) {
        raw(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends bytes kept from elsewhere (an entity as it was read).
    mutating func raw(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw($0) }
    }

    /// A newline and the indentation of `level`.
    @inline(__always)
    private mutating func newline(_ level: Int) {
        let spaces = 2 * level
        reserve(1 + spaces)
        base[count] = 0x0A
        (base + count + 1).initialize(repeating: 0x20, count: spaces)
        count += 1 + spaces
    }

    // MARK: Containers

    @inline(__always)
    mutating func beginObject() {
        byte(0x7B)
        level += 1
        needComma = false
    }

    /// `"name" : ` on a new line, after a comma when the object already has a member.
    @inline(__always)
    mutating func key(_ name: StaticString) {
        if needComma { byte(0x2C) }
        newline(level)
        byte(0x22)
        raw(name)
        raw("\" : ")
        needComma = true
    }

    @inline(__always)
    mutating func endObject() {
        level -= 1
        newline(level)
        byte(0x7D)
        needComma = true
    }

    /// A list, each element written by `element` on its own line.
    @inline(__always)
    mutating func array<T>(_ values: [T], _ element: (inout JSONWriter, T) -> Void) {
        byte(0x5B)
        level += 1
        if values.isEmpty {
            byte(0x0A)
        } else {
            for (k, value) in values.enumerated() {
                if k > 0 { byte(0x2C) }
                newline(level)
                needComma = false
                element(&self, value)
            }
        }
        level -= 1
        newline(level)
        byte(0x5D)
        needComma = true
    }

    // MARK: Scalars

    /// A string, escaped as Foundation escapes it: only `"`, `\` and control characters below U+0020.
    @inline(__always)
    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            reserve(utf8.count + 2)
            base[count] = 0x22
            count += 1
            if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                raw(UnsafeRawBufferPointer(utf8))
            } else {
                escaped(utf8)
            }
            byte(0x22)
        }
    }

    /// A text that may still be a slice of the bytes it was read from: a slice's contents are copied as they stand
    /// (the reader keeps only slices escaped as `string` escapes).
    @inline(__always)
    mutating func storedText(_ text: StoredText) {
        switch text {
        case .string(let value): string(value)
        case .slice(let slice):
            byte(0x22)
            raw(slice.raw)
            byte(0x22)
        }
    }

    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        let hex: StaticString = "0123456789abcdef"
        for b in utf8 {
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x09: raw("\\t")
            case 0x0D: raw("\\r")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20:
                raw("\\u00")
                byte(hex.utf8Start[Int(b >> 4)])
                byte(hex.utf8Start[Int(b & 0xF)])
            default: byte(b)
            }
        }
    }

    @inline(__always)
    mutating func int(_ value: Int) {
        reserve(20)
        var v = value.magnitude
        var length = 1
        var rest = v
        while rest >= 10 { rest /= 10; length += 1 }
        if value < 0 { base[count] = 0x2D; count += 1 }
        var k = count + length - 1
        repeat {
            base[k] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            v /= 10
            k -= 1
        } while v > 0
        count += length
    }

    @inline(__always)
    mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    @inline(__always)
    private mutating func two(_ v: Int) {
        base[count] = UInt8(truncatingIfNeeded: 0x30 + v / 10)
        base[count + 1] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
        count += 2
    }

    /// `"YYYY-MM-DD"`; a year outside 1…9999 (only reachable by date arithmetic) as `LocalDate.iso` writes it.
    @inline(__always)
    mutating func date(_ d: LocalDate) {
        guard (1...9999).contains(d.year) else { string(d.iso); return }
        reserve(12)
        base[count] = 0x22; count += 1
        two(d.year / 100); two(d.year % 100)
        base[count] = 0x2D; count += 1
        two(d.month)
        base[count] = 0x2D; count += 1
        two(d.day)
        base[count] = 0x22; count += 1
    }

    /// `"HH:MM"`.
    @inline(__always)
    mutating func time(_ t: LocalTime) {
        reserve(7)
        base[count] = 0x22; count += 1
        two(t.hour)
        base[count] = 0x3A; count += 1
        two(t.minute)
        base[count] = 0x22; count += 1
    }

    /// `"YYYY-MM-DDTHH:MM:SSZ"`, as `Timestamp.iso` writes it.
    @inline(__always)
    mutating func timestamp(_ t: Timestamp) {
        let days = Int(t.seconds >= 0 ? t.seconds / 86400 : (t.seconds - 86399) / 86400)
        let rest = Int(t.seconds - Int64(days) * 86400)
        let d = LocalDate(dayNumber: days)
        guard (1...9999).contains(d.year) else { string(t.iso); return }
        reserve(22)
        base[count] = 0x22; count += 1
        two(d.year / 100); two(d.year % 100)
        base[count] = 0x2D; count += 1
        two(d.month)
        base[count] = 0x2D; count += 1
        two(d.day)
        base[count] = 0x54; count += 1
        two(rest / 3600)
        base[count] = 0x3A; count += 1
        two(rest / 60 % 60)
        base[count] = 0x3A; count += 1
        two(rest % 60)
        base[count] = 0x5A; count += 1
        base[count] = 0x22; count += 1
    }
}
