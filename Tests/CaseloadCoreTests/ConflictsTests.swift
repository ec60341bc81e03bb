import CaseloadCore
import Foundation
import Testing

@Suite struct ConflictsTests {
    let d = TestDocument.date
    let t = TestDocument.time

    func document() -> CaseloadDocument {
        var doc = TestDocument.document()
        doc.staff.append(ScheduleFixture.lee)
        return doc
    }

    func find(_ doc: CaseloadDocument, _ date: String, _ start: String, _ minutes: Int, facilitator: StaffID? = nil, room: RoomID? = nil,
              patients: [PatientID] = [], ignoring: Set<SessionID> = []) -> [Conflict] {
        Conflicts.find(date: d(date), start: t(start), durationMinutes: minutes, facilitator: facilitator, room: room, patients: patients,
                       in: ScheduleIndex(doc), doc: doc, ignoring: ignoring)
    }

    @Test func clashesOfFacilitatorRoomAndPatientsInPlainWords() {
        let doc = document()
        let found = find(doc, "2026-12-07", "19:00", 60, facilitator: "st_dana", room: "r2", patients: ["pat_ana", "pat_minjun", "pat_ana"])
        #expect(found.map(\.kind) == [.facilitator("st_dana"), .room("r2"), .patient("pat_ana"), .patient("pat_minjun")])
        #expect(found.allSatisfy { $0.other.id == "ser_a@2026-12-07" && $0.date == d("2026-12-07") })
        #expect(found.map { $0.message(in: doc) } == [
            "Dana Reyes is facilitating IOP-A 18:00–21:00 on Mon 7 Dec",
            "Room 2 is used by IOP-A 18:00–21:00 on Mon 7 Dec",
            "Ana is in IOP-A 18:00–21:00 on Mon 7 Dec",
            "김민준 is in IOP-A 18:00–21:00 on Mon 7 Dec",
        ])
    }

    @Test func backToBackIsNotAClash() {
        let doc = document()
        #expect(find(doc, "2026-12-07", "21:00", 60, room: "r2").isEmpty)
        #expect(find(doc, "2026-12-07", "17:00", 60, room: "r2").isEmpty)
        #expect(find(doc, "2026-12-07", "17:00", 61, room: "r2").count == 1)
        #expect(find(doc, "2026-12-07", "20:59", 5, room: "r2").count == 1)
        #expect(find(doc, "2026-12-07", "19:00", 60, room: "r1").isEmpty)
        #expect(find(doc, "2026-12-08", "19:00", 60, room: "r2").isEmpty)
    }

    @Test func cancelledAndCalledOffSessionsNeverClash() throws {
        var doc = document()
        try doc.apply(SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-12-07"), reason: "snow", in: doc))
        var calledOff = Session(id: "ses_off", occurrenceOf: TestDocument.iopA, on: d("2026-12-09"))
        calledOff.status = .didNotTakePlace(reason: "power cut")
        doc.sessions.append(calledOff)
        #expect(find(doc, "2026-12-07", "19:00", 60, facilitator: "st_dana", room: "r2", patients: ["pat_ana"]).isEmpty)
        #expect(find(doc, "2026-12-09", "19:00", 60, facilitator: "st_dana", room: "r2", patients: ["pat_ana"]).isEmpty)
        #expect(find(doc, "2026-12-10", "19:00", 60, room: "r2").count == 1)
    }

    @Test func ignoringWorksWithStoredAndScheduleIDs() throws {
        var doc = document()
        #expect(find(doc, "2026-12-07", "19:00", 60, room: "r2", ignoring: ["ser_a@2026-12-07"]).isEmpty)
        try doc.apply(SeriesEdits.moveOccurrence(of: "ser_a", on: d("2026-12-07"), to: d("2026-12-08"), start: t("18:00"), in: doc))
        #expect(find(doc, "2026-12-07", "19:00", 60, room: "r2").isEmpty)
        let moved = find(doc, "2026-12-08", "19:00", 60, room: "r2")
        #expect(moved.map(\.other.id) == ["ses_ser_a_2026-12-07"])
        #expect(find(doc, "2026-12-08", "19:00", 60, room: "r2", ignoring: ["ses_ser_a_2026-12-07"]).isEmpty)
    }

    @Test func sessionsPastMidnightClashWithTheNextDay() {
        var doc = document()
        doc.sessions.append(Session(id: "ses_night", date: d("2026-12-06"), start: t("23:00"), durationMinutes: 120, title: "Night group", kind: .group, room: "r1"))
        let found = find(doc, "2026-12-07", "00:30", 30, room: "r1")
        #expect(found.map(\.other.id) == ["ses_night"])
        #expect(found.first?.date == d("2026-12-06"))
        #expect(found.first?.message(in: doc) == "Room 1 is used by Night group 23:00–01:00 on Sun 6 Dec")
        #expect(find(doc, "2026-12-07", "01:00", 30, room: "r1").isEmpty)
        // And a late session planned the evening before runs into it.
        #expect(find(doc, "2026-12-06", "22:00", 90, room: "r1").count == 1)
    }

    @Test func patientsClashAsMembersDropInsAndNotWhenRemoved() throws {
        var doc = document()
        var occurrence = Session(id: "ses_x", occurrenceOf: TestDocument.iopA, on: d("2026-12-07"))
        occurrence.removed = ["pat_minjun"]
        doc.sessions.append(occurrence)
        doc.sessions.append(Session(id: "ses_ind", date: d("2026-12-08"), start: t("10:00"), durationMinutes: 50, title: "Individual", kind: .individual, added: ["pat_minjun"]))
        #expect(find(doc, "2026-12-07", "18:30", 30, patients: ["pat_minjun"]).isEmpty)
        #expect(find(doc, "2026-12-07", "18:30", 30, patients: ["pat_ana"]).map(\.kind) == [.patient("pat_ana")])
        #expect(find(doc, "2026-12-08", "10:30", 30, patients: ["pat_minjun"]).map { $0.message(in: doc) } == ["김민준 is in Individual 10:00–10:50 on Tue 8 Dec"])
    }

    @Test func aNewSeriesIsCheckedOccurrenceByOccurrence() {
        let doc = document()
        let iopB = Series(id: "ser_b", title: "IOP-B", kind: .group, facilitator: "st_lee", room: "r2", weekdays: [.mon, .tue], start: t("19:00"),
                          durationMinutes: 120, startDate: d("2026-11-30"), roster: [RosterEntry(patient: "pat_ana", joined: d("2026-12-07"))])
        // Ana joins on 7 Dec, so 30 Nov clashes by room only.
        let found = Conflicts.find(forSeries: iopB, from: d("2026-11-30"), limitDays: 14, in: ScheduleIndex(doc), doc: doc, ignoringSeries: nil)
        #expect(found.map(\.date) == [d("2026-11-30"), d("2026-12-07"), d("2026-12-07")])
        #expect(found.map(\.kind) == [.room("r2"), .room("r2"), .patient("pat_ana")])
        #expect(found.map { $0.message(in: doc) }.last == "Ana is in IOP-A 18:00–21:00 on Mon 7 Dec")
        #expect(Conflicts.find(forSeries: iopB, from: d("2026-11-30"), limitDays: 7, in: ScheduleIndex(doc), doc: doc, ignoringSeries: nil).count == 1)
    }

    @Test func editingASeriesIgnoresItsOwnOccurrences() throws {
        var doc = document()
        var edited = TestDocument.iopA
        edited.start = t("18:30")
        let index = ScheduleIndex(doc)
        #expect(Conflicts.find(forSeries: edited, from: d("2026-11-30"), limitDays: 7, in: index, doc: doc, ignoringSeries: nil).count == 3 * 4)
        #expect(Conflicts.find(forSeries: edited, from: d("2026-11-30"), limitDays: 7, in: index, doc: doc, ignoringSeries: "ser_a").isEmpty)

        // A stored occurrence moved into another series' time still clashes with others, but not with its own series' edit.
        doc.sessions.append(Session(id: "ses_one", date: d("2026-12-02"), start: t("20:00"), durationMinutes: 60, title: "Family", kind: .family, room: "r2"))
        try doc.apply(SeriesEdits.cancelOccurrence(of: "ser_a", on: d("2026-12-03"), reason: "x", in: doc))
        doc.sessions.append(Session(id: "ses_two", date: d("2026-12-03"), start: t("20:00"), durationMinutes: 60, title: "Family", kind: .family, room: "r2"))
        let found = Conflicts.find(forSeries: edited, from: d("2026-11-30"), limitDays: 7, in: ScheduleIndex(doc), doc: doc, ignoringSeries: "ser_a")
        // 3 Dec is stored (cancelled), so its computed time is not checked.
        #expect(found.map(\.other.id) == ["ses_one"])
        #expect(found.first?.message(in: doc) == "Room 2 is used by Family 20:00–21:00 on Wed 2 Dec")
    }
}
