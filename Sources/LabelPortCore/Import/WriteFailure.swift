/// How a write that did not succeed ends: skipped (it never left), or failed.
enum WriteFailure: Error {
    /// Not sent (Ctrl-C, or writes stopped before it left): the row is skipped.
    case notSent(SkipReason)
    /// Refused, or sent without a known outcome: the row failed. `outcomeUnknown`: the
    /// server may have applied it (the journal says so); `stopsImport`: every later write
    /// would fail the same way (a rejected token).
    case failed(String, outcomeUnknown: Bool = false, stopsImport: Bool = false)

    /// A request's error, as the row it was for ends. A request cancelled by Ctrl-C before
    /// it was sent was not attempted.
    /// `update`: an update whose outcome is unknown says that it may have been applied
    /// (a create's is settled by re-reading the run instead).
    init(_ error: APIError, interrupted: Bool, update: Bool = false) {
        if error.kind == .cancelled && interrupted {
            self = .notSent(.interrupted)
        } else {
            let unknown = update && error.outcomeUnknown && error.kind != .cancelled
            self = .failed(
                error.description + (unknown ? Self.mayHaveBeenApplied : ""),
                outcomeUnknown: error.outcomeUnknown, stopsImport: error.kind == .unauthorized || error.kind == .forbidden)
        }
    }

    /// Said of an update sent without an answer: the server may hold its values.
    static let mayHaveBeenApplied = "; the server may have applied it: run again to check (repeating an update is safe)"

}
