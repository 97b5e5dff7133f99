/// What `labelport undo` does with each label a journal wrote to.
package struct RestorePlan: Sendable {
    package enum Decision: Sendable, Equatable {
        /// Its values are still what the journaled writes set: put the earlier values back.
        case restore
        /// Already at its earlier values: counts as restored, nothing to send.
        case alreadyRestored
        /// Changed since by someone else: left alone.
        case conflict(String)
        /// Created by the journaled run: the API has no delete.
        case created
        /// A create of unknown outcome whose label is not in the run: it never reached the
        /// server; counts as restored, nothing to send.
        case neverApplied
        /// The earlier values are ones the API cannot set (a field back to absent or null).
        case inexact(String)
    }

    package struct Item: Sendable {
        package var runID: String
        package var labelID: String?
        package var outputResourceName: String?
        /// The journal's first write to this label (its `seq`).
        package var seq: Int
        package var decision: Decision
        /// The values the journal says the label had before its first write (nil: created).
        package var before: LabelValues?
        /// The values the journal says its last write set.
        package var after: LabelValues
        /// The label's values now (nil: not found).
        package var current: LabelValues?
        /// For ``Decision/restore``: the update that puts `before` back.
        package var request: UpdateGoldLabelRequest?
        /// A create whose outcome the journal does not hold (`labelID`: the label of its
        /// name in the run now, when there is one).
        package var outcomeUnknown = false

        package var restored: Bool { decision == .restore || decision == .alreadyRestored || decision == .neverApplied }
    }

    package var items: [Item]

    /// The writes of the restore, numbered for the import engine, in journal order.
    package var rows: [PlannedRow] {
        var rows: [PlannedRow] = []
        for item in items where item.decision == .restore {
            guard let id = item.labelID, let request = item.request, let before = item.before else { continue }
            let current = item.current ?? item.after
            var row = PlannedRow(
                sequence: rows.count, line: item.seq, runID: item.runID, outputResourceName: item.outputResourceName,
                action: .update, write: .update(.existing(id: id), request), labelID: id,
                changes: LabelDiff.changes(from: current, to: before), problem: nil, key: PlanKey.id(run: item.runID, id))
            row.before = current
            row.after = before
            rows.append(row)
        }
        return rows
    }

    package func count(where predicate: (Item) -> Bool) -> Int { items.lazy.filter(predicate).count }
}
