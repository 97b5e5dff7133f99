import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

@Suite("labelport copy between two sandboxes", .timeLimit(.minutes(3)))
struct CopyCommandTests {
    static let runA = TestSandbox.runA
    static let runC = ExportFixtures.runC

    @Test("copy into empty runs recreates every label exactly; a second copy writes nothing")
    func copyAndRecopy() async throws {
        try await CopyEnvironments.with { env in
            let report = env.directory.url("copy.jsonl")
            let first = await env.copy(["--run", Self.runA, "--run", Self.runC, "--report", report])
            #expect(first.status == 0, "\(first.stderr)")
            env.expectExactCopy(run: Self.runA)
            env.expectExactCopy(run: Self.runC)
            let labels = ExportFixtures.trickyLabels.count + 3
            #expect(env.destination.stats.writesApplied == labels)
            #expect(env.source.stats.writesApplied == 0)
            #expect(first.stderr.contains("\(labels) rows: \(labels) create, 0 update, 0 unchanged"), "\(first.stderr)")
            #expect(first.stderr.contains("verified: \(labels) labels in the destination match the source"))
            let lines = try ImportFixtures.report(report)
            #expect(lines.count == labels)
            #expect(lines.allSatisfy { $0["status"] == "ok" && $0["action"] == "create" })

            let second = await env.copy(["--run", Self.runA, "--run", Self.runC, "--json"])
            #expect(second.status == 0, "\(second.stderr)")
            #expect(env.destination.stats.writesApplied == labels, "a second copy makes no write")
            let summary = try ImportFixtures.value(second.stdout)
            #expect(summary["actions"]?.objectValue?["unchanged"] == .number(JSONNumber(labels)))
            #expect(summary["verify"]?.objectValue?["identical"] == true)

            // The token is in no output and no file written.
            let reportText = try FileText.read(report)
            for text in [first.stdout, first.stderr, second.stdout, second.stderr, reportText] {
                #expect(!text.contains(CopyEnvironments.token))
            }
        }
    }

