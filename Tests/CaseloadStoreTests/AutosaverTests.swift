import Foundation
import Testing
@testable import CaseloadStore

/// A stand-in disk: records what was saved, can fail the first few saves, and notices overlapping saves.
final class FakeDisk: @unchecked Sendable {
    struct Full: Error, CustomStringConvertible {
        var description: String { "the disk is full" }
    }

    private let mutex = NSLock()
    private var saved: [Int] = []
    private var attempts = 0
    private var failuresLeft: Int
    private var active = 0
    private var overlapped = false
    private let delay: TimeInterval

    init(failFirst: Int = 0, delay: TimeInterval = 0) {
        failuresLeft = failFirst
        self.delay = delay
    }

    var savedSnapshots: [Int] { mutex.withLock { saved } }
    var attemptCount: Int { mutex.withLock { attempts } }
    var sawOverlap: Bool { mutex.withLock { overlapped } }

    func failNext(_ count: Int) { mutex.withLock { failuresLeft = count } }

    func save(_ snapshot: Int) throws {
        let shouldFail = mutex.withLock { () -> Bool in
            attempts += 1
            active += 1
            if active > 1 { overlapped = true }
            if failuresLeft > 0 {
                failuresLeft -= 1
                return true
            }
            return false
        }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        mutex.withLock {
            active -= 1
            if !shouldFail { saved.append(snapshot) }
        }
        if shouldFail { throw Full() }
    }
}

/// Polls until `condition` holds or `timeout` passes; the machine is shared, so timeouts are generous.
func eventually(timeout: TimeInterval = 30, _ condition: () -> Bool) async -> Bool {
    let giveUp = Date().addingTimeInterval(timeout)
    while Date() < giveUp {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 10_000_000)
    }
    return condition()
}

extension AutosaveState {
    var isSaved: Bool {
        if case .saved = self { return true }
        return false
    }

    var isFailed: Bool {
        if case .failed = self { return true }
        return false
    }
}

@Suite("Autosaver")
struct AutosaverTests {
    @Test func aBurstOfChangesIsCoalescedIntoOneSaveOfTheLastSnapshot() {
        let disk = FakeDisk()
        // A debounce far longer than the burst, then a flush: no timing can split the burst, so exactly one save.
        let saver = Autosaver<Int>(debounce: 30, maxDelay: 60) { try disk.save($0) }
        for value in 0..<50 { saver.changed(value) }
        #expect(disk.attemptCount == 0)
        #expect(saver.flush().isSaved)
        #expect(disk.savedSnapshots == [49])
    }

    @Test func changesAreNotSavedImmediately() {
        let disk = FakeDisk()
        let saver = Autosaver<Int>(debounce: 30, maxDelay: 60) { try disk.save($0) }
        saver.changed(1)
        guard case .pending = saver.state else {
            Issue.record("expected .pending, got \(saver.state)")
            return
        }
        #expect(disk.attemptCount == 0)
        #expect(saver.unsavedSnapshot == 1)
    }

