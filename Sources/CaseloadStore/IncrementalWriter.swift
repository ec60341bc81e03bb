import CaseloadCore
import Foundation

/// The file a store last wrote, and the value each top-level entity's bytes in it encode: what lets a save re-encode
/// only what changed.
///
/// The values are copies of the document's elements, not the document's lists themselves: holding a list would make the
/// app's next edit copy the whole list (copy-on-write), while an element's own storage (its strings and lists) is shared
/// until the app changes that element.
struct EntityCache {
    /// The whole file as last written.
    var file: Data
    var program: Program
    var programRange: Range<Int>
    var staff: CachedList<Staff>
    var patients: CachedList<Patient>
    var series: CachedList<Series>
    var sessions: CachedList<Session>
}

/// One top-level list as last written: each element's value and where its bytes are in `EntityCache.file`, in file order.
struct CachedList<Element: Identifiable & Equatable> where Element.ID: Hashable {
    var values: [Element] = []
    var ranges: [Range<Int>] = []
}

/// Writes a whole file, copying the bytes of every top-level entity whose value equals the one it was last written as
/// and encoding the others: byte-identical to `DocumentWriter.encode`, since both write through the same `JSONWriter`
/// calls and an entity's bytes do not depend on its neighbours (its indentation is fixed by its place in the file).
enum IncrementalWriter {
    /// The bytes to write, the cache that describes them, and how many entities were encoded afresh.
    struct Output {
        var data: Data
        var cache: EntityCache
        var reencoded: Int
    }

    /// The file for `document`; with `cache` nil (a file not known to be in canonical form, or none written yet) every
    /// entity is encoded.
    static func encode(_ document: CaseloadDocument, reusing cache: EntityCache?) -> Output {
        guard let cache else { return encode(document, old: nil, oldBytes: UnsafeRawBufferPointer(start: nil, count: 0)) }
        return cache.file.withUnsafeBytes { encode(document, old: cache, oldBytes: $0) }
    }

    private static func encode(_ document: CaseloadDocument, old: EntityCache?, oldBytes: UnsafeRawBufferPointer) -> Output {
        // An edit rarely changes the size by much: the last file's size and some room avoids regrowing.
        let capacity = old.map { $0.file.count + $0.file.count / 64 + 65_536 }
            ?? 4096 + document.sessions.count * 1400 + document.patients.count * 4000
        var w = JSONWriter(capacity: capacity, level: 0)
        var reencoded = 0
        w.beginObject()
        w.key("format"); w.string(DocumentCodec.formatName)
        w.key("patients")
        let patients = list(document.patients, old: old?.patients, oldBytes: oldBytes, into: &w, reencoded: &reencoded) { w, p in w.patient(p) }
        w.key("program")
        let programStart = w.count
        if let old, old.program == document.program {
            w.raw(UnsafeRawBufferPointer(rebasing: oldBytes[old.programRange]))
        } else {
            w.program(document.program)
            reencoded += 1
        }
        let programRange = programStart..<w.count
        w.key("schemaVersion"); w.int(DocumentCodec.currentVersion)
        w.key("series")
        let series = list(document.series, old: old?.series, oldBytes: oldBytes, into: &w, reencoded: &reencoded) { w, s in w.series(s) }
        w.key("sessions")
        let sessions = list(document.sessions, old: old?.sessions, oldBytes: oldBytes, into: &w, reencoded: &reencoded) { w, s in w.session(s) }
        w.key("staff")
        let staff = list(document.staff, old: old?.staff, oldBytes: oldBytes, into: &w, reencoded: &reencoded) { w, s in w.staff(s) }
        w.endObject()
        w.byte(0x0A)
        let data = w.data()
        let cache = EntityCache(file: data, program: document.program, programRange: programRange,
                                staff: staff, patients: patients, series: series, sessions: sessions)
        return Output(data: data, cache: cache, reencoded: reencoded)
    }

    /// One top-level list: each element's old bytes when its value is the one they encode, else its fresh encoding.
    private static func list<T: Identifiable & Equatable>(
        _ values: [T], old: CachedList<T>?, oldBytes: UnsafeRawBufferPointer,
        into w: inout JSONWriter, reencoded: inout Int, write: (inout JSONWriter, T) -> Void
    ) -> CachedList<T> where T.ID: Hashable {
        var written = CachedList<T>()
        written.values.reserveCapacity(values.count)
        written.ranges.reserveCapacity(values.count)
        // Built only for an element that is new or moved far (an insertion or removal before it only shifts the rest).
        var positions: [T.ID: Int]? = nil
        var shift = 0
        w.array(values) { w, value in
            let start = w.count
            if let old, let k = oldIndex(of: value, at: written.values.count, in: old, shift: &shift, positions: &positions), old.values[k] == value {
                w.raw(UnsafeRawBufferPointer(rebasing: oldBytes[old.ranges[k]]))
            } else {
                write(&w, value)
                reencoded += 1
            }
            written.values.append(value)
            written.ranges.append(start..<w.count)
        }
        return written
    }

    /// Where the element with `value`'s id was last written: where the elements before it say (`shift` is how far
    /// they moved, by insertions and removals before them), or next to that, else looked up by id.
    @inline(__always)
    private static func oldIndex<T: Identifiable>(of value: T, at position: Int, in old: CachedList<T>, shift: inout Int, positions: inout [T.ID: Int]?) -> Int? where T.ID: Hashable {
        let guess = position + shift
        if guess >= 0, guess < old.values.count, old.values[guess].id == value.id { return guess }
        for k in (guess - 1)...(guess + 1) where k != guess && k >= 0 && k < old.values.count && old.values[k].id == value.id {
            shift = k - position
            return k
        }
        if positions == nil {
            // Ids are unique in a valid document; should two share one, the first is kept (values are compared anyway).
            positions = Dictionary(old.values.indices.map { (old.values[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
        }
        guard let k = positions?[value.id] else { return nil }
        shift = k - position
        return k
    }
}
