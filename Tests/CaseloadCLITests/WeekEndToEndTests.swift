import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Scheduling a weekly group through the keys in a real terminal, cancelling one occurrence, and finding it all after a restart.
@Suite(.serialized) struct WeekEndToEndTests {
    let scratch = Scratch()

    func appCommand(_ path: String) -> String { scratch.appCommand(path) }

    /// The demo program's people with an empty calendar.
    func emptyCalendar() throws -> String {
        let path = scratch.file("program.json")
        let made = try CaseloadBinary.run(["demo", "--out", path])
        #expect(made.status == 0, "\(made.stderr)")
        var doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        doc.series = []
        doc.sessions = []
        try AtomicFile.write(try DocumentCodec.encode(doc), to: path)
        return path
    }

    func count(_ text: String, in screen: String) -> Int { screen.components(separatedBy: text).count - 1 }

    @Test func weeklyGroupSixWeeksThreePatientsCancelOneAndReopen() throws {
        let path = try emptyCalendar()
        let tmux = try TmuxSession(command: appCommand(path), width: 120, height: 40)
        #expect(tmux.waitFor { $0.contains("Patients 30 active") }.ok)
        try tmux.send("2")                    // the Week pane; the cursor is on Monday 30 November, 18:00
        try tmux.send("n")
        #expect(tmux.waitFor { $0.contains("New session") }.ok)
        try tmux.type("Mindful")
        for _ in 0..<3 { try tmux.send("Tab") }   // kind, modality → facilitator (a session needs one)
        try tmux.send("Right")
        for _ in 0..<6 { try tmux.send("Tab") }   // room, date, start, duration, repeat → days
        try tmux.send("C-u")
        try tmux.type("mon wed thu")
        try tmux.send("Tab")                  // until
        try tmux.send("Tab")                  // weeks
        try tmux.type("6")
        try tmux.send("Tab")                  // roster
        try tmux.send("a")
        #expect(tmux.waitFor { $0.contains("Roster") && $0.contains("filter") }.ok)
        for _ in 0..<3 { try tmux.send("Space"); try tmux.send("Down") }
        try tmux.send("Enter")
        let form = tmux.waitFor { $0.contains("New session") && !$0.contains("type to filter") }
        #expect(form.ok, "back in the form with three patients:\n\(form.screen)")
        try tmux.send("C-s")
        let week = tmux.waitFor { count("Mindful", in: $0) >= 3 && $0.contains("Scheduled Mindful") }
        #expect(week.ok, "on Monday, Wednesday and Thursday:\n\(week.screen)")

        try tmux.send("]")
        let next = tmux.waitFor { $0.contains("Week 50") && count("Mindful", in: $0) >= 3 }
        #expect(next.ok, "again the next week:\n\(next.screen)")

        // Cancel Wednesday 9 December with a reason.
        try tmux.send("l")
        try tmux.send("l")
        try tmux.send("x")
        #expect(tmux.waitFor { $0.contains("cancel this occurrence") }.ok)
        try tmux.send("o")
        #expect(tmux.waitFor { $0.contains("Reason for cancelling") }.ok)
        try tmux.type("Facilitator at training")
        try tmux.send("Enter")
        let cancelled = tmux.waitFor { $0.contains("✕ Mindful") || $0.contains("✕ Mind") }
        #expect(cancelled.ok, "shown as cancelled:\n\(cancelled.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        // In the file: the series and the cancelled occurrence with its reason.
        let doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let series = try #require(doc.series.first { $0.title == "Mindful" })
        #expect(series.weekdays == [.mon, .wed, .thu])
        #expect(series.start.description == "18:00")
        #expect(series.durationMinutes == 180)
        #expect(series.startDate.iso == "2026-11-30")
        #expect(series.endDate?.iso == "2027-01-10")
        #expect(series.roster.count == 3)
        let stored = try #require(doc.sessions.first { $0.series == series.id })
        #expect(stored.occurrenceDate?.iso == "2026-12-09")
        #expect(stored.status == .cancelled(reason: "Facilitator at training"))

        // Reopen: the same weeks as left.
        let again = try TmuxSession(command: appCommand(path), width: 120, height: 40)
        #expect(again.waitFor { $0.contains("Patients 30 active") && count("Mindful", in: $0) >= 3 }.ok)
        try again.send("2")
        try again.send("]")
        let reopened = again.waitFor { $0.contains("Week 50") && ($0.contains("✕ Mindful") || $0.contains("✕ Mind")) && count("Mind", in: $0) >= 3 }
        #expect(reopened.ok, "the cancelled occurrence is still there after reopening:\n\(reopened.screen)")
        try again.send("q")
        #expect(again.waitUntilDead())
    }
}
