/// Which label a write goes to.
package enum LabelTarget: Sendable, Equatable {
    /// A label that existed when the import read its run.
    case existing(id: String)
    /// A label an earlier row of this import creates; its id is known once that create is done.
    case pending(name: String)
}

/// The request a row needs, if any.
package enum PlannedWrite: Sendable, Equatable {
    case create(CreateGoldLabelRequest)
    case update(LabelTarget, UpdateGoldLabelRequest)
}

/// The planner's decision for one input row.
package struct PlannedRow: Sendable {
    /// 0-based position in the input.
    package var sequence: Int
    package var line: Int
    package var runID: String?
    package var outputResourceName: String?
    package var action: ImportAction
    package var write: PlannedWrite?
    /// The label the row resolves to, when known before writing.
    package var labelID: String?
    /// Field-by-field changes against the label's current (or planned) values.
    package var changes: [FieldChange]
    /// Why the row cannot be applied (conflict, invalid, unknown run, no match in update mode).
    package var problem: String?
    /// What the plan must say although the row applies: a part of it the API cannot carry
    /// out (a new name for a label named by its id).
    package var notice: String? = nil
    /// Rows with the same key touch the same label and run one after another in file order.
    package var key: PlanKey
    /// A create whose label later rows update: its id must be remembered for them.
    package var laterRowsNeedID = true
    /// A later row of a merged label: the line of the row whose change carries its
    /// values. It ends as that change does (failed or not attempted, if it was).
    package var follows: Int?
    /// For a write: the label's values before it (nil for a create) and after it, as
    /// planned; the journal records them and a saved plan checks them.
    package var before: LabelValues?
    package var after: LabelValues?
    /// The label's `updated_at` when it was read (an update of an existing label).
    package var beforeUpdatedAt: String?
    /// For a create: the ids of the run's labels that already had this name (a saved
    /// plan checks that the set is the same when it is applied).
    package var sameNameIDs: [String] = []

    /// The row is doomed before any request: it fails or is skipped whatever the server does.
    package var plannedStatus: RowStatus? {
        switch action {
        case .conflict, .invalid: return .skipped
        default: return problem == nil ? nil : .failed
        }
    }
}
