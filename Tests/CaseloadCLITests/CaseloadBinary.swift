import Foundation
import Testing

/// The built `caseload` executable, run as a user would run it.
enum CaseloadBinary {
    /// Where SwiftPM put the binary: beside the test bundle, or in the package's .build folder.
    static var path: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var candidates = [beside.appendingPathComponent("caseload").path]
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            candidates.append(URL(fileURLWithPath: bundle.bundlePath).deletingLastPathComponent().appendingPathComponent("caseload").path)
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/caseload").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// The result of one run.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `caseload` with `arguments` (through `wrapper`, e.g. a shell that sets limits) and waits for it.
    ///
    /// `CASELOAD_NOW` fixes the view clock; the record clock (consents, signatures, disclosures) follows it only because
    /// the tests run a debug build, whose seam reads `CASELOAD_TEST_RECORD_NOW`, else `CASELOAD_NOW`. A release build
    /// ignores both for records (FixedClockCLITests sets the two apart).
    static func run(_ arguments: [String], environment: [String: String] = [:], wrapper: [String] = []) throws -> Result {
        let process = Process()
        let command = wrapper + [path] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var env = ProcessInfo.processInfo.environment
        env["CASELOAD_NOW"] = "2026-11-30T18:05"
        // The operator (who signs, who the audit trail names) is the account from the user database; the debug seam
        // lets a test act as a staff member: the USER it passes, else dreyes.
        env["CASELOAD_TEST_ACCOUNT"] = environment["USER"] ?? "dreyes"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts `caseload` without waiting; the caller kills or waits for it. `environment` is added last (e.g. another
    /// `CASELOAD_TEST_ACCOUNT`, so several instances act as several staff members).
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["CASELOAD_NOW"] = "2026-11-30T18:05"
        env["CASELOAD_TEST_ACCOUNT"] = "dreyes"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

/// A fresh folder for one test, removed afterwards.
final class Scratch {
    let path: String
    init(_ label: String = #function) {
        let safe = label.filter { $0.isLetter || $0.isNumber }
        path = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-cli-\(safe.prefix(30))-\(UUID().uuidString.prefix(8))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// A demo program written by `caseload demo` as `program.json` in this folder.
    func demo() throws -> String {
        let path = file("program.json")
        let made = try CaseloadBinary.run(["demo", "--out", path])
        #expect(made.status == 0, "\(made.stderr)")
        return path
    }

    /// The shell command that runs the app on `document` at the fixed clock, with this folder's config; `exec` makes the
    /// pane's pid the app's.
    func appCommand(_ document: String, user: String? = nil, exec: Bool = true) -> String {
        let env = "env CASELOAD_NOW=2026-11-30T18:05\(user.map { " USER=\($0)" } ?? "") CASELOAD_TEST_ACCOUNT=\(shellQuote(user ?? "dreyes")) XDG_CONFIG_HOME=\(shellQuote(file("config"))) "
            + "XDG_STATE_HOME=\(shellQuote(file("state"))) LANG=C.UTF-8"
        return (exec ? "exec " : "") + "\(env) \(shellQuote(CaseloadBinary.path)) --file \(shellQuote(document))"
    }
}

func fileMode(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int) ?? -1
}
