import CaseloadCore
import Foundation

// `:staff` (issue 19): a director chooses a staff member and sets who supervises them and whether their notes need
// co-signature. Staff are otherwise set up in the document (see docs/FORMAT.md, Staff); these two settings change as
// people are licensed, change supervisors or leave, so the app lets the director change them without editing the file.
// Only a director: who co-signs whose notes is the program's clinical accountability, not something people set for
// themselves.

/// Whether the person at the keyboard may change supervision and co-signature settings; nil when they may, else why not.
func staffSettingsRefusal(_ state: AppState) -> String? {
    guard let me = state.signer else { return "only a director changes staff settings, and \(state.cannotSignText.lowercased())" }
    guard me.role == .director else {
        let directors = state.document.staff.filter { $0.role == .director }.map(\.name)
        let ask = directors.isEmpty ? "a director" : directors.joined(separator: " or ")
        return "only a director changes who supervises whom and whose notes need co-signature; ask \(ask)"
    }
    return nil
}

/// `:staff`: a list of the staff, each with their supervisor and flag; the one chosen opens in `StaffForms.frame`.
func openStaffPicker(_ state: inout AppState) {
    if let why = staffSettingsRefusal(state) {
        state.message = StatusMessage("Cannot change staff: \(why)", isError: true)
        return
    }
    guard refuseIfReadOnly(&state) else { return }
    let doc = state.document
    let items = doc.staff.map { member in
        var detail = member.role.rawValue
        if let supervisor = member.supervisor { detail += " · supervised by \(doc.staffMember(supervisor)?.name ?? "a former staff member")" }
        if member.needsCoSignature { detail += " · co-signature" }
        return PickerItem(id: member.id.rawValue, label: member.signatureName, detail: detail,
                          searchText: [member.name, member.credentials, member.login].joined(separator: " "))
    }
    openModal(&state, .picker(Picker(title: "Staff: supervisor and co-signature", items: items, multiple: false), .staffMember))
}

/// The staff form: building it, and the edit it makes.
enum StaffForms {
    /// The supervisor choices for `member`: none, then every other staff member.
    static func supervisorChoices(for member: Staff, in doc: CaseloadDocument) -> [Staff] {
        doc.staff.filter { $0.id != member.id }
    }

    static func frame(_ member: Staff, doc: CaseloadDocument) -> FormFrame {
        let others = supervisorChoices(for: member, in: doc)
        let index = member.supervisor.flatMap { id in others.firstIndex { $0.id == id }.map { $0 + 1 } } ?? 0
        let form = Form(title: "Staff · \(member.signatureName)", fields: [
            .choice("supervisor", "Supervisor", options: ["none"] + others.map(\.signatureName), index: index,
                    hint: "co-signs this person's notes"),
            .toggle("cosign", "Notes need co-signature", member.needsCoSignature,
                    hint: "associate or intern credentials; applies to notes signed from now on"),
        ])
        return FormFrame(form: form, purpose: .staff(member.id), draft: .none)
    }

    /// The staff member as the form leaves them.
    static func member(from form: Form, _ member: Staff, doc: CaseloadDocument) -> Staff {
        var changed = member
        let others = supervisorChoices(for: member, in: doc)
        let index = form.choiceIndex("supervisor")
        changed.supervisor = index >= 1 && index <= others.count ? others[index - 1].id : nil
        changed.needsCoSignature = form.bool("cosign")
        return changed
    }
}

/// The answer to the staff list: the chosen member's form.
func answerStaffPicker(_ state: inout AppState, _ picker: Picker) -> [Effect] {
    guard let id = picker.selected.first, let member = state.document.staffMember(StaffID(id)) else { return [] }
    openForm(&state, StaffForms.frame(member, doc: state.document))
    return []
}

/// Saves the staff form as one undoable, audited edit.
func submitStaffForm(_ state: inout AppState, _ frame: FormFrame, _ id: StaffID) -> [Effect] {
    if let why = staffSettingsRefusal(state) {
        state.message = StatusMessage("Not saved: \(why)", isError: true)
        return []
    }
    guard let member = state.document.staffMember(id) else {
        state.message = StatusMessage("Not saved: that staff member is no longer listed", isError: true)
        return []
    }
    let changed = StaffForms.member(from: frame.form, member, doc: state.document)
    guard changed != member else {
        state.forms.removeLast()
        state.message = StatusMessage("Nothing changed for \(member.name)")
        return []
    }
    let effects = edit(&state, .putStaff(changed), label: "staff settings of \(member.name)")
    guard !effects.isEmpty else { return [] }
    state.forms.removeLast()
    let supervisor = changed.supervisor.flatMap { state.document.staffMember($0)?.name } ?? "no supervisor"
    let flag = changed.needsCoSignature ? "notes they sign from now on need co-signature" : "their notes need no co-signature"
    state.message = StatusMessage("\(member.name): \(supervisor); \(flag). u undoes")
    return effects
}
