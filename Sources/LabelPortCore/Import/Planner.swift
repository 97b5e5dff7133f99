/// Decides, row by row in file order, what import does: create, update (and which
/// fields change), leave unchanged, or report a conflict. Pure, and a value: it owns
/// snapshots of the runs' labels read beforehand (compact: a label's values are decoded
/// only when a row touches it) and remembers its own decisions in them, so several rows
/// for one label plan against each other in order, and a dry run plans exactly what a
/// real run does. A copy of a planner plans on without affecting the original.
package struct Planner: Sendable {
    package let mode: ImportMode
    /// When set, only creates of these labels (``labelHash``) are remembered for later
    /// rows; the rest are named by one row only, so nothing will look them up. Keeps a
    /// plan of a million new labels from holding a million values.
    package var repeatedLabels: Set<Int>?
    /// Labels several rows name, merged into one row each: the first of them plans the
    /// merged change, the others follow its outcome without a write of their own.
    package var repeatedRows = RepeatedRows()
    /// What the first row of each merged label was planned to do.
    private var mergedPlans: [PlanKey: PlannedRow] = [:]
    /// What a row whose name several labels share is told to do (import: give the id).
    package var conflictAdvice = ImportConfiguration.importConflictAdvice
    private var runs: [String: RunSnapshot] = [:]
    private var sequence = 0

    package init(mode: ImportMode) {
        self.mode = mode
    }

    /// Registers a run's labels as read from the server.
    package mutating func addRun(_ runID: String, labels: CompactRun) {
        addRun(runID, index: CompactRunIndex(labels))
    }

    /// Registers a run's labels as read from the server, indexed.
    package mutating func addRun(_ runID: String, index: CompactRunIndex) {
        runs[runID] = RunSnapshot(runID: runID, labels: index)
    }

    /// Registers a run's labels as read from the server.
    package mutating func addRun(_ runID: String, labels: [GoldLabel]) {
        addRun(runID, labels: CompactRun(labels))
    }

    /// Registers a run the server does not have (404): its rows fail, told to `advice`.
    package mutating func addMissingRun(_ runID: String, advice: String = "check the run id or --remap-run") {
        runs[runID] = RunSnapshot(unavailableRun: runID, reason: "run \(runID) not found (404): \(advice)")
    }

    /// Registers a run that could not be read (401, a dead server, an interrupt): its rows
    /// are not attempted, with `reason`.
    package mutating func addUnreadRun(_ runID: String, reason: String) {
        runs[runID] = RunSnapshot(unavailableRun: runID, reason: reason)
    }

    /// A row that did not pass validation (with the run and name it gives, when known).
    package mutating func planInvalid(line: Int, message: String, runID: String? = nil, outputResourceName: String? = nil) -> PlannedRow {
        defer { sequence += 1 }
        return PlannedRow(
            sequence: sequence, line: line, runID: runID, outputResourceName: outputResourceName, action: .invalid, write: nil,
            labelID: nil, changes: [], problem: message, key: .invalid(sequence: sequence))
    }

    /// A row whose label `labelID` already holds its values (see
    /// ``LabelInputItem/unchanged(_:labelID:_:)``): planned as ``plan(_:)`` plans it when
    /// it finds that label, without the run's copy of it.
    package mutating func planUnchanged(_ row: LabelRow, labelID: String) -> PlannedRow {
        defer { sequence += 1 }
        return PlannedRow(
            sequence: sequence, line: row.line, runID: row.runID, outputResourceName: row.outputResourceName,
            action: .unchanged, write: nil, labelID: labelID, changes: [], problem: nil, key: .id(run: row.runID, labelID))
    }

    package mutating func plan(_ row: LabelRow) -> PlannedRow {
        defer { sequence += 1 }
        var planned = PlannedRow(
            sequence: sequence, line: row.line, runID: row.runID, outputResourceName: row.outputResourceName,
            action: .create, write: nil, labelID: nil, changes: [], problem: nil,
            key: .name(run: row.runID, row.outputResourceName))
        // Taken out while planning, so that changing it never copies its tables.
        guard var run = runs.removeValue(forKey: row.runID) else {
            planned.problem = "run \(row.runID) was not read before planning"
            return planned
        }
        defer { runs[row.runID] = run }
        if let reason = run.unavailable {
            planned.action = mode == .update ? .update : .create
            planned.problem = reason
            return planned
        }
        if !repeatedRows.isEmpty, case let mergeKey = labelKey(for: row, in: run), let merged = repeatedRows.merged[mergeKey] {
            if let first = mergedPlans[mergeKey] {
                return follower(of: first, planned)
            }
            var row = merged
            row.line = planned.line
            plan(row, in: &run, into: &planned)
            mergedPlans[mergeKey] = planned
            return planned
        }
        plan(row, in: &run, into: &planned)
        return planned
    }

    /// The label a row names, as rows are merged: the run's label with the row's id, else
    /// the run's one label of its name; else its name (a label to create, or several that
    /// share the name: a conflict, merged with nothing that picks one of them by id).
    package func labelKey(for row: LabelRow) -> PlanKey {
        guard let run = runs[row.runID] else { return .name(run: row.runID, row.outputResourceName) }
        return labelKey(for: row, in: run)
    }

    /// The name of the run's label that `row` names by id under another name (the label
    /// keeps its own); nil when the row's name is its label's, or its id names none.
    package func labelName(renamedBy row: LabelRow) -> String? {
        guard mode != .create, let id = row.id, let run = runs[row.runID], run.unavailable == nil else { return nil }
        return run.otherName(ofID: id, than: row.outputResourceName)
    }

    private func labelKey(for row: LabelRow, in run: RunSnapshot) -> PlanKey {
        let byName = PlanKey.name(run: row.runID, row.outputResourceName)
        guard mode != .create, run.unavailable == nil else { return byName }
        if let given = row.id, let id = run.id(matching: given) { return .id(run: row.runID, id) }
        let ids = run.ids(named: row.outputResourceName)
        return ids.count == 1 ? .id(run: row.runID, ids[0]) : byName
    }

    /// A later row of a merged label: its values are in the first row's change. It shares
    /// that row's conflict or failure; otherwise it needs nothing of its own.
    private func follower(of first: PlannedRow, _ planned: PlannedRow) -> PlannedRow {
        var planned = planned
        planned.labelID = first.labelID
        planned.key = first.key
        if first.write != nil { planned.follows = first.line }
        if first.action == .conflict || first.problem != nil {
            planned.action = first.action
            planned.problem = first.problem
        } else {
            planned.action = .unchanged
        }
        return planned
    }

    private func plan(_ row: LabelRow, in run: inout RunSnapshot, into planned: inout PlannedRow) {
        if mode == .create {
            create(row, in: &run, into: &planned)
            return
        }

        // By id first: an id this run holds names exactly that label.
        if let id = row.id, let entry = run.entry(id: id) {
            if !entry.name.utf8.elementsEqual(row.outputResourceName.utf8) {
                planned.notice = "the label keeps its name \(TerminalText.quoted(entry.name)): output_resource_name cannot change"
            }
            update(row, .existing(id: entry.id), current: entry.values, in: &run, into: &planned)
            return
        }
        let ids = run.ids(named: row.outputResourceName)
        let pending = run.pendingValues(named: row.outputResourceName)
        switch (ids.count, pending) {
        case (0, nil):
            if mode == .update {
                planned.action = .update
                planned.problem = row.id.map { "no label with id \($0) or output_resource_name \(TerminalText.quoted(row.outputResourceName)) in run \(row.runID)" }
                    ?? "no label with output_resource_name \(TerminalText.quoted(row.outputResourceName)) in run \(row.runID)"
            } else {
                create(row, in: &run, into: &planned)
            }
        case (1, nil):
            let id = ids[0]
            update(row, .existing(id: id), current: run.entry(id: id)!.values, in: &run, into: &planned)
        case (0, let values?):
            update(row, .pending(name: row.outputResourceName), current: values, in: &run, into: &planned)
        default:
            planned.action = .conflict
            planned.problem = "\(ids.count + (pending == nil ? 0 : 1)) labels in run \(row.runID) share output_resource_name \(TerminalText.quoted(row.outputResourceName)): \(ids.joined(separator: ", ")); \(conflictAdvice)"
        }
    }

    private func create(_ row: LabelRow, in run: inout RunSnapshot, into planned: inout PlannedRow) {
        let values = LabelValues(row)
        planned.action = .create
        planned.after = values
        planned.sameNameIDs = run.ids(named: row.outputResourceName)
        planned.changes = LabelDiff.changes(from: LabelValues(), to: values)
        planned.write = .create(CreateGoldLabelRequest(
            outputResourceName: row.outputResourceName, textValue: row.textValue,
            objectValue: row.objectValue, objectValueIsPartial: row.objectValueIsPartial))
        planned.laterRowsNeedID = repeatedLabels?.contains(Self.labelHash(run: row.runID, name: row.outputResourceName)) ?? true
        if planned.laterRowsNeedID {
            run.setPending(values, name: row.outputResourceName)
        }
    }

    /// A hash of a label's run and output_resource_name (exact bytes).
    package static func labelHash(run: String, name: String) -> Int {
        var hasher = Hasher()
        hasher.combine(ExactString(run))
        hasher.combine(ExactString(name))
        return hasher.finalize()
    }

    /// Plans an update of an existing label or of one an earlier row creates: the changes
    /// against its current (or planned) values, nothing to send when there are none.
    private func update(_ row: LabelRow, _ target: LabelTarget, current: LabelValues, in run: inout RunSnapshot, into planned: inout PlannedRow) {
        if case .existing(let id) = target {
            planned.labelID = id
            planned.key = .id(run: row.runID, id)
        }
        let next = current.applying(row)
        planned.changes = LabelDiff.changes(from: current, to: next)
        if planned.changes.isEmpty {
            planned.action = .unchanged
            return
        }
        planned.action = .update
        planned.write = .update(target, Self.request(row, current: current))
        planned.before = current
        planned.after = next
        switch target {
        case .existing(let id):
            planned.beforeUpdatedAt = run.entry(id: id)?.updatedAt
            run.setValues(next, id: id)
        case .pending(let name): run.setPending(next, name: name)
        }
    }

    /// The label's values whole, as the row leaves them (see
    /// ``UpdateGoldLabelRequest/init(whole:)``); for a label with both a text and an
    /// object (which the API does not make), only the fields the row changes.
    static func request(_ row: LabelRow, current: LabelValues) -> UpdateGoldLabelRequest {
        if let whole = UpdateGoldLabelRequest(whole: current.applying(row)) { return whole }
        var request = UpdateGoldLabelRequest()
        if let text = row.textValue, current.textValue.map({ !$0.utf8.elementsEqual(text.utf8) }) ?? true {
            request.textValue = text
        }
        if let object = current.objectAfter(row), current.objectValue != object {
            request.objectValue = object
        }
        if let partial = row.objectValueIsPartial, current.objectValueIsPartial != partial {
            request.objectValueIsPartial = partial
        }
        return request
    }

}
