/// The request rate a sandbox allows each token (`--rate-limit`, `--rate-limit-burst`,
/// `--rate-limit-headers`).
package struct RateLimitSpec: Sendable, Equatable {
    /// Requests per second per token, on average.
    package var rate: Double
    /// Requests a token may send at once after a quiet spell (the bucket's size).
    package var burst: Int
    /// Send `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` on every answer.
    package var headers: Bool

    /// `burst` nil: a tenth of the rate, at least 1.
    package init(rate: Double, burst: Int? = nil, headers: Bool = false) {
        self.rate = rate
        self.burst = max(1, burst ?? Int((rate / 10).rounded(.down)))
        self.headers = headers
    }
}
