// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Caseload",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "caseload", targets: ["caseload"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The PostgreSQL home (issue 20): the wire protocol, TLS and LISTEN/NOTIFY.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Domain values and rules: Foundation only, no I/O.
        .target(name: "CaseloadCore"),
        // Deterministic synthetic programs for demos, tests and benchmarks.
        .target(name: "CaseloadDemo", dependencies: ["CaseloadCore"]),
        // The document file: codec, versions, crash-safe save, backups, lock, autosave.
        .target(
            name: "CaseloadStore",
            dependencies: [
                "CaseloadCore",
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt for the passphrase key slots of encrypted documents.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // The PostgreSQL home (issue 20): the same document as rows, sealed when encrypted, merged on save, with
        // LISTEN/NOTIFY and an offline queue. Only the executable and its tests import it.
        .target(
            name: "CaseloadDatabase",
            dependencies: [
                "CaseloadCore", "CaseloadStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The only C in the project: ncursesw through one shim header.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        // Terminal-independent UI: canvas, widgets, panes, state, update, keymaps, themes.
        // The built-in themes are themes/*.toml, compiled in at build time by the EmbedThemes plugin.
        .target(name: "CaseloadUI", dependencies: ["CaseloadCore"], plugins: ["EmbedThemes"]),
        .plugin(name: "EmbedThemes", capability: .buildTool(), dependencies: ["ThemeEmbedder"]),
        // The plugin's tool: theme files in, Swift out (runs on the build machine, never shipped).
        .executableTarget(name: "ThemeEmbedder", path: "Plugins/ThemeEmbedder"),
        // The ncurses backend: the only code that touches the terminal.
        .target(name: "CaseloadTerminal", dependencies: ["CaseloadUI", "CNcurses"]),
        .executableTarget(
            name: "caseload",
            dependencies: [
                "CaseloadCore", "CaseloadStore", "CaseloadDatabase", "CaseloadDemo", "CaseloadUI", "CaseloadTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "CaseloadBench",
            dependencies: ["CaseloadCore", "CaseloadStore", "CaseloadDatabase", "CaseloadDemo", "CaseloadUI"],
            path: "Benchmarks/CaseloadBench"
        ),
        // Golden files and snapshots: one comparison with a line diff, one variable (GOLDEN_UPDATE=1) to rewrite them.
        .target(name: "GoldenFiles", path: "Tests/GoldenFiles"),
        // A private PostgreSQL server for the tests that need one (scripts/pg-test-server): Foundation only.
        .target(name: "PostgresTestSupport", path: "Tests/PostgresTestSupport"),
        .testTarget(name: "CaseloadCoreTests", dependencies: ["CaseloadCore", "CaseloadDemo", "GoldenFiles"], exclude: ["Fixtures"]),
        .testTarget(
            name: "CaseloadStoreTests",
            dependencies: ["CaseloadCore", "CaseloadStore", "CaseloadDemo"],
            resources: [.copy("Fixtures")]
        ),
        // The database home's rows and sealing (issue 20), without a server.
        .testTarget(
            name: "CaseloadDatabaseRowsTests",
            dependencies: [
                "CaseloadDatabase", "CaseloadStore", "CaseloadCore", "CaseloadDemo",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Snapshots are read from the source tree (#filePath), so they are excluded rather than copied as resources.
        .testTarget(name: "CaseloadUITests", dependencies: ["CaseloadUI", "CaseloadCore", "CaseloadDemo", "GoldenFiles"], exclude: ["Snapshots"]),
        .testTarget(name: "CaseloadTerminalTests", dependencies: ["CaseloadTerminal", "CaseloadUI"]),
        // Drives the built `caseload` binary as a user would (and kills it mid-save).
        .testTarget(
            name: "CaseloadCLITests",
            dependencies: ["caseload", "CaseloadStore", "CaseloadCore", "CaseloadUI", "PostgresTestSupport"],
            exclude: ["Fixtures"]
        ),
        // The PostgreSQL home; suites with "Server" in their names use the test server.
        .testTarget(
            name: "CaseloadDatabaseTests",
            dependencies: [
                "CaseloadDatabase", "CaseloadStore", "CaseloadCore", "CaseloadDemo", "PostgresTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
