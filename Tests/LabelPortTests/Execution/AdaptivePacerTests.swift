import Testing
@testable import LabelPortCore

/// A server's per-token bucket, as the sandbox enforces it, on simulated time.
struct ModelServer {
    var rate: Double
    var burst: Double
    var tokens: Double
    var updated = Duration.zero

    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(burst)
        tokens = Double(burst)
    }

    /// Whether a request arriving at `now` is served; the headers the sandbox would send.
    mutating func arrive(at now: Duration) -> (served: Bool, headers: RateLimitHeaders) {
        tokens = min(burst, tokens + rate * (now - updated).inSeconds)
        updated = max(updated, now)
        let served = tokens >= 1
        if served { tokens -= 1 }
        return (served, RateLimitHeaders(limit: Int(rate + burst), remaining: Int((tokens + rate).rounded(.down)), reset: .seconds(1)))
    }
}

/// One client that sends requests back to back through a pacer (each answer takes
/// `latency`), and pauses `retryAfter` after a refusal as the executor does.
struct PacedRun {
    var pacer: AdaptivePacer
    var server: ModelServer
    var latency = Duration.microseconds(500)
    var retryAfter = Duration.seconds(1)
    var useHeaders = false
    var now = Duration.zero
    var pausedUntil = Duration.zero
    /// Send times of served and refused requests.
    var served: [Duration] = []
    var refused: [Duration] = []

    init(ceiling: Double? = nil, burst: Int = 1, server: ModelServer) {
        pacer = AdaptivePacer(ceiling: ceiling, burst: burst)
        self.server = server
    }

    /// Runs until `end`; `change` may alter the server at each send.
    mutating func run(until end: Duration, change: (Duration, inout ModelServer) -> Void = { _, _ in }) {
        while now < end {
            let sendAt = max(pacer.reserve(now: now), pausedUntil)
            guard sendAt < end else { now = end; break }
            change(sendAt, &server)
            let (ok, headers) = server.arrive(at: sendAt)
            let answeredAt = sendAt + latency
            if useHeaders, let pause = pacer.observe(headers, now: answeredAt) { pausedUntil = max(pausedUntil, pause) }
            if ok {
                served.append(sendAt)
                pacer.accepted(sentAt: sendAt)
            } else {
                refused.append(sendAt)
                if answeredAt >= pausedUntil {
                    pacer.refused(at: answeredAt, resumeAt: answeredAt + retryAfter)
                    pausedUntil = answeredAt + retryAfter
                } else {
                    pacer.pause(until: pausedUntil)
                }
            }
            now = answeredAt
        }
    }

    func servedRate(from start: Duration, to end: Duration) -> Double {
        Double(served.filter { $0 >= start && $0 < end }.count) / (end - start).inSeconds
    }

    func refusals(from start: Duration, to end: Duration) -> Int {
        refused.filter { $0 >= start && $0 < end }.count
    }
}

@Suite("Adaptive pacer (simulated time)", .timeLimit(.minutes(1)))
struct AdaptivePacerTests {
    @Test("unlimited until refused; after one refusal a steady pace close to the limit")
    func steadyAfterRefusal() {
        var run = PacedRun(server: ModelServer(rate: 200, burst: 20))
        run.run(until: .seconds(20))
        #expect(run.refused.first ?? .seconds(99) < .milliseconds(200), "the first burst is refused early")
        // At most one more refusal (the first guess was a little high), then a steady pace.
        #expect(run.refusals(from: .milliseconds(200), to: .seconds(20)) <= 1, "\(run.refused)")
        let steady = run.servedRate(from: .seconds(4), to: .seconds(20))
        #expect(steady >= 0.97 * 200 && steady <= 201, "served \(steady)/s")
        let overall = run.servedRate(from: .zero, to: .seconds(20))
        #expect(overall >= 0.88 * 200, "served \(overall)/s")
        #expect(Double(run.refused.count) / Double(run.served.count + run.refused.count) <= 0.02)
        let pace = run.pacer.limitedPace(at: run.now) ?? 0
        #expect(pace > 190 && pace < 215, "pace \(pace)")
    }

    @Test("probes upward: a limit that rises is found again")
    func probesUp() {
        var run = PacedRun(server: ModelServer(rate: 100, burst: 10))
        run.run(until: .seconds(80)) { at, server in if at >= .seconds(10) { server.rate = 200 } }
        let late = run.servedRate(from: .seconds(70), to: .seconds(80))
        #expect(late > 150, "served \(late)/s after the limit doubled")
        #expect(run.servedRate(from: .seconds(2), to: .seconds(10)) <= 101)
    }

    @Test("backs off again when the limit falls, then refusals stop")
    func backsOff() {
        var run = PacedRun(server: ModelServer(rate: 200, burst: 20))
        run.run(until: .seconds(40)) { at, server in if at >= .seconds(10) { server.rate = 80 } }
        #expect(run.refusals(from: .seconds(10), to: .seconds(15)) >= 1)
        #expect(run.refusals(from: .seconds(17), to: .seconds(40)) <= 1, "\(run.refused)")
        let rate = run.servedRate(from: .seconds(17), to: .seconds(40))
        #expect(rate > 0.85 * 80 && rate <= 81, "served \(rate)/s")
    }

