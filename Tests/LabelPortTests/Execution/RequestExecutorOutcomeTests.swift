import Testing
@testable import LabelPortCore

/// A write whose attempt went out without a known outcome (dropped, timed out, a 5xx) may
/// have been applied, however its later attempts end: the request then ends as that
/// attempt did, so that the journal records it as unknown (undo looks at the label) and a
/// create's run is re-read, instead of as never sent.
@Suite("How a write ends after an attempt that may have been applied", .timeLimit(.minutes(10)))
struct RequestExecutorOutcomeTests: ExecutorOnManualClock {
    let clock = ManualClock()

    /// An update whose first attempt is dropped after it went out and whose later ones end with `then`.
    func droppedFirst(_ executor: RequestExecutor, attempts: InFlightCounter, then: APIError) -> Task<APIError?, Never> {
        Task { () -> APIError? in
            do throws(APIError) {
                _ = try await executor.perform(.update, operation: "update gold label") { () async throws(APIError) -> Int in
                    attempts.enter()
                    if attempts.calls == 1 {
                        throw APIError(kind: .connectionDropped, operation: "update gold label", detail: "the connection closed before an answer")
                    }
                    throw then
                }
                return nil
            } catch { return error }
        }
    }

    @Test("dropped after it went out, then refused (429) with no retry left: unknown, saying what followed", arguments: [
        (APIError(kind: .throttled, operation: "update gold label", status: 429), "sent again, then: throttled by the server (429)"),
        (APIError(kind: .connectFailed, operation: "update gold label", detail: "could not connect"), "sent again, then: could not connect"),
        (APIError(kind: .badRequest, operation: "update gold label", status: 400), "sent again, then: the server rejected the request (400)"),
    ])
    func droppedThenRefused(final: APIError, said: String) async {
        let executor = executor(ExecutionOptions(retries: 1), random: 0.5)
        let attempts = InFlightCounter()
        let task = droppedFirst(executor, attempts: attempts, then: final)
        await drive(callers: 1, finished: { attempts.calls == 2 ? 1 : 0 })
        let error = await task.value
        #expect(attempts.calls == 2)
        #expect(error?.kind == .connectionDropped, "\(String(describing: error))")
        #expect(error?.outcomeUnknown == true)
        #expect(error?.description == "update gold label: the connection closed before an answer; " + said, "\(String(describing: error))")
    }

    @Test("dropped, then a 429, then Ctrl-C during the backoff: still unknown, not cancelled")
    func droppedThrottledCancelled() async {
        let executor = executor(ExecutionOptions(retries: 5), random: 0.5)
        let attempts = InFlightCounter()
        let task = droppedFirst(executor, attempts: attempts, then: .sample(.throttled, retryAfter: .seconds(5)))
        await drive(callers: 1, finished: { attempts.calls == 2 ? 1 : 0 })
        #expect(await eventually { clock.sleeperCount == 1 })
        task.cancel()
        let error = await task.value
        #expect(attempts.calls == 2)
        #expect(error?.kind == .connectionDropped, "\(String(describing: error))")
        #expect(error?.description == "update gold label: the connection closed before an answer; interrupted before it was sent again")
    }

    @Test("a read answered 503 and then 404 ends as the 404 (a read applies nothing)")
    func readEndsAsItsAnswer() async {
        let executor = executor(ExecutionOptions(retries: 1), random: 0.5)
        let attempts = InFlightCounter()
        let task = Task { () -> APIError? in
            do throws(APIError) {
                _ = try await executor.perform(.read, operation: "get evaluation") { () async throws(APIError) -> Int in
                    attempts.enter()
                    throw attempts.calls == 1 ? .sample(.serverError) : .sample(.notFound)
                }
                return nil
            } catch { return error }
        }
        await drive(callers: 1, finished: { attempts.calls == 2 ? 1 : 0 })
        let error = await task.value
        #expect(attempts.calls == 2)
        #expect(error?.kind == .notFound, "\(String(describing: error))")
    }
}
