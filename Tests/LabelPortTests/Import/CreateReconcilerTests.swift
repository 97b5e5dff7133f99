import Synchronization
import Testing
@testable import LabelPortCore

/// A create whose answer is lost: how long the reconciler gives the server before it
/// looks, on a manual clock, against a scripted server that stores the label when the
/// test says so (as a slow upstream behind a gateway does after the gateway's 504).
@Suite("Creates of unknown outcome", .timeLimit(.minutes(2)))
struct CreateReconcilerTests {
    static let run = "11111111-1111-4111-8111-111111111111"
    static let label = #"{"id":"aaaaaaaa-0000-4000-8000-000000000001","account_id":"a","run_id":"\#(run)","output_resource_name":"a","text_value":"x","created_at":"2026-01-01T00:00:00Z"}"#

    /// The server: POSTs answered with `status` (nothing stored), list reads with the
    /// labels stored so far.
    final class Upstream: Sendable {
        let stored = Mutex(false)
        let posts = Mutex(0)
        let reads = Mutex(0)
        let status: Int
        /// The status of list reads (200: the labels stored so far).
        let readStatus: Int
        /// The `Retry-After` of the POST's error answer, if any.
        let retryAfter: String?

        init(status: Int, readStatus: Int = 200, retryAfter: String? = nil) {
            self.status = status
            self.readStatus = readStatus
            self.retryAfter = retryAfter
        }

