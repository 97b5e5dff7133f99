import Synchronization

/// A counting semaphore for tasks: FIFO (a released permit goes to the longest waiter),
/// cancellation-safe (a cancelled waiter leaves the queue at once), and closable.
final class AsyncSemaphore: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var permits: Int
        var waiters: [Waiter] = []
        var head = 0
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state: Mutex<State>

    init(permits: Int) {
        state = Mutex(State(permits: max(1, permits)))
    }

    /// Waits for a permit. Returns false, holding no permit, when the task was cancelled
    /// or the semaphore was closed.
    func acquire() async -> Bool {
        let fast: Bool? = state.withLock { s in
            if s.closed || Task.isCancelled { return false }
            if s.permits > 0 && s.head == s.waiters.count {
                s.permits -= 1
                return true
            }
            return nil
        }
        if let fast { return fast }
        let id = state.withLock { s in
            s.nextID += 1
            return s.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now: Bool? = state.withLock { s in
                    // Cancellation is flagged before its handler runs, and both take the lock,
                    // so either this sees the flag or the handler sees the queued waiter.
                    if s.closed || Task.isCancelled { return false }
                    if s.permits > 0 && s.head == s.waiters.count {
                        s.permits -= 1
                        return true
                    }
                    s.waiters.append(Waiter(id: id, continuation: continuation))
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let removed: Waiter? = state.withLock { s in
                guard let index = s.waiters[s.head...].firstIndex(where: { $0.id == id }) else { return nil }
                return s.waiters.remove(at: index)
            }
            removed?.continuation.resume(returning: false)
        }
    }

    /// Returns a permit, handing it to the longest waiter if there is one.
    func release() {
        let next: Waiter? = state.withLock { s in
            if s.head < s.waiters.count {
                let waiter = s.waiters[s.head]
                s.head += 1
                if s.head > 64 && s.head * 2 > s.waiters.count {
                    s.waiters.removeFirst(s.head)
                    s.head = 0
                }
                return waiter
            }
            s.permits += 1
            return nil
        }
        next?.continuation.resume(returning: true)
    }

    /// Fails every waiter and every later `acquire`. Permits already held stay valid.
    func close() {
        let waiting: [Waiter] = state.withLock { s in
            s.closed = true
            let rest = Array(s.waiters[s.head...])
            s.waiters = []
            s.head = 0
            return rest
        }
        for waiter in waiting { waiter.continuation.resume(returning: false) }
    }
}
