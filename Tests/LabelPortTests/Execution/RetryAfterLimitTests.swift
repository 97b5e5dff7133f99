import Testing
@testable import LabelPortCore

/// A `Retry-After` longer than the executor waits ends the request at once, and the error
/// says what the server asked for.
@Suite("Retry-After beyond the wait limit", .timeLimit(.minutes(1)))
struct RetryAfterLimitTests {
    @Test("a 503 asking for an hour fails at once, saying so in words")
    func tooLong() async {
        let executor = RequestExecutor(options: ExecutionOptions(), clock: ManualClock(), random: { 0.5 }, wallClock: { 0 })
        var error = APIError.sample(.serverError, retryAfter: .seconds(3600))
        error.operation = "list gold labels of run R"
        error.detail = "maintenance"
        let thrown = error
        var caught: APIError?
        do {
            _ = try await executor.perform(.read) { () async throws(APIError) -> Int in throw thrown }
        } catch {
            caught = error
        }
        #expect(executor.statistics.requestsSent == 1)
        #expect(caught?.description == "list gold labels of run R: server error (503): maintenance; the server asked to wait 3600 s (1 h) before retrying, longer than labelport waits (300 s (5 min)), so it gave up: try again later")
    }

    @Test("Retry-After in words", arguments: [
        (RetryAfter.seconds(5), "5 s"), (.seconds(90), "90 s (1 min 30 s)"), (.seconds(7200), "7200 s (2 h)"),
        (.date(epochSeconds: 784_111_777), "until Sun, 06 Nov 1994 08:49:37 GMT"),
    ])
    func spoken(value: RetryAfter, text: String) {
        #expect(value.spoken == text)
    }
}
