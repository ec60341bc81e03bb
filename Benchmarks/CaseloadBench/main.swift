// Prints load and save figures for the demo documents: Caseload's store next to Foundation's own Codable on the same file.
// Run: swift run -c release CaseloadBench [--runs N] [--size small|large|both]
import CaseloadCore
import CaseloadDemo
import CaseloadStore
import CaseloadUI
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

func ms(_ s: Double) -> String { String(format: "%8.1f ms", s * 1000) }

/// Python's orjson on the same file, median of `runs`: `orjson.loads` alone, and reading the file plus `loads`.
/// Nil when python3 or orjson is missing (`pip install orjson`).
func orjsonSeconds(_ path: String, runs: Int) -> (loads: Double, readAndLoads: Double)? {
    let script = """
    import orjson, sys, time
    path, runs = sys.argv[1], int(sys.argv[2])
    loads, whole = [], []
    for _ in range(runs):
        t0 = time.perf_counter(); b = open(path, 'rb').read(); t1 = time.perf_counter(); orjson.loads(b); t2 = time.perf_counter()
        loads.append(t2 - t1); whole.append(t2 - t0)
    loads.sort(); whole.sort()
    print(loads[len(loads) // 2], whole[len(whole) // 2])
    """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, path, String(runs)]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let parts = String(decoding: output, as: UTF8.self).split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    guard process.terminationStatus == 0, parts.count == 2 else { return nil }
    return (parts[0], parts[1])
}

func maxRSSMiB() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_maxrss) / 1024
}

var runs = 5
var sizes: [DemoSize] = [.small, .large]
var args = CommandLine.arguments.dropFirst().makeIterator()
while let arg = args.next() {
    switch arg {
    case "--runs": runs = max(1, Int(args.next() ?? "") ?? 5)
    case "--size":
        let value = args.next() ?? "both"
        sizes = value == "both" ? [.small, .large] : [DemoSize(rawValue: value)].compactMap { $0 }
    default:
        print("usage: CaseloadBench [--runs N] [--size small|large|both]")
        exit(2)
    }
}

let now = ClockSetting.parse("2026-11-30T18:05", zone: TimeZone(identifier: "America/Chicago") ?? .current) ?? Date()
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }

