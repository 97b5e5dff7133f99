import NIOCore

/// The connections of one event loop that have writes to send once the task running on
/// that loop's thread reaches its next wait.
///
/// A turn of the loop resumes many tasks (each answer read resumes one), and each writes
/// its next request before waiting again. Flushed at the end of each task's run, a request
/// leaves in one write as soon as it is whole, not one write per part of it, and it does
/// not wait for the other tasks of the turn either. Only the loop's thread touches it.
final class FlushBatch: @unchecked Sendable {
    let eventLoop: any EventLoop
    private var running = false
    private var pending: [FlushCoalescer] = []

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Runs a task's job, then sends what it wrote.
    func run(_ job: () -> Void) {
        eventLoop.assertInEventLoop()
        running = true
        job()
        running = false
        guard !pending.isEmpty else { return }
        let owed = pending
        pending.removeAll(keepingCapacity: true)
        for coalescer in owed { coalescer.flushNow() }
    }

    /// Takes `coalescer`'s flush to the end of the running job; false outside of one.
    func hold(_ coalescer: FlushCoalescer) -> Bool {
        eventLoop.assertInEventLoop()
        guard running else { return false }
        pending.append(coalescer)
        return true
    }
}
