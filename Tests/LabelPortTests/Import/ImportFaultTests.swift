import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

@Suite("labelport import under faults", .timeLimit(.minutes(10)))
struct ImportFaultTests {
    /// 2,500 seeded labels to update and 2,500 new ones to create.
    static func files(in dir: TemporaryDirectory) throws -> (seed: String, input: String) {
        var seeded: [String] = []
        var rows: [String] = []
        for i in 0..<2_500 {
            seeded.append(#"{"output_resource_name": "old-\#(i)", "text_value": "before \#(i)"}"#)
            rows.append(#"{"output_resource_name": "old-\#(i)", "text_value": "after \#(i)"}"#)
            rows.append(#"{"output_resource_name": "new-\#(i)", "object_value": {"i": \#(i), "big": 1234567890123456789\#(i % 10)}}"#)
        }
        let input = try dir.write("rows.jsonl", rows.joined(separator: "\n") + "\n")
        return (ImportFixtures.seed(seeded), input)
    }

    @Test("5,000 rows through errors, throttling and dropped connections: exact final state, no duplicates, one final status per row")
    func faults() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let (seed, input) = try Self.files(in: dir)
        try await ExportFixtures.withSandbox(seed: seed, { configuration in
            configuration.faults = FaultSpec(error: 0.05, throttle: 0.05, dropAfterCommit: 0.05, retryAfterSeconds: 0)
            configuration.faultSeed = 42
        }) { sandbox, scratch in
            let report = scratch.url("report.jsonl")
            let result = try await ImportFixtures.importFile(
                input, sandbox, scratch, ["--run-id", ImportFixtures.runA, "--report", report, "--concurrency", "16", "--retries", "10"])
            #expect(result.status == 0, "\(result.stderr.suffix(2000))")
            // The lost answers are said, with the reads that settled them.
            #expect(result.stderr.contains(" ended with no known outcome (no answer, a cut-off, a 5xx): the run was read again "), "\(result.stderr.suffix(2000))")
            #expect(result.stderr.contains(" to find which the server had stored; "))
            let stats = sandbox.stats
            #expect((stats.faults["drop-after-commit"] ?? 0) > 50, "the faults really happened: \(stats.faults)")
            #expect((stats.faults["throttle"] ?? 0) > 50)
            #expect((stats.faults["error"] ?? 0) > 50)

            let labels = sandbox.sandbox.goldLabels(runID: ImportFixtures.runA)
            #expect(labels.count == 5_000, "no duplicates, none missing")
            let byName = Dictionary(grouping: labels, by: \.outputResourceName)
            #expect(byName.count == 5_000)
            for i in 0..<2_500 {
                #expect(byName["old-\(i)"]?.first?.textValue == "after \(i)")
                let object = byName["new-\(i)"]?.first?.objectValue
                #expect(object?["i"] == .number(JSONNumber(i)))
                #expect(object?["big"] == .number(JSONNumber("1234567890123456789\(i % 10)")!))
            }
            let lines = try ImportFixtures.report(report)
            #expect(lines.count == 5_000)
            #expect(lines.map { $0["line"] } == (1...5_000).map { JSONValue.number(JSONNumber($0)) })
            #expect(lines.allSatisfy { $0["status"] == "ok" })
        }
    }

    /// Every answer lost after the write is stored: the updates fail (no answer came),
    /// but the row says the server may hold them, as the journal's `unknown` does.
    @Test("an update whose answer never came says it may have been applied")
    func updateOutcomeUnknown() async throws {
        let seed = ImportFixtures.seed([#"{"output_resource_name": "u-1", "text_value": "before"}"#])
        try await ExportFixtures.withSandbox(seed: seed, { configuration in
            configuration.faults = FaultSpec(dropAfterCommit: 1)
        }) { sandbox, scratch in
            let input = try scratch.write("rows.jsonl", #"{"output_resource_name": "u-1", "text_value": "after"}"# + "\n")
            let report = scratch.url("report.jsonl")
            let result = try await ImportFixtures.importFile(input, sandbox, scratch, ["--run-id", ImportFixtures.runA, "--report", report, "--retries", "1"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("rows.jsonl:1: failed: update gold label"), "\(result.stderr)")
            #expect(result.stderr.contains("closed the connection before answering; the server may have applied it: run again to check (repeating an update is safe)"), "\(result.stderr)")
            #expect(try ImportFixtures.report(report).first?["status"] == "failed")
            #expect(sandbox.sandbox.goldLabels(runID: ImportFixtures.runA).first?.textValue == "after", "stored, though no answer said so")
        }
    }

    @Test("--concurrency 4 never has more than 4 requests in flight at the server")
    func concurrencyBound() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let rows = (0..<400).map { #"{"output_resource_name": "n-\#($0)", "text_value": "v"}"# }
        let input = try dir.write("rows.jsonl", rows.joined(separator: "\n") + "\n")
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(), { configuration in
            configuration.faults = FaultSpec(latency: .milliseconds(2))
        }) { sandbox, scratch in
            let result = try await ImportFixtures.importFile(input, sandbox, scratch, ["--run-id", ImportFixtures.runA, "--concurrency", "4"])
            #expect(result.status == 0)
            #expect(sandbox.stats.maxInFlight == 4, "saturated at the bound, never above: \(sandbox.stats.maxInFlight)")
            #expect(sandbox.sandbox.goldLabels(runID: ImportFixtures.runA).count == 400)
        }
    }
}