        func reply(_ request: ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply {
            if request.requestLine.hasPrefix("POST") {
                let count = posts.withLock { $0 += 1; return $0 }
                if count > 1 { return .send(ScriptedHTTPServer.response(201, CreateReconcilerTests.label)) }
                return .send(ScriptedHTTPServer.response(status, #"{"error":"upstream timed out"}"#, headers: retryAfter.map { ["Retry-After: \($0)"] } ?? []))
            }
            reads.withLock { $0 += 1 }
            if readStatus != 200 { return .send(ScriptedHTTPServer.response(readStatus, #"{"error":"cannot list"}"#)) }
            return .send(ScriptedHTTPServer.response(200, stored.withLock { $0 } ? "[\(CreateReconcilerTests.label)]" : "[]"))
        }
    }

    /// One create of label "a" through a reconciler on a manual clock, against `upstream`;
    /// `body` drives the clock and checks.
    static func creating(
        against upstream: Upstream,
        _ body: @Sendable (ManualClock, RequestExecutor, Task<String, any Error>) async throws -> Void
    ) async throws {
        try await ScriptedHTTPServer.withRunning({ upstream.reply($0) }) { server in
            try await RefactorClient.withClient(try HTTPClientTests.configuration(server)) { client in
                let clock = ManualClock()
                let executor = RequestExecutor(options: ExecutionOptions(retries: 3), clock: clock, random: { 0 })
                let reconciler = CreateReconciler(client: client, executor: executor, interrupt: InterruptFlag())
                reconciler.noteRead(runID: Self.run, labels: CompactRun([]))
                let create = Task {
                    try await reconciler.create(CreateGoldLabelRequest(outputResourceName: "a", textValue: "x"), runID: Self.run)
                }
                do {
                    try await body(clock, executor, create)
                } catch {
                    create.cancel()
                    throw error
                }
            }
        }
    }

    /// The message of the create's failure, which must be one whose label may exist.
    static func unknownFailure(_ create: Task<String, any Error>) async -> String? {
        do {
            _ = try await create.value
            Issue.record("created after all")
        } catch let failure as WriteFailure {
            guard case .failed(let message, let unknown, _) = failure else { Issue.record("\(failure)"); return nil }
            #expect(unknown, "the label may exist")
            return message
        } catch {
            Issue.record("\(error)")
        }
        return nil
    }

    @Test("after a 504 the run is read 5 s later, not at once: a label the server stored meanwhile is taken, not created again",
          arguments: [(504, Duration.seconds(5)), (502, Duration.milliseconds(250))])
    func settlesBeforeLooking(status: Int, settle: Duration) async throws {
        let upstream = Upstream(status: status)
        try await Self.creating(against: upstream) { clock, executor, create in
            // The create was answered and the reconciler waits on the clock, not having looked.
            try await HTTPClientTests.eventually("the create was answered and the reconciler waits") {
                upstream.posts.withLock { $0 } == 1 && clock.sleeperCount == 1
            }
            clock.advance(by: settle - .milliseconds(1))
            #expect(clock.sleeperCount == 1, "stopped waiting before the settle time")
            #expect(upstream.reads.withLock { $0 } == 0, "looked before the settle time")
            // The slow upstream stores the label; then the settle time ends.
            upstream.stored.withLock { $0 = true }
            clock.advance(by: .milliseconds(1))
            #expect(try await create.value == "aaaaaaaa-0000-4000-8000-000000000001")
            #expect(upstream.posts.withLock { $0 } == 1, "sent twice")
            #expect(executor.statistics.unansweredCreates == 1 && executor.statistics.resentCreates == 0)
        }
    }

    @Test("a create the server had not stored is sent again, counted as a retry and as sent again")
    func resent() async throws {
        let upstream = Upstream(status: 502)
        try await Self.creating(against: upstream) { clock, executor, create in
            try await HTTPClientTests.eventually("the reconciler waits before looking") { clock.sleeperCount == 1 }
            clock.advance(by: CreateReconciler.settleBeforeLooking)
            #expect(try await create.value == "aaaaaaaa-0000-4000-8000-000000000001")
            #expect(upstream.posts.withLock { $0 } == 2 && upstream.reads.withLock { $0 } == 1)
            let statistics = executor.statistics
            #expect(statistics.resentCreates == 1 && statistics.retries == 1 && statistics.requestsSent == 3)
        }
    }

    @Test("an unanswered create whose run cannot be read again fails saying the label may exist")
    func runUnreadable() async throws {
        let upstream = Upstream(status: 502, readStatus: 400)
        try await Self.creating(against: upstream) { clock, _, create in
            try await HTTPClientTests.eventually("the reconciler waits before looking") { clock.sleeperCount == 1 }
            clock.advance(by: CreateReconciler.settleBeforeLooking)
            let message = await Self.unknownFailure(create)
            #expect(message?.hasSuffix("; the create before it went unanswered, so the label may exist: run the import again (upsert finds it)") == true, "\(String(describing: message))")
            #expect(upstream.posts.withLock { $0 } == 1, "not sent again")
        }
    }

    @Test("a 5xx with Retry-After: the run is looked at, and the create sent again, no sooner than the server asked")
    func retryAfterHonoured() async throws {
        let upstream = Upstream(status: 503, retryAfter: "20")
        try await Self.creating(against: upstream) { clock, _, create in
            try await HTTPClientTests.eventually("the reconciler waits before looking") { clock.sleeperCount == 1 }
            clock.advance(by: .seconds(20) - .milliseconds(1))
            #expect(clock.sleeperCount == 1 && upstream.reads.withLock { $0 } == 0, "looked before Retry-After")
            clock.advance(by: .milliseconds(1))
            #expect(try await create.value == "aaaaaaaa-0000-4000-8000-000000000001")
            #expect(upstream.posts.withLock { $0 } == 2 && upstream.reads.withLock { $0 } == 1)
        }
    }

    @Test("a 5xx asking for longer than labelport waits: the create ends at once, its label perhaps made, the time asked said")
    func retryAfterTooLong() async throws {
        let upstream = Upstream(status: 503, retryAfter: "3600")
        try await Self.creating(against: upstream) { _, _, create in
            let message = await Self.unknownFailure(create)
            #expect(message?.hasSuffix("server error (503): upstream timed out; the server asked to wait 3600 s (1 h) before retrying, longer than labelport waits (300 s (5 min)), so it gave up: try again later; the label may exist: run the import again later (upsert finds it)") == true, "\(String(describing: message))")
            #expect(upstream.posts.withLock { $0 } == 1 && upstream.reads.withLock { $0 } == 0, "neither looked nor sent again")
        }
    }
}
