import Foundation
import PackagePlugin

/// Build-tool plugin: compiles every `themes/*.toml` into the target as `EmbeddedThemes.texts`, so the folder is the
/// only copy of the built-in themes and a new theme file needs no code change.
@main
struct EmbedThemes: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let folder = context.package.directoryURL.appendingPathComponent("themes")
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.lastPathComponent.hasSuffix(".toml") && $0.lastPathComponent != ".toml" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw EmbedThemesError("cannot list the built-in themes in \(folder.path) (\(error.localizedDescription)); "
                + "the package needs its themes/ folder")
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedThemes.swift")
        // SwiftPM asks this plugin for its commands only when the package's structure changes, so the inputs are
        // the files found then (editing one rebuilds) and the folder itself (its time changes when a file is added
        // or removed); the tool lists the folder again each time it runs, so a new file is embedded at once.
        return [
            .buildCommand(
                displayName: "Embedding the themes in themes/",
                executable: try context.tool(named: "ThemeEmbedder").url,
                arguments: [output.path, folder.path],
                inputFiles: [folder] + files,
                outputFiles: [output]
            ),
        ]
    }
}

/// Why the themes could not be embedded, said so the reader knows what to fix.
struct EmbedThemesError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
