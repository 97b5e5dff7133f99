import LabelPortCore
import Synchronization

/// Counters of the `/v1` traffic a sandbox has served, for `GET /_sandbox/stats`.
public struct SandboxStatsSnapshot: Sendable, Equatable {
    /// Every `/v1` request answered (or dropped) since start or the last reset.
    public var totalRequests = 0
    /// `"METHOD /v1/route/{template}"` → status (`"201"`, or `"dropped"`) → count.
    public var requests: [String: [String: Int]] = [:]
    /// Creates and updates stored (including those whose answer was then dropped).
    public var writesApplied = 0
    public var inFlight = 0
    /// The highest number of `/v1` requests being handled at once.
    public var maxInFlight = 0
    /// Injected faults by kind: `error`, `throttle`, `drop-after-commit`, `latency`.
    public var faults: [String: Int] = [:]

    public init() {}

    /// The count for one endpoint and status, 0 when none.
    public func count(_ endpoint: String, _ status: String) -> Int { requests[endpoint]?[status] ?? 0 }

    public var json: JSONValue {
        func sorted(_ counts: [String: Int]) -> JSONValue {
            .object(JSONObject(counts.sorted { $0.key < $1.key }.map { (key: $0.key, value: .number(JSONNumber($0.value))) }))
        }
        let byEndpoint = requests.sorted { $0.key < $1.key }.map { (key: $0.key, value: sorted($0.value)) }
        var faultCounts: [String: Int] = ["error": 0, "throttle": 0, "drop-after-commit": 0, "latency": 0]
        faultCounts.merge(faults) { $1 }
        return .object(JSONObject([
            (key: "total_requests", value: .number(JSONNumber(totalRequests))),
            (key: "requests", value: .object(JSONObject(byEndpoint))),
            (key: "writes_applied", value: .number(JSONNumber(writesApplied))),
            (key: "in_flight", value: .number(JSONNumber(inFlight))),
            (key: "max_in_flight", value: .number(JSONNumber(maxInFlight))),
            (key: "faults", value: sorted(faultCounts)),
        ]))
    }
}

/// Thread-safe request counters; one short lock per event.
public final class SandboxStats: Sendable {
    private let state = Mutex(SandboxStatsSnapshot())

    public init() {}

    func begin() {
        state.withLock { s in
            s.inFlight += 1
            s.maxInFlight = max(s.maxInFlight, s.inFlight)
        }
    }

    func end(endpoint: String, status: String) {
        state.withLock { s in
            s.inFlight -= 1
            s.totalRequests += 1
            s.requests[endpoint, default: [:]][status, default: 0] += 1
        }
    }

    func recordWrite() {
        state.withLock { $0.writesApplied += 1 }
    }

    func recordFault(_ kind: String) {
        state.withLock { $0.faults[kind, default: 0] += 1 }
    }

    public func snapshot() -> SandboxStatsSnapshot { state.withLock { $0 } }

    /// Zeroes the counters; requests still in flight stay counted as in flight.
    public func reset() {
        state.withLock { s in
            let inFlight = s.inFlight
            s = SandboxStatsSnapshot()
            s.inFlight = inFlight
            s.maxInFlight = inFlight
        }
    }
}
