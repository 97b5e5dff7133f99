/// Finds the rate a server allows and paces requests evenly at it, under the `--rate`
/// ceiling. A plain value on the executor's clock (offsets from its start), so it is
/// tested without time passing.
///
/// - Until the server pushes back, requests go as fast as the ceiling allows.
/// - On a 429 the executor pauses everyone for `Retry-After`. The pacer waits for that
///   pause to end before it learns, so the answers of the requests that were in flight at
///   the refusal are in: the ``RateEstimator`` counts what the server accepted by send time,
///   up to the refused request's send time.
/// - After the pause it resumes evenly (no burst) just under the estimate and probes upward
///   on a CUBIC curve (as TCP CUBIC and the AWS SDKs' "adaptive" retry mode do): back to the
///   estimate after ``probeTime``, slowly past it, then faster, so a limit that rises is
///   found again and one that holds costs one refusal per probe. After the first refusal
///   (whose estimate rests on a guessed burst) it resumes a little lower than once the
///   server's burst is known.
/// - Refusals that keep coming while the pace is below the estimate (more than
///   ``sporadicRefusals`` within ``probeTime``) are not a limit but a server refusing at
///   random (overloaded, or other clients' load): each still pauses everyone for its
///   `Retry-After`, but the pace goes back to what it was before them instead of falling
///   refusal after refusal to nothing.
/// - `RateLimit-*` headers, when the server sends them, replace the guessing: the
///   requests remaining are spread evenly over the time until the quota resets (98% of
///   `remaining / reset`), starting one interval after the first answer that has them,
///   and `remaining: 0` pauses until the reset.
struct AdaptivePacer: Sendable, Equatable {
    /// `--rate`: never exceeded.
    let ceiling: Double?
    /// The `--burst` of the ceiling; the learned pace has none (requests go evenly).
    let ceilingBurst: Int

    /// The pace after a refusal relative to the estimate, once the server's burst is known
    /// (CUBIC's β, close to 1: the estimate is what the server accepted).
    static let resumeFactor = 0.99
    /// The same after the first refusal: its estimate rests on a guessed burst and on
    /// counts of a few requests, so it keeps a little more margin.
    static let firstResumeFactor = 0.98
    /// Header-driven pacing keeps this share of the server's remaining quota unused.
    static let headerFactor = 0.98
    /// Time after a refusal to probe back up to the estimate (CUBIC's K, seconds): a probe
    /// past the limit costs a `Retry-After` pause (usually a second), so probes are rare.
    static let probeTime = 10.0
    /// Refusals below the estimate within ``probeTime`` that a limit can explain: one when
    /// it drops, a second when the first estimate of the new one was a little high. More
    /// are refusals at random.
    static let sporadicRefusals = 2
    /// A window with fewer accepted requests than this lowers the pace by ``shallowCut`` at
    /// most: a few answers are as likely a refusal at random as a limit.
    static let leastAcceptedForDeepCut = 10
    /// The most such a window lowers the pace (CUBIC-like multiplicative decrease).
    static let shallowCut = 0.5
    /// A refusal whose pause is shorter than this (no `Retry-After`, a backoff) is not taken
    /// as a limit's until it teaches a rate: a limiter asks for its bucket's refill time.
    static let shortestLimitPause = Duration.milliseconds(500)

    /// A refusal whose pause has not ended yet: what is learnt from it waits for the
    /// answers of the requests sent before it.
    private struct Refusal: Equatable {
        var sentAt: Duration
        /// When its answer came, if known.
        var answeredAt: Duration?
        var resumeAt: Duration
        /// The pace then; nil when unpaced.
        var pace: Double?
    }

    /// A CUBIC curve from `start`: `estimate·(1 + c·(t − K)³)`, `factor · estimate` at `start`.
    private struct Probe: Equatable {
        var start: Duration
        var estimate: Double
        var factor: Double

        func rate(at now: Duration) -> Double {
            let k = AdaptivePacer.probeTime
            let c = (1 - factor) / (k * k * k)
            let t = max(0, (now - start).inSeconds) - k
            return estimate * (1 + c * t * t * t)
        }
    }

