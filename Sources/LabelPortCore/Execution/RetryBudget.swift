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

    /// Whether one more retry may be spent now.
    package var allowsRetry: Bool {
        consecutiveFailures < consecutiveFailureLimit
            && Double(retries) < retryRatio * Double(firstAttempts) + Double(retryReserve)
    }

    package mutating func recordFirstAttempt() { firstAttempts += 1 }
    package mutating func recordRetry() { retries += 1 }
    package mutating func recordFailure() { consecutiveFailures += 1 }
    package mutating func recordAnswer() { consecutiveFailures = 0 }
}
