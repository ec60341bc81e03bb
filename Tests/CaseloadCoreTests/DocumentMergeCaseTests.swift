import CaseloadCore
import CaseloadDemo
import Foundation
import Testing

/// The merge's single cases on a small hand-made document.
@Suite struct DocumentMergeCaseTests {
    static let day = LocalDate(year: 2026, month: 11, day: 30) ?? LocalDate(dayNumber: 0)
    static let six = LocalTime(hour: 18, minute: 0) ?? LocalTime(clamping: 0)

    static var base: CaseloadDocument {
        let program = DocumentMergeTests.demo.program
        let patients = [
            Patient(id: "pat_1", mrn: "M1", legalName: "Test One", phone: "555-0101"),
            Patient(id: "pat_2", mrn: "M2", legalName: "Test Two", phone: "555-0102"),
            Patient(id: "pat_3", mrn: "M3", legalName: "Test Three"),
        ]
        let session = Session(id: "ses_1", date: day, start: six, durationMinutes: 90, title: "Evening group", kind: .group,
                              added: ["pat_1", "pat_2", "pat_3"])
        return CaseloadDocument(program: program, staff: [Staff(id: "stf_1", name: "Sam Staff", credentials: "LCDC", role: .clinician, login: "sam")],
                                patients: patients, sessions: [session])
    }

    static func editPatient(_ doc: CaseloadDocument, _ id: PatientID, _ change: (inout Patient) -> Void) -> CaseloadDocument {
        var doc = doc
        if let i = doc.patientIndex(id) { change(&doc.patients[i]) }
        return doc
    }

    static func editSession(_ doc: CaseloadDocument, _ change: (inout Session) throws -> Void) rethrows -> CaseloadDocument {
        var doc = doc
        var s = doc.sessions[0]
        try change(&s)
        doc.sessions[0] = s
        return doc
    }

    @Test("a patient removed on one side and changed on the other is kept, changed, in both results, and reported")
    func removedAgainstChanged() {
        let removed = { var d = Self.base; d.patients.removeAll { $0.id == "pat_2" }; return d }()
        let changed = Self.editPatient(Self.base, "pat_2") { $0.phone = "555-9999" }
        for (theirs, mine) in [(removed, changed), (changed, removed)] {
            let result = DocumentMerge.merge(base: Self.base, theirs: theirs, mine: mine)
            #expect(result.merged.patient("pat_2")?.phone == "555-9999")
            #expect(result.mine.patient("pat_2")?.phone == "555-9999")
            #expect(result.conflicts.count == 1)
            #expect(result.conflicts.first?.entity == .patient("pat_2"))
            #expect(result.conflicts.first?.kind == .removedChanged)
        }
    }

    @Test("a patient removed on one side and left alone on the other is removed")
    func removedAgainstUnchanged() {
        let removed = { var d = Self.base; d.patients.removeAll { $0.id == "pat_2" }; return d }()
        let other = Self.editPatient(Self.base, "pat_1") { $0.email = "one@example.test" }
        let result = DocumentMerge.merge(base: Self.base, theirs: other, mine: removed)
        #expect(result.conflicts.isEmpty)
        #expect(result.merged.patients.map(\.id) == ["pat_1", "pat_3"])
        #expect(result.merged.patient("pat_1")?.email == "one@example.test")
        #expect(result.mine == result.merged)
    }

