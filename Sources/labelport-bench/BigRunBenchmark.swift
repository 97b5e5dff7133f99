import Foundation
import LabelPortCore

/// `labelport-bench big-run [LABELS]`: one run of LABELS labels (default 300,000) in a
/// `labelport sandbox` child (the release build beside this binary), then, each in a
/// child process under `/usr/bin/time`: `export labels` of the run, `export labels
/// --dry-run` against that backup, and a 1,000-row `import --dry-run` into the run (every
/// other row changed). Prints wall time and peak RSS of each against a raw GET of the
/// same answer (a bare socket that reads and drops it), and against `curl` writing it to
/// `/dev/null` (the reference of the issue's first figures), with the ratios the big-run
/// targets ask for. Wall times on a shared
/// machine are noisy: the best of `REPEATS` (default 3) is shown, and the median of each
/// run over a raw GET made just before it (paired); peak RSS is exact.
/// `LABELPORT_BIN` names another `labelport` binary to measure (and to run the sandbox).
enum BigRunBenchmark {
    static let token = "bench-token"
    /// Rows of the import plan: a small change into a big run.
    static let importRows = 1000

    struct Measure {
        var seconds: Double
        var peakKiB: Int
        /// What the command printed on standard error (of the last run, for `best`).
        var stderr = ""
        /// The median over runs of each run's wall over a raw GET just before it.
        var pairedRatio = Double.nan
    }

    /// `[LABELS] [REPEATS]`.
    static func run(_ arguments: [String]) async throws {
        let labels = arguments.first.flatMap { Int($0) } ?? 300_000
        let repeats = arguments.count > 1 ? Int(arguments[1]) ?? 3 : 3
        let workspace = try BigRunWorkspace(name: "bigrun", labels: labels)
        defer { workspace.remove() }
        let (labelport, directory, run, seedFile, tokenFile) = (workspace.labelport, workspace.directory, workspace.run, workspace.seedFile, workspace.tokenFile)
        say("big-run: seeding one run of \(CountText.grouped(labels)) labels into a sandbox child…")
        let sandbox = try BenchProcess.Sandbox(labelport, ["--seed", seedFile, "--token", "\(token)=bench"])
        defer { sandbox.stop() }
        guard let port = URL(string: sandbox.baseURL)?.port else { throw BenchError("no port in \(sandbox.baseURL)") }
        let connection = ["--base-url", sandbox.baseURL, "--token-file", tokenFile]

        // Raw transfer: the same answer over a bare socket, no parsing.
        var raw = Double.infinity
        var answerBytes = 0
        for _ in 0..<max(repeats, 2) {
            let started = Date()
            answerBytes = try ExportBenchmark.rawGET(port: port, path: "/v1/run/\(run)/gold-labels")
            raw = min(raw, Date().timeIntervalSince(started))
        }
        // The same through curl, timed as a whole process as the commands are.
        var curl = Double.infinity
        for _ in 0..<max(repeats, 2) {
            let started = Date()
            let result = try BenchProcess.run("/usr/bin/env", ["curl", "-s", "-f", "-o", "/dev/null", "-H", "Authorization: Bearer \(token)", "\(sandbox.baseURL)/v1/run/\(run)/gold-labels"])
            guard result.status == 0 else { throw BenchError("curl failed (\(result.status)): \(result.stderr)") }
            curl = min(curl, Date().timeIntervalSince(started))
        }

        let backup = directory + "/backup.jsonl"
        let rawOnce = { () throws -> Double in
            let started = Date()
            _ = try ExportBenchmark.rawGET(port: port, path: "/v1/run/\(run)/gold-labels")
            return Date().timeIntervalSince(started)
        }
        let export = try paired(repeats, raw: rawOnce) {
            try measure(labelport, ["export", "labels", "--run", run, "--out", backup] + connection, expect: [0], in: directory)
        }
        let dryRun = try paired(repeats, raw: rawOnce) {
            try measure(labelport, ["export", "labels", "--run", run, "--out", backup, "--dry-run"] + connection, expect: [0], in: directory)
        }
        let part = try writeImportPart(from: backup, to: directory + "/part.jsonl")
        let plan = try paired(repeats, raw: rawOnce) {
            try measure(labelport, ["import", part, "--dry-run"] + connection, expect: [0, 1], in: directory)
        }

        let answerMiB = Double(answerBytes) / 1_048_576
        say("answer: \(format(answerMiB)) MiB (\(CountText.grouped(answerBytes)) bytes) for \(CountText.grouped(labels)) labels")
        say("raw GET (best of \(max(repeats, 2))):            \(format(raw)) s")
        say("curl -o /dev/null (best of \(max(repeats, 2))):  \(format(curl)) s")
        for (name, m) in [("export labels", export), ("export labels --dry-run", dryRun), ("import --dry-run (\(importRows) rows)", plan)] {
            let rss = Double(m.peakKiB) / 1024
            say("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) wall \(format(m.seconds)) s (\(format(m.seconds / raw))× raw, \(format(m.seconds / curl))× curl; paired median \(format(m.pairedRatio))× raw)  peak RSS \(format(rss)) MiB (\(format(rss / answerMiB))× answer)")
        }
        say("targets: export wall ≤ 1.3× raw; every peak RSS ≤ 1.5× answer; import plan wall ≤ 1.3× raw")
    }

