import Foundation

/// `labelport-bench import [--rows N] [--rounds N] [--dry-run-rows N] [--rate-seconds S]`: the import
/// targets, each against a release-built `labelport sandbox` child process:
/// 1. 20k new rows at concurrency 32: labelport vs a Python aiohttp importer doing the
///    same upsert vs `wrk` posting one fixed body (targets ≥ 1.5× Python, ≥ 70% of wrk);
/// 2. 20 ms injected latency at concurrency 64 (target ≥ 90% of Little's 3,200 req/s);
/// 3. `--rate 200` for ~30 s: achieved rate within ±2%, no 1-s window above rate + burst;
/// 4. peak RSS of a 1M-row dry run over 100 runs (target < 200 MB).
enum ImportBenchmark {
    static let token = "bench-token"

    static func run(_ arguments: [String]) async throws {
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
            return v
        }
        let rows = option("--rows", 20_000)
        let dryRunRows = option("--dry-run-rows", 1_000_000)
        let rateSeconds = option("--rate-seconds", 30)
        let labelport = BenchProcess.binDirectory.appendingPathComponent("labelport").path
        guard FileManager.default.isExecutableFile(atPath: labelport) else { throw BenchError("no labelport binary beside the benchmark: \(labelport)") }
        let dir = NSTemporaryDirectory() + "labelport-import-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rowsFile = dir + "/rows.jsonl"
        try writeRows(rowsFile, count: rows)
        let env = ["REFACTOR_API_TOKEN": token]

        let rounds = option("--rounds", 5)
        say("== import throughput: \(rows) new rows, concurrency 32, release sandbox on loopback")
        say("   \(rounds) interleaved rounds (labelport, python, wrk 5 s), each into a new run; the machine is shared, so medians are compared")
        let sandbox = try BenchProcess.Sandbox(labelport, ["--create-runs", "--token", "\(token)=bench"])
        defer { sandbox.stop() }
        var ours: [Double] = [], pythons: [Double] = [], wrks: [Double] = []
        for round in 0..<rounds {
            let figures = try importRun(labelport, rowsFile, run: uuid(10 + 3 * round), url: sandbox.baseURL, env: env, extra: ["--concurrency", "32"])
            ours.append(figures.rps)
            var line = String(format: "round %d: labelport %6.0f req/s (%d requests in %.2f s)", round + 1, figures.rps, figures.requests, figures.seconds)
            if let python = pythonRPS(url: sandbox.baseURL, file: rowsFile, run: uuid(11 + 3 * round)) {
                pythons.append(python)
                line += String(format: ", python %6.0f", python)
            }
            if let wrk = try wrkRPS(url: sandbox.baseURL, run: uuid(12 + 3 * round), dir: dir) {
                wrks.append(wrk)
                line += String(format: ", wrk %6.0f", wrk)
            }
            say(line)
        }
        let ourMedian = median(ours)
        say(String(format: "labelport import:   %8.0f req/s (median)", ourMedian))
        if pythons.isEmpty {
            say("python aiohttp:     skipped (its venv .venv-bench could not be made: see above)")
        } else {
            say(String(format: "python aiohttp:     %8.0f req/s (median) → labelport is %.2f× (target ≥ 1.5×)", median(pythons), ourMedian / median(pythons)))
        }
        if wrks.isEmpty {
            say("wrk:                skipped (apt-get install wrk)")
        } else {
            say(String(format: "wrk (fixed POST):   %8.0f req/s (median) → labelport is %.0f%% of wrk (target ≥ 70%%)", median(wrks), 100 * ourMedian / median(wrks)))
        }

        say("\n== 20 ms injected latency, concurrency 64 (Little's law: 64 / 0.020 s = 3,200 req/s)")
        let slow = try BenchProcess.Sandbox(labelport, ["--create-runs", "--token", "\(token)=bench", "--faults", "latency=20ms"])
        let latency = try importRun(labelport, rowsFile, run: uuid(4), url: slow.baseURL, env: env, extra: ["--concurrency", "64"])
        slow.stop()
        say(String(format: "labelport import:   %8.0f req/s  = %.1f%% of 3,200 (target ≥ 90%%)", latency.rps, 100 * latency.rps / 3200))

