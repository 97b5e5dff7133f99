/// The instants of the last `limit` requests sent, so that no window of `span` holds more
/// than `limit` of them, however the sends were delayed.
///
/// The token bucket keeps to its ideal schedule, which is right for the long-run rate but
/// lets requests whose wake-up came late (a stalled machine, connections still opening)
/// go together with the ones due after them. Under `--rate` the contract is a hard one —
/// no one-second window holds more than rate + burst — so every send also passes here.
/// `span` is a little over a second: the server sees the requests a little after they
/// leave, not all equally late.
struct SendWindow: Sendable, Equatable {
    let limit: Int
    let span: Duration
    /// The last `limit` send instants, oldest at `oldest` once full.
    private var times: [Duration] = []
    private var oldest = 0

    /// How much longer than a second the window kept is: what a request's way to the
    /// server may vary by, so that the server's one-second windows hold.
    static let margin = Duration.milliseconds(25)

    /// The window for `--rate` (`rate + burst` in a second), or nil without a ceiling.
    init?(ceiling: Double?, burst: Int) {
        guard let ceiling else { return nil }
        self.init(limit: Int(ceiling.rounded(.down)) + max(1, burst), span: .seconds(1) + Self.margin)
    }

    init(limit: Int, span: Duration) {
        self.limit = max(1, limit)
        self.span = span
        times.reserveCapacity(self.limit)
    }

    /// Records a send at `now` and returns nil when the window has room; otherwise records
    /// nothing and returns when it will have room.
    mutating func admit(now: Duration) -> Duration? {
        if times.count < limit {
            times.append(now)
            return nil
        }
        let free = times[oldest] + span
        if now < free { return free }
        times[oldest] = now
        oldest = (oldest + 1) % limit
        return nil
    }
}
