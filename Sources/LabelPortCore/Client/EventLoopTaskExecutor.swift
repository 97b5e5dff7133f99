import NIOCore

/// Runs Swift tasks on a NIO event loop's thread. With the caller's tasks preferring it,
/// a response resumes its task on the thread that read it and the next request is
/// written from there: no hop between threads, no wake-up of another thread per request.
/// What a job wrote is sent when it ends (``FlushBatch``).
final class EventLoopTaskExecutor: TaskExecutor {
    let batch: FlushBatch

    init(_ batch: FlushBatch) {
        self.batch = batch
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        batch.eventLoop.execute {
            self.batch.run { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }
}
