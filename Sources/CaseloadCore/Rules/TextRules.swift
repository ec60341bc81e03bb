import Foundation

/// Rules every text value in a document follows, whatever its field: no terminal control characters, and a length cap.
///
/// The values are found by encoding the item through a walker that sees each string with its field path, so a field added
/// later is covered without being listed here.
public enum TextRules {
    /// Fields (by their last JSON key) that hold several lines: notes, narratives, plan statements, the redisclosure notice.
    /// They may hold newlines and tabs; every other text is one line.
    public static let multiLineKeys = Set(["narrative", "text", "statement", "redisclosureNotice", "note"])
        .union(Evaluation.multiLineKeys)
    /// Most UTF-8 bytes in a one-line text (a name, an MRN, a title, …).
    public static let maxOneLineBytes = 4_096
    /// Most UTF-8 bytes in a multi-line text (a note's section, a narrative, …): hundreds of pages.
    public static let maxMultiLineBytes = 1_048_576

    /// Every broken text rule in `value`, with field paths under `path` (like `patients[3].legalName`).
    public static func check(_ value: some Encodable, path: String) -> [ValidationIssue] {
        let sink = TextSink(root: path)
        try? value.encode(to: TextWalker(sink: sink, codingPath: []))
        return sink.issues
    }

    /// The issue for one text value, or nil when it follows the rules.
    static func issue(in text: String, multiLine: Bool) -> String? {
        let bytes = text.utf8.count
        let cap = multiLine ? maxMultiLineBytes : maxOneLineBytes
        if bytes > cap {
            return "is \(bytes) bytes long; the most a \(multiLine ? "multi-line" : "one-line") text may hold is \(cap) bytes"
        }
        // Scanning bytes is enough: C0 and DEL are single bytes, C1 is 0xC2 then 0x80–0x9F.
        var previous: UInt8 = 0
        var position = 0
        for b in text.utf8 {
            if b < 0x80 || b >= 0xC0 { position += 1 }
            let isC1 = previous == 0xC2 && (0x80...0x9F).contains(b)
            previous = b
            guard b < 0x20 || b == 0x7F || isC1 else { continue }
            if multiLine && (b == 0x0A || b == 0x09) { continue }
            let scalar = isC1 ? Unicode.Scalar(UInt32(b)) ?? "?" : Unicode.Scalar(b)
            let what = multiLine ? "a multi-line text holds no control characters but newlines and tabs"
                : b == 0x0A || b == 0x09 ? "a one-line text holds no newlines or tabs"
                : "a one-line text holds no control characters"
            return "contains the control character \(TerminalText.visible(scalar)) at character \(position); \(what) (terminal escapes are refused)"
        }
        return nil
    }
}

/// Collects issues while walking; a class so every container of one walk shares it.
private final class TextSink {
    let root: String
    var issues: [ValidationIssue] = []
    init(root: String) { self.root = root }

    func visit(_ text: String, path: [any CodingKey], key: (any CodingKey)?) {
        // Most text is short and plain: decide cheaply before building a path.
        let last = key ?? path.last
        let multiLine = last.map { $0.intValue == nil && TextRules.multiLineKeys.contains($0.stringValue) } ?? false
        guard let message = TextRules.issue(in: text, multiLine: multiLine) else { return }
        var field = root
        for k in path + (key.map { [$0] } ?? []) {
            if let index = k.intValue, k is IndexKey { field += "[\(index)]" } else { field += (field.isEmpty ? "" : ".") + k.stringValue }
        }
        issues.append(ValidationIssue(field: field, message: message))
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { return nil }
}

/// An `Encoder` that writes nothing and hands each string to the sink with its path.
private struct TextWalker: Encoder {
    let sink: TextSink
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed<Key>(sink: sink, codingPath: codingPath))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(sink: sink, codingPath: codingPath) }
    func singleValueContainer() -> any SingleValueEncodingContainer { Single(sink: sink, codingPath: codingPath) }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let sink: TextSink
        let codingPath: [any CodingKey]
        mutating func encodeNil(forKey key: Key) {}
        mutating func encode(_ value: String, forKey key: Key) { sink.visit(value, path: codingPath, key: key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            if let text = value as? String { sink.visit(text, path: codingPath, key: key); return }
            try value.encode(to: TextWalker(sink: sink, codingPath: codingPath + [key]))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(sink: sink, codingPath: codingPath + [key]))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { Unkeyed(sink: sink, codingPath: codingPath + [key]) }
        mutating func superEncoder() -> any Encoder { TextWalker(sink: sink, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { TextWalker(sink: sink, codingPath: codingPath + [key]) }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let sink: TextSink
        let codingPath: [any CodingKey]
        var count = 0
        init(sink: TextSink, codingPath: [any CodingKey]) { self.sink = sink; self.codingPath = codingPath }
        private mutating func next() -> IndexKey { defer { count += 1 }; return IndexKey(count) }
        mutating func encodeNil() { count += 1 }
        mutating func encode(_ value: String) { let key = next(); sink.visit(value, path: codingPath, key: key) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            let key = next()
            if let text = value as? String { sink.visit(text, path: codingPath, key: key); return }
            try value.encode(to: TextWalker(sink: sink, codingPath: codingPath + [key]))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(sink: sink, codingPath: codingPath + [next()]))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(sink: sink, codingPath: codingPath + [next()]) }
        mutating func superEncoder() -> any Encoder { TextWalker(sink: sink, codingPath: codingPath + [next()]) }
    }

    struct Single: SingleValueEncodingContainer {
        let sink: TextSink
        let codingPath: [any CodingKey]
        mutating func encodeNil() {}
        mutating func encode(_ value: String) { sink.visit(value, path: codingPath, key: nil) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            if let text = value as? String { sink.visit(text, path: codingPath, key: nil); return }
            try value.encode(to: TextWalker(sink: sink, codingPath: codingPath))
        }
        // Numbers and booleans hold no text.
        mutating func encode(_ value: Bool) {}
        mutating func encode(_ value: Double) {}
        mutating func encode(_ value: Float) {}
        mutating func encode(_ value: Int) {}
        mutating func encode(_ value: Int8) {}
        mutating func encode(_ value: Int16) {}
        mutating func encode(_ value: Int32) {}
        mutating func encode(_ value: Int64) {}
        mutating func encode(_ value: UInt) {}
        mutating func encode(_ value: UInt8) {}
        mutating func encode(_ value: UInt16) {}
        mutating func encode(_ value: UInt32) {}
        mutating func encode(_ value: UInt64) {}
    }
}
