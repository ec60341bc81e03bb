import Foundation

/// The bytes a document was read from (or a save's freshly encoded pieces), kept whole and never changed, so that long
/// note texts and each entity's encoding can stay in them instead of being copied out.
///
/// Immutable after creation: the buffer is only read, from any thread, and freed when the last reference goes.
public final class SourceBytes: @unchecked Sendable {
    /// The first byte; valid for `count` bytes while this object lives.
    public let base: UnsafePointer<UInt8>
    public let count: Int
    private let owned: UnsafeMutableRawPointer?

    /// Takes ownership of `pointer`, a `malloc`ed buffer of at least `count` bytes; it is `free`d on deinit.
    public init(adoptingMalloced pointer: UnsafeMutableRawPointer, count: Int) {
        owned = pointer
        base = UnsafePointer(pointer.assumingMemoryBound(to: UInt8.self))
        self.count = count
    }

    /// A copy of `bytes`.
    public convenience init<C: Collection>(copying bytes: C) where C.Element == UInt8 {
        let count = bytes.count
        let pointer = malloc(max(count, 1)) ?? UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)
        _ = UnsafeMutableBufferPointer(start: pointer.bindMemory(to: UInt8.self, capacity: max(count, 1)), count: count).initialize(from: bytes)
        self.init(adoptingMalloced: pointer, count: count)
    }

    deinit { free(owned) }

    /// The bytes in `range`.
    @inline(__always)
    public func buffer(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    /// The whole buffer as `Data`, without a copy; the `Data` keeps this object alive.
    public var data: Data {
        Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: count, deallocator: .custom { [self] _, _ in
            withExtendedLifetime(self) {}
        })
    }
}

/// A JSON string's contents (between its quotes) as they stand in a document's bytes: a text kept there until it is
/// read. Only made for contents whose escapes are the ones the document writer itself uses, so the raw bytes are
/// exactly what encoding the text would write.
public struct TextSlice: Sendable {
    let source: SourceBytes
    let start: UInt32
    /// The byte count, with the top bit set when the contents hold escapes.
    let lengthAndEscaped: UInt32

    /// `nil` when the span is too large to describe (a document is far smaller than 4 GiB, see `Limits.fileBytes`).
    public init?(source: SourceBytes, start: Int, end: Int, escaped: Bool) {
        guard start >= 0, end >= start, end <= source.count, end < Int(UInt32.max), end - start < 1 << 31 else { return nil }
        self.source = source
        self.start = UInt32(start)
        lengthAndEscaped = UInt32(end - start) | (escaped ? 1 << 31 : 0)
    }

    var length: Int { Int(lengthAndEscaped & 0x7FFF_FFFF) }
    var escaped: Bool { lengthAndEscaped & (1 << 31) != 0 }

    /// The raw contents, escapes as written: for a writer to copy.
    public var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: source.base + Int(start), count: length) }

    /// Whether both describe the very same bytes.
    func isSame(as other: TextSlice) -> Bool {
        source === other.source && start == other.start && lengthAndEscaped == other.lengthAndEscaped
    }

    /// The text, escapes decoded.
    public var string: String {
        let bytes = UnsafeBufferPointer(start: source.base + Int(start), count: length)
        guard escaped else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var k = 0
        while k < bytes.count {
            let b = bytes[k]
            guard b == 0x5C, k + 1 < bytes.count else { out.append(b); k += 1; continue }
            let e = bytes[k + 1]
            k += 2
            switch e {
            case 0x6E: out.append(0x0A)
            case 0x74: out.append(0x09)
            case 0x72: out.append(0x0D)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x75 where k + 4 <= bytes.count:
                // Only `\u00xx` below U+0020 is ever kept as a slice (the writer's own form).
                var value: UInt8 = 0
                for q in bytes[(k + 2)..<(k + 4)] { value = value << 4 | (q <= 0x39 ? q &- 0x30 : (q | 0x20) &- 0x61 &+ 10) }
                out.append(value)
                k += 4
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether the raw contents `bytes` use only the escapes the document writer writes: `\"`, `\\`, `\n`, `\t`, `\r`,
    /// `\b`, `\f`, and `\u00xx` (lowercase) for the other characters below U+0020. Assumes the span is valid JSON.
    public static func hasWriterEscapes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        let n = bytes.count
        while k < n {
            guard bytes[k] == 0x5C else { k += 1; continue }
            guard k + 1 < n else { return false }
            switch bytes[k + 1] {
            case 0x22, 0x5C, 0x6E, 0x74, 0x72, 0x62, 0x66:
                k += 2
            case 0x75:
                guard k + 5 < n, bytes[k + 2] == 0x30, bytes[k + 3] == 0x30 else { return false }
                let high = bytes[k + 4], low = bytes[k + 5]
                guard high == 0x30 || high == 0x31 else { return false }
                let lowValue: UInt8
                switch low {
                case 0x30...0x39: lowValue = low - 0x30
                case 0x61...0x66: lowValue = low - 0x61 + 10
                default: return false
                }
                let value = (high - 0x30) << 4 | lowValue
                // The named escapes are written by name, never as \u.
                if value == 0x08 || value == 0x09 || value == 0x0A || value == 0x0C || value == 0x0D { return false }
                k += 6
            default:
                return false
            }
        }
        return true
    }
}

/// A text that is either a string or still a slice of the bytes it was read from.
public enum StoredText: Sendable {
    case string(String)
    case slice(TextSlice)

    public var string: String {
        switch self {
        case .string(let text): text
        case .slice(let slice): slice.string
        }
    }

    /// Equal texts; the same slice compares without decoding.
    public static func same(_ a: StoredText, _ b: StoredText) -> Bool {
        if case .slice(let x) = a, case .slice(let y) = b, x.isSame(as: y) { return true }
        return a.string == b.string
    }
}
