/// How one input row ended: the plan, the final status, the label it wrote, and the
/// input record, so the report and the rejects file can be written from it.
package struct RowOutcome: Sendable {
    package var planned: PlannedRow
    package var status: RowStatus
    package var labelID: String?
    package var error: String?
    package var record: InputRecord?

    /// The report line: `{"line","run_id","output_resource_name","action","status","id","error"}`.
    package var reportJSON: JSONValue {
        var object = JSONObject()
        object["line"] = .number(JSONNumber(planned.line))
        object["run_id"] = planned.runID.map(JSONValue.string) ?? .null
        object["output_resource_name"] = planned.outputResourceName.map(JSONValue.string) ?? .null
        object["action"] = .string(planned.action.rawValue)
        object["status"] = .string(status.rawValue)
        object["id"] = labelID.map(JSONValue.string) ?? .null
        object["error"] = error.map(JSONValue.string) ?? .null
        return .object(object)
    }
}

/// Receives every row's outcome exactly once, in input order.
package protocol ImportSink: Sendable {
    /// A row has finished, possibly before earlier rows: called at once from the task that
    /// finished it, before ``rowFinished(_:)`` gives it in input order. (No default: a
    /// sink that passes rows on must pass this on too.)
    func rowFinishing(_ outcome: RowOutcome)
    func rowFinished(_ outcome: RowOutcome) async
    /// False when the sink does nothing with rows (no report, rejects or plan): the
    /// import then skips the call for every row.
    var wantsRows: Bool { get }
}

extension ImportSink {
    package var wantsRows: Bool { true }
}