    @Test("patients added on both sides with different ids are both kept: theirs first, then mine")
    func addedOnBothSides() {
        var theirs = Self.base, mine = Self.base
        theirs.patients.append(Patient(id: "pat_t", mrn: "MT", legalName: "Their Admission"))
        mine.patients.append(Patient(id: "pat_m", mrn: "MM", legalName: "My Admission"))
        let result = DocumentMerge.merge(base: Self.base, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        #expect(result.merged.patients.map(\.id) == ["pat_1", "pat_2", "pat_3", "pat_t", "pat_m"])
        #expect(result.mine == result.merged)
    }

    @Test("different fields of one patient changed on two sides both arrive")
    func differentFieldsOfOnePatient() {
        let theirs = Self.editPatient(Self.base, "pat_1") { $0.phone = "555-1111" }
        let mine = Self.editPatient(Self.base, "pat_1") { $0.email = "one@example.test" }
        let result = DocumentMerge.merge(base: Self.base, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        #expect(result.merged.patient("pat_1")?.phone == "555-1111")
        #expect(result.merged.patient("pat_1")?.email == "one@example.test")
        #expect(result.mine == result.merged)
    }

    @Test("one patient's phone changed differently: a conflict at phone with both values, theirs in the file, mine in memory")
    func phoneConflict() {
        let theirs = Self.editPatient(Self.base, "pat_1") { $0.phone = "555-1111" }
        let mine = Self.editPatient(Self.base, "pat_1") { $0.phone = "555-2222" }
        let result = DocumentMerge.merge(base: Self.base, theirs: theirs, mine: mine)
        #expect(result.conflicts == [MergeConflict(entity: .patient("pat_1"), path: "phone", kind: .field, theirs: "555-1111", mine: "555-2222",
                                                       theirsJSON: "\"555-1111\"", mineJSON: "\"555-2222\"")])
        #expect(result.merged.patient("pat_1")?.phone == "555-1111")
        #expect(result.mine.patient("pat_1")?.phone == "555-2222")
    }

    @Test("roll marks for different patients of one session merge silently")
    func marksForDifferentPatients() {
        let theirs = Self.editSession(Self.base) { $0.mark("pat_1", .present) }
        let mine = Self.editSession(Self.base) { $0.mark("pat_2", .late(minutesLate: 15)) }
        let result = DocumentMerge.merge(base: Self.base, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        let s = result.merged.sessions[0]
        #expect(s.attendance == [AttendanceMark(patient: "pat_1", status: .present), AttendanceMark(patient: "pat_2", status: .late(minutesLate: 15))])
        #expect(s.status == .held)
        #expect(result.mine == result.merged)
    }

    @Test("one patient's mark set differently on two sides is a conflict at attendance[patient].status")
    func markConflict() {
        let theirs = Self.editSession(Self.base) { $0.mark("pat_3", .present) }
        let mine = Self.editSession(Self.base) { $0.mark("pat_3", .absent) }
        let result = DocumentMerge.merge(base: Self.base, theirs: theirs, mine: mine)
        #expect(result.conflicts.count == 1)
        #expect(result.conflicts.first?.entity == .session("ses_1"))
        #expect(result.conflicts.first?.path == "attendance[pat_3].status")
        #expect(result.merged.sessions[0].attendance(for: "pat_3") == .present)
        #expect(result.mine.sessions[0].attendance(for: "pat_3") == .absent)
    }

    static let signature = Signature(by: "stf_1", at: Timestamp(seconds: 1_800_000_000))

    static var noted: CaseloadDocument {
        editSession(base) { try? $0.setMemberNote(MemberNote(patient: "pat_1", format: .dap, sections: [NoteSection(heading: "Data", text: "Draft")])) }
    }

    @Test("a note signed on one side and edited on the other stays signed in both results; the edit is a proposed addendum")
    func signatureAgainstEdit() throws {
        let signed = try Self.editSession(Self.noted) { try $0.signMemberNote(for: "pat_1", Self.signature) }
        let edited = try Self.editSession(Self.noted) {
            try $0.setMemberNote(MemberNote(patient: "pat_1", format: .dap, sections: [NoteSection(heading: "Data", text: "Draft, more")]))
        }
        for (theirs, mine, signedIsTheirs) in [(signed, edited, true), (edited, signed, false)] {
            let result = DocumentMerge.merge(base: Self.noted, theirs: theirs, mine: mine)
            for doc in [result.merged, result.mine] {
                let note = doc.sessions[0].memberNote(for: "pat_1")
                #expect(note?.signature == Self.signature)
                #expect(note?.sections.first?.text == "Draft")
            }
            #expect(result.conflicts.count == 1)
            let conflict = result.conflicts.first
            #expect(conflict?.kind == .proposedAddendum)
            #expect(conflict?.path == "memberNotes[pat_1]")
            #expect((signedIsTheirs ? conflict?.mine : conflict?.theirs) == "Data: Draft, more")
        }
    }

    @Test("a group note signed on one side while the other marks roll: both arrive, no conflict")
    func signatureAndRoll() throws {
        let base = Self.editSession(Self.base) { try? $0.setGroupNote(GroupNote(topic: "Relapse triggers", narrative: "Discussed.")) }
        let signed = try Self.editSession(base) { try $0.signGroupNote(Self.signature) }
        let marked = Self.editSession(base) { $0.mark("pat_2", .present) }
        let result = DocumentMerge.merge(base: base, theirs: marked, mine: signed)
        #expect(result.conflicts.isEmpty)
        #expect(result.merged.sessions[0].groupNote?.signature == Self.signature)
        #expect(result.merged.sessions[0].attendance(for: "pat_2") == .present)
    }

    @Test("addenda added to one signed note on both sides are both kept")
    func addendaOnBothSides() throws {
        let signed = try Self.editSession(Self.noted) { try $0.signMemberNote(for: "pat_1", Self.signature) }
        let theirs = try Self.editSession(signed) { try $0.addMemberAddendum(for: "pat_1", Addendum(by: "stf_1", at: Timestamp(seconds: 1_800_000_100), text: "Theirs")) }
        let mine = try Self.editSession(signed) { try $0.addMemberAddendum(for: "pat_1", Addendum(by: "stf_1", at: Timestamp(seconds: 1_800_000_200), text: "Mine")) }
        let result = DocumentMerge.merge(base: signed, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        #expect(result.merged.sessions[0].memberNote(for: "pat_1")?.addenda.map(\.text) == ["Theirs", "Mine"])
        #expect(result.mine == result.merged)
    }

    static var withSeries: CaseloadDocument {
        var doc = base
        let start = day.adding(days: -70)
        doc.series = [Series(id: "ser_1", title: "Evening group", kind: .group, weekdays: [.mon], start: six, durationMinutes: 90,
                             startDate: start, roster: [RosterEntry(patient: "pat_1", joined: start, left: day.adding(days: -40)),
                                                        RosterEntry(patient: "pat_1", joined: day.adding(days: -20)),
                                                        RosterEntry(patient: "pat_2", joined: start)])]
        return doc
    }

    @Test("a roster holding one patient twice is not matched by patient: both sides' roster changes conflict as a whole, no entry dropped")
    func rosterWithARejoinedPatient() {
        var theirs = Self.withSeries, mine = Self.withSeries
        theirs.series[0].title = "Tuesday evening group"
        theirs.series[0].roster[2].left = Self.day
        mine.series[0].roster.append(RosterEntry(patient: "pat_3", joined: Self.day))
        let result = DocumentMerge.merge(base: Self.withSeries, theirs: theirs, mine: mine)
        #expect(result.conflicts.map(\.path) == ["roster"])
        #expect(result.conflicts.first?.entity == .series("ser_1"))
        #expect(result.merged.series[0].title == "Tuesday evening group")
        #expect(result.mine.series[0].title == "Tuesday evening group")
        #expect(result.merged.series[0].roster == theirs.series[0].roster)
        #expect(result.mine.series[0].roster == mine.series[0].roster)
    }

    @Test("the audit trail names a change to a rejoined patient's second roster entry (the same list matching as the merge)")
    func auditOfARejoinedPatientsRoster() {
        var after = Self.withSeries
        after.series[0].roster[1].left = Self.day
        let events = AuditEvent.changes(by: .putSeries(after.series[0]), from: Self.withSeries, to: after)
        // Matched by patient, the second pat_1 entry would be passed over and the change not named at all.
        #expect(events == [AuditEvent(AuditAction.edit, ["series:ser_1", "field:roster[1].left"])])
    }

    @Test("the program and a staff member changed on different fields on two sides: both arrive")
    func programAndStaff() {
        var theirs = Self.base, mine = Self.base
        theirs.program.name = "Their program name"
        mine.program.attendancePolicy.windowWeeks = Self.base.program.attendancePolicy.windowWeeks + 4
        theirs.staff[0].credentials = "LCSW"
        mine.staff[0].login = "ssam"
        let result = DocumentMerge.merge(base: Self.base, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        #expect(result.merged.program.name == "Their program name")
        #expect(result.merged.program.attendancePolicy.windowWeeks == Self.base.program.attendancePolicy.windowWeeks + 4)
        #expect(result.merged.staff == [Staff(id: "stf_1", name: "Sam Staff", credentials: "LCSW", role: .clinician, login: "ssam")])
        #expect(result.mine == result.merged)
    }

    @Test("one series occurrence stored afresh on both sides under different ids is merged as one session")
    func occurrenceStoredOnBothSides() throws {
        let series = try #require(Self.withSeries.series.first)
        let date = Self.day
        var theirs = Self.withSeries, mine = Self.withSeries
        var a = Session(id: "ses_theirs", occurrenceOf: series, on: date)
        a.mark("pat_1", .present)
        theirs.sessions.append(a)
        var b = Session(id: "ses_mine", occurrenceOf: series, on: date)
        try b.setGroupNote(GroupNote(topic: "Coping with cravings", narrative: "Worked through urge surfing."))
        mine.sessions.append(b)
        let result = DocumentMerge.merge(base: Self.withSeries, theirs: theirs, mine: mine)
        #expect(result.conflicts.isEmpty)
        #expect(result.merged.sessions.map(\.id) == ["ses_1", "ses_theirs"])
        let merged = try #require(result.merged.session("ses_theirs"))
        #expect(merged.attendance(for: "pat_1") == .present)
        #expect(merged.groupNote?.topic == "Coping with cravings")
        #expect(merged.status == .held)
        #expect(result.mine == result.merged)
    }

    @Test("a group note edited on their side and signed on mine: the file gets the signed note, their edit is a proposed addendum")
    func groupNoteSignedAgainstEdit() throws {
        let base = Self.editSession(Self.base) { try? $0.setGroupNote(GroupNote(topic: "Relapse triggers", narrative: "Discussed.")) }
        let edited = Self.editSession(base) { try? $0.setGroupNote(GroupNote(topic: "Relapse triggers", narrative: "Discussed HALT.")) }
        let signed = try Self.editSession(base) { try $0.signGroupNote(Self.signature) }
        let result = DocumentMerge.merge(base: base, theirs: edited, mine: signed)
        for doc in [result.merged, result.mine] {
            #expect(doc.sessions[0].groupNote?.signature == Self.signature)
            #expect(doc.sessions[0].groupNote?.narrative == "Discussed.")
        }
        #expect(result.conflicts == [MergeConflict(entity: .session("ses_1"), path: "groupNote", kind: .proposedAddendum,
                                                   theirs: "Relapse triggers\nDiscussed HALT.", mine: "Relapse triggers\nDiscussed.")])
    }
}
