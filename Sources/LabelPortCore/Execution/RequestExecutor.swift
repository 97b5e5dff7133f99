import Synchronization

/// Sends API requests for many concurrent callers: at most `concurrency` in flight, paced by
/// a token bucket, retried with capped exponential backoff and full jitter, all on an
/// injected clock.
///
/// - A 429 pauses every caller: the executor keeps a shared "not before" instant that each
///   attempt waits for (never shorter than `Retry-After`), then resumes without a burst at
///   the pace the ``AdaptivePacer`` learned from what the server accepted; rate-limit
///   headers given to ``observe(_:)`` pace it before any refusal. `rate` stays a ceiling.
/// - Every attempt (retries too) takes a concurrency permit and a rate token; a permit is
///   held only while waiting for the token and sending, not during backoff.
/// - Cancellation (of the calling task, or of all callers with ``cancelAll()``): no attempt
///   starts afterwards, waits end at once with `APIError(kind: .cancelled)`, and a body
///   already running is left to finish. (Task cancellation is visible to the body too;
///   ``cancelAll()`` is the way to stop new requests while letting in-flight ones complete.)
package final class RequestExecutor: Sendable {
    struct State {
        var pacer: AdaptivePacer
        /// Under `--rate`: the last sends, so no window holds more than rate + burst.
        var sendWindow: SendWindow?
        /// Shared pause after a 429: no attempt is sent before this offset.
        var notBefore: Duration = .zero
        /// The end of the last pause for the server's quota to reset (rate-limit headers).
        var quotaPauseEnd: Duration = .zero
        var budget: RetryBudget
        var statistics = ExecutionStatistics()
        var inFlight = 0
        /// The end of the last wait announced (see ``announce``): one notice per wait.
        var announcedUntil: Duration = .zero
        /// Why requests are to wait for the quota pause ahead, said when one first waits
        /// for it (an answer's headers may start a pause that no request then waits for).
        var quotaNotice: String?
        /// Attempts the server answered (any status): progress, for ``unprocessedResends``.
        var answers = 0
    }

    package let options: ExecutionOptions
    let policy: RetryPolicy
    let clock: ExecutorClock
    private let random: @Sendable () -> Double
    let wallClock: @Sendable () -> Double
    private let semaphore: AsyncSemaphore
    let shutdown = ShutdownSignal()
    let state: Mutex<State>
    /// Told, in words, when requests are about to wait ``noticeableWait`` or longer for the
    /// server (a `Retry-After`, a used-up quota), so that a long wait is not a silent one.
    let announce: @Sendable (String) -> Void
    /// Waits shorter than this pass without a notice (backoff, pacing).
    static let noticeableWait = Duration.seconds(5)
    /// How many times in a row one request the server did not process is sent again,
    /// without spending a retry, while the server answers no request at all
    /// (``ResendAllowance``).
    static let unprocessedResends = 20
    /// The most times one request is sent again so in all, progress or not: a server that
    /// refuses one request for ever while answering others does not keep it going for ever.
    static let unprocessedResendsInAll = 100

    /// - Parameters:
    ///   - clock: paces rate and backoff; a manual clock in tests.
    ///   - random: a value in [0, 1) for jitter.
    ///   - wallClock: seconds since 1970, to turn a `Retry-After` HTTP-date into a wait.
    ///   - announce: told when a wait of ``noticeableWait`` or more begins (one line).
    package init(
        options: ExecutionOptions,
        clock: any Clock<Duration> = ContinuousClock(),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        wallClock: @escaping @Sendable () -> Double = RequestExecutor.systemWallClock,
        announce: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.options = options
        self.announce = announce
        policy = options.retryPolicy
        self.clock = ExecutorClock(clock)
        self.random = random
        self.wallClock = wallClock
        semaphore = AsyncSemaphore(permits: options.concurrency)
        state = Mutex(State(
            pacer: AdaptivePacer(ceiling: options.rate, burst: options.effectiveBurst),
            sendWindow: SendWindow(ceiling: options.rate, burst: options.effectiveBurst),
            budget: options.retryBudget))
    }

    /// Seconds since 1970 from the system's real-time clock.
    @Sendable package static func systemWallClock() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    package var statistics: ExecutionStatistics {
        let now = clock.now()
        return state.withLock { s in
            var statistics = s.statistics
            statistics.pace = s.pacer.limitedPace(at: now)
            statistics.allowedRate = s.pacer.serverRate
            // A quota pause still ahead has not been waited (yet).
            statistics.quotaWaitedSeconds = max(0, statistics.quotaWaitedSeconds - max(.zero, s.quotaPauseEnd - now).inSeconds)
            return statistics
        }
    }

    /// Attempts the server answered so far (any status): progress, for ``ResendAllowance``.
    var answers: Int { state.withLock { $0.answers } }
    /// Creates the server answered with success so far: progress, for ``ResendAllowance``
    /// in ``CreateReconciler`` (whose own reads of the run are answers too).
    var createsSucceeded: Int { state.withLock { $0.statistics.creates.succeeded } }
    /// A create went unanswered; its run is re-read (counted for the summary).
    package func noteUnansweredCreate() { state.withLock { $0.statistics.unansweredCreates += 1 } }
    /// A run was read again after unanswered creates.
    package func noteReread() { state.withLock { $0.statistics.rereads += 1 } }
    /// An unanswered create the server had not stored is sent again (a retry of it).
    package func noteResentCreate() {
        state.withLock { s in
            s.statistics.resentCreates += 1
            s.statistics.retries += 1
        }
    }

    /// Requests sent and not yet answered.
    package var requestsInFlight: Int { state.withLock { $0.inFlight } }

    /// Whether ``cancelAll()`` was called.
    package var isCancelled: Bool { shutdown.isTriggered }

    /// Stops all callers: no attempt starts after this, waits end with `.cancelled`,
    /// bodies already running finish.
    package func cancelAll() {
        shutdown.trigger()
        semaphore.close()
    }

    /// Runs `body` (one API call) under the concurrency bound and rate limit, retrying it as
    /// ``RetryPolicy`` allows. Throws the last error when it gives up, or `.cancelled`.
    /// - Parameter operation: names the request in a `.cancelled` error.
    package func perform<T: Sendable>(
        _ kind: RequestKind,
        operation: String = "request",
        _ body: @Sendable () async throws(APIError) -> T
    ) async throws(APIError) -> T {
        var retriesSoFar = 0
        var resends = ResendAllowance()
        var lastError: APIError?
        // The last attempt of a write that went out with an unknown outcome (no answer, a 5xx): it
        // may have been applied, however the later attempts end (see ``ending(_:after:then:)``).
        var mayHaveApplied: APIError?
        while true {
            if let tooLong = quotaWaitTooLong(kind, operation: operation) { throw Self.notSentAgain(tooLong, after: mayHaveApplied) }
            let attempted: (outcome: Result<T, APIError>, sentAt: Duration)
            do {
                attempted = try await attempt(kind, isRetry: retriesSoFar > 0, body)
            } catch {
                if error.quotaSpent, let tooLong = quotaWaitTooLong(kind, operation: operation) {
                    throw Self.notSentAgain(tooLong, after: mayHaveApplied)
                }
                throw finishCancelled(kind, operation: operation, lastError: lastError, mayHaveApplied: mayHaveApplied)
            }
            let (outcome, sentAt) = attempted
            let error: APIError
            switch outcome {
            case .success(let value):
                return value
            case .failure(let failure):
                error = failure
            }
            // A write only: a read applies nothing, and its last answer (a 404) is its answer.
            if kind != .read, !error.unprocessed, error.outcomeUnknown || error.cancelledBeforeAnswer, error.kind != .cancelled {
                mayHaveApplied = error
            }
            // Closed before the server processed it: sent again at once on a new connection.
            if error.resentAtOnce(kind), resends.take(answers: answers) { continue }
            let (decision, refusal) = decide(after: error, sentAt: sentAt, kind: kind, retriesSoFar: retriesSoFar)
            guard case .retry(let delay) = decision else {
                state.withLock { s in
                    s.statistics.failed += 1
                    s.statistics[kind].failed += 1
                }
                var final = error
                switch decision {
                case .giveUp(.retryAfterTooLong): final = error.waitingLongerThan(policy.maxRetryAfter)
                case .giveUp(.budgetExhausted): final.retryBudgetSpent = refusal ?? .tooManyFailed
                default: break
                }
                throw Self.ending(final, after: mayHaveApplied, then: "sent again, then: " + final.reason)
            }
            lastError = error
            guard await sleep(until: clock.now() + delay) else {
                throw finishCancelled(kind, operation: operation, lastError: lastError, mayHaveApplied: mayHaveApplied)
            }
            retriesSoFar += 1
        }
    }

    // MARK: - One attempt

    /// Not sent: cancelled, or (`quotaSpent`) the server's quota resets later than
    /// labelport waits.
    struct Cancelled: Error {
        var quotaSpent = false
    }

    /// Waits for a permit, the shared pause and a rate token, then sends once.
    /// Throws only when cancelled before sending.
    private func attempt<T: Sendable>(
        _ kind: RequestKind,
        isRetry: Bool,
        _ body: @Sendable () async throws(APIError) -> T
    ) async throws(Cancelled) -> (outcome: Result<T, APIError>, sentAt: Duration) {
        guard !shutdown.isTriggered, !Task.isCancelled else { throw Cancelled() }
        guard await semaphore.acquire() else { throw Cancelled() }
        defer { semaphore.release() }
        try await waitForTurn()
        guard !shutdown.isTriggered, !Task.isCancelled else { throw Cancelled() }
        let handedOver = clock.now()
        state.withLock { s in
            s.statistics.requestsSent += 1
            s.statistics[kind].sent += 1
            if isRetry { s.statistics.retries += 1 } else { s.budget.recordFirstAttempt() }
            s.inFlight += 1
            s.statistics.peakInFlight = max(s.statistics.peakInFlight, s.inFlight)
        }
        let stamp = SendStamp(now: clock.now)
        let outcome = await SendStamp.$current.withValue(stamp) { () async -> Result<T, APIError> in
            do throws(APIError) { return .success(try await body()) } catch { return .failure(error) }
        }
        let answeredAt = clock.now()
        // Counted by when it went out on its connection (see ``SendStamp``), or else when its turn came.
        let sentAt = stamp.time ?? handedOver
        state.withLock { s in
            s.inFlight -= 1
            switch outcome {
            case .success:
                s.pacer.accepted(sentAt: sentAt, answeredAt: answeredAt)
                s.budget.recordAnswer()
                s.answers += 1
                s.statistics.succeeded += 1
                s.statistics[kind].succeeded += 1
            case .failure(let error) where error.resentAtOnce(kind):
                // Not processed (or safe to repeat): no request counted, no retry spent.
                s.statistics.requestsSent -= 1
                s.statistics[kind].sent -= 1
                if isRetry { s.statistics.retries -= 1 }
                s.statistics.refusedUnprocessed += 1
            case .failure(let error):
                if error.status != nil { s.answers += 1 }
                if error.kind == .throttled {
                    s.statistics.throttled += 1
                } else if error.status != nil {
                    s.pacer.accepted(sentAt: sentAt, answeredAt: answeredAt)
                }
                // No whole answer (none at all, or one cut off) counts toward the run-wide
                // stop; a 429 or a 5xx is an answer (see ``RetryBudget``).
                if error.isRetryable && error.status == nil { s.budget.recordFailure() } else { s.budget.recordAnswer() }
            }
        }
        return (outcome, sentAt)
    }

    // MARK: - Retry decisions

    /// - Parameter sentAt: when the failed attempt was sent (a refusal teaches the pacer by it).
    /// - Returns: the decision, and when the retry budget refused a retry, why (read with it).
    private func decide(
        after error: APIError, sentAt: Duration, kind: RequestKind, retriesSoFar: Int
    ) -> (RetryPolicy.Decision, RetryBudget.Refusal?) {
        let jitter = random()
        let wall = error.retryAfter == nil ? 0 : wallClock()
        let now = clock.now()
        var notice: String?
        defer { if let notice { announce(notice) } }
        return state.withLock { s in
            let decision = policy.decide(
                after: error, kind: kind, retriesSoFar: retriesSoFar,
                budget: s.budget, random: jitter, nowEpochSeconds: wall
            )
            switch decision {
            case .retry(let delay):
                s.budget.recordRetry()
                if error.kind == .throttled {
                    let resumeAt = max(s.notBefore, now + delay)
                    // A 429 that asks for no wait (`Retry-After: 0`) is a transient refusal, not
                    // a rate limit; the first refusal of an episode teaches the pacer, later
                    // ones were sent before the pause.
                    let asksToWait = error.retryAfter.map { $0.delay(nowEpochSeconds: wall) > .zero } ?? true
                    if s.notBefore <= now && asksToWait {
                        s.pacer.refused(sentAt: sentAt, answeredAt: now, resumeAt: resumeAt)
                    } else {
                        s.pacer.pause(until: resumeAt, refusedSentAt: asksToWait ? sentAt : nil)
                    }
                    s.notBefore = resumeAt
                    notice = Self.noteWait(&s, until: resumeAt, now: now) {
                        "the server refused a request (429) and asked for that long (Retry-After): no request is sent until then"
                    }
                } else if error.retryAfter != nil {
                    notice = Self.noteWait(&s, until: now + delay, now: now) {
                        "the server answered \(error.status.map { "\($0)" } ?? "an error") and asked for that long before the request is tried again (Retry-After)"
                    }
                }
            case .giveUp(.budgetExhausted):
                s.statistics.retriesRefusedByBudget += 1
                return (decision, s.budget.refusal)
            case .giveUp:
                break
            }
            return (decision, nil)
        }
    }

    /// The error for a request that would wait longer than ``RetryPolicy/maxRetryAfter``
    /// for the server's quota to reset (its headers said none remains), counted as failed;
    /// nil when the wait is shorter (`Retry-After` pauses never are: the retry gives up).
    private func quotaWaitTooLong(_ kind: RequestKind, operation: String) -> APIError? {
        let now = clock.now()
        return state.withLock { s -> APIError? in
            let wait = s.notBefore - now
            guard wait > policy.maxRetryAfter else { return nil }
            s.statistics.failed += 1
            s.statistics[kind].failed += 1
            let seconds = { (d: Duration) in RetryAfter.seconds(Int(d.inSeconds.rounded(.up))).spoken }
            return APIError(
                kind: .quotaSpent, operation: operation,
                detail: "the server's rate-limit headers say its quota is used up for another \(seconds(wait)), "
                    + "longer than labelport waits (\(seconds(policy.maxRetryAfter))), so it gave up: try again later")
        }
    }

    /// `refusal` (a quota too long to wait for), unless an earlier attempt went out with an
    /// unknown outcome (see ``ending(_:after:then:)``).
    static func notSentAgain(_ refusal: APIError, after mayHaveApplied: APIError?) -> APIError {
        ending(refusal, after: mayHaveApplied, then: "not sent again: " + (refusal.detail ?? ""))
    }

    /// How a request ends whose last attempt ended with `final`: as `final`, unless an
    /// earlier attempt went out with an unknown outcome (`mayHaveApplied`: no answer, a
    /// 5xx) and `final` does not leave it unknown anyway. The write may then have been
    /// applied, however the later attempts went (a 429, a refused connection, Ctrl-C), so
    /// it ends as that attempt did, saying what followed (`then`): the journal records the
    /// write as unknown (undo looks at it) and a create's run is re-read, not taken for never sent.
    static func ending(_ final: APIError, after mayHaveApplied: APIError?, then: String) -> APIError {
        guard var unknown = mayHaveApplied, !(final.outcomeUnknown && final.kind != .cancelled) else { return final }
        unknown.detail = (unknown.detail.map { $0 + "; " } ?? "") + then
        return unknown
    }

    private func finishCancelled(_ kind: RequestKind, operation: String, lastError: APIError?, mayHaveApplied: APIError?) -> APIError {
        state.withLock { s in
            s.statistics.failed += 1
            s.statistics.cancelled += 1
            s.statistics[kind].failed += 1
        }
        if mayHaveApplied != nil {
            return Self.ending(APIError(kind: .cancelled, operation: operation), after: mayHaveApplied, then: "interrupted before it was sent again")
        }
        return APIError(
            kind: .cancelled, operation: operation,
            detail: lastError.map { "while waiting to retry after: \($0)" }
        )
    }
}
