import CaseloadCore
import CaseloadDemo
import CaseloadUI
import Foundation

/// The small demo on the fixed clock used by every screen test.
enum UIFixtures {
    static let zone = TimeZone(identifier: "America/Chicago") ?? .current
    static let now = ClockSetting.parse("2026-11-30T18:05", zone: zone) ?? Date(timeIntervalSince1970: 0)
    static let demo = DemoProgram.generate(seed: 1, size: .small, now: now)

    static func state(width: Int = 120, height: Int = 40, document: CaseloadDocument = demo, readOnly: String? = nil) -> AppState {
        AppState(document: document, fileName: "demo.json", now: now, width: width, height: height, readOnlyReason: readOnly)
    }
}

extension AppState {
    /// Sends keys through `update`, collecting every effect.
    @discardableResult
    mutating func press(_ keys: Key...) -> [Effect] {
        keys.flatMap { update(&self, .key($0)) }
    }

    /// What the runner does with an edit's `Effect.auditChange`: works out its events and sends them back.
    mutating func answerAudits(_ effects: [Effect]) {
        for case .auditChange(let change) in effects { _ = update(&self, .auditComputed(change.events)) }
    }

    @discardableResult
    mutating func type(_ text: String) -> [Effect] {
        text.flatMap { update(&self, .key(.char($0))) }
    }
}
