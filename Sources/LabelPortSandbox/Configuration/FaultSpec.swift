/// Which faults a sandbox injects into `/v1` requests, parsed from
/// `error=0.1,throttle=0.05,drop-after-commit=0.02,latency=20ms`.
package struct FaultSpec: Sendable, Equatable {
    /// Probability of answering 500 or 503 without applying the request.
    package var error: Double
    /// Probability of answering 429 with `Retry-After` without applying the request.
    package var throttle: Double
    /// Probability, for a write that succeeds, of storing it and then closing the
    /// connection with no answer at all.
    package var dropAfterCommit: Double
    /// Delay added to every `/v1` request.
    package var latency: Duration
    /// The `Retry-After` seconds sent with an injected 429.
    package var retryAfterSeconds: Int

    package init(error: Double = 0, throttle: Double = 0, dropAfterCommit: Double = 0, latency: Duration = .zero, retryAfterSeconds: Int = 1) {
        self.error = error
        self.throttle = throttle
        self.dropAfterCommit = dropAfterCommit
        self.latency = latency
        self.retryAfterSeconds = retryAfterSeconds
    }

    package var isEmpty: Bool { error == 0 && throttle == 0 && dropAfterCommit == 0 && latency == .zero }

    /// Parses a comma-separated `KIND=VALUE` list; kinds are `error`, `throttle`,
    /// `drop-after-commit` (probabilities 0…1) and `latency` (`20ms`, `1s`, `500us`).
    package init(parsing text: String) throws(SandboxConfigurationError) {
        self.init()
        let items = text.split(separator: ",", omittingEmptySubsequences: true)
        guard !items.isEmpty else {
            throw SandboxConfigurationError("--faults is empty: give KIND=VALUE pairs, e.g. --faults error=0.1,latency=20ms")
        }
        var seen: Set<String> = []
        for item in items {
            let part = item.trimmingWhitespace()
            guard let eq = part.firstIndex(of: "=") else {
                throw SandboxConfigurationError("--faults: \"\(part)\" is not KIND=VALUE (kinds: error, throttle, drop-after-commit, latency)")
            }
            let kind = String(part[..<eq])
            let value = String(part[part.index(after: eq)...])
            guard seen.insert(kind).inserted else {
                throw SandboxConfigurationError("--faults names \"\(kind)\" twice: give each fault once")
            }
            switch kind {
            case "error": error = try Self.probability(kind, value)
            case "throttle": throttle = try Self.probability(kind, value)
            case "drop-after-commit": dropAfterCommit = try Self.probability(kind, value)
            case "latency": latency = try Self.duration(value)
            default:
                throw SandboxConfigurationError("--faults: unknown fault \"\(kind)\" (kinds: error, throttle, drop-after-commit, latency)")
            }
        }
        guard error + throttle + dropAfterCommit <= 1 else {
            throw SandboxConfigurationError("--faults: error + throttle + drop-after-commit must not exceed 1")
        }
    }

    private static func probability(_ kind: String, _ text: String) throws(SandboxConfigurationError) -> Double {
        guard let value = Double(text), value.isFinite, value >= 0, value <= 1 else {
            throw SandboxConfigurationError("--faults: \(kind)=\(text): the value must be a probability between 0 and 1, e.g. \(kind)=0.05")
        }
        return value
    }

    private static func duration(_ text: String) throws(SandboxConfigurationError) -> Duration {
        let units: [(suffix: String, scale: Double)] = [("ms", 1e-3), ("us", 1e-6), ("s", 1)]
        for unit in units where text.hasSuffix(unit.suffix) {
            if let number = Double(text.dropLast(unit.suffix.count)), number.isFinite, number >= 0 {
                let nanoseconds = number * unit.scale * 1e9
                if nanoseconds <= 60e9 { return .nanoseconds(Int64(nanoseconds)) }
            }
            break
        }
        throw SandboxConfigurationError("--faults: latency=\(text): write a duration up to 60s with a unit, e.g. latency=20ms (units: us, ms, s)")
    }
}
