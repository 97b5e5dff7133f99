@testable import LabelPortCore
import Testing

/// What single refusals teach, from windows built by hand (whole runs: ``SimulatedImportTests``).
/// The sandbox's bucket in each: 50 requests a second, a burst of 5.
@Suite("Rate estimator: what one refusal teaches", .timeLimit(.minutes(1)))
struct RateEstimatorTests {
    /// `count` accepted sends, evenly from `from` to `to`.
    static func window(_ count: Int, from: Duration, to: Duration, opensAt: Duration = .zero, refilled: Double? = nil) -> AcceptedSends {
        var window = AcceptedSends(opensAt: opensAt, refilled: refilled)
        for i in 0..<count { window.accept(sentAt: from + (to - from) * (Double(i) / Double(max(1, count - 1)))) }
        return window
    }

    /// The first burst's 6 accepted requests written over 30 ms, the refused one among the
    /// first written: only one accepted was written before it. It used to teach nothing,
    /// and the pace started again from a guess at a quarter of the limit.
    @Test("a first burst whose refused request was written early still gives a first estimate")
    func refusedWrittenEarly() throws {
        let window = Self.window(6, from: .milliseconds(4), to: .milliseconds(34))
        let (rate, _) = try #require(RateEstimator().estimate(
            window, refusedSentAt: .milliseconds(5), refusedAnsweredAt: .milliseconds(6), pace: nil))
        #expect(rate > 40 && rate < 55, "\(rate)")
    }

    /// The first estimate came from a paced window: 76 accepted over the last 1.4 s of it
    /// (the pace above the limit). The next window, after a full refill, is refused after
    /// 0.6 s with 34 accepted: shorter than the first, with fewer accepted. Solved only
    /// forwards, it was taken for a bucket of 76 not full again: 20.6 req/s of 50.
    @Test("a second window shorter than the first one's span is solved the other way round")
    func secondWindowShorter() throws {
        var estimator = RateEstimator()
        estimator.learn(.firstWindow(accepted: 76, seconds: 1.4), rate: 49.4)
        let window = Self.window(34, from: .milliseconds(10_518), to: .milliseconds(11_100), opensAt: .milliseconds(10_500), refilled: 1.0)
        let (rate, learning) = try #require(estimator.estimate(window, refusedSentAt: .milliseconds(11_118), pace: 48.5))
        #expect(rate > 45 && rate <= 48.5, "\(rate)")
        guard case .known(let burst) = learning else { Issue.record("\(learning)"); return }
        #expect(burst > 1 && burst < 15, "\(burst)")
    }
}
