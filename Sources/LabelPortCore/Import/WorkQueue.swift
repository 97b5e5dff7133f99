import NIOCore
import Synchronization

/// Hands jobs to a fixed pool of workers so that jobs with the same key run one after
/// another in submission order, never at once, while jobs with different keys run in
/// parallel. `submit` suspends while `capacity` jobs are queued: backpressure from the
/// workers to the reader, so memory stays flat whatever the input's size. A waiting
/// producer resumes once the queue is down to half: it then submits in bursts, not one
/// job per finished one (each resume may wake another thread).
///
/// A lock, not an actor: the reader and the workers run on different threads, and a
/// call that finds a job (or room) returns at once, without a hop to another executor.
/// Tasks suspend only to wait, and are resumed outside the lock. A waiting task that is
/// cancelled stops waiting at once: a worker gets nil (no job), a producer queues its job
/// over capacity rather than lose it.
final class WorkQueue<Job: Sendable, Key: Hashable & Sendable>: Sendable {
    private struct Entry {
        var key: Key
        var job: Job
    }

    private struct Worker {
        let id: UInt64
        let continuation: CheckedContinuation<(Key, Job)?, Never>

        func resume(returning job: (Key, Job)?) { continuation.resume(returning: job) }
    }

    private struct Producer {
        let id: UInt64
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var ready = CircularBuffer<Entry>()
        /// Jobs whose key is busy, in order, by key.
        var blocked: [Key: CircularBuffer<Entry>] = [:]
        var busyKeys: Set<Key> = []
        /// Submitted and not finished (running, ready or blocked).
        var queued = 0
        var closed = false
        var idleWorkers = CircularBuffer<Worker>()
        var waitingProducer: Producer?
        /// Names each wait, so a cancelled one can be found.
        var nextWaitID: UInt64 = 0

        mutating func newWaitID() -> UInt64 {
            nextWaitID += 1
            return nextWaitID
        }

        /// Removes the idle worker `id` (cancelled), if it is still waiting.
        mutating func removeIdleWorker(_ id: UInt64) -> Worker? {
            guard let index = idleWorkers.firstIndex(where: { $0.id == id }) else { return nil }
            return idleWorkers.remove(at: index)
        }

        /// Gives `entry` to an idle worker (returned, to resume outside the lock) or queues it.
        mutating func dispatch(_ entry: Entry) -> (Worker, Entry)? {
            if let worker = idleWorkers.popFirst() { return (worker, entry) }
            ready.append(entry)
            return nil
        }

        mutating func takeIdleWorkers() -> [Worker] {
            let workers = Array(idleWorkers)
            idleWorkers.removeAll()
            return workers
        }

        /// The next job, `.some(nil)` when closed and drained, nil when the caller must wait.
        mutating func take() -> (Key, Job)?? {
            if let entry = ready.popFirst() { return .some((entry.key, entry.job)) }
            if closed && queued == 0 { return .some(nil) }
            return nil
        }
    }

    /// Continuations to resume once the lock is released.
    private struct Wakeups {
        var worker: (Worker, Entry)?
        var producer: Producer?
        var drained: [Worker] = []

        func resume() {
            if let (worker, entry) = worker { worker.resume(returning: (entry.key, entry.job)) }
            producer?.continuation.resume()
            for worker in drained { worker.resume(returning: nil) }
        }
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues a job; waits while the queue is full (unless the task is cancelled).
    func submit(_ job: Job, key: Key) async {
        let capacity = capacity
        while state.withLock({ $0.queued >= capacity }) && !Task.isCancelled {
            let id = state.withLock { $0.newWaitID() }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let roomNow = state.withLock { state in
                        // Cancellation is flagged before its handler runs, and both take the
                        // lock: either this sees the flag or the handler sees the waiter.
                        guard state.queued >= capacity && !Task.isCancelled else { return true }
                        state.waitingProducer = Producer(id: id, continuation: continuation)
                        return false
                    }
                    if roomNow { continuation.resume() }
                }
            } onCancel: {
                let producer = state.withLock { state -> Producer? in
                    guard state.waitingProducer?.id == id else { return nil }
                    defer { state.waitingProducer = nil }
                    return state.waitingProducer
                }
                producer?.continuation.resume()
            }
        }
        let wakeup = state.withLock { state -> (Worker, Entry)? in
            state.queued += 1
            let entry = Entry(key: key, job: job)
            if state.busyKeys.contains(key) {
                state.blocked[key, default: []].append(entry)
                return nil
            }
            state.busyKeys.insert(key)
            return state.dispatch(entry)
        }
        if let (worker, entry) = wakeup { worker.resume(returning: (entry.key, entry.job)) }
    }

    /// The next job and its key, or nil once the queue is closed and drained (or the
    /// waiting task is cancelled).
    func next() async -> (Key, Job)? {
        let (taken, id) = state.withLock { state in (state.take(), state.newWaitID()) }
        if let taken { return taken }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<(Key, Job)?, Never>) in
                let taken = state.withLock { state -> (Key, Job)?? in
                    if Task.isCancelled { return .some(nil) }
                    let taken = state.take()
                    if taken == nil { state.idleWorkers.append(Worker(id: id, continuation: continuation)) }
                    return taken
                }
                if let taken { continuation.resume(returning: taken) }
            }
        } onCancel: {
            state.withLock { $0.removeIdleWorker(id) }?.resume(returning: nil)
        }
    }

    /// ``finished(key:)`` then ``next()``.
    func finishedThenNext(key: Key) async -> (Key, Job)? {
        finished(key: key)
        return await next()
    }

    /// A worker finished the job for `key`: the next job with that key may run.
    func finished(key: Key) {
        let capacity = capacity
        let wakeups = state.withLock { state -> Wakeups in
            var wakeups = Wakeups()
            state.queued -= 1
            if let entry = state.blocked[key]?.popFirst() {
                if state.blocked[key]?.isEmpty == true { state.blocked[key] = nil }
                wakeups.worker = state.dispatch(entry)
            } else {
                state.busyKeys.remove(key)
            }
            if state.waitingProducer != nil, state.queued <= capacity / 2 {
                wakeups.producer = state.waitingProducer
                state.waitingProducer = nil
            }
            if state.closed && state.queued == 0 { wakeups.drained = state.takeIdleWorkers() }
            return wakeups
        }
        wakeups.resume()
    }

    /// Workers waiting for a job, and whether a producer waits for room (for tests that
    /// wait for a task to suspend here).
    var waiting: (workers: Int, producer: Bool) {
        state.withLock { ($0.idleWorkers.count, $0.waitingProducer != nil) }
    }

    /// No more jobs will be submitted.
    func close() {
        let drained = state.withLock { state -> [Worker] in
            state.closed = true
            return state.queued == 0 ? state.takeIdleWorkers() : []
        }
        for worker in drained { worker.resume(returning: nil) }
    }
}
