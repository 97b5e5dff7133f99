@testable import LabelPortCore

/// A server's per-token bucket, as the sandbox enforces it, on simulated time.
struct ModelServer {
    var rate: Double
    var burst: Double
    var tokens: Double
    var updated = Duration.zero
    /// The share of requests refused at random whatever the bucket holds (as the sandbox's
    /// `--faults throttle=P` does): an overloaded server, not a rate limit.
    var sporadic = 0.0
    /// The share of requests answered with a 5xx (`--faults error=P`): not a refusal, but
    /// retried after a backoff.
    var errors = 0.0
    private var random: UInt64 = 0x9E37_79B9_7F4A_7C15
    private var errorRandom: UInt64 = 0x2545_F491_4F6C_DD1D

    init(rate: Double, burst: Int, sporadic: Double = 0) {
        self.rate = rate
        self.burst = Double(burst)
        tokens = Double(burst)
        self.sporadic = sporadic
    }

    /// Whether a request is answered with a 5xx (drawn before ``arrive(at:)``).
    mutating func fails() -> Bool {
        guard errors > 0 else { return false }
        errorRandom = errorRandom &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(errorRandom >> 11) / Double(1 << 53) < errors
    }

    /// Whether a request arriving at `now` is served; the headers the sandbox would send.
    mutating func arrive(at now: Duration) -> (served: Bool, headers: RateLimitHeaders) {
        tokens = min(burst, tokens + rate * max(.zero, now - updated).inSeconds)
        updated = max(updated, now)
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407  // deterministic
        if sporadic > 0, Double(random >> 11) / Double(1 << 53) < sporadic {
            return (false, RateLimitHeaders(limit: Int(rate + burst), remaining: Int(tokens.rounded(.down)), reset: .seconds(1)))
        }
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
            let sendAt = max(pacer.reserve(now: max(now, pausedUntil)), pausedUntil)
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
                    pacer.refused(sentAt: sendAt, resumeAt: answeredAt + retryAfter)
                    pausedUntil = answeredAt + retryAfter
                } else {
                    pacer.pause(until: pausedUntil, refusedSentAt: sendAt)
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

/// An import as the executor runs it, on simulated time: `concurrency` workers each send
/// one row's request at a time (retrying it until served), all sharing one pacer and the
/// executor's pause after a 429 (`Retry-After` from the answer, never undercut); answers
/// take a latency that varies from request to request. Events are handled in time order.
struct ConcurrentImport {
    private enum Step {
        /// Wants a rate token at this instant.
        case ready(Duration)
        /// Holds a token for this instant.
        case send(Duration)
        /// Its request, written at `writtenAt` (later than its token was taken while its
        /// connection is made), reaches the server's bucket then. The pacer counts it by when
        /// it was written, as the executor counts a request (``SendStamp``).
        case arrive(at: Duration, writtenAt: Duration)
        /// Its answer comes back then (`failed`: a 5xx).
        case answer(at: Duration, sentAt: Duration, served: Bool, headers: RateLimitHeaders, failed: Bool = false)
        case done

        var time: Duration? {
            switch self {
            case .ready(let t), .send(let t), .arrive(let t, _): t
            case .answer(let t, _, _, _, _): t
            case .done: nil
            }
        }
    }

    var pacer: AdaptivePacer
    var server: ModelServer
    var concurrency = 8
    /// The fastest answer, and how much slower one may be (spread evenly, deterministic).
    var latency = Duration.milliseconds(2)
    var latencySpread = Duration.milliseconds(3)
    var retryAfter = Duration.seconds(1)
    var useHeaders = false
    /// Requests sent one at a time before the workers start (the import's first reads).
    var leadingReads = 3
    /// How much later than it is handed over each worker's first request reaches the
    /// server: its connection is made first (all at once, as the workers start).
    var connectDelay = Duration.zero
    /// How much later still the last worker's first request reaches the server than the
    /// first's (worker i's by i/concurrency of it): connections made one after another.
    var connectSpread = Duration.zero
    /// Up to how long after it was written a request reaches the bucket (spread evenly,
    /// deterministic): a server reading many connections takes requests written at almost
    /// the same time in an order of its own.
    var serverOrder = Duration.zero
    private var connected: Set<Int> = []
    /// Each worker's 5xx retries of its current row, and its 429s.
    private var errorRetries: [Int] = []
    private var refusalsOfRow: [Int] = []
    /// The most 429s one row took before it was served (the import gives up after 5 retries).
    private(set) var mostRefusalsOfOneRow = 0
    /// The executor's retry policy (full-jitter backoff after a 5xx).
    var retryPolicy = RetryPolicy()
    /// Send times of served and refused requests.
    private(set) var served: [Duration] = []
    private(set) var refused: [Duration] = []
    private(set) var finished = Duration.zero
    /// From each 429's answer to the end of the pause it asked for.
    private(set) var pauses: [Range<Duration>] = []
    private var notBefore = Duration.zero
    private var sequence: UInt64 = 12_345

    init(ceiling: Double? = nil, burst: Int = 1, server: ModelServer) {
        pacer = AdaptivePacer(ceiling: ceiling, burst: burst)
        self.server = server
    }

    /// served ÷ elapsed ÷ the server's rate, from the first send to the last answer.
    var shareOfLimit: Double {
        guard let first = (served + refused).min() else { return 0 }
        return Double(served.count) / (finished - first).inSeconds / server.rate
    }

    func refusals(after instant: Duration) -> Int { refused.filter { $0 >= instant }.count }

    var refusedShare: Double { Double(refused.count) / Double(max(1, served.count + refused.count)) }

    /// Runs until `rows` requests were served (the leading reads count among them).
    mutating func run(rows: Int) {
        var now = Duration.milliseconds(300)  // setup before the first request
        for _ in 0..<leadingReads {
            let sendAt = pacer.reserve(now: now)
            now = handle(sendAt: sendAt, answerAt: sendAt + nextLatency())
        }
        var remaining = rows - leadingReads
        var workers = [Step](repeating: .ready(now), count: concurrency)
        errorRetries = Array(repeating: 0, count: concurrency)
        refusalsOfRow = Array(repeating: 0, count: concurrency)
        for i in workers.indices where i >= remaining { workers[i] = .done }
        remaining -= min(remaining, concurrency)
        while let (i, t) = workers.indices.compactMap({ i in workers[i].time.map { (i, $0) } }).min(by: { $0.1 < $1.1 }) {
            switch workers[i] {
            case .ready:
                workers[i] = notBefore > t ? .ready(notBefore) : .send(pacer.reserve(now: t))
            case .send:
                if notBefore > t { workers[i] = .ready(t); break }  // a pause began meanwhile
                let written = connected.insert(i).inserted ? t + connectDelay + connectSpread * (Double(i) / Double(concurrency)) : t
                workers[i] = .arrive(at: written + serverOrder * uniform(), writtenAt: written)
            case .arrive(let arrival, let written):
                let failed = server.fails()
                let (ok, headers) = failed ? (false, RateLimitHeaders(limit: nil, remaining: nil, reset: nil)) : server.arrive(at: arrival)
                workers[i] = .answer(at: arrival + nextLatency(), sentAt: written, served: ok, headers: headers, failed: failed)
            case .answer(let at, let sentAt, let ok, let headers, let failed):
                if useHeaders, let pause = pacer.observe(headers, now: at) { notBefore = max(notBefore, pause) }
                finished = max(finished, at)
                if failed {
                    // A 5xx: answered (the pacer counts it), retried after the executor's backoff.
                    pacer.accepted(sentAt: sentAt, answeredAt: at)
                    errorRetries[i] += 1
                    workers[i] = .ready(at + backoff(retry: errorRetries[i] - 1))
                } else if ok {
                    errorRetries[i] = 0
                    refusalsOfRow[i] = 0
                    served.append(sentAt)
                    pacer.accepted(sentAt: sentAt, answeredAt: at)
                    if remaining > 0 {
                        remaining -= 1
                        workers[i] = .ready(at)
                    } else {
                        workers[i] = .done
                    }
                } else {
                    refused.append(sentAt)
                    refusalsOfRow[i] += 1
                    mostRefusalsOfOneRow = max(mostRefusalsOfOneRow, refusalsOfRow[i])
                    let resumeAt = max(notBefore, at + retryAfter)
                    if notBefore <= at {
                        pacer.refused(sentAt: sentAt, answeredAt: at, resumeAt: resumeAt)
                    } else {
                        pacer.pause(until: resumeAt, refusedSentAt: sentAt)
                    }
                    pauses.append(at..<resumeAt)
                    notBefore = resumeAt
                    workers[i] = .ready(at + retryAfter)
                }
            case .done:
                break
            }
        }
    }

    /// One sequential request (sent at `sendAt`, answered at `answerAt`), retried after
    /// `Retry-After` until served; returns when its answer came.
    private mutating func handle(sendAt: Duration, answerAt: Duration) -> Duration {
        let (ok, headers) = server.arrive(at: sendAt)
        // The import's reads before its writes carry the headers too.
        if useHeaders, let pause = pacer.observe(headers, now: answerAt) { notBefore = max(notBefore, pause) }
        finished = max(finished, answerAt)
        if ok {
            served.append(sendAt)
            pacer.accepted(sentAt: sendAt, answeredAt: answerAt)
            return answerAt
        }
        refused.append(sendAt)
        pacer.refused(sentAt: sendAt, answeredAt: answerAt, resumeAt: answerAt + retryAfter)
        pauses.append(answerAt..<answerAt + retryAfter)
        let retryAt = pacer.reserve(now: answerAt + retryAfter)
        return handle(sendAt: retryAt, answerAt: retryAt + nextLatency())
    }

    /// A backoff as the executor draws it after a 5xx: random(0, min(max, base·2ⁿ)).
    private mutating func backoff(retry n: Int) -> Duration {
        sequence = sequence &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return retryPolicy.backoffCeiling(retry: n) * (Double(sequence >> 11) / Double(1 << 53))
    }

    /// A latency in [latency, latency + spread), from a fixed pseudo-random sequence.
    private mutating func nextLatency() -> Duration {
        latency + latencySpread * uniform()
    }

    /// The next number in [0, 1) of a fixed pseudo-random sequence.
    private mutating func uniform() -> Double {
        sequence = sequence &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Double(sequence >> 11) / Double(1 << 53)
    }
}
