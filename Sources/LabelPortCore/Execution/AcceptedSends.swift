/// The send times of the requests a server accepted in one window: from the first send
/// after its bucket last refilled (the start of the run, or the end of a pause it asked
/// for) to the refusal that ends the window. Answers arrive out of order
/// and after later sends, so requests are counted by when they were sent, not answered.
struct AcceptedSends: Sendable, Equatable {
    /// Send times kept (the most recent): 80 s at 200 req/s, 256 KiB.
    static let capacity = 16_384

    /// Sends before this belong to an earlier window (their answers come in late).
    let opensAt: Duration
    /// Seconds the server's bucket refilled before the window, from empty (the pause after
    /// a refusal); nil for the first window, taken to start full.
    let refilled: Double?
    /// The first send of the window; nil until one is made.
    private(set) var start: Duration?
    /// Every accepted request of the window, also those whose times were dropped.
    private(set) var total = 0
    /// The latest send of an accepted request.
    private(set) var latest: Duration?
    private var times: [Duration] = []
    private var head = 0
    /// The answer times of the first window's accepted requests (up to ``capacity``): the
    /// server saw its first requests later than they were handed over, by as long as it
    /// took to connect, and their answers tell its own span better.
    private var answers: [Duration] = []

    init(opensAt: Duration = .zero, refilled: Double? = nil) {
        self.opensAt = opensAt
        self.refilled = refilled
    }

    /// A request is (to be) sent at `instant`.
    mutating func sent(at instant: Duration) {
        if start == nil && instant >= opensAt { start = instant }
    }

    /// The server accepted the request sent at `sentAt` (its answer came at `answeredAt`).
    mutating func accept(sentAt: Duration, answeredAt: Duration? = nil) {
        guard sentAt >= opensAt else { return }
        if refilled == nil, let answeredAt, answers.count < Self.capacity { answers.append(answeredAt) }
        sent(at: sentAt)
        if let start, sentAt < start { self.start = sentAt }
        latest = max(latest ?? sentAt, sentAt)
        total += 1
        if times.count < Self.capacity {
            times.append(sentAt)
        } else {
            times[head] = sentAt
            head = (head + 1) % Self.capacity
        }
    }

    /// Every span that starts at an accepted send and ends at `end`, with the accepted
    /// sends in it (from the longest; spans of sends that were dropped are left out).
    func spans(endingAt end: Duration) -> [(seconds: Double, accepted: Int)] {
        let sorted = times.filter { $0 <= end }.sorted()
        return sorted.indices.map { i in ((end - sorted[i]).inSeconds, sorted.count - i) }
    }

    /// The same by answer times (first window only): every span from an accepted answer to
    /// `end`, with the accepted answers in it.
    func answerSpans(endingAt end: Duration) -> [(seconds: Double, accepted: Int)] {
        let sorted = answers.filter { $0 <= end }.sorted()
        return sorted.indices.map { i in ((end - sorted[i]).inSeconds, sorted.count - i) }
    }

    /// Accepted requests sent in `from...through`; nil when some sent then were dropped.
    func count(from: Duration, through: Duration) -> Int? {
        if times.count == Self.capacity && times[head] > from { return nil }
        return times.reduce(0) { $0 + ($1 >= from && $1 <= through ? 1 : 0) }
    }
}
