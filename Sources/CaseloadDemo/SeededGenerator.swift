/// A SplitMix64 random number generator: the same seed gives the same numbers on every run and platform.
///
/// The demo draws every choice through the helpers below rather than the standard library's
/// `random(in:using:)` family, whose algorithms may change between Swift versions.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// An independent stream for one purpose (`"patients"`, `"patient-12"`), so adding draws to one part of
    /// the demo does not shift the numbers every other part sees.
    public init(seed: UInt64, stream: String) {
        state = seed ^ SeededGenerator.fnv1a(stream)
        state = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a over the UTF-8 bytes: a stable hash (unlike `hashValue`, which is seeded per process).
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// A uniform integer in `0 ..< count` (0 when `count` is below 2); Lemire's method with rejection.
    mutating func below(_ count: Int) -> Int {
        guard count > 1 else { return 0 }
        let bound = UInt64(count)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `perMille` / 1000 (integers only, so no floating-point rounding differs between platforms).
    mutating func chance(_ perMille: Int) -> Bool { below(1000) < perMille }

    /// One element of a non-empty array (the first for an empty one would be a bug; callers pass constants).
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// An index chosen with the given integer weights.
    mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        var roll = below(total)
        for (i, w) in weights.enumerated() {
            if roll < w { return i }
            roll -= w
        }
        return max(0, weights.count - 1)
    }

    /// Fisher–Yates shuffle.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = below(i + 1)
            if i != j { items.swapAt(i, j) }
        }
    }

    /// `count` distinct elements of `items`, in their original order.
    mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        var indices = Array(items.indices)
        shuffle(&indices)
        return indices.prefix(max(0, min(count, items.count))).sorted().map { items[$0] }
    }
}
