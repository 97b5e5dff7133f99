import Foundation
import LabelPortCore

/// `labelport-bench client-post URL TOKEN [N] [C]`: N creates through the bare
/// ``RefactorClient`` with C tasks (no executor, no import engine), to separate the
/// HTTP client's cost from the import pipeline's.
enum ClientPostBenchmark {
    static func run(_ arguments: [String]) async throws {
        guard arguments.count >= 2 else { throw BenchError("usage: client-post URL TOKEN [N] [C]") }
        let total = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
        let concurrency = arguments.count > 3 ? Int(arguments[3]) ?? 32 : 32
        let run = "cccc0000-0000-4000-8000-\(String(Int.random(in: 100_000_000_000..<999_999_999_999)))"
        let configuration = RefactorClient.Configuration(
            server: try ServerAddress(arguments[0]), token: APIToken(arguments[1])!, concurrency: concurrency)
        let object = try JSONParser.parse(#"{"label":"value","score":0.5,"tags":["a","b"]}"#).objectValue
        let started = ContinuousClock.now
        try await RefactorClient.withClient(configuration) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    // As the import engine runs its workers: spread over the client's event
                    // loops, each sending the same calls (reading only the new label's id).
                    group.addTask(executorPreference: client.taskExecutor(worker)) {
                        var i = worker
                        while i < total {
                            _ = try await client.createGoldLabelID(
                                runID: run, CreateGoldLabelRequest(outputResourceName: "doc-\(i)", objectValue: object, objectValueIsPartial: false))
                            i += concurrency
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        say(String(format: "bare client (RefactorClient on AsyncHTTPClient): %d creates, %d tasks: %.0f req/s", total, concurrency, Double(total) / seconds))
    }
}
