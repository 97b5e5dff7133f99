import Testing
@testable import LabelPortCore

/// Yields until `condition` holds (other tasks run meanwhile; no sleeping). If it never
/// does within a generous number of yields, the test fails here (not hangs) and false is
/// returned.
@discardableResult
func eventually(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
    for _ in 0..<200_000 {
        if condition() { return true }
        await Task.yield()
    }
    if condition() { return true }
    Issue.record("the awaited condition never held", sourceLocation: sourceLocation)
    return false
}

/// A thread-safe list of values recorded by request bodies.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Locked<[Value]>([])
    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
    var count: Int { values.withLock { $0.count } }
}

/// A thread-safe counter of calls, with the number currently inside and the peak.
final class InFlightCounter: Sendable {
    private struct State { var calls = 0, current = 0, peak = 0 }
    private let state = Locked(State())
    var calls: Int { state.withLock { $0.calls } }
    var current: Int { state.withLock { $0.current } }
    var peak: Int { state.withLock { $0.peak } }
    func enter() {
        state.withLock { s in
            s.calls += 1
            s.current += 1
            s.peak = max(s.peak, s.current)
        }
    }
    func leave() { state.withLock { $0.current -= 1 } }
}

/// Request bodies wait here until the test lets them through, one by one or all.
final class Gate: Sendable {
    private struct State {
        var waiting: [CheckedContinuation<Void, Never>] = []
        var open = false
    }
    private let state = Locked(State())

    var waitingCount: Int { state.withLock { $0.waiting.count } }

    func pass() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let through = state.withLock { s in
                if s.open { return true }
                s.waiting.append(continuation)
                return false
            }
            if through { continuation.resume() }
        }
    }

    /// Lets the longest waiter through; false if none waits.
    @discardableResult
    func releaseOne() -> Bool {
        let next: CheckedContinuation<Void, Never>? = state.withLock { s in
            s.waiting.isEmpty ? nil : s.waiting.removeFirst()
        }
        next?.resume()
        return next != nil
    }

    func openAll() {
        let all = state.withLock { s in
            s.open = true
            defer { s.waiting = [] }
            return s.waiting
        }
        for continuation in all { continuation.resume() }
    }
}

func approximately(_ a: Duration, _ b: Duration, within tolerance: Duration = .microseconds(1)) -> Bool {
    abs((a - b).inSeconds) <= tolerance.inSeconds
}

extension APIError {
    static func sample(_ kind: Kind, retryAfter: RetryAfter? = nil) -> APIError {
        let status: Int? = switch kind {
        case .badRequest: 400
        case .unauthorized: 401
        case .forbidden: 403
        case .notFound: 404
        case .throttled: 429
        case .serverError: 503
        default: nil
        }
        return APIError(kind: kind, operation: "test request", status: status, retryAfter: retryAfter)
    }
}

/// A test of a ``RequestExecutor`` on a ``ManualClock``: makes executors on `clock` and
/// drives the clock while their callers sleep on it.
protocol ExecutorOnManualClock {
    var clock: ManualClock { get }
}

extension ExecutorOnManualClock {
    func executor(_ options: ExecutionOptions, random: Double = 0.5, wall: Double = 1_000_000) -> RequestExecutor {
        RequestExecutor(options: options, clock: clock, random: { random }, wallClock: { wall })
    }

    var now: Duration { clock.now.offset }

    /// Advances the clock from deadline to deadline whenever every caller is either done or
    /// asleep on the clock, until `done`.
    func drive(callers: Int, finished: () -> Int, late: Duration = .zero) async {
        while finished() < callers {
            let settled = await eventually { finished() + clock.sleeperCount == callers }
            #expect(settled, "callers neither finished nor asleep")
            guard settled, clock.advanceToNextDeadline(late: late) else { return }
        }
    }

    func counts(sent: Int, succeeded: Int, failed: Int) -> ExecutionStatistics.Counts {
        var c = ExecutionStatistics.Counts()
        c.sent = sent
        c.succeeded = succeeded
        c.failed = failed
        return c
    }
}
