import Synchronization

/// A one-way latch: `wait()` suspends until `trigger()` is called or the waiting task is
/// cancelled. Lets ``RequestExecutor/cancelAll()`` end waits on a clock it cannot interrupt,
/// and ``wakeWaiters()`` end them early for another look.
final class ShutdownSignal: Sendable {
    private struct State {
        var triggered = false
        var nextID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    var isTriggered: Bool { state.withLock { $0.triggered } }

    /// Tasks waiting now (for tests that wait for them to wait).
    var waiting: Int { state.withLock { $0.waiters.count } }

    func trigger() {
        let waiting: [CheckedContinuation<Void, Never>] = state.withLock { s in
            s.triggered = true
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Wakes the tasks waiting now, without triggering: they look again at what they wait
    /// for (a pause that has become longer than labelport waits ends their waits at once).
    func wakeWaiters() {
        let waiting = state.withLock { s in
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Returns once triggered, woken (``wakeWaiters()``), or the calling task is cancelled.
    func wait() async {
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s in
                    if s.triggered || Task.isCancelled { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
