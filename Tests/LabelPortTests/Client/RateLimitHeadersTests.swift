import Testing
@testable import LabelPortCore

@Suite("Rate-limit headers", .timeLimit(.minutes(1)))
struct RateLimitHeadersTests {
    func parse(_ fields: [String: String], now: Double = 1_700_000_000) -> RateLimitHeaders? {
        let lowered = Dictionary(uniqueKeysWithValues: fields.map { ($0.key.lowercased(), $0.value) })
        return RateLimitHeaders(header: { lowered[$0.lowercased()] }, nowEpochSeconds: now)
    }

    @Test("standard fields, delta seconds")
    func standard() {
        #expect(parse(["RateLimit-Limit": "220", "RateLimit-Remaining": "205", "RateLimit-Reset": "1"])
            == RateLimitHeaders(limit: 220, remaining: 205, reset: .seconds(1)))
    }

    @Test("X- fields, a reset sent as a Unix timestamp becomes a delay")
    func xForms() {
        #expect(parse(["X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", "X-RateLimit-Reset": "1700000060"])
            == RateLimitHeaders(limit: 5000, remaining: 4999, reset: .seconds(60)))
        #expect(parse(["X-RateLimit-Reset": "1699999990"])?.reset == .zero, "a reset in the past is now")
    }

    @Test("a reset too far off for a Duration is capped at a century (it crashed the process)")
    func hugeReset() {
        let century = Duration.milliseconds(Int64(RateLimitHeaders.longestReset * 1000))
        #expect(parse(["RateLimit-Reset": "99999999999999999999"])?.reset == century)
        #expect(parse(["X-RateLimit-Reset": "9223372036854775807"])?.reset == century)
    }

    @Test("none of them, or only garbage: nil; a list value counts its first item")
    func absent() {
        #expect(parse(["Content-Type": "application/json"]) == nil)
        #expect(parse(["RateLimit-Limit": "lots"]) == nil)
        #expect(parse(["RateLimit-Limit": "100, 100;w=60"])?.limit == 100)
    }
}
