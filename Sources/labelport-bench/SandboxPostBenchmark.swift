import LabelPortCore
import LabelPortSandbox

/// `sandbox-post [COUNT] [CONCURRENCY]`: starts an in-process sandbox on a free port and
/// creates COUNT (20000) gold labels through RefactorClient with CONCURRENCY (64)
/// requests in flight; prints requests per second and the sandbox's highest in-flight.
func sandboxPostBenchmark(_ arguments: [String]) async throws {
    let count = arguments.first.flatMap(Int.init) ?? 20_000
    let concurrency = arguments.dropFirst().first.flatMap(Int.init) ?? 64
    let run = "3f0c8a52-6d1e-4b7a-9c2f-1a2b3c4d5e6f"
    let configuration = SandboxConfiguration(port: 0, createRuns: true)
    try await SandboxServer.withRunning(configuration) { sandbox in
        guard let token = APIToken(SandboxConfiguration.defaultToken) else { return }
        let client = RefactorClient.Configuration(server: try ServerAddress(sandbox.baseURL, allowInsecureHTTP: false), token: token, concurrency: concurrency)
        let clock = ContinuousClock()
        let start = clock.now
        try await RefactorClient.withClient(client) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        var i = worker
                        while i < count {
                            _ = try await client.createGoldLabel(runID: run, CreateGoldLabelRequest(outputResourceName: "doc-\(i)", objectValue: JSONObject([(key: "n", value: .number(JSONNumber(i)))])))
                            i += concurrency
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let elapsed = clock.now - start
        let seconds = elapsed.inSeconds
        let stats = sandbox.stats
        print("sandbox-post: \(count) creates, concurrency \(concurrency): \(Double(Int(seconds * 100)) / 100) s, \(Int(Double(count) / seconds)) req/s, writes applied \(stats.writesApplied), max in flight \(stats.maxInFlight)")
    }
}
