import CaseloadCore
import Foundation
import Testing

/// Applies `edit` through an `EditHistory`, checks that undo restores `doc` exactly and redo gives the same result, and returns the edited document.
func applied(_ edit: DocumentEdit, to doc: CaseloadDocument, sourceLocation: SourceLocation = #_sourceLocation) throws -> CaseloadDocument {
    var working = doc
    var history = EditHistory()
    try history.perform(edit, label: "edit", on: &working)
    let after = working
    #expect(after != doc, "the edit changed nothing", sourceLocation: sourceLocation)
    try history.undo(on: &working)
    #expect(working == doc, "undo did not restore the document", sourceLocation: sourceLocation)
    try history.redo(on: &working)
    #expect(working == after, "redo did not give the same document", sourceLocation: sourceLocation)
    #expect(Validator.check(after).isEmpty, sourceLocation: sourceLocation)
    return after
}
