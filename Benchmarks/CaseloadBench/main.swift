// Prints issue 14's five target figures on the realistic large demo, each next to a reference measured in the same run,
// the ratio, whether the target is met, and a last line `targets: N of 5 met`.
// Run: swift run -c release CaseloadBench [--runs N] [--size large|medium|small]
// (orjson and write+fsync references come from Benchmarks/references.py, which this runs; orjson: pip install orjson)
import CaseloadCore
import CaseloadDemo
import CaseloadStore
import CaseloadUI
import Crypto
import Foundation

/// The same document's top level, decoded by Foundation alone: no envelope check, no UTF-8 scan, no validation.
struct PlainFile: Codable {
    var format: String
    var schemaVersion: Int
    var program: Program
    var staff: [Staff]
    var patients: [Patient]
    var series: [Series]
    var sessions: [Session]
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

/// The process's peak resident memory in KiB. On Linux from `VmHWM` in /proc/self/status: `ru_maxrss` of a process
/// started by `posix_spawn` (vfork) also counts its parent's peak before the exec, so the memory child would report the
/// benchmark's own documents.
func maxRSSKiB() -> Int {
    #if os(Linux)
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
       let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
       let kib = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap({ Int($0) }) {
        return kib
    }
    #endif
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    // Linux reports kibibytes, macOS bytes.
    #if os(Linux)
    return Int(usage.ru_maxrss)
    #else
    return Int(usage.ru_maxrss) / 1024
    #endif
}

/// Why the benchmark cannot go on (its own demo is not what it expects).
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

let now = ClockSetting.parse("2026-11-30T18:05", zone: TimeZone(identifier: "America/Chicago") ?? .current) ?? Date()
let screen = (width: 120, height: 40)

/// An app state as the runner builds it for an opened document (view and record clocks at the benchmark's now).
func appState(_ document: CaseloadDocument) -> AppState {
    AppState(document: document, fileName: "bench.json", now: now, width: screen.width, height: screen.height)
}

@discardableResult
func press(_ state: inout AppState, _ keys: Key...) -> [Effect] {
    var effects: [Effect] = []
    for key in keys { effects += update(&state, .key(key)) }
    return effects
}

/// Opens today's 18:00 group in the Session pane with the first member selected (the first row is the group note).
func openEveningGroup(_ state: inout AppState) -> Bool {
    press(&state, .char("2"), .char("t"))
    state.cursorMinutes = 18 * 60
    guard state.selectedSession != nil else { return false }
    press(&state, .enter, .char("j"))
    return state.selectedMember != nil
}

/// The status line after a key, to check that an edit was made (an edit always reports what it did).
func messageText(_ state: AppState) -> String { state.message?.text ?? "" }
// MARK: Memory child

/// Resident memory now, in MB (Linux: /proc/self/statm), printed with `label` when CASELOAD_BENCH_STAGES is set.
func stage(_ label: String) {
    guard ProcessInfo.processInfo.environment["CASELOAD_BENCH_STAGES"] != nil,
          let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return }
    let fields = statm.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return }
    print(String(format: "stage %@: %.0f MB resident, peak %.0f MB", label, Double(pages * Int(getpagesize())) / 1e6, Double(maxRSSKiB()) * 1024 / 1e6))
}

