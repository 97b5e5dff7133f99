/// What is retried, and after how long: a plain value, testable without time.
///
/// Retry n (0 for the first retry) waits random(0, min(maxDelay, baseDelay·2ⁿ)) ("full
/// jitter"), and at least as long as the error's `Retry-After`.
package struct RetryPolicy: Sendable, Equatable {
    package var maxRetries: Int
    package var baseDelay: Duration
    package var maxDelay: Duration
    package var maxRetryAfter: Duration

    package init(
        maxRetries: Int = 5,
        baseDelay: Duration = .milliseconds(100),
        maxDelay: Duration = .seconds(10),
        maxRetryAfter: Duration = .seconds(300)
    ) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    package enum Decision: Sendable, Equatable {
        case retry(after: Duration)
        case giveUp(Reason)
    }

    package enum Reason: Sendable, Equatable {
        /// 400/401/403/404, an invalid answer, cancellation, an unexpected status.
        case notRetryable
        /// A create that may have been applied: the caller re-reads before resending.
        case outcomeUnknown
        /// `maxRetries` retries were spent on this request.
        case retriesExhausted
        /// The shared ``RetryBudget`` is spent.
        case budgetExhausted
        /// The server asked for a wait longer than `maxRetryAfter`.
        case retryAfterTooLong
    }

    /// Whether a request of this kind may be resent after this error at all.
    package func isRetryable(_ error: APIError, kind: RequestKind) -> Bool {
        guard error.isRetryable else { return false }
        switch kind {
        case .read, .update: return true
        case .create: return !error.outcomeUnknown
        }
    }

    /// min(maxDelay, baseDelay·2ⁿ) for retry n (0-based).
    package func backoffCeiling(retry n: Int) -> Duration {
        var ceiling = min(baseDelay, maxDelay)
        var step = 0
        while step < n && ceiling < maxDelay {
            ceiling = ceiling * 2 >= maxDelay ? maxDelay : ceiling * 2
            step += 1
        }
        return ceiling
    }

    /// The backoff of retry n with full jitter; `random` is in [0, 1).
    package func backoff(retry n: Int, random: Double) -> Duration {
        let fraction = min(max(random, 0), 1)
        return .seconds(backoffCeiling(retry: n).inSeconds * fraction)
    }

    /// What to do after `error`, when `retriesSoFar` retries of this request were already made.
    package func decide(
        after error: APIError,
        kind: RequestKind,
        retriesSoFar: Int,
        budget: RetryBudget,
        random: Double,
        nowEpochSeconds: Double
    ) -> Decision {
        guard isRetryable(error, kind: kind) else {
            return .giveUp(error.isRetryable ? .outcomeUnknown : .notRetryable)
        }
        guard retriesSoFar < maxRetries else { return .giveUp(.retriesExhausted) }
        guard budget.allowsRetry else { return .giveUp(.budgetExhausted) }
        var delay = backoff(retry: retriesSoFar, random: random)
        if let retryAfter = error.retryAfter {
            let asked = retryAfter.delay(nowEpochSeconds: nowEpochSeconds)
            guard asked <= maxRetryAfter else { return .giveUp(.retryAfterTooLong) }
            delay = max(delay, asked)
        }
        return .retry(after: delay)
    }
}
