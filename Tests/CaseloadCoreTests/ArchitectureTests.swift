import Foundation
import Testing

/// The import rules of docs/ARCHITECTURE.md (from DESIGN.md), checked by reading the source tree:
/// a wrong import compiles fine, so only a scan catches it before the layers tangle.
@Suite struct ArchitectureTests {
    /// The package root: this file is Tests/CaseloadCoreTests/ArchitectureTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The modules a source file imports, however the import is written (attributes, `import struct M.T`, submodules).
    static func imports(inSource text: String) -> [String] {
        var modules: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
            while let first = words.first, first.hasPrefix("@") { words = words.dropFirst() }
            guard words.first == "import" else { continue }
            words = words.dropFirst()
            let kinds: Set<Substring> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
            if let first = words.first, kinds.contains(first) { words = words.dropFirst() }
            guard let path = words.first, let module = path.split(separator: ".").first else { continue }
            modules.append(String(module))
        }
        return modules
    }

    /// Every Swift file under Sources/<target>, folders included, as (path from the package root, imported modules).
    static func sourceImports(of target: String) throws -> [(path: String, modules: [String])] {
        let folder = root.appendingPathComponent("Sources").appendingPathComponent(target)
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        var result: [(String, [String])] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            let path = "Sources/\(target)/" + url.path.dropFirst(folder.path.count + 1)
            result.append((path, imports(inSource: text)))
        }
        return result.sorted { $0.0 < $1.0 }
    }

    /// "path imports Module" for each import in `target` that `allowed` refuses; fails when the target has no files,
    /// so a moved root cannot make every rule pass by scanning nothing.
    static func violations(in target: String, allowed: (String) -> Bool) throws -> [String] {
        let files = try sourceImports(of: target)
        #expect(!files.isEmpty, "no Swift files found under Sources/\(target) from \(root.path)")
        return files.flatMap { file in file.modules.filter { !allowed($0) }.map { "\(file.path) imports \($0)" } }
    }

    @Test func theScannerReadsImportsWrittenEveryWay() {
        let source = """
        import Foundation
        @preconcurrency import CNcurses
        #if canImport(Glibc)
            import Glibc
        #endif
        @testable import CaseloadUI
        import struct CaseloadTerminal.Terminal
        import Darwin.C
        // import CaseloadStore: a comment is no import
        let important = "x"
        """
        #expect(Self.imports(inSource: source) == ["Foundation", "CNcurses", "Glibc", "CaseloadUI", "CaseloadTerminal", "Darwin"])
    }

    @Test func coreImportsOnlyFoundation() throws {
        let found = try Self.violations(in: "CaseloadCore") { $0 == "Foundation" }
        #expect(found.isEmpty, "\(found.joined(separator: "; "))")
    }

    @Test func storeImportsNeitherTheUINorTheTerminal() throws {
        let forbidden: Set<String> = ["CaseloadUI", "CaseloadTerminal", "CNcurses"]
        let found = try Self.violations(in: "CaseloadStore") { !forbidden.contains($0) }
        #expect(found.isEmpty, "\(found.joined(separator: "; "))")
    }

    @Test func uiImportsNeitherTheTerminalNorNcursesNorTheStore() throws {
        let forbidden: Set<String> = ["CNcurses", "CaseloadTerminal", "CaseloadStore"]
        let found = try Self.violations(in: "CaseloadUI") { !forbidden.contains($0) }
        #expect(found.isEmpty, "\(found.joined(separator: "; "))")
    }

    /// The database home (issue 20) sits beside the file store: it may use the store and the driver, never the screen.
    @Test func theDatabaseHomeImportsNeitherTheUINorTheTerminal() throws {
        let forbidden: Set<String> = ["CaseloadUI", "CaseloadTerminal", "CNcurses", "CaseloadDemo"]
        let found = try Self.violations(in: "CaseloadDatabase") { !forbidden.contains($0) }
        #expect(found.isEmpty, "\(found.joined(separator: "; "))")
    }

    @Test func theStoreAndTheUIDoNotImportTheDatabaseDriver() throws {
        for target in ["CaseloadCore", "CaseloadStore", "CaseloadUI", "CaseloadDemo"] {
            let found = try Self.violations(in: target) { !["CaseloadDatabase", "PostgresNIO"].contains($0) }
            #expect(found.isEmpty, "\(found.joined(separator: "; "))")
        }
    }

    @Test func onlyTheTerminalTargetImportsNcurses() throws {
        for target in ["CaseloadCore", "CaseloadStore", "CaseloadUI", "CaseloadDemo", "CaseloadDatabase", "caseload"] {
            let found = try Self.violations(in: target) { $0 != "CNcurses" }
            #expect(found.isEmpty, "\(found.joined(separator: "; "))")
        }
    }

    /// Lines that assign to a property of a variable named `state` (`state.x = …`, `state.x.y += …`), comments skipped.
    static func stateAssignments(inSource text: String) -> [String] {
        let pattern = /state(\.[A-Za-z_][A-Za-z0-9_]*)+\s*(=|\+=|-=|\*=)(?!=)/
        return text.split(separator: "\n").map(String.init).filter { line in
            let code = line.trimmingCharacters(in: .whitespaces)
            return !code.hasPrefix("//") && code.contains(pattern)
        }
    }

    @Test func theAssignmentScannerFindsWhatItShould() {
        let source = """
        state.message = StatusMessage("x")
            state.record.scroll += 3
        if state.focus == .week { }
        // state.document = other: a comment
        let same = state.width >= 80
        """
        #expect(Self.stateAssignments(inSource: source) == ["state.message = StatusMessage(\"x\")", "    state.record.scroll += 3"])
    }

    /// `update` is the only place the UI state changes: no code outside Sources/CaseloadUI assigns to it
    /// (the app loop hands everything back as a `Msg`).
    @Test func nothingOutsideTheUIAssignsToTheAppState() throws {
        var found: [String] = []
        for target in ["caseload", "CaseloadTerminal", "CaseloadStore", "CaseloadCore", "CaseloadDemo", "CaseloadDatabase"] {
            let folder = Self.root.appendingPathComponent("Sources").appendingPathComponent(target)
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "swift" {
                let text = try String(contentsOf: url, encoding: .utf8)
                found += Self.stateAssignments(inSource: text).map { "\(target)/\(url.lastPathComponent): \($0.trimmingCharacters(in: .whitespaces))" }
            }
        }
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))")
        #expect(FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("Sources/caseload/AppRunner.swift").path), "the scan reads the app loop")
    }
}
