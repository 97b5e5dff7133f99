import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

@Suite("labelport import against a rate-limited server", .timeLimit(.minutes(3)))
struct ImportRateLimitTests {
    static func rows(_ count: Int, in dir: TemporaryDirectory) throws -> String {
        let rows = (0..<count).map { #"{"output_resource_name": "r-\#($0)", "text_value": "v \#($0)"}"# }
        return try dir.write("rows.jsonl", rows.joined(separator: "\n") + "\n")
    }

    /// Imports 1,200 new rows against a sandbox allowing 300 req/s (burst 30): every row
    /// lands once, and the server refuses only a small share of the requests.
    @Test("paces itself to the server's limit: exact result, few refusals", arguments: [false, true])
    func pacesToTheLimit(headers: Bool) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let input = try Self.rows(1_200, in: dir)
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(), { configuration in
            configuration.rateLimit = RateLimitSpec(rate: 300, burst: 30, headers: headers)
        }) { sandbox, scratch in
            let result = try await ImportFixtures.importFile(input, sandbox, scratch, ["--run-id", ImportFixtures.runA, "--json"])
            #expect(result.status == 0, "\(result.stderr.suffix(2000))")
            let names = ImportFixtures.names(sandbox)
            #expect(names.count == 1_200 && Set(names).count == 1_200, "every row once")
            let stats = sandbox.stats
            // Loose bounds (a shared machine); the benchmark holds the tight figures.
            let share = Double(stats.rateLimited) / Double(max(1, stats.totalRequests))
            #expect(share < (headers ? 0.03 : 0.08), "refused \(stats.rateLimited) of \(stats.totalRequests)")
            let summary = try ImportFixtures.value(result.stdout)
            #expect(summary["refused"] == .number(JSONNumber(stats.rateLimited)))
            if stats.rateLimited > 0 || headers {
                #expect(summary["allowed_rate"] != .null)
                #expect(result.stderr.contains("rate limited: the server allowed about"), "\(result.stderr)")
            }
        }
    }
}
