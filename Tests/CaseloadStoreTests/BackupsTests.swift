import Foundation
import Testing
@testable import CaseloadStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Backups")
struct BackupsTests {
    private let someTime = Date(timeIntervalSince1970: 1_796_061_900) // 2026-11-30 18:05:00 UTC
    private let day: TimeInterval = 86_400

    @Test func aBackupIsAVerifiedCopyNamedAfterTheUTCTime() throws {
        let folder = ScratchFolder()
        let backups = Backups(documentPath: folder.file("caseload.json"))
        let bytes = Data("{\"v\":1}".utf8)

        let backup = try backups.makeBackup(of: bytes, now: someTime.addingTimeInterval(0.4))

        #expect(backups.folder == folder.file("caseload.json.backups"))
        #expect(backup.name == "caseload-20261130T180500Z.json")
        #expect(backup.path == backups.folder + "/" + backup.name)
        #expect(backup.date == someTime)
        #expect(backup.size == Int64(bytes.count))
        #expect(contents(backup.path) == bytes)
        #expect(fileMode(backups.folder) == 0o700)
        #expect(fileMode(backup.path) == 0o600)
        #expect(backups.list() == [backup])
    }

    @Test func backupsInTheSameSecondGetNumberedNames() throws {
        let folder = ScratchFolder()
        let backups = Backups(documentPath: folder.file("caseload.json"))
        let names = try (1...3).map { try backups.makeBackup(of: Data("\($0)".utf8), now: someTime).name }

        #expect(names == ["caseload-20261130T180500Z.json", "caseload-20261130T180500Z-2.json", "caseload-20261130T180500Z-3.json"])
        #expect(backups.list().map(\.name) == names.reversed())
        #expect(backups.list().first.flatMap { contents($0.path) } == Data("3".utf8))
    }

    @Test func listIgnoresOtherFiles() throws {
        let folder = ScratchFolder()
        let backups = Backups(documentPath: folder.file("caseload.json"))
        let made = try backups.makeBackup(of: Data("x".utf8), now: someTime)
        for stray in ["notes.txt", "caseload-2026.json", "caseload-20261331T000000Z.json", "other-20261130T180500Z.json"] {
            try Data("y".utf8).write(to: URL(fileURLWithPath: backups.folder + "/" + stray))
        }
        #expect(backups.list() == [made])
    }

    /// 25 backups spread over 40 days: the newest 20 stay, and the daily ones older than 30 days go.
    @Test func retentionKeepsTheNewest20AndOnePerDayFor30Days() throws {
        let folder = ScratchFolder()
        let backups = Backups(documentPath: folder.file("caseload.json"))
        let start = someTime.addingTimeInterval(-40 * day)
        let dates = (0..<25).map { start.addingTimeInterval(Double($0) * 1.6 * day) }
        for date in dates {
            _ = try backups.makeBackup(of: Data("\(date)".utf8), now: date)
        }
        let now = try #require(dates.last)
        try expectRetention(backups, made: dates, now: now)
        #expect(backups.list().count == 20)
    }

    /// Several backups a day over 40 days: beyond the newest 20, exactly one per day for 30 days.
    @Test func retentionThinsBusyDaysToTheirNewestBackup() throws {
        let folder = ScratchFolder()
        let backups = Backups(documentPath: folder.file("caseload.json"))
        let start = someTime.addingTimeInterval(-40 * day)
        let dates = (0..<120).map { start.addingTimeInterval(Double($0) * day / 3) }
        for date in dates {
            _ = try backups.makeBackup(of: Data("\(date)".utf8), now: date)
        }
        let now = try #require(dates.last)
        try expectRetention(backups, made: dates, now: now)
        let kept = backups.list()
        #expect(kept.count > 20 && kept.count <= 20 + 31)
        #expect(kept.allSatisfy { $0.date >= now.addingTimeInterval(-30 * day) })
    }

    @Test func pruningNeverTouchesTheQuarantine() throws {
        let folder = ScratchFolder()
        let path = folder.file("caseload.json")
        try Data(".".utf8).write(to: URL(fileURLWithPath: folder.file(".caseload.json.tmp-1-ab")))
        let moved = try AtomicFile.quarantineLeftovers(for: path)
        let backups = Backups(documentPath: path)
        for index in 0..<30 {
            _ = try backups.makeBackup(of: Data("\(index)".utf8), now: someTime.addingTimeInterval(Double(index) * 90 * day))
        }
        #expect(moved.count == 1 && contents(moved[0]) == Data(".".utf8))
    }

    @Test func findAcceptsANameAPathOrATimePrefix() throws {
        let folder = ScratchFolder()
        let backups = Backups(documentPath: folder.file("caseload.json"))
        let early = try backups.makeBackup(of: Data("1".utf8), now: someTime)
        let late = try backups.makeBackup(of: Data("2".utf8), now: someTime.addingTimeInterval(3600))

        #expect(backups.find(early.name) == early)
        #expect(backups.find("caseload-20261130T180500Z") == early)
        #expect(backups.find(early.path) == early)
        #expect(backups.find("20261130T1805") == early)
        #expect(backups.find("2026-11-30T19:05") == late)
        #expect(backups.find("20261130") == late) // several fit: the newest
        #expect(backups.find("20261201") == nil)
        #expect(backups.find("/elsewhere/" + early.name) == nil)
        #expect(backups.find("") == nil)
    }

    @Test func aBackupIsDueAtTheStartOfASessionThenEveryTenMinutes() {
        #expect(BackupSchedule.isDue(lastBackup: nil, now: someTime))
        #expect(!BackupSchedule.isDue(lastBackup: someTime, now: someTime.addingTimeInterval(599)))
        #expect(BackupSchedule.isDue(lastBackup: someTime, now: someTime.addingTimeInterval(600)))
        #expect(BackupSchedule.isDue(lastBackup: someTime, now: someTime.addingTimeInterval(-60)))
    }

    @Test func stampsRoundTripThroughNames() {
        for seconds in [0, 951_782_400, 1_796_061_900, 4_102_444_799] as [Double] { // incl. 2000-02-29
            let date = Date(timeIntervalSince1970: seconds)
            #expect(UTCStamp.parseCompact(Substring(UTCStamp.compact(date))) == date)
        }
        #expect(UTCStamp.compact(Date(timeIntervalSince1970: 951_782_400)) == "20000229T000000Z")
        #expect(UTCStamp.parseCompact("20270229T000000Z") == nil)
    }

    /// Checks the kept set against the rule, computed independently from every backup made.
    private func expectRetention(_ backups: Backups, made: [Date], now: Date) throws {
        let newestFirst = made.sorted(by: >).map { Date(timeIntervalSince1970: floor($0.timeIntervalSince1970)) }
        var expected = Set(newestFirst.prefix(20))
        var days = Set<Int>()
        for date in newestFirst where date >= now.addingTimeInterval(-30 * day) {
            if days.insert(Int(floor(date.timeIntervalSince1970 / day))).inserted {
                expected.insert(date)
            }
        }
        let kept = backups.list().map(\.date)
        #expect(Set(kept) == expected)
        #expect(kept.count == expected.count)
        #expect(Array(kept.prefix(20)) == Array(newestFirst.prefix(20)))
    }
}
