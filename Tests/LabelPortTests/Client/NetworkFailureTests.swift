import AsyncHTTPClient
import NIOHTTP2
import NIOHTTPCompression
import Testing
@testable import LabelPortCore

@Suite("Network failures in words", .timeLimit(.minutes(1)))
struct NetworkFailureTests {
    static let failure = NetworkFailure(server: "api.example.com:443", proxy: nil, timeout: .seconds(30), trust: TrustSettings())

    @Test("a request the client dropped because its connection was closing (HTTP/2 GOAWAY) was never sent: retried, not failed")
    func closingConnectionIsNotSent() async {
        let error = Self.failure.apiError(HTTPClientError.cancelled, operation: "create gold label \"doc-1\"")
        #expect(error.kind == .connectFailed)
        #expect(error.isRetryable)
        #expect(!error.outcomeUnknown)
        #expect(error.description == "create gold label \"doc-1\": api.example.com:443 closed the connection before the request was sent on it")
        #expect(error.unprocessed, "sent again at once, without spending a retry")
    }

    @Test("an HTTP/2 stream refused before any answer: never processed, sent again at once")
    func http2StreamRefused() {
        let closed = NIOHTTP2Errors.streamClosed(streamID: HTTP2StreamID(7), errorCode: .refusedStream)
        let error = Self.failure.apiError(closed, operation: "create gold label \"doc-1\"")
        #expect(error.kind == .connectFailed)
        #expect(error.unprocessed && error.resentAtOnce(.create))
        #expect(!error.outcomeUnknown)
        #expect(error.description == "create gold label \"doc-1\": api.example.com:443 refused the request before processing it (HTTP/2)")
    }

    @Test("an HTTP/2 stream cancelled before any answer (a GOAWAY, or a server that cancels what it did): a read or update is sent again at once, a create's outcome is unknown")
    func http2StreamCancelled() {
        let closed = NIOHTTP2Errors.streamClosed(streamID: HTTP2StreamID(7), errorCode: .cancel)
        let error = Self.failure.apiError(closed, operation: "create gold label \"doc-1\"")
        #expect(error.kind == .connectionDropped)
        #expect(error.outcomeUnknown && !error.unprocessed)
        #expect(error.resentAtOnce(.read) && error.resentAtOnce(.update))
        #expect(!error.resentAtOnce(.create), "a create the server may have stored is settled by reading its run")
        #expect(error.description == "create gold label \"doc-1\": api.example.com:443 closed the request before answering it (HTTP/2: a GOAWAY, or cancelled)")
    }

    @Test("an HTTP/2 stream reset otherwise, or mid-answer: the outcome is unknown, the reason in words")
    func http2StreamReset() {
        let internalError = NIOHTTP2Errors.streamClosed(streamID: HTTP2StreamID(9), errorCode: .internalError)
        let error = Self.failure.apiError(internalError, operation: "create gold label \"doc-1\"")
        #expect(error.kind == .connectionDropped)
        #expect(error.outcomeUnknown && !error.unprocessed)
        #expect(error.description == "create gold label \"doc-1\": api.example.com:443 reset the request (HTTP/2: internal error)")
        let cancelled = NIOHTTP2Errors.streamClosed(streamID: HTTP2StreamID(9), errorCode: .cancel)
        let midAnswer = Self.failure.apiError(cancelled, operation: "list gold labels of run R", received: 4096)
        #expect(midAnswer.outcomeUnknown && !midAnswer.unprocessed && !midAnswer.resentAtOnce(.read))
        #expect(midAnswer.description == "list gold labels of run R: api.example.com:443 reset the request mid-answer, after 4 KiB of it had arrived (HTTP/2: cancelled)")
    }

    @Test("a proxy that does not open the tunnel: never sent, not retried, and the message says labelport tunnels http:// too; never the credentials")
    func proxyRefusedTunnel() throws {
        let proxy = try ProxySettings(url: "http://alice:s3cret@proxy.corp:3128", source: "HTTP_PROXY")
        let failure = NetworkFailure(server: "api.example.com:8080", proxy: proxy, timeout: .seconds(30), trust: TrustSettings())
        let error = failure.apiError(HTTPClientError.invalidProxyResponse, operation: "list gold labels of run R")
        #expect(error.kind == .proxyFailed)
        #expect(!error.isRetryable, "a proxy's refusal would only repeat")
        #expect(!error.outcomeUnknown)
        #expect(error.description == "list gold labels of run R: proxy proxy.corp:3128 (from HTTP_PROXY) did not open a tunnel to api.example.com:8080: it refused (are the credentials in the proxy URL right? check that it allows CONNECT to this host and port: labelport tunnels http:// through it too) or could not reach the server")
        #expect(!error.description.contains("s3cret"))
        let anonymous = NetworkFailure(server: "api.example.com:8080", proxy: try ProxySettings(url: "http://proxy.corp:3128", source: "HTTP_PROXY"), timeout: .seconds(30), trust: TrustSettings())
        #expect(anonymous.apiError(HTTPClientError.invalidProxyResponse, operation: "list gold labels of run R").description
            == "list gold labels of run R: proxy proxy.corp:3128 (from HTTP_PROXY) did not open a tunnel to api.example.com:8080: it refused (check that it allows CONNECT to this host and port: labelport tunnels http:// through it too) or could not reach the server")
    }

    @Test("a compressed answer cut short, or with bytes after its end, is an invalid answer said in words")
    func compressedAnswerCut() {
        let cut = Self.failure.apiError(NIOHTTPDecompression.ExtraDecompressionError.truncatedData, operation: "list gold labels of run R")
        #expect(cut.kind == .invalidResponse)
        #expect(cut.description == "list gold labels of run R: the server's answer was not valid: the compressed answer from api.example.com:443 ends before the compressed data does (cut short)")
        let trailing = Self.failure.apiError(NIOHTTPDecompression.ExtraDecompressionError.invalidTrailingData, operation: "list gold labels of run R")
        #expect(trailing.description == "list gold labels of run R: the server's answer was not valid: the compressed answer from api.example.com:443 has bytes after the end of the compressed data")
    }

    @Test("a server that takes the connection but never finishes the TLS handshake is told apart from one that does not connect")
    func tlsHandshakeTimeout() {
        let error = Self.failure.apiError(HTTPClientError.tlsHandshakeTimeout, operation: "list gold labels of run R")
        #expect(error.kind == .connectFailed)
        #expect(error.description == "list gold labels of run R: api.example.com:443 took the connection but did not finish the secure (TLS) handshake within 30 s (--timeout); check that it speaks https on this port")
    }

    @Test("a request cancelled by labelport (its task cancelled) stays cancelled")
    func cancelledByUs() async {
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return Self.failure.apiError(HTTPClientError.cancelled, operation: "create gold label \"doc-1\"")
        }
        let error = await task.value
        #expect(error.kind == .cancelled)
        #expect(!error.unprocessed)
    }
}
