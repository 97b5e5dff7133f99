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
/// Tasks suspend only to wait, and are resumed outside the lock.
final class WorkQueue<Job: Sendable>: Sendable {
    private struct Entry {
        var key: String
        var job: Job
    }

    private typealias Worker = UnsafeContinuation<(String, Job)?, Never>

    private struct State {
        var ready = CircularBuffer<Entry>()
        /// Jobs whose key is busy, in order, by key.
        var blocked: [String: CircularBuffer<Entry>] = [:]
        var busyKeys: Set<String> = []
        /// Submitted and not finished (running, ready or blocked).
        var queued = 0
        var closed = false
        var idleWorkers = CircularBuffer<Worker>()
        var waitingProducer: UnsafeContinuation<Void, Never>?

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
        mutating func take() -> (String, Job)?? {
            if let entry = ready.popFirst() { return .some((entry.key, entry.job)) }
            if closed && queued == 0 { return .some(nil) }
            return nil
        }
    }

    /// Continuations to resume once the lock is released.
    private struct Wakeups {
        var worker: (Worker, Entry)?
        var producer: UnsafeContinuation<Void, Never>?
        var drained: [Worker] = []

        func resume() {
            if let (worker, entry) = worker { worker.resume(returning: (entry.key, entry.job)) }
            producer?.resume()
            for worker in drained { worker.resume(returning: nil) }
        }
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues a job; waits while the queue is full.
    func submit(_ job: Job, key: String) async {
        let capacity = capacity
        while state.withLock({ $0.queued >= capacity }) {
            await withUnsafeContinuation { (producer: UnsafeContinuation<Void, Never>) in
                let roomNow = state.withLock { state in
                    guard state.queued >= capacity else { return true }
                    state.waitingProducer = producer
                    return false
                }
                if roomNow { producer.resume() }
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

    /// The next job and its key, or nil once the queue is closed and drained.
    func next() async -> (String, Job)? {
        if let taken = state.withLock({ $0.take() }) { return taken }
        return await withUnsafeContinuation { (worker: Worker) in
            let taken = state.withLock { state -> (String, Job)?? in
                let taken = state.take()
                if taken == nil { state.idleWorkers.append(worker) }
                return taken
            }
            if let taken { worker.resume(returning: taken) }
        }
    }

    /// ``finished(key:)`` then ``next()``.
    func finishedThenNext(key: String) async -> (String, Job)? {
        finished(key: key)
        return await next()
    }

    /// A worker finished the job for `key`: the next job with that key may run.
    func finished(key: String) {
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

    /// No more jobs will be submitted.
    func close() {
        let drained = state.withLock { state -> [Worker] in
            state.closed = true
            return state.queued == 0 ? state.takeIdleWorkers() : []
        }
        for worker in drained { worker.resume(returning: nil) }
    }
}
