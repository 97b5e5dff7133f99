import LabelPortCore

/// The progress line on a terminal's stderr: rows finished of total (with the failed and
/// skipped among them), request rate, ETA, retries, and when the server limits the rate,
/// the requests it refused and the current pace. Only shown when stderr is a terminal;
/// it erases itself when stopped. Messages printed meanwhile erase it first (``Console``).
final class ProgressLine: Sendable {
    private let task: Task<Void, Never>
    private let console: Console

    /// Time between redraws: fast enough to look live, slow enough to cost nothing.
    static let interval = Duration.milliseconds(250)

    private init(task: Task<Void, Never>, console: Console) {
        self.task = task
        self.console = console
    }

    /// The line, started when `console`'s stderr is a terminal (else nil: nothing is drawn).
    static func startOnTerminal(
        rows: RowTally, statistics: @escaping @Sendable () -> ExecutionStatistics, console: Console
    ) -> ProgressLine? {
        console.errorIsTerminal ? start(rows: rows, statistics: statistics, console: console) : nil
    }

    private static func start(
        rows: RowTally, statistics: @escaping @Sendable () -> ExecutionStatistics, console: Console
    ) -> ProgressLine {
        let task = Task {
            let start = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { break }
                let elapsed = (ContinuousClock.now - start).inSeconds
                let counts = rows.snapshot
                console.status(text(
                    done: counts.finished, total: rows.expected, statistics: statistics(), elapsed: elapsed, failed: counts.failed, skipped: counts.skipped))
            }
        }
        return ProgressLine(task: task, console: console)
    }

    /// One state of the line. `done`: rows finished, whatever their status (as the summary
    /// counts rows); `failed` and `skipped` of them are named when there are any, so a run
    /// stopped by Ctrl-C reads `50/50 rows (2 ok, 48 skipped)`, as its summary does.
    static func text(
        done: Int, total: Int, statistics stats: ExecutionStatistics, elapsed: Double, failed: Int = 0, skipped: Int = 0
    ) -> String {
        let rate = elapsed > 0 ? Double(stats.requestsSent) / elapsed : 0
        // Skipped rows take no time: the pace is that of the rows attempted.
        let attempted = done - skipped
        let rowRate = elapsed > 0 ? Double(attempted) / elapsed : 0
        // No estimate before the first row is done: it would read "0m0s".
        let remaining = max(0, total - done)
        let eta = remaining == 0 && done > 0 ? 0.formattedETA
            : attempted > 0 && rowRate > 0 ? Int(Double(remaining) / rowRate).formattedETA : "--"
        var statuses: [String] = []
        if failed + skipped > 0 {
            statuses.append("\(Formatting.count(done - failed - skipped)) ok")
            if failed > 0 { statuses.append("\(Formatting.count(failed)) failed") }
            if skipped > 0 { statuses.append("\(Formatting.count(skipped)) skipped") }
        }
        let breakdown = statuses.isEmpty ? "" : " (\(statuses.joined(separator: ", ")))"
        let limited = stats.pace.map { "  paced at \(Formatting.count(Int($0))) req/s (server limit)" } ?? ""
        let refused = stats.throttled > 0 ? "  refused \(Formatting.count(stats.throttled))" : ""
        return "\(Formatting.count(done))/\(Formatting.count(total, "row"))\(breakdown)  \(Formatting.count(Int(rate))) req/s  ETA \(eta)"
            + "  retries \(Formatting.count(stats.retries))\(refused)\(limited)"
    }

    func stop() async {
        task.cancel()
        await task.value
        console.status("")
    }
}

extension Int {
    /// Seconds as `1m05s` for the progress line.
    fileprivate var formattedETA: String {
        let seconds = self % 60
        return "\(self / 60)m\(seconds < 10 ? "0" : "")\(seconds)s"
    }
}
