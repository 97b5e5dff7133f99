/// Waiting on the executor's clock: pauses, `Retry-After`, and sleeps that end early when
/// the executor is cancelled.
extension RequestExecutor {
    /// Now on the injected clock, as an offset from the executor's start.
    package var now: Duration { clock.now() }

    /// How long `error`'s `Retry-After` asks to wait from now (nil without one).
    package func retryAfterDelay(_ error: APIError) -> Duration? {
        error.retryAfter.map { $0.delay(nowEpochSeconds: wallClock()) }
    }

    /// Waits `delay` on the injected clock; false if cancelled first.
    package func pause(for delay: Duration) async -> Bool {
        await sleep(until: clock.now() + delay)
    }

    /// Sleeps on the injected clock until `deadline`; false if cancelled first (by the task
    /// or by ``cancelAll()``). Returns true early when the waits are woken for another look
    /// (``ShutdownSignal/wakeWaiters()``): callers check again what they waited for.
    func sleep(until deadline: Duration) async -> Bool {
        if shutdown.isTriggered || Task.isCancelled { return false }
        if clock.now() >= deadline { return true }
        let clock = self.clock
        let shutdown = self.shutdown
        let woke = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await clock.sleepUntil(deadline)
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                await shutdown.wait()
                return true  // cancelAll (checked below), or woken to look again
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        return woke && !shutdown.isTriggered && !Task.isCancelled
    }
}
