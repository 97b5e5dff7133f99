import LabelPortCore
import LabelPortSandbox
import NIOCore
import NIOPosix
import Testing

/// The `latency` fault holds each API request on its connection before the handlers see
/// it; `/_sandbox` is not held, and a held request is in flight from its arrival.
@Suite("Sandbox latency", .timeLimit(.minutes(2)))
struct SandboxLatencyTests {
    typealias T = TestSandbox

    /// Reads `/_sandbox/stats` until `done` holds of it (at most 400 tries, 5 ms apart).
    private func waitForStats(_ sandbox: RunningSandbox, _ done: (JSONObject) -> Bool) async throws -> JSONObject? {
        for _ in 0..<400 {
            let (_, body) = try await RawHTTP.send(sandbox, .GET, "/_sandbox/stats", token: nil, body: nil)
            if let object = try JSONParser.parse(body).objectValue, done(object) { return object }
            try await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    /// A raw connection to `sandbox`.
    private func connect(_ sandbox: RunningSandbox) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: sandbox.port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
    }

    /// Sends a create of a label named `name` on a new raw connection.
    private func sendCreate(_ sandbox: RunningSandbox, _ name: String) async throws -> any Channel {
        let body = #"{"output_resource_name": "\#(name)", "text_value": "v"}"#
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: sandbox.port).get()
        try await channel.writeAndFlush(ByteBuffer(string:
            "POST /v1/run/\(T.runA)/gold-labels HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer \(T.tokenA)\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"))
        return channel
    }

    @Test("a held create is in flight, not applied yet, while /_sandbox/stats answers")
    func heldBeforeTheHandlers() async throws {
        try await T.withRunning({ $0.faults = FaultSpec(latency: .seconds(60)) }) { sandbox in
            let channel = try await sendCreate(sandbox, "held")
            let held = try await waitForStats(sandbox) { $0["in_flight"] == 1 }
            #expect(held?["max_in_flight"] == 1)
            #expect(held?["arrived"] == 1)
            #expect(held?["total_requests"] == 0)
            #expect(sandbox.sandbox.goldLabels(runID: T.runA).isEmpty, "held before it is applied")
            try await channel.close()
        }
    }

    @Test("a held create is applied after the latency though its client has gone")
    func appliedThoughTheClientLeft() async throws {
        try await T.withRunning({ $0.faults = FaultSpec(latency: .milliseconds(200)) }) { sandbox in
            // A server cannot tell a client that has gone from one that only closed its
            // sending side and still waits: the request, arrived whole, is served.
            try await sendCreate(sandbox, "held").close()
            let ended = try await waitForStats(sandbox) { $0["total_requests"] == 1 && $0["in_flight"] == 0 }
            #expect(ended != nil)
            #expect(ended?["arrived"] == 1)
            #expect(sandbox.sandbox.goldLabels(runID: T.runA).map(\.outputResourceName) == ["held"])
        }
    }

    @Test("a create is answered no sooner than the latency, and applied")
    func answeredAfterTheLatency() async throws {
        try await T.withRunning({ $0.faults = FaultSpec(latency: .milliseconds(300)) }) { sandbox in
            let start = ContinuousClock.now
            let (status, _) = try await RawHTTP.send(
                sandbox, .POST, "/v1/run/\(T.runA)/gold-labels", token: T.tokenA, body: #"{"output_resource_name": "late", "text_value": "v"}"#)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
            #expect(status == 201)
            #expect(sandbox.sandbox.goldLabels(runID: T.runA).map(\.outputResourceName) == ["late"])
            #expect(sandbox.stats.faults["latency"] == 1)
            #expect(sandbox.stats.inFlight == 0)
        }
    }

    @Test("requests pipelined on one connection are each held and answered in order")
    func pipelinedInOrder() async throws {
        try await T.withRunning({ $0.faults = FaultSpec(latency: .milliseconds(50)) }) { sandbox in
            let channel = try await connect(sandbox)
            let request = { (path: String) in "GET \(path) HTTP/1.1\r\nHost: sandbox\r\nAuthorization: Bearer \(T.tokenA)\r\n\r\n" }
            let both = request("/v1/run/\(T.runA)/evaluation/\(T.evaluationA)") + request("/v1/run/\(T.unknownUUID)/gold-labels")
            var answers = ""
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(ByteBuffer(string: both))
                for try await buffer in inbound {
                    answers += String(buffer: buffer)
                    if answers.components(separatedBy: "HTTP/1.1 ").count == 3 { break }
                }
            }
            let statuses = answers.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
            #expect(statuses == ["200", "404"], "the evaluation first, then the unknown run's labels: \(answers)")
            #expect(answers.contains(T.evaluationA))
            #expect(sandbox.stats.faults["latency"] == 2)
        }
    }
}
