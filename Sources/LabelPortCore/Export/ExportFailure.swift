/// An item export skipped: a run, label or evaluation the server does not have (404).
/// Reported on stderr and in the exit status; the rest of the export still happens.
public struct ExportFailure: Sendable, Equatable, CustomStringConvertible {
    /// The run, or `run_id/id` for a single label or evaluation.
    public var item: String
    public var error: APIError

    public init(item: String, error: APIError) {
        self.item = item
        self.error = error
    }

    public var description: String { error.description }
}

/// What an export did, for the summary line and the exit status.
public struct ExportOutcome: Sendable, Equatable {
    /// Records written.
    public var records: Int = 0
    /// Distinct runs they came from.
    public var runs: Int = 0
    /// Items skipped because the server does not have them.
    public var failures: [ExportFailure] = []

    public init(records: Int = 0, runs: Int = 0, failures: [ExportFailure] = []) {
        self.records = records
        self.runs = runs
        self.failures = failures
    }
}
