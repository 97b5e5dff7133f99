import Foundation

/// `labelport-bench rate-limit [--rows N] [--rounds N]`: imports against a release
/// sandbox that enforces 200 requests/s per token with a burst of 20, each round against a
/// fresh sandbox (its bucket full):
/// 1. labelport with default flags, no rate-limit headers (targets ≥ 90% of the limit,
///    ≤ 2% of requests refused);
/// 2. the same with `--rate-limit-headers` (targets ≥ 97%, ≤ 0.5%);
/// 3. the Python aiohttp importer (`scripts/bench_import_aiohttp.py`, concurrency 8, a
///    429 pauses every worker for Retry-After), for comparison, from `.venv-bench` (made
///    with aiohttp from PyPI when missing).
/// "% of limit" is requests served ÷ elapsed ÷ 200.
enum RateLimitBenchmark {
    static let limit = 200.0
    static let burst = 20

    struct Figures {
        var served: Int
        var refused: Int
        var seconds: Double
        var allowedRate: Double?
        var share: Double { Double(served) / seconds / RateLimitBenchmark.limit }
        var refusedShare: Double { Double(refused) / Double(max(1, served + refused)) }
    }

    static func run(_ arguments: [String]) async throws {
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count, let v = Int(arguments[i + 1]) else { return fallback }
            return v
        }
        let rows = option("--rows", 4_000)
        let rounds = option("--rounds", 3)
        let labelport = BenchProcess.binDirectory.appendingPathComponent("labelport").path
        guard FileManager.default.isExecutableFile(atPath: labelport) else { throw BenchError("no labelport binary beside the benchmark: \(labelport)") }
        let dir = NSTemporaryDirectory() + "labelport-ratelimit-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rowsFile = dir + "/rows.jsonl"
        try ImportBenchmark.writeRows(rowsFile, count: rows)
        let token = ImportBenchmark.token
        let sandboxArguments = ["--create-runs", "--token", "\(token)=bench", "--rate-limit", "200", "--rate-limit-burst", "\(burst)"]

        let python = BenchVenv.ensure()
        say("load average: \(loadAverage())")
        say("== \(rows) creates against a sandbox limiting each token to 200 req/s, burst 20; default flags (concurrency 8)")
        say("   \(rounds) interleaved rounds, each against a fresh sandbox; % of limit = served ÷ elapsed ÷ 200")
        var plain: [Figures] = [], headers: [Figures] = [], pythons: [Figures] = []
        for round in 0..<rounds {
            for (name, extra) in [("no headers", [String]()), ("--rate-limit-headers", ["--rate-limit-headers"])] {
                let sandbox = try BenchProcess.Sandbox(labelport, sandboxArguments + extra)
                defer { sandbox.stop() }
                let figures = try importRun(labelport, rowsFile, run: ImportBenchmark.uuid(200 + round), url: sandbox.baseURL, token: token)
                if extra.isEmpty { plain.append(figures) } else { headers.append(figures) }
                say(line("round \(round + 1) labelport, \(name)", figures))
            }
            guard let python else { continue }
            let sandbox = try BenchProcess.Sandbox(labelport, sandboxArguments)
            defer { sandbox.stop() }
            if let figures = pythonRun(python, url: sandbox.baseURL, token: token, file: rowsFile, run: ImportBenchmark.uuid(300 + round)) {
                pythons.append(figures)
                say(line("round \(round + 1) python aiohttp", figures))
            }
        }
        say("")
        say(summary("labelport, no headers", plain, targets: "target ≥ 90%, ≤ 2% refused"))
        say(summary("labelport, headers", headers, targets: "target ≥ 97%, ≤ 0.5% refused"))
        if pythons.isEmpty {
            say("python aiohttp: no figures (its venv could not be made: see above)")
        } else {
            say(summary("python aiohttp", pythons, targets: "for comparison, no headers"))
        }
        say("")
        say("| importer (medians of \(rounds)) | % of the limit | refused | elapsed |")
        say("| --- | --- | --- | --- |")
        for (name, figures) in [("labelport, no headers", plain), ("labelport, --rate-limit-headers", headers), ("Python aiohttp, no headers", pythons)] where !figures.isEmpty {
            say(String(
                format: "| %@ | %.1f%% | %.2f%% | %.2f s |", name, 100 * ImportBenchmark.median(figures.map(\.share)),
                100 * ImportBenchmark.median(figures.map(\.refusedShare)), ImportBenchmark.median(figures.map(\.seconds))))
        }
        say("load average: \(loadAverage())")
    }

    /// The 1-, 5- and 15-minute load averages (the machine is shared: figures come with it).
    static func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func line(_ name: String, _ f: Figures) -> String {
        let allowed = f.allowedRate.map { String(format: ", learned %.0f req/s", $0) } ?? ""
        return String(
            format: "%@: %.1f%% of the limit (%d served in %.2f s), %d refused = %.2f%%%@",
            name, 100 * f.share, f.served, f.seconds, f.refused, 100 * f.refusedShare, allowed)
    }

    static func summary(_ name: String, _ figures: [Figures], targets: String) -> String {
        guard !figures.isEmpty else { return "\(name): no figures" }
        let share = ImportBenchmark.median(figures.map(\.share))
        let refused = ImportBenchmark.median(figures.map(\.refusedShare))
        return String(format: "%@: median %.1f%% of the limit, %.2f%% refused (%@)", name, 100 * share, 100 * refused, targets)
    }

    static func importRun(_ labelport: String, _ file: String, run: String, url: String, token: String) throws -> Figures {
        let result = try BenchProcess.run(
            labelport, ["import", file, "--run-id", run, "--base-url", url, "--json"], environment: ["REFACTOR_API_TOKEN": token])
        guard result.status == 0, let data = result.stdout.data(using: .utf8),
            let summary = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let requests = summary["requests"] as? Int, let seconds = summary["elapsed_seconds"] as? Double,
            let refused = summary["refused"] as? Int
        else { throw BenchError("import failed (\(result.status)): \(result.stderr.suffix(500))") }
        return Figures(served: requests - refused, refused: refused, seconds: seconds, allowedRate: summary["allowed_rate"] as? Double)
    }

    static func pythonRun(_ python: String, url: String, token: String, file: String, run: String) -> Figures? {
        guard let result = try? BenchProcess.run(python, [BenchVenv.script, url, token, file, "--run-id", run, "--concurrency", "8"]),
            result.status == 0, let data = result.stdout.data(using: .utf8),
            let figures = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let requests = figures["requests"] as? Int, let refused = figures["refused"] as? Int,
            let seconds = figures["seconds"] as? Double
        else { return nil }
        return Figures(served: requests - refused, refused: refused, seconds: seconds, allowedRate: nil)
    }
}
