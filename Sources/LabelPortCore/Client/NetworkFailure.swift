import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOHTTPCompression
import NIOPosix
import NIOSSL

/// The one place that turns a failure of the network stack into an ``APIError``: what it
/// means for the request (never sent, or outcome unknown) and a sentence naming the server
/// and the cause in words — no library type names, errno dumps or source paths.
struct NetworkFailure {
    /// `host:port` of the API server, as messages name it.
    let server: String
    let proxy: ProxySettings?
    let timeout: Duration
    let trust: TrustSettings

    /// The APIError for `error`, thrown while waiting for an answer (`received == nil`) or
    /// while its body was arriving (`received` bytes of it so far).
    func apiError(_ error: any Error, operation: String, received: Int? = nil) -> APIError {
        let (kind, detail) = classify(error, received: received)
        var apiError = APIError(kind: kind, operation: operation, detail: detail)
        apiError.unprocessed = isUnprocessed(error, received: received)
        if received == nil, let closed = error as? NIOHTTP2Errors.StreamClosed, closed.errorCode == .cancel {
            apiError.cancelledBeforeAnswer = true
        }
        return apiError
    }

    /// True for a request the server certainly did not process: an HTTP/2 stream it
    /// refused (REFUSED_STREAM, RFC 9113 8.7) before any of an answer arrived, or one the
    /// client dropped because its connection was closing before it went out. (A stream
    /// above a GOAWAY's last one is unprocessed too, but it ends with CANCEL, which a
    /// server may also send for a request it did process: ``APIError/cancelledBeforeAnswer``.)
    private func isUnprocessed(_ error: any Error, received: Int?) -> Bool {
        guard received == nil else { return false }
        if let error = error as? NIOHTTP2Errors.StreamClosed { return error.errorCode == .refusedStream }
        if let error = error as? HTTPClientError { return error == .cancelled && !Task.isCancelled }
        return false
    }

    private func classify(_ error: any Error, received: Int?) -> (APIError.Kind, String) {
        if error is CancellationError { return (.cancelled, "cancelled") }
        if let error = error as? HTTPClientError { return classify(error, received: received) }
        if let error = error as? NIOConnectionError { return connectionFailure(error) }
        if let error = error as? ChannelError { return classify(error, received: received) }
        if error is SocketAddressError { return (.hostNotFound, "\(targetHostName): name not found (check the host name in --base-url)") }
        // Only a failed handshake is a certificate problem (nothing was sent yet); other
        // TLS errors (an unclean close) happen on a connection that may have carried a request.
        if case .handshakeFailed? = error as? NIOSSLError { return certificateFailure(String(describing: error)) }
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname || error == .serverHostnameImpossibleToMatch {
            return (.certificateRejected, "the certificate of \(server) is not valid for its host name: check the host in --base-url")
        }
        if let error = error as? IOError {
            // Refused and unreachable come only from connecting: nothing was sent.
            if received == nil, [111, 61, 101, 51, 113, 65].contains(error.errnoCode) {
                return (.connectFailed, "could not connect to \(target): \(Self.socketReason(error.errnoCode))")
            }
            // Any other socket error may come from an established connection: the request may have arrived.
            let during = received.map { " mid-answer, after \(Self.bytes($0)) of it had arrived" } ?? ""
            return (.connectionDropped, "the connection to \(server) failed\(during): \(Self.socketReason(error.errnoCode))")
        }
        if let error = error as? NIOHTTP2Errors.StreamClosed { return streamClosed(error.errorCode, received: received) }
        if let error = error as? NIOHTTPDecompression.ExtraDecompressionError {
            let what = error == .truncatedData ? "ends before the compressed data does (cut short)" : "has bytes after the end of the compressed data"
            return (.invalidResponse, "the compressed answer from \(server) \(what)")
        }
        if error is NIOHTTPDecompression.DecompressionError {
            return (.invalidResponse, "the compressed answer from \(server) could not be decoded, or it expands beyond the size labelport accepts")
        }
        if let error = error as? HTTPParserError {
            if error == .invalidEOFState {
                return (.connectionDropped, "\(server) closed the connection mid-answer\(received.map { ", after \(Self.bytes($0)) of it had arrived" } ?? "")")
            }
            return (.invalidResponse, "\(server) sent an answer that is not valid HTTP")
        }
        return (.connectionDropped, "the connection to \(server) failed")
    }

