import CaseloadCore
import Foundation

/// One top-level entity's bytes as last written (or as read): a span of a kept buffer, alive while referenced.
struct EntityBytes {
    let owner: SourceBytes
    let start: Int
    let end: Int
    var raw: UnsafeRawBufferPointer { owner.buffer(start, end) }
}

/// The bytes of the file a store last wrote (or read), entity by entity, and the value each entity's bytes encode:
/// what lets a save re-encode only what changed and copy the rest.
///
/// The bytes are spans of buffers kept for the purpose: the file as read (whose long note texts the document holds as
/// slices anyway) and, for each save, one buffer with the entities it encoded afresh. No whole second copy of the file
/// is kept. The values are copies of the document's elements, not its lists: holding a list would make the app's next
/// edit copy the whole list (copy-on-write), while an element's own storage is shared until the app changes it.
struct EntityCache {
    var program: Program
    var programBytes: EntityBytes
    var staff: CachedList<Staff>
    var patients: CachedList<Patient>
    var series: CachedList<Series>
    var sessions: CachedList<Session>
    /// Whether every entity's bytes are exactly what the writer writes for its value. Bytes as read may not be (a file
    /// edited by hand, or by another tool): the first save then encodes every entity and keeps the old bytes only
    /// where they match, so the file is rewritten in canonical form.
    var canonical: Bool
}

/// One top-level list as last written: each element's value and its bytes, in file order.
struct CachedList<Element: Identifiable & Equatable> where Element.ID: Hashable {
    var values: [Element] = []
    var bytes: [EntityBytes] = []
}

extension EntityCache {
    /// The cache for a document as decoded from its file, or nil when the file's entity spans are not known (a migrated
    /// file) or do not match the document.
    init?(_ decoded: DecodedDocument) {
        guard let source = decoded.source, let ranges = decoded.ranges else { return nil }
        let d = decoded.document
        guard ranges.staff.count == d.staff.count, ranges.patients.count == d.patients.count,
              ranges.series.count == d.series.count, ranges.sessions.count == d.sessions.count else { return nil }
        func list<T>(_ values: [T], _ spans: [Range<Int>]) -> CachedList<T> {
            CachedList(values: values.map { $0 }, bytes: spans.map { EntityBytes(owner: source, start: $0.lowerBound, end: $0.upperBound) })
        }
        self.init(program: d.program, programBytes: EntityBytes(owner: source, start: ranges.program.lowerBound, end: ranges.program.upperBound),
                  staff: list(d.staff, ranges.staff), patients: list(d.patients, ranges.patients),
                  series: list(d.series, ranges.series), sessions: list(d.sessions, ranges.sessions), canonical: false)
    }
}

/// Writes a whole file, copying the bytes of every top-level entity whose value equals the one it was last written as
/// and encoding the others: byte-identical to `DocumentWriter.encode`, since both write through the same `JSONWriter`
/// calls and an entity's bytes do not depend on its neighbours (its indentation is fixed by its place in the file).
/// The file goes out in pieces of about a megabyte, never assembled whole.
enum IncrementalWriter {
    /// The cache that describes the bytes written, and how many entities were encoded afresh.
    struct Outcome {
        /// Nil when the fresh bytes could not be kept (out of memory): the next save then encodes everything.
        var cache: EntityCache?
        var reencoded: Int
        /// Bytes of this save's own encodings kept for the next save (entities whose bytes were not already kept).
        var freshBytes: Int
    }

    /// Pieces are handed out once the writer holds this many bytes.
    static let pieceSize = 1 << 20

    /// Where the pieces go, in order. With an owner, the piece lies in that kept buffer (a run of unchanged entities,
    /// copied nowhere) and may be read after the call; without one it is only valid during the call.
    typealias Emit = (UnsafeRawBufferPointer, SourceBytes?) -> Void

