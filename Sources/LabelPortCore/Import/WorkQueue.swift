import NIOCore

/// Hands jobs to a fixed pool of workers so that jobs with the same key run one after
/// another in submission order, never at once, while jobs with different keys run in
/// parallel. `submit` suspends while `capacity` jobs are queued: backpressure from the
/// workers to the reader, so memory stays flat whatever the input's size. A waiting
/// producer resumes once the queue is down to half: it then submits in bursts, not one
/// job per finished one (each resume may wake another thread).
actor WorkQueue<Job: Sendable> {
    private struct Entry {
        var key: String
        var job: Job
    }

    private let capacity: Int
    private var ready = CircularBuffer<Entry>()
    /// Jobs whose key is busy, in order, by key.
    private var blocked: [String: [Entry]] = [:]
    private var busyKeys: Set<String> = []
    private var queued = 0
    private var closed = false
    private var idleWorkers = CircularBuffer<CheckedContinuation<(String, Job)?, Never>>()
    private var waitingProducer: CheckedContinuation<Void, Never>?

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues a job; waits while the queue is full.
    func submit(_ job: Job, key: String) async {
        while queued >= capacity {
            await withCheckedContinuation { waitingProducer = $0 }
        }
        queued += 1
        let entry = Entry(key: key, job: job)
        if busyKeys.contains(key) {
            blocked[key, default: []].append(entry)
        } else {
            busyKeys.insert(key)
            dispatch(entry)
        }
    }

    /// The next job and its key, or nil once the queue is closed and drained.
    func next() async -> (String, Job)? {
        if let entry = ready.popFirst() {
            return (entry.key, entry.job)
        }
        if closed && queued == 0 { return nil }
        return await withCheckedContinuation { idleWorkers.append($0) }
    }

    /// ``finished(key:)`` then ``next()``, in one call to the actor instead of two.
    func finishedThenNext(key: String) async -> (String, Job)? {
        finished(key: key)
        return await next()
    }

    /// A worker finished the job for `key`: the next job with that key may run.
    func finished(key: String) {
        queued -= 1
        if var waiting = blocked[key], !waiting.isEmpty {
            let entry = waiting.removeFirst()
            blocked[key] = waiting.isEmpty ? nil : waiting
            dispatch(entry)
        } else {
            busyKeys.remove(key)
        }
        if let producer = waitingProducer, queued <= capacity / 2 {
            waitingProducer = nil
            producer.resume()
        }
        if closed && queued == 0 { wakeAllIdle() }
    }

    /// No more jobs will be submitted.
    func close() {
        closed = true
        if queued == 0 { wakeAllIdle() }
    }

    private func dispatch(_ entry: Entry) {
        if !idleWorkers.isEmpty {
            idleWorkers.removeFirst().resume(returning: (entry.key, entry.job))
        } else {
            ready.append(entry)
        }
    }

    private func wakeAllIdle() {
        let workers = idleWorkers
        idleWorkers.removeAll()
        for worker in workers { worker.resume(returning: nil) }
    }
}