    private var bucket: TokenBucket?
    private var window = AcceptedSends()
    private var estimator = RateEstimator()
    private var pending: Refusal?
    private var probe: Probe?
    private var headerRate: Double?
    /// Send times of recent refusals that came while the pace was below the estimate.
    private var belowEstimate: [Duration] = []
    /// The estimate before the first of them.
    private var estimateBeforeThem: Double?
    /// The server's sustainable rate as last estimated (or read from its headers).
    private(set) var serverRate: Double?

    init(ceiling: Double?, burst: Int) {
        self.ceiling = ceiling.flatMap { $0 > 0 ? $0 : nil }
        ceilingBurst = max(1, burst)
        if let ceiling = self.ceiling { bucket = TokenBucket(rate: ceiling, capacity: ceilingBurst) }
    }

    /// The pace the server imposes at `now` (before the ceiling); nil while unlimited.
    func learnedRate(at now: Duration) -> Double? {
        if let headerRate { return headerRate }
        return probe?.rate(at: now)
    }

    /// The rate in force at `now`: the learned pace under the ceiling; nil when unlimited.
    func rate(at now: Duration) -> Double? {
        switch (learnedRate(at: now), ceiling) {
        case (nil, nil): nil
        case (let r?, nil): r
        case (nil, let c?): c
        case (let r?, let c?): min(r, c)
        }
    }

    /// The learned pace at `now` when it binds (is below the ceiling); nil otherwise.
    func limitedPace(at now: Duration) -> Double? {
        guard let learned = learnedRate(at: now) else { return nil }
        if let ceiling, ceiling <= learned { return nil }
        return learned
    }

    /// Takes a token; returns when the request may be sent (`now` or later, never inside a
    /// pause).
    mutating func reserve(now: Duration) -> Duration {
        let now = max(now, pending?.resumeAt ?? now)
        settle(at: now)
        retune(at: now)
        var at = now
        if var bucket {
            at = bucket.reserve(now: now)
            self.bucket = bucket
        }
        window.sent(at: at)
        return at
    }

    /// An answer other than 429 to a request sent at `sentAt`: the server accepted it.
    mutating func accepted(sentAt: Duration, answeredAt: Duration? = nil) {
        window.accept(sentAt: sentAt, answeredAt: answeredAt)
    }

    /// The first 429 of an episode, to a request sent at `sentAt`; sending resumes at
    /// `resumeAt` (after the server's `Retry-After`), when the server's bucket is taken to
    /// be full again.
    mutating func refused(sentAt: Duration, answeredAt: Duration? = nil, resumeAt: Duration) {
        if sentAt < window.opensAt {
            // Sent before an earlier pause, answered after it: that window is closed.
            pause(until: resumeAt)
            return
        }
        if let pending {
            // Sent before the pause of an earlier refusal ended: part of that episode.
            if sentAt < pending.resumeAt {
                pause(until: resumeAt, refusedSentAt: sentAt)
                return
            }
            settle(at: pending.resumeAt)
        }
        pending = Refusal(sentAt: sentAt, answeredAt: answeredAt, resumeAt: resumeAt, pace: rate(at: sentAt))
        // A first figure for the summary; the estimate is made when the pause ends.
        if headerRate == nil, let first = estimator.estimate(window, refusedSentAt: sentAt, refusedAnsweredAt: answeredAt, pace: pending?.pace) {
            serverRate = first.rate
        }
        pause(until: resumeAt)
    }

    /// No request is sent before `instant`; then they resume at the pace, without a burst.
    /// `refusedSentAt`: a later 429 of the same episode, to a request sent then.
    mutating func pause(until instant: Duration, refusedSentAt: Duration? = nil) {
        if var refusal = pending {
            if let refusedSentAt, refusedSentAt >= window.start ?? refusedSentAt {
                refusal.sentAt = min(refusal.sentAt, refusedSentAt)
            }
            refusal.resumeAt = max(refusal.resumeAt, instant)
            pending = refusal
        }
        retune(at: instant)
        bucket?.empty(at: instant)
    }

