import Foundation
import LabelPortCore
import LabelPortSandbox
import Testing

/// Issue 14, item 4: the first Ctrl-C is acknowledged at once; a second quits at once
/// with exit 130, the report holding the rows finished so far in input order.
@Suite("import: a second Ctrl-C", .timeLimit(.minutes(2)))
struct SecondInterruptTests {
    @Test("two SIGINTs: acknowledged, then exit 130 at once (not after the requests in flight), report in input order")
    func twoInterrupts() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(), { configuration in
            // Slow answers keep requests in flight when the signals come: finishing them
            // would take up to 4 s after the second Ctrl-C.
            configuration.faults = FaultSpec(latency: .seconds(4))
        }) { sandbox, dir in
            let input = try ImportProcessTests.input(in: dir)
            let report = dir.url("report.jsonl")
            let process = try CLIProcess(try ImportProcessTests.arguments(input, sandbox, dir, ["--report", report]))
            try await ImportProcessTests.waitForInFlight(sandbox, writes: 4, inFlight: 4)
            process.signal(SIGINT)
            // The event to wait for: the acknowledgement on stderr.
            for _ in 0..<2_000 where !process.stderrSoFar.contains("stopping: finishing") {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(process.stderrSoFar.contains("; Ctrl-C again to quit\n"), "\(process.stderrSoFar)")
            let sentAt = ContinuousClock.now
            process.signal(SIGINT)
            let result = await process.wait()
            let elapsed = ContinuousClock.now - sentAt
            #expect(result.status == 130, "\(result.stderr)")
            #expect(!result.signalled)
            // "At once": well before the requests in flight could end (a loaded machine may take
            // a while to start and reap a process, so not a tighter bound).
            #expect(elapsed < .seconds(2), "quit took \(elapsed)")
            let lines = try ImportFixtures.report(report)
            #expect(!lines.isEmpty && lines.count < ImportProcessTests.rows)
            #expect(lines.map { $0["line"] } == (0..<lines.count).map { .number(JSONNumber($0 + 1)) }, "finished rows, in input order, from the first")
            #expect(lines.allSatisfy { $0["status"] == "ok" }, "\(lines.map { $0["status"].map(String.init(describing:)) ?? "-" })")
        }
    }
}
