/// Re-reads runs after creates whose outcome is unknown, sharing listings among every
/// create that needs one. A create that failed at instant T can use any listing that
/// *starts* after T, because the server had stored (or not) that create before the
/// client saw it fail. Per run at most one listing is in flight and one is queued behind
/// it; every failure that arrives before the queued one starts joins it, so a burst of
/// dropped connections costs one or two reads of the run, not one each.
actor RunRereader {
    private final class Listing: Sendable {
        let task: Task<Result<CompactRun, APIError>, Never>
        init(task: Task<Result<CompactRun, APIError>, Never>) { self.task = task }
    }

    private struct RunState {
        var latest: Listing?
        /// When the latest listing sent its request; nil while it waits for the one before.
        var latestStartedAt: Duration?
        var latestFinished = false
    }

    private let fetch: @Sendable (String) async -> Result<CompactRun, APIError>
    /// The executor's clock: instants are offsets from its origin.
    private let now: @Sendable () -> Duration
    private var runs: [String: RunState] = [:]

    init(now: @escaping @Sendable () -> Duration, fetch: @escaping @Sendable (String) async -> Result<CompactRun, APIError>) {
        self.now = now
        self.fetch = fetch
    }

    /// The run's labels as read by a listing that started after `failedAt`.
    func labels(of runID: String, after failedAt: Duration) async throws(APIError) -> CompactRun {
        let state = runs[runID] ?? RunState()
        if let latest = state.latest {
            let startsLater = state.latestStartedAt.map { $0 > failedAt } ?? true
            if startsLater { return try await latest.task.value.get() }
        }
        let previous = state.latestFinished ? nil : state.latest
        let listing = Listing(task: Task { [fetch] in
            if let previous { _ = await previous.task.value }
            self.started(runID)
            return await fetch(runID)
        })
        runs[runID] = RunState(latest: listing, latestStartedAt: nil, latestFinished: false)
        let result = await listing.task.value
        if runs[runID]?.latest === listing { runs[runID]?.latestFinished = true }
        return try result.get()
    }

    private func started(_ runID: String) {
        runs[runID]?.latestStartedAt = now()
    }
}
