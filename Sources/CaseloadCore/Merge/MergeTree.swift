import Foundation

/// The field-by-field merge of one entity's Codable form (JSON trees, as `AuditEvent.changes` walks them): objects by
/// key, lists of objects by their `id` (or `patient`), other lists by index when all three have one length, or as
/// appends to a common start, else as one value.
enum MergeTree {
    /// A conflict found at a path: both values as display text.
    struct Found {
        var path: String
        var kind: MergeConflict.Kind
        var theirs: String
        var mine: String
        /// Where the two values sit (the object, for a conflict named by its discriminator key), and each exactly, as
        /// JSON (nil: absent), so a resolution can put either back.
        var valuePath: String
        var theirsJSON: String?
        var mineJSON: String?

        init(path: String, kind: MergeConflict.Kind, theirs: Any?, mine: Any?, valuePath: String? = nil) {
            self.path = path; self.kind = kind
            self.theirs = theirs.map(MergeTree.display) ?? "(removed)"
            self.mine = mine.map(MergeTree.display) ?? "(removed)"
            self.valuePath = valuePath ?? path
            self.theirsJSON = theirs.flatMap(MergeTree.exactJSON)
            self.mineJSON = mine.flatMap(MergeTree.exactJSON)
        }
    }

    /// Keys whose string value says which case of an enum an object is (`SessionStatus`, `PatientStatus`,
    /// `AttendanceMark`): when both sides changed it differently the object is one value, not a mix of two cases.
    static let discriminators = ["state", "status"]

    /// The merge of `theirs` and `mine` from `base` (nil: absent) into what the file gets and what this instance keeps.
    static func merge(_ base: Any?, _ theirs: Any?, _ mine: Any?, path: String, found: inout [Found]) -> (merged: Any?, mine: Any?) {
        if same(theirs, mine) { return (theirs, theirs) }
        if same(base, theirs) { return (mine, mine) }
        if same(base, mine) { return (theirs, theirs) }
        // Both changed, differently.
        guard let t = theirs, let m = mine else {
            // Removed on one side, changed on the other: the changed one is kept in both.
            let kept = theirs ?? mine
            found.append(Found(path: path, kind: .removedChanged, theirs: theirs, mine: mine))
            return (kept, kept)
        }
        if let tx = t as? [String: Any], let mx = m as? [String: Any] {
            let bx = base as? [String: Any] ?? [:]
            for key in discriminators {
                if let tk = tx[key] as? String, let mk = mx[key] as? String, tk != mk, !same(bx[key], tx[key]), !same(bx[key], mx[key]) {
                    found.append(Found(path: join(path, key), kind: .field, theirs: t, mine: m, valuePath: path))
                    return (t, m)
                }
            }
            var merged: [String: Any] = [:], kept: [String: Any] = [:]
            for key in Set(tx.keys).union(mx.keys).union(bx.keys).sorted() {
                let r = merge(bx[key], tx[key], mx[key], path: join(path, key), found: &found)
                merged[key] = r.merged
                kept[key] = r.mine
            }
            return (merged, kept)
        }
        if let tl = t as? [Any], let ml = m as? [Any] {
            let bl = base as? [Any] ?? []
            if let bk = AuditEvent.keyed(bl), let tk = AuditEvent.keyed(tl), let mk = AuditEvent.keyed(ml) {
                return mergeKeyed(bk, tk, mk, path: path, found: &found)
            }
            if bl.count == tl.count, tl.count == ml.count {
                var merged: [Any] = [], kept: [Any] = []
                for i in tl.indices {
                    let r = merge(bl[i], tl[i], ml[i], path: "\(path)[\(i)]", found: &found)
                    // An element cannot be removed from a list matched by index; it was present on both sides.
                    merged.append(r.merged ?? tl[i]); kept.append(r.mine ?? ml[i])
                }
                return (merged, kept)
            }
            // Both appended to the same start (addenda, drop-ins): both appends, each once.
            if tl.count >= bl.count, ml.count >= bl.count, zip(bl, tl).allSatisfy({ same($0, $1) }), zip(bl, ml).allSatisfy({ same($0, $1) }) {
                var out = tl
                for element in ml.dropFirst(bl.count) where !tl.dropFirst(bl.count).contains(where: { same($0, element) }) {
                    out.append(element)
                }
                return (out, out)
            }
        }
        found.append(Found(path: path, kind: .field, theirs: t, mine: m))
        return (t, m)
    }

    /// Lists of objects matched by key; order: theirs, then the ones only mine has.
    static func mergeKeyed(_ base: [(String, Any)], _ theirs: [(String, Any)], _ mine: [(String, Any)], path: String,
                           found: inout [Found]) -> (merged: Any?, mine: Any?) {
        let b = Dictionary(base, uniquingKeysWith: { l, _ in l })
        let t = Dictionary(theirs, uniquingKeysWith: { l, _ in l })
        let m = Dictionary(mine, uniquingKeysWith: { l, _ in l })
        var order: [String] = []
        for (key, _) in theirs + mine where !order.contains(key) { order.append(key) }
        var merged: [Any] = [], kept: [Any] = []
        for key in order {
            let r = merge(b[key], t[key], m[key], path: "\(path)[\(key)]", found: &found)
            if let value = r.merged { merged.append(value) }
            if let value = r.mine { kept.append(value) }
        }
        return (merged, kept)
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }


