/// Estimates the rate a server's token bucket refills at (its sustainable rate L) from the
/// requests it accepted in windows that ended in a refusal. A bucket of burst B that held C
/// requests' worth when a window started and was empty when it refused has accepted
/// C + L·D requests in the D seconds between, and any span of S seconds ending at the
/// refusal held at most B + L·S; so each span gives a lower bound on L once B is known,
/// and the span where the bucket was draining gives L itself. C is B at the start of the
/// run, and min(B, L·T) after a pause of T seconds from a refusal (a bucket that holds
/// more than a pause's worth is not full again when the pause ends).
///
/// - The first window (sent as fast as allowed) is too short to tell L from B: B is taken
///   to be a tenth of a second's worth (as `--burst` is by default, and the sandbox's
///   limit), so L = accepted / (S + 0.1 s) over the span S that gives most: the one where
///   the bucket was draining. Spans run from one of the accepted sends to the refusal, or
///   to the refusal's answer or the last accepted send if later (a server reading many
///   connections takes requests sent within a few milliseconds in an order of its own, so
///   some sent after the refused one, even after its answer came, were let through before
///   it), or from one of the accepted answers to the refusal's answer
///   (for requests counted by when their turn came: those reach the server only once their
///   connections are made, which stretches their send-time spans).
/// - The second refusal solves L and B from the two windows (whichever is the longer).
/// - Later ones solve L from the known B, or take more when a recent span proves more.
/// - The estimate never exceeds the pace that was refused. Only when a refusal proves
///   nothing it drops to 70% of that pace (CUBIC's decrease). A refusal before the bucket
///   could have been emptied is sporadic, not the limit: it teaches nothing.
struct RateEstimator: Sendable, Equatable {
    /// What the refusals so far have taught about the server's bucket.
    enum Learning: Sendable, Equatable {
        case nothing
        /// The draining span of the first window: `accepted` requests in `seconds`.
        case firstWindow(accepted: Int, seconds: Double)
        /// The server's burst, solved from two windows.
        case known(burst: Double)
    }

    /// The first estimate takes the server's burst to be this long at its rate (seconds).
    static let assumedBurst = 0.1
    /// Two windows closer in length than this (seconds) cannot be told apart.
    static let shortestDifference = 0.05
    /// A first window with fewer accepted requests teaches nothing.
    static let leastAccepted = 2
    /// A refusal that proves nothing lowers the estimate to this share of the pace refused.
    static let floorFactor = 0.7
    /// The lowest estimate (req/s): one request every ten seconds.
    static let lowestRate = 0.1
    /// Spans shorter than this are taken to be this long: below it, when a request was
    /// sent and when the server saw it are not told apart.
    static let shortestSpan = Duration.milliseconds(1)

    private(set) var learning = Learning.nothing
    /// The last estimate, to judge how full the bucket was after a pause.
    private(set) var lastRate: Double?

