import CaseloadCore
import Foundation

extension DocumentStore {
    /// Writes `document` to `path` atomically in canonical form, sealed under `keys` when given, mode 0600: no lock, no
    /// backup, no trail. For copies that are not the live document: the edits a database home keeps on this computer
    /// while the server cannot be reached (issue 20), and `caseload db export`.
    public static func writeCopy(_ document: CaseloadDocument, to path: String, keys: DocumentKeys?, audit: AuditSeal? = nil) throws(StoreError) {
        let digest = StreamDigest()
        try AtomicFile.write(to: path) { sink in
            writeFile(into: &sink, digest: digest, keys: keys) { emit in
                _ = IncrementalWriter.write(document, audit: audit, reusing: nil, emit: emit)
            }
        }
    }
}
