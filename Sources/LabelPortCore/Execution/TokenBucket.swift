/// A token bucket kept as its ideal timeline (the generic cell rate algorithm): one token
/// every `interval`, at most `capacity` saved up. Each reservation returns the instant the
/// request may be sent, computed from the ideal schedule rather than from when the caller
/// woke up, so a long run keeps its rate exactly, and any window of length W holds at most
/// `capacity + W / interval` sends.
///
/// Times are offsets from an origin (the executor's start).
struct TokenBucket: Sendable, Equatable {
    private(set) var rate: Double
    private(set) var interval: Duration
    private(set) var capacity: Int
    /// When the next token would be due if the bucket were empty ("theoretical arrival time").
    private(set) var nextDue: Duration = .zero

    init(rate: Double, capacity: Int) {
        self.rate = rate
        interval = .seconds(1 / rate)
        self.capacity = max(1, capacity)
    }

    /// Changes the rate and capacity from now on, keeping the schedule already reserved.
    mutating func retune(rate: Double, capacity: Int) {
        if rate != self.rate {
            self.rate = rate
            interval = .seconds(1 / rate)
        }
        self.capacity = max(1, capacity)
    }

    /// Takes a token; returns when the request may be sent (`now` or later).
    mutating func reserve(now: Duration) -> Duration {
        let due = max(nextDue, now)
        nextDue = due + interval
        return max(now, due - interval * (capacity - 1))
    }

    /// Empties the bucket as of `instant`: after a pause the requests resume at the rate,
    /// not with a burst.
    mutating func empty(at instant: Duration) {
        nextDue = max(nextDue, instant + interval * (capacity - 1))
    }
}
