import Foundation
import LabelPortCore
import LabelPortSandbox
import Testing

/// Ctrl-C during `labelport apply`, `copy` and `undo`, as real processes: the same
/// handling as import (``WriteInterrupts``). The first SIGINT is acknowledged at once,
/// nothing new is sent, and the report, journal and summary hold what finished (exit 1);
/// a second quits at once with exit 130.
@Suite("apply, copy and undo: Ctrl-C", .timeLimit(.minutes(5)))
struct WriteInterruptProcessTests {
    static let labels = 2_000
    static let notice = "stopping: finishing "
    static let noticeEnd = " in flight; Ctrl-C again to quit\n"
    static let quitLine = "labelport: quit (second Ctrl-C); the report holds the rows finished so far\n"

    static func id(_ n: Int) -> String {
        let digits = String(n)
        return "cccccccc-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// Waits (bounded) for `text` on the process's stderr: the event a test waits on.
    static func waitForStderr(_ process: CLIProcess, _ text: String) async throws {
        for _ in 0..<2_000 where !process.stderrSoFar.contains(text) {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(process.stderrSoFar.contains(text), "\(process.stderrSoFar)")
    }

    /// A plan of `rows` (JSONL lines) into run A, saved by an in-process dry run.
    static func plan(_ rows: [String], _ sandbox: RunningSandbox, _ dir: TemporaryDirectory) async throws -> String {
        let input = try dir.write("rows.jsonl", rows.joined(separator: "\n") + "\n")
        let plan = dir.url("rows.plan.json")
        let made = try await UndoFixtures.run(["import", input, "--run-id", UndoFixtures.runA, "--dry-run", "--plan-out", plan], sandbox, dir)
        #expect(made.status == 0, "\(made.stderr)")
        return plan
    }

    @Test("apply, one SIGINT: the notice, exit 1, report and journal hold what was written, undo restores it")
    func applyInterrupted() async throws {
        let seed = (0..<Self.labels).map { #"{"id": "\#(Self.id($0))", "output_resource_name": "k-\#($0)", "object_value": {"n": \#($0)}}"# }
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed(seed), { configuration in
            configuration.faults = FaultSpec(latency: .milliseconds(1))
        }) { sandbox, dir in
            let original = UndoFixtures.values(sandbox)
            let rows = (0..<Self.labels).map { #"{"output_resource_name": "k-\#($0)", "object_value": {"n": \#($0), "changed": true}}"# }
            let plan = try await Self.plan(rows, sandbox, dir)
            let report = dir.url("apply-report.jsonl")
            let journal = dir.url("apply-journal.jsonl")
            let process = try CLIProcess(
                ["apply", plan, "--concurrency", "4", "--report", report, "--journal", journal] + (try ExportFixtures.connectionFlags(sandbox, dir)))
            try await ImportProcessTests.waitForWrites(sandbox, 300)
            process.signal(SIGINT)
            let result = await process.wait()
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains(Self.notice) && result.stderr.contains(Self.noticeEnd), "\(result.stderr)")
            #expect(result.stderr.contains("interrupted: rows not attempted are marked skipped in the report"), "\(result.stderr)")
            #expect(result.stderr.contains("journal: \(journal)"))

            let lines = try ImportFixtures.report(report)
            #expect(lines.count == Self.labels, "one line per planned write")
            let ok = lines.filter { $0["status"] == "ok" }.count
            let skipped = lines.filter { $0["status"] == "skipped" }.count
            // On a loaded machine a write can time out: it then fails as one the server may
            // have applied (never as anything else), and undo must restore it too.
            let failed = lines.filter { $0["status"] == "failed" }
            #expect(ok + skipped + failed.count == Self.labels)
            #expect(failed.allSatisfy { "\($0["error"] ?? .null)".contains("may have applied") }, "\(failed)")
            // The 300 writes the server applied before the Ctrl-C: answered ok, or (on a loaded
            // machine) failed as ones it may have applied.
            #expect(skipped > 0 && ok + failed.count >= 300, "\(ok) ok, \(failed.count) failed, \(skipped) skipped")
            let changed = sandbox.sandbox.goldLabels(runID: UndoFixtures.runA).filter { $0.objectValue?["changed"] != nil }.count
            #expect(changed >= ok && changed <= ok + failed.count, "every write reported ok was made, and nothing not attempted")
            #expect(try JournalReader.read(journal).entries.filter { $0.outcome?.status == .ok }.count == ok, "the journal holds the writes made")

            let undo = try await UndoFixtures.run(["undo", journal, "--no-journal"], sandbox, dir)
            #expect(undo.status == 0, "\(undo.stderr)")
            #expect(UndoFixtures.values(sandbox) == original)
        }
    }

    @Test("undo, one SIGINT: the notice, exit 1, the restores not sent counted as not attempted; a second undo finishes")
    func undoInterrupted() async throws {
        let seed = (0..<Self.labels).map { #"{"id": "\#(Self.id($0))", "output_resource_name": "k-\#($0)", "object_value": {"n": \#($0)}}"# }
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed(seed), { configuration in
            configuration.faults = FaultSpec(latency: .milliseconds(1))
        }) { sandbox, dir in
            let original = UndoFixtures.values(sandbox)
            let rows = (0..<Self.labels).map { #"{"output_resource_name": "k-\#($0)", "object_value": {"n": \#($0), "changed": true}}"# }
            let input = try dir.write("rows.jsonl", rows.joined(separator: "\n") + "\n")
            let journal = dir.url("import-journal.jsonl")
            let imported = try await UndoFixtures.run(["import", input, "--run-id", UndoFixtures.runA, "--journal", journal], sandbox, dir)
            #expect(imported.status == 0, "\(imported.stderr)")
            let process = try CLIProcess(
                ["undo", journal, "--concurrency", "4", "--no-journal"] + (try ExportFixtures.connectionFlags(sandbox, dir)))
            try await ImportProcessTests.waitForWrites(sandbox, Self.labels + 300)
            process.signal(SIGINT)
            let result = await process.wait()
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains(Self.notice) && result.stderr.contains(Self.noticeEnd), "\(result.stderr)")
            #expect(result.stderr.contains(" not attempted (interrupted)"), "\(result.stderr)")
            #expect(result.stderr.contains("interrupted: rows not attempted are marked skipped in the report"), "\(result.stderr)")

            let again = try await UndoFixtures.run(["undo", journal, "--no-journal"], sandbox, dir)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(UndoFixtures.values(sandbox) == original)
        }
    }

    @Test("apply, two SIGINTs: the notice, then exit 130 at once with the quit line; the report in plan order")
    func applyQuit() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(), { configuration in
            // Slow answers keep requests in flight when the signals come.
            configuration.faults = FaultSpec(latency: .seconds(4))
        }) { sandbox, dir in
            let rows = (0..<ImportProcessTests.rows).map { #"{"output_resource_name": "p-\#($0)", "object_value": {"n": \#($0)}}"# }
            let plan = try await Self.plan(rows, sandbox, dir)
            let report = dir.url("apply-report.jsonl")
            let process = try CLIProcess(
                ["apply", plan, "--concurrency", "4", "--report", report, "--no-journal"] + (try ExportFixtures.connectionFlags(sandbox, dir)))
            try await ImportProcessTests.waitForInFlight(sandbox, writes: 4, inFlight: 4)
            try await Self.interruptTwice(process, report: report)
        }
    }

    @Test("copy, one SIGINT: the notice, exit 1, the report holds what was written")
    func copyInterrupted() async throws {
        let (sourceSeed, runIDs) = ExportFixtures.bulkSeed(runs: 1, labels: 3_000)
        let run = runIDs[0]
        let destinationSeed = #"{"runs": [{"id": "\#(run)", "account_id": "\#(TestSandbox.accountA)"}]}"#
        try await CopyEnvironments.with(sourceSeed: sourceSeed, destinationSeed: destinationSeed, destinationFaults: FaultSpec(latency: .milliseconds(1))) { env in
            let report = env.directory.url("copy-report.jsonl")
            let journal = env.directory.url("copy-journal.jsonl")
            let process = try CLIProcess(
                ["copy", "--from", "src", "--to", "dst", "--run", run, "--concurrency", "4", "--report", report, "--journal", journal],
                environment: env.environment)
            try await ImportProcessTests.waitForWrites(env.destination, 300)
            process.signal(SIGINT)
            let result = await process.wait()
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stderr.contains(Self.notice) && result.stderr.contains(Self.noticeEnd), "\(result.stderr)")
            #expect(result.stderr.contains("interrupted: rows not attempted are marked skipped in the report"), "\(result.stderr)")
            let lines = try ImportFixtures.report(report)
            #expect(lines.count == 3_000, "one line per source label")
            let ok = lines.filter { $0["status"] == "ok" }.count
            // On a loaded machine a create can go unanswered (a timeout) just before the
            // Ctrl-C: its row then fails as "interrupted after sending" (the label may exist).
            let unknown = lines.filter { $0["status"] == "failed" && ($0["error"]?.stringValue ?? "").contains("interrupted after sending: the label may exist") }.count
            let others = lines.filter { $0["status"] != "ok" && $0["status"] != "skipped" }
            #expect(others.count == unknown, "nothing else failed: \(others.prefix(3).map { JSONWriter().string(.object($0)) })")
            #expect(ok + unknown >= 300 && ok < 3_000, "\(ok) ok, \(unknown) of unknown outcome")
            let copied = env.destination.sandbox.goldLabels(runID: run).count
            #expect(copied >= ok && copied <= ok + unknown, "every label reported ok was copied, and nothing else: \(copied) for \(ok) ok")
            #expect(try JournalReader.read(journal).entries.filter { $0.outcome?.status == .ok }.count == ok, "the journal holds the writes made")
        }
    }