    @Test func continuousEditsStillSaveWithinMaxDelay() async {
        let disk = FakeDisk()
        let saver = Autosaver<Int>(debounce: 0.2, maxDelay: 0.3) { try disk.save($0) }
        var value = 0
        let stopAt = Date().addingTimeInterval(20)   // generous: the machine is shared; a save normally comes within 0.3 s
        // Changes every 10 ms never leave a 200 ms pause, so only the cap can trigger a save.
        while Date() < stopAt && disk.attemptCount == 0 {
            value += 1
            saver.changed(value)
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        #expect(disk.attemptCount > 0)
        saver.flush()
        #expect(disk.savedSnapshots.last == value)
    }

    @Test func aFailedSaveIsRetriedAndKeepsTheSnapshot() async {
        let disk = FakeDisk(failFirst: 2)
        let saver = Autosaver<Int>(debounce: 0.01, maxDelay: 0.05, retryBase: 0.02, retryMax: 0.1) { try disk.save($0) }
        saver.changed(7)
        #expect(await eventually { saver.state.isSaved })
        #expect(disk.attemptCount == 3)
        #expect(disk.savedSnapshots == [7])
    }

    @Test func aFailureShowsTheReasonAndKeepsTheChanges() async {
        let disk = FakeDisk(failFirst: 1)
        // The retry waits far longer than `eventually` does, so the failed state cannot pass before a loaded machine looks.
        let saver = Autosaver<Int>(debounce: 0.01, maxDelay: 0.05, retryBase: 600, retryMax: 600) { try disk.save($0) }
        saver.changed(1)
        #expect(await eventually { saver.state.isFailed })
        guard case .failed(let reason, _) = saver.state else { return }
        #expect(reason == "the disk is full")
        #expect(saver.unsavedSnapshot == 1)
    }

    @Test func aNewerChangeAfterAFailureIsTheOneSaved() async {
        let disk = FakeDisk(failFirst: 1)
        // A backoff far longer than any test run: only the newer change's normal schedule can save, and the failed state
        // lasts until looked at even when the whole suite starves this test of threads for a minute or more.
        let saver = Autosaver<Int>(debounce: 0.02, maxDelay: 0.1, retryBase: 600, retryMax: 600) { try disk.save($0) }
        saver.changed(1)
        #expect(await eventually { saver.state.isFailed })
        saver.changed(2)
        #expect(await eventually { saver.state.isSaved })
        #expect(disk.savedSnapshots == [2])
    }

    @Test func flushWaitsUntilTheChangeIsOnDisk() {
        let disk = FakeDisk(delay: 0.2)
        let saver = Autosaver<Int>(debounce: 60, maxDelay: 120) { try disk.save($0) }
        saver.changed(1)
        saver.changed(2)
        let state = saver.flush()
        #expect(state.isSaved)
        #expect(disk.savedSnapshots == [2])
        #expect(saver.unsavedSnapshot == nil)
    }

    @Test func flushReportsAFailureWithoutLosingTheSnapshot() {
        let disk = FakeDisk(failFirst: 100)
        let saver = Autosaver<Int>(debounce: 60, maxDelay: 120, retryBase: 60, retryMax: 60) { try disk.save($0) }
        saver.changed(3)
        #expect(saver.flush().isFailed)
        #expect(saver.unsavedSnapshot == 3)
    }

    @Test func saveNowSavesWithoutWaitingForTheDebounce() async {
        let disk = FakeDisk()
        let saver = Autosaver<Int>(debounce: 60, maxDelay: 120) { try disk.save($0) }
        saver.changed(5)
        saver.saveNow()
        #expect(await eventually { saver.state.isSaved })
        #expect(disk.savedSnapshots == [5])
    }

    @Test func stopPreventsSavingAndKeepsTheSnapshot() async {
        let disk = FakeDisk()
        let saver = Autosaver<Int>(debounce: 0.02, maxDelay: 0.05) { try disk.save($0) }
        saver.changed(1)
        saver.stop(reason: "changed on disk")
        saver.changed(2)
        saver.saveNow()
        try? await Task.sleep(nanoseconds: 300_000_000)

        #expect(saver.flush() == .stopped(reason: "changed on disk"))
        #expect(disk.attemptCount == 0)
        #expect(saver.unsavedSnapshot == 2)
    }

    @Test func savesNeverOverlapAndTheLastOneWins() async {
        let disk = FakeDisk(delay: 0.01)
        let saver = Autosaver<Int>(debounce: 0.001, maxDelay: 0.005) { try disk.save($0) }
        for value in 1...200 {
            saver.changed(value)
            if value % 20 == 0 { try? await Task.sleep(nanoseconds: 5_000_000) }
        }
        saver.flush()
        #expect(!disk.sawOverlap)
        #expect(disk.savedSnapshots.last == 200)
    }

    @Test func stateChangesAreReportedInOrder() async {
        let disk = FakeDisk()
        let seen = Recorder()
        let saver = Autosaver<Int>(debounce: 0.01, maxDelay: 0.05, onStateChange: { seen.append($0) }) { try disk.save($0) }
        saver.changed(1)
        #expect(await eventually { seen.states.last?.isSaved == true })
        let states = seen.states
        guard states.count == 3 else {
            Issue.record("expected pending, saving, saved; got \(states)")
            return
        }
        if case .pending = states[0] {} else { Issue.record("first state \(states[0])") }
        #expect(states[1] == .saving)
    }
}

/// Collects reported states across threads.
final class Recorder: @unchecked Sendable {
    private let mutex = NSLock()
    private var list: [AutosaveState] = []

    var states: [AutosaveState] { mutex.withLock { list } }

    func append(_ state: AutosaveState) { mutex.withLock { list.append(state) } }
}
