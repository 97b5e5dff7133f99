/// Finds the rate a server allows and paces requests evenly at it, under the `--rate`
/// ceiling. A plain value on the executor's clock (offsets from its start), so it is
/// tested without time passing.
///
/// - Until the server pushes back, requests go as fast as the ceiling allows.
/// - On a 429 (once per refusal episode; the executor pauses everyone for `Retry-After`)
///   it estimates the server's sustainable rate from what the server accepted in the
///   window since its bucket was last full (the start, or the end of the previous pause):
///   a token bucket of burst B and rate L accepts B + L·D requests in a window of D
///   seconds that ends in a refusal. The first window (sent as fast as allowed) is too
///   short to tell L from B: it takes the burst to be a tenth of a second's worth (as
///   `--burst` does by default), so L = accepted / (D + 0.1 s). The
///   second refusal solves L and B from the two windows; later ones give L = (accepted −
///   B) / D, or more when a recent span before the refusal proves more (a span of S
///   seconds held at most B + L·S). The estimate is kept between 70% of the pace that was refused (CUBIC's
///   decrease) and that pace. A refusal that comes before the server's burst was used is
///   sporadic, not the limit: it changes nothing.
/// - After the pause it resumes at 99% of the estimate and probes upward on a CUBIC curve
///   (as TCP CUBIC and the AWS SDKs' "adaptive" retry mode do): back to the estimate after
///   ``probeTime``, slowly past it, then faster, so a limit that rises is found again and
///   one that holds costs one refusal per probe.
/// - `RateLimit-*` headers, when the server sends them, replace the guessing: the
///   requests remaining are spread evenly over the time until the quota resets (98% of
///   `remaining / reset`), and `remaining: 0` pauses until the reset.
struct AdaptivePacer: Sendable, Equatable {
    /// `--rate`: never exceeded.
    let ceiling: Double?
    /// The `--burst` of the ceiling; the learned pace has none (requests go evenly).
    let ceilingBurst: Int

    /// The pace after a refusal, relative to the estimate: CUBIC's β.
    static let resumeFactor = 0.99
    /// Header-driven pacing keeps this share of the server's remaining quota unused.
    static let headerFactor = 0.98
    /// The estimate is kept at least this share of the pace that was refused.
    static let floorFactor = 0.7
    /// The first estimate takes the server's burst to be this long at its rate.
    static let assumedBurst = Duration.milliseconds(100)
    /// Two windows closer in length than this cannot be told apart.
    static let shortestDifference = 0.05
    /// A first window with fewer accepted requests teaches nothing.
    static let leastAccepted = 2
    /// Time after a refusal to probe back up to the estimate (CUBIC's K).
    static let probeTime = 10.0

    /// Requests accepted since the server's bucket was last taken to be full, with the
    /// send times of the latest ones (at most `capacity`, oldest first from `head`).
    private struct Window: Equatable {
        static let capacity = 4096
        var start: Duration = .zero
        var accepted = 0
        private var times: [Duration] = []
        private var head = 0

        init(start: Duration = .zero) { self.start = start }

        mutating func accept(sentAt: Duration) {
            accepted += 1
            if times.count < Self.capacity {
                times.append(sentAt)
            } else {
                times[head] = sentAt
                head = (head + 1) % Self.capacity
            }
        }

        /// Requests accepted that were sent at or after `instant`; nil when older ones
        /// were already forgotten.
        func accepted(since instant: Duration) -> Int? {
            if times.count == Self.capacity && times[head] > instant { return nil }
            return times.reduce(0) { $0 + ($1 >= instant ? 1 : 0) }
        }
    }

    /// The spans before a refusal checked for the accepted rate they prove (seconds).
    static let recentSpans = [0.5, 1, 2, 4]

    /// A CUBIC curve from `start`: `estimate·(1 + c·(t − K)³)`, equal to
    /// `resumeFactor · estimate` at `start`.
    private struct Probe: Equatable {
        var start: Duration
        var estimate: Double

        func rate(at now: Duration) -> Double {
            let k = AdaptivePacer.probeTime
            let c = (1 - AdaptivePacer.resumeFactor) / (k * k * k)
            let t = max(0, (now - start).inSeconds) - k
            return estimate * (1 + c * t * t * t)
        }
    }

