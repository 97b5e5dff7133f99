import Testing
@testable import LabelPortCore

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

    /// 32 requests let go at once and written over 10 ms (connections made in turn) reach a
    /// server that takes them in an order of its own: the refused one, written early, is
    /// answered before 11 of the 22 accepted are even written. Counted only up to the
    /// refused one's answer, 11 accepted in 3 ms made 110 req/s of a 200 limit.
    @Test("the first burst counts the accepted requests written after the refused one's answer")
    func acceptedAfterTheRefusal() {
        var pacer = AdaptivePacer(ceiling: nil, burst: 1)
        for _ in 0..<33 { _ = pacer.reserve(now: .zero) }
        let written = (0..<22).map { Duration.microseconds(455 * $0) }  // 22 accepted over 10 ms
        for sent in written where sent < .milliseconds(3) { pacer.accepted(sentAt: sent, answeredAt: sent + .milliseconds(1)) }
        pacer.refused(sentAt: .milliseconds(2), answeredAt: .milliseconds(3), resumeAt: .milliseconds(1003))
        for sent in written where sent >= .milliseconds(3) { pacer.accepted(sentAt: sent, answeredAt: sent + .milliseconds(1)) }
        _ = pacer.reserve(now: .milliseconds(1003))  // the pause is over: learnt from the window
        let learned = pacer.serverRate ?? 0
        #expect(learned > 190 && learned < 210, "learned \(learned)")
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

    /// What `--faults throttle=0.05` did to a real import: the first burst refused after 16
    /// answers, then, after the pause, the third request refused at random. Read as a
    /// bucket that refilled two requests in the second's pause, that window set the pace
    /// to 1 req/s, and the random refusals that followed came too far apart to be told
    /// from a limit: 300 rows took minutes on a server without one.
    @Test("a window of a few accepted requests lowers the pace by half at most")
    func fewAcceptedThenRefused() {
        var pacer = AdaptivePacer(ceiling: nil, burst: 1)
        let ms = Duration.milliseconds(1)
        let read = pacer.reserve(now: .zero)
        pacer.accepted(sentAt: read, answeredAt: read + ms * 12)
        for i in 0..<8 {
            let at = pacer.reserve(now: ms * 13)
            pacer.accepted(sentAt: at, answeredAt: at + ms * 2 + ms * (Double(i) / 8))
        }
        var batch: [Duration] = []
        for _ in 0..<8 { batch.append(pacer.reserve(now: ms * 15)) }
        let resume = batch[0] + ms * 5 + .seconds(1)
        pacer.refused(sentAt: batch[0], answeredAt: batch[0] + ms * 5, resumeAt: resume)
        for at in batch.dropFirst() { pacer.accepted(sentAt: at, answeredAt: at + ms * 6) }
        var t = resume
        for _ in 0..<2 {
            let at = pacer.reserve(now: t)
            pacer.accepted(sentAt: at, answeredAt: at + ms)
            t = at
        }
        let pace = pacer.limitedPace(at: t) ?? 0
        let refused = pacer.reserve(now: t)
        pacer.refused(sentAt: refused, answeredAt: refused + ms, resumeAt: refused + ms + .seconds(1))
        let next = pacer.reserve(now: refused + ms + .seconds(1))
        let after = pacer.limitedPace(at: next) ?? 0
        #expect(pace > 50, "the pace after the first refusal: \(pace)")
        #expect(after >= 0.49 * pace, "pace \(after) after \(pace)")
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

    @Test("remaining 0 pauses until the reset; with the reset already due it says nothing of the pace")
    func quotaSpent() {
        var pacer = AdaptivePacer(ceiling: nil, burst: 1)
        let pause = pacer.observe(RateLimitHeaders(limit: 100, remaining: 0, reset: .seconds(30)), now: .seconds(5))
        // The executor holds every request until then (its shared pause).
        #expect(pause == .seconds(35))
        // A reset sent as a timestamp just past (or 0): no pause, and no pace of 0 req/s
        // (it became 0.1 req/s, one request every ten seconds).
        var due = AdaptivePacer(ceiling: nil, burst: 1)
        #expect(due.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .zero), now: .seconds(5)) == nil)
        #expect(due.learnedRate(at: .seconds(5)) == nil && due.serverRate == nil)
    }

    @Test("Retry-After is never undercut: nothing goes before the pause ends, and no burst after it")
    func retryAfterHonoured() {
        var pacer = AdaptivePacer(ceiling: nil, burst: 1)
        for i in 0..<30 { pacer.accepted(sentAt: .milliseconds(i)) }
        pacer.refused(sentAt: .milliseconds(29), resumeAt: .seconds(3))
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

    /// 21 requests let go at once, written 5 ms apart (their connections made in turn), the
    /// last refused: counted by when they were let go, 20 in no time would be taken for a
    /// 200 req/s limit; by when they were written (``SendStamp``), 20 in 100 ms are half that.
    @Test("a request is counted by when the client wrote it, not by when its turn came")
    func countedWhenWritten() async throws {
        let executor = RequestExecutor(options: ExecutionOptions(concurrency: 21), clock: clock, random: { 0 }, wallClock: { 0 })
        let entered = Locked(0), released = Locked(0), finished = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<21 {
                group.addTask {
                    _ = try? await executor.perform(.read) { () async throws(APIError) -> Int in
                        let turn = entered.withLock { $0 += 1; return $0 }
                        _ = await eventually { released.withLock { $0 } >= turn }
                        SendStamp.current?.mark()
                        defer { finished.withLock { $0 += 1 } }
                        if turn == 21 { throw .sample(.throttled, retryAfter: .seconds(1)) }
                        return 1
                    }
                }
            }
            #expect(await eventually { entered.withLock { $0 } == 21 })
            for turn in 1...21 {
                clock.advance(by: .milliseconds(5))
                released.withLock { $0 = turn }
                #expect(await eventually { finished.withLock { $0 } == turn })
            }
            executor.cancelAll()
        }
        let rate = try #require(executor.statistics.allowedRate)
        #expect(rate > 95 && rate < 105, "\(rate)")
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

@Suite("Adaptive pacing of a whole import (simulated time)", .timeLimit(.minutes(1)))
struct SimulatedImportTests {
    /// The case (4,000 creates, limit 200/s with a burst of 20, `Retry-After: 1`)
    /// at several concurrencies and latencies, with no rate-limit headers: the first refusal
    /// cannot be avoided and costs its second, after it the pace holds just under the limit.
    @Test("no headers: ≥ 90% of the limit over the run, ≤ 2% refused", arguments: [
        (8, 2.0), (8, 0.2), (8, 10.0), (32, 5.0), (1, 1.0), (64, 20.0),
    ])
    func withoutHeaders(concurrency: Int, latencyMilliseconds: Double) {
        var run = ConcurrentImport(server: ModelServer(rate: 200, burst: 20))
        run.concurrency = concurrency
        run.latency = .seconds(latencyMilliseconds / 1000)
        run.latencySpread = .seconds(latencyMilliseconds / 1000)
        run.run(rows: 4_000)
        #expect(run.served.count == 4_000)
        #expect(run.shareOfLimit >= 0.90, "\(run.shareOfLimit)")
        #expect(run.refusedShare <= 0.02, "\(run.refused.count) refused")
        let learned = run.pacer.serverRate ?? 0
        #expect(learned > 190 && learned <= 206, "learned \(learned)")
    }

    /// The first requests reach the server only once their connections are made, later
    /// than they were handed over: the first guess is taken by answer times too, so the
    /// delay does not stretch it (40 ms of it would take a fifth off a send-time guess).
    @Test("connections made as the first requests go: the first guess is still close", arguments: [0, 5, 15, 40])
    func connectionSetup(milliseconds: Int) {
        var run = ConcurrentImport(server: ModelServer(rate: 200, burst: 20))
        run.connectDelay = .milliseconds(milliseconds)
        run.run(rows: 4_000)
        #expect(run.shareOfLimit >= 0.90, "\(run.shareOfLimit)")
        let learned = run.pacer.serverRate ?? 0
        #expect(learned > 190 && learned <= 206, "learned \(learned)")
    }

    /// At a high concurrency the connections are made one after another, so the first
    /// requests, let go at once, reach the server over up to a fifth of a second. Counted by
    /// when they were let go (not written), they made the burst look twice its size and the
    /// pace learnt fell to 27 req/s of 200 at 200 ms (95 at 100 ms): round 13's N2.
    @Test("connections made one after another: the limit is still found", arguments: [25, 100, 200], [8, 64])
    func connectionsInTurn(milliseconds: Int, concurrency: Int) {
        var run = ConcurrentImport(server: ModelServer(rate: 200, burst: 20))
        run.concurrency = concurrency
        run.latency = .milliseconds(20)
        run.latencySpread = .milliseconds(20)
        run.connectSpread = .milliseconds(milliseconds)
        run.run(rows: 4_000)
        #expect(run.shareOfLimit >= 0.90, "\(run.shareOfLimit)")
        let learned = run.pacer.serverRate ?? 0
        #expect(learned > 190 && learned <= 206, "learned \(learned)")
    }

    /// 64 requests written within a few milliseconds reach a server that answers at once
    /// (the sandbox) in an order of its own: some written after the refused one were let
    /// through before it, and counted only up to the refused one's writing the burst looked
    /// two-thirds its size (the pace learnt was 130 req/s of 200).
    @Test("a burst taken by the server in its own order: the first guess is still close", arguments: [(3, 3), (3, 10), (10, 10)])
    func serverOrder(written: Int, milliseconds: Int) {
        var run = ConcurrentImport(server: ModelServer(rate: 200, burst: 20))
        run.concurrency = 64
        run.latency = .microseconds(500)
        run.latencySpread = .microseconds(500)
        run.connectSpread = .milliseconds(written)
        run.serverOrder = .milliseconds(milliseconds)
        run.run(rows: 4_000)
        #expect(run.shareOfLimit >= 0.90, "\(run.shareOfLimit)")
        let learned = run.pacer.serverRate ?? 0
        #expect(learned > 190 && learned <= 206, "learned \(learned)")
    }

    @Test("Retry-After is never undercut: no request goes out during a pause")
    func pausesHonoured() {
        var run = ConcurrentImport(server: ModelServer(rate: 200, burst: 20))
        run.run(rows: 4_000)
        #expect(!run.pauses.isEmpty)
        let sends = run.served + run.refused
        for pause in run.pauses {
            let inside = sends.filter { pause.contains($0) && $0 > pause.lowerBound }
            #expect(inside.isEmpty, "\(inside.count) sent during \(pause)")
        }
    }

    /// Servers whose burst is not a tenth of a second's worth: the first guess is off, the
    /// second refusal solves the bucket, and the pace then holds near the limit.
    @Test("a burst of a second's worth or more: found by the second refusal", arguments: [
        (100.0, 100), (50.0, 150), (1000.0, 100), (20.0, 2),
    ])
    func otherBursts(rate: Double, burst: Int) {
        var run = ConcurrentImport(server: ModelServer(rate: rate, burst: burst))
        run.run(rows: Int(rate * 60))
        // From the end of the last pause (a second after the refusal) to the end.
        let resumed = (run.refused.max() ?? .zero) + .seconds(1.1)
        let steady = Double(run.served.filter { $0 >= resumed }.count) / (run.finished - resumed).inSeconds
        #expect(run.finished - resumed < .seconds(10) || steady >= 0.95 * rate, "\(steady)/s after the pause that ended at \(resumed)")
        #expect(run.shareOfLimit >= 0.85, "\(run.shareOfLimit)")
    }

    /// A server without a limit that refuses requests at random (overloaded, or the
    /// sandbox's `--faults throttle=0.1`), also with 5xx answers mixed in (`throttle=0.05,
    /// error=0.1`: the workers' backoffs leave gaps in what is sent): each refusal still
    /// pauses everyone for its `Retry-After`, but the pace must not fall refusal after
    /// refusal to nothing (it did: to a request every ten seconds, and to 1 req/s).
    @Test("sporadic refusals (and 5xx answers) on a server without a limit: the pace does not crawl", arguments: [
        (0.1, 0.0, 2_000, 5.0), (0.05, 0.1, 3_000, 10.0),
    ], [1, 8])
    func sporadicRefusals(_ faults: (sporadic: Double, errors: Double, rows: Int, atLeast: Double), concurrency: Int) {
        var server = ModelServer(rate: 100_000, burst: 100_000, sporadic: faults.sporadic)
        server.errors = faults.errors
        var run = ConcurrentImport(server: server)
        run.concurrency = concurrency
        run.run(rows: faults.rows)
        let half = run.finished / 2
        let first = Double(run.served.filter { $0 < half }.count), second = Double(run.served.filter { $0 >= half }.count)
        #expect(second >= 0.8 * first, "served \(first) then \(second) in each half of \(run.finished)")
        let perSecond = Double(run.served.count) / run.finished.inSeconds
        #expect(perSecond >= faults.atLeast, "\(perSecond)/s: each refusal costs its second of Retry-After, and no more")
    }

    /// A limit of N requests a second with a bucket of one (`sandbox --rate-limit 10`): the
    /// first burst gets one request through, which teaches no rate. The pace must still
    /// fall (it resumed with the same burst after every pause, and rows spent their five
    /// retries: 27 of 40 failed).
    @Test("a limit with a bucket of one request: the pace falls to it within a few refusals", arguments: [5.0, 10.0, 30.0])
    func bucketOfOne(rate: Double) {
        var run = ConcurrentImport(server: ModelServer(rate: rate, burst: 1))
        run.run(rows: Int(rate * 20))
        #expect(run.refused.count <= 40, "\(run.refused.count) refused")
        let half = run.finished / 2
        let late = Double(run.served.filter { $0 >= half }.count) / (run.finished - half).inSeconds
        #expect(late >= 0.5 * rate, "served \(late)/s in the second half, limit \(rate)/s")
        #expect(run.mostRefusalsOfOneRow <= 3, "a row refused \(run.mostRefusalsOfOneRow) times")
    }

    /// A burst far below a tenth of a second's worth makes the first guess low (a tenth of
    /// the burst per 10 ms); the CUBIC probe finds the limit in about a minute, then holds near it (probing
    /// past it every 20 s or so: a small burst is drained soon).
    @Test("a burst of a few requests: the limit is found by probing, then held")
    func smallBurst() {
        var run = ConcurrentImport(server: ModelServer(rate: 300, burst: 10))
        run.run(rows: 300 * 150)
        #expect(run.refused.count <= 15, "\(run.refused.count) refused")
        let tail = run.finished - .seconds(40)
        let steady = Double(run.served.filter { $0 >= tail }.count) / 40
        #expect(steady >= 0.93 * 300, "\(steady)/s over the last 40 s")
        #expect(run.refusals(after: tail) <= 2, "a probe past the limit, every 20 s or so, costs one refusal")
    }
}
