import CaseloadUI
import Foundation

/// Where a report or letter from the TUI goes: the typed place resolved against `$HOME` and the working folder, a folder
/// given the default file name, and a look at what is there, answered as a message for `update`.
enum ReportFile {
    static func look(_ request: WriteRequest, environment: [String: String], document: String) -> Msg {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let (base, folderTyped) = reportPath(typed: request.path, home: home, cwd: FileManager.default.currentDirectoryPath)
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
        let standard = (target as NSString).standardizingPath
        let doc = (document as NSString).standardizingPath
        if standard == doc || standard == doc + ".lock" || standard.hasPrefix(doc + ".backups/") {
            return refuse("that is the open document, its lock or a backup; choose another file name")
        }
        var info = stat()
        if lstat(target, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { return refuse("a folder is there; type a file name (\(target))") }
            if !request.replace {
                var asked = request
                asked.path = target
                asked.shown = shown(target, home: home)
                return .writeTargetExists(asked)
            }
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
