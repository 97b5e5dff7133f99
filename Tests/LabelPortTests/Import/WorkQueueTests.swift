import Synchronization
import Testing
@testable import LabelPortCore

@Suite("Work queue")
struct WorkQueueTests {
    /// Jobs with the same key must run in submission order and never overlap; jobs with
    /// other keys may run meanwhile.
    @Test("same-key jobs run in order, one at a time; all jobs run once")
    func keyedOrder() async {
        let queue = WorkQueue<Int>(capacity: 8)
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
        let queue = WorkQueue<Int>(capacity: 2)
        let submitted = Locked(0)
        let producer = Task {
            for i in 0..<5 {
                await queue.submit(i, key: "k\(i)")
                submitted.withLock { $0 += 1 }
            }
            queue.close()
        }
        // With no worker taking jobs, the producer can get at most `capacity` jobs in.
        while submitted.withLock({ $0 }) < 2 { await Task.yield() }
        for _ in 0..<100 { await Task.yield() }
        #expect(submitted.withLock { $0 } == 2)
        var taken: [Int] = []
        while let (key, job) = await queue.next() {
            taken.append(job)
            queue.finished(key: key)
        }
        await producer.value
        #expect(taken == [0, 1, 2, 3, 4])
    }
}
