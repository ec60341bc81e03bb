import CaseloadStore
import CaseloadUI
import Foundation

/// Where a report or letter from the TUI goes: the typed place resolved against `$HOME` and the working folder, a folder
/// given the default file name, and a look at what is there (`OutputFile.check`), answered as a message for `update`.
enum ReportFile {
    static func look(_ request: WriteRequest, environment: [String: String], document: String) -> Msg {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let (base, folderTyped) = reportPath(typed: request.path, home: home, cwd: FileManager.default.currentDirectoryPath)
        // A link typed as the place is looked at before it is followed as a folder: another account's is refused.
        var linkInfo = stat()
        if lstat(base, &linkInfo) == 0, (linkInfo.st_mode & S_IFMT) == S_IFLNK {
            do { _ = try OutputFile.check(base, protecting: [document]) } catch { return refuse(error.reason) }
        }
        var isFolder: ObjCBool = false
        let baseExists = FileManager.default.fileExists(atPath: base, isDirectory: &isFolder)
        var target = base
        if folderTyped || (baseExists && isFolder.boolValue) {
            guard baseExists && isFolder.boolValue else { return refuse("There is no folder \(base): type a folder that exists, or a file name") }
            target = (base as NSString).appendingPathComponent(request.defaultName)
        }
        let parent = (target as NSString).deletingLastPathComponent
        var parentIsFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &parentIsFolder), parentIsFolder.boolValue else {
            return refuse("There is no folder \(parent): type a folder that exists, or a file name")
        }
        // The same refusals as the command line's --out: a document, its lock, a backup or trail, another account's link.
        let existing: OutputFile.Existing
        do {
            existing = try OutputFile.check(target, protecting: [document])
        } catch {
            return refuse(error.reason)
        }
        if existing != .nothing && !request.replace {
            var asked = request
            asked.path = target
            asked.shown = shown(target, home: home)
            return .writeTargetExists(asked)
        }
        var ready = request
        ready.path = target
        ready.shown = shown(target, home: home)
        return .writeTargetReady(ready)
    }

    /// `target` with the home folder written `~`, as people read paths.
    static func shown(_ target: String, home: String) -> String {
        let folder = home.hasSuffix("/") ? String(home.dropLast()) : home
        guard !folder.isEmpty, target.hasPrefix(folder + "/") else { return target }
        return "~" + target.dropFirst(folder.count)
    }

    private static func refuse(_ text: String) -> Msg {
        .notify(StatusMessage("Not written: \(text)", isError: true))
    }
}
