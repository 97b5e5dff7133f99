import AsyncHTTPClient
import Foundation
import LabelPortCore
import NIOCore
import NIOPosix

/// `labelport-bench client-post-ahc URL TOKEN [N] [C]`: the same N creates as
/// `client-post`, through AsyncHTTPClient (the transport labelport used before its own),
/// doing the same work per request (JSON body out, label decoded in): the baseline the
/// lean transport is measured against.
enum ClientPostAHCBenchmark {
    static func run(_ arguments: [String]) async throws {
        guard arguments.count >= 2 else { throw BenchError("usage: client-post-ahc URL TOKEN [N] [C]") }
        let base = try ServerAddress(arguments[0]).baseURL
        let authorization = "Bearer " + arguments[1]
        let total = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
        let concurrency = arguments.count > 3 ? Int(arguments[3]) ?? 32 : 32
        let run = "cccc0000-0000-4000-8000-\(String(Int.random(in: 100_000_000_000..<999_999_999_999)))"
        let object = try JSONParser.parse(#"{"label":"value","score":0.5,"tags":["a","b"]}"#).objectValue
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        configuration.httpVersion = .http1Only
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let http = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: configuration)
        let started = ContinuousClock.now
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for worker in 0..<concurrency {
                    tasks.addTask {
                        var i = worker
                        while i < total {
                            let body = CreateGoldLabelRequest(outputResourceName: "doc-\(i)", objectValue: object, objectValueIsPartial: false)
                            var bytes: [UInt8] = []
                            JSONWriter().write(body.json, into: &bytes)
                            var request = HTTPClientRequest(url: "\(base)/v1/run/\(run)/gold-labels")
                            request.method = .POST
                            request.headers.add(name: "Authorization", value: authorization)
                            request.headers.add(name: "Accept", value: "application/json")
                            request.headers.add(name: "Content-Type", value: "application/json")
                            request.body = .bytes(ByteBuffer(bytes: bytes))
                            let response = try await http.execute(request, timeout: .seconds(30))
                            let buffer = try await response.body.collect(upTo: 1 << 20)
                            guard response.status.code == 201 else { throw BenchError("status \(response.status.code)") }
                            _ = try GoldLabel(json: try JSONParser.parse(Array(buffer.readableBytesView)))
                            i += concurrency
                        }
                    }
                }
                try await tasks.waitForAll()
            }
        } catch {
            try? await http.shutdown()
            try? await group.shutdownGracefully()
            throw error
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        try await http.shutdown()
        try await group.shutdownGracefully()
        say(String(format: "bare AsyncHTTPClient: %d creates, %d tasks: %.0f req/s", total, concurrency, Double(total) / seconds))
    }
}
