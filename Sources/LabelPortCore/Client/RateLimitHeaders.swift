/// The rate-limit fields of an answer: `RateLimit-Limit`, `RateLimit-Remaining`,
/// `RateLimit-Reset`, or their `X-RateLimit-*` forms.
///
/// `reset` is the time until the quota is restored. It is sent as delta-seconds; an
/// `X-RateLimit-Reset` (or `RateLimit-Reset`) larger than a year of seconds is taken as a
/// Unix timestamp, as GitHub and others send it, and turned into a delay from now.
package struct RateLimitHeaders: Sendable, Equatable {
    package var limit: Int?
    package var remaining: Int?
    package var reset: Duration?

    package init(limit: Int? = nil, remaining: Int? = nil, reset: Duration? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.reset = reset
    }

    /// Reads the fields through `header` (a case-insensitive lookup by name); nil when the
    /// answer carries none of them. The standard names win over the `X-` forms.
    package init?(header: (String) -> String?) {
        self.init(header: header, nowEpochSeconds: RequestExecutor.systemWallClock())
    }

    /// As ``init(header:)``, with the wall-clock time for a reset sent as a timestamp.
    package init?(header: (String) -> String?, nowEpochSeconds: Double) {
        func field(_ name: String) -> String? {
            header("RateLimit-" + name) ?? header("X-RateLimit-" + name)
        }
        limit = field("Limit").flatMap(Self.integer)
        remaining = field("Remaining").flatMap(Self.integer)
        reset = field("Reset").flatMap { Self.reset($0, nowEpochSeconds: nowEpochSeconds) }
        if limit == nil && remaining == nil && reset == nil { return nil }
    }

    /// Seconds above this are a timestamp, not a delay.
    static let timestampThreshold = 365.0 * 86_400
    /// The longest reset kept (seconds).
    static let longestReset = 100.0 * 365 * 86_400

    private static func integer(_ text: String) -> Int? {
        // "100, 100;w=60" (an old draft's list form): the first item counts.
        let item = text.split(separator: ",").first.map { $0.split(separator: ";").first ?? $0 } ?? Substring(text)
        guard let value = Int(String(item).trimmingWhitespace()), value >= 0 else { return nil }
        return value
    }

    private static func reset(_ text: String, nowEpochSeconds: Double) -> Duration? {
        guard let value = Double(text.trimmingWhitespace()), value.isFinite, value >= 0 else { return nil }
        // Far-off values are capped (a century): a wait that long is refused anyway, and
        // more would not fit a Duration's milliseconds.
        let seconds = min(value > timestampThreshold ? max(0, value - nowEpochSeconds) : value, longestReset)
        return .milliseconds(Int64(seconds * 1000))
    }
}
