import CaseloadCore
import Foundation

/// A program's own outcome instrument, read from a small TOML file in the `instruments` folder beside config.toml
/// (`~/.config/caseload/instruments/NAME.toml`; docs/FORMAT.md shows one):
///
///     id = "auditc"            # stored with each measure: letters, digits and "-", not a built-in's
///     name = "AUDIT-C"
///     about = "alcohol use"    # optional
///     range = "0-4"            # every item's scores, unless [ranges] gives an item its own
///     safety_item = 3          # optional: a score above zero raises the safety alert
///
///     [items]                  # numbered from 1, a short label of your own each
///     1 = "how often"
///     2 = "how many"
///     3 = "six or more"
///
///     [ranges]                 # optional
///     3 = "0-2"
///
///     [bands]                  # total score bands, ascending, covering every total from lowest to highest
///     "0-3" = "low"
///     "4-10" = "high"
///
/// Scores are 0–9, one key each in the form. A file that cannot be used is reported by name and line, and left alone.
public enum InstrumentFile {
    /// Most items an instrument may have.
    public static let maxItems = 40

    /// Why a file's instrument cannot be used, with the line it is about (1-based; 0 when the whole file is).
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var message: String
        public init(file: String, line: Int, message: String) { self.file = file; self.line = line; self.message = message }

