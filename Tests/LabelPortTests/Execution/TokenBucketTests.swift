import Testing
@testable import LabelPortCore

@Suite("Token bucket (no time)", .timeLimit(.minutes(10)))
struct TokenBucketTests {
    /// Reserves `count` tokens, each asked for at `arrival(i)` (or at the previous send if later,
    /// as a sequential caller would).
    func schedule(rate: Double, burst: Int, count: Int, arrival: (Int) -> Duration = { _ in .zero }) -> [Duration] {
        var bucket = TokenBucket(rate: rate, capacity: burst)
        return (0..<count).map { bucket.reserve(now: arrival($0)) }
    }

    @Test("burst goes at once, then one token per interval")
    func burstThenRate() {
        let times = schedule(rate: 10, burst: 3, count: 8)
        let expected: [Duration] = [0, 0, 0, 100, 200, 300, 400, 500].map { .milliseconds($0) }
        #expect(zip(times, expected).allSatisfy { approximately($0, $1) }, "\(times)")
    }

    @Test("no one-second window holds more than rate + burst", arguments: [(10.0, 1), (10.0, 5), (37.5, 3), (200.0, 20)])
    func windows(rate: Double, burst: Int) {
        // Everyone asks at once, then in waves after quiet spells.
        let times = schedule(rate: rate, burst: burst, count: 2000) { i in .milliseconds((i / 300) * 4000) }
        let limit = Int(rate) + burst
        var start = 0
        for end in times.indices {
            while times[end] - times[start] > .seconds(1) { start += 1 }
            #expect(end - start + 1 <= limit)
            if end - start + 1 > limit { return }
        }
        #expect(times == times.sorted())
    }

    @Test("a 30 s schedule keeps the rate: tokens come from the ideal timeline")
    func noDrift() {
        let rate = 33.3
        var bucket = TokenBucket(rate: rate, capacity: 1)
        var now = Duration.zero
        var sent = 0
        // A sequential caller that always wakes 7 ms late still gets the full rate.
        while true {
            let at = bucket.reserve(now: now)
            guard at <= .seconds(30) else { break }
            sent += 1
            now = at + .milliseconds(7)
        }
        #expect(abs(Double(sent) - rate * 30) / (rate * 30) < 0.02, "\(sent)")
    }

    @Test("emptying the bucket after a pause resumes at the rate, without a burst")
    func emptyAfterPause() {
        var bucket = TokenBucket(rate: 10, capacity: 5)
        bucket.empty(at: .seconds(2))
        let times = (0..<3).map { _ in bucket.reserve(now: .zero) }
        #expect(zip(times, [2000, 2100, 2200].map { Duration.milliseconds($0) }).allSatisfy { approximately($0, $1) }, "\(times)")
    }
}
