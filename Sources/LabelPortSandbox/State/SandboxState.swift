import LabelPortCore

/// Everything the sandbox holds, as a plain value: runs and their accounts, gold labels
/// in creation order per run, and evaluations. The API's rules live here (accounts see
/// only their runs, text and object values are exclusive, names never change), so they
/// are tested without a server. Ids are kept lower-case; lookups lower-case the path.
package struct SandboxState: Sendable {
    /// Run id → account id.
    package private(set) var runs: [String: String] = [:]
    package private(set) var runOrder: [String] = []
    package private(set) var labels: [String: GoldLabel] = [:]
    package private(set) var labelIDsByRun: [String: [String]] = [:]
    package private(set) var evaluations: [String: Evaluation] = [:]
    package private(set) var evaluationOrder: [String] = []
    /// Grows on every change; the persistence layer writes when it moved.
    package private(set) var version: UInt64 = 0

    package init() {}

    // MARK: Building (seed and data files)

    package mutating func addRun(_ id: String, account: String) {
        let id = UUIDText.normalized(id)
        if runs[id] == nil { runOrder.append(id) }
        runs[id] = account
        version &+= 1
    }

    package mutating func insert(_ label: GoldLabel) {
        var label = label
        label.id = UUIDText.normalized(label.id)
        label.runID = UUIDText.normalized(label.runID)
        if labels[label.id] == nil { labelIDsByRun[label.runID, default: []].append(label.id) }
        labels[label.id] = label
        version &+= 1
    }

    package mutating func insert(_ evaluation: Evaluation) {
        var evaluation = evaluation
        evaluation.id = UUIDText.normalized(evaluation.id)
        evaluation.runID = UUIDText.normalized(evaluation.runID)
        if evaluations[evaluation.id] == nil { evaluationOrder.append(evaluation.id) }
        evaluations[evaluation.id] = evaluation
        version &+= 1
    }

    // MARK: The API's operations

    /// The run for `account`, created on first use when `create` is set. Another
    /// account's run is not found, never created over.
    mutating func resolveRun(_ runID: String, account: String, create: Bool) throws(SandboxHTTPError) -> String {
        let id = UUIDText.normalized(runID)
        guard UUIDText.isValid(id) else { throw .notFound("run \(runID) not found: the run id must be a UUID") }
        if let owner = runs[id] {
            guard owner == account else { throw .notFound("run \(id) not found") }
            return id
        }
        guard create else { throw .notFound("run \(id) not found") }
        addRun(id, account: account)
        return id
    }

    package mutating func listLabels(runID: String, account: String, createRuns: Bool) throws(SandboxHTTPError) -> [GoldLabel] {
        let run = try resolveRun(runID, account: account, create: createRuns)
        return (labelIDsByRun[run] ?? []).compactMap { labels[$0] }
    }

    /// The ids of a run's labels in creation order, for an answer written from a copy of
    /// the state (``labels``) label by label.
    mutating func listLabelIDs(runID: String, account: String, createRuns: Bool) throws(SandboxHTTPError) -> [String] {
        let run = try resolveRun(runID, account: account, create: createRuns)
        return labelIDsByRun[run] ?? []
    }

    package mutating func createLabel(
        runID: String, account: String, createRuns: Bool, body: JSONValue, id: String, now: String
    ) throws(SandboxHTTPError) -> GoldLabel {
        let run = try resolveRun(runID, account: account, create: createRuns)
        try Self.rejectNulls(body)
        let request: CreateGoldLabelRequest
        do { request = try CreateGoldLabelRequest(json: body) } catch { throw .badRequest(error.message) }
        if request.textValue != nil && request.objectValue != nil {
            throw .badRequest("a gold label holds text_value or object_value, not both")
        }
        let label = GoldLabel(
            id: id, accountID: account, runID: run, outputResourceName: request.outputResourceName,
            textValue: request.textValue, objectValue: request.objectValue, objectValueIsPartial: request.objectValueIsPartial,
            createdBy: account, createdAt: now
        )
        insert(label)
        return label
    }

    package mutating func label(runID: String, labelID: String, account: String, createRuns: Bool) throws(SandboxHTTPError) -> GoldLabel {
        let run = try resolveRun(runID, account: account, create: createRuns)
        let id = UUIDText.normalized(labelID)
        guard let label = labels[id], label.runID == run else {
            throw .notFound("gold label \(labelID) not found in run \(run)")
        }
        return label
    }

    /// Changes only the value fields present in `body`. Setting `object_value` clears
    /// `text_value` and the other way round; `output_resource_name` cannot change.
    package mutating func updateLabel(
        runID: String, labelID: String, account: String, createRuns: Bool, body: JSONValue, now: String
    ) throws(SandboxHTTPError) -> GoldLabel {
        var label = try label(runID: runID, labelID: labelID, account: account, createRuns: createRuns)
        try Self.rejectNulls(body)
        let request: UpdateGoldLabelRequest
        do { request = try UpdateGoldLabelRequest(json: body) } catch { throw .badRequest(error.message) }
        if case .object(let object) = body, let name = object["output_resource_name"], !name.isNull,
            name != .string(label.outputResourceName)
        {
            throw .badRequest("output_resource_name cannot change; create a new gold label instead")
        }
        if request.textValue != nil && request.objectValue != nil {
            throw .badRequest("a gold label holds text_value or object_value, not both")
        }
        let values = LabelValues(label).updated(
            textValue: request.textValue, objectValue: request.objectValue, objectValueIsPartial: request.objectValueIsPartial)
        label.textValue = values.textValue
        label.objectValue = values.objectValue
        label.objectValueIsPartial = values.objectValueIsPartial
        label.updatedAt = now
        label.updatedBy = account
        labels[label.id] = label
        version &+= 1
        return label
    }

    /// The request schemas do not allow null: an absent field is left out, and a value
    /// is cleared only by setting the other one.
    static func rejectNulls(_ body: JSONValue) throws(SandboxHTTPError) {
        guard case .object(let object) = body else { return }
        for key in ["output_resource_name", "text_value", "object_value", "object_value_is_partial"] where object[key]?.isNull == true {
            throw .badRequest("\(key) must not be null; leave the field out instead")
        }
    }

    package mutating func evaluation(runID: String, evaluationID: String, account: String, createRuns: Bool) throws(SandboxHTTPError) -> Evaluation {
        let run = try resolveRun(runID, account: account, create: createRuns)
        guard let evaluation = evaluations[UUIDText.normalized(evaluationID)], evaluation.runID == run else {
            throw .notFound("evaluation \(evaluationID) not found in run \(run)")
        }
        return evaluation
    }
}