/// `--rss-child PATH`: open the file as the app does, make 100 edits of several kinds, save, print the peak resident
/// memory in KiB. A separate process so the parent's generated documents do not count.
func rssChild(path: String) -> Int32 {
    do {
        // An encrypted bench file has one slot, the bench's, with a synthetic passphrase.
        let keys = try EncryptedFile.header(atPath: path).map { try DocumentKeys.unlock(header: $0, login: "bench", passphrase: "bench passphrase") }
        let (store, document) = try DocumentStore.open(path, now: now, keys: keys)
        stage("opened")
        if ProcessInfo.processInfo.environment["CASELOAD_BENCH_STAGES"] != nil {
            var slices = 0, strings = 0, stringBytes = 0
            for session in document.sessions { for note in session.memberNotes { for section in note.sections {
                if case .slice = section.storedText { slices += 1 } else { strings += 1; stringBytes += section.text.utf8.count }
            } } }
            print("strides: session \(MemoryLayout<Session>.stride), member note \(MemoryLayout<MemberNote>.stride), section \(MemoryLayout<NoteSection>.stride), mark \(MemoryLayout<AttendanceMark>.stride), group note \(MemoryLayout<GroupNote>.stride), patient \(MemoryLayout<Patient>.stride)")
            print("sections: \(slices) slices, \(strings) strings (\(stringBytes) bytes)")
        }
        var state = appState(document)
        _ = render(state)
        stage("first frame")
        guard openEveningGroup(&state) else {
            print("error: no evening group to mark in \(path)")
            return 1
        }
        var made = 0
        /// Presses `prefix`, then `key` (the edit), then `suffix`; counts the edit when `key` reported one.
        func edit(_ prefix: [Key], _ key: Key, _ suffix: [Key] = []) {
            for k in prefix { press(&state, k) }
            let before = messageText(state)
            press(&state, key)
            if messageText(state) != before { made += 1 }
            for k in suffix { press(&state, k) }
        }
        for i in 0..<100 {
            switch i % 5 {
            case 0: edit([.char("3")], .char(" "), [.char("k")])  // roll: cycle a mark, back to the member
            case 1: edit([.char("3")], .char("a"), [.char("k")])  // roll: absent
            case 2: edit([.char("1"), .char(">"), .tab, .char("r")], .ctrl("s"))  // a phase step, with its reason
            case 3: edit([.char("1")], .char("u"))  // undo
            default:
                // A member note: open, type, save the form.
                edit([.char("3"), .enter] + "Seen; plan reviewed. ".map { Key.char($0) }, .ctrl("s"))
                if !state.forms.isEmpty { press(&state, .escape, .char("y")) }
            }
            _ = render(state)
        }
        stage("100 edits")
        try store.save(state.documentForSaving, now: now.addingTimeInterval(1))
        stage("saved")
        store.close()
        print("edits made: \(made) of 100")
        print(maxRSSKiB())
        return 0
    } catch {
        print("error: \(error)")
        return 1
    }
}

// MARK: Arguments

var runs = 3
var size = DemoSize.large
var childPath: String? = nil
var args = CommandLine.arguments.dropFirst().makeIterator()
while let arg = args.next() {
    switch arg {
    case "--runs": runs = max(1, Int(args.next() ?? "") ?? 3)
    case "--size":
        guard let value = args.next().flatMap(DemoSize.init(rawValue:)) else {
            print("usage: CaseloadBench [--runs N] [--size large|medium|small]")
            exit(2)
        }
        size = value
    case "--rss-child": childPath = args.next()
    default:
        print("usage: CaseloadBench [--runs N] [--size large|medium|small]")
        exit(2)
    }
}
if let childPath { exit(rssChild(path: childPath)) }

// MARK: Documents

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }

/// A demo written to the bench folder, with what the header lines report.
struct DemoFile {
    var size: DemoSize
    var path: String
    var bytes: Int
    var document: CaseloadDocument
    var generated: Double

