import CaseloadCore
import CaseloadStore
import Foundation

/// The audit trail entries the command-line tools write (issue 17): a command that discloses or changes the document
/// appends what it did, as the operator, once it succeeded. A document with no trail keys yet gets nothing (its first
/// save by a writer starts the trail); a trail that cannot be written is a warning, since what was done is done.
enum CLIAudit {
    /// Who is running the command: the unlocked slot's person for an encrypted document, else this process's account.
    static func person(_ document: CaseloadDocument, keys: DocumentKeys?) -> Operator {
        Operator.resolve(document: document, slotLogin: keys?.login)
    }

    /// Appends `events` to the trail of the document at `path`, which was read (not opened for writing) with `seal`.
    static func record(_ events: [AuditEvent], path: String, seal: AuditSeal?, document: CaseloadDocument, keys: DocumentKeys?) {
        guard let seal else { return }
        let who = person(document, keys: keys)
        let log = AuditLog(documentPath: DocumentStore.resolvedPath(path), seal: seal, encrypted: keys != nil, who: who.login, identity: who.identity)
        write(events, to: log)
    }

    /// Appends `events` to the trail of the document `store` holds open (after its change was saved).
    static func record(_ events: [AuditEvent], store: DocumentStore, document: CaseloadDocument) {
        write(events, to: open(store, document: document))
    }

    /// The trail of the document `store` holds, opened before a change of its keys: removing a slot moves the open
    /// trail on to a new key, which the entry recording the removal must be chained under.
    static func open(_ store: DocumentStore, document: CaseloadDocument) -> AuditLog? {
        store.openAuditLog(as: person(document, keys: store.keys))
    }

    /// Writes `events` through `log` (nothing when there is no trail yet).
    static func write(_ events: [AuditEvent], to log: AuditLog?) {
        guard let log else { return }
        log.record(events, at: Clock.record())
        do {
            try log.flush()
        } catch {
            Passphrases.tell("warning: the audit trail did not record this (\(error.description)); run `caseload audit PATH verify`")
        }
        for notice in log.takeNotices() { Passphrases.tell("note: \(notice)") }
    }

    /// The `period:FROM..TO` id of a report or letter.
    static func period(_ first: LocalDate?, _ last: LocalDate?) -> String {
        "period:\(first.map(\.iso) ?? "")..\(last.map(\.iso) ?? "")"
    }
}
