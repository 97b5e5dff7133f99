/// The `--verbose` line for one request: method, path, status and time, and for a failure
/// what went wrong. Never a header (the token is in one).
enum RequestLogLine {
    static func success(_ call: APICall, elapsed: Duration) -> String {
        let status = call.method == .POST ? 201 : 200
        return "request: \(call.method.rawValue) \(call.path) \(status) in \(milliseconds(elapsed))"
    }

    static func failure(_ call: APICall, _ error: APIError, elapsed: Duration) -> String {
        let status = error.status.map(String.init) ?? "no answer"
        return "request: \(call.method.rawValue) \(call.path) \(status) in \(milliseconds(elapsed)): \(error)"
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, atto) = duration.components
        let tenths = seconds * 10_000 + atto / 100_000_000_000_000
        return "\(tenths / 10).\(tenths % 10) ms"
    }
}