    init(_ size: DemoSize) throws {
        self.size = size
        var document = CaseloadDocument(program: DrillDocument.state(0).program)
        generated = seconds { document = DemoProgram.generate(seed: 1, size: size, now: now) }
        self.document = document
        path = (folder as NSString).appendingPathComponent("\(size.rawValue).json")
        try DocumentStore.create(path, with: document, replacing: true, now: now).close()
        bytes = Int((try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0)
    }

    var summary: String {
        let notes = document.sessions.reduce(0) { $0 + ($1.groupNote == nil ? 0 : 1) + $1.memberNotes.count }
        let marks = document.sessions.reduce(0) { $0 + $1.attendance.count }
        return String(format: "%@: %.1f MB, %d patients, %d sessions, %d notes, %d marks (generated in %.1f s)",
                      size.rawValue, Double(bytes) / 1e6, document.patients.count, document.sessions.count, notes, marks, generated)
    }
}

print("Caseload benchmark — issue 14's targets on the realistic \(size.rawValue) demo (seed 1, clock 2026-11-30T18:05), median of \(runs) runs")
let measured = try DemoFile(size)
let small = size == .small ? measured : try DemoFile(.small)
print(measured.summary)
if size != .small { print(small.summary) }

// MARK: References from Python (orjson, write + fsync)

/// What `references.py` measured; nil fields were not measured, with the reason.
struct References {
    var orjson: Double?
    var orjsonMissing: String?
    var writeFsync: Double?
    var problem: String?
}

func pythonReferences(path: String, runs: Int) -> References {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("references.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script, path, "--runs", String(runs)]
    let out = Pipe()
    process.standardOutput = out
    do {
        try process.run()
    } catch {
        return References(orjsonMissing: "python3 could not be started (\(error)); install Python 3 and: pip install orjson",
                          problem: "python3 could not be started")
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        return References(orjsonMissing: "\(script) failed (exit \(process.terminationStatus))", problem: "\(script) failed")
    }
    return References(orjson: ((object["orjson_ms"] as? NSNumber)?.doubleValue).map { $0 / 1000 },
                      orjsonMissing: object["orjson_missing"] as? String,
                      writeFsync: ((object["write_fsync_ms"] as? NSNumber)?.doubleValue).map { $0 / 1000 })
}

// MARK: 1. Open

var openTimes: [Double] = [], foundationTimes: [Double] = []
for _ in 0..<runs {
    openTimes.append(try seconds {
        let (store, document) = try DocumentStore.open(measured.path, now: now)
        let state = appState(document)
        _ = render(state)
        store.close()
    })
    foundationTimes.append(try seconds {
        let file = try JSONDecoder().decode(PlainFile.self, from: try Data(contentsOf: URL(fileURLWithPath: measured.path)))
        precondition(file.sessions.count == measured.document.sessions.count)
    })
}

// MARK: 2. Save after one edit

var saveTimes: [Double] = [], encodeTimes: [Double] = []
var reencoded = 0
var savedBytes = measured.bytes
for run in 0..<runs {
    let at = now.addingTimeInterval(Double(run) * 3_600)
    let (store, document) = try DocumentStore.open(measured.path, now: at)
    var state = appState(document)
    // The session's first save takes the backup; the figure is a later save (encode, write, fsync, rename).
    try store.save(state.documentForSaving, now: at.addingTimeInterval(1))
    guard openEveningGroup(&state) else { throw BenchError("the \(size.rawValue) demo has no evening group today to mark") }
    let before = messageText(state)
    press(&state, .char(" "))
    precondition(messageText(state) != before, "the roll mark was not made")
    let edited = state.documentForSaving
    saveTimes.append(try seconds { try store.save(edited, now: at.addingTimeInterval(2)) })
    // The store wrote the file once since opening, so this save encodes only what the roll mark changed.
    reencoded = store.lastSaveReencoded
    encodeTimes.append(try seconds { _ = try DocumentCodec.encode(edited) })
    store.close()
    savedBytes = Int((try FileManager.default.attributesOfItem(atPath: measured.path)[.size] as? NSNumber)?.intValue ?? 0)
}

// The Python references run after the saves, on the file as saved (the same number of bytes).
let references = pythonReferences(path: measured.path, runs: runs)

// MARK: 3. Peak memory (a child process)

func childRSS(path: String) -> (kib: Int?, edits: String, problem: String?) {
    let process = Process()
    process.executableURL = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["--rss-child", path]
    let out = Pipe()
    process.standardOutput = out
    do { try process.run() } catch { return (nil, "", "could not start the memory child: \(error)") }
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    let lines = text.split(separator: "\n").map(String.init)
    guard process.terminationStatus == 0, let kib = lines.last.flatMap({ Int($0) }) else { return (nil, "", "memory child failed: \(text)") }
    return (kib, lines.dropLast().joined(separator: "; "), nil)
}
let memoryFile = (folder as NSString).appendingPathComponent("memory.json")
try FileManager.default.copyItem(atPath: measured.path, toPath: memoryFile)
let rss = childRSS(path: memoryFile)

// MARK: 4 and 5. Keystrokes and document edits

/// Medians of one keystroke (update + render: j/k in the week, a filter key, a key typed into a member note) and of one
/// document edit (a roll mark, a phase step, its undo), with the cost of building the autosave draft after a note key.
func interaction(_ demo: DemoFile, runs: Int) throws -> (keystroke: Double, edit: Double, draft: Double) {
    var keys: [Double] = [], edits: [Double] = [], drafts: [Double] = []
    for _ in 0..<runs {
        // The generated document is the file's content (open is figure 1); a fresh state per run.
        var s = appState(demo.document)
        _ = render(s)
        press(&s, .char("2"))
        for i in 0..<100 {
            let key: Key = i % 2 == 0 ? .char("j") : .char("k")
            keys.append(seconds { _ = update(&s, .key(key)); _ = render(s) })
        }
        press(&s, .char("1"), .char("/"))
        for i in 0..<50 {
            let key: Key = i % 2 == 0 ? .char("a") : .backspace
            keys.append(seconds { _ = update(&s, .key(key)); _ = render(s) })
        }
        press(&s, .escape)
        // Roll marks on today's evening group: each press marks (and moves down); k comes back to the member.
        guard openEveningGroup(&s) else { throw BenchError("the \(demo.size.rawValue) demo has no evening group today to mark") }
        for _ in 0..<30 {
            let before = messageText(s)
            edits.append(seconds { _ = update(&s, .key(.char(" "))); _ = render(s) })
            precondition(messageText(s) != before, "the roll mark was not made")
            press(&s, .char("k"))
        }
        // Typing into a member note.
        press(&s, .enter)
        precondition(!s.forms.isEmpty, "the member note did not open")
        for i in 0..<50 {
            let key: Key = i % 2 == 0 ? .char("a") : .backspace
            keys.append(seconds { _ = update(&s, .key(key)); _ = render(s) })
            if i % 10 == 0 { drafts.append(seconds { _ = s.draftForSaving }) }
        }
        press(&s, .escape, .char("y"))
        // Phase steps and their undo in the Patients pane.
        press(&s, .char("1"))
        for i in 0..<30 {
            // A step asks from when and why: the edit is the form's submission (Ctrl-S), or the undo.
            if i % 2 == 0 { press(&s, .char(">"), .tab, .char("r")) }
            let key: Key = i % 2 == 0 ? .ctrl("s") : .char("u")
            let before = messageText(s)
            edits.append(seconds { _ = update(&s, .key(key)); _ = render(s) })
            precondition(messageText(s) != before && s.forms.isEmpty, "the phase step or undo was not made")
        }
    }
    return (median(keys), median(edits), median(drafts))
}
let large = try interaction(measured, runs: runs)
let smallUI = size == .small ? large : try interaction(small, runs: runs)

// MARK: The table

/// One row of the table: a figure against a reference and a bound on their ratio.
struct Row {
    var figure: String
    var value: String
    var reference: String
    var ratio: Double?
    var target: String
    var met: Bool?
}

func msText(_ s: Double) -> String {
    String(format: s >= 0.01 ? "%.0f ms" : s >= 0.001 ? "%.1f ms" : "%.3f ms", s * 1000)
}
func mbText(_ kib: Int) -> String { String(format: "%.1f MB", Double(kib) * 1024 / 1e6) }

let open = median(openTimes), foundation = median(foundationTimes), save = median(saveTimes)
var rows: [Row] = []
var met: [Bool] = []

// 1. Open: both references must be beaten.
let orjsonRatio = references.orjson.map { open / $0 }
let foundationRatio = open / foundation
rows.append(Row(figure: "1 open: read, decode, validate, first frame", value: msText(open),
                reference: references.orjson.map { "orjson.loads " + msText($0) } ?? "orjson: missing (\(references.orjsonMissing ?? "not measured"))",
                ratio: orjsonRatio, target: "≤ 0.50", met: orjsonRatio.map { $0 <= 0.5 }))
rows.append(Row(figure: "", value: "", reference: "Foundation JSONDecoder " + msText(foundation),
                ratio: foundationRatio, target: "≤ 0.20 (5× faster)", met: foundationRatio <= 0.2))
met.append((orjsonRatio.map { $0 <= 0.5 } ?? false) && foundationRatio <= 0.2)

// 2. Save after one edit.
let saveRatio = references.writeFsync.map { save / $0 }
rows.append(Row(figure: "2 save after one edit: encode, write, fsync, rename", value: msText(save),
                reference: references.writeFsync.map { "write + fsync \(String(format: "%.1f MB", Double(savedBytes) / 1e6)) " + msText($0) }
                    ?? "write + fsync: missing (\(references.problem ?? "not measured"))",
                ratio: saveRatio, target: "≤ 2", met: saveRatio.map { $0 <= 2 }))
met.append(saveRatio.map { $0 <= 2 } ?? false)

// 3. Peak memory.
let memoryRatio = rss.kib.map { Double($0) * 1024 / Double(measured.bytes) }
rows.append(Row(figure: "3 peak memory: open, 100 edits, save", value: rss.kib.map(mbText) ?? "missing",
                reference: String(format: "file size %.1f MB", Double(measured.bytes) / 1e6),
                ratio: memoryRatio, target: "≤ 2", met: memoryRatio.map { $0 <= 2 }))
met.append(memoryRatio.map { $0 <= 2 } ?? false)

// 4. One keystroke: at most 1 ms, and at most 1.5 × the small demo's.
let keyRatio = large.keystroke / smallUI.keystroke
rows.append(Row(figure: "4 one keystroke, update + render (median)", value: msText(large.keystroke),
                reference: "target 1 ms", ratio: large.keystroke / 0.001, target: "≤ 1", met: large.keystroke <= 0.001))
rows.append(Row(figure: "", value: "", reference: "small demo " + msText(smallUI.keystroke),
                ratio: keyRatio, target: "≤ 1.5", met: keyRatio <= 1.5))
met.append(large.keystroke <= 0.001 && keyRatio <= 1.5)

// 5. One document edit.
rows.append(Row(figure: "5 one document edit: roll mark, phase step (median)", value: msText(large.edit),
                reference: "target 2 ms", ratio: large.edit / 0.002, target: "≤ 2", met: large.edit <= 0.002))
met.append(large.edit <= 0.002)

func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
print("")
print(pad("figure", 54) + pad("Caseload", 11) + pad("reference, same run", 40) + pad("ratio", 8) + pad("target", 20) + "met")
for row in rows {
    let ratio = row.ratio.map { String(format: "%.2f", $0) } ?? "—"
    let verdict = row.met.map { $0 ? "yes" : "no" } ?? "unknown"
    print(pad(row.figure, 54) + pad(row.value, 11) + pad(row.reference, 40) + pad(ratio, 8) + pad(row.target, 20) + verdict)
}
print("")
print("detail (not targets): encode only \(msText(median(encodeTimes))); the autosave draft after a note key, on the screen's thread "
      + "\(msText(large.draft)) (the note's edit; the saver writes it into the document on its own thread); small demo document edit \(msText(smallUI.edit)); "
      + "memory child: \(rss.edits)")
// Figure 5's edits include the audit trail's events for them (issue 17): the entities before and after, compared through
// their Codable form. Measured apart on the large demo's longest chart and a session with notes.
do {
    let doc = measured.document
    func size(_ p: Patient) -> Int { p.drugScreens.count + p.disclosures.count + p.careHistory.count + p.consents.count + p.medications.count }
    var times: [Double] = [], sessionTimes: [Double] = []
    if let longest = doc.patients.max(by: { size($0) < size($1) }),
       let session = doc.sessions.max(by: { $0.memberNotes.count < $1.memberNotes.count }) {
        var changed = longest
        changed.phone = "555-0100"
        let before = CaseloadDocument(program: doc.program, staff: doc.staff, patients: [longest])
        let after = CaseloadDocument(program: doc.program, staff: doc.staff, patients: [changed])
        var marked = session
        if let first = marked.attendance.first { marked.mark(first.patient, first.status == .present ? .absent : .present) }
        let sBefore = CaseloadDocument(program: doc.program, sessions: [session]), sAfter = CaseloadDocument(program: doc.program, sessions: [marked])
        for _ in 0..<max(5, runs * 5) {
            times.append(seconds { _ = AuditEvent.changes(by: .putPatient(changed), from: before, to: after) })
            sessionTimes.append(seconds { _ = AuditEvent.changes(by: .putSession(marked), from: sBefore, to: sAfter) })
        }
        print("issue 17, the audit events of one edit (in figure 5): the longest chart's phone \(msText(median(times))) "
              + "(\(size(longest)) screens, disclosures, care entries, consents and medications); a roll mark on a session with \(session.memberNotes.count) notes \(msText(median(sessionTimes)))")
    }
}
if let problem = rss.problem { print("memory: \(problem)") }
if let missing = references.orjsonMissing { print("orjson reference missing: \(missing)") }
let entities = 1 + measured.document.staff.count + measured.document.patients.count + measured.document.series.count + measured.document.sessions.count
print("the save after one edit encoded \(reencoded) of \(entities) entities and copied the others' bytes from the file written before")
print("targets: \(met.filter { $0 }.count) of 5 met")

// MARK: Issue 16: the encrypted document (figures, not targets)

/// Open (read, decrypt, decode) and save after one roll mark, plain and encrypted in the same loop, and one scrypt
/// derivation at the standard cost (N = 2^17, r = 8, p = 1).
@MainActor func encryptedFigures() throws {
    let encryptedPath = (folder as NSString).appendingPathComponent("\(size.rawValue)-encrypted.json")
    let made = try DocumentKeys.create(login: "bench", passphrase: "bench passphrase")
    try DocumentStore.create(encryptedPath, with: measured.document, replacing: true, now: now, keys: made).close()
    var scrypt: [Double] = []
    var plainOpen: [Double] = [], encryptedOpen: [Double] = [], plainSave: [Double] = [], encryptedSave: [Double] = []
    let header = try EncryptedFile.header(atPath: encryptedPath)
    for run in 0..<runs {
        var keys: DocumentKeys?
        scrypt.append(try seconds { keys = try DocumentKeys.unlock(header: header!, login: "bench", passphrase: "bench passphrase") })
        let at = now.addingTimeInterval(Double(100 + run) * 3_600)
        for (path, opens, saves, useKeys) in [(measured.path, 0, 0, nil as DocumentKeys?), (encryptedPath, 1, 1, keys)] {
            var opened: (store: DocumentStore, document: CaseloadDocument)?
            let took = try seconds { opened = try DocumentStore.open(path, now: at, keys: useKeys) }
            if opens == 0 { plainOpen.append(took) } else { encryptedOpen.append(took) }
            guard let (store, document) = opened else { continue }
            var state = appState(document)
            try store.save(state.documentForSaving, now: at.addingTimeInterval(1))
            guard openEveningGroup(&state) else { throw BenchError("no evening group to mark") }
            press(&state, .char(" "))
            let edited = state.documentForSaving
            let saved = try seconds { try store.save(edited, now: at.addingTimeInterval(2)) }
            if saves == 0 { plainSave.append(saved) } else { encryptedSave.append(saved) }
            store.close()
        }
    }
    let encryptedBytes = Int((try FileManager.default.attributesOfItem(atPath: encryptedPath)[.size] as? NSNumber)?.intValue ?? 0)
    let encryptedMemoryFile = (folder as NSString).appendingPathComponent("memory-encrypted.json")
    try FileManager.default.copyItem(atPath: encryptedPath, toPath: encryptedMemoryFile)
    let encryptedRSS = childRSS(path: encryptedMemoryFile)
    print("")
    print(String(format: "issue 16, encrypted %@ demo (%.1f MB sealed): open %@ (plain %@, ×%.2f); save after one edit %@ (plain %@, ×%.2f); scrypt N=2^17 r=8 p=1 %@",
                 size.rawValue, Double(encryptedBytes) / 1e6,
                 msText(median(encryptedOpen)), msText(median(plainOpen)), median(encryptedOpen) / median(plainOpen),
                 msText(median(encryptedSave)), msText(median(plainSave)), median(encryptedSave) / median(plainSave),
                 msText(median(scrypt))))
    print("issue 16, peak memory of the memory child on the encrypted file: " + (encryptedRSS.kib.map(mbText) ?? "missing (\(encryptedRSS.problem ?? ""))")
          + " (plain " + (rss.kib.map(mbText) ?? "missing") + String(format: ", file %.1f MB)", Double(encryptedBytes) / 1e6))
}
try encryptedFigures(); try sharingFigures(); try courseFigures(); try databaseFigures()

// MARK: Issue 17: the audit trail (figures, not targets)

/// A plausible year of the demo's audit trail (`DemoAuditTrail`, from its last year of sessions: logins, locks, roll,
/// notes and signatures, records opened, letters and reports) and five years of it (the large demo's last five years;
/// for a shorter demo its year five times over), each verified as `caseload audit verify` does, next to references
/// measured in the same run: a plain SHA-256 of the same bytes, one HMAC-SHA-256 per line without the parsing, and
/// reading the file. Then appending a batch of 10 entries to the five-year trail and to an empty one (the append reads
/// only the trail's tail, so the two should match).
@MainActor func auditFigures() throws {
    let document = measured.document
    let dates = document.sessions.map(\.date)
    guard let last = dates.max(), let first = dates.min() else { return }
    func records(_ events: [DemoAuditTrail.Event], shift: Int = 0) -> [AuditRecord] {
        events.map { AuditRecord(at: $0.at.addingTimeInterval(TimeInterval(shift * 86_400)), who: $0.who, identity: $0.identity, event: $0.event) }
    }
    let yearEvents = DemoAuditTrail.events(for: document, from: last.adding(days: -363), to: last, identity: .slot)
    let year = records(yearEvents)
    let five: [AuditRecord]
    if first <= last.adding(days: -(5 * 364 - 1)) {
        five = records(DemoAuditTrail.events(for: document, from: last.adding(days: -(5 * 364 - 1)), to: last, identity: .slot))
    } else {
        // 52 weeks back each time, so the weekdays stay weekdays.
        five = (0..<5).flatMap { k in records(yearEvents, shift: -(4 - k) * 364) }
    }
    let yearPlain = try AuditTrail.write(year, seal: .fresh(), encrypted: false)
    var fivePlain: (bytes: [UInt8], seal: AuditSeal) = ([], .fresh())
    let writeFive = try seconds { fivePlain = try AuditTrail.write(five, seal: .fresh(), encrypted: false) }
    let yearSealed = try AuditTrail.write(year, seal: .fresh(), encrypted: true)

    func lineRanges(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = [], start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { out.append(start..<(i + 1)); start = i + 1 }
        return out
    }
    let fiveLines = lineRanges(fivePlain.bytes)
    let key = SymmetricKey(data: fivePlain.seal.keys[0].key)
    var verifyYear: [Double] = [], verifyFive: [Double] = [], verifySealed: [Double] = []
    var shaFive: [Double] = [], hmacFive: [Double] = [], readFive: [Double] = []
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-bench-audit-\(getpid())").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let documentPath = (folder as NSString).appendingPathComponent("five.json")
    try AuditTrail.writeFile(fivePlain.bytes, documentPath: documentPath)
    for _ in 0..<runs {
        verifyYear.append(try seconds { _ = try AuditTrail.verify(yearPlain.bytes, seal: yearPlain.seal, encrypted: false) })
        verifyFive.append(try seconds { _ = try AuditTrail.verify(fivePlain.bytes, seal: fivePlain.seal, encrypted: false) })
        verifySealed.append(try seconds { _ = try AuditTrail.verify(yearSealed.bytes, seal: yearSealed.seal, encrypted: true) })
        shaFive.append(seconds { _ = SHA256.hash(data: fivePlain.bytes) })
        hmacFive.append(seconds {
            var previous = AuditTrail.origin
            fivePlain.bytes.withUnsafeBufferPointer { all in
                for range in fiveLines {
                    var hmac = HMAC<SHA256>(key: key)
                    hmac.update(data: previous)
                    hmac.update(data: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: all[range.lowerBound..<(range.upperBound - 66)])))
                    previous = Array(hmac.finalize())
                }
            }
        })
        readFive.append(try seconds { _ = try AuditLog.read(documentPath: documentPath, seal: fivePlain.seal, encrypted: false) })
    }
    // Appending: a batch of 10 entries flushed onto the five-year trail, and onto an empty one.
    func appendTimes(_ path: String, seal: AuditSeal) throws -> [Double] {
        let log = AuditLog(documentPath: path, seal: seal, encrypted: false, who: "dreyes", identity: .slot)
        var times: [Double] = []
        for run in 0..<max(runs, 5) {
            for i in 0..<10 { log.record(AuditEvent(AuditAction.edit, ["session:ses_\(run)", "patient:pat_\(i)", "field:attendance[pat_\(i)].status"])) }
            times.append(try seconds { try log.flush() })
        }
        return times
    }
    let appendFive = try appendTimes(documentPath, seal: fivePlain.seal)
    let appendEmpty = try appendTimes((folder as NSString).appendingPathComponent("empty.json"), seal: .fresh())
    let mb = { (bytes: Int) in Double(bytes) / 1e6 }
    print("")
    print(String(format: "issue 17, audit trail of the %@ demo: a year %d entries, %.1f MB (sealed %.1f MB); five years %d entries, %.1f MB (written in %@)",
                 size.rawValue, year.count, mb(yearPlain.bytes.count), mb(yearSealed.bytes.count), five.count, mb(fivePlain.bytes.count), msText(writeFive)))
    print(String(format: "issue 17, verify (median of %d): a year %@, sealed year %@, five years %@ (%.2f µs an entry); references on the five years: SHA-256 of the bytes %@, one HMAC per line alone %@, read the file and verify %@",
                 runs, msText(median(verifyYear)), msText(median(verifySealed)), msText(median(verifyFive)),
                 median(verifyFive) / Double(max(five.count, 1)) * 1e6, msText(median(shaFive)), msText(median(hmacFive)), msText(median(readFive))))
    print(String(format: "issue 17, append a batch of 10 entries (flush, fsync included; median of %d): onto the five-year trail %@, onto an empty trail %@ (×%.2f)",
                 appendFive.count, msText(median(appendFive)), msText(median(appendEmpty)), median(appendFive) / max(median(appendEmpty), 1e-9)))
}
try auditFigures()