    @Test("copy, two SIGINTs: the notice, then exit 130 at once with the quit line")
    func copyQuit() async throws {
        let (sourceSeed, runIDs) = ExportFixtures.bulkSeed(runs: 1, labels: 3_000)
        let run = runIDs[0]
        let destinationSeed = #"{"runs": [{"id": "\#(run)", "account_id": "\#(TestSandbox.accountA)"}]}"#
        try await CopyEnvironments.with(sourceSeed: sourceSeed, destinationSeed: destinationSeed, destinationFaults: FaultSpec(latency: .seconds(4))) { env in
            let report = env.directory.url("copy-report.jsonl")
            let process = try CLIProcess(
                ["copy", "--from", "src", "--to", "dst", "--run", run, "--concurrency", "4", "--report", report, "--no-journal"],
                environment: env.environment)
            try await ImportProcessTests.waitForInFlight(env.destination, writes: 4, inFlight: 4)
            try await Self.interruptTwice(process, report: report)
        }
    }

    @Test("copy, SIGTERM while reading a profile's CA file that is a FIFO nothing is written to: the process ends")
    func copyTerminatedReadingCAFile() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let fifo = dir.url("ca.pem")
            #expect(mkfifo(fifo, 0o600) == 0)
            let environment = try ProfileFixtures.environment(
                ProfileFixtures.profile("src", sandbox, "token_env = \"T\"\nca_file = \"\(fifo)\"") + "\n"
                    + ProfileFixtures.profile("dst", sandbox, "token_env = \"T\""),
                in: dir, ["T": CopyEnvironments.token])
            let process = try CLIProcess(["copy", "--from", "src", "--to", "dst", "--run", UndoFixtures.runA], environment: environment)
            // The event: labelport has the FIFO open for reading (a writer's open then
            // succeeds), and waits in a read for bytes that never come.
            var writer: Int32 = -1
            for _ in 0..<2_000 where writer < 0 {
                writer = open(fifo, O_WRONLY | O_NONBLOCK)
                if writer < 0 { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(writer >= 0, "labelport never opened the CA file")
            defer { if writer >= 0 { close(writer) } }
            process.signal(SIGTERM)
            // A process that ignores it is killed after 20 s (and the test fails).
            let watchdog = Task {
                try await Task.sleep(for: .seconds(20))
                process.signal(SIGKILL)
            }
            let result = await process.wait()
            watchdog.cancel()
            #expect(result.signalled && result.status == SIGTERM, "\(result.status) \(result.stderr)")
            #expect(sandbox.stats.requests.isEmpty)
        }
    }

