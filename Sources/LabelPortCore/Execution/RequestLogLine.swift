/// The `--verbose` line for one request: method, status and time, and for a failure what
/// was being done. Never headers (the token is in one).
public enum RequestLogLine {
    static func method(_ kind: RequestKind) -> String {
        switch kind {
        case .read: "GET"
        case .update: "PUT"
        case .create: "POST"
        }
    }

    static func success(_ kind: RequestKind, elapsed: Duration) -> String {
        "request: \(method(kind)) \(kind == .create ? 201 : 200) in \(milliseconds(elapsed))"
    }

    static func failure(_ kind: RequestKind, _ error: APIError, elapsed: Duration) -> String {
        let status = error.status.map(String.init) ?? "no answer"
        return "request: \(method(kind)) \(status) in \(milliseconds(elapsed)): \(error)"
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, atto) = duration.components
        let tenths = seconds * 10_000 + atto / 100_000_000_000_000
        return "\(tenths / 10).\(tenths % 10) ms"
    }
}