    /// Deep equality of two JSON trees (nil: absent).
    static func same(_ a: Any?, _ b: Any?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (nil, _), (_, nil): return false
        case (let a?, let b?):
            if let x = a as? String, let y = b as? String { return x == y }
            if let x = a as? [String: Any], let y = b as? [String: Any] {
                return x.count == y.count && x.allSatisfy { key, value in y[key].map { same(value, $0) } ?? false }
            }
            if let x = a as? [Any], let y = b as? [Any] {
                return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
            }
            if let x = a as? NSNumber, let y = b as? NSNumber { return x == y }
            if a is NSNull, b is NSNull { return true }
            if let x = a as? NSObject, let y = b as? NSObject { return x.isEqual(y) }
            return false
        }
    }

    /// A value as text for the person resolving a conflict: a string as it is, anything else as compact JSON.
    static func display(_ value: Any) -> String {
        if let text = value as? String { return text }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return "(unreadable)" }
        return text
    }

    /// A value as exact JSON (a fragment), to be read back by a resolution.
    static func exactJSON(_ value: Any) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    /// An entity as a JSON tree (its Codable form).
    static func json<T: Encodable>(_ value: T) -> Any? { AuditEvent.json(value) }

    /// An entity read back from a merged tree; nil if it does not decode.
    static func decode<T: Decodable>(_ tree: Any?) -> T? {
        guard let tree, let data = try? JSONSerialization.data(withJSONObject: tree, options: [.fragmentsAllowed]) else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }
}

// MARK: Paths: where a conflict sits, read back so a resolution can put a value there.

extension MergeTree {
    /// One step of a conflict's path: an object's key (`phone`), or a list element (`[con_2]` by its `id`/`patient` as
    /// `AuditEvent.keyed` keys it, `[2]` by index in a list whose elements have no such key).
    enum Step: Equatable {
        case key(String)
        case element(String)
    }

    /// The steps of a path as the merge writes them (`consents[con_2].revoked`, `attendance[pat_3]`, `records[2]`); the
    /// empty path is the whole entity. Nil when the path is not one the merge writes (an unclosed bracket, an empty key).
    static func steps(_ path: String) -> [Step]? {
        var steps: [Step] = []
        var rest = Substring(path)
        while let c = rest.first {
            if c == "[" {
                // A list element: never first (it is inside a named list); its key runs to the next "]".
                guard !steps.isEmpty, let close = rest.firstIndex(of: "]") else { return nil }
                let key = rest[rest.index(after: rest.startIndex)..<close]
                guard !key.isEmpty else { return nil }
                steps.append(.element(String(key)))
                rest = rest[rest.index(after: close)...]
                if let next = rest.first, next != ".", next != "[" { return nil }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                guard end > rest.startIndex else { return nil }
                steps.append(.key(String(rest[..<end])))
                rest = rest[end...]
            }
            // Between steps: "[" goes on at once, "." must be followed by a name.
            if rest.first == "." {
                rest = rest.dropFirst()
                guard let next = rest.first, next != ".", next != "[" else { return nil }
            }
        }
        return steps
    }

    /// Why a value could not be put at a path: the step that is not there.
    struct Missing: Error, Equatable {
        var at: String
    }

    /// `tree` with the value at `steps` replaced by `value` (nil: the key removed, or the element taken out of its list).
    /// The last step may name what is not there yet (a key, a keyed element, which is appended); every step before it
    /// must be there. An element of a keyed list is found by its key only, of any other list by index only.
    static func setting(_ tree: Any, at steps: ArraySlice<Step>, to value: Any?, path: String = "") throws(Missing) -> Any? {
        guard let step = steps.first else { return value }
        let rest = steps.dropFirst()
        switch step {
        case .key(let key):
            guard var object = tree as? [String: Any] else { throw Missing(at: join(path, key)) }
            let here = join(path, key)
            if rest.isEmpty {
                object[key] = value
                return object
            }
            guard let child = object[key] else { throw Missing(at: here) }
            object[key] = try setting(child, at: rest, to: value, path: here)
            return object
        case .element(let key):
            let here = "\(path)[\(key)]"
            guard var list = tree as? [Any] else { throw Missing(at: here) }
            let index: Int?
            if let keyed = AuditEvent.keyed(list), !(keyed.isEmpty && Int(key) != nil) {
                index = keyed.firstIndex { $0.0 == key }
                // A keyed element only one side has: put back at the end (the merge's order: theirs, then mine's own).
                if index == nil, rest.isEmpty {
                    if let value { list.append(value) }
                    return list
                }
            } else {
                index = Int(key).flatMap { list.indices.contains($0) ? $0 : nil }
            }
            guard let index else { throw Missing(at: here) }
            if let changed = try setting(list[index], at: rest, to: value, path: here) {
                list[index] = changed
            } else {
                list.remove(at: index)
            }
            return list
        }
    }

    /// The value at `steps` in `tree`, or nil when a step is not there.
    static func value(_ tree: Any, at steps: ArraySlice<Step>) -> Any? {
        guard let step = steps.first else { return tree }
        switch step {
        case .key(let key):
            return (tree as? [String: Any])?[key].flatMap { value($0, at: steps.dropFirst()) }
        case .element(let key):
            guard let list = tree as? [Any] else { return nil }
            if let keyed = AuditEvent.keyed(list), !keyed.isEmpty {
                return keyed.first { $0.0 == key }.flatMap { value($0.1, at: steps.dropFirst()) }
            }
            return Int(key).flatMap { list.indices.contains($0) ? value(list[$0], at: steps.dropFirst()) : nil }
        }
    }

    /// A JSON fragment read back (`"555-0101"`, `{"patient":"pat_3",…}`, `3`); nil when it is not JSON.
    static func parse(_ fragment: String) -> Any? {
        guard let data = fragment.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }
}
