/// An injected `Clock` seen as offsets from the moment the executor was made, so the
/// executor's state needs no generic instant type.
struct ExecutorClock: Sendable {
    /// Time since the origin.
    let now: @Sendable () -> Duration
    /// Suspends until the given offset from the origin; throws when the task is cancelled.
    let sleepUntil: @Sendable (Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let origin = clock.now
        now = { origin.duration(to: clock.now) }
        sleepUntil = { offset in try await clock.sleep(until: origin.advanced(by: offset), tolerance: nil) }
    }
}