        /// "~/.config/caseload/instruments/auditc.toml:7: … — the instrument is not loaded; measures already recorded
        /// with it keep their scores".
        public var description: String {
            let place = line > 0 ? "\(file):\(line)" : file
            return "\(place): \(message) — the instrument is not loaded; measures already recorded with it keep their scores"
        }
    }

    /// The instrument in `text` (the file `file`), or the first problem found in it.
    public static func parse(_ text: String, file: String, builtIns: [Instrument] = Instrument.builtIns) -> Result<Instrument, Problem> {
        let table: TOMLTable
        do {
            table = try TOML.parse(text)
        } catch {
            return .failure(Problem(file: file, line: error.line, message: "column \(error.column): \(error.message)"))
        }
        func fail(_ table: String?, _ key: String?, _ message: String) -> Result<Instrument, Problem> {
            .failure(Problem(file: file, line: lineOf(key: key, inTable: table, text: text), message: message))
        }
        let known: Set<String> = ["id", "name", "about", "range", "safety_item", "items", "ranges", "bands"]
        for key in table.keys where !known.contains(key) {
            return fail(nil, key, "unknown key \"\(key)\" (expected id, name, about, range, safety_item, [items], [ranges], [bands])")
        }
        guard let id = table["id"]?.stringValue else { return fail(nil, "id", "id = \"…\" is required (letters, digits and -)") }
        guard !id.isEmpty, id.count <= 20, id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            return fail(nil, "id", "id must be 1–20 lower-case letters, digits or -")
        }
        if let taken = builtIns.first(where: { $0.id == id }) { return fail(nil, "id", "\"\(id)\" is already \(taken.name)'s id; choose another") }
        guard let name = table["name"]?.stringValue?.trimmingCharacters(in: .whitespaces), !name.isEmpty, name.count <= 20 else {
            return fail(nil, "name", "name = \"…\" is required, at most 20 characters")
        }
        let about = table["about"]?.stringValue ?? ""
        if table["about"] != nil && table["about"]?.stringValue == nil { return fail(nil, "about", "about must be a string") }

        guard let itemTable = table["items"]?.tableValue, !itemTable.isEmpty else {
            return fail(nil, nil, "an [items] table is required: 1 = \"label\", 2 = \"label\", …")
        }
        guard itemTable.count <= maxItems else { return fail("items", nil, "at most \(maxItems) items") }
        let defaultRange: ClosedRange<Int>?
        if let value = table["range"] {
            guard let text = value.stringValue, let range = scoreRange(text) else {
                return fail(nil, "range", "range must be \"LOW-HIGH\" with scores 0–9 (one key each), like \"0-3\"")
            }
            defaultRange = range
        } else {
            defaultRange = nil
        }
        let rangeTable = table["ranges"]?.tableValue ?? TOMLTable()
        if table["ranges"] != nil && table["ranges"]?.tableValue == nil { return fail(nil, "ranges", "ranges must be a [ranges] table") }
        var items: [InstrumentItem] = []
        for (index, key) in itemTable.keys.enumerated() {
            guard Int(key) == index + 1 else {
                return fail("items", key, "items are numbered 1, 2, 3… in order; expected \(index + 1), found \"\(key)\"")
            }
            guard let label = itemTable[key]?.stringValue?.trimmingCharacters(in: .whitespaces), !label.isEmpty, label.count <= 30 else {
                return fail("items", key, "item \(key) needs a short label of your own (a string of at most 30 characters)")
            }
            let range: ClosedRange<Int>
            if let own = rangeTable[key] {
                guard let text = own.stringValue, let parsed = scoreRange(text) else {
                    return fail("ranges", key, "item \(key)'s range must be \"LOW-HIGH\" with scores 0–9, like \"0-2\"")
                }
                range = parsed
            } else if let defaultRange {
                range = defaultRange
            } else {
                return fail("items", key, "item \(key) has no score range: add range = \"0-3\" at the top, or \(key) = \"0-3\" under [ranges]")
            }
            items.append(InstrumentItem(number: index + 1, label: label, range: range))
        }
        for key in rangeTable.keys where Int(key).map({ !(1...items.count).contains($0) }) ?? true {
            return fail("ranges", key, "\"\(key)\" is not an item number (1–\(items.count))")
        }
        var safetyItem: Int?
        if let value = table["safety_item"] {
            guard let n = value.integerValue, (1...items.count).contains(n) else {
                return fail(nil, "safety_item", "safety_item must be an item number, 1–\(items.count)")
            }
            safetyItem = n
        }
        let lowest = items.reduce(0) { $0 + $1.range.lowerBound }, highest = items.reduce(0) { $0 + $1.range.upperBound }
        guard let bandTable = table["bands"]?.tableValue, !bandTable.isEmpty else {
            return fail(nil, nil, "a [bands] table is required: \"\(lowest)-…\" = \"label\", … up to \(highest)")
        }
        var bands: [SeverityBand] = []
        var next = lowest
        for (index, key) in bandTable.keys.enumerated() {
            guard let range = totalRange(key) else { return fail("bands", key, "a band is \"LOW-HIGH\" = \"label\"; \"\(key)\" is not LOW-HIGH") }
            guard range.lowerBound == next else {
                return fail("bands", key, "bands go up without gaps or overlaps from \(lowest): this one should start at \(next)")
            }
            guard let label = bandTable[key]?.stringValue?.trimmingCharacters(in: .whitespaces), !label.isEmpty, label.count <= 20 else {
                return fail("bands", key, "band \(key) needs a label (a string of at most 20 characters)")
            }
            bands.append(SeverityBand(range, label, concern(index, of: bandTable.count)))
            next = range.upperBound + 1
        }
        guard next == highest + 1 else {
            return fail("bands", bandTable.keys.last, "the bands must end at the highest total, \(highest) (they end at \(next - 1))")
        }
        let scale = InstrumentScale(name: "Total", items: items.map(\.number), bands: bands)
        return .success(Instrument(id: id, name: name, about: about, items: items, scales: [scale], safetyItem: safetyItem))
    }

    /// How much concern the band at `index` of `count` calls for: the first none, the last high, those between rising.
    static func concern(_ index: Int, of count: Int) -> SeverityBand.Concern {
        if index == 0 { return .none }
        if index == count - 1 { return .high }
        return index * 2 < count ? .low : .moderate
    }

    /// "0-3" as 0...3, for item scores (0–9).
    static func scoreRange(_ text: String) -> ClosedRange<Int>? {
        guard let range = totalRange(text), range.upperBound <= 9 else { return nil }
        return range
    }

    /// "10-14" as 10...14.
    static func totalRange(_ text: String) -> ClosedRange<Int>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, a <= b, b <= 10_000 else { return nil }
        return a...b
    }

    /// The line where `key` is set in `[table]` (the top level when nil), or the table's header when `key` is nil; 0
    /// when not found. The parser keeps no positions of values, so the text is looked through again.
    static func lineOf(key: String?, inTable table: String?, text: String) -> Int {
        var current: String?
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                current = line.dropFirst().prefix { $0 != "]" }.trimmingCharacters(in: .whitespaces)
                if key == nil, current == table { return i + 1 }
                // A table named where a top-level key was looked for: the key is the table.
                if table == nil, let key, current == key { return i + 1 }
                continue
            }
            guard let key, current == table else { continue }
            let name = line.prefix { $0 != "=" }.trimmingCharacters(in: .whitespaces)
            if name == key || name == "\"\(key)\"" || name == "'\(key)'" { return i + 1 }
        }
        return 0
    }
}

/// The program's own instruments, from the `instruments` folder beside config.toml.
public enum InstrumentFiles {
    /// The built-in instruments, then each usable `*.toml` in `folder` (by file name); a warning per file that cannot be
    /// used, or whose id another file already took. A missing folder is silent.
    public static func load(folder: String, builtIns: [Instrument] = Instrument.builtIns) -> (instruments: [Instrument], warnings: [String]) {
        var instruments = builtIns, warnings: [String] = []
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return (instruments, warnings) }
        for name in names.filter({ $0.hasSuffix(".toml") }).sorted() {
            let path = folder + "/" + name
            let shown = TerminalText.safe(path, multiLine: false)
            let read = TOML.readFile(path)
            if let warning = read.warning { warnings.append(warning); continue }
            guard let text = read.text else { continue }
            switch InstrumentFile.parse(text, file: shown, builtIns: instruments) {
            case .success(let instrument): instruments.append(instrument)
            case .failure(let problem): warnings.append(problem.description)
            }
        }
        return (instruments, warnings)
    }
}
