import Testing
@testable import LabelPortCore

@Suite("Retry policy (no time)", .timeLimit(.minutes(10)))
struct RetryPolicyTests {
    let policy = RetryPolicy(maxRetries: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1), maxRetryAfter: .seconds(60))

    @Test("reads and updates retry every retryable error; final answers never", arguments: [RequestKind.read, .update])
    func idempotentKinds(kind: RequestKind) {
        for error in [APIError.Kind.throttled, .serverError, .connectFailed, .connectionDropped, .timeout] {
            #expect(policy.isRetryable(.sample(error), kind: kind), "\(error)")
        }
        for error in [APIError.Kind.badRequest, .unauthorized, .forbidden, .notFound, .invalidResponse, .cancelled, .unexpectedStatus] {
            #expect(!policy.isRetryable(.sample(error), kind: kind), "\(error)")
        }
    }

    @Test("a create is retried only when it surely was not applied")
    func creates() {
        #expect(policy.isRetryable(.sample(.throttled), kind: .create))
        #expect(policy.isRetryable(.sample(.connectFailed), kind: .create))
        for error in [APIError.Kind.serverError, .connectionDropped, .timeout] {
            #expect(!policy.isRetryable(.sample(error), kind: .create))
            let decision = policy.decide(after: .sample(error), kind: .create, retriesSoFar: 0,
                                         budget: RetryBudget(), random: 0.5, nowEpochSeconds: 0)
            #expect(decision == .giveUp(.outcomeUnknown))
        }
        let notFound = policy.decide(after: .sample(.notFound), kind: .create, retriesSoFar: 0,
                                     budget: RetryBudget(), random: 0.5, nowEpochSeconds: 0)
        #expect(notFound == .giveUp(.notRetryable))
    }

    @Test("backoff ceiling doubles from the base and stops at the cap")
    func ceiling() {
        let expected: [Duration] = [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)]
        #expect((0..<6).map { policy.backoffCeiling(retry: $0) } == expected)
        #expect(policy.backoffCeiling(retry: 10_000) == .seconds(1))
    }

    @Test("full jitter: the delay is the random fraction of the ceiling, within [0, ceiling)")
    func jitter() {
        #expect(policy.backoff(retry: 0, random: 0) == .zero)
        #expect(approximately(policy.backoff(retry: 2, random: 0.5), .milliseconds(200)))
        #expect(approximately(policy.backoff(retry: 7, random: 0.25), .milliseconds(250)))
        for n in 0..<12 {
            for r in stride(from: 0.0, to: 1.0, by: 0.07) {
                let delay = policy.backoff(retry: n, random: r)
                #expect(delay >= .zero && delay <= policy.backoffCeiling(retry: n))
            }
        }
    }

    @Test("Retry-After in seconds is a lower bound on the wait")
    func retryAfterSeconds() {
        let error = APIError.sample(.throttled, retryAfter: .seconds(3))
        let decision = policy.decide(after: error, kind: .read, retriesSoFar: 0, budget: RetryBudget(), random: 0.9, nowEpochSeconds: 0)
        #expect(decision == .retry(after: .seconds(3)))
        // A longer jittered backoff wins over a short Retry-After.
        let short = APIError.sample(.serverError, retryAfter: .seconds(0))
        let later = policy.decide(after: short, kind: .read, retriesSoFar: 3, budget: RetryBudget(), random: 0.5, nowEpochSeconds: 0)
        guard case .retry(let delay) = later else { Issue.record("expected a retry"); return }
        #expect(approximately(delay, .milliseconds(400)))
    }

    @Test("Retry-After as an HTTP-date is measured against the wall clock")
    func retryAfterDate() {
        let date = HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")!
        let error = APIError.sample(.throttled, retryAfter: .date(epochSeconds: date))
        let decision = policy.decide(after: error, kind: .read, retriesSoFar: 0, budget: RetryBudget(),
                                     random: 0, nowEpochSeconds: Double(date) - 7.5)
        #expect(decision == .retry(after: .milliseconds(7500)))
        let past = policy.decide(after: error, kind: .read, retriesSoFar: 0, budget: RetryBudget(),
                                 random: 0, nowEpochSeconds: Double(date) + 100)
        #expect(past == .retry(after: .zero))
    }

    @Test("too long a Retry-After, or too many retries, gives up")
    func limits() {
        let long = APIError.sample(.throttled, retryAfter: .seconds(61))
        #expect(policy.decide(after: long, kind: .read, retriesSoFar: 0, budget: RetryBudget(), random: 0, nowEpochSeconds: 0)
            == .giveUp(.retryAfterTooLong))
        #expect(policy.decide(after: .sample(.timeout), kind: .read, retriesSoFar: 5, budget: RetryBudget(), random: 0, nowEpochSeconds: 0)
            == .giveUp(.retriesExhausted))
        if case .retry = policy.decide(after: .sample(.timeout), kind: .read, retriesSoFar: 4, budget: RetryBudget(), random: 0, nowEpochSeconds: 0) {
        } else {
            Issue.record("the fifth retry should be allowed")
        }
    }

    @Test("budget: consecutive failures stop retries until an answer arrives")
    func consecutiveBudget() {
        var budget = RetryBudget(consecutiveFailureLimit: 3, retryRatio: 1, retryReserve: 100)
        budget.recordFirstAttempt()
        budget.recordFailure()
        budget.recordFailure()
        #expect(budget.allowsRetry)
        budget.recordFailure()
        #expect(!budget.allowsRetry)
        #expect(policy.decide(after: .sample(.serverError), kind: .read, retriesSoFar: 0, budget: budget, random: 0, nowEpochSeconds: 0)
            == .giveUp(.budgetExhausted))
        budget.recordAnswer()
        #expect(budget.allowsRetry)
    }

    @Test("budget: retries may not exceed ratio × requests + reserve")
    func ratioBudget() {
        var budget = RetryBudget(consecutiveFailureLimit: 1000, retryRatio: 0.5, retryReserve: 2)
        for _ in 0..<10 { budget.recordFirstAttempt() }
        for _ in 0..<7 {
            #expect(budget.allowsRetry)
            budget.recordRetry()
        }
        #expect(budget.retries == 7)
        #expect(!budget.allowsRetry)  // 7 < 0.5 × 10 + 2 is false
        budget.recordFirstAttempt()
        budget.recordFirstAttempt()
        #expect(budget.allowsRetry)
    }

    @Test("options: burst defaults to 10% of the rate, at least 1")
    func burstDefault() {
        #expect(ExecutionOptions(rate: 100).effectiveBurst == 10)
        #expect(ExecutionOptions(rate: 5).effectiveBurst == 1)
        #expect(ExecutionOptions(rate: 35).effectiveBurst == 3)
        #expect(ExecutionOptions(rate: 100, burst: 4).effectiveBurst == 4)
    }
}