    /// What a refusal teaches: the estimated rate and what is then known; nil when it
    /// teaches nothing (too little accepted, or a sporadic refusal).
    /// - Parameters:
    ///   - window: the requests accepted since the bucket last refilled.
    ///   - refusedSentAt: the send time of the (earliest) refused request.
    ///   - pace: the pace it was sent at; nil when requests went unpaced.
    ///   - refusedAnsweredAt: when its answer came, if known (the first window's spans are
    ///     also taken by answer times: the first sends reach the server late, after the
    ///     connections are made, which would stretch their spans).
    func estimate(_ window: AcceptedSends, refusedSentAt: Duration, refusedAnsweredAt: Duration? = nil, pace: Double?) -> (rate: Double, learning: Learning)? {
        guard let start = window.start else { return nil }
        let seconds = max(refusedSentAt - start, Self.shortestSpan).inSeconds
        let accepted = window.count(from: start, through: refusedSentAt) ?? window.total
        // Spans ending at the refusal, with the requests accepted in each.
        let shortest = Self.shortestSpan.inSeconds
        let spans: [(seconds: Double, accepted: Int)] = [(seconds, accepted)]
            + window.spans(endingAt: refusedSentAt).map { (max($0.seconds, shortest), $0.accepted) }
        let refilled = window.refilled ?? .infinity
        switch learning {
        case .nothing:
            // The bucket was not full at the start (another client, an earlier run): learn
            // from the next window. (Counted to the end of the window: a server takes a burst
            // in an order of its own, and may refuse one of the first requests written.)
            guard max(accepted, window.total) >= Self.leastAccepted else { return nil }
            let toAnswer: [(seconds: Double, accepted: Int)] = refusedAnsweredAt.map { answered in
                // Sends up to the last accepted one, when that was written after the answer.
                let end = max(answered, window.latest ?? answered)
                return (window.spans(endingAt: end) + window.answerSpans(endingAt: answered)).map { (max($0.seconds, shortest), $0.accepted) }
            } ?? []
            let best = (spans + toAnswer).max { Self.firstGuess($0) < Self.firstGuess($1) } ?? spans[0]
            return (Self.clamp(Self.firstGuess(best), pace: pace), .firstWindow(accepted: best.accepted, seconds: best.seconds))
        case .firstWindow(let firstAccepted, let firstSeconds):
            // A₁ = B + L·D₁ and A = min(B, L·T) + L·D, each count at the lower end of its
            // one-request uncertainty.
            var rate = 0.0
            let partial = Double(accepted - 1) / (refilled + seconds)
            if firstSeconds - seconds >= Self.shortestDifference, accepted < firstAccepted {
                // This window shorter than the first one's span (which was paced, when the
                // first refusal taught nothing): the same two equations, the other way round,
                // unless the burst they give is more than the pause refilled.
                let solved = Double(firstAccepted - accepted - 1) / (firstSeconds - seconds)
                rate = refilled.isFinite && Double(accepted) - solved * seconds > solved * refilled ? partial : solved
            } else if refilled.isFinite, Double(firstAccepted) - partial * firstSeconds > partial * refilled {
                rate = partial  // the bucket was not full again: A = L·(T + D)
            } else if seconds - firstSeconds >= Self.shortestDifference, accepted > firstAccepted {
                rate = Double(accepted - firstAccepted - 1) / (seconds - firstSeconds)
            }
            rate = Self.clamp(max(rate, Self.proven(by: spans, burst: Double(firstAccepted))), pace: pace)
            return (rate, .known(burst: max(1, Double(firstAccepted) - rate * firstSeconds)))
        case .known(let burst):
            // Fewer accepted than the bucket held at the start: not the rate limit.
            guard Double(accepted) + 1 >= min(burst, (lastRate ?? .infinity) * refilled) else { return nil }
            var rate = max(Double(accepted) - burst - 1, 0) / seconds
            if refilled.isFinite && rate * refilled < burst {
                rate = Double(accepted - 1) / (refilled + seconds)  // not full again: A = L·(T + D)
            }
            return (Self.clamp(max(rate, Self.proven(by: spans, burst: burst)), pace: pace), learning)
        }
    }

    /// Commits what a refusal taught.
    mutating func learn(_ learning: Learning, rate: Double) {
        self.learning = learning
        lastRate = rate
    }

    /// The first window's guess from one span, with B = `assumedBurst` · L.
    private static func firstGuess(_ span: (seconds: Double, accepted: Int)) -> Double {
        Double(span.accepted) / (span.seconds + assumedBurst)
    }

    /// The most any span proves: it held at most B + L·S, so L ≥ (held − B − 1) / S.
    private static func proven(by spans: [(seconds: Double, accepted: Int)], burst: Double) -> Double {
        spans.map { (Double($0.accepted) - burst - 1) / $0.seconds }.max() ?? 0
    }

    /// At most the pace refused; 70% of it when nothing was proven.
    private static func clamp(_ rate: Double, pace: Double?) -> Double {
        var rate = rate
        if let pace { rate = rate > 0 ? min(pace, rate) : floorFactor * pace }
        return max(rate, lowestRate)
    }
}
