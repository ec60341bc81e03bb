import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// Issue 15's workflows in a real terminal at 80×24, as a facilitator meets them at the end of an evening group.
@Suite(.serialized) struct EverydayEndToEndTests {
    let scratch = Scratch()

    func demo() throws -> String { try scratch.demo() }

    /// The clock is Monday 30 November, 18:05: tonight's group is IOP-A Evening, 18:00–21:00 in the Group Hall.
    @Test func tonightsGroupIsReadFromTheWeekAt80x24AndTheRollTaken() throws {
        let path = try demo()
        let tmux = try TmuxSession(command: scratch.appCommand(path, user: "dreyes"), width: 80, height: 24)
        let start = tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }
        #expect(start.ok, "\(start.screen)")
        // Title, room and both times on the screen: in the block, and whole on the Week's last line.
        #expect(start.screen.contains("IOP-A"))
        #expect(start.screen.contains("Evening"))
        #expect(start.screen.contains("IOP-A Evening · Mon Nov 30 18:00–21:00 · Group Hall · Marcus Bell"), "\(start.screen)")
        // Day headers in one form.
        #expect(start.screen.contains("Mon 30") && start.screen.contains("Tue 1"))

        // Take the roll: open the session, everyone present.
        try tmux.send("Enter")
        #expect(tmux.waitFor { $0.contains("attendance") && $0.contains("P all present") }.ok)
        try tmux.send("P")
        let marked = tmux.waitFor { $0.contains("Marcus Bell · held") && !$0.contains("roll not taken") }
        #expect(marked.ok, "\(marked.screen)")
        // Back in the Week, the agenda lists the group with its roll.
        try tmux.send("2", "v", "v")
        let agenda = tmux.waitFor { $0.contains("Agenda · week 49") }
        #expect(agenda.ok, "\(agenda.screen)")
        #expect(agenda.screen.contains("18:00–21:00 ✓ IOP-A Evening · Group Hall · Marcus Bell · roll taken"), "\(agenda.screen)")
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        let saved = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let monday = try #require(LocalDate(iso: "2026-11-30"))
        let group = try #require(saved.sessions.first { $0.date == monday && $0.title == "IOP-A Evening" })
        #expect(!group.attendance.isEmpty)
        #expect(group.attendance.allSatisfy { $0.status == .present })
    }

    @Test func cancellingAHeldSessionAsksFirstAndAnIndividualSessionIsBookedForTheSelectedPatient() throws {
        let path = try demo()
        let tmux = try TmuxSession(command: scratch.appCommand(path, user: "dreyes"), width: 80, height: 24)
        #expect(tmux.waitFor { $0.contains("Week 49") && $0.contains("Session") }.ok)
        let opened = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let monday = try #require(LocalDate(iso: "2026-11-30"))
        // Tonight's group, its roll taken: now a held session with attendance.
        try tmux.send("Enter", "P")
        #expect(tmux.waitFor { $0.contains("Marcus Bell · held") }.ok)
        try tmux.send("2")
        #expect(tmux.waitFor { $0.contains("IOP-A Evening · Mon Nov 30 18:00") && $0.contains("IOP-A   ✓") }.ok)
        try tmux.send("x")
        // An occurrence of a weekly series: this one, or the series from here.
        #expect(tmux.waitFor { $0.contains("(o) cancel this occurrence") }.ok)
        try tmux.send("o")
        let question = tmux.waitFor { $0.contains("will no longer count toward hours") }
        #expect(question.ok, "the question says what cancelling does to the minutes:\n\(question.screen)")
        try tmux.send("k")                                  // keep it
        #expect(tmux.waitFor { !$0.contains("will no longer count") }.ok)

        // The Patients pane's first patient, then a new session on Tuesday at 14:00: individual, an hour, them on the roster.
        try tmux.send("1")
        let list = tmux.waitFor { $0.contains("Patients 30 active") }
        #expect(list.ok)
        let patient = try #require(opened.patients.filter { $0.status == .active }.sorted { $0.displayName < $1.displayName }.first)
        try tmux.send("2", "l")
        for _ in 0..<8 { try tmux.send("k") }               // 18:00 → 14:00
        #expect(tmux.waitFor { $0.contains("Tue Dec 1 14:00") }.ok)
        try tmux.send("n")
        #expect(tmux.waitFor { $0.contains("New session") }.ok)
        try tmux.type("Check-in")
        try tmux.send("Tab")                                // Kind
        try tmux.type("i")                                  // individual, by its first letter
        let form = tmux.waitFor { $0.contains("‹ individual ›") && $0.contains("does not repeat") }
        #expect(form.ok, "\(form.screen)")
        try tmux.send("C-s")
        #expect(tmux.waitFor { !$0.contains("New session ·") }.ok)
        try tmux.send("q")
        #expect(tmux.waitUntilDead())

        let saved = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        #expect(saved.sessions.first { $0.date == monday && $0.title == "IOP-A Evening" }?.status == .held, "kept, not cancelled")
        let tuesday = monday.adding(days: 1)
        let booked = saved.sessions.first { $0.date == tuesday && $0.start.minutes == 14 * 60 && $0.kind == .individual && $0.added == [patient.id] }
        #expect(booked != nil, "an individual session for \(patient.displayName) on Tuesday at 14:00")
        #expect(booked?.durationMinutes == 60)
        #expect(booked?.series == nil)
    }
}
