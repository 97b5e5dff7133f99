import LabelPortCore
import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a callback (stop taking work, let in-flight requests
/// finish). A second signal ends the process at once with exit status 130, as users
/// expect of Ctrl-C, after `quit` has run, or after 2 s of it and then `quitLate`.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    private init(sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    static func interrupts(
        quit: @escaping @Sendable () -> Void = {}, quitLate: @escaping @Sendable () -> Void = {},
        _ handler: @escaping @Sendable () -> Void
    ) -> SignalWatcher {
        let signals = [SIGINT, SIGTERM]
        let queue = DispatchQueue(label: "labelport.signals")
        let count = SignalCount()
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                // Signals that came before the handler ran are counted together (the
                // handler is released, and the source with it, when it is cancelled).
                let seen = count.value.add(max(1, Int(source.data)), ordering: .relaxed).newValue
                if seen > 1 {
                    // `quit` writes files, and one that blocks (a pipe nobody reads) must
                    // not keep the process from ending: it runs on a thread of its own (not
                    // one of a pool that blocked threads may have filled), for 2 s at most.
                    if !Self.run(quit, within: .seconds(2)) { _ = Self.run(quitLate, within: .milliseconds(500)) }
                    // Not raise(): dispatch threads block signals, so a re-raised one would
                    // stay pending until the process ends of itself. The one exit outside
                    // main: the contract's status for a second Ctrl-C.
                    _exit(130)
                }
                handler()
            }
            source.resume()
            sources.append(source)
        }
        return SignalWatcher(sources: sources)
    }

    /// Runs `work` on a thread of its own, waiting for it `within` at most: whether it ended.
    private static func run(_ work: @escaping @Sendable () -> Void, within wait: DispatchTimeInterval) -> Bool {
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            work()
            done.signal()
        }
        return done.wait(timeout: .now() + wait) == .success
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

private final class SignalCount: Sendable {
    let value = Atomic<Int>(0)
}
