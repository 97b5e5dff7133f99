import Testing
@testable import LabelPortCore

@Suite("Request executor on a manual clock", .timeLimit(.minutes(10)))
struct RequestExecutorTests {
    let clock = ManualClock()

    func executor(_ options: ExecutionOptions, random: Double = 0.5, wall: Double = 1_000_000) -> RequestExecutor {
        RequestExecutor(options: options, clock: clock, random: { random }, wallClock: { wall })
    }

    var now: Duration { clock.now.offset }

    /// Advances the clock from deadline to deadline whenever every caller is either done or
    /// asleep on the clock, until `done`.
    func drive(callers: Int, finished: () -> Int, late: Duration = .zero) async {
        while finished() < callers {
            let settled = await eventually { finished() + clock.sleeperCount == callers }
            #expect(settled, "callers neither finished nor asleep")
            guard settled, clock.advanceToNextDeadline(late: late) else { return }
        }
    }

    // MARK: Rate

    @Test("rate limit: burst at once, then one request per interval, on the ideal instants")
    func rateInstants() async {
        let executor = executor(ExecutionOptions(concurrency: 50, rate: 10, burst: 2))
        let sent = Recorder<Duration>()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask { _ = try? await executor.perform(.read) { sent.append(self.now) } }
            }
            await drive(callers: 12, finished: { sent.count })
        }
        let expected = [0, 0] + (1...10).map { $0 * 100 }
        let times = sent.all.sorted()
        #expect(times.count == 12)
        #expect(zip(times, expected.map { Duration.milliseconds($0) }).allSatisfy { approximately($0, $1) }, "\(times)")
        #expect(executor.statistics.requestsSent == 12)
    }

    @Test("rate limit over 30 s with late wake-ups: within 2% of the rate, no window over rate + burst")
    func rateNoDrift() async {
        let executor = executor(ExecutionOptions(concurrency: 4, rate: 50, burst: 5))
        let sent = Recorder<Duration>()
        let stop = Locked(false)
        let workers = 4
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    // Bounded, so a limiter that never waits fails the test instead of spinning.
                    while !stop.withLock({ $0 }) && sent.count < 2000 {
                        _ = try? await executor.perform(.update) { sent.append(self.now) }
                    }
                }
            }
            while now < .seconds(30) && sent.count < 2000 {
                let settled = await eventually { clock.sleeperCount == workers }
                #expect(settled)
                guard settled else { break }
                clock.advanceToNextDeadline(late: .milliseconds(3))
            }
            stop.withLock { $0 = true }
            executor.cancelAll()
        }
        let times = sent.all.sorted().filter { $0 <= .seconds(30) }
        let expected = 50.0 * 30 + 5
        #expect(abs(Double(times.count) - expected) / expected < 0.02, "\(times.count)")
        var start = 0
        var worst = 0
        for end in times.indices {
            while times[end] - times[start] > .seconds(1) { start += 1 }
            worst = max(worst, end - start + 1)
        }
        #expect(worst <= 55, "\(worst)")
    }

    // MARK: Concurrency

    @Test("never more than `concurrency` bodies in flight, across all callers")
    func concurrencyBound() async {
        let executor = executor(ExecutionOptions(concurrency: 3))
        let counter = InFlightCounter()
        let gate = Gate()
        let done = Recorder<Int>()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<10 {
                group.addTask {
                    let value = try? await executor.perform(.read) {
                        counter.enter()
                        await gate.pass()
                        counter.leave()
                        return i
                    }
                    if let value { done.append(value) }
                }
            }
            #expect(await eventually { gate.waitingCount == 3 })
            for _ in 0..<1000 { await Task.yield() }
            #expect(counter.current == 3)
            while done.count < 10 {
                #expect(await eventually { gate.waitingCount > 0 || done.count == 10 })
                #expect(counter.current <= 3)
                gate.releaseOne()
            }
        }
        #expect(counter.peak == 3)
        #expect(executor.statistics.peakInFlight == 3)
        #expect(Set(done.all) == Set(0..<10))
    }

    // MARK: Retries

    @Test("backoff: retries wait the jittered, capped exponential delay")
    func backoffInstants() async throws {
        let executor = executor(ExecutionOptions(retries: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(300)), random: 0.5)
        let attempts = Recorder<Duration>()
        let task = Task {
            try await executor.perform(.read) { () async throws(APIError) -> String in
                attempts.append(self.now)
                if attempts.count < 5 { throw .sample(.serverError) }
                return "ok"
            }
        }
        await drive(callers: 1, finished: { attempts.count == 5 ? 1 : 0 })
        #expect(try await task.value == "ok")
        // Ceilings 100, 200, 300 (cap), 300 ms; half of each.
        let expected: [Duration] = [0, 50, 150, 300, 450].map { .milliseconds($0) }
        #expect(zip(attempts.all, expected).allSatisfy { approximately($0, $1) }, "\(attempts.all)")
        let stats = executor.statistics
        #expect(stats.requestsSent == 5 && stats.retries == 4 && stats.succeeded == 1 && stats.failed == 0)
    }

    @Test("Retry-After as an HTTP-date is honoured, using the injected wall clock")
    func retryAfterDate() async throws {
        let executor = executor(ExecutionOptions(), random: 0, wall: 1_000_000)
        let attempts = Recorder<Duration>()
        let task = Task {
            try await executor.perform(.read) { () async throws(APIError) -> Int in
                attempts.append(self.now)
                if attempts.count == 1 { throw .sample(.serverError, retryAfter: .date(epochSeconds: 1_000_004)) }
                return 1
            }
        }
        await drive(callers: 1, finished: { attempts.count == 2 ? 1 : 0 })
        _ = try await task.value
        #expect(attempts.all == [.zero, .seconds(4)])
    }

    @Test("a 429 on one request pauses requests from other tasks until its Retry-After")
    func throttlePausesEveryone() async throws {
        let executor = executor(ExecutionOptions(concurrency: 4), random: 0)
        let first = Recorder<Duration>()
        let other = Recorder<Duration>()
        let a = Task {
            try await executor.perform(.read) { () async throws(APIError) -> Int in
                first.append(self.now)
                if first.count == 1 { throw .sample(.throttled, retryAfter: .seconds(2)) }
                return 1
            }
        }
        #expect(await eventually { clock.sleeperCount == 1 })
        clock.advance(by: .milliseconds(500))
        let b = Task {
            try await executor.perform(.create) { () async throws(APIError) -> Int in
                other.append(self.now)
                return 2
            }
        }
        #expect(await eventually { clock.sleeperCount == 2 })
        #expect(other.count == 0)
        clock.advance(by: .milliseconds(1499))
        for _ in 0..<1000 { await Task.yield() }
        #expect(other.count == 0)
        clock.advance(by: .milliseconds(1))
        #expect(try await b.value == 2)
        #expect(try await a.value == 1)
        #expect(other.all == [.seconds(2)])
        #expect(first.all == [.zero, .seconds(2)])
        let stats = executor.statistics
        #expect(stats.throttled == 1 && stats.retries == 1 && stats.requestsSent == 3)
    }

    @Test("final answers are not retried: the body runs once and its error is returned",
          arguments: [APIError.Kind.badRequest, .unauthorized, .forbidden, .notFound, .invalidResponse])
    func notRetried(kind: APIError.Kind) async {
        let executor = executor(ExecutionOptions())
        let counter = InFlightCounter()
        do {
            _ = try await executor.perform(.read) { () async throws(APIError) -> Int in
                counter.enter()
                throw .sample(kind)
            }
            Issue.record("expected an error")
        } catch {
            #expect(error == .sample(kind))
        }
        #expect(counter.calls == 1)
        #expect(executor.statistics.failed == 1 && executor.statistics.retries == 0)
    }

    @Test("a create whose outcome is unknown is returned at once, never resent",
          arguments: [APIError.Kind.serverError, .connectionDropped, .timeout])
    func createOutcomeUnknown(kind: APIError.Kind) async {
        let executor = executor(ExecutionOptions())
        let counter = InFlightCounter()
        do {
            _ = try await executor.perform(.create) { () async throws(APIError) -> Int in
                counter.enter()
                throw .sample(kind)
            }
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == kind)
            #expect(error.outcomeUnknown)
        }
        #expect(counter.calls == 1)
    }

    @Test("a create that surely was not applied (429, connect failed) is retried",
          arguments: [APIError.Kind.throttled, .connectFailed])
    func createRetried(kind: APIError.Kind) async throws {
        let executor = executor(ExecutionOptions(), random: 0)
        let counter = InFlightCounter()
        let id = try await executor.perform(.create) { () async throws(APIError) -> String in
            counter.enter()
            if counter.calls == 1 { throw .sample(kind) }
            return "new-id"
        }
        #expect(id == "new-id")
        #expect(counter.calls == 2)
        #expect(executor.statistics.creates.sent == 2)
    }

    @Test("the retry budget ends a dead server's retries, and an answer restores it")
    func budget() async throws {
        let executor = executor(ExecutionOptions(retries: 10, consecutiveFailureLimit: 3), random: 0)
        let counter = InFlightCounter()
        do {
            _ = try await executor.perform(.read) { () async throws(APIError) -> Int in
                counter.enter()
                throw .sample(.serverError)
            }
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .serverError)
        }
        #expect(counter.calls == 3)
        #expect(executor.statistics.retriesRefusedByBudget == 1)
        // Still no answer: the next request gets a single attempt.
        _ = try? await executor.perform(.read) { () async throws(APIError) -> Int in
            counter.enter()
            throw .sample(.timeout)
        }
        #expect(counter.calls == 4)
        // A 404 is an answer: retries are allowed again.
        _ = try? await executor.perform(.read) { () async throws(APIError) -> Int in throw .sample(.notFound) }
        let value = try await executor.perform(.read) { () async throws(APIError) -> Int in
            counter.enter()
            if counter.calls < 7 { throw .sample(.serverError) }
            return 7
        }
        #expect(value == 7 && counter.calls == 7)
    }

    @Test("retries stop after `retries` retries")
    func retriesExhausted() async {
        let executor = executor(ExecutionOptions(retries: 2), random: 0)
        let counter = InFlightCounter()
        let result = try? await executor.perform(.update) { () async throws(APIError) -> Int in
            counter.enter()
            throw .sample(.connectionDropped)
        }
        #expect(result == nil)
        #expect(counter.calls == 3)
    }

    @Test("statistics count attempts, retries, 429s and outcomes per kind")
    func statistics() async {
        let executor = executor(ExecutionOptions(), random: 0)
        let calls = InFlightCounter()
        _ = try? await executor.perform(.read) { () async throws(APIError) -> Int in 1 }
        _ = try? await executor.perform(.update) { () async throws(APIError) -> Int in
            calls.enter()
            if calls.calls == 1 { throw .sample(.throttled) }
            return 2
        }
        _ = try? await executor.perform(.create) { () async throws(APIError) -> Int in throw .sample(.badRequest) }
        let stats = executor.statistics
        #expect(stats.requestsSent == 4)
        #expect(stats.retries == 1)
        #expect(stats.throttled == 1)
        #expect(stats.succeeded == 2 && stats.failed == 1 && stats.cancelled == 0)
        #expect(stats.reads == counts(sent: 1, succeeded: 1, failed: 0))
        #expect(stats.updates == counts(sent: 2, succeeded: 1, failed: 0))
        #expect(stats.creates == counts(sent: 1, succeeded: 0, failed: 1))
    }

    /// An answer saying the quota is used up pauses every request until its reset: counted
    /// for the summary; a reset further off than labelport waits for a `Retry-After` fails
    /// the request at once, unsent, in words (it waited silently, 420 s and more).
    @Test("quota used up (RateLimit-Remaining: 0): a short wait is counted, a long one is refused unsent")
    func quotaSpent() async throws {
        let executor = executor(ExecutionOptions(), random: 0)
        executor.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .seconds(3)))
        let first = Task { try await executor.perform(.read) { () async throws(APIError) -> Int in 1 } }
        await drive(callers: 1, finished: { executor.statistics.succeeded })
        #expect(try await first.value == 1)
        #expect(now >= .seconds(3), "waited for the reset")
        #expect(executor.statistics.quotaWaits == 1 && executor.statistics.quotaWaitedSeconds == 3)

        executor.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .seconds(420)))
        let calls = InFlightCounter()
        do {
            _ = try await executor.perform(.update, operation: "update gold label") { () async throws(APIError) -> Int in
                calls.enter()
                return 2
            }
            Issue.record("sent after all")
        } catch {
            #expect(error.kind == .quotaSpent)
            #expect(error.description == "update gold label: not sent: the server's rate-limit headers say its quota is used up for another 420 s (7 min), longer than labelport waits (300 s (5 min)), so it gave up: try again later")
        }
        #expect(calls.calls == 0)
        #expect(executor.statistics.updates == counts(sent: 0, succeeded: 0, failed: 1))
        #expect(executor.statistics.quotaWaits == 1 && executor.statistics.quotaWaitedSeconds == 3, "the pause given up on was not waited")
    }

    /// Requests already waiting for their turn when an answer says the quota is used up for
    /// longer than labelport waits give up too, instead of sleeping until the reset.
    @Test("quota used up while requests wait their turn: they are refused unsent as well")
    func quotaSpentWhileWaiting() async throws {
        let executor = executor(ExecutionOptions(concurrency: 4, rate: 1, burst: 1), random: 0)
        let sent = InFlightCounter()
        let tasks = (0..<3).map { _ in
            Task { () -> APIError? in
                do throws(APIError) {
                    _ = try await executor.perform(.read, operation: "list") { () async throws(APIError) -> Int in
                        sent.enter()
                        return 1
                    }
                    return nil
                } catch { return error }
            }
        }
        // The first goes at once; the others wait a second each for a rate token.
        let settled = await eventually { sent.calls == 1 && clock.sleeperCount >= 2 }
        #expect(settled)
        executor.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .seconds(900)))
        clock.advance(by: .seconds(1))
        clock.advance(by: .seconds(1))
        var errors: [APIError] = []
        for task in tasks { if let error = await task.value { errors.append(error) } }
        #expect(sent.calls == 1)
        #expect(errors.count == 2 && errors.allSatisfy { $0.kind == .quotaSpent }, "\(errors)")
    }

    func counts(sent: Int, succeeded: Int, failed: Int) -> ExecutionStatistics.Counts {
        var c = ExecutionStatistics.Counts()
        c.sent = sent
        c.succeeded = succeeded
        c.failed = failed
        return c
    }

    // MARK: Cancellation

    @Test("cancelling a task waiting for a permit ends it with .cancelled; the body never runs")
    func cancelWhileQueued() async throws {
        let executor = executor(ExecutionOptions(concurrency: 1))
        let gate = Gate()
        let calls = InFlightCounter()
        let holder = Task {
            try await executor.perform(.read) { () async throws(APIError) -> Int in
                await gate.pass()
                return 1
            }
        }
        #expect(await eventually { gate.waitingCount == 1 })
        let queued = Task {
            try await executor.perform(.read, operation: "get label x") { () async throws(APIError) -> Int in
                calls.enter()
                return 2
            }
        }
        for _ in 0..<1000 { await Task.yield() }
        queued.cancel()
        let result = await queued.result
        #expect(throws: APIError(kind: .cancelled, operation: "get label x")) { try result.get() }
        gate.openAll()
        #expect(try await holder.value == 1)
        #expect(calls.calls == 0)
    }

    /// A write whose attempt went out without a known outcome (a 5xx) may have been
    /// applied: cancelled before its retry, it ends as that attempt did, so the journal says
    /// "unknown" and undo looks at it. After a 429 (not applied) it ends cancelled.
    @Test("cancelled during backoff: ends at once; after a 5xx as that unknown outcome, after a 429 as .cancelled",
          arguments: [(APIError.Kind.serverError, APIError.Kind.serverError), (.throttled, .cancelled)])
    func cancelDuringBackoff(failure: APIError.Kind, ending: APIError.Kind) async {
        let executor = executor(ExecutionOptions(), random: 0.9)
        let calls = InFlightCounter()
        let task = Task {
            try await executor.perform(.update) { () async throws(APIError) -> Int in
                calls.enter()
                throw .sample(failure)
            }
        }
        #expect(await eventually { clock.sleeperCount == 1 })
        task.cancel()
        switch await task.result {
        case .success: Issue.record("expected cancellation")
        case .failure(let error):
            let apiError = error as? APIError
            #expect(apiError?.kind == ending)
            #expect(apiError?.description.contains(failure == .serverError ? "interrupted before it was sent again" : "throttled") == true, "\(String(describing: apiError))")
        }
        #expect(calls.calls == 1)
        #expect(clock.sleeperCount == 0)
        #expect(executor.statistics.cancelled == 1)
    }

    @Test("cancelAll: rate waits end with .cancelled, in-flight bodies finish, nothing new starts")
    func cancelAll() async throws {
        let executor = executor(ExecutionOptions(concurrency: 4, rate: 1, burst: 1))
        let gate = Gate()
        let calls = InFlightCounter()
        let inFlight = Task {
            try await executor.perform(.create) { () async throws(APIError) -> String in
                calls.enter()
                await gate.pass()
                return "applied"
            }
        }
        #expect(await eventually { gate.waitingCount == 1 })
        let waiting = Task {
            try await executor.perform(.read) { () async throws(APIError) -> String in
                calls.enter()
                return "read"
            }
        }
        #expect(await eventually { clock.sleeperCount == 1 })
        executor.cancelAll()
        let waited = await waiting.result
        #expect(throws: APIError(kind: .cancelled, operation: "request")) { try waited.get() }
        gate.openAll()
        #expect(try await inFlight.value == "applied")
        do {
            _ = try await executor.perform(.read) { () async throws(APIError) -> Int in
                calls.enter()
                return 0
            }
            Issue.record("expected cancellation")
        } catch {
            #expect(error.kind == .cancelled)
        }
        #expect(calls.calls == 1)
        #expect(executor.statistics.requestsSent == 1)
        #expect(executor.statistics.cancelled == 2)
    }
}
