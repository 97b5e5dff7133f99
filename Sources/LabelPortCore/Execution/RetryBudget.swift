/// Keeps a dead or failing server from being retried forever: retries stop once
/// `consecutiveFailureLimit` attempts in a row failed with no answer in between, or once
/// retries reach `retryRatio` × first attempts + `retryReserve`.
///
/// An "answer" is a success or a final HTTP answer such as 404: the server is alive.
/// A failure is a retryable error (429, 5xx, timeout, transport).
public struct RetryBudget: Sendable, Equatable {
    public var consecutiveFailureLimit: Int
    public var retryRatio: Double
    public var retryReserve: Int
    public private(set) var consecutiveFailures = 0
    public private(set) var firstAttempts = 0
    public private(set) var retries = 0

    public init(consecutiveFailureLimit: Int = 50, retryRatio: Double = 1.0, retryReserve: Int = 20) {
        self.consecutiveFailureLimit = consecutiveFailureLimit
        self.retryRatio = retryRatio
        self.retryReserve = retryReserve
    }

    /// Whether one more retry may be spent now.
    public var allowsRetry: Bool {
        consecutiveFailures < consecutiveFailureLimit
            && Double(retries) < retryRatio * Double(firstAttempts) + Double(retryReserve)
    }

    public mutating func recordFirstAttempt() { firstAttempts += 1 }
    public mutating func recordRetry() { retries += 1 }
    public mutating func recordFailure() { consecutiveFailures += 1 }
    public mutating func recordAnswer() { consecutiveFailures = 0 }
}
