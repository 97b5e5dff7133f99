import Foundation
import LabelPortCore

/// `labelport-bench copy [LABELS] [REPEATS] [--seeded]`: `labelport copy` of one run of
/// LABELS labels (default 300,000) between two `labelport sandbox` children (the release
/// build beside this binary): the source holds the run (seeded as `big-run` seeds it),
/// the destination declares the same run id, empty. Each in a child process under
/// `/usr/bin/time`, with the profiles of a temporary config file (`LABELPORT_CONFIG`):
/// 1. `copy --dry-run` into the empty destination (a plan of LABELS creates);
/// 2. `copy` into the empty destination (every label created; once);
/// 3. `copy` again (nothing to write: read both sides, plan, verify);
/// 4. `copy --dry-run` again (nothing to write: read both sides, plan).
/// Prints wall time and peak RSS of each against the source run's list answer (a raw GET,
/// as `big-run` measures it), the ratio (target: peak RSS ≤ 1.5× the answer), and
/// requests per second of the copy that creates. With `--seeded` the destination starts
/// with the same labels and step 2 is left out (for sizes whose creates take too long).
/// Wall times: the best of REPEATS (default 3) for steps 3 and 4; peak RSS: the largest.
enum CopyBenchmark {
    static let token = BigRunBenchmark.token

    static func run(_ arguments: [String]) async throws {
        let seeded = arguments.contains("--seeded")
        let numbers = arguments.filter { $0 != "--seeded" }
        let labels = numbers.first.flatMap { Int($0) } ?? 300_000
        let repeats = numbers.count > 1 ? Int(numbers[1]) ?? 3 : 3
        let workspace = try BigRunWorkspace(name: "copy", labels: labels)
        defer { workspace.remove() }
        let (labelport, directory, run, seedFile, tokenFile) = (workspace.labelport, workspace.directory, workspace.run, workspace.seedFile, workspace.tokenFile)
        let emptyFile = try ExportBenchmark.write(directory + "/empty.json", #"{"runs": [{"id": "\#(run)", "account_id": "bench"}], "gold_labels": []}"#)

        say("copy: seeding one run of \(CountText.grouped(labels)) labels into the source sandbox child\(seeded ? " and the destination" : "")…")
        let source = try BenchProcess.Sandbox(labelport, ["--seed", seedFile, "--token", "\(token)=bench"])
        defer { source.stop() }
        let destination = try BenchProcess.Sandbox(labelport, ["--seed", seeded ? seedFile : emptyFile, "--token", "\(token)=bench"])
        defer { destination.stop() }
        guard let port = URL(string: source.baseURL)?.port else { throw BenchError("no port in \(source.baseURL)") }
        let config = try ExportBenchmark.write(directory + "/config.toml", """
            [profiles.src]
            base_url = "\(source.baseURL)"
            token_file = "\(tokenFile)"

            [profiles.dst]
            base_url = "\(destination.baseURL)"
            token_file = "\(tokenFile)"

            """)
        let environment = ["LABELPORT_CONFIG": config]
        let copy = ["copy", "--from", "src", "--to", "dst", "--run", run, "--journal", directory + "/journal.jsonl"]

        var raw = Double.infinity
        var answerBytes = 0
        for _ in 0..<max(repeats, 2) {
            let started = Date()
            answerBytes = try ExportBenchmark.rawGET(port: port, path: "/v1/run/\(run)/gold-labels")
            raw = min(raw, Date().timeIntervalSince(started))
        }

        var results: [(String, BigRunBenchmark.Measure)] = []
        if !seeded {
            let plan = try BigRunBenchmark.measure(labelport, copy + ["--dry-run"], expect: [0, 1], in: directory, environment: environment)
            results.append(("copy --dry-run (into empty)", plan))
            say("copy --dry-run into the empty run: \(BigRunBenchmark.format(plan.seconds)) s")
            let creates = try BigRunBenchmark.measure(labelport, copy, expect: [0], in: directory, environment: environment)
            results.append(("copy (into empty: all creates)", creates))
            say("copy into the empty run: \(BigRunBenchmark.format(creates.seconds)) s; \(summaryLine(creates.stderr))")
        }
        let again = try BigRunBenchmark.best(repeats) {
            try BigRunBenchmark.measure(labelport, copy, expect: [0], in: directory, environment: environment)
        }
        results.append(("copy again (nothing to write)", again))
        let dryRun = try BigRunBenchmark.best(repeats) {
            try BigRunBenchmark.measure(labelport, copy + ["--dry-run"], expect: [0], in: directory, environment: environment)
        }
        results.append(("copy --dry-run (nothing to write)", dryRun))

        let answerMiB = Double(answerBytes) / 1_048_576
        say("answer: \(BigRunBenchmark.format(answerMiB)) MiB (\(CountText.grouped(answerBytes)) bytes) for \(CountText.grouped(labels)) labels")
        say("raw GET of the source run (best of \(max(repeats, 2))):  \(BigRunBenchmark.format(raw)) s")
        for (name, m) in results {
            let rss = Double(m.peakKiB) / 1024
            say("\(name.padding(toLength: 36, withPad: " ", startingAt: 0)) wall \(BigRunBenchmark.format(m.seconds)) s  peak RSS \(BigRunBenchmark.format(rss)) MiB (\(BigRunBenchmark.format(rss / answerMiB))× answer)")
        }
        if !seeded, let creates = results.first(where: { $0.0.hasPrefix("copy (into empty") })?.1 {
            say("copy into the empty run: \(summaryLine(creates.stderr))")
        }
        say("target: every peak RSS ≤ 1.5× the source run's answer")
    }

    /// labelport's `N requests (R retries) in S s, X req/s` line.
    static func summaryLine(_ stderr: String) -> String {
        stderr.split(separator: "\n").last { $0.contains("req/s") }.map(String.init) ?? "(no summary line)"
    }
}