    /// The fastest of `count` runs (peak RSS: the largest).
    static func best(_ count: Int, _ body: () throws -> Measure) throws -> Measure {
        var result = Measure(seconds: .infinity, peakKiB: 0)
        for _ in 0..<max(1, count) {
            let m = try body()
            result.seconds = min(result.seconds, m.seconds)
            result.peakKiB = max(result.peakKiB, m.peakKiB)
            result.stderr = m.stderr
        }
        return result
    }

    /// The fastest of `count` runs (peak RSS: the largest), each right after a raw GET of
    /// the same answer, with the median of each run's wall over that GET's: a ratio that
    /// holds when the shared machine's speed drifts between the figures.
    static func paired(_ count: Int, raw: () throws -> Double, _ body: () throws -> Measure) throws -> Measure {
        var ratios: [Double] = []
        var result = try best(count) {
            let reference = try raw()
            let m = try body()
            ratios.append(m.seconds / reference)
            return m
        }
        ratios.sort()
        result.pairedRatio = ratios.count % 2 == 1
            ? ratios[ratios.count / 2] : (ratios[ratios.count / 2 - 1] + ratios[ratios.count / 2]) / 2
        return result
    }

    /// Runs `labelport ARGS` under `/usr/bin/time`: its wall time and peak RSS.
    static func measure(_ labelport: String, _ arguments: [String], expect: [Int32], in directory: String, environment: [String: String] = [:]) throws -> Measure {
        let timing = directory + "/time.txt"
        let result = try BenchProcess.run(
            "/usr/bin/time", ["-f", "%e %M", "-o", timing, labelport] + arguments, environment: environment, stdoutTo: directory + "/stdout.txt")
        guard expect.contains(result.status) else {
            throw BenchError("labelport \(arguments.prefix(3).joined(separator: " ")) exited \(result.status): \(result.stderr.suffix(600))")
        }
        let fields = ((try? String(contentsOfFile: timing, encoding: .utf8)) ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard fields.count >= 2, let seconds = Double(fields[fields.count - 2]), let kib = Int(fields[fields.count - 1]) else {
            throw BenchError("cannot read /usr/bin/time's output")
        }
        return Measure(seconds: seconds, peakKiB: kib, stderr: result.stderr)
    }

    /// `importRows` lines of the backup, spread over it, every other one with a changed
    /// value: a plan with updates and unchanged rows.
    static func writeImportPart(from backup: String, to path: String) throws -> String {
        let lines = try String(contentsOfFile: backup, encoding: .utf8).split(separator: "\n")
        let step = max(1, lines.count / importRows)
        var out = ""
        for (n, index) in stride(from: 0, to: lines.count, by: step).prefix(importRows).enumerated() {
            var line = String(lines[index])
            if n % 2 == 0 { line = line.replacingOccurrences(of: "\"currency\":\"EUR\"", with: "\"currency\":\"USD\"") }
            out += line + "\n"
        }
        return try ExportBenchmark.write(path, out)
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
