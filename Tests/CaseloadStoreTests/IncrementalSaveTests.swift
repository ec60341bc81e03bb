import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// Issue 14, "write only what changed": a save copies the bytes of every entity that did not change since the store last
/// wrote it, and the file is still exactly what a full encode of the document writes.
@Suite struct IncrementalSaveTests {
    static let zone = TimeZone(identifier: "America/Chicago") ?? .current
    static let now = ClockSetting.parse("2026-11-30T18:05", zone: zone) ?? Date()
    static let today = LocalDate(year: 2026, month: 11, day: 30) ?? LocalDate(dayNumber: 0)

    /// The file's bytes are a full encode of `doc`, and read back as `doc`.
    static func expectFileIsFullEncode(of doc: CaseloadDocument, at path: String, _ label: String) throws -> Bool {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // With the trail seal the file records (every save writes one): the rest must be the canonical bytes.
        let full = DocumentCodec.encode(doc, audit: try DocumentCodec.decode(bytes, path: path).audit)
        guard bytes == full else {
            let first = Array(zip(bytes, full)).firstIndex { $0 != $1 } ?? min(bytes.count, full.count)
            Issue.record("\(label): the file (\(bytes.count) bytes) differs from a full encode (\(full.count) bytes) at byte \(first): \(String(decoding: bytes.dropFirst(max(0, first - 80)).prefix(160), as: UTF8.self))")
            return false
        }
        let back = try DocumentCodec.decode(bytes, path: path).document
        guard back == doc else {
            Issue.record("\(label): the file reads back as a different document")
            return false
        }
        return true
    }

    static func entityCount(_ doc: CaseloadDocument) -> Int {
        1 + doc.staff.count + doc.patients.count + doc.series.count + doc.sessions.count
    }

    // MARK: The property test

    /// The kinds of edit the random walk makes; each is counted when the model accepts it.
    enum Kind: String, CaseIterable {
        case mark, markAll, groupNote, memberNote, signGroup, signMember, groupAddendum, memberAddendum
        case editSeries, splitSeries, moveSession, cancel, uncancel, admit, discharge, stepPhase, undo, redo
    }

    @Test func aThousandRandomEditsSavedEverySoOftenLeaveExactlyAFullReencodeAfterEverySave() throws {
        let folder = ScratchFolder()
        let path = folder.file("chart.json")
        let generated = DemoProgram.generate(seed: 7, size: .small, now: Self.now)
        let created = try DocumentStore.create(path, with: generated, now: Self.now)
        #expect(created.lastSaveReencoded == Self.entityCount(generated), "creating the file encodes every entity")
        created.close()
        // Walked on the document as opened, so long note texts are slices of the bytes read and edits replace them.
        let (store, opened) = try DocumentStore.open(path, now: Self.now)
        defer { store.close() }
        var doc = opened
        #expect(doc == generated)
        try store.save(doc, now: Self.now.addingTimeInterval(0.5))
        #expect(store.lastSaveKeptBytes == 0, "the file as created is canonical: every entity's bytes read are kept")

        var history = EditHistory()
        var rng = SeededGenerator(seed: 14)
        var applied: [Kind: Int] = [:]
        var total = 0, attempts = 0, saves = 0, partialSaves = 0
        var wellFormed = true
        while total < 1_000 && attempts < 20_000 && wellFormed {
            attempts += 1
            let kind = Kind.allCases[Int(rng.next() % UInt64(Kind.allCases.count))]
            if try Self.attempt(kind, on: &doc, history: &history, rng: &rng, serial: attempts) {
                applied[kind, default: 0] += 1
                total += 1
                // Saved every few edits, at an uneven rhythm, so one save sees one edit and another several.
                if rng.next() % 6 == 0 {
                    try store.save(doc, now: Self.now.addingTimeInterval(Double(attempts)))
                    saves += 1
                    if store.lastSaveReencoded < Self.entityCount(doc) { partialSaves += 1 }
                    wellFormed = try Self.expectFileIsFullEncode(of: doc, at: path, "save \(saves), after \(total) edits")
                }
            }
        }
        try store.save(doc, now: Self.now.addingTimeInterval(Double(attempts + 1)))
        _ = try Self.expectFileIsFullEncode(of: doc, at: path, "the last save")

        #expect(total >= 1_000, "only \(total) edits were accepted in \(attempts) attempts")
        for kind in Kind.allCases {
            #expect(applied[kind, default: 0] > 0, "no \(kind.rawValue) edit was made")
        }
        #expect(saves >= 100, "only \(saves) saves")
        // The walk must exercise the copying path, not a full encode each time.
        #expect(partialSaves == saves, "\(saves - partialSaves) of \(saves) saves encoded every entity")
    }

