import Foundation
import LabelPortCore
import LabelPortSandbox
import Testing

/// The journal of a real `labelport import` process killed mid-run.
@Suite("labelport undo after SIGKILL", .timeLimit(.minutes(5)))
struct UndoProcessTests {
    static let labels = 2_000

    static func id(_ n: Int) -> String {
        let digits = String(n)
        return "bbbbbbbb-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    @Test("a SIGKILL mid-import leaves a journal from which undo restores every write that reached the server")
    func killThenUndo() async throws {
        let seed = (0..<Self.labels).map { #"{"id": "\#(Self.id($0))", "output_resource_name": "k-\#($0)", "object_value": {"n": \#($0)}}"# }
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(seed), { configuration in
            configuration.faults = FaultSpec(latency: .milliseconds(1))
        }) { sandbox, dir in
            let original = UndoFixtures.values(sandbox)
            let rows = (0..<Self.labels).map { #"{"output_resource_name": "k-\#($0)", "object_value": {"n": \#($0), "changed": true}}"# }
            let input = try dir.write("rows.jsonl", rows.joined(separator: "\n") + "\n")
            let journal = dir.url("killed.jsonl")
            let process = try CLIProcess(
                ["import", input, "--run-id", UndoFixtures.runA, "--concurrency", "4", "--journal", journal]
                    + (try ExportFixtures.connectionFlags(sandbox, dir)))
            try await ImportProcessTests.waitForWrites(sandbox, 300)
            process.signal(SIGKILL)
            let killed = await process.wait()
            #expect(killed.signalled)
            // Labels changed, not writes applied: a write retried after a timeout on a loaded
            // machine is applied twice but journaled once.
            let reached = sandbox.sandbox.goldLabels(runID: UndoFixtures.runA).filter { $0.objectValue?["changed"] != nil }.count
            #expect(reached > 0 && reached < Self.labels, "killed mid-run: \(reached)")

            let recorded = try JournalReader.read(journal)
            #expect(recorded.entries.count >= reached, "every write that reached the server has its line")
            #expect(!(try FileText.read(journal)).contains(TestSandbox.tokenA))

            let undo = try await UndoFixtures.run(["undo", journal, "--no-journal"], sandbox, dir)
            #expect(undo.status == 0, "\(undo.stderr)")
            // (Writes the killed process had sent may still land after `reached` is read, so
            // the number of restoring writes is not asserted; the final state is.)
            #expect(UndoFixtures.values(sandbox) == original)
        }
    }
}