    private func classify(_ error: HTTPClientError, received: Int?) -> (APIError.Kind, String) {
        switch error {
        case .connectTimeout:
            return (.connectFailed, "could not connect to \(target) within \(Self.seconds(timeout)) (--timeout)")
        case .tlsHandshakeTimeout:
            return (.connectFailed, "\(server) took the connection but did not finish the secure (TLS) handshake within \(Self.seconds(timeout)) (--timeout); check that it speaks https on this port")
        case .httpProxyHandshakeTimeout, .socksHandshakeTimeout:
            return (.connectFailed, "\(proxyName) did not open a tunnel to \(server) within \(Self.seconds(timeout))")
        case .proxyAuthenticationRequired:
            let what = proxy?.hasCredentials == true ? "rejected the credentials in the proxy URL" : "asks for credentials: put them in the proxy URL (http://USER:PASSWORD@HOST:PORT)"
            return (.proxyFailed, "\(proxyName) \(what) (407)")
        case .invalidProxyResponse:
            // Its status is not known here: a refusal (403; tinyproxy's 401 for a wrong
            // password) or a server it cannot reach (502, 503). Never sent; not tried again,
            // as a refusal would only repeat.
            let credentials = proxy?.hasCredentials == true ? "are the credentials in the proxy URL right? " : ""
            return (.proxyFailed, "\(proxyName) did not open a tunnel to \(server): it refused (\(credentials)check that it allows CONNECT to this host and port: labelport tunnels http:// through it too) or could not reach the server")
        case .readTimeout:
            return (.timeout, noProgress(received))
        case .deadlineExceeded:
            return (.timeout, noProgress(received))
        case .remoteConnectionClosed:
            if let received {
                return (.connectionDropped, "\(server) closed the connection mid-answer, after \(Self.bytes(received)) of it had arrived")
            }
            return (.connectionDropped, "\(server) closed the connection before answering")
        case .cancelled where !Task.isCancelled:
            // Not cancelled by labelport: the connection was closing (an HTTP/2 GOAWAY, after
            // the server's requests-per-connection limit) before the request went out on it.
            // Never sent, so safe to send again on a new connection.
            return (.connectFailed, "\(server) closed the connection before the request was sent on it")
        case .cancelled, .requestStreamCancelled:
            return (.cancelled, "cancelled")
        case .bodyLengthMismatch, .contentLengthMissing:
            return (.invalidResponse, "\(server) sent a malformed HTTP answer")
        default:
            return (.connectionDropped, "the request to \(server) failed")
        }
    }

    private func classify(_ error: ChannelError, received: Int?) -> (APIError.Kind, String) {
        switch error {
        case .connectTimeout:
            return (.connectFailed, "could not connect to \(target) within \(Self.seconds(timeout)) (--timeout)")
        case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed, .inputClosed:
            if let received {
                return (.connectionDropped, "\(server) closed the connection mid-answer, after \(Self.bytes(received)) of it had arrived")
            }
            return (.connectionDropped, "\(server) closed the connection before answering")
        default:
            return (.connectionDropped, "the connection to \(server) failed")
        }
    }

