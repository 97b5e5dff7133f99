@testable import LabelPortCore
import Testing

/// The calls whose answer is read whole (a create, an update, one label), which go
/// through AsyncHTTPClient's delegate API bound to the caller's event loop once the
/// server speaks HTTP/2: over HTTP/1.1 they reuse the pool's connections, and a body that
/// is too large, stalls or is cut short is said as for a list.
@Suite("HTTP client: answers read whole", .timeLimit(.minutes(2)))
struct CollectedAnswerTests {
    static let run = HTTPClientTests.run
    static let label = HTTPClientTests.label
    static let labelID = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"

    @Test("from tasks on both event loops, 100 calls over HTTP/1.1 reuse at most 4 connections")
    func reuseOverHTTP1() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(ScriptedHTTPServer.response(200, Self.label)) }) { server in
            var configuration = try HTTPClientTests.configuration(server, concurrency: 4)
            configuration.eventLoopThreads = 2
            try await RefactorClient.withClient(configuration) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in 0..<4 {
                        group.addTask(executorPreference: client.taskExecutor(worker)) {
                            for _ in 0..<25 { _ = try await client.getGoldLabel(runID: Self.run, labelID: Self.labelID) }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(server.connectionCounts.requests == 100)
            #expect(server.connectionCounts.accepted <= 4)
        }
    }

    @Test("the attempt's send stamp is marked as the request is written, not before the call")
    func sendStampMarked() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(ScriptedHTTPServer.response(200, Self.label)) }) { server in
            try await RefactorClient.withClient(try HTTPClientTests.configuration(server)) { client in
                let ticks = Locked(0)
                // Each reading of this clock is one tick later: the call reads it once, as it writes.
                let stamp = SendStamp(now: { .milliseconds(ticks.withLock { $0 += 1; return $0 }) })
                try await SendStamp.$current.withValue(stamp) {
                    _ = try await client.getGoldLabel(runID: Self.run, labelID: Self.labelID)
                }
                #expect(stamp.time == .milliseconds(1))
                #expect(ticks.withLock { $0 } == 1)
                // Outside an attempt (no stamp), nothing is marked and nothing fails.
                _ = try await client.getGoldLabel(runID: Self.run, labelID: Self.labelID)
                #expect(ticks.withLock { $0 } == 1)
            }
        }
    }

    @Test("a body larger than maximumResponseBytes is refused", arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 50000000\r\n\r\n{",
        ScriptedHTTPServer.chunkedResponse(chunks: ["{\"a\":\"" + String(repeating: "x", count: 600), String(repeating: "y", count: 600) + "\"}"]),
        "HTTP/1.1 200 OK\r\n\r\n{\"a\":\"" + String(repeating: "x", count: 2000) + "\"}",
    ])
    func tooLarge(reply: String) async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(reply, close: true) }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try HTTPClientTests.configuration(server, maximumResponseBytes: 1000)) { client in
                    _ = try await client.getGoldLabel(runID: Self.run, labelID: Self.labelID)
                }
            }
            #expect(error?.kind == .invalidResponse)
            #expect(error?.detail?.contains("larger than 1000 bytes") == true, "\(String(describing: error))")
        }
    }

    @Test("an answer that stalls mid-body times out, saying how much had arrived")
    func stallMidBody() async throws {
        let head = "HTTP/1.1 201 Created\r\nContent-Length: 5000\r\n\r\n"
        try await ScriptedHTTPServer.withRunning({ _ in .send(head + "{" + String(repeating: " ", count: 2047)) }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try HTTPClientTests.configuration(server, requestTimeout: .milliseconds(300))) { client in
                    _ = try await client.createGoldLabel(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "doc-1", textValue: "x"))
                }
            }
            #expect(error?.kind == .timeout)
            #expect(error?.outcomeUnknown == true)
            #expect(error?.detail == "127.0.0.1:\(server.port) sent nothing for 0.3 s mid-answer (after 2 KiB); --timeout sets how long to wait", "\(String(describing: error))")
        }
    }

    @Test("an answer cut short is connectionDropped, its outcome unknown, with how much had arrived")
    func cutShort() async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send("HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\n{\"id\":", close: true) }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try HTTPClientTests.configuration(server)) { client in
                    _ = try await client.createGoldLabel(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "doc-1", textValue: "x"))
                }
            }
            #expect(error?.kind == .connectionDropped, "\(String(describing: error))")
            #expect(error?.outcomeUnknown == true)
            #expect(error?.detail?.contains("6 bytes") == true, "\(String(describing: error))")
            #expect(server.connectionCounts.requests == 1)
        }
    }

    @Test("a 2xx with no body where a label was expected says so", arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 204 No Content\r\n\r\n",
    ])
    func emptyBody(reply: String) async throws {
        try await ScriptedHTTPServer.withRunning({ _ in .send(reply) }) { server in
            let error = await expectAPIError {
                try await RefactorClient.withClient(try HTTPClientTests.configuration(server)) { client in
                    _ = try await client.getGoldLabel(runID: Self.run, labelID: Self.labelID)
                }
            }
            #expect(error?.kind == .invalidResponse)
            #expect(error?.detail == "the answer has no body, where JSON was expected", "\(String(describing: error))")
        }
    }
}
