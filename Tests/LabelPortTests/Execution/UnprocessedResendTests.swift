import Testing
@testable import LabelPortCore

/// A request the server closed its connection on before processing it (an HTTP/2 stream
/// refused, or dropped by a GOAWAY) is sent again at once, without spending a retry.
@Suite("Requests the server did not process", .timeLimit(.minutes(1)))
struct UnprocessedResendTests {
    static var unprocessed: APIError {
        var error = APIError.sample(.connectFailed)
        error.operation = "create gold label \"doc-1\""
        error.unprocessed = true
        return error
    }

    @Test("sent again at once, even with --retries 0, counted apart from requests and retries")
    func resentWithoutRetries() async throws {
        let executor = RequestExecutor(options: ExecutionOptions(retries: 0), clock: ManualClock(), random: { 0.5 }, wallClock: { 0 })
        let calls = Locked(0)
        let value = try await executor.perform(.create) { () async throws(APIError) -> Int in
            let n = calls.withLock { $0 += 1; return $0 }
            if n <= 3 { throw Self.unprocessed }
            return n
        }
        #expect(value == 4)
        let statistics = executor.statistics
        #expect(statistics.requestsSent == 1 && statistics.retries == 0, "one request the server processed, no retry")
        #expect(statistics.refusedUnprocessed == 3)
        #expect(statistics.failed == 0)
    }

    @Test("while the server answers other requests, a request it keeps closing unprocessed is sent again past the bound")
    func progressResetsTheBound() async throws {
        let executor = RequestExecutor(options: ExecutionOptions(concurrency: 4, retries: 0), clock: ManualClock(), random: { 0.5 }, wallClock: { 0 })
        let refusals = RequestExecutor.unprocessedResends * 2
        let calls = Locked(0)
        let value = try await executor.perform(.create) { () async throws(APIError) -> Int in
            let n = calls.withLock { $0 += 1; return $0 }
            guard n <= refusals else { return n }
            // Another request is answered before each refusal: the server makes progress.
            _ = try await executor.perform(.read) { () async throws(APIError) -> Int in 0 }
            throw Self.unprocessed
        }
        #expect(value == refusals + 1)
        #expect(executor.statistics.refusedUnprocessed == refusals)
    }

    @Test("a request the server refuses for ever while it answers others ends after a bound in all")
    func boundInAll() async {
        let executor = RequestExecutor(options: ExecutionOptions(concurrency: 4, retries: 0), clock: ManualClock(), random: { 0.5 }, wallClock: { 0 })
        var caught: APIError?
        do {
            _ = try await executor.perform(.create) { () async throws(APIError) -> Int in
                _ = try await executor.perform(.read) { () async throws(APIError) -> Int in 0 }
                throw Self.unprocessed
            }
        } catch {
            caught = error
        }
        #expect(caught?.unprocessed == true)
        #expect(executor.statistics.refusedUnprocessed == RequestExecutor.unprocessedResendsInAll + 1)
    }

    @Test("bounded: a server that refuses everything ends as the retries allow")
    func bounded() async {
        let executor = RequestExecutor(options: ExecutionOptions(retries: 0), clock: ManualClock(), random: { 0.5 }, wallClock: { 0 })
        var caught: APIError?
        do {
            _ = try await executor.perform(.create) { () async throws(APIError) -> Int in throw Self.unprocessed }
        } catch {
            caught = error
        }
        #expect(caught?.unprocessed == true)
        #expect(executor.statistics.refusedUnprocessed == RequestExecutor.unprocessedResends + 1)
        #expect(executor.statistics.requestsSent == 0)
        #expect(executor.statistics.failed == 1)
    }
}