    /// An HTTP/2 stream closed before its answer was complete: never processed when
    /// refused; anything else may have reached the server.
    private func streamClosed(_ code: HTTP2ErrorCode, received: Int?) -> (APIError.Kind, String) {
        if received == nil, code == .refusedStream {
            return (.connectFailed, "\(server) refused the request before processing it (HTTP/2)")
        }
        if received == nil, code == .cancel {
            return (.connectionDropped, "\(server) closed the request before answering it (HTTP/2: a GOAWAY, or cancelled)")
        }
        let reason = Self.http2Reasons[code.networkCode] ?? "error \(code.networkCode)"
        let during = received.map { " mid-answer, after \(Self.bytes($0)) of it had arrived" } ?? ""
        return (.connectionDropped, "\(server) reset the request\(during) (HTTP/2: \(reason))")
    }

    /// HTTP/2 error codes in words (RFC 9113, 7).
    private static let http2Reasons: [Int: String] = [
        0x0: "no error", 0x1: "protocol error", 0x2: "internal error", 0x3: "flow-control error",
        0x4: "settings timeout", 0x5: "stream closed", 0x6: "frame size error", 0x7: "refused stream",
        0x8: "cancelled", 0x9: "compression error", 0xa: "connect error", 0xb: "enhance your calm",
        0xc: "inadequate security", 0xd: "HTTP/1.1 required",
    ]

    /// Connecting failed: the host has no address, or no address took the connection.
    private func connectionFailure(_ error: NIOConnectionError) -> (APIError.Kind, String) {
        let host = "\(error.host):\(error.port)"
        let viaProxy = proxy.map { error.host == $0.host } ?? false
        if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
            if viaProxy {
                return (.hostNotFound, "the proxy's host name \(error.host) was not found (check the proxy URL in \(proxy?.source ?? "--proxy"))")
            }
            return (.hostNotFound, "\(error.host): name not found (check the host name in --base-url)")
        }
        if let ioError = error.connectionErrors.lazy.compactMap({ $0.error as? IOError }).first {
            return (.connectFailed, "could not connect to \(viaProxy ? proxyName : host): \(Self.socketReason(ioError.errnoCode))")
        }
        return (.connectFailed, "could not connect to \(viaProxy ? proxyName : host)")
    }

    /// A socket error in words.
    static func socketReason(_ errno: Int32) -> String {
        switch errno {
        case 111, 61: "connection refused (is the server running, and is the port right?)"  // ECONNREFUSED (Linux, Darwin)
        case 110, 60: "timed out"  // ETIMEDOUT
        case 101, 51: "network unreachable"  // ENETUNREACH
        case 113, 65: "no route to host"  // EHOSTUNREACH
        case 104, 54: "connection reset by the peer"  // ECONNRESET
        case 32: "the peer closed the connection"  // EPIPE
        default: "the connection failed"
        }
    }

    private func certificateFailure(_ text: String) -> (APIError.Kind, String) {
        let upper = text.uppercased()
        if upper.contains("HOSTNAME") || upper.contains("HOST NAME") {
            return (.certificateRejected, "the certificate of \(server) is not valid for its host name: check the host in --base-url")
        }
        if upper.contains("CERTIFICATE") {
            return (.certificateRejected, "the certificate of \(server) is not trusted" + trust.untrustedReason(server: server))
        }
        return (.certificateRejected, "the secure connection (TLS) to \(server) could not be set up; check that the server speaks https on this port")
    }

    private func noProgress(_ received: Int?) -> String {
        let limit = Self.seconds(timeout)
        if let received {
            return "\(server) sent nothing for \(limit) mid-answer (after \(Self.bytes(received))); --timeout sets how long to wait"
        }
        return "no answer from \(server) for \(limit); --timeout sets how long to wait"
    }

    private var target: String { proxy?.description ?? server }
    private var targetHostName: String { proxy?.host ?? server }
    private var proxyName: String { proxy?.description ?? "the proxy" }

    static func seconds(_ duration: Duration) -> String {
        let value = duration.inSeconds
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    static func bytes(_ count: Int) -> String {
        switch count {
        case ..<1024: "\(count) bytes"
        case ..<(1024 * 1024): "\(count / 1024) KiB"
        default: "\(count / (1024 * 1024)) MiB"
        }
    }
}
