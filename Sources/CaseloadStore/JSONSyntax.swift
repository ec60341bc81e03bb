import CaseloadCore

/// The strict JSON check on its own, with line and column: `JSONReader.skipDocument` on a whole text. The document
/// reader runs the same checks as it reads; this is for the error path and for tools that check any JSON.
enum JSONSyntax {
    /// How deeply objects and arrays may nest; a document needs about 10.
    static let maxDepth = JSONReader.maxDepth

    /// A syntax error: 1-based line and column (in characters) and what was expected.
    struct Failure: Equatable {
        var line: Int
        var column: Int
        var message: String
    }

    /// The first syntax error in `bytes`, or nil when the text is valid JSON.
    static func firstError(in bytes: [UInt8]) -> Failure? { scan(bytes).failure }

    /// The first syntax error, and whether any string value may break the text rules (`TextRules`): one that holds a
    /// control character, or a newline, tab or more than a one-line text's bytes outside a multi-line field.
    static func scan(_ bytes: [UInt8]) -> (failure: Failure?, textNeedsCheck: Bool) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                return (Failure(line: 1, column: 1, message: "the file ends too early: a value is missing"), true)
            }
            var reader = JSONReader(base, count: buffer.count)
            do throws(ReadFailure) {
                try reader.skipDocument()
                return (nil, reader.textNeedsCheck)
            } catch {
                let offset: Int, message: String
                switch error {
                case .syntax(let at, let text): offset = at; message = text
                case .invalidUTF8(let at): offset = at; message = "the text is not valid UTF-8"
                case .field(_, let text): offset = reader.i; message = text
                }
                let (line, column) = position(of: offset, in: base, count: buffer.count)
                return (Failure(line: line, column: column, message: message), true)
            }
        }
    }

    /// Line and column (1-based, counting characters, not bytes) of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return (1, 1) }
            return position(of: offset, in: base, count: buffer.count)
        }
    }

    static func position(of offset: Int, in base: UnsafePointer<UInt8>, count: Int) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var i = 0
        let end = min(offset, count)
        while i < end {
            let b = base[i]
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (line, column)
    }
}

/// Finds where bytes stop being UTF-8.
enum UTF8Check {
    /// Offset of the first byte that is not part of valid UTF-8, or nil.
    static func firstInvalidOffset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return firstInvalidOffset(base, count: buffer.count)
        }
    }

    static func firstInvalidOffset(_ bytes: UnsafePointer<UInt8>, count n: Int) -> Int? {
        var i = 0
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let need: Int
            let minScalar: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: need = 1; scalar = UInt32(b & 0x1F); minScalar = 0x80
            case 0xE0...0xEF: need = 2; scalar = UInt32(b & 0x0F); minScalar = 0x800
            case 0xF0...0xF4: need = 3; scalar = UInt32(b & 0x07); minScalar = 0x10000
            default: return i
            }
            guard i + need < n else { return i }
            for k in 1...need {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minScalar || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += need + 1
        }
        return nil
    }
}
