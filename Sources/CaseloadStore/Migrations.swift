import Foundation

/// The chain that brings older files forward, one version at a time. Each step works on the parsed JSON of the version before it, so old shapes never need Swift types.
enum Migrations {
    /// A step from version `from` to `from + 1`.
    struct Step: Sendable {
        let from: Int
        let migrate: @Sendable (inout [String: Any]) throws(StoreError) -> Void
    }

    /// Every step, in order. Version 0 is the pre-release shape: patients under "clients", phases with "requiredHoursPerWeek", and the shown day as "dayHours": {"start", "end"}.
    static let steps: [Step] = [
        Step(from: 0) { (root: inout [String: Any]) throws(StoreError) in
            if root["patients"] == nil, let clients = root["clients"] {
                root["patients"] = clients
                root["clients"] = nil
            }
            if var program = root["program"] as? [String: Any] {
                if let hours = program["dayHours"] as? [String: Any] {
                    program["dayStart"] = hours["start"]
                    program["dayEnd"] = hours["end"]
                    program["dayHours"] = nil
                }
                if let phases = program["phases"] as? [[String: Any]] {
                    program["phases"] = phases.map { phase in
                        var phase = phase
                        if let hours = phase["requiredHoursPerWeek"] as? NSNumber {
                            phase["requiredMinutesPerWeek"] = Int((hours.doubleValue * 60).rounded())
                            phase["requiredHoursPerWeek"] = nil
                        }
                        return phase
                    }
                }
                root["program"] = program
            }
        },
        // 1 to 2 added only the optional `audit` member: nothing to change (version 1 files are read directly).
        Step(from: 1) { (_: inout [String: Any]) throws(StoreError) in },
    ]

    /// Migrates `data` written at `version` to the current version's bytes.
    static func migrate(_ data: Data, from version: Int, path: String) throws(StoreError) -> Data {
        guard var root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .notADocument(path: path, detail: "the top level must be a JSON object")
        }
        var current = version
        while current < DocumentCodec.currentVersion {
            guard let step = steps.first(where: { $0.from == current }) else {
                throw .badVersion(path: path, detail: "version \(version) is too old for this Caseload to read (no migration from \(current))")
            }
            try step.migrate(&root)
            current += 1
            root["schemaVersion"] = current
        }
        do {
            return try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
        } catch {
            throw .io(path: path, operation: "migrate", reason: String(describing: error))
        }
    }
}
