import CaseloadCore
import CaseloadDemo
import Foundation
import Testing
@testable import CaseloadStore

/// Issue 14, "memory near the file size": the bytes a document was read from are kept once, long note texts stay slices
/// of them until read or changed, and saves copy unchanged entities from them instead of keeping a second file.
@Suite struct KeptBytesTests {
    static let now = IncrementalSaveTests.now

    /// A text with every escape the writer uses, long enough to be kept as a slice.
    static let escapedText = "Said \"enough\" twice, then: C:\\temp\\plan.\n\tNext: review the urge log with the group."

    /// The small demo with one member note holding `text` in its first section; the session's index is returned.
    static func document(withNoteText text: String) throws -> (CaseloadDocument, Int) {
        var doc = DemoProgram.generate(seed: 7, size: .small, now: now)
        let k = try #require(doc.sessions.firstIndex { s in
            s.attendance.contains { mark in s.memberNote(for: mark.patient).map { !$0.isSigned } ?? true }
        })
        let patient = try #require(doc.sessions[k].attendance.first { mark in
            doc.sessions[k].memberNote(for: mark.patient).map { !$0.isSigned } ?? true
        }?.patient)
        let note = MemberNote(patient: patient, format: .dap, sections: [
            NoteSection(heading: "Data", text: text),
            NoteSection(heading: "Assessment", text: "Engaged; no change in risk."),
            NoteSection(heading: "Plan", text: "Continue as planned; review at the next session with the group."),
        ])
        try doc.sessions[k].setMemberNote(note)
        return (doc, k)
    }

    static func section(_ doc: CaseloadDocument, _ k: Int, text: String) -> NoteSection? {
        doc.sessions[k].memberNotes.lazy.flatMap(\.sections).first { $0.text == text }
    }

    @Test func longNoteTextsAreSlicesOfTheBytesReadAndReadBackExactly() throws {
        let (doc, k) = try Self.document(withNoteText: Self.escapedText)
        let folder = ScratchFolder()
        let path = folder.write("chart.json", try DocumentCodec.encode(doc))
        let (store, loaded) = try DocumentStore.open(path, now: Self.now)
        defer { store.close() }
        #expect(loaded == doc)
        let section = try #require(Self.section(loaded, k, text: Self.escapedText))
        guard case .slice = section.storedText else {
            Issue.record("a long text with the writer's escapes should stay a slice of the bytes read")
            return
        }
        // Short texts are strings of their own.
        let short = try #require(Self.section(loaded, k, text: "Engaged; no change in risk."))
        guard case .string = short.storedText else {
            Issue.record("a text of \(short.text.utf8.count) bytes should be a string")
            return
        }
        // A slice and a string of the same text are the same section.
        #expect(section == NoteSection(heading: "Data", text: Self.escapedText))
        #expect(section != NoteSection(heading: "Data", text: Self.escapedText + "."))
    }

    @Test func aCanonicalFileIsSavedFromTheBytesReadWithoutKeepingASecondCopy() throws {
        let (doc, k) = try Self.document(withNoteText: Self.escapedText)
        let folder = ScratchFolder()
        let canonical = DocumentCodec.encode(doc, audit: AuditSeal.testSeal)
        let path = folder.write("chart.json", canonical)
        let (store, loaded) = try DocumentStore.open(path, now: Self.now)
        defer { store.close() }

        // The first save compares every entity with the bytes read; all match, so none is kept again.
        try store.save(loaded, now: Self.now.addingTimeInterval(1))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == canonical)
        #expect(store.lastSaveKeptBytes == 0)

        // The note's text edited: only its session is encoded and kept.
        var edited = loaded
        var note = try #require(edited.sessions[k].memberNotes.first { $0.sections.first?.text == Self.escapedText })
        note.sections[0].text = "Rewritten after the session: \"calmer\" and on time."
        try edited.sessions[k].setMemberNote(note)
        try store.save(edited, now: Self.now.addingTimeInterval(2))
        #expect(store.lastSaveReencoded == 1)
        #expect(store.lastSaveKeptBytes == DocumentCodec.encode(.session(edited.sessions[k])).count)
        _ = try IncrementalSaveTests.expectFileIsFullEncode(of: edited, at: path, "a note's text edited")

        // Another session edited: the first edit's bytes are kept from the save before, only the new one is added.
        let other = k == 0 ? 1 : 0
        edited.sessions[other].title += " (moved)"
        try store.save(edited, now: Self.now.addingTimeInterval(3))
        #expect(store.lastSaveReencoded == 1)
        #expect(store.lastSaveKeptBytes == DocumentCodec.encode(.session(edited.sessions[other])).count)
        _ = try IncrementalSaveTests.expectFileIsFullEncode(of: edited, at: path, "a second session edited")
    }

    @Test func aTextWithEscapesTheWriterDoesNotUseIsAStringAndRewrittenInCanonicalForm() throws {
        let text = "Plan: 1/2 dose, then taper — reviewed with the group and documented."
        let (doc, k) = try Self.document(withNoteText: text)
        let folder = ScratchFolder()
        let canonical = DocumentCodec.encode(doc, audit: AuditSeal.testSeal)
        // The same text spelled with escapes another tool might write: `\/` and `\u0061`.
        let spelled = String(decoding: canonical, as: UTF8.self)
            .replacingOccurrences(of: "1/2 dose, then taper", with: "1\\/2 dose, then t\\u0061per")
        #expect(spelled.utf8.count == canonical.count + 6)
        let path = folder.write("chart.json", Data(spelled.utf8))
        let (store, loaded) = try DocumentStore.open(path, now: Self.now)
        defer { store.close() }
        #expect(loaded == doc)
        let section = try #require(Self.section(loaded, k, text: text))
        guard case .string = section.storedText else {
            Issue.record("a text whose escapes the writer would not write must not be copied as it stands")
            return
        }
        try store.save(loaded, now: Self.now.addingTimeInterval(1))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == canonical)
        #expect(store.lastSaveKeptBytes == DocumentCodec.encode(.session(doc.sessions[k])).count, "only the respelled session is kept anew")
    }

    @Test func theWritersEscapesAreRecognisedAndDecoded() {
        func writerEscapes(_ raw: String) -> Bool {
            let bytes = Array(raw.utf8)
            return bytes.withUnsafeBufferPointer { TextSlice.hasWriterEscapes($0) }
        }
        for ok in ["plain text", #"a \"quote\""#, #"back\\slash"#, #"line\nbreak"#, #"\t\r\b\f"#, #"\u0001 and \u001f"#, "é / DEL \u{7f}"] {
            #expect(writerEscapes(ok), "\(ok)")
        }
        for other in [#"\/"#, #"\u0041"#, #"\u001F"#, #"\u000a"#, #"\u0009"#, #"\u00e9"#, #"\u0100"#, #"ends with \"#] {
            #expect(!writerEscapes(other), "\(other)")
        }
        let raw = Array(#"a\n\"b\"\\c\u0001\u001fd"#.utf8)
        let source = SourceBytes(copying: raw)
        let slice = TextSlice(source: source, start: 0, end: raw.count, escaped: true)
        #expect(slice?.string == "a\n\"b\"\\c\u{1}\u{1f}d")
    }

    @Test func aBackupIsCopiedPieceByPieceAndVerified() throws {
        let folder = ScratchFolder()
        // Larger than one piece (1 MiB), with a varying pattern so a misplaced piece would show.
        var bytes = [UInt8](repeating: 0, count: 3 * 1_048_576 + 12_345)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        let path = folder.write("chart.json", Data(bytes))
        let backups = Backups(documentPath: path)
        let backup = try backups.makeBackup(copying: path, now: Self.now)
        #expect(try Data(contentsOf: URL(fileURLWithPath: backup.path)) == Data(bytes))
        #expect(backup.size == Int64(bytes.count))
        var info = stat()
        #expect(stat(backup.path, &info) == 0 && info.st_mode & 0o777 == 0o600)

        // A source that is not there leaves no backup behind.
        #expect(throws: StoreError.self) { try backups.makeBackup(copying: folder.file("missing.json"), now: Self.now.addingTimeInterval(60)) }
        #expect(try backups.inventory().backups.map(\.path) == [backup.path])
    }
}
