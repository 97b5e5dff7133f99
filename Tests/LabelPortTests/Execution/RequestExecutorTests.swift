import Testing
@testable import LabelPortCore

@Suite("Request executor on a manual clock", .timeLimit(.minutes(10)))
struct RequestExecutorTests: ExecutorOnManualClock {
    let clock = ManualClock()

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
                throw .sample(.connectionDropped)
            }
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .connectionDropped)
            #expect(error.retryBudgetSpent == .noAnswers(3))
            #expect(error.description.hasSuffix(
                "; not retried further: none of the last 3 attempts got a whole answer from the server (none at all, or one cut off), so labelport stopped retrying until one does"), "\(error)")
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
            if counter.calls < 7 { throw .sample(.timeout) }
            return 7
        }
        #expect(value == 7 && counter.calls == 7)
    }

    /// The first burst at a high concurrency against a small bucket: a hundred 429s in a row
    /// (and 5xx answers) are answers from a live server, not a dead one: retried as each
    /// request's --retries allows (they stopped every retry and failed rows).
    @Test("429s and 5xx answers in a row do not stop retries run-wide", arguments: [APIError.Kind.throttled, .serverError])
    func answersInARow(kind: APIError.Kind) async throws {
        let executor = executor(ExecutionOptions(retries: 10, consecutiveFailureLimit: 3), random: 0)
        let counter = InFlightCounter()
        let task = Task {
            try await executor.perform(.read) { () async throws(APIError) -> Int in
                counter.enter()
                if counter.calls < 8 { throw .sample(kind, retryAfter: .seconds(0)) }
                return 8
            }
        }
        for _ in 0..<100 where counter.calls < 8 {
            _ = await eventually { clock.sleeperCount > 0 || counter.calls == 8 }
            if counter.calls == 8 { break }
            _ = clock.advanceToNextDeadline()
        }
        #expect(try await task.value == 8)
        #expect(executor.statistics.retriesRefusedByBudget == 0)
    }

    /// A server failing 70% of requests is alive: with `--retries 30` each row gets its
    /// retries, not a run-wide allowance of one a request (round 12 M0); the default allows
    /// 2.5 a request, and a row stopped by it says so.
    @Test("the retry allowance grows with --retries, and a row it stops says why")
    func budgetFollowsRetries() async throws {
        #expect(ExecutionOptions().retryRatio == 2.5)
        #expect(ExecutionOptions(retries: 30).retryRatio == 15)
        #expect(ExecutionOptions(retries: 0).retryRatio == 1)
        // Every request fails twice, then succeeds: 100 of them need 200 retries.
        let generous = executor(ExecutionOptions(concurrency: 1, retries: 30, retryReserve: 0), random: 0)
        for _ in 0..<100 {
            let attempts = Locked(0)
            let value = try await generous.perform(.update) { () async throws(APIError) -> Int in
                let n = attempts.withLock { $0 += 1; return $0 }
                if n < 3 { throw .sample(.serverError) }
                return n
            }
            #expect(value == 3)
        }
        #expect(generous.statistics.retriesRefusedByBudget == 0)

        let stingy = executor(ExecutionOptions(concurrency: 1, retries: 2, retryReserve: 0), random: 0)
        do throws(APIError) {
            _ = try await stingy.perform(.update, operation: "update gold label") { () async throws(APIError) -> Int in
                throw APIError(kind: .serverError, operation: "update gold label", status: 500)
            }
            Issue.record("expected an error")
        } catch {
            #expect(error.retryBudgetSpent == .tooManyFailed)
            #expect(error.description == "update gold label: server error (500); not retried further: so many of this run's requests failed "
                + "that labelport stopped retrying, to spare a failing server (a higher --retries allows more)")
        }
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
