import LabelPortCore
import LabelPortSandbox
import Synchronization
import Testing

@Suite("Sandbox rate limit", .timeLimit(.minutes(2)))
struct SandboxRateLimitTests {
    typealias T = TestSandbox

    @Test("a token bucket per token: burst at once, then the rate; Retry-After in whole seconds")
    func bucketOnAManualClock() {
        let now = Mutex(Duration.zero)
        let limiter = RateLimiter(spec: RateLimitSpec(rate: 10, burst: 3), now: { now.withLock { $0 } })
        let first = (0..<4).map { _ in limiter.take(token: "a") }
        #expect(first.map(\.allowed) == [true, true, true, false])
        #expect(first[3].retryAfterSeconds == 1)
        #expect(first.map(\.remaining) == [12, 11, 10, 0], "a refusal leaves nothing to send")
        #expect(limiter.take(token: "b").allowed, "each token has its own bucket")
        now.withLock { $0 = .milliseconds(100) }
        #expect(limiter.take(token: "a").allowed)
        #expect(!limiter.take(token: "a").allowed)
        let slow = RateLimiter(spec: RateLimitSpec(rate: 0.25, burst: 1), now: { now.withLock { $0 } })
        _ = slow.take(token: "a")
        #expect(slow.take(token: "a").retryAfterSeconds == 4, "rounded up to the second a token is due")
    }

    @Test("the default burst is a tenth of the rate, at least 1")
    func defaultBurst() {
        #expect(RateLimitSpec(rate: 200).burst == 20)
        #expect(RateLimitSpec(rate: 5).burst == 1)
    }

    @Test("above the limit: 429 with Retry-After and the error body, counted in stats; headers on every answer")
    func refusedOverHTTP() async throws {
        // One token per 100 s: the third request is refused however slow the machine is.
        try await T.withRunning({ $0.rateLimit = RateLimitSpec(rate: 0.01, burst: 2, headers: true) }) { sandbox in
            let seen = Mutex<[RateLimitHeaders]>([])
            try await T.withClient(sandbox, configure: { $0.rateLimitObserver = { h in seen.withLock { $0.append(h) } } }) { client in
                _ = try await client.listGoldLabels(runID: T.runA)
                _ = try await client.listGoldLabels(runID: T.runA)
                let error = await expectAPIError { _ = try await client.listGoldLabels(runID: T.runA) }
                #expect(error?.kind == .throttled)
                if case .seconds(let wait)? = error?.retryAfter {
                    #expect(wait >= 1 && wait <= 100)
                    #expect(error?.rateLimit?.reset == .seconds(wait), "a refusal's quota resets at its Retry-After")
                } else {
                    Issue.record("no Retry-After")
                }
                #expect(error?.detail?.contains("rate limit exceeded") == true)
                #expect(error?.rateLimit?.limit == 2)
                #expect(error?.rateLimit?.remaining == 0, "a refusal says nothing may be sent")
            }
            let headers = seen.withLock { $0 }
            #expect(headers.count == 3, "every answer, the 429 too")
            #expect(headers.map(\.limit) == [2, 2, 2])
            #expect(headers.first?.remaining == 1)
            #expect(sandbox.stats.rateLimited == 1)
            #expect(sandbox.stats.count(SandboxEndpoint.listGoldLabels.rawValue, "429") == 1)
            let (status, body) = try await RawHTTP.send(sandbox, .GET, "/_sandbox/stats", token: nil, body: nil)
            #expect(status == 200 && body.contains("\"rate_limited\":1"))
        }
    }

    @Test("without --rate-limit-headers no RateLimit fields are sent")
    func noHeadersByDefault() async throws {
        try await T.withRunning({ $0.rateLimit = RateLimitSpec(rate: 100) }) { sandbox in
            let seen = Mutex(0)
            try await T.withClient(sandbox, configure: { $0.rateLimitObserver = { _ in seen.withLock { $0 += 1 } } }) { client in
                _ = try await client.listGoldLabels(runID: T.runA)
            }
            #expect(seen.withLock { $0 } == 0)
        }
    }
}
