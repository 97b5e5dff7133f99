import Synchronization

/// What the workers of one import learn about each label's writes, by planner key: the id
/// a create gave (for later rows of the same label), the line of a create that failed (so
/// the rows that needed its id say which), and writes that failed or were not sent (so
/// the rows merged into them end the same way).
final class WriteLedger: Sendable {
    /// A write that did not succeed.
    struct Unfinished: Sendable {
        var line: Int
        var status: RowStatus
        var reason: String
    }

    private struct Entries {
        var createdIDs: [PlanKey: String] = [:]
        var failedCreates: [PlanKey: Int] = [:]
        var unfinished: [PlanKey: Unfinished] = [:]
    }

    private let entries = Mutex(Entries())

    /// The ledger's key for a row: its planner key.
    private static func slot(_ planned: PlannedRow) -> PlanKey { planned.key }

    /// A create for `planned` succeeded; its id is kept only when later rows need it.
    func created(_ id: String, for planned: PlannedRow) {
        guard planned.laterRowsNeedID else { return }
        entries.withLock { $0.createdIDs[Self.slot(planned)] = id }
    }

    /// The write of `planned` did not succeed (if it was a create, later rows cannot have its id).
    func unfinished(_ planned: PlannedRow, status: RowStatus, reason: String) {
        entries.withLock {
            if case .create = planned.write { $0.failedCreates[Self.slot(planned)] = planned.line }
            $0.unfinished[Self.slot(planned)] = Unfinished(line: planned.line, status: status, reason: reason)
        }
    }

    /// Why the write that `follower`'s values were merged into did not succeed, if it did not.
    func unfinishedWrite(before follower: PlannedRow) -> Unfinished? {
        entries.withLock { $0.unfinished[Self.slot(follower)] }
    }

    /// The id an earlier create of this import gave the label `planned` names, if any.
    func createdID(for planned: PlannedRow) -> String? {
        entries.withLock { $0.createdIDs[Self.slot(planned)] }
    }

    /// The id of the label `target` names: an existing label's, or the one an earlier
    /// create of this import gave.
    func resolve(_ target: LabelTarget, for planned: PlannedRow) throws(ImportAbort) -> String {
        switch target {
        case .existing(let id):
            return id
        case .pending:
            let (id, line) = entries.withLock { ($0.createdIDs[Self.slot(planned)], $0.failedCreates[Self.slot(planned)]) }
            if let id { return id }
            throw ImportAbort("the label was to be created by the row on line \(line.map(String.init) ?? "?"), which failed")
        }
    }
}
