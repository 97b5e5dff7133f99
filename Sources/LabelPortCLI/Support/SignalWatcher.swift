import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT and SIGTERM into a callback (stop taking work, let in-flight requests
/// finish). A second signal ends the process at once, as users expect of Ctrl-C.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    private init(sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    static func interrupts(_ handler: @escaping @Sendable () -> Void) -> SignalWatcher {
        let signals = [SIGINT, SIGTERM]
        let queue = DispatchQueue(label: "labelport.signals")
        let count = SignalCount()
        var sources: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                let seen = count.value.add(1, ordering: .relaxed).newValue
                if seen > 1 {
                    signal(number, SIG_DFL)
                    raise(number)
                }
                handler()
            }
            source.resume()
            sources.append(source)
        }
        return SignalWatcher(sources: sources)
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
