import NIOCore

/// Runs Swift tasks on a NIO event loop's thread. With the caller's tasks preferring it,
/// a response resumes its task on the thread that read it and the next request is
/// written from there: no hop between threads, no wake-up of another thread per request.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
