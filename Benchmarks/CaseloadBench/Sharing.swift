import CaseloadCore
import CaseloadStore
import CaseloadUI
import Foundation

// MARK: Issue 18: several instances on one document (figures, not targets)

/// On the measured demo, two stores on one file: one saves a phone change, then the other (a) picks it up and takes it
/// in (the time from its poll to the merged document in memory) and (b) saves a roll mark made on the old base (read,
/// merge, write). References in the same loop: opening the file (read and decode) and a plain save after one edit.
@MainActor func sharingFigures() throws {
    let path = (folder as NSString).appendingPathComponent("\(size.rawValue)-shared.json")
    try DocumentStore.create(path, with: measured.document, replacing: true, now: now).close()
    var opens: [Double] = [], pickUps: [Double] = [], takeIns: [Double] = [], plainSaves: [Double] = [], mergeSaves: [Double] = []
    for run in 0..<runs {
        let at = now.addingTimeInterval(Double(200 + run) * 3_600)
        var opened: (store: DocumentStore, document: CaseloadDocument)?
        opens.append(try seconds { opened = try DocumentStore.open(path, now: at) })
        guard let (mine, base) = opened else { continue }
        let (theirs, theirBase) = try DocumentStore.open(path, now: at)
        // A first save of each, as the app's first autosave: the bytes read are then the store's own.
        try mine.save(base, now: at)
        try theirs.save(theirBase, now: at)
        _ = try mine.pickUpChanges(now: at)
        // Theirs: a phone changed and saved.
        var changed = theirBase
        let index = run % max(1, changed.patients.count)
        changed.patients[index].phone = "555-01\(String(format: "%02d", run % 100))"
        try theirs.save(changed, now: at.addingTimeInterval(1))
        // Mine: picks it up and merges it into a document with an unsaved roll mark of its own.
        var state = appState(base)
        guard openEveningGroup(&state) else { throw BenchError("no evening group to mark") }
        press(&state, .char(" "))
        let edited = state.documentForSaving
        var change: DiskChange?
        pickUps.append(try seconds { change = try mine.pickUpChanges(now: at.addingTimeInterval(2)) })
        guard let disk = change?.document else { throw BenchError("the other store's save was not picked up") }
        var taken: TakeIn.Result?
        takeIns.append(seconds { taken = TakeIn.merge(document: edited, base: base, disk: disk) })
        guard taken?.document.patients[index].phone == changed.patients[index].phone else { throw BenchError("the pick-up lost their phone") }
        // A save that merges: theirs saves again meanwhile, mine saves its mark from the version it took in.
        changed.patients[index].email = "bench\(run)@example.test"
        try theirs.save(changed, now: at.addingTimeInterval(3))
        let mineNow = taken?.document ?? edited
        var outcome: SaveOutcome?
        mergeSaves.append(try seconds { outcome = try mine.save(mineNow, base: disk, now: at.addingTimeInterval(4)) })
        guard outcome?.merged == true, outcome?.written.patients[index].email == changed.patients[index].email else { throw BenchError("the merging save lost their email") }
        // The reference: a plain save of one more edit, nothing to merge.
        var more = outcome?.written ?? mineNow
        more.patients[index].phone = "555-0199"
        plainSaves.append(try seconds { try mine.save(more, base: outcome?.written, now: at.addingTimeInterval(5)) })
        mine.close()
        theirs.close()
    }
    print("")
    print("issue 18, two instances on the \(size.rawValue) demo (median of \(runs)): another's save picked up (look, read, decode) "
          + "\(msText(median(pickUps))) and merged into memory with an unsaved roll mark \(msText(median(takeIns))) — opening the file, "
          + "same run: \(msText(median(opens))); a save that merges another's change (read, merge, write, fsync) \(msText(median(mergeSaves))) "
          + "— a plain save after one edit, same run: \(msText(median(plainSaves)))")
}
