/// An item export skipped: a run, label or evaluation the server does not have (404).
/// Reported on stderr and in the exit status; the rest of the export still happens.
package struct ExportFailure: Sendable, Equatable, CustomStringConvertible {
    /// The run, or `run_id/id` for a single label or evaluation.
    package var item: String
    package var error: APIError

    package init(item: String, error: APIError) {
        self.item = item
        self.error = error
    }

    package var description: String { error.description }
}

/// What an export did, for the summary line and the exit status.
package struct ExportOutcome: Sendable, Equatable {
    /// Records written.
    package var records: Int = 0
    /// Distinct runs they came from.
    package var runs: Int = 0
    /// Items skipped because the server does not have them.
    package var failures: [ExportFailure] = []
    /// Records with an empty-string `text_value`, which a CSV or xlsx cell cannot hold.
    package var emptyTextValues = 0
    /// xlsx: cells too long for a spreadsheet, written whole (a warning).
    package var longCells: XlsxWriter.LongCells?

    package init(records: Int = 0, runs: Int = 0, failures: [ExportFailure] = []) {
        self.records = records
        self.runs = runs
        self.failures = failures
    }
}
