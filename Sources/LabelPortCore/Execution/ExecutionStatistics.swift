/// Counts kept by a ``RequestExecutor``, for the run summary and the benchmarks.
public struct ExecutionStatistics: Sendable, Equatable {
    /// Per-kind counts.
    public struct Counts: Sendable, Equatable {
        /// Attempts sent, retries included.
        public var sent = 0
        /// `perform` calls that returned a value.
        public var succeeded = 0
        /// `perform` calls that threw (cancelled ones included).
        public var failed = 0
        public init() {}
    }

    /// Every attempt sent, retries included.
    public var requestsSent = 0
    /// Attempts sent after a first attempt.
    public var retries = 0
    /// 429 answers received: requests the server refused.
    public var throttled = 0
    /// The pace the server's limit imposes now (requests per second), when it is below
    /// `--rate`; nil while the server has not limited the run.
    public var pace: Double?
    /// The server's sustainable rate as the executor last learned it (from refusals or its
    /// rate-limit headers); nil when it never limited the run.
    public var allowedRate: Double?
    /// `perform` calls that returned a value.
    public var succeeded = 0
    /// `perform` calls that threw, cancelled ones included.
    public var failed = 0
    /// `perform` calls that ended with `.cancelled` before or between attempts.
    public var cancelled = 0
    /// Retries not made because the ``RetryBudget`` was spent.
    public var retriesRefusedByBudget = 0
    /// The most attempts in flight at once.
    public var peakInFlight = 0
    public var reads = Counts()
    public var updates = Counts()
    public var creates = Counts()

    public init() {}

    public subscript(kind: RequestKind) -> Counts {
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
