import Testing
@testable import LabelPortCore

/// Pacing by a server's `RateLimit-*` headers, against the model of the sandbox's token
/// bucket and the headers it sends (`RateLimit-Remaining`: the tokens left plus a second's
/// refill, over `RateLimit-Reset: 1`).
@Suite("Adaptive pacing by rate-limit headers", .timeLimit(.minutes(10)))
struct AdaptivePacerHeaderTests {
    /// (At a concurrency above the burst, the first requests go before any answer has
    /// told the limit, so those above the burst are refused and cost a pause.)
    @Test("with headers: ≥ 97% of the limit, ≤ 0.5% refused", arguments: [1, 4, 8, 16])
    func withHeaders(concurrency: Int) {
        var run = ConcurrentImport(server: ModelServer(rate: 200, burst: 20))
        run.concurrency = concurrency
        run.useHeaders = true
        run.run(rows: 4_000)
        #expect(run.shareOfLimit >= 0.97, "\(run.shareOfLimit)")
        #expect(run.refusedShare <= 0.005, "\(run.refused.count) refused")
    }

    /// A small bucket (the sandbox's default burst is a tenth of the rate): its saved
    /// tokens are part of the first answer's `RateLimit-Remaining`, so spreading that
    /// evenly from the moment it arrives overdraws the bucket by the one request sent at
    /// once. The pace starts one interval after the answer instead.
    @Test("with headers from a bucket of 2 at 20 req/s: none refused", arguments: [1, 8, 16])
    func smallBucket(concurrency: Int) {
        var run = ConcurrentImport(server: ModelServer(rate: 20, burst: 2))
        run.concurrency = concurrency
        run.leadingReads = 1
        run.useHeaders = true
        run.run(rows: 400)
        #expect(run.refused.isEmpty, "\(run.refused.count) refused: \(run.refused.prefix(5))")
        #expect(run.shareOfLimit >= 0.95, "\(run.shareOfLimit)")
    }
}
