import Synchronization

/// What to do to one `/v1` request.
package enum InjectedFault: Sendable, Equatable {
    case none
    /// Answer with this 5xx status; do not apply the request.
    case error(status: Int)
    /// Answer 429 with `Retry-After`; do not apply the request.
    case throttle
    /// Apply the write, then close the connection without answering.
    case dropAfterCommit
}

/// Draws one fault decision per request from a seeded generator, so the same seed and
/// the same order of requests give the same faults.
package final class FaultInjector: Sendable {
    package let spec: FaultSpec
    private let generator: Mutex<SplitMix64>

    package init(spec: FaultSpec, seed: UInt64) {
        self.spec = spec
        self.generator = Mutex(SplitMix64(seed: seed))
    }

    /// The fault for the next request. Every request draws, reads and writes alike, so
    /// the sequence depends only on the order of requests; drops apply to writes only.
    package func next(isWrite: Bool) -> InjectedFault {
        guard spec.error > 0 || spec.throttle > 0 || spec.dropAfterCommit > 0 else { return .none }
        let (draw, pick) = generator.withLock { rng in (rng.nextUnit(), rng.next()) }
        if draw < spec.error { return .error(status: pick & 1 == 0 ? 500 : 503) }
        if draw < spec.error + spec.throttle { return .throttle }
        if isWrite && draw < spec.error + spec.throttle + spec.dropAfterCommit { return .dropAfterCommit }
        return .none
    }
}
