/// How a ``RequestExecutor`` paces, bounds and retries requests.
///
/// Defaults: 8 in flight, no rate limit, 5 retries per request, backoff from 100 ms doubling
/// up to 10 s with full jitter, a `Retry-After` longer than 5 minutes is not waited for, and a
/// retry budget (see ``RetryBudget``) that stops retrying after 50 consecutive failed attempts
/// or once retries exceed `retries / 2` (at least 1) per request sent, plus 20.
package struct ExecutionOptions: Sendable, Equatable {
    /// Requests in flight at once, across all callers of one executor (at least 1).
    package var concurrency: Int
    /// Requests per second, every attempt counted (reads, writes, retries); nil: unlimited.
    package var rate: Double?
    /// Requests that may go at once after a quiet spell; nil: 10% of `rate`, at least 1.
    /// No one-second window holds more than `rate + burst` requests.
    package var burst: Int?
    /// Retries per request after the first attempt.
    package var retries: Int
    /// Backoff ceiling of the first retry; retry n waits random(0, min(maxDelay, baseDelay·2ⁿ)).
    package var baseDelay: Duration
    /// Cap of the backoff ceiling.
    package var maxDelay: Duration
    /// A `Retry-After` asking for a longer wait than this ends the request with its error.
    package var maxRetryAfter: Duration
    /// After this many failed attempts in a row across all requests (no answer in between),
    /// retries stop until some request gets an answer.
    package var consecutiveFailureLimit: Int
    /// Retries may total at most `retryRatio` × first attempts + `retryReserve`: by default
    /// half of `retries` (at least 1), so that more `--retries` allow more in all (a server
    /// failing 70% of requests needs 2.3 retries a request; the default allows 2.5).
    package var retryRatio: Double
    package var retryReserve: Int

    package init(
        concurrency: Int = 8,
        rate: Double? = nil,
        burst: Int? = nil,
        retries: Int = 5,
        baseDelay: Duration = .milliseconds(100),
        maxDelay: Duration = .seconds(10),
        maxRetryAfter: Duration = .seconds(300),
        consecutiveFailureLimit: Int = 50,
        retryRatio: Double? = nil,
        retryReserve: Int = 20
    ) {
        self.concurrency = concurrency
        self.rate = rate
        self.burst = burst
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.consecutiveFailureLimit = consecutiveFailureLimit
        self.retryRatio = retryRatio ?? max(1, Double(retries) / 2)
        self.retryReserve = retryReserve
    }

    /// The burst actually used: `burst`, else 10% of `rate` rounded down, at least 1.
    package var effectiveBurst: Int {
        if let burst { return max(1, burst) }
        guard let rate else { return 1 }
        return max(1, Int((rate * 0.1).rounded(.down)))
    }

    package var retryPolicy: RetryPolicy {
        RetryPolicy(maxRetries: retries, baseDelay: baseDelay, maxDelay: maxDelay, maxRetryAfter: maxRetryAfter)
    }

    package var retryBudget: RetryBudget {
        RetryBudget(consecutiveFailureLimit: consecutiveFailureLimit, retryRatio: retryRatio, retryReserve: retryReserve)
    }
}