    @Test("a destination run the server does not have: its rows fail, told to check the destination run id (copy has no --remap-run)")
    func missingDestinationRun() async throws {
        try await CopyEnvironments.with { env in
            let missing = "0dd00000-0000-4000-8000-000000000404"
            let result = await env.copy(["--run", "\(Self.runC)=\(missing)"])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains("failed: run \(missing) not found (404): check the destination run id (--run SRC=DST, or the runs file's dest_run_id)"), "\(result.stderr)")
            #expect(!result.stderr.contains("--remap-run"))
            #expect(!result.stderr.contains("verified:"), "nothing could be verified")
            #expect(env.destination.stats.writesApplied == 0)
        }
    }

    @Test("a name the destination run holds twice: a conflict told that copy cannot tell which label to update")
    func destinationConflict() async throws {
        let twice = (1...2).map { i in #"{"run_id": "\#(Self.runC)", "output_resource_name": "c-1", "text_value": "twice \#(i)"}"# }
        let seed = #"{"runs": [{"id": "\#(Self.runC)", "account_id": "\#(TestSandbox.accountA)"}], "gold_labels": [\#(twice.joined(separator: ","))]}"#
        try await CopyEnvironments.with(destinationSeed: seed) { env in
            let result = await env.copy(["--run", Self.runC])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains(#"copy "c-1" (run \#(Self.runC)): conflict: 2 labels in run \#(Self.runC) share output_resource_name "c-1""#), "\(result.stderr)")
            #expect(result.stderr.contains("not copied: labelport cannot tell which of them to update"), "\(result.stderr)")
            #expect(!result.stderr.contains("id column"))
        }
    }

    @Test("a name the source run holds twice: one write of the last label's values, said ambiguous; a second copy writes nothing")
    func sourceNameTwice() async throws {
        let twice = ["first", "second"].enumerated().map { i, text in
            #"{"id": "5d000000-0000-4000-8000-00000000000\#(i + 1)", "run_id": "\#(Self.runC)", "output_resource_name": "dup", "text_value": "\#(text)"}"#
        }
        let seed = #"{"runs": [{"id": "\#(Self.runC)", "account_id": "\#(TestSandbox.accountA)"}], "gold_labels": [\#(twice.joined(separator: ","))]}"#
        try await CopyEnvironments.with(sourceSeed: seed) { env in
            // The dry run says so too, from the source alone, and exits as the copy will (round 12 M2).
            let plan = await env.copy(["--run", Self.runC, "--dry-run"])
            #expect(plan.status == 1, "\(plan.stderr)")
            #expect(plan.stderr.contains(#"labelport copy: ambiguous "dup" (source run \#(Self.runC)): 2 source labels share the name; a copy by name keeps one"#), "\(plan.stderr)")
            #expect(env.destination.stats.writesApplied == 0)
            let first = await env.copy(["--run", Self.runC])
            #expect(first.status == 1, "\(first.stderr)")
            #expect(first.stderr.contains(#"ambiguous "dup" (source run \#(Self.runC)): 2 source labels share the name; a copy by name keeps one"#), "\(first.stderr)")
            #expect(env.destination.stats.writesApplied == 1, "one create, the rows merged")
            #expect(env.destination.sandbox.goldLabels(runID: Self.runC).map(\.textValue) == ["second"])
            let second = await env.copy(["--run", Self.runC])
            #expect(second.stderr.contains("2 rows: 0 create, 0 update, 2 unchanged"), "\(second.stderr)")
            #expect(env.destination.stats.writesApplied == 1, "a second copy makes no write")
        }
    }

    /// Two source runs into one destination run: the destination is verified after both
    /// are written, so the label the second overwrote is listed (round 12 M3).
    @Test("two source runs into one destination run: warned, verified once both are written, the overwritten label listed")
    func twoSourcesIntoOne() async throws {
        let labels = [
            #"{"run_id": "\#(Self.runA)", "output_resource_name": "x", "text_value": "from A"}"#,
            #"{"run_id": "\#(Self.runA)", "output_resource_name": "only-a", "text_value": "a"}"#,
            #"{"run_id": "\#(Self.runC)", "output_resource_name": "x", "text_value": "from C"}"#,
        ]
        let seed = #"{"runs": [{"id": "\#(Self.runA)", "account_id": "\#(TestSandbox.accountA)"}, {"id": "\#(Self.runC)", "account_id": "\#(TestSandbox.accountA)"}], "gold_labels": [\#(labels.joined(separator: ","))]}"#
        let empty = "44444444-4444-4444-8444-444444444444"
        let destinationSeed = #"{"runs": [{"id": "\#(empty)", "account_id": "\#(TestSandbox.accountA)"}]}"#
        try await CopyEnvironments.with(sourceSeed: seed, destinationSeed: destinationSeed) { env in
            let result = await env.copy(["--run", "\(Self.runA)=\(empty)", "--run", "\(Self.runC)=\(empty)"])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains(
                "labelport copy: warning: runs \(Self.runA), \(Self.runC) are all copied into run \(empty): "
                    + "a name several of them hold is written by each in turn, the last one's values stay, and the verification lists the others"),
                "\(result.stderr)")
            #expect(result.stderr.contains("verify: 1 difference between the source and the destination (of 3 labels checked):"), "\(result.stderr)")
            #expect(result.stderr.contains(#"  differs "x" "#), "\(result.stderr)")
            #expect(env.destination.sandbox.goldLabels(runID: empty).compactMap(\.textValue).sorted() == ["a", "from C"])
        }
        // The dry run plans each source against the destination as the copy of the one
        // before leaves it: "x" is created once, then updated (review N4).
        try await CopyEnvironments.with(sourceSeed: seed, destinationSeed: destinationSeed) { env in
            let plan = await env.copy(["--run", "\(Self.runA)=\(empty)", "--run", "\(Self.runC)=\(empty)", "--dry-run"])
            #expect(plan.stderr.contains(
                "the verification lists the others (this plan takes each against the run as the copy of those before it leaves it)"),
                "\(plan.stderr)")
            #expect(plan.stdout == """
                Plan: 3 rows in 2 runs: create 2, update 1, unchanged 0, conflict 0, invalid 0
                create "only-a" (source label 1, run \(empty))
                    + text_value: "a"
                create "x" (source label 2, run \(empty))
                    + text_value: "from A"
                update "x" (created by the copy of run \(Self.runA)) (source label 1, run \(empty))
                    ~ text_value: "from A" → "from C"

                """)
            #expect(env.destination.stats.writesApplied == 0)
        }
    }

    /// A partial flag null in the source and set in the destination: the dry run says no
    /// copy can make them equal, and exits 1 as the copy's verification will (round 12 M2).
    @Test("--dry-run: a partial flag the API cannot set back to null is said, exit 1")
    func dryRunPartialFlag() async throws {
        let run = Self.runC
        func seed(_ label: String) -> String {
            #"{"runs": [{"id": "\#(run)", "account_id": "\#(TestSandbox.accountA)"}], "gold_labels": [\#(label)]}"#
        }
        let source = seed(#"{"run_id": "\#(run)", "output_resource_name": "p", "object_value": {"a": 1}}"#)
        let destination = seed(#"{"run_id": "\#(run)", "output_resource_name": "p", "object_value": {"a": 1}, "object_value_is_partial": true}"#)
        try await CopyEnvironments.with(sourceSeed: source, destinationSeed: destination) { env in
            let plan = await env.copy(["--run", run, "--dry-run"])
            #expect(plan.status == 1, "\(plan.stderr)")
            #expect(plan.stderr.contains(
                #"labelport copy: cannot copy exactly "p" (run \#(run)): object_value_is_partial is null in the source and set in the destination, and the API cannot set it back to null"#),
                "\(plan.stderr)")
            #expect(env.destination.stats.writesApplied == 0)
        }
    }

    static let driftedSeed: String = ImportFixtures.seed([
        #"{"id": "d0000000-0000-4000-8000-000000000001", "output_resource_name": "doc-text", "text_value": "stale text"}"#,
        #"{"id": "d0000000-0000-4000-8000-000000000002", "output_resource_name": "doc-partial-false", "object_value": {"answer": {"tags": ["cat"], "score": 0.30000000000000004}}, "object_value_is_partial": false}"#,
        #"{"id": "d0000000-0000-4000-8000-000000000003", "output_resource_name": "only-in-destination", "text_value": "kept"}"#,
    ])

    @Test("copy journals every write it sends to the destination (what undo reads); --no-journal writes none")
    func journal() async throws {
        try await CopyEnvironments.with(destinationSeed: Self.driftedSeed) { env in
            let path = env.directory.url("copy-journal.jsonl")
            let result = await env.copy(["--run", Self.runA, "--journal", path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("journal: \(path) (take it back with labelport undo \(path))"), "\(result.stderr)")
            let journal = try JournalReader.read(path)
            #expect(journal.header.command == "copy")
            #expect(journal.entries.count == env.destination.stats.writesApplied)
            let textWrite = journal.entries.first { $0.write.outputResourceName == "doc-text" }
            #expect(textWrite?.write.before?.textValue == "stale text")
            #expect(!(try FileText.read(path)).contains(CopyEnvironments.token))

            let again = await env.copy(["--run", Self.runA, "--no-journal"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(!again.stderr.contains("journal:"))
        }
    }

    @Test("--dry-run lists the differences field by field and writes nothing")
    func dryRun() async throws {
        try await CopyEnvironments.with(destinationSeed: Self.driftedSeed) { env in
            let result = await env.copy(["--run", Self.runA, "--dry-run"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(env.destination.stats.writesApplied == 0)
            #expect(env.source.stats.writesApplied == 0)
            #expect(result.stdout == (try ProfileFixtures.golden("copy-dry-run.txt")))
            #expect(result.stderr.contains("dry run: nothing was written"))

            let json = await env.copy(["--run", Self.runA, "--dry-run", "--json"])
            #expect(json.status == 0)
            let plan = try ImportFixtures.value(json.stdout)
            #expect(plan["summary"]?.objectValue?["actions"]?.objectValue?["update"] == 2)
            #expect(env.destination.stats.writesApplied == 0)
        }
    }

    @Test("a destination changed by another client between write and verify is reported (exit 1)")
    func driftBeforeVerify() async throws {
        try await CopyEnvironments.with { env in
            let destination = env.destination
            let result = await CopyCommand.$beforeVerify.withValue({ run in
                guard let label = destination.sandbox.goldLabels(runID: run).first(where: { $0.outputResourceName == "doc-text" }) else { return }
                _ = try? await TestSandbox.withClient(destination) { client in
                    try await client.updateGoldLabel(runID: run, labelID: label.id, UpdateGoldLabelRequest(textValue: "changed by someone else"))
                }
            }) {
                await env.copy(["--run", Self.runA])
            }
            #expect(result.status == 1)
            #expect(result.stderr.contains("verify: 1 difference between the source and the destination (of 6 labels checked):"), "\(result.stderr)")
            #expect(result.stderr.contains("  differs \"doc-text\" "))
            #expect(result.stderr.contains(#"~ text_value: "commas, \"quotes\"\nand newlines\r\n, too" → "changed by someone else""#))
        }
    }

    @Test("a side without a profile uses flags; --runs-file with dest_run_id")
    func runsFileAndFlags() async throws {
        try await CopyEnvironments.with { env in
            let runsFile = try env.directory.write("runs.csv", "run_id,dest_run_id\n\(Self.runA),\(Self.runC)\n\(Self.runC),\n")
            let flags = try ExportFixtures.connectionFlags(env.destination, env.directory)
            let result = await ProfileFixtures.run(["copy", "--from", "src", "--runs-file", runsFile] + flags, environment: env.environment)
            #expect(result.status == 0, "\(result.stderr)")
            env.expectExactCopy(run: Self.runA, into: Self.runC)
            env.expectExactCopy(run: Self.runC)
            #expect(env.destination.sandbox.goldLabels(runID: Self.runA).isEmpty)
        }
    }

    @Test("with --from and --to, the connection flags given are said not to be used (--timeout is: a profile has none)")
    func unusedConnectionFlags() async throws {
        try await CopyEnvironments.with { env in
            let result = await env.copy(["--run", Self.runA, "--dry-run", "--ca-file", "/nowhere/ca.pem", "--timeout", "5", "--proxy", "http://127.0.0.1:9"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains(
                "labelport copy: warning: --from and --to name both sides, used as their profiles are written; not used: --ca-file, --proxy"),
                "\(result.stderr)")
            let plain = await env.copy(["--run", Self.runA, "--dry-run"])
            #expect(!plain.stderr.contains("not used"), "\(plain.stderr)")
        }
    }

    @Test("--timeout applies to sides named by profiles")
    func timeoutForProfiles() async throws {
        try await CopyEnvironments.with(destinationFaults: FaultSpec(latency: .seconds(3))) { env in
            let result = await env.copy(["--run", Self.runA, "--dry-run", "--timeout", "0.3", "--retries", "0"])
            #expect(result.status != 0, "\(result.stderr)")
            #expect(result.stderr.contains("for 0.3 s; --timeout sets how long to wait"), "\(result.stderr)")
        }
    }

    @Test("bad arguments are usage errors before any request")
    func usage() async throws {
        try await CopyEnvironments.with { env in
            let noRuns = await env.copy([])
            #expect(noRuns.status == 64)
            let badRun = await env.copy(["--run", "nope=\(Self.runA)"])
            #expect(badRun.status == 64)
            let badProfile = await ProfileFixtures.run(["copy", "--from", "nowhere", "--to", "dst", "--run", Self.runA], environment: env.environment)
            #expect(badProfile.status == 64)
            #expect(badProfile.stderr.contains("no profile \"nowhere\" (named by --from)"))
            let badRunsFile = try env.directory.write("bad-runs.csv", "run_id,dest_run_id\nnot-a-uuid,\n")
            let invalid = await ProfileFixtures.run(["copy", "--from", "src", "--to", "dst", "--runs-file", badRunsFile, "--verbose"], environment: env.environment)
            #expect(invalid.status == 2, "an invalid runs file: exit 2, as documented")
            #expect(invalid.stderr.contains("bad-runs.csv:2: run_id \"not-a-uuid\" is not a UUID"), "\(invalid.stderr)")
            #expect(env.source.stats.requests.isEmpty && env.destination.stats.requests.isEmpty)
        }
    }
}
