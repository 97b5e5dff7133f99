import NIOCore
import NIOHTTP1
import Synchronization

/// Which event loop a request read whole is bound to, once the server speaks HTTP/2.
///
/// AsyncHTTPClient opens an HTTP/2 connection for each loop requests are bound to. Bound to
/// the loop its task runs on, each of the client's loops has a connection of its own, and
/// both threads carry streams, not one. A connection may stop answering while it stays
/// open (a NAT or a balancer that dropped the flow): after a request times out on a loop,
/// requests are bound to another loop for ``stallPeriod``, while the loop's connections
/// are probed (``ConnectionWatch``) and a silent one is closed; then a request bound there
/// opens a new one.
final class HTTP2Routes: Sendable {
    /// How long a loop is avoided after a timeout there.
    let stallPeriod: Duration

    private struct State {
        var speaksHTTP2 = false
        /// Per loop: until when requests avoid it.
        var stalledUntil: [ContinuousClock.Instant?]
    }

    let loops: [any EventLoop]
    private let state: Mutex<State>
    private let now: @Sendable () -> ContinuousClock.Instant

    init(loops: [any EventLoop], stallPeriod: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.loops = loops
        self.stallPeriod = stallPeriod
        self.state = Mutex(State(stalledUntil: Array(repeating: nil, count: loops.count)))
        self.now = now
    }

    /// Remembers an answer's HTTP version: from the first over HTTP/2 on, requests are bound.
    func noteVersion(_ version: HTTPVersion) {
        guard version.major == 2 else { return }
        state.withLock { $0.speaksHTTP2 = true }
    }

    /// The loop to bind a request to, from a task running on `current`; nil while the
    /// server has not answered over HTTP/2 (over HTTP/1.1 a bound request finding no idle
    /// connection on its loop would get one of its own, closed after it).
    func loop(from current: (any EventLoop)?) -> (any EventLoop)? {
        guard let current else { return nil }
        let index = loops.firstIndex { $0 === current }
        return state.withLock { s -> (any EventLoop)? in
            guard s.speaksHTTP2 else { return nil }
            guard let index else { return current }
            return loops[usable(from: index, &s)]
        }
    }

    /// The index of a loop to read on, starting from `preferred` (any number, spread over
    /// the loops) and passing over loops that stalled.
    func readingIndex(_ preferred: Int) -> Int {
        state.withLock { s in usable(from: preferred % loops.count, &s) }
    }

    /// A request bound to, or read on, `loop` timed out: over HTTP/2, its connection may be
    /// silent, so requests go elsewhere for a while. Whether the server speaks HTTP/2.
    @discardableResult
    func noteTimeout(on loop: any EventLoop) -> Bool {
        let until = now() + stallPeriod
        let index = loops.firstIndex { $0 === loop }
        return state.withLock { s in
            guard s.speaksHTTP2 else { return false }
            if let index { s.stalledUntil[index] = until }
            return true
        }
    }

    /// `index`, or the next loop that has not stalled; `index` when all have.
    private func usable(from index: Int, _ s: inout State) -> Int {
        let instant = now()
        for step in 0..<loops.count {
            let candidate = (index + step) % loops.count
            if let until = s.stalledUntil[candidate], until > instant { continue }
            s.stalledUntil[candidate] = nil
            return candidate
        }
        return index
    }
}