        say("\n== --rate 200 (burst 20) for about \(rateSeconds) s")
        let rateFile = dir + "/rate.jsonl"
        try writeRows(rateFile, count: 200 * rateSeconds)
        try sandbox.resetStats()
        _ = try importRun(labelport, rateFile, run: uuid(5), url: sandbox.baseURL, env: env, extra: ["--concurrency", "32", "--rate", "200"])
        let stats = try sandbox.stats()
        let total = stats["total_requests"] as? Int ?? 0
        let span = stats["arrival_span_seconds"] as? Double ?? 0
        let peak = stats["peak_requests_in_1s"] as? Int ?? 0
        let achieved = span > 0 ? Double(total - 1) / span : 0
        say(String(format: "achieved rate:      %8.2f req/s over %.1f s (%d requests) = %+.2f%% (target ±2%%)", achieved, span, total, 100 * (achieved - 200) / 200))
        say("busiest 1-s window: \(peak) requests (limit rate + burst = 220)")

        say("\n== peak RSS of a \(dryRunRows)-row dry run over 100 runs")
        let bigFile = dir + "/big.jsonl"
        try writeRows(bigFile, count: dryRunRows, runs: 100)
        if let time = BenchProcess.which("time") ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? "/usr/bin/time" : nil) {
            let started = Date()
            let result = try BenchProcess.run(time, ["-f", "%M", labelport, "import", bigFile, "--dry-run", "--base-url", sandbox.baseURL], environment: env, stdoutTo: "/dev/null")
            let kib = Int(result.stderr.split(separator: "\n").last.map(String.init) ?? "") ?? 0
            say(String(format: "dry run: exit %d in %.1f s, peak RSS %d MiB (target < 200 MB)", result.status, Date().timeIntervalSince(started), kib / 1024))
        } else {
            say("dry run: skipped (needs /usr/bin/time)")
        }
    }

    struct ImportFigures {
        var rps: Double
        var requests: Int
        var seconds: Double
    }

    static func importRun(_ labelport: String, _ file: String, run: String, url: String, env: [String: String], extra: [String]) throws -> ImportFigures {
        let result = try BenchProcess.run(labelport, ["import", file, "--run-id", run, "--base-url", url, "--json"] + extra, environment: env)
        guard result.status == 0, let data = result.stdout.data(using: .utf8),
            let summary = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let requests = summary["requests"] as? Int, let seconds = summary["elapsed_seconds"] as? Double
        else { throw BenchError("import failed (\(result.status)): \(result.stderr.suffix(500))") }
        return ImportFigures(rps: Double(requests) / seconds, requests: requests, seconds: seconds)
    }

    static func pythonRPS(url: String, file: String, run: String) -> Double? {
        guard let python = BenchVenv.ensure(),
            let result = try? BenchProcess.run(python, [BenchVenv.script, url, token, file, "--run-id", run, "--concurrency", "32"]),
            result.status == 0, let data = result.stdout.data(using: .utf8),
            let figures = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return figures["rps"] as? Double
    }

    static func wrkRPS(url: String, run: String, dir: String) throws -> Double? {
        guard let wrk = BenchProcess.which("wrk") else { return nil }
        let script = dir + "/post.lua"
        try """
            wrk.method = "POST"
            wrk.body = '{"output_resource_name":"wrk-doc","object_value":{"label":"value","score":0.5,"tags":["a","b"]}}'
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer \(token)"
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let result = try BenchProcess.run(wrk, ["-t2", "-c32", "-d5s", "-s", script, "\(url)/v1/run/\(run)/gold-labels"])
        guard let line = result.stdout.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }) else { return nil }
        return Double(line.split(separator: " ").last ?? "")
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func uuid(_ n: Int) -> String {
        let digits = String(n)
        return "bbbb0000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// JSONL rows with object values; with `runs`, rows spread over that many runs.
    static func writeRows(_ path: String, count: Int, runs: Int? = nil) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = ""
        for i in 0..<count {
            let run = runs.map { #""run_id": "\#(uuid(100 + i % $0))", "# } ?? ""
            buffer += #"{\#(run)"output_resource_name": "doc-\#(i).pdf", "object_value": {"label": "value \#(i)", "score": 0.\#(i % 97)1, "tags": ["a", "b"]}, "object_value_is_partial": false}"# + "\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(buffer.data(using: .utf8)!)
                buffer = ""
            }
        }
        handle.write(buffer.data(using: .utf8)!)
    }
}