    /// Writes the file for `document` through `emit`; with `cache` nil every entity is encoded.
    static func write(_ document: CaseloadDocument, audit: AuditSeal? = nil, reusing old: EntityCache?, emit: Emit) -> Outcome {
        var run = Run(old: old)
        var w = JSONWriter(capacity: pieceSize + 65_536, level: 0)
        w.beginObject()
        // Small and changed by every save that wrote entries: always encoded.
        if let audit { w.key("audit"); w.auditSeal(audit) }
        w.key("format"); w.string(DocumentCodec.formatName)
        w.key("patients")
        let patients = run.list(document.patients, old: old?.patients, into: &w, emit: emit) { w, p in w.patient(p) }
        w.key("program")
        let program = run.entity(document.program, old: old.map { ($0.program, $0.programBytes) }, into: &w) { w, p in w.program(p) }
        w.key("schemaVersion"); w.int(DocumentCodec.currentVersion)
        w.key("series")
        let series = run.list(document.series, old: old?.series, into: &w, emit: emit) { w, s in w.series(s) }
        w.key("sessions")
        let sessions = run.list(document.sessions, old: old?.sessions, into: &w, emit: emit) { w, s in w.session(s) }
        w.key("staff")
        let staff = run.list(document.staff, old: old?.staff, into: &w, emit: emit) { w, s in w.staff(s) }
        w.endObject()
        w.byte(0x0A)
        w.drain { emit($0, nil) }

        let reencoded = run.reencoded
        guard let freshOwner = run.fresh.finish() else { return Outcome(cache: nil, reencoded: reencoded, freshBytes: 0) }
        func resolve(_ place: Place) -> EntityBytes {
            switch place {
            case .old(let bytes): bytes
            case .fresh(let start, let end): EntityBytes(owner: freshOwner, start: start, end: end)
            }
        }
        func cached<T>(_ values: [T], _ places: [Place]) -> CachedList<T> { CachedList(values: values, bytes: places.map(resolve)) }
        let cache = EntityCache(program: document.program, programBytes: resolve(program),
                                staff: cached(staff.values, staff.places), patients: cached(patients.values, patients.places),
                                series: cached(series.values, series.places), sessions: cached(sessions.values, sessions.places),
                                canonical: true)
        return Outcome(cache: cache, reencoded: reencoded, freshBytes: freshOwner.count)
    }

    /// The whole file in one buffer (for `create`'s callers and tests that compare bytes).
    static func encode(_ document: CaseloadDocument, audit: AuditSeal? = nil, reusing old: EntityCache?) -> (data: Data, outcome: Outcome) {
        var data = Data()
        let outcome = write(document, audit: audit, reusing: old) { piece, _ in data.append(contentsOf: piece) }
        return (data, outcome)
    }

    /// Where an entity's bytes will be once the save is done: kept from before, or in this save's fresh buffer.
    enum Place {
        case old(EntityBytes)
        case fresh(Int, Int)
    }

    /// One save's bookkeeping.
    struct Run: ~Copyable {
        let old: EntityCache?
        var fresh = FreshBytes()
        var reencoded = 0

        /// Writes one entity: its old bytes when its value is unchanged and they are known canonical; else its fresh
        /// encoding, which is kept (or, when it equals bytes not yet known canonical, those bytes are kept instead).
        mutating func entity<T: Equatable>(_ value: T, old: (value: T, bytes: EntityBytes)?, into w: inout JSONWriter, write: (inout JSONWriter, T) -> Void) -> Place {
            let canonical = self.old?.canonical ?? false
            if let old, canonical, old.value == value {
                w.raw(old.bytes.raw)
                return .old(old.bytes)
            }
            let start = w.count
            write(&w, value)
            reencoded += 1
            let encoded = w.written(from: start)
            if let old, !canonical, old.value == value, old.bytes.raw.elementsEqual(encoded) {
                return .old(old.bytes)
            }
            return fresh.append(encoded)
        }