    /// What the refusals so far have taught about the server's bucket.
    private enum Learning: Equatable {
        case nothing
        /// The window before the first refusal.
        case firstWindow(accepted: Int, seconds: Double)
        /// The server's burst, solved from two windows.
        case known(burst: Int)
    }

    private var bucket: TokenBucket?
    private var window = Window()
    private var learning = Learning.nothing
    private var probe: Probe?
    private var headerRate: Double?
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

    /// Takes a token; returns when the request may be sent (`now` or later).
    mutating func reserve(now: Duration) -> Duration {
        retune(at: now)
        guard var bucket else { return now }
        let at = bucket.reserve(now: now)
        self.bucket = bucket
        return at
    }

    /// An answer other than 429 to a request sent at `sentAt`: the server accepted it.
    mutating func accepted(sentAt: Duration) {
        if sentAt >= window.start { window.accept(sentAt: sentAt) }
    }

    /// The first 429 of an episode, at `now`; sending resumes at `resumeAt` (after the
    /// server's `Retry-After`), when the server's bucket is taken to be full again.
    mutating func refused(at now: Duration, resumeAt: Duration) {
        let seconds = max(now - window.start, .nanoseconds(1)).inSeconds
        let accepted = window.accepted
        let refusedPace = rate(at: now)
        var estimate: Double
        switch learning {
        case .nothing where accepted < Self.leastAccepted:
            // The bucket was not full at the start (another client, an earlier run): learn
            // from the next window, which starts full after this pause.
            window = Window(start: resumeAt)
            pause(until: resumeAt)
            return
        case .nothing:
            // Sent as fast as allowed from a full bucket: accepted = B + L·seconds, with
            // `seconds` usually too short to tell L from B.
            learning = .firstWindow(accepted: accepted, seconds: seconds)
            estimate = Double(accepted) / (seconds + Self.assumedBurst.inSeconds)
        case .firstWindow(let firstAccepted, let firstSeconds):
            // Two windows that each drained a full bucket: L from their difference, with
            // the lower end of the one-request uncertainty of the counts.
            if seconds - firstSeconds >= Self.shortestDifference, accepted > firstAccepted {
                estimate = Double(accepted - firstAccepted - 1) / (seconds - firstSeconds)
                let burst = Double(firstAccepted) - estimate * firstSeconds
                learning = .known(burst: max(1, Int(burst.rounded(.down))))
            } else {
                estimate = 0  // too little to go on: CUBIC's decrease below
            }
        case .known(let burst):
            guard accepted >= burst else {
                // Sooner than a bucket with the burst the server showed would refuse: not
                // the rate limit (a sporadic refusal). Pause, and keep the pace.
                pause(until: resumeAt)
                return
            }
            estimate = Double(accepted - burst - 1) / seconds
        }
        // Any span ending at the refusal held at most B + L·span accepted requests: a recent
        // span at the pace proves more than a long window that was mostly below it.
        let burst: Int
        switch learning {
        case .nothing: burst = accepted
        case .firstWindow(let firstAccepted, _): burst = firstAccepted
        case .known(let known): burst = known
        }
        for span in Self.recentSpans where span < seconds {
            guard let count = window.accepted(since: now - .milliseconds(Int64(span * 1000))) else { break }
            estimate = max(estimate, Double(count - burst - 1) / span)
        }
        if let refusedPace {
            estimate = min(refusedPace, max(estimate, Self.floorFactor * refusedPace))
        }
        estimate = max(estimate, 1 / Self.probeTime)
        if headerRate == nil { serverRate = estimate }
        probe = Probe(start: resumeAt, estimate: estimate)
        window = Window(start: resumeAt)
        pause(until: resumeAt)
    }

    /// No request is sent before `instant`; then they resume at the pace, without a burst.
    mutating func pause(until instant: Duration) {
        retune(at: instant)
        bucket?.empty(at: instant)
    }

    /// Paces by the server's own numbers. Returns an instant to pause until when the
    /// quota is spent (`remaining: 0`).
    mutating func observe(_ headers: RateLimitHeaders, now: Duration) -> Duration? {
        guard let remaining = headers.remaining, let reset = headers.reset else { return nil }
        if remaining == 0 && reset > .zero {
            let until = now + reset
            pause(until: until)
            return until
        }
        let seconds = max(reset.inSeconds, 1)
        let rate = Double(remaining) / seconds
        serverRate = rate
        headerRate = max(Self.headerFactor * rate, 1 / Self.probeTime)
        return nil
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
