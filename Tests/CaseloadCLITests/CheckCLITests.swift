import CaseloadCore
import CaseloadStore
import Foundation
import Testing

/// `caseload check` on a file that reads but holds an attendance mark on a patient who is not a member of the session.
@Suite(.serialized) struct CheckCLITests {
    let scratch = Scratch()

    @Test func aMarkOnARemovedMemberIsReportedWithANonZeroExit() throws {
        let path = scratch.file("demo.json")
        let demo = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"])
        #expect(demo.status == 0, "\(demo.stderr)")
        // Take a marked patient off a stored series occurrence, keeping the mark, as an older Caseload or a hand edit could.
        var doc = try DocumentCodec.decode(try AtomicFile.read(path), path: path).document
        let i = try #require(doc.sessions.firstIndex { $0.series != nil && !$0.attendance.isEmpty })
        let patient = doc.sessions[i].attendance[0].patient
        doc.sessions[i].removed.append(patient)
        doc.sessions[i].added.removeAll { $0 == patient }
        let session = doc.sessions[i]
        try AtomicFile.write(try DocumentCodec.encode(doc), to: path)

        let result = try CaseloadBinary.run(["check", path])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty, "no \"ok\" line: \(result.stdout)")
        #expect(result.stderr.contains("session \(session.id) (\"\(session.title)\", \(session.date.iso)): patient \(patient) has an attendance mark but is not a member"),
                "\(result.stderr)")
        #expect(result.stderr.contains("1 attendance mark on patients who are not members"))
        let person = try #require(doc.patient(patient))
        #expect(!result.stderr.contains(person.legalName) && !result.stderr.contains(person.mrn), "no patient data beyond the ID")
        // The file still opens: the report reads it (and does not count that mark).
        let report = try CaseloadBinary.run(["report", "attendance", "--file", path, "--patient", person.mrn, "--from", "-8w", "--to", "today"])
        #expect(report.status == 0, "\(report.stderr)")
    }

    @Test func aFileOfANewerSchemaVersionIsNotOkAndExitsFour() throws {
        let path = scratch.file("newer.json")
        let demo = try CaseloadBinary.run(["demo", "--out", path, "--seed", "1"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let text = String(decoding: try AtomicFile.read(path), as: UTF8.self)
        let newer = DocumentCodec.currentVersion + 1
        let bumped = text.replacingOccurrences(of: "\"schemaVersion\" : \(DocumentCodec.currentVersion)", with: "\"schemaVersion\" : \(newer)")
        #expect(bumped != text, "the version was found and raised")
        try AtomicFile.write(Data(bumped.utf8), to: path)
        let before = try AtomicFile.read(path)

        let result = try CaseloadBinary.run(["check", path])
        #expect(result.status == 4)
        #expect(result.stdout.isEmpty, "no \"ok\" line: \(result.stdout)")
        #expect(result.stderr.contains("\(path): schema version \(newer) is newer than this Caseload's \(DocumentCodec.currentVersion)"), "\(result.stderr)")
        #expect(try AtomicFile.read(path) == before, "check never writes")
    }
}
