import Testing
@testable import LabelPortCore

/// A long wait for the server is announced once, in words (it was silent for minutes).
@Suite("Request executor: long waits are announced", .timeLimit(.minutes(2)))
struct RequestExecutorNoticeTests {
    let clock = ManualClock()

    @Test("a used-up quota, a 429's Retry-After and a 503's each announce their wait once; short waits and backoff say nothing")
    func announced() async throws {
        let notices = Recorder<String>()
        let executor = RequestExecutor(
            options: ExecutionOptions(concurrency: 4), clock: clock, random: { 0 }, wallClock: { 1_000_000 },
            announce: { notices.append($0) })
        executor.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .seconds(2)))
        executor.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .seconds(120)))
        #expect(notices.all.isEmpty, "said when a request waits for it, not when an answer says it")
        let waiting = Task { try await executor.perform(.read) { () async throws(APIError) -> Int in 1 } }
        #expect(await eventually { clock.sleeperCount == 1 })
        executor.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .seconds(121)))
        clock.advance(by: .seconds(120))
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .seconds(1))
        #expect(try await waiting.value == 1)
        #expect(notices.all == [
            "waiting 120 s (2 min): the server's rate-limit headers say its quota is used up (0 remaining): no request is sent until it resets",
        ], "one notice for the wait, lengthened or not")

        let attempts = Recorder<Int>()
        let refusals: [APIError] = [
            .sample(.throttled, retryAfter: .seconds(30)),
            .sample(.throttled, retryAfter: .seconds(31)),
            .sample(.serverError, retryAfter: .seconds(60)),
            .sample(.serverError),
        ]
        let task = Task {
            try await executor.perform(.read) { () async throws(APIError) -> Int in
                attempts.append(1)
                if attempts.count <= refusals.count { throw refusals[attempts.count - 1] }
                return 1
            }
        }
        while attempts.count <= refusals.count {
            #expect(await eventually { clock.sleeperCount == 1 || attempts.count > refusals.count })
            _ = clock.advanceToNextDeadline()
        }
        #expect(try await task.value == 1)
        #expect(notices.all.count == 4, "\(notices.all)")
        #expect(notices.all.dropFirst().first == "waiting 30 s: the server refused a request (429) and asked for that long (Retry-After): no request is sent until then")
        #expect(notices.all.dropFirst(2).first?.hasPrefix("waiting 31 s: the server refused a request (429)") == true)
        #expect(notices.all.last == "waiting 60 s (1 min): the server answered 503 and asked for that long before the request is tried again (Retry-After)")
    }

    /// A pace of a few requests a minute (a server's headers, or --rate) is said once a
    /// wait, not passed in silence (round 12 M4).
    @Test("a slow pace announces its wait of 5 s or more; a fast one says nothing")
    func slowPace() async throws {
        let notices = Recorder<String>()
        let executor = RequestExecutor(
            options: ExecutionOptions(concurrency: 2, rate: 0.1, burst: 1), clock: clock, random: { 0 }, wallClock: { 1_000_000 },
            announce: { notices.append($0) })
        let sent = Recorder<Duration>()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { _ = try? await executor.perform(.read) { sent.append(self.clock.now.offset) } } }
            #expect(await eventually { sent.count == 1 && clock.sleeperCount == 1 })
            clock.advanceToNextDeadline()
        }
        #expect(sent.all == [.zero, .seconds(10)])
        #expect(notices.all == ["waiting 10 s: the next request waits its turn at the rate allowed (the server's, or --rate)"])
    }
}
