import Foundation
import Testing

/// What users run is a release build: test drivers compiled only `#if DEBUG` must not be in it.
///
/// These tests need a release binary and are skipped without one; build it with
/// `swift build -c release --scratch-path .build-release --product caseload` (about four minutes) or `swift build -c release`.
@Suite(.serialized) struct ReleaseBuildTests {
    let scratch = Scratch()

    /// The release `caseload` beside the package, if one was built.
    static var releaseBinary: String? {
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return [".build-release/release/caseload", ".build/release/caseload"]
            .map { package.appendingPathComponent($0).path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: releaseBinary != nil, "needs a release build of caseload"))
    func theAutosaveDrillIsRefusedByTheReleaseBinaryAndLeavesTheDocumentAlone() throws {
        let binary = try #require(Self.releaseBinary)
        let path = scratch.file("clinic.json")
        let demo = try CaseloadBinary.run(["demo", "--out", path])
        try #require(demo.status == 0, "\(demo.stderr)")
        let before = FileManager.default.contents(atPath: path)

        // The debug build runs the drill (the crash tests use it); the release build must not know it.
        let direct = try run(binary, ["autosave-drill", "--file", path, "--log", scratch.file("log"), "--steps", "3"])
        #expect(direct.status != 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.file("log")))
        #expect(FileManager.default.contents(atPath: path) == before)
        let help = try run(binary, ["--help"])
        #expect(!help.stdout.contains("autosave-drill"))
    }

    /// Runs `binary` with `arguments` and waits.
    func run(_ binary: String, _ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