    /// Makes one random edit of `kind`; false when the model refused it (a random choice that does not apply).
    static func attempt(_ kind: Kind, on doc: inout CaseloadDocument, history: inout EditHistory, rng: inout SeededGenerator, serial: Int) throws -> Bool {
        func pick<T>(_ values: [T]) -> T? { values.isEmpty ? nil : values[Int(rng.next() % UInt64(values.count))] }
        let days = Int(rng.next() % 35) - 28
        let schedule = Schedule.sessions(in: DateRange(today.adding(days: days - 3), today.adding(days: days + 3)), of: doc)
        let staff = pick(doc.staff)?.id ?? StaffID("stf_none")
        let at = Timestamp(now.addingTimeInterval(Double(serial)))
        let edit: DocumentEdit?
        switch kind {
        case .undo: return (try? history.undo(on: &doc)) != nil
        case .redo: return (try? history.redo(on: &doc)) != nil
        case .mark, .markAll, .groupNote, .memberNote, .signGroup, .signMember, .groupAddendum, .memberAddendum:
            guard let item = pick(schedule) else { return false }
            let members = item.session.members(series: item.session.series.flatMap { doc.series($0) })
            let patient = pick(members.isEmpty ? item.session.memberNotes.map(\.patient) : members)
            switch kind {
            case .mark:
                guard let patient else { return false }
                let status = pick([AttendanceStatus.present, .absent, .late(minutesLate: 10), .leftEarly(minutesAttended: 30), .excused(reason: "sick \(serial)"), nil])
                edit = try? SessionEdits.mark(patient, status ?? nil, on: item, in: doc)
            case .markAll:
                edit = try? SessionEdits.markAllUnmarkedPresent(on: item, in: doc)
            case .groupNote:
                edit = try? SessionEdits.writeGroupNote(GroupNote(topic: "Topic \(serial)", narrative: "Line one \(serial)\n\t\"quoted\" \\ é", author: staff, updated: at), on: item, in: doc)
            case .memberNote:
                guard let patient else { return false }
                let note = MemberNote(patient: patient, format: .dap, sections: [NoteSection(heading: "Data", text: "Said \(serial)"), NoteSection(heading: "Assessment", text: ""), NoteSection(heading: "Plan", text: "Return")], author: staff, updated: at)
                edit = try? SessionEdits.writeMemberNote(note, on: item, in: doc)
            case .signGroup:
                edit = try? SessionEdits.signGroupNote(on: item, by: staff, at: at, in: doc)
            case .signMember:
                guard let patient = pick(item.session.memberNotes.map(\.patient)) else { return false }
                edit = try? SessionEdits.signMemberNote(for: patient, on: item, by: staff, at: at, in: doc)
            case .groupAddendum:
                edit = try? SessionEdits.addGroupAddendum(on: item, Addendum(by: staff, at: at, text: "Late entry \(serial)"), in: doc)
            default:
                guard let patient = pick(item.session.memberNotes.map(\.patient)) else { return false }
                edit = try? SessionEdits.addMemberAddendum(for: patient, on: item, Addendum(by: staff, at: at, text: "Correction \(serial)"), in: doc)
            }
        case .editSeries:
            guard let series = pick(doc.series) else { return false }
            edit = try? SeriesEdits.editSeries(series.id, applying: SessionChange(title: "Group \(serial)"), in: doc)
        case .splitSeries:
            guard let series = pick(doc.series) else { return false }
            edit = try? SeriesEdits.splitSeries(series.id, from: today.adding(days: days + 7), applying: SessionChange(durationMinutes: 60 + Int(rng.next() % 4) * 15),
                                                newID: SeriesID("ser_split_\(serial)"), in: doc)
        case .moveSession:
            guard let item = pick(schedule.filter(\.isStored)) else { return false }
            let start = LocalTime(hour: 9 + Int(rng.next() % 9), minute: 30) ?? .midnight
            edit = try? SeriesEdits.moveSession(item.session.id, to: item.session.date.adding(days: Int(rng.next() % 3) - 1), start: start, in: doc)
        case .cancel:
            guard let item = pick(schedule) else { return false }
            if let series = item.session.series, !item.isStored {
                edit = try? SeriesEdits.cancelOccurrence(of: series, on: item.session.date, reason: "Holiday \(serial)", in: doc)
            } else {
                edit = try? SeriesEdits.cancelSession(item.session.id, reason: "Room flooded \(serial)", in: doc)
            }
        case .uncancel:
            guard let session = pick(doc.sessions.filter { if case .cancelled = $0.status { true } else { false } }) else { return false }
            edit = try? SeriesEdits.uncancel(session.id, in: doc)
        case .admit:
            guard var patient = pick(doc.patients) else { return false }
            patient.id = PatientID("pat_admitted_\(serial)")
            patient.mrn = "ADM\(serial)"
            patient.legalName = "Admitted Person \(serial)"
            patient.status = .active
            edit = .putPatient(patient)
        case .discharge:
            guard let patient = pick(doc.patients) else { return false }
            edit = try? PatientEdits.discharge(patient.id, on: today, reason: pick(DischargeReason.allCases) ?? .completed, in: doc)
        case .stepPhase:
            guard let patient = pick(doc.patients) else { return false }
            edit = try? PatientEdits.stepPhase(patient.id, by: rng.next() % 2 == 0 ? 1 : -1, on: today, in: doc)
        }
        guard let edit else { return false }
        do { try history.perform(edit, label: kind.rawValue, on: &doc) } catch { return false }
        return true
    }