    @Test("with rate-limit headers it paces before any refusal")
    func headerDriven() {
        var run = PacedRun(server: ModelServer(rate: 200, burst: 20))
        run.useHeaders = true
        run.run(until: .seconds(20))
        #expect(run.refused.isEmpty, "\(run.refused.prefix(5))")
        let rate = run.servedRate(from: .zero, to: .seconds(20))
        #expect(rate >= 0.97 * 200, "served \(rate)/s")
    }

    @Test("remaining 0 pauses until the reset")
    func quotaSpent() {
        var pacer = AdaptivePacer(ceiling: nil, burst: 1)
        let pause = pacer.observe(RateLimitHeaders(limit: 100, remaining: 0, reset: .seconds(30)), now: .seconds(5))
        // The executor holds every request until then (its shared pause).
        #expect(pause == .seconds(35))
    }

    @Test("Retry-After is never undercut: nothing goes before the pause ends, and no burst after it")
    func retryAfterHonoured() {
        var pacer = AdaptivePacer(ceiling: nil, burst: 1)
        for i in 0..<30 { pacer.accepted(sentAt: .milliseconds(i)) }
        pacer.refused(at: .milliseconds(30), resumeAt: .seconds(3))
        let times = (0..<5).map { _ in pacer.reserve(now: .milliseconds(40)) }
        #expect(times.allSatisfy { $0 >= .seconds(3) }, "\(times)")
        #expect(times == times.sorted() && Set(times).count == times.count, "evenly paced: \(times)")
    }

    @Test("--rate stays a ceiling, whatever the server allows or says")
    func ceiling() {
        var run = PacedRun(ceiling: 50, burst: 5, server: ModelServer(rate: 200, burst: 20))
        run.useHeaders = true
        run.run(until: .seconds(10))
        #expect(run.refused.isEmpty)
        var start = 0
        for end in run.served.indices {
            while run.served[end] - run.served[start] > .seconds(1) { start += 1 }
            #expect(end - start + 1 <= 55)
            if end - start + 1 > 55 { return }
        }
        var low = PacedRun(ceiling: 50, burst: 5, server: ModelServer(rate: 30, burst: 3))
        low.run(until: .seconds(30))
        #expect(low.servedRate(from: .seconds(5), to: .seconds(30)) <= 31)
        #expect((low.pacer.rate(at: low.now) ?? 0) <= 50)
    }
}

@Suite("Adaptive pacing in the executor (manual clock)", .timeLimit(.minutes(1)))
struct AdaptiveExecutorTests {
    let clock = ManualClock()

    @Test("a refusal after a burst: Retry-After waited out by everyone, then requests go evenly at the learned pace")
    func pacedAfterRefusal() async throws {
        let executor = RequestExecutor(options: ExecutionOptions(concurrency: 1), clock: clock, random: { 0 }, wallClock: { 0 })
        let sent = Recorder<Duration>()
        // The server accepts 20 at once, then refuses with Retry-After: 1.
        for _ in 0..<20 {
            _ = try await executor.perform(.read) { () async throws(APIError) -> Int in
                sent.append(clock.now.offset)
                return 1
            }
        }
        let task = Task {
            for i in 0..<4 {
                _ = try await executor.perform(.read) { () async throws(APIError) -> Int in
                    sent.append(clock.now.offset)
                    if i == 0 && sent.count == 21 { throw .sample(.throttled, retryAfter: .seconds(1)) }
                    return 1
                }
            }
        }
        for _ in 0..<100 where sent.count < 25 {
            _ = await eventually { clock.sleeperCount > 0 || sent.count == 25 }
            if sent.count == 25 { break }
            _ = clock.advanceToNextDeadline()
        }
        try await task.value
        let times = sent.all
        #expect(times.count == 25)
        #expect(times[21] >= .seconds(1), "Retry-After never undercut: \(times[21])")
        // 20 accepted in no time: resumed at 99% of 200 req/s, one request every ~5 ms.
        let gaps = (22..<25).map { (times[$0] - times[$0 - 1]).inSeconds }
        #expect(gaps.allSatisfy { $0 > 0.004 && $0 < 0.006 }, "\(gaps)")
        let stats = executor.statistics
        #expect(stats.throttled == 1)
        #expect(stats.allowedRate.map { $0 > 190 && $0 < 210 } == true, "\(String(describing: stats.allowedRate))")
        #expect(stats.pace != nil)
    }

    @Test("headers with nothing remaining pause every request until the reset")
    func headersPause() async throws {
        let executor = RequestExecutor(options: ExecutionOptions(concurrency: 2), clock: clock, random: { 0 }, wallClock: { 0 })
        executor.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .seconds(3)))
        let sent = Recorder<Duration>()
        let task = Task {
            _ = try await executor.perform(.read) { () async throws(APIError) -> Int in
                sent.append(clock.now.offset)
                return 1
            }
        }
        #expect(await eventually { clock.sleeperCount == 1 })
        #expect(sent.count == 0)
        clock.advance(by: .seconds(3))
        try await task.value
        #expect(sent.all == [.seconds(3)])
    }
}
