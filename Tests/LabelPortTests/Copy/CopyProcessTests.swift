import Foundation
import LabelPortCore
import LabelPortSandbox
import Testing

/// The built binary copying between two sandboxes, killed mid-copy and run again.
@Suite("labelport copy as a process", .timeLimit(.minutes(5)))
struct CopyProcessTests {
    @Test("SIGKILL mid-copy, then copy again: exact, no duplicates")
    func killAndRerun() async throws {
        let (sourceSeed, runIDs) = ExportFixtures.bulkSeed(runs: 1, labels: 3_000)
        let run = runIDs[0]
        let destinationSeed = #"{"runs": [{"id": "\#(run)", "account_id": "\#(TestSandbox.accountA)"}]}"#
        try await CopyEnvironments.with(sourceSeed: sourceSeed, destinationSeed: destinationSeed, destinationFaults: FaultSpec(latency: .milliseconds(1))) { env in
            let arguments = ["copy", "--from", "src", "--to", "dst", "--run", run, "--concurrency", "4"]
            let first = try CLIProcess(arguments, environment: env.environment)
            try await ImportProcessTests.waitForWrites(env.destination, 300)
            first.signal(SIGKILL)
            let killed = await first.wait()
            #expect(killed.signalled)
            let partial = env.destination.sandbox.goldLabels(runID: run).count
            #expect(partial > 0 && partial < 3_000, "killed mid-copy: \(partial)")

            let second = await (try CLIProcess(arguments, environment: env.environment)).wait()
            #expect(second.status == 0, "\(second.stderr)")
            #expect(second.stderr.contains("verified: 3,000 labels in the destination match the source"), "\(second.stderr)")
            #expect(env.destination.sandbox.goldLabels(runID: run).count == 3_000)
            env.expectExactCopy(run: run)
            #expect(!second.stderr.contains(CopyEnvironments.token) && !second.stdout.contains(CopyEnvironments.token))
        }
    }
}
