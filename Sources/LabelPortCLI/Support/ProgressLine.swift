import LabelPortCore

/// The progress line on a terminal's stderr: rows done of total, request rate, ETA, retries,
/// and when the server limits the rate, the requests it refused and the current pace.
/// Only shown when stderr is a terminal; it erases itself when stopped.
final class ProgressLine: Sendable {
    private let task: Task<Void, Never>
    private let console: Console

    private init(task: Task<Void, Never>, console: Console) {
        self.task = task
        self.console = console
    }

    static func start(
        total: Int, finished: @escaping @Sendable () -> Int, statistics: @escaping @Sendable () -> ExecutionStatistics, console: Console
    ) -> ProgressLine {
        let task = Task {
            let start = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                let elapsed = (ContinuousClock.now - start).inSeconds
                console.status("\r\u{1B}[K" + text(done: finished(), total: total, statistics: statistics(), elapsed: elapsed))
            }
        }
        return ProgressLine(task: task, console: console)
    }

    /// One state of the line: rows done of total, request rate, ETA, retries, and when the
    /// server limits the rate, the requests it refused and the current pace.
    static func text(done: Int, total: Int, statistics stats: ExecutionStatistics, elapsed: Double) -> String {
        let rate = elapsed > 0 ? Double(stats.requestsSent) / elapsed : 0
        let rowRate = elapsed > 0 ? Double(done) / elapsed : 0
        // No estimate before the first row is done: it would read "0m0s".
        let eta = done > 0 && rowRate > 0 ? Int(Double(max(0, total - done)) / rowRate).formattedETA : "--"
        let limited = stats.pace.map { "  paced at \(Formatting.count(Int($0))) req/s (server limit)" } ?? ""
        let refused = stats.throttled > 0 ? "  refused \(Formatting.count(stats.throttled))" : ""
        return "\(Formatting.count(done))/\(Formatting.count(total, "row"))  \(Formatting.count(Int(rate))) req/s  ETA \(eta)  retries \(Formatting.count(stats.retries))\(refused)\(limited)"
    }

    func stop() async {
        task.cancel()
        await task.value
        console.status("\r\u{1B}[K")
    }
}

extension Int {
    /// Seconds as `1m05s` for the progress line.
    fileprivate var formattedETA: String {
        let seconds = self % 60
        return "\(self / 60)m\(seconds < 10 ? "0" : "")\(seconds)s"
    }
}
