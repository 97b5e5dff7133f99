import Testing
@testable import LabelPortCore

/// The executor's pacing on a manual clock: `--rate` and `--burst`, and the server's quota
/// (rate-limit headers). 429s and the learned pace: ``AdaptivePacerTests``.
@Suite("Request executor: rate and quota, on a manual clock", .timeLimit(.minutes(10)))
struct RequestExecutorRateTests: ExecutorOnManualClock {
    let clock = ManualClock()

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
        let worst = Self.busiestSecond(times)
        #expect(worst <= 55, "\(worst)")
    }

    /// A stall (the machine busy, connections still opening) wakes every waiting request at
    /// once: the token bucket, keeping its ideal schedule, lets them all go with the ones
    /// due after them, which put 65 sends in one second at --rate 50 (burst 5).
    @Test("after a stall, the sends that were due do not crowd the next second")
    func stall() async {
        let executor = executor(ExecutionOptions(concurrency: 20, rate: 50, burst: 5))
        let sent = Recorder<Duration>()
        let stop = Locked(false)
        let workers = 20
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while !stop.withLock({ $0 }) && sent.count < 400 {
                        _ = try? await executor.perform(.update) { sent.append(clock.now.offset) }
                    }
                }
            }
            var stalled = false
            while clock.now.offset < .seconds(5) && sent.count < 400 {
                let settled = await eventually { clock.sleeperCount == workers }
                #expect(settled)
                guard settled else { break }
                // One wake-up 300 ms late, a second in: 15 sends were due meanwhile.
                let late: Duration = !stalled && clock.now.offset >= .seconds(1) ? .milliseconds(300) : .zero
                if late > .zero { stalled = true }
                clock.advanceToNextDeadline(late: late)
            }
            stop.withLock { $0 = true }
            executor.cancelAll()
        }
        let times = sent.all.sorted()
        #expect(times.count > 200)
        let worst = Self.busiestSecond(times)
        #expect(worst <= 55, "\(worst) sends in one second")
        // The rate over the whole run is still the rate (the window costs little).
        let span = (times.last! - times.first!).inSeconds
        #expect(Double(times.count - 1 - 5) / span > 50 * 0.95, "\(times.count) sends in \(span) s")
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
    /// longer than labelport waits give up too, at once, instead of sleeping until their turn.
    @Test("quota used up while requests wait their turn: they are refused unsent as well, at once")
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
        let settled = await eventually { sent.calls == 1 && clock.sleeperCount >= 2 && executor.shutdown.waiting >= 2 }
        #expect(settled)
        executor.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .seconds(900)))
        // At once, not as each one's turn comes (round 12 M4): the clock does not move.
        var errors: [APIError] = []
        for task in tasks { if let error = await task.value { errors.append(error) } }
        #expect(sent.calls == 1)
        #expect(errors.count == 2 && errors.allSatisfy { $0.kind == .quotaSpent }, "\(errors)")
    }

    /// An update whose first attempt got a 5xx may have been applied: a quota too long to
    /// wait for, said while it waits to retry, ends it as that unknown outcome (so the
    /// journal records it as unknown and undo looks at it), not as "not sent".
    @Test("quota used up during a retry's backoff after a 5xx: ends as the unknown outcome, saying why it was not sent again")
    func quotaSpentDuringBackoff() async throws {
        let executor = executor(ExecutionOptions(), random: 0.9)
        let calls = InFlightCounter()
        let task = Task { () -> APIError? in
            do throws(APIError) {
                _ = try await executor.perform(.update, operation: "update gold label") { () async throws(APIError) -> Int in
                    calls.enter()
                    throw .sample(.serverError)
                }
                return nil
            } catch { return error }
        }
        #expect(await eventually { clock.sleeperCount == 1 })
        executor.observe(RateLimitHeaders(limit: 10, remaining: 0, reset: .seconds(900)))
        let error = await task.value
        #expect(calls.calls == 1)
        #expect(error?.kind == .serverError, "\(String(describing: error))")
        #expect(error?.outcomeUnknown == true)
        #expect(error?.description == "test request: server error (503): not sent again: the server's rate-limit headers say its quota is used up for another 900 s (15 min), longer than labelport waits (300 s (5 min)), so it gave up: try again later", "\(String(describing: error))")
    }

    /// The most of `times` (sorted) in any one second, both ends included.
    static func busiestSecond(_ times: [Duration]) -> Int {
        var start = 0
        var worst = 0
        for end in times.indices {
            while times[end] - times[start] > .seconds(1) { start += 1 }
            worst = max(worst, end - start + 1)
        }
        return worst
    }
}
