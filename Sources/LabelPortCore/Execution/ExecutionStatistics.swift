/// Counts kept by a ``RequestExecutor``, for the run summary and the benchmarks.
package struct ExecutionStatistics: Sendable, Equatable {
    /// Per-kind counts.
    package struct Counts: Sendable, Equatable {
        /// Attempts sent, retries included.
        package var sent = 0
        /// `perform` calls that returned a value.
        package var succeeded = 0
        /// `perform` calls that threw (cancelled ones included).
        package var failed = 0
        package init() {}
    }

    /// Every attempt sent, retries included.
    package var requestsSent = 0
    /// Attempts sent after a first attempt.
    package var retries = 0
    /// 429 answers received: requests the server refused.
    package var throttled = 0
    /// The pace the server's limit imposes now (requests per second), when it is below
    /// `--rate`; nil while the server has not limited the run.
    package var pace: Double?
    /// The server's sustainable rate as the executor last learned it (from refusals or its
    /// rate-limit headers); nil when it never limited the run.
    package var allowedRate: Double?
    /// `perform` calls that returned a value.
    package var succeeded = 0
    /// `perform` calls that threw, cancelled ones included.
    package var failed = 0
    /// `perform` calls that ended with `.cancelled` before or between attempts.
    package var cancelled = 0
    /// Retries not made because the ``RetryBudget`` was spent.
    package var retriesRefusedByBudget = 0
    /// Times the server's quota ran out (`RateLimit-Remaining: 0`) and every request
    /// waited for its reset, and how long those waits were in all (seconds).
    package var quotaWaits = 0
    package var quotaWaitedSeconds = 0.0
    /// Creates that went unanswered (their outcome unknown), and the reads of their runs
    /// made to find whether the server had stored them (``CreateReconciler``).
    package var unansweredCreates = 0
    package var rereads = 0
    /// Unanswered creates sent again because a re-read showed the server had not stored them.
    package var resentCreates = 0
    /// Attempts the server closed before processing them (an HTTP/2 stream refused, or
    /// ended by its GOAWAY), each sent again: not in ``requestsSent`` nor ``retries``.
    package var refusedUnprocessed = 0
    /// The most attempts in flight at once.
    package var peakInFlight = 0
    package var reads = Counts()
    package var updates = Counts()
    package var creates = Counts()

    package init() {}

    package subscript(kind: RequestKind) -> Counts {
        get {
            switch kind {
            case .read: reads
            case .update: updates
            case .create: creates
            }
        }
        set {
            switch kind {
            case .read: reads = newValue
            case .update: updates = newValue
            case .create: creates = newValue
            }
        }
    }
}
