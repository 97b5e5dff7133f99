import LabelPortCore
import Synchronization

/// Counters of the `/v1` traffic a sandbox has served, for `GET /_sandbox/stats`.
package struct SandboxStatsSnapshot: Sendable, Equatable {
    /// Every `/v1` request answered (or dropped) since start or the last reset.
    package var totalRequests = 0
    /// `"METHOD /v1/route/{template}"` → status (`"201"`, or `"dropped"`) → count.
    package var requests: [String: [String: Int]] = [:]
    /// Creates and updates stored (including those whose answer was then dropped).
    package var writesApplied = 0
    package var inFlight = 0
    /// Every `/v1` request that arrived, answered or not: beyond a client's concurrency,
    /// proof that the client has had answers (it sends more only when one comes back).
    package var arrived = 0
    /// The most `/v1` requests received and not answered yet at once.
    package var maxInFlight = 0
    /// Injected faults by kind: `error`, `throttle`, `drop-after-commit`, `latency`.
    package var faults: [String: Int] = [:]
    /// Requests refused with 429 by the `--rate-limit` bucket.
    package var rateLimited = 0
    /// The most `/v1` requests that arrived within any one-second window (sliding).
    package var peakRequestsInOneSecond = 0
    /// Seconds from the first to the last `/v1` arrival: with `totalRequests` it gives
    /// the rate a client achieved.
    package var arrivalSpanSeconds = 0.0

    package init() {}

    /// The count for one endpoint and status, 0 when none.
    package func count(_ endpoint: String, _ status: String) -> Int { requests[endpoint]?[status] ?? 0 }

    package var json: JSONValue {
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
            (key: "arrived", value: .number(JSONNumber(arrived))),
            (key: "max_in_flight", value: .number(JSONNumber(maxInFlight))),
            (key: "faults", value: sorted(faultCounts)),
            (key: "rate_limited", value: .number(JSONNumber(rateLimited))),
            (key: "peak_requests_in_1s", value: .number(JSONNumber(peakRequestsInOneSecond))),
            (key: "arrival_span_seconds", value: .number(JSONNumber("\(arrivalSpanSeconds)") ?? JSONNumber(0))),
        ]))
    }
}

/// Thread-safe request counters; one short lock per event.
package final class SandboxStats: Sendable {
    private let state = Mutex(SandboxStatsSnapshot())
    private let arrivals = Mutex(ArrivalWindow())

    package init() {}

    /// An API request arrived: one more in flight.
    func arrive() {
        let peak = arrivals.withLock { $0.arrive(at: .now) }
        state.withLock { s in
            s.inFlight += 1
            s.arrived += 1
            s.maxInFlight = max(s.maxInFlight, s.inFlight)
            s.peakRequestsInOneSecond = peak.peak
            s.arrivalSpanSeconds = peak.span
        }
    }

    /// An API request was answered, or its connection closed first: one fewer in flight.
    func leave() {
        state.withLock { $0.inFlight -= 1 }
    }

    /// An endpoint's request ended with `status` (or `"dropped"`).
    func end(endpoint: String, status: String) {
        state.withLock { s in
            s.totalRequests += 1
            s.requests[endpoint, default: [:]][status, default: 0] += 1
        }
    }

    func recordWrite() {
        state.withLock { $0.writesApplied += 1 }
    }

    func recordRateLimited() {
        state.withLock { $0.rateLimited += 1 }
    }

    func recordFault(_ kind: String) {
        state.withLock { $0.faults[kind, default: 0] += 1 }
    }

    package func snapshot() -> SandboxStatsSnapshot { state.withLock { $0 } }

    /// Zeroes the counters; requests still in flight stay counted as in flight.
    package func reset() {
        state.withLock { s in
            let inFlight = s.inFlight
            s = SandboxStatsSnapshot()
            s.inFlight = inFlight
            s.arrived = inFlight
            s.maxInFlight = inFlight
        }
        arrivals.withLock { $0 = ArrivalWindow() }
    }
}

/// Arrival times within the last second, to find the busiest one-second window.
struct ArrivalWindow {
    private var times: [ContinuousClock.Instant] = []
    private var head = 0
    private var first: ContinuousClock.Instant?
    private var peak = 0

    mutating func arrive(at now: ContinuousClock.Instant) -> (peak: Int, span: Double) {
        if first == nil { first = now }
        times.append(now)
        while now - times[head] >= .seconds(1) { head += 1 }
        peak = max(peak, times.count - head)
        if head > 4096 {
            times.removeFirst(head)
            head = 0
        }
        return (peak, (now - first!).inSeconds)
    }
}
