/// What the reader does with a planned row: finish it at once (nothing to send, a dry run,
/// a row doomed before any request, writes stopped) or queue it for a worker. A pure
/// function of the row and the state of the import.
enum RowDecision: Equatable {
    /// Finished without a request: its status, and its error if other than the plan's problem.
    case finish(RowStatus, SkipReason?)
    /// To a worker: a write, or a later row of a merged label that ends as the write it follows.
    case queue

    /// - Parameters:
    ///   - dryRun: `--dry-run`: every row ends `planned`.
    ///   - sending: whether writes go out on this pass.
    ///   - stopped: why writes stopped, if they did.
    ///   - notSending: why, when `sending` is false.
    static func decide(_ planned: PlannedRow, dryRun: Bool, sending: Bool, stopped: SkipReason?, notSending: String?) -> RowDecision {
        if let doomed = planned.plannedStatus { return .finish(dryRun ? .planned : doomed, nil) }
        if dryRun { return .finish(.planned, nil) }
        if planned.write == nil && planned.follows == nil { return .finish(.ok, nil) }
        // A follower waits for its write (same key: in file order) whatever happens to it.
        if planned.follows != nil && sending { return .queue }
        if let stopped { return .finish(.skipped, stopped) }
        if !sending { return .finish(.skipped, .notWritten(notSending)) }
        return .queue
    }

    /// Whether a row counts against `--max-errors` before anything is sent.
    static func countsAsFailure(_ planned: PlannedRow) -> Bool {
        planned.plannedStatus == .failed || planned.action == .invalid
    }
}
