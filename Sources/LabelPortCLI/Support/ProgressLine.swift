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
                let done = finished()
                let stats = statistics()
                let elapsed = (ContinuousClock.now - start).seconds
                let rate = elapsed > 0 ? Double(stats.requestsSent) / elapsed : 0
                let rowRate = elapsed > 0 ? Double(done) / elapsed : 0
                let eta = rowRate > 0 ? Int(Double(max(0, total - done)) / rowRate) : 0
                let limited = stats.pace.map { "  paced at \(Int($0)) req/s (server limit)" } ?? ""
                let refused = stats.throttled > 0 ? "  refused \(stats.throttled)" : ""
                console.status("\r\u{1B}[K\(done)/\(total) rows  \(Int(rate)) req/s  ETA \(eta / 60)m\(eta % 60)s  retries \(stats.retries)\(refused)\(limited)")
            }
        }
        return ProgressLine(task: task, console: console)
    }

    func stop() async {
        task.cancel()
        await task.value
        console.status("\r\u{1B}[K")
    }
}