print("Caseload benchmark — median of \(runs) runs, release build expected (swift run -c release CaseloadBench)")
for size in sizes {
    var document = CaseloadDocument(program: DrillDocument.state(0).program)
    let generate = seconds { document = DemoProgram.generate(seed: 1, size: size, now: now) }
    let path = (folder as NSString).appendingPathComponent("\(size.rawValue).json")
    let store = try DocumentStore.create(path, with: document, replacing: true, now: now)
    store.close()
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let marks = document.sessions.reduce(0) { $0 + $1.attendance.count }
    print("\n\(size.rawValue): \(document.summary)")
    print(String(format: "  file %.1f MB, %d attendance marks; generated in %@", Double(data.count) / 1e6, marks, ms(generate)))

    var storeLoad: [Double] = [], plainLoad: [Double] = [], validate: [Double] = [], validateText: [Double] = []
    var storeSave: [Double] = [], encodeOnly: [Double] = [], plainEncode: [Double] = [], plainEncodeSorted: [Double] = []
    for run in 0..<runs {
        storeLoad.append(try seconds {
            let opened = try DocumentStore.open(path, readOnly: true, now: now)
            precondition(opened.document.sessions.count == document.sessions.count)
        })
        // A clean file skips the text walk (the byte scan saw no suspect text); one with suspect text pays for it.
        validate.append(seconds { precondition(Validator.check(document, text: false).isEmpty) })
        validateText.append(seconds { precondition(Validator.check(document).isEmpty) })
        plainLoad.append(try seconds {
            let file = try JSONDecoder().decode(PlainFile.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
            precondition(file.sessions.count == document.sessions.count)
        })
        let (writer, loaded) = try DocumentStore.open(path, now: now.addingTimeInterval(Double(run) * 700))
        storeSave.append(try seconds { try writer.save(loaded, now: now.addingTimeInterval(Double(run) * 700 + 1)) })
        writer.close()
        encodeOnly.append(try seconds { _ = try DocumentCodec.encode(document) })
        let plain = PlainFile(format: "caseload", schemaVersion: 1, program: document.program, staff: document.staff,
                              patients: document.patients, series: document.series, sessions: document.sessions)
        plainEncode.append(try seconds { _ = try JSONEncoder().encode(plain) })
        plainEncodeSorted.append(try seconds {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            _ = try encoder.encode(plain)
        })
    }
    // The reader against its references, on the same file in the same run.
    var ownOpen: [Double] = [], ownDecode: [Double] = []
    for _ in 0..<runs {
        ownOpen.append(try seconds {
            let opened = try DocumentCodec.decode(try AtomicFile.read(path), path: path)
            precondition(opened.document.sessions.count == document.sessions.count)
        })
        ownDecode.append(try seconds { _ = try DocumentCodec.decode(data, path: path) })
    }
    let openTime = median(ownOpen), foundation = median(plainLoad)
    print("  open  Caseload reader (read file, decode, validate):            \(ms(openTime))")
    print("  open  Caseload reader, bytes already in memory (decode, validate): \(ms(median(ownDecode)))")
    print(String(format: "  open  Foundation JSONDecoder (read file, decode, no validation): %@   Caseload is %.1f× faster (target ≥ 5×)", ms(foundation), foundation / openTime))
    if let python = orjsonSeconds(path, runs: runs) {
        print(String(format: "  open  Python orjson.loads alone: %@; read file + loads: %@", ms(python.loads), ms(python.readAndLoads)))
        print(String(format: "  open  Caseload open / orjson (read + loads): %.2f; / orjson.loads alone: %.2f (target ≤ 0.5)",
                     openTime / python.readAndLoads, openTime / python.loads))
    } else {
        print("  open  Python orjson: not available (pip install orjson)")
    }
    print("  load  Caseload store (read, decode, validate, SHA-256):         \(ms(median(storeLoad)))")
    print("  load  Foundation JSONDecoder alone, same file:                  \(ms(median(plainLoad)))")
    print("  load  of the store's time, Validator.check:                     \(ms(median(validate)))")
    print("  load  Validator.check with the text walk (a file with suspect text): \(ms(median(validateText)))")
    print("  save  Caseload store (backup when due, encode, fsync, rename):  \(ms(median(storeSave)))")
    print("  save  Caseload encode only (sorted, pretty):                    \(ms(median(encodeOnly)))")
    print("  save  Foundation JSONEncoder, default output:                   \(ms(median(plainEncode)))")
    print("  save  Foundation JSONEncoder, sorted + pretty:                  \(ms(median(plainEncodeSorted)))")
    // The UI: from an opened document to the first painted frame (no terminal: the canvas the backend would draw),
    // and one keystroke (update + render) on the week view.
    var firstFrame: [Double] = [], keystroke: [Double] = [], weekMove: [Double] = []
    var filterKey: [Double] = [], recordOpen: [Double] = [], documentEdit: [Double] = [], noteKey: [Double] = []
    for _ in 0..<runs {
        var state: AppState? = nil
        firstFrame.append(try seconds {
            let opened = try DocumentStore.open(path, readOnly: true, now: now)
            var s = AppState(document: opened.document, fileName: "bench.json", now: now, width: 120, height: 40)
            _ = render(s)
            s.focus = .week
            state = s
        })
        guard var s = state else { continue }
        var samples: [Double] = []
        for i in 0..<200 {
            let key: Key = i % 2 == 0 ? .char("j") : .char("k")
            samples.append(seconds { _ = update(&s, .key(key)); _ = render(s) })
        }
        keystroke.append(median(samples))
        var moves: [Double] = []
        for i in 0..<20 {
            let key: Key = i % 2 == 0 ? .char("]") : .char("[")
            moves.append(seconds { _ = update(&s, .key(key)); _ = render(s) })
        }
        weekMove.append(median(moves))

        // The Patients pane: a filter keystroke, opening a record, and an edit (which rebuilds the derived data).
        s.focus = .patients
        _ = update(&s, .key(.char("/")))
        var filterKeys: [Double] = []
        for i in 0..<100 {
            let key: Key = i % 2 == 0 ? .char("a") : .backspace
            filterKeys.append(seconds { _ = update(&s, .key(key)); _ = render(s) })
        }
        filterKey.append(median(filterKeys))
        _ = update(&s, .key(.escape))
        var opens: [Double] = []
        for _ in 0..<20 {
            opens.append(seconds { _ = update(&s, .key(.enter)); _ = render(s) })
            _ = update(&s, .key(.escape))
        }
        recordOpen.append(median(opens))
        var edits: [Double] = []
        for i in 0..<20 {
            // A phase step and its undo: each is one document edit.
            let key: Key = i % 2 == 0 ? .char(">") : .char("u")
            edits.append(seconds { _ = update(&s, .key(key)); _ = render(s) })
        }
        documentEdit.append(median(edits))

        // Typing a member note: each key updates the form and builds the draft autosave would write.
        s.focus = .week
        _ = update(&s, .key(.char("t")))
        s.cursorMinutes = 18 * 60
        if s.selectedSession != nil {
            _ = update(&s, .key(.enter))
            _ = update(&s, .key(.enter))
            var typing: [Double] = []
            for i in 0..<50 {
                let key: Key = i % 2 == 0 ? .char("a") : .backspace
                typing.append(seconds { _ = update(&s, .key(key)); _ = render(s); _ = s.documentForSaving })
            }
            noteKey.append(median(typing))
            _ = update(&s, .key(.escape))
            _ = update(&s, .key(.char("y")))
        }
    }
    print("  ui    open to first frame (read, decode, validate, state, render 120×40): \(ms(median(firstFrame)))")
    print("  ui    one keystroke, update + render (j/k in the week):      \(String(format: "%8.3f ms", median(keystroke) * 1000))")
    print("  ui    one week move, update + render ([ / ]):                \(String(format: "%8.3f ms", median(weekMove) * 1000))")
    print("  ui    one filter keystroke in Patients, update + render:     \(String(format: "%8.3f ms", median(filterKey) * 1000))")
    print("  ui    open a patient record, update + render:                \(String(format: "%8.3f ms", median(recordOpen) * 1000))")
    print("  ui    one document edit (phase step / undo), update + render: \(String(format: "%8.3f ms", median(documentEdit) * 1000))")
    if !noteKey.isEmpty {
        print("  ui    one key in a member note, update + render + draft for autosave: \(String(format: "%8.3f ms", median(noteKey) * 1000))")
    }
}
print(String(format: "\nmax resident memory: %.0f MiB", maxRSSMiB()))
