import Foundation

/// The export half of `labelport-bench xlsx`: the whole `labelport export labels` command
/// (fetching included) against a `labelport sandbox` child (run the release build) seeded with one run of
/// N labels, each export a fresh process timed whole (wall and CPU) with its peak RSS
/// (`/usr/bin/time`);
/// beside it the same run as JSONL, the raw transfer of the run's list answer (curl), and
/// XlsxWriter in constant-memory mode writing the same cells (scripts/bench_xlsx.py).
/// Targets: xlsx export ≤ 0.5× XlsxWriter's time; peak RSS ≤ 1.5× the list answer's size.
enum XlsxExportBench {
    static let token = "bench-token"
    static let account = "acc-1"
    static let runID = "123e4567-e89b-12d3-a456-426614174000"
    /// Runs of each measurement; the fastest is shown (the machine is shared).
    static let repeats = 3

    static func run(rows: Int, directory: URL) throws {
        let labelport = BenchProcess.binDirectory.appendingPathComponent("labelport").path
        guard FileManager.default.isExecutableFile(atPath: labelport) else { throw BenchError("no labelport binary beside the benchmark: \(labelport)") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { throw BenchError("the export benchmark needs /usr/bin/time") }
        let seed = directory.appendingPathComponent("seed.json").path
        try writeSeed(seed, rows: rows)
        let sandbox = try BenchProcess.Sandbox(labelport, ["--seed", seed, "--token", "\(token)=\(account)"])
        defer { sandbox.stop() }
        let (answerBytes, transfer) = try rawTransfer(sandbox.baseURL)
        let answerMB = Double(answerBytes) / 1_048_576
        say(String(format: "export:    one run of %d labels from a labelport sandbox child; its list answer %.1f MB, raw transfer (curl) %.2f s", rows, answerMB, transfer))
        let env = ["REFACTOR_API_TOKEN": token]
        var figures: [String: Figures] = [:]
        for format in ["jsonl", "xlsx"] {
            let out = directory.appendingPathComponent("export.\(format)").path
            figures[format] = try measure(labelport, ["export", "labels", "--run", runID, "--out", out, "--base-url", sandbox.baseURL], environment: env)
            let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
            let line = figures[format]!
            say(String(format: "           labelport export labels --out f.%@: %.2f s (CPU %.2f s), peak RSS %.1f MB (%.2f× the answer), file %.1f MB",
                       format, line.wall, line.cpu, line.peakMB, line.peakMB / answerMB, Double(size) / 1_048_576))
        }
        let out = directory.appendingPathComponent("xlsxwriter.xlsx").path
        let writer = try measure(XlsxBench.pythonPath, [XlsxBench.scriptPath, "xlsxwriter", String(rows), out])
        let check = try ValidateBench.capture(XlsxBench.pythonPath, [XlsxBench.scriptPath, "same", directory.appendingPathComponent("export.xlsx").path, out])
        say(String(format: "           XlsxWriter constant_memory: %.2f s (CPU %.2f s), peak RSS %.1f MB; its cells and labelport's: %@",
                   writer.wall, writer.cpu, writer.peakMB, check.trimmingCharacters(in: .whitespacesAndNewlines)))
        let xlsx = figures["xlsx"]!, jsonl = figures["jsonl"]!
        say(String(format: "           xlsx export / XlsxWriter: %.2f× wall, %.2f× CPU (target ≤ 0.5×); peak RSS / answer: %.2f× (target ≤ 1.5×)",
                   xlsx.wall / writer.wall, xlsx.cpu / writer.cpu, xlsx.peakMB / answerMB))
        say(String(format: "           xlsx over JSONL: %+.2f s wall, %+.2f s CPU, %+.1f MB peak RSS",
                   xlsx.wall - jsonl.wall, xlsx.cpu - jsonl.cpu, xlsx.peakMB - jsonl.peakMB))
    }

    /// Whole-process figures of a child: wall and CPU (user + system) seconds, peak RSS.
    struct Figures {
        var wall: Double
        var cpu: Double
        var peakMB: Double
    }

    /// `executable` run ``repeats`` times under `/usr/bin/time`: the fastest wall time and
    /// CPU time, and the highest peak RSS seen.
    static func measure(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Figures {
        var best = Figures(wall: .infinity, cpu: .infinity, peakMB: 0)
        for _ in 0..<repeats {
            let result = try BenchProcess.run("/usr/bin/time", ["-f", "%e %U %S %M", executable] + arguments, environment: environment)
            let last = result.stderr.split(separator: "\n").last.map { $0.split(separator: " ").compactMap { Double($0) } } ?? []
            guard result.status == 0, last.count == 4 else {
                throw BenchError("\(arguments.prefix(3).joined(separator: " ")) failed (\(result.status)): \(result.stderr.suffix(500))")
            }
            best.wall = min(best.wall, last[0])
            best.cpu = min(best.cpu, last[1] + last[2])
            best.peakMB = max(best.peakMB, last[3] / 1024)
        }
        return best
    }

    /// The size of the run's list answer and the fastest of ``repeats`` plain transfers of it.
    static func rawTransfer(_ baseURL: String) throws -> (bytes: Int, seconds: Double) {
        var best = Double.infinity
        var bytes = 0
        for _ in 0..<repeats {
            let result = try BenchProcess.run("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{size_download} %{time_total}",
                                                               "-H", "Authorization: Bearer \(token)", "\(baseURL)/v1/run/\(runID)/gold-labels"])
            let parts = result.stdout.split(separator: " ")
            guard result.status == 0, parts.count == 2, let size = Int(parts[0]), let seconds = Double(parts[1]) else {
                throw BenchError("curl failed: \(result.stdout) \(result.stderr)")
            }
            bytes = size
            best = min(best, seconds)
        }
        return (bytes, best)
    }

    /// One run of `rows` labels holding the cells scripts/bench_xlsx.py writes.
    static func writeSeed(_ path: String, rows: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var buffer = #"{"runs": [{"id": "\#(runID)", "account_id": "\#(account)"}], "gold_labels": ["#
        for i in 0..<rows {
            let digits = String(i)
            let id = "00000000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
            buffer += (i > 0 ? ",\n" : "\n") + #"{"id": "\#(id)", "run_id": "\#(runID)", "output_resource_name": "doc-\#(i).pdf", "#
                + #""object_value": {"label": "value \#(i)", "score": 0.\#(i % 97)1, "tags": ["a", "b", \#(i)]}, "object_value_is_partial": false, "#
                + #""created_by": "user-1", "created_at": "2024-01-01T00:00:00Z", "updated_by": "user-1", "updated_at": "2024-01-02T00:00:00Z"}"#
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data((buffer + "\n]}\n").utf8))
    }
}
