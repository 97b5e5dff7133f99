import LabelPortCore

/// Ctrl-C for the commands that write (import, apply, copy, undo), one behaviour for all:
/// the first stops taking rows (nothing new is sent; requests in flight finish), sends
/// the report to disk row by row from then on, and says so at once on stderr; a second
/// writes the rows finished so far (``RowFiles``) and quits at once with exit status 130
/// (``SignalWatcher``).
struct WriteInterrupts: Sendable {
    /// Set by the first Ctrl-C; the engines stop sending when it is.
    let flag = InterruptFlag()
    /// The run's outputs once made, flushed by the first Ctrl-C.
    let outputs = ImportOutputs.Holder()

    /// The second Ctrl-C's last words, before the process ends.
    static let quitMessage = "labelport: quit (second Ctrl-C); the report holds the rows finished so far"

    /// The second Ctrl-C's last words when the report could not be written in time (a
    /// pipe nobody reads, a stalled disk).
    static let quitLateMessage =
        "labelport: quit (second Ctrl-C); the report could not be written within 2 s (is anything reading it?), so it may lack rows that finished"

    /// The first Ctrl-C's notice, naming the requests still to finish.
    static func stoppingMessage(inFlight: Int) -> String {
        "stopping: finishing \(CountText.count(inFlight, "request")) in flight; Ctrl-C again to quit"
    }

    /// Watches for Ctrl-C (and SIGTERM) until the returned watcher is cancelled; the
    /// first one cancels what `executors` have queued.
    func watch(_ executors: [RequestExecutor], console: Console) -> SignalWatcher {
        let flag = flag
        let holder = outputs
        return SignalWatcher.interrupts(quit: {
            holder.current?.files.writeFinishedAndStop()
            console.message(Self.quitMessage)
        }, quitLate: {
            console.message(Self.quitLateMessage)
        }) {
            flag.set()
            for executor in executors { executor.cancelAll() }
            let inFlight = executors.reduce(0) { $0 + $1.requestsInFlight }
            // Said at once, before the flush: a report that cannot be written now (a pipe
            // nobody reads) must not hold the notice back, nor the second Ctrl-C's quit.
            console.message(Self.stoppingMessage(inFlight: inFlight))
            let current = holder.current
            Task { await current?.flushNow() }
        }
    }
}
