import Synchronization

/// A token bucket per API token, as a real API enforces its rate limit: `rate` tokens a
/// second, at most `burst` saved up; a request without a token is refused with a
/// `Retry-After` in whole seconds (at least 1). Time comes from an injected clock.
package final class RateLimiter: Sendable {
    /// What the limiter decided for one request.
    package struct Decision: Sendable, Equatable {
        /// Whether the request may go on; else it is answered 429.
        package var allowed: Bool
        /// For a refusal: the whole seconds until a token is due (at least 1).
        package var retryAfterSeconds: Int
        /// Requests that may still be sent in the next second (the tokens left plus a
        /// second's refill); 0 for a refusal: `RateLimit-Remaining`.
        package var remaining: Int
    }

    private struct Bucket {
        var tokens: Double
        var updated: Duration
    }

    package let spec: RateLimitSpec
    private let now: @Sendable () -> Duration
    private let buckets = Mutex<[String: Bucket]>([:])

    /// - Parameter now: the time since some fixed origin; a manual clock in tests.
    package init(spec: RateLimitSpec, now: @escaping @Sendable () -> Duration = RateLimiter.continuousNow()) {
        self.spec = spec
        self.now = now
    }

    /// The time since the call, on the continuous clock.
    package static func continuousNow() -> @Sendable () -> Duration {
        let origin = ContinuousClock.now
        return { ContinuousClock.now - origin }
    }

    /// Takes a token for `token`'s bucket, or refuses.
    package func take(token: String) -> Decision {
        let now = self.now()
        let rate = spec.rate, burst = Double(spec.burst)
        return buckets.withLock { buckets in
            var bucket = buckets[token] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            bucket.tokens = min(burst, bucket.tokens + rate * Self.seconds(elapsed))
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[token] = bucket
            let wait = allowed ? 0 : (1 - bucket.tokens) / rate
            return Decision(
                allowed: allowed,
                retryAfterSeconds: max(1, Int(wait.rounded(.up))),
                remaining: allowed ? Int((bucket.tokens + rate).rounded(.down)) : 0)
        }
    }

    /// The header fields of an answer after `decision`: the most requests any one-second
    /// window may hold (rate + burst), those that may still be sent in the next second,
    /// and that second; for a refusal, none, until its `Retry-After`.
    func headers(_ decision: Decision) -> [(name: String, value: String)] {
        [
            ("RateLimit-Limit", String(Int(spec.rate.rounded(.down)) + spec.burst)),
            ("RateLimit-Remaining", String(decision.remaining)),
            ("RateLimit-Reset", decision.allowed ? "1" : String(decision.retryAfterSeconds)),
        ]
    }

    private static func seconds(_ duration: Duration) -> Double { duration.inSeconds }
}