    /// The first SIGINT, its notice, the second: exit 130 well before the requests in flight
    /// could end, the quit line last, and the report holding finished rows from the first.
    static func interruptTwice(_ process: CLIProcess, report: String) async throws {
        process.signal(SIGINT)
        try await waitForStderr(process, noticeEnd)
        let sentAt = ContinuousClock.now
        process.signal(SIGINT)
        let result = await process.wait()
        #expect(result.status == 130, "\(result.stderr)")
        #expect(!result.signalled)
        #expect(result.endedAt - sentAt < .seconds(2), "quit at once: \(result.endedAt - sentAt)")
        #expect(result.stderr.hasSuffix(quitLine), "\(result.stderr)")
        try Self.checkQuitReport(report, rows: ImportProcessTests.rows, concurrency: 4)
    }

    /// The report a second Ctrl-C leaves (uniform latency, `concurrency` requests at once):
    /// in input order, rows answered ok and then rows not attempted (skipped), with no
    /// more rows left out between them than were in flight.
    static func checkQuitReport(_ report: String, rows: Int, concurrency: Int) throws {
        let lines = try ImportFixtures.report(report)
        let numbers = lines.compactMap { if case .number(let n)? = $0["line"] { n.intValue } else { nil } }
        #expect(numbers.count == lines.count && zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }, "in input order: \(numbers.prefix(20))")
        let statuses = lines.map { $0["status"]?.stringValue ?? "-" }
        let ok = statuses.prefix { $0 == "ok" }.count
        #expect(ok > 0 && lines.count < rows, "\(lines.count) lines, \(ok) ok")
        #expect(statuses.dropFirst(ok).allSatisfy { $0 == "skipped" }, "ok rows, then skipped ones: \(Set(statuses))")
        let firstSkipped = ok < numbers.count ? numbers[ok] : (numbers.last ?? 0) + 1
        #expect(firstSkipped - 1 - ok <= concurrency, "left out before line \(firstSkipped): more than were in flight")
    }
}
