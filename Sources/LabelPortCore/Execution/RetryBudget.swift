/// Keeps a dead or failing server from being retried forever: retries stop once
/// `consecutiveFailureLimit` attempts in a row failed with no answer in between, or once
/// retries reach `retryRatio` × first attempts + `retryReserve`.
///
/// An "answer" is a success or a final HTTP answer such as 404: the server is alive.
/// A failure is a retryable error (429, 5xx, timeout, transport).
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
        /// `consecutiveFailureLimit` attempts in a row failed: the server answers nothing.
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