    /// Paces by the server's own numbers. Returns an instant to pause until when the
    /// quota is spent (`remaining: 0`).
    mutating func observe(_ headers: RateLimitHeaders, now: Duration) -> Duration? {
        guard let remaining = headers.remaining, let reset = headers.reset else { return nil }
        if remaining == 0 {
            // A quota reset already due (0, or a timestamp just past) says nothing of the pace.
            guard reset > .zero else { return nil }
            let until = now + reset
            pause(until: until)
            return until
        }
        let seconds = max(reset.inSeconds, 1)
        let rate = Double(remaining) / seconds
        serverRate = rate
        let starting = headerRate == nil
        headerRate = max(Self.headerFactor * rate, RateEstimator.lowestRate)
        if starting, let paced = limitedPace(at: now) {
            // The first answer's `remaining` may count requests a token bucket saved up,
            // which the requests sent at once would spend: the even pace starts one
            // interval after this answer, not with a request at once.
            retune(at: now)
            bucket?.empty(at: now + .seconds(1 / paced))
        }
        return nil
    }

    /// Once the pause of a refusal has ended (at `now`), learns from the window it closed
    /// and starts the next, whose bucket is taken to be full.
    private mutating func settle(at now: Duration) {
        guard let refusal = pending, now >= refusal.resumeAt else { return }
        pending = nil
        defer { window = AcceptedSends(opensAt: refusal.resumeAt, refilled: (refusal.resumeAt - refusal.sentAt).inSeconds) }
        if let pace = refusal.pace, let probe, pace < probe.estimate, estimator.learning != .nothing {
            belowEstimate = belowEstimate.filter { (refusal.sentAt - $0).inSeconds < Self.probeTime } + [refusal.sentAt]
            if belowEstimate.count == 1 { estimateBeforeThem = probe.estimate }
            if belowEstimate.count > Self.sporadicRefusals, let before = estimateBeforeThem {
                self.probe = Probe(start: refusal.resumeAt, estimate: before, factor: Self.resumeFactor)
                if headerRate == nil { serverRate = before }
                return
            }
        } else {
            belowEstimate = []
            estimateBeforeThem = nil
        }
        if case (var rate, let learning)? = estimator.estimate(window, refusedSentAt: refusal.sentAt, refusedAnsweredAt: refusal.answeredAt, pace: refusal.pace) {
            if let pace = refusal.pace, window.total < Self.leastAcceptedForDeepCut {
                // A handful of accepted requests cannot tell a limit far below the pace from a
                // refusal at random (one of the first requests after a pause: the estimate fell
                // from 80 to 1 req/s, and refusals at that pace came too far apart to be seen as
                // random). The pace falls by half at most; a real limit is reached in a few
                // refusals.
                rate = max(rate, Self.shallowCut * pace)
            }
            estimator.learn(learning, rate: rate)
            if headerRate == nil { serverRate = rate }
            let known = if case .known = learning { true } else { false }
            probe = Probe(start: refusal.resumeAt, estimate: rate, factor: known ? Self.resumeFactor : Self.firstResumeFactor)
        } else if estimator.learning == .nothing, headerRate == nil, refusal.pace != nil || window.total > 0,
            refusal.resumeAt - refusal.sentAt >= Self.shortestLimitPause
        {
            // Too few accepted to tell a rate (a server whose bucket holds one request: the
            // first burst gets one through): still slow down, or every pause ends in the same
            // burst and rows spend their retries. Resume at half the pace refused (for the
            // unpaced first burst: what it got through, over its span and the burst a tenth
            // of a second is taken to be), back at that pace after ``probeTime`` and past it
            // after that, until a refusal comes with answers enough to estimate the limit.
            // (A refusal of the very first request, with nothing let through, bounds nothing:
            // another client may have spent the bucket; nor does one that asks for no pause.)
            let span = (refusal.sentAt - (window.start ?? refusal.sentAt)).inSeconds
            let refused = refusal.pace ?? Double(window.total + 1) / (span + RateEstimator.assumedBurst)
            probe = Probe(start: refusal.resumeAt, estimate: max(RateEstimator.lowestRate, refused), factor: Self.shallowCut)
        }
    }

    /// Sets the bucket to the rate in force at `now`: the ceiling's burst while the ceiling
    /// binds, none (even pacing) while the learned pace does.
    private mutating func retune(at now: Duration) {
        guard let rate = rate(at: now) else {
            bucket = nil
            return
        }
        let capacity = limitedPace(at: now) == nil ? ceilingBurst : 1
        if bucket == nil {
            bucket = TokenBucket(rate: rate, capacity: capacity)
        } else {
            bucket?.retune(rate: rate, capacity: capacity)
        }
    }
}
