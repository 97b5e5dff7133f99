/// Why a request through ``HTTP1ConnectionPool`` got no usable answer. Each case says
/// whether the request may have reached the server, which the import engine relies on.
enum TransportFailure: Error, Equatable {
    /// No connection could be made (refused, unreachable, DNS, connect timeout, TLS
    /// handshake): the request was never sent.
    case connectFailed(String)
    /// The connection closed or failed after the request was written: outcome unknown.
    case dropped(String?)
    /// No full answer within the request timeout: outcome unknown.
    case timeout
    /// The caller's task was cancelled.
    case cancelled
    /// The answer was not valid HTTP/1.x.
    case invalidResponse(String)
    /// The answer's body is larger than the configured limit.
    case bodyTooLarge(limit: Int)
}
