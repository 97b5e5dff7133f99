/// Keeps a dead or failing server from being retried forever: retries stop once
/// `consecutiveFailureLimit` attempts in a row failed with no answer in between, or once
/// retries reach `retryRatio` × first attempts + `retryReserve`.
///
/// A failure is an attempt that got no whole answer: none at all (a refused connection, a
/// timeout) or one cut off. Any HTTP answer is an answer, a 429 or a 5xx too: the server
/// is alive. (Counted as failures, the 429s of the first burst at `--concurrency 128`
/// against a burst of 20, a hundred in a row, stopped every retry and failed 18 rows.)
/// Their retries count toward the second limit, and each request's toward `--retries`.
package struct RetryBudget: Sendable, Equatable {
    package var consecutiveFailureLimit: Int
    package var retryRatio: Double
    package var retryReserve: Int
    package private(set) var consecutiveFailures = 0
    package private(set) var firstAttempts = 0
    package private(set) var retries = 0

    package init(consecutiveFailureLimit: Int = 50, retryRatio: Double = 1.0, retryReserve: Int = 20) {
        self.consecutiveFailureLimit = consecutiveFailureLimit
        self.retryRatio = retryRatio
        self.retryReserve = retryReserve
    }

    /// Why no retry may be spent now.
    package enum Refusal: Sendable, Equatable {
        /// `consecutiveFailureLimit` attempts in a row got no whole answer.
        case noAnswers(Int)
        /// Retries reached `retryRatio` × first attempts + `retryReserve`.
        case tooManyFailed
    }

    /// Why no retry may be spent now; nil when one may.
    package var refusal: Refusal? {
        if consecutiveFailures >= consecutiveFailureLimit { return .noAnswers(consecutiveFailures) }
        if Double(retries) >= retryRatio * Double(firstAttempts) + Double(retryReserve) { return .tooManyFailed }
        return nil
    }

    /// Whether one more retry may be spent now.
    package var allowsRetry: Bool { refusal == nil }

    package mutating func recordFirstAttempt() { firstAttempts += 1 }
    package mutating func recordRetry() { retries += 1 }
    package mutating func recordFailure() { consecutiveFailures += 1 }
    package mutating func recordAnswer() { consecutiveFailures = 0 }
}