        /// One top-level list; hands out a piece whenever the writer holds enough.
        ///
        /// Unchanged entities that stand next to each other in a kept buffer, with exactly the separators the writer
        /// would put between them, go out as one run straight from that buffer: a save after one edit copies almost
        /// nothing. While a run is open the writer holds only the separator before the element at hand.
        mutating func list<T: Identifiable & Equatable>(
            _ values: [T], old: CachedList<T>?, into w: inout JSONWriter, emit: Emit,
            write: (inout JSONWriter, T) -> Void
        ) -> (values: [T], places: [Place]) where T.ID: Hashable {
            var places: [Place] = []
            places.reserveCapacity(values.count)
            // Built only for an element that is new or moved far (an insertion or removal before it only shifts the rest).
            var positions: [T.ID: Int]? = nil
            var shift = 0
            var run: EntityBytes? = nil
            let canonical = self.old?.canonical ?? false
            w.array(values) { w, value in
                let previous = old.flatMap { old in
                    IncrementalWriter.oldIndex(of: value, at: places.count, in: old, shift: &shift, positions: &positions).map { (old.values[$0], old.bytes[$0]) }
                }
                if canonical, let previous, previous.0 == value {
                    let bytes = previous.1
                    if let open = run, open.owner === bytes.owner, bytes.start >= open.end,
                       open.owner.buffer(open.end, bytes.start).elementsEqual(w.written(from: 0)) {
                        // Next to the run, the separator between them as written: the run grows, the separator goes.
                        w.discardAll()
                        run = EntityBytes(owner: open.owner, start: open.start, end: bytes.end)
                    } else {
                        if let open = run { emit(open.raw, open.owner) }
                        w.drain { emit($0, nil) }
                        run = bytes
                    }
                    places.append(.old(bytes))
                    return
                }
                if let open = run {
                    emit(open.raw, open.owner)
                    run = nil
                }
                places.append(entity(value, old: previous, into: &w, write: write))
                if w.count >= IncrementalWriter.pieceSize { w.drain { emit($0, nil) } }
            }
            // The list's closing bracket is in the writer, after the run.
            if let open = run { emit(open.raw, open.owner) }
            return (values, places)
        }
    }

    /// Where the element with `value`'s id was last written: where the elements before it say (`shift` is how far
    /// they moved, by insertions and removals before them), or next to that, else looked up by id.
    @inline(__always)
    static func oldIndex<T: Identifiable>(of value: T, at position: Int, in old: CachedList<T>, shift: inout Int, positions: inout [T.ID: Int]?) -> Int? where T.ID: Hashable {
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

/// A growing buffer of one save's freshly encoded entities, handed over to a `SourceBytes` without a copy.
struct FreshBytes: ~Copyable {
    private var base: UnsafeMutableRawPointer? = nil
    private var count = 0
    private var capacity = 0
    /// Set when memory ran out: the bytes are incomplete and must not be used.
    private var failed = false

    init() {}

    deinit { free(base) }

    /// Appends `bytes` and returns where they are.
    mutating func append(_ bytes: UnsafeRawBufferPointer) -> IncrementalWriter.Place {
        let start = count
        if count + bytes.count > capacity {
            let wanted = max(capacity * 2, count + bytes.count, 4096)
            guard let grown = realloc(base, wanted) else {
                failed = true
                return .fresh(start, start)
            }
            base = grown
            capacity = wanted
        }
        if let from = bytes.baseAddress, let base { (base + count).copyMemory(from: from, byteCount: bytes.count) }
        count += bytes.count
        return .fresh(start, count)
    }

    /// The bytes as a kept buffer (an empty one when nothing was appended); nil when memory ran out on the way.
    consuming func finish() -> SourceBytes? {
        let pointer = base, n = count, failed = failed
        discard self
        if failed {
            free(pointer)
            return nil
        }
        guard let pointer else { return SourceBytes(copying: EmptyCollection<UInt8>()) }
        return SourceBytes(adoptingMalloced: pointer, count: n)
    }
}