    // MARK: Canonical form and counting

    @Test func aHandEditedFileIsWrittenWholeInCanonicalFormOnItsFirstSave() throws {
        let folder = ScratchFolder()
        let doc = DemoProgram.generate(seed: 7, size: .small, now: Self.now)
        let canonical = DocumentCodec.encode(doc, audit: AuditSeal.testSeal)
        // Extra spaces after every colon, and a session's indentation changed: the same document, not canonical bytes.
        var text = String(decoding: canonical, as: UTF8.self).replacingOccurrences(of: "\" : ", with: "\" :   ")
        text = text.replacingOccurrences(of: "\n    {", with: "\n {")
        let path = folder.write("chart.json", Data(text.utf8))
        let (store, loaded) = try DocumentStore.open(path, now: Self.now)
        defer { store.close() }
        #expect(loaded == doc)

        // Saved unchanged: the first save after opening writes every entity anew, so the spaces go.
        try store.save(loaded, now: Self.now.addingTimeInterval(60))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == canonical)
        #expect(store.lastSaveReencoded == Self.entityCount(doc))
    }

    @Test func aSaveAfterOneEditEncodesOnlyThatEntityAndASaveWithNoEditEncodesNothing() throws {
        let folder = ScratchFolder()
        let doc = DemoProgram.generate(seed: 7, size: .small, now: Self.now)
        let path = folder.write("chart.json", try DocumentCodec.encode(doc))
        let (store, loaded) = try DocumentStore.open(path, now: Self.now)
        defer { store.close() }
        try store.save(loaded, now: Self.now.addingTimeInterval(1))
        #expect(store.lastSaveReencoded == Self.entityCount(doc), "the first save after opening encodes everything")

        try store.save(loaded, now: Self.now.addingTimeInterval(2))
        #expect(store.lastSaveReencoded == 0)

        // One session's title changed, in the middle of the list.
        var edited = loaded
        let k = edited.sessions.count / 2
        edited.sessions[k].title += " (edited)"
        try store.save(edited, now: Self.now.addingTimeInterval(3))
        #expect(store.lastSaveReencoded == 1)
        _ = try Self.expectFileIsFullEncode(of: edited, at: path, "one session edited")

        // A patient admitted at the front of the list shifts every other one: still only the new one is encoded.
        var patient = edited.patients[0]
        patient.id = PatientID("pat_front")
        patient.mrn = "FRONT1"
        edited.patients.insert(patient, at: 0)
        edited.program.name += " West"
        try store.save(edited, now: Self.now.addingTimeInterval(4))
        #expect(store.lastSaveReencoded == 2, "the new patient and the program")
        _ = try Self.expectFileIsFullEncode(of: edited, at: path, "a patient inserted and the program renamed")

        // A removed session and the list's order reversed: nothing to encode, the bytes are moved.
        edited.sessions.remove(at: k)
        edited.staff.reverse()
        try store.save(edited, now: Self.now.addingTimeInterval(5))
        #expect(store.lastSaveReencoded == 0)
        _ = try Self.expectFileIsFullEncode(of: edited, at: path, "a session removed and the staff reordered")
    }

    /// The digest of a save is hashed on another thread while the bytes are written: it must still be the digest of
    /// those bytes, or a later touch (same bytes, new time) would read as another program's change and stop saving.
    @Test func aTouchAfterASaveIsNotAnExternalChange() throws {
        let folder = ScratchFolder()
        var doc = DemoProgram.generate(seed: 7, size: .small, now: Self.now)
        let path = folder.file("chart.json")
        let store = try DocumentStore.create(path, with: doc, now: Self.now)
        defer { store.close() }
        doc.program.name += " North"
        try store.save(doc, now: Self.now.addingTimeInterval(1))
        var times = [timespec(tv_sec: 1_700_000_000, tv_nsec: 0), timespec(tv_sec: 1_700_000_000, tv_nsec: 0)]
        utimensat(AT_FDCWD, path, &times, 0)
        #expect(try store.pickUpChanges() == nil)
        doc.program.name += " East"
        try store.save(doc, now: Self.now.addingTimeInterval(2))
        #expect(!store.isStoppedByExternalChange)
        _ = try Self.expectFileIsFullEncode(of: doc, at: path, "saved after a touch")
    }

    @Test func bytesSavedAlreadyEncodedMakeTheNextSaveEncodeEverything() throws {
        let folder = ScratchFolder()
        let doc = DemoProgram.generate(seed: 7, size: .small, now: Self.now)
        let store = try DocumentStore.create(folder.file("chart.json"), with: doc, now: Self.now)
        defer { store.close() }
        try store.save(encoded: try DocumentCodec.encode(doc), now: Self.now.addingTimeInterval(1))
        try store.save(doc, now: Self.now.addingTimeInterval(2))
        #expect(store.lastSaveReencoded == Self.entityCount(doc))
    }
}
