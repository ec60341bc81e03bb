import CaseloadCore
import Foundation

// The Session pane's note forms: group and member notes, and a member note as Markdown for $EDITOR (scheduling forms are in Panes/Week/SessionForms.swift).

/// The Session pane's note forms and the Markdown a member note is edited as in `$EDITOR`.
enum NoteForms {
    /// The group note: topic, modality and the narrative written once for everyone.
    static func groupNoteFrame(_ item: ScheduledSession, doc: CaseloadDocument) -> FormFrame {
        let note = item.session.groupNote
        let modalities = Modality.allCases
        let modality = note?.modality ?? item.session.modality
        let fields: [FormField] = [
            .text("topic", "Topic", note?.topic ?? "", required: true, hint: "e.g. Relapse prevention: high-risk situations"),
            .choice("modality", "Modality", options: ["none"] + modalities.map(\.label), index: modality.flatMap { m in modalities.firstIndex(of: m) }.map { $0 + 1 } ?? 0),
            .multiline("narrative", "Narrative", note?.narrative ?? "", rows: 12,
                       hint: "copied into every member's chart: do not name members here · Ctrl-X edits in $EDITOR"),
        ]
        return FormFrame(form: Form(title: "Group note · \(item.session.title) · \(dayText(item.session.date))", fields: fields),
                         purpose: .groupNote(item), draft: .none)
    }

    /// A member's note in the program's format: one multi-line field per heading.
    static func memberNoteFrame(_ item: ScheduledSession, patient: Patient, doc: CaseloadDocument) -> FormFrame {
        let note = item.session.memberNote(for: patient.id) ?? MemberNote(patient: patient.id, format: doc.program.defaultNoteFormat)
        let fields: [FormField] = note.sections.enumerated().map { i, section in
            .multiline("section\(i)", section.heading, section.text, rows: 4, hint: i == 0 ? "Ctrl-X edits the whole note in $EDITOR" : nil)
        }
        return FormFrame(form: Form(title: "\(note.format.label) note · \(patient.displayName) · \(item.session.title) \(dayText(item.session.date))", fields: fields),
                         purpose: .memberNote(item, patient.id), draft: .none)
    }

    static func groupNote(from form: Form, author: StaffID?, at: Timestamp) -> GroupNote {
        let index = form.choiceIndex("modality")
        return GroupNote(topic: form.text("topic").trimmingCharacters(in: .whitespaces),
                         modality: index > 0 ? Modality.allCases[safe: index - 1] : nil,
                         narrative: form.text("narrative"), author: author, updated: at)
    }

    static func memberNote(from form: Form, patient: PatientID, format: NoteFormat, author: StaffID?, at: Timestamp) -> MemberNote {
        let sections = form.fields.filter { $0.id.hasPrefix("section") }.map { NoteSection(heading: $0.label, text: form.text($0.id)) }
        return MemberNote(patient: patient, format: format, sections: sections, author: author, updated: at)
    }

    /// A member note as text for an editor: a "## Heading" line before each section.
    static func markdown(_ note: MemberNote) -> String {
        note.sections.map { "## \($0.heading)\n\($0.text)" }.joined(separator: "\n\n")
    }

    /// Reads back the editor's text: sections by their "## Heading" lines; text before the first heading goes to the first section,
    /// and headings the format does not have stay in the text of the section above them.
    static func memberNote(fromMarkdown text: String, patient: PatientID, format: NoteFormat, author: StaffID?, at: Timestamp) -> MemberNote {
        let headings = format.headings
        var texts = Array(repeating: [String](), count: headings.count)
        var current = 0
        for line in text.components(separatedBy: "\n") {
            if line.hasPrefix("## "), let i = headings.firstIndex(where: { $0.lowercased() == line.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased() }) {
                current = i
                continue
            }
            texts[current].append(line)
        }
        let sections = headings.indices.map { i in
            NoteSection(heading: headings[i], text: texts[i].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return MemberNote(patient: patient, format: format, sections: sections, author: author, updated: at)
    }
}
