import CaseloadCore
import Foundation
import Testing

/// The iCalendar export of a hand-built program: IOP-A Mon/Wed/Thu 18:00 from 2026-11-02, one occurrence cancelled, one moved,
/// one one-off individual session.
@Suite struct ICalendarExportTests {
    let d = TestDocument.date
    let t = TestDocument.time
    let now = Date(timeIntervalSince1970: 1_796_083_500)   // 2026-12-01T00:05:00Z

    func document() -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.staff.append(Staff(id: "st_lee", name: "Lee Park", credentials: "LCADC", role: .facilitator, login: "lee"))
        var cancelled = Session(id: "ses_cancel", occurrenceOf: TestDocument.iopA, on: d("2026-11-26"))
        cancelled.status = .cancelled(reason: "Thanksgiving")
        var moved = Session(id: "ses_moved", occurrenceOf: TestDocument.iopA, on: d("2026-12-02"))
        moved.date = d("2026-12-01")
        moved.start = t("17:30")
        moved.mark("pat_ana", .present)
        let oneOff = Session(id: "ses_one", date: d("2026-12-03"), start: t("10:00"), durationMinutes: 50, title: "Individual: CBT",
                             kind: .individual, room: "r1", facilitator: "st_lee", added: ["pat_minjun"])
        doc.sessions = [cancelled, moved, oneOff]
        return doc
    }

    func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test func seriesIsOneRecurringEventWithExdateAndAnOverride() {
        let out = lines(ICalendarExport.export(document(), staff: nil, from: nil, to: nil, now: now))
        #expect(out.first == "BEGIN:VCALENDAR")
        #expect(out.last == "END:VCALENDAR")
        #expect(out.contains("VERSION:2.0"))
        #expect(out.contains("CALSCALE:GREGORIAN"))
        #expect(out.contains { $0.hasPrefix("PRODID:") })
        #expect(out.contains("UID:ser_a@caseload"))
        #expect(out.contains("DTSTART;TZID=America/Chicago:20261102T180000"))
        #expect(out.contains("DURATION:PT3H"))
        #expect(out.contains("RRULE:FREQ=WEEKLY;BYDAY=MO,WE,TH"))
        #expect(out.contains("EXDATE;TZID=America/Chicago:20261126T180000"))
        #expect(out.contains("RECURRENCE-ID;TZID=America/Chicago:20261202T180000"))
        #expect(out.contains("DTSTART;TZID=America/Chicago:20261201T173000"))
        #expect(out.filter { $0 == "UID:ser_a@caseload" }.count == 2)
        #expect(out.contains("UID:ses_one@caseload"))
        #expect(out.contains("DTSTART;TZID=America/Chicago:20261203T100000"))
        #expect(out.contains("DURATION:PT50M"))
        #expect(out.contains("SUMMARY:IOP-A"))
        #expect(out.contains("LOCATION:Room 2"))
        #expect(out.filter { $0 == "DTSTAMP:20261201T000500Z" }.count == 3)
        // The cancelled occurrence is an EXDATE only, not an event of its own.
        #expect(!out.contains("UID:ses_cancel@caseload"))
        #expect(out.filter { $0 == "BEGIN:VEVENT" }.count == 3)
    }

    @Test func rangeClipsTheSeriesToItsFirstOccurrenceAndTheLastDay() {
        let out = lines(ICalendarExport.export(document(), staff: nil, from: d("2026-11-28"), to: d("2026-12-31"), now: now))
        #expect(out.contains("DTSTART;TZID=America/Chicago:20261130T180000"))
        // 2026-12-31 23:59:59 CST is 2027-01-01 05:59:59 UTC.
        #expect(out.contains("RRULE:FREQ=WEEKLY;BYDAY=MO,WE,TH;UNTIL=20270101T055959Z"))
        // The Thanksgiving cancellation is before the range: not mentioned.
        #expect(!out.contains("EXDATE;TZID=America/Chicago:20261126T180000"))
        let none = lines(ICalendarExport.export(document(), staff: nil, from: d("2026-10-01"), to: d("2026-10-31"), now: now))
        #expect(!none.contains("BEGIN:VEVENT"))
    }

    @Test func staffFilterKeepsOnlyWhatThatPersonFacilitates() {
        let lee = lines(ICalendarExport.export(document(), staff: "st_lee", from: nil, to: nil, now: now))
        #expect(lee.contains("UID:ses_one@caseload"))
        #expect(!lee.contains("UID:ser_a@caseload"))
        let dana = lines(ICalendarExport.export(document(), staff: "st_dana", from: nil, to: nil, now: now))
        #expect(dana.contains("UID:ser_a@caseload"))
        #expect(!dana.contains("UID:ses_one@caseload"))
    }

    @Test func noPatientDataAppears() {
        let doc = document()
        let text = ICalendarExport.export(doc, staff: nil, from: nil, to: nil, now: now)
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        #expect(doc.patients.count == 2)
        for patient in doc.patients {
            var identifying = [patient.legalName, patient.mrn, patient.id.rawValue]
            if let preferred = patient.preferredName { identifying.append(preferred) }
            for value in identifying {
                #expect(!unfolded.contains(value), "\(value) appears in the export")
                #expect(!unfolded.contains(ICalendarExport.escape(value)), "\(value) appears in the export")
            }
        }
    }

    // Finding 6 of issue 12: titles went out as typed, and the session form suggested "Individual · Ana", so a shared
    // calendar carried patients' names.

    @Test func individualAndFamilySessionsExportTheirKindNotTheirTitle() {
        var doc = document()
        doc.sessions[2].title = "Individual · Ana Núñez"
        let family = Series(id: "ser_fam", title: "Family session 김민준", kind: .family, weekdays: [.tue], start: t("16:00"),
                            durationMinutes: 60, startDate: d("2026-11-03"), roster: [RosterEntry(patient: "pat_minjun", joined: d("2026-11-03"))])
        doc.series.append(family)
        // An occurrence with its own title is exported as an override: it must not carry the name either.
        var renamed = Session(id: "ses_fam", occurrenceOf: family, on: d("2026-11-10"))
        renamed.title = "Minjun 김민준 and mother"
        doc.sessions.append(renamed)
        let text = ICalendarExport.export(doc, staff: nil, from: nil, to: nil, now: now)
        let summaries = lines(text).filter { $0.hasPrefix("SUMMARY:") }
        #expect(summaries.sorted() == ["SUMMARY:Family session", "SUMMARY:Family session", "SUMMARY:IOP-A", "SUMMARY:IOP-A", "SUMMARY:Individual session"])
        let unfolded = text.replacingOccurrences(of: "\r\n ", with: "")
        for name in ["Ana", "Núñez", "김민준", "Minjun", "mother"] {
            #expect(!unfolded.contains(name), "\(name) appears in the export")
        }
    }

    @Test func textIsEscaped() {
        #expect(ICalendarExport.escape(#"a\b;c,d"#) == #"a\\b\;c\,d"#)
        #expect(ICalendarExport.escape("one\ntwo\r\nthree\rfour") == #"one\ntwo\nthree\nfour"#)
        #expect(ICalendarExport.escape("bell\u{7}ok") == "bellok")
        var doc = document()
        doc.series[0].title = "Group; one, two\\three\nnext"
        let out = lines(ICalendarExport.export(doc, staff: nil, from: nil, to: nil, now: now))
        #expect(out.contains(#"SUMMARY:Group\; one\, two\\three\nnext"#))
    }

    @Test(arguments: [
        String(repeating: "가", count: 60),
        String(repeating: "🧘", count: 40),
        "ASCII " + String(repeating: "é", count: 50) + " 김민준 " + String(repeating: "👩‍👩‍👧", count: 10),
        String(repeating: "x", count: 74),
    ])
    func longLinesFoldAt75OctetsWithoutSplittingACharacter(_ title: String) throws {
        var doc = document()
        doc.series[0].title = title
        let text = ICalendarExport.export(doc, staff: nil, from: nil, to: nil, now: now)
        let bytes = Array(text.utf8)
        #expect(bytes.count > 0)
        // Every physical line: CRLF-terminated, at most 75 octets, valid UTF-8 by itself.
        var start = 0
        var physical = 0
        for i in 0..<(bytes.count - 1) where bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
            let line = Array(bytes[start..<i])
            #expect(line.count <= 75, "a line of \(line.count) octets")
            #expect(String(validating: line, as: UTF8.self) != nil, "a line splits a character")
            start = i + 2
            physical += 1
        }
        #expect(start == bytes.count, "the text ends with CRLF")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "a bare LF")
        let summary = lines(text).first { $0.hasPrefix("SUMMARY:") }
        #expect(summary == "SUMMARY:" + title)
        if title.utf8.count + 8 > 75 {
            #expect(text.contains("\r\n "), "a long SUMMARY is folded")
        }
        #expect(physical > lines(text).count || title.utf8.count + 8 <= 75)
    }

    @Test func foldKeepsShortLinesAndSplitsAt75() {
        #expect(ICalendarExport.fold("SUMMARY:x") == "SUMMARY:x\r\n")
        let long = String(repeating: "a", count: 160)
        let folded = ICalendarExport.fold(long)
        let pieces = folded.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(pieces.map(\.utf8.count) == [75, 75, 12])
        #expect(pieces.dropFirst().allSatisfy { $0.hasPrefix(" ") })
    }

    @Test func chicagoTimeZoneHasStandardAndDaylightOffsets() {
        let out = lines(ICalendarExport.export(document(), staff: nil, from: nil, to: nil, now: now))
        guard let begin = out.firstIndex(of: "BEGIN:VTIMEZONE"), let end = out.firstIndex(of: "END:VTIMEZONE") else {
            Issue.record("no VTIMEZONE")
            return
        }
        let tz = Array(out[begin...end])
        #expect(tz.contains("TZID:America/Chicago"))
        #expect(tz.contains("BEGIN:STANDARD"))
        #expect(tz.contains("BEGIN:DAYLIGHT"))
        #expect(tz.contains("TZOFFSETTO:-0600"))
        #expect(tz.contains("TZOFFSETTO:-0500"))
        // The transitions around the document: fall back 1 Nov 2026, spring forward 14 Mar 2027, at 02:00 local.
        #expect(tz.contains("DTSTART:20261101T020000"))
        #expect(tz.contains("DTSTART:20270314T020000"))
        // The VTIMEZONE comes before any event that uses it.
        if let firstEvent = out.firstIndex(of: "BEGIN:VEVENT") { #expect(end < firstEvent) }
    }

    @Test func aZoneWithoutDaylightSavingHasOneOffset() {
        var doc = document()
        doc.program.timeZone = "Asia/Kolkata"
        let out = lines(ICalendarExport.export(doc, staff: nil, from: nil, to: nil, now: now))
        #expect(out.contains("TZOFFSETTO:+0530"))
        #expect(!out.contains("BEGIN:DAYLIGHT"))
        #expect(out.contains("DTSTART;TZID=Asia/Kolkata:20261102T180000"))
    }
}
