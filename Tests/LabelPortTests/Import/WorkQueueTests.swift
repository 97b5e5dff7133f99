import Synchronization
import Testing
@testable import LabelPortCore

@Suite("Work queue", .timeLimit(.minutes(10)))
struct WorkQueueTests {
    /// Jobs with the same key must run in submission order and never overlap; jobs with
    /// other keys may run meanwhile.
    @Test("same-key jobs run in order, one at a time; all jobs run once")
    func keyedOrder() async {
        let queue = WorkQueue<Int, String>(capacity: 8)
        let log = Locked<[String: [Int]]>([:])
        let running = Locked<Set<String>>([])
        let overlaps = Locked(0)
        let keys = ["a", "b", "c"]
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let (key, job) = await queue.next() {
                        let inserted = running.withLock { $0.insert(key).inserted }
                        if !inserted { overlaps.withLock { $0 += 1 } }
                        await Task.yield()
                        log.withLock { $0[key, default: []].append(job) }
                        running.withLock { _ = $0.remove(key) }
                        queue.finished(key: key)
                    }
                }
            }
            for i in 0..<300 {
                await queue.submit(i, key: keys[i % 3 == 0 ? 0 : (i % 7 == 0 ? 1 : 2)])
            }
            queue.close()
            await group.waitForAll()
        }
        let result = log.withLock { $0 }
        #expect(overlaps.withLock { $0 } == 0)
        #expect(result.values.reduce(0) { $0 + $1.count } == 300)
        for (_, jobs) in result { #expect(jobs == jobs.sorted()) }
    }

    @Test("submit waits while the queue is full")
    func backpressure() async {
        let queue = WorkQueue<Int, String>(capacity: 2)
        let submitted = Locked(0)
        let producer = Task {
            for i in 0..<5 {
                await queue.submit(i, key: "k\(i)")
                submitted.withLock { $0 += 1 }
            }
            queue.close()
        }
        // With no worker taking jobs, the producer gets `capacity` jobs in, then waits.
        while !queue.waiting.producer { await Task.yield() }
        #expect(submitted.withLock { $0 } == 2)
        var taken: [Int] = []
        while let (key, job) = await queue.next() {
            taken.append(job)
            queue.finished(key: key)
        }
        await producer.value
        #expect(taken == [0, 1, 2, 3, 4])
    }

    @Test("a worker waiting for a job that is cancelled stops waiting with no job; the queue still serves others")
    func cancelWaitingWorker() async {
        let queue = WorkQueue<Int, String>(capacity: 4)
        let worker = Task { await queue.next() }
        while queue.waiting.workers < 1 { await Task.yield() }
        worker.cancel()
        let job = await worker.value
        #expect(job == nil)
        #expect(queue.waiting.workers == 0)
        // The job goes to the next worker, not to the cancelled one.
        await queue.submit(7, key: "a")
        let next = await queue.next()
        #expect(next?.1 == 7)
    }

    @Test("a worker cancelled before it waits gets no job and leaves no waiter behind")
    func cancelBeforeWaiting() async {
        let queue = WorkQueue<Int, String>(capacity: 4)
        let worker = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await queue.next()
        }
        #expect(await worker.value == nil)
        #expect(queue.waiting.workers == 0)
    }

    @Test("a producer waiting for room that is cancelled queues its job over capacity: nothing is lost")
    func cancelWaitingProducer() async {
        let queue = WorkQueue<Int, String>(capacity: 1)
        await queue.submit(1, key: "a")
        let producer = Task { await queue.submit(2, key: "b") }
        while !queue.waiting.producer { await Task.yield() }
        producer.cancel()
        await producer.value
        #expect(queue.waiting.producer == false)
        queue.close()
        var taken: [Int] = []
        while let (key, job) = await queue.next() {
            taken.append(job)
            queue.finished(key: key)
        }
        #expect(taken == [1, 2])
    }
}
